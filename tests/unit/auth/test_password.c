/* Password hashing and policy. Hashing runs at libsodium's minimum cost so
 * the suite stays fast; the policy tests need no hashing at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"

static int setup(void **state)
{
    (void)state;
    mh_password_set_limits(1, 8192);
    return mh_password_init() == MH_OK ? 0 : -1;
}

static void test_limits_defaults(void **state)
{
    unsigned long long ops;
    size_t mem;

    mh_password_set_limits(0, 0);
    mh_password_get_limits(&ops, &mem);
    assert_int_equal(ops, MH_PASSWORD_DEFAULT_OPSLIMIT);
    assert_int_equal(mem, MH_PASSWORD_DEFAULT_MEMLIMIT);
    /* Below libsodium's minimum is raised to it. */
    mh_password_set_limits(1, 1);
    mh_password_get_limits(&ops, &mem);
    assert_int_equal(ops, 1);
    assert_int_equal(mem, 8192);
}

static void test_hash_verify_round_trip(void **state)
{
    const char pw[] = "correct horse battery staple";
    char h[MH_PASSWORD_HASH_MAX];

    assert_int_equal(mh_password_hash(pw, strlen(pw), h), MH_OK);
    assert_true(strncmp(h, "$argon2id$v=19$m=8,t=1,p=1$", 27) == 0);
    assert_true(strlen(h) < MH_PASSWORD_HASH_MAX);
    assert_int_equal(mh_password_verify(h, pw, strlen(pw)), MH_OK);
}

static void test_wrong_password_fails(void **state)
{
    const char pw[] = "correct horse battery staple";
    char h[MH_PASSWORD_HASH_MAX];

    assert_int_equal(mh_password_hash(pw, strlen(pw), h), MH_OK);
    assert_int_equal(mh_password_verify(h, "correct horse battery stapl", 27), MH_DECLINED);
    assert_int_equal(mh_password_verify(h, "Correct horse battery staple", 28), MH_DECLINED);
    assert_int_equal(mh_password_verify(h, "", 0), MH_DECLINED);
    /* The length is what counts, not a NUL: bytes after a NUL matter. */
    assert_int_equal(mh_password_hash("abc\0def-ghijkl", 14, h), MH_OK);
    assert_int_equal(mh_password_verify(h, "abc\0def-ghijkl", 14), MH_OK);
    assert_int_equal(mh_password_verify(h, "abc\0xyz-ghijkl", 14), MH_DECLINED);
    assert_int_equal(mh_password_verify(h, "abc", 3), MH_DECLINED);
}

