/* The legacy URL screens (admin only, MH_PERM_SETTINGS): the old site's
 * URLs an import mapped (content/legacy.h) listed with a search and pages,
 * one added, edited or deleted by hand. Paths are normalised by the
 * content layer (the form shows what was stored); targets are an entry or
 * a column by id, or a fixed URL that must pass mh_content_url_ok. Every
 * write carries its audit line in the same transaction. */
#include <stdio.h>
#include <string.h>

#include "../content/legacy.h"
#include "../http/form.h"
#include "../http/url.h"
#include "accounts_internal.h"

#define PAGE_SIZE 50

static const char *tr(mh_admin_t *a, mh_req_t *req, const char *key)
{
    return mh_admin_text(a, req, key, key);
}

static const char *form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

static int64_t to_id(const char *s)
{
    unsigned long long v = 0;
    return s && *s && mh_str_to_u64(mh_str_c(s), INT64_MAX, &v) ? (int64_t)v : 0;
}

/* The row as the list and the form show it. */
static mh_val_t *row_val(mh_admin_t *a, mh_req_t *req, const mh_legacy_url_t *u)
{
    mh_pool_t *p = req->pool;
    mh_val_t *m = mh_val_map(p);
    const char *base = mh_admin_base(a);
    const char *to = mh_content_legacy_target(mh_admin_content(a), p, u);
    mh_val_map_int(p, m, "id", u->id);
    mh_val_map_cstr(p, m, "path", u->path);
    mh_val_map_cstr(p, m, "kind", u->target_kind);
    mh_val_map_cstr(p, m, "kind_label",
                    tr(a, req, mh_psprintf(p, "legacy.kind_%s", u->target_kind)));
    mh_val_map_int(p, m, "target_id", u->target_id);
    mh_val_map_cstr(p, m, "target_url", u->target_url);
    mh_val_map_cstr(p, m, "to", to ? to : "");
    mh_val_map_bool(p, m, "dead", to == NULL);
    mh_val_map_cstr(p, m, "source", u->source);
    mh_val_map_bool(p, m, "is_entry", strcmp(u->target_kind, MH_LEGACY_ENTRY) == 0);
    mh_val_map_bool(p, m, "is_column", strcmp(u->target_kind, MH_LEGACY_COLUMN) == 0);
    mh_val_map_bool(p, m, "is_url", strcmp(u->target_kind, MH_LEGACY_URL) == 0);
    mh_val_map_cstr(p, m, "edit_url",
                    mh_psprintf(p, "%s/legacy-urls/edit/%lld", base, (long long)u->id));
    mh_val_map_cstr(p, m, "delete_action",
                    mh_psprintf(p, "%s/legacy-urls/delete/%lld", base, (long long)u->id));
    return m;
}

/* The form's values as a row (for a re-shown form). */
static mh_legacy_url_t from_form(mh_req_t *req)
{
    mh_legacy_url_t u = {.path = form(req, "path"),
                         .target_kind = form(req, "kind"),
                         .target_id = to_id(form(req, "target_id")),
                         .target_url = form(req, "target_url")};
    return u;
}

static int render_list(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const mh_legacy_url_t *values, const char *error_key)
{
    mh_pool_t *p = req->pool;
    const char *q = mh_admin_query(req, "q");
    int64_t pageno = to_id(mh_admin_query(req, "page")), total = 0;
    if (pageno < 1)
        pageno = 1;
    mh_legacy_url_t *rows = NULL;
    size_t n = 0;
    if (mh_content_legacy_list(mh_admin_content(a), p, q ? q : "", (pageno - 1) * PAGE_SIZE,
                               PAGE_SIZE, &rows, &n, &total) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++)
        mh_val_list_push(p, list, row_val(a, req, &rows[i]));
    const char *base = mh_admin_base(a);
    const char *qe = mh_url_encode(p, mh_str_c(q ? q : ""));
    mh_val_map_set(p, ctx, "urls", list);
    mh_val_map_bool(p, ctx, "has_urls", n > 0);
    mh_val_map_int(p, ctx, "total", total);
    mh_val_map_cstr(p, ctx, "q", q ? q : "");
    mh_val_map_cstr(p, ctx, "search_action", mh_psprintf(p, "%s/legacy-urls", base));
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/legacy-urls", base));
    int64_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    mh_val_map_int(p, ctx, "page", pageno);
    mh_val_map_int(p, ctx, "pages", pages ? pages : 1);
    if (pageno > 1)
        mh_val_map_cstr(
            p, ctx, "prev_url",
            mh_psprintf(p, "%s/legacy-urls?q=%s&page=%lld", base, qe, (long long)(pageno - 1)));
    if (pageno < pages)
        mh_val_map_cstr(
            p, ctx, "next_url",
            mh_psprintf(p, "%s/legacy-urls?q=%s&page=%lld", base, qe, (long long)(pageno + 1)));
    if (values)
        mh_val_map_set(p, ctx, "form", row_val(a, req, values));
    if (error_key)
        mh_val_map_cstr(p, ctx, "error", tr(a, req, error_key));
    return mh_admin_render(a, req, resp, status, "legacy_urls", tr(a, req, "legacy.title"), ctx);
}

