/* The public read API: JSON documents built with jansson from the content
 * layer's public reads (published, visible, public languages only), the
 * same rows the public pages show.
 *
 * Caching: every answer carries an ETag made of the content generation and
 * a hash of the request (path and normalised query), checked before any
 * read, so a client or proxy revalidating an unchanged document costs a
 * header comparison and gets 304. The page cache is not used: it does not
 * keep the CORS headers an answer may need.
 *
 * CORS: the api_cors_origins setting (default language) is "" (no CORS
 * headers), "*" (any origin, without credentials) or a space-separated list
 * of origins, of which the request's Origin is echoed with Vary: Origin. */
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../content/fields.h"
#include "../content/languages.h"
#include "../content/search.h"
#include "../content/types.h"
#include "../core/log.h"
#include "../http/encode.h"
#include "../http/url.h"
#include "../router/router.h"
#include "openapi.h"

#define API_MAX_PARAMS 16
#define API_PER_PAGE 20
#define API_PER_PAGE_MAX 100
#define API_PAGE_MAX 100000

struct api {
    mh_server_t *srv;
    mh_content_t *content;
    mh_routes_t routes;
};

/* ---- small helpers ---- */

static void put_str(json_t *o, const char *key, const char *v)
{
    json_t *s = json_string(v ? v : "");
    json_object_set_new(o, key, s ? s : json_string(""));
}

static void put_int(json_t *o, const char *key, int64_t v)
{
    json_object_set_new(o, key, json_integer((json_int_t)v));
}

static const char *rfc3339(mh_pool_t *p, int64_t t)
{
    if (t <= 0)
        return NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return mh_pstrdup(p, buf);
}

static void put_time(json_t *o, const char *key, mh_pool_t *p, int64_t t)
{
    const char *v = rfc3339(p, t);
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

/* Send doc (taken) as the answer: 200 application/json, or status. */
static int send_json(mh_resp_t *resp, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return MH_ERR;
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    mh_buf_append(&resp->body, text, strlen(text));
    free(text);
    return mh_buf_failed(&resp->body) ? MH_ERR : MH_OK;
}

static int send_error(mh_resp_t *resp, int status, const char *code, const char *message)
{
    json_t *e = json_object();
    put_str(e, "code", code);
    put_str(e, "message", message);
    json_t *doc = json_object();
    json_object_set_new(doc, "error", e);
    resp->cache_control = "no-store";
    return send_json(resp, status, doc);
}

/* A site-wide setting, "" when unset. */
static const char *setting(struct api *a, mh_pool_t *p, const char *key)
{
    const char *v = mh_content_setting(a->content, p, 0, key);
    return v ? v : "";
}

/* CORS headers for the request's Origin by the api_cors_origins setting. */
static void cors(struct api *a, mh_req_t *req, mh_resp_t *resp)
{
    const char *allow = setting(a, req->pool, "api_cors_origins");
    mh_str_t origin = mh_req_header(req, "Origin");
    if (!allow[0])
        return;
    if (strcmp(allow, "*") == 0) {
        mh_resp_header(resp, "Access-Control-Allow-Origin", "*");
        return;
    }
    mh_resp_header(resp, "Vary", "Origin");
    if (!origin.base || !origin.len)
        return;
    for (const char *s = allow; *s;) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t n = strcspn(s, " ,");
        if (n && n == origin.len && strncasecmp(s, origin.base, n) == 0) {
            mh_resp_header(resp, "Access-Control-Allow-Origin",
                           mh_pstrndup(req->pool, origin.base, origin.len));
            return;
        }
        s += n;
    }
}

/* The validator of this request's answer at the current generation; true
 * (and a 304 in resp) when the client already has it. */
static bool not_modified(struct api *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_str_t q = mh_url_query_normalise(req->pool, req->query);
    uint64_t h = mh_hash64(req->path.base, req->path.len) ^ (mh_hash64(q.base, q.len) * 31u);
    resp->etag =
        mh_psprintf(req->pool, "\"api-%llu-%llx\"",
                    (unsigned long long)mh_content_generation(a->content), (unsigned long long)h);
    resp->cache_control = "no-cache";
    cors(a, req, resp);
    mh_str_t inm = mh_req_header(req, "If-None-Match");
    /* one validator, a list of them, or a weak form: ours appears in it */
    if (inm.base && inm.len < 4096 &&
        strstr(mh_pstrndup(req->pool, inm.base, inm.len), resp->etag)) {
        resp->status = 304;
        return true;
    }
    return false;
}

