/* Legacy URLs and the import map: normalisation, validation and the
 * resolution of a row to today's public path. The store only keeps rows;
 * whether a target is public is decided here with the same rules as the
 * public pages (published, time come, visible column chain, public
 * language). */
#include "legacy.h"

#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../store/legacy.h"
#include "../store/store.h"
#include "validate.h"

#define PATH_MAX_LEN 1024

static const struct mh_store_legacy_ops *lops(mh_content_t *c)
{
    return mh_content_store(c)->ops->legacy;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The value of key in an a=b&c=d query (no '?'), as digits only, or NULL
 * (absent or not a plain number). */
static const char *query_num(mh_pool_t *p, const char *q, size_t len, const char *key)
{
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && q[j] != '&' && q[j] != ';')
            j++;
        if (j - i > kl && memcmp(q + i, key, kl) == 0 && q[i + kl] == '=') {
            size_t v = i + kl + 1, vl = j - v;
            bool digits = vl > 0 && vl <= 18;
            for (size_t k = v; digits && k < j; k++)
                digits = q[k] >= '0' && q[k] <= '9';
            if (digits && !(vl > 1 && q[v] == '0'))
                return mh_pstrndup(p, q + v, vl);
        }
        i = j + 1;
    }
    return NULL;
}

char *mh_legacy_normalise(mh_pool_t *p, const char *path, size_t path_len, const char *query,
                          size_t query_len)
{
    if (!path || path_len == 0 || path[0] != '/' || path_len > PATH_MAX_LEN)
        return NULL;
    for (size_t i = 0; i < path_len; i++)
        if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f || path[i] == '?' || path[i] == '#')
            return NULL;
    char *pp = mh_pstrndup(p, path, path_len);
    size_t n = path_len;
    for (size_t i = 0; i < n; i++)
        if (pp[i] >= 'A' && pp[i] <= 'Z')
            pp[i] = (char)(pp[i] - 'A' + 'a');
    static const char *const index_names[] = {"/index.php", "/index.html", "/index.htm"};
    for (size_t i = 0; i < MH_ARRAY_LEN(index_names); i++)
        if (ends_with(pp, n, index_names[i])) {
            n -= strlen(index_names[i]) - 1;
            pp[n] = '\0';
            break;
        }
    bool htm = ends_with(pp, n, ".htm");
    if (query && query_len && query[0] == '?') {
        query++;
        query_len--;
    }
    const char *id = NULL, *cls = NULL, *cls_key = NULL;
    if (query && query_len) {
        id = query_num(p, query, query_len, "id");
        static const char *const classes[] = {"class3", "class2", "class1"};
        for (size_t i = 0; i < MH_ARRAY_LEN(classes) && !cls; i++)
            if ((cls = query_num(p, query, query_len, classes[i])) != NULL)
                cls_key = classes[i];
    }
    mh_buf_t b;
    mh_buf_init(&b, PATH_MAX_LEN + 128);
    mh_buf_append(&b, pp, n);
    if (htm)
        mh_buf_append_c(&b, "l");
    if (cls) { /* "class..." sorts before "id" */
        mh_buf_append_c(&b, "?");
        mh_buf_append_c(&b, cls_key);
        mh_buf_append_c(&b, "=");
        mh_buf_append_c(&b, cls);
    }
    if (id) {
        mh_buf_append_c(&b, cls ? "&id=" : "?id=");
        mh_buf_append_c(&b, id);
    }
    char *out = b.failed ? NULL : mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

int mh_content_import_map_get(mh_content_t *c, const char *source, const char *table,
                              const char *src_id, int64_t *target_id)
{
    return lops(c)->map_get(mh_content_store(c), source, table, src_id, target_id);
}

int mh_content_import_map_put(mh_content_t *c, const char *source, const char *table,
                              const char *src_id, int64_t target_id)
{
    return lops(c)->map_put(mh_content_store(c), source, table, src_id, target_id);
}

int mh_content_legacy_find(mh_content_t *c, mh_pool_t *p, const char *path, size_t path_len,
                           const char *query, size_t query_len, mh_legacy_url_t *out)
{
    const char *key = mh_legacy_normalise(p, path, path_len, query, query_len);
    if (!key)
        return MH_DECLINED;
    return lops(c)->url_find(mh_content_store(c), p, key, out);
}

int mh_content_legacy_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_legacy_url_t *out)
{
    return lops(c)->url_get(mh_content_store(c), p, id, out);
}

/* Check in and replace in->path by its normalised form. */
static int check(mh_content_t *c, mh_pool_t *p, mh_legacy_url_t *in)
{
    if (!in->path || !in->target_kind)
        return MH_INVALID;
    const char *q = strchr(in->path, '?');
    size_t plen = q ? (size_t)(q - in->path) : strlen(in->path);
    char *key = mh_legacy_normalise(p, in->path, plen, q, q ? strlen(q) : 0);
    if (!key)
        return MH_INVALID;
    in->path = key;
    if (strcmp(in->target_kind, MH_LEGACY_URL) == 0) {
        in->target_id = 0;
        return in->target_url && in->target_url[0] && mh_content_url_ok(in->target_url)
                   ? MH_OK
                   : MH_INVALID;
    }
    in->target_url = "";
    if (strcmp(in->target_kind, MH_LEGACY_ENTRY) == 0) {
        mh_entry_t e;
        int rc = mh_content_entry_get(c, p, in->target_id, &e);
        return rc == MH_DECLINED ? MH_INVALID : rc;
    }
    if (strcmp(in->target_kind, MH_LEGACY_COLUMN) == 0) {
        mh_column_t col;
        int rc = mh_content_column_get(c, p, in->target_id, &col);
        return rc == MH_DECLINED ? MH_INVALID : rc;
    }
    return MH_INVALID;
}

