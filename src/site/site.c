/* The public site: routing of public paths to pages, theme loading at open
 * (templates compiled once, UI strings parsed once, assets hashed once) and
 * `masthead theme check`. Everything per request comes from the pool. */
#include "site.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/file.h"
#include "../core/log.h"
#include "../render/tmpl.h"
#include "../render/tmpl_file.h"
#include "../content/types.h"
#include "../router/router.h"
#include "context.h"
#include "../content/languages.h"
#include "feeds.h"
#include "../content/seo.h"
#include "legacy.h"
#include "search_page.h"
#include "products.h"
#include "forms.h"
#include "wxr_legacy.h"
#include "tags.h"

#define BODY_MAX (8u << 20)
/* a sitemap part of 50,000 URLs with their alternates, read whole */
#define STREAM_MAX (96u << 20)
#define TMPL_MAX (1u << 20)
#define ASSET_MAX (16u << 20)
#define HTML_TYPE "text/html; charset=utf-8"

typedef struct {
    char *code; /* file stem: "en", "zh-CN" */
    mh_val_t *map;
} strings_t;

struct mh_site {
    mh_content_t *content;
    char *theme_dir;
    char *assets_dir;
    mh_tmpl_set_t *tmpl;
    mh_pool_t *pool; /* site lifetime: strings and asset URLs */
    strings_t *strings;
    size_t nstrings;
    mh_val_t *assets;
    mh_nav_cache_t *nav;
    pthread_mutex_t ui_lock;
    struct uiset *ui; /* the theme's strings with a language's overrides */
};

/* --- UI strings overridden in the admin ---
 *
 * Settings "ui.<key>" of a language replace the theme's string <key> for
 * that language. The merged map is built once per language and set of
 * overrides, then shared (reference counted, like the navigation cache):
 * a request only compares its few override settings with the cached ones. */
struct uiset {
    atomic_int refs;
    mh_pool_t *pool;
    int64_t lang_id;
    size_t n;
    const char **kv; /* key, value, key, value... of the overrides */
    mh_val_t *map;
    struct uiset *next;
};

#define UI_PREFIX "ui."

static void uiset_release(void *data)
{
    struct uiset *u = data;
    if (atomic_fetch_sub(&u->refs, 1) == 1) {
        mh_pool_destroy(u->pool);
        free(u);
    }
}

static bool is_override(const mh_setting_t *st)
{
    return st->key && strncmp(st->key, UI_PREFIX, 3) == 0 && st->key[3] && st->value &&
           st->value[0];
}

static bool uiset_matches(const struct uiset *u, const mh_setting_t *ss, size_t nss, size_t n)
{
    if (u->n != n)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < nss; i++) {
        if (!is_override(&ss[i]))
            continue;
        if (strcmp(u->kv[2 * k], ss[i].key) != 0 || strcmp(u->kv[2 * k + 1], ss[i].value) != 0)
            return false;
        k++;
    }
    return true;
}

/* The strings of r's language with its overrides (base when it has none). */
static mh_val_t *ui_strings(mh_site_t *s, mh_site_req_t *r, mh_val_t *base)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nsettings; i++)
        n += is_override(&r->settings[i]);
    if (!n)
        return base;
    pthread_mutex_lock(&s->ui_lock);
    struct uiset **link = &s->ui;
    for (; *link; link = &(*link)->next)
        if ((*link)->lang_id == r->lang->id)
            break;
    struct uiset *u = *link;
    if (!u || !uiset_matches(u, r->settings, r->nsettings, n)) {
        struct uiset *nu = mh_calloc(1, sizeof(*nu));
        atomic_init(&nu->refs, 1);
        nu->pool = mh_pool_create();
        nu->lang_id = r->lang->id;
        nu->n = n;
        nu->kv = mh_pcalloc(nu->pool, 2 * n * sizeof(*nu->kv));
        nu->map = mh_val_map_sized(nu->pool, base->u.map.n + n);
        for (size_t i = 0; i < base->u.map.n; i++)
            mh_val_map_set_str(nu->pool, nu->map, NULL, base->u.map.items[i].key,
                               base->u.map.items[i].val);
        size_t k = 0;
        for (size_t i = 0; i < r->nsettings; i++) {
            const mh_setting_t *st = &r->settings[i];
            if (!is_override(st))
                continue;
            nu->kv[2 * k] = mh_pstrdup(nu->pool, st->key);
            nu->kv[2 * k + 1] = mh_pstrdup(nu->pool, st->value);
            mh_val_map_set(nu->pool, nu->map, st->key + 3,
                           mh_val_str_ref(nu->pool, mh_str_c(nu->kv[2 * k + 1])));
            k++;
        }
        mh_val_map_index(nu->pool, nu->map);
        if (u) {
            nu->next = u->next;
            uiset_release(u);
        }
        *link = nu;
        u = nu;
    }
    atomic_fetch_add(&u->refs, 1);
    pthread_mutex_unlock(&s->ui_lock);
    mh_pool_cleanup_add(r->pool, uiset_release, u);
    return u->map;
}

/* --- theme loading --- */

static int load_templates(mh_tmpl_set_t *set, const char *theme_dir, char *err, size_t errlen)
{
    static const char *const required[] = {"home", "list", "page", "entry", "404"};
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/templates", theme_dir);
    return mh_tmpl_load_dir(set, dir, required, MH_ARRAY_LEN(required), err, errlen);
}

/* UI strings: every strings/<code>.json; keys missing from a language fall
 * back to English. */
static int load_strings(mh_pool_t *p, const char *theme_dir, strings_t **out, size_t *nout,
                        char *err, size_t errlen)
{
    int rc = MH_ERR;
    const char *dir = mh_psprintf(p, "%s/strings", theme_dir);
    size_t n = 0;
    char **names = mh_dir_list(dir, ".json", &n);
    strings_t *ss = mh_pcalloc(p, (n + 1) * sizeof(*ss));
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        const char *path = mh_psprintf(p, "%s/%s", dir, names[i]);
        char *src = NULL;
        size_t len = 0;
        if (mh_file_read(path, TMPL_MAX, &src, &len) != MH_OK) {
            snprintf(err, errlen, "%s: cannot read", path);
            goto done;
        }
        char jerr[200];
        mh_val_t *v = mh_val_from_json(p, src, len, jerr, sizeof(jerr));
        free(src);
        if (!v || v->kind != MH_V_MAP) {
            snprintf(err, errlen, "%s: %s", path, v ? "not a JSON object" : jerr);
            goto done;
        }
        ss[ns].code = mh_pstrndup(p, names[i], strlen(names[i]) - 5);
        ss[ns].map = v;
        ns++;
    }
    mh_val_t *en = NULL;
    for (size_t i = 0; i < ns; i++)
        if (strcmp(ss[i].code, "en") == 0)
            en = ss[i].map;
    if (!en) {
        /* A theme without strings still renders (names come out empty). */
        en = mh_val_map(p);
        ss[ns].code = mh_pstrdup(p, "en");
        ss[ns].map = en;
        ns++;
    }
    for (size_t i = 0; i < ns; i++) {
        if (ss[i].map == en)
            continue;
        for (size_t k = 0; k < en->u.map.n; k++)
            if (!mh_val_get(p, ss[i].map, en->u.map.items[k].key))
                mh_val_map_set_str(p, ss[i].map, NULL, en->u.map.items[k].key,
                                   en->u.map.items[k].val);
    }
    /* Read by every page, from every thread: indexed once, here. */
    for (size_t i = 0; i < ns; i++)
        mh_val_map_index(p, ss[i].map);
    *out = ss;
    *nout = ns;
    rc = MH_OK;
