/* Bounded growable byte buffer. Every buffer has a ceiling: an append that
 * would pass it fails with MH_TOOBIG and leaves the buffer unchanged, and the
 * buffer remembers the failure (mh_buf_failed) so a long chain of appends can
 * be checked once at the end. */
#ifndef MH_CORE_BUF_H
#define MH_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "common.h"
#include "str.h"

typedef struct {
    char *base; /* always NUL-terminated when non-NULL (the NUL is not counted) */
    size_t len;
    size_t cap;
    size_t max; /* ceiling on len */
    bool failed;
} mh_buf_t;

void mh_buf_init(mh_buf_t *b, size_t max);
void mh_buf_free(mh_buf_t *b);
void mh_buf_reset(mh_buf_t *b);

/* Make room for n more bytes up front (a size hint; MH_TOOBIG past the
 * ceiling). */
int mh_buf_reserve(mh_buf_t *b, size_t n);
/* mh_buf_append (below) when the bytes may not fit (called by it). */
int mh_buf_append_grow(mh_buf_t *b, const void *data, size_t len);
int mh_buf_append_str(mh_buf_t *b, mh_str_t s);
int mh_buf_append_c(mh_buf_t *b, const char *s);
int mh_buf_putc(mh_buf_t *b, char c);
int mh_buf_printf(mh_buf_t *b, const char *fmt, ...) MH_PRINTF(2, 3);
int mh_buf_vprintf(mh_buf_t *b, const char *fmt, va_list ap);
/* Append with HTML escaping of & < > " ' (the escaping {{x}} uses). */
int mh_buf_append_html(mh_buf_t *b, const char *s, size_t len);

static inline bool mh_buf_failed(const mh_buf_t *b)
{
    return b->failed;
}
static inline mh_str_t mh_buf_str(const mh_buf_t *b)
{
    return (mh_str_t){b->base ? b->base : "", b->len};
}
/* Append len bytes (MH_TOOBIG past the ceiling). Inline because it is the
 * hot path of rendering: bytes that fit are copied in place. */
static inline int mh_buf_append(mh_buf_t *b, const void *data, size_t len)
{
    if (!b->base || len >= b->cap - b->len || len > b->max - b->len)
        return mh_buf_append_grow(b, data, len);
    if (len)
        memcpy(b->base + b->len, data, len);
    b->len += len;
    b->base[b->len] = '\0';
    return MH_OK;
}

/* Hand the bytes to the caller (who frees them with free()) and reset. */
char *mh_buf_steal(mh_buf_t *b, size_t *len);

#endif
