/* Entry images (products, gallery albums), product tabs, related entries
 * and filtered product lists: the content API over store/images.h.
 *
 * Images: an ordered list per entry of a type with MH_TYPE_IMAGES, each a
 * media library reference ("/media/ab/<hex>.<ext>") or an http(s) URL with
 * a plain-text caption. A stored reference is resolved once, when saved:
 * its public URL, a small variant for thumbnails and its size, so pages
 * need no media lookup. The first image is the entry's cover when the
 * entry has none of its own (the admin and demo set entries.cover).
 *
 * Tabs: named extra rich-text sections of a product (MH_TYPE_TABS),
 * sanitised here like entry bodies. Related: other entries of the same
 * language, by id, in order.
 *
 * Filtered lists: the public entries of a column (and its descendants)
 * whose filterable fields have given values (AND across fields), with
 * counts per value of each filterable field; from the (key, value)
 * indexes, memoised with the content generation.
 *
 * Writes bump the content generation through the tables' triggers when
 * the entry is public; each *_set joins the caller's transaction
 * (mh_content_tx_begin) or makes its own.
 *
 * Return codes: MH_OK, MH_DECLINED (refused input: *msg says why),
 * MH_ERR (database failure, logged), MH_TOOBIG (a tab too large). */
#ifndef MH_CONTENT_IMAGES_H
#define MH_CONTENT_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/images.h"
#include "content.h"

/* Most images, tabs and related entries per entry. */
#define MH_IMAGES_MAX 60
#define MH_TABS_MAX 10
#define MH_RELATED_MAX 20
/* Longest caption and tab title, in bytes. */
#define MH_CAPTION_MAX 500
#define MH_TAB_TITLE_MAX 100

/* --- images --- */

/* An entry's images by position (memoised for public pages: pass public
 * true only when the entry is public). */
int mh_images_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, bool public,
                  mh_entry_image_t **out, size_t *n);
/* Check and resolve what a form sent: refs[i] with captions[i] (NULL:
 * ""), in order; empty refs are skipped. MH_DECLINED with *msg
 * "images.error.url" (not a media reference or http(s) URL), ".caption"
 * (too long) or ".too_many". */
int mh_images_prepare(mh_content_t *c, mh_pool_t *p, const char *const *refs,
                      const char *const *captions, size_t n, mh_entry_image_t **out, size_t *nout,
                      const char **msg);
/* Replace an entry's images by in (from mh_images_prepare). */
int mh_images_set(mh_content_t *c, int64_t entry_id, const mh_entry_image_t *in, size_t n);

/* --- product tabs --- */

int mh_tabs_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_entry_tab_t **out, size_t *n);
/* titles[i] with bodies[i] (HTML, sanitised here); a tab with neither is
 * skipped; a body without a title is refused ("tabs.error.title"), as is
 * a long title (".title_long") or too many (".too_many"). */
int mh_tabs_prepare(mh_content_t *c, mh_pool_t *p, const char *const *titles,
                    const char *const *bodies, size_t n, mh_entry_tab_t **out, size_t *nout,
                    const char **msg);
int mh_tabs_set(mh_content_t *c, int64_t entry_id, const mh_entry_tab_t *in, size_t n);

/* --- related entries --- */

int mh_related_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t **ids, size_t *n);
/* Keep the ids that name other entries of lang_id (not entry_id itself,
 * not in the recycle bin), once each, in order; at most MH_RELATED_MAX. */
int mh_related_clean(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t lang_id,
                     const int64_t *ids, size_t n, int64_t **out, size_t *nout);
int mh_related_set(mh_content_t *c, int64_t entry_id, const int64_t *ids, size_t n);

/* --- revisions (content/editorial.c) --- */

/* Add "images" [{ref, caption}], "tabs" [{title, body}] and "related"
 * [ids] to a revision snapshot (a jansson object, passed as void * so
 * this header needs no jansson) when the entry has any; true if added. */
bool mh_images_snapshot(mh_content_t *c, mh_pool_t *p, int64_t entry_id, void *json_obj);
/* Make the entry's images, tabs and related entries what the snapshot
 * says (none for a key it lacks); inside the caller's transaction. */
int mh_images_restore(mh_content_t *c, mh_pool_t *p, int64_t entry_id, void *json_obj);

/* --- filtered public lists --- */

/* Page [offset, offset + limit) of the public entries of column_id (of
 * lang_id) and its visible descendants that match every filter, ordered
 * by the column's sort; *total counts all matches. nfilters 0 is the
 * plain list (mh_content_entries). Filters must name filterable fields
 * (the caller drops the others). */
int mh_list_filtered(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                     const mh_list_filter_t *filters, size_t nfilters, int64_t offset,
                     int64_t limit, mh_entry_t **out, size_t *n, int64_t *total);
/* Counts per value of field key among the public entries of the column
 * (as above) that match every filter whose key is not key. */
int mh_list_facet(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                  const char *key, const mh_list_filter_t *filters, size_t nfilters,
                  mh_facet_count_t **out, size_t *n);

/* --- column options of products and galleries (settings keys) --- */

/* "col.<id>.layout": "grid" (default) or "list". */
const char *mh_column_layout(mh_content_t *c, mh_pool_t *p, int64_t column_id);
/* "col.<id>.inquiry": the feedback column a product's Inquire link opens;
 * 0 for none. */
int64_t mh_column_inquiry(mh_content_t *c, mh_pool_t *p, int64_t column_id);
/* Set both (layout NULL or unknown: grid; inquiry 0: none). */
int mh_column_options_set(mh_content_t *c, int64_t column_id, const char *layout, int64_t inquiry);

#endif