done:
    mh_dir_list_free(names, n);
    return rc;
}

/* The language's strings: exact code, then same primary subtag, then "en". */
static mh_val_t *strings_for(const mh_site_t *s, const char *code)
{
    size_t primary = strcspn(code, "-_");
    mh_val_t *en = NULL, *near = NULL;
    for (size_t i = 0; i < s->nstrings; i++) {
        const char *c = s->strings[i].code;
        if (strcasecmp(c, code) == 0)
            return s->strings[i].map;
        if (!near && strncasecmp(c, code, primary) == 0 &&
            (c[primary] == '\0' || c[primary] == '-' || c[primary] == '_'))
            near = s->strings[i].map;
        if (strcmp(c, "en") == 0)
            en = s->strings[i].map;
    }
    return near ? near : en ? en : s->strings[0].map;
}

/* assets.<stem> = "/assets/<file>?v=<hash>" for every top-level asset file
 * ('.' and '-' in the stem become '_'); assets.css is site.css. */
static mh_val_t *load_assets(mh_pool_t *p, const char *assets_dir)
{
    mh_val_t *m = mh_val_map(p);
    size_t n = 0;
    char **names = mh_dir_list(assets_dir, "", &n);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", assets_dir, names[i]);
        char *data = NULL;
        size_t len = 0;
        if (mh_file_read(path, ASSET_MAX, &data, &len) != MH_OK)
            continue;
        uint64_t h = mh_hash64(data, len); /* a cache-busting tag */
        free(data);
        char *url = mh_psprintf(p, "/assets/%s?v=%012llx", names[i],
                                (unsigned long long)(h & 0xffffffffffffull));
        char *key = mh_pstrdup(p, names[i]);
        char *dot = strrchr(key, '.');
        if (dot && dot != key)
            *dot = '\0';
        for (char *q = key; *q; q++)
            if (*q == '.' || *q == '-')
                *q = '_';
        mh_val_t *v = mh_val_str_ref(p, mh_str_c(url));
        mh_val_map_set(p, m, key, v);
        if (strcmp(names[i], "site.css") == 0)
            mh_val_map_set(p, m, "css", v);
    }
    mh_dir_list_free(names, n);
    mh_val_map_index(p, m);
    return m;
}

int mh_site_open(mh_site_t **out, mh_content_t *content, const char *theme_dir, char *err,
                 size_t errlen)
{
    mh_site_t *s = mh_calloc(1, sizeof(*s));
    s->content = content;
    s->theme_dir = mh_strdup(theme_dir);
    s->assets_dir = mh_malloc(strlen(theme_dir) + 8);
    snprintf(s->assets_dir, strlen(theme_dir) + 8, "%s/assets", theme_dir);
    s->pool = mh_pool_create();
    s->nav = mh_nav_cache_new();
    pthread_mutex_init(&s->ui_lock, NULL);
    s->tmpl = mh_tmpl_set_new();
    if (load_templates(s->tmpl, theme_dir, err, errlen) != MH_OK)
        goto fail;
    if (load_strings(s->pool, theme_dir, &s->strings, &s->nstrings, err, errlen) != MH_OK)
        goto fail;
    s->assets = load_assets(s->pool, s->assets_dir);
    if (content) {
        /* Render a 404 once so a broken theme fails at start, not per request. */
        mh_pool_t *p = mh_pool_create();
        mh_page_t pg;
        int rc = mh_site_handle(s, p, MH_STR_LIT("localhost"), MH_STR_LIT("/.masthead-theme-check"),
                                MH_STR_NULL, &pg);
        mh_buf_free(&pg.body);
        mh_pool_destroy(p);
        if (rc != MH_OK) {
            snprintf(err, errlen, "%s: the theme failed to render a test page", theme_dir);
            goto fail;
        }
    }
    *out = s;
    return MH_OK;
fail:
    mh_site_close(s);
    *out = NULL;
    return MH_ERR;
}

void mh_site_close(mh_site_t *s)
{
    if (!s)
        return;
    mh_tmpl_set_free(s->tmpl);
    mh_nav_cache_free(s->nav);
    for (struct uiset *u = s->ui, *next; u; u = next) {
        next = u->next;
        uiset_release(u);
    }
    pthread_mutex_destroy(&s->ui_lock);
    mh_pool_destroy(s->pool);
    free(s->theme_dir);
    free(s->assets_dir);
    free(s);
}

const char *mh_site_assets_dir(const mh_site_t *s)
{
    return s->assets_dir;
}

/* --- routing ---
 *
 * The public URL space is a table of rows (mh_site_rows), tried in order
 * with MH_DECLINED falling through to the next row that matches:
 *
 *   /                           home of the default language
 *   /:lang                      a language's bare prefix: 301 to /:lang/
 *   /:lang/                     a language's home
 *   /:lang/<*column>/           column: list page 1, single page, link redirect
 *   /:lang/<*column>/page/:n/   list page n (n = 1: 301 to the column)
 *   /:lang/<*column>/:slug.html entry
 *   /:lang/<*column>            column named without its slash: 301
 *   the same five without /:lang
 *   /<*>                        the themed 404 (never declines)
 *
 * Language prefixes: a row with a :lang parameter serves only a segment
 * that is some language's prefix (else it declines); a row without one
 * serves the default language and declines when the path's first segment
 * names a language, so that segment always means the language, as it
 * always has. Both kinds go through begin(), the one place that decides. */

/* The language whose (non-empty) prefix is seg, or NULL. */
static const mh_language_t *lang_by_prefix(const mh_site_req_t *r, mh_str_t seg)
{
    for (size_t i = 0; seg.len && i < r->nlangs; i++) {
        const char *pre = r->langs[i].prefix;
        if (pre && *pre && mh_str_eq_c(seg, pre))
            return &r->langs[i];
    }
    return NULL;
}

/* The first segment of path ("/zh/news/" -> "zh"; "/" -> ""). */
static mh_str_t first_segment(mh_str_t path)
{
    if (path.len < 2)
        return mh_str("", 0);
    const char *slash = memchr(path.base + 1, '/', path.len - 1);
    return mh_str(path.base + 1, slash ? (size_t)(slash - path.base - 1) : path.len - 1);
}

/* Start a page: the request's language (see above), then the columns and
 * settings of that language. MH_DECLINED when the row does not serve this
 * path's language. With load false only the language is resolved. */
