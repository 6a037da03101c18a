/* The column tree: the management page, the column form (create, edit,
 * move by changing the parent), reordering among siblings, deletion (with
 * the offer to move entries out first), and the per-column entry list the
 * left pane links to. */
#include <stdio.h>
#include <string.h>

#include "../content/fields.h"
#include "../content/types.h"
#include "../store/store.h"
#include "../content/validate.h"
#include "accounts_internal.h"
#include "products.h"
#include "editorial_internal.h"

/* The content language a page works in: ?lang=<code or id>, else the
 * default language. */
static int64_t page_lang(mh_admin_t *a, mh_req_t *req)
{
    mh_language_t *langs;
    size_t n = 0;
    const char *q = ed_query(req, "lang");
    if (mh_content_languages(mh_admin_content(a), req->pool, &langs, &n) != MH_OK || n == 0)
        return 0;
    for (size_t i = 0; q && i < n; i++)
        if (strcmp(langs[i].code, q) == 0 || langs[i].id == ed_parse_id(q))
            return langs[i].id;
    for (size_t i = 0; i < n; i++)
        if (langs[i].is_default)
            return langs[i].id;
    return langs[0].id;
}

static const char *lang_code(mh_admin_t *a, mh_pool_t *p, int64_t lang_id)
{
    mh_language_t *langs;
    size_t n = 0;
    if (mh_content_languages(mh_admin_content(a), p, &langs, &n) == MH_OK)
        for (size_t i = 0; i < n; i++)
            if (langs[i].id == lang_id)
                return langs[i].code;
    return "";
}

int ed_h_columns(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    int64_t lang = page_lang(a, req);
    mh_column_t *cols;
    size_t n = 0;
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    if (mh_content_columns(mh_admin_content(a), p, lang, &cols, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id))
            continue;
        mh_val_t *m = mh_val_map(p);
        long long id = (long long)cols[i].id;
        mh_val_map_int(p, m, "id", cols[i].id);
        mh_val_map_cstr(p, m, "name", cols[i].name);
        mh_val_map_cstr(p, m, "path", cols[i].path);
        mh_val_map_cstr(p, m, "module", ed_label(a, req, "module", mh_module_name(cols[i].module)));
        mh_val_map_cstr(p, m, "depth_class",
                        mh_psprintf(p, "d%d", cols[i].depth > 5 ? 5 : cols[i].depth));
        mh_val_map_bool(p, m, "visible", cols[i].visible);
        mh_val_map_cstr(p, m, "entries_href", mh_psprintf(p, "%s/columns/%lld/entries", base, id));
        mh_val_map_cstr(p, m, "edit_href", mh_psprintf(p, "%s/columns/edit/%lld", base, id));
        mh_val_map_cstr(p, m, "up_action", mh_psprintf(p, "%s/columns/up/%lld", base, id));
        mh_val_map_cstr(p, m, "down_action", mh_psprintf(p, "%s/columns/down/%lld", base, id));
        mh_val_map_cstr(p, m, "delete_href", mh_psprintf(p, "%s/columns/delete/%lld", base, id));
        mh_val_map_cstr(p, m, "child_href", mh_psprintf(p, "%s/columns/new?parent=%lld", base, id));
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "columns", list);
    mh_val_map_bool(p, ctx, "has_columns", list->u.list.n > 0);
    mh_val_map_set(p, ctx, "langs", ed_lang_options(a, p, lang));
    mh_val_map_cstr(p, ctx, "new_href",
                    mh_psprintf(p, "%s/columns/new?lang=%lld", base, (long long)lang));
    mh_val_map_bool(p, ctx, "may_top", mh_admin_may_column(a, u, 0, lang));
    mh_admin_render(a, req, resp, 200, "editorial_columns", ed_t(a, req, "ed.msg.columns"), ctx);
    return MH_OK;
}

static void option_list(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const char *key,
                        const char *const *names, size_t n, const char *selected)
{
    mh_pool_t *p = req->pool;
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "value", names[i]);
        mh_val_map_cstr(p, m, "label", ed_label(a, req, mh_psprintf(p, "label.%s", key), names[i]));
        mh_val_map_bool(p, m, "selected", selected && strcmp(names[i], selected) == 0);
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, key, list);
}

