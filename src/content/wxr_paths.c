/* Lookups run only for pages that are not found otherwise (and for the
 * home page with a WordPress query), so they cost nothing on normal pages. */
#include "wxr_paths.h"

#include <string.h>

#include "../core/common.h"
#include "../store/wxr.h"

const char *mh_content_wxr_key(mh_pool_t *p, mh_str_t path, mh_str_t query)
{
    size_t n = path.len;
    while (n && path.base[n - 1] == '/')
        n--;
    if (n)
        return mh_pstrndup(p, path.base, n);
    static const char *const keys[] = {"p=", "page_id=", "cat="};
    const char *q = query.base, *end = query.base + query.len;
    while (q && q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *stop = amp ? amp : end;
        for (size_t k = 0; k < MH_ARRAY_LEN(keys); k++) {
            size_t kl = strlen(keys[k]);
            if ((size_t)(stop - q) > kl && memcmp(q, keys[k], kl) == 0 &&
                strspn(q + kl, "0123456789") == (size_t)(stop - q) - kl)
                return mh_psprintf(p, "?%.*s", (int)(stop - q), q);
        }
        q = amp ? amp + 1 : NULL;
    }
    return NULL;
}

int mh_content_wxr_path(mh_content_t *c, const char *key, int64_t *entry_id, int64_t *column_id)
{
    *entry_id = *column_id = 0;
    if (!key || !key[0])
        return MH_DECLINED;
    return mh_store_wxr_path_get(mh_content_store(c), key, entry_id, column_id);
}
