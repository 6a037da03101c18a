/* Internal to src/site: links that leave the site (links.c). */
#ifndef MH_SITE_LINKS_H
#define MH_SITE_LINKS_H

#include <stdbool.h>

#include "context.h"

/* Does url (an href as a page shows it) point to another origin? Relative
 * URLs never do; an absolute http(s) URL does unless its host is the
 * site's own: the host of the base_url setting or a language's domain. The
 * request's Host header is deliberately not consulted, so the answer is
 * the same for every request and navigation can be cached. */
bool mh_link_is_external(const mh_site_req_t *r, const char *url);

#endif
