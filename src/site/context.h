/* Internal to src/site: the request state the router fills in and the lazy
 * template context built from it, plus the schema of that context (what the
 * theme checker accepts and what the unit tests assert is produced). */
#ifndef MH_SITE_CONTEXT_H
#define MH_SITE_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "../content/content.h"
#include "../model/tags.h"
#include "../core/pool.h"
#include "../core/str.h"
#include "../render/value.h"

/* Page kinds, as bits so the schema can say where a key exists. */
enum {
    MH_PK_HOME = 1,
    MH_PK_LIST = 2,
    MH_PK_SINGLE = 4,
    MH_PK_ENTRY = 8,
    MH_PK_404 = 16,
    MH_PK_SEARCH = 32,
    MH_PK_TAG = 64, /* a tag's entries (site/tags.c) */
    MH_PK_ALL = 127,
};

/* Navigation shared by the pages of one language and one content snapshot
 * (mh_nav_cache_new/free; one per site, used by every thread). */
typedef struct mh_nav_cache mh_nav_cache_t;
mh_nav_cache_t *mh_nav_cache_new(void);
void mh_nav_cache_free(mh_nav_cache_t *nc);

typedef struct {
    mh_content_t *content;
    mh_pool_t *pool;
    mh_nav_cache_t *nav_cache; /* NULL: navigation is built per page */
    mh_val_t *strings;         /* UI strings of the page's language (shared, read-only) */
    mh_val_t *assets;          /* asset name -> URL with content hash (shared, read-only) */
    mh_str_t host;             /* Host header, may be empty */
    bool secure;               /* https (http/request.h: req->secure) */

    mh_language_t *langs;
    size_t nlangs;
    const mh_language_t *lang;
    mh_column_t *cols; /* columns of lang, pre-order */
    size_t ncols;
    const char **col_paths; /* memoised mh_context_col_path, parallel to cols */
    mh_setting_t *settings;
    size_t nsettings;

    int kind;               /* MH_PK_* */
    const mh_column_t *col; /* list, single page, entry's column */
    mh_entry_t *entry;      /* entry pages */
    mh_entry_t *list;       /* list pages: entries of this page */
    size_t nlist;
    int64_t page, pages, total, page_size;
    const char *path; /* canonical path of the page ("/news/") */

    bool used_host; /* absolute URLs were built from an untrusted Host header */

    /* The language whose domain is the Host header (served at "/" on that
     * host, without its prefix), or NULL: an unknown host, which answers
     * the default language and the prefixed languages. */
    const mh_language_t *host_lang;
    struct mh_search_state *search;     /* the search page (search_page.c) */
    struct mh_products_state *products; /* a filtered list page (products.c) */
    /* list pages: the query every page link keeps ("material=steel"), so
     * pages are "?<list_query>&page=n"; NULL for plain lists */
    const char *list_query;
    struct mh_forms_state *forms; /* a page with a public form (forms.c) */
    const mh_tag_t *tag;          /* the tag page (tags.c); its entries are list */
} mh_site_req_t;

/* The root context of a page; every top-level key is lazy. */
mh_val_t *mh_context_build(mh_site_req_t *r);

/* Helpers shared with the router. */
/* a, b, c and d (NULL ones skipped) joined into a new pool string: cheaper
 * than printf-formatting the many URLs a page needs. */
char *mh_context_join(mh_pool_t *p, const char *a, const char *b, const char *c, const char *d);
const char *mh_context_setting(const mh_site_req_t *r, const char *key, const char *def);
const char *mh_context_lang_home(mh_pool_t *p, const mh_language_t *l);
const mh_column_t *mh_context_col_by_id(const mh_site_req_t *r, int64_t id);
/* Languages with domains (site.c decides the language by the Host header).
 * Whether host (a Host header, with or without ":port") is domain. */
bool mh_context_host_is(mh_str_t host, const char *domain);
/* The language of r->langs whose domain is r->host, or NULL. */
const mh_language_t *mh_context_host_lang(const mh_site_req_t *r);
/* What to put before a path of language l from this request's page: ""
 * when l is served on this host (the page's own language, a language by
 * its prefix, or this host's language), else the origin of l's own host ("http://en.example.org",
 * the scheme from the base_url setting). hreflang alternates, switchers and
 * sitemaps use it so links to other languages' hosts come out absolute. */
const char *mh_context_lang_base(mh_site_req_t *r, const mh_language_t *l);
/* The home of l as linked from this request's page: "/zh/", "/" (l on its
 * own host), or "http://en.example.org/" (l on another host). Paths of l's
 * pages are this followed by the column path. */
const char *mh_context_lang_url(mh_site_req_t *r, const mh_language_t *l);
/* An entry as the lists show it (id, title, url, summary, dates...). */
mh_val_t *mh_context_entry_item(mh_site_req_t *r, const mh_entry_t *e);
/* Path of a column ("/zh/news/") regardless of its module. */
const char *mh_context_col_path(mh_site_req_t *r, const mh_column_t *c);
/* A link column's target if it is safe to link or redirect to (a relative
 * or http(s) URL), else NULL. */
const char *mh_context_safe_link(const char *url);

/* The context schema: dotted paths; "x[]" is a list of maps whose keys are
 * "x[].key"; a final "*" means any key. pages says on which page kinds the
 * key is produced. */
typedef struct {
    const char *path;
    unsigned pages;
} mh_schema_key_t;

extern const mh_schema_key_t mh_context_schema[];
extern const size_t mh_context_schema_len;

#endif
