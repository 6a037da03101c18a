/* Revisions of an entry: the list, a revision against the current version
 * (word diff of title and body source, escaped), and restoring one (which
 * is itself a save, so it leaves a revision too). Reached through the
 * entries route (<base>/entries/<id>/revisions...), after the entry was
 * checked readable by the user. */
#include <string.h>

#include "editorial_internal.h"

static void list(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const char *tz = ed_tz(a, p, e->lang_id);
    mh_revision_t *rs;
    size_t n = 0;
    mh_val_t *ctx = mh_val_map(p), *rows = mh_val_list(p);
    if (mh_editorial_revisions(mh_admin_content(a), p, e->id, 200, &rs, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", rs[i].id);
        mh_val_map_cstr(p, m, "title", rs[i].title);
        mh_val_map_cstr(p, m, "user", rs[i].user_name);
        mh_val_map_cstr(p, m, "at", ed_time_show(p, rs[i].created_at, tz));
        mh_val_map_cstr(p, m, "href",
                        mh_psprintf(p, "%s/entries/%lld/revisions/%lld", mh_admin_base(a),
                                    (long long)e->id, (long long)rs[i].id));
        mh_val_map_bool(p, m, "current", i == 0);
        mh_val_list_push(p, rows, m);
    }
    mh_val_t *ev = mh_val_map(p);
    mh_val_map_int(p, ev, "id", e->id);
    mh_val_map_cstr(p, ev, "title", e->title);
    mh_val_map_cstr(p, ev, "href",
                    mh_psprintf(p, "%s/entries/%lld", mh_admin_base(a), (long long)e->id));
    mh_val_map_set(p, ctx, "entry", ev);
    mh_val_map_set(p, ctx, "revisions", rows);
    mh_admin_render(a, req, resp, 200, "editorial_revisions", ed_t(a, req, "ed.msg.revisions"),
                    ctx);
}

static bool is_public(mh_status_t s)
{
    return s == MH_STATUS_PUBLISHED || s == MH_STATUS_SCHEDULED;
}

/* The entry's revision list (no :rev), one revision, or its restore (a
 * POST): routes /entries/:id/revisions[/:rev[/restore]]. */
static int revisions(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_entry_t e;
    mh_revision_t r;
    int64_t entry_id = mh_req_param_id(req, "id");
    bool one = mh_req_param(req, "rev").base != NULL;
    int64_t rid = mh_req_param_id(req, "rev");
    if (!entry_id || mh_content_entry_get(c, p, entry_id, &e) != MH_OK ||
        !mh_admin_may_entry(a, u, &e, MH_ACT_READ)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!one) {
        list(a, req, resp, &e);
        return MH_OK;
    }
    /* the revision must belong to this entry */
    if (!rid || mh_editorial_revision_get(c, p, rid, &r) != MH_OK || r.entry_id != e.id) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (req->method == MH_M_POST) {
        if (!mh_admin_may_entry(a, u, &e, MH_ACT_EDIT) ||
            (is_public(e.status) && !mh_admin_may_entry(a, u, &e, MH_ACT_PUBLISH))) {
            mh_admin_error(a, req, resp, 403, "forbidden");
            return MH_OK;
        }
        int rc = mh_content_tx_begin(c);
        if (rc == MH_OK) {
            rc = mh_editorial_revision_restore(c, r.id, u->id);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "entry.restore_revision", ed_obj(p, "entry", e.id),
                                    ed_obj(p, "revision", r.id));
            rc = mh_content_tx_end(c, rc);
        }
        if (rc != MH_OK) {
            if (!mh_admin_nospace(a, req, resp, rc))
                mh_admin_error(a, req, resp, 409, NULL);
            return MH_OK;
        }
        mh_admin_redirect(a, req, resp, mh_psprintf(p, "/entries/%lld", (long long)e.id),
                          "revision_restored");
        return MH_OK;
    }
    mh_val_t *ctx = mh_val_map(p), *ev = mh_val_map(p), *rv = mh_val_map(p);
    const char *tz = ed_tz(a, p, e.lang_id);
    mh_val_map_int(p, ev, "id", e.id);
    mh_val_map_cstr(p, ev, "title", e.title);
    mh_val_map_cstr(p, ev, "href",
                    mh_psprintf(p, "%s/entries/%lld", mh_admin_base(a), (long long)e.id));
    mh_val_map_cstr(p, ev, "revisions_href",
                    mh_psprintf(p, "%s/entries/%lld/revisions", mh_admin_base(a), (long long)e.id));
    mh_val_map_int(p, rv, "id", r.id);
    mh_val_map_cstr(p, rv, "user", r.user_name);
    mh_val_map_cstr(p, rv, "at", ed_time_show(p, r.created_at, tz));
    mh_val_map_cstr(p, rv, "restore_action",
                    mh_psprintf(p, "%s/entries/%lld/revisions/%lld/restore", mh_admin_base(a),
                                (long long)e.id, (long long)r.id));
    mh_val_map_set(p, ctx, "entry", ev);
    mh_val_map_set(p, ctx, "revision", rv);
    /* The diff escapes every piece of text it prints; only its own <del>
     * and <ins> are markup. */
    const char *td = mh_editorial_diff(p, r.title, e.title, 0);
    const char *bd = mh_editorial_diff(p, r.body_html, e.body_html, 0);
    mh_val_map_set(p, ctx, "title_diff", mh_val_html(p, mh_str_c(td)));
    mh_val_map_set(p, ctx, "body_diff", mh_val_html(p, mh_str_c(bd)));
    mh_val_map_bool(p, ctx, "same",
                    strcmp(r.title, e.title) == 0 && strcmp(r.body_html ? r.body_html : "",
                                                            e.body_html ? e.body_html : "") == 0);
    mh_val_map_bool(p, ctx, "may_restore", mh_admin_may_entry(a, u, &e, MH_ACT_EDIT));
    mh_admin_render(a, req, resp, 200, "editorial_revision", ed_t(a, req, "ed.msg.revision"), ctx);
    return MH_OK;
}

int ed_h_revisions(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return revisions(req, resp, data);
}
