/* A request as handlers see it, and the response they fill in. Both live in
 * the request's pool; the HTTP layer turns the response into bytes. */
#ifndef MH_HTTP_REQUEST_H
#define MH_HTTP_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/pool.h"
#include "../core/str.h"
#include "cache.h"
#include "form.h"

enum {
    MH_M_GET = 1 << 0,
    MH_M_HEAD = 1 << 1,
    MH_M_POST = 1 << 2,
    MH_M_PUT = 1 << 3,
    MH_M_PATCH = 1 << 4,
    MH_M_DELETE = 1 << 5,
    MH_M_OPTIONS = 1 << 6,
    MH_M_OTHER = 1 << 7,
};

typedef struct mh_server mh_server_t;

/* Named parameters a route pattern captured (router.h): ":id" -> "42".
 * Values point into the request's path. */
#define MH_REQ_PARAMS_MAX 8

typedef struct {
    const char *name; /* points into the pattern; not NUL-terminated */
    size_t name_len;
    mh_str_t value;
} mh_param_t;

typedef struct {
    mh_param_t v[MH_REQ_PARAMS_MAX];
    size_t n;
} mh_params_t;

typedef struct mh_req {
    mh_pool_t *pool;
    mh_server_t *server;
    void *conn; /* the libmicrohttpd connection */
    int method; /* one MH_M_* bit */
    const char *method_name;
    mh_str_t target; /* raw request-target as received */
    mh_str_t path;   /* percent-decoded and checked (url.h) */
    mh_str_t query;  /* raw query string, without '?' */
    mh_str_t host;   /* Host header, lower-cased, "" if absent */
    const char *client_ip;
    bool accepts_gzip;
    bool secure;    /* reached over HTTPS (directly or via a trusted proxy) */
    bool via_proxy; /* from --trusted-proxy: host and client_ip are what it forwarded */
    mh_form_t form; /* parsed body of POST/PUT/PATCH requests */
    void *user;     /* set by the policy check of an authenticated route */
    void *session;
    mh_params_t params; /* captured by the route being run (mh_req_param) */
} mh_req_t;

typedef struct {
    const char *name, *value;
} mh_header_t;

#define MH_STREAM_END (-1)
#define MH_STREAM_ERROR (-2)
typedef long (*mh_stream_fn)(void *state, uint64_t pos, char *buf, size_t max);

typedef struct mh_resp {
    int status;
    const char *content_type;
    mh_buf_t body;
    const char *location;      /* Location header */
    const char *cache_control; /* default: "no-cache" for pages */
    const char *lang;          /* Content-Language */
    unsigned allow;            /* MH_M_* set for an Allow header (405, OPTIONS) */
    const char *etag;          /* validator of what is sent; If-None-Match checked */
    /* A cacheable row's page that must not be kept in the page cache (it
     * carries a per-visit value, such as a public form's signed token). */
    bool no_store;
    const char *alt_etag; /* the other encoding's validator, also accepted */
    /* Instead of body: borrowed bytes that outlive the response (static
     * assets), already encoded as content_encoding says (or NULL). */
    const void *data;
    size_t data_len;
    const char *content_encoding;
    bool vary_encoding;
    mh_header_t extra[8];
    size_t nextra;
    /* Instead of body: send this page (the handler holds a reference that
     * the HTTP layer releases). */
    mh_cached_page_t *page;
    /* What this page shows that counts its views (an entry id), or 0; kept
     * with the page in the page cache so cached views count too. */
    int64_t hit_id;
    /* Instead of body: bytes produced while they are sent (mh_resp_stream). */
    mh_stream_fn stream;
    void (*stream_free)(void *state);
    void *stream_state;
} mh_resp_t;

/* Send the body as a stream of unknown length (chunked): fn is called with
 * the bytes already sent (pos) and a buffer of max bytes to fill; it
 * returns how many it wrote (> 0), MH_STREAM_END when the body is complete
 * or MH_STREAM_ERROR to abort the connection. state is malloc'd by the
 * handler and handed to free_fn (which may be NULL) once the response is
 * finished or abandoned, on any thread; it must not point into the
 * request's pool. A streamed response is never stored in the page cache;
 * set etag to let clients revalidate. When the handler does not return
 * MH_OK after calling this, the server still frees state. */
void mh_resp_stream(mh_resp_t *resp, mh_stream_fn fn, void (*free_fn)(void *state), void *state);

/* A request header's value (first occurrence), or MH_STR_NULL. */
mh_str_t mh_req_header(mh_req_t *req, const char *name);
/* A cookie's value, or MH_STR_NULL. */
mh_str_t mh_req_cookie(mh_req_t *req, const char *name);
/* Add a response header (at most 8; names and values must outlive the
 * response: pool memory or literals). */
void mh_resp_header(mh_resp_t *resp, const char *name, const char *value);
/* Fill resp with a small plain-text error page for status. */
void mh_resp_error(mh_req_t *req, mh_resp_t *resp, int status);

#endif
