/* Downloads: an entry of a download column (content/types.h
 * MH_TYPE_DOWNLOAD) carries a media library file in its built-in field
 * "file". GET /download/<entry id> sends that file as an attachment and
 * counts the download in memory (hits.h); the site module writes the
 * counts in batches. Templates get the file's name, size, type, count and
 * download URL (docs/theme.md, "Downloads"). */
#ifndef MH_SITE_DOWNLOADS_H
#define MH_SITE_DOWNLOADS_H

#include <stdbool.h>
#include <stdint.h>

#include "../content/content.h"
#include "../http/request.h"
#include "../model/media.h"
#include "../render/value.h"
#include "context.h"
#include "hits.h"

#define MH_DOWNLOAD_PREFIX "/download/"

typedef struct {
    mh_media_file_t file; /* the stored file (type, size, names, ETag) */
    const char *url;      /* "/download/<entry id>" */
    const char *name;     /* the uploader's file name */
    const char *ext;      /* "PDF", "DOCX"...; "" if none */
} mh_download_t;

/* The file of a download entry. public_only: the entry must be visible to
 * the public at now (published or scheduled and due, not in the bin).
 * MH_DECLINED when the entry, its column's type, its file value or the
 * media row is not there, or (public_only) the column is hidden. */
int mh_download_resolve(mh_content_t *c, mh_pool_t *p, int64_t entry_id, bool public_only,
                        int64_t now, mh_download_t *out);

/* GET/HEAD /download/:id. A GET answered with the file (not a HEAD, not a
 * 304 for a matching If-None-Match) adds one to the entry's count in
 * counts. 404 for anything that is not a public download. */
int mh_download_serve(mh_content_t *c, const char *media_dir, mh_hits_t *counts, mh_req_t *req,
                      mh_resp_t *resp);

/* Give an entry map (list item or entry page) a lazy "download" key: a
 * map when the entry's column is a download column, else null. */
void mh_download_ctx_add(mh_site_req_t *r, mh_val_t *m, const mh_entry_t *e);

/* "12 KB", "3.4 MB": the size as lists show it. */
const char *mh_download_size_text(mh_pool_t *p, int64_t bytes);

#endif
