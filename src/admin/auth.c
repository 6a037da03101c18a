/* Sign-in, sessions and the policy check.
 *
 * A session is a random token in the mh_session cookie; the database keeps
 * only its hash, with the user, the time it was last used (idle expiry) and
 * its absolute end. Every login makes a new token, so a token planted
 * before login is worthless. The CSRF token of a session is derived from
 * its token (auth/csrf.h); the login form, which has no session yet, uses a
 * token derived from a random pre-session cookie (double submit), so a
 * third-party page cannot sign a browser in to an account of its choosing.
 *
 * Throttling is in memory per client address and per account name: locked
 * attempts are answered 429 at once, without hashing. Unknown names cost as
 * much time as known ones (content/accounts.c). */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../auth/password.h"
#include "../content/tokens.h"
#include "../core/log.h"
#include "../http/url.h"
#include "accounts_internal.h"

static int64_t mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

void mh_admin_session_limits(mh_admin_t *a, mh_pool_t *p, int64_t *idle, int64_t *max)
{
    unsigned long long n;
    const char *v;
    *idle = MH_ADMIN_DEFAULT_IDLE;
    *max = MH_ADMIN_DEFAULT_MAX;
    v = mh_content_setting(a->content, p, 0, "session_idle_minutes");
    if (v && mh_str_to_u64(mh_str_c(v), 7 * 24 * 60, &n) && n > 0)
        *idle = (int64_t)n * 60;
    v = mh_content_setting(a->content, p, 0, "session_max_hours");
    if (v && mh_str_to_u64(mh_str_c(v), 30 * 24, &n) && n > 0)
        *max = (int64_t)n * 3600;
    if (a->env_idle)
        *idle = a->env_idle;
    if (a->env_max)
        *max = a->env_max;
}

/* ---- cookies ---- */

static void set_cookie(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const char *name,
                       const char *value, const char *path, int64_t max_age)
{
    mh_resp_header(resp, "Set-Cookie",
                   mh_psprintf(req->pool,
                               "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=Strict%s", name,
                               value, path, (long long)max_age, req->secure ? "; Secure" : ""));
}

static const char *login_cookie_path(mh_admin_t *a, mh_pool_t *p)
{
    return mh_psprintf(p, "%s/login", a->base);
}

/* ---- the current session ---- */

/* The user of account acc with its role and grants. */
static int load_user(mh_admin_t *a, mh_pool_t *p, const mh_account_t *src, mh_admin_user_t **out)
{
    const mh_account_t acc = *src;
    mh_admin_user_t *u = mh_pcalloc(p, sizeof(*u));
    u->id = acc.id;
    u->name = acc.name;
    u->display_name = acc.display_name;
    u->ui_lang = strcmp(acc.ui_lang, "zh-CN") == 0 ? "zh-CN" : "en";
    u->role = mh_role_parse(acc.role);
    mh_account_grant_t *g = NULL;
    size_t ng = 0;
    if (mh_accounts_grants(a->content, p, acc.id, &g, &ng) != MH_OK)
        return MH_ERR;
    mh_grant_t *grants = mh_pnalloc(p, ng ? ng : 1, sizeof(*grants));
    for (size_t i = 0; i < ng; i++)
        grants[i] = (mh_grant_t){g[i].column_id, g[i].lang_id};
    u->grants = grants;
    u->ngrants = ng;
    *out = u;
    return MH_OK;
}

/* Resolve the cookie into a live session and its user, or MH_DECLINED.
 * Expired sessions and sessions of disabled users are deleted. */
