/* Random bearer tokens (session cookies, reset links) and their storage
 * hashes. A token is 256 random bits encoded as URL-safe base64 without
 * padding: 43 characters from [A-Za-z0-9_-], safe in a cookie, a URL and
 * HTML. The server stores only mh_token_hash(token), so a copy of the
 * database does not hand out live sessions. All functions are thread-safe. */
#ifndef MH_AUTH_TOKEN_H
#define MH_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/common.h"
#include "../core/str.h"

#define MH_TOKEN_BYTES 32
/* Characters of an encoded token (no NUL). */
#define MH_TOKEN_LEN 43
/* Hex characters of a token hash (BLAKE2b-256), no NUL. */
#define MH_TOKEN_HASH_LEN 64

/* Fill out with a new token and a NUL. Returns MH_OK, or MH_ERR if
 * libsodium cannot be initialised (out is then the empty string). */
int mh_token_new(char out[MH_TOKEN_LEN + 1]);

/* True when t has the exact shape of a token: MH_TOKEN_LEN characters of
 * the URL-safe base64 alphabet whose last character carries no stray bits.
 * Check a presented cookie with this before hashing it. */
bool mh_token_well_formed(mh_str_t t);

/* BLAKE2b-256 of the token's bytes as lower-case hex plus a NUL, the form
 * kept in the database. Deterministic; any input is accepted. Returns MH_OK
 * or MH_ERR (libsodium not available; out is then the empty string). */
int mh_token_hash(mh_str_t token, char out[MH_TOKEN_HASH_LEN + 1]);

/* Constant-time equality of two secrets (tokens, hashes): the time depends
 * only on the lengths, never on where the bytes differ. Strings of
 * different length are unequal. */
bool mh_token_equal(mh_str_t a, mh_str_t b);

#endif
