#include "url.h"

#include <string.h>

#include "../core/common.h"

void mh_url_split(mh_str_t t, mh_str_t *path, mh_str_t *query)
{
    const char *q = t.len ? memchr(t.base, '?', t.len) : NULL;
    const char *h = t.len ? memchr(t.base, '#', t.len) : NULL;
    size_t end = h ? (size_t)(h - t.base) : t.len;
    if (q && (size_t)(q - t.base) < end) {
        *path = mh_str(t.base, (size_t)(q - t.base));
        *query = mh_str(q + 1, end - (size_t)(q - t.base) - 1);
    } else {
        *path = mh_str(t.base, end);
        *query = mh_str(t.base + end, 0);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mh_url_decode_path(mh_pool_t *pool, mh_str_t raw, mh_str_t *out)
{
    if (raw.len == 0 || raw.base[0] != '/')
        return MH_ERR;
    char *d = mh_palloc(pool, raw.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.base[i];
        if (c == '%') {
            if (raw.len - i < 3)
                return MH_ERR;
            int hi = hexval(raw.base[i + 1]), lo = hexval(raw.base[i + 2]);
            if (hi < 0 || lo < 0)
                return MH_ERR;
            c = (unsigned char)(hi * 16 + lo);
            if (c == '/')
                return MH_ERR; /* an encoded slash would let a segment hide a separator */
            i += 2;
        }
        if (c < 0x20 || c == 0x7f || c == '\\')
            return MH_ERR;
        d[n++] = (char)c;
    }
    d[n] = '\0';
    /* segment checks on the decoded form, so "%2e%2e" is caught too */
    for (size_t i = 0; i < n; i++) {
        if (d[i] != '/')
            continue;
        size_t j = i + 1;
        while (j < n && d[j] != '/')
            j++;
        size_t seg = j - i - 1;
        if (seg == 0 && j < n)
            return MH_ERR; /* "//" */
        if ((seg == 1 && d[i + 1] == '.') || (seg == 2 && d[i + 1] == '.' && d[i + 2] == '.'))
            return MH_ERR;
    }
    *out = mh_str(d, n);
    return MH_OK;
}

int mh_url_decode_component(mh_pool_t *pool, mh_str_t raw, mh_str_t *out)
{
    char *d = mh_palloc(pool, raw.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < raw.len; i++) {
        char c = raw.base[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (raw.len - i < 3)
                return MH_ERR;
            int hi = hexval(raw.base[i + 1]), lo = hexval(raw.base[i + 2]);
            if (hi < 0 || lo < 0)
                return MH_ERR;
            c = (char)(hi * 16 + lo);
            if (c == '\0')
                return MH_ERR;
            i += 2;
        } else if (c == '\0') {
            return MH_ERR;
        }
        d[n++] = c;
    }
    d[n] = '\0';
    *out = mh_str(d, n);
    return MH_OK;
}

size_t mh_url_parse_query(mh_pool_t *pool, mh_str_t q, mh_query_param_t *out, size_t max)
{
    size_t count = 0, i = 0;
    while (i < q.len && count < max) {
        size_t j = i;
        while (j < q.len && q.base[j] != '&')
            j++;
        mh_str_t pair = mh_str(q.base + i, j - i);
        i = j + 1;
        if (pair.len == 0)
            continue;
        const char *eq = memchr(pair.base, '=', pair.len);
        mh_str_t k = eq ? mh_str(pair.base, (size_t)(eq - pair.base)) : pair;
        mh_str_t v = eq ? mh_str(eq + 1, pair.len - k.len - 1) : mh_str("", 0);
        mh_query_param_t p;
        if (mh_url_decode_component(pool, k, &p.key) != MH_OK ||
            mh_url_decode_component(pool, v, &p.value) != MH_OK || p.key.len == 0)
            continue;
        out[count++] = p;
    }
    return count;
}

mh_str_t mh_url_query_get(const mh_query_param_t *params, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (mh_str_eq_c(params[i].key, key))
            return params[i].value;
    return MH_STR_NULL;
}

char *mh_url_encode(mh_pool_t *pool, mh_str_t s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *d = mh_palloc(pool, s.len * 3 + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.base[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            d[n++] = (char)c;
        } else {
            d[n++] = '%';
            d[n++] = hex[c >> 4];
            d[n++] = hex[c & 15];
        }
    }
    d[n] = '\0';
    return d;
}

/* Sorting a handful of pairs in place: insertion sort, no allocation but
 * the result. Pairs past the 64th are dropped (a cache key, not a parser). */
mh_str_t mh_url_query_normalise(mh_pool_t *pool, mh_str_t q)
{
    mh_str_t parts[64];
    size_t n = 0, i = 0;
    while (i < q.len && n < MH_ARRAY_LEN(parts)) {
        const char *amp = memchr(q.base + i, '&', q.len - i);
        size_t end = amp ? (size_t)(amp - q.base) : q.len;
        if (end > i)
            parts[n++] = mh_str(q.base + i, end - i);
        i = end + 1;
    }
    for (size_t a = 1; a < n; a++) /* insertion sort: a handful of pairs */
        for (size_t b = a; b > 0; b--) {
            size_t m = parts[b - 1].len < parts[b].len ? parts[b - 1].len : parts[b].len;
            int c = memcmp(parts[b - 1].base, parts[b].base, m);
            if (c < 0 || (c == 0 && parts[b - 1].len <= parts[b].len))
                break;
            mh_str_t t = parts[b];
            parts[b] = parts[b - 1];
            parts[b - 1] = t;
        }
    char *out = mh_palloc(pool, q.len + 1);
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        if (k)
            out[len++] = '&';
        memcpy(out + len, parts[k].base, parts[k].len);
        len += parts[k].len;
    }
    return mh_str(out, len);
}

const char *mh_url_origin(mh_pool_t *pool, const char *base_url, bool secure, mh_str_t host)
{
    if (base_url && *base_url) {
        size_t n = strlen(base_url);
        while (n && base_url[n - 1] == '/')
            n--;
        return mh_pstrndup(pool, base_url, n);
    }
    if (!host.len)
        return "";
    const char *scheme = secure ? "https://" : "http://";
    size_t sl = strlen(scheme);
    char *o = mh_palloc(pool, sl + host.len + 1);
    memcpy(o, scheme, sl);
    memcpy(o + sl, host.base, host.len);
    o[sl + host.len] = '\0';
    return o;
}

bool mh_url_base_ok(const char *v)
{
    if (!v || !*v)
        return true;
    size_t skip;
    if (strncmp(v, "https://", 8) == 0)
        skip = 8;
    else if (strncmp(v, "http://", 7) == 0)
        skip = 7;
    else
        return false;
    const char *h = v + skip;
    size_t hl = strcspn(h, "/");
    if (hl == 0 || hl > 253 + 6)
        return false;
    for (size_t i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)h[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
        if (!ok)
            return false; /* no user info ('@'), spaces, query or fragment */
    }
    if (h[0] == '.' || h[0] == '-' || h[0] == ':')
        return false;
    const char *rest = h + hl;
    return rest[0] == '\0' || strcmp(rest, "/") == 0;
}
