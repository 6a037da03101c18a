/* The HTTP server: libmicrohttpd with its epoll internal thread and a pool
 * of worker threads, the route table built from the modules it is given,
 * the dispatcher and the page cache. It includes no module's header: the
 * program lists the modules (cmd/masthead/modules.c) and passes them in the
 * config, as nginx's generated ngx_modules[] does. */
#ifndef MH_HTTP_SERVER_H
#define MH_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "request.h"

struct mh_route;
struct mh_server_module;

typedef struct {
    const char *site_dir;
    const char *theme_dir;     /* NULL: the site's theme/ if present, else the default theme */
    const char *listen;        /* "HOST:PORT", "[::1]:PORT"; port 0 picks a free port */
    bool page_cache;           /* keep rendered pages in memory */
    size_t page_cache_bytes;   /* ceiling of the page cache */
    unsigned threads;          /* worker threads; 0 = number of cores */
    unsigned connection_limit; /* open connections in total */
    unsigned per_ip_limit;     /* open connections per client address */
    unsigned timeout_s;        /* idle connection timeout */
    size_t connection_memory;  /* per-connection buffer: bounds header size (431 beyond) */
    size_t max_body;           /* request bodies larger than this get 413 */
    const char *trusted_proxy; /* address whose X-Forwarded-Proto is believed, or NULL */
    /* The modules, NULL-terminated, opened in this order; their rows are
     * tried in this order too, so a module mounted under a prefix (the
     * admin) comes before one with catch-all rows (the public site). */
    const struct mh_server_module *const *modules;
} mh_server_config_t;

void mh_server_config_defaults(mh_server_config_t *cfg);

/* A module plugs routes, a policy check and background work into the
 * server (the public site and the admin backend are two). Its state is its
 * own struct, made by open; its routes' data pointers lead handlers back to
 * it (no global registries). */
typedef struct mh_server_module {
    const char *name;
    int (*open)(mh_server_t *srv, void **state, char *err, size_t errlen);
    void (*close)(void *state);
    /* The module's rows (router.h), valid until close; appended to the
     * server's table after the rows of the modules listed before it. */
    size_t (*routes)(void *state, const struct mh_route **out);
    /* Policy for this module's routes that are not public or that need
     * CSRF protection: MH_OK lets the request through; anything else means
     * resp was filled (redirect to a login page, 403, 429...). */
    int (*check)(void *state, const struct mh_route *rt, mh_req_t *req, mh_resp_t *resp);
    /* Called about once a second from a background thread (scheduler). */
    void (*tick)(void *state);
    /* Optional: a response of one of this module's rows named hit_id
     * (mh_resp_t), sent from the page cache or freshly rendered. Called
     * from request threads; must be quick and must not write the database
     * (view counters batch their writes in tick). */
    void (*hit)(void *state, int64_t hit_id);
} mh_server_module_t;

/* The content handle, the site directory and the config of a running
 * server, for modules. */
struct mh_content *mh_server_content(mh_server_t *s);
const mh_server_config_t *mh_server_config(const mh_server_t *s);
/* The state of the module called name (NULL if none is loaded). */
void *mh_server_module_state(mh_server_t *s, const char *name);
/* Drop every cached page now (content changes do this by themselves). */
void mh_server_purge_cache(mh_server_t *s);
/* Does the request's Origin (or, lacking it, Referer) name this server as
 * the client reached it (scheme, Host)? mh_csrf_origin_ok (auth/csrf.h)
 * decides; the dispatcher asks it for every route with csrf set. */
bool mh_server_same_origin(mh_req_t *req);

/* Open the site, load the theme and assets, and start listening. */
int mh_server_start(const mh_server_config_t *cfg, mh_server_t **out, char *err, size_t errlen);
/* The address really bound, as "http://127.0.0.1:8080". */
const char *mh_server_url(const mh_server_t *s);
/* Stop accepting, let in-flight requests finish (a few seconds at most),
 * close the database and free everything. */
void mh_server_stop(mh_server_t *s);

/* The theme directory used when none is configured: DIR/theme if it exists,
 * else the default theme next to the binary's data (MH_DATADIR). */
const char *mh_server_default_theme(const char *site_dir, char *buf, size_t n);

#endif