static int load_session(mh_admin_t *a, mh_req_t *req, mh_admin_session_t **sess_out,
                        mh_admin_user_t **user_out)
{
    mh_pool_t *p = req->pool;
    mh_str_t tok = mh_req_cookie(req, MH_ADMIN_COOKIE);
    if (!tok.base || !mh_token_well_formed(tok))
        return MH_DECLINED;
    mh_admin_session_t *s = mh_pcalloc(p, sizeof(*s));
    if (mh_token_hash(tok, s->token_hash) != MH_OK)
        return MH_ERR;
    mh_session_row_t row;
    int rc = mh_accounts_session_get(a->content, p, s->token_hash, &row);
    if (rc != MH_OK)
        return rc;
    int64_t now = (int64_t)time(NULL), idle, max;
    mh_admin_session_limits(a, p, &idle, &max);
    mh_account_t acc;
    if (now >= row.expires_at || now - row.last_seen > idle || now - row.created_at >= max ||
        mh_accounts_user_get(a->content, p, row.user_id, &acc) != MH_OK || acc.disabled ||
        mh_role_parse(acc.role) == 0) {
        mh_accounts_session_end(a->content, s->token_hash);
        return MH_DECLINED;
    }
    /* touching on every request would turn each admin page view into a
     * write; a fraction of the idle time is precise enough */
    int64_t every = idle / 8 > 60 ? 60 : idle / 8;
    if (now - row.last_seen >= every)
        mh_accounts_session_touch(a->content, row.id, now);
    s->id = row.id;
    s->must_change = acc.must_change;
    if (mh_csrf_token(tok, s->csrf) != MH_OK)
        return MH_ERR;

    mh_admin_user_t *u = NULL;
    if (load_user(a, p, &acc, &u) != MH_OK)
        return MH_ERR;
    *sess_out = s;
    *user_out = u;
    return MH_OK;
}

static mh_str_t presented_csrf(mh_req_t *req)
{
    mh_str_t v = mh_form_get(&req->form, "_csrf");
    if (!v.base)
        v = mh_req_header(req, "X-CSRF-Token");
    return v;
}

/* An API row: a bearer token (its scope, then its user's role), else the
 * session cookie with the CSRF token for writes; every refusal is JSON. */
static int token_policy(mh_admin_t *a, const mh_route_t *rt, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    mh_str_t auth = mh_req_header(req, "Authorization");
    mh_admin_user_t *u = NULL;
    int rc;
    if (auth.base && auth.len > 7 && strncasecmp(auth.base, "Bearer ", 7) == 0) {
        mh_token_row_t tok;
        mh_account_t acc;
        rc = mh_tokens_check(a->content, p, mh_str(auth.base + 7, auth.len - 7), &tok);
        if (rc == MH_OK && (mh_accounts_user_get(a->content, p, tok.user_id, &acc) != MH_OK ||
                            acc.disabled || mh_role_parse(acc.role) == 0))
            rc = MH_DECLINED;
        if (rc == MH_OK)
            rc = load_user(a, p, &acc, &u);
        if (rc != MH_OK) {
            mh_resp_header(resp, "WWW-Authenticate", "Bearer");
            mh_admin_api_error(resp, rc == MH_ERR ? 500 : 401, rc == MH_ERR ? "failed" : "no_token",
                               rc == MH_ERR ? NULL : "the token is unknown, revoked or expired");
            return MH_DECLINED;
        }
        if (strcmp(tok.scope, "write") != 0 && !(req->method & (MH_M_GET | MH_M_HEAD))) {
            mh_admin_api_error(resp, 403, "read_only_token", NULL);
            return MH_DECLINED;
        }
    } else {
        mh_admin_session_t *s = NULL;
        rc = load_session(a, req, &s, &u);
        if (rc != MH_OK) {
            mh_resp_header(resp, "WWW-Authenticate", "Bearer");
            mh_admin_api_error(resp, rc == MH_ERR ? 500 : 401, rc == MH_ERR ? "failed" : "no_token",
                               NULL);
            return MH_DECLINED;
        }
        req->session = s;
        if (rt->csrf &&
            (!mh_server_same_origin(req) ||
             !mh_csrf_verify(mh_req_cookie(req, MH_ADMIN_COOKIE), presented_csrf(req)))) {
            mh_admin_api_error(resp, 403, "csrf", NULL);
            return MH_DECLINED;
        }
        if (s->must_change) {
            mh_admin_api_error(resp, 403, "must_change", NULL);
            return MH_DECLINED;
        }
    }
    if (!mh_role_has(u->role, rt->permission)) {
        mh_admin_api_error(resp, 403, "forbidden", NULL);
        return MH_DECLINED;
    }
    req->user = u;
    return MH_OK;
}

