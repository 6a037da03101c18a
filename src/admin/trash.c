/* The recycle bin: entries moved there (deleted_at set) are listed for the
 * users who may delete them, and can be restored or purged for good. */
#include <string.h>

#include "editorial_internal.h"

int ed_h_trash(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t page = ed_parse_id(ed_query(req, "page")), total = 0;
    mh_entry_filter_t f = {.status = -1, .trashed = true};
    mh_entry_t *es;
    size_t n = 0;
    mh_val_t *ctx = mh_val_map(p), *rows = mh_val_list(p);
    const char *base = mh_admin_base(a);
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
        if (!mh_admin_may_entry(a, u, &es[i], MH_ACT_READ))
            continue;
        mh_val_t *m = ed_entry_row(a, req, &es[i]);
        if (mh_admin_may_entry(a, u, &es[i], MH_ACT_DELETE)) {
            mh_val_map_cstr(p, m, "restore_action",
                            mh_psprintf(p, "%s/trash/%lld/restore", base, (long long)es[i].id));
            mh_val_map_cstr(p, m, "purge_action",
                            mh_psprintf(p, "%s/trash/%lld/purge", base, (long long)es[i].id));
        }
        mh_val_list_push(p, rows, m);
    }
    mh_val_map_set(p, ctx, "entries", rows);
    mh_val_map_bool(p, ctx, "has_entries", rows->u.list.n > 0);
    mh_val_map_set(p, ctx, "pager", ed_pager(p, mh_psprintf(p, "%s/trash?", base), page, total));
    mh_admin_render(a, req, resp, 200, "editorial_trash", ed_t(a, req, "ed.msg.recycle_bin"), ctx);
    return MH_OK;
}

/* /trash/:id/restore and /trash/:id/purge */
static int trash_item(mh_req_t *req, mh_resp_t *resp, void *data, bool purge)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = mh_req_param_id(req, "id");
    int64_t deleted_at = 0;
    mh_entry_t e;
    if (!id || mh_editorial_entry_get(c, p, id, &e, &deleted_at) != MH_OK || !deleted_at ||
        !mh_admin_may_entry(a, u, &e, MH_ACT_READ)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_entry(a, u, &e, MH_ACT_DELETE)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = purge ? mh_editorial_entry_purge(c, id) : mh_editorial_entry_restore(c, id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, purge ? "entry.purge" : "entry.restore",
                                ed_obj(p, "entry", id), e.title);
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 409, NULL);
        return MH_OK;
    }
    mh_admin_redirect(a, req, resp, "/trash", purge ? "entry_purged" : "entry_restored");
    return MH_OK;
}

int ed_h_trash_restore(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return trash_item(req, resp, data, false);
}

int ed_h_trash_purge(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return trash_item(req, resp, data, true);
}
