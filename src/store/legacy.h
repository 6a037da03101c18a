/* Store operations of imports and legacy URLs: the map from a source
 * system's row ids to the rows an import made (so a second import finds
 * them and changes nothing), and the legacy URL table. Same rules as
 * store.h. */
#ifndef MH_STORE_LEGACY_H
#define MH_STORE_LEGACY_H

#include "../model/legacy.h"
#include "store.h"

struct mh_store_legacy_ops {
    /* The row made from (source, table, src_id): *target_id, or
     * MH_DECLINED. */
    int (*map_get)(mh_store_t *s, const char *source, const char *table, const char *src_id,
                   int64_t *target_id);
    /* Record (or replace) it. */
    int (*map_put)(mh_store_t *s, const char *source, const char *table, const char *src_id,
                   int64_t target_id);
    /* The row for a normalised path, or MH_DECLINED. */
    int (*url_find)(mh_store_t *s, mh_pool_t *p, const char *path, mh_legacy_url_t *out);
    int (*url_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_legacy_url_t *out);
    /* Insert; MH_DECLINED (nothing written) when the path has a row. */
    int (*url_insert)(mh_store_t *s, const mh_legacy_url_t *in, int64_t *id);
    /* Update path and target of in->id; MH_DECLINED for an unknown id or
     * a path another row has. */
    int (*url_update)(mh_store_t *s, const mh_legacy_url_t *in);
    int (*url_delete)(mh_store_t *s, int64_t id);
    /* Rows whose path contains q (NULL or "": all), by path; *total
     * before offset/limit. */
    int (*url_list)(mh_store_t *s, mh_pool_t *p, const char *q, int64_t offset, int64_t limit,
                    mh_legacy_url_t **out, size_t *n, int64_t *total);
    /* Give language id another code (the importer makes a new site's
     * default language the old site's default). */
    int (*language_recode)(mh_store_t *s, int64_t id, const char *code);
    /* A large write ahead on this thread's connection (on) or its end
     * (off): a bigger page cache, so one long transaction does not spill
     * pages to disk as it goes. */
    int (*bulk)(mh_store_t *s, bool on);
};

#endif
