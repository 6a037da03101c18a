/* The admin API: JSON writes under /api/v1/ for programs (docs/api.md).
 * The rows belong to the admin module, so the admin's policy
 * (mh_admin_policy) authenticates them — a bearer token (content/tokens.h)
 * or the admin's session cookie with its CSRF token — and checks the
 * route's permission; the handlers then make the same object checks
 * (mh_admin_may_column / mh_admin_may_entry) and write through the same
 * content-layer calls, with the same audit lines in the same transactions,
 * as the admin's forms. Errors are JSON: {"error": {"code", "message"}}. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../content/editorial.h"
#include "../content/fields.h"
#include "../content/media.h"
#include "../content/types.h"
#include "../core/log.h"
#include "accounts_internal.h"
#include "admin.h"
#include "editorial_internal.h"

#define API_JSON_MAX (16u << 20)

static const char *const messages[][2] = {
    {"bad_json", "the body is not a JSON object"},
    {"bad_field", "a field has the wrong type or value"},
    {"forbidden", "your role or grants do not allow this"},
    {"not_found", "no such object"},
    {"no_token", "send a bearer token (Authorization: Bearer ...) or sign in"},
    {"read_only_token", "this token has the read scope: it cannot write"},
    {"csrf", "the session's CSRF token is missing or wrong"},
    {"must_change", "the account must change its password first"},
    {"invalid", "the object was refused (see message)"},
    {"no_space", "the disk is full: nothing was saved"},
    {"failed", "the write failed"},
};

void mh_admin_api_error(mh_resp_t *resp, int status, const char *code, const char *detail)
{
    const char *msg = code;
    for (size_t i = 0; i < MH_ARRAY_LEN(messages); i++)
        if (strcmp(messages[i][0], code) == 0)
            msg = messages[i][1];
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", detail ? detail : msg);
    json_t *doc = json_pack("{s:o}", "error", e);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    mh_buf_reset(&resp->body);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    resp->cache_control = "no-store";
    if (text)
        mh_buf_append(&resp->body, text, strlen(text));
    free(text);
}

static int send_json(mh_resp_t *resp, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return MH_ERR;
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    resp->cache_control = "no-store";
    mh_buf_append(&resp->body, text, strlen(text));
    free(text);
    return MH_OK;
}

/* The request's JSON object, or NULL (and a 400 in resp). */
static json_t *body_json(mh_req_t *req, mh_resp_t *resp)
{
    json_error_t jerr;
    mh_str_t raw = mh_buf_str(&req->form.raw);
    json_t *doc = raw.len ? json_loadb(raw.base, raw.len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(doc)) {
        json_decref(doc);
        mh_admin_api_error(resp, 400, "bad_json", NULL);
        return NULL;
    }
    return doc;
}

/* A string member into *out (pool copy); absent: unchanged. false when
 * present and not a string. */
static bool get_str(mh_pool_t *p, json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return true;
    if (!json_is_string(v))
        return false;
    *out = mh_pstrndup(p, json_string_value(v), json_string_length(v));
    return true;
}

static bool get_int(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return true;
    if (!json_is_integer(v))
        return false;
    *out = (int64_t)json_integer_value(v);
    return true;
}

static bool get_bool(json_t *o, const char *key, bool *out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return true;
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

static const char *rfc3339(mh_pool_t *p, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return mh_pstrdup(p, buf);
}

/* "publish_at": a Unix time or "YYYY-MM-DDTHH:MM:SSZ"/"+hh:mm". */
static bool get_time(mh_pool_t *p, json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return true;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (!json_is_string(v))
        return false;
    const char *s = mh_pstrdup(p, json_string_value(v));
    struct tm tm = {0};
    char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return false;
    int64_t off = 0;
    if (*rest == 'Z') {
        rest++;
    } else if ((*rest == '+' || *rest == '-') && strlen(rest) == 6 && rest[3] == ':') {
        int hh = (rest[1] - '0') * 10 + (rest[2] - '0'),
            mm = (rest[4] - '0') * 10 + (rest[5] - '0');
        off = (int64_t)(hh * 3600 + mm * 60) * (*rest == '+' ? 1 : -1);
        rest += 6;
    } else {
        return false;
    }
    if (*rest)
        return false;
    *out = (int64_t)timegm(&tm) - off;
    return true;
}

static json_t *entry_doc(mh_pool_t *p, const mh_entry_t *e)
{
    const char *pub = rfc3339(p, e->publish_at);
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s?}", "id", (json_int_t)e->id,
                     "column_id", (json_int_t)e->column_id, "lang_id", (json_int_t)e->lang_id,
                     "title", e->title ? e->title : "", "slug", e->slug ? e->slug : "", "status",
                     mh_status_name(e->status), "body_html", e->body_html ? e->body_html : "",
                     "publish_at", pub);
}