/* The columns of the other languages, for "this column translates": the
 * value is the other column's translation group, selected when this column
 * already shares it. */
static mh_val_t *translation_options(mh_admin_t *a, mh_req_t *req, const mh_column_t *col)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_language_t *langs = NULL;
    size_t nl = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        return list;
    for (size_t l = 0; l < nl; l++) {
        mh_column_t *cols = NULL;
        size_t nc = 0;
        if (langs[l].id == col->lang_id ||
            mh_content_columns(c, p, langs[l].id, &cols, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (mh_content_type_is(cols[i].module, MH_TYPE_REDIRECT))
                continue;
            mh_val_t *m = mh_val_map(p);
            mh_val_map_int(p, m, "value", cols[i].translation_group);
            mh_val_map_cstr(
                p, m, "label",
                mh_psprintf(p, "%s (%s, /%s/)", cols[i].name, langs[l].code, cols[i].path));
            mh_val_map_bool(p, m, "selected",
                            col->id && col->translation_group == cols[i].translation_group);
            mh_val_list_push(p, list, m);
        }
    }
    return list;
}

static void column_form_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_column_t *col,
                            const char *error)
{
    mh_pool_t *p = req->pool;
    static const char *const navs[] = {"hidden", "header", "footer", "both"};
    static const char *const sorts[] = {"newest", "oldest", "manual", "title", "hits"};
    mh_val_t *c = mh_val_map(p);
    mh_val_map_int(p, c, "id", col->id);
    mh_val_map_cstr(p, c, "name", col->name);
    mh_val_map_cstr(p, c, "slug", col->slug);
    mh_val_map_cstr(p, c, "summary", col->summary);
    mh_val_map_cstr(p, c, "body", col->body_html);
    mh_val_map_cstr(p, c, "link_url", col->link_url);
    mh_val_map_cstr(p, c, "seo_title", col->seo_title);
    mh_val_map_cstr(p, c, "seo_keywords", col->seo_keywords);
    mh_val_map_cstr(p, c, "seo_description", col->seo_description);
    mh_val_map_int(p, c, "page_size", col->page_size ? col->page_size : 20);
    mh_val_map_bool(p, c, "visible", col->visible);
    mh_val_map_int(p, c, "lang_id", col->lang_id);
    mh_val_map_set(p, ctx, "column", c);
    /* every content type of the table in content/types.c, labelled by its
     * "module.<name>" string */
    size_t ntypes = 0;
    const mh_content_type_t *types = mh_content_types(&ntypes);
    mh_val_t *mods = mh_val_list(p);
    for (size_t i = 0; i < ntypes; i++) {
        mh_val_t *m = mh_val_map(p);
        const char *label = mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req),
                                              mh_psprintf(p, "module.%s", types[i].name));
        mh_val_map_cstr(p, m, "value", types[i].name);
        mh_val_map_cstr(p, m, "label", label ? label : types[i].name);
        mh_val_map_bool(p, m, "selected", col->module && strcmp(types[i].name, col->module) == 0);
        mh_val_list_push(p, mods, m);
    }
    mh_val_map_set(p, ctx, "modules", mods);
    option_list(a, req, ctx, "navs", navs, MH_ARRAY_LEN(navs), mh_store_nav_name(col->nav));
    option_list(a, req, ctx, "sorts", sorts, MH_ARRAY_LEN(sorts),
                mh_store_sort_name(col->sort_mode));
    mh_val_map_set(p, ctx, "parents",
                   ed_column_options(a, req, col->lang_id, col->parent_id, col->id, false));
    mh_val_map_bool(p, ctx, "top_selected", col->parent_id == 0);
    mh_val_map_set(p, ctx, "translations", translation_options(a, req, col));
    mh_admin_products_column_ctx(a, req, ctx, col);
    if (error)
        mh_val_map_cstr(p, ctx, "error", error);
}

