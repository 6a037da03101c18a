/* Legacy URLs: the normalised key of an old URL (content/legacy.c) and the
 * old URLs MetInfo gave items and columns (migrate/metinfo_import.c), then
 * the table itself on a real site: add, find through any spelling of the
 * query, update, delete, list with search, refused targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "content/legacy.h"
#include "core/pool.h"
#include "migrate/metinfo_import.h"

static const char *norm(mh_pool_t *p, const char *url)
{
    const char *q = strchr(url, '?');
    size_t pl = q ? (size_t)(q - url) : strlen(url);
    return mh_legacy_normalise(p, url, pl, q, q ? strlen(q) : 0);
}

static void test_normalise(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(norm(p, "/news/shownews.php?lang=en&id=12"), "/news/shownews.php?id=12");
    assert_string_equal(norm(p, "/News/ShowNews.php?id=12&lang=en&page=2"),
                        "/news/shownews.php?id=12");
    assert_string_equal(norm(p, "/news/news.php?class1=2"), "/news/news.php?class1=2");
    /* only the deepest class counts */
    assert_string_equal(norm(p, "/news/news.php?lang=cn&class1=2&class2=5"),
                        "/news/news.php?class2=5");
    assert_string_equal(norm(p, "/news/news.php?class3=9&class1=2&class2=5&id=4"),
                        "/news/news.php?class3=9&id=4");
    /* not numbers: dropped */
    assert_string_equal(norm(p, "/news/shownews.php?id=1%20or%201"), "/news/shownews.php");
    assert_string_equal(norm(p, "/news/shownews.php?id=012"), "/news/shownews.php");
    assert_string_equal(norm(p, "/news/12.htm"), "/news/12.html");
    assert_string_equal(norm(p, "/news/index.php?lang=en"), "/news/");
    assert_string_equal(norm(p, "/about/index.html"), "/about/");
    assert_string_equal(norm(p, "/"), "/");
    assert_null(norm(p, "news/12.html"));
    assert_null(norm(p, ""));
    assert_null(norm(p, "/a\tb"));
    char big[1100];
    memset(big, 'a', sizeof(big) - 1);
    big[0] = '/';
    big[sizeof(big) - 1] = '\0';
    assert_null(norm(p, big));
    mh_pool_destroy(p);
}

