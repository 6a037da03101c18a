/* Request life cycle with libmicrohttpd:
 *  1. uri_log(): the raw request-target arrives before headers are parsed;
 *     we take a pool (reused per worker thread) and remember the raw target
 *     (the path libmicrohttpd passes later is already unescaped, which would
 *     hide "%2f" and "%00").
 *  2. on_request() first call: headers are known. We only check the body
 *     size and return MHD_YES: a response queued now would be sent with
 *     "Connection: close" (libmicrohttpd 0.9.75), defeating keep-alive.
 *  3. further calls: body chunks (counted, bounded).
 *  4. last call: dispatch (run_route): the matched row's policy, the page
 *     cache around cacheable rows, the handler; MH_DECLINED goes on with
 *     the next matching row. Queue the response.
 *  5. completed(): release the page reference, recycle the pool.
 * docs/internals/request-flow.md tells the whole story. The server knows
 * no module by name: the list comes in mh_server_config_t. */
#include "server.h"

#include <assert.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../auth/csrf.h"
#include "../content/content.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../router/router.h"
#include "cache.h"
#include "encode.h"
#include "static.h"
#include "url.h"

#define PAGE_BODY_MAX (8u << 20)
#define GZIP_MIN 256

/* frame-src allows https frames: which ones a page may hold is decided
 * where content is written, by the sanitiser (only https iframes on the
 * hosts of the setting embed_hosts survive, always sandboxed); themes are
 * trusted. A per-site list here would need the CSP rebuilt on every
 * settings change. */
static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data: https:; font-src 'self'; connect-src 'self'; "
                          "media-src 'self' https:; frame-src 'self' https:; object-src 'none'; "
                          "base-uri 'self'; "
                          "form-action 'self'; frame-ancestors 'self'";

struct mh_server {
    mh_server_config_t cfg;
    struct MHD_Daemon *daemon;
    mh_content_t *content;
    mh_page_cache_t *cache;
    /* the modules' rows, in the order of cfg.modules */
    mh_routes_t routes;
    /* which module owns each route, and its state */
    const mh_server_module_t **route_owner;
    void **route_state;
    const mh_server_module_t *const *modules;
    size_t nmodules;
    void **module_state;
    char url[128];
    pthread_t poller;
    pthread_mutex_t poll_lock;
    pthread_cond_t poll_cond;
    bool stopping, poller_started, poll_ready;
    atomic_uint_fast64_t purges;
    /* requests whose headers have arrived and that have not completed:
     * what mh_server_stop waits for (an idle keep-alive connection is not
     * one) */
    atomic_int inflight;
    /* Cold renders of cacheable pages (run_page): one render per page and
     * generation at a time, the other requests for it suspended until it
     * is in the cache (or given the previous copy), and at most
     * render_max renders at once while a previous copy can be served. */
    pthread_mutex_t flight_lock;
    struct flight *flights;
    atomic_int rendering;
    int render_max;
    unsigned render_delay_ms; /* MH_TEST_RENDER_DELAY_MS: tests only */
    atomic_uint_fast64_t renders, coalesced, stale_served;
};

/* A render in progress: its key and generation, and the connections
 * suspended until it ends. */
struct flight {
    const char *key;
    size_t len;
    uint64_t gen;
    struct MHD_Connection **waiters;
    size_t nwaiters, cap;
    struct flight *next;
};

struct request {
    mh_req_t req;
    mh_resp_t resp;
    const mh_route_t *route;
    size_t route_index;
    size_t body_bytes, max_body;
    struct MHD_PostProcessor *pp;
    int early_status; /* decided before the body: 400, 404, 405, 413, 414 */
    bool started, bad_body;
    /* suspended behind another request's render of the same page; waited:
     * it was once, so it never waits again */
    bool suspended, waited;
};

/* One spare pool per worker thread, reused from request to request and
 * destroyed when the thread exits. */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_destroy(void *pool)
{
    mh_pool_destroy(pool);
}

static void spare_make_key(void)
{
    pthread_key_create(&spare_key, spare_destroy);
}

/* Pages rendered without the page cache are rendered on every request, but
 * their bytes rarely change from one request to the next. Each worker
 * thread remembers the last few it sent (one per slot, chosen by path and
 * by whether the client takes gzip);
 * when a new render produces exactly the same page, the remembered entry
 * is sent instead, with its validators, gzip variant and response headers
 * already built. Only identical bytes are reused, so nothing can be
 * stale. */
#define MEMO_SLOTS 8

struct memo {
    mh_cached_page_t *p[MEMO_SLOTS];
};

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_destroy(void *data)
{
    struct memo *m = data;
    for (size_t i = 0; i < MEMO_SLOTS; i++)
        mh_cached_page_release(m->p[i]);
    free(m);
}

static void memo_make_key(void)
{
    pthread_key_create(&memo_key, memo_destroy);
}

static mh_cached_page_t **memo_slot(mh_str_t path, bool gz)
{
    pthread_once(&memo_once, memo_make_key);
    struct memo *m = pthread_getspecific(memo_key);
    if (!m) {
        m = mh_calloc(1, sizeof(*m));
        pthread_setspecific(memo_key, m);
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < path.len; i++)
        h = (h ^ (unsigned char)path.base[i]) * 16777619u;
    /* plain and gzip-accepting clients apart: the first are sent no Vary */
    return &m->p[(h % (MEMO_SLOTS / 2)) * 2 + gz];
}

static bool same_cstr(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}
static uint64_t cache_generation(mh_server_t *s);

/* ---- responses ---- */

