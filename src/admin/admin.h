/* The admin backend: a server module (http/server.h) mounted under a base
 * path ("/admin" unless the setting admin_path says otherwise).
 *
 * Security is declared, not remembered: every admin route sets auth =
 * MH_AUTH_SESSION with a permission name, and csrf = true when it changes
 * state. The module's policy check runs before any handler: it resolves the
 * session cookie, loads the user, checks the role has the permission,
 * verifies the CSRF token (form field "_csrf" or header X-CSRF-Token) and
 * the Origin; it fails closed (303 to the login page for a GET without a
 * session, 403 otherwise). Handlers then only make the object-level checks
 * (may this user touch this entry / column / language?) with the
 * mh_admin_may_* functions, which also fail closed.
 *
 * The backend is split by feature, each with its own route table:
 *   accounts  (admin.c, auth.c, users.c, audit.c): login, logout, sessions,
 *             the policy check, users and roles, grants, audit log,
 *             settings, the layout
 *   editorial (columns.c, entries.c, revisions.c, trash.c, review.c): the
 *             column tree, entries and their editor, revisions, recycle
 *             bin, review workflow
 *   media     (media.c): uploads, the media library
 * (Serving /media/ and scheduled publishing belong to the public site
 * module, src/site/module.h: the site works without the admin.)
 *
 * Templates live in themes/admin/templates (one file per page, named by
 * feature: "entries_list", "entry_edit"...), UI strings in
 * themes/admin/strings/<lang>/<feature>.json (all files of a language are
 * merged), CSS/JS in themes/admin/assets, served under <base>/assets/. */
#ifndef MH_ADMIN_ADMIN_H
#define MH_ADMIN_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "../content/content.h"
#include "../content/editorial.h"
#include "../http/server.h"
#include "../render/value.h"
#include "../router/router.h"

typedef struct mh_admin mh_admin_t;

/* Roles, weakest first. */
typedef enum {
    MH_ROLE_CONTRIBUTOR = 1, /* writes drafts, submits them for review */
    MH_ROLE_AUTHOR,          /* writes and publishes own entries */
    MH_ROLE_EDITOR,          /* all content: every entry, review, columns */
    MH_ROLE_ADMIN,           /* everything: users, settings, audit log */
} mh_role_t;

const char *mh_role_name(mh_role_t r);     /* "contributor"... */
mh_role_t mh_role_parse(const char *name); /* 0 if unknown */

/* Permission names routes declare (route->permission). */
#define MH_PERM_LOGIN "login"       /* any signed-in user: dashboard, own profile */
#define MH_PERM_ENTRIES "entries"   /* write entries (object checks decide which) */
#define MH_PERM_REVIEW "review"     /* approve / return submitted entries: editor+ */
#define MH_PERM_COLUMNS "columns"   /* manage the column tree: editor+ */
#define MH_PERM_MEDIA "media"       /* upload and reuse media: author+ (contributor may upload) */
#define MH_PERM_SETTINGS "settings" /* site settings and languages: admin */
#define MH_PERM_USERS "users"       /* users, roles, grants: admin */
#define MH_PERM_AUDIT "audit"       /* the audit log: admin */
#define MH_PERM_BACKUP "backup"     /* make and download backups: admin */

/* Does the role carry the permission? The single place that says so. */
bool mh_role_has(mh_role_t role, const char *perm);

/* A grant restricts a user to a column (with its sub-columns) and/or a
 * language; 0 means "any". A user without grants is unrestricted within
 * their role. */
typedef struct {
    int64_t column_id;
    int64_t lang_id;
} mh_grant_t;

typedef struct {
    int64_t id;
    const char *name;
    const char *display_name;
    const char *ui_lang; /* "en" or "zh-CN": the admin UI language */
    mh_role_t role;
    const mh_grant_t *grants;
    size_t ngrants;
} mh_admin_user_t;

typedef enum {
    MH_ACT_READ,    /* open in the editor */
    MH_ACT_EDIT,    /* save changes (as draft / pending for contributors) */
    MH_ACT_PUBLISH, /* make public, schedule, unpublish */
    MH_ACT_DELETE,  /* move to the recycle bin, restore, purge */
} mh_action_t;

/* The signed-in user of a request that passed the policy check (never NULL
 * inside handlers of MH_AUTH_SESSION routes; NULL elsewhere). */
