/* GET /regions.json?parent=CODE: the region data (content/regions.h) one
 * level at a time, for the cascading province → city → district selects of
 * region fields (the admin's and the default theme's region.js). Without
 * parent: the province level. Answer: {"parent": CODE, "items": [{"code",
 * "zh", "en", "more"}...]} in table order, "more" when the division has
 * children; an unknown parent is 404. The data is compiled in, so the
 * answer may be cached for a day. */
#ifndef MH_SITE_REGIONS_H
#define MH_SITE_REGIONS_H

#include "../http/request.h"

int mh_site_h_regions(mh_req_t *req, mh_resp_t *resp, void *data);

#endif
