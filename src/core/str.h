/* Length-carrying strings. Network data is never assumed NUL-terminated. */
#ifndef MH_CORE_STR_H
#define MH_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const char *base;
    size_t len;
} mh_str_t;

#define MH_STR_NULL ((mh_str_t){NULL, 0})
/* A string literal as mh_str_t. */
#define MH_STR_LIT(s) ((mh_str_t){(s), sizeof(s) - 1})

static inline mh_str_t mh_str(const char *base, size_t len)
{
    return (mh_str_t){base, len};
}

/* A NUL-terminated C string as mh_str_t (NULL gives the empty string). */
static inline mh_str_t mh_str_c(const char *s)
{
    return (mh_str_t){s ? s : "", s ? strlen(s) : 0};
}

static inline bool mh_str_eq(mh_str_t a, mh_str_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

static inline bool mh_str_eq_c(mh_str_t a, const char *b)
{
    return mh_str_eq(a, mh_str_c(b));
}

static inline bool mh_str_starts_with(mh_str_t s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.base, prefix, n) == 0;
}

static inline bool mh_str_ends_with(mh_str_t s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && memcmp(s.base + s.len - n, suffix, n) == 0;
}

/* Case-insensitive ASCII comparison. */
bool mh_str_eq_nocase(mh_str_t a, const char *b);

/* Parse a non-negative decimal integer that fills the whole string.
 * Returns false on empty input, non-digits or overflow past max. */
bool mh_str_to_u64(mh_str_t s, unsigned long long max, unsigned long long *out);

/* 64-bit FNV-1a of n bytes, for hash tables and content tags; not for
 * anything an attacker must not predict. (The offset basis is the one the
 * project has always used: asset version tags depend on it.) */
static inline uint64_t mh_hash64(const void *data, size_t n)
{
    const unsigned char *d = data;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 1099511628211ull;
    }
    return h;
}

#endif