static void test_hashes_differ_per_call(void **state)
{
    const char pw[] = "same password twice";
    char a[MH_PASSWORD_HASH_MAX], b[MH_PASSWORD_HASH_MAX];

    assert_int_equal(mh_password_hash(pw, strlen(pw), a), MH_OK);
    assert_int_equal(mh_password_hash(pw, strlen(pw), b), MH_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(mh_password_verify(a, pw, strlen(pw)), MH_OK);
    assert_int_equal(mh_password_verify(b, pw, strlen(pw)), MH_OK);
}

static void test_malformed_hash_declined(void **state)
{
    const char pw[] = "some password here";
    char h[MH_PASSWORD_HASH_MAX];
    char big[300];

    assert_int_equal(mh_password_verify("", pw, strlen(pw)), MH_DECLINED);
    assert_int_equal(mh_password_verify("not a hash", pw, strlen(pw)), MH_DECLINED);
    assert_int_equal(mh_password_verify(NULL, pw, strlen(pw)), MH_DECLINED);
    assert_int_equal(mh_password_hash(pw, strlen(pw), h), MH_OK);
    /* Tampering with the stored digest breaks it. */
    size_t n = strlen(h);
    h[n - 2] = h[n - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(mh_password_verify(h, pw, strlen(pw)), MH_DECLINED);
    /* A string longer than any hash is refused without being read as one. */
    memset(big, 'a', sizeof big);
    big[0] = '$';
    big[sizeof big - 1] = '\0';
    assert_int_equal(mh_password_verify(big, pw, strlen(pw)), MH_DECLINED);
    assert_true(mh_password_needs_rehash(big));
    assert_true(mh_password_needs_rehash("garbage"));
}

static void test_needs_rehash(void **state)
{
    const char pw[] = "rehash me when the cost goes up";
    char h[MH_PASSWORD_HASH_MAX];

    assert_int_equal(mh_password_hash(pw, strlen(pw), h), MH_OK);
    assert_false(mh_password_needs_rehash(h));
    mh_password_set_limits(2, 8192);
    assert_true(mh_password_needs_rehash(h));
    mh_password_set_limits(1, 16384);
    assert_true(mh_password_needs_rehash(h));
    /* The old hash still verifies after the cost changed. */
    assert_int_equal(mh_password_verify(h, pw, strlen(pw)), MH_OK);
    char h2[MH_PASSWORD_HASH_MAX];
    assert_int_equal(mh_password_hash(pw, strlen(pw), h2), MH_OK);
    assert_false(mh_password_needs_rehash(h2));
    assert_true(strstr(h2, "m=16,t=1") != NULL);
    mh_password_set_limits(1, 8192);
    assert_false(mh_password_needs_rehash(h));
}

static void test_burn_accepts_any_input(void **state)
{
    /* burn must cope with empty and binary input and leave the limits as
     * they were (it reads them, never sets them). */
    unsigned long long ops;
    size_t mem;
    mh_password_burn("", 0);
    mh_password_burn("x\0y", 3);
    mh_password_get_limits(&ops, &mem);
    assert_int_equal(ops, 1);
    assert_int_equal(mem, 8192);
}

/* ---- policy ---- */

static const char *why_of(const char *pw, size_t len, const char *user)
{
    const char *why = "unset";
    int rc = mh_password_check(pw, len, user, &why);
    if (rc == MH_OK) {
        assert_null(why);
        return NULL;
    }
    assert_int_equal(rc, MH_DECLINED);
    assert_non_null(why);
    return why;
}

#define WHY(pw, user) why_of((pw), strlen(pw), (user))

static void test_policy_length(void **state)
{
    assert_string_equal(why_of("", 0, NULL), MH_PASSWORD_WHY_EMPTY);
    assert_string_equal(WHY("short", NULL), MH_PASSWORD_WHY_SHORT);
    assert_string_equal(WHY("Kx9#mQ2!vL7", NULL), MH_PASSWORD_WHY_SHORT); /* 11 */
    assert_null(WHY("Kx9#mQ2!vL7z", NULL));                               /* 12 */

    char buf[200];
    for (size_t i = 0; i < 128; i++)
        buf[i] = (char)('a' + (i * 7 + i / 26) % 26);
    assert_null(why_of(buf, 128, NULL));
    buf[128] = 'q';
    assert_string_equal(why_of(buf, 129, NULL), MH_PASSWORD_WHY_LONG);
}

static void test_policy_counts_code_points(void **state)
{
    /* 11 CJK characters are 33 bytes, still too short; 12 are enough. */
    const char eleven[] = "我们的网站内容管理系统"; /* 11 */
    const char twelve[] = "我们的网站内容管理系统好";
    assert_int_equal(strlen(eleven), 33);
    assert_string_equal(WHY(eleven, NULL), MH_PASSWORD_WHY_SHORT);
    assert_null(WHY(twelve, NULL));

    /* 128 three-byte characters (384 bytes) pass, 129 fail. */
    char buf[129 * 3 + 1];
    for (int i = 0; i < 129; i++) {
        unsigned cp = 0x4E00 + (unsigned)i * 37;
        buf[i * 3] = (char)(0xE0 | (cp >> 12));
        buf[i * 3 + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[i * 3 + 2] = (char)(0x80 | (cp & 0x3F));
    }
    assert_null(why_of(buf, 128 * 3, NULL));
    assert_string_equal(why_of(buf, 129 * 3, NULL), MH_PASSWORD_WHY_LONG);
}

static void test_policy_invalid_utf8(void **state)
{
    static const char *const bad[] = {
        "good-prefix-\xff-suffix",         /* never valid */
        "good-prefix-\xc0\xaf-suffix",     /* overlong '/' */
        "good-prefix-\xe0\x80\xaf-suffix", /* overlong 3-byte */
        "good-prefix-\xed\xa0\x80-suffix", /* surrogate U+D800 */
        "good-prefix-\xf4\x90\x80\x80-x",  /* past U+10FFFF */
        "good-prefix-\x80-suffix",         /* stray continuation */
        "good-prefix-suffix-\xe4\xb8",     /* truncated at the end */
        "good-prefix-\xe4\xb8-suffix",     /* truncated in the middle */
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++)
        assert_string_equal(WHY(bad[i], NULL), MH_PASSWORD_WHY_UTF8);
    /* Valid 4-byte sequence (U+1F511) passes. */
    assert_null(WHY("good-prefix-\xf0\x9f\x94\x91-suffix", NULL));
}

static void test_policy_control_chars(void **state)
{
    assert_string_equal(WHY("line-one\nline-two", NULL), MH_PASSWORD_WHY_CONTROL);
    assert_string_equal(WHY("tab\there-and-more", NULL), MH_PASSWORD_WHY_CONTROL);
    assert_string_equal(why_of("nul-\0-inside-it", 16, NULL), MH_PASSWORD_WHY_CONTROL);
    assert_string_equal(WHY("c1-\xc2\x85-control-char", NULL), MH_PASSWORD_WHY_CONTROL);
}

static void test_policy_username(void **state)
{
    assert_string_equal(WHY("alexander-the-great", "alexander"), MH_PASSWORD_WHY_USERNAME);
    assert_string_equal(WHY("xx-ALEXANDER-xx-99", "Alexander"), MH_PASSWORD_WHY_USERNAME);
    assert_string_equal(WHY("webmaster-2023-x", "webmaster-2023-x"), MH_PASSWORD_WHY_USERNAME);
    assert_string_equal(WHY("my-bob-is-great-9", "bob"), MH_PASSWORD_WHY_USERNAME);
    /* Too short a name to forbid as a substring. */
    assert_null(WHY("always-alright-now", "al"));
    assert_null(WHY("always-alright-now", NULL));
    assert_null(WHY("always-alright-now", ""));
    assert_null(WHY("always-alright-now", "carol"));
}

static void test_policy_repeats(void **state)
{
    assert_string_equal(WHY("aaaaaaaaaaaa", NULL), MH_PASSWORD_WHY_REPEATED);
    assert_string_equal(WHY("............................", NULL), MH_PASSWORD_WHY_REPEATED);
    assert_string_equal(WHY("éééééééééééé", NULL), MH_PASSWORD_WHY_REPEATED);
    assert_string_equal(WHY("好好好好好好好好好好好好", NULL), MH_PASSWORD_WHY_REPEATED);
    assert_string_equal(WHY("xyxyxyxyxyxyxyx", NULL), MH_PASSWORD_WHY_PATTERN);
    assert_string_equal(WHY("w9!zw9!zw9!zw9!z", NULL), MH_PASSWORD_WHY_PATTERN);
    /* A unit of five repeated is left to the length and list rules. */
    assert_null(WHY("w9!zkw9!zkw9!zk", NULL));
    /* Almost repeated is fine. */
    assert_null(WHY("aaaaaaaaaaab", NULL));
}

static void test_policy_common_list(void **state)
{
    static const char *const common[] = {
        "password1234",   "PASSWORD1234",  "PassWord1234",
        "qwertyuiop12",   "QwErTyUiOp12",  "123456789012",
        "iloveyou1234",   "ILoveYou1234",  "1qaz2wsx3edc",
        "p@ssw0rd1234",   "administrator", "woaini5201314",
        "letmeinletmein", "qwerty123456",  "welcome12345",
        "football2024",   "abcdefghijkl",  "correcthorsebatterystaple",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(common); i++) {
        const char *why = WHY(common[i], NULL);
        if (why == NULL || strcmp(why, MH_PASSWORD_WHY_COMMON) != 0)
            fail_msg("'%s' should be on the common list (got %s)", common[i],
                     why ? why : "accepted");
    }
    assert_true(mh_password_is_common("password1234", 12));
    assert_false(mh_password_is_common("password123", 11));
    assert_false(mh_password_is_common("password12345x", 14));
}

static void test_policy_good_passphrases(void **state)
{
    assert_null(WHY("correct-horse-battery-staple-7", "alice"));
    assert_null(WHY("Mountain river 4 lanterns", "editor"));
    assert_null(WHY("我们的网站内容管理系统很安全", "admin"));
    assert_null(WHY("Kx9#mQ2!vL7zTr", "admin"));
    /* why may be NULL. */
    assert_int_equal(mh_password_check("Kx9#mQ2!vL7zTr", 14, NULL, NULL), MH_OK);
    assert_int_equal(mh_password_check("short", 5, NULL, NULL), MH_DECLINED);
}

/* ---- the embedded list ---- */

static void test_common_list_sorted_lower_unique(void **state)
{
    assert_true(mh_password_common_count > 3000);
    for (size_t i = 0; i < mh_password_common_count; i++) {
        const char *e = mh_password_common[i];
        assert_true(strlen(e) >= 12);
        for (const char *p = e; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        if (i > 0 && strcmp(mh_password_common[i - 1], e) >= 0)
            fail_msg("list out of order at %zu: '%s' then '%s'", i, mh_password_common[i - 1], e);
        assert_true(mh_password_is_common(e, strlen(e)));
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The generated C file must match data/common-passwords.txt. */
static void test_common_list_matches_text(void **state)
{
    FILE *f = fopen(MH_DATADIR "/data/common-passwords.txt", "r");
    char line[512];
    size_t n = 0, cap = 16384, uniq = 0;
    char **all = malloc(cap * sizeof *all);

    assert_non_null(f);
    assert_non_null(all);
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (line[0] == '#' || len < 12)
            continue;
        for (size_t i = 0; i < len; i++)
            if (line[i] >= 'A' && line[i] <= 'Z')
                line[i] = (char)(line[i] + ('a' - 'A'));
        if (!mh_password_is_common(line, len))
            fail_msg("'%s' is in the text list but not in the C array: run "
                     "scripts/gen-common-passwords.sh",
                     line);
        assert_true(n < cap);
        all[n] = strdup(line);
        assert_non_null(all[n]);
        n++;
    }
    fclose(f);
    qsort(all, n, sizeof *all, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(all[i - 1], all[i]) != 0)
            uniq++;
    assert_int_equal(uniq, mh_password_common_count);
    for (size_t i = 0; i < n; i++)
        free(all[i]);
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_limits_defaults, setup),
        cmocka_unit_test_setup(test_hash_verify_round_trip, setup),
        cmocka_unit_test_setup(test_wrong_password_fails, setup),
        cmocka_unit_test_setup(test_hashes_differ_per_call, setup),
        cmocka_unit_test_setup(test_malformed_hash_declined, setup),
        cmocka_unit_test_setup(test_needs_rehash, setup),
        cmocka_unit_test_setup(test_burn_accepts_any_input, setup),
        cmocka_unit_test(test_policy_length),
        cmocka_unit_test(test_policy_counts_code_points),
        cmocka_unit_test(test_policy_invalid_utf8),
        cmocka_unit_test(test_policy_control_chars),
        cmocka_unit_test(test_policy_username),
        cmocka_unit_test(test_policy_repeats),
        cmocka_unit_test(test_policy_common_list),
        cmocka_unit_test(test_policy_good_passphrases),
        cmocka_unit_test(test_common_list_sorted_lower_unique),
        cmocka_unit_test(test_common_list_matches_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