int mh_content_legacy_add(mh_content_t *c, mh_pool_t *p, mh_legacy_url_t *in, int64_t *id)
{
    *id = 0;
    int rc = check(c, p, in);
    if (rc != MH_OK)
        return rc;
    if (!in->source)
        in->source = "admin";
    if (!in->created_at)
        in->created_at = (int64_t)time(NULL);
    if (mh_content_tx_begin(c) != MH_OK)
        return MH_ERR;
    rc = lops(c)->url_insert(mh_content_store(c), in, id);
    int end = mh_content_tx_end(c, rc == MH_DECLINED ? MH_OK : rc);
    return end != MH_OK ? end : rc;
}

int mh_content_legacy_update(mh_content_t *c, mh_pool_t *p, mh_legacy_url_t *in)
{
    int rc = check(c, p, in);
    if (rc != MH_OK)
        return rc;
    if (mh_content_tx_begin(c) != MH_OK)
        return MH_ERR;
    rc = lops(c)->url_update(mh_content_store(c), in);
    int end = mh_content_tx_end(c, rc == MH_DECLINED ? MH_OK : rc);
    return end != MH_OK ? end : rc;
}

int mh_content_legacy_delete(mh_content_t *c, int64_t id)
{
    if (mh_content_tx_begin(c) != MH_OK)
        return MH_ERR;
    int rc = lops(c)->url_delete(mh_content_store(c), id);
    int end = mh_content_tx_end(c, rc == MH_DECLINED ? MH_OK : rc);
    return end != MH_OK ? end : rc;
}

int mh_content_legacy_list(mh_content_t *c, mh_pool_t *p, const char *q, int64_t offset,
                           int64_t limit, mh_legacy_url_t **out, size_t *n, int64_t *total)
{
    if (limit <= 0 || limit > 200)
        limit = 50;
    if (offset < 0)
        offset = 0;
    return lops(c)->url_list(mh_content_store(c), p, q, offset, limit, out, n, total);
}

/* "/" or "/zh/" for a public language, NULL for a hidden or unknown one. */
static const char *lang_home(mh_content_t *c, mh_pool_t *p, int64_t lang_id)
{
    mh_language_t *langs;
    size_t n;
    if (mh_content_languages(c, p, &langs, &n) != MH_OK)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (langs[i].id != lang_id)
            continue;
        if (langs[i].hidden)
            return NULL;
        if (langs[i].is_default || !langs[i].prefix || !langs[i].prefix[0])
            return "/";
        return mh_psprintf(p, "/%s/", langs[i].prefix);
    }
    return NULL;
}

/* The public path of column id in lang_id ("/zh/news/"), or NULL. */
static const char *column_url(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t id,
                              const mh_column_t **col_out)
{
    const char *home = lang_home(c, p, lang_id);
    mh_column_t *cols;
    size_t n;
    if (!home || mh_content_columns(c, p, lang_id, &cols, &n) != MH_OK)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (cols[i].id != id)
            continue;
        /* a hidden ancestor hides it: pre-order, so check the chain */
        for (const mh_column_t *a = &cols[i]; a;) {
            if (!a->visible)
                return NULL;
            const mh_column_t *up = NULL;
            for (size_t k = 0; a->parent_id && k < n; k++)
                if (cols[k].id == a->parent_id)
                    up = &cols[k];
            a = up;
        }
        if (col_out)
            *col_out = &cols[i];
        return mh_psprintf(p, "%s%s/", home, cols[i].path);
    }
    return NULL;
}

const char *mh_content_legacy_target(mh_content_t *c, mh_pool_t *p, const mh_legacy_url_t *u)
{
    if (strcmp(u->target_kind, MH_LEGACY_URL) == 0)
        return u->target_url && u->target_url[0] ? u->target_url : NULL;
    if (strcmp(u->target_kind, MH_LEGACY_COLUMN) == 0) {
        mh_column_t col;
        if (mh_content_column_get(c, p, u->target_id, &col) != MH_OK)
            return NULL;
        return column_url(c, p, col.lang_id, col.id, NULL);
    }
    mh_entry_t e;
    if (mh_content_entry_get(c, p, u->target_id, &e) != MH_OK)
        return NULL;
    int64_t now = (int64_t)time(NULL);
    if (!(e.status == MH_STATUS_PUBLISHED || e.status == MH_STATUS_SCHEDULED) || e.publish_at > now)
        return NULL;
    const mh_column_t *col = NULL;
    const char *base = column_url(c, p, e.lang_id, e.column_id, &col);
    if (!base || !col)
        return NULL;
    return mh_psprintf(p, "%s%s.html", base, e.slug);
}
