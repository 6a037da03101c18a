/* The static export walks the site the way a crawler would, seeded with
 * what the server itself says is public: the sitemap (every home, column
 * and entry, and its parts on a large site), the feeds and robots.txt.
 * Every rendered HTML page's same-site links are followed, so list pages,
 * column feeds and whatever a theme links to are found without a second
 * list of the URL space here to keep in step with src/site. Pages are
 * rendered with mh_site_handle, the server's own rows. */
#include "static.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../content/content.h"
#include "../content/languages.h"
#include "../core/buf.h"
#include "../core/common.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../core/pool.h"
#include "../core/str.h"
#include "../http/server.h"
#include "../http/url.h"
#include "../site/downloads.h"
#include "../site/site.h"

#define MANIFEST ".masthead-export"
#define COPY_MAX (256u << 20)
#define URL_MAX 2048

/* A set of strings (open addressing), also kept in insertion order. */
struct strset {
    char **slot;
    size_t cap, n;
    char **order;
    size_t norder, ocap;
};

static uint64_t str_hash(const char *s)
{
    return mh_hash64(s, strlen(s));
}

static bool set_has(const struct strset *t, const char *s)
{
    if (!t->cap)
        return false;
    for (size_t i = str_hash(s) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->slot[i], s) == 0)
            return true;
    return false;
}

/* Add a copy of s; false when it was there already. */
static bool set_add(struct strset *t, const char *s)
{
    if (set_has(t, s))
        return false;
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        char **slot = mh_calloc(cap, sizeof(*slot));
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                size_t k = str_hash(t->slot[i]) & (cap - 1);
                while (slot[k])
                    k = (k + 1) & (cap - 1);
                slot[k] = t->slot[i];
            }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    char *copy = mh_strdup(s);
    size_t k = str_hash(s) & (t->cap - 1);
    while (t->slot[k])
        k = (k + 1) & (t->cap - 1);
    t->slot[k] = copy;
    t->n++;
    if (t->norder == t->ocap) {
        t->ocap = t->ocap ? t->ocap * 2 : 1024;
        t->order = mh_realloc(t->order, t->ocap * sizeof(*t->order));
    }
    t->order[t->norder++] = copy;
    return true;
}

static void set_free(struct strset *t)
{
    for (size_t i = 0; i < t->norder; i++)
        free(t->order[i]);
    free(t->order);
    free(t->slot);
    memset(t, 0, sizeof(*t));
}

struct export
{
    const char *out;
    mh_content_t *content;
    const char *media; /* the site's media directory */
    mh_site_t *site;
    mh_str_t host;
    const char *origin;  /* "http://host" as the sitemap writes it */
    struct strset urls;  /* paths queued or done, in order */
    struct strset files; /* files this run produced (relative to out) */
    mh_export_stats_t *st;
    mh_export_progress_fn progress;
    void *ctx;
    /* Workers render pages in parallel: the sets, the stats and the queue
     * position are shared under mu; a worker waits on more when the queue
     * is empty while others still render (their links may add to it). */
    pthread_mutex_t mu;
    pthread_cond_t more;
    size_t next; /* index in urls.order of the next page to render */
    int busy;    /* workers rendering */
    bool failed;
};

/* mkdir -p for the directories of out/rel. */
static int make_parents(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return MH_ERR;
    for (char *q = buf + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return MH_ERR;
        *q = '/';
    }
    return MH_OK;
}

/* Write path through a temporary file renamed over it, so a reader (a web
 * server serving OUT during an export) never sees half a file. Not
 * fsynced: an export is re-run rather than recovered, and a sync per file
 * made 100,000 pages take minutes. */
static int write_replace(const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp-export", path) >= (int)sizeof(tmp))
        return MH_ERR;
    FILE *f = fopen(tmp, "wb");
    if (!f && errno == ENOENT && make_parents(path) == MH_OK)
        f = fopen(tmp, "wb"); /* the first file of its directory */
    if (!f)
        return MH_ERR;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return MH_ERR;
    }
    return MH_OK;
}