static void add_security_headers(struct MHD_Response *m)
{
    MHD_add_response_header(m, "Content-Security-Policy", CSP);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "Referrer-Policy", "strict-origin-when-cross-origin");
    MHD_add_response_header(m, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(m, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

/* A finished response for a page variant. It points into the page without
 * a copy: whoever sends it holds a reference to the page until the request
 * completes (resp->page), and libmicrohttpd reads the body only while
 * sending; a prebuilt response attached to the page dies with it. */
static struct MHD_Response *build_page_response(const mh_cached_page_t *p, bool gz)
{
    struct MHD_Response *m = MHD_create_response_from_buffer(
        gz ? p->gz_len : p->len, gz ? p->gz : p->body, MHD_RESPMEM_PERSISTENT);
    if (!m)
        return NULL;
    MHD_add_response_header(m, "Content-Type", p->content_type);
    if (p->lang)
        MHD_add_response_header(m, "Content-Language", p->lang);
    if (p->location)
        MHD_add_response_header(m, "Location", p->location);
    if (p->status == 200) {
        MHD_add_response_header(m, "ETag", gz ? p->gz_etag : p->etag);
        MHD_add_response_header(m, "Cache-Control", "no-cache");
    } else if (p->status == 301) {
        MHD_add_response_header(m, "Cache-Control", "public, max-age=3600");
    } else {
        MHD_add_response_header(m, "Cache-Control", "no-store");
    }
    if (p->gz)
        MHD_add_response_header(m, "Vary", "Accept-Encoding");
    if (gz)
        MHD_add_response_header(m, "Content-Encoding", "gzip");
    add_security_headers(m);
    return m;
}

static void destroy_response(void *m)
{
    MHD_destroy_response(m);
}

/* Compute validators and, when asked, the gzip variant and the prebuilt
 * responses. Only called before the page is shared. */
static void page_prepare(mh_cached_page_t *p, bool want_gz, bool prebuild)
{
    char tag[40];
    mh_etag(p->body, p->len, NULL, tag);
    p->etag = mh_strdup(tag);
    size_t tl = strlen(tag);
    p->gz_etag = mh_malloc(tl + 4);
    memcpy(p->gz_etag, tag, tl - 1);
    memcpy(p->gz_etag + tl - 1, "-gz\"", 5);
    if (want_gz && p->len >= GZIP_MIN && mh_mime_compressible(p->content_type)) {
        if (mh_gzip(p->body, p->len, 6, &p->gz, &p->gz_len) != MH_OK) {
            p->gz = NULL;
            p->gz_len = 0;
        }
    }
    if (prebuild) {
        p->attach_free = destroy_response;
        p->attach[0] = build_page_response(p, false);
        if (p->gz)
            p->attach[1] = build_page_response(p, true);
    }
}

/* Does an If-None-Match header list tag (or "*")? Weak comparison, as
 * RFC 9110 prescribes for If-None-Match. */
static bool etag_matches(mh_str_t inm, const char *tag)
{
    size_t tl = strlen(tag);
    size_t i = 0;
    while (i < inm.len) {
        while (i < inm.len && (inm.base[i] == ' ' || inm.base[i] == ','))
            i++;
        if (i < inm.len && inm.base[i] == '*')
            return true;
        if (inm.len - i >= 2 && inm.base[i] == 'W' && inm.base[i + 1] == '/')
            i += 2;
        size_t j = i;
        while (j < inm.len && inm.base[j] != ',')
            j++;
        size_t e = j;
        while (e > i && inm.base[e - 1] == ' ')
            e--;
        if (e - i == tl && memcmp(inm.base + i, tag, tl) == 0)
            return true;
        i = j;
    }
    return false;
}

static enum MHD_Result queue_not_modified(struct request *r, const char *etag,
                                          const char *cache_control)
{
    struct MHD_Response *m = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!m)
        return MHD_NO;
    MHD_add_response_header(m, "ETag", etag);
    MHD_add_response_header(m, "Cache-Control", cache_control);
    MHD_add_response_header(m, "Vary", "Accept-Encoding");
    add_security_headers(m);
    enum MHD_Result ret = MHD_queue_response(r->req.conn, MHD_HTTP_NOT_MODIFIED, m);
    MHD_destroy_response(m);
    return ret;
}

static enum MHD_Result send_page(struct request *r, mh_cached_page_t *p)
{
    bool gz = r->req.accepts_gzip && p->gz;
    if (p->status == 200) {
        mh_str_t inm = mh_req_header(&r->req, "If-None-Match");
        if (inm.base && (etag_matches(inm, p->etag) || etag_matches(inm, p->gz_etag)))
            return queue_not_modified(r, gz ? p->gz_etag : p->etag, "no-cache");
    }
    struct MHD_Response *m = p->attach[gz ? 1 : 0];
    enum MHD_Result ret;
    if (m)
        return MHD_queue_response(r->req.conn, (unsigned)p->status, m);
    m = build_page_response(p, gz);
    if (!m)
        return MHD_NO;
    ret = MHD_queue_response(r->req.conn, (unsigned)p->status, m);
    MHD_destroy_response(m);
    return ret;
}

/* A streamed body (mh_resp_stream): the handler's function, whose state
 * carries it, and MHD's sentinels, which MH_STREAM_* equal. */
#define STREAM_BLOCK (32 * 1024)
_Static_assert(MH_STREAM_END == (long)MHD_CONTENT_READER_END_OF_STREAM, "stream end");
_Static_assert(MH_STREAM_ERROR == (long)MHD_CONTENT_READER_END_WITH_ERROR, "stream error");

struct stream_ctx {
    mh_stream_fn fn;
    void (*free_fn)(void *state);
    void *state;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream_ctx *x = cls;
    return (ssize_t)x->fn(x->state, pos, buf, max);
}

static void stream_done(void *cls)
{
    struct stream_ctx *x = cls;
    if (x->free_fn)
        x->free_fn(x->state);
    free(x);
}

static struct MHD_Response *stream_response(mh_resp_t *resp)
{
    struct stream_ctx *x = mh_malloc(sizeof(*x));
    *x = (struct stream_ctx){resp->stream, resp->stream_free, resp->stream_state};
    struct MHD_Response *m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
                                                               stream_read, x, stream_done);
    if (!m) {
        free(x);
        return NULL;
    }
    /* the response frees the state from now on */
    resp->stream = NULL;
    resp->stream_free = NULL;
    resp->stream_state = NULL;
    return m;
}

