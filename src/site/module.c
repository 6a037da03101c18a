/* The site module's state is one struct (struct site_module) reached from
 * every row's data pointer. The theme is replaced as a whole when its files
 * change and read with one atomic load per request; replaced themes stay
 * allocated until the module closes (requests may still use them; themes
 * change rarely). */
#include "module.h"

#include <dirent.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../content/accounts.h"
#include "../content/editorial.h"
#include "../content/media.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../http/static.h"
#include "../media/media.h"
#include "../router/router.h"
#include "forms.h"
#include "../content/portal.h"
#include "downloads.h"
#include "hits.h"
#include "regions.h"
#include "site.h"

#define SERVE_MAX (64u << 20) /* a stored file larger than this is not sent */
#define CACHE_FOREVER "public, max-age=31536000, immutable"

struct theme {
    mh_site_t *site;
    mh_static_t *assets;
    struct theme *older;
};

struct site_module;

/* The data of one public row: the module and the row's index in site.c. */
struct page_row {
    struct site_module *m;
    size_t index;
};

struct site_module {
    mh_server_t *srv;
    mh_content_t *content;
    _Atomic(struct theme *) theme;
    char theme_path[PATH_MAX];
    uint64_t theme_sig;
    char media_dir[PATH_MAX];
    int64_t sched_last; /* end of the last scheduler window (0: from the start) */
    mh_routes_t routes;
    struct page_row *rows;
    mh_hits_t *hits;      /* entry views since the last flush */
    int64_t hits_last;    /* when they were last flushed */
    int64_t hits_every;   /* seconds between flushes */
    mh_hits_t *downloads; /* downloads since the last flush, flushed with hits */
    int64_t banners_last; /* end of the last banner schedule window */
};

/* ---- handlers ---- */

static int h_page(mh_req_t *req, mh_resp_t *resp, void *data)
{
    const struct page_row *pr = data;
    mh_site_t *site = atomic_load(&pr->m->theme)->site;
    if (mh_site_canonical_redirect(site, req, resp))
        return MH_OK;
    return mh_site_run(site, pr->index, req, resp);
}

/* A public form's POST (site/forms.c); never cached. */
static int h_form(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct site_module *m = data;
    int rc = mh_site_post(atomic_load(&m->theme)->site, req, resp);
    if (rc != MH_DECLINED)
        return rc;
    /* no form here: what a POST to any other public path gets */
    resp->lang = NULL;
    mh_resp_error(req, resp, 405);
    resp->allow = MH_M_GET | MH_M_HEAD;
    return MH_OK;
}

/* A theme asset; a name that is no asset declines (the themed 404). */
static int h_asset(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct site_module *m = data;
    const mh_static_file_t *f = mh_static_find(atomic_load(&m->theme)->assets, req->path);
    if (!f)
        return MH_DECLINED;
    mh_static_respond(f, req, resp);
    return MH_OK;
}

/* GET/HEAD /media/<stored name> and /media/<variant name>. The path must
 * have the exact stored shape and name a row of the media table
 * (content/media.h resolves it), so no URL can reach any other file. The
 * type comes from the database, documents go out as attachments, and the
 * long cache lifetime is safe because names are random and never reused.
 * Anything else is a plain 404, as it always was. */
static int h_media(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct site_module *m = data;
    mh_pool_t *p = req->pool;
    mh_str_t rest = mh_req_param(req, "file");
    mh_media_file_t f;
    int rc = rest.len ? mh_content_media_resolve(m->content, p, rest, &f) : MH_DECLINED;
    if (rc == MH_OK) {
        const void *bytes;
        size_t len;
        rc = mh_content_media_load(p, m->media_dir, f.rel_path, SERVE_MAX, &bytes, &len);
        if (rc == MH_DECLINED)
            mh_warn("media: %s is recorded but missing on disk", f.rel_path);
        if (rc == MH_OK) {
            resp->status = 200;
            resp->content_type = f.mime;
            resp->data = bytes;
            resp->data_len = len;
            resp->etag = f.etag;
            resp->cache_control = CACHE_FOREVER;
            if (!f.inline_ok)
                mh_resp_header(resp, "Content-Disposition",
                               mh_media_content_disposition(p, f.download_name));
            /* whatever the browser thinks of the bytes, they never run as a page */
            mh_resp_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
            return MH_OK;
        }
    }
    if (rc != MH_DECLINED)
        return MH_ERR;
    mh_resp_error(req, resp, 404);
    return MH_OK;
}

/* GET/HEAD /download/<entry id>: the entry's file as an attachment
 * (downloads.c), counted in memory; module_tick writes the counts. */
static int h_download(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct site_module *m = data;
    return mh_download_serve(m->content, m->media_dir, m->downloads, req, resp);
}