/* Write out/rel unless it already holds exactly these bytes. */
static int put_file(struct export *x, const char *rel, const void *data, size_t len)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", x->out, rel) >= (int)sizeof(path))
        return MH_ERR;
    pthread_mutex_lock(&x->mu);
    set_add(&x->files, rel);
    pthread_mutex_unlock(&x->mu);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len) {
        char *old = NULL;
        size_t olen = 0;
        bool same = mh_file_read(path, len + 1, &old, &olen) == MH_OK && olen == len &&
                    memcmp(old, data, len) == 0;
        free(old);
        if (same) {
            pthread_mutex_lock(&x->mu);
            x->st->unchanged++;
            pthread_mutex_unlock(&x->mu);
            return MH_OK;
        }
    }
    if (write_replace(path, data, len) != MH_OK) {
        mh_error("export: cannot write %s: %s", path, strerror(errno));
        return MH_ERR;
    }
    pthread_mutex_lock(&x->mu);
    x->st->written++;
    pthread_mutex_unlock(&x->mu);
    return MH_OK;
}

/* Copy the regular files under src (dot-names skipped) to out/prefix/... */
static int copy_tree(struct export *x, const char *src, const char *prefix, int depth)
{
    DIR *d = opendir(src);
    if (!d)
        return errno == ENOENT ? MH_OK : MH_ERR;
    int rc = MH_OK;
    struct dirent *e;
    while (rc == MH_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX], rel[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", src, e->d_name) >= (int)sizeof(path) ||
            snprintf(rel, sizeof(rel), "%s/%s", prefix, e->d_name) >= (int)sizeof(rel))
            continue;
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth < 8)
                rc = copy_tree(x, path, rel, depth + 1);
        } else if (S_ISREG(sb.st_mode)) {
            char *data = NULL;
            size_t len = 0;
            if (mh_file_read(path, COPY_MAX, &data, &len) == MH_OK)
                rc = put_file(x, rel, data, len);
            free(data);
        }
    }
    closedir(d);
    return rc;
}

/* Queue a site path (decoded, starting with '/'), once. */
static void enqueue(struct export *x, const char *path)
{
    pthread_mutex_lock(&x->mu);
    if (set_add(&x->urls, path))
        pthread_cond_signal(&x->more);
    pthread_mutex_unlock(&x->mu);
}

/* The site path of a link or a sitemap location: same-site, without query
 * or fragment; NULL for anything else (other origins, assets and media,
 * which are copied, and the query-dependent search). */
static const char *site_path(struct export *x, mh_pool_t *p, const char *href, size_t n)
{
    mh_str_t raw = mh_str(href, n);
    size_t ol = strlen(x->origin);
    if (n > ol && strncmp(href, x->origin, ol) == 0 && href[ol] == '/')
        raw = mh_str(href + ol, n - ol);
    if (raw.len == 0 || raw.len > URL_MAX || raw.base[0] != '/' ||
        (raw.len > 1 && raw.base[1] == '/'))
        return NULL;
    size_t cut = raw.len;
    for (size_t i = 0; i < raw.len; i++)
        if (raw.base[i] == '?' || raw.base[i] == '#') {
            if (raw.base[i] == '?')
                return NULL; /* depends on the query */
            cut = i;
            break;
        }
    /* &amp; and friends: links are written HTML-escaped */
    char *un = mh_palloc(p, cut + 1);
    size_t o = 0;
    for (size_t i = 0; i < cut; i++) {
        if (raw.base[i] == '&') {
            if (cut - i >= 5 && memcmp(raw.base + i, "&amp;", 5) == 0) {
                un[o++] = '&';
                i += 4;
                continue;
            }
            return NULL;
        }
        un[o++] = raw.base[i];
    }
    mh_str_t dec;
    if (mh_url_decode_path(p, mh_str(un, o), &dec) != MH_OK)
        return NULL;
    const char *s = mh_pstrndup(p, dec.base, dec.len);
    if (strncmp(s, "/assets/", 8) == 0 || strncmp(s, "/media/", 7) == 0 ||
        strcmp(s, "/search") == 0 || (strlen(s) > 7 && strcmp(s + strlen(s) - 7, "/search") == 0))
        return NULL;
    return s;
}

