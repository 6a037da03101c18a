/* Session tokens: shape, randomness, storage hash, constant-time compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/token.h"

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#define MANY 2000

static int cmp_tok(const void *a, const void *b)
{
    return memcmp(a, b, MH_TOKEN_LEN + 1);
}

static void test_token_shape(void **state)
{
    char t[MH_TOKEN_LEN + 1];

    assert_int_equal(mh_token_new(t), MH_OK);
    assert_int_equal(strlen(t), MH_TOKEN_LEN);
    assert_int_equal(strspn(t, b64url), MH_TOKEN_LEN);
    assert_null(strchr(t, '='));
    assert_true(mh_token_well_formed(mh_str(t, MH_TOKEN_LEN)));
}

static void test_tokens_unique_and_spread(void **state)
{
    char(*toks)[MH_TOKEN_LEN + 1] = malloc(MANY * sizeof *toks);
    unsigned freq[64] = {0};
    unsigned long ones = 0;

    assert_non_null(toks);
    for (int i = 0; i < MANY; i++) {
        assert_int_equal(mh_token_new(toks[i]), MH_OK);
        /* The first 42 characters carry 6 random bits each. */
        for (int k = 0; k < MH_TOKEN_LEN - 1; k++) {
            const char *p = strchr(b64url, toks[i][k]);
            assert_non_null(p);
            unsigned v = (unsigned)(p - b64url);
            freq[v]++;
            ones += (unsigned long)__builtin_popcount(v);
        }
    }
    qsort(toks, MANY, sizeof *toks, cmp_tok);
    for (int i = 1; i < MANY; i++)
        assert_true(memcmp(toks[i - 1], toks[i], MH_TOKEN_LEN) != 0);
    /* 84000 symbols over 64 values: 1312 expected each, sd ~36. */
    for (int v = 0; v < 64; v++) {
        if (freq[v] < 1100 || freq[v] > 1530)
            fail_msg("symbol %c seen %u times", b64url[v], freq[v]);
    }
    /* 504000 bits: half set, sd ~355. */
    assert_in_range(ones, 252000 - 3000, 252000 + 3000);
    free(toks);
}

static void test_well_formed_rejects(void **state)
{
    char t[MH_TOKEN_LEN + 2];

    assert_int_equal(mh_token_new(t), MH_OK);
    assert_false(mh_token_well_formed(mh_str(t, MH_TOKEN_LEN - 1)));
    t[MH_TOKEN_LEN] = 'A';
    t[MH_TOKEN_LEN + 1] = '\0';
    assert_false(mh_token_well_formed(mh_str(t, MH_TOKEN_LEN + 1)));
    t[MH_TOKEN_LEN] = '\0';
    assert_false(mh_token_well_formed(MH_STR_NULL));
    assert_false(mh_token_well_formed(MH_STR_LIT("")));

    char bad[MH_TOKEN_LEN + 1];
    static const char wrong[] = {'+', '/', '=', '.', ' ', '%'};
    for (size_t i = 0; i < sizeof wrong; i++) {
        memcpy(bad, t, sizeof bad);
        bad[5] = wrong[i];
        assert_false(mh_token_well_formed(mh_str(bad, MH_TOKEN_LEN)));
    }
    /* The last character holds 4 bits; its 2 low bits must be zero. */
    memcpy(bad, t, sizeof bad);
    bad[MH_TOKEN_LEN - 1] = 'A';
    assert_true(mh_token_well_formed(mh_str(bad, MH_TOKEN_LEN)));
    bad[MH_TOKEN_LEN - 1] = 'E';
    assert_true(mh_token_well_formed(mh_str(bad, MH_TOKEN_LEN)));
    bad[MH_TOKEN_LEN - 1] = 'B';
    assert_false(mh_token_well_formed(mh_str(bad, MH_TOKEN_LEN)));
}

static void test_hash_known_values(void **state)
{
    char h[MH_TOKEN_HASH_LEN + 1];

    assert_int_equal(mh_token_hash(MH_STR_LIT(""), h), MH_OK);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    assert_int_equal(mh_token_hash(MH_STR_LIT("abc"), h), MH_OK);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    /* Only the given length counts. */
    assert_int_equal(mh_token_hash(mh_str("abcdef", 3), h), MH_OK);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void test_hash_stable_and_distinct(void **state)
{
    char t[MH_TOKEN_LEN + 1], h1[MH_TOKEN_HASH_LEN + 1], h2[MH_TOKEN_HASH_LEN + 1];

    assert_int_equal(mh_token_new(t), MH_OK);
    assert_int_equal(mh_token_hash(mh_str(t, MH_TOKEN_LEN), h1), MH_OK);
    assert_int_equal(mh_token_hash(mh_str(t, MH_TOKEN_LEN), h2), MH_OK);
    assert_string_equal(h1, h2);
    assert_int_equal(strlen(h1), MH_TOKEN_HASH_LEN);
    assert_int_equal(strspn(h1, "0123456789abcdef"), MH_TOKEN_HASH_LEN);
    /* The hash is not the token. */
    assert_null(strstr(h1, t));
    t[0] = t[0] == 'A' ? 'B' : 'A';
    assert_int_equal(mh_token_hash(mh_str(t, MH_TOKEN_LEN), h2), MH_OK);
    assert_string_not_equal(h1, h2);
}

static void test_equal(void **state)
{
    assert_true(mh_token_equal(MH_STR_LIT("abcdef"), MH_STR_LIT("abcdef")));
    assert_false(mh_token_equal(MH_STR_LIT("abcdef"), MH_STR_LIT("abcdeg")));
    assert_false(mh_token_equal(MH_STR_LIT("abcdef"), MH_STR_LIT("Abcdef")));
    assert_false(mh_token_equal(MH_STR_LIT("abcdef"), MH_STR_LIT("abcde")));
    assert_false(mh_token_equal(MH_STR_LIT(""), MH_STR_LIT("a")));
    assert_true(mh_token_equal(MH_STR_LIT(""), MH_STR_NULL));

    char t[MH_TOKEN_LEN + 1], u[MH_TOKEN_LEN + 1];
    assert_int_equal(mh_token_new(t), MH_OK);
    memcpy(u, t, sizeof u);
    assert_true(mh_token_equal(mh_str(t, MH_TOKEN_LEN), mh_str(u, MH_TOKEN_LEN)));
    u[MH_TOKEN_LEN - 1] ^= 1;
    assert_false(mh_token_equal(mh_str(t, MH_TOKEN_LEN), mh_str(u, MH_TOKEN_LEN)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_shape),
        cmocka_unit_test(test_tokens_unique_and_spread),
        cmocka_unit_test(test_well_formed_rejects),
        cmocka_unit_test(test_hash_known_values),
        cmocka_unit_test(test_hash_stable_and_distinct),
        cmocka_unit_test(test_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
