/* The audit log: writing entries and the admin's page to read them. */
#include "accounts_internal.h"

void mh_admin_audit(mh_admin_t *a, mh_req_t *req, const char *action, const char *object,
                    const char *detail)
{
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_accounts_audit(a->content, u ? u->id : 0, req && req->client_ip ? req->client_ip : "",
                      action, object, detail);
}

int mh_admin_h_audit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}