/* Queue every same-site link of an HTML page (href="...") or every <loc>
 * of a sitemap. */
static void harvest(struct export *x, mh_pool_t *p, mh_str_t body, bool sitemap)
{
    const char *open = sitemap ? "<loc>" : "href=\"";
    const char close = sitemap ? '<' : '"';
    size_t ol = strlen(open);
    const char *s = body.base, *end = body.base + body.len;
    while (s < end) {
        const char *hit = memmem(s, (size_t)(end - s), open, ol);
        if (!hit)
            break;
        const char *v = hit + ol;
        const char *q = memchr(v, close, (size_t)(end - v));
        if (!q)
            break;
        const char *path = site_path(x, p, v, (size_t)(q - v));
        if (path)
            enqueue(x, path);
        s = q + 1;
    }
}

/* A page rendered per visit (a public form's page: its form token is
 * stamped with the time) with the token left empty, so that an unchanged
 * page exports the same bytes every time. A static copy cannot take the
 * form anyway; posted to the dynamic site without a token, it is shown
 * again there with a fresh one. */
static mh_str_t unstamp(mh_pool_t *p, mh_str_t body)
{
    static const char mark[] = "name=\"_token\" value=\"";
    const size_t ml = sizeof(mark) - 1;
    char *out = mh_palloc(p, body.len + 1);
    size_t o = 0;
    const char *s = body.base, *end = body.base + body.len;
    while (s < end) {
        const char *hit = memmem(s, (size_t)(end - s), mark, ml);
        const char *q = hit ? memchr(hit + ml, '"', (size_t)(end - hit - ml)) : NULL;
        if (!q) {
            memcpy(out + o, s, (size_t)(end - s));
            o += (size_t)(end - s);
            break;
        }
        memcpy(out + o, s, (size_t)(hit + ml - s));
        o += (size_t)(hit + ml - s);
        s = q; /* from the closing quote on */
    }
    out[o] = '\0';
    return mh_str(out, o);
}

/* Where a path is stored: "/" and "/news/" -> index.html inside. */
static const char *file_of(mh_pool_t *p, const char *path)
{
    size_t n = strlen(path);
    if (path[n - 1] == '/')
        return mh_psprintf(p, "%sindex.html", path + 1);
    return path + 1;
}

/* /download/<id>: the download's file itself (a static server sends it
 * without the attachment header the dynamic site adds, and counts
 * nothing). */
static int export_download(struct export *x, const char *path)
{
    mh_pool_t *p = mh_pool_create();
    mh_download_t d;
    char *data = NULL, file[PATH_MAX];
    size_t len = 0;
    int rc = MH_OK;
    unsigned long long id = 0;
    const char *num = path + strlen(MH_DOWNLOAD_PREFIX);
    if (!mh_str_to_u64(mh_str_c(num), INT64_MAX, &id) || id == 0 ||
        mh_download_resolve(x->content, p, (int64_t)id, true, (int64_t)time(NULL), &d) != MH_OK ||
        snprintf(file, sizeof(file), "%s/%s", x->media, d.file.rel_path) >= (int)sizeof(file) ||
        mh_file_read(file, COPY_MAX, &data, &len) != MH_OK) {
        mh_warn("export: %s is not a public download", path);
        goto done;
    }
    pthread_mutex_lock(&x->mu);
    x->st->pages++;
    pthread_mutex_unlock(&x->mu);
    rc = put_file(x, path + 1, data, len);
done:
    free(data);
    mh_pool_destroy(p);
    return rc;
}

