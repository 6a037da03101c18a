/* The editorial content API (content/editorial.h) against a real SQLite
 * site in a temp directory: saving with revisions, the recycle bin, the
 * review workflow, column moves and deletes, the diff and the scheduler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/editorial.h"

struct fx {
    char dir[64];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t en, zh;
    int64_t news, sub, subsub, other, zh_news;
};

static int64_t mkcol(struct fx *f, int64_t lang, int64_t parent, const char *name)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = lang,
                     .parent_id = parent,
                     .module = MH_MODULE_ARTICLE,
                     .name = name,
                     .nav = MH_NAV_HEADER,
                     .page_size = 10,
                     .visible = true};
    assert_int_equal(mh_content_column_create(f->c, &c, &id), MH_OK);
    return id;
}

static int64_t mkentry(struct fx *f, int64_t col, const char *title, mh_status_t st, int64_t author)
{
    mh_entry_t e = {.column_id = col,
                    .title = title,
                    .body_html = "<p>Hello world</p>",
                    .status = st,
                    .author_id = 0};
    (void)author;
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK);
    assert_true(e.id > 0);
    return e.id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs, zh = {.code = "zh-CN", .name = "中文", .prefix = "zh", .position = 1};
    size_t n;
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-ed-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    strncat(f->dir, "/s", sizeof(f->dir) - strlen(f->dir) - 1);
    assert_int_equal(mh_content_init(f->dir, false, err, sizeof(err)), MH_OK);
    assert_int_equal(mh_content_open(f->dir, &f->c, err, sizeof(err)), MH_OK);
    f->p = mh_pool_create();
    assert_int_equal(mh_content_languages(f->c, f->p, &langs, &n), MH_OK);
    f->en = langs[0].id;
    assert_int_equal(mh_content_language_create(f->c, &zh, &f->zh), MH_OK);
    f->news = mkcol(f, f->en, 0, "News");
    f->sub = mkcol(f, f->en, f->news, "Local");
    f->subsub = mkcol(f, f->en, f->sub, "City");
    f->other = mkcol(f, f->en, 0, "Other");
    f->zh_news = mkcol(f, f->zh, 0, "News");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(strlen(f->dir) - 2), f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void test_save_sanitises_and_keeps_revisions(void **state)
{
    struct fx *f = *state;
    mh_entry_t e = {.column_id = f->news,
                    .title = "First",
                    .body_html = "<p onclick=\"x()\">Hi<script>alert(1)</script></p>",
                    .status = MH_STATUS_DRAFT};
    mh_revision_t *revs, r;
    size_t n;
    uint64_t gen = mh_content_generation(f->c);
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK);
    assert_string_equal(e.body_html, "<p>Hi</p>");
    assert_string_equal(e.slug, "first");
    /* a draft that was never public starts no new generation */
    assert_int_equal(mh_content_generation(f->c), gen);
    e.title = "Second";
    e.body_html = "<p>Hi there</p>";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK);
    assert_int_equal(mh_editorial_revisions(f->c, f->p, e.id, 0, &revs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(revs[0].title, "Second");
    assert_string_equal(revs[1].title, "First");
    assert_null(revs[0].body_html);
    assert_non_null(strstr(revs[1].snapshot, "\"slug\":\"first\""));

    /* Restore the first: content comes back, a third revision appears. */
    assert_int_equal(mh_editorial_revision_restore(f->c, revs[1].id, 0), MH_OK);
    mh_entry_t now;
    assert_int_equal(mh_content_entry_get(f->c, f->p, e.id, &now), MH_OK);
    assert_string_equal(now.title, "First");
    assert_string_equal(now.body_html, "<p>Hi</p>");
    assert_int_equal(mh_editorial_revisions(f->c, f->p, e.id, 0, &revs, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(mh_editorial_revision_get(f->c, f->p, revs[0].id, &r), MH_OK);
    assert_string_equal(r.body_html, "<p>Hi</p>");
    assert_int_equal(mh_editorial_revision_get(f->c, f->p, 99999, &r), MH_DECLINED);

    /* Updating an unknown entry is refused. */
    mh_entry_t ghost = now;
    ghost.id = 424242;
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &ghost, 0, NULL), MH_DECLINED);
}

static void test_trash_restore_purge(void **state)
{
    struct fx *f = *state;
    int64_t id = mkentry(f, f->news, "Binned", MH_STATUS_PUBLISHED, 0);
    int64_t kept = mkentry(f, f->news, "Kept", MH_STATUS_PUBLISHED, 0);
    mh_entry_t e, *list;
    size_t n;
    int64_t total, deleted;
    mh_entry_filter_t bin = {.status = -1, .trashed = true};
    assert_int_equal(mh_editorial_entry_trash(f->c, id), MH_OK);
    assert_int_equal(mh_editorial_entry_trash(f->c, id), MH_DECLINED);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_DECLINED);
    assert_int_equal(mh_editorial_entry_get(f->c, f->p, id, &e, &deleted), MH_OK);
    assert_true(deleted > 0);
    assert_int_equal(mh_editorial_entries(f->c, f->p, &bin, &list, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, id);
    /* Live lists do not show it. */
    mh_entry_filter_t live = {.status = -1};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &live, &list, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, kept);

    assert_int_equal(mh_editorial_entry_restore(f->c, id), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    /* Purge only from the bin. */
    assert_int_equal(mh_editorial_entry_purge(f->c, id), MH_DECLINED);
    assert_int_equal(mh_editorial_entry_trash(f->c, id), MH_OK);
    assert_int_equal(mh_editorial_entry_purge(f->c, id), MH_OK);
    assert_int_equal(mh_editorial_entry_get(f->c, f->p, id, &e, NULL), MH_DECLINED);
}

static void test_filters_and_search(void **state)
{
    struct fx *f = *state;
    mkentry(f, f->news, "Alpha report", MH_STATUS_PUBLISHED, 0);
    mkentry(f, f->sub, "Beta REPORT", MH_STATUS_DRAFT, 0);
    mkentry(f, f->other, "Gamma", MH_STATUS_PENDING, 0);
    mkentry(f, f->zh_news, "新闻报道", MH_STATUS_DRAFT, 0);
    mh_entry_t *list;
    size_t n;
    int64_t total;
    mh_entry_filter_t q = {.status = -1, .search = "report"};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    q = (mh_entry_filter_t){.status = MH_STATUS_DRAFT, .lang_id = f->en};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_string_equal(list[0].title, "Beta REPORT");
    q = (mh_entry_filter_t){.status = -1, .search = "报道"};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    int64_t cols[] = {f->other};
    q = (mh_entry_filter_t){.status = -1, .column_ids = cols, .ncolumns = 1};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_string_equal(list[0].title, "Gamma");
    /* An empty restricted column set matches nothing. */
    q = (mh_entry_filter_t){.status = -1, .column_ids = cols, .restrict_columns = true};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    /* Pagination. */
    q = (mh_entry_filter_t){.status = -1, .limit = 2, .offset = 2};
    assert_int_equal(mh_editorial_entries(f->c, f->p, &q, &list, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(n, 2);
}

static void test_review_workflow(void **state)
{
    struct fx *f = *state;
    int64_t id = mkentry(f, f->news, "For review", MH_STATUS_DRAFT, 0);
    mh_entry_t e;
    mh_review_t *rv;
    size_t n;
    assert_int_equal(mh_editorial_submit(f->c, id, 0, NULL), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(e.status, MH_STATUS_PENDING);
    assert_int_equal(mh_editorial_return(f->c, id, 0, "Needs a source"), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(e.status, MH_STATUS_DRAFT);
    assert_int_equal(mh_editorial_reviews(f->c, f->p, id, &rv, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rv[0].action, MH_REVIEW_REJECT);
    assert_string_equal(rv[0].comment, "Needs a source");
    assert_int_equal(rv[1].action, MH_REVIEW_SUBMIT);

    int64_t later = (int64_t)time(NULL) + 3600;
    assert_int_equal(mh_editorial_submit(f->c, id, 0, NULL), MH_OK);
    assert_int_equal(mh_editorial_approve(f->c, id, 0, later), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(e.status, MH_STATUS_SCHEDULED);
    assert_int_equal(e.publish_at, later);
    assert_int_equal(mh_editorial_approve(f->c, id, 0, 0), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(e.status, MH_STATUS_PUBLISHED);
    assert_true(e.publish_at <= (int64_t)time(NULL));
    assert_int_equal(mh_editorial_submit(f->c, 777777, 0, NULL), MH_DECLINED);
}

static void test_column_move_and_reorder(void **state)
{
    struct fx *f = *state;
    mh_column_t col, *cols;
    size_t n;
    /* Under its own descendant: refused, nothing changes. */
    assert_int_equal(mh_editorial_column_move(f->c, f->news, f->subsub), MH_ERR);
    assert_int_equal(mh_editorial_column_move(f->c, f->news, f->news), MH_ERR);
    /* Into another language: refused. */
    assert_int_equal(mh_editorial_column_move(f->c, f->sub, f->zh_news), MH_ERR);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->news, &col), MH_OK);
    assert_int_equal(col.parent_id, 0);
    /* A real move. */
    assert_int_equal(mh_editorial_column_move(f->c, f->sub, f->other), MH_OK);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->subsub, &col), MH_OK);
    assert_string_equal(col.path, "other/local/city");

    /* Reorder the top level: news, other -> other, news. */
    assert_int_equal(mh_editorial_column_reorder(f->c, f->news, -1), MH_DECLINED);
    assert_int_equal(mh_editorial_column_reorder(f->c, f->news, 1), MH_OK);
    assert_int_equal(mh_content_columns(f->c, f->p, f->en, &cols, &n), MH_OK);
    assert_int_equal(cols[0].id, f->other);
    assert_int_equal(cols[n - 1].id, f->news);
    assert_int_equal(mh_editorial_column_reorder(f->c, f->news, 1), MH_DECLINED);
    assert_int_equal(mh_editorial_column_reorder(f->c, f->news, -1), MH_OK);
    assert_int_equal(mh_content_columns(f->c, f->p, f->en, &cols, &n), MH_OK);
    assert_int_equal(cols[0].id, f->news);
}

static void test_column_hidden_flag_is_own(void **state)
{
    struct fx *f = *state;
    mh_column_t col;
    assert_int_equal(mh_editorial_column_get(f->c, f->p, f->news, &col), MH_OK);
    col.visible = false;
    assert_int_equal(mh_content_column_update(f->c, &col), MH_OK);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->sub, &col), MH_OK);
    assert_false(col.visible);
    assert_int_equal(mh_editorial_column_get(f->c, f->p, f->sub, &col), MH_OK);
    assert_true(col.visible);
}

static void test_column_delete(void **state)
{
    struct fx *f = *state;
    int64_t a = mkentry(f, f->subsub, "Deep", MH_STATUS_PUBLISHED, 0);
    int64_t b = mkentry(f, f->other, "Deep", MH_STATUS_PUBLISHED, 0);
    int64_t count = 0;
    mh_column_t col;
    mh_entry_t e;
    assert_int_equal(mh_editorial_entry_trash(f->c, b), MH_OK);
    assert_int_equal(mh_editorial_column_count(f->c, f->news, &count), MH_OK);
    assert_int_equal(count, 1);
    assert_int_equal(mh_editorial_column_delete(f->c, f->news, 0), MH_DECLINED);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->news, &col), MH_OK);
    /* Not into its own subtree, nor another language. */
    assert_int_equal(mh_editorial_column_delete(f->c, f->news, f->sub), MH_ERR);
    assert_int_equal(mh_editorial_column_delete(f->c, f->news, f->zh_news), MH_ERR);
    assert_int_equal(mh_editorial_column_delete(f->c, f->news, f->other), MH_OK);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->news, &col), MH_DECLINED);
    assert_int_equal(mh_content_column_get(f->c, f->p, f->subsub, &col), MH_DECLINED);
    assert_int_equal(mh_content_entry_get(f->c, f->p, a, &e), MH_OK);
    assert_int_equal(e.column_id, f->other);
    /* The binned "deep" kept its slug, so the moved one got another. */
    assert_string_equal(e.slug, "deep-2");
    /* An empty column goes without question. */
    assert_int_equal(mh_editorial_column_delete(f->c, f->zh_news, 0), MH_OK);
}

