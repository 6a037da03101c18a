/* The route table. Every route declares its methods and its security
 * (authentication, the permission it needs, CSRF) beside its handler, and
 * the dispatcher enforces them before the handler runs, so a handler cannot
 * forget a check. Policies fail closed: a route that needs a session gets
 * no handler call without one. */
#ifndef MH_ROUTER_ROUTER_H
#define MH_ROUTER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "../http/request.h"

typedef int (*mh_handler_fn)(mh_req_t *req, mh_resp_t *resp, void *data);

typedef enum {
    MH_AUTH_PUBLIC = 0, /* anyone */
    MH_AUTH_SESSION,    /* a logged-in user with the route's permission */
} mh_auth_t;

typedef struct mh_route {
    unsigned methods;    /* MH_M_* set; GET implies HEAD */
    const char *pattern; /* exact path, or a prefix ending in an asterisk, "/assets/" + "*" */
    mh_auth_t auth;
    const char *permission; /* for MH_AUTH_SESSION: the permission name checked */
    bool csrf;              /* state-changing: token and Origin checked */
    mh_handler_fn handler;
    void *data;
    size_t max_body; /* largest body accepted (0: the server's default) */
} mh_route_t;

/* The route for method and path. NULL if none; then *allowed (if not NULL)
 * holds the methods other routes accept for that path (0: no route at all),
 * for 405 and its Allow header. */
const mh_route_t *mh_router_match(const mh_route_t *routes, size_t n, int method, mh_str_t path,
                                  unsigned *allowed);

/* "GET, HEAD, POST" for a method set, in the pool. */
const char *mh_router_allow_header(mh_pool_t *pool, unsigned methods);

#endif
