/* The languages screens (admin only, MH_PERM_SETTINGS): list, add, add by
 * copying another language, edit (prefix, domain, order, public, date
 * format), delete with a confirmation that counts what goes, and the
 * theme's UI strings overridden per language.
 *
 * Every write carries its audit line in the same transaction. The rules
 * for codes, prefixes and domains live in content/languages.c. UI string
 * overrides are settings "ui.<key>" of the language; the public site
 * merges them over the theme's strings (site.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../content/languages.h"
#include "../core/file.h"
#include "../http/server.h"
#include "accounts_internal.h"

#define STRINGS_FILE_MAX (1u << 20)
#define UI_VALUE_MAX 1000

static const char *tr(mh_admin_t *a, mh_req_t *req, const char *key, const char *dflt)
{
    return mh_admin_text(a, req, key, dflt);
}

static const char *form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

/* The language named by the :id parameter, or NULL after a 404 page. */
static bool lang_param(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_language_t *out)
{
    unsigned long long id = 0;
    if (!mh_str_to_u64(mh_req_param(req, "id"), INT64_MAX, &id) || id == 0 ||
        mh_content_language_get(a->content, req->pool, (int64_t)id, out) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    return true;
}

static int page(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *tmpl,
                const char *title_key, mh_val_t *ctx, const char *error_key)
{
    mh_pool_t *p = req->pool;
    if (error_key)
        mh_val_map_cstr(p, ctx, "error", tr(a, req, error_key, error_key));
    return mh_admin_render(a, req, resp, status, tmpl, tr(a, req, title_key, "Languages"), ctx) ==
                   MH_OK
               ? MH_OK
               : MH_ERR;
}

/* --- list, add, copy --- */

static int render_list(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_language_t *ls = NULL;
    size_t n = 0;
    if (mh_content_languages(a->content, p, &ls, &n) != MH_OK)
        return MH_ERR;
    mh_val_t *list = mh_val_list(p);
    const char *base = mh_admin_base(a);
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", ls[i].id);
        mh_val_map_cstr(p, m, "code", ls[i].code);
        mh_val_map_cstr(p, m, "name", ls[i].name);
        mh_val_map_cstr(p, m, "prefix", ls[i].prefix);
        mh_val_map_cstr(p, m, "domain", ls[i].domain);
        mh_val_map_int(p, m, "position", ls[i].position);
        mh_val_map_bool(p, m, "is_default", ls[i].is_default);
        mh_val_map_bool(p, m, "public", mh_content_language_public(&ls[i]));
        mh_val_map_cstr(p, m, "edit_url",
                        mh_psprintf(p, "%s/languages/edit/%lld", base, (long long)ls[i].id));
        mh_val_map_cstr(p, m, "strings_url",
                        mh_psprintf(p, "%s/languages/strings/%lld", base, (long long)ls[i].id));
        mh_val_map_cstr(p, m, "delete_url",
                        mh_psprintf(p, "%s/languages/delete/%lld", base, (long long)ls[i].id));
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "languages", list);
    mh_val_map_int(p, ctx, "next_position", (int64_t)n);
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/languages", base));
    return page(a, req, resp, status, "languages_list", "langs.title", ctx, error_key);
}

static int position_of(mh_req_t *req, int dflt)
{
    unsigned long long v = 0;
    const char *s = form(req, "position");
    if (*s && mh_str_to_u64(mh_str_c(s), 10000, &v))
        return (int)v;
    return dflt;
}

struct audit_ctx {
    mh_admin_t *a;
    mh_req_t *req;
    const char *action, *detail;
};

static int audit_in_tx(void *data, int64_t id)
{
    struct audit_ctx *ac = data;
    return mh_admin_audit(ac->a, ac->req, ac->action,
                          mh_psprintf(ac->req->pool, "language:%lld", (long long)id), ac->detail);
}

