#include "router.h"

#include <string.h>

static bool pattern_matches(const char *pattern, mh_str_t path)
{
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '*')
        return path.len >= n - 1 && memcmp(path.base, pattern, n - 1) == 0;
    return mh_str_eq_c(path, pattern);
}

const mh_route_t *mh_router_match(const mh_route_t *routes, size_t n, int method, mh_str_t path,
                                  unsigned *allowed)
{
    unsigned any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pattern_matches(routes[i].pattern, path))
            continue;
        unsigned m = routes[i].methods;
        if (m & MH_M_GET)
            m |= MH_M_HEAD;
        if (m & (unsigned)method)
            return &routes[i];
        any |= m;
    }
    if (allowed)
        *allowed = any;
    return NULL;
}

const char *mh_router_allow_header(mh_pool_t *pool, unsigned m)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{MH_M_GET, "GET"},        {MH_M_HEAD, "HEAD"},   {MH_M_POST, "POST"},
                 {MH_M_PUT, "PUT"},        {MH_M_PATCH, "PATCH"}, {MH_M_DELETE, "DELETE"},
                 {MH_M_OPTIONS, "OPTIONS"}};
    char buf[64];
    size_t len = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!(m & names[i].bit))
            continue;
        size_t nl = strlen(names[i].name);
        if (len)
            memcpy(buf + len, ", ", 2), len += 2;
        memcpy(buf + len, names[i].name, nl);
        len += nl;
    }
    return mh_pstrndup(pool, buf, len);
}
