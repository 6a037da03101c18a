/* The admin module: set-up (theme, strings, assets, routes), the layout,
 * roles and object-level authorisation, and the dashboard.
 *
 * The route table is built once at open with the base path in every
 * pattern, in one growing table (nothing is dropped): the accounts routes,
 * then the editorial and media features' rows, then a catch-all under the
 * base so that an unknown admin URL still needs a session (no probing
 * without one) and answers a themed 404. The module's state is the admin
 * handle itself, every route's data pointer. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/file.h"
#include "../core/log.h"
#include "../http/url.h"
#include "../render/tmpl_file.h"
#include "accounts_internal.h"

#define TMPL_MAX (1u << 20)
#define STRINGS_MAX (1u << 20)
#define PAGE_MAX (8u << 20)

/* ---- roles ---- */

static const char *const role_names[] = {NULL, "contributor", "author", "editor", "admin"};

const char *mh_role_name(mh_role_t r)
{
    return (unsigned)r < MH_ARRAY_LEN(role_names) && role_names[r] ? role_names[r] : "";
}

mh_role_t mh_role_parse(const char *name)
{
    for (size_t i = 1; name && i < MH_ARRAY_LEN(role_names); i++)
        if (strcmp(name, role_names[i]) == 0)
            return (mh_role_t)i;
    return 0;
}

bool mh_role_has(mh_role_t role, const char *perm)
{
    static const struct {
        const char *perm;
        mh_role_t least;
    } table[] = {
        {MH_PERM_LOGIN, MH_ROLE_CONTRIBUTOR}, {MH_PERM_ENTRIES, MH_ROLE_CONTRIBUTOR},
        {MH_PERM_MEDIA, MH_ROLE_CONTRIBUTOR}, {MH_PERM_REVIEW, MH_ROLE_EDITOR},
        {MH_PERM_COLUMNS, MH_ROLE_EDITOR},    {MH_PERM_SETTINGS, MH_ROLE_ADMIN},
        {MH_PERM_USERS, MH_ROLE_ADMIN},       {MH_PERM_AUDIT, MH_ROLE_ADMIN},
        {MH_PERM_BACKUP, MH_ROLE_ADMIN},
    };
    if (!perm || role < MH_ROLE_CONTRIBUTOR || role > MH_ROLE_ADMIN)
        return false;
    for (size_t i = 0; i < MH_ARRAY_LEN(table); i++)
        if (strcmp(perm, table[i].perm) == 0)
            return role >= table[i].least;
    return false; /* an unknown permission is nobody's */
}

const mh_admin_user_t *mh_admin_user(const mh_req_t *req)
{
    return req ? req->user : NULL;
}

/* ---- object-level checks ---- */

/* Is col (or one of its ancestors) the column anc? Walks parent ids through
 * the content snapshot, bounded against cycles. */
static bool column_under(mh_content_t *c, mh_pool_t *p, int64_t col, int64_t anc)
{
    for (int depth = 0; col && depth < 64; depth++) {
        if (col == anc)
            return true;
        mh_column_t cc;
        if (mh_content_column_get(c, p, col, &cc) != MH_OK)
            return false;
        col = cc.parent_id;
    }
    return false;
}

bool mh_admin_may_column(mh_admin_t *a, const mh_admin_user_t *u, int64_t column_id,
                         int64_t lang_id)
{
    if (!a || !u || mh_role_parse(mh_role_name(u->role)) == 0)
        return false;
    mh_pool_t *p = mh_pool_create();
    bool ok = false;
    if (column_id) {
        mh_column_t col;
        if (mh_content_column_get(a->content, p, column_id, &col) != MH_OK)
            goto done; /* an unknown column is nobody's */
        if (lang_id && col.lang_id != lang_id)
            goto done;
        lang_id = col.lang_id;
    }
    if (u->ngrants == 0) {
        ok = true;
        goto done;
    }
    for (size_t i = 0; i < u->ngrants && !ok; i++) {
        const mh_grant_t *g = &u->grants[i];
        bool lang_ok = g->lang_id == 0 || (lang_id && g->lang_id == lang_id);
        bool col_ok = g->column_id == 0 ||
                      (column_id && column_under(a->content, p, column_id, g->column_id));
        ok = lang_ok && col_ok;
    }
done:
    mh_pool_destroy(p);
    return ok;
}

bool mh_admin_may_entry(mh_admin_t *a, const mh_admin_user_t *u, const mh_entry_t *e,
                        mh_action_t act)
{
    if (!a || !u || !e || !u->id)
        return false;
    if (act != MH_ACT_READ && act != MH_ACT_EDIT && act != MH_ACT_PUBLISH && act != MH_ACT_DELETE)
        return false;
    if (!mh_admin_may_column(a, u, e->column_id, e->lang_id))
        return false;
    bool own = e->author_id != 0 && e->author_id == u->id;
    switch (u->role) {
    case MH_ROLE_ADMIN:
    case MH_ROLE_EDITOR:
        return true;
    case MH_ROLE_AUTHOR:
        return own;
    case MH_ROLE_CONTRIBUTOR:
        if (!own)
            return false;
        if (act == MH_ACT_READ)
            return true;
        if (act == MH_ACT_EDIT)
            return e->status == MH_STATUS_DRAFT || e->status == MH_STATUS_PENDING;
        if (act == MH_ACT_DELETE)
            return e->status == MH_STATUS_DRAFT;
        return false;
    }
    return false;
}

