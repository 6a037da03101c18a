/* Store operations of entry images, product tabs, related entries and
 * filtered lists (model/images.h for the row types). Same rules as
 * store.h; the *_set writes replace all rows of an entry and belong in the
 * caller's transaction. */
#ifndef MH_STORE_IMAGES_H
#define MH_STORE_IMAGES_H

#include "../model/images.h"
#include "store.h"

/* Most filters of one list query (store/images.h callers drop the rest). */
#define MH_STORE_FILTERS_MAX 8

struct mh_store_image_ops {
    /* An entry's images by position. */
    int (*images)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_entry_image_t **out, size_t *n);
    /* Replace an entry's images (positions renumbered 0..n-1 in order). */
    int (*images_set)(mh_store_t *s, int64_t entry_id, const mh_entry_image_t *in, size_t n);
    int (*tabs)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_entry_tab_t **out, size_t *n);
    int (*tabs_set)(mh_store_t *s, int64_t entry_id, const mh_entry_tab_t *in, size_t n);
    /* Ids of an entry's related entries, in order. */
    int (*related)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, int64_t **ids, size_t *n);
    int (*related_set)(mh_store_t *s, int64_t entry_id, const int64_t *ids, size_t n);
    /* Public entries of the columns (column_ids, ncolumns > 0) whose
     * values match every filter (nfilters > 0), ordered by sort (mh_sort_t),
     * all ids (the caller pages); at most MH_STORE_FILTERS_MAX filters. Driven from the (key,
     * value) index of the first filter; the others are checked by primary key. now: the time
     * publication is judged at. */
    int (*filter_ids)(mh_store_t *s, mh_pool_t *p, const int64_t *column_ids, size_t ncolumns,
                      const mh_list_filter_t *filters, size_t nfilters, int sort, int64_t now,
                      int64_t **ids, size_t *n);
    /* For field key: how many public entries of the columns have each
     * value, among those matching every filter (none: all entries). From
     * the (key, value, entry_id) index. By value. */
    int (*facet)(mh_store_t *s, mh_pool_t *p, const int64_t *column_ids, size_t ncolumns,
                 const char *key, const mh_list_filter_t *filters, size_t nfilters, int64_t now,
                 mh_facet_count_t **out, size_t *n);
};

#endif