void mh_resp_stream(mh_resp_t *resp, mh_stream_fn fn, void (*free_fn)(void *state), void *state)
{
    if (resp->stream_free && resp->stream_state)
        resp->stream_free(resp->stream_state);
    resp->stream = fn;
    resp->stream_free = free_fn;
    resp->stream_state = state;
}

/* A stream the response never took (declined, 304, failure). */
static void stream_drop(mh_resp_t *resp)
{
    if (resp->stream_free && resp->stream_state)
        resp->stream_free(resp->stream_state);
    resp->stream = NULL;
    resp->stream_free = NULL;
    resp->stream_state = NULL;
}

static enum MHD_Result send_resp(struct request *r)
{
    mh_resp_t *resp = &r->resp;
    if (resp->page)
        return send_page(r, resp->page);
    const char *cc = resp->cache_control ? resp->cache_control : "no-store";
    if (resp->etag && resp->status == 200) {
        mh_str_t inm = mh_req_header(&r->req, "If-None-Match");
        if (inm.base && (etag_matches(inm, resp->etag) ||
                         (resp->alt_etag && etag_matches(inm, resp->alt_etag))))
            return queue_not_modified(r, resp->etag, cc);
    }
    const char *ctype = resp->content_type ? resp->content_type : "text/plain; charset=utf-8";
    struct MHD_Response *m;
    const char *encoding = resp->content_encoding;
    bool vary = resp->vary_encoding;
    if (resp->stream) {
        m = stream_response(resp);
    } else if (resp->data) {
        m = MHD_create_response_from_buffer(resp->data_len, (void *)resp->data,
                                            MHD_RESPMEM_PERSISTENT);
    } else {
        const char *body = resp->body.base ? resp->body.base : "";
        size_t len = resp->body.len;
        char *gz = NULL;
        size_t gz_len = 0;
        bool compressible = len >= GZIP_MIN && mh_mime_compressible(ctype);
        vary = vary || compressible;
        if (compressible && r->req.accepts_gzip && mh_gzip(body, len, 6, &gz, &gz_len) == MH_OK) {
            encoding = "gzip";
            m = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_FREE);
        } else {
            m = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
        }
    }
    if (!m)
        return MHD_NO;
    MHD_add_response_header(m, "Content-Type", ctype);
    if (encoding)
        MHD_add_response_header(m, "Content-Encoding", encoding);
    if (vary)
        MHD_add_response_header(m, "Vary", "Accept-Encoding");
    if (resp->etag)
        MHD_add_response_header(m, "ETag", resp->etag);
    if (resp->location)
        MHD_add_response_header(m, "Location", resp->location);
    if (resp->lang)
        MHD_add_response_header(m, "Content-Language", resp->lang);
    if (resp->allow)
        MHD_add_response_header(m, "Allow", mh_router_allow_header(r->req.pool, resp->allow));
    MHD_add_response_header(m, "Cache-Control", cc);
    for (size_t i = 0; i < resp->nextra; i++)
        MHD_add_response_header(m, resp->extra[i].name, resp->extra[i].value);
    add_security_headers(m);
    enum MHD_Result ret = MHD_queue_response(r->req.conn, (unsigned)resp->status, m);
    MHD_destroy_response(m);
    return ret;
}

/* ---- request helpers (request.h) ---- */

mh_str_t mh_req_header(mh_req_t *req, const char *name)
{
    const char *v = NULL;
    size_t len = 0;
    if (MHD_lookup_connection_value_n(req->conn, MHD_HEADER_KIND, name, strlen(name), &v, &len) !=
            MHD_YES ||
        !v)
        return MH_STR_NULL;
    return mh_str(v, len);
}

mh_str_t mh_req_cookie(mh_req_t *req, const char *name)
{
    const char *v = NULL;
    size_t len = 0;
    if (MHD_lookup_connection_value_n(req->conn, MHD_COOKIE_KIND, name, strlen(name), &v, &len) !=
            MHD_YES ||
        !v)
        return MH_STR_NULL;
    return mh_str(v, len);
}

bool mh_server_same_origin(mh_req_t *req)
{
    if (req->host.len == 0)
        return false;
    const char *expected = mh_psprintf(req->pool, "%s://%.*s", req->secure ? "https" : "http",
                                       (int)req->host.len, req->host.base);
    return mh_csrf_origin_ok(mh_req_header(req, "Origin"), mh_req_header(req, "Referer"),
                             mh_str_c(expected));
}

void mh_resp_header(mh_resp_t *resp, const char *name, const char *value)
{
    assert(resp->nextra < MH_ARRAY_LEN(resp->extra)); /* handlers add a fixed few */
    if (resp->nextra < MH_ARRAY_LEN(resp->extra))
        resp->extra[resp->nextra++] = (mh_header_t){name, value};
}

void mh_resp_error(mh_req_t *req, mh_resp_t *resp, int status)
{
    const char *reason = MHD_get_reason_phrase_for((unsigned)status);
    resp->status = status;
    resp->content_type = "text/plain; charset=utf-8";
    mh_buf_reset(&resp->body);
    mh_buf_printf(&resp->body, "%d %s\n", status, reason ? reason : "");
}

/* ---- the page cache around cacheable rows ---- */

/* The page cache state of one request: looked up once, at the first
 * cacheable row that matches, under scheme + host + path (+ query). */
struct page_key {
    bool tried, use;
    char *key;
    size_t len;
    uint64_t gen;
    struct flight *flight; /* ours while we render the page */
};

/* run_page's answer when the request was suspended behind a render */
#define PAGE_SUSPENDED 1