enum {
    BEGIN_LOAD = 1, /* also load the language's columns and settings */
    BEGIN_ANY = 2,  /* the 404 page: a hidden language falls back to the default */
};

static int begin(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, unsigned flags, mh_site_req_t **out)
{
    bool load = flags & BEGIN_LOAD;
    mh_pool_t *pool = req->pool;
    mh_site_req_t *r = mh_pcalloc(pool, sizeof(*r));
    *out = NULL;
    r->content = s->content;
    r->pool = pool;
    r->nav_cache = s->nav;
    r->host = req->host;
    r->secure = req->secure;
    r->assets = s->assets;
    if (mh_content_languages(s->content, pool, &r->langs, &r->nlangs) != MH_OK || r->nlangs == 0)
        return MH_ERR;
    r->lang = &r->langs[0];
    for (size_t i = 0; i < r->nlangs; i++)
        if (r->langs[i].is_default) {
            r->lang = &r->langs[i];
            break;
        }
    /* A language with a domain is served at "/" on that host; its prefix
     * works only on the other hosts that are nobody's domain. */
    r->host_lang = mh_context_host_lang(r);
    mh_str_t seg = mh_req_param(req, "lang");
    if (seg.base) {
        const mh_language_t *l = lang_by_prefix(r, seg);
        if (!l || l == r->host_lang || (r->host_lang && l->domain && l->domain[0]))
            return MH_DECLINED;
        r->lang = l;
    } else if (lang_by_prefix(r, first_segment(req->path))) {
        return MH_DECLINED; /* the prefixed rows' path */
    } else if (r->host_lang) {
        r->lang = r->host_lang;
    }
    if (!mh_content_language_public(r->lang)) {
        /* being translated: the admin works in it, visitors get a 404 in
         * the default language */
        if (!(flags & BEGIN_ANY))
            return MH_DECLINED;
        for (size_t i = 0; i < r->nlangs; i++)
            if (r->langs[i].is_default)
                r->lang = &r->langs[i];
        if (r->host_lang && !mh_content_language_public(r->host_lang))
            r->host_lang = NULL; /* a hidden language's host is nobody's */
    }
    resp->lang = r->lang->code;
    if (load) {
        r->strings = strings_for(s, r->lang->code ? r->lang->code : "en");
        if (mh_content_columns(s->content, pool, r->lang->id, &r->cols, &r->ncols) != MH_OK ||
            mh_content_settings(s->content, pool, r->lang->id, &r->settings, &r->nsettings) !=
                MH_OK)
            return MH_ERR;
        r->col_paths = mh_pcalloc(pool, (r->ncols + 1) * sizeof(*r->col_paths));
        r->strings = ui_strings(s, r, r->strings);
    }
    *out = r;
    return MH_OK;
}

/* The visible column of the request's language with this path (no leading
 * or trailing slash); hidden columns and columns under hidden ones are
 * not found. */
static const mh_column_t *find_col(const mh_site_req_t *r, mh_str_t path)
{
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (!c->path || !mh_str_eq_c(path, c->path))
            continue;
        for (const mh_column_t *a = c; a;
             a = a->parent_id ? mh_context_col_by_id(r, a->parent_id) : NULL)
            if (!a->visible)
                return NULL;
        return c;
    }
    return NULL;
}

static void redirect(mh_resp_t *resp, const char *location)
{
    resp->status = 301;
    resp->location = location;
}

/* Fill r->list for page n of a list column. MH_DECLINED if out of range. */
static int load_list(mh_site_req_t *r, int64_t n)
{
    /* a guestbook lists its approved messages, not entries (forms.c) */
    if (mh_content_type_is(r->col->module, MH_TYPE_MODERATED))
        return mh_forms_guestbook_load(r, n);
    int64_t ps = r->col->page_size > 0 ? r->col->page_size : 20;
    if (ps > 200)
        ps = 200;
    mh_entry_query_t q = {.lang_id = r->lang->id,
                          .column_id = r->col->id,
                          .descendants = true,
                          .public_only = true,
                          .sort = r->col->sort_mode,
                          .offset = (n - 1) * ps,
                          .limit = ps};
    if (n > 1000000)
        return MH_DECLINED;
    if (mh_content_entries(r->content, r->pool, &q, &r->list, &r->nlist, &r->total) != MH_OK)
        return MH_ERR;
    r->page = n;
    r->page_size = ps;
    r->pages = r->total > 0 ? (r->total + ps - 1) / ps : 1;
    return n <= r->pages ? MH_OK : MH_DECLINED;
}

/* Row resolvers: fill *rp with the page to render (r->kind set), or leave
 * it NULL after a redirect in resp; MH_DECLINED: not this row's page;
 * MH_ERR: a database failure. */

static int row_home(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    int rc = begin(s, req, resp, true, rp);
    if (rc != MH_OK)
        return rc;
    if (req->query.len) { /* an imported WordPress site's /?p=123 (wxr_legacy.c) */
        const char *moved = mh_site_wxr_moved(*rp, req);
        if (moved) {
            redirect(resp, moved);
            *rp = NULL;
            return MH_OK;
        }
    }
    (*rp)->kind = MH_PK_HOME;
    (*rp)->path = mh_context_lang_url(*rp, (*rp)->lang);
    return MH_OK;
}

static int row_bare_prefix(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, false, &r);
    if (rc != MH_OK)
        return rc;
    redirect(resp, mh_context_lang_home(req->pool, r->lang));
    return MH_OK;
}

static int row_column(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c)
        return MH_DECLINED;
    if (mh_content_type_is(c->module, MH_TYPE_REDIRECT)) {
        const char *u = mh_context_safe_link(c->link_url);
        if (!u)
            return MH_DECLINED;
        redirect(resp, u);
        return MH_OK;
    }
    r->col = c;
    if (!mh_content_type_is(c->module, MH_TYPE_ENTRIES)) {
        r->kind = MH_PK_SINGLE;
        r->path = mh_context_col_path(r, c);
        *rp = r;
        return MH_OK;
    }
    rc = load_list(r, 1);
    if (rc != MH_OK)
        return rc;
    r->kind = MH_PK_LIST;
    r->path = mh_context_col_path(r, c);
    *rp = r;
    return mh_forms_prepare(r, req, resp); /* a feedback form, the guestbook's */
}

static int row_list_page(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    unsigned long long n = 0;
    if (!mh_str_to_u64(mh_req_param(req, "n"), 1000000000ull, &n) || n == 0)
        return MH_DECLINED;
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
        return MH_DECLINED;
    r->col = c;
    if (n == 1) {
        redirect(resp, mh_context_col_path(r, c));
        return MH_OK;
    }
    rc = load_list(r, (int64_t)n);
    if (rc != MH_OK)
        return rc;
    r->kind = MH_PK_LIST;
    r->path = mh_psprintf(req->pool, "%spage/%llu/", mh_context_col_path(r, c), n);
    *rp = r;
    return MH_OK;
}

/* No public entry at this path: 301 to where it lives now when its slug
 * or column changed, a themed 410 when it is in the recycle bin, else not
 * this row's. */