int mh_admin_policy(mh_admin_t *a, const mh_route_t *rt, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    if (rt->auth == MH_AUTH_PUBLIC) {
        if (!rt->csrf)
            return MH_OK;
        /* the login form: token bound to the pre-session cookie */
        mh_str_t secret = mh_req_cookie(req, MH_ADMIN_LOGIN_COOKIE);
        if (secret.base && mh_token_well_formed(secret) &&
            mh_csrf_verify(secret, presented_csrf(req)))
            return MH_OK;
        mh_admin_error(a, req, resp, 403, "csrf");
        return MH_DECLINED;
    }
    if (rt->flags & MH_ROUTE_TOKEN)
        return token_policy(a, rt, req, resp);
    mh_admin_session_t *s = NULL;
    mh_admin_user_t *u = NULL;
    int rc = load_session(a, req, &s, &u);
    if (rc == MH_ERR) {
        mh_resp_error(req, resp, 500);
        return MH_ERR;
    }
    if (rc != MH_OK) {
        if (req->method & (MH_M_GET | MH_M_HEAD)) {
            const char *next = req->query.len
                                   ? mh_psprintf(p, "%.*s?%.*s", (int)req->path.len, req->path.base,
                                                 (int)req->query.len, req->query.base)
                                   : mh_pstrndup(p, req->path.base, req->path.len);
            mh_admin_redirect(a, req, resp,
                              mh_psprintf(p, "/login?next=%s", mh_url_encode(p, mh_str_c(next))),
                              NULL);
            return MH_DECLINED;
        }
        mh_admin_error(a, req, resp, 403, "no_session");
        return MH_DECLINED;
    }
    req->session = s;
    if (rt->csrf && !mh_csrf_verify(mh_req_cookie(req, MH_ADMIN_COOKIE), presented_csrf(req))) {
        req->user = u; /* for the error page's layout only */
        mh_admin_error(a, req, resp, 403, "csrf");
        req->user = NULL;
        return MH_DECLINED;
    }
    if (s->must_change && !(rt->flags & MH_ROUTE_PENDING_OK)) {
        req->user = u;
        if (req->method & (MH_M_GET | MH_M_HEAD))
            mh_admin_redirect(a, req, resp, "/password", "must_change");
        else
            mh_admin_error(a, req, resp, 403, "must_change");
        req->user = NULL;
        return MH_DECLINED;
    }
    if (!mh_role_has(u->role, rt->permission)) {
        req->user = u;
        mh_admin_error(a, req, resp, 403, "forbidden");
        req->user = NULL;
        return MH_DECLINED;
    }
    req->user = u;
    return MH_OK;
}

/* ---- login ---- */

