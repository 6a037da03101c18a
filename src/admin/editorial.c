/* The editorial feature: its route table and the helpers its pages share.
 * It keeps no state of its own: every handler reaches the admin handle
 * through its route's data pointer.
 *
 * Rows are tried in order: the column management paths (/columns/edit/:id,
 * /columns/up/:id...) need MH_PERM_COLUMNS, /columns/:id/entries only
 * MH_PERM_ENTRIES. Each area ends with a row for the rest of its prefix that
 * answers the themed 404 after the area's own policy, as the area's
 * handlers always did for paths they did not know. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../content/types.h"
#include "../http/url.h"
#include "../store/store.h"
#include "editorial_internal.h"

/* One row per method: a POST row is state-changing (CSRF checked), a GET
 * row is not. */
static void add(mh_admin_t *a, mh_routes_t *t, unsigned methods, const char *path, const char *perm,
                mh_handler_fn fn)
{
    const unsigned each[] = {MH_M_GET, MH_M_POST};
    for (size_t i = 0; i < MH_ARRAY_LEN(each); i++) {
        if (!(methods & each[i]))
            continue;
        const mh_route_t r = {
            .methods = each[i],
            .pattern = mh_admin_pattern(a, path),
            .auth = MH_AUTH_SESSION,
            .permission = perm,
            .csrf = each[i] == MH_M_POST,
            .handler = fn,
            .data = a,
        };
        mh_routes_add(t, &r);
    }
}

void mh_admin_editorial_routes(mh_admin_t *a, mh_routes_t *t)
{
    const unsigned G = MH_M_GET, P = MH_M_POST;
    const char *C = MH_PERM_COLUMNS, *E = MH_PERM_ENTRIES, *R = MH_PERM_REVIEW;
    add(a, t, G, "/columns", C, ed_h_columns);
    add(a, t, G | P, "/columns/new", C, ed_h_column_new);
    add(a, t, G | P, "/columns/edit/:id", C, ed_h_column_edit);
    add(a, t, P, "/columns/up/:id", C, ed_h_column_up);
    add(a, t, P, "/columns/down/:id", C, ed_h_column_down);
    add(a, t, G | P, "/columns/delete/:id", C, ed_h_column_delete);
    add(a, t, P, "/columns/fields/new/:id", C, ed_h_field_new);
    add(a, t, P, "/columns/fields/edit/:id", C, ed_h_field_edit);
    add(a, t, P, "/columns/fields/delete/:id", C, ed_h_field_delete);
    add(a, t, P, "/columns/fields/up/:id", C, ed_h_field_up);
    add(a, t, P, "/columns/fields/down/:id", C, ed_h_field_down);
    add(a, t, P, "/columns/fields/*", C, mh_admin_h_not_found);
    add(a, t, G | P, "/columns/edit/*", C, mh_admin_h_not_found);
    add(a, t, P, "/columns/up/*", C, mh_admin_h_not_found);
    add(a, t, P, "/columns/down/*", C, mh_admin_h_not_found);
    add(a, t, G | P, "/columns/delete/*", C, mh_admin_h_not_found);
    add(a, t, G, "/columns/:id/entries", E, ed_h_column_entries);
    add(a, t, G, "/columns/*", E, mh_admin_h_not_found);
    add(a, t, G, "/entries", E, ed_h_entries);
    add(a, t, G | P, "/entries/new", E, ed_h_entry_new);
    add(a, t, G | P, "/entries/:id", E, ed_h_entry);
    add(a, t, P, "/entries/:id/trash", E, ed_h_entry_trash);
    add(a, t, P, "/entries/:id/up", E, ed_h_entry_up);
    add(a, t, P, "/entries/:id/down", E, ed_h_entry_down);
    add(a, t, P, "/entries/:id/submit", E, ed_h_entry_submit);
    add(a, t, P, "/entries/:id/translate", E, ed_h_entry_translate);
    add(a, t, G, "/entries/:id/revisions", E, ed_h_revisions);
    add(a, t, G, "/entries/:id/revisions/:rev", E, ed_h_revisions);
    add(a, t, P, "/entries/:id/revisions/:rev/restore", E, ed_h_revisions);
    add(a, t, G | P, "/entries/*", E, mh_admin_h_not_found);
    add(a, t, G, "/trash", E, ed_h_trash);
    add(a, t, P, "/trash/:id/restore", E, ed_h_trash_restore);
    add(a, t, P, "/trash/:id/purge", E, ed_h_trash_purge);
    add(a, t, P, "/trash/*", E, mh_admin_h_not_found);
    add(a, t, G, "/review", R, ed_h_review);
    add(a, t, P, "/review/:id/approve", R, ed_h_review_approve);
    add(a, t, P, "/review/:id/return", R, ed_h_review_return);
    add(a, t, P, "/review/*", R, mh_admin_h_not_found);
}

