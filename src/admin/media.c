/* The media feature: uploads and the media library. (The public /media/
 * route that serves stored files is the site module's, src/site/module.c:
 * the site serves its media without the admin.)
 *
 * Who may do what (routes declare MH_PERM_MEDIA; the role table in admin.c
 * decides who holds it — contributors included, so they can illustrate
 * their drafts):
 *   - every holder may upload, browse the library and reuse any file;
 *   - a file may be deleted by its uploader or by an editor or admin, and
 *     only while nothing refers to it (entry cover, body or summary, column
 *     body or link, a setting; the recycle bin counts);
 *   - an admin may delete a file that is still in use ("delete anyway"): the
 *     audit log then records a warning naming every place that referred to
 *     it.
 *
 * State: none of its own; handlers reach the admin handle through their
 * route's data pointer. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../content/media.h"
#include "../core/log.h"
#include "../http/url.h"
#include "../media/media.h"
#include "admin.h"
#include "../site/theme.h"

#define UPLOAD_MAX (20u << 20)                     /* bytes of one file */
#define UPLOAD_BODY_MAX (UPLOAD_MAX + (64u << 10)) /* plus the multipart framing */
#define PAGE_SIZE 24

/* ---- helpers ---- */

static const char *query_get(mh_req_t *req, const char *key)
{
    mh_query_param_t params[16];
    size_t n = mh_url_parse_query(req->pool, req->query, params, MH_ARRAY_LEN(params));
    mh_str_t v = mh_url_query_get(params, n, key);
    return v.base ? mh_pstrndup(req->pool, v.base, v.len) : NULL;
}

static int64_t parse_id(mh_str_t s)
{
    unsigned long long v;
    if (s.len == 0 || s.len > 18 || s.base[0] == '0' || !mh_str_to_u64(s, INT64_MAX, &v))
        return 0;
    return (int64_t)v;
}

static const char *human_size(mh_pool_t *p, int64_t n)
{
    if (n < 1024)
        return mh_psprintf(p, "%lld B", (long long)n);
    if (n < 1024 * 1024)
        return mh_psprintf(p, "%.1f KB", (double)n / 1024);
    return mh_psprintf(p, "%.1f MB", (double)n / (1024 * 1024));
}

static bool wants_json(mh_req_t *req)
{
    mh_str_t acc = mh_req_header(req, "Accept");
    return acc.base && memmem(acc.base, acc.len, "application/json", 16) != NULL;
}

static void send_json(mh_req_t *req, mh_resp_t *resp, int status, json_t *obj)
{
    char *s = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    mh_buf_reset(&resp->body);
    if (s)
        mh_buf_append_c(&resp->body, s);
    free(s);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    resp->cache_control = "no-store";
}

static bool may_delete(const mh_admin_user_t *u, const mh_media_item_t *m)
{
    return u && (u->role >= MH_ROLE_EDITOR || (m->user_id != 0 && m->user_id == u->id));
}

/* The template values of one file. */
static mh_val_t *item_val(mh_admin_t *a, mh_pool_t *p, const mh_media_item_t *m, const char *tz)
{
    mh_val_t *v = mh_val_map(p);
    bool image = mh_content_media_is_image(m);
    const char *url = mh_content_media_url(p, m->stored_name);
    mh_val_map_int(p, v, "id", m->id);
    mh_val_map_cstr(p, v, "name", m->original_name);
    mh_val_map_cstr(p, v, "stored_name", m->stored_name);
    mh_val_map_cstr(p, v, "url", url);
    mh_val_map_cstr(p, v, "href",
                    mh_psprintf(p, "%s/media/%lld", mh_admin_base(a), (long long)m->id));
    mh_val_map_cstr(p, v, "mime", m->mime);
    mh_val_map_bool(p, v, "is_image", image);
    mh_val_map_cstr(p, v, "size", human_size(p, m->size));
    mh_val_map_int(p, v, "bytes", m->size);
    mh_val_map_cstr(p, v, "user_name", m->user_name);
    mh_val_map_cstr(p, v, "created",
                    mh_format_time(p, m->created_at, "%Y-%m-%d %H:%M", tz ? tz : "+08:00"));
    const char *ext = strrchr(m->stored_name, '.');
    mh_val_map_cstr(p, v, "ext", ext ? ext + 1 : "");
    if (image) {
        int w[MH_MEDIA_ITEM_MAX_VARIANTS];
        size_t nw = mh_content_media_widths(m, w, MH_MEDIA_ITEM_MAX_VARIANTS);
        const char *srcset = mh_media_srcset(p, MH_MEDIA_URL_PREFIX, m->stored_name, w, nw);
        const char *thumb = nw ? mh_media_variant_name(p, m->stored_name, w[0]) : NULL;
        mh_val_map_cstr(p, v, "thumb", thumb ? mh_content_media_url(p, thumb) : url);
        mh_val_map_cstr(p, v, "srcset", srcset ? srcset : "");
        mh_val_map_int(p, v, "width", m->width);
        mh_val_map_int(p, v, "height", m->height);
        mh_val_t *vl = mh_val_list(p);
        for (size_t i = 0; i < nw; i++) {
            mh_val_t *e = mh_val_map(p);
            mh_val_map_int(p, e, "width", w[i]);
            mh_val_map_cstr(
                p, e, "url",
                mh_content_media_url(p, mh_media_variant_name(p, m->stored_name, w[i])));
            mh_val_list_push(p, vl, e);
        }
        mh_val_map_set(p, v, "variants", vl);
    }
    return v;
}

