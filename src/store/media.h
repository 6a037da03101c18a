/* Store operations of the admin's media feature (see admin/admin.h and
 * model/media.h for the row types). */
#ifndef MH_STORE_MEDIA_H
#define MH_STORE_MEDIA_H

#include "../model/media.h"
#include "store.h"

struct mh_store_media_ops {
    /* Insert a row; *id receives its id. created_at as given. */
    int (*insert)(mh_store_t *s, const mh_media_item_t *in, int64_t *id);
    int (*get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_media_item_t *out);
    int (*by_name)(mh_store_t *s, mh_pool_t *p, const char *stored_name, mh_media_item_t *out);
    /* The row whose stored name is stem + "." + any extension (stem is
     * "ab/<30 hex>"), for variant URLs. */
    int (*by_stem)(mh_store_t *s, mh_pool_t *p, const char *stem, mh_media_item_t *out);
    /* Newest first (created_at, then id, descending); limit already
     * clamped by the caller. */
    int (*list)(mh_store_t *s, mh_pool_t *p, const mh_media_query_t *q, mh_media_item_t **out,
                size_t *n, int64_t *total);
    int (*remove)(mh_store_t *s, int64_t id); /* MH_DECLINED if no such row */
    /* Places whose text contains needle (see mh_content_media_uses). */
    int (*uses)(mh_store_t *s, mh_pool_t *p, const char *needle, mh_media_use_t **out, size_t *n);
};

#endif