/* ---- accessors ---- */

mh_content_t *mh_admin_content(mh_admin_t *a)
{
    return a->content;
}

mh_server_t *mh_admin_server(mh_admin_t *a)
{
    return a->srv;
}

const char *mh_admin_base(const mh_admin_t *a)
{
    return a->base;
}

const char *mh_admin_media_dir(const mh_admin_t *a)
{
    return a->media_dir;
}

/* ---- strings ---- */

mh_val_t *mh_admin_strings(mh_admin_t *a, const char *lang)
{
    return lang && strcmp(lang, "zh-CN") == 0 ? a->strings_zh : a->strings_en;
}

const char *mh_admin_t_lookup(mh_admin_t *a, mh_pool_t *p, const char *lang, const char *key)
{
    mh_val_t *v = mh_admin_strings(a, lang);
    const char *k = key;
    while (v && k && *k) {
        const char *dot = strchr(k, '.');
        size_t n = dot ? (size_t)(dot - k) : strlen(k);
        v = mh_val_get(p, v, mh_str(k, n));
        k = dot ? dot + 1 : NULL;
    }
    return v && !k && v->kind == MH_V_STR ? mh_pstrndup(p, v->u.str.base, v->u.str.len) : NULL;
}

const char *mh_admin_req_lang(mh_admin_t *a, mh_req_t *req)
{
    const mh_admin_user_t *u = mh_admin_user(req);
    if (u)
        return u->ui_lang && strcmp(u->ui_lang, "zh-CN") == 0 ? "zh-CN" : "en";
    const char *q = mh_admin_query(req, "ui");
    if (q)
        return strcmp(q, "zh-CN") == 0 ? "zh-CN" : "en";
    /* before login: the browser's first choice, Chinese or English */
    mh_str_t al = mh_req_header(req, "Accept-Language");
    if (al.len >= 2 && (al.base[0] == 'z' || al.base[0] == 'Z') &&
        (al.base[1] == 'h' || al.base[1] == 'H'))
        return "zh-CN";
    return "en";
}

const char *mh_admin_query(mh_req_t *req, const char *key)
{
    mh_query_param_t params[32];
    size_t n = mh_url_parse_query(req->pool, req->query, params, MH_ARRAY_LEN(params));
    mh_str_t v = mh_url_query_get(params, n, key);
    return v.base ? mh_pstrndup(req->pool, v.base, v.len) : NULL;
}

bool mh_admin_next_ok(const mh_admin_t *a, const char *next)
{
    size_t bl = strlen(a->base);
    if (!next || strncmp(next, a->base, bl) != 0)
        return false;
    if (next[bl] != '\0' && next[bl] != '/' && next[bl] != '?')
        return false;
    if (strstr(next, "//") || strchr(next, '\\') || strstr(next, "/../") || strstr(next, "/./"))
        return false;
    for (const unsigned char *c = (const unsigned char *)next; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return false;
    return strlen(next) < 1024;
}

/* ---- rendering ---- */

/* The admin's own top-level links: feature, href below the base,
 * permission, string key under t.nav. */
static const struct {
    const char *key;
    const char *path;
    const char *perm;
} nav_items[] = {
    {"dashboard", "/", MH_PERM_LOGIN},
    {"columns", "/columns", MH_PERM_COLUMNS},
    {"review", "/review", MH_PERM_REVIEW},
    {"inbox", "/inbox", MH_PERM_REVIEW},
    {"guestbook", "/guestbook", MH_PERM_REVIEW},
    {"media", "/media", MH_PERM_MEDIA},
    {"tags", "/tags", MH_PERM_COLUMNS},
    {"home", "/home", MH_PERM_SETTINGS},
    {"banners", "/banners", MH_PERM_COLUMNS},
    {"links", "/links", MH_PERM_COLUMNS},
    {"trash", "/trash", MH_PERM_ENTRIES},
    {"users", "/users", MH_PERM_USERS},
    {"settings", "/settings", MH_PERM_SETTINGS},
    {"audit", "/audit", MH_PERM_AUDIT},
    {"mail", "/mail", MH_PERM_SETTINGS},
    {"languages", "/languages", MH_PERM_SETTINGS},
    {"legacy_urls", "/legacy-urls", MH_PERM_SETTINGS},
    {"backup", "/backup", MH_PERM_BACKUP},
};

static bool path_is_under(mh_str_t path, const char *prefix)
{
    size_t n = strlen(prefix);
    return path.len >= n && memcmp(path.base, prefix, n) == 0 &&
           (path.len == n || path.base[n] == '/');
}

static mh_val_t *build_nav(mh_admin_t *a, mh_req_t *req, const mh_admin_user_t *u, const char *lang)
{
    mh_pool_t *p = req->pool;
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; u && i < MH_ARRAY_LEN(nav_items); i++) {
        if (!mh_role_has(u->role, nav_items[i].perm))
            continue;
        const char *href = strcmp(nav_items[i].path, "/") == 0
                               ? mh_psprintf(p, "%s/", a->base)
                               : mh_psprintf(p, "%s%s", a->base, nav_items[i].path);
        bool active = strcmp(nav_items[i].path, "/") == 0
                          ? (mh_str_eq_c(req->path, href) || mh_str_eq_c(req->path, a->base))
                          : path_is_under(req->path, href);
        char key[64];
        snprintf(key, sizeof(key), "nav.%s", nav_items[i].key);
        const char *label = mh_admin_t_lookup(a, p, lang, key);
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "key", nav_items[i].key);
        mh_val_map_cstr(p, m, "href", href);
        mh_val_map_cstr(p, m, "label", label ? label : nav_items[i].key);
        mh_val_map_bool(p, m, "active", active);
        mh_val_list_push(p, list, m);
    }
    return list;
}

