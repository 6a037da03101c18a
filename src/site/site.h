/* The public site: its URL space as rows of patterns (site.c lists them),
 * the template context built lazily from content/, rendered with the theme.
 *
 * The HTTP layer (src/http) owns sockets, headers, gzip, ETags and the page
 * cache; the site module (module.h) puts these rows into the server's route
 * table, each marked MH_ROUTE_CACHEABLE, and runs them with mh_site_run(). */
#ifndef MH_SITE_SITE_H
#define MH_SITE_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "../content/content.h"
#include "../core/buf.h"
#include "../core/pool.h"
#include "../core/str.h"
#include "../http/request.h"
#include "../render/value.h"

typedef struct mh_site mh_site_t;

typedef struct {
    int status;               /* 200, 301, 404 */
    const char *content_type; /* "text/html; charset=utf-8" */
    const char *location;     /* for 301: absolute path, pool-allocated */
    const char *lang;         /* language code of the page, for Content-Language */
    mh_buf_t body;            /* owned by the caller after return: mh_buf_free() it */
    bool cacheable;           /* safe to keep in the page cache for this generation; absolute
                                 URLs (canonical, share links) come from the base_url setting
                                 or else the Host header, so cache per host */
} mh_page_t;

/* Load and compile the theme in theme_dir (every templates/NAME.mustache) and check
 * it can render. The site keeps a pointer to content (not owned). */
int mh_site_open(mh_site_t **out, mh_content_t *content, const char *theme_dir, char *err,
                 size_t errlen);
void mh_site_close(mh_site_t *s);

/* Handle GET/HEAD for path by running the rows as the server would (percent-decoded, already
 * checked by the HTTP layer to start with '/' and contain no "..", NUL or backslash) with raw query
 * string query (may be empty) and Host header host (may be empty). Always fills out (a themed 404
 * when nothing matches). Returns MH_OK, or MH_ERR on an internal failure (out->status 500).
 * out->body's ceiling is set by the site (8 MiB). */
int mh_site_handle(mh_site_t *s, mh_pool_t *pool, mh_str_t host, mh_str_t path, mh_str_t query,
                   mh_page_t *out);

/* The public rows: their number and patterns (router.h syntax), in the
 * order they are tried. The last one ("/" "*", the themed 404) never
 * declines. */
size_t mh_site_nrows(void);
const char *mh_site_row_pattern(size_t i);
/* Router flags row i adds to MH_ROUTE_CACHEABLE (MH_ROUTE_VARY_QUERY). */
unsigned mh_site_row_flags(size_t i);
/* Run row i for req (whose params the row's pattern captured): fills resp
 * (status 200, 301 or 404, HTML body, location, lang; a 500 page on an
 * internal failure) and returns MH_OK, or MH_DECLINED when the path is not
 * this row's (resp untouched but for its buffer). */
int mh_site_run(mh_site_t *s, size_t i, mh_req_t *req, mh_resp_t *resp);
/* A POST to a public form (a feedback or guestbook column's page, a job's
 * page; src/site/forms.h): 303 to the thank-you page, or the page again
 * with status 400, 403 or 429 and the visitor's values and messages;
 * MH_DECLINED when the path has no form. */
int mh_site_post(mh_site_t *s, mh_req_t *req, mh_resp_t *resp);
/* The canonical host (the server calls this before every public row):
 * with the base_url setting set, a request whose Host is another name -
 * not a loopback name (health checks, local tools) and not a language's
 * own domain - gets a 301 to the same path and query under base_url;
 * true when resp was filled. */
bool mh_site_canonical_redirect(mh_site_t *s, mh_req_t *req, mh_resp_t *resp);

/* The template context mh_site_handle would render for path, without
 * rendering it (previews, tests). *status receives 200, 404 or 301 (then
 * *ctx is NULL). Returns MH_OK or MH_ERR. */
int mh_site_context(mh_site_t *s, mh_pool_t *pool, mh_str_t host, mh_str_t path, int *status,
                    mh_val_t **ctx);

/* The theme's directory of static assets (theme_dir/assets). */
const char *mh_site_assets_dir(const mh_site_t *s);

/* `masthead theme check DIR`: print to stdout every name a theme's templates
 * use that the context does not provide, one per line with file:line.
 * Returns the number of problems (0 = clean), or -1 if the theme cannot be
 * loaded (message on stderr). */
int mh_site_theme_check(const char *theme_dir);

#endif