static void fields_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, int64_t column_id,
                       int64_t err_id, const char *error, const mh_field_def_t *sent);

/* Read the form into col; on invalid input return a message for the user. */
static const char *column_from_form(mh_admin_t *a, mh_req_t *req, mh_column_t *col)
{
    const char *body = ed_form(req, "body");
    const char *link = ed_form(req, "link_url");
    int v;
    col->name = ed_form(req, "name");
    col->slug = ed_form(req, "slug");
    col->parent_id = ed_form_int(req, "parent_id");
    col->module = mh_module_parse(ed_form(req, "module"));
    v = mh_store_nav_parse(ed_form(req, "nav"));
    col->nav = v < 0 ? MH_NAV_HEADER : v;
    v = mh_store_sort_parse(ed_form(req, "sort_mode"));
    col->sort_mode = v < 0 ? MH_SORT_NEWEST : (mh_sort_t)v;
    col->page_size = (int)ed_form_int(req, "page_size");
    col->visible = ed_form_bool(req, "visible");
    col->summary = ed_form(req, "summary");
    col->seo_title = ed_form(req, "seo_title");
    col->seo_keywords = ed_form(req, "seo_keywords");
    col->seo_description = ed_form(req, "seo_description");
    /* the column it translates (a group shared with columns of other
     * languages); 0: none, a group of its own. Absent: unchanged. */
    if (*ed_form(req, "translation_group"))
        col->translation_group = ed_form_int(req, "translation_group");
    col->link_url = link;
    if (!*col->name)
        return ed_t(a, req, "ed.msg.a_column_needs_a_name");
    if (!col->module)
        return ed_t(a, req, "ed.msg.unknown_module_type");
    if (col->page_size < 1 || col->page_size > 200)
        return ed_t(a, req, "ed.msg.page_size_must_be_between");
    if (!mh_content_url_ok(link))
        return mh_admin_text(a, req, "err.bad_url", "err.bad_url");
    if (mh_content_type_is(col->module, MH_TYPE_REDIRECT) && !*link)
        return ed_t(a, req, "ed.msg.a_link_column_needs_a");
    /* the content layer sanitises it */
    col->body_html = body;
    return NULL;
}

/* What to tell the user about a column write that failed with rc. */
static const char *column_save_error(mh_admin_t *a, mh_req_t *req, int rc)
{
    if (rc == MH_TOOBIG)
        return ed_t(a, req, "ed.msg.the_page_body_is_too");
    if (rc == MH_INVALID)
        return mh_admin_text(a, req, "err.bad_url", "err.bad_url");
    return ed_t(a, req, "ed.msg.the_column_could_not_be");
}

/* May the user place a column of lang under parent (0: top level)? */
static bool may_parent(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, int64_t parent,
                       int64_t lang)
{
    mh_column_t pc;
    if (!parent)
        return mh_admin_may_column(a, u, 0, lang);
    if (mh_content_column_get(mh_admin_content(a), p, parent, &pc) != MH_OK)
        return false;
    return pc.lang_id == lang && mh_admin_may_column(a, u, parent, lang);
}

