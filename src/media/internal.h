/* Shared between the files of src/media; not part of the public API. */
#ifndef MH_MEDIA_INTERNAL_H
#define MH_MEDIA_INTERNAL_H

#include <stddef.h>

#include "media.h"

/* Snapshot of the process-wide configuration. */
void media_config_get(mh_media_config_t *cfg);

/* Decode an inspected image, auto-rotate it and encode it again in its own
 * format without metadata. *out is g_malloc'd (g_free it). */
int media_image_reencode(const void *data, size_t len, const mh_media_info_t *info,
                         const mh_media_config_t *cfg, void **out, size_t *outlen);

/* A WebP of the image at most width pixels wide, auto-rotated, without
 * metadata. *out is g_malloc'd. */
int media_image_variant(const void *data, size_t len, int width, const mh_media_config_t *cfg,
                        void **out, size_t *outlen);

/* The widths of the variants to make for an image width image_w, ascending,
 * never above image_w. Returns how many (at most MH_MEDIA_MAX_WIDTHS + 1). */
size_t media_variant_widths(const mh_media_config_t *cfg, int image_w, int *out);

#endif
