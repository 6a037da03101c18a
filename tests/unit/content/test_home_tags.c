/* The home page composition value (content/home.c) and the parsing of the
 * editor's tag list (content/tags.c): pure functions, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "content/home.h"
#include "content/tags.h"

static void test_home_roundtrip(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_home_block_t in[] = {{12, MH_HOME_HEADLINE, 7}, {3, MH_HOME_STRIP, 8}, {5, MH_HOME_LIST, 1}};
    char *v = mh_home_format(p, in, 3);
    assert_string_equal(v, "12 headline 7\n3 strip 8\n5 list 1\n");
    mh_home_block_t out[MH_HOME_MAX_BLOCKS];
    assert_int_equal(mh_home_parse(v, out, MH_HOME_MAX_BLOCKS), 3);
    assert_int_equal(out[0].column_id, 12);
    assert_int_equal(out[0].kind, MH_HOME_HEADLINE);
    assert_int_equal(out[0].count, 7);
    assert_int_equal(out[1].kind, MH_HOME_STRIP);
    assert_int_equal(out[2].count, 1);
    assert_string_equal(mh_home_format(p, in, 0), "");
    mh_pool_destroy(p);
}

static void test_home_lenient(void **state)
{
    (void)state;
    mh_home_block_t out[MH_HOME_MAX_BLOCKS];
    /* bad lines are skipped, good ones kept, whatever the spacing */
    const char *v = "7 cards 4\r\n0 list 3\nx list 3\n8 tiles 3\n9 list 0\n9 list 21\n"
                    "  10\tlist   2  \n11 list\n\n";
    assert_int_equal(mh_home_parse(v, out, MH_HOME_MAX_BLOCKS), 2);
    assert_int_equal(out[0].column_id, 7);
    assert_int_equal(out[0].kind, MH_HOME_CARDS);
    assert_int_equal(out[1].column_id, 10);
    assert_int_equal(out[1].count, 2);
    assert_int_equal(mh_home_parse(NULL, out, MH_HOME_MAX_BLOCKS), 0);
    assert_int_equal(mh_home_parse("1 list 1\n2 list 1\n3 list 1", out, 2), 2);
    assert_int_equal(mh_home_kind_parse("headline"), MH_HOME_HEADLINE);
    assert_int_equal(mh_home_kind_parse("Headline"), -1);
}

static void test_tags_parse(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    const char *names[MH_TAGS_PER_ENTRY];
    size_t n = 0;
    assert_int_equal(
        mh_content_tags_parse(p, " Trade, ports ;经济，物流、 Trade ,, \u3000港口\u3000\n", names,
                              MH_TAGS_PER_ENTRY, &n),
        MH_OK);
    assert_int_equal(n, 5);
    assert_string_equal(names[0], "Trade");
    assert_string_equal(names[1], "ports");
    assert_string_equal(names[2], "经济");
    assert_string_equal(names[3], "物流");
    assert_string_equal(names[4], "港口");
    assert_int_equal(mh_content_tags_parse(p, "", names, MH_TAGS_PER_ENTRY, &n), MH_OK);
    assert_int_equal(n, 0);
    /* too many, too long, control bytes: refused */
    assert_int_equal(mh_content_tags_parse(p, "a,b,c", names, 2, &n), MH_INVALID);
    char longname[MH_TAG_NAME_MAX + 2];
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(mh_content_tags_parse(p, longname, names, 2, &n), MH_INVALID);
    assert_int_equal(mh_content_tags_parse(p, "new york", names, 2, &n), MH_OK);
    assert_int_equal(mh_content_tags_parse(p,
                                           "a\x01"
                                           "b",
                                           names, 2, &n),
                     MH_INVALID);
    mh_tag_t ts[] = {{.name = "Trade"}, {.name = "经济"}};
    assert_string_equal(mh_content_tags_join(p, ts, 2), "Trade, 经济");
    assert_string_equal(mh_content_tags_join(p, ts, 0), "");
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_roundtrip),
        cmocka_unit_test(test_home_lenient),
        cmocka_unit_test(test_tags_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
