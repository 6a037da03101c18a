#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mh_buf_init(mh_buf_t *b, size_t max)
{
    b->base = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->failed = false;
}

void mh_buf_free(mh_buf_t *b)
{
    free(b->base);
    mh_buf_init(b, b->max);
}

void mh_buf_reset(mh_buf_t *b)
{
    b->len = 0;
    b->failed = false;
    if (b->base)
        b->base[0] = '\0';
}

static int reserve(mh_buf_t *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) {
        b->failed = true;
        return MH_TOOBIG;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return MH_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->base = mh_realloc(b->base, cap);
    b->cap = cap;
    return MH_OK;
}

int mh_buf_reserve(mh_buf_t *b, size_t n)
{
    return reserve(b, n);
}

int mh_buf_append_grow(mh_buf_t *b, const void *data, size_t len)
{
    if (reserve(b, len) != MH_OK)
        return MH_TOOBIG;
    if (len)
        memcpy(b->base + b->len, data, len);
    b->len += len;
    b->base[b->len] = '\0';
    return MH_OK;
}

int mh_buf_append_str(mh_buf_t *b, mh_str_t s)
{
    return mh_buf_append(b, s.base, s.len);
}

int mh_buf_append_c(mh_buf_t *b, const char *s)
{
    return mh_buf_append(b, s, strlen(s));
}

int mh_buf_putc(mh_buf_t *b, char c)
{
    return mh_buf_append(b, &c, 1);
}

int mh_buf_vprintf(mh_buf_t *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return MH_ERR;
    if (reserve(b, (size_t)n) != MH_OK)
        return MH_TOOBIG;
    vsnprintf(b->base + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return MH_OK;
}

int mh_buf_printf(mh_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = mh_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

static const unsigned char esc_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
};
static const char *const esc_rep[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

/* Length of the leading run of s that needs no escaping. Template output
 * is mostly plain text, so whole 16-byte blocks are tested at once where
 * the compiler has vector types. */
static size_t plain_run(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__GNUC__)
    typedef unsigned char v16u __attribute__((vector_size(16)));
    typedef signed char v16s __attribute__((vector_size(16)));
    for (; i + 16 <= len; i += 16) {
        v16u v;
        memcpy(&v, s + i, sizeof(v));
        v16s m = (v == '&') | (v == '<') | (v == '>') | (v == '"') | (v == '\'');
        uint64_t w[2];
        memcpy(w, &m, sizeof(w));
        if (w[0] | w[1])
            break;
    }
#endif
    while (i < len && !esc_len[(unsigned char)s[i]])
        i++;
    return i;
}

int mh_buf_append_html(mh_buf_t *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t run = plain_run(s + i, len - i);
        if (run && mh_buf_append(b, s + i, run) != MH_OK)
            return MH_TOOBIG;
        i += run;
        if (i == len)
            break;
        unsigned char c = (unsigned char)s[i++];
        if (mh_buf_append(b, esc_rep[c], esc_len[c]) != MH_OK)
            return MH_TOOBIG;
    }
    return MH_OK;
}

char *mh_buf_steal(mh_buf_t *b, size_t *len)
{
    char *r = b->base ? b->base : mh_strdup("");
    if (len)
        *len = b->len;
    mh_buf_init(b, b->max);
    return r;
}