struct query {
    mh_query_param_t v[API_MAX_PARAMS];
    size_t n;
};

static void parse_query(mh_req_t *req, struct query *q)
{
    q->n = mh_url_parse_query(req->pool, req->query, q->v, API_MAX_PARAMS);
}

/* A positive number parameter up to max; def when absent; -1 when it is
 * present and not such a number. */
static int64_t num_param(const struct query *q, const char *key, int64_t def, int64_t max)
{
    mh_str_t v = mh_url_query_get(q->v, q->n, key);
    unsigned long long u;
    if (!v.base)
        return def;
    if (!mh_str_to_u64(v, (unsigned long long)max, &u) || u == 0)
        return -1;
    return (int64_t)u;
}

/* ---- the site's shape ---- */

struct site {
    mh_language_t *langs;
    size_t nlangs;
};

static int load_site(struct api *a, mh_pool_t *p, struct site *s)
{
    mh_language_t *all = NULL;
    size_t n = 0;
    if (mh_content_languages(a->content, p, &all, &n) != MH_OK)
        return MH_ERR;
    s->langs = mh_pcalloc(p, (n + 1) * sizeof(*s->langs));
    s->nlangs = 0;
    for (size_t i = 0; i < n; i++)
        if (mh_content_language_public(&all[i]))
            s->langs[s->nlangs++] = all[i];
    return MH_OK;
}

static const mh_language_t *lang_by_id(const struct site *s, int64_t id)
{
    for (size_t i = 0; i < s->nlangs; i++)
        if (s->langs[i].id == id)
            return &s->langs[i];
    return NULL;
}

/* By code ("zh-CN") or prefix ("zh"); the default language when code is
 * absent; NULL when it names no public language. */
static const mh_language_t *lang_by_code(const struct site *s, mh_str_t code)
{
    for (size_t i = 0; i < s->nlangs; i++) {
        const mh_language_t *l = &s->langs[i];
        if (!code.base ? l->is_default
                       : (mh_str_eq_nocase(code, l->code) ||
                          (l->prefix && l->prefix[0] && mh_str_eq_c(code, l->prefix))))
            return l;
    }
    return !code.base && s->nlangs ? &s->langs[0] : NULL;
}

static const char *lang_home(mh_pool_t *p, const mh_language_t *l)
{
    if (!l->prefix || !l->prefix[0])
        return "/";
    return mh_psprintf(p, "/%s/", l->prefix);
}

static const char *column_url(mh_pool_t *p, const mh_language_t *l, const mh_column_t *c)
{
    if (mh_content_type_is(c->module, MH_TYPE_REDIRECT))
        return c->link_url;
    return mh_psprintf(p, "%s%s/", lang_home(p, l), c->path);
}

static json_t *lang_json(mh_pool_t *p, const mh_language_t *l)
{
    json_t *o = json_object();
    put_int(o, "id", l->id);
    put_str(o, "code", l->code);
    put_str(o, "name", l->name);
    put_str(o, "prefix", l->prefix);
    json_object_set_new(o, "default", json_boolean(l->is_default));
    put_str(o, "url", lang_home(p, l));
    return o;
}

static json_t *column_json(mh_pool_t *p, const mh_language_t *l, const mh_column_t *c)
{
    json_t *o = json_object();
    put_int(o, "id", c->id);
    if (c->parent_id)
        put_int(o, "parent_id", c->parent_id);
    else
        json_object_set_new(o, "parent_id", json_null());
    put_str(o, "lang", l->code);
    put_str(o, "name", c->name);
    put_str(o, "slug", c->slug);
    put_str(o, "path", c->path);
    put_str(o, "type", mh_module_name(c->module));
    put_str(o, "url", column_url(p, l, c));
    put_str(o, "nav", mh_nav_name(c->nav));
    put_int(o, "page_size", c->page_size);
    put_str(o, "summary", c->summary);
    if (mh_content_type_is(c->module, MH_TYPE_BODY))
        put_str(o, "body_html", c->body_html);
    put_str(o, "seo_title", c->seo_title);
    put_str(o, "seo_description", c->seo_description);
    put_str(o, "seo_keywords", c->seo_keywords);
    return o;
}

