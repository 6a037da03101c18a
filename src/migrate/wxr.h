/* Reader for WordPress eXtended RSS exports (WXR 1.0, 1.1, 1.2).
 *
 * The file is read with libxml2's streaming reader, one element at a time,
 * so memory stays bounded by the largest single item, not the file. The
 * parser has network access off, entities are never substituted, no DTD is
 * loaded, and a document with a DOCTYPE is refused outright (WordPress never
 * writes one; it is the door for entity expansion attacks). A text field
 * larger than opts.max_field (default 64 MiB; libxml2 refuses single text
 * nodes over 10,000,000 bytes itself) is an error, and so is one author,
 * term or item holding more than 4 x max_field bytes in all (many fields,
 * each under the limit).
 *
 * The caller gets callbacks in document order: the site once (before the
 * first author, term or item, or at the end of the channel), then each
 * author, category, tag, term and item. Every string handed to a callback
 * is NUL-terminated, never NULL ("" when absent), and valid only during the
 * callback. A callback returning non-zero stops the parse; that value is
 * returned. Errors are MH_ERR with "FILE:LINE: message" in err; a truncated
 * or malformed file is always an error, never a partial success. */
#ifndef MH_MIGRATE_WXR_H
#define MH_MIGRATE_WXR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *title, *link, *description, *language;
    const char *wxr_version;   /* "1.2", "" when absent */
    const char *base_site_url; /* wp:base_site_url */
    const char *base_blog_url; /* wp:base_blog_url */
} mh_wxr_site_t;

typedef struct {
    int64_t id; /* wp:author_id, 0 when absent */
    const char *login, *email, *display_name, *first_name, *last_name;
} mh_wxr_author_t;

typedef enum {
    MH_WXR_CATEGORY, /* wp:category: slug = category_nicename, parent = parent's nicename */
    MH_WXR_TAG,      /* wp:tag: slug = tag_slug */
    MH_WXR_TERM,     /* wp:term: any taxonomy (nav_menu, post_format, ...) */
} mh_wxr_term_kind_t;

typedef struct {
    mh_wxr_term_kind_t kind;
    int64_t id;           /* wp:term_id */
    const char *taxonomy; /* "category", "post_tag" or wp:term_taxonomy */
    const char *slug, *parent, *name, *description;
} mh_wxr_term_t;

/* <category domain="category|post_tag|..." nicename="slug">Name</category> */
typedef struct {
    const char *domain, *nicename, *name;
} mh_wxr_item_term_t;

typedef struct {
    const char *key, *value;
} mh_wxr_meta_t;

typedef struct {
    int64_t id, parent, user_id;
    const char *author, *author_email, *author_url, *author_ip;
    const char *date, *date_gmt, *content;
    const char *approved; /* "1", "0", "spam", "trash" */
    const char *type;     /* "" or "comment", "pingback", "trackback" */
} mh_wxr_comment_t;

typedef struct {
    int64_t post_id, post_parent;
    long menu_order;
    bool is_sticky;
    const char *post_type; /* post, page, attachment, nav_menu_item, ... */
    const char *title;     /* text; may contain markup meant as text */
    const char *link, *guid, *creator, *description;
    const char *content; /* content:encoded, raw WordPress HTML */
    const char *excerpt; /* excerpt:encoded */
    const char *post_name, *status, *post_date, *post_date_gmt, *post_password;
    const char *comment_status, *attachment_url;
    const mh_wxr_item_term_t *terms;
    size_t nterms;
    const mh_wxr_meta_t *meta;
    size_t nmeta;
    const mh_wxr_comment_t *comments;
    size_t ncomments;
    unsigned long line; /* line of the <item> start tag */
} mh_wxr_item_t;

typedef struct {
    void *ud;
    int (*site)(void *ud, const mh_wxr_site_t *site);
    int (*author)(void *ud, const mh_wxr_author_t *author);
    int (*term)(void *ud, const mh_wxr_term_t *term);
    int (*item)(void *ud, const mh_wxr_item_t *item);
    /* After each top-level element: bytes consumed so far (of total, 0 when
     * unknown). Optional. */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    size_t max_field; /* bytes; 0 = 64 MiB */
} mh_wxr_handler_t;

/* Parse FILE. Returns MH_OK, MH_ERR (message in err), or a callback's
 * non-zero result. */
int mh_wxr_parse_file(const char *path, const mh_wxr_handler_t *h, char *err, size_t errsize);

/* The same on a buffer; name is used in messages. */
int mh_wxr_parse_memory(const char *buf, size_t len, const char *name, const mh_wxr_handler_t *h,
                        char *err, size_t errsize);

#endif
