/* Request-target parsing. Everything here works on untrusted bytes with
 * explicit lengths and allocates from the request pool. */
#ifndef MH_HTTP_URL_H
#define MH_HTTP_URL_H

#include "../core/pool.h"
#include "../core/str.h"

/* Longest request path accepted (bytes, before decoding); longer is 414. */
#define MH_URL_PATH_MAX 2048

/* Split a raw request-target ("/a/b?x=1#f") into path and query (without
 * the '?'; a fragment, which clients should not send, is dropped). */
void mh_url_split(mh_str_t target, mh_str_t *path, mh_str_t *query);

/* Percent-decode a raw path and check it is safe to route and to map onto
 * files: it must start with '/', and must not contain (raw or encoded) NUL,
 * control characters, backslashes, encoded slashes ("%2f"), "." or ".."
 * segments, or invalid percent escapes. Duplicate slashes are refused too
 * (one canonical spelling per resource). Returns MH_OK with the decoded path
 * (NUL-terminated, in the pool) or MH_ERR (answer 400). */
int mh_url_decode_path(mh_pool_t *pool, mh_str_t raw, mh_str_t *out);

/* Percent-decode a query component ('+' means space). MH_ERR on invalid
 * escapes or an encoded NUL. */
int mh_url_decode_component(mh_pool_t *pool, mh_str_t raw, mh_str_t *out);

typedef struct {
    mh_str_t key, value; /* decoded */
} mh_query_param_t;

/* Parse "a=1&b=x+y" into at most max parameters (the rest are ignored).
 * Malformed pairs are skipped. Returns the number stored. */
size_t mh_url_parse_query(mh_pool_t *pool, mh_str_t query, mh_query_param_t *out, size_t max);

/* First value of key in a parsed query, or MH_STR_NULL (base NULL). */
mh_str_t mh_url_query_get(const mh_query_param_t *params, size_t n, const char *key);

/* The raw query with its '&'-separated pairs sorted bytewise and empty ones
 * dropped ("b=2&&a=1" -> "a=1&b=2"), in the pool: the page cache's key for
 * routes that vary on the query (router.h, MH_ROUTE_VARY_QUERY). */
mh_str_t mh_url_query_normalise(mh_pool_t *pool, mh_str_t query);

/* The canonical origin of the public site, "scheme://host[:port]" without
 * a trailing slash, the one rule every absolute URL (canonical links, share
 * links, feeds, sitemaps) follows: base_url (the setting; already checked
 * absolute http(s) with no path) when non-empty, else "https://" when the
 * request is secure (TLS, or X-Forwarded-Proto from the trusted proxy,
 * mh_req_t.secure) or "http://", followed by host (the Host header, or
 * X-Forwarded-Host from the trusted proxy). "" when both are empty. */
const char *mh_url_origin(mh_pool_t *pool, const char *base_url, bool secure, mh_str_t host);

/* Whether v is a usable base_url setting: empty, or an absolute http(s)
 * URL with a host, no user info, query or fragment, and no path beyond
 * "/". */
bool mh_url_base_ok(const char *v);

/* Percent-encode for use inside a URL component (RFC 3986 unreserved kept). */
char *mh_url_encode(mh_pool_t *pool, mh_str_t s);

#endif