static int entry_missing(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp, const mh_column_t *c,
                         const char *slug, mh_site_req_t **rp)
{
    mh_entry_t *e = mh_pcalloc(req->pool, sizeof(*e));
    int rc = mh_content_entry_moved(r->content, req->pool, c->id, slug, e);
    if (rc == MH_OK && e->lang_id == r->lang->id) {
        const mh_column_t *to = mh_context_col_by_id(r, e->column_id);
        if (to && to->visible && mh_content_type_is(to->module, MH_TYPE_ENTRIES)) {
            redirect(resp, mh_context_join(req->pool, mh_context_col_path(r, to), e->slug, ".html",
                                           NULL));
            return MH_OK;
        }
    }
    if (rc == MH_ERR)
        return rc;
    rc = mh_content_entry_trashed(r->content, c->id, slug);
    if (rc != MH_OK)
        return rc;
    r->kind = MH_PK_404;
    r->path = mh_pstrndup(req->pool, req->path.base, req->path.len);
    resp->status = 410;
    *rp = r;
    return MH_OK;
}

static int row_entry(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
        return MH_DECLINED;
    mh_str_t slug = mh_req_param(req, "slug");
    mh_entry_t *e = mh_pcalloc(req->pool, sizeof(*e));
    const char *slug_c = mh_pstrndup(req->pool, slug.base, slug.len);
    rc = mh_content_entry_by_slug(r->content, req->pool, c->id, slug_c, true, e);
    if (rc == MH_DECLINED)
        return entry_missing(r, req, resp, c, slug_c, rp);
    if (rc != MH_OK)
        return rc;
    r->kind = MH_PK_ENTRY;
    r->col = c;
    r->entry = e;
    resp->hit_id = e->id; /* a view (site module's hit, also from the page cache) */
    r->path = mh_context_join(req->pool, mh_context_col_path(r, c), e->slug, ".html", NULL);
    *rp = r;
    return mh_forms_prepare(r, req, resp); /* a job's application form */
}

/* Public documents (feeds.c): robots.txt, the feeds, the sitemap. */

static int row_robots(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    resp->lang = NULL;
    return mh_feeds_robots(r, req, resp);
}

static int feed_row(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, bool atom)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = NULL;
    mh_str_t path = mh_req_param(req, "column");
    if (path.base) {
        c = find_col(r, path);
        if (!c || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
            return MH_DECLINED;
    }
    return mh_feeds_feed(r, req, resp, c, atom);
}

/* /tag/:slug/feed.xml and atom.xml (and their /:lang twins): a tag's feed,
 * for the tags that have a page. */
static int tag_feed_row(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, bool atom)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    for (size_t i = 0; i < r->ncols; i++)
        if (r->cols[i].parent_id == 0 && strcmp(r->cols[i].slug, "tag") == 0)
            return MH_DECLINED;
    rc = mh_tags_page_load(r, mh_req_param(req, "slug"), 1);
    if (rc != MH_OK)
        return rc;
    return mh_feeds_feed(r, req, resp, NULL, atom);
}

static int row_tag_rss(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    (void)rp;
    return tag_feed_row(s, req, resp, false);
}

static int row_tag_atom(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    (void)rp;
    return tag_feed_row(s, req, resp, true);
}

static int row_rss(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    (void)rp;
    return feed_row(s, req, resp, false);
}

static int row_atom(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    (void)rp;
    return feed_row(s, req, resp, true);
}

static int row_sitemap(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    (void)rp;
    unsigned long long n = 0;
    mh_str_t part = mh_req_param(req, "n");
    if (part.base && (!mh_str_to_u64(part, 1000000, &n) || n == 0))
        return MH_DECLINED;
    mh_site_req_t *r;
    int rc = begin(s, req, resp, false, &r);
    if (rc != MH_OK)
        return rc;
    r->settings = NULL;
    if (mh_content_settings(s->content, req->pool, r->lang->id, &r->settings, &r->nsettings) !=
        MH_OK)
        return MH_ERR;
    resp->lang = NULL;
    return mh_feeds_sitemap(r, req, resp, (int64_t)n);
}

static int row_column_noslash(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    /* a path ending in .html names an entry or nothing */
    if (mh_str_ends_with(req->path, ".html"))
        return MH_DECLINED;
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c)
        return MH_DECLINED;
    redirect(resp, mh_context_col_path(r, c));
    return MH_OK;
}

/* A path under a column's old path (its slug changed or it moved): the
 * same rest under the column's current path, or NULL. */
static const char *column_moved(mh_site_req_t *r, mh_req_t *req, bool prefixed)
{
    mh_str_t rel = req->path;
    if (prefixed) { /* "/zh/..." -> "..." */
        mh_str_t seg = first_segment(rel);
        size_t skip = 1 + seg.len;
        rel = mh_str(rel.base + skip, rel.len - skip);
    }
    while (rel.len && rel.base[0] == '/')
        rel = mh_str(rel.base + 1, rel.len - 1);
    if (!rel.len)
        return NULL;
    const char *path = mh_pstrndup(req->pool, rel.base, rel.len);
    int64_t id = 0;
    size_t len = 0;
    if (mh_content_column_old_path(r->content, r->lang->id, path, &id, &len) != MH_OK)
        return NULL;
    const mh_column_t *c = mh_context_col_by_id(r, id);
    if (!c || !c->visible || len > rel.len)
        return NULL;
    const char *rest = path + len;
    while (*rest == '/')
        rest++;
    return mh_context_join(req->pool, mh_context_col_path(r, c), rest, NULL, NULL);
}

/* A list of a column whose type filters (products): ?key=value filters
 * and ?page=n, a row that varies on the query (site/products.c). Other
 * columns are the next rows'. */
static int row_filtered(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c || !mh_content_type_is(c->module, MH_TYPE_FILTER))
        return MH_DECLINED;
    r->col = c;
    const char *to = NULL;
    rc = mh_products_list_load(r, req->query, &to);
    if (rc == MH_DECLINED) { /* a page past the last: not found */
        r->kind = MH_PK_404;
        r->path = mh_pstrndup(req->pool, req->path.base, req->path.len);
        resp->status = 404;
        *rp = r;
        return MH_OK;
    }
    if (rc != MH_OK)
        return rc;
    if (to) {
        redirect(resp, to);
        return MH_OK;
    }
    *rp = r;
    return MH_OK;
}

/* /search and /:lang/search: the results page of the language (a theme
 * without a search template has no search page: 404). */
static int row_search(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    if (!mh_tmpl_has(s->tmpl, "search"))
        return MH_DECLINED;
    int rc = begin(s, req, resp, true, rp);
    if (rc != MH_OK)
        return rc;
    mh_site_req_t *r = *rp;
    r->kind = MH_PK_SEARCH;
    r->path = mh_context_join(req->pool, mh_context_lang_url(r, r->lang), "search", NULL, NULL);
    return mh_search_page_load(r, req->query);
}

/* /tag/:slug/ and /tag/:slug/page/:n/ (and their /:lang twins): a tag's
 * public entries (site/tags.c). A top-level column called "tag" keeps its
 * path: the rows decline for it. */
