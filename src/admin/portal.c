/* The banners and friendly links screens (editor and up: MH_PERM_COLUMNS,
 * since both are part of the site's structure): list, create, edit,
 * delete, move up/down. A user with grants manages only the banners of
 * the columns and languages granted (the home page's need a grant for any
 * column); links need a grant for their language.
 *
 * Every write and its audit line share one transaction; a refused form is
 * shown again with the values and the reason (422). Validation lives in
 * content/portal.c (URLs through mh_content_url_ok). */
#include <string.h>
#include <time.h>

#include "../content/portal.h"
#include "editorial_internal.h"

/* --- shared --- */

static int64_t id_param(mh_req_t *req)
{
    return mh_req_param_id(req, "id");
}

static const char *t_(mh_admin_t *a, mh_req_t *req, const char *key)
{
    return ed_t(a, req, key);
}

static bool may_banner(mh_admin_t *a, mh_req_t *req, const mh_banner_t *b)
{
    return mh_admin_may_column(a, mh_admin_user(req), b->column_id, b->lang_id);
}

static bool may_link(mh_admin_t *a, mh_req_t *req, const mh_friend_link_t *l)
{
    return mh_admin_may_column(a, mh_admin_user(req), 0, l->lang_id);
}

static const char *lang_name(const mh_language_t *ls, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ls[i].id == id)
            return ls[i].name;
    return "";
}

/* A Unix time from a datetime-local field in the language's zone; "" is
 * 0. false when the text is no time. */
static bool time_field(mh_admin_t *a, mh_req_t *req, const char *name, int64_t lang_id,
                       int64_t *out)
{
    const char *s = ed_form(req, name);
    *out = 0;
    if (!*s)
        return true;
    return mh_parse_time(s, ed_tz(a, req->pool, lang_id), out) == MH_OK && *out > 0;
}

/* Finish a write: commit with the audit line, or roll back. */
static int audited(mh_admin_t *a, mh_req_t *req, int rc, const char *action, const char *obj,
                   const char *detail)
{
    if (rc == MH_OK)
        rc = mh_admin_audit(a, req, action, obj, detail);
    return mh_content_tx_end(mh_admin_content(a), rc);
}

/* --- banners --- */

static const char *banner_state(mh_admin_t *a, mh_req_t *req, const mh_banner_t *b, int64_t now)
{
    if (b->show_from > now)
        return t_(a, req, "portal.state_scheduled");
    if (b->show_until && b->show_until <= now)
        return t_(a, req, "portal.state_expired");
    return t_(a, req, "portal.state_shown");
}