static int export_page(struct export *x, const char *path)
{
    if (strncmp(path, MH_DOWNLOAD_PREFIX, strlen(MH_DOWNLOAD_PREFIX)) == 0)
        return export_download(x, path);
    mh_pool_t *p = mh_pool_create();
    mh_page_t page;
    int rc = MH_OK;
    if (mh_site_handle(x->site, p, x->host, mh_str_c(path), MH_STR_NULL, &page) != MH_OK ||
        page.status == 500) {
        mh_warn("export: %s did not render", path);
        pthread_mutex_lock(&x->mu);
        x->st->failed++;
        pthread_mutex_unlock(&x->mu);
        goto done;
    }
    pthread_mutex_lock(&x->mu);
    x->st->pages++;
    pthread_mutex_unlock(&x->mu);
    if (page.status != 200)
        goto done; /* moved or gone: nothing to serve */
    mh_str_t body = mh_buf_str(&page.body);
    if (!page.cacheable)
        body = unstamp(p, body);
    bool xml = page.content_type && strstr(page.content_type, "xml");
    if (page.content_type && strncmp(page.content_type, "text/html", 9) == 0)
        harvest(x, p, body, false);
    else if (xml && (strstr(path, "sitemap") != NULL))
        harvest(x, p, body, true);
    rc = put_file(x, file_of(p, path), body.base, body.len);
done:
    mh_buf_free(&page.body);
    mh_pool_destroy(p);
    return rc;
}

/* Remove the files the previous export listed that this one did not
 * produce, then write the new list. */