static struct flight *flight_find(mh_server_t *s, const struct page_key *pk)
{
    for (struct flight *f = s->flights; f; f = f->next)
        if (f->gen == pk->gen && f->len == pk->len && memcmp(f->key, pk->key, pk->len) == 0)
            return f;
    return NULL;
}

/* A miss for pk: MH_DECLINED when this request is to render the page
 * (pk->flight is then its flight, or NULL when it renders outside one),
 * PAGE_SUSPENDED when it waits for another request's render of it, MH_OK
 * when it is answered with the previous copy (stale: a reference this
 * function takes over). */
static int flight_join(struct request *r, struct page_key *pk, mh_cached_page_t *stale)
{
    mh_server_t *s = r->req.server;
    int rc = MH_DECLINED;
    pthread_mutex_lock(&s->flight_lock);
    struct flight *f = flight_find(s, pk);
    if (f && stale) {
        /* someone renders it: the previous copy now, the new one soon */
        r->resp.page = stale;
        stale = NULL;
        atomic_fetch_add(&s->stale_served, 1);
        rc = MH_OK;
    } else if (f && !r->waited) {
        if (f->nwaiters == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 8;
            f->waiters = mh_realloc(f->waiters, f->cap * sizeof(*f->waiters));
        }
        /* under the lock, so the render cannot end between the two */
        MHD_suspend_connection(r->req.conn);
        f->waiters[f->nwaiters++] = r->req.conn;
        r->suspended = r->waited = true;
        atomic_fetch_add(&s->coalesced, 1);
        rc = PAGE_SUSPENDED;
    } else if (!f && stale && atomic_load(&s->rendering) >= s->render_max) {
        /* every render slot is busy: cold pages must not take the workers
         * that serve cached ones while a copy can be served */
        r->resp.page = stale;
        stale = NULL;
        atomic_fetch_add(&s->stale_served, 1);
        rc = MH_OK;
    } else if (!f) {
        f = mh_calloc(1, sizeof(*f));
        f->key = pk->key; /* in the request's pool, which outlives the flight */
        f->len = pk->len;
        f->gen = pk->gen;
        f->next = s->flights;
        s->flights = f;
        pk->flight = f;
    }
    pthread_mutex_unlock(&s->flight_lock);
    if (stale)
        mh_cached_page_release(stale);
    return rc;
}

/* The render of pk ended (in the cache, or not cacheable after all): wake
 * the requests that waited for it; they look in the cache again. */
static void flight_end(mh_server_t *s, struct page_key *pk)
{
    struct flight *f = pk->flight;
    if (!f)
        return;
    pk->flight = NULL;
    pthread_mutex_lock(&s->flight_lock);
    for (struct flight **pp = &s->flights; *pp; pp = &(*pp)->next)
        if (*pp == f) {
            *pp = f->next;
            break;
        }
    for (size_t i = 0; i < f->nwaiters; i++)
        MHD_resume_connection(f->waiters[i]);
    pthread_mutex_unlock(&s->flight_lock);
    atomic_fetch_sub(&s->rendering, 1);
    free(f->waiters);
    free(f);
}

/* Run a cacheable row: a cached page when there is one; else the handler,
 * whose response becomes a shared page (validators, gzip, prebuilt
 * response), stored for this content generation when it is a 200 or 301
 * without a query (or on a row that varies on the query), else
 * remembered in the worker's memo. */
static int run_page(struct request *r, const mh_route_t *rt, struct page_key *pk)
{
    mh_server_t *s = r->req.server;
    mh_req_t *req = &r->req;
    mh_resp_t *resp = &r->resp;
    if (!pk->tried) {
        pk->tried = true;
        pk->gen = cache_generation(s);
        bool vary = (rt->flags & MH_ROUTE_VARY_QUERY) != 0;
        pk->use = s->cache && (req->query.len == 0 || vary);
        if (pk->use) {
            mh_str_t q = vary ? mh_url_query_normalise(req->pool, req->query) : mh_str("", 0);
            /* the scheme too: absolute URLs in a page follow it (url.h,
             * mh_url_origin) */
            pk->len = 1 + req->host.len + 1 + req->path.len + (q.len ? 1 + q.len : 0);
            pk->key = mh_palloc(req->pool, pk->len);
            char *k = pk->key;
            *k++ = req->secure ? 's' : 'p';
            memcpy(k, req->host.base, req->host.len);
            k += req->host.len;
            *k++ = '\n';
            memcpy(k, req->path.base, req->path.len);
            k += req->path.len;
            if (q.len) {
                *k++ = '?';
                memcpy(k, q.base, q.len);
            }
            mh_cached_page_t *stale = NULL;
            mh_cached_page_t *p =
                mh_page_cache_get_or_stale(s->cache, pk->key, pk->len, pk->gen, &stale);
            /* something the page read changed since: the previous copy */
            if (p && !mh_content_deps_valid(s->content, p->deps_gen, p->deps, p->ndeps)) {
                stale = p;
                p = NULL;
            }
            if (p) {
                resp->page = p;
                return MH_OK;
            }
            int rc = flight_join(r, pk, stale);
            if (rc != MH_DECLINED)
                return rc;
        }
    }
    struct flight *f = pk->flight;
    if (f)
        atomic_fetch_add(&s->rendering, 1);
    if (s->render_delay_ms)
        usleep(s->render_delay_ms * 1000u);
    mh_content_deps_begin(s->content);
    int rc = rt->handler(req, resp, rt->data);
    uint64_t deps[64], deps_gen = 0;
    size_t ndeps = mh_content_deps_end(s->content, &deps_gen, deps, MH_ARRAY_LEN(deps));
    if (rc == MH_OK)
        atomic_fetch_add(&s->renders, 1); /* a row that declines rendered nothing */
    if (rc != MH_OK || resp->page || resp->stream) {
        flight_end(s, pk);
        return rc; /* a stream is sent as it is made, never stored */
    }
    int status = resp->status ? resp->status : 500;
    const char *ctype = resp->content_type ? resp->content_type : "text/html; charset=utf-8";
    bool keep = pk->use && !resp->no_store && (status == 200 || status == 301);
    mh_cached_page_t **slot = NULL;
    if (!keep) {
        slot = memo_slot(req->path, req->accepts_gzip);
        mh_cached_page_t *m = *slot;
        /* (a page whose gzip failed is simply rebuilt) */
        if (m && m->status == status && m->len == resp->body.len &&
            (m->gz != NULL) == (req->accepts_gzip && m->len >= GZIP_MIN &&
                                mh_mime_compressible(m->content_type)) &&
            same_cstr(m->content_type, ctype) && same_cstr(m->lang, resp->lang) &&
            same_cstr(m->location, resp->location) &&
            (m->len == 0 || memcmp(m->body, resp->body.base, m->len) == 0)) {
            mh_buf_reset(&resp->body);
            atomic_fetch_add(&m->refs, 1);
            resp->page = m;
            flight_end(s, pk); /* wake any request waiting for this render */
            return MH_OK;
        }
    }
    mh_cached_page_t *p = mh_cached_page_new(status, ctype, resp->lang, resp->location, NULL, 0);
    /* The entry takes the rendered bytes instead of a copy (it frees its
     * body with free(), as mh_buf_steal's result wants). */
    free(p->body);
    p->body = mh_buf_steal(&resp->body, &p->len);
    /* the render buffer's headroom would stay in memory uncounted */
    p->body = mh_realloc(p->body, p->len + 1);
    p->hit_id = resp->hit_id;
    page_prepare(p, keep || req->accepts_gzip, true);
    if (keep) {
        if (ndeps) {
            p->deps = mh_malloc(ndeps * sizeof(*deps));
            memcpy(p->deps, deps, ndeps * sizeof(*deps));
            p->ndeps = ndeps;
            p->deps_gen = deps_gen;
        }
        mh_page_cache_put(s->cache, pk->key, pk->len, pk->gen, p);
        flight_end(s, pk);
    } else {
        mh_cached_page_release(*slot);
        atomic_fetch_add(&p->refs, 1);
        *slot = p;
        flight_end(s, pk);
    }
    resp->page = p;
    return MH_OK;
}

