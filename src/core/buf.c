#include "buf.h"

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

int mh_buf_append(mh_buf_t *b, const void *data, size_t len)
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

int mh_buf_append_html(mh_buf_t *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        if (mh_buf_append(b, s + start, i - start) != MH_OK || mh_buf_append_c(b, rep) != MH_OK)
            return MH_TOOBIG;
        start = i + 1;
    }
    return mh_buf_append(b, s + start, len - start);
}

char *mh_buf_steal(mh_buf_t *b, size_t *len)
{
    char *r = b->base ? b->base : mh_strdup("");
    if (len)
        *len = b->len;
    mh_buf_init(b, b->max);
    return r;
}
