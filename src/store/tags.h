/* Store operations of tags (model/tags.h): the tags of a language, an
 * entry's tags, the public entries of a tag, and rename, merge, delete.
 * Same rules as store.h; the tables' triggers move the content generation
 * (a tag's rows always; an entry's tag links when the entry is public). */
#ifndef MH_STORE_TAGS_H
#define MH_STORE_TAGS_H

#include "../model/tags.h"
#include "store.h"

struct mh_store_tag_ops {
    /* Every tag of the language by name, with count = the entries (not in
     * the recycle bin) carrying it. */
    int (*list)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, mh_tag_t **out, size_t *n);
    /* One tag by id, or by slug in a language: MH_OK or MH_DECLINED. */
    int (*get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_tag_t *out);
    int (*by_slug)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, const char *slug, mh_tag_t *out);
    /* The tag of the language named name exactly: MH_OK or MH_DECLINED. */
    int (*by_name)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, const char *name, mh_tag_t *out);
    int (*insert)(mh_store_t *s, int64_t lang_id, const char *name, const char *slug, int64_t *id);
    /* Rename: name and slug (the caller checked they are free). */
    int (*update)(mh_store_t *s, int64_t id, const char *name, const char *slug);
    /* Delete a tag; its entries lose it. */
    int (*remove)(mh_store_t *s, int64_t id);
    /* Move every entry of from to into (an entry with both keeps one) and
     * delete from. */
    int (*merge)(mh_store_t *s, int64_t from_id, int64_t into_id);
    /* The tags of an entry in their order. */
    int (*of_entry)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_tag_t **out, size_t *n);
    /* Replace an entry's tags with ids (in that order; n may be 0). */
    int (*set_entry)(mh_store_t *s, int64_t entry_id, const int64_t *ids, size_t n);
    /* Public entries (published or scheduled with publish_at <= now, not
     * in the bin, in a visible column) carrying the tag, newest first;
     * body_html NULL; *total counts them all. */
    int (*entries)(mh_store_t *s, mh_pool_t *p, int64_t tag_id, int64_t now, int64_t offset,
                   int64_t limit, mh_entry_t **out, size_t *n, int64_t *total);
    /* Tags of the language carrying at least one public entry (as in
     * entries), by slug: for the sitemap. */
    int (*public_tags)(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t now, mh_tag_t **out,
                       size_t *n);
};

extern const struct mh_store_tag_ops mh_store_sqlite_tags;

#endif
