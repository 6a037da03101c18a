/* 301 from old WordPress URLs of imported content (content/wxr_paths.h). */
#ifndef MH_SITE_WXR_LEGACY_H
#define MH_SITE_WXR_LEGACY_H

#include "../http/request.h"
#include "context.h"

/* Where the old WordPress URL of req lives now (a public entry or a visible
 * column of the request's language), or NULL. */
const char *mh_site_wxr_moved(mh_site_req_t *r, mh_req_t *req);

#endif