static int sweep(struct export *x)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", x->out, MANIFEST);
    char *old = NULL;
    size_t len = 0;
    if (mh_file_read(path, 512u << 20, &old, &len) == MH_OK) {
        for (char *line = old; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (*line && !strstr(line, "..") && line[0] != '/' && !set_has(&x->files, line)) {
                char f[PATH_MAX];
                if (snprintf(f, sizeof(f), "%s/%s", x->out, line) < (int)sizeof(f) &&
                    unlink(f) == 0)
                    x->st->removed++;
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    free(old);
    mh_buf_t b;
    mh_buf_init(&b, 512u << 20);
    for (size_t i = 0; i < x->files.norder; i++) {
        mh_buf_append_c(&b, x->files.order[i]);
        mh_buf_append_c(&b, "\n");
    }
    int rc = mh_buf_failed(&b) ? MH_ERR : mh_file_write_atomic(path, b.base, b.len, 0644);
    mh_buf_free(&b);
    return rc;
}

static void *worker(void *arg)
{
    struct export *x = arg;
    pthread_mutex_lock(&x->mu);
    for (;;) {
        while (!x->failed && x->next == x->urls.norder && x->busy > 0)
            pthread_cond_wait(&x->more, &x->mu);
        if (x->failed || x->next == x->urls.norder)
            break; /* done: nothing queued and nobody can add more */
        const char *path = x->urls.order[x->next++];
        x->busy++;
        pthread_mutex_unlock(&x->mu);
        int rc = export_page(x, path);
        pthread_mutex_lock(&x->mu);
        x->busy--;
        if (rc != MH_OK)
            x->failed = true;
        if (x->progress)
            x->progress(x->ctx, (int64_t)x->next, (int64_t)x->urls.norder);
        pthread_cond_broadcast(&x->more);
    }
    pthread_mutex_unlock(&x->mu);
    return NULL;
}

/* Render every queued page with n workers (the calling thread is one). */
static int crawl(struct export *x, int n)
{
    pthread_t th[8];
    int started = 0;
    for (int i = 1; i < n && i < 8; i++)
        if (pthread_create(&th[started], NULL, worker, x) == 0)
            started++;
    worker(x);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return x->failed ? MH_ERR : MH_OK;
}

int mh_export_static(const char *site_dir, const char *theme_dir, const char *out_dir,
                     const char *host, mh_export_progress_fn progress, void *ctx,
                     mh_export_stats_t *stats, char *err, size_t errlen)
{
    mh_content_t *c = NULL;
    mh_pool_t *p = mh_pool_create();
    struct export x = {.out = out_dir, .st = stats, .progress = progress, .ctx = ctx};
    pthread_mutex_init(&x.mu, NULL);
    pthread_cond_init(&x.more, NULL);
    char theme[PATH_MAX], media[PATH_MAX];
    int rc = MH_ERR;
    memset(stats, 0, sizeof(*stats));
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", out_dir, strerror(errno));
        goto done;
    }
    if (mh_content_open(site_dir, &c, err, errlen) != MH_OK)
        goto done;
    snprintf(media, sizeof(media), "%s/media", site_dir);
    x.content = c;
    x.media = media;
    if (theme_dir)
        snprintf(theme, sizeof(theme), "%s", theme_dir);
    else
        mh_server_default_theme(site_dir, theme, sizeof(theme));
    if (mh_site_open(&x.site, c, theme, err, errlen) != MH_OK)
        goto done;
    x.host = mh_str_c(host && host[0] ? host : "localhost");
    x.origin = mh_psprintf(p, "http://%.*s", (int)x.host.len, x.host.base);
    /* the sitemap's origin is the base_url setting when there is one */
    const char *base = mh_content_setting(c, p, 0, "base_url");
    if (base && base[0]) {
        size_t n = strlen(base);
        while (n && base[n - 1] == '/')
            n--;
        x.origin = mh_pstrndup(p, base, n);
    }

    enqueue(&x, "/");
    enqueue(&x, "/sitemap.xml");
    enqueue(&x, "/robots.txt");
    enqueue(&x, "/feed.xml");
    enqueue(&x, "/atom.xml");
    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(c, p, &langs, &nl) == MH_OK)
        for (size_t i = 0; i < nl; i++)
            if (mh_content_language_public(&langs[i]) && langs[i].prefix && langs[i].prefix[0] &&
                !(langs[i].domain && langs[i].domain[0])) {
                enqueue(&x, mh_psprintf(p, "/%s/", langs[i].prefix));
                enqueue(&x, mh_psprintf(p, "/%s/feed.xml", langs[i].prefix));
                enqueue(&x, mh_psprintf(p, "/%s/atom.xml", langs[i].prefix));
            }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (crawl(&x, cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus) != MH_OK) {
        snprintf(err, errlen, "cannot write the pages into %s", out_dir);
        goto done;
    }

    /* the themed 404 for servers configured to use it */
    mh_page_t nf;
    if (mh_site_handle(x.site, p, x.host, mh_str_c("/.masthead-export-404"), MH_STR_NULL, &nf) ==
            MH_OK &&
        nf.status == 404) {
        mh_str_t b = mh_buf_str(&nf.body);
        if (put_file(&x, "404.html", b.base, b.len) != MH_OK) {
            mh_buf_free(&nf.body);
            snprintf(err, errlen, "cannot write 404.html");
            goto done;
        }
    }
    mh_buf_free(&nf.body);

    if (copy_tree(&x, mh_site_assets_dir(x.site), "assets", 0) != MH_OK) {
        snprintf(err, errlen, "cannot copy the theme's assets");
        goto done;
    }
    if (copy_tree(&x, media, "media", 0) != MH_OK) {
        snprintf(err, errlen, "cannot copy the media files");
        goto done;
    }
    if (sweep(&x) != MH_OK) {
        snprintf(err, errlen, "cannot write %s/%s", out_dir, MANIFEST);
        goto done;
    }
    rc = MH_OK;
done:
    set_free(&x.urls);
    set_free(&x.files);
    if (x.site)
        mh_site_close(x.site);
    if (c)
        mh_content_close(c);
    mh_pool_destroy(p);
    pthread_cond_destroy(&x.more);
    pthread_mutex_destroy(&x.mu);
    return rc;
}
