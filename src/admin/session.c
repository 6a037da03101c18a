/* The editor's session helpers: a keep-alive, the current CSRF token and
 * the page a sign-in in a second window ends on.
 *
 * Why: an editor writing a long notice may not send a request for longer
 * than the idle limit; when the session lapses, Save answers 403 and the
 * text would be lost. editor.js calls POST <base>/session/ping on user
 * activity (at most every few minutes): the policy check touches the
 * session like any authenticated request, so an open but unused tab still
 * expires. After a 403 the editor opens <base>/login?next=<base>/session/
 * signed-in in a new window; that page tells the opener (postMessage, same
 * origin) and closes itself, and the editor fetches the new session's token
 * from GET <base>/session/csrf before saving again. */
#include <string.h>

#include "../core/pool.h"
#include "accounts_internal.h"

static void send_json(mh_resp_t *resp, int status, const char *body)
{
    mh_buf_reset(&resp->body);
    mh_buf_append_c(&resp->body, body);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    resp->cache_control = "no-store";
}

/* POST, CSRF-checked: the policy has already touched the session. */
static int h_ping(mh_req_t *req, mh_resp_t *resp, void *data)
{
    (void)req;
    (void)data;
    send_json(resp, 200, "{\"ok\":true}");
    return MH_OK;
}

/* GET: the token of the session the cookie names (hex, no escaping
 * needed). A cross-origin page cannot read the answer (no CORS). */
static int h_csrf(mh_req_t *req, mh_resp_t *resp, void *data)
{
    (void)data;
    const mh_admin_session_t *s = req->session;
    if (!s || !s->csrf[0]) {
        mh_resp_error(req, resp, 500);
        return MH_ERR;
    }
    send_json(resp, 200, mh_psprintf(req->pool, "{\"csrf\":\"%s\"}", s->csrf));
    return MH_OK;
}

/* Where the second window's sign-in ends: session.js tells the opener and
 * closes the window; if it cannot, the page says to return to the tab. */
static int h_signed_in(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    const char *lang = mh_admin_req_lang(a, req);
    const char *title = mh_admin_t_lookup(a, req->pool, lang, "session.signed_in_title");
    return mh_admin_render(a, req, resp, 200, "session_signed_in", title ? title : "",
                           mh_val_map(req->pool));
}

void mh_admin_session_routes(mh_admin_t *a,
                             void (*add)(mh_admin_t *, unsigned, const char *, mh_auth_t,
                                         const char *, bool, mh_handler_fn, unsigned))
{
    add(a, MH_M_POST, "/session/ping", MH_AUTH_SESSION, MH_PERM_LOGIN, true, h_ping, 0);
    add(a, MH_M_GET, "/session/csrf", MH_AUTH_SESSION, MH_PERM_LOGIN, false, h_csrf, 0);
    add(a, MH_M_GET, "/session/signed-in", MH_AUTH_SESSION, MH_PERM_LOGIN, false, h_signed_in, 0);
}
