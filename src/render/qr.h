/* QR codes as SVG, made on the server (libqrencode): the WeChat share of a
 * page is a QR code of its URL, with no third-party service and no script.
 * The SVG is one <path> of dark modules on a light background with a
 * four-module quiet zone; it has no style attributes or scripts, so it can
 * be inlined under the site's CSP or served as image/svg+xml. */
#ifndef MH_RENDER_QR_H
#define MH_RENDER_QR_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/pool.h"
#include "../core/str.h"

/* Append the QR code of text (len bytes, 8-bit mode, error correction
 * level M) as an SVG document to out, titled title (escaped; may be NULL).
 * MH_OK, or MH_ERR when text is empty, longer than 1024 bytes or cannot be
 * encoded, or out reached its ceiling. */
int mh_qr_svg(const char *text, size_t len, const char *title, mh_buf_t *out);

/* The same SVG as mh_qr_svg, copied into pool p, from a small process-wide
 * cache (a URL's code never changes, and encoding one costs far more than a
 * page render): 256 slots chosen by a hash of text and title, a lock held
 * only to look up or replace a slot. MH_OK or MH_ERR as mh_qr_svg. */
int mh_qr_svg_cached(mh_pool_t *p, const char *text, size_t len, const char *title, mh_str_t *out);

#endif
