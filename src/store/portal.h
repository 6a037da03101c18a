/* Store operations of the portal features: download counts, banners and
 * friendly links (model/portal.h). Same rules as store.h: MH_DECLINED for
 * an unknown id, strings copied into the caller's pool, arrays in the
 * pool.
 *
 * Banner and link rows show on public pages, so their tables carry the
 * content generation triggers; download counts do not (a count may lag on
 * cached pages: a flush of counts must never empty the page cache). */
#ifndef MH_STORE_PORTAL_H
#define MH_STORE_PORTAL_H

#include "../model/portal.h"
#include "store.h"

struct mh_store_portal_ops {
    /* downloads of entry_id += n; an entry that no longer exists is
     * skipped (MH_OK). */
    int (*downloads_add)(mh_store_t *s, int64_t entry_id, int64_t n);
    /* The stored count of entry_id (0 when it never had one). */
    int (*downloads_get)(mh_store_t *s, int64_t entry_id, int64_t *n);

    /* Banners. column_id 0 is stored as NULL (the home page). */
    int (*banner_insert)(mh_store_t *s, const mh_banner_t *in, int64_t *id);
    int (*banner_update)(mh_store_t *s, const mh_banner_t *in);
    int (*banner_delete)(mh_store_t *s, int64_t id);
    int (*banner_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_banner_t *out);
    /* Banners of a language (lang_id 0: every language) and a place
     * (column_id -1: every place, 0: the home page), by language, place,
     * position, id. */
    int (*banner_list)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                       mh_banner_t **out, size_t *n);
    /* The banners of one place shown at now (show_from <= now, and now <
     * show_until or no end), by position then id. */
    int (*banner_active)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                         int64_t now, mh_banner_t **out, size_t *n);
    /* How many banners start or end in the window (from, to]: the
     * scheduler moves the content generation when this is not 0. */
    int (*banner_due)(mh_store_t *s, int64_t from, int64_t to, int64_t *n);

    /* Friendly links. */
    int (*link_insert)(mh_store_t *s, const mh_friend_link_t *in, int64_t *id);
    int (*link_update)(mh_store_t *s, const mh_friend_link_t *in);
    int (*link_delete)(mh_store_t *s, int64_t id);
    int (*link_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_friend_link_t *out);
    /* Links of a language (0: every language), by language, position, id. */
    int (*link_list)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                     size_t *n);
};

extern const struct mh_store_portal_ops mh_store_sqlite_portal;

#endif
