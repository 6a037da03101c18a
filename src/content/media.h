/* The media library: uploaded files as the media table records them, where
 * they are used, and how a public /media/ URL maps back to a file.
 *
 * Files themselves are written and removed by src/media (inspection,
 * re-encoding, random names, WebP variants); this module keeps the database
 * in step with the disk. A stored name has the shape "ab/<30 hex>.<ext>"
 * (relative to the site's media directory, DIR/media); its variants are
 * "ab/<30 hex>-<width>.webp". Public URLs are "/media/" + that name. The
 * client's file name is metadata only (original_name): it never reaches a
 * path.
 *
 * Return codes: MH_OK, MH_DECLINED (no such row, or a path that names no
 * stored file), MH_ERR (database or disk failure, logged), and from
 * mh_content_media_add also MH_TOOBIG and the MH_MEDIA_E* codes of
 * media/media.h. */
#ifndef MH_CONTENT_MEDIA_H
#define MH_CONTENT_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../core/str.h"
#include "../model/media.h"
#include "content.h"

/* The media directory of the site c was opened or created on
 * ("<site dir>/media"); NULL for a handle made on a bare store. */
const char *mh_content_media_dir(const mh_content_t *c);

/* Store data as a new media file under media_dir and record it (uploader
 * user_id, 0 for none). On MH_OK *out is the new row (strings in p).
 * Rejections (MH_TOOBIG, MH_MEDIA_E*) leave nothing behind, on disk or in
 * the database. */
int mh_content_media_add(mh_content_t *c, mh_pool_t *p, const char *media_dir, const void *data,
                         size_t len, mh_str_t original_name, int64_t user_id, mh_media_item_t *out);

int mh_content_media_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_media_item_t *out);
int mh_content_media_by_name(mh_content_t *c, mh_pool_t *p, const char *stored_name,
                             mh_media_item_t *out);
/* Newest first; *total counts the matches before offset/limit. */
int mh_content_media_list(mh_content_t *c, mh_pool_t *p, const mh_media_query_t *q,
                          mh_media_item_t **out, size_t *n, int64_t *total);

/* Where the file is referred to: entry covers, bodies and summaries
 * (recycle bin included), column bodies, settings. The search looks for
 * "ab/<30 hex>", so references to any variant count too. */
int mh_content_media_uses(mh_content_t *c, mh_pool_t *p, const mh_media_item_t *m,
                          mh_media_use_t **out, size_t *n);

/* Remove the row, then the file and its variants. MH_DECLINED if the id is
 * unknown. Callers check mh_content_media_uses first. */
int mh_content_media_delete(mh_content_t *c, const char *media_dir, const mh_media_item_t *m);

/* The public URL of a stored name ("/media/ab/....jpg"). */
const char *mh_content_media_url(mh_pool_t *p, const char *stored_name);
/* Parse an item's variant widths into w (at most max); returns the count. */
size_t mh_content_media_widths(const mh_media_item_t *m, int *w, size_t max);
/* Is m an image (served inline, has variants)? */
bool mh_content_media_is_image(const mh_media_item_t *m);

/* Map the part of a URL path after "/media/" to a stored file or one of its
 * variants. The path must have exactly the stored shape (lower-case hex,
 * one slash, no dot segments, no other bytes) and name a row of the media
 * table (a variant: a width that row lists). MH_DECLINED otherwise. */
int mh_content_media_resolve(mh_content_t *c, mh_pool_t *p, mh_str_t path, mh_media_file_t *out);

/* Map a file of media_dir into memory for the lifetime of the pool
 * (read-only; stored files are never rewritten in place). Refuses symlinks,
 * non-regular files and files larger than max_bytes. MH_DECLINED if the
 * file does not exist. */
int mh_content_media_load(mh_pool_t *p, const char *media_dir, const char *rel_path,
                          size_t max_bytes, const void **data, size_t *len);

/* For templates: when ref (an entry's cover) names a stored image (either
 * "ab/<30 hex>.<ext>" or "/media/ab/<30 hex>.<ext>"), *url receives its
 * public URL and *srcset the srcset of its variants ("" if it has none),
 * and MH_OK is returned. MH_DECLINED when ref is anything else. */
int mh_content_media_srcset(mh_content_t *c, mh_pool_t *p, const char *ref, const char **url,
                            const char **srcset);

/* Start-up recovery after a crash (or what an older version left): empty
 * media_dir/.tmp/ and remove, from the media_dir/ab/ directories, upload
 * temporaries of older versions (".tmp-*") and stored files whose stem has
 * no media row (a crash between writing the files and committing the row),
 * logging each file removed. Files not named like stored media are left
 * alone. Run it before serving, while no upload is in progress (the server
 * calls it at start-up). *removed (may be NULL) receives the count. */
int mh_content_media_recover(mh_content_t *c, const char *media_dir, size_t *removed);

#endif
