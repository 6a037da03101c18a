/* Pattern matching is a small backtracking matcher over the pattern text:
 * tables are short (tens of rows) and paths bounded, and a parameter only
 * tries the ends where the literal that follows it occurs, so a match costs
 * a few comparisons per row. Nothing is compiled or allocated. */
#include "router.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool match_at(const char *pat, const char *s, size_t len, mh_params_t *ps);

/* The parameter name[0..nl) (":" or "*" kind c) taking s[0..k), then the
 * rest of the pattern from next. */
static bool try_param(char c, const char *name, size_t nl, const char *next, const char *s,
                      size_t k, size_t len, mh_params_t *ps)
{
    if (c == '*' && (s[0] == '/' || s[k - 1] == '/'))
        return false;
    size_t saved = ps->n;
    ps->v[ps->n++] = (mh_param_t){name, nl, mh_str(s, k)};
    if (match_at(next, s + k, len - k, ps))
        return true;
    ps->n = saved;
    return false;
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
            /* longest first; only ends where the next literal can start,
             * found from the right with memrchr */
            if (*next && *next != ':' && *next != '*') {
                for (size_t lim = max < len ? max + 1 : len; lim > 1;) {
                    const char *hit = memrchr(s + 1, *next, lim - 1);
                    if (!hit)
                        break;
                    lim = (size_t)(hit - s);
                    if (try_param(c, name, nl, next, s, lim, len, ps))
                        return true;
                }
            } else {
                for (size_t k = max; k >= 1; k--) {
                    if (*next == '\0' && k != len)
                        break;
                    if (try_param(c, name, nl, next, s, k, len, ps))
                        return true;
                }
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

/* The literal text after a pattern's last parameter (".html" of
 * "/:slug.html"), which must end the path; NULL when the pattern ends with
 * the anonymous rest. */
static const char *literal_tail(const char *pat, size_t *n)
{
    const char *tail = pat;
    for (const char *q = pat; *q; q++) {
        if ((*q == ':' || *q == '*') && name_char(q[1])) {
            q++;
            while (name_char(q[1]))
                q++;
            tail = q + 1;
        } else if (*q == '*' && q[1] == '\0') {
            return NULL;
        }
    }
    *n = strlen(tail);
    return tail;
}

bool mh_route_pattern_match(const char *pattern, mh_str_t path, mh_params_t *params)
{
    mh_params_t local = {.n = 0};
    mh_params_t *ps = params ? params : &local;
    ps->n = 0;
    if (!pattern || !path.base)
        return false;
    /* Most rows fail on their first literal ("/admin/..." for a public
     * page) or on their last one ("/feed.xml" for an entry page): test
     * both before backtracking. */
    const char *pat = pattern, *s = path.base;
    size_t len = path.len;
    while (*pat && !((*pat == ':' || *pat == '*') && name_char(pat[1])) &&
           !(*pat == '*' && pat[1] == '\0')) {
        if (len == 0 || *s != *pat)
            return false;
        pat++;
        s++;
        len--;
    }
    size_t tn = 0;
    const char *tail = *pat ? literal_tail(pat, &tn) : NULL;
    if (tail && (tn > len || memcmp(s + len - tn, tail, tn) != 0))
        return false;
    return match_at(pat, s, len, ps);
}

static unsigned route_methods(const mh_route_t *r)
{
    unsigned m = r->methods;
    if (m & MH_M_GET)
        m |= MH_M_HEAD;
    return m;
}

/* True when r cannot match path by its literal head and tail (q: NULL
 * when not recorded). */
static bool quick_reject(const mh_route_t *r, const mh_route_quick_t *q, mh_str_t path)
{
    if (!q || !q->ok)
        return false;
    if ((size_t)q->head + q->tail > path.len)
        return true;
    if (q->head > 1 && path.base[1] != r->pattern[1])
        return true;
    if (memcmp(path.base, r->pattern, q->head) != 0)
        return true;
    return q->tail && memcmp(path.base + path.len - q->tail,
                             r->pattern + strlen(r->pattern) - q->tail, q->tail) != 0;
}

static const mh_route_t *find(const mh_route_t *routes, const mh_route_quick_t *quick, size_t n,
                              size_t from, int method, mh_str_t path, mh_params_t *params,
                              size_t *index)
{
    for (size_t i = from; i < n; i++) {
        if (quick && quick[i].ok && quick[i].head >= 2 && path.len >= 2 &&
            path.base[1] != routes[i].pattern[1]) {
            i = quick[i].run_end - 1; /* the whole run differs there */
            continue;
        }
        if (!(route_methods(&routes[i]) & (unsigned)method) ||
            quick_reject(&routes[i], quick ? &quick[i] : NULL, path))
            continue;
        if (!mh_route_pattern_match(routes[i].pattern, path, params))
            continue;
        if (index)
            *index = i;
        return &routes[i];
    }
    return NULL;
}

const mh_route_t *mh_router_find(const mh_route_t *routes, size_t n, size_t from, int method,
                                 mh_str_t path, mh_params_t *params, size_t *index)
{
    return find(routes, NULL, n, from, method, path, params, index);
}

const mh_route_t *mh_routes_find(const mh_routes_t *t, size_t from, int method, mh_str_t path,
                                 mh_params_t *params, size_t *index)
{
    return find(t->v, t->quick, t->n, from, method, path, params, index);
}

static unsigned allowed(const mh_route_t *routes, const mh_route_quick_t *quick, size_t n,
                        mh_str_t path)
{
    unsigned any = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned m = route_methods(&routes[i]);
        if ((any | m) != any && !quick_reject(&routes[i], quick ? &quick[i] : NULL, path) &&
            mh_route_pattern_match(routes[i].pattern, path, NULL))
            any |= m;
    }
    return any;
}

unsigned mh_router_allowed(const mh_route_t *routes, size_t n, mh_str_t path)
{
    return allowed(routes, NULL, n, path);
}

unsigned mh_routes_allowed(const mh_routes_t *t, mh_str_t path)
{
    return allowed(t->v, t->quick, t->n, path);
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
        t->quick = mh_realloc(t->quick, t->cap * sizeof(*t->quick));
    }
    mh_route_quick_t *q = &t->quick[t->n];
    t->v[t->n++] = *r;
    *q = (mh_route_quick_t){0, 0, false, 0};
    const char *pat = r->pattern;
    if (!pat)
        return;
    size_t head = 0, tn = 0;
    while (pat[head] && !((pat[head] == ':' || pat[head] == '*') && name_char(pat[head + 1])) &&
           !(pat[head] == '*' && pat[head + 1] == '\0'))
        head++;
    const char *tail = pat[head] ? literal_tail(pat + head, &tn) : NULL;
    if (head > USHRT_MAX || tn > USHRT_MAX)
        return;
    size_t i = t->n - 1;
    *q = (mh_route_quick_t){(unsigned short)head, tail ? (unsigned short)tn : 0, true, i + 1};
    /* the run of rows just before this one with the same first 2 bytes
     * now ends after it */
    for (size_t j = i; head >= 2 && j-- > 0;) {
        const mh_route_quick_t *pj = &t->quick[j];
        if (!pj->ok || pj->head < 2 || pj->run_end != i || memcmp(t->v[j].pattern, pat, 2) != 0)
            break;
        t->quick[j].run_end = i + 1;
    }
}

void mh_routes_append(mh_routes_t *t, const mh_route_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mh_routes_add(t, &src[i]);
}

void mh_routes_free(mh_routes_t *t)
{
    free(t->v);
    free(t->quick);
    t->v = NULL;
    t->quick = NULL;
    t->n = t->cap = 0;
}