static void test_translation(void **state)
{
    struct fx *f = *state;
    int64_t id = mkentry(f, f->news, "Original", MH_STATUS_PUBLISHED, 0), tid = 0;
    mh_entry_t e, t, *tr;
    size_t n;
    assert_int_equal(mh_editorial_entry_translate(f->c, id, f->zh, 0, 0, &tid), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, tid, &t), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(t.translation_group, e.translation_group);
    assert_int_equal(t.column_id, f->zh_news);
    assert_int_equal(t.status, MH_STATUS_DRAFT);
    assert_int_equal(mh_editorial_translations(f->c, f->p, &e, &tr, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tr[0].id, tid);
    /* Same language, or a column of another language: refused. */
    assert_int_equal(mh_editorial_entry_translate(f->c, id, f->en, 0, 0, &tid), MH_DECLINED);
    assert_int_equal(mh_editorial_entry_translate(f->c, id, f->zh, f->news, 0, &tid), MH_DECLINED);
}

static void test_diff(void **state)
{
    struct fx *f = *state;
    char *d = mh_editorial_diff(f->p, "<p>The quick brown fox</p>", "<p>The slow brown fox</p>", 0);
    assert_string_equal(d, "&lt;p&gt;The <del>quick</del><ins>slow</ins> brown fox&lt;/p&gt;");
    d = mh_editorial_diff(f->p, "same", "same", 0);
    assert_string_equal(d, "same");
    d = mh_editorial_diff(f->p, "", "<b>new</b>", 0);
    assert_string_equal(d, "<ins>&lt;b&gt;new&lt;/b&gt;</ins>");
    d = mh_editorial_diff(f->p, "a b c d", "a c d e", 0);
    assert_string_equal(d, "a <del>b </del>c d<ins> e</ins>");
    /* CJK is compared per character. */
    d = mh_editorial_diff(f->p, "新闻报道", "新闻通报", 0);
    assert_string_equal(d, "新闻<ins>通</ins>报<del>道</del>");
    /* Over the budget: one removal and one insertion, still escaped. */
    d = mh_editorial_diff(f->p, "x a b c y", "x c b a y", 2);
    assert_string_equal(d, "x <del>a b c</del><ins>c b a</ins> y");
    /* Large inputs stay bounded. */
    size_t big = 200000;
    char *a = malloc(big + 1), *b = malloc(big + 1);
    for (size_t i = 0; i < big; i++) {
        a[i] = (i % 3) ? 'a' + (char)(i % 7) : ' ';
        b[i] = (i % 3) ? 'a' + (char)((i * 5) % 7) : ' ';
    }
    a[big] = b[big] = 0;
    d = mh_editorial_diff(f->p, a, b, 0);
    assert_non_null(strstr(d, "<del>"));
    free(a);
    free(b);
}

static void test_scheduler(void **state)
{
    struct fx *f = *state;
    int64_t now = (int64_t)time(NULL), published = -1;
    mh_entry_t e = {.column_id = f->news,
                    .title = "Later",
                    .status = MH_STATUS_SCHEDULED,
                    .publish_at = now + 100};
    mh_entry_t pub = {.column_id = f->news,
                      .title = "Published future",
                      .status = MH_STATUS_PUBLISHED,
                      .publish_at = now + 50};
    mh_entry_t got;
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK);
    assert_int_equal(e.status, MH_STATUS_SCHEDULED);
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &pub, 0, NULL), MH_OK);
    uint64_t gen = mh_content_generation(f->c);
    /* Nothing due: no change, no bump. */
    assert_int_equal(mh_editorial_tick(f->c, now - 1, now, &published), MH_OK);
    assert_int_equal(published, 0);
    assert_int_equal(mh_content_generation(f->c), gen);
    /* The published entry's time passes: bump, no status change. */
    assert_int_equal(mh_editorial_tick(f->c, now, now + 60, &published), MH_OK);
    assert_int_equal(published, 0);
    assert_true(mh_content_generation(f->c) > gen);
    gen = mh_content_generation(f->c);
    assert_int_equal(mh_editorial_tick(f->c, now + 60, now + 99, &published), MH_OK);
    assert_int_equal(mh_content_generation(f->c), gen);
    assert_int_equal(mh_editorial_tick(f->c, now + 99, now + 100, &published), MH_OK);
    assert_int_equal(published, 1);
    assert_true(mh_content_generation(f->c) > gen);
    assert_int_equal(mh_content_entry_get(f->c, f->p, e.id, &got), MH_OK);
    assert_int_equal(got.status, MH_STATUS_PUBLISHED);
    /* Binned scheduled entries stay put. */
    mh_entry_t gone = {.column_id = f->news,
                       .title = "Gone",
                       .status = MH_STATUS_SCHEDULED,
                       .publish_at = now + 200};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &gone, 0, NULL), MH_OK);
    assert_int_equal(mh_editorial_entry_trash(f->c, gone.id), MH_OK);
    assert_int_equal(mh_editorial_tick(f->c, 0, now + 300, &published), MH_OK);
    assert_int_equal(published, 0);
    /* A scheduled save whose time is past is stored as published. */
    mh_entry_t past = {.column_id = f->news,
                       .title = "Past",
                       .status = MH_STATUS_SCHEDULED,
                       .publish_at = now - 10};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &past, 0, NULL), MH_OK);
    assert_int_equal(past.status, MH_STATUS_PUBLISHED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_sanitises_and_keeps_revisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trash_restore_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_move_and_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_hidden_flag_is_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_translation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scheduler, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
