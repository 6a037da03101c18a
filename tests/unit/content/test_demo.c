/* The demo site: the seed article and the shape of both language trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"

static const char *const seed_paragraph_starts[10] = {
    "From February 7 to 10, Li Gang", "In Beijing, Li Gang visited",
    "Wang Rui and Xu Jinli said",     "During his stay in Beijing",
    "In Shanghai, Li Gang visited",   "Yao Hao said that the company",
    "Then Li Gang visited Geespace",  "Wang Yang said that Geespace",
    "In Xiamen, Li Gang presided",    "Li Gang pointed out that the two sides",
};

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t en, zh;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs;
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-demo-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    snprintf(f->dir, sizeof(f->dir), "%s/site", f->tmp);
    if (mh_content_init(f->dir, true, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "init: %s\n", err);
        return -1;
    }
    if (mh_content_open(f->dir, &f->c, err, sizeof(err)) != MH_OK)
        return -1;
    f->p = mh_pool_create();
    if (mh_content_languages(f->c, f->p, &langs, &n) != MH_OK || n != 2)
        return -1;
    f->en = langs[0].id;
    f->zh = langs[1].id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[160];
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static void test_languages(void **state)
{
    struct fx *f = *state;
    mh_language_t *l;
    size_t n;
    assert_int_equal(mh_content_languages(f->c, f->p, &l, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].code, "en");
    assert_string_equal(l[0].prefix, "");
    assert_true(l[0].is_default);
    assert_string_equal(l[1].code, "zh-CN");
    assert_string_equal(l[1].prefix, "zh");
    assert_string_equal(l[1].name, "中文");
    assert_false(l[1].is_default);
}

static void test_seed_article(void **state)
{
    struct fx *f = *state;
    mh_column_t news;
    mh_entry_t e;
    char want[64];
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->en, "news", &news), MH_OK);
    assert_int_equal(mh_content_entry_by_slug(f->c, f->p, news.id,
                                              "li-gang-led-a-team-to-visit-beijing-and-shanghai",
                                              true, &e),
                     MH_OK);
    assert_string_equal(e.title, "Li Gang Led a Team to Visit Beijing and Shanghai");
    assert_string_equal(e.author, "admin");
    assert_string_equal(e.source, "");
    assert_string_equal(mh_format_time(f->p, e.publish_at, "%Y-%m-%d %H:%M:%S",
                                       mh_content_setting(f->c, f->p, f->en, "timezone")),
                        "2023-07-24 16:41:44");
    /* Exactly ten paragraphs, in order, with the fixture's text. */
    const char *b = e.body_html;
    for (int i = 0; i < 10; i++) {
        const char *open = strstr(b, "<p>");
        assert_non_null(open);
        snprintf(want, sizeof(want), "<p>%s", seed_paragraph_starts[i]);
        assert_memory_equal(open, want, strlen(want));
        b = strstr(open, "</p>");
        assert_non_null(b);
        b += 4;
    }
    assert_null(strstr(b, "<p>"));
    assert_non_null(strstr(e.body_html, "creating a sound beginning for the construction of Ruyi "
                                        "Lake Headquarters Base.</p>"));
}

static void test_news_pages_and_hidden(void **state)
{
    struct fx *f = *state;
    mh_column_t news;
    mh_entry_t *es;
    size_t n;
    int64_t total;
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->en, "news/", &news), MH_OK);
    assert_int_equal(news.page_size, 10);
    mh_entry_query_t q = {
        .lang_id = f->en, .column_id = news.id, .public_only = true, .limit = news.page_size};
    assert_int_equal(mh_content_entries(f->c, f->p, &q, &es, &n, &total), MH_OK);
    assert_true(total > 10);
    assert_int_equal(n, 10);
    /* Draft and scheduled entries exist but never show publicly. */
    q.public_only = false;
    q.limit = 200;
    int64_t all;
    assert_int_equal(mh_content_entries(f->c, f->p, &q, &es, &n, &all), MH_OK);
    assert_int_equal(all, total + 2);
    int drafts = 0, scheduled = 0;
    for (size_t i = 0; i < n; i++) {
        drafts += es[i].status == MH_STATUS_DRAFT;
        scheduled += es[i].status == MH_STATUS_SCHEDULED && es[i].publish_at > 4000000000LL;
    }
    assert_int_equal(drafts, 1);
    assert_int_equal(scheduled, 1);
}

static void test_neighbors_and_translation(void **state)
{
    struct fx *f = *state;
    mh_column_t news;
    mh_entry_t e, *prev, *next, *tr;
    size_t n;
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->en, "news", &news), MH_OK);
    assert_int_equal(mh_content_entry_by_slug(f->c, f->p, news.id,
                                              "li-gang-led-a-team-to-visit-beijing-and-shanghai",
                                              true, &e),
                     MH_OK);
    assert_int_equal(mh_content_entry_neighbors(f->c, f->p, &e, &prev, &next), MH_OK);
    assert_non_null(prev);
    assert_non_null(next);
    assert_true(prev->publish_at < e.publish_at);
    assert_true(next->publish_at > e.publish_at);
    assert_int_equal(mh_content_translations(f->c, f->p, &e, &tr, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(tr[0].title, "李刚带队赴北京、上海考察");
    assert_int_equal(tr[0].lang_id, f->zh);
    assert_int_equal(tr[0].publish_at, e.publish_at);
    /* Chinese titles get readable pinyin slugs, never digits picked out
     * of the title or the entry's number. */
    assert_string_equal(tr[0].slug, "li-gang-dai-dui-fu-bei-jing-shang-hai-kao-cha");
}

static void test_chinese_tree_and_settings(void **state)
{
    struct fx *f = *state;
    mh_column_t *cols, col;
    size_t n;
    assert_int_equal(mh_content_columns(f->c, f->p, f->zh, &cols, &n), MH_OK);
    assert_true(n >= 12);
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->zh, "news", &col), MH_OK);
    assert_string_equal(col.name, "新闻中心");
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->zh, "about/overview", &col), MH_OK);
    assert_string_equal(col.module, MH_MODULE_PAGE);
    assert_non_null(strstr(col.body_html, "<p>"));
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->en, "privacy", &col), MH_OK);
    assert_int_equal(col.nav, MH_NAV_FOOTER);
    assert_string_equal(mh_content_setting(f->c, f->p, f->en, "site_name"),
                        "SCO Demonstration Area");
    assert_string_equal(mh_content_setting(f->c, f->p, f->zh, "site_name"), "上合示范区");
    assert_string_not_equal(mh_content_setting(f->c, f->p, f->zh, "footer_text"), "");
    assert_string_equal(mh_content_setting(f->c, f->p, f->zh, "time_format"), "%Y-%m-%d %H:%M:%S");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_seed_article),
        cmocka_unit_test(test_news_pages_and_hidden),
        cmocka_unit_test(test_neighbors_and_translation),
        cmocka_unit_test(test_chinese_tree_and_settings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
