/* The domain types: sites, languages, the column tree, entries, settings
 * and custom fields, as the content layer (content/) and the storage
 * backends (store/) exchange them. This directory depends on nothing but
 * libc: content/ and store/ both include it, neither includes the other's
 * headers the other way round (store/ includes nothing from content/).
 *
 * Row types only; behaviour lives in content/ (validation, types) and the
 * text forms stored in the database in store/store.h. */
#ifndef MH_MODEL_MODEL_H
#define MH_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A column's content type, by its stored name ("article"). The type's
 * behaviour is in its descriptor (content/types.h: mh_content_type(m));
 * the store keeps and returns the name as text, so a new type is a new
 * descriptor row and nothing here. Compare types with mh_content_type_is,
 * never with ==. */
typedef const char *mh_module_t;

/* The built-in type names. */
#define MH_MODULE_PAGE "page"       /* single page: the column itself carries the body */
#define MH_MODULE_ARTICLE "article" /* news and articles */
#define MH_MODULE_PRODUCT "product"
#define MH_MODULE_DOWNLOAD "download"
#define MH_MODULE_GALLERY "gallery" /* image gallery */
#define MH_MODULE_JOB "job"
#define MH_MODULE_FEEDBACK "feedback" /* feedback form */
#define MH_MODULE_GUESTBOOK "guestbook"
#define MH_MODULE_LINK "link" /* external link: the column is a link_url */

enum { MH_NAV_HIDDEN = 0, MH_NAV_HEADER = 1, MH_NAV_FOOTER = 2, MH_NAV_BOTH = 3 };

typedef enum {
    MH_SORT_NEWEST = 0, /* pinned first, then publish time descending (default) */
    MH_SORT_OLDEST,     /* publish time ascending */
    MH_SORT_MANUAL,     /* entry position ascending */
    MH_SORT_TITLE,
    MH_SORT_HITS, /* most read first */
} mh_sort_t;

typedef enum {
    MH_STATUS_DRAFT = 0,
    MH_STATUS_PUBLISHED = 1,
    MH_STATUS_SCHEDULED = 2, /* published automatically at publish_at */
    MH_STATUS_PENDING = 3,   /* submitted for review */
} mh_status_t;

typedef struct {
    int64_t id;
    const char *name;
    const char *domain; /* optional host name serving this site, or "" */
} mh_site_info_t;

typedef struct {
    int64_t id;
    int64_t site_id;
    const char *code;   /* BCP 47: "en", "zh-CN" */
    const char *name;   /* in its own language: "English", "中文" */
    const char *prefix; /* URL prefix without slashes: "" for the default language, "zh" */
    const char *domain; /* optional host name for this language, or "" */
    bool is_default;
    int position;
    bool hidden; /* not public (being translated): the public site answers 404 in it and leaves
                    it out of switchers, alternates and sitemaps; the admin works in it */
} mh_language_t;

typedef struct {
    int64_t id;
    int64_t parent_id; /* 0 for a top-level column */
    int64_t lang_id;
    mh_module_t module;
    const char *name;
    const char *slug; /* unique among siblings */
    const char *path; /* computed: slugs from the root joined by '/', "about/history" */
    const char *summary;
    const char *body_html; /* single-page content (sanitised HTML) */
    const char *link_url;  /* MH_MODULE_LINK */
    const char *seo_title, *seo_keywords, *seo_description;
    int nav; /* MH_NAV_* */
    mh_sort_t sort_mode;
    int page_size; /* entries per list page, 1..200 */
    int position;  /* order among siblings */
    int depth;     /* computed: 0 for top level */
    /* Columns with the same group are translations of each other (in
     * other languages); read back as the column's own id when it has none.
     * 0 on create/update means "a group of its own". */
    int64_t translation_group;
    bool visible; /* false: not shown and not served (404); read results
                   * report false also when an ancestor is hidden */
} mh_column_t;

typedef struct {
    int64_t id;
    int64_t column_id;
    int64_t lang_id;
    int64_t translation_group; /* entries with the same group are translations of each other */
    int64_t author_id;         /* user id of the owner, 0 if none */
    const char *title;
    const char *slug; /* unique within the column */
    const char *summary;
    const char *body_html; /* sanitised HTML; NULL in list results */
    const char *author;    /* byline as shown */
    const char *source;
    const char *cover; /* media reference or URL of the cover image, or "" */
    const char *seo_title, *seo_keywords, *seo_description;
    int64_t publish_at;
    int64_t created_at, updated_at;
    int64_t hits;
    mh_status_t status;
    bool pinned, recommended;
    int position;
} mh_entry_t;

typedef struct {
    const char *key;
    const char *value;
} mh_setting_t;

/* Text forms of the enums, as stored in the database and used in forms:
 * "draft", "published", "scheduled", "pending"; "newest", "oldest",
 * "manual", "title", "hits"; "hidden", "header", "footer", "both". Names
 * are NULL and parses -1 for unknown values. */
const char *mh_status_name(mh_status_t s);
int mh_status_parse(const char *name);
const char *mh_sort_name(mh_sort_t s);
int mh_sort_parse(const char *name);
const char *mh_nav_name(int nav);
int mh_nav_parse(const char *name);

#include "fields.h"

#endif