static int banners_list(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_banner_t *bs = NULL;
    mh_language_t *ls = NULL;
    size_t n = 0, nl = 0;
    int64_t now = (int64_t)time(NULL);
    if (mh_portal_banners(c, p, 0, -1, &bs, &n) != MH_OK ||
        mh_content_languages(c, p, &ls, &nl) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    const char *base = mh_admin_base(a);
    for (size_t i = 0; i < n; i++) {
        const mh_banner_t *b = &bs[i];
        if (!may_banner(a, req, b))
            continue;
        mh_val_t *m = mh_val_map(p);
        const char *tz = ed_tz(a, p, b->lang_id);
        const char *place = t_(a, req, "portal.home");
        mh_column_t col;
        if (b->column_id && mh_content_column_get(c, p, b->column_id, &col) == MH_OK)
            place = col.name;
        mh_val_map_int(p, m, "id", b->id);
        mh_val_map_cstr(p, m, "title", *b->title ? b->title : b->alt);
        mh_val_map_cstr(p, m, "image", b->image);
        mh_val_map_cstr(p, m, "lang", lang_name(ls, nl, b->lang_id));
        mh_val_map_cstr(p, m, "place", place);
        mh_val_map_int(p, m, "position", b->position);
        mh_val_map_cstr(p, m, "from", b->show_from ? ed_time_show(p, b->show_from, tz) : "");
        mh_val_map_cstr(p, m, "until", b->show_until ? ed_time_show(p, b->show_until, tz) : "");
        mh_val_map_cstr(p, m, "state", banner_state(a, req, b, now));
        mh_val_map_cstr(p, m, "edit_url",
                        mh_psprintf(p, "%s/banners/edit/%lld", base, (long long)b->id));
        mh_val_map_cstr(p, m, "up_url",
                        mh_psprintf(p, "%s/banners/up/%lld", base, (long long)b->id));
        mh_val_map_cstr(p, m, "down_url",
                        mh_psprintf(p, "%s/banners/down/%lld", base, (long long)b->id));
        mh_val_map_cstr(p, m, "delete_url",
                        mh_psprintf(p, "%s/banners/delete/%lld", base, (long long)b->id));
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "banners", list);
    mh_val_map_bool(p, ctx, "has_banners", list->u.list.n > 0);
    mh_val_map_cstr(p, ctx, "new_url", mh_psprintf(p, "%s/banners/new", base));
    return mh_admin_render(a, req, resp, 200, "portal_banners", t_(a, req, "portal.banners"), ctx);
}

static int banner_form(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const mh_banner_t *b, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p), *m = mh_val_map(p);
    const char *tz = ed_tz(a, p, b->lang_id);
    const char *base = mh_admin_base(a);
    mh_val_map_int(p, m, "id", b->id);
    mh_val_map_cstr(p, m, "title", b->title);
    mh_val_map_cstr(p, m, "alt", b->alt);
    mh_val_map_cstr(p, m, "image", b->image);
    mh_val_map_cstr(p, m, "image_mobile", b->image_mobile);
    mh_val_map_cstr(p, m, "link", b->link);
    mh_val_map_cstr(p, m, "show_from", b->show_from ? ed_time_input(p, b->show_from, tz) : "");
    mh_val_map_cstr(p, m, "show_until", b->show_until ? ed_time_input(p, b->show_until, tz) : "");
    mh_val_map_bool(p, m, "home", b->column_id == 0);
    mh_val_map_set(p, ctx, "banner", m);
    mh_val_map_set(p, ctx, "langs", ed_lang_options(a, p, b->lang_id));
    mh_val_map_set(p, ctx, "columns", ed_column_options(a, req, 0, b->column_id, 0, false));
    mh_val_map_bool(p, ctx, "is_new", b->id == 0);
    mh_val_map_cstr(p, ctx, "action",
                    b->id ? mh_psprintf(p, "%s/banners/edit/%lld", base, (long long)b->id)
                          : mh_psprintf(p, "%s/banners/new", base));
    mh_val_map_cstr(p, ctx, "back_url", mh_psprintf(p, "%s/banners", base));
    if (error_key)
        mh_val_map_cstr(p, ctx, "error", t_(a, req, error_key));
    return mh_admin_render(a, req, resp, status, "portal_banner_form",
                           t_(a, req, b->id ? "portal.banner_edit" : "portal.banner_new"), ctx);
}

/* Overlay the form on b; a message key when a time is unreadable. */
static const char *banner_from_form(mh_admin_t *a, mh_req_t *req, mh_banner_t *b)
{
    b->lang_id = ed_form_int(req, "lang_id");
    b->column_id = ed_form_int(req, "column_id");
    b->title = ed_form(req, "title");
    b->alt = ed_form(req, "alt");
    b->image = ed_form(req, "image");
    b->image_mobile = ed_form(req, "image_mobile");
    b->link = ed_form(req, "link");
    if (!time_field(a, req, "show_from", b->lang_id, &b->show_from) ||
        !time_field(a, req, "show_until", b->lang_id, &b->show_until))
        return "portal.error.schedule";
    return NULL;
}

static int banner_save(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_banner_t *b)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const char *msg = banner_from_form(a, req, b);
    if (msg)
        return banner_form(a, req, resp, 422, b, msg);
    int64_t id = b->id;
    int rc = mh_portal_banner_check(c, p, b, &msg);
    if (rc == MH_OK && !may_banner(a, req, b)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK) {
        rc = b->id ? mh_portal_banner_update(c, b, &msg) : mh_portal_banner_create(c, b, &id, &msg);
        rc = audited(a, req, rc, b->id ? "banner.update" : "banner.create", ed_obj(p, "banner", id),
                     mh_psprintf(p, "lang=%lld column=%lld", (long long)b->lang_id,
                                 (long long)b->column_id));
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return banner_form(a, req, resp, 422, b, msg ? msg : "portal.error.invalid");
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/banners", "banner_saved");
    return MH_OK;
}

static int h_banners(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return banners_list(data, req, resp);
}

static int h_banner_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_banner_t b = {
        .position = -1, .title = "", .alt = "", .image = "", .image_mobile = "", .link = ""};
    if (req->method == MH_M_POST)
        return banner_save(a, req, resp, &b);
    mh_language_t *ls = NULL;
    size_t nl = 0;
    if (mh_content_languages(mh_admin_content(a), req->pool, &ls, &nl) == MH_OK && nl)
        b.lang_id = ls[0].id;
    return banner_form(a, req, resp, 200, &b, NULL);
}

