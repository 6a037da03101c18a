/* The key an incoming request is looked up by in wxr_legacy_paths: it must
 * match what the WordPress importer records (migrate/wxr_import.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "content/wxr_paths.h"

static void key_is(const char *path, const char *query, const char *want)
{
    mh_pool_t *p = mh_pool_create();
    const char *got = mh_content_wxr_key(p, mh_str_c(path), mh_str_c(query));
    if (!want && got)
        fail_msg("key(%s, %s) = \"%s\", want none", path, query, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("key(%s, %s) = \"%s\", want \"%s\"", path, query, got ? got : "(none)", want);
    mh_pool_destroy(p);
}

static void test_paths(void **state)
{
    (void)state;
    key_is("/2019/03/slug/", "", "/2019/03/slug");
    key_is("/2019/03/slug", "", "/2019/03/slug");
    key_is("/category/news//", "utm_source=x", "/category/news");
    key_is("/about/team/", "p=5", "/about/team"); /* a query elsewhere is ignored */
}

static void test_root_queries(void **state)
{
    (void)state;
    key_is("/", "p=123", "?p=123");
    key_is("/", "page_id=45", "?page_id=45");
    key_is("/", "cat=7", "?cat=7");
    key_is("/", "utm=1&p=123&x=2", "?p=123");
    key_is("", "p=9", "?p=9");
}

static void test_no_key(void **state)
{
    (void)state;
    key_is("/", "", NULL);
    key_is("/", "s=search", NULL);
    key_is("/", "p=", NULL);
    key_is("/", "p=12x", NULL);
    key_is("/", "pp=12", NULL);
    key_is("/", "p=1%27", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_root_queries),
        cmocka_unit_test(test_no_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