static const char *error_key(int rc)
{
    return rc == MH_DECLINED ? "legacy.err_taken" : "legacy.err_invalid";
}

static int h_list(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    if (req->method != MH_M_POST)
        return render_list(a, req, resp, 200, NULL, NULL);
    mh_legacy_url_t u = from_form(req), shown = u;
    u.source = "admin";
    int64_t id = 0;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_content_legacy_add(c, req->pool, &u, &id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "legacy_url.create",
                                mh_psprintf(req->pool, "legacy_url:%lld", (long long)id),
                                mh_psprintf(req->pool, "path=%s", u.path));
        int end = mh_content_tx_end(c, rc == MH_DECLINED || rc == MH_INVALID ? MH_OK : rc);
        if (rc == MH_OK)
            rc = end;
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_DECLINED || rc == MH_INVALID)
        return render_list(a, req, resp, 422, &shown, error_key(rc));
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/legacy-urls", "legacy_added");
    return MH_OK;
}

static bool url_param(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_legacy_url_t *out)
{
    int64_t id = mh_req_param_id(req, "id");
    if (!id || mh_content_legacy_get(mh_admin_content(a), req->pool, id, out) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    return true;
}

static int render_edit(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const mh_legacy_url_t *u, const char *err)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_map_set(p, ctx, "form", row_val(a, req, u));
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/legacy-urls/edit/%lld", mh_admin_base(a), (long long)u->id));
    mh_val_map_cstr(p, ctx, "back_url", mh_psprintf(p, "%s/legacy-urls", mh_admin_base(a)));
    if (err)
        mh_val_map_cstr(p, ctx, "error", tr(a, req, err));
    return mh_admin_render(a, req, resp, status, "legacy_url_edit", tr(a, req, "legacy.edit"), ctx);
}

static int h_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_legacy_url_t u;
    if (!url_param(a, req, resp, &u))
        return MH_OK;
    if (req->method != MH_M_POST)
        return render_edit(a, req, resp, 200, &u, NULL);
    mh_legacy_url_t in = from_form(req), shown = in;
    in.id = shown.id = u.id;
    shown.source = u.source;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_content_legacy_update(c, req->pool, &in);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "legacy_url.update",
                                mh_psprintf(req->pool, "legacy_url:%lld", (long long)u.id),
                                mh_psprintf(req->pool, "path=%s", in.path));
        int end = mh_content_tx_end(c, rc == MH_DECLINED || rc == MH_INVALID ? MH_OK : rc);
        if (rc == MH_OK)
            rc = end;
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_DECLINED || rc == MH_INVALID)
        return render_edit(a, req, resp, 422, &shown, error_key(rc));
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/legacy-urls", "legacy_saved");
    return MH_OK;
}

static int h_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_legacy_url_t u;
    if (!url_param(a, req, resp, &u))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_content_legacy_delete(c, u.id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "legacy_url.delete",
                                mh_psprintf(req->pool, "legacy_url:%lld", (long long)u.id),
                                mh_psprintf(req->pool, "path=%s", u.path));
        rc = mh_content_tx_end(c, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/legacy-urls", "legacy_deleted");
    return MH_OK;
}

static void row(mh_admin_t *a, mh_routes_t *t, unsigned method, const char *path, mh_handler_fn fn)
{
    const mh_route_t r = {
        .methods = method,
        .pattern = mh_admin_pattern(a, path),
        .auth = MH_AUTH_SESSION,
        .permission = MH_PERM_SETTINGS,
        .csrf = method == MH_M_POST,
        .handler = fn,
        .data = a,
    };
    mh_routes_add(t, &r);
}

void mh_admin_legacy_routes(mh_admin_t *a, mh_routes_t *t)
{
    row(a, t, MH_M_GET, "/legacy-urls", h_list);
    row(a, t, MH_M_POST, "/legacy-urls", h_list);
    row(a, t, MH_M_GET, "/legacy-urls/edit/:id", h_edit);
    row(a, t, MH_M_POST, "/legacy-urls/edit/:id", h_edit);
    row(a, t, MH_M_POST, "/legacy-urls/delete/:id", h_delete);
    row(a, t, MH_M_GET, "/legacy-urls/*", mh_admin_h_not_found);
}