/* The banner of :id the user may manage, or NULL after a 404/403 page. */
static bool banner_param(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_banner_t *b)
{
    if (mh_portal_banner_get(mh_admin_content(a), req->pool, id_param(req), b) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    if (!may_banner(a, req, b)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return false;
    }
    return true;
}

static int h_banner_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_banner_t b;
    if (!banner_param(a, req, resp, &b))
        return MH_OK;
    if (req->method == MH_M_POST)
        return banner_save(a, req, resp, &b);
    return banner_form(a, req, resp, 200, &b, NULL);
}

static int h_banner_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_banner_t b;
    if (!banner_param(a, req, resp, &b))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = audited(a, req, mh_portal_banner_delete(c, b.id), "banner.delete",
                     ed_obj(req->pool, "banner", b.id), b.title);
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/banners", "banner_deleted");
    return MH_OK;
}

static int banner_move(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, int dir)
{
    mh_content_t *c = mh_admin_content(a);
    mh_banner_t b;
    if (!banner_param(a, req, resp, &b))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        int mv = mh_portal_banner_move(c, b.id, dir);
        rc = audited(a, req, mv == MH_DECLINED ? MH_OK : mv, "banner.move",
                     ed_obj(req->pool, "banner", b.id), dir < 0 ? "up" : "down");
    }
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/banners", "banner_moved");
    return MH_OK;
}

static int h_banner_up(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return banner_move(req, resp, data, -1);
}

static int h_banner_down(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return banner_move(req, resp, data, 1);
}

/* --- friendly links --- */

static int links_list(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_friend_link_t *ls = NULL;
    mh_language_t *langs = NULL;
    size_t n = 0, nl = 0;
    if (mh_portal_links(c, p, 0, &ls, &n) != MH_OK ||
        mh_content_languages(c, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    const char *base = mh_admin_base(a);
    for (size_t i = 0; i < n; i++) {
        const mh_friend_link_t *l = &ls[i];
        if (!may_link(a, req, l))
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", l->id);
        mh_val_map_cstr(p, m, "title", l->title);
        mh_val_map_cstr(p, m, "url", l->url);
        mh_val_map_cstr(p, m, "logo", l->logo);
        mh_val_map_bool(p, m, "nofollow", l->nofollow);
        mh_val_map_cstr(p, m, "lang", lang_name(langs, nl, l->lang_id));
        mh_val_map_int(p, m, "position", l->position);
        mh_val_map_cstr(p, m, "edit_url",
                        mh_psprintf(p, "%s/links/edit/%lld", base, (long long)l->id));
        mh_val_map_cstr(p, m, "up_url", mh_psprintf(p, "%s/links/up/%lld", base, (long long)l->id));
        mh_val_map_cstr(p, m, "down_url",
                        mh_psprintf(p, "%s/links/down/%lld", base, (long long)l->id));
        mh_val_map_cstr(p, m, "delete_url",
                        mh_psprintf(p, "%s/links/delete/%lld", base, (long long)l->id));
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "links", list);
    mh_val_map_bool(p, ctx, "has_links", list->u.list.n > 0);
    mh_val_map_cstr(p, ctx, "new_url", mh_psprintf(p, "%s/links/new", base));
    return mh_admin_render(a, req, resp, 200, "portal_links", t_(a, req, "portal.links"), ctx);
}

static int link_form(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                     const mh_friend_link_t *l, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p), *m = mh_val_map(p);
    const char *base = mh_admin_base(a);
    mh_val_map_int(p, m, "id", l->id);
    mh_val_map_cstr(p, m, "title", l->title);
    mh_val_map_cstr(p, m, "url", l->url);
    mh_val_map_cstr(p, m, "logo", l->logo);
    mh_val_map_bool(p, m, "nofollow", l->nofollow);
    mh_val_map_set(p, ctx, "link", m);
    mh_val_map_set(p, ctx, "langs", ed_lang_options(a, p, l->lang_id));
    mh_val_map_bool(p, ctx, "is_new", l->id == 0);
    mh_val_map_cstr(p, ctx, "action",
                    l->id ? mh_psprintf(p, "%s/links/edit/%lld", base, (long long)l->id)
                          : mh_psprintf(p, "%s/links/new", base));
    mh_val_map_cstr(p, ctx, "back_url", mh_psprintf(p, "%s/links", base));
    if (error_key)
        mh_val_map_cstr(p, ctx, "error", t_(a, req, error_key));
    return mh_admin_render(a, req, resp, status, "portal_link_form",
                           t_(a, req, l->id ? "portal.link_edit" : "portal.link_new"), ctx);
}

static int link_save(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_friend_link_t *l)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const char *msg = NULL;
    l->lang_id = ed_form_int(req, "lang_id");
    l->title = ed_form(req, "title");
    l->url = ed_form(req, "url");
    l->logo = ed_form(req, "logo");
    l->nofollow = ed_form_bool(req, "nofollow");
    int64_t id = l->id;
    int rc = mh_portal_link_check(c, p, l, &msg);
    if (rc == MH_OK && !may_link(a, req, l)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK) {
        rc = l->id ? mh_portal_link_update(c, l, &msg) : mh_portal_link_create(c, l, &id, &msg);
        rc = audited(a, req, rc, l->id ? "link.update" : "link.create", ed_obj(p, "link", id),
                     l->url);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return link_form(a, req, resp, 422, l, msg ? msg : "portal.error.invalid");
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/links", "link_saved");
    return MH_OK;
}

static int h_links(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return links_list(data, req, resp);
}

static int h_link_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_friend_link_t l = {.position = -1, .title = "", .url = "", .logo = ""};
    if (req->method == MH_M_POST)
        return link_save(a, req, resp, &l);
    mh_language_t *ls = NULL;
    size_t nl = 0;
    if (mh_content_languages(mh_admin_content(a), req->pool, &ls, &nl) == MH_OK && nl)
        l.lang_id = ls[0].id;
    return link_form(a, req, resp, 200, &l, NULL);
}

