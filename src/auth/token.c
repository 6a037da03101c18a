/* Tokens: libsodium's CSPRNG, base64 and BLAKE2b. */
#include "token.h"

#include <string.h>

#include <sodium.h>

#include "password.h"

_Static_assert(sodium_base64_ENCODED_LEN(MH_TOKEN_BYTES,
                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                   MH_TOKEN_LEN + 1,
               "token length");

int mh_token_new(char out[MH_TOKEN_LEN + 1])
{
    unsigned char raw[MH_TOKEN_BYTES];

    out[0] = '\0';
    if (mh_password_init() != MH_OK)
        return MH_ERR;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, MH_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return MH_OK;
}

bool mh_token_well_formed(mh_str_t t)
{
    unsigned char raw[MH_TOKEN_BYTES];
    size_t n = 0;
    bool ok;

    if (t.len != MH_TOKEN_LEN || t.base == NULL || mh_password_init() != MH_OK)
        return false;
    /* libsodium's decoder rejects characters outside the alphabet and
     * non-zero padding bits, so one token has exactly one spelling. */
    ok = sodium_base642bin(raw, sizeof raw, t.base, t.len, NULL, &n, NULL,
                           sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
         n == sizeof raw;
    sodium_memzero(raw, sizeof raw);
    return ok;
}

int mh_token_hash(mh_str_t token, char out[MH_TOKEN_HASH_LEN + 1])
{
    unsigned char h[MH_TOKEN_HASH_LEN / 2];

    out[0] = '\0';
    if (mh_password_init() != MH_OK)
        return MH_ERR;
    if (crypto_generichash(h, sizeof h, (const unsigned char *)(token.base ? token.base : ""),
                           token.len, NULL, 0) != 0)
        return MH_ERR;
    sodium_bin2hex(out, MH_TOKEN_HASH_LEN + 1, h, sizeof h);
    return MH_OK;
}

bool mh_token_equal(mh_str_t a, mh_str_t b)
{
    if (a.len != b.len)
        return false;
    if (a.len == 0)
        return true;
    return sodium_memcmp(a.base, b.base, a.len) == 0;
}
