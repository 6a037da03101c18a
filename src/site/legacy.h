/* Old URLs of an imported site (content/legacy.h) on the public site: the
 * 404 row asks here before it answers 404. */
#ifndef MH_SITE_LEGACY_H
#define MH_SITE_LEGACY_H

#include "../content/content.h"
#include "../http/request.h"

/* Where the request's path and query lived before the import (the new
 * public path or URL to answer 301 with), or NULL. */
const char *mh_site_legacy_redirect(mh_content_t *c, mh_req_t *req);

#endif
