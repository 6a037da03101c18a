/* CSRF tokens and the Origin / Referer check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/csrf.h"

#define SECRET MH_STR_LIT("session-secret-0123456789abcdef")
#define OTHER MH_STR_LIT("session-secret-0123456789abcdeF")

static void test_token_known_value(void **state)
{
    char t[MH_CSRF_TOKEN_LEN + 1];

    /* HMAC-SHA-256(key = secret, "masthead csrf v1"), base64url, no padding. */
    assert_int_equal(mh_csrf_token(SECRET, t), MH_OK);
    assert_string_equal(t, "qUi3fGWRECz2D8SPAwsoPrpDgD7dMQy-eabAENtMzco");
}

static void test_token_per_session(void **state)
{
    char a[MH_CSRF_TOKEN_LEN + 1], b[MH_CSRF_TOKEN_LEN + 1], c[MH_CSRF_TOKEN_LEN + 1];

    assert_int_equal(mh_csrf_token(SECRET, a), MH_OK);
    assert_int_equal(mh_csrf_token(SECRET, b), MH_OK);
    assert_int_equal(mh_csrf_token(OTHER, c), MH_OK);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), MH_CSRF_TOKEN_LEN);
    /* The token does not contain the secret. */
    assert_null(strstr(a, "session"));
}

static void test_verify(void **state)
{
    char t[MH_CSRF_TOKEN_LEN + 1];

    assert_int_equal(mh_csrf_token(SECRET, t), MH_OK);
    assert_true(mh_csrf_verify(SECRET, mh_str(t, MH_CSRF_TOKEN_LEN)));
    /* Another session's token. */
    assert_false(mh_csrf_verify(OTHER, mh_str(t, MH_CSRF_TOKEN_LEN)));
    /* Wrong lengths. */
    assert_false(mh_csrf_verify(SECRET, mh_str(t, MH_CSRF_TOKEN_LEN - 1)));
    assert_false(mh_csrf_verify(SECRET, MH_STR_LIT("")));
    assert_false(mh_csrf_verify(SECRET, MH_STR_NULL));
}

static void test_tamper(void **state)
{
    char t[MH_CSRF_TOKEN_LEN + 1], u[MH_CSRF_TOKEN_LEN + 1];

    assert_int_equal(mh_csrf_token(SECRET, t), MH_OK);
    for (size_t i = 0; i < MH_CSRF_TOKEN_LEN; i++) {
        memcpy(u, t, sizeof u);
        u[i] = u[i] == 'x' ? 'y' : 'x';
        assert_false(mh_csrf_verify(SECRET, mh_str(u, MH_CSRF_TOKEN_LEN)));
    }
}

static void test_short_secret(void **state)
{
    char t[MH_CSRF_TOKEN_LEN + 1] = "junk";

    assert_int_equal(mh_csrf_token(MH_STR_LIT("too-short"), t), MH_ERR);
    assert_string_equal(t, "");
    assert_int_equal(mh_csrf_token(MH_STR_NULL, t), MH_ERR);
    /* An attacker cannot make an empty or short secret verify. */
    assert_false(mh_csrf_verify(MH_STR_LIT(""), MH_STR_LIT("")));
    assert_false(
        mh_csrf_verify(MH_STR_LIT("x"), MH_STR_LIT("qUi3fGWRECz2D8SPAwsoPrpDgD7dMQy-eabAENtMzco")));
}

/* ---- origin ---- */

#define SITE MH_STR_LIT("https://www.example.gov.cn")
#define NONE MH_STR_NULL
#define S(x) MH_STR_LIT(x)