static int render_login(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                        const char *error_key, const char *name, const char *next)
{
    mh_pool_t *p = req->pool;
    const char *lang = mh_admin_req_lang(a, req);
    mh_str_t cookie = mh_req_cookie(req, MH_ADMIN_LOGIN_COOKIE);
    char fresh[MH_TOKEN_LEN + 1];
    mh_str_t secret = cookie;
    if (!cookie.base || !mh_token_well_formed(cookie)) {
        if (mh_token_new(fresh) != MH_OK)
            return MH_ERR;
        secret = mh_str(mh_pstrdup(p, fresh), MH_TOKEN_LEN);
        set_cookie(a, req, resp, MH_ADMIN_LOGIN_COOKIE, secret.base, login_cookie_path(a, p), 3600);
    }
    char csrf[MH_CSRF_TOKEN_LEN + 1];
    if (mh_csrf_token(secret, csrf) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_map_cstr(p, ctx, "csrf", csrf);
    mh_val_map_cstr(p, ctx, "name", name ? name : "");
    if (next && mh_admin_next_ok(a, next))
        mh_val_map_cstr(p, ctx, "next", next);
    if (error_key) {
        const char *msg = mh_admin_t_lookup(a, p, lang, mh_psprintf(p, "login.%s", error_key));
        mh_val_map_cstr(p, ctx, "error", msg ? msg : error_key);
    }
    const char *title = mh_admin_t_lookup(a, p, lang, "login.title");
    return mh_admin_render(a, req, resp, status, "accounts_login", title ? title : "login.title",
                           ctx);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int login_post(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    const char *name = mh_form_cstr(&req->form, p, "name");
    mh_str_t pw = mh_form_get(&req->form, "password");
    const char *next = mh_form_cstr(&req->form, p, "next");
    const char *ip = req->client_ip ? req->client_ip : "";
    if (!name || !*name || !pw.base || pw.len == 0)
        return render_login(a, req, resp, 422, "missing", name, next);
    if (strlen(name) > 64)
        return render_login(a, req, resp, 422, "failed", NULL, next);
    char *key = mh_pstrdup(p, name);
    lower_ascii(key);
    int64_t now = mono_now(), wait_ip = 0, wait_user = 0;
    if (mh_throttle_check(a->throttle_ip, mh_str_c(ip), now, &wait_ip) != MH_OK ||
        mh_throttle_check(a->throttle_user, mh_str_c(key), now, &wait_user) != MH_OK) {
        int64_t wait = wait_ip > wait_user ? wait_ip : wait_user;
        mh_resp_header(resp, "Retry-After", mh_psprintf(p, "%lld", (long long)wait));
        return render_login(a, req, resp, 429, "throttled", name, next);
    }
    mh_account_t acc;
    int rc = mh_accounts_authenticate(a->content, p, name, pw.base, pw.len, &acc);
    if (rc == MH_ERR)
        return MH_ERR;
    if (rc != MH_OK) {
        mh_throttle_fail(a->throttle_ip, mh_str_c(ip), now);
        mh_throttle_fail(a->throttle_user, mh_str_c(key), now);
        mh_accounts_audit(a->content, 0, ip, "login.fail", mh_psprintf(p, "name:%s", name), "");
        return render_login(a, req, resp, 200, "failed", name, next);
    }
    mh_throttle_success(a->throttle_user, mh_str_c(key));

    char tok[MH_TOKEN_LEN + 1], hash[MH_TOKEN_HASH_LEN + 1];
    int64_t wall = (int64_t)time(NULL), idle, max;
    mh_admin_session_limits(a, p, &idle, &max);
    if (mh_token_new(tok) != MH_OK || mh_token_hash(mh_str(tok, MH_TOKEN_LEN), hash) != MH_OK ||
        mh_accounts_session_create(a->content, hash, acc.id, wall, wall + max, ip) != MH_OK)
        return MH_ERR;
    set_cookie(a, req, resp, MH_ADMIN_COOKIE, mh_pstrdup(p, tok), a->base, max);
    set_cookie(a, req, resp, MH_ADMIN_LOGIN_COOKIE, "", login_cookie_path(a, p), 0);
    mh_accounts_audit(a->content, acc.id, ip, "login",
                      mh_psprintf(p, "user:%lld", (long long)acc.id), "");
    if (acc.must_change) {
        mh_admin_redirect(a, req, resp, "/password", "must_change");
    } else if (next && mh_admin_next_ok(a, next)) {
        resp->status = 303;
        resp->location = next;
        resp->cache_control = "no-store";
    } else {
        mh_admin_redirect(a, req, resp, "/", NULL);
    }
    return MH_OK;
}

int mh_admin_h_login(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    if (req->method == MH_M_POST)
        return login_post(a, req, resp);
    return render_login(a, req, resp, 200, NULL, NULL, mh_admin_query(req, "next")) == MH_OK
               ? MH_OK
               : MH_ERR;
}

int mh_admin_h_logout(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    const mh_admin_session_t *s = req->session;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_accounts_session_end(a->content, s->token_hash);
    mh_admin_audit(a, req, "logout", mh_psprintf(req->pool, "user:%lld", (long long)u->id), "");
    set_cookie(a, req, resp, MH_ADMIN_COOKIE, "", a->base, 0);
    mh_admin_redirect(a, req, resp, "/login", "logged_out");
    return MH_OK;
}

/* ---- own password and profile ---- */

const char *mh_admin_password_why_key(const char *why)
{
    static const struct {
        const char *why, *key;
    } map[] = {
        {MH_PASSWORD_WHY_EMPTY, "pw_empty"},       {MH_PASSWORD_WHY_UTF8, "pw_utf8"},
        {MH_PASSWORD_WHY_CONTROL, "pw_control"},   {MH_PASSWORD_WHY_SHORT, "pw_short"},
        {MH_PASSWORD_WHY_LONG, "pw_long"},         {MH_PASSWORD_WHY_USERNAME, "pw_username"},
        {MH_PASSWORD_WHY_REPEATED, "pw_repeated"}, {MH_PASSWORD_WHY_PATTERN, "pw_pattern"},
        {MH_PASSWORD_WHY_COMMON, "pw_common"},
    };
    for (size_t i = 0; why && i < MH_ARRAY_LEN(map); i++)
        if (strcmp(why, map[i].why) == 0)
            return map[i].key;
    return "pw_invalid";
}

static int render_password(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                           const char *error_key)
{
    mh_pool_t *p = req->pool;
    const char *lang = mh_admin_req_lang(a, req);
    const mh_admin_session_t *s = req->session;
    mh_val_t *ctx = mh_val_map(p);
    if (error_key) {
        const char *msg = mh_admin_t_lookup(a, p, lang, mh_psprintf(p, "err.%s", error_key));
        mh_val_map_cstr(p, ctx, "error", msg ? msg : error_key);
    }
    mh_val_map_bool(p, ctx, "must_change", s && s->must_change);
    const char *title = mh_admin_t_lookup(a, p, lang, "password.title");
    return mh_admin_render(a, req, resp, status, "accounts_password",
                           title ? title : "password.title", ctx);
}

static int password_post(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const mh_admin_session_t *s = req->session;
    mh_str_t cur = mh_form_get(&req->form, "current");
    mh_str_t pw = mh_form_get(&req->form, "password");
    mh_str_t confirm = mh_form_get(&req->form, "confirm");
    const char *ip = req->client_ip ? req->client_ip : "";
    char *key = mh_pstrdup(p, u->name);
    lower_ascii(key);
    int64_t now = mono_now();
    if (mh_throttle_check(a->throttle_user, mh_str_c(key), now, NULL) != MH_OK)
        return render_password(a, req, resp, 429, "throttled");
    mh_account_t acc;
    if (mh_accounts_user_get(a->content, p, u->id, &acc) != MH_OK)
        return MH_ERR;
    if (!cur.base || mh_password_verify(acc.password_hash, cur.base, cur.len) != MH_OK) {
        mh_throttle_fail(a->throttle_user, mh_str_c(key), now);
        mh_admin_audit(a, req, "password.fail", mh_psprintf(p, "user:%lld", (long long)u->id), "");
        return render_password(a, req, resp, 422, "current_wrong");
    }
    if (!pw.base || !confirm.base || !mh_str_eq(pw, confirm))
        return render_password(a, req, resp, 422, "pw_mismatch");
    if (mh_str_eq(pw, cur))
        return render_password(a, req, resp, 422, "pw_same");
    const char *why = NULL;
    int rc = mh_accounts_set_password(a->content, u->id, u->name, pw.base, pw.len, false, &why);
    if (rc == MH_DECLINED)
        return render_password(a, req, resp, 422, mh_admin_password_why_key(why));
    if (rc != MH_OK)
        return MH_ERR;
    /* every session ends, this one included; this browser gets a new one */
    char tok[MH_TOKEN_LEN + 1], hash[MH_TOKEN_HASH_LEN + 1];
    int64_t wall = (int64_t)time(NULL), idle, max;
    mh_admin_session_limits(a, p, &idle, &max);
    mh_accounts_sessions_end_user(a->content, u->id, NULL);
    (void)s;
    if (mh_token_new(tok) != MH_OK || mh_token_hash(mh_str(tok, MH_TOKEN_LEN), hash) != MH_OK ||
        mh_accounts_session_create(a->content, hash, u->id, wall, wall + max, ip) != MH_OK)
        return MH_ERR;
    set_cookie(a, req, resp, MH_ADMIN_COOKIE, mh_pstrdup(p, tok), a->base, max);
    mh_admin_audit(a, req, "password.change", mh_psprintf(p, "user:%lld", (long long)u->id), "");
    mh_admin_redirect(a, req, resp, "/", "password_changed");
    return MH_OK;
}

int mh_admin_h_password(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    if (req->method == MH_M_POST)
        return password_post(a, req, resp);
    return render_password(a, req, resp, 200, NULL) == MH_OK ? MH_OK : MH_ERR;
}

static int render_profile(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                          const mh_account_t *acc, const char *error_key)
{
    mh_pool_t *p = req->pool;
    const char *lang = mh_admin_req_lang(a, req);
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *pr = mh_val_map(p);
    mh_val_map_cstr(p, pr, "name", acc->name);
    mh_val_map_cstr(p, pr, "display_name", acc->display_name);
    mh_val_map_cstr(p, pr, "role", acc->role);
    mh_val_map_bool(p, pr, "ui_en", strcmp(acc->ui_lang, "zh-CN") != 0);
    mh_val_map_bool(p, pr, "ui_zh", strcmp(acc->ui_lang, "zh-CN") == 0);
    mh_val_map_set(p, ctx, "profile", pr);
    if (error_key) {
        const char *msg = mh_admin_t_lookup(a, p, lang, mh_psprintf(p, "err.%s", error_key));
        mh_val_map_cstr(p, ctx, "error", msg ? msg : error_key);
    }
    const char *title = mh_admin_t_lookup(a, p, lang, "profile.title");
    return mh_admin_render(a, req, resp, status, "accounts_profile",
                           title ? title : "profile.title", ctx);
}

int mh_admin_h_profile(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_account_t acc;
    if (mh_accounts_user_get(a->content, p, u->id, &acc) != MH_OK)
        return MH_ERR;
    if (req->method == MH_M_POST) {
        const char *dn = mh_form_cstr(&req->form, p, "display_name");
        const char *ul = mh_form_cstr(&req->form, p, "ui_lang");
        if (dn && strlen(dn) > 100)
            return render_profile(a, req, resp, 422, &acc, "too_long") == MH_OK ? MH_OK : MH_ERR;
        if (dn)
            acc.display_name = dn;
        if (ul)
            acc.ui_lang = strcmp(ul, "zh-CN") == 0 ? "zh-CN" : "en";
        if (mh_accounts_user_update(a->content, &acc) != MH_OK)
            return MH_ERR;
        mh_admin_audit(a, req, "profile.update", mh_psprintf(p, "user:%lld", (long long)u->id), "");
        const char *back = mh_form_cstr(&req->form, p, "back");
        if (back && mh_admin_next_ok(a, back)) {
            resp->status = 303;
            resp->location = back;
            resp->cache_control = "no-store";
            return MH_OK;
        }
        mh_admin_redirect(a, req, resp, "/profile", "saved");
        return MH_OK;
    }
    return render_profile(a, req, resp, 200, &acc, NULL) == MH_OK ? MH_OK : MH_ERR;
}