int ed_h_column_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_val_t *ctx = mh_val_map(p);
    mh_column_t col = {.module = MH_MODULE_ARTICLE,
                       .nav = MH_NAV_HEADER,
                       .page_size = 20,
                       .visible = true,
                       .name = "",
                       .slug = ""};
    const char *error = NULL;
    int64_t id = 0;
    col.lang_id = page_lang(a, req);
    col.parent_id = ed_parse_id(ed_query(req, "parent"));
    if (req->method == MH_M_POST) {
        col.lang_id = ed_form_int(req, "lang_id");
        error = column_from_form(a, req, &col);
    }
    if (col.parent_id) {
        mh_column_t pc;
        if (mh_content_column_get(c, p, col.parent_id, &pc) != MH_OK) {
            mh_admin_error(a, req, resp, 404, "not_found");
            return MH_OK;
        }
        if (req->method != MH_M_POST)
            col.lang_id = pc.lang_id;
    }
    if (!may_parent(a, p, u, col.parent_id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    if (req->method == MH_M_POST && !error) {
        /* A new column goes last among its siblings. */
        mh_column_t *all;
        size_t na = 0;
        if (mh_content_columns(c, p, col.lang_id, &all, &na) == MH_OK)
            for (size_t i = 0; i < na; i++)
                if (all[i].parent_id == col.parent_id && all[i].position >= col.position)
                    col.position = all[i].position + 1;
        int rc = mh_content_tx_begin(c);
        if (rc == MH_OK) {
            rc = mh_content_column_create(c, &col, &id);
            col.id = id;
            if (rc == MH_OK)
                rc = mh_admin_products_column_save(a, req, &col);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "column.create", ed_obj(p, "column", id), col.name);
            rc = mh_content_tx_end(c, rc);
        }
        if (rc == MH_OK) {
            mh_admin_redirect(a, req, resp,
                              mh_psprintf(p, "/columns?lang=%s", lang_code(a, p, col.lang_id)),
                              "saved");
            return MH_OK;
        }
        if (mh_admin_nospace(a, req, resp, rc))
            return MH_OK;
        col.id = 0;
        error = column_save_error(a, req, rc);
    }
    column_form_ctx(a, req, ctx, &col, error);
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/columns/new", mh_admin_base(a)));
    mh_val_map_bool(p, ctx, "is_new", true);
    mh_admin_render(a, req, resp, error ? 422 : 200, "editorial_column_form",
                    ed_t(a, req, "ed.msg.new_column"), ctx);
    return MH_OK;
}

int ed_h_column_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = mh_req_param_id(req, "id");
    mh_column_t col, old;
    mh_val_t *ctx = mh_val_map(p);
    const char *error = NULL;
    if (!id || mh_editorial_column_get(c, p, id, &old) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_column(a, u, id, old.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    col = old;
    if (req->method == MH_M_POST) {
        error = column_from_form(a, req, &col);
        col.id = id;
        col.lang_id = old.lang_id;
        col.position = old.position;
        if (!error && col.parent_id != old.parent_id &&
            !may_parent(a, p, u, col.parent_id, col.lang_id)) {
            mh_admin_error(a, req, resp, 403, "forbidden");
            return MH_OK;
        }
        if (!error) {
            /* The move, the update and their audit lines: one transaction. */
            int rc = mh_content_tx_begin(c);
            bool began = rc == MH_OK;
            if (rc == MH_OK && col.parent_id != old.parent_id) {
                /* Moves first: refused under the column's own subtree. */
                rc = mh_editorial_column_move(c, id, col.parent_id);
                if (rc == MH_OK) {
                    mh_column_t moved;
                    if (mh_editorial_column_get(c, p, id, &moved) == MH_OK)
                        col.position = moved.position;
                    rc = mh_admin_audit(a, req, "column.move", ed_obj(p, "column", id),
                                        mh_psprintf(p, "parent %lld", (long long)col.parent_id));
                } else {
                    error = ed_t(a, req, "ed.msg.a_column_cannot_move_under");
                }
            }
            if (rc == MH_OK)
                rc = mh_content_column_update(c, &col);
            if (rc == MH_OK)
                rc = mh_admin_products_column_save(a, req, &col);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "column.update", ed_obj(p, "column", id), col.name);
            if (began)
                rc = mh_content_tx_end(c, rc);
            if (rc == MH_OK) {
                mh_admin_redirect(a, req, resp, mh_psprintf(p, "/columns/edit/%lld", (long long)id),
                                  "saved");
                return MH_OK;
            }
            if (mh_admin_nospace(a, req, resp, rc))
                return MH_OK;
            if (!error)
                error = column_save_error(a, req, rc);
        }
    }
    column_form_ctx(a, req, ctx, &col, error);
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/columns/edit/%lld", mh_admin_base(a), (long long)id));
    mh_val_map_cstr(p, ctx, "delete_href",
                    mh_psprintf(p, "%s/columns/delete/%lld", mh_admin_base(a), (long long)id));
    fields_ctx(a, req, ctx, id, -1, NULL, NULL);
    mh_admin_render(a, req, resp, error ? 422 : 200, "editorial_column_form",
                    ed_t(a, req, "ed.msg.edit_column"), ctx);
    return MH_OK;
}

