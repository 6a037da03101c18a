/* Users, roles and grants (admin only).
 *
 * An administrator sets only temporary passwords: a new user, or a reset,
 * must choose their own at the next sign-in (must_change), and a reset ends
 * the user's sessions. An administrator cannot take the admin role from
 * themselves or disable themselves, so the site always keeps one way in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/password.h"
#include "accounts_internal.h"

static const char *const roles[] = {"admin", "editor", "author", "contributor"};

static const char *tr(mh_admin_t *a, mh_req_t *req, const char *key, const char *dflt)
{
    const char *v = mh_admin_t_lookup(a, req->pool, mh_admin_req_lang(a, req), key);
    return v ? v : dflt;
}

static mh_val_t *role_options(mh_admin_t *a, mh_req_t *req, const char *current)
{
    mh_pool_t *p = req->pool;
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < MH_ARRAY_LEN(roles); i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "value", roles[i]);
        mh_val_map_cstr(p, m, "label", tr(a, req, mh_psprintf(p, "role.%s", roles[i]), roles[i]));
        mh_val_map_bool(p, m, "selected", current && strcmp(current, roles[i]) == 0);
        mh_val_list_push(p, list, m);
    }
    return list;
}

static mh_val_t *account_val(mh_admin_t *a, mh_req_t *req, const mh_account_t *u)
{
    mh_pool_t *p = req->pool;
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", u->id);
    mh_val_map_cstr(p, m, "name", u->name);
    mh_val_map_cstr(p, m, "display_name", u->display_name);
    mh_val_map_cstr(p, m, "role", u->role);
    mh_val_map_cstr(p, m, "role_label",
                    tr(a, req, mh_psprintf(p, "role.%s", u->role ? u->role : ""), u->role));
    mh_val_map_bool(p, m, "disabled", u->disabled);
    mh_val_map_bool(p, m, "must_change", u->must_change);
    mh_val_map_bool(p, m, "ui_en", !u->ui_lang || strcmp(u->ui_lang, "zh-CN") != 0);
    mh_val_map_bool(p, m, "ui_zh", u->ui_lang && strcmp(u->ui_lang, "zh-CN") == 0);
    mh_val_map_cstr(p, m, "created", mh_format_time(p, u->created_at, "%Y-%m-%d", "+00:00"));
    mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/users/%lld", a->base, (long long)u->id));
    return m;
}

static void set_error(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const char *key)
{
    if (key)
        mh_val_map_cstr(req->pool, ctx, "error",
                        tr(a, req, mh_psprintf(req->pool, "err.%s", key), key));
}

int mh_admin_h_users(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_account_t *us;
    size_t n;
    if (mh_accounts_users(a->content, p, &us, &n) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++)
        mh_val_list_push(p, list, account_val(a, req, &us[i]));
    mh_val_map_set(p, ctx, "users", list);
    return mh_admin_render(a, req, resp, 200, "accounts_users",
                           tr(a, req, "users.title", "users.title"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

/* ---- new user ---- */

