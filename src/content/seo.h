/* Reads for the sitemap, the feeds and status hygiene (410 for entries in
 * the recycle bin, 301 from old paths). Straight to the store, no
 * snapshot: the sitemap walks in batches outside any page's read
 * transaction, and the other two run only after a page was not found. */
#ifndef MH_CONTENT_SEO_H
#define MH_CONTENT_SEO_H

#include "content.h"

/* Up to limit public entries with id > after_id, by id (no body_html). */
int mh_content_public_after(mh_content_t *c, mh_pool_t *p, int64_t after_id, int64_t limit,
                            mh_entry_t **out, size_t *n);
/* The number of public entries and the newest updated_at among them. */
int mh_content_public_count(mh_content_t *c, int64_t *n, int64_t *newest);
/* The id of the public entry at offset in id order (MH_DECLINED: none). */
int mh_content_public_id_at(mh_content_t *c, int64_t offset, int64_t *id);
/* MH_OK when the entry at column_id/slug is in the recycle bin, else
 * MH_DECLINED (MH_ERR on failure). */
int mh_content_entry_trashed(mh_content_t *c, int64_t column_id, const char *slug);
/* The public entry that used to be at column_id/slug (its slug or column
 * changed since): MH_OK and *out, or MH_DECLINED. */
int mh_content_entry_moved(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *slug,
                           mh_entry_t *out);

/* Inside the transaction of a column update (content.c): record old_path
 * (the column's path before the change, no slashes at the ends) when it
 * differs from new_path. */
int mh_content_column_moved_from(mh_content_t *c, int64_t lang_id, int64_t column_id,
                                 const char *old_path, const char *new_path);
/* The column that used to live at path or at a prefix of it (path without
 * slashes at the ends): *column_id and the length of the old prefix
 * matched, or MH_DECLINED. */
int mh_content_column_old_path(mh_content_t *c, int64_t lang_id, const char *path,
                               int64_t *column_id, size_t *len);

#endif