static json_t *item_json(mh_pool_t *p, const mh_media_item_t *m)
{
    int w[MH_MEDIA_ITEM_MAX_VARIANTS];
    size_t nw = mh_content_media_widths(m, w, MH_MEDIA_ITEM_MAX_VARIANTS);
    const char *srcset = mh_content_media_is_image(m)
                             ? mh_media_srcset(p, MH_MEDIA_URL_PREFIX, m->stored_name, w, nw)
                             : "";
    const char *url = mh_content_media_url(p, m->stored_name);
    const char *thumb =
        nw && mh_content_media_is_image(m)
            ? mh_content_media_url(p, mh_media_variant_name(p, m->stored_name, w[0]))
            : url;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:b}", "id", (json_int_t)m->id,
                     "url", url, "thumb", thumb, "srcset", srcset ? srcset : "", "name",
                     m->original_name, "mime", m->mime, "size", (json_int_t)m->size, "width",
                     m->width, "height", m->height, "image", mh_content_media_is_image(m));
}

/* ---- the library page ---- */

/* Render the library (query from the URL) with status and, when error_key
 * is set, an error flag for the upload form. */
static int library(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const char *q = query_get(req, "q");
    const char *kind = query_get(req, "kind");
    const char *page_s = query_get(req, "page");
    unsigned long long page = 1;
    if (!page_s || !mh_str_to_u64(mh_str_c(page_s), 100000, &page) || page == 0)
        page = 1;
    mh_media_query_t mq = {
        .search = q, .offset = (int64_t)(page - 1) * PAGE_SIZE, .limit = PAGE_SIZE};
    if (kind && strcmp(kind, "image") == 0)
        mq.kind = MH_MEDIA_KIND_IMAGE;
    else if (kind && strcmp(kind, "document") == 0)
        mq.kind = MH_MEDIA_KIND_DOCUMENT;
    mh_media_item_t *items;
    size_t n;
    int64_t total;
    if (mh_content_media_list(c, p, &mq, &items, &n, &total) != MH_OK)
        return MH_ERR;

    int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
    if (status == 200 && wants_json(req)) {
        /* for the editor's image dialog */
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, item_json(p, &items[i]));
        send_json(req, resp, 200,
                  json_pack("{s:o, s:I, s:I, s:I}", "items", arr, "total", (json_int_t)total,
                            "page", (json_int_t)page, "pages", (json_int_t)pages));
        return MH_OK;
    }
    const char *tz = mh_content_setting(c, p, 0, "timezone");
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++)
        mh_val_list_push(p, list, item_val(a, p, &items[i], tz));
    mh_val_map_set(p, ctx, "items", list);
    mh_val_map_bool(p, ctx, "has_items", n > 0);
    mh_val_map_int(p, ctx, "total", total);
    mh_val_map_cstr(p, ctx, "q", q ? q : "");
    mh_val_map_bool(p, ctx, "kind_any", mq.kind == MH_MEDIA_KIND_ANY);
    mh_val_map_bool(p, ctx, "kind_image", mq.kind == MH_MEDIA_KIND_IMAGE);
    mh_val_map_bool(p, ctx, "kind_document", mq.kind == MH_MEDIA_KIND_DOCUMENT);
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/media", mh_admin_base(a)));
    mh_val_map_int(p, ctx, "max_mb", UPLOAD_MAX >> 20);

    const char *qs = mh_psprintf(p, "%s/media?q=%s&kind=%s&page=", mh_admin_base(a),
                                 mh_url_encode(p, mh_str_c(q ? q : "")),
                                 mq.kind == MH_MEDIA_KIND_IMAGE      ? "image"
                                 : mq.kind == MH_MEDIA_KIND_DOCUMENT ? "document"
                                                                     : "");
    mh_val_t *pg = mh_val_map(p);
    mh_val_map_int(p, pg, "page", (int64_t)page);
    mh_val_map_int(p, pg, "pages", pages);
    mh_val_map_bool(p, pg, "has_pages", pages > 1);
    if ((int64_t)page > 1)
        mh_val_map_cstr(p, pg, "prev_url", mh_psprintf(p, "%s%llu", qs, page - 1));
    if ((int64_t)page < pages)
        mh_val_map_cstr(p, pg, "next_url", mh_psprintf(p, "%s%llu", qs, page + 1));
    mh_val_map_set(p, ctx, "pagination", pg);
    if (error_key) {
        mh_val_map_bool(p, ctx, "upload_failed", true);
        mh_val_map_bool(p, ctx, mh_psprintf(p, "err_%s", error_key), true);
    }
    return mh_admin_render(a, req, resp, status, "media_library",
                           mh_admin_text(a, req, "nav.media", "nav.media"), ctx);
}

