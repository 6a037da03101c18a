/* Content types as descriptors: one row per module type (single page,
 * article, product, download, gallery, job, feedback form, guestbook,
 * external link) saying what the type is and does. Code that needs to know
 * how a column of some type behaves asks its descriptor's flags; nothing
 * outside src/content/types.c compares module values.
 *
 * A type's templates: a theme may provide "list-<name>" and
 * "entry-<name>" (e.g. entry-product.mustache); when it does not, the
 * generic "list" and "entry" templates render the type.
 *
 * Adding a type is a row in the table of types.c, the theme templates it
 * wants (optional) and a strings entry "module.<name>" in the admin's and
 * the theme's strings files (see docs/internals/content-types.md). */
#ifndef MH_CONTENT_TYPES_H
#define MH_CONTENT_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "content.h"

/* What a type's columns do. */
enum {
    MH_TYPE_ENTRIES = 1u << 0,  /* holds entries: list pages, entry pages, the editor */
    MH_TYPE_BODY = 1u << 1,     /* the column itself carries a body (single page) */
    MH_TYPE_REDIRECT = 1u << 2, /* the column is a link elsewhere (link_url), no page */
    MH_TYPE_SUBMIT = 1u << 3,   /* accepts public submissions (feedback, guestbook) */
    MH_TYPE_HOME = 1u << 4,     /* its latest entries are offered to the home page */
    /* entries carry an ordered image list with captions (content/images.h) */
    MH_TYPE_IMAGES = 1u << 5,
    /* entries carry extra tabs, related entries and an Inquire link */
    MH_TYPE_TABS = 1u << 6,
    /* public lists filter by the filterable fields (?key=value) */
    MH_TYPE_FILTER = 1u << 7,
    MH_TYPE_APPLY = 1u << 8,     /* its entries take public applications (jobs: a CV) */
    MH_TYPE_MODERATED = 1u << 9, /* submissions are public once approved (guestbook) */
    /* each entry carries a file (its built-in field "file") served as an
     * attachment at /download/<entry id> and counted (site/downloads.c) */
    MH_TYPE_DOWNLOAD = 1u << 10,
};

typedef struct mh_content_type {
    const char *name;           /* "article": the stored mh_module_t, and names templates */
    unsigned flags;             /* MH_TYPE_* */
    const char *list_template;  /* "list-article": preferred list template, else "list" */
    const char *entry_template; /* "entry-article": preferred entry template, else "entry" */
    /* Built-in fields: every column of the type has them, before the
     * column's own definitions (same struct; id and column_id 0). */
    const mh_field_def_t *fields;
    size_t nfields;
    /* The schema.org type of an entry's JSON-LD ("NewsArticle", "Product",
     * "JobPosting"); NULL: the generic "Article". See docs/theme.md. */
    const char *schema_type;
} mh_content_type_t;

/* The descriptor of a module type (by name: a column's module); NULL for
 * an unknown one. */
const mh_content_type_t *mh_content_type(mh_module_t m);
/* By stored name ("product"); NULL if unknown. */
const mh_content_type_t *mh_content_type_by_name(const char *name);
/* Every type, in table order (for pickers). */
const mh_content_type_t *mh_content_types(size_t *n);
/* Does a column of module m have the flag? False for unknown modules. */
bool mh_content_type_is(mh_module_t m, unsigned flag);

#endif