/* The entry as a list item (full: with its body, fields and translations). */
static json_t *entry_json(struct api *a, mh_pool_t *p, const struct site *s, const mh_language_t *l,
                          const mh_column_t *c, const mh_entry_t *e, bool full)
{
    json_t *o = json_object();
    put_int(o, "id", e->id);
    put_int(o, "column_id", e->column_id);
    put_str(o, "lang", l->code);
    put_str(o, "title", e->title);
    put_str(o, "slug", e->slug);
    put_str(o, "url", mh_psprintf(p, "%s%s/%s.html", lang_home(p, l), c->path, e->slug));
    put_str(o, "summary", e->summary);
    put_str(o, "author", e->author);
    put_str(o, "source", e->source);
    put_str(o, "cover", e->cover);
    put_time(o, "published_at", p, e->publish_at);
    put_time(o, "updated_at", p, e->updated_at > e->publish_at ? e->updated_at : e->publish_at);
    put_int(o, "hits", e->hits);
    json_object_set_new(o, "pinned", json_boolean(e->pinned));
    json_object_set_new(o, "recommended", json_boolean(e->recommended));
    if (!full)
        return o;
    put_str(o, "body_html", e->body_html);
    put_str(o, "seo_title", e->seo_title);
    put_str(o, "seo_description", e->seo_description);
    put_str(o, "seo_keywords", e->seo_keywords);

    json_t *fields = json_object();
    mh_field_def_t *defs = NULL;
    mh_field_value_t *vals = NULL;
    size_t nd = 0, nv = 0;
    if (mh_fields_for_column(a->content, p, e->column_id, &defs, &nd) == MH_OK &&
        mh_fields_values(a->content, p, e->id, &vals, &nv) == MH_OK) {
        mh_field_item_t *items = mh_fields_items(p, defs, nd, vals, nv);
        for (size_t i = 0; items && i < nd; i++) {
            if (!items[i].n)
                continue;
            json_t *arr = json_array();
            for (size_t k = 0; k < items[i].n; k++)
                json_array_append_new(arr, json_string(items[i].values[k]));
            json_object_set_new(fields, defs[i].key, arr);
        }
    }
    json_object_set_new(o, "fields", fields);

    json_t *trs = json_array();
    mh_entry_t *tr = NULL;
    size_t ntr = 0;
    if (e->translation_group && mh_content_translations(a->content, p, e, &tr, &ntr) == MH_OK)
        for (size_t i = 0; i < ntr; i++) {
            const mh_language_t *tl = lang_by_id(s, tr[i].lang_id);
            mh_column_t tc;
            if (!tl || mh_content_column_get(a->content, p, tr[i].column_id, &tc) != MH_OK ||
                !tc.visible)
                continue;
            json_t *t = json_object();
            put_str(t, "lang", tl->code);
            put_int(t, "id", tr[i].id);
            put_str(t, "url",
                    mh_psprintf(p, "%s%s/%s.html", lang_home(p, tl), tc.path, tr[i].slug));
            json_array_append_new(trs, t);
        }
    json_object_set_new(o, "translations", trs);
    return o;
}

/* A public column of a public language, or MH_DECLINED. */
static int public_column(struct api *a, mh_pool_t *p, const struct site *s, int64_t id,
                         mh_column_t *c, const mh_language_t **l)
{
    if (id <= 0 || mh_content_column_get(a->content, p, id, c) != MH_OK || !c->visible)
        return MH_DECLINED;
    *l = lang_by_id(s, c->lang_id);
    return *l ? MH_OK : MH_DECLINED;
}

/* ---- handlers ---- */

static int h_openapi(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    cors(a, req, resp);
    resp->status = 200;
    resp->content_type = "application/json; charset=utf-8";
    resp->data = mh_openapi_json;
    resp->data_len = mh_openapi_json_len;
    resp->etag = mh_psprintf(req->pool, "\"oa-%llx\"",
                             (unsigned long long)mh_hash64(mh_openapi_json, mh_openapi_json_len));
    resp->cache_control = "no-cache";
    return MH_OK;
}

/* OPTIONS on any API path: the CORS preflight (GET only). */
static int h_options(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    cors(a, req, resp);
    resp->status = 204;
    resp->allow = MH_M_GET | MH_M_HEAD | MH_M_OPTIONS;
    mh_resp_header(resp, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    mh_resp_header(resp, "Access-Control-Allow-Headers", "If-None-Match");
    mh_resp_header(resp, "Access-Control-Max-Age", "86400");
    return MH_OK;
}

static int h_languages(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    struct site s;
    if (not_modified(a, req, resp))
        return MH_OK;
    if (load_site(a, req->pool, &s) != MH_OK)
        return MH_ERR;
    json_t *arr = json_array();
    for (size_t i = 0; i < s.nlangs; i++)
        json_array_append_new(arr, lang_json(req->pool, &s.langs[i]));
    json_t *doc = json_object();
    json_object_set_new(doc, "languages", arr);
    return send_json(resp, 200, doc);
}

/* Children of parent (0: the top level) as nested arrays, in order. */
static json_t *tree(mh_pool_t *p, const mh_language_t *l, const mh_column_t *cols, size_t n,
                    int64_t parent, int depth)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (cols[i].parent_id != parent || !cols[i].visible)
            continue;
        json_t *o = column_json(p, l, &cols[i]);
        json_object_set_new(o, "children",
                            depth < 32 ? tree(p, l, cols, n, cols[i].id, depth + 1) : json_array());
        json_array_append_new(arr, o);
    }
    return arr;
}