/* The content language the left pane shows: ?lang=CODE, else the column in
 * the path (<base>/columns/<id>/...), else the default language. */
static const mh_language_t *current_language(mh_admin_t *a, mh_req_t *req, mh_language_t *langs,
                                             size_t n)
{
    if (n == 0)
        return NULL;
    const char *code = mh_admin_query(req, "lang");
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(langs[i].code, code) == 0)
            return &langs[i];
    char prefix[96];
    snprintf(prefix, sizeof(prefix), "%s/columns/", a->base);
    if (mh_str_starts_with(req->path, prefix)) {
        size_t pl = strlen(prefix), j = pl;
        while (j < req->path.len && isdigit((unsigned char)req->path.base[j]))
            j++;
        unsigned long long id;
        mh_column_t col;
        if (j > pl && mh_str_to_u64(mh_str(req->path.base + pl, j - pl), INT64_MAX, &id) &&
            mh_content_column_get(a->content, req->pool, (int64_t)id, &col) == MH_OK)
            for (size_t i = 0; i < n; i++)
                if (langs[i].id == col.lang_id)
                    return &langs[i];
    }
    for (size_t i = 0; i < n; i++)
        if (langs[i].is_default)
            return &langs[i];
    return &langs[0];
}

static void add_tree(mh_admin_t *a, mh_req_t *req, const mh_admin_user_t *u, mh_val_t *root)
{
    mh_pool_t *p = req->pool;
    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK || nl == 0)
        return;
    const mh_language_t *cur = current_language(a, req, langs, nl);
    mh_val_t *lv = mh_val_list(p);
    for (size_t i = 0; i < nl; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "code", langs[i].code);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(
            p, m, "href",
            mh_psprintf(p, "%s/?lang=%s", a->base, mh_url_encode(p, mh_str_c(langs[i].code))));
        mh_val_map_bool(p, m, "current", &langs[i] == cur);
        mh_val_list_push(p, lv, m);
    }
    mh_val_map_set(p, root, "content_langs", lv);
    mh_val_t *cl = mh_val_map(p);
    mh_val_map_cstr(p, cl, "code", cur->code);
    mh_val_map_cstr(p, cl, "name", cur->name);
    mh_val_map_int(p, cl, "id", cur->id);
    mh_val_map_set(p, root, "content_lang", cl);
    mh_val_map_cstr(p, root, "public_url",
                    cur->prefix && *cur->prefix ? mh_psprintf(p, "/%s/", cur->prefix) : "/");

    mh_column_t *cols = NULL;
    size_t nc = 0;
    mh_val_t *tree = mh_val_list(p);
    if (u && mh_content_columns(a->content, p, cur->id, &cols, &nc) == MH_OK) {
        for (size_t i = 0; i < nc; i++) {
            if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id))
                continue;
            const char *href =
                mh_psprintf(p, "%s/columns/%lld/entries", a->base, (long long)cols[i].id);
            const char *col_prefix =
                mh_psprintf(p, "%s/columns/%lld", a->base, (long long)cols[i].id);
            mh_val_t *m = mh_val_map(p);
            mh_val_map_int(p, m, "id", cols[i].id);
            mh_val_map_cstr(p, m, "name", cols[i].name);
            mh_val_map_int(p, m, "depth", cols[i].depth);
            mh_val_map_cstr(p, m, "depth_class",
                            mh_psprintf(p, "d%d", cols[i].depth > 5 ? 5 : cols[i].depth));
            mh_val_map_cstr(p, m, "module", mh_module_name(cols[i].module));
            mh_val_map_cstr(p, m, "href", href);
            mh_val_map_bool(p, m, "visible", cols[i].visible);
            mh_val_map_bool(p, m, "active", path_is_under(req->path, col_prefix));
            mh_val_list_push(p, tree, m);
        }
    }
    mh_val_map_set(p, root, "tree", tree);
}

