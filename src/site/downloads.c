/* Serving and describing downloads. The file is found through the entry
 * (public, of a download column) and its typed "file" value, then through
 * the media table like /media/ (content/media.h), so the URL names an
 * entry, never a path: nothing else on disk can be reached, and the count
 * belongs to the entry. The response is always an attachment with the
 * stored type and an RFC 6266 / 5987 file name (media/media.h), so a
 * document is never shown or run as a page. */
#include "downloads.h"

#include <string.h>
#include <time.h>

#include "../content/fields.h"
#include "../content/media.h"
#include "../content/types.h"
#include "../core/log.h"
#include "../media/media.h"
#include "../router/router.h"
#include "../content/portal.h"

#define DOWNLOAD_MAX (64u << 20) /* as /media/: a larger stored file is not sent */

const char *mh_download_size_text(mh_pool_t *p, int64_t bytes)
{
    if (bytes < 1024)
        return mh_psprintf(p, "%lld B", (long long)(bytes < 0 ? 0 : bytes));
    if (bytes < 1024 * 1024)
        return mh_psprintf(p, "%.1f KB", (double)bytes / 1024.0);
    return mh_psprintf(p, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}

static bool entry_public(const mh_entry_t *e, int64_t now)
{
    return (e->status == MH_STATUS_PUBLISHED || e->status == MH_STATUS_SCHEDULED) &&
           e->publish_at <= now;
}

int mh_download_resolve(mh_content_t *c, mh_pool_t *p, int64_t entry_id, bool public_only,
                        int64_t now, mh_download_t *out)
{
    mh_entry_t e;
    mh_column_t col;
    mh_field_value_t *vals = NULL;
    size_t n = 0;
    const char *ref = NULL;
    memset(out, 0, sizeof(*out));
    int rc = entry_id > 0 ? mh_content_entry_get(c, p, entry_id, &e) : MH_DECLINED;
    if (rc != MH_OK)
        return rc;
    if (public_only && !entry_public(&e, now))
        return MH_DECLINED;
    if ((rc = mh_content_column_get(c, p, e.column_id, &col)) != MH_OK)
        return rc;
    if (!mh_content_type_is(col.module, MH_TYPE_DOWNLOAD) || (public_only && !col.visible))
        return MH_DECLINED;
    if ((rc = mh_fields_values(c, p, entry_id, &vals, &n)) != MH_OK)
        return rc;
    for (size_t i = 0; i < n && !ref; i++)
        if (strcmp(vals[i].key, "file") == 0)
            ref = vals[i].text;
    size_t plen = strlen(MH_MEDIA_URL_PREFIX);
    if (!ref || strncmp(ref, MH_MEDIA_URL_PREFIX, plen) != 0 || !ref[plen])
        return MH_DECLINED;
    rc = mh_content_media_resolve(c, p, mh_str_c(ref + plen), &out->file);
    if (rc != MH_OK)
        return rc;
    out->url = mh_psprintf(p, MH_DOWNLOAD_PREFIX "%lld", (long long)entry_id);
    out->name = out->file.item.original_name;
    const char *dot = strrchr(out->file.item.stored_name, '.');
    char *ext = mh_pstrdup(p, dot ? dot + 1 : "");
    for (char *x = ext; *x; x++)
        if (*x >= 'a' && *x <= 'z')
            *x = (char)(*x - 'a' + 'A');
    out->ext = ext;
    return MH_OK;
}

/* Does If-None-Match name tag? (A 304 is not a download.) */
static bool revalidation(mh_req_t *req, const char *tag)
{
    mh_str_t inm = mh_req_header(req, "If-None-Match");
    size_t tl = strlen(tag);
    if (!inm.base || !tl)
        return false;
    for (size_t i = 0; i + tl <= inm.len; i++)
        if (memcmp(inm.base + i, tag, tl) == 0)
            return true;
    return inm.len == 1 && inm.base[0] == '*';
}

int mh_download_serve(mh_content_t *c, const char *media_dir, mh_hits_t *counts, mh_req_t *req,
                      mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    mh_download_t d;
    const void *bytes = NULL;
    size_t len = 0;
    int64_t id = mh_req_param_id(req, "id");
    int rc = mh_download_resolve(c, p, id, true, (int64_t)time(NULL), &d);
    if (rc == MH_OK) {
        rc = mh_content_media_load(p, media_dir, d.file.rel_path, DOWNLOAD_MAX, &bytes, &len);
        if (rc == MH_DECLINED)
            mh_warn("download %lld: %s is recorded but missing on disk", (long long)id,
                    d.file.rel_path);
    }
    if (rc == MH_DECLINED) {
        mh_resp_error(req, resp, 404);
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    resp->status = 200;
    resp->content_type = d.file.mime;
    resp->data = bytes;
    resp->data_len = len;
    resp->etag = d.file.etag;
    /* every download goes through here to be counted: caches revalidate */
    resp->cache_control = "no-cache";
    mh_resp_header(resp, "Content-Disposition",
                   mh_media_content_disposition(p, d.file.download_name));
    mh_resp_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    if (req->method == MH_M_GET && !revalidation(req, d.file.etag))
        mh_hits_add(counts, id);
    return MH_OK;
}

/* --- template context --- */

struct dl_ctx {
    mh_site_req_t *r;
    int64_t entry_id, column_id;
};

static mh_val_t *th_download(mh_pool_t *p, void *data)
{
    struct dl_ctx *x = data;
    mh_download_t d;
    int64_t count = 0;
    const mh_column_t *col = mh_context_col_by_id(x->r, x->column_id);
    if (!col || !mh_content_type_is(col->module, MH_TYPE_DOWNLOAD))
        return mh_val_null(p);
    mh_val_t *m = mh_val_map_sized(p, 10);
    bool ok = mh_download_resolve(x->r->content, p, x->entry_id, false, 0, &d) == MH_OK;
    mh_val_map_add(p, m, "has_file", mh_val_bool(p, ok));
    if (mh_portal_downloads_get(x->r->content, x->entry_id, &count) != MH_OK)
        count = 0;
    mh_val_map_add(p, m, "count", mh_val_int(p, count));
    if (!ok)
        return m;
    mh_val_map_add(p, m, "url", mh_val_str(p, mh_str_c(d.url)));
    mh_val_map_add(p, m, "name", mh_val_str(p, mh_str_c(d.name)));
    mh_val_map_add(p, m, "type", mh_val_str(p, mh_str_c(d.file.mime)));
    mh_val_map_add(p, m, "ext", mh_val_str(p, mh_str_c(d.ext)));
    mh_val_map_add(p, m, "size", mh_val_int(p, d.file.item.size));
    mh_val_map_add(p, m, "size_text",
                   mh_val_str(p, mh_str_c(mh_download_size_text(p, d.file.item.size))));
    return m;
}

void mh_download_ctx_add(mh_site_req_t *r, mh_val_t *m, const mh_entry_t *e)
{
    /* always there (null elsewhere), so the context has one shape */
    struct dl_ctx *x = mh_pcalloc(r->pool, sizeof(*x));
    x->r = r;
    x->entry_id = e->id;
    x->column_id = e->column_id;
    mh_val_map_add(r->pool, m, "download", mh_val_lazy(r->pool, th_download, x));
}
