/* Users, roles and grants (admin only). */
#include "accounts_internal.h"

int mh_admin_h_users(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}

int mh_admin_h_user_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}

int mh_admin_h_user(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}