static int reorder(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, const char *which, int dir)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    int64_t id = mh_req_param_id(req, "id");
    mh_column_t col;
    if (!id || mh_content_column_get(c, p, id, &col) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_column_reorder(c, id, dir);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "column.reorder", ed_obj(p, "column", id), which);
        rc = mh_content_tx_end(c, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    mh_admin_redirect(a, req, resp,
                      mh_psprintf(p, "/columns?lang=%s", lang_code(a, p, col.lang_id)), NULL);
    return MH_OK;
}

int ed_h_column_up(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return reorder(req, resp, data, "up", -1);
}

int ed_h_column_down(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return reorder(req, resp, data, "down", 1);
}

int ed_h_column_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = mh_req_param_id(req, "id");
    int64_t count = 0, move_to = 0;
    mh_column_t col;
    mh_val_t *ctx = mh_val_map(p);
    int status = 200;
    if (!id || mh_content_column_get(c, p, id, &col) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_column(a, u, id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    mh_editorial_column_count(c, id, &count);
    if (req->method == MH_M_POST) {
        move_to = ed_form_int(req, "move_to");
        if (move_to && !mh_admin_may_column(a, u, move_to, col.lang_id)) {
            mh_admin_error(a, req, resp, 403, "forbidden");
            return MH_OK;
        }
        int rc = mh_content_tx_begin(c);
        if (rc == MH_OK) {
            rc = mh_editorial_column_delete(c, id, move_to);
            if (rc == MH_OK)
                rc = mh_admin_audit(
                    a, req, "column.delete", ed_obj(p, "column", id),
                    move_to ? mh_psprintf(p, "%s; %lld entries moved to column:%lld", col.name,
                                          (long long)count, (long long)move_to)
                            : col.name);
            rc = mh_content_tx_end(c, rc);
        }
        if (mh_admin_nospace(a, req, resp, rc))
            return MH_OK;
        if (rc == MH_OK) {
            mh_admin_redirect(a, req, resp,
                              mh_psprintf(p, "/columns?lang=%s", lang_code(a, p, col.lang_id)),
                              "column_deleted");
            return MH_OK;
        }
        status = 409;
        mh_val_map_cstr(p, ctx, "error",
                        rc == MH_DECLINED ? ed_t(a, req, "ed.msg.this_column_still_holds_entries")
                                          : ed_t(a, req, "ed.msg.entries_can_only_move_to"));
    }
    mh_val_t *cv = mh_val_map(p);
    mh_val_map_int(p, cv, "id", id);
    mh_val_map_cstr(p, cv, "name", col.name);
    mh_val_map_set(p, ctx, "column", cv);
    mh_val_map_int(p, ctx, "count", count);
    mh_val_map_bool(p, ctx, "has_entries", count > 0);
    mh_val_t *targets = ed_column_options(a, req, col.lang_id, 0, id, true);
    mh_val_map_set(p, ctx, "targets", targets);
    mh_val_map_bool(p, ctx, "has_targets", targets->u.list.n > 0);
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/columns/delete/%lld", mh_admin_base(a), (long long)id));
    mh_admin_render(a, req, resp, status, "editorial_column_delete",
                    ed_t(a, req, "ed.msg.delete_column"), ctx);
    return MH_OK;
}

/* ---- custom field definitions: the section under the column form ---- */

/* A content-layer message key ("field.error.number") in the user's
 * language; the key itself when the strings lack it. */
static const char *msg_text(mh_admin_t *a, mh_req_t *req, const char *key)
{
    const char *t = key ? mh_admin_t_lookup(a, req->pool, mh_admin_req_lang(a, req), key) : NULL;
    return t ? t : (key ? key : "");
}

static mh_val_t *kind_options(mh_pool_t *p, mh_field_kind_t selected)
{
    mh_val_t *l = mh_val_list(p);
    for (int k = MH_FIELD_TEXT; mh_field_kind_name((mh_field_kind_t)k); k++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "value", mh_field_kind_name((mh_field_kind_t)k));
        mh_val_map_bool(p, m, "selected", (int)selected == k);
        mh_val_list_push(p, l, m);
    }
    return l;
}

