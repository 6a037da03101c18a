/* The region endpoint (regions.h). It lives outside the page rows: it has
 * no language, no template and nothing of the content generation, so the
 * page cache has nothing to offer it; the browser's cache does. */
#include "regions.h"

#include <string.h>

#include "../content/regions.h"
#include "../core/buf.h"
#include "../http/url.h"
#include "../router/router.h"

/* A JSON string literal of s (the data holds plain names; escape anyway). */
static void json_str(mh_buf_t *b, const char *s)
{
    mh_buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            mh_buf_printf(b, "\\%c", *c);
        else if (*c < 0x20)
            mh_buf_printf(b, "\\u%04x", *c);
        else
            mh_buf_putc(b, (char)*c);
    }
    mh_buf_putc(b, '"');
}

static bool has_children(const char *code)
{
    for (size_t i = 0; i < mh_region_table_len; i++)
        if (strcmp(mh_region_table[i].parent, code) == 0)
            return true;
    return false;
}

int mh_site_h_regions(mh_req_t *req, mh_resp_t *resp, void *data)
{
    (void)data;
    mh_pool_t *p = req->pool;
    mh_query_param_t params[8];
    size_t np = mh_url_parse_query(p, req->query, params, MH_ARRAY_LEN(params));
    mh_str_t pv = mh_url_query_get(params, np, "parent");
    const char *parent = pv.len ? mh_pstrndup(p, pv.base, pv.len) : "";
    if (*parent && !mh_region_by_code(parent)) {
        mh_resp_error(req, resp, 404);
        return MH_OK;
    }
    const mh_region_t **kids;
    size_t n = mh_region_children(p, parent, &kids);
    mh_buf_t b;
    mh_buf_init(&b, 1u << 20);
    mh_buf_append_c(&b, "{\"parent\":");
    json_str(&b, parent);
    mh_buf_append_c(&b, ",\"items\":[");
    for (size_t i = 0; i < n; i++) {
        mh_buf_append_c(&b, i ? ",{\"code\":" : "{\"code\":");
        json_str(&b, kids[i]->code);
        mh_buf_append_c(&b, ",\"zh\":");
        json_str(&b, kids[i]->zh);
        mh_buf_append_c(&b, ",\"en\":");
        json_str(&b, kids[i]->en);
        mh_buf_append_c(&b, has_children(kids[i]->code) ? ",\"more\":true}" : ",\"more\":false}");
    }
    mh_buf_append_c(&b, "]}");
    int rc = MH_ERR;
    if (!mh_buf_failed(&b)) {
        resp->status = 200;
        resp->content_type = "application/json; charset=utf-8";
        resp->data = mh_pstrndup(p, b.base, b.len);
        resp->data_len = b.len;
        resp->cache_control = "public, max-age=86400";
        rc = MH_OK;
    }
    mh_buf_free(&b);
    return rc;
}
