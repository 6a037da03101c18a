/* The table of content types. See types.h. */
#include "types.h"

#include <string.h>

#include "../core/common.h"

#define ROW(mod, nm, fl)                                                                           \
    {                                                                                              \
        mod, nm, fl, "list-" nm, "entry-" nm                                                       \
    }

static const mh_content_type_t types[] = {
    ROW(MH_MODULE_PAGE, "page", MH_TYPE_BODY),
    ROW(MH_MODULE_ARTICLE, "article", MH_TYPE_ENTRIES | MH_TYPE_HOME),
    ROW(MH_MODULE_PRODUCT, "product", MH_TYPE_ENTRIES),
    ROW(MH_MODULE_DOWNLOAD, "download", MH_TYPE_ENTRIES),
    ROW(MH_MODULE_GALLERY, "gallery", MH_TYPE_ENTRIES),
    ROW(MH_MODULE_JOB, "job", MH_TYPE_ENTRIES),
    ROW(MH_MODULE_FEEDBACK, "feedback", MH_TYPE_ENTRIES | MH_TYPE_SUBMIT),
    ROW(MH_MODULE_GUESTBOOK, "guestbook", MH_TYPE_ENTRIES | MH_TYPE_SUBMIT),
    ROW(MH_MODULE_LINK, "link", MH_TYPE_REDIRECT),
};

const mh_content_type_t *mh_content_type(mh_module_t m)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(types); i++)
        if (types[i].module == m)
            return &types[i];
    return NULL;
}

const mh_content_type_t *mh_content_type_by_name(const char *name)
{
    for (size_t i = 0; name && i < MH_ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, name) == 0)
            return &types[i];
    return NULL;
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