/* ---- helpers ---- */

int64_t ed_parse_id(const char *s)
{
    unsigned long long v;
    if (!s || !mh_str_to_u64(mh_str_c(s), INT64_MAX, &v))
        return 0;
    return (int64_t)v;
}

const char *ed_query(mh_req_t *req, const char *key)
{
    mh_query_param_t params[32];
    size_t n = mh_url_parse_query(req->pool, req->query, params, MH_ARRAY_LEN(params));
    mh_str_t v = mh_url_query_get(params, n, key);
    return v.base ? mh_pstrndup(req->pool, v.base, v.len) : NULL;
}

const char *ed_form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

int64_t ed_form_int(mh_req_t *req, const char *name)
{
    return ed_parse_id(ed_form(req, name));
}

bool ed_form_bool(mh_req_t *req, const char *name)
{
    const char *v = ed_form(req, name);
    return *v && strcmp(v, "0") != 0;
}

bool ed_zh(const mh_admin_user_t *u)
{
    return u && u->ui_lang && strncmp(u->ui_lang, "zh", 2) == 0;
}

const char *ed_t(mh_admin_t *a, mh_req_t *req, const char *key)
{
    /* a missing key shows itself rather than text in one language: the
     * strings test compares the key sets of both languages */
    return mh_admin_text(a, req, key, key);
}

const char *ed_label(mh_admin_t *a, mh_req_t *req, const char *prefix, const char *name)
{
    if (!name || !*name)
        return "";
    char *key = mh_psprintf(req->pool, "%s.%s", prefix, name);
    for (char *c = key + strlen(prefix) + 1; *c; c++)
        if (*c == '.')
            *c = '_';
    const char *s = mh_admin_text(a, req, key, NULL);
    return s ? s : name;
}

const char *ed_tz(mh_admin_t *a, mh_pool_t *p, int64_t lang_id)
{
    const char *tz = mh_content_setting(mh_admin_content(a), p, lang_id, "timezone");
    return tz && *tz ? tz : "+00:00";
}

const char *ed_time_input(mh_pool_t *p, int64_t t, const char *tz)
{
    return t ? mh_format_time(p, t, "%Y-%m-%dT%H:%M:%S", tz) : "";
}

const char *ed_time_show(mh_pool_t *p, int64_t t, const char *tz)
{
    return t ? mh_format_time(p, t, "%Y-%m-%d %H:%M", tz) : "";
}

int64_t *ed_allowed_columns(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, int64_t lang_id,
                            size_t *n, bool *all)
{
    mh_content_t *c = mh_admin_content(a);
    mh_language_t *langs;
    size_t nl = 0, k = 0;
    int64_t *ids = NULL;
    size_t cap = 0;
    *all = true;
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        nl = 0;
    for (size_t l = 0; l < nl; l++) {
        mh_column_t *cols;
        size_t nc;
        if (lang_id && langs[l].id != lang_id)
            continue;
        if (mh_content_columns(c, p, langs[l].id, &cols, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id)) {
                *all = false;
                continue;
            }
            if (k == cap) {
                int64_t *bigger = mh_pnalloc(p, cap ? cap * 2 : 64, sizeof(int64_t));
                if (k)
                    memcpy(bigger, ids, k * sizeof(int64_t));
                ids = bigger;
                cap = cap ? cap * 2 : 64;
            }
            ids[k++] = cols[i].id;
        }
    }
    if (!ids)
        ids = mh_pnalloc(p, 1, sizeof(int64_t));
    *n = k;
    return ids;
}

void ed_scope_filter(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, mh_entry_filter_t *f)
{
    size_t n;
    bool all;
    int64_t *ids;
    if (u->role < MH_ROLE_EDITOR)
        f->author_id = u->id;
    ids = ed_allowed_columns(a, p, u, f->lang_id, &n, &all);
    if (f->column_ids && f->ncolumns) {
        /* Keep only requested columns the user may use. */
        int64_t *keep = mh_pnalloc(p, f->ncolumns, sizeof(int64_t));
        size_t k = 0;
        for (size_t i = 0; i < f->ncolumns; i++)
            for (size_t j = 0; j < n; j++)
                if (ids[j] == f->column_ids[i]) {
                    keep[k++] = f->column_ids[i];
                    break;
                }
        f->column_ids = keep;
        f->ncolumns = k;
        f->restrict_columns = true;
    } else if (!all) {
        f->column_ids = ids;
        f->ncolumns = n;
        f->restrict_columns = true;
    }
}