/* The column's definitions with their forms; err_id/error: a refused
 * submission (err_id 0: the form for a new field), shown with the values
 * sent in *sent. */
static void fields_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, int64_t column_id,
                       int64_t err_id, const char *error, const mh_field_def_t *sent)
{
    mh_pool_t *p = req->pool;
    const char *base = mh_admin_base(a);
    mh_field_def_t *defs;
    size_t n = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_fields_defs(mh_admin_content(a), p, column_id, &defs, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        const mh_field_def_t *d = err_id == defs[i].id && sent ? sent : &defs[i];
        long long id = (long long)defs[i].id;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", defs[i].id);
        mh_val_map_cstr(p, m, "key", defs[i].key);
        mh_val_map_cstr(p, m, "kind", mh_field_kind_name(d->kind));
        mh_val_map_set(p, m, "kinds", kind_options(p, d->kind));
        mh_val_map_cstr(p, m, "label", d->label);
        mh_val_map_cstr(p, m, "help", d->help);
        mh_val_map_cstr(p, m, "options", d->options);
        mh_val_map_bool(p, m, "required", d->required);
        mh_val_map_bool(p, m, "show_in_list", d->show_in_list);
        mh_val_map_bool(p, m, "filterable", d->filterable);
        mh_val_map_bool(p, m, "first", i == 0);
        mh_val_map_bool(p, m, "last", i + 1 == n);
        mh_val_map_cstr(p, m, "edit_action",
                        mh_psprintf(p, "%s/columns/fields/edit/%lld", base, id));
        mh_val_map_cstr(p, m, "delete_action",
                        mh_psprintf(p, "%s/columns/fields/delete/%lld", base, id));
        mh_val_map_cstr(p, m, "up_action", mh_psprintf(p, "%s/columns/fields/up/%lld", base, id));
        mh_val_map_cstr(p, m, "down_action",
                        mh_psprintf(p, "%s/columns/fields/down/%lld", base, id));
        if (err_id == defs[i].id && error)
            mh_val_map_cstr(p, m, "error", error);
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "fields", list);
    mh_val_map_bool(p, ctx, "has_fields", n > 0);
    mh_val_t *nf = mh_val_map(p);
    const mh_field_def_t *d = err_id == 0 && sent ? sent : NULL;
    mh_val_map_cstr(p, nf, "action",
                    mh_psprintf(p, "%s/columns/fields/new/%lld", base, (long long)column_id));
    mh_val_map_set(p, nf, "kinds", kind_options(p, d ? d->kind : MH_FIELD_TEXT));
    mh_val_map_cstr(p, nf, "key", d ? d->key : "");
    mh_val_map_cstr(p, nf, "label", d ? d->label : "");
    mh_val_map_cstr(p, nf, "help", d ? d->help : "");
    mh_val_map_cstr(p, nf, "options", d ? d->options : "");
    mh_val_map_bool(p, nf, "required", d && d->required);
    mh_val_map_bool(p, nf, "show_in_list", d && d->show_in_list);
    mh_val_map_bool(p, nf, "filterable", d && d->filterable);
    if (err_id == 0 && error)
        mh_val_map_cstr(p, nf, "error", error);
    mh_val_map_set(p, ctx, "new_field", nf);
}

static void def_from_form(mh_req_t *req, mh_field_def_t *d)
{
    d->key = ed_form(req, "key");
    d->kind = mh_field_kind_parse(ed_form(req, "kind"));
    d->label = ed_form(req, "label");
    d->help = ed_form(req, "help");
    d->options = ed_form(req, "options");
    d->required = ed_form_bool(req, "required");
    d->show_in_list = ed_form_bool(req, "show_in_list");
    d->filterable = ed_form_bool(req, "filterable");
}

