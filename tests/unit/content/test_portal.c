/* content/portal.c against a real SQLite site: banners and friendly links
 * are validated before anything is stored (URLs through
 * mh_content_url_ok), kept in a dense order, scheduled, and their writes
 * move the content generation; download counts add up without moving it. */
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
#include "content/languages.h"
#include "content/portal.h"

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t en, fr, news, fr_news, entry;
};

static int64_t mkcol(struct fx *f, int64_t lang, const char *name)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = lang,
                     .module = MH_MODULE_DOWNLOAD,
                     .name = name,
                     .nav = MH_NAV_HEADER,
                     .page_size = 10,
                     .visible = true};
    assert_int_equal(mh_content_column_create(f->c, &c, &id), MH_OK);
    return id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs;
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-portal-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    snprintf(f->dir, sizeof(f->dir), "%s/site", f->tmp);
    if (mh_content_init(f->dir, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(f->dir, &f->c, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    f->p = mh_pool_create();
    mh_content_languages(f->c, f->p, &langs, &n);
    f->en = langs[0].id;
    mh_language_t fr = {.code = "fr", .name = "Français", .prefix = "fr", .position = 1};
    if (mh_content_language_create(f->c, &fr, &f->fr) != MH_OK)
        return -1;
    f->news = mkcol(f, f->en, "Forms");
    f->fr_news = mkcol(f, f->fr, "Formulaires");
    mh_entry_t e = {
        .column_id = f->news, .title = "Guide", .status = MH_STATUS_PUBLISHED, .publish_at = 1};
    if (mh_content_entry_create(f->c, &e, &f->entry) != MH_OK)
        return -1;
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

static size_t nbanners(struct fx *f)
{
    mh_banner_t *bs;
    size_t n = 0;
    assert_int_equal(mh_portal_banners(f->c, f->p, 0, -1, &bs, &n), MH_OK);
    return n;
}

static mh_banner_t banner(struct fx *f, const char *title)
{
    return (mh_banner_t){.lang_id = f->en,
                         .title = title,
                         .alt = "alt",
                         .image = "/media/ab/0123456789abcdef0123456789abcd.jpg",
                         .image_mobile = "",
                         .link = "/news/",
                         .position = -1};
}

static void test_banner_refusals(void **state)
{
    struct fx *f = *state;
    const char *msg = NULL;
    int64_t id = 0;
    size_t before = nbanners(f);
    static const struct {
        const char *field, *value, *msg;
    } bad[] = {
        {"link", "javascript:alert(1)", "portal.error.link"},
        {"link", " https://x.example/", "portal.error.link"},
        {"link", "//evil.example/", "portal.error.link"},
        {"image", "", "portal.error.image"},
        {"image", "data:image/png;base64,AAAA", "portal.error.image"},
        {"image_mobile", "vbscript:x", "portal.error.image_mobile"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mh_banner_t b = banner(f, "Bad");
        if (strcmp(bad[i].field, "link") == 0)
            b.link = bad[i].value;
        else if (strcmp(bad[i].field, "image") == 0)
            b.image = bad[i].value;
        else
            b.image_mobile = bad[i].value;
        assert_int_equal(mh_portal_banner_create(f->c, &b, &id, &msg), MH_INVALID);
        assert_non_null(msg);
        assert_string_equal(msg, bad[i].msg);
    }
    mh_banner_t b = banner(f, "Other language's column");
    b.column_id = f->fr_news;
    assert_int_equal(mh_portal_banner_create(f->c, &b, &id, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.column");
    b = banner(f, "Backwards");
    b.show_from = 200;
    b.show_until = 100;
    assert_int_equal(mh_portal_banner_create(f->c, &b, &id, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.schedule");
    b = banner(f, "No language");
    b.lang_id = 0;
    assert_int_equal(mh_portal_banner_create(f->c, &b, &id, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.lang");
    assert_int_equal(nbanners(f), before);
}

static void test_banner_order_schedule_generation(void **state)
{
    struct fx *f = *state;
    const char *msg = NULL;
    int64_t a = 0, b = 0, c = 0, due = -1;
    mh_banner_t x, *bs;
    size_t n = 0;
    uint64_t gen = mh_content_generation(f->c);
    x = banner(f, "A");
    x.column_id = f->news;
    assert_int_equal(mh_portal_banner_create(f->c, &x, &a, &msg), MH_OK);
    assert_true(mh_content_generation(f->c) > gen);
    x = banner(f, "B");
    x.column_id = f->news;
    x.show_from = 1000;
    x.show_until = 2000;
    assert_int_equal(mh_portal_banner_create(f->c, &x, &b, &msg), MH_OK);
    x = banner(f, "C");
    x.column_id = f->news;
    assert_int_equal(mh_portal_banner_create(f->c, &x, &c, &msg), MH_OK);
    assert_int_equal(mh_portal_banners(f->c, f->p, f->en, f->news, &bs, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(bs[0].id, a);
    assert_int_equal(bs[2].id, c);
    assert_int_equal(bs[2].position, 2); /* appended */
    /* move C up, then up again; at the top nothing moves */
    assert_int_equal(mh_portal_banner_move(f->c, c, -1), MH_OK);
    assert_int_equal(mh_portal_banner_move(f->c, c, -1), MH_OK);
    assert_int_equal(mh_portal_banner_move(f->c, c, -1), MH_DECLINED);
    assert_int_equal(mh_portal_banners(f->c, f->p, f->en, f->news, &bs, &n), MH_OK);
    assert_int_equal(bs[0].id, c);
    assert_int_equal(bs[1].id, a);
    assert_int_equal(bs[2].id, b);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(bs[i].position, (int)i);
    /* the schedule */
    assert_int_equal(mh_portal_banners_active(f->c, f->p, f->en, f->news, 999, &bs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mh_portal_banners_active(f->c, f->p, f->en, f->news, 1000, &bs, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(mh_portal_banners_active(f->c, f->p, f->en, f->news, 2000, &bs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mh_portal_banners_due(f->c, 0, 999, &due), MH_OK);
    assert_int_equal(due, 0);
    assert_int_equal(mh_portal_banners_due(f->c, 999, 1000, &due), MH_OK);
    assert_int_equal(due, 1);
    assert_int_equal(mh_portal_banners_due(f->c, 1999, 2000, &due), MH_OK);
    assert_int_equal(due, 1);
    /* update and delete */
    assert_int_equal(mh_portal_banner_get(f->c, f->p, a, &x), MH_OK);
    x.link = "javascript:alert(1)";
    assert_int_equal(mh_portal_banner_update(f->c, &x, &msg), MH_INVALID);
    x.link = "https://example.org/";
    assert_int_equal(mh_portal_banner_update(f->c, &x, &msg), MH_OK);
    assert_int_equal(mh_portal_banner_get(f->c, f->p, a, &x), MH_OK);
    assert_string_equal(x.link, "https://example.org/");
    gen = mh_content_generation(f->c);
    assert_int_equal(mh_portal_banner_delete(f->c, a), MH_OK);
    assert_true(mh_content_generation(f->c) > gen);
    assert_int_equal(mh_portal_banner_delete(f->c, a), MH_DECLINED);
}

static void test_links(void **state)
{
    struct fx *f = *state;
    const char *msg = NULL;
    int64_t a = 0, b = 0;
    mh_friend_link_t l = {
        .lang_id = f->en, .title = "", .url = "https://a.example/", .logo = "", .position = -1};
    mh_friend_link_t *ls;
    size_t n = 0;
    assert_int_equal(mh_portal_link_create(f->c, &l, &a, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.title");
    l.title = "A";
    l.url = "javascript:alert(1)";
    assert_int_equal(mh_portal_link_create(f->c, &l, &a, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.url");
    l.url = "";
    assert_int_equal(mh_portal_link_create(f->c, &l, &a, &msg), MH_INVALID);
    l.url = "https://a.example/";
    l.logo = "file:///etc/passwd";
    assert_int_equal(mh_portal_link_create(f->c, &l, &a, &msg), MH_INVALID);
    assert_string_equal(msg, "portal.error.logo");
    assert_int_equal(mh_portal_links(f->c, f->p, 0, &ls, &n), MH_OK);
    assert_int_equal(n, 0);
    l.logo = "";
    assert_int_equal(mh_portal_link_create(f->c, &l, &a, &msg), MH_OK);
    l.title = "B";
    l.position = -1;
    assert_int_equal(mh_portal_link_create(f->c, &l, &b, &msg), MH_OK);
    assert_int_equal(mh_portal_link_move(f->c, b, -1), MH_OK);
    assert_int_equal(mh_portal_links(f->c, f->p, f->en, &ls, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ls[0].title, "B");
    assert_int_equal(mh_portal_links(f->c, f->p, f->fr, &ls, &n), MH_OK);
    assert_int_equal(n, 0);
}

static void test_downloads(void **state)
{
    struct fx *f = *state;
    int64_t n = -1;
    int64_t ids[] = {f->entry, 987654, f->entry};
    int64_t counts[] = {2, 5, 3};
    uint64_t gen = mh_content_generation(f->c);
    assert_int_equal(mh_portal_downloads_add(f->c, ids, counts, 3), MH_OK);
    assert_int_equal(mh_portal_downloads_get(f->c, f->entry, &n), MH_OK);
    assert_int_equal(n, 5);
    assert_int_equal(mh_content_generation(f->c), gen); /* counts keep the page cache */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_banner_refusals),
        cmocka_unit_test(test_banner_order_schedule_generation),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_downloads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