static void test_origin_exact(void **state)
{
    assert_true(mh_csrf_origin_ok(S("https://www.example.gov.cn"), NONE, SITE));
    assert_true(mh_csrf_origin_ok(S("HTTPS://WWW.Example.gov.cn"), NONE, SITE));
    /* The default port, written or not, is the same origin. */
    assert_true(mh_csrf_origin_ok(S("https://www.example.gov.cn:443"), NONE, SITE));
    assert_true(mh_csrf_origin_ok(S("https://www.example.gov.cn"), NONE,
                                  S("https://www.example.gov.cn:443")));
    assert_false(mh_csrf_origin_ok(S("https://example.gov.cn"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("https://www.example.gov.cn.evil.com"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("https://www.example.gov.cn/"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("https://www.example.gov.c"), NONE, SITE));
}

static void test_origin_port(void **state)
{
    assert_false(mh_csrf_origin_ok(S("https://www.example.gov.cn:8443"), NONE, SITE));
    assert_true(mh_csrf_origin_ok(S("http://127.0.0.1:8080"), NONE, S("http://127.0.0.1:8080")));
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1:8081"), NONE, S("http://127.0.0.1:8080")));
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1"), NONE, S("http://127.0.0.1:8080")));
    assert_true(mh_csrf_origin_ok(S("http://[::1]:8080"), NONE, S("http://[::1]:8080")));
    assert_false(mh_csrf_origin_ok(S("http://[::1]:8081"), NONE, S("http://[::1]:8080")));
    /* Malformed ports. */
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1:"), NONE, S("http://127.0.0.1:80")));
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1:0"), NONE, S("http://127.0.0.1:80")));
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1:65616"), NONE, S("http://127.0.0.1:80")));
    assert_false(mh_csrf_origin_ok(S("http://127.0.0.1:8o"), NONE, S("http://127.0.0.1:80")));
}

static void test_origin_scheme(void **state)
{
    assert_false(mh_csrf_origin_ok(S("http://www.example.gov.cn"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("http://www.example.gov.cn:443"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("ftp://www.example.gov.cn"), NONE, SITE));
    assert_false(mh_csrf_origin_ok(S("https:/www.example.gov.cn"), NONE, SITE));
}

static void test_origin_null(void **state)
{
    assert_false(mh_csrf_origin_ok(S("null"), NONE, SITE));
    /* A null origin is not rescued by a good referer. */
    assert_false(mh_csrf_origin_ok(S("null"), S("https://www.example.gov.cn/admin/"), SITE));
    /* Neither is a mismatched one. */
    assert_false(
        mh_csrf_origin_ok(S("https://evil.example"), S("https://www.example.gov.cn/admin/"), SITE));
}

static void test_referer_fallback(void **state)
{
    assert_true(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn/admin/news?id=3#x"), SITE));
    assert_true(mh_csrf_origin_ok(S(""), S("https://www.example.gov.cn"), SITE));
    assert_true(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn:443/"), SITE));
    assert_true(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn?q=1"), SITE));
    assert_false(
        mh_csrf_origin_ok(NONE, S("https://evil.example/https://www.example.gov.cn/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn.evil.example/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn@evil.example/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn:443@evil.example/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("http://www.example.gov.cn/admin/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("https://www.example.gov.cn:8443/admin/"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("/admin/news"), SITE));
    assert_false(mh_csrf_origin_ok(NONE, S("https:///admin"), SITE));
}

static void test_missing_both(void **state)
{
    assert_false(mh_csrf_origin_ok(NONE, NONE, SITE));
    assert_false(mh_csrf_origin_ok(S(""), S(""), SITE));
}

static void test_bad_expected(void **state)
{
    assert_false(mh_csrf_origin_ok(S("null"), NONE, S("null")));
    assert_false(mh_csrf_origin_ok(S(""), S(""), S("")));
    assert_false(mh_csrf_origin_ok(S("https://a.example/x"), NONE, S("https://a.example/x")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_known_value),
        cmocka_unit_test(test_token_per_session),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_short_secret),
        cmocka_unit_test(test_origin_exact),
        cmocka_unit_test(test_origin_port),
        cmocka_unit_test(test_origin_scheme),
        cmocka_unit_test(test_origin_null),
        cmocka_unit_test(test_referer_fallback),
        cmocka_unit_test(test_missing_both),
        cmocka_unit_test(test_bad_expected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
