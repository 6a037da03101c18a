/* Shared between the accounts feature's files (admin.c, auth.c, users.c,
 * audit.c, settings.c): the admin handle's fields and the page handlers.
 * Other features use admin.h only. */
#ifndef MH_ADMIN_ACCOUNTS_INTERNAL_H
#define MH_ADMIN_ACCOUNTS_INTERNAL_H

#include <limits.h>
#include <stdatomic.h>

#include "../auth/csrf.h"
#include "../auth/throttle.h"
#include "../auth/token.h"
#include "../content/accounts.h"
#include "../http/static.h"
#include "../render/tmpl.h"
#include "admin.h"

#define MH_ADMIN_COOKIE "mh_session"
#define MH_ADMIN_LOGIN_COOKIE "mh_login" /* the login form's pre-session secret */
#define MH_ADMIN_DEFAULT_IDLE (30 * 60)
#define MH_ADMIN_DEFAULT_MAX (12 * 3600)

struct mh_admin {
    mh_server_t *srv; /* NULL when made for tests */
    mh_content_t *content;
    char base[64];
    char media_dir[PATH_MAX];
    char theme_dir[PATH_MAX];
    mh_pool_t *pool; /* lifetime of the handle: strings, routes, asset URLs */
    mh_tmpl_set_t *tmpl;
    mh_val_t *strings_en, *strings_zh;
    mh_static_t *assets;
    mh_val_t *asset_urls;       /* map: admin_css -> "<base>/assets/admin.css?v=..." */
    mh_val_t *styles, *scripts; /* lists of {url} for the layout */
    mh_routes_t routes;         /* every admin row, built at open */
    mh_throttle_t *throttle_ip, *throttle_user;
    int64_t env_idle, env_max; /* MH_SESSION_IDLE / MH_SESSION_MAX, 0 if unset */
    atomic_int_fast64_t last_purge;
};

/* What the policy check leaves in req->session. */
typedef struct {
    int64_t id;
    char token_hash[MH_TOKEN_HASH_LEN + 1];
    char csrf[MH_CSRF_TOKEN_LEN + 1];
    bool must_change;
} mh_admin_session_t;

/* Make an admin handle for content (srv may be NULL: unit tests) and free
 * it. theme_dir NULL: the installed admin theme. */
int mh_admin_create(mh_server_t *srv, mh_content_t *c, const char *site_dir, const char *theme_dir,
                    mh_admin_t **out, char *err, size_t errlen);
void mh_admin_destroy(mh_admin_t *a);

/* The policy (module check), in auth.c. */
int mh_admin_policy(mh_admin_t *a, const mh_route_t *rt, mh_req_t *req, mh_resp_t *resp);
/* Session lifetimes in seconds (settings, overridden by the environment). */
void mh_admin_session_limits(mh_admin_t *a, mh_pool_t *p, int64_t *idle, int64_t *max);

/* UI strings of a language ("en", "zh-CN") and one of them by dotted key
 * ("msg.saved"); NULL when missing. */
mh_val_t *mh_admin_strings(mh_admin_t *a, const char *lang);
const char *mh_admin_t_lookup(mh_admin_t *a, mh_pool_t *p, const char *lang, const char *key);
/* The UI language of the request: the user's, else the browser's. */
const char *mh_admin_req_lang(mh_admin_t *a, mh_req_t *req);
/* A query parameter of the request (decoded), or NULL. */
const char *mh_admin_query(mh_req_t *req, const char *key);
/* Is next a local admin path that is safe to redirect to? */
bool mh_admin_next_ok(const mh_admin_t *a, const char *next);

/* Handlers (data: the admin handle). */
int mh_admin_h_login(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_logout(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_password(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_profile(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_users(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_user_new(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_user(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_user_password(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_user_sessions(mh_req_t *req, mh_resp_t *resp, void *data);
/* The editor's session rows (session.c): POST /session/ping (keep-alive
 * on activity), GET /session/csrf ({"csrf": token} of the current
 * session), GET /session/signed-in (end of a sign-in in a second window).
 * add is admin.c's row builder. */
void mh_admin_session_routes(mh_admin_t *a,
                             void (*add)(mh_admin_t *, unsigned, const char *, mh_auth_t,
                                         const char *, bool, mh_handler_fn, unsigned));
int mh_admin_h_settings(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_audit(mh_req_t *req, mh_resp_t *resp, void *data);
/* The mail queue (mail.c): GET /mail, POST /mail/:id/retry, and POST
 * /settings/test-mail. */
int mh_admin_h_mail(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_mail_retry(mh_req_t *req, mh_resp_t *resp, void *data);
int mh_admin_h_mail_test(mh_req_t *req, mh_resp_t *resp, void *data);

/* The admin API's rows (api_write.c): JSON writes under /api/v1/ with
 * MH_ROUTE_TOKEN, and its JSON error answer (code: "forbidden"... ;
 * detail: a message, or NULL for the code's own). */
void mh_admin_api_routes(mh_admin_t *a, mh_routes_t *t);
void mh_admin_api_error(mh_resp_t *resp, int status, const char *code, const char *detail);
/* GET /backup: the backup page; POST: make a backup and download it
 * (admin/backup.c). */
int mh_admin_h_backup(mh_req_t *req, mh_resp_t *resp, void *data);

/* The message key for a password policy reason (MH_PASSWORD_WHY_*). */
const char *mh_admin_password_why_key(const char *why);

#endif
