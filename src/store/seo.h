/* Store operations of the sitemap, the feeds and status hygiene: public
 * entries walked in id order (keyset batches), entries in the recycle bin
 * by path, and old paths of entries whose slug or column changed (kept by
 * a trigger, see migrations.c). Same rules as store.h. */
#ifndef MH_STORE_SEO_H
#define MH_STORE_SEO_H

#include "store.h"

struct mh_store_seo_ops {
    /* Up to limit public entries (visible at now, not in the recycle bin)
     * with id > after_id, by id, without body_html. */
    int (*public_after)(mh_store_t *s, mh_pool_t *p, int64_t after_id, int64_t now, int64_t limit,
                        mh_entry_t **out, size_t *n);
    /* How many entries public_after would walk in all, and the newest
     * updated_at among them (0 when none). */
    int (*public_count)(mh_store_t *s, int64_t now, int64_t *n, int64_t *newest);
    /* The id of the public entry at offset (0-based) in id order, or
     * MH_DECLINED: where a sitemap part starts. */
    int (*public_id_at)(mh_store_t *s, int64_t now, int64_t offset, int64_t *id);
    /* MH_OK when an entry of column_id with slug is in the recycle bin
     * (and no live entry has that path), MH_DECLINED when none is. */
    int (*trashed)(mh_store_t *s, int64_t column_id, const char *slug);
    /* The entry that used to live at column_id/slug: *entry_id, or
     * MH_DECLINED. */
    int (*old_path)(mh_store_t *s, int64_t column_id, const char *slug, int64_t *entry_id);
    /* Remember that column_id lived at path (no slashes at either end)
     * in language lang_id; replaces an older record of the same path. */
    int (*column_old_path_add)(mh_store_t *s, int64_t lang_id, const char *path, int64_t column_id,
                               int64_t now);
    /* The longest recorded old column path that is path itself or a
     * prefix of it ending at a '/': *column_id and its length, or
     * MH_DECLINED. */
    int (*column_old_path)(mh_store_t *s, int64_t lang_id, const char *path, int64_t *column_id,
                           size_t *len);
};

#endif