static int row_tag(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    unsigned long long n = 1;
    mh_str_t np = mh_req_param(req, "n");
    if (!mh_tmpl_has(s->tmpl, "tag") || (np.base && (!mh_str_to_u64(np, 1000000ull, &n) || n == 0)))
        return MH_DECLINED;
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    for (size_t i = 0; i < r->ncols; i++)
        if (r->cols[i].parent_id == 0 && strcmp(r->cols[i].slug, "tag") == 0)
            return MH_DECLINED;
    rc = mh_tags_page_load(r, mh_req_param(req, "slug"), (int64_t)n);
    if (rc != MH_OK)
        return rc;
    if (np.base && n == 1) {
        redirect(resp, mh_tag_url(r, r->tag));
        return MH_OK;
    }
    *rp = r;
    return MH_OK;
}

static int row_not_found(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp)
{
    /* the language of a prefixed path, for the page's strings */
    static const char lang_pattern[] = "/:lang/*";
    mh_req_t sub = *req;
    if (!mh_route_pattern_match(lang_pattern, req->path, &sub.params))
        sub.params.n = 0;
    mh_site_req_t *r;
    int rc = begin(s, &sub, resp, BEGIN_LOAD | BEGIN_ANY, &r);
    if (rc == MH_DECLINED) { /* a first segment that is no language (here) */
        sub.params.n = 0;
        sub.path = MH_STR_LIT("/");
        rc = begin(s, &sub, resp, BEGIN_LOAD | BEGIN_ANY, &r);
    }
    if (rc != MH_OK)
        return rc == MH_DECLINED ? MH_ERR : rc;
    const char *moved = column_moved(r, req, sub.params.n > 0);
    if (!moved)
        moved = mh_site_wxr_moved(r, req); /* an imported WordPress URL */
    if (!moved)
        moved = mh_site_legacy_redirect(r->content, req); /* an imported site's old URL */
    if (moved) {
        redirect(resp, moved);
        return MH_OK;
    }
    r->kind = MH_PK_404;
    r->path = mh_pstrndup(req->pool, req->path.base, req->path.len);
    resp->status = 404;
    *rp = r;
    return MH_OK;
}

/* A public row: its pattern, the function that resolves the path to a page
 * (or declines), and, when the page kind's template and HTML are not what
 * it renders, its own template and content type (a feed, a sitemap); flags
 * are router flags added to MH_ROUTE_CACHEABLE (MH_ROUTE_VARY_QUERY for a
 * page that reads the query, like search). */
typedef struct {
    const char *pattern;
    int (*resolve)(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **rp);
    const char *tmpl;
    const char *content_type;
    unsigned flags;
} site_row_t;

#define XML_TYPE "application/xml; charset=utf-8"

