/* The route table. Every route declares its methods, its pattern and its
 * security (authentication, the permission it needs, CSRF) beside its
 * handler, and the dispatcher enforces them before the handler runs, so a
 * handler cannot forget a check. Policies fail closed: a route that needs a
 * session gets no handler call without one.
 *
 * Patterns are matched against the whole percent-decoded path:
 *   literal text   matches itself ("/admin/login")
 *   :name          one segment: one or more characters, no '/'
 *   *name          one or more segments: one or more characters that do not
 *                  begin or end with '/' ("news/tech")
 *   *              only at the end: any rest of the path, even empty
 *                  ("/assets/" "*": a prefix route)
 * Parameters are greedy and backtrack, so literal text may follow them:
 * "/" "*column/page/:n/" takes "/a/b/page/2/" as column "a/b", n "2";
 * "/" "*column/:slug.html" takes "/news/x.y.html" as column "news", slug
 * "x.y". (Patterns are written split here only because C comments cannot
 * hold a slash followed by an asterisk.)
 *
 * Rows are tried in table order. A handler that returns MH_DECLINED says
 * "not mine": the dispatcher goes on with the next row that matches (nginx's
 * phase handlers), so a pattern may claim more than a handler will serve
 * ("/:lang/" declines when the segment names no language). */
#ifndef MH_ROUTER_ROUTER_H
#define MH_ROUTER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../http/request.h"

typedef int (*mh_handler_fn)(mh_req_t *req, mh_resp_t *resp, void *data);

typedef enum {
    MH_AUTH_PUBLIC = 0, /* anyone */
    MH_AUTH_SESSION,    /* a logged-in user with the route's permission */
} mh_auth_t;

/* Route flags: what the route declares, so that no code compares handler
 * pointers to learn it. */
enum {
    /* A public page that depends only on host, path (and the content
     * generation): the server serves it from, and stores it into, the page
     * cache around the handler, and sends it with ETags and gzip. A request
     * with a query string is rendered but not stored. */
    MH_ROUTE_CACHEABLE = 1 << 0,
    /* With MH_ROUTE_CACHEABLE: the page depends on the query string too;
     * the normalised query (pairs sorted) becomes part of the cache key. */
    MH_ROUTE_VARY_QUERY = 1 << 1,
    /* Allowed while the signed-in user must change their password first
     * (the password page itself, logging out). */
    MH_ROUTE_PENDING_OK = 1 << 2,
    /* An API row of an authenticated module: a bearer token is accepted in
     * place of the session cookie (and then no CSRF token is asked), and
     * the policy's refusals are JSON. */
    MH_ROUTE_TOKEN = 1 << 3,
};

typedef struct mh_route {
    unsigned methods;    /* MH_M_* set; GET implies HEAD */
    const char *pattern; /* see above; must outlive the table */
    mh_auth_t auth;
    const char *permission; /* for MH_AUTH_SESSION: the permission name checked */
    bool csrf;              /* state-changing: token and Origin checked */
    mh_handler_fn handler;
    void *data;      /* the handler's state (its module's struct) */
    size_t max_body; /* largest body accepted (0: the server's default) */
    unsigned flags;  /* MH_ROUTE_* */
} mh_route_t;

/* Does pattern match path? On a match the parameters are in *params (may be
 * NULL); at most MH_REQ_PARAMS_MAX of them, a pattern with more never
 * matches. */
bool mh_route_pattern_match(const char *pattern, mh_str_t path, mh_params_t *params);

/* The first route at index from or later that matches method and path, with
 * its parameters in *params and its index in *index; NULL if none. */
const mh_route_t *mh_router_find(const mh_route_t *routes, size_t n, size_t from, int method,
                                 mh_str_t path, mh_params_t *params, size_t *index);

/* The methods routes accept for path (GET implying HEAD); 0: no route at
 * all. For 405 and its Allow header. */
unsigned mh_router_allowed(const mh_route_t *routes, size_t n, mh_str_t path);

/* The first route for method and path. NULL if none; then *allowed (if not
 * NULL) holds mh_router_allowed(). */
const mh_route_t *mh_router_match(const mh_route_t *routes, size_t n, int method, mh_str_t path,
                                  unsigned *allowed);

/* "GET, HEAD, POST" for a method set, in the pool. */
const char *mh_router_allow_header(mh_pool_t *pool, unsigned methods);

/* The value of the current route's parameter name, or MH_STR_NULL. */
mh_str_t mh_req_param(const mh_req_t *req, const char *name);
/* The parameter as a decimal number from 1 to INT64_MAX (an id); 0 when it
 * is absent, not all digits or out of range. */
int64_t mh_req_param_id(const mh_req_t *req, const char *name);

/* A route table that grows: modules build theirs with it. Nothing is ever
 * dropped; an allocation failure aborts (mh_realloc). */
/* Beside each row it records the lengths of the pattern's literal head
 * (before its first parameter) and literal tail (after its last), which a
 * matching path must begin and end with: mh_routes_find rejects most rows
 * on them without running the matcher. */
typedef struct {
    unsigned short head, tail;
    bool ok; /* false: the pattern is too long to record, always match */
    /* With a head of 2 bytes or more: the index after the run of rows
     * that follow this one and begin with the same 2 bytes ("/a" for a
     * module mounted under /admin), which a path that differs in its
     * second byte skips as a whole. */
    size_t run_end;
} mh_route_quick_t;

typedef struct {
    mh_route_t *v;
    size_t n, cap;
    mh_route_quick_t *quick; /* quick[i] for v[i] */
} mh_routes_t;

void mh_routes_add(mh_routes_t *t, const mh_route_t *r);
/* Append every row of src. */
void mh_routes_append(mh_routes_t *t, const mh_route_t *src, size_t n);
void mh_routes_free(mh_routes_t *t);
/* mh_router_find and mh_router_allowed over a grown table: the same
 * answers, faster. */
const mh_route_t *mh_routes_find(const mh_routes_t *t, size_t from, int method, mh_str_t path,
                                 mh_params_t *params, size_t *index);
unsigned mh_routes_allowed(const mh_routes_t *t, mh_str_t path);

#endif
