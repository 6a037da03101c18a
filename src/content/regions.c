/* Region lookups over the generated table. The table is small (hundreds
 * of rows) and read-only, so lookups are linear scans: no index to build,
 * nothing to lock. */
#include "regions.h"

#include <string.h>
#include <strings.h>

const mh_region_t *mh_region_by_code(const char *code)
{
    for (size_t i = 0; code && i < mh_region_table_len; i++)
        if (strcmp(mh_region_table[i].code, code) == 0)
            return &mh_region_table[i];
    return NULL;
}

size_t mh_region_children(mh_pool_t *p, const char *parent, const mh_region_t ***out)
{
    const char *pc = parent ? parent : "";
    size_t n = 0;
    for (size_t i = 0; i < mh_region_table_len; i++)
        n += strcmp(mh_region_table[i].parent, pc) == 0;
    const mh_region_t **v = mh_pnalloc(p, n ? n : 1, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < mh_region_table_len; i++)
        if (strcmp(mh_region_table[i].parent, pc) == 0)
            v[k++] = &mh_region_table[i];
    *out = v;
    return k;
}

/* The child of parent named name (len bytes), zh or en, or NULL. */
static const mh_region_t *child(const char *parent, const char *name, size_t len)
{
    for (size_t i = 0; i < mh_region_table_len; i++) {
        const mh_region_t *r = &mh_region_table[i];
        if (strcmp(r->parent, parent) != 0)
            continue;
        if (strlen(r->zh) == len && memcmp(r->zh, name, len) == 0)
            return r;
        if (strlen(r->en) == len && strncasecmp(r->en, name, len) == 0)
            return r;
    }
    return NULL;
}

bool mh_region_path_ok(const char *v, const mh_region_t **codes, size_t *depth)
{
    const char *parent = "";
    size_t d = 0;
    if (!v || !*v)
        return false;
    for (const char *s = v;;) {
        size_t l = strcspn(s, "/");
        if (l == 0 || d == 3)
            return false;
        const mh_region_t *r = child(parent, s, l);
        if (!r)
            return false;
        if (codes)
            codes[d] = r;
        d++;
        parent = r->code;
        s += l;
        if (!*s)
            break;
        s++;
    }
    if (depth)
        *depth = d;
    return true;
}