static bool is_public(mh_status_t s)
{
    return s == MH_STATUS_PUBLISHED || s == MH_STATUS_SCHEDULED;
}

/* Custom field values from "fields": {"key": "v" | ["v", ...]}. */
static int fields_from_json(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, json_t *doc,
                            int64_t column_id, mh_field_value_t **vals, size_t *nvals, bool *given)
{
    mh_pool_t *p = req->pool;
    json_t *f = json_object_get(doc, "fields");
    *given = f != NULL;
    *vals = NULL;
    *nvals = 0;
    if (!f)
        return MH_OK;
    if (!json_is_object(f)) {
        mh_admin_api_error(resp, 400, "bad_field", "fields is an object of key: values");
        return MH_DECLINED;
    }
    mh_field_def_t *defs = NULL;
    size_t nd = 0;
    if (mh_fields_for_column(mh_admin_content(a), p, column_id, &defs, &nd) != MH_OK)
        return MH_ERR;
    mh_field_input_t *in = mh_pcalloc(p, (nd + 1) * sizeof(*in));
    for (size_t i = 0; i < nd; i++) {
        json_t *v = json_object_get(f, defs[i].key);
        in[i].key = defs[i].key;
        if (!v)
            continue;
        size_t n = json_is_array(v) ? json_array_size(v) : 1;
        const char **vs = mh_pcalloc(p, (n + 1) * sizeof(*vs));
        for (size_t k = 0; k < n; k++) {
            json_t *x = json_is_array(v) ? json_array_get(v, k) : v;
            if (!json_is_string(x)) {
                mh_admin_api_error(resp, 400, "bad_field", "field values are strings");
                return MH_DECLINED;
            }
            vs[k] = mh_pstrdup(p, json_string_value(x));
        }
        in[i].values = vs;
        in[i].n = n;
    }
    mh_field_error_t *errs = NULL;
    size_t nerrs = 0;
    if (mh_fields_validate(p, defs, nd, in, nd, vals, nvals, &errs, &nerrs) != MH_OK) {
        mh_admin_api_error(resp, 422, "invalid",
                           nerrs ? mh_psprintf(p, "field %s: %s", errs[0].key, errs[0].message)
                                 : "a field was refused");
        return MH_DECLINED;
    }
    (void)a;
    return MH_OK;
}

/* Apply the members of doc to e; MH_DECLINED with a 400 in resp. */
static int entry_from_json(mh_req_t *req, mh_resp_t *resp, json_t *doc, mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const char *status = NULL;
    bool ok =
        get_str(p, doc, "title", &e->title) && get_str(p, doc, "slug", &e->slug) &&
        get_str(p, doc, "summary", &e->summary) && get_str(p, doc, "body_html", &e->body_html) &&
        get_str(p, doc, "author", &e->author) && get_str(p, doc, "source", &e->source) &&
        get_str(p, doc, "cover", &e->cover) && get_str(p, doc, "seo_title", &e->seo_title) &&
        get_str(p, doc, "seo_keywords", &e->seo_keywords) &&
        get_str(p, doc, "seo_description", &e->seo_description) &&
        get_bool(doc, "pinned", &e->pinned) && get_bool(doc, "recommended", &e->recommended) &&
        get_time(p, doc, "publish_at", &e->publish_at) && get_str(p, doc, "status", &status);
    if (!ok) {
        mh_admin_api_error(resp, 400, "bad_field", NULL);
        return MH_DECLINED;
    }
    if (status) {
        int st = mh_status_parse(status);
        if (st < 0) {
            mh_admin_api_error(resp, 400, "bad_field",
                               "status is draft, pending, published or scheduled");
            return MH_DECLINED;
        }
        e->status = (mh_status_t)st;
    }
    if (!e->title || !*e->title) {
        mh_admin_api_error(resp, 422, "invalid", "an entry needs a title");
        return MH_DECLINED;
    }
    if (e->status == MH_STATUS_SCHEDULED && e->publish_at <= 0) {
        mh_admin_api_error(resp, 422, "invalid", "a scheduled entry needs publish_at");
        return MH_DECLINED;
    }
    return MH_OK;
}