static mh_val_t *user_val(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, const char *lang)
{
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", u->id);
    mh_val_map_cstr(p, m, "name", u->name);
    mh_val_map_cstr(p, m, "display_name",
                    u->display_name && *u->display_name ? u->display_name : u->name);
    mh_val_map_cstr(p, m, "role", mh_role_name(u->role));
    char key[64];
    snprintf(key, sizeof(key), "role.%s", mh_role_name(u->role));
    const char *rl = mh_admin_t_lookup(a, p, lang, key);
    mh_val_map_cstr(p, m, "role_label", rl ? rl : mh_role_name(u->role));
    mh_val_map_bool(p, m, "is_admin", u->role == MH_ROLE_ADMIN);
    return m;
}

/* The login form's token when there is no session: derived from the
 * pre-session cookie set by the login page. */
static const char *request_csrf(mh_req_t *req)
{
    const mh_admin_session_t *s = req->session;
    if (s && s->csrf[0])
        return s->csrf;
    return NULL;
}

int mh_admin_render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *tmpl,
                    const char *title, mh_val_t *ctx)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *lang = mh_admin_req_lang(a, req);
    mh_val_t *root = mh_val_map(p);
    char err[256] = "";
    mh_buf_t page;
    int rc = MH_ERR;

    mh_val_map_cstr(p, root, "base", a->base);
    mh_val_map_cstr(p, root, "title", title ? title : "");
    mh_val_map_cstr(p, root, "ui_lang", lang);
    mh_val_map_set(p, root, "t", mh_admin_strings(a, lang));
    mh_val_map_set(p, root, "assets", a->asset_urls);
    mh_val_map_set(p, root, "styles", a->styles);
    mh_val_map_set(p, root, "scripts", a->scripts);
    const char *site_name = mh_content_setting(a->content, p, 0, "site_name");
    mh_val_map_cstr(p, root, "site_name", site_name ? site_name : "");
    mh_val_map_cstr(p, root, "public_url", "/");
    /* where a form in the layout (the UI language switch) comes back to */
    mh_val_map_cstr(p, root, "here",
                    req->query.len ? mh_psprintf(p, "%.*s?%.*s", (int)req->path.len, req->path.base,
                                                 (int)req->query.len, req->query.base)
                                   : mh_pstrndup(p, req->path.base, req->path.len));
    const char *csrf = request_csrf(req);
    if (csrf)
        mh_val_map_cstr(p, root, "csrf", csrf);
    if (u) {
        mh_val_map_set(p, root, "user", user_val(a, p, u, lang));
        mh_val_map_set(p, root, "nav", build_nav(a, req, u, lang));
        add_tree(a, req, u, root);
    }
    mh_val_t *lo = mh_val_list(p);
    static const char *const ui_langs[][2] = {{"en", "English"}, {"zh-CN", "中文"}};
    for (size_t i = 0; i < MH_ARRAY_LEN(ui_langs); i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "code", ui_langs[i][0]);
        mh_val_map_cstr(p, m, "name", ui_langs[i][1]);
        mh_val_map_bool(p, m, "current", strcmp(ui_langs[i][0], lang) == 0);
        mh_val_list_push(p, lo, m);
    }
    mh_val_map_set(p, root, "lang_options", lo);
    const char *msg = mh_admin_query(req, "msg");
    if (msg && mh_accounts_name_ok(msg)) {
        const char *text = mh_admin_t_lookup(a, p, lang, mh_psprintf(p, "msg.%s", msg));
        if (text)
            mh_val_map_cstr(p, root, "flash", text);
    }
    /* the page's own values, over the layout's */
    mh_val_t *own = ctx ? mh_val_force(p, ctx) : NULL;
    if (own && own->kind == MH_V_MAP)
        for (size_t i = 0; i < own->u.map.n; i++)
            mh_val_map_set_str(p, root, NULL, own->u.map.items[i].key, own->u.map.items[i].val);

    mh_buf_init(&page, PAGE_MAX);
    int r = mh_tmpl_render(a->tmpl, tmpl, p, root, MH_TMPL_STRICT, &page, err, sizeof(err));
    if (r != MH_OK) {
        mh_error("admin: template %s: %s", tmpl, r == MH_DECLINED ? "missing" : err);
        goto done;
    }
    mh_val_map_set(p, root, "content", mh_val_html(p, mh_buf_str(&page)));
    mh_buf_reset(&resp->body);
    r = mh_tmpl_render(a->tmpl, "layout", p, root, MH_TMPL_STRICT, &resp->body, err, sizeof(err));
    if (r != MH_OK) {
        mh_error("admin: layout: %s", err);
        goto done;
    }
    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    resp->cache_control = "no-store";
    resp->lang = lang;
    rc = MH_OK;
done:
    mh_buf_free(&page);
    if (rc != MH_OK) {
        mh_buf_reset(&resp->body);
        mh_resp_error(req, resp, 500);
    }
    return rc;
}