const mh_admin_user_t *mh_admin_user(const mh_req_t *req);
/* May u work in this column of this language (grants)? */
bool mh_admin_may_column(mh_admin_t *a, const mh_admin_user_t *u, int64_t column_id,
                         int64_t lang_id);
/* May u do act on e? Role, ownership (author/contributor: own entries only;
 * contributors never publish) and grants. */
bool mh_admin_may_entry(mh_admin_t *a, const mh_admin_user_t *u, const mh_entry_t *e,
                        mh_action_t act);

/* The module, listed in cmd/masthead/modules.c. Its state is the admin
 * handle, which every admin route's data pointer is. */
extern const mh_server_module_t mh_admin_module;
/* The admin of a running server (NULL if the module is not loaded). */
mh_admin_t *mh_admin_of(mh_server_t *srv);

mh_content_t *mh_admin_content(mh_admin_t *a);
mh_server_t *mh_admin_server(mh_admin_t *a);
/* "/admin" (no trailing slash). */
const char *mh_admin_base(const mh_admin_t *a);
/* DIR/media of the site. */
const char *mh_admin_media_dir(const mh_admin_t *a);

/* Render page template tmpl inside the admin layout. ctx is the page's own
 * map (may be NULL); the layout adds: base, user, nav (feature links the
 * user may use), tree (the column tree of the current language, for the
 * left pane), csrf (token for forms: <input type=hidden name=_csrf>), t
 * (UI strings of the user's language), flash (from ?msg=KEY, looked up in
 * t.msg), lang_options, assets (versioned URLs), title. Sets resp (status,
 * HTML, no-store caching). */
int mh_admin_render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *tmpl,
                    const char *title, mh_val_t *ctx);
/* 303 See Other to base + path, with ?msg=flash_key when flash_key is set. */
void mh_admin_redirect(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const char *path,
                       const char *flash_key);
/* A themed error page (403, 404, 409, 422) in the admin layout. */
void mh_admin_error(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                    const char *message_key);
/* Append to the audit log: who (the request's user, may be none), from
 * which IP, what (action "entry.update", object "entry:42", detail). */
int mh_admin_audit(mh_admin_t *a, mh_req_t *req, const char *action, const char *object,
                   const char *detail);
/* The audit line mh_admin_audit would write, for content writes that take
 * it into their own transaction (content/editorial.h). */
mh_audit_line_t mh_admin_audit_line(mh_req_t *req, const char *action, const char *object,
                                    const char *detail);
/* If rc is MH_NOSPACE, answer 507 with "The disk is full: nothing was
 * saved." in the admin's language and return true; otherwise false. */
bool mh_admin_nospace(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int rc);
/* A string of the admin UI in the request's language by dotted key
 * ("err.bad_url"), or fallback when missing. */
const char *mh_admin_text(mh_admin_t *a, mh_req_t *req, const char *key, const char *fallback);

/* "<base>" + path, for a route pattern (lives as long as a). */
const char *mh_admin_pattern(mh_admin_t *a, const char *path);
/* The themed admin 404 (a handler; data: the admin handle). */
int mh_admin_h_not_found(mh_req_t *req, mh_resp_t *resp, void *data);
/* Append a feature's rows to t; the routes' data pointer is a. */
void mh_admin_editorial_routes(mh_admin_t *a, mh_routes_t *t);
void mh_admin_media_routes(mh_admin_t *a, mh_routes_t *t);
/* The inbox of public submissions and the guestbook's moderation
 * (admin/inbox.c), under /inbox and /guestbook. */
void mh_admin_inbox_routes(mh_admin_t *a, mh_routes_t *t);
/* The languages screens (admin/languages.c), under /languages. */
void mh_admin_languages_routes(mh_admin_t *a, mh_routes_t *t);
/* The banners and friendly links screens (admin/portal.c), under
 * /banners and /links. */
void mh_admin_portal_routes(mh_admin_t *a, mh_routes_t *t);
/* The home page composition screen (admin/home.c), at /home. */
void mh_admin_home_routes(mh_admin_t *a, mh_routes_t *t);
/* The tag screen (admin/tags.c), under /tags. */
void mh_admin_tags_routes(mh_admin_t *a, mh_routes_t *t);
/* The legacy URL screens (admin/legacy_urls.c), under /legacy-urls. */
void mh_admin_legacy_routes(mh_admin_t *a, mh_routes_t *t);
/* The media feature's set-up: the image library and the theme's widths. */
int mh_admin_media_open(mh_admin_t *a, char *err, size_t errlen);

#endif