/* Check and store e over old (id 0: new); the admin form's rules. */
static int save_entry(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, json_t *doc,
                      const mh_entry_t *old, mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_column_t col;
    if (mh_content_column_get(c, p, e->column_id, &col) != MH_OK ||
        !mh_content_type_is(col.module, MH_TYPE_ENTRIES) ||
        (old->id && col.lang_id != old->lang_id)) {
        mh_admin_api_error(resp, 422, "invalid", "column_id names no column of entries");
        return MH_OK;
    }
    e->lang_id = col.lang_id;
    if (!mh_admin_may_column(a, u, col.id, col.lang_id) ||
        (old->id && !mh_admin_may_entry(a, u, old, MH_ACT_EDIT)) ||
        !mh_admin_may_entry(a, u, e, MH_ACT_EDIT) ||
        ((is_public(e->status) || (old->id && is_public(old->status))) &&
         (!mh_admin_may_entry(a, u, e, MH_ACT_PUBLISH) ||
          (old->id && !mh_admin_may_entry(a, u, old, MH_ACT_PUBLISH))))) {
        mh_admin_api_error(resp, 403, "forbidden", NULL);
        return MH_OK;
    }
    mh_field_value_t *vals = NULL;
    size_t nvals = 0;
    bool given = false;
    int rc = fields_from_json(a, req, resp, doc, col.id, &vals, &nvals, &given);
    if (rc == MH_DECLINED)
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_audit_line_t line =
        mh_admin_audit_line(req, old->id ? "entry.update" : "entry.create", NULL, "api");
    rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = given ? mh_editorial_entry_save_fields(c, p, e, u->id, vals, nvals, &line)
                   : mh_editorial_entry_save(c, p, e, u->id, &line);
        if (rc == MH_OK && (e->status != old->status || !old->id)) {
            const char *obj = ed_obj(p, "entry", e->id);
            if (e->status == MH_STATUS_PENDING)
                rc = mh_editorial_submit(c, e->id, u->id, NULL);
            if (rc == MH_OK && is_public(e->status))
                rc = mh_admin_audit(
                    a, req, e->status == MH_STATUS_PUBLISHED ? "entry.publish" : "entry.schedule",
                    obj, "api");
            else if (rc == MH_OK && old->id && is_public(old->status))
                rc = mh_admin_audit(a, req, "entry.unpublish", obj, "api");
        }
        rc = mh_content_tx_end(c, rc);
    }
    if (rc == MH_OK)
        return send_json(resp, old->id ? 200 : 201, entry_doc(p, e));
    mh_admin_api_error(resp, rc == MH_NOSPACE ? 507 : 422,
                       rc == MH_NOSPACE ? "no_space" : "invalid",
                       rc == MH_TOOBIG    ? "the body is too large"
                       : rc == MH_INVALID ? "cover is not an acceptable URL"
                       : rc == MH_NOSPACE ? NULL
                                          : "the entry was refused (slug taken or bad values)");
    return MH_OK;
}

static int h_me(mh_req_t *req, mh_resp_t *resp, void *data)
{
    (void)data;
    const mh_admin_user_t *u = mh_admin_user(req);
    json_t *grants = json_array();
    for (size_t i = 0; i < u->ngrants; i++)
        json_array_append_new(grants, json_pack("{s:I, s:I}", "column_id",
                                                (json_int_t)u->grants[i].column_id, "lang_id",
                                                (json_int_t)u->grants[i].lang_id));
    return send_json(resp, 200,
                     json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u->id, "name", u->name,
                               "role", mh_role_name(u->role), "grants", grants));
}