void mh_admin_redirect(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const char *path,
                       const char *flash_key)
{
    const char *loc = mh_psprintf(req->pool, "%s%s", a->base, path ? path : "/");
    if (flash_key)
        loc = mh_psprintf(req->pool, "%s%smsg=%s", loc, strchr(loc, '?') ? "&" : "?",
                          mh_url_encode(req->pool, mh_str_c(flash_key)));
    resp->status = 303;
    resp->location = loc;
    resp->cache_control = "no-store";
    resp->content_type = "text/plain; charset=utf-8";
    mh_buf_reset(&resp->body);
}

void mh_admin_error(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                    const char *message_key)
{
    mh_pool_t *p = req->pool;
    const char *lang = mh_admin_req_lang(a, req);
    char key[96];
    snprintf(key, sizeof(key), "err.%s", message_key ? message_key : "");
    const char *msg = message_key ? mh_admin_t_lookup(a, p, lang, key) : NULL;
    if (!msg) {
        snprintf(key, sizeof(key), "err.http%d", status);
        msg = mh_admin_t_lookup(a, p, lang, key);
    }
    snprintf(key, sizeof(key), "err.http%d", status);
    const char *title = mh_admin_t_lookup(a, p, lang, key);
    mh_val_t *ctx = mh_val_map(p);
    mh_val_map_int(p, ctx, "status", status);
    mh_val_map_cstr(p, ctx, "message", msg ? msg : "");
    if (mh_admin_render(a, req, resp, status, "error", title ? title : key, ctx) != MH_OK)
        mh_resp_error(req, resp, status);
}

/* ---- handlers: dashboard, assets, unknown admin URLs ---- */

static const char *status_name(mh_status_t s)
{
    static const char *const names[] = {"draft", "published", "scheduled", "pending"};
    return (unsigned)s < MH_ARRAY_LEN(names) ? names[s] : "draft";
}

static mh_val_t *entry_row(mh_admin_t *a, mh_pool_t *p, const mh_entry_t *e, const char *fmt,
                           const char *tz)
{
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", e->id);
    mh_val_map_cstr(p, m, "title", e->title);
    mh_val_map_cstr(p, m, "status", status_name(e->status));
    mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/entries/%lld", a->base, (long long)e->id));
    mh_val_map_cstr(p, m, "updated", mh_format_time(p, e->updated_at, fmt, tz));
    return m;
}