static int h_library(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return library(data, req, resp, 200, NULL);
}

/* ---- upload ---- */

static void upload_failed(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int rc,
                          const char *filename)
{
    int status = 422;
    const char *key = "invalid";
    if (rc == MH_NOSPACE) {
        /* nothing was stored; an audit line would not fit either */
        if (wants_json(req))
            send_json(req, resp, 507,
                      json_pack("{s:s, s:s}", "error", "nospace", "message",
                                mh_admin_text(a, req, "err.nospace", "err.nospace")));
        else
            mh_admin_nospace(a, req, resp, rc);
        return;
    }
    switch (rc) {
    case MH_TOOBIG:
        status = 413, key = "too_big";
        break;
    case MH_MEDIA_ETYPE:
        status = 415, key = "type";
        break;
    case MH_MEDIA_ESVG:
        status = 415, key = "svg";
        break;
    case MH_MEDIA_EPOLYGLOT:
        status = 415, key = "polyglot";
        break;
    case MH_MEDIA_EEMPTY:
        key = "empty";
        break;
    case MH_MEDIA_EDECODE:
        key = "decode";
        break;
    case MH_MEDIA_EPIXELS:
        key = "pixels";
        break;
    case MH_DECLINED:
        key = "no_file";
        break;
    default:
        status = 500, key = "internal";
        break;
    }
    if (rc != MH_DECLINED)
        mh_admin_audit(
            a, req, "media.reject", "",
            mh_psprintf(req->pool, "%s: %s", mh_media_strerror(rc), filename ? filename : ""));
    if (wants_json(req)) {
        const char *msg =
            rc == MH_DECLINED ? "no file in the form field \"file\"" : mh_media_strerror(rc);
        send_json(req, resp, status, json_pack("{s:s, s:s}", "error", key, "message", msg));
        return;
    }
    if (library(a, req, resp, status, key) != MH_OK && !resp->status)
        mh_resp_error(req, resp, status);
}

static int h_upload(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const mh_form_field_t *file = mh_form_file(&req->form, "file");
    if (!file || !file->filename) {
        upload_failed(a, req, resp, MH_DECLINED, NULL);
        return MH_OK;
    }
    mh_media_item_t m;
    int rc = mh_content_media_add(mh_admin_content(a), p, mh_admin_media_dir(a), file->data.base,
                                  file->data.len, mh_str_c(file->filename), u ? u->id : 0, &m);
    if (rc != MH_OK) {
        upload_failed(a, req, resp, rc, file->filename);
        return MH_OK;
    }
    mh_admin_audit(a, req, "media.upload", mh_psprintf(p, "media:%lld", (long long)m.id),
                   mh_psprintf(p, "%s %s %lld bytes, uploaded as \"%s\"", m.stored_name, m.mime,
                               (long long)m.size, m.original_name));
    if (wants_json(req)) {
        send_json(req, resp, 201, item_json(p, &m));
        return MH_OK;
    }
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/media/%lld", (long long)m.id),
                      "media_uploaded");
    return MH_OK;
}

/* ---- one file: details, uses, delete ---- */

