#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"
#include "site/seo.h"

static mh_pool_t *pool;

static int setup(void **state)
{
    (void)state;
    pool = mh_pool_create();
    return pool ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mh_pool_destroy(pool);
    return 0;
}

static void test_title_all_parts(void **state)
{
    (void)state;
    assert_string_equal(mh_seo_title(pool, "{page} - {column} - {site}", "Talks", "News", "Zone"),
                        "Talks - News - Zone");
}

static void test_title_empty_parts_drop_their_separator(void **state)
{
    (void)state;
    const char *pat = "{page} - {column} - {site}";
    assert_string_equal(mh_seo_title(pool, pat, "News", "", "Zone"), "News - Zone");
    assert_string_equal(mh_seo_title(pool, pat, "News", NULL, ""), "News");
    assert_string_equal(mh_seo_title(pool, pat, "", "", "Zone"), "Zone");
    assert_string_equal(mh_seo_title(pool, pat, "", "", ""), "");
    assert_string_equal(mh_seo_title(pool, "[{page}] {site}!", "", NULL, "Zone"), "Zone!");
}

static void test_title_alias_and_default(void **state)
{
    (void)state;
    assert_string_equal(mh_seo_title(pool, "{title} | {site}", "Talks", "News", "Zone"),
                        "Talks | Zone");
    assert_string_equal(mh_seo_title(pool, "", "Talks", "News", "Zone"), "Talks - News - Zone");
    assert_string_equal(mh_seo_title(pool, NULL, "Talks", NULL, "Zone"), "Talks - Zone");
    assert_string_equal(mh_seo_title(pool, "{page} {nope} {site}", "A", NULL, "B"), "A {nope} B");
    assert_string_equal(mh_seo_title(pool, "Fixed", "A", NULL, "B"), "Fixed");
}

static const char *json(const char *s)
{
    mh_buf_t b;
    mh_buf_init(&b, 4096);
    mh_seo_json_str(&b, s);
    mh_str_t v = mh_buf_str(&b);
    const char *out = mh_pstrndup(pool, v.base, v.len);
    mh_buf_free(&b);
    return out;
}

static void test_json_escapes(void **state)
{
    (void)state;
    assert_string_equal(json("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_string_equal(json("</script><!--"), "\"\\u003c/script\\u003e\\u003c!--\"");
    assert_string_equal(json("a&b\n\t"), "\"a\\u0026b\\n\\u0009\"");
    assert_string_equal(json("北京"), "\"北京\"");
    assert_string_equal(json("x\xe2\x80\xa8y"), "\"x\\u2028y\"");
    assert_string_equal(json("bad\xff\xc3"), "\"bad\\ufffd\\ufffd\"");
    assert_string_equal(json(NULL), "\"\"");
}

static void test_og_locale(void **state)
{
    (void)state;
    assert_string_equal(mh_seo_og_locale(pool, "zh-CN"), "zh_CN");
    assert_string_equal(mh_seo_og_locale(pool, "en"), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_title_all_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_empty_parts_drop_their_separator, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_title_alias_and_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_og_locale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
