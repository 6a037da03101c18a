/* External links: navigation items of link columns pointing to another
 * origin are shown with rel="noopener noreferrer" and open in a new tab
 * (the default theme's nav, footer and sidebar), so the other site gets
 * neither a handle on our window nor the visitor's path here; links
 * within the site keep the plain behaviour. */
#include "links.h"

#include <string.h>
#include <strings.h>

/* The host[:port] of an absolute http(s) URL, as a span of url; false for
 * anything else. */
static bool authority(const char *url, const char **host, size_t *len)
{
    const char *s = NULL;
    if (strncasecmp(url, "http://", 7) == 0)
        s = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        s = url + 8;
    if (!s)
        return false;
    size_t n = strcspn(s, "/?#");
    /* credentials before the host are not part of it */
    const char *at = memchr(s, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    *host = s;
    *len = n;
    return n > 0;
}

/* host (with an optional :port) equals name, ignoring case and port when
 * name has none. */
static bool same_host(const char *host, size_t len, const char *name, size_t nlen)
{
    if (nlen == 0)
        return false;
    if (len == nlen && strncasecmp(host, name, len) == 0)
        return true;
    const char *colon = memchr(host, ':', len);
    return colon && !memchr(name, ':', nlen) && (size_t)(colon - host) == nlen &&
           strncasecmp(host, name, nlen) == 0;
}

bool mh_link_is_external(const mh_site_req_t *r, const char *url)
{
    const char *h = NULL, *b = NULL;
    size_t hl = 0, bl = 0;
    if (!url || !authority(url, &h, &hl))
        return false;
    if (authority(mh_context_setting(r, "base_url", ""), &b, &bl) && same_host(h, hl, b, bl))
        return false;
    for (size_t i = 0; i < r->nlangs; i++) {
        const char *d = r->langs[i].domain;
        if (d && same_host(h, hl, d, strlen(d)))
            return false;
    }
    return true;
}
