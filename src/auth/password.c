/* Password hashing and policy. libsodium does the cryptography; this file
 * keeps the cost settings, the once-only initialisation and the policy. */
#include "password.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

_Static_assert(MH_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffer size");

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = MH_ERR;

/* Atomics so a test or a config reload can change the cost while other
 * threads hash; a hash reads both once, so a torn pair only means one hash
 * with a mixed cost, which needs_rehash later repairs. */
static _Atomic unsigned long long cur_ops = MH_PASSWORD_DEFAULT_OPSLIMIT;
static _Atomic size_t cur_mem = MH_PASSWORD_DEFAULT_MEMLIMIT;

static void do_init(void)
{
    /* sodium_init returns 1 when it had already been initialised elsewhere. */
    init_result = sodium_init() < 0 ? MH_ERR : MH_OK;
}

int mh_password_init(void)
{
    if (pthread_once(&init_once, do_init) != 0)
        return MH_ERR;
    return init_result;
}

void mh_password_set_limits(unsigned long long opslimit, size_t memlimit)
{
    if (opslimit == 0 || memlimit == 0) {
        opslimit = MH_PASSWORD_DEFAULT_OPSLIMIT;
        memlimit = MH_PASSWORD_DEFAULT_MEMLIMIT;
    }
    if (opslimit < crypto_pwhash_OPSLIMIT_MIN)
        opslimit = crypto_pwhash_OPSLIMIT_MIN;
    if (memlimit < crypto_pwhash_MEMLIMIT_MIN)
        memlimit = crypto_pwhash_MEMLIMIT_MIN;
    atomic_store(&cur_ops, opslimit);
    atomic_store(&cur_mem, memlimit);
}

void mh_password_get_limits(unsigned long long *opslimit, size_t *memlimit)
{
    if (opslimit)
        *opslimit = atomic_load(&cur_ops);
    if (memlimit)
        *memlimit = atomic_load(&cur_mem);
}

int mh_password_hash(const char *pw, size_t len, char out[MH_PASSWORD_HASH_MAX])
{
    out[0] = '\0';
    if (mh_password_init() != MH_OK)
        return MH_ERR;
    if (crypto_pwhash_str(out, pw, len, atomic_load(&cur_ops), atomic_load(&cur_mem)) != 0) {
        out[0] = '\0';
        return MH_ERR;
    }
    return MH_OK;
}

/* libsodium reads the hash as a C string; refuse anything that does not end
 * within the size a hash can have, so a bad database value cannot make it
 * read past its buffer. */
static bool hash_string_ok(const char *hash)
{
    return hash && memchr(hash, '\0', MH_PASSWORD_HASH_MAX) != NULL && hash[0] == '$';
}

int mh_password_verify(const char *hash, const char *pw, size_t len)
{
    if (mh_password_init() != MH_OK || !hash_string_ok(hash))
        return MH_DECLINED;
    return crypto_pwhash_str_verify(hash, pw, len) == 0 ? MH_OK : MH_DECLINED;
}

void mh_password_burn(const char *pw, size_t len)
{
    static const unsigned char salt[crypto_pwhash_SALTBYTES] = "masthead-burn";
    unsigned char out[32];

    if (mh_password_init() != MH_OK)
        return;
    /* Same algorithm and cost as a verify against a current hash. */
    if (crypto_pwhash(out, sizeof out, pw, len, salt, atomic_load(&cur_ops), atomic_load(&cur_mem),
                      crypto_pwhash_ALG_ARGON2ID13) == 0)
        sodium_memzero(out, sizeof out);
}

bool mh_password_needs_rehash(const char *hash)
{
    if (mh_password_init() != MH_OK || !hash_string_ok(hash))
        return true;
    return crypto_pwhash_str_needs_rehash(hash, atomic_load(&cur_ops), atomic_load(&cur_mem)) != 0;
}

/* ---- policy ---- */

/* Decode one UTF-8 sequence at s[*i..len), strictly (RFC 3629): no overlong
 * forms, no surrogates, nothing past U+10FFFF. Returns the code point, or
 * -1 on invalid input. */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    int32_t cp;
    size_t n;
    int32_t min;

    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (len - *i < n + 1)
        return -1;
    for (size_t k = 1; k <= n; k++) {
        unsigned char cc = s[*i + k];
        if ((cc & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i += n + 1;
    return cp;
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool contains_nocase(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || nlen > hlen)
        return false;
    for (size_t i = 0; i + nlen <= hlen; i++) {
        size_t k = 0;
        while (k < nlen && lower((unsigned char)hay[i + k]) == lower((unsigned char)needle[k]))
            k++;
        if (k == nlen)
            return true;
    }
    return false;
}

bool mh_password_is_common(const char *s, size_t len)
{
    size_t lo = 0, hi = mh_password_common_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *e = mh_password_common[mid];
        size_t elen = strlen(e);
        int c = memcmp(s, e, len < elen ? len : elen);
        if (c == 0)
            c = len < elen ? -1 : (len > elen ? 1 : 0);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

int mh_password_check(const char *pw, size_t len, const char *username, const char **why)
{
    int32_t cps[MH_PASSWORD_MAX_CHARS];
    char low[MH_PASSWORD_MAX_CHARS * 4];
    const char *reason = NULL;
    size_t n = 0;
    size_t ulen = username ? strlen(username) : 0;

    if (len == 0 || pw == NULL) {
        reason = MH_PASSWORD_WHY_EMPTY;
        goto done;
    }
    /* Decode everything first so an invalid sequence is reported as such even
     * in a password that is also too long. */
    for (size_t i = 0; i < len;) {
        int32_t cp = utf8_next((const unsigned char *)pw, len, &i);
        if (cp < 0) {
            reason = MH_PASSWORD_WHY_UTF8;
            goto done;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            reason = MH_PASSWORD_WHY_CONTROL;
            goto done;
        }
        if (n < MH_PASSWORD_MAX_CHARS)
            cps[n] = cp;
        n++;
    }
    if (n < MH_PASSWORD_MIN_CHARS) {
        reason = MH_PASSWORD_WHY_SHORT;
        goto done;
    }
    if (n > MH_PASSWORD_MAX_CHARS) {
        reason = MH_PASSWORD_WHY_LONG;
        goto done;
    }
    /* Equality is covered too: a password has at least 12 code points. */
    if (ulen >= 3 && contains_nocase(pw, len, username, ulen)) {
        reason = MH_PASSWORD_WHY_USERNAME;
        goto done;
    }
    for (size_t period = 1; period <= 4; period++) {
        size_t k = period;
        while (k < n && cps[k] == cps[k - period])
            k++;
        if (k == n) {
            reason = period == 1 ? MH_PASSWORD_WHY_REPEATED : MH_PASSWORD_WHY_PATTERN;
            goto done;
        }
    }
    /* n <= 128 code points, so len <= 512 bytes = sizeof low. */
    for (size_t i = 0; i < len; i++)
        low[i] = (char)lower((unsigned char)pw[i]);
    if (mh_password_is_common(low, len))
        reason = MH_PASSWORD_WHY_COMMON;

done:
    sodium_memzero(cps, sizeof cps);
    sodium_memzero(low, sizeof low);
    if (why)
        *why = reason;
    return reason ? MH_DECLINED : MH_OK;
}