static mh_val_t *uses_val(mh_admin_t *a, mh_pool_t *p, const mh_media_use_t *uses, size_t n)
{
    mh_val_t *l = mh_val_list(p);
    const char *base = mh_admin_base(a);
    for (size_t i = 0; i < n; i++) {
        const mh_media_use_t *x = &uses[i];
        mh_val_t *v = mh_val_map(p);
        bool entry = strcmp(x->kind, "entry") == 0, column = strcmp(x->kind, "column") == 0;
        bool banner = strcmp(x->kind, "banner") == 0, link = strcmp(x->kind, "link") == 0;
        mh_val_map_bool(p, v, "is_entry", entry);
        mh_val_map_bool(p, v, "is_column", column);
        mh_val_map_bool(p, v, "is_banner", banner);
        mh_val_map_bool(p, v, "is_link", link);
        mh_val_map_bool(p, v, "is_setting", !entry && !column && !banner && !link);
        mh_val_map_bool(p, v, "field_field", strcmp(x->field, "field") == 0);
        mh_val_map_bool(p, v, "field_image", strcmp(x->field, "image") == 0);
        mh_val_map_bool(p, v, "field_logo", strcmp(x->field, "logo") == 0);
        mh_val_map_int(p, v, "id", x->id);
        mh_val_map_cstr(p, v, "title", x->title);
        mh_val_map_cstr(p, v, "field", x->field);
        mh_val_map_bool(p, v, "field_cover", strcmp(x->field, "cover") == 0);
        mh_val_map_bool(p, v, "field_body", strcmp(x->field, "body") == 0);
        mh_val_map_bool(p, v, "field_summary", strcmp(x->field, "summary") == 0);
        mh_val_map_bool(p, v, "field_link", strcmp(x->field, "link") == 0);
        mh_val_map_bool(p, v, "field_images", strcmp(x->field, "images") == 0);
        mh_val_map_bool(p, v, "in_trash", x->in_trash);
        const char *href = entry    ? mh_psprintf(p, "%s/entries/%lld", base, (long long)x->id)
                           : column ? mh_psprintf(p, "%s/columns/%lld", base, (long long)x->id)
                           : banner ? mh_psprintf(p, "%s/banners/edit/%lld", base, (long long)x->id)
                           : link   ? mh_psprintf(p, "%s/links/edit/%lld", base, (long long)x->id)
                                    : mh_psprintf(p, "%s/settings", base);
        mh_val_map_cstr(p, v, "href", href);
        mh_val_list_push(p, l, v);
    }
    return l;
}

static const char *uses_text(mh_pool_t *p, const mh_media_use_t *uses, size_t n)
{
    const char *s = "";
    for (size_t i = 0; i < n; i++)
        s = mh_psprintf(p, "%s%s%s:%lld %s (\"%s\")%s", s, i ? ", " : "", uses[i].kind,
                        (long long)uses[i].id, uses[i].field, uses[i].title,
                        uses[i].in_trash ? " in the recycle bin" : "");
    return s;
}

static int detail(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                  const mh_media_item_t *m, bool refused)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_media_use_t *uses;
    size_t n;
    if (mh_content_media_uses(c, p, m, &uses, &n) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_map_set(p, ctx, "item", item_val(a, p, m, mh_content_setting(c, p, 0, "timezone")));
    mh_val_map_set(p, ctx, "uses", uses_val(a, p, uses, n));
    mh_val_map_bool(p, ctx, "in_use", n > 0);
    mh_val_map_int(p, ctx, "use_count", (int64_t)n);
    mh_val_map_bool(p, ctx, "refused", refused);
    bool can = may_delete(u, m);
    mh_val_map_bool(p, ctx, "can_delete", can && n == 0);
    mh_val_map_bool(p, ctx, "can_force", n > 0 && u && u->role == MH_ROLE_ADMIN);
    mh_val_map_bool(p, ctx, "not_owner", !can);
    mh_val_map_cstr(p, ctx, "delete_url",
                    mh_psprintf(p, "%s/media/%lld/delete", mh_admin_base(a), (long long)m->id));
    mh_val_map_cstr(p, ctx, "library_url", mh_psprintf(p, "%s/media", mh_admin_base(a)));
    return mh_admin_render(a, req, resp, status, "media_detail", m->original_name, ctx);
}

/* The :id of /media/:id and /media/:id/delete (no leading zero); 0 when
 * it is not one. */
static int64_t item_id(mh_req_t *req)
{
    mh_str_t v = mh_req_param(req, "id");
    return v.base ? parse_id(v) : 0;
}

