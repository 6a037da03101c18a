/* CSRF tokens and the Origin/Referer check. */
#include "csrf.h"

#include <string.h>

#include <sodium.h>

#include "password.h"

static const char csrf_label[] = "masthead csrf v1";

_Static_assert(sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                   MH_CSRF_TOKEN_LEN + 1,
               "csrf token length");

int mh_csrf_token(mh_str_t session_secret, char out[MH_CSRF_TOKEN_LEN + 1])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    out[0] = '\0';
    if (session_secret.base == NULL || session_secret.len < MH_CSRF_SECRET_MIN ||
        mh_password_init() != MH_OK)
        return MH_ERR;
    /* The init/update/final form takes a key of any length, so the session
     * cookie's text can be the key as it is. */
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)session_secret.base,
                                session_secret.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)csrf_label, sizeof csrf_label - 1);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(out, MH_CSRF_TOKEN_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(mac, sizeof mac);
    return MH_OK;
}

bool mh_csrf_verify(mh_str_t session_secret, mh_str_t presented)
{
    char want[MH_CSRF_TOKEN_LEN + 1];
    bool ok;

    if (presented.base == NULL || presented.len != MH_CSRF_TOKEN_LEN)
        return false;
    if (mh_csrf_token(session_secret, want) != MH_OK)
        return false;
    ok = sodium_memcmp(want, presented.base, MH_CSRF_TOKEN_LEN) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

/* ---- origin check ---- */

typedef struct {
    bool https;
    mh_str_t host; /* as written, compared ignoring ASCII case */
    unsigned port;
} origin_t;

static bool prefix_nocase(mh_str_t s, const char *p)
{
    size_t n = strlen(p);
    if (s.len < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s.base[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (c != p[i])
            return false;
    }
    return true;
}

static bool host_char(char c, bool bracketed)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.')
        return true;
    return bracketed && c == ':';
}

/* Parse "scheme://host[:port]" at the start of s. With whole set, nothing may
 * follow; otherwise the authority ends at the first '/', '?' or '#'. Strict
 * on purpose: anything unusual fails the check rather than being
 * interpreted. */
static bool parse_origin(mh_str_t s, bool whole, origin_t *o)
{
    size_t i, end, hend;

    if (s.base == NULL)
        return false;
    if (prefix_nocase(s, "https://")) {
        o->https = true;
        i = 8;
    } else if (prefix_nocase(s, "http://")) {
        o->https = false;
        i = 7;
    } else {
        return false;
    }
    end = i;
    while (end < s.len && s.base[end] != '/' && s.base[end] != '?' && s.base[end] != '#')
        end++;
    if (whole && end != s.len)
        return false;

    if (i < end && s.base[i] == '[') {
        hend = i + 1;
        while (hend < end && s.base[hend] != ']') {
            if (!host_char(s.base[hend], true))
                return false;
            hend++;
        }
        if (hend == end || hend == i + 1)
            return false;
        hend++; /* keep the brackets in the host */
    } else {
        hend = i;
        while (hend < end && s.base[hend] != ':') {
            if (!host_char(s.base[hend], false))
                return false;
            hend++;
        }
        if (hend == i)
            return false;
    }
    o->host = mh_str(s.base + i, hend - i);
    o->port = o->https ? 443 : 80;
    if (hend == end)
        return true;
    if (s.base[hend] != ':' || end - hend < 2 || end - hend > 6)
        return false;
    unsigned port = 0;
    for (size_t k = hend + 1; k < end; k++) {
        if (s.base[k] < '0' || s.base[k] > '9')
            return false;
        port = port * 10 + (unsigned)(s.base[k] - '0');
    }
    if (port == 0 || port > 65535)
        return false;
    o->port = port;
    return true;
}

static bool same_origin(const origin_t *a, const origin_t *b)
{
    if (a->https != b->https || a->port != b->port || a->host.len != b->host.len)
        return false;
    for (size_t i = 0; i < a->host.len; i++) {
        char x = a->host.base[i], y = b->host.base[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + ('a' - 'A'));
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + ('a' - 'A'));
        if (x != y)
            return false;
    }
    return true;
}

bool mh_csrf_origin_ok(mh_str_t origin, mh_str_t referer, mh_str_t expected_scheme_host_port)
{
    origin_t want, got;

    if (!parse_origin(expected_scheme_host_port, true, &want))
        return false;
    /* A present Origin is authoritative: a mismatch must not fall back to a
     * Referer the attacker may also control. "null" fails to parse. */
    if (origin.base != NULL && origin.len > 0)
        return parse_origin(origin, true, &got) && same_origin(&want, &got);
    if (referer.base != NULL && referer.len > 0)
        return parse_origin(referer, false, &got) && same_origin(&want, &got);
    return false;
}