static int h_dashboard(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *lang = mh_admin_req_lang(a, req);
    mh_val_t *ctx = mh_val_map(p);
    mh_language_t *langs = NULL;
    size_t nl = 0;
    mh_val_t *stats = mh_val_list(p);
    mh_val_t *recent = mh_val_list(p);
    const char *tz = mh_content_setting(a->content, p, 0, "timezone");
    if (mh_content_languages(a->content, p, &langs, &nl) == MH_OK) {
        const mh_language_t *cur = current_language(a, req, langs, nl);
        for (size_t i = 0; i < nl; i++) {
            mh_entry_query_t q = {.lang_id = langs[i].id, .limit = 1};
            mh_entry_t *es;
            size_t n;
            int64_t all = 0, pub = 0;
            mh_content_entries(a->content, p, &q, &es, &n, &all);
            q.public_only = true;
            mh_content_entries(a->content, p, &q, &es, &n, &pub);
            mh_column_t *cols;
            size_t nc = 0;
            mh_content_columns(a->content, p, langs[i].id, &cols, &nc);
            mh_val_t *m = mh_val_map(p);
            mh_val_map_cstr(p, m, "lang", langs[i].name);
            mh_val_map_int(p, m, "entries", all);
            mh_val_map_int(p, m, "public", pub);
            mh_val_map_int(p, m, "unpublished", all - pub);
            mh_val_map_int(p, m, "columns", (int64_t)nc);
            mh_val_list_push(p, stats, m);
        }
        mh_entry_query_t q = {.lang_id = cur ? cur->id : 0, .limit = 50};
        mh_entry_t *es;
        size_t n = 0;
        int64_t total;
        if (cur && mh_content_entries(a->content, p, &q, &es, &n, &total) == MH_OK) {
            size_t shown = 0;
            for (size_t i = 0; i < n && shown < 10; i++) {
                if (!mh_admin_may_entry(a, u, &es[i], MH_ACT_READ))
                    continue;
                mh_val_t *row = entry_row(a, p, &es[i], "%Y-%m-%d %H:%M", tz);
                char key[48];
                snprintf(key, sizeof(key), "status.%s", status_name(es[i].status));
                const char *sl = mh_admin_t_lookup(a, p, lang, key);
                mh_val_map_cstr(p, row, "status_label", sl ? sl : status_name(es[i].status));
                mh_val_list_push(p, recent, row);
                shown++;
            }
        }
    }
    mh_val_map_set(p, ctx, "stats", stats);
    mh_val_map_set(p, ctx, "recent", recent);
    mh_val_map_bool(p, ctx, "has_recent", recent->u.list.n > 0);
    const char *title = mh_admin_t_lookup(a, p, lang, "dashboard.title");
    return mh_admin_render(a, req, resp, 200, "accounts_dashboard",
                           title ? title : "dashboard.title", ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

static int h_asset(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    const mh_static_file_t *f = mh_static_find(a->assets, req->path);
    if (!f) {
        mh_resp_error(req, resp, 404);
        return MH_OK;
    }
    mh_static_respond(f, req, resp);
    return MH_OK;
}

int mh_admin_h_not_found(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_error(data, req, resp, 404, "not_found");
    return MH_OK;
}

static int h_base_redirect(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_redirect(data, req, resp, "/", NULL);
    return MH_OK;
}

const char *mh_admin_pattern(mh_admin_t *a, const char *path)
{
    return mh_psprintf(a->pool, "%s%s", a->base, path);
}

/* ---- set-up ---- */

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static int load_templates(mh_admin_t *a, char *err, size_t errlen)
{
    static const char *const required[] = {"layout", "error", "accounts_login",
                                           "accounts_dashboard"};
    char dir[sizeof(a->theme_dir) + 16];
    snprintf(dir, sizeof(dir), "%s/templates", a->theme_dir);
    return mh_tmpl_load_dir(a->tmpl, dir, required, MH_ARRAY_LEN(required), err, errlen);
}

/* A copy of map a with b merged in (maps merged key by key, anything else
 * replaced), so features' string files can share sections like "msg". */
static mh_val_t *merge_maps(mh_pool_t *p, mh_val_t *x, mh_val_t *y)
{
    mh_val_t *m = mh_val_map(p);
    for (size_t i = 0; x && i < x->u.map.n; i++)
        mh_val_map_set_str(p, m, NULL, x->u.map.items[i].key, x->u.map.items[i].val);
    for (size_t i = 0; y && i < y->u.map.n; i++) {
        mh_str_t k = y->u.map.items[i].key;
        mh_val_t *v = y->u.map.items[i].val;
        mh_val_t *old = mh_val_get(p, m, k);
        if (old && old->kind == MH_V_MAP && v->kind == MH_V_MAP)
            v = merge_maps(p, old, v);
        mh_val_map_set_str(p, m, NULL, k, v);
    }
    return m;
}

static mh_val_t *load_strings(mh_admin_t *a, const char *lang, char *err, size_t errlen)
{
    mh_pool_t *tmp = mh_pool_create();
    const char *dir = mh_psprintf(tmp, "%s/strings/%s", a->theme_dir, lang);
    size_t n = 0;
    char **names = mh_dir_list(dir, ".json", &n);
    mh_val_t *all = mh_val_map(a->pool);
    for (size_t i = 0; names && i < n; i++) {
        char *src = NULL;
        size_t len = 0;
        char jerr[160];
        const char *path = mh_psprintf(tmp, "%s/%s", dir, names[i]);
        if (mh_file_read(path, STRINGS_MAX, &src, &len) != MH_OK) {
            snprintf(err, errlen, "%s: cannot read", path);
            all = NULL;
            break;
        }
        mh_val_t *v = mh_val_from_json(a->pool, src, len, jerr, sizeof(jerr));
        free(src);
        if (!v || v->kind != MH_V_MAP) {
            snprintf(err, errlen, "%s: %s", path, v ? "not a JSON object" : jerr);
            all = NULL;
            break;
        }
        all = merge_maps(a->pool, all, v);
    }
    mh_dir_list_free(names, n);
    mh_pool_destroy(tmp);
    return all;
}

static void load_assets(mh_admin_t *a)
{
    mh_pool_t *p = a->pool;
    const char *dir = mh_psprintf(p, "%s/assets", a->theme_dir);
    const char *prefix = mh_psprintf(p, "%s/assets/", a->base);
    mh_static_load(&a->assets, dir, prefix);
    a->asset_urls = mh_val_map(p);
    a->styles = mh_val_list(p);
    a->scripts = mh_val_list(p);
    size_t n = 0;
    char **names = mh_dir_list(dir, "", &n);
    /* admin.css and admin.js first: the features' files build on them */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; names && i < n; i++) {
            bool first = strncmp(names[i], "admin.", 6) == 0;
            if ((pass == 0) != first)
                continue;
            const char *path = mh_psprintf(p, "%s%s", prefix, names[i]);
            const mh_static_file_t *f = mh_static_find(a->assets, mh_str_c(path));
            if (!f)
                continue;
            char v[16];
            size_t k = 0;
            for (const char *c = f->etag; *c && k < sizeof(v) - 1; c++)
                if (isalnum((unsigned char)*c))
                    v[k++] = *c;
            v[k] = '\0';
            const char *url = mh_psprintf(p, "%s?v=%s", path, v);
            char *key = mh_pstrdup(p, names[i]);
            for (char *c = key; *c; c++)
                if (*c == '.' || *c == '-')
                    *c = '_';
            mh_val_map_cstr(p, a->asset_urls, key, url);
            mh_val_t *m = mh_val_map(p);
            mh_val_map_cstr(p, m, "url", url);
            if (has_suffix(names[i], ".css"))
                mh_val_list_push(p, a->styles, m);
            else if (has_suffix(names[i], ".js"))
                mh_val_list_push(p, a->scripts, m);
        }
    }
    mh_dir_list_free(names, n);
}