static int h_columns(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    struct site s;
    struct query q;
    if (not_modified(a, req, resp))
        return MH_OK;
    parse_query(req, &q);
    if (load_site(a, req->pool, &s) != MH_OK)
        return MH_ERR;
    const mh_language_t *l = lang_by_code(&s, mh_url_query_get(q.v, q.n, "lang"));
    if (!l)
        return send_error(resp, 404, "unknown_language", "no public language has that code");
    mh_column_t *cols = NULL;
    size_t n = 0;
    if (mh_content_columns(a->content, req->pool, l->id, &cols, &n) != MH_OK)
        return MH_ERR;
    json_t *doc = json_object();
    put_str(doc, "lang", l->code);
    json_object_set_new(doc, "columns", tree(req->pool, l, cols, n, 0, 0));
    return send_json(resp, 200, doc);
}

static int h_column(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    struct site s;
    mh_column_t c;
    const mh_language_t *l;
    if (not_modified(a, req, resp))
        return MH_OK;
    if (load_site(a, req->pool, &s) != MH_OK)
        return MH_ERR;
    if (public_column(a, req->pool, &s, mh_req_param_id(req, "id"), &c, &l) != MH_OK)
        return send_error(resp, 404, "not_found", "no public column has that id");
    return send_json(resp, 200, column_json(req->pool, l, &c));
}

static json_t *page_json(json_t *items, int64_t page, int64_t per, int64_t total)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "items", items);
    put_int(doc, "page", page);
    put_int(doc, "per_page", per);
    put_int(doc, "total", total);
    put_int(doc, "pages", total ? (total + per - 1) / per : 0);
    return doc;
}

/* The entries of a column: ?page, ?per_page, ?descendants=1, and one
 * filter on a filterable custom field: ?field=KEY&value=V. */
static int h_column_entries(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    mh_pool_t *p = req->pool;
    struct site s;
    struct query q;
    mh_column_t c;
    const mh_language_t *l;
    if (not_modified(a, req, resp))
        return MH_OK;
    parse_query(req, &q);
    if (load_site(a, p, &s) != MH_OK)
        return MH_ERR;
    if (public_column(a, p, &s, mh_req_param_id(req, "id"), &c, &l) != MH_OK ||
        !mh_content_type_is(c.module, MH_TYPE_ENTRIES))
        return send_error(resp, 404, "not_found", "no public column of entries has that id");
    int64_t page = num_param(&q, "page", 1, API_PAGE_MAX);
    int64_t per = num_param(&q, "per_page", API_PER_PAGE, API_PER_PAGE_MAX);
    if (page < 0 || per < 0)
        return send_error(resp, 400, "bad_parameter",
                          "page and per_page are positive numbers (per_page at most 100)");
    mh_str_t fkey = mh_url_query_get(q.v, q.n, "field");
    mh_str_t fval = mh_url_query_get(q.v, q.n, "value");
    json_t *items = json_array();
    int64_t total = 0;
    if (fkey.base) {
        mh_field_def_t *defs = NULL;
        size_t nd = 0;
        const mh_field_def_t *def = NULL;
        if (mh_fields_for_column(a->content, p, c.id, &defs, &nd) != MH_OK) {
            json_decref(items);
            return MH_ERR;
        }
        for (size_t i = 0; i < nd; i++)
            if (mh_str_eq_c(fkey, defs[i].key) && defs[i].filterable)
                def = &defs[i];
        if (!def || !fval.base) {
            json_decref(items);
            return send_error(resp, 400, "bad_filter",
                              "field names a filterable field of the column and value is given");
        }
        int64_t *ids = NULL;
        size_t n = 0;
        if (mh_fields_filter(a->content, p, c.id, def->key, mh_pstrndup(p, fval.base, fval.len),
                             (page - 1) * per, per, &ids, &n, &total) != MH_OK) {
            json_decref(items);
            return MH_ERR;
        }
        for (size_t i = 0; i < n; i++) {
            mh_entry_t e;
            if (mh_content_entry_get(a->content, p, ids[i], &e) == MH_OK)
                json_array_append_new(items, entry_json(a, p, &s, l, &c, &e, false));
        }
    } else {
        mh_str_t desc = mh_url_query_get(q.v, q.n, "descendants");
        mh_entry_query_t eq = {
            .lang_id = l->id,
            .column_id = c.id,
            .descendants = desc.base && mh_str_eq_c(desc, "1"),
            .public_only = true,
            .sort = c.sort_mode,
            .offset = (page - 1) * per,
            .limit = per,
        };
        mh_entry_t *list = NULL;
        size_t n = 0;
        if (mh_content_entries(a->content, p, &eq, &list, &n, &total) != MH_OK) {
            json_decref(items);
            return MH_ERR;
        }
        for (size_t i = 0; i < n; i++) {
            const mh_column_t *ec = &c;
            mh_column_t sub;
            if (list[i].column_id != c.id &&
                mh_content_column_get(a->content, p, list[i].column_id, &sub) == MH_OK)
                ec = &sub;
            json_array_append_new(items, entry_json(a, p, &s, l, ec, &list[i], false));
        }
    }
    return send_json(resp, 200, page_json(items, page, per, total));
}

