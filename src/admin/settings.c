/* Site settings and languages (admin only). */
#include "accounts_internal.h"

int mh_admin_h_settings(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}