static const site_row_t rows[] = {
    {"/robots.txt", row_robots, NULL, "text/plain; charset=utf-8", 0},
    {"/sitemap.xml", row_sitemap, NULL, XML_TYPE, 0},
    {"/sitemap-:n.xml", row_sitemap, NULL, XML_TYPE, 0},
    {"/feed.xml", row_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/atom.xml", row_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    {"/:lang/feed.xml", row_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/:lang/atom.xml", row_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    {"/tag/:slug/feed.xml", row_tag_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/tag/:slug/atom.xml", row_tag_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    {"/:lang/tag/:slug/feed.xml", row_tag_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/:lang/tag/:slug/atom.xml", row_tag_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    {"/:lang/*column/feed.xml", row_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/:lang/*column/atom.xml", row_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    {"/*column/feed.xml", row_rss, NULL, "application/rss+xml; charset=utf-8", 0},
    {"/*column/atom.xml", row_atom, NULL, "application/atom+xml; charset=utf-8", 0},
    /* search varies on its query: each normalised query is a cache entry of
     * the content generation (any public write starts a new one) */
    {"/search", row_search, "search", NULL, MH_ROUTE_VARY_QUERY},
    {"/:lang/search", row_search, "search", NULL, MH_ROUTE_VARY_QUERY},
    /* filtered lists (products) vary on their query; before "/:lang/",
     * which would otherwise be the first row to match "/products/" */
    {"/:lang/*column/", row_filtered, NULL, NULL, MH_ROUTE_VARY_QUERY},
    {"/*column/", row_filtered, NULL, NULL, MH_ROUTE_VARY_QUERY},
    {"/tag/:slug/", row_tag, "tag", NULL, 0},
    {"/tag/:slug/page/:n/", row_tag, "tag", NULL, 0},
    {"/:lang/tag/:slug/", row_tag, "tag", NULL, 0},
    {"/:lang/tag/:slug/page/:n/", row_tag, "tag", NULL, 0},
    {"/", row_home, NULL, NULL, 0},
    {"/:lang", row_bare_prefix, NULL, NULL, 0},
    {"/:lang/", row_home, NULL, NULL, 0},
    {"/:lang/*column/", row_column, NULL, NULL, 0},
    {"/:lang/*column/page/:n/", row_list_page, NULL, NULL, 0},
    {"/:lang/*column/:slug.html", row_entry, NULL, NULL, 0},
    {"/:lang/*column", row_column_noslash, NULL, NULL, 0},
    {"/*column/", row_column, NULL, NULL, 0},
    {"/*column/page/:n/", row_list_page, NULL, NULL, 0},
    {"/*column/:slug.html", row_entry, NULL, NULL, 0},
    {"/*column", row_column_noslash, NULL, NULL, 0},
    {"/*", row_not_found, NULL, NULL, 0},
};

size_t mh_site_nrows(void)
{
    return MH_ARRAY_LEN(rows);
}

const char *mh_site_row_pattern(size_t i)
{
    return i < MH_ARRAY_LEN(rows) ? rows[i].pattern : NULL;
}

unsigned mh_site_row_flags(size_t i)
{
    return i < MH_ARRAY_LEN(rows) ? rows[i].flags : 0;
}

static int render(mh_site_t *s, mh_site_req_t *r, const char *row_tmpl, mh_buf_t *body)
{
    static const struct {
        int kind;
        const char *tmpl;
    } names[] = {{MH_PK_HOME, "home"},
                 {MH_PK_LIST, "list"},
                 {MH_PK_SINGLE, "page"},
                 {MH_PK_ENTRY, "entry"},
                 {MH_PK_404, "404"}};
    const char *name = "404";
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++)
        if (names[i].kind == r->kind)
            name = names[i].tmpl;
    /* a type's own template when the theme has one (entry-product) */
    const mh_content_type_t *type = r->col ? mh_content_type(r->col->module) : NULL;
    const char *own = !type                    ? NULL
                      : r->kind == MH_PK_LIST  ? type->list_template
                      : r->kind == MH_PK_ENTRY ? type->entry_template
                                               : NULL;
    if (own && mh_tmpl_has(s->tmpl, own))
        name = own;
    if (row_tmpl)
        name = row_tmpl;
    mh_val_t *ctx = mh_context_build(r);
    char err[256] = "";
    int rc = mh_tmpl_render(s->tmpl, name, r->pool, ctx, MH_TMPL_STRICT, body, err, sizeof(err));
    if (rc != MH_OK) {
        mh_error("site: rendering %s for %s failed (%d): %s", name, r->path ? r->path : "?", rc,
                 err);
        return MH_ERR;
    }
    return MH_OK;
}

static void fail_page(mh_resp_t *resp)
{
    mh_buf_reset(&resp->body);
    mh_buf_append_c(&resp->body, "<!DOCTYPE html><title>Internal Server Error</title>"
                                 "<h1>Internal Server Error</h1>\n");
    resp->status = 500;
    resp->location = NULL;
}

/* With language domains configured and the strict_hosts setting "1", a
 * Host that is none of them is refused (421) rather than answered with the
 * default language. */
static bool host_refused(mh_site_t *s, mh_req_t *req)
{
    mh_language_t *ls = NULL;
    size_t n = 0;
    bool domains = false;
    if (mh_content_languages(s->content, req->pool, &ls, &n) != MH_OK)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (mh_context_host_is(req->host, ls[i].domain))
            return false;
        domains |= ls[i].domain && ls[i].domain[0];
    }
    if (!domains)
        return false;
    const char *strict = mh_content_setting(s->content, req->pool, 0, "strict_hosts");
    return strict && strcmp(strict, "1") == 0;
}

/* Loopback names: health checks and local tools reach the server by them
 * and are never redirected. */
static bool host_is_loopback(mh_str_t h)
{
    size_t n = h.len;
    if (n && h.base[0] == '[') /* [::1]:8080 */
        return n >= 5 && memcmp(h.base, "[::1]", 5) == 0;
    const char *colon = memchr(h.base, ':', n);
    if (colon)
        n = (size_t)(colon - h.base);
    mh_str_t name = mh_str(h.base, n);
    return mh_str_eq_c(name, "localhost") || mh_str_eq_c(name, "127.0.0.1") || n == 0;
}

/* The canonical host: with base_url set, a request for any other Host
 * (that is no loopback name and no language's own domain) gets a 301 to
 * the same path and query under base_url. Only public pages: the admin is
 * another module and answers under any name. */
bool mh_site_canonical_redirect(mh_site_t *s, mh_req_t *req, mh_resp_t *resp)
{
    if (!s->content || host_is_loopback(req->host))
        return false;
    const char *base = mh_content_setting(s->content, req->pool, 0, "base_url");
    if (!base || !base[0])
        return false;
    const char *h = strstr(base, "://");
    h = h ? h + 3 : base;
    size_t hn = strcspn(h, "/");
    if (req->host.len == hn && strncasecmp(req->host.base, h, hn) == 0)
        return false;
    mh_language_t *langs = NULL;
    size_t nlangs = 0;
    if (mh_content_languages(s->content, req->pool, &langs, &nlangs) == MH_OK)
        for (size_t i = 0; i < nlangs; i++)
            if (langs[i].domain && langs[i].domain[0] &&
                mh_str_eq_nocase(req->host, langs[i].domain))
                return false;
    size_t bn = (size_t)(h - base) + hn;
    resp->status = 301;
    resp->location =
        mh_psprintf(req->pool, "%.*s%.*s%s%.*s", (int)bn, base, (int)req->path.len, req->path.base,
                    req->query.len ? "?" : "", (int)req->query.len, req->query.base);
    return true;
}

int mh_site_run(mh_site_t *s, size_t i, mh_req_t *req, mh_resp_t *resp)
{
    const site_row_t *row = &rows[i];
    resp->content_type = row->content_type ? row->content_type : HTML_TYPE;
    if (!resp->body.max)
        mh_buf_init(&resp->body, BODY_MAX);
    mh_buf_reserve(&resp->body, 32 * 1024); /* most pages fit: no regrowth while rendering */
    mh_site_req_t *r = NULL;
    if (host_refused(s, req)) {
        resp->status = 421;
        resp->content_type = HTML_TYPE;
        mh_buf_reset(&resp->body);
        mh_buf_append_c(&resp->body, "<!DOCTYPE html><title>Misdirected Request</title>"
                                     "<h1>Misdirected Request</h1>\n");
        return MH_OK;
    }
    /* every query of the page reads one consistent snapshot */
    bool txn = mh_content_read_begin(s->content);
    int rc = row->resolve(s, req, resp, &r);
    /* these pages read entries only through the content calls that record
     * what they read (content.h, mh_content_deps_*): they are invalidated
     * by what they show, not by every change */
    if (row->resolve == row_home || row->resolve == row_column || row->resolve == row_list_page ||
        row->resolve == row_entry || row->resolve == row_rss || row->resolve == row_atom)
        mh_content_deps_tracked(s->content);
    if (rc == MH_OK && r) {
        if (!resp->status)
            resp->status = 200;
        rc = render(s, r, row->tmpl, &resp->body);
    }
    mh_content_read_end(s->content, txn);
    if (rc == MH_DECLINED) {
        resp->status = 0;
        resp->location = NULL;
        resp->lang = NULL;
        return MH_DECLINED;
    }
    if (rc != MH_OK) {
        mh_error("site: failed to render %.*s", (int)req->path.len, req->path.base);
        fail_page(resp);
    }
    return MH_OK;
}

/* A public form's POST (forms.c): the same page resolved as its GET row
 * would, the submission handled, then a 303 to the thank-you page or the
 * page rendered again with the visitor's values and messages. */
int mh_site_post(mh_site_t *s, mh_req_t *req, mh_resp_t *resp)
{
    resp->content_type = HTML_TYPE;
    if (!resp->body.max)
        mh_buf_init(&resp->body, BODY_MAX);
    mh_site_req_t *r;
    int rc = begin(s, req, resp, true, &r);
    if (rc != MH_OK)
        return rc;
    const mh_column_t *c = find_col(r, mh_req_param(req, "column"));
    if (!c)
        return MH_DECLINED;
    r->col = c;
    mh_str_t slug = mh_req_param(req, "slug");
    if (slug.base) {
        if (!mh_content_type_is(c->module, MH_TYPE_APPLY))
            return MH_DECLINED;
        mh_entry_t *e = mh_pcalloc(req->pool, sizeof(*e));
        rc = mh_content_entry_by_slug(r->content, req->pool, c->id,
                                      mh_pstrndup(req->pool, slug.base, slug.len), true, e);
        if (rc != MH_OK)
            return rc;
        r->kind = MH_PK_ENTRY;
        r->entry = e;
        r->path = mh_context_join(req->pool, mh_context_col_path(r, c), e->slug, ".html", NULL);
    } else {
        if (!mh_content_type_is(c->module, MH_TYPE_SUBMIT))
            return MH_DECLINED;
        rc = load_list(r, 1);
        if (rc != MH_OK)
            return rc;
        r->kind = MH_PK_LIST;
        r->path = mh_context_col_path(r, c);
    }
    rc = mh_forms_post(r, req, resp);
    if (rc != MH_OK || resp->status == 303)
        return rc;
    rc = render(s, r, NULL, &resp->body);
    if (rc != MH_OK)
        fail_page(resp);
    return MH_OK;
}

/* The rows run without the server (tests, the theme check at open): the
 * first row that takes the path, as the dispatcher would. */
static int dispatch(mh_site_t *s, mh_req_t *req, mh_resp_t *resp, mh_site_req_t **ctx_r)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(rows); i++) {
        if (!mh_route_pattern_match(rows[i].pattern, req->path, &req->params))
            continue;
        if (ctx_r) {
            int rc = rows[i].resolve(s, req, resp, ctx_r);
            if (rc == MH_DECLINED) {
                resp->status = 0;
                resp->location = NULL;
                continue;
            }
            if (rc == MH_OK && *ctx_r && !resp->status)
                resp->status = 200;
            return rc;
        }
        if (mh_site_run(s, i, req, resp) != MH_DECLINED)
            return resp->status == 500 ? MH_ERR : MH_OK;
    }
    return MH_ERR; /* the last row never declines */
}