const char *ed_status_label(mh_admin_t *a, mh_req_t *req, mh_status_t s)
{
    static const char *const keys[] = {"label.status.draft", "label.status.published",
                                       "label.status.scheduled", "label.status.pending"};
    if ((unsigned)s >= MH_ARRAY_LEN(keys))
        s = MH_STATUS_DRAFT;
    return ed_t(a, req, keys[s]);
}

const char *ed_obj(mh_pool_t *p, const char *kind, int64_t id)
{
    return mh_psprintf(p, "%s:%lld", kind, (long long)id);
}

mh_val_t *ed_entry_row(mh_admin_t *a, mh_req_t *req, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    const char *tz = ed_tz(a, p, e->lang_id);
    mh_column_t col;
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", e->id);
    mh_val_map_cstr(p, m, "title", e->title);
    mh_val_map_cstr(p, m, "status", mh_store_status_name(e->status));
    mh_val_map_cstr(p, m, "status_label", ed_status_label(a, req, e->status));
    mh_val_map_cstr(p, m, "author", e->author);
    mh_val_map_cstr(p, m, "publish_at", ed_time_show(p, e->publish_at, tz));
    mh_val_map_cstr(p, m, "updated_at", ed_time_show(p, e->updated_at, tz));
    mh_val_map_int(p, m, "hits", e->hits);
    mh_val_map_bool(p, m, "pinned", e->pinned);
    mh_val_map_bool(p, m, "recommended", e->recommended);
    mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/entries/%lld", base, (long long)e->id));
    if (mh_content_column_get(mh_admin_content(a), p, e->column_id, &col) == MH_OK) {
        mh_val_map_cstr(p, m, "column", col.name);
        mh_val_map_cstr(p, m, "column_href",
                        mh_psprintf(p, "%s/columns/%lld/entries", base, (long long)col.id));
    }
    mh_val_map_bool(p, m, "may_delete", mh_admin_may_entry(a, u, e, MH_ACT_DELETE));
    return m;
}

mh_val_t *ed_pager(mh_pool_t *p, const char *base_href, int64_t page, int64_t total)
{
    mh_val_t *m = mh_val_map(p);
    int64_t pages = (total + ED_PAGE_SIZE - 1) / ED_PAGE_SIZE;
    if (pages < 1)
        pages = 1;
    mh_val_map_int(p, m, "page", page);
    mh_val_map_int(p, m, "pages", pages);
    mh_val_map_int(p, m, "total", total);
    mh_val_map_bool(p, m, "many", pages > 1);
    if (page > 1)
        mh_val_map_cstr(p, m, "prev",
                        mh_psprintf(p, "%spage=%lld", base_href, (long long)page - 1));
    if (page < pages)
        mh_val_map_cstr(p, m, "next",
                        mh_psprintf(p, "%spage=%lld", base_href, (long long)page + 1));
    return m;
}

mh_val_t *ed_lang_options(mh_admin_t *a, mh_pool_t *p, int64_t selected)
{
    mh_language_t *langs;
    size_t n = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_content_languages(mh_admin_content(a), p, &langs, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(p, m, "code", langs[i].code);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_bool(p, m, "selected", langs[i].id == selected);
        mh_val_list_push(p, list, m);
    }
    return list;
}

mh_val_t *ed_column_options(mh_admin_t *a, mh_req_t *req, int64_t lang_id, int64_t selected,
                            int64_t skip_subtree, bool entries_only)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_content_t *c = mh_admin_content(a);
    mh_language_t *langs;
    size_t nl = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        nl = 0;
    for (size_t l = 0; l < nl; l++) {
        mh_column_t *cols;
        size_t nc;
        int skip_depth = -1;
        if (lang_id && langs[l].id != lang_id)
            continue;
        if (mh_content_columns(c, p, langs[l].id, &cols, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (skip_depth >= 0 && cols[i].depth > skip_depth)
                continue;
            skip_depth = -1;
            if (skip_subtree && cols[i].id == skip_subtree) {
                skip_depth = cols[i].depth;
                continue;
            }
            if (entries_only && !mh_content_type_is(cols[i].module, MH_TYPE_ENTRIES))
                continue;
            if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id))
                continue;
            mh_buf_t b;
            mh_buf_init(&b, 4096);
            for (int d = 0; d < cols[i].depth && d < 8; d++)
                mh_buf_append_c(&b, "\xE2\x80\x94 "); /* em dash per level */
            mh_buf_append_c(&b, cols[i].name);
            if (!lang_id)
                mh_buf_printf(&b, " (%s)", langs[l].code);
            mh_val_t *m = mh_val_map(p);
            mh_val_map_int(p, m, "id", cols[i].id);
            mh_val_map_cstr(p, m, "label", b.base ? b.base : "");
            mh_val_map_bool(p, m, "selected", cols[i].id == selected);
            mh_val_list_push(p, list, m);
            mh_buf_free(&b);
        }
    }
    return list;
}
