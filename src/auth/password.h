/* Password hashing (argon2id through libsodium) and the password policy.
 *
 * Hashes are libsodium's self-describing strings ("$argon2id$v=19$m=...,
 * t=...,p=1$salt$hash"), at most MH_PASSWORD_HASH_MAX - 1 characters, safe
 * to store as text. Each call draws a new random salt.
 *
 * Cost: by default opslimit 3, memlimit 64 MiB. On the 2-core reference
 * machine one hash or verify takes about 175 ms and holds 64 MiB for that
 * time (two logins at once: 128 MiB); for comparison libsodium's
 * INTERACTIVE preset (2 passes, 64 MiB) took ~165 ms, 4 passes ~225 ms,
 * 128 MiB ~440 ms and the MODERATE preset (3 passes, 256 MiB) ~950 ms, too
 * slow for a login. Because the parameters are stored in every hash,
 * raising them later only needs mh_password_needs_rehash() at the next
 * successful login.
 *
 * All functions here are thread-safe. */
#ifndef MH_AUTH_PASSWORD_H
#define MH_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/common.h"

/* Size of a buffer that holds any hash string, NUL included
 * (crypto_pwhash_STRBYTES). */
#define MH_PASSWORD_HASH_MAX 128

#define MH_PASSWORD_DEFAULT_OPSLIMIT 3ULL
#define MH_PASSWORD_DEFAULT_MEMLIMIT ((size_t)64 << 20)

/* Policy bounds, counted in Unicode code points (see mh_password_check). */
#define MH_PASSWORD_MIN_CHARS 12
#define MH_PASSWORD_MAX_CHARS 128

/* The reasons mh_password_check gives, as stable strings a user interface
 * can compare against (with strcmp) to show a translated message. */
#define MH_PASSWORD_WHY_EMPTY "password is empty"
#define MH_PASSWORD_WHY_UTF8 "password is not valid UTF-8"
#define MH_PASSWORD_WHY_CONTROL "password contains control characters"
#define MH_PASSWORD_WHY_SHORT "password is shorter than 12 characters"
#define MH_PASSWORD_WHY_LONG "password is longer than 128 characters"
#define MH_PASSWORD_WHY_USERNAME "password contains the user name"
#define MH_PASSWORD_WHY_REPEATED "password is one character repeated"
#define MH_PASSWORD_WHY_PATTERN "password is a short pattern repeated"
#define MH_PASSWORD_WHY_COMMON "password is on the list of common passwords"

/* Initialise libsodium once for all of src/auth. Idempotent and safe to
 * call from several threads at once; every function in src/auth calls it
 * itself, so calling it at startup only moves the cost and surfaces a
 * failure early. Returns MH_OK, or MH_ERR if libsodium cannot initialise
 * (then no function of src/auth that needs randomness or hashing works). */
int mh_password_init(void);

/* Set the argon2id cost used by new hashes and by mh_password_needs_rehash.
 * opslimit 0 or memlimit 0 restores the defaults. Values below libsodium's
 * minimum (1 pass, 8 KiB) are raised to it. Meant for start-up config and
 * for tests, which use the minimum to stay fast. */
void mh_password_set_limits(unsigned long long opslimit, size_t memlimit);
void mh_password_get_limits(unsigned long long *opslimit, size_t *memlimit);

/* Hash pw[0..len) into out (NUL-terminated). Returns MH_OK, or MH_ERR when
 * libsodium fails (out of memory for the memlimit, or not initialised). */
int mh_password_hash(const char *pw, size_t len, char out[MH_PASSWORD_HASH_MAX]);

/* Check pw[0..len) against a stored hash string (NUL-terminated). The
 * comparison is constant-time. Returns MH_OK on a match, MH_DECLINED on a
 * mismatch or a malformed / unsupported hash string. */
int mh_password_verify(const char *hash, const char *pw, size_t len);

/* Spend the time of one verify without any stored hash, so a login for an
 * unknown account takes as long as one for a known account. */
void mh_password_burn(const char *pw, size_t len);

/* True when hash was made with other parameters than the current limits
 * (or is malformed): after a successful verify, hash the password again and
 * store the new hash. */
bool mh_password_needs_rehash(const char *hash);

/* Password policy for new passwords. Returns MH_OK when pw[0..len) is
 * acceptable, otherwise MH_DECLINED with *why (if why is non-NULL) set to one
 * of the MH_PASSWORD_WHY_* strings. The rules, in order:
 *   - valid UTF-8 (no overlong forms, surrogates or code points past
 *     U+10FFFF) with no control characters (C0, DEL, C1);
 *   - 12 to 128 code points. Code points, not bytes, so a passphrase in
 *     Chinese needs 12 characters just like one in English (12 bytes would
 *     be only four Chinese characters); 128 code points are at most 512
 *     bytes, which bounds the hashing input;
 *   - not equal to the user name, and, for user names of 3 bytes or more,
 *     not containing it (both compared ignoring ASCII case); username may
 *     be NULL or empty to skip this rule;
 *   - not one code point repeated, nor a pattern of 2 to 4 code points
 *     repeated ("abababababab");
 *   - not on the embedded list of common passwords, compared ignoring ASCII
 *     case. */
int mh_password_check(const char *pw, size_t len, const char *username, const char **why);

/* The embedded common-password list (src/auth/common_passwords.c, generated
 * from data/common-passwords.txt by scripts/gen-common-passwords.sh):
 * lower-case, sorted by byte value, without duplicates. */
extern const char *const mh_password_common[];
extern const size_t mh_password_common_count;

/* True when the NUL-free lower-case string s[0..len) is on the list. */
bool mh_password_is_common(const char *s, size_t len);

#endif
