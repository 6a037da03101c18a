/* Store operations of the admin's editorial feature (see admin/admin.h and
 * model/editorial.h, whose types the rows use). Same rules as store.h:
 * parameterised statements only, strings copied into the pool given,
 * MH_OK / MH_DECLINED (no such row) / MH_ERR (logged). */
#ifndef MH_STORE_EDITORIAL_H
#define MH_STORE_EDITORIAL_H

#include "../model/editorial.h"
#include "store.h"

struct mh_store_editorial_ops {
    /* Entries for the editor, with the filter's semantics (content/editorial.h);
     * the caller has normalised offset and limit. */
    int (*entries)(mh_store_t *s, mh_pool_t *p, const mh_entry_filter_t *f, mh_entry_t **out,
                   size_t *n, int64_t *total);
    /* An entry with body_html, live or in the bin (*deleted_at 0 if live). */
    int (*entry_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_entry_t *out, int64_t *deleted_at);
    /* Set deleted_at (at > 0: into the bin, only if live; at 0: out of it,
     * only if in it). MH_DECLINED when no row changed. */
    int (*entry_set_deleted)(mh_store_t *s, int64_t id, int64_t at);
    /* Delete a binned entry for good (revisions and reviews cascade). */
    int (*entry_purge)(mh_store_t *s, int64_t id);
    /* Status and publish time of a live entry (updated_at set to now). */
    int (*entry_set_status)(mh_store_t *s, int64_t id, mh_status_t st, int64_t publish_at,
                            int64_t now);
    /* Every entry of a translation group (live, any status, id order). */
    int (*group_entries)(mh_store_t *s, mh_pool_t *p, int64_t group, mh_entry_t **out, size_t *n);
    /* Entries (live and binned) in these columns: count, and id/slug/column
     * rows (other fields zero) to move them. */
    int (*column_entry_count)(mh_store_t *s, const int64_t *ids, size_t n, int64_t *count);
    int (*column_entries)(mh_store_t *s, mh_pool_t *p, const int64_t *ids, size_t n,
                          mh_entry_t **out, size_t *count);
    int (*entry_move)(mh_store_t *s, int64_t id, int64_t column_id, const char *slug);
    /* Delete a column (its sub-columns cascade). */
    int (*column_delete)(mh_store_t *s, int64_t id);
    int (*column_set_position)(mh_store_t *s, int64_t id, int position);

    int (*revision_insert)(mh_store_t *s, const mh_revision_t *in, int64_t *id);
    /* Newest first, at most limit, body_html NULL. */
    int (*revisions)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, int64_t limit,
                     mh_revision_t **out, size_t *n);
    int (*revision_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_revision_t *out);

    int (*review_insert)(mh_store_t *s, const mh_review_t *in, int64_t *id);
    /* Newest first. */
    int (*reviews)(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_review_t **out, size_t *n);

    /* For the scheduler: *due counts live scheduled entries with
     * publish_at <= now; *went_public is set when a live published or
     * scheduled entry has since < publish_at <= now. */
    int (*schedule_check)(mh_store_t *s, int64_t since, int64_t now, int64_t *due,
                          bool *went_public);
    /* Scheduled live entries with publish_at <= now become published;
     * *changed receives how many. */
    int (*publish_due)(mh_store_t *s, int64_t now, int64_t *changed);

    /* Manual order and view counts (content/ordering.h). The live entries
     * of a column in manual order (position, then id): id, position and
     * title only. */
    int (*column_order)(mh_store_t *s, mh_pool_t *p, int64_t column_id, mh_entry_t **out,
                        size_t *n);
    int (*entry_set_position)(mh_store_t *s, int64_t id, int position);
    /* hits += n; touches no other column, so the content generation stays
     * (the trigger skips updates that change hits). */
    int (*entry_hits_add)(mh_store_t *s, int64_t id, int64_t n);
};

#endif
