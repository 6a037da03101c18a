/* Pattern matching is a small backtracking matcher over the pattern text:
 * tables are short (tens of rows) and paths bounded, and a parameter only
 * tries the ends where the literal that follows it occurs, so a match costs
 * a few comparisons per row. Nothing is compiled or allocated. */
#include "router.h"

#include <stdlib.h>
#include <string.h>

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool match_at(const char *pat, const char *s, size_t len, mh_params_t *ps)
{
    while (*pat) {
        char c = *pat;
        if ((c == ':' || c == '*') && name_char(pat[1])) {
            const char *name = pat + 1;
            size_t nl = 0;
            while (name_char(name[nl]))
                nl++;
            const char *next = name + nl;
            if (ps->n >= MH_REQ_PARAMS_MAX)
                return false;
            size_t max = len;
            if (c == ':') {
                const char *slash = memchr(s, '/', len);
                if (slash)
                    max = (size_t)(slash - s);
            }
            /* longest first; only ends where the next literal can start */
            for (size_t k = max; k >= 1; k--) {
                if (*next == '\0' && k != len)
                    break;
                if (*next && *next != ':' && *next != '*' && (k >= len || s[k] != *next))
                    continue;
                if (c == '*' && (s[0] == '/' || s[k - 1] == '/'))
                    continue;
                size_t saved = ps->n;
                ps->v[ps->n++] = (mh_param_t){name, nl, mh_str(s, k)};
                if (match_at(next, s + k, len - k, ps))
                    return true;
                ps->n = saved;
            }
            return false;
        }
        if (c == '*' && pat[1] == '\0')
            return true; /* the anonymous rest */
        if (len == 0 || *s != c)
            return false;
        pat++;
        s++;
        len--;
    }
    return len == 0;
}

bool mh_route_pattern_match(const char *pattern, mh_str_t path, mh_params_t *params)
{
    mh_params_t local = {.n = 0};
    mh_params_t *ps = params ? params : &local;
    ps->n = 0;
    if (!pattern || !path.base)
        return false;
    return match_at(pattern, path.base, path.len, ps);
}

static unsigned route_methods(const mh_route_t *r)
{
    unsigned m = r->methods;
    if (m & MH_M_GET)
        m |= MH_M_HEAD;
    return m;
}

const mh_route_t *mh_router_find(const mh_route_t *routes, size_t n, size_t from, int method,
                                 mh_str_t path, mh_params_t *params, size_t *index)
{
    for (size_t i = from; i < n; i++) {
        if (!(route_methods(&routes[i]) & (unsigned)method))
            continue;
        if (!mh_route_pattern_match(routes[i].pattern, path, params))
            continue;
        if (index)
            *index = i;
        return &routes[i];
    }
    return NULL;
}

unsigned mh_router_allowed(const mh_route_t *routes, size_t n, mh_str_t path)
{
    unsigned any = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned m = route_methods(&routes[i]);
        if ((any | m) != any && mh_route_pattern_match(routes[i].pattern, path, NULL))
            any |= m;
    }
    return any;
}

const mh_route_t *mh_router_match(const mh_route_t *routes, size_t n, int method, mh_str_t path,
                                  unsigned *allowed)
{
    const mh_route_t *r = mh_router_find(routes, n, 0, method, path, NULL, NULL);
    if (!r && allowed)
        *allowed = mh_router_allowed(routes, n, path);
    return r;
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

mh_str_t mh_req_param(const mh_req_t *req, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; req && i < req->params.n; i++) {
        const mh_param_t *p = &req->params.v[i];
        if (p->name_len == nl && memcmp(p->name, name, nl) == 0)
            return p->value;
    }
    return MH_STR_NULL;
}

int64_t mh_req_param_id(const mh_req_t *req, const char *name)
{
    mh_str_t v = mh_req_param(req, name);
    unsigned long long n;
    if (!v.base || v.len == 0 || v.len > 24)
        return 0;
    for (size_t i = 0; i < v.len; i++)
        if (v.base[i] < '0' || v.base[i] > '9')
            return 0;
    if (!mh_str_to_u64(v, INT64_MAX, &n))
        return 0;
    return (int64_t)n;
}

void mh_routes_add(mh_routes_t *t, const mh_route_t *r)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->v = mh_realloc(t->v, t->cap * sizeof(*t->v));
    }
    t->v[t->n++] = *r;
}

void mh_routes_append(mh_routes_t *t, const mh_route_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mh_routes_add(t, &src[i]);
}

void mh_routes_free(mh_routes_t *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}
