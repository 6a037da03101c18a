#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"

static int cleaned;
static void on_cleanup(void *data)
{
    cleaned += *(int *)data;
}

static void test_pool(void **state)
{
    mh_pool_t *p = mh_pool_create();
    char *a = mh_palloc(p, 10);
    char *b = mh_palloc(p, 100000); /* large: its own block */
    assert_true(((uintptr_t)a & 15) == 0);
    memset(b, 1, 100000);
    assert_string_equal(mh_psprintf(p, "%s-%d", "x", 42), "x-42");
    assert_string_equal(mh_pstrndup(p, "abcdef", 3), "abc");
    static int one = 1, two = 2;
    mh_pool_cleanup_add(p, on_cleanup, &one);
    mh_pool_cleanup_add(p, on_cleanup, &two);
    mh_pool_reset(p);
    assert_int_equal(cleaned, 3);
    assert_int_equal(mh_pool_used(p), 0);
    for (int i = 0; i < 10000; i++)
        mh_palloc(p, 64);
    mh_pool_destroy(p);
}

static void test_buf_ceiling(void **state)
{
    mh_buf_t b;
    mh_buf_init(&b, 10);
    assert_int_equal(mh_buf_append_c(&b, "hello"), MH_OK);
    assert_int_equal(mh_buf_append_c(&b, "world"), MH_OK);
    assert_int_equal(mh_buf_append_c(&b, "!"), MH_TOOBIG);
    assert_true(mh_buf_failed(&b));
    assert_int_equal(b.len, 10);
    assert_string_equal(b.base, "helloworld");
    mh_buf_reset(&b);
    assert_int_equal(mh_buf_printf(&b, "%d", 12345678), MH_OK);
    assert_int_equal(mh_buf_printf(&b, "%d", 123), MH_TOOBIG);
    mh_buf_free(&b);
}

static void test_buf_html(void **state)
{
    mh_buf_t b;
    mh_buf_init(&b, 1024);
    mh_buf_append_html(&b, "<a href=\"x\">Tom & Jerry's</a>", 29);
    assert_string_equal(b.base, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    mh_buf_free(&b);
}

static void test_str(void **state)
{
    unsigned long long v;
    assert_true(mh_str_to_u64(mh_str_c("8080"), 65535, &v));
    assert_int_equal(v, 8080);
    assert_false(mh_str_to_u64(mh_str_c("65536"), 65535, &v));
    assert_false(mh_str_to_u64(mh_str_c("12a"), 65535, &v));
    assert_false(mh_str_to_u64(mh_str_c(""), 65535, &v));
    assert_false(mh_str_to_u64(mh_str_c("99999999999999999999999"), ~0ULL, &v));
    assert_true(mh_str_eq_nocase(mh_str_c("GZip"), "gzip"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_buf_ceiling),
        cmocka_unit_test(test_buf_html),
        cmocka_unit_test(test_str),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
