#include "encode.h"

#include <stdio.h>
#include <stdlib.h>
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

void mh_etag(const void *data, size_t len, const char *suffix, char out[40])
{
    /* two independent FNV-1a lanes: 128 bits is plenty for a validator */
    const unsigned char *p = data;
    uint64_t a = 1469598103934665603ULL, b = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < len; i++) {
        a = (a ^ p[i]) * 1099511628211ULL;
        b = (b ^ p[i]) * 0x100000001b3ULL + (b >> 29);
    }
    snprintf(out, 40, "\"%016llx%08llx%s\"", (unsigned long long)a,
             (unsigned long long)(b & 0xffffffffu) ^ (unsigned long long)len, suffix ? suffix : "");
}