/* ---- themes: compiled once, and again when their files change ---- */

static struct theme *theme_load(struct site_module *m, char *err, size_t errlen)
{
    struct theme *t = mh_calloc(1, sizeof(*t));
    if (mh_site_open(&t->site, m->content, m->theme_path, err, errlen) != MH_OK) {
        free(t);
        return NULL;
    }
    mh_static_load(&t->assets, mh_site_assets_dir(t->site), "/assets/");
    return t;
}

/* A fingerprint of every file under dir (names, sizes, modification
 * times), bounded in depth and count: cheap enough to take every second. */
static void sig_walk(const char *dir, int depth, uint64_t *h, int *budget)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)) && (*budget)-- > 0) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        uint64_t x = (uint64_t)st.st_size * 0x9e3779b97f4a7c15ULL ^
                     (uint64_t)st.st_mtim.tv_sec * 1000000007ULL ^ (uint64_t)st.st_mtim.tv_nsec;
        for (const char *c = path; *c; c++)
            x = (x ^ (unsigned char)*c) * 1099511628211ULL;
        *h += x; /* order-independent: readdir order may vary */
        if (S_ISDIR(st.st_mode) && depth < 6)
            sig_walk(path, depth + 1, h, budget);
    }
    closedir(d);
}

static uint64_t theme_signature(const char *dir)
{
    uint64_t h = 0;
    int budget = 4096;
    sig_walk(dir, 0, &h, &budget);
    return h;
}

static void theme_check(struct site_module *m)
{
    uint64_t sig = theme_signature(m->theme_path);
    if (sig == m->theme_sig)
        return;
    m->theme_sig = sig; /* a broken theme is not retried until it changes again */
    char msg[512];
    struct theme *t = theme_load(m, msg, sizeof(msg));
    if (!t) {
        mh_error("theme %s changed but does not load, keeping the previous one: %s", m->theme_path,
                 msg);
        return;
    }
    t->older = atomic_load(&m->theme);
    atomic_store(&m->theme, t);
    mh_server_purge_cache(m->srv);
    mh_info("theme %s reloaded", m->theme_path);
}

/* ---- scheduled publishing ----
 * The first tick looks back to the beginning of time so entries that fell
 * due while the server was down go out at once; later ticks look only at
 * the last window, one indexed query each. Publishing writes the content,
 * which starts a new generation: cached pages go. */
static void scheduler_tick(struct site_module *m)
{
    int64_t now = (int64_t)time(NULL), published = 0;
    if (now <= m->sched_last)
        return;
    if (mh_editorial_tick(m->content, m->sched_last, now, &published) != MH_OK)
        return; /* logged; try the same window again next time */
    if (published > 0) {
        mh_info("scheduler: published %lld scheduled entr%s", (long long)published,
                published == 1 ? "y" : "ies");
        char detail[32];
        snprintf(detail, sizeof(detail), "%lld entries", (long long)published);
        mh_accounts_audit(m->content, 0, "", "entry.publish_scheduled", "", detail);
    }
    m->sched_last = now;
}

/* Banners appear and disappear on their schedule without any write: when
 * a show_from or show_until falls in the window since the last tick, the
 * generation moves so cached pages showing (or missing) them go. The
 * first tick looks back to the start of time (like the scheduler's). */
static void banner_tick(struct site_module *m)
{
    int64_t now = (int64_t)time(NULL), due = 0;
    if (now <= m->banners_last)
        return;
    if (mh_portal_banners_due(m->content, m->banners_last, now, &due) != MH_OK)
        return; /* logged; the same window next time */
    if (due > 0)
        mh_content_changed(m->content);
    m->banners_last = now;
}

/* ---- the module ---- */

static void module_close(void *state)
{
    struct site_module *m = state;
    if (!m)
        return;
    for (struct theme *t = atomic_load(&m->theme), *next; t; t = next) {
        next = t->older;
        mh_static_free(t->assets);
        mh_site_close(t->site);
        free(t);
    }
    if (m->hits) {
        /* shutdown: the views counted since the last tick */
        mh_hits_flush(m->hits, m->content);
        mh_hits_free(m->hits);
    }
    if (m->downloads) {
        mh_hits_flush_with(m->downloads, m->content, mh_portal_downloads_add);
        mh_hits_free(m->downloads);
    }
    mh_routes_free(&m->routes);
    free(m->rows);
    free(m);
}