/* The base path from the setting admin_path: "/" followed by lower-case
 * letters, digits, '-', '_' and inner slashes; anything else means
 * "/admin". */
static void set_base(mh_admin_t *a)
{
    mh_pool_t *p = mh_pool_create();
    const char *v = mh_content_setting(a->content, p, 0, "admin_path");
    bool ok = v && v[0] == '/' && strlen(v) > 1 && strlen(v) < 48 && v[strlen(v) - 1] != '/' &&
              !strstr(v, "//") && strcmp(v, "/assets") != 0 && strncmp(v, "/assets/", 8) != 0;
    for (const char *c = v ? v + 1 : NULL; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
             *c == '/';
    snprintf(a->base, sizeof(a->base), "%s", ok ? v : "/admin");
    mh_pool_destroy(p);
}

static int64_t env_seconds(const char *name)
{
    const char *v = getenv(name);
    unsigned long long n;
    if (!v || !mh_str_to_u64(mh_str_c(v), 365ull * 86400, &n) || n == 0)
        return 0;
    return (int64_t)n;
}

static void add_route(mh_admin_t *a, unsigned methods, const char *path, mh_auth_t auth,
                      const char *perm, bool csrf, mh_handler_fn fn, unsigned flags)
{
    const mh_route_t r = {
        .methods = methods,
        .pattern = mh_admin_pattern(a, path),
        .auth = auth,
        .permission = perm,
        .csrf = csrf,
        .handler = fn,
        .data = a,
        .flags = flags,
    };
    mh_routes_add(&a->routes, &r);
}

/* The accounts feature's rows. */
static void build_routes(mh_admin_t *a)
{
    const mh_auth_t PUB = MH_AUTH_PUBLIC, SES = MH_AUTH_SESSION;
    const unsigned G = MH_M_GET, P = MH_M_POST, PENDING = MH_ROUTE_PENDING_OK;
    const char *L = MH_PERM_LOGIN, *U = MH_PERM_USERS;
    add_route(a, G, "/assets/*", PUB, NULL, false, h_asset, 0);
    add_route(a, G, "/login", PUB, NULL, false, mh_admin_h_login, 0);
    add_route(a, P, "/login", PUB, NULL, true, mh_admin_h_login, 0);
    add_route(a, P, "/logout", SES, L, true, mh_admin_h_logout, PENDING);
    add_route(a, G, "", SES, L, false, h_base_redirect, 0);
    add_route(a, G, "/", SES, L, false, h_dashboard, 0);
    add_route(a, G, "/password", SES, L, false, mh_admin_h_password, PENDING);
    add_route(a, P, "/password", SES, L, true, mh_admin_h_password, PENDING);
    add_route(a, G, "/profile", SES, L, false, mh_admin_h_profile, 0);
    add_route(a, P, "/profile", SES, L, true, mh_admin_h_profile, 0);
    add_route(a, G, "/users", SES, U, false, mh_admin_h_users, 0);
    add_route(a, G, "/users/new", SES, U, false, mh_admin_h_user_new, 0);
    add_route(a, P, "/users/new", SES, U, true, mh_admin_h_user_new, 0);
    add_route(a, G, "/users/:id", SES, U, false, mh_admin_h_user, 0);
    add_route(a, P, "/users/:id", SES, U, true, mh_admin_h_user, 0);
    add_route(a, P, "/users/:id/password", SES, U, true, mh_admin_h_user_password, 0);
    add_route(a, P, "/users/:id/sessions", SES, U, true, mh_admin_h_user_sessions, 0);
    add_route(a, G, "/users/*", SES, U, false, mh_admin_h_not_found, 0);
    add_route(a, P, "/users/*", SES, U, true, mh_admin_h_not_found, 0);
    add_route(a, G, "/settings", SES, MH_PERM_SETTINGS, false, mh_admin_h_settings, 0);
    add_route(a, P, "/settings", SES, MH_PERM_SETTINGS, true, mh_admin_h_settings, 0);
    add_route(a, G, "/audit", SES, MH_PERM_AUDIT, false, mh_admin_h_audit, 0);
    add_route(a, P, "/settings/test-mail", SES, MH_PERM_SETTINGS, true, mh_admin_h_mail_test, 0);
    add_route(a, G, "/mail", SES, MH_PERM_SETTINGS, false, mh_admin_h_mail, 0);
    add_route(a, P, "/mail/:id/retry", SES, MH_PERM_SETTINGS, true, mh_admin_h_mail_retry, 0);
    add_route(a, G, "/backup", SES, MH_PERM_BACKUP, false, mh_admin_h_backup, 0);
    add_route(a, P, "/backup", SES, MH_PERM_BACKUP, true, mh_admin_h_backup, 0);
    mh_admin_session_routes(a, add_route);
}

int mh_admin_create(mh_server_t *srv, mh_content_t *c, const char *site_dir, const char *theme_dir,
                    mh_admin_t **out, char *err, size_t errlen)
{
    mh_admin_t *a = mh_calloc(1, sizeof(*a));
    a->srv = srv;
    a->content = c;
    a->pool = mh_pool_create();
    a->tmpl = mh_tmpl_set_new();
    atomic_init(&a->last_purge, 0);
    set_base(a);
    snprintf(a->media_dir, sizeof(a->media_dir), "%s/media", site_dir ? site_dir : ".");
    if (theme_dir)
        snprintf(a->theme_dir, sizeof(a->theme_dir), "%s", theme_dir);
    else
        mh_data_path("themes/admin", a->theme_dir, sizeof(a->theme_dir));
    a->env_idle = env_seconds("MH_SESSION_IDLE");
    a->env_max = env_seconds("MH_SESSION_MAX");
    /* a shared address (an office behind NAT) gets more room than one
     * account */
    mh_throttle_config_t by_ip = {.free_attempts = 20};
    a->throttle_ip = mh_throttle_new(&by_ip);
    /* one account: five free failures, then 2 s, 4 s, 8 s... up to 15 min */
    mh_throttle_config_t by_user = {.base_delay = 2};
    a->throttle_user = mh_throttle_new(&by_user);
    if (!a->throttle_ip || !a->throttle_user) {
        snprintf(err, errlen, "cannot initialise libsodium");
        goto fail;
    }
    if (load_templates(a, err, errlen) != MH_OK)
        goto fail;
    a->strings_en = load_strings(a, "en", err, errlen);
    if (!a->strings_en)
        goto fail;
    mh_val_t *zh = load_strings(a, "zh-CN", err, errlen);
    if (!zh)
        goto fail;
    a->strings_zh = merge_maps(a->pool, a->strings_en, zh);
    load_assets(a);
    build_routes(a);
    *out = a;
    return MH_OK;
fail:
    mh_admin_destroy(a);
    *out = NULL;
    return MH_ERR;
}

void mh_admin_destroy(mh_admin_t *a)
{
    if (!a)
        return;
    mh_throttle_free(a->throttle_ip);
    mh_throttle_free(a->throttle_user);
    mh_routes_free(&a->routes);
    mh_static_free(a->assets);
    mh_tmpl_set_free(a->tmpl);
    mh_pool_destroy(a->pool);
    free(a);
}

/* ---- the module ---- */

static int module_open(mh_server_t *srv, void **state, char *err, size_t errlen)
{
    const mh_server_config_t *cfg = mh_server_config(srv);
    mh_admin_t *a;
    if (mh_admin_create(srv, mh_server_content(srv), cfg->site_dir, NULL, &a, err, errlen) != MH_OK)
        return MH_ERR;
    if (mh_admin_media_open(a, err, errlen) != MH_OK) {
        mh_admin_destroy(a);
        return MH_ERR;
    }
    mh_admin_editorial_routes(a, &a->routes);
    mh_admin_api_routes(a, &a->routes);
    mh_admin_media_routes(a, &a->routes);
    mh_admin_languages_routes(a, &a->routes);
    mh_admin_inbox_routes(a, &a->routes);
    mh_admin_portal_routes(a, &a->routes);
    mh_admin_home_routes(a, &a->routes);
    mh_admin_tags_routes(a, &a->routes);
    mh_admin_legacy_routes(a, &a->routes);
    add_route(a, MH_M_GET, "/*", MH_AUTH_SESSION, MH_PERM_LOGIN, false, mh_admin_h_not_found, 0);
    *state = a;
    return MH_OK;
}

static void module_close(void *state)
{
    mh_admin_destroy(state);
}

static size_t module_routes(void *state, const mh_route_t **out)
{
    mh_admin_t *a = state;
    *out = a->routes.v;
    return a->routes.n;
}

static int module_check(void *state, const mh_route_t *rt, mh_req_t *req, mh_resp_t *resp)
{
    return mh_admin_policy(state, rt, req, resp);
}

/* Forget dead sessions now and then. (Scheduled publishing is the public
 * site module's: the site stays fresh without the admin.) */
static void module_tick(void *state)
{
    mh_admin_t *a = state;
    int64_t now = (int64_t)time(NULL);
    if (now - atomic_load(&a->last_purge) >= 600) {
        atomic_store(&a->last_purge, now);
        mh_pool_t *p = mh_pool_create();
        int64_t idle, max;
        mh_admin_session_limits(a, p, &idle, &max);
        mh_accounts_sessions_purge(a->content, now, idle);
        mh_pool_destroy(p);
    }
}

mh_admin_t *mh_admin_of(mh_server_t *srv)
{
    return mh_server_module_state(srv, mh_admin_module.name);
}

const mh_server_module_t mh_admin_module = {
    .name = "admin",
    .open = module_open,
    .close = module_close,
    .routes = module_routes,
    .check = module_check,
    .tick = module_tick,
};
