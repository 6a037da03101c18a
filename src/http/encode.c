#include "encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../core/common.h"

int mh_gzip(const void *in, size_t len, int level, char **out, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return MH_ERR;
    size_t cap = deflateBound(&z, (uLong)len);
    char *buf = mh_malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return MH_ERR;
    }
    *out = buf;
    *out_len = n;
    return MH_OK;
}

static inline uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v * 0x9e3779b97f4a7c15ULL;
    h = (h << 31) | (h >> 33);
    return h * 0xbf58476d1ce4e5b9ULL;
}

void mh_etag(const void *data, size_t len, const char *suffix, char out[40])
{
    /* Four independent lanes over 8-byte words: a validator, not a MAC, but
     * with 96 bits shown an accidental collision is not a concern. */
    const unsigned char *p = data;
    uint64_t h[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                     0x082efa98ec4e6c89ULL};
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        h[0] = mix(h[0], w[0]);
        h[1] = mix(h[1], w[1]);
        h[2] = mix(h[2], w[2]);
        h[3] = mix(h[3], w[3]);
    }
    uint64_t tail[4] = {0};
    memcpy(tail, p + i, len - i);
    uint64_t a = h[0], b = h[1];
    a = mix(a, tail[0] ^ h[2]);
    b = mix(b, tail[1] ^ h[3]);
    a = mix(a, tail[2] ^ (uint64_t)len);
    b = mix(b, tail[3] ^ a);
    a ^= a >> 29;
    b ^= b >> 32;
    snprintf(out, 40, "\"%016llx%08llx%s\"", (unsigned long long)a,
             (unsigned long long)(b & 0xffffffffu), suffix ? suffix : "");
}