static int add(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, bool copy)
{
    mh_pool_t *p = req->pool;
    mh_language_t *ls = NULL;
    size_t n = 0;
    if (mh_content_languages(a->content, p, &ls, &n) != MH_OK)
        return MH_ERR;
    mh_language_t l = {.code = form(req, "code"),
                       .name = form(req, "name"),
                       .prefix = form(req, "prefix"),
                       .domain = form(req, "domain"),
                       .position = position_of(req, (int)n),
                       .hidden = copy || !*form(req, "public")};
    if (!*l.prefix) /* only the default language goes without a prefix */
        return render_list(a, req, resp, 422, "langs.err_invalid");
    int64_t id = 0;
    int rc;
    if (copy) {
        unsigned long long from = 0;
        if (!mh_str_to_u64(mh_str_c(form(req, "from")), INT64_MAX, &from))
            return render_list(a, req, resp, 422, "langs.err_invalid");
        struct audit_ctx ac = {
            a, req, "language.copy",
            mh_psprintf(p, "code=%s prefix=%s from=language:%llu", l.code, l.prefix, from)};
        rc = mh_content_language_copy(a->content, (int64_t)from, &l, &id, audit_in_tx, &ac);
    } else {
        rc = mh_content_language_check(a->content, p, &l);
        if (rc == MH_OK && (rc = mh_content_tx_begin(a->content)) == MH_OK) {
            rc = mh_content_language_create(a->content, &l, &id);
            if (rc == MH_OK && l.hidden)
                rc = mh_content_language_update(a->content, &l);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "language.create",
                                    mh_psprintf(p, "language:%lld", (long long)id),
                                    mh_psprintf(p, "code=%s prefix=%s domain=%s public=%d", l.code,
                                                l.prefix, l.domain, !l.hidden));
            rc = mh_content_tx_end(a->content, rc);
        }
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID || rc == MH_DECLINED)
        return render_list(a, req, resp, 422, "langs.err_invalid");
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/languages", copy ? "lang_copied" : "lang_added");
    return MH_OK;
}

static int h_list(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    if (req->method != MH_M_POST)
        return render_list(a, req, resp, 200, NULL);
    const char *action = form(req, "action");
    if (strcmp(action, "add") == 0)
        return add(a, req, resp, false);
    if (strcmp(action, "copy") == 0)
        return add(a, req, resp, true);
    return render_list(a, req, resp, 422, "langs.err_invalid");
}

/* --- edit --- */

static int render_edit(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const mh_language_t *l, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p), *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", l->id);
    mh_val_map_cstr(p, m, "code", l->code);
    mh_val_map_cstr(p, m, "name", l->name);
    mh_val_map_cstr(p, m, "prefix", l->prefix);
    mh_val_map_cstr(p, m, "domain", l->domain);
    mh_val_map_int(p, m, "position", l->position);
    mh_val_map_bool(p, m, "is_default", l->is_default);
    mh_val_map_bool(p, m, "public", mh_content_language_public(l));
    const char *df = mh_content_setting(a->content, p, l->id, "date_format");
    mh_val_map_cstr(p, m, "date_format", df ? df : "");
    mh_val_map_set(p, ctx, "lang", m);
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/languages/edit/%lld", mh_admin_base(a), (long long)l->id));
    return page(a, req, resp, status, "languages_edit", "langs.edit", ctx, error_key);
}

static bool date_format_ok(const char *s)
{
    /* strftime patterns only: short, no control bytes */
    if (strlen(s) > 64)
        return false;
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q < 0x20)
            return false;
    return true;
}

static int h_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_language_t l;
    if (!lang_param(a, req, resp, &l))
        return MH_OK;
    if (req->method != MH_M_POST)
        return render_edit(a, req, resp, 200, &l, NULL);
    mh_language_t nl = l;
    nl.name = form(req, "name");
    nl.prefix = form(req, "prefix");
    nl.domain = form(req, "domain");
    nl.position = position_of(req, l.position);
    /* the default language is always public */
    nl.hidden = !l.is_default && !*form(req, "public");
    const char *df = form(req, "date_format");
    if ((!l.is_default && !*nl.prefix) || !date_format_ok(df))
        return render_edit(a, req, resp, 422, &nl, "langs.err_invalid");
    int rc = mh_content_language_check(a->content, p, &nl);
    if (rc == MH_OK && (rc = mh_content_tx_begin(a->content)) == MH_OK) {
        rc = mh_content_language_update(a->content, &nl);
        const char *cur = mh_content_setting(a->content, p, l.id, "date_format");
        if (rc == MH_OK && strcmp(cur ? cur : "", df) != 0)
            rc = mh_content_setting_set(a->content, l.id, "date_format", *df ? df : NULL);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "language.update",
                                mh_psprintf(p, "language:%lld", (long long)l.id),
                                mh_psprintf(p, "prefix=%s domain=%s position=%d public=%d",
                                            nl.prefix, nl.domain, nl.position, !nl.hidden));
        rc = mh_content_tx_end(a->content, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return render_edit(a, req, resp, 422, &nl, "langs.err_invalid");
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/languages", "saved");
    return MH_OK;
}