static int h_entry_create(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    const mh_admin_user_t *u = mh_admin_user(req);
    json_t *doc = body_json(req, resp);
    if (!doc)
        return MH_OK;
    mh_entry_t old = {0};
    mh_entry_t e = {.status = MH_STATUS_DRAFT,
                    .author_id = u->id,
                    .title = "",
                    .slug = "",
                    .summary = "",
                    .body_html = "",
                    .cover = "",
                    .source = "",
                    .seo_title = "",
                    .seo_keywords = "",
                    .seo_description = "",
                    .author = u->display_name && *u->display_name ? u->display_name : u->name};
    int rc = MH_OK;
    if (!get_int(doc, "column_id", &e.column_id) || e.column_id <= 0)
        mh_admin_api_error(resp, 400, "bad_field", "column_id is required");
    else if (entry_from_json(req, resp, doc, &e) == MH_OK)
        rc = save_entry(a, req, resp, doc, &old, &e);
    json_decref(doc);
    return rc;
}

/* The live entry of the route's :id, or NULL with a 404 in resp. */
static mh_entry_t *route_entry(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_entry_t *e = mh_pcalloc(req->pool, sizeof(*e));
    int64_t deleted = 0;
    int64_t id = mh_req_param_id(req, "id");
    if (id <= 0 ||
        mh_editorial_entry_get(mh_admin_content(a), req->pool, id, e, &deleted) != MH_OK ||
        deleted || !mh_admin_may_entry(a, mh_admin_user(req), e, MH_ACT_READ)) {
        mh_admin_api_error(resp, 404, "not_found", NULL);
        return NULL;
    }
    return e;
}

static int h_entry_update(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_entry_t *old = route_entry(a, req, resp);
    if (!old)
        return MH_OK;
    json_t *doc = body_json(req, resp);
    if (!doc)
        return MH_OK;
    mh_entry_t e = *old;
    int rc = MH_OK;
    if (!get_int(doc, "column_id", &e.column_id))
        mh_admin_api_error(resp, 400, "bad_field", "column_id is a number");
    else if (entry_from_json(req, resp, doc, &e) == MH_OK)
        rc = save_entry(a, req, resp, doc, old, &e);
    json_decref(doc);
    return rc;
}

static int h_entry_publish(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_entry_t *old = route_entry(a, req, resp);
    if (!old)
        return MH_OK;
    mh_entry_t e = *old;
    e.status = MH_STATUS_PUBLISHED;
    if (e.publish_at <= 0 || e.publish_at > (int64_t)time(NULL))
        e.publish_at = (int64_t)time(NULL);
    json_t *doc = json_object();
    int rc = save_entry(a, req, resp, doc, old, &e);
    json_decref(doc);
    return rc;
}

static int h_entry_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_entry_t *e = route_entry(a, req, resp);
    if (!e)
        return MH_OK;
    if (!mh_admin_may_entry(a, mh_admin_user(req), e, MH_ACT_DELETE)) {
        mh_admin_api_error(resp, 403, "forbidden", NULL);
        return MH_OK;
    }
    mh_content_t *c = mh_admin_content(a);
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_entry_trash(c, e->id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "entry.trash", ed_obj(req->pool, "entry", e->id), e->title);
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        mh_admin_api_error(resp, rc == MH_NOSPACE ? 507 : 409,
                           rc == MH_NOSPACE ? "no_space" : "failed", NULL);
        return MH_OK;
    }
    return send_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)e->id, "trashed", 1));
}

static json_t *column_doc(const mh_column_t *c)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)c->id,
                     "parent_id", (json_int_t)c->parent_id, "lang_id", (json_int_t)c->lang_id,
                     "name", c->name ? c->name : "", "slug", c->slug ? c->slug : "", "path",
                     c->path ? c->path : "", "type", mh_module_name(c->module), "visible",
                     c->visible);
}

