/* The template context of banners and friendly links (docs/theme.md,
 * "Banners" and "Friendly links"): two top-level lazy keys of every public
 * page, read only when the theme uses them. */
#ifndef MH_SITE_PORTAL_CTX_H
#define MH_SITE_PORTAL_CTX_H

#include <stdbool.h>

#include "../render/value.h"

/* "banners": the banners shown now on the home page (home) or on the
 * page's column (list and single pages; none elsewhere). data:
 * mh_site_req_t. */
mh_val_t *mh_portal_ctx_banners(mh_pool_t *p, void *data);
/* "friend_links": the language's friendly links, in order (items,
 * has_items). */
mh_val_t *mh_portal_ctx_links(mh_pool_t *p, void *data);

/* Is url on another origin than the site's (an absolute http(s) URL whose
 * scheme://host[:port] is not base_url's)? */
bool mh_portal_other_origin(const char *url, const char *base_url);

#endif