/* --- delete --- */

static int h_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_language_t l;
    if (!lang_param(a, req, resp, &l))
        return MH_OK;
    if (l.is_default) {
        mh_admin_error(a, req, resp, 409, "lang_default");
        return MH_OK;
    }
    int64_t ncols = 0, nentries = 0;
    if (mh_content_language_counts(a->content, l.id, &ncols, &nentries) != MH_OK)
        return MH_ERR;
    if (req->method != MH_M_POST) {
        mh_val_t *ctx = mh_val_map(p), *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "code", l.code);
        mh_val_map_cstr(p, m, "name", l.name);
        mh_val_map_set(p, ctx, "lang", m);
        mh_val_map_int(p, ctx, "columns", ncols);
        mh_val_map_int(p, ctx, "entries", nentries);
        mh_val_map_cstr(
            p, ctx, "action",
            mh_psprintf(p, "%s/languages/delete/%lld", mh_admin_base(a), (long long)l.id));
        return page(a, req, resp, 200, "languages_delete", "langs.delete", ctx, NULL);
    }
    /* the form repeats the code: a stray POST does not delete a language */
    if (strcmp(form(req, "confirm"), l.code) != 0) {
        mh_admin_error(a, req, resp, 422, "lang_confirm");
        return MH_OK;
    }
    int rc = mh_content_tx_begin(a->content);
    if (rc == MH_OK) {
        rc = mh_content_language_delete(a->content, l.id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "language.delete",
                                mh_psprintf(p, "language:%lld", (long long)l.id),
                                mh_psprintf(p, "code=%s columns=%lld entries=%lld", l.code,
                                            (long long)ncols, (long long)nentries));
        rc = mh_content_tx_end(a->content, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/languages", "lang_deleted");
    return MH_OK;
}

/* --- UI strings --- */

/* The public theme's strings file for code: the exact file, then one with
 * the same primary subtag, then English (what the site falls back to). */
static mh_val_t *theme_strings(mh_admin_t *a, mh_pool_t *p, const char *code)
{
    char buf[4096];
    const char *theme = NULL;
    if (a->srv) {
        const mh_server_config_t *cfg = mh_server_config(a->srv);
        theme = cfg->theme_dir ? cfg->theme_dir
                               : mh_server_default_theme(cfg->site_dir, buf, sizeof(buf));
    }
    if (!theme)
        theme = mh_data_path("themes/default", buf, sizeof(buf));
    const char *dir = mh_psprintf(p, "%s/strings", theme);
    size_t primary = strcspn(code, "-_");
    const char *cands[3] = {code, mh_pstrndup(p, code, primary), "en"};
    for (size_t i = 0; i < 3; i++) {
        char *src = NULL;
        size_t len = 0;
        if (mh_file_read(mh_psprintf(p, "%s/%s.json", dir, cands[i]), STRINGS_FILE_MAX, &src,
                         &len) != MH_OK)
            continue;
        char jerr[160];
        mh_val_t *v = mh_val_from_json(p, src, len, jerr, sizeof(jerr));
        free(src);
        if (v && v->kind == MH_V_MAP)
            return v;
    }
    return mh_val_map(p);
}

/* The keys: English's (every key a page may ask for), then the
 * language's own extras. */
static mh_val_t *string_keys(mh_admin_t *a, mh_pool_t *p, const char *code, mh_val_t **own)
{
    mh_val_t *en = theme_strings(a, p, "en");
    *own = theme_strings(a, p, code);
    mh_val_t *keys = mh_val_map(p);
    for (size_t i = 0; i < en->u.map.n; i++)
        mh_val_map_set_str(p, keys, NULL, en->u.map.items[i].key, en->u.map.items[i].val);
    for (size_t i = 0; i < (*own)->u.map.n; i++)
        if (!mh_val_get(p, keys, (*own)->u.map.items[i].key))
            mh_val_map_set_str(p, keys, NULL, (*own)->u.map.items[i].key,
                               (*own)->u.map.items[i].val);
    return keys;
}

static const char *val_text(mh_pool_t *p, mh_val_t *v)
{
    if (!v || (v->kind != MH_V_STR && v->kind != MH_V_HTML))
        return "";
    return mh_pstrndup(p, v->u.str.base, v->u.str.len);
}

static int h_strings(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_language_t l;
    if (!lang_param(a, req, resp, &l))
        return MH_OK;
    mh_val_t *own = NULL;
    mh_val_t *keys = string_keys(a, p, l.code, &own);
    if (req->method == MH_M_POST) {
        /* the page's form sends every key (marked "all"); another client
         * may send only the keys it changes */
        bool whole = *form(req, "all");
        mh_buf_t changed;
        mh_buf_init(&changed, 8192);
        int rc = MH_OK;
        for (size_t i = 0; i < keys->u.map.n && rc == MH_OK; i++) {
            mh_str_t k = keys->u.map.items[i].key;
            const char *name = mh_psprintf(p, "ui.%.*s", (int)k.len, k.base);
            const char *v = mh_form_cstr(&req->form, p, name);
            if (v && strlen(v) > UI_VALUE_MAX)
                rc = MH_INVALID;
        }
        if (rc == MH_OK)
            rc = mh_content_tx_begin(a->content);
        for (size_t i = 0; i < keys->u.map.n && rc == MH_OK; i++) {
            mh_str_t k = keys->u.map.items[i].key;
            const char *name = mh_psprintf(p, "ui.%.*s", (int)k.len, k.base);
            const char *v = mh_form_cstr(&req->form, p, name);
            if (!v && whole)
                v = ""; /* an emptied field arrives as no field */
            if (!v)
                continue; /* not on the form: untouched */
            const char *cur = mh_content_setting(a->content, p, l.id, name);
            if (strcmp(cur ? cur : "", v) == 0)
                continue;
            rc = mh_content_setting_set(a->content, l.id, name, *v ? v : NULL);
            mh_buf_printf(&changed, "%s%s", changed.len ? " " : "", name);
        }
        if (rc == MH_OK && changed.len)
            rc = mh_admin_audit(a, req, "language.strings",
                                mh_psprintf(p, "language:%lld", (long long)l.id), changed.base);
        if (rc != MH_INVALID)
            rc = mh_content_tx_end(a->content, rc);
        mh_buf_free(&changed);
        if (mh_admin_nospace(a, req, resp, rc))
            return MH_OK;
        if (rc == MH_INVALID) {
            mh_admin_error(a, req, resp, 422, "lang_invalid");
            return MH_OK;
        }
        if (rc != MH_OK)
            return MH_ERR;
        mh_admin_redirect(a, req, resp, mh_psprintf(p, "/languages/strings/%lld", (long long)l.id),
                          "saved");
        return MH_OK;
    }
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    for (size_t i = 0; i < keys->u.map.n; i++) {
        mh_str_t k = keys->u.map.items[i].key;
        const char *key = mh_pstrndup(p, k.base, k.len);
        const char *name = mh_psprintf(p, "ui.%s", key);
        mh_val_t *tv = mh_val_get(p, own, k);
        const char *ov = mh_content_setting(a->content, p, l.id, name);
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "key", key);
        mh_val_map_cstr(p, m, "name", name);
        mh_val_map_cstr(p, m, "id", mh_psprintf(p, "ui-%zu", i));
        mh_val_map_cstr(p, m, "theme_value", val_text(p, tv ? tv : keys->u.map.items[i].val));
        mh_val_map_bool(p, m, "from_english", tv == NULL);
        mh_val_map_cstr(p, m, "value", ov ? ov : "");
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "strings", list);
    mh_val_map_cstr(p, ctx, "lang_name", l.name);
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/languages/strings/%lld", mh_admin_base(a), (long long)l.id));
    return page(a, req, resp, 200, "languages_strings", "langs.strings", ctx, NULL);
}

/* --- rows --- */

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

void mh_admin_languages_routes(mh_admin_t *a, mh_routes_t *t)
{
    static const struct {
        const char *path;
        mh_handler_fn fn;
    } rows[] = {
        {"/languages", h_list},
        {"/languages/edit/:id", h_edit},
        {"/languages/delete/:id", h_delete},
        {"/languages/strings/:id", h_strings},
        {"/languages/*", mh_admin_h_not_found},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(rows); i++) {
        row(a, t, MH_M_GET, rows[i].path, rows[i].fn);
        row(a, t, MH_M_POST, rows[i].path, rows[i].fn);
    }
}