static bool link_param(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_friend_link_t *l)
{
    if (mh_portal_link_get(mh_admin_content(a), req->pool, id_param(req), l) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    if (!may_link(a, req, l)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return false;
    }
    return true;
}

static int h_link_edit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_friend_link_t l;
    if (!link_param(a, req, resp, &l))
        return MH_OK;
    if (req->method == MH_M_POST)
        return link_save(a, req, resp, &l);
    return link_form(a, req, resp, 200, &l, NULL);
}

static int h_link_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_content_t *c = mh_admin_content(a);
    mh_friend_link_t l;
    if (!link_param(a, req, resp, &l))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = audited(a, req, mh_portal_link_delete(c, l.id), "link.delete",
                     ed_obj(req->pool, "link", l.id), l.url);
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/links", "link_deleted");
    return MH_OK;
}

static int link_move(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, int dir)
{
    mh_content_t *c = mh_admin_content(a);
    mh_friend_link_t l;
    if (!link_param(a, req, resp, &l))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        int mv = mh_portal_link_move(c, l.id, dir);
        rc = audited(a, req, mv == MH_DECLINED ? MH_OK : mv, "link.move",
                     ed_obj(req->pool, "link", l.id), dir < 0 ? "up" : "down");
    }
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/links", "link_moved");
    return MH_OK;
}

static int h_link_up(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return link_move(req, resp, data, -1);
}

static int h_link_down(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return link_move(req, resp, data, 1);
}

/* --- routes --- */

void mh_admin_portal_routes(mh_admin_t *a, mh_routes_t *t)
{
    static const struct {
        unsigned methods;
        const char *path;
        mh_handler_fn fn;
    } rows[] = {
        {MH_M_GET, "/banners", h_banners},
        {MH_M_GET | MH_M_POST, "/banners/new", h_banner_new},
        {MH_M_GET | MH_M_POST, "/banners/edit/:id", h_banner_edit},
        {MH_M_POST, "/banners/delete/:id", h_banner_delete},
        {MH_M_POST, "/banners/up/:id", h_banner_up},
        {MH_M_POST, "/banners/down/:id", h_banner_down},
        {MH_M_GET, "/links", h_links},
        {MH_M_GET | MH_M_POST, "/links/new", h_link_new},
        {MH_M_GET | MH_M_POST, "/links/edit/:id", h_link_edit},
        {MH_M_POST, "/links/delete/:id", h_link_delete},
        {MH_M_POST, "/links/up/:id", h_link_up},
        {MH_M_POST, "/links/down/:id", h_link_down},
    };
    const unsigned each[] = {MH_M_GET, MH_M_POST};
    for (size_t i = 0; i < MH_ARRAY_LEN(rows); i++)
        for (size_t k = 0; k < MH_ARRAY_LEN(each); k++) {
            if (!(rows[i].methods & each[k]))
                continue;
            const mh_route_t r = {
                .methods = each[k],
                .pattern = mh_admin_pattern(a, rows[i].path),
                .auth = MH_AUTH_SESSION,
                .permission = MH_PERM_COLUMNS,
                .csrf = each[k] == MH_M_POST,
                .handler = rows[i].fn,
                .data = a,
            };
            mh_routes_add(t, &r);
        }
}
