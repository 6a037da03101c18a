/* What a theme declares about itself in theme_dir/theme.json:
 *
 *   { "name": "default", "image_widths": [320, 640, 1280] }
 *
 * image_widths are the widths (pixels) of the WebP variants made for every
 * uploaded image, which templates offer through srcset. */
#ifndef MH_SITE_THEME_H
#define MH_SITE_THEME_H

#include <stddef.h>

/* Read image_widths from theme_dir/theme.json into out (at most max, each
 * 16..8192, ascending, duplicates dropped). Returns how many were read: 0
 * when the file or the key is missing (the caller keeps its defaults), -1
 * when the file exists but is malformed (message in err). */
int mh_theme_image_widths(const char *theme_dir, int *out, size_t max, char *err, size_t errlen);

#endif
