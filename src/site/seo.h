/* Pure helpers of the SEO head (src/site/context.c builds the "seo" keys
 * from them): the title pattern and JSON string escaping safe inside an
 * HTML <script> data block. */
#ifndef MH_SITE_SEO_H
#define MH_SITE_SEO_H

#include "../core/buf.h"
#include "../core/pool.h"

/* The title_pattern setting filled in: {page} (alias {title}), {column}
 * and {site} replaced by the given values (NULL counts as empty). An empty
 * value is dropped together with the separator text before it (after it,
 * when it is the first value kept), so "{page} - {column} - {site}" with no
 * column gives "News - Site" and with nothing but a site name "Site".
 * Unknown {words} are kept as text. A NULL or empty pattern means
 * "{page} - {column} - {site}". */
const char *mh_seo_title(mh_pool_t *p, const char *pattern, const char *page, const char *column,
                         const char *site);

/* Append s as a JSON string (with the quotes): '"', '\\' and control bytes
 * escaped as JSON requires, and '<', '>', '&', U+2028 and U+2029 as \uXXXX,
 * so the text cannot close a <script> element or start a comment there.
 * Invalid UTF-8 bytes become U+FFFD. NULL is "". */
int mh_seo_json_str(mh_buf_t *b, const char *s);

/* "zh-CN" -> "zh_CN" (the Open Graph locale form) in a new pool string. */
const char *mh_seo_og_locale(mh_pool_t *p, const char *code);

#endif
