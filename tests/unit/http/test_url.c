#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/url.h"

static mh_pool_t *pool;

static int setup(void **state)
{
    pool = mh_pool_create();
    return 0;
}

static int teardown(void **state)
{
    mh_pool_destroy(pool);
    return 0;
}

static int decode(const char *raw, mh_str_t *out)
{
    return mh_url_decode_path(pool, mh_str_c(raw), out);
}

static void test_split(void **state)
{
    mh_str_t p, q;
    mh_url_split(mh_str_c("/news/?page=2#top"), &p, &q);
    assert_true(mh_str_eq_c(p, "/news/"));
    assert_true(mh_str_eq_c(q, "page=2"));
    mh_url_split(mh_str_c("/a#x?y"), &p, &q);
    assert_true(mh_str_eq_c(p, "/a"));
    assert_int_equal(q.len, 0);
    mh_url_split(mh_str_c("/plain"), &p, &q);
    assert_true(mh_str_eq_c(p, "/plain"));
    assert_int_equal(q.len, 0);
}

static void test_decode_ok(void **state)
{
    mh_str_t out;
    assert_int_equal(decode("/", &out), MH_OK);
    assert_true(mh_str_eq_c(out, "/"));
    assert_int_equal(decode("/news/a%20b.html", &out), MH_OK);
    assert_true(mh_str_eq_c(out, "/news/a b.html"));
    assert_int_equal(decode("/zh/%E6%96%B0%E9%97%BB/", &out), MH_OK);
    assert_true(mh_str_eq_c(out, "/zh/\xe6\x96\xb0\xe9\x97\xbb/"));
    assert_int_equal(decode("/a.b/..c/c..", &out), MH_OK); /* dots inside names are fine */
}

static void test_decode_rejects_traversal(void **state)
{
    static const char *bad[] = {
        "",         "news",         "/..",          "/../etc/passwd",
        "/a/../b",  "/a/./b",       "/%2e%2e/x",    "/%2E%2e/",
        "/a/%2e/b", "/a%2fb",       "/a%2F..",      "/a%00b",
        "/a%0ab",   "/a\\b",        "/a%5cb",       "//etc",
        "/a//b",    "/%",           "/%4",          "/%zz",
        "/a%",      "/.%2e/secret", "/assets/../x", "/assets/%2e%2e/%2e%2e/etc/passwd",
    };
    mh_str_t out;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (decode(bad[i], &out) != MH_ERR)
            fail_msg("accepted '%s'", bad[i]);
    }
    /* an embedded raw NUL (length-carrying input) */
    assert_int_equal(mh_url_decode_path(pool, mh_str("/a\0b", 4), &out), MH_ERR);
}

static void test_query(void **state)
{
    mh_query_param_t ps[8];
    size_t n =
        mh_url_parse_query(pool, mh_str_c("q=hello+world&page=2&&x&bad=%zz&e=%E4%B8%AD"), ps, 8);
    assert_int_equal(n, 4);
    assert_true(mh_str_eq_c(mh_url_query_get(ps, n, "q"), "hello world"));
    assert_true(mh_str_eq_c(mh_url_query_get(ps, n, "page"), "2"));
    assert_true(mh_str_eq_c(mh_url_query_get(ps, n, "x"), ""));
    assert_true(mh_str_eq_c(mh_url_query_get(ps, n, "e"), "\xe4\xb8\xad"));
    assert_null(mh_url_query_get(ps, n, "bad").base);
    assert_null(mh_url_query_get(ps, n, "missing").base);
    /* the cap on parameters holds */
    n = mh_url_parse_query(pool, mh_str_c("a=1&b=2&c=3&d=4"), ps, 2);
    assert_int_equal(n, 2);
    mh_str_t out;
    assert_int_equal(mh_url_decode_component(pool, mh_str_c("a%00"), &out), MH_ERR);
}

static void test_encode(void **state)
{
    assert_string_equal(mh_url_encode(pool, mh_str_c("https://x.org/a b?c=d&e")),
                        "https%3A%2F%2Fx.org%2Fa%20b%3Fc%3Dd%26e");
    assert_string_equal(mh_url_encode(pool, mh_str_c("\xe4\xb8\xad-_.~")), "%E4%B8%AD-_.~");
}

static void test_query_normalise(void **state)
{
    mh_str_t n = mh_url_query_normalise(pool, mh_str_c("b=2&&a=1&a=0&"));
    assert_int_equal(n.len, 11);
    assert_memory_equal(n.base, "a=0&a=1&b=2", 11);
    n = mh_url_query_normalise(pool, mh_str_c("q=x"));
    assert_memory_equal(n.base, "q=x", 3);
    assert_int_equal(mh_url_query_normalise(pool, mh_str_c("&&")).len, 0);
    assert_int_equal(mh_url_query_normalise(pool, mh_str_c("")).len, 0);
    /* a prefix sorts first */
    n = mh_url_query_normalise(pool, mh_str_c("ab=1&a"));
    assert_int_equal(n.len, 6);
    assert_memory_equal(n.base, "a&ab=1", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_decode_ok),
        cmocka_unit_test(test_decode_rejects_traversal),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_query_normalise),
    };
    return cmocka_run_group_tests_name("http/url", tests, setup, teardown);
}