static int module_open(mh_server_t *srv, void **state, char *err, size_t errlen)
{
    const mh_server_config_t *cfg = mh_server_config(srv);
    struct site_module *m = mh_calloc(1, sizeof(*m));
    char msg[512];
    m->srv = srv;
    m->content = mh_server_content(srv);
    if (cfg->theme_dir)
        snprintf(m->theme_path, sizeof(m->theme_path), "%s", cfg->theme_dir);
    else
        mh_server_default_theme(cfg->site_dir, m->theme_path, sizeof(m->theme_path));
    snprintf(m->media_dir, sizeof(m->media_dir), "%s/media", cfg->site_dir);
    m->theme_sig = theme_signature(m->theme_path);
    m->hits = mh_hits_new();
    m->downloads = mh_hits_new();
    m->hits_last = (int64_t)time(NULL);
    /* the cache starts empty: banner windows that opened or closed before
     * now need no invalidation */
    m->banners_last = m->hits_last;
    m->hits_every = MH_HITS_FLUSH_SECONDS;
    /* tests stretch or shorten the window (seconds, 1 to a day) */
    const char *every = getenv("MH_HITS_FLUSH");
    unsigned long long secs;
    if (every && mh_str_to_u64(mh_str_c(every), 86400, &secs) && secs > 0)
        m->hits_every = (int64_t)secs;
    struct theme *t = theme_load(m, msg, sizeof(msg));
    if (!t) {
        snprintf(err, errlen, "theme %s: %s", m->theme_path, msg);
        module_close(m);
        return MH_ERR;
    }
    atomic_store(&m->theme, t);

    const mh_route_t asset = {
        .methods = MH_M_GET, .pattern = "/assets/*", .handler = h_asset, .data = m};
    const mh_route_t media = {
        .methods = MH_M_GET, .pattern = MH_MEDIA_URL_PREFIX "*file", .handler = h_media, .data = m};
    /* "/media/" alone and deeper misses: a plain 404 like any unknown file */
    const mh_route_t media_dir = {
        .methods = MH_M_GET, .pattern = MH_MEDIA_URL_PREFIX "*", .handler = h_media, .data = m};
    const mh_route_t download = {
        .methods = MH_M_GET, .pattern = MH_DOWNLOAD_PREFIX ":id", .handler = h_download, .data = m};
    mh_routes_add(&m->routes, &asset);
    mh_routes_add(&m->routes, &download);
    mh_routes_add(&m->routes, &media);
    mh_routes_add(&m->routes, &media_dir);
    /* region fields' cascading selects (regions.h) */
    const mh_route_t regions = {
        .methods = MH_M_GET, .pattern = "/regions.json", .handler = mh_site_h_regions, .data = m};
    mh_routes_add(&m->routes, &regions);
    /* public forms post to their own page's path (forms.h); before the
     * pages, which are GET rows and so never in the way */
    static const char *const form_patterns[] = {"/:lang/*column/:slug.html", "/:lang/*column/",
                                                "/*column/:slug.html", "/*column/"};
    for (size_t i = 0; i < MH_ARRAY_LEN(form_patterns); i++) {
        const mh_route_t form = {.methods = MH_M_POST,
                                 .pattern = form_patterns[i],
                                 .handler = h_form,
                                 .data = m,
                                 .max_body = MH_FORMS_BODY_MAX};
        mh_routes_add(&m->routes, &form);
    }
    size_t n = mh_site_nrows();
    m->rows = mh_calloc(n, sizeof(*m->rows));
    for (size_t i = 0; i < n; i++) {
        m->rows[i] = (struct page_row){m, i};
        const mh_route_t row = {.methods = MH_M_GET,
                                .pattern = mh_site_row_pattern(i),
                                .handler = h_page,
                                .data = &m->rows[i],
                                .flags = MH_ROUTE_CACHEABLE | mh_site_row_flags(i)};
        mh_routes_add(&m->routes, &row);
    }
    *state = m;
    return MH_OK;
}

static size_t module_routes(void *state, const mh_route_t **out)
{
    struct site_module *m = state;
    *out = m->routes.v;
    return m->routes.n;
}

static void module_tick(void *state)
{
    struct site_module *m = state;
    theme_check(m);
    scheduler_tick(m);
    banner_tick(m);
    int64_t now = (int64_t)time(NULL);
    if (now - m->hits_last >= m->hits_every) {
        m->hits_last = now;
        mh_hits_flush(m->hits, m->content); /* logged; kept for the next one */
        mh_hits_flush_with(m->downloads, m->content, mh_portal_downloads_add);
    }
}

/* A public page that counts views went out (cached or not): count it in
 * memory only; module_tick writes the sums. */
static void module_hit(void *state, int64_t id)
{
    struct site_module *m = state;
    mh_hits_add(m->hits, id);
}

const mh_server_module_t mh_site_module = {
    .name = "site",
    .open = module_open,
    .close = module_close,
    .routes = module_routes,
    .tick = module_tick,
    .hit = module_hit,
};
