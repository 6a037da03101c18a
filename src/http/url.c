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