int mh_site_handle(mh_site_t *s, mh_pool_t *pool, mh_str_t host, mh_str_t path, mh_str_t query,
                   mh_page_t *out)
{
    mh_req_t req = {.pool = pool, .method = MH_M_GET, .host = host, .query = query};
    req.path = path.len ? path : MH_STR_LIT("/");
    mh_resp_t resp;
    memset(&resp, 0, sizeof(resp));
    mh_buf_init(&resp.body, BODY_MAX);
    int rc = dispatch(s, &req, &resp, NULL);
    if (resp.stream) { /* a streamed row (the sitemap): read it all */
        char chunk[16384];
        resp.body.max = STREAM_MAX;
        for (uint64_t pos = 0;;) {
            long n = resp.stream(resp.stream_state, pos, chunk, sizeof(chunk));
            if (n == MH_STREAM_END)
                break;
            if (n < 0 || mh_buf_append(&resp.body, chunk, (size_t)n) != MH_OK) {
                rc = MH_ERR;
                resp.status = 500;
                break;
            }
            pos += (uint64_t)n;
        }
        if (resp.stream_free)
            resp.stream_free(resp.stream_state);
        resp.stream = NULL;
    }
    memset(out, 0, sizeof(*out));
    out->status = resp.status;
    out->content_type = resp.content_type ? resp.content_type : HTML_TYPE;
    out->location = resp.location;
    out->lang = resp.lang;
    out->body = resp.body;
    out->cacheable = rc == MH_OK && !resp.no_store && (resp.status == 200 || resp.status == 301);
    return rc;
}

int mh_site_context(mh_site_t *s, mh_pool_t *pool, mh_str_t host, mh_str_t path, int *status,
                    mh_val_t **ctx)
{
    mh_req_t req = {.pool = pool, .method = MH_M_GET, .host = host};
    req.path = path.len ? path : MH_STR_LIT("/");
    mh_resp_t resp;
    memset(&resp, 0, sizeof(resp));
    mh_site_req_t *r = NULL;
    *ctx = NULL;
    *status = 500;
    if (dispatch(s, &req, &resp, &r) != MH_OK)
        return MH_ERR;
    *status = resp.status;
    if (r)
        *ctx = mh_context_build(r);
    return MH_OK;
}

/* --- theme check --- */

/* The context schema as a tree. A list node's children are its items' keys. */
typedef struct snode {
    const char *name;
    bool list, any;
    unsigned pages;
    struct snode *kid, *next;
} snode_t;

static snode_t *snode_child(mh_pool_t *p, snode_t *n, const char *name, size_t len, bool create)
{
    for (snode_t *k = n->kid; k; k = k->next)
        if (strlen(k->name) == len && memcmp(k->name, name, len) == 0)
            return k;
    if (!create)
        return NULL;
    snode_t *k = mh_pcalloc(p, sizeof(*k));
    k->name = mh_pstrndup(p, name, len);
    k->next = n->kid;
    n->kid = k;
    return k;
}

/* Keys of a map value become children of n (UI strings, assets). */
static void snode_add_keys(mh_pool_t *p, snode_t *n, mh_val_t *map, unsigned pages)
{
    for (size_t i = 0; map && map->kind == MH_V_MAP && i < map->u.map.n; i++) {
        snode_t *k =
            snode_child(p, n, map->u.map.items[i].key.base, map->u.map.items[i].key.len, true);
        k->pages |= pages;
    }
}

static snode_t *schema_tree(mh_pool_t *p, mh_val_t *strings, mh_val_t *assets)
{
    snode_t *root = mh_pcalloc(p, sizeof(*root));
    root->name = "";
    root->pages = MH_PK_ALL;
    for (size_t i = 0; i < mh_context_schema_len; i++) {
        const char *path = mh_context_schema[i].path;
        unsigned pages = mh_context_schema[i].pages;
        snode_t *n = root;
        while (*path) {
            size_t len = strcspn(path, ".");
            if (len == 1 && path[0] == '*') {
                if (n->name && strcmp(n->name, "t") == 0 &&
                    n == snode_child(p, root, "t", 1, false))
                    snode_add_keys(p, n, strings, pages);
                else if (n == snode_child(p, root, "assets", 6, false))
                    snode_add_keys(p, n, assets, pages);
                else
                    n->any = true;
            } else {
                bool list = len > 2 && path[len - 2] == '[' && path[len - 1] == ']';
                n = snode_child(p, n, path, list ? len - 2 : len, true);
                n->list |= list;
                n->pages |= pages;
            }
            path += len;
            if (*path == '.')
                path++;
        }
    }
    return root;
}

#define CK_DEPTH 24
#define CK_CTX 16

typedef struct {
    const snode_t *stack[CK_DEPTH];
    size_t n;
    unsigned mask;
} ckctx_t;

typedef struct {
    const char *tmpl, *name;
    char kind;
    const char **secs;
    size_t nsecs;
    int line;
} cktag_t;

typedef struct {
    const char *name;
    ckctx_t ctx[CK_CTX];
    size_t nctx;
    bool included;
} cktmpl_t;

typedef struct {
    mh_pool_t *pool;
    cktag_t *tags;
    size_t ntags, cap;
} ckwalk_t;

static void ck_collect(void *data, const char *tmpl, char kind, const char *name,
                       const char *const *sections, size_t nsections, int line)
{
    ckwalk_t *w = data;
    if (w->ntags == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        cktag_t *t = mh_pnalloc(w->pool, cap, sizeof(*t));
        if (w->ntags)
            memcpy(t, w->tags, w->ntags * sizeof(*t));
        w->tags = t;
        w->cap = cap;
    }
    cktag_t *t = &w->tags[w->ntags++];
    t->tmpl = mh_pstrdup(w->pool, tmpl);
    t->name = mh_pstrdup(w->pool, name);
    t->kind = kind;
    t->line = line;
    t->nsecs = nsections;
    t->secs = mh_pnalloc(w->pool, nsections + 1, sizeof(*t->secs));
    for (size_t i = 0; i < nsections; i++)
        t->secs[i] = mh_pstrdup(w->pool, sections[i]);
}