static int column_from_json(mh_req_t *req, mh_resp_t *resp, json_t *doc, mh_column_t *col)
{
    mh_pool_t *p = req->pool;
    const char *type = NULL, *nav = NULL, *sort = NULL;
    int64_t page_size = col->page_size;
    bool ok = get_str(p, doc, "name", &col->name) && get_str(p, doc, "slug", &col->slug) &&
              get_str(p, doc, "summary", &col->summary) &&
              get_str(p, doc, "body_html", &col->body_html) &&
              get_str(p, doc, "link_url", &col->link_url) &&
              get_str(p, doc, "seo_title", &col->seo_title) &&
              get_str(p, doc, "seo_keywords", &col->seo_keywords) &&
              get_str(p, doc, "seo_description", &col->seo_description) &&
              get_str(p, doc, "type", &type) && get_str(p, doc, "nav", &nav) &&
              get_str(p, doc, "sort", &sort) && get_int(doc, "page_size", &page_size) &&
              get_bool(doc, "visible", &col->visible);
    if (ok && type) {
        col->module = mh_module_parse(type);
        ok = col->module != NULL;
    }
    if (ok && nav) {
        int v = mh_nav_parse(nav);
        ok = v >= 0;
        col->nav = v;
    }
    if (ok && sort) {
        int v = mh_sort_parse(sort);
        ok = v >= 0;
        col->sort_mode = (mh_sort_t)v;
    }
    if (ok && (page_size < 1 || page_size > 200))
        ok = false;
    col->page_size = (int)page_size;
    if (!ok) {
        mh_admin_api_error(resp, 400, "bad_field", NULL);
        return MH_DECLINED;
    }
    if (!col->name || !*col->name || !col->module) {
        mh_admin_api_error(resp, 422, "invalid", "a column needs a name and a type");
        return MH_DECLINED;
    }
    return MH_OK;
}

/* Create (col->id 0) or update a column with its audit line in one
 * transaction, and answer with the column as stored (201 / 200). */
static int store_column(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_column_t *col)
{
    mh_content_t *c = mh_admin_content(a);
    bool create = col->id == 0;
    int64_t id = col->id;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = create ? mh_content_column_create(c, col, &id) : mh_content_column_update(c, col);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, create ? "column.create" : "column.update",
                                ed_obj(req->pool, "column", id), "api");
        rc = mh_content_tx_end(c, rc);
    }
    if (rc == MH_OK && mh_content_column_get(c, req->pool, id, col) == MH_OK)
        return send_json(resp, create ? 201 : 200, column_doc(col));
    mh_admin_api_error(resp, rc == MH_NOSPACE ? 507 : 422,
                       rc == MH_NOSPACE ? "no_space" : "invalid",
                       rc == MH_NOSPACE ? NULL : "the column was refused (slug taken?)");
    return MH_OK;
}

static int h_column_create(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    json_t *doc = body_json(req, resp);
    if (!doc)
        return MH_OK;
    mh_column_t col = {.name = "",
                       .slug = "",
                       .summary = "",
                       .body_html = "",
                       .link_url = "",
                       .seo_title = "",
                       .seo_keywords = "",
                       .seo_description = "",
                       .nav = MH_NAV_HEADER,
                       .sort_mode = MH_SORT_NEWEST,
                       .page_size = 20,
                       .visible = true};
    mh_column_t parent;
    if (!get_int(doc, "lang_id", &col.lang_id) || !get_int(doc, "parent_id", &col.parent_id)) {
        mh_admin_api_error(resp, 400, "bad_field", "lang_id and parent_id are numbers");
    } else if (column_from_json(req, resp, doc, &col) != MH_OK) {
        /* answered */
    } else if (col.parent_id &&
               (mh_content_column_get(c, req->pool, col.parent_id, &parent) != MH_OK ||
                (col.lang_id && parent.lang_id != col.lang_id))) {
        mh_admin_api_error(resp, 422, "invalid", "parent_id names no column of that language");
    } else {
        if (col.parent_id)
            col.lang_id = parent.lang_id;
        if (!col.lang_id || !mh_admin_may_column(a, u, col.parent_id, col.lang_id)) {
            mh_admin_api_error(resp, col.lang_id ? 403 : 400,
                               col.lang_id ? "forbidden" : "bad_field",
                               col.lang_id ? NULL : "lang_id or parent_id is required");
        } else {
            json_decref(doc);
            return store_column(a, req, resp, &col);
        }
    }
    json_decref(doc);
    return MH_OK;
}