static bool has(const char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

static void test_metinfo_paths(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    const char *v[16];
    size_t n = mh_metinfo_legacy_paths(p, 2, "news", 12, "en", "", 0, false, v, 16);
    assert_true(has(v, n, "/news/shownews.php?id=12"));
    assert_true(has(v, n, "/news/12.html"));
    assert_true(has(v, n, "/news/12-en.html"));
    assert_true(has(v, n, "/news/news12.html"));
    n = mh_metinfo_legacy_paths(p, 3, "product", 7, "cn", "band", 0, false, v, 16);
    assert_true(has(v, n, "/product/showproduct.php?id=7"));
    assert_true(has(v, n, "/product/band.html"));
    /* columns: minus the module; a top column also owns its folder */
    n = mh_metinfo_legacy_paths(p, -2, "news", 49, "en", "", 2, false, v, 16);
    assert_true(has(v, n, "/news/news.php?class2=49"));
    assert_true(has(v, n, "/news/list-49.html"));
    assert_false(has(v, n, "/news/"));
    n = mh_metinfo_legacy_paths(p, -1, "about", 54, "en", "", 1, true, v, 16);
    assert_true(has(v, n, "/about/show.php?id=54"));
    assert_true(has(v, n, "/about/"));
    /* no folder, a folder with a slash, a bad id, max: nothing or bounded */
    assert_int_equal(mh_metinfo_legacy_paths(p, 2, "", 1, "en", "", 0, false, v, 16), 0);
    assert_int_equal(mh_metinfo_legacy_paths(p, 2, "a/b", 1, "en", "", 0, false, v, 16), 0);
    assert_int_equal(mh_metinfo_legacy_paths(p, 2, "news", 0, "en", "", 0, false, v, 16), 0);
    assert_int_equal(mh_metinfo_legacy_paths(p, 2, "news", 1, "en", "", 0, false, v, 2), 2);
    mh_pool_destroy(p);
}

static void test_table(void **state)
{
    (void)state;
    char dir[] = "/tmp/mh-legacy-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char site[600], err[512];
    snprintf(site, sizeof(site), "%s/site", dir);
    assert_int_equal(mh_content_init(site, false, err, sizeof(err)), MH_OK);
    mh_content_t *c;
    assert_int_equal(mh_content_open(site, &c, err, sizeof(err)), MH_OK);
    mh_pool_t *p = mh_pool_create();
    mh_column_t col = {.lang_id = 1,
                       .module = "article",
                       .name = "News",
                       .slug = "news",
                       .page_size = 20,
                       .visible = true,
                       .nav = 1};
    int64_t cid;
    assert_int_equal(mh_content_column_create(c, &col, &cid), MH_OK);
    mh_entry_t e = {.column_id = cid, .title = "Hello", .status = MH_STATUS_PUBLISHED};
    int64_t eid;
    assert_int_equal(mh_content_entry_create(c, &e, &eid), MH_OK);

    mh_legacy_url_t u = {
        .path = "/News/ShowNews.php?lang=en&id=5", .target_kind = "entry", .target_id = eid};
    int64_t id;
    assert_int_equal(mh_content_legacy_add(c, p, &u, &id), MH_OK);
    assert_true(id > 0);
    assert_string_equal(u.path, "/news/shownews.php?id=5");
    /* the same path again: taken */
    mh_legacy_url_t dup = {
        .path = "/news/shownews.php?id=5", .target_kind = "column", .target_id = cid};
    int64_t id2;
    assert_int_equal(mh_content_legacy_add(c, p, &dup, &id2), MH_DECLINED);
    /* refused: unknown entry, javascript: URL, empty URL, bad kind, bad path */
    mh_legacy_url_t bad[] = {
        {.path = "/a.php", .target_kind = "entry", .target_id = 999},
        {.path = "/b.php", .target_kind = "url", .target_url = "javascript:alert(1)"},
        {.path = "/c.php", .target_kind = "url", .target_url = ""},
        {.path = "/d.php", .target_kind = "page", .target_id = cid},
        {.path = "e.php", .target_kind = "column", .target_id = cid},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(mh_content_legacy_add(c, p, &bad[i], &id2), MH_INVALID);

    mh_legacy_url_t got;
    const char *q = "?id=5&utm=x";
    assert_int_equal(mh_content_legacy_find(c, p, "/news/shownews.php", 18, q, strlen(q), &got),
                     MH_OK);
    assert_int_equal(got.target_id, eid);
    assert_string_equal(mh_content_legacy_target(c, p, &got), "/news/hello.html");
    assert_int_equal(mh_content_legacy_find(c, p, "/news/shownews.php", 18, "id=6", 4, &got),
                     MH_DECLINED);

    /* update to a fixed URL, list with search, delete */
    got.target_kind = "url";
    got.target_url = "/news/";
    assert_int_equal(mh_content_legacy_update(c, p, &got), MH_OK);
    assert_int_equal(mh_content_legacy_get(c, p, got.id, &got), MH_OK);
    assert_string_equal(mh_content_legacy_target(c, p, &got), "/news/");
    mh_legacy_url_t two = {
        .path = "/about/show.php?id=1", .target_kind = "column", .target_id = cid};
    assert_int_equal(mh_content_legacy_add(c, p, &two, &id2), MH_OK);
    mh_legacy_url_t *list;
    size_t n;
    int64_t total;
    assert_int_equal(mh_content_legacy_list(c, p, "", 0, 50, &list, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_string_equal(list[0].path, "/about/show.php?id=1"); /* by path */
    assert_int_equal(mh_content_legacy_list(c, p, "shownews", 0, 50, &list, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(n, 1);
    assert_int_equal(mh_content_legacy_list(c, p, "", 1, 1, &list, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    assert_int_equal(mh_content_legacy_delete(c, id2), MH_OK);
    assert_int_equal(mh_content_legacy_delete(c, id2), MH_DECLINED);

    /* the import map */
    int64_t t;
    assert_int_equal(mh_content_import_map_get(c, "metinfo", "news", "12", &t), MH_DECLINED);
    assert_int_equal(mh_content_import_map_put(c, "metinfo", "news", "12", 7), MH_OK);
    assert_int_equal(mh_content_import_map_get(c, "metinfo", "news", "12", &t), MH_OK);
    assert_int_equal(t, 7);

    mh_pool_destroy(p);
    mh_content_close(c);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_metinfo_paths),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