static const snode_t ck_any = {.name = "*", .any = true, .pages = MH_PK_ALL};

/* Resolve a dotted name against a context stack as Mustache does: the first
 * part is looked up from the innermost frame outwards, the rest inside it. */
static const snode_t *ck_resolve(const ckctx_t *c, const char *name)
{
    if (strcmp(name, ".") == 0)
        return c->n ? c->stack[c->n - 1] : &ck_any;
    size_t len = strcspn(name, ".");
    const snode_t *n = NULL;
    for (size_t i = c->n; i-- > 0 && !n;) {
        const snode_t *f = c->stack[i];
        if (f->any)
            return &ck_any;
        for (const snode_t *k = f->kid; k; k = k->next)
            if (strlen(k->name) == len && memcmp(k->name, name, len) == 0 && (k->pages & c->mask)) {
                n = k;
                break;
            }
    }
    while (n && name[len] == '.') {
        name += len + 1;
        len = strcspn(name, ".");
        if (n->any)
            return &ck_any;
        const snode_t *next = NULL;
        for (const snode_t *k = n->kid; k; k = k->next)
            if (strlen(k->name) == len && memcmp(k->name, name, len) == 0 && (k->pages & c->mask))
                next = k;
        n = next;
    }
    return n;
}

static void ck_push(ckctx_t *c, const char *const *secs, size_t nsecs)
{
    for (size_t i = 0; i < nsecs; i++) {
        const snode_t *n = ck_resolve(c, secs[i]);
        if (!n)
            n = &ck_any; /* reported at its own tag; do not cascade */
        else if (!n->list && !n->kid && !n->any)
            continue; /* a scalar used as a condition pushes nothing useful */
        if (c->n < CK_DEPTH)
            c->stack[c->n++] = n;
    }
}

static cktmpl_t *ck_tmpl(cktmpl_t *ts, size_t *nts, size_t max, const char *name)
{
    for (size_t i = 0; i < *nts; i++)
        if (strcmp(ts[i].name, name) == 0)
            return &ts[i];
    if (*nts == max)
        return NULL;
    ts[*nts].name = name;
    return &ts[(*nts)++];
}

/* Add context c to t; true if that changed anything. */
static bool ck_add_ctx(cktmpl_t *t, const ckctx_t *c)
{
    for (size_t i = 0; i < t->nctx; i++) {
        ckctx_t *o = &t->ctx[i];
        if (o->n == c->n && memcmp(o->stack, c->stack, c->n * sizeof(c->stack[0])) == 0) {
            if ((o->mask | c->mask) == o->mask)
                return false;
            o->mask |= c->mask;
            return true;
        }
    }
    if (t->nctx == CK_CTX)
        return false;
    t->ctx[t->nctx++] = *c;
    return true;
}

static unsigned page_mask_of(const char *tmpl)
{
    static const struct {
        const char *name;
        unsigned mask;
    } m[] = {{"home", MH_PK_HOME},   {"list", MH_PK_LIST}, {"page", MH_PK_SINGLE},
             {"entry", MH_PK_ENTRY}, {"404", MH_PK_404},   {"search", MH_PK_SEARCH},
             {"tag", MH_PK_TAG}};
    for (size_t i = 0; i < MH_ARRAY_LEN(m); i++)
        if (strcmp(m[i].name, tmpl) == 0)
            return m[i].mask;
    /* a type's own page templates: list-product, entry-product */
    if (strncmp(tmpl, "list-", 5) == 0)
        return MH_PK_LIST;
    if (strncmp(tmpl, "entry-", 6) == 0)
        return MH_PK_ENTRY;
    return MH_PK_ALL;
}

int mh_site_theme_check(const char *theme_dir)
{
    char err[512] = "";
    mh_site_t *s = NULL;
    if (mh_site_open(&s, NULL, theme_dir, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "theme %s: %s\n", theme_dir, err);
        return -1;
    }
    mh_pool_t *p = mh_pool_create();
    mh_val_t *en = strings_for(s, "en");
    snode_t *root = schema_tree(p, en, s->assets);
    ckwalk_t w = {.pool = p};
    mh_tmpl_walk_names(s->tmpl, ck_collect, &w);

    enum { MAX_T = 256 };
    cktmpl_t *ts = mh_pcalloc(p, MAX_T * sizeof(*ts));
    size_t nts = 0;
    for (size_t i = 0; i < w.ntags; i++) {
        ck_tmpl(ts, &nts, MAX_T, w.tags[i].tmpl);
        if (w.tags[i].kind == '>' || w.tags[i].kind == '<') {
            cktmpl_t *t = ck_tmpl(ts, &nts, MAX_T, w.tags[i].name);
            if (t)
                t->included = true;
        }
    }
    /* Pages start at the root; partials and parents inherit the contexts
     * they are included from, until nothing changes. */
    for (size_t i = 0; i < nts; i++) {
        if (!ts[i].included) {
            ckctx_t c = {.stack = {root}, .n = 1, .mask = page_mask_of(ts[i].name)};
            ck_add_ctx(&ts[i], &c);
        }
    }
    for (int round = 0, changed = 1; changed && round < 16; round++) {
        changed = 0;
        for (size_t i = 0; i < w.ntags; i++) {
            cktag_t *g = &w.tags[i];
            if (g->kind != '>' && g->kind != '<')
                continue;
            cktmpl_t *from = ck_tmpl(ts, &nts, MAX_T, g->tmpl);
            cktmpl_t *to = ck_tmpl(ts, &nts, MAX_T, g->name);
            for (size_t k = 0; from && to && k < from->nctx; k++) {
                ckctx_t c = from->ctx[k];
                ck_push(&c, g->secs, g->nsecs);
                changed |= ck_add_ctx(to, &c);
            }
        }
    }

    int problems = 0;
    for (size_t i = 0; i < w.ntags; i++) {
        cktag_t *g = &w.tags[i];
        const char *msg = NULL;
        if (g->kind == '>' || g->kind == '<') {
            if (g->name[0] != '*' && !mh_tmpl_has(s->tmpl, g->name))
                msg = g->kind == '>' ? "unknown partial" : "unknown parent template";
        } else if (g->kind == 'v' || g->kind == '#' || g->kind == '^') {
            cktmpl_t *t = ck_tmpl(ts, &nts, MAX_T, g->tmpl);
            bool found = false;
            for (size_t k = 0; t && k < t->nctx && !found; k++) {
                ckctx_t c = t->ctx[k];
                ck_push(&c, g->secs, g->nsecs);
                found = ck_resolve(&c, g->name) != NULL;
            }
            if (!found)
                msg = "unknown name";
        }
        if (msg) {
            printf("%s/templates/%s.mustache:%d: %s '%s'\n", theme_dir, g->tmpl, g->line, msg,
                   g->name);
            problems++;
        }
    }
    mh_pool_destroy(p);
    mh_site_close(s);
    return problems;
}
