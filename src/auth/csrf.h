/* Cross-site request forgery defences for state-changing requests:
 *
 *  1. a per-session token derived from the session secret, put in forms
 *     (hidden field) and in a header for scripted requests, and checked on
 *     every unsafe method;
 *  2. an origin check on the Origin header, or on the Referer when a
 *     browser sent no Origin.
 *
 * The token is HMAC-SHA-256(key = session secret, "masthead csrf v1"),
 * URL-safe base64 without padding. Deriving it needs no storage; it changes
 * with the session (a new login makes old forms fail) and does not reveal
 * the session secret. Pass the raw session token from the cookie (or any
 * per-session secret of at least 16 bytes), never something an attacker
 * can read. All functions are thread-safe. */
#ifndef MH_AUTH_CSRF_H
#define MH_AUTH_CSRF_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/common.h"
#include "../core/str.h"

/* Characters of a CSRF token (no NUL). */
#define MH_CSRF_TOKEN_LEN 43
/* Shortest session secret accepted. */
#define MH_CSRF_SECRET_MIN 16

/* Write the token for session_secret and a NUL into out. Returns MH_OK, or
 * MH_ERR for a secret shorter than MH_CSRF_SECRET_MIN or when libsodium is
 * unavailable (out is then the empty string). */
int mh_csrf_token(mh_str_t session_secret, char out[MH_CSRF_TOKEN_LEN + 1]);

/* True when presented is the token for session_secret. Constant-time in the
 * token's content; false for any malformed input or short secret. */
bool mh_csrf_verify(mh_str_t session_secret, mh_str_t presented);

/* True when the request comes from the site's own pages. expected is the
 * site's "scheme://host[:port]" (no path). Rules:
 *   - a non-empty Origin decides alone: it must name the same scheme, host
 *     and port as expected (scheme and host compared ignoring ASCII case, a
 *     missing port taken as the scheme's default, 80 or 443); "null" and
 *     anything with a path, user info or a malformed port fail;
 *   - with no Origin, the Referer's scheme://host[:port] must match in the
 *     same way (the rest of the Referer is ignored);
 *   - with neither, the request fails.
 * Only http and https are accepted. */
bool mh_csrf_origin_ok(mh_str_t origin, mh_str_t referer, mh_str_t expected_scheme_host_port);

#endif