static int send_entry(struct api *a, mh_req_t *req, mh_resp_t *resp, const struct site *s,
                      const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    mh_column_t c;
    const mh_language_t *l;
    mh_entry_t pub;
    /* public only: the same test the entry's page makes */
    if (public_column(a, p, s, e->column_id, &c, &l) != MH_OK ||
        mh_content_entry_by_slug(a->content, p, c.id, e->slug, true, &pub) != MH_OK ||
        pub.id != e->id)
        return send_error(resp, 404, "not_found", "no public entry there");
    return send_json(resp, 200, entry_json(a, p, s, l, &c, &pub, true));
}

static int h_entry(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    struct site s;
    mh_entry_t e;
    if (not_modified(a, req, resp))
        return MH_OK;
    if (load_site(a, req->pool, &s) != MH_OK)
        return MH_ERR;
    int64_t id = mh_req_param_id(req, "id");
    if (id <= 0 || mh_content_entry_get(a->content, req->pool, id, &e) != MH_OK)
        return send_error(resp, 404, "not_found", "no public entry has that id");
    return send_entry(a, req, resp, &s, &e);
}

/* ?path=/zh/news/slug.html: the entry at a public URL path. */
static int h_entry_by_path(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    mh_pool_t *p = req->pool;
    struct site s;
    struct query q;
    if (not_modified(a, req, resp))
        return MH_OK;
    parse_query(req, &q);
    if (load_site(a, p, &s) != MH_OK)
        return MH_ERR;
    mh_str_t path = mh_url_query_get(q.v, q.n, "path");
    if (!path.base || path.len < 7 || path.len > 2048 || path.base[0] != '/' ||
        memchr(path.base, '\0', path.len))
        return send_error(resp, 400, "bad_parameter", "path is an entry's URL path");
    const char *rest = mh_pstrndup(p, path.base + 1, path.len - 1);
    const mh_language_t *l = lang_by_code(&s, MH_STR_NULL);
    const char *slash = strchr(rest, '/');
    for (size_t i = 0; slash && i < s.nlangs; i++) {
        const char *px = s.langs[i].prefix;
        if (px && px[0] && strlen(px) == (size_t)(slash - rest) &&
            strncmp(rest, px, strlen(px)) == 0) {
            l = &s.langs[i];
            rest = slash + 1;
            break;
        }
    }
    const char *last = strrchr(rest, '/');
    size_t rl = strlen(rest);
    if (!l || !last || rl < 5 || strcmp(rest + rl - 5, ".html") != 0)
        return send_error(resp, 404, "not_found", "no public entry there");
    const char *colpath = mh_pstrndup(p, rest, (size_t)(last - rest));
    const char *slug = mh_pstrndup(p, last + 1, (size_t)(rest + rl - 5 - (last + 1)));
    mh_column_t c;
    mh_entry_t e;
    if (mh_content_column_by_path(a->content, p, l->id, colpath, &c) != MH_OK || !c.visible ||
        mh_content_entry_by_slug(a->content, p, c.id, slug, true, &e) != MH_OK)
        return send_error(resp, 404, "not_found", "no public entry there");
    return send_entry(a, req, resp, &s, &e);
}