static int h_item(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    int64_t id = item_id(req);
    mh_media_item_t m;
    int rc = id ? mh_content_media_get(mh_admin_content(a), req->pool, id, &m) : MH_DECLINED;
    if (rc == MH_DECLINED) {
        mh_admin_error(a, req, resp, 404, "media_not_found");
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    return detail(a, req, resp, 200, &m, false);
}

static int h_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = item_id(req);
    mh_media_item_t m;
    int rc = id ? mh_content_media_get(c, p, id, &m) : MH_DECLINED;
    if (rc == MH_DECLINED) {
        mh_admin_error(a, req, resp, 404, "media_not_found");
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    if (!may_delete(u, &m)) {
        mh_admin_error(a, req, resp, 403, "media_not_yours");
        return MH_OK;
    }
    mh_media_use_t *uses;
    size_t n;
    if (mh_content_media_uses(c, p, &m, &uses, &n) != MH_OK)
        return MH_ERR;
    mh_str_t force = mh_form_get(&req->form, "force");
    bool forced = force.base && mh_str_eq_c(force, "1");
    if (n > 0 && !(forced && u->role == MH_ROLE_ADMIN))
        return detail(a, req, resp, 409, &m, true);

    rc = mh_content_media_delete(c, mh_admin_media_dir(a), &m);
    if (rc == MH_DECLINED) {
        mh_admin_error(a, req, resp, 404, "media_not_found");
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    const char *object = mh_psprintf(p, "media:%lld", (long long)m.id);
    if (n > 0) {
        mh_warn("media: %s deleted while in use by %s", m.stored_name, uses_text(p, uses, n));
        mh_admin_audit(
            a, req, "media.delete_in_use", object,
            mh_psprintf(p, "WARNING: %s (\"%s\") deleted while in use; broken references: %s",
                        m.stored_name, m.original_name, uses_text(p, uses, n)));
    } else {
        mh_admin_audit(a, req, "media.delete", object,
                       mh_psprintf(p, "%s (\"%s\")", m.stored_name, m.original_name));
    }
    mh_admin_redirect(a, req, resp, "/media", n > 0 ? "media_deleted_in_use" : "media_deleted");
    return MH_OK;
}

/* ---- set-up ---- */

static void add(mh_admin_t *a, mh_routes_t *t, unsigned methods, const char *path, bool csrf,
                mh_handler_fn fn, size_t max_body)
{
    const mh_route_t r = {
        .methods = methods,
        .pattern = mh_admin_pattern(a, path),
        .auth = MH_AUTH_SESSION,
        .permission = MH_PERM_MEDIA,
        .csrf = csrf,
        .handler = fn,
        .data = a,
        .max_body = max_body,
    };
    mh_routes_add(t, &r);
}

void mh_admin_media_routes(mh_admin_t *a, mh_routes_t *t)
{
    add(a, t, MH_M_GET, "/media", false, h_library, 0);
    add(a, t, MH_M_POST, "/media", true, h_upload, UPLOAD_BODY_MAX);
    add(a, t, MH_M_GET, "/media/:id", false, h_item, 0);
    add(a, t, MH_M_POST, "/media/:id/delete", true, h_delete, 0);
    /* any other path below: no :id, so the handlers' own 404 */
    add(a, t, MH_M_GET, "/media/*", false, h_item, 0);
    add(a, t, MH_M_POST, "/media/*", true, h_delete, 0);
}

int mh_admin_media_open(mh_admin_t *a, char *err, size_t errlen)
{
    if (mh_media_init() != MH_OK) {
        snprintf(err, errlen, "cannot initialise the image library");
        return MH_ERR;
    }
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    cfg.max_bytes = UPLOAD_MAX;
    /* the public theme says which image widths its templates use */
    const mh_server_config_t *scfg = mh_server_config(mh_admin_server(a));
    char theme[4096];
    const char *tdir = scfg->theme_dir
                           ? scfg->theme_dir
                           : mh_server_default_theme(scfg->site_dir, theme, sizeof(theme));
    int widths[MH_MEDIA_MAX_WIDTHS];
    int nw = mh_theme_image_widths(tdir, widths, MH_MEDIA_MAX_WIDTHS, err, errlen);
    if (nw < 0)
        return MH_ERR;
    if (nw > 0) {
        memcpy(cfg.widths, widths, (size_t)nw * sizeof(*widths));
        cfg.nwidths = (size_t)nw;
    }
    mh_media_configure(&cfg);
    return MH_OK;
}