static int h_column_update(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_column_t col;
    int64_t id = mh_req_param_id(req, "id");
    if (id <= 0 || mh_content_column_get(c, req->pool, id, &col) != MH_OK) {
        mh_admin_api_error(resp, 404, "not_found", NULL);
        return MH_OK;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), col.id, col.lang_id)) {
        mh_admin_api_error(resp, 403, "forbidden", NULL);
        return MH_OK;
    }
    json_t *doc = body_json(req, resp);
    if (!doc)
        return MH_OK;
    int rc =
        column_from_json(req, resp, doc, &col) == MH_OK ? store_column(a, req, resp, &col) : MH_OK;
    json_decref(doc);
    return rc;
}

static int h_column_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_column_t col;
    int64_t id = mh_req_param_id(req, "id"), count = 0;
    if (id <= 0 || mh_content_column_get(c, req->pool, id, &col) != MH_OK) {
        mh_admin_api_error(resp, 404, "not_found", NULL);
        return MH_OK;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), col.id, col.lang_id)) {
        mh_admin_api_error(resp, 403, "forbidden", NULL);
        return MH_OK;
    }
    if (mh_editorial_column_count(c, id, &count) != MH_OK || count > 0) {
        mh_admin_api_error(resp, 409, "failed",
                           "the column still holds entries or sub-columns: move them first");
        return MH_OK;
    }
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_column_delete(c, id, 0);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "column.delete", ed_obj(req->pool, "column", id), col.name);
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        mh_admin_api_error(resp, 409, "failed", NULL);
        return MH_OK;
    }
    return send_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* POST /api/v1/media: multipart/form-data with one "file" part. */
static int h_media_upload(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    const mh_form_field_t *f = mh_form_file(&req->form, "file");
    if (!f) {
        mh_admin_api_error(resp, 400, "bad_field", "send the file as the multipart part 'file'");
        return MH_OK;
    }
    mh_media_item_t m;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_content_media_add(c, req->pool, mh_admin_media_dir(a), f->data.base, f->data.len,
                                  mh_str_c(f->filename ? f->filename : ""), mh_admin_user(req)->id,
                                  &m);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "media.upload", ed_obj(req->pool, "media", m.id), "api");
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        mh_admin_api_error(resp,
                           rc == MH_TOOBIG    ? 413
                           : rc == MH_NOSPACE ? 507
                                              : 422,
                           rc == MH_NOSPACE ? "no_space" : "invalid",
                           rc == MH_TOOBIG    ? "the file is too large"
                           : rc == MH_NOSPACE ? NULL
                                              : "the file was refused (type not allowed?)");
        return MH_OK;
    }
    return send_json(resp, 201,
                     json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)m.id, "url",
                               mh_psprintf(req->pool, "/media/%s", m.stored_name), "mime",
                               m.mime ? m.mime : "", "size", (json_int_t)m.size));
}

static void add(mh_admin_t *a, mh_routes_t *t, unsigned methods, const char *pattern,
                const char *perm, mh_handler_fn fn)
{
    const mh_route_t r = {
        .methods = methods,
        .pattern = pattern,
        .auth = MH_AUTH_SESSION,
        .permission = perm,
        .csrf = !(methods & MH_M_GET),
        .handler = fn,
        .data = a,
        .max_body = API_JSON_MAX,
        .flags = MH_ROUTE_TOKEN,
    };
    mh_routes_add(t, &r);
}

void mh_admin_api_routes(mh_admin_t *a, mh_routes_t *t)
{
    const char *E = MH_PERM_ENTRIES, *C = MH_PERM_COLUMNS;
    add(a, t, MH_M_GET, "/api/v1/me", MH_PERM_LOGIN, h_me);
    add(a, t, MH_M_POST, "/api/v1/entries", E, h_entry_create);
    add(a, t, MH_M_PATCH, "/api/v1/entries/:id", E, h_entry_update);
    add(a, t, MH_M_DELETE, "/api/v1/entries/:id", E, h_entry_delete);
    add(a, t, MH_M_POST, "/api/v1/entries/:id/publish", E, h_entry_publish);
    add(a, t, MH_M_POST, "/api/v1/columns", C, h_column_create);
    add(a, t, MH_M_PATCH, "/api/v1/columns/:id", C, h_column_update);
    add(a, t, MH_M_DELETE, "/api/v1/columns/:id", C, h_column_delete);
    add(a, t, MH_M_POST, "/api/v1/media", MH_PERM_MEDIA, h_media_upload);
}