/* ?q=&lang=&column=&page=: full-text search, the public search's rules. */
static int h_search(mh_req_t *req, mh_resp_t *resp, void *data)
{
    struct api *a = data;
    mh_pool_t *p = req->pool;
    struct site s;
    struct query q;
    if (not_modified(a, req, resp))
        return MH_OK;
    parse_query(req, &q);
    if (load_site(a, p, &s) != MH_OK)
        return MH_ERR;
    const mh_language_t *l = lang_by_code(&s, mh_url_query_get(q.v, q.n, "lang"));
    if (!l)
        return send_error(resp, 404, "unknown_language", "no public language has that code");
    mh_str_t text = mh_url_query_get(q.v, q.n, "q");
    int64_t page = num_param(&q, "page", 1, MH_SEARCH_COUNT_MAX / 10);
    int64_t column = num_param(&q, "column", 0, INT64_MAX);
    if (page < 0 || column < 0)
        return send_error(resp, 400, "bad_parameter", "page and column are positive numbers");
    mh_str_t match;
    int st = mh_search_query(p, text.base ? text : mh_str("", 0), &match);
    if (st == MH_TOOBIG)
        return send_error(resp, 400, "query_too_long", "the query is longer than 200 characters");
    json_t *items = json_array();
    size_t total = 0;
    if (st == MH_OK) {
        mh_search_params_t sp = {.match = match,
                                 .lang_id = l->id,
                                 .column_id = column,
                                 .module = mh_str("", 0),
                                 .limit = 10,
                                 .offset = (unsigned)((page - 1) * 10)};
        mh_search_hit_t *hits = NULL;
        size_t n = 0;
        if (mh_content_search(a->content, p, &sp, &hits, &n, &total) != MH_OK) {
            json_decref(items);
            return MH_ERR;
        }
        for (size_t i = 0; i < n; i++) {
            mh_entry_t e;
            mh_column_t c;
            const mh_language_t *el;
            if (mh_content_entry_get(a->content, p, hits[i].entry_id, &e) != MH_OK ||
                public_column(a, p, &s, e.column_id, &c, &el) != MH_OK)
                continue;
            json_t *o = entry_json(a, p, &s, el, &c, &e, false);
            put_str(o, "title_html", mh_pstrndup(p, hits[i].title.base, hits[i].title.len));
            put_str(o, "snippet_html", mh_pstrndup(p, hits[i].snippet.base, hits[i].snippet.len));
            json_array_append_new(items, o);
        }
    }
    json_t *doc = page_json(items, page, 10, (int64_t)total);
    put_str(doc, "lang", l->code);
    return send_json(resp, 200, doc);
}

/* ---- the module ---- */

#define GET(pat, fn)                                                                               \
    {                                                                                              \
        MH_M_GET, pat, MH_AUTH_PUBLIC, NULL, false, fn, NULL, 0, 0                                 \
    }
static const mh_route_t api_rows[] = {
    GET("/api/v1/openapi.json", h_openapi),
    GET("/api/v1/languages", h_languages),
    GET("/api/v1/columns", h_columns),
    GET("/api/v1/columns/:id", h_column),
    GET("/api/v1/columns/:id/entries", h_column_entries),
    GET("/api/v1/entries/by-path", h_entry_by_path),
    GET("/api/v1/entries/:id", h_entry),
    GET("/api/v1/search", h_search),
    {MH_M_OPTIONS, "/api/v1/*", MH_AUTH_PUBLIC, NULL, false, h_options, NULL, 0, 0},
};

static int module_open(mh_server_t *srv, void **state, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    struct api *a = mh_calloc(1, sizeof(*a));
    a->srv = srv;
    a->content = mh_server_content(srv);
    for (size_t i = 0; i < MH_ARRAY_LEN(api_rows); i++) {
        mh_route_t r = api_rows[i];
        r.data = a;
        mh_routes_add(&a->routes, &r);
    }
    *state = a;
    return MH_OK;
}

static void module_close(void *state)
{
    struct api *a = state;
    if (!a)
        return;
    mh_routes_free(&a->routes);
    free(a);
}

static size_t module_routes(void *state, const mh_route_t **out)
{
    struct api *a = state;
    *out = a->routes.v;
    return a->routes.n;
}

const mh_server_module_t mh_api_module = {
    .name = "api",
    .open = module_open,
    .close = module_close,
    .routes = module_routes,
};
