/* Store operations of the admin's languages screens (admin/languages.c
 * through content/languages.h): editing, hiding, deleting and copying a
 * language. */
#ifndef MH_STORE_LANGUAGES_H
#define MH_STORE_LANGUAGES_H

#include "../model/model.h"
#include "store.h"

struct mh_store_language_ops {
    /* Update name, prefix, domain, position and public (from !in->hidden)
     * of the row in->id; MH_DECLINED if there is no such row. */
    int (*update)(mh_store_t *s, const mh_language_t *in);
    /* Delete the row; its columns, entries and settings go with it
     * (ON DELETE CASCADE). MH_DECLINED if there is no such row. */
    int (*remove)(mh_store_t *s, int64_t id);
    /* How many columns and entries (the recycle bin included) a language
     * has. */
    int (*counts)(mh_store_t *s, int64_t id, int64_t *columns, int64_t *entries);
    /* Link column id (a copy) as a translation of column from: from gets a
     * translation group if it has none (its id), id joins it. MH_DECLINED
     * when the columns table has no translation_group. */
    int (*column_link)(mh_store_t *s, int64_t id, int64_t from);
};

extern const struct mh_store_language_ops mh_store_sqlite_languages;

#endif
