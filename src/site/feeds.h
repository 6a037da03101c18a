/* Machine-readable public documents: robots.txt, RSS 2.0 and Atom feeds,
 * and the sitemap (streamed in keyset batches, split into an index and
 * parts past MH_SITEMAP_PART_MAX URLs). The router (site.c) resolves the
 * language and the column; these write the response. */
#ifndef MH_SITE_FEEDS_H
#define MH_SITE_FEEDS_H

#include <stdbool.h>

#include "../http/request.h"
#include "context.h"

/* URLs in one sitemap file, as the protocol allows. */
#define MH_SITEMAP_PART_MAX 50000

/* The absolute origin of public URLs, without a trailing slash: the
 * base_url setting, else the request's scheme and Host. */
const char *mh_feeds_base(const mh_site_req_t *r, const mh_req_t *req);
/* /robots.txt: the robots_txt setting (default: allow everything) and a
 * Sitemap line naming the sitemap's absolute URL. */
int mh_feeds_robots(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp);
/* The newest 20 public entries of r's language (col NULL) or of col and
 * its descendants, as RSS 2.0 or Atom 1.0. */
int mh_feeds_feed(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp, const mh_column_t *col,
                  bool atom);
/* part 0: /sitemap.xml (the whole site, or the index when it has more
 * URLs than one file holds); part n: /sitemap-n.xml of the index.
 * MH_DECLINED for a part that does not exist. */
int mh_feeds_sitemap(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp, int64_t part);

#endif