static int render_new(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                      const mh_account_t *in, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_map_set(p, ctx, "form", account_val(a, req, in));
    mh_val_map_set(p, ctx, "roles", role_options(a, req, in->role));
    set_error(a, req, ctx, error_key);
    return mh_admin_render(a, req, resp, status, "accounts_user_new",
                           tr(a, req, "users.new", "users.new"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

int mh_admin_h_user_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_account_t in = {.name = "", .display_name = "", .role = "author", .ui_lang = "en"};
    if (req->method != MH_M_POST)
        return render_new(a, req, resp, 200, &in, NULL);
    const char *v;
    if ((v = mh_form_cstr(&req->form, p, "name")))
        in.name = v;
    if ((v = mh_form_cstr(&req->form, p, "display_name")))
        in.display_name = v;
    if ((v = mh_form_cstr(&req->form, p, "role")))
        in.role = v;
    if ((v = mh_form_cstr(&req->form, p, "ui_lang")))
        in.ui_lang = strcmp(v, "zh-CN") == 0 ? "zh-CN" : "en";
    in.must_change = true;
    if (strlen(in.display_name) > 100)
        return render_new(a, req, resp, 422, &in, "too_long");
    mh_str_t pw = mh_form_get(&req->form, "password");
    int64_t id;
    const char *why = NULL;
    int rc = mh_accounts_user_create(a->content, &in, pw.base ? pw.base : "", pw.len, &id, &why);
    if (rc == MH_DECLINED) {
        const char *key = why && (strcmp(why, "name") == 0 || strcmp(why, "role") == 0)
                              ? why
                              : mh_admin_password_why_key(why);
        return render_new(a, req, resp, 422, &in, key);
    }
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_audit(a, req, "user.create", mh_psprintf(p, "user:%lld", (long long)id),
                   mh_psprintf(p, "name=%s role=%s", in.name, in.role));
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/users/%lld", (long long)id), "user_created");
    return MH_OK;
}

/* ---- one user: edit, grants, password reset, sessions ---- */

static bool has_id(const mh_str_t *vals, size_t n, int64_t id)
{
    char buf[24];
    int len = snprintf(buf, sizeof(buf), "%lld", (long long)id);
    for (size_t i = 0; i < n; i++)
        if (vals[i].len == (size_t)len && memcmp(vals[i].base, buf, (size_t)len) == 0)
            return true;
    return false;
}

static int render_edit(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                       const mh_account_t *u, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_account_grant_t *g = NULL;
    size_t ng = 0;
    if (mh_accounts_grants(a->content, p, u->id, &g, &ng) != MH_OK)
        return MH_ERR;
    mh_val_map_set(p, ctx, "form", account_val(a, req, u));
    mh_val_map_set(p, ctx, "roles", role_options(a, req, u->role));
    const mh_admin_user_t *me = mh_admin_user(req);
    mh_val_map_bool(p, ctx, "is_self", me && me->id == u->id);
    set_error(a, req, ctx, error_key);

    mh_language_t *langs = NULL;
    size_t nl = 0;
    mh_val_t *lang_list = mh_val_list(p), *col_groups = mh_val_list(p);
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < nl; i++) {
        bool lang_on = false;
        for (size_t k = 0; k < ng; k++)
            lang_on = lang_on || g[k].lang_id == langs[i].id;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_bool(p, m, "checked", lang_on);
        mh_val_list_push(p, lang_list, m);

        mh_column_t *cols;
        size_t nc = 0;
        if (mh_content_columns(a->content, p, langs[i].id, &cols, &nc) != MH_OK)
            return MH_ERR;
        mh_val_t *group = mh_val_map(p), *items = mh_val_list(p);
        mh_val_map_cstr(p, group, "lang", langs[i].name);
        for (size_t j = 0; j < nc; j++) {
            bool on = false;
            for (size_t k = 0; k < ng; k++)
                on = on || g[k].column_id == cols[j].id;
            mh_val_t *c = mh_val_map(p);
            mh_val_map_int(p, c, "id", cols[j].id);
            mh_val_map_cstr(p, c, "name", cols[j].name);
            mh_val_map_cstr(p, c, "depth_class",
                            mh_psprintf(p, "d%d", cols[j].depth > 5 ? 5 : cols[j].depth));
            mh_val_map_bool(p, c, "checked", on);
            mh_val_list_push(p, items, c);
        }
        mh_val_map_set(p, group, "columns", items);
        mh_val_list_push(p, col_groups, group);
    }
    mh_val_map_set(p, ctx, "grant_langs", lang_list);
    mh_val_map_set(p, ctx, "grant_columns", col_groups);
    return mh_admin_render(a, req, resp, status, "accounts_user_edit",
                           tr(a, req, "users.edit_title", "users.edit_title"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

/* The grants a submitted form asks for: every chosen column with every
 * chosen language (a column in another language than a chosen one then
 * never matches: fail closed), or the columns alone, or the languages
 * alone. Ids that name no column or language are dropped. */
static size_t form_grants(mh_admin_t *a, mh_req_t *req, mh_account_grant_t **out)
{
    mh_pool_t *p = req->pool;
    mh_str_t cv[256], lv[32];
    size_t nc = mh_form_get_all(&req->form, "grant_col", cv, MH_ARRAY_LEN(cv));
    size_t nl = mh_form_get_all(&req->form, "grant_lang", lv, MH_ARRAY_LEN(lv));
    int64_t cols[256], langs[32];
    size_t kc = 0, kl = 0;
    mh_language_t *all_langs = NULL;
    size_t nal = 0;
    mh_content_languages(a->content, p, &all_langs, &nal);
    for (size_t i = 0; i < nal && kl < MH_ARRAY_LEN(langs); i++)
        if (has_id(lv, nl, all_langs[i].id))
            langs[kl++] = all_langs[i].id;
    for (size_t i = 0; i < nal; i++) {
        mh_column_t *cs;
        size_t n = 0;
        if (mh_content_columns(a->content, p, all_langs[i].id, &cs, &n) != MH_OK)
            continue;
        for (size_t j = 0; j < n && kc < MH_ARRAY_LEN(cols); j++)
            if (has_id(cv, nc, cs[j].id))
                cols[kc++] = cs[j].id;
    }
    size_t n = kc && kl ? kc * kl : kc + kl;
    mh_account_grant_t *g = mh_pnalloc(p, n ? n : 1, sizeof(*g));
    size_t k = 0;
    if (kc && kl) {
        for (size_t i = 0; i < kc; i++)
            for (size_t j = 0; j < kl; j++)
                g[k++] = (mh_account_grant_t){cols[i], langs[j]};
    } else {
        for (size_t i = 0; i < kc; i++)
            g[k++] = (mh_account_grant_t){cols[i], 0};
        for (size_t j = 0; j < kl; j++)
            g[k++] = (mh_account_grant_t){0, langs[j]};
    }
    *out = g;
    return k;
}

static int edit_post(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_account_t *u)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *me = mh_admin_user(req);
    mh_account_t nu = *u;
    const char *v;
    if ((v = mh_form_cstr(&req->form, p, "display_name")))
        nu.display_name = v;
    if ((v = mh_form_cstr(&req->form, p, "role")))
        nu.role = v;
    if ((v = mh_form_cstr(&req->form, p, "ui_lang")))
        nu.ui_lang = strcmp(v, "zh-CN") == 0 ? "zh-CN" : "en";
    nu.disabled = mh_form_get(&req->form, "disabled").base != NULL;
    if (strlen(nu.display_name) > 100)
        return render_edit(a, req, resp, 422, &nu, "too_long");
    if (mh_role_parse(nu.role) == 0)
        return render_edit(a, req, resp, 422, &nu, "role");
    if (me->id == u->id && (mh_role_parse(nu.role) != MH_ROLE_ADMIN || nu.disabled))
        return render_edit(a, req, resp, 422, &nu, "self");
    mh_account_grant_t *g;
    size_t ng = form_grants(a, req, &g);
    if (mh_accounts_user_update(a->content, &nu) != MH_OK ||
        mh_accounts_grants_set(a->content, u->id, g, ng) != MH_OK)
        return MH_ERR;
    if (nu.disabled && !u->disabled)
        mh_accounts_sessions_end_user(a->content, u->id, NULL);
    mh_admin_audit(a, req, "user.update", mh_psprintf(p, "user:%lld", (long long)u->id),
                   mh_psprintf(p, "name=%s role=%s disabled=%d grants=%zu", u->name, nu.role,
                               nu.disabled ? 1 : 0, ng));
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/users/%lld", (long long)u->id), "saved");
    return MH_OK;
}

static int reset_post(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_account_t *u)
{
    mh_pool_t *p = req->pool;
    mh_str_t pw = mh_form_get(&req->form, "password");
    const char *why = NULL;
    int rc = mh_accounts_set_password(a->content, u->id, u->name, pw.base ? pw.base : "", pw.len,
                                      true, &why);
    if (rc == MH_DECLINED)
        return render_edit(a, req, resp, 422, u, mh_admin_password_why_key(why));
    if (rc != MH_OK)
        return MH_ERR;
    mh_accounts_sessions_end_user(a->content, u->id, NULL);
    mh_admin_audit(a, req, "user.password_reset", mh_psprintf(p, "user:%lld", (long long)u->id),
                   mh_psprintf(p, "name=%s", u->name));
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/users/%lld", (long long)u->id),
                      "password_reset");
    return MH_OK;
}

static int sessions_post(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_account_t *u)
{
    mh_pool_t *p = req->pool;
    const mh_admin_session_t *s = req->session;
    const mh_admin_user_t *me = mh_admin_user(req);
    /* one's own current session stays: signing oneself out is "logout" */
    mh_accounts_sessions_end_user(a->content, u->id, me->id == u->id ? s->token_hash : NULL);
    mh_admin_audit(a, req, "user.sessions_end", mh_psprintf(p, "user:%lld", (long long)u->id),
                   mh_psprintf(p, "name=%s", u->name));
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/users/%lld", (long long)u->id),
                      "sessions_ended");
    return MH_OK;
}

enum user_op { USER_EDIT, USER_PASSWORD, USER_SESSIONS };

/* /users/:id (GET, POST), /users/:id/password and /users/:id/sessions (POST) */
static int user_op(mh_req_t *req, mh_resp_t *resp, void *data, enum user_op op)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    int64_t id = mh_req_param_id(req, "id");
    mh_account_t u;
    if (!id || mh_accounts_user_get(a->content, p, id, &u) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (req->method != MH_M_POST)
        return render_edit(a, req, resp, 200, &u, NULL);
    if (op == USER_PASSWORD)
        return reset_post(a, req, resp, &u);
    if (op == USER_SESSIONS)
        return sessions_post(a, req, resp, &u);
    return edit_post(a, req, resp, &u);
}

int mh_admin_h_user(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return user_op(req, resp, data, USER_EDIT);
}

int mh_admin_h_user_password(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return user_op(req, resp, data, USER_PASSWORD);
}

int mh_admin_h_user_sessions(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return user_op(req, resp, data, USER_SESSIONS);
}
