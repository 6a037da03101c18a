/* Store operations of custom fields (model/fields.h for the row types):
 * definitions per column and typed values per entry. Same rules as
 * store.h; writes of several rows belong in the caller's transaction. */
#ifndef MH_STORE_FIELDS_H
#define MH_STORE_FIELDS_H

#include "../model/fields.h"
#include "store.h"

struct mh_store_field_ops {
    /* The definitions of one column, by position then id. */
    int (*defs)(mh_store_t *s, mh_pool_t *p, int64_t column_id, mh_field_def_t **out, size_t *n);
    /* Every definition, by column, then position, then id (the content
     * layer keeps them with its column snapshot). */
    int (*defs_all)(mh_store_t *s, mh_pool_t *p, mh_field_def_t **out, size_t *n);
    int (*def_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_field_def_t *out);
    /* Insert; *id receives the new id. MH_DECLINED when the key is taken
     * in the column. */
    int (*def_insert)(mh_store_t *s, const mh_field_def_t *in, int64_t *id);
    /* Everything but column_id and key (which never change). */
    int (*def_update)(mh_store_t *s, const mh_field_def_t *in);
    /* Delete the definition and the values stored under its key by the
     * entries of its column and of the column's descendants. */
    int (*def_delete)(mh_store_t *s, int64_t id);
    int (*def_set_position)(mh_store_t *s, int64_t id, int position);

    /* An entry's values, by key then seq. */
    int (*values)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_field_value_t **out, size_t *n);
    /* Replace all values of an entry by vals (entry_id of each ignored). */
    int (*values_set)(mh_store_t *s, int64_t entry_id, const mh_field_value_t *vals, size_t n);
    /* Ids of the live entries of column_id with a value of key equal to
     * value (newest first by publish time); *total counts all of them. */
    int (*filter)(mh_store_t *s, mh_pool_t *p, int64_t column_id, const char *key,
                  const char *value, int64_t offset, int64_t limit, int64_t **ids, size_t *n,
                  int64_t *total);
};

#endif