/* ---- dispatch ---- */

static int method_bit(const char *m)
{
    static const struct {
        const char *name;
        int bit;
    } ms[] = {{"GET", MH_M_GET},        {"HEAD", MH_M_HEAD},   {"POST", MH_M_POST},
              {"PUT", MH_M_PUT},        {"PATCH", MH_M_PATCH}, {"DELETE", MH_M_DELETE},
              {"OPTIONS", MH_M_OPTIONS}};
    for (size_t i = 0; i < MH_ARRAY_LEN(ms); i++)
        if (strcmp(m, ms[i].name) == 0)
            return ms[i].bit;
    return MH_M_OTHER;
}

static bool parse_host(mh_pool_t *pool, mh_str_t h, mh_str_t *out)
{
    if (h.len > 255)
        return false;
    char *d = mh_palloc(pool, h.len + 1);
    for (size_t i = 0; i < h.len; i++) {
        unsigned char c = (unsigned char)h.base[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
        d[i] = (char)tolower(c);
    }
    d[h.len] = '\0';
    *out = mh_str(d, h.len);
    return true;
}

/* The address in v (an IPv4 or IPv6 literal, surrounding blanks ignored),
 * copied to the pool; NULL when it is not one. */
static const char *ip_literal(mh_pool_t *pool, mh_str_t v)
{
    while (v.len && (v.base[0] == ' ' || v.base[0] == '\t'))
        v.base++, v.len--;
    while (v.len && (v.base[v.len - 1] == ' ' || v.base[v.len - 1] == '\t'))
        v.len--;
    if (v.len == 0 || v.len >= INET6_ADDRSTRLEN)
        return NULL;
    char ip[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    memcpy(ip, v.base, v.len);
    ip[v.len] = '\0';
    if (inet_pton(AF_INET, ip, bin) != 1 && inet_pton(AF_INET6, ip, bin) != 1)
        return NULL;
    return mh_pstrdup(pool, ip);
}

/* A request from --trusted-proxy: believe what it forwarded. The scheme
 * from X-Forwarded-Proto; the host from X-Forwarded-Host (when valid);
 * the client's address from X-Real-IP, else the last address of
 * X-Forwarded-For (the one the proxy itself appended: earlier ones come
 * from the client and prove nothing). Requests from anyone else keep
 * their own Host and address whatever these headers say. */
static void trust_proxy(mh_req_t *req)
{
    req->via_proxy = true;
    req->secure = mh_str_eq_nocase(mh_req_header(req, "X-Forwarded-Proto"), "https");
    mh_str_t fh = mh_req_header(req, "X-Forwarded-Host"), host;
    if (fh.base && fh.len && !memchr(fh.base, ',', fh.len) && parse_host(req->pool, fh, &host))
        req->host = host;
    const char *ip = NULL;
    mh_str_t real = mh_req_header(req, "X-Real-IP");
    if (real.base)
        ip = ip_literal(req->pool, real);
    mh_str_t xff = mh_req_header(req, "X-Forwarded-For");
    if (!ip && xff.base) {
        size_t start = xff.len;
        while (start && xff.base[start - 1] != ',')
            start--;
        ip = ip_literal(req->pool, mh_str(xff.base + start, xff.len - start));
    }
    if (ip)
        req->client_ip = ip;
}

static bool accepts_gzip(mh_str_t ae)
{
    /* "gzip" listed and not with q=0 */
    for (size_t i = 0; i + 4 <= ae.len; i++) {
        if (strncasecmp(ae.base + i, "gzip", 4) != 0)
            continue;
        size_t j = i + 4;
        while (j < ae.len && ae.base[j] == ' ')
            j++;
        if (j < ae.len && ae.base[j] == ';') {
            const char *q = memchr(ae.base + j, '=', ae.len - j);
            if (q && (size_t)(q - ae.base) + 1 < ae.len) {
                const char *v = q + 1;
                if (v[0] == '0' && (v + 1 >= ae.base + ae.len || v[1] != '.' ||
                                    strspn(v + 2, "0") >= (size_t)(ae.base + ae.len - v - 2)))
                    return false;
            }
        }
        return true;
    }
    return false;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    struct request *r = cls;
    return mh_form_feed(&r->req.form, r->req.pool, key, filename, content_type, data, (size_t)off,
                        size) == MH_OK
               ? MHD_YES
               : MHD_NO;
}

/* Everything that can be decided from the request line and headers, before
 * any body is read: a bad path, a missing route, a method not allowed, a
 * body too large. Sets early_status or the route. */
static void prepare(struct request *r, const char *method)
{
    mh_server_t *s = r->req.server;
    mh_req_t *req = &r->req;
    mh_str_t raw_path;

    req->method = method_bit(method);
    req->method_name = mh_pstrdup(req->pool, method);
    mh_url_split(req->target, &raw_path, &req->query);
    if (raw_path.len > MH_URL_PATH_MAX || req->query.len > MH_URL_PATH_MAX) {
        r->early_status = 414;
        return;
    }
    mh_str_t host = mh_req_header(req, "Host");
    if (mh_url_decode_path(req->pool, raw_path, &req->path) != MH_OK ||
        (host.base && !parse_host(req->pool, host, &req->host))) {
        r->early_status = 400;
        return;
    }
    if (!host.base)
        req->host = mh_str("", 0);
    req->accepts_gzip = accepts_gzip(mh_req_header(req, "Accept-Encoding"));
    if (s->cfg.trusted_proxy && req->client_ip && strcmp(req->client_ip, s->cfg.trusted_proxy) == 0)
        trust_proxy(req);

    unsigned allowed = 0;
    r->route = mh_routes_find(&s->routes, 0, req->method, req->path, &req->params, &r->route_index);
    if (!r->route)
        allowed = mh_routes_allowed(&s->routes, req->path);
    if (r->route && (req->method & (MH_M_POST | MH_M_PUT | MH_M_PATCH | MH_M_DELETE)))
        r->max_body = r->route->max_body ? r->route->max_body : s->cfg.max_body;
    /* a body larger than anything this request may carry is refused first */
    const char *cl =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long n;
    size_t limit = r->max_body ? r->max_body : s->cfg.max_body;
    if (cl && mh_str_to_u64(mh_str_c(cl), ULLONG_MAX, &n) && n > limit) {
        r->early_status = 413;
        return;
    }
    if (!r->route) {
        if (req->method == MH_M_OPTIONS && allowed) {
            r->early_status = 204;
            r->resp.allow = allowed | MH_M_OPTIONS;
        } else if (allowed) {
            r->early_status = 405;
            r->resp.allow = allowed;
        } else {
            r->early_status = 404;
        }
        return;
    }
    if (r->max_body) {
        mh_form_init(&req->form, 256, 1u << 20, r->max_body);
        /* NULL for bodies that are not forms (JSON): those are kept raw, bounded */
        r->pp = MHD_create_post_processor(req->conn, 32 * 1024, post_iter, r);
    }
}

/* The response as it was before a handler that declined wrote to it. */
static void resp_clear(mh_resp_t *resp)
{
    stream_drop(resp);
    mh_buf_t body = resp->body;
    mh_buf_reset(&body);
    memset(resp, 0, sizeof(*resp));
    resp->body = body;
}

/* Tell the row's module that a page counting views went out, whether the
 * handler rendered it or the page cache answered without running it. */
static void count_hit(mh_server_t *s, size_t i, const mh_resp_t *resp)
{
    int64_t id = resp->hit_id ? resp->hit_id : resp->page ? resp->page->hit_id : 0;
    const mh_server_module_t *owner = s->route_owner[i];
    if (id > 0 && owner && owner->hit)
        owner->hit(s->route_state[i], id);
}

static void run_route(struct request *r)
{
    mh_server_t *s = r->req.server;
    mh_req_t *req = &r->req;
    mh_resp_t *resp = &r->resp;
    const mh_route_t *rt = r->route;
    size_t i = r->route_index;
    struct page_key pk = {0};

    if (req->form.failed || req->form.raw.failed) {
        mh_resp_error(req, resp, 413);
        return;
    }
    if (r->bad_body) {
        mh_resp_error(req, resp, 400);
        return;
    }
    for (;;) {
        if (rt->auth != MH_AUTH_PUBLIC || rt->csrf) {
            const mh_server_module_t *owner = s->route_owner[i];
            /* API rows: the module's policy checks the origin for cookie
             * sessions only (a bearer token is never sent by a browser on
             * its own) and answers in JSON */
            if (rt->csrf && !(rt->flags & MH_ROUTE_TOKEN) && !mh_server_same_origin(req)) {
                mh_resp_error(req, resp, 403);
                return;
            }
            /* fail closed: a protected route without a policy never runs */
            if (!owner || !owner->check ||
                owner->check(s->route_state[i], rt, req, resp) != MH_OK) {
                if (!resp->status)
                    mh_resp_error(req, resp, 403);
                return;
            }
        }
        int rc = (rt->flags & MH_ROUTE_CACHEABLE) ? run_page(r, rt, &pk)
                                                  : rt->handler(req, resp, rt->data);
        if (rc == PAGE_SUSPENDED)
            return; /* resumed later; on_request runs the route again */
        if (rc == MH_ERR && !resp->page) {
            stream_drop(resp);
            mh_buf_reset(&resp->body);
            mh_resp_error(req, resp, 500);
            return;
        }
        if (rc != MH_DECLINED) {
            count_hit(s, i, resp);
            return;
        }
        /* not this row's: the next row that matches */
        if (resp->page) {
            mh_cached_page_release(resp->page);
            resp->page = NULL;
        }
        resp_clear(resp);
        rt = mh_routes_find(&s->routes, i + 1, req->method, req->path, &req->params, &i);
        if (!rt) {
            mh_resp_error(req, resp, 404);
            return;
        }
    }
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    pthread_once(&spare_once, spare_make_key);
    mh_pool_t *pool = pthread_getspecific(spare_key);
    pthread_setspecific(spare_key, NULL);
    if (!pool)
        pool = mh_pool_create();
    struct request *r = mh_pcalloc(pool, sizeof(*r));
    r->req.pool = pool;
    r->req.server = cls;
    r->req.conn = conn;
    r->req.target = mh_pstr(pool, mh_str_c(uri));
    mh_buf_init(&r->resp.body, PAGE_BODY_MAX);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        char ip[INET6_ADDRSTRLEN] = "";
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof(ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof(ip));
        r->req.client_ip = mh_pstrdup(pool, ip);
    }
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct request *r = *con_cls;
    if (!r)
        return MHD_NO;
    if (!r->started) {
        r->started = true;
        /* The handler has seen the request, so completed() will run. */
        atomic_fetch_add(&((mh_server_t *)cls)->inflight, 1);
        prepare(r, method);
        if (r->early_status == 413) {
            /* refuse before reading a byte of it; the connection closes */
            mh_resp_error(&r->req, &r->resp, 413);
            return send_resp(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        r->body_bytes += n;
        if (r->early_status || !r->max_body)
            return MHD_YES; /* the answer is already known: discard the body */
        if (r->body_bytes > r->max_body) {
            r->req.form.failed = true;
            return MHD_YES;
        }
        if (r->pp) {
            if (MHD_post_process(r->pp, upload_data, n) != MHD_YES && !r->req.form.failed)
                r->bad_body = true;
        } else if (mh_buf_append(&r->req.form.raw, upload_data, n) != MH_OK) {
            r->req.form.failed = true;
        }
        return MHD_YES;
    }
    if (r->early_status) {
        if (r->early_status == 204) {
            r->resp.status = 204;
        } else {
            unsigned allow = r->resp.allow;
            mh_resp_error(&r->req, &r->resp, r->early_status);
            r->resp.allow = allow;
        }
    } else {
        run_route(r);
        if (r->suspended) {
            r->suspended = false;
            return MHD_YES;
        }
    }
    return send_resp(r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct request *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (r->started)
        atomic_fetch_sub(&((mh_server_t *)cls)->inflight, 1);
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    mh_form_free(&r->req.form);
    if (r->resp.page)
        mh_cached_page_release(r->resp.page);
    stream_drop(&r->resp);
    mh_buf_free(&r->resp.body);
    mh_pool_t *pool = r->req.pool;
    if (!pthread_getspecific(spare_key) && mh_pool_used(pool) < (1u << 20)) {
        mh_pool_reset(pool);
        pthread_setspecific(spare_key, pool);
    } else {
        mh_pool_destroy(pool);
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    mh_debug("http: %s", line);
}

/* ---- background work: notice content changes made by other processes ---- */

static void *poll_main(void *arg)
{
    mh_server_t *s = arg;
    /* The first poll sets this thread's baseline; it must happen before the
     * first page is cached, or a write in between would go unnoticed. */
    mh_content_poll(s->content);
    pthread_mutex_lock(&s->poll_lock);
    s->poll_ready = true;
    pthread_cond_broadcast(&s->poll_cond);
    while (!s->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&s->poll_cond, &s->poll_lock, &ts);
        if (s->stopping)
            break;
        pthread_mutex_unlock(&s->poll_lock);
        mh_content_poll(s->content);
        for (size_t i = 0; i < s->nmodules; i++)
            if (s->modules[i]->tick && s->module_state[i])
                s->modules[i]->tick(s->module_state[i]);
        pthread_mutex_lock(&s->poll_lock);
    }
    pthread_mutex_unlock(&s->poll_lock);
    return NULL;
}

/* ---- set-up ---- */

void mh_server_config_defaults(mh_server_config_t *c)
{
    memset(c, 0, sizeof(*c));
    c->listen = "127.0.0.1:8080";
    c->page_cache = true;
    c->page_cache_bytes = 64u << 20;
    c->connection_limit = 1024;
    c->per_ip_limit = 128;
    c->timeout_s = 30;
    /* Bounds the request head (431 beyond). libmicrohttpd clears this
     * buffer between requests, so it is also a cost per request. */
    c->connection_memory = 16 * 1024;
    c->max_body = 1u << 20;
}

const char *mh_server_default_theme(const char *site_dir, char *buf, size_t n)
{
    struct stat st;
    snprintf(buf, n, "%s/theme", site_dir);
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return buf;
    return mh_data_path("themes/default", buf, n);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6, char *err,
                        size_t errlen)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || strlen(listen) >= sizeof(host)) {
        snprintf(err, errlen, "--listen: expected HOST:PORT, got '%s'", listen);
        return MH_ERR;
    }
    size_t hl = (size_t)(colon - listen);
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    unsigned long long port;
    if (!mh_str_to_u64(mh_str_c(colon + 1), 65535, &port)) {
        snprintf(err, errlen, "--listen: bad port in '%s'", listen);
        return MH_ERR;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    char ps[8];
    snprintf(ps, sizeof(ps), "%llu", port);
    int rc = getaddrinfo(host, ps, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "--listen: cannot resolve '%s': %s", host, gai_strerror(rc));
        return MH_ERR;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return MH_OK;
}

static void free_server(mh_server_t *s)
{
    if (s->poller_started) {
        pthread_mutex_lock(&s->poll_lock);
        s->stopping = true;
        pthread_cond_signal(&s->poll_cond);
        pthread_mutex_unlock(&s->poll_lock);
        pthread_join(s->poller, NULL);
    }
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (size_t i = s->nmodules; i-- > 0;)
        if (s->module_state[i] && s->modules[i]->close)
            s->modules[i]->close(s->module_state[i]);
    mh_page_cache_free(s->cache);
    mh_content_close(s->content);
    pthread_mutex_destroy(&s->poll_lock);
    pthread_mutex_destroy(&s->flight_lock);
    pthread_cond_destroy(&s->poll_cond);
    mh_routes_free(&s->routes);
    free(s->module_state);
    free(s->route_owner);
    free(s->route_state);
    free(s);
}

int mh_server_start(const mh_server_config_t *cfg, mh_server_t **out, char *err, size_t errlen)
{
    /* Request memory is short-lived and similar in size from one request to
     * the next: keep freed memory in the worker arenas instead of handing
     * it back to the kernel (and faulting it in again) on every request. */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_ARENA_MAX, 8);

    mh_server_t *s = mh_calloc(1, sizeof(*s));
    s->cfg = *cfg;
    pthread_mutex_init(&s->poll_lock, NULL);
    pthread_mutex_init(&s->flight_lock, NULL);
    pthread_cond_init(&s->poll_cond, NULL);
    struct sockaddr_storage ss;
    bool v6 = false;
    char msg[512];

    if (parse_listen(cfg->listen, &ss, &v6, err, errlen) != MH_OK)
        goto fail;
    if (mh_content_open(cfg->site_dir, &s->content, err, errlen) != MH_OK)
        goto fail;
    if (cfg->page_cache)
        s->cache = mh_page_cache_new(cfg->page_cache_bytes);

    /* every module's rows, in the order of the list */
    s->modules = cfg->modules;
    while (s->modules && s->modules[s->nmodules])
        s->nmodules++;
    s->module_state = mh_calloc(s->nmodules + 1, sizeof(*s->module_state));
    for (size_t i = 0; i < s->nmodules; i++) {
        const mh_server_module_t *m = s->modules[i];
        if (m->open(s, &s->module_state[i], msg, sizeof(msg)) != MH_OK) {
            snprintf(err, errlen, "%s: %s", m->name, msg);
            goto fail;
        }
        const mh_route_t *rows = NULL;
        size_t n = m->routes ? m->routes(s->module_state[i], &rows) : 0;
        mh_routes_append(&s->routes, rows, n);
    }
    s->route_owner = mh_calloc(s->routes.n + 1, sizeof(*s->route_owner));
    s->route_state = mh_calloc(s->routes.n + 1, sizeof(*s->route_state));
    for (size_t i = 0, k = 0; i < s->nmodules; i++) {
        const mh_route_t *rows = NULL;
        size_t n = s->modules[i]->routes ? s->modules[i]->routes(s->module_state[i], &rows) : 0;
        for (size_t j = 0; j < n; j++, k++) {
            s->route_owner[k] = s->modules[i];
            s->route_state[k] = s->module_state[i];
        }
    }

    if (pthread_create(&s->poller, NULL, poll_main, s) != 0) {
        snprintf(err, errlen, "cannot start the background thread");
        goto fail;
    }
    s->poller_started = true;
    pthread_mutex_lock(&s->poll_lock);
    while (!s->poll_ready)
        pthread_cond_wait(&s->poll_cond, &s->poll_lock);
    pthread_mutex_unlock(&s->poll_lock);

    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    /* one worker always left for cached pages while cold ones render */
    s->render_max = threads > 1 ? (int)threads - 1 : 1;
    const char *delay = getenv("MH_TEST_RENDER_DELAY_MS");
    if (delay && *delay) {
        char *end;
        unsigned long ms = strtoul(delay, &end, 10);
        s->render_delay_ms = *end == '\0' && ms <= 10000 ? (unsigned)ms : 0;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO | (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->per_ip_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, MHD_OPTION_URI_LOG_CALLBACK, uri_log, s,
        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen,
                 errno ? strerror(errno) : "libmicrohttpd refused to start");
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (v6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
    snprintf(s->url, sizeof(s->url), v6 ? "http://[%s]:%u" : "http://%s:%u", host, port);

    *out = s;
    return MH_OK;
fail:
    free_server(s);
    return MH_ERR;
}

mh_content_t *mh_server_content(mh_server_t *s)
{
    return s->content;
}

const mh_server_config_t *mh_server_config(const mh_server_t *s)
{
    return &s->cfg;
}

void *mh_server_module_state(mh_server_t *s, const char *name)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (strcmp(s->modules[i]->name, name) == 0)
            return s->module_state[i];
    return NULL;
}

void mh_server_purge_cache(mh_server_t *s)
{
    atomic_fetch_add(&s->purges, 1);
}

/* The generation pages are cached under: changes that tags cannot describe
 * and explicit purges move it; other changes invalidate the pages that
 * read what they touched (the page's deps, checked on a hit). */
static uint64_t cache_generation(mh_server_t *s)
{
    return mh_content_structure_generation(s->content) + (atomic_load(&s->purges) << 40);
}

const char *mh_server_url(const mh_server_t *s)
{
    return s->url;
}

void mh_server_stop(mh_server_t *s)
{
    if (!s)
        return;
    /* Stop accepting, then give requests in progress up to 3 s to finish.
     * Connections that are open but idle between keep-alive requests are
     * not waited for (that cost 3 s whenever a browser or a proxy held
     * one): MHD_stop_daemon closes them. */
    MHD_socket ls = MHD_quiesce_daemon(s->daemon);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    for (int i = 0; i < 300 && atomic_load(&s->inflight) > 0; i++)
        usleep(10 * 1000);
    mh_info("page renders: %llu, requests that waited for one: %llu, previous copies served: "
            "%llu",
            (unsigned long long)atomic_load(&s->renders),
            (unsigned long long)atomic_load(&s->coalesced),
            (unsigned long long)atomic_load(&s->stale_served));
    free_server(s);
}