/* The id after /columns/fields/<which>/, and the column it concerns (the
 * column itself for "new", the definition's column otherwise), checked
 * against the user's grants. False when the response is filled (404/403). */
static bool field_target(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const char *which,
                         mh_column_t *col, mh_field_def_t *def)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    (void)which;
    int64_t id = mh_req_param_id(req, "id");
    int64_t column_id = id;
    if (id && def) {
        if (mh_fields_def_get(c, p, id, def) != MH_OK)
            id = 0;
        column_id = def->column_id;
    }
    if (!id || mh_editorial_column_get(c, p, column_id, col) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), col->id, col->lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return false;
    }
    return true;
}

/* The column page again, 422, with the refused field form. */
static void field_refused(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_column_t *col,
                          int64_t def_id, const char *msg_key, const mh_field_def_t *sent)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    long long id = (long long)col->id;
    column_form_ctx(a, req, ctx, col, NULL);
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/columns/edit/%lld", mh_admin_base(a), id));
    mh_val_map_cstr(p, ctx, "delete_href",
                    mh_psprintf(p, "%s/columns/delete/%lld", mh_admin_base(a), id));
    fields_ctx(a, req, ctx, col->id, def_id, msg_text(a, req, msg_key), sent);
    mh_admin_render(a, req, resp, 422, "editorial_column_form",
                    mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), "ed.columns.edit"), ctx);
}

static void back_to_column(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int64_t column_id,
                           const char *flash)
{
    mh_admin_redirect(a, req, resp,
                      mh_psprintf(req->pool, "/columns/edit/%lld#fields", (long long)column_id),
                      flash);
}

int ed_h_field_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_column_t col;
    mh_field_def_t d = {0};
    const char *msg = NULL;
    int64_t id = 0;
    if (!field_target(a, req, resp, "new", &col, NULL))
        return MH_OK;
    def_from_form(req, &d);
    d.column_id = col.id;
    if (mh_fields_def_create(mh_admin_content(a), &d, &id, &msg) != MH_OK) {
        field_refused(a, req, resp, &col, 0, msg ? msg : "field.error.save", &d);
        return MH_OK;
    }
    mh_admin_audit(a, req, "column.field.create", ed_obj(req->pool, "column", col.id), d.key);
    back_to_column(a, req, resp, col.id, "field_saved");
    return MH_OK;
}

int ed_h_field_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_column_t col;
    mh_field_def_t old, d;
    const char *msg = NULL;
    if (!field_target(a, req, resp, "edit", &col, &old))
        return MH_OK;
    d = old;
    def_from_form(req, &d);
    d.id = old.id;
    d.key = old.key;
    d.position = old.position;
    if (mh_fields_def_update(mh_admin_content(a), &d, &msg) != MH_OK) {
        field_refused(a, req, resp, &col, old.id, msg ? msg : "field.error.save", &d);
        return MH_OK;
    }
    mh_admin_audit(a, req, "column.field.update", ed_obj(req->pool, "column", col.id), d.key);
    back_to_column(a, req, resp, col.id, "field_saved");
    return MH_OK;
}

int ed_h_field_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_column_t col;
    mh_field_def_t d;
    if (!field_target(a, req, resp, "delete", &col, &d))
        return MH_OK;
    if (mh_fields_def_delete(mh_admin_content(a), d.id) == MH_OK)
        mh_admin_audit(a, req, "column.field.delete", ed_obj(req->pool, "column", col.id), d.key);
    back_to_column(a, req, resp, col.id, "field_deleted");
    return MH_OK;
}

static int field_move(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, const char *which, int dir)
{
    mh_column_t col;
    mh_field_def_t d;
    if (!field_target(a, req, resp, which, &col, &d))
        return MH_OK;
    mh_fields_def_move(mh_admin_content(a), d.id, dir);
    back_to_column(a, req, resp, col.id, NULL);
    return MH_OK;
}

int ed_h_field_up(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return field_move(req, resp, data, "up", -1);
}

int ed_h_field_down(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return field_move(req, resp, data, "down", 1);
}
