/* Manual order of a column's entries: the column's entry page lists them in
 * position order with up/down buttons (plain forms with the CSRF token, so
 * they work from the keyboard and without scripts); each press swaps two
 * neighbours and renumbers the column in one transaction with its audit
 * line. Public lists of "manual" columns sort by the same positions. */
#include <stdio.h>
#include <string.h>

#include "../content/ordering.h"
#include "../store/editorial.h"
#include "accounts_internal.h"
#include "editorial_internal.h"

static int move(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, const char *which, int dir)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    int64_t id = mh_req_param_id(req, "id");
    mh_entry_t e;
    if (!id || mh_content_entry_get(c, p, id, &e) != MH_OK ||
        !mh_admin_may_entry(a, mh_admin_user(req), &e, MH_ACT_READ)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_entry(a, mh_admin_user(req), &e, MH_ACT_EDIT)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_ordering_entry_move(c, id, dir);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "entry.reorder", ed_obj(p, "entry", id), which);
        rc = mh_content_tx_end(c, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_ERR) {
        mh_admin_error(a, req, resp, 500, NULL);
        return MH_OK;
    }
    /* MH_DECLINED (already first or last) changes nothing */
    mh_admin_redirect(a, req, resp,
                      mh_psprintf(p, "/columns/%lld/entries#order", (long long)e.column_id), NULL);
    return MH_OK;
}

int ed_h_entry_up(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return move(req, resp, data, "up", -1);
}

int ed_h_entry_down(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return move(req, resp, data, "down", 1);
}

void ed_order_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_column_t *col)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_entry_t *es = NULL;
    size_t n = 0;
    if (col->sort_mode != MH_SORT_MANUAL)
        return;
    if (mh_content_store(c)->ops->editorial->column_order(mh_content_store(c), p, col->id, &es,
                                                          &n) != MH_OK)
        return;
    const char *base = mh_admin_base(a);
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++) {
        long long id = (long long)es[i].id;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", es[i].id);
        mh_val_map_int(p, m, "n", (int64_t)i + 1);
        mh_val_map_cstr(p, m, "title", es[i].title ? es[i].title : "");
        mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/entries/%lld", base, id));
        mh_val_map_cstr(p, m, "up_action", mh_psprintf(p, "%s/entries/%lld/up", base, id));
        mh_val_map_cstr(p, m, "down_action", mh_psprintf(p, "%s/entries/%lld/down", base, id));
        mh_val_map_bool(p, m, "first", i == 0);
        mh_val_map_bool(p, m, "last", i + 1 == n);
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "order", list);
    mh_val_map_bool(p, ctx, "manual", n > 1);
}
