/* libFuzzer target: request-target splitting, path decoding and query
 * parsing. Checks the decoder's promises on every accepted path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_pool_t *pool = mh_pool_create();
    mh_str_t target = mh_str((const char *)data, size), path, query, dec;
    mh_url_split(target, &path, &query);
    if (mh_url_decode_path(pool, path, &dec) == MH_OK) {
        if (dec.len == 0 || dec.base[0] != '/' || memchr(dec.base, '\0', dec.len) ||
            memchr(dec.base, '\\', dec.len) || strstr(dec.base, "/../") ||
            strstr(dec.base, "/./") || strstr(dec.base, "//"))
            abort();
        if (dec.len >= 3 && memcmp(dec.base + dec.len - 3, "/..", 3) == 0)
            abort();
    }
    mh_query_param_t params[16];
    size_t n = mh_url_parse_query(pool, query, params, 16);
    for (size_t i = 0; i < n; i++)
        if (params[i].key.len == 0 || memchr(params[i].value.base, '\0', params[i].value.len))
            abort();
    mh_url_encode(pool, query);
    mh_pool_destroy(pool);
    return 0;
}
