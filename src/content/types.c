/* The table of content types. See types.h. A type is a row here; its
 * stored name is free text in the database (no CHECK lists the names), so
 * adding a row is all the schema needs. */
#include "types.h"

#include <string.h>

#include "../core/common.h"

#define ROW(nm, fl)                                                                                \
    {                                                                                              \
        nm, fl, "list-" nm, "entry-" nm, NULL, 0, NULL                                             \
    }
/* A row with a schema.org type for its entries' JSON-LD. */
#define ROW_SCHEMA(nm, fl, st)                                                                     \
    {                                                                                              \
        nm, fl, "list-" nm, "entry-" nm, NULL, 0, st                                               \
    }
#define ROW_FIELDS(nm, fl, defs)                                                                   \
    {                                                                                              \
        nm, fl, "list-" nm, "entry-" nm, defs, MH_ARRAY_LEN(defs), NULL                            \
    }

/* A job's facts (forms feature): shown on the list and the page; an
 * entry past valid_until (the site's timezone) refuses applications. */
static const mh_field_def_t job_fields[] = {
    {.key = "position", .kind = MH_FIELD_TEXT, .label = "Position", .show_in_list = true},
    {.key = "department", .kind = MH_FIELD_TEXT, .label = "Department", .show_in_list = true},
    {.key = "place", .kind = MH_FIELD_TEXT, .label = "Place", .show_in_list = true},
    {.key = "openings", .kind = MH_FIELD_NUMBER, .label = "Openings", .show_in_list = true},
    {.key = "pay", .kind = MH_FIELD_TEXT, .label = "Pay"},
    {.key = "valid_until", .kind = MH_FIELD_DATE, .label = "Valid until", .show_in_list = true},
};

/* A download's file: a media library document, typed so it is stored and
 * validated as a media reference (fields.c) and picked in the editor with
 * the media library window. */
static const mh_field_def_t download_fields[] = {
    {.key = "file", .kind = MH_FIELD_FILE, .label = "File", .required = true, .show_in_list = true},
};

static const mh_content_type_t types[] = {
    ROW(MH_MODULE_PAGE, MH_TYPE_BODY),
    ROW_SCHEMA(MH_MODULE_ARTICLE, MH_TYPE_ENTRIES | MH_TYPE_HOME, "NewsArticle"),
    ROW_SCHEMA(MH_MODULE_PRODUCT, MH_TYPE_ENTRIES | MH_TYPE_IMAGES | MH_TYPE_TABS | MH_TYPE_FILTER,
               "Product"),
    ROW_FIELDS(MH_MODULE_DOWNLOAD, MH_TYPE_ENTRIES | MH_TYPE_DOWNLOAD, download_fields),
    ROW(MH_MODULE_GALLERY, MH_TYPE_ENTRIES | MH_TYPE_IMAGES),
    {MH_MODULE_JOB, MH_TYPE_ENTRIES | MH_TYPE_APPLY, "list-" MH_MODULE_JOB, "entry-" MH_MODULE_JOB,
     job_fields, MH_ARRAY_LEN(job_fields), "JobPosting"},
    ROW(MH_MODULE_FEEDBACK, MH_TYPE_ENTRIES | MH_TYPE_SUBMIT),
    ROW(MH_MODULE_GUESTBOOK, MH_TYPE_ENTRIES | MH_TYPE_SUBMIT | MH_TYPE_MODERATED),
    ROW(MH_MODULE_LINK, MH_TYPE_REDIRECT),
};

const mh_content_type_t *mh_content_type(mh_module_t m)
{
    if (!m)
        return NULL;
    /* Columns read through the content layer carry the descriptor's own
     * pointer (mh_module_parse), so the first test usually decides. */
    for (size_t i = 0; i < MH_ARRAY_LEN(types); i++)
        if (types[i].name == m)
            return &types[i];
    for (size_t i = 0; i < MH_ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, m) == 0)
            return &types[i];
    return NULL;
}

const mh_content_type_t *mh_content_type_by_name(const char *name)
{
    return mh_content_type(name);
}

const mh_content_type_t *mh_content_types(size_t *n)
{
    *n = MH_ARRAY_LEN(types);
    return types;
}

bool mh_content_type_is(mh_module_t m, unsigned flag)
{
    const mh_content_type_t *t = mh_content_type(m);
    return t && (t->flags & flag) != 0;
}

const char *mh_module_name(mh_module_t m)
{
    const mh_content_type_t *t = mh_content_type(m);
    return t ? t->name : NULL;
}

mh_module_t mh_module_parse(const char *name)
{
    return mh_module_name(name);
}
