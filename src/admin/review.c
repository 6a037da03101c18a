/* The review queue: entries submitted for review (status pending) that
 * the editor may publish, with approve (publish now or at a time) and
 * return (back to draft with a comment the author sees in the editor). */
#include <string.h>

#include "editorial_internal.h"

int ed_h_review(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    int64_t page = ed_parse_id(ed_query(req, "page")), total = 0;
    mh_entry_filter_t f = {.status = MH_STATUS_PENDING};
    mh_entry_t *es;
    size_t n = 0;
    mh_val_t *ctx = mh_val_map(p), *rows = mh_val_list(p);
    if (page < 1)
        page = 1;
    ed_scope_filter(a, p, u, &f);
    f.offset = (page - 1) * ED_PAGE_SIZE;
    f.limit = ED_PAGE_SIZE;
    if (mh_editorial_entries(mh_admin_content(a), p, &f, &es, &n, &total) != MH_OK) {
        mh_admin_error(a, req, resp, 500, NULL);
        return MH_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (!mh_admin_may_entry(a, u, &es[i], MH_ACT_PUBLISH))
            continue;
        mh_val_t *m = ed_entry_row(a, req, &es[i]);
        mh_val_map_cstr(p, m, "approve_action",
                        mh_psprintf(p, "%s/review/%lld/approve", base, (long long)es[i].id));
        mh_val_map_cstr(p, m, "return_action",
                        mh_psprintf(p, "%s/review/%lld/return", base, (long long)es[i].id));
        mh_val_list_push(p, rows, m);
    }
    mh_val_map_set(p, ctx, "entries", rows);
    mh_val_map_bool(p, ctx, "has_entries", rows->u.list.n > 0);
    mh_val_map_set(p, ctx, "pager", ed_pager(p, mh_psprintf(p, "%s/review?", base), page, total));
    mh_admin_render(a, req, resp, 200, "editorial_review", ed_t(a, req, "ed.msg.review"), ctx);
    return MH_OK;
}

/* /review/:id/approve and /review/:id/return */
static int review_item(mh_req_t *req, mh_resp_t *resp, void *data, bool approve)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = mh_req_param_id(req, "id");
    mh_entry_t e;
    int rc;
    if (!id || mh_content_entry_get(c, p, id, &e) != MH_OK ||
        !mh_admin_may_entry(a, u, &e, MH_ACT_READ)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_entry(a, u, &e, MH_ACT_PUBLISH)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    if (e.status != MH_STATUS_PENDING) {
        mh_admin_error(a, req, resp, 409, NULL);
        return MH_OK;
    }
    int64_t t = 0;
    if (approve) {
        const char *when = ed_form(req, "publish_at");
        if (*when && mh_parse_time(when, ed_tz(a, p, e.lang_id), &t) != MH_OK) {
            mh_admin_error(a, req, resp, 422, NULL);
            return MH_OK;
        }
    }
    rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = approve ? mh_editorial_approve(c, id, u->id, t)
                     : mh_editorial_return(c, id, u->id, ed_form(req, "comment"));
        if (rc == MH_OK)
            rc =
                mh_admin_audit(a, req, approve ? "entry.approve" : "entry.return",
                               ed_obj(p, "entry", id), approve ? e.title : ed_form(req, "comment"));
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 500, NULL);
        return MH_OK;
    }
    mh_admin_redirect(a, req, resp, "/review", approve ? "entry_approved" : "entry_returned");
    return MH_OK;
}

int ed_h_review_approve(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return review_item(req, resp, data, true);
}

int ed_h_review_return(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return review_item(req, resp, data, false);
}
