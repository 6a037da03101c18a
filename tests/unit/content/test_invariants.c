/* Invariants held at the content layer, whoever calls it: rich text is
 * sanitised before the store sees it, URL fields pass one validator, an
 * editorial save with its revision and audit line is one transaction, out
 * of space is reported as such, and only public changes start a new
 * content generation. Against a real SQLite site in a temp directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "content/accounts.h"
#include "content/content.h"
#include "content/editorial.h"
#include "content/media.h"
#include "content/validate.h"
#include "store/sqlite_ext.h"

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t en, news;
};

static const char *const hostile =
    "<p onclick=\"steal()\" style=\"color:red\">Hi<script>alert(1)</script>"
    "<img src=\"x\" onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">link</a>"
    "<a href=\" JaVaScRiPt:alert(4)\">two</a></p><style>body{display:none}</style>"
    "<iframe src=\"https://evil.example/\"></iframe>";

static void assert_clean(const char *html)
{
    const char *bad[] = {"<script", "onerror", "onclick",  "javascript:", "JaVaScRiPt",
                         "style",   "<iframe", "alert(1)", "steal"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (strstr(html, bad[i])) {
            fprintf(stderr, "found %s in %s\n", bad[i], html);
            fail();
        }
    assert_non_null(strstr(html, "Hi"));
    assert_non_null(strstr(html, "link"));
}

/* Run SQL on a separate connection, as another process would. */
static void external_sql(struct fx *f, const char *sql)
{
    char path[128];
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/site.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, msg);
        fail();
    }
    sqlite3_close(db);
}

static int64_t count_rows(struct fx *f, const char *sql)
{
    char path[128];
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t n = -1;
    snprintf(path, sizeof(path), "%s/site.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs;
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-inv-XXXXXX");
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
    mh_column_t col = {.lang_id = f->en,
                       .module = MH_MODULE_ARTICLE,
                       .name = "News",
                       .nav = MH_NAV_HEADER,
                       .page_size = 10,
                       .visible = true};
    if (mh_content_column_create(f->c, &col, &f->news) != MH_OK)
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
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->tmp);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* --- 1. rich text --- */

static void test_entry_body_sanitised(void **state)
{
    struct fx *f = *state;
    mh_entry_t e = {.column_id = f->news, .title = "Hostile", .body_html = hostile}, got;
    int64_t id = 0;
    assert_int_equal(mh_content_entry_create(f->c, &e, &id), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    assert_clean(got.body_html);
    /* update too */
    got.body_html = hostile;
    assert_int_equal(mh_content_entry_update(f->c, &got), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    assert_clean(got.body_html);
    /* and nothing hostile reached the table itself */
    assert_int_equal(count_rows(f, "SELECT count(*) FROM entries WHERE body_html LIKE '%script%'"
                                   " OR body_html LIKE '%onerror%'"),
                     0);
}

static void test_column_body_sanitised(void **state)
{
    struct fx *f = *state;
    mh_column_t col = {.lang_id = f->en,
                       .module = MH_MODULE_PAGE,
                       .name = "About",
                       .body_html = hostile,
                       .page_size = 10,
                       .visible = true},
                got;
    int64_t id = 0;
    assert_int_equal(mh_content_column_create(f->c, &col, &id), MH_OK);
    assert_int_equal(mh_content_column_get(f->c, f->p, id, &got), MH_OK);
    assert_clean(got.body_html);
    got.body_html = hostile;
    assert_int_equal(mh_content_column_update(f->c, &got), MH_OK);
    assert_int_equal(mh_content_column_get(f->c, f->p, id, &got), MH_OK);
    assert_clean(got.body_html);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM columns WHERE body_html LIKE '%script%'"),
                     0);
}

static void test_html_setting_sanitised(void **state)
{
    struct fx *f = *state;
    assert_int_equal(mh_content_setting_set(f->c, 0, "footer_html", hostile), MH_OK);
    assert_clean(mh_content_setting(f->c, f->p, 0, "footer_html"));
    /* a plain-text setting is stored as given (templates escape it) */
    assert_int_equal(mh_content_setting_set(f->c, 0, "site_tagline", "<b>a</b>"), MH_OK);
    assert_string_equal(mh_content_setting(f->c, f->p, 0, "site_tagline"), "<b>a</b>");
}

/* --- 2. URLs --- */

static const char *const bad_urls[] = {
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml;base64,PHN2Zz4=",
    "//evil.example/x.png",
    "///evil.example/x.png",
    "/\\evil.example/x.png",
    "\\\\evil.example/x.png",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "file:///etc/passwd",
    "http:evil.example",
    "https:/evil.example",
    "http://",
    "ftp://example.com/x",
    "mailto:a@example.com",
    "/x.png ",
    "/a\x7f.png",
};

static const char *const good_urls[] = {
    "",
    "https://example.com/a.png",
    "HTTPS://EXAMPLE.COM/A.PNG",
    "http://example.com",
    "/media/ab/0123456789abcdef0123456789abcd.jpg",
    "ab/0123456789abcdef0123456789abcd.jpg",
    "images/cover.jpg",
    "../up.png",
    "?q=1",
    "#top",
    "/search?q=a&b=c",
};

static void test_url_validator(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++)
        if (mh_content_url_ok(bad_urls[i])) {
            fprintf(stderr, "accepted: %s\n", bad_urls[i]);
            fail();
        }
    for (size_t i = 0; i < sizeof(good_urls) / sizeof(good_urls[0]); i++)
        if (!mh_content_url_ok(good_urls[i])) {
            fprintf(stderr, "refused: %s\n", good_urls[i]);
            fail();
        }
    assert_true(mh_content_url_ok(NULL));
    assert_true(mh_content_setting_is_url("base_url"));
    assert_true(mh_content_setting_is_url("banner_url"));
    assert_false(mh_content_setting_is_url("site_name"));
    assert_true(mh_content_setting_is_html("footer_html"));
    assert_false(mh_content_setting_is_html("footer_text"));
}

static void test_url_fields_refused(void **state)
{
    struct fx *f = *state;
    int64_t id = 0;
    for (size_t i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++) {
        mh_entry_t e = {.column_id = f->news, .title = "Cover", .cover = bad_urls[i]};
        assert_int_equal(mh_content_entry_create(f->c, &e, &id), MH_INVALID);
        mh_column_t col = {.lang_id = f->en,
                           .module = MH_MODULE_LINK,
                           .name = "Link",
                           .link_url = bad_urls[i],
                           .page_size = 10};
        assert_int_equal(mh_content_column_create(f->c, &col, &id), MH_INVALID);
        assert_int_equal(mh_content_setting_set(f->c, 0, "base_url", bad_urls[i]), MH_INVALID);
    }
    assert_int_equal(count_rows(f, "SELECT count(*) FROM entries WHERE title = 'Cover'"), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM columns WHERE name = 'Link'"), 0);
    /* an update is refused the same way and leaves the stored cover alone */
    mh_entry_t e = {.column_id = f->news, .title = "Good", .cover = "/media/ab/x.jpg"}, got;
    assert_int_equal(mh_content_entry_create(f->c, &e, &id), MH_OK);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    got.cover = "javascript:alert(1)";
    assert_int_equal(mh_content_entry_update(f->c, &got), MH_INVALID);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    assert_string_equal(got.cover, "/media/ab/x.jpg");
    /* the editorial save says the same */
    got.cover = "//evil.example/x.png";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &got, 0, NULL), MH_INVALID);
    assert_int_equal(mh_content_setting_set(f->c, 0, "base_url", "https://example.com/"), MH_OK);
}

/* --- 3. one transaction --- */

static void test_save_revision_audit_one_transaction(void **state)
{
    struct fx *f = *state;
    mh_audit_line_t line = {.user_id = 0, .ip = "127.0.0.1", .action = "entry.create"};
    mh_entry_t e = {.column_id = f->news, .title = "Atomic", .body_html = "<p>a</p>"};
    /* all three stored together */
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, &line), MH_OK);
    int64_t id = e.id;
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM revisions WHERE entry_id = %lld",
             (long long)id);
    assert_int_equal(count_rows(f, sql), 1);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE object = 'entry:%lld'",
             (long long)id);
    assert_int_equal(count_rows(f, sql), 1);

    /* a failing revision insert fails the save: nothing changes */
    external_sql(f, "CREATE TRIGGER no_rev BEFORE INSERT ON revisions "
                    "BEGIN SELECT RAISE(ABORT, 'no revision'); END;");
    mh_entry_t upd = e;
    upd.title = "Changed";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &upd, 0, &line), MH_ERR);
    assert_string_equal(upd.title, "Changed"); /* e untouched on failure */
    mh_entry_t got;
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    assert_string_equal(got.title, "Atomic");
    mh_entry_t fresh = {.column_id = f->news, .title = "Never stored"};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &fresh, 0, &line), MH_ERR);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM entries WHERE title = 'Never stored'"), 0);
    external_sql(f, "DROP TRIGGER no_rev");

    /* a failing audit insert fails it too */
    external_sql(f, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'no audit'); END;");
    upd = e;
    upd.title = "Changed again";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &upd, 0, &line), MH_ERR);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &got), MH_OK);
    assert_string_equal(got.title, "Atomic");
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM revisions WHERE entry_id = %lld",
             (long long)id);
    assert_int_equal(count_rows(f, sql), 1);
    /* without an audit line the save does not need the audit table */
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &upd, 0, NULL), MH_OK);
    external_sql(f, "DROP TRIGGER no_audit");

    /* a caller's own transaction around several writes */
    assert_int_equal(mh_content_tx_begin(f->c), MH_OK);
    assert_true(mh_content_in_tx(f->c));
    mh_entry_t a1 = {.column_id = f->news, .title = "Grouped one"};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &a1, 0, NULL), MH_OK);
    assert_int_equal(mh_accounts_audit(f->c, 0, "", "entry.create", "x", ""), MH_OK);
    assert_int_equal(mh_content_tx_end(f->c, MH_DECLINED), MH_DECLINED); /* caller gives up */
    assert_false(mh_content_in_tx(f->c));
    assert_int_equal(count_rows(f, "SELECT count(*) FROM entries WHERE title = 'Grouped one'"), 0);
}

/* --- 4. out of space --- */

static void test_nospace(void **state)
{
    struct fx *f = *state;
    sqlite3 *db = mh_sqlite_db(mh_content_store(f->c));
    sqlite3_stmt *st;
    char pragma[64];
    int64_t pages = 0;
    assert_non_null(db);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    /* this connection may not grow the file any more */
    snprintf(pragma, sizeof(pragma), "PRAGMA max_page_count = %lld", (long long)pages);
    assert_int_equal(sqlite3_exec(db, pragma, NULL, NULL, NULL), SQLITE_OK);
    size_t big = 256 * 1024;
    char *body = malloc(big + 8);
    memcpy(body, "<p>", 3);
    memset(body + 3, 'x', big);
    memcpy(body + 3 + big, "</p>", 5);
    mh_entry_t e = {.column_id = f->news, .title = "Full", .body_html = body};
    int64_t id;
    assert_int_equal(mh_content_entry_create(f->c, &e, &id), MH_NOSPACE);
    mh_entry_t e2 = {.column_id = f->news, .title = "Full too", .body_html = body};
    mh_audit_line_t line = {.action = "entry.create"};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e2, 0, &line), MH_NOSPACE);
    assert_int_equal(mh_content_setting_set(f->c, 0, "footer_text", body), MH_NOSPACE);
    free(body);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM entries WHERE title LIKE 'Full%'"), 0);
    /* room again: writes work, and an ordinary failure is not "no space" */
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
                     SQLITE_OK);
    mh_entry_t ok = {.column_id = f->news, .title = "Fits"};
    assert_int_equal(mh_content_entry_create(f->c, &ok, &id), MH_OK);
    mh_entry_t bad = {.column_id = 999999, .title = "No column"};
    assert_int_equal(mh_content_entry_create(f->c, &bad, &id), MH_ERR);
}

/* --- 5. content generation --- */

static void test_generation_only_public(void **state)
{
    struct fx *f = *state;
    uint64_t g = mh_content_generation(f->c);
    /* a failed sign-in's audit row, a session, a draft: no new generation */
    assert_int_equal(mh_accounts_audit(f->c, 0, "10.0.0.1", "login.fail", "name:x", ""), MH_OK);
    mh_content_poll(f->c);
    assert_int_equal(mh_content_generation(f->c), g);
    mh_entry_t d = {.column_id = f->news, .title = "Draft", .status = MH_STATUS_DRAFT};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &d, 0, NULL), MH_OK);
    d.title = "Draft edited";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &d, 0, NULL), MH_OK);
    assert_int_equal(mh_editorial_submit(f->c, d.id, 0, "please"), MH_OK); /* pending */
    mh_content_poll(f->c);
    assert_int_equal(mh_content_generation(f->c), g);
    /* publishing is public: one new generation, and the poll does not see
     * our own commit a second time */
    assert_int_equal(mh_editorial_approve(f->c, d.id, 0, 0), MH_OK);
    uint64_t g2 = mh_content_generation(f->c);
    assert_true(g2 > g);
    mh_content_poll(f->c);
    assert_int_equal(mh_content_generation(f->c), g2);
    /* editing a published entry, a setting, a column: new generations */
    assert_int_equal(mh_content_entry_get(f->c, f->p, d.id, &d), MH_OK);
    d.title = "Published edited";
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &d, 0, NULL), MH_OK);
    assert_true(mh_content_generation(f->c) > g2);
    g2 = mh_content_generation(f->c);
    assert_int_equal(mh_content_setting_set(f->c, 0, "site_tagline", "t"), MH_OK);
    assert_true(mh_content_generation(f->c) > g2);
    g2 = mh_content_generation(f->c);
    /* unpublishing is public too; trashing a draft is not */
    assert_int_equal(mh_editorial_entry_trash(f->c, d.id), MH_OK);
    assert_true(mh_content_generation(f->c) > g2);
    g2 = mh_content_generation(f->c);
    mh_entry_t d2 = {.column_id = f->news, .title = "Draft two", .status = MH_STATUS_DRAFT};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &d2, 0, NULL), MH_OK);
    assert_int_equal(mh_editorial_entry_trash(f->c, d2.id), MH_OK);
    assert_int_equal(mh_content_generation(f->c), g2);
    /* another process: a script's draft edit is not noticed, a published
     * one is */
    char sql[128];
    snprintf(sql, sizeof(sql), "UPDATE entries SET title = 'x' WHERE id = %lld", (long long)d2.id);
    external_sql(f, sql);
    external_sql(f, "INSERT INTO users (name, password_hash, created_at) VALUES ('u', 'x', 0);"
                    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, "
                    "expires_at) VALUES ('h', last_insert_rowid(), 0, 0, 0)");
    mh_content_poll(f->c);
    assert_int_equal(mh_content_generation(f->c), g2);
    external_sql(f, "UPDATE settings SET value = 'outside' WHERE key = 'site_tagline'");
    mh_content_poll(f->c);
    assert_true(mh_content_generation(f->c) > g2);
    assert_string_equal(mh_content_setting(f->c, f->p, 0, "site_tagline"), "outside");
}

/* --- 6. start-up recovery of interrupted uploads --- */

static void touch(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("x", fp);
    fclose(fp);
}

static bool exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void test_media_recover(void **state)
{
    struct fx *f = *state;
    char media[160], sub[200];
    const char *hex = "0123456789abcdef0123456789abcd"; /* 30 digits */
    char kept[64], kept_v[64], orphan[64], orphan_v[64], other_ext[64];
    size_t removed = 99;
    snprintf(media, sizeof(media), "%s/media", f->dir);
    snprintf(sub, sizeof(sub), "%s/.tmp", media);
    assert_int_equal(mkdir(sub, 0750), 0);
    touch(sub, "up-0123");
    snprintf(sub, sizeof(sub), "%s/ab", media);
    assert_int_equal(mkdir(sub, 0750), 0);
    snprintf(kept, sizeof(kept), "%s.jpg", hex);
    snprintf(kept_v, sizeof(kept_v), "%s-320.webp", hex);
    snprintf(other_ext, sizeof(other_ext), "%s.png", hex);
    snprintf(orphan, sizeof(orphan), "fedcba9876543210fedcba98765432.png");
    snprintf(orphan_v, sizeof(orphan_v), "fedcba9876543210fedcba98765432-640.webp");
    const char *files[] = {kept, kept_v, other_ext, orphan, orphan_v, ".tmp-abc", "README"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        touch(sub, files[i]);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO media (stored_name, mime, size, created_at, variants) "
             "VALUES ('ab/%s', 'image/jpeg', 1, 0, '320')",
             kept);
    external_sql(f, sql);
    assert_int_equal(mh_content_media_recover(f->c, media, &removed), MH_OK);
    assert_int_equal(removed, 5);
    assert_true(exists(sub, kept));
    assert_true(exists(sub, kept_v));
    assert_true(exists(sub, "README")); /* not a media name: not ours */
    assert_false(exists(sub, other_ext));
    assert_false(exists(sub, orphan));
    assert_false(exists(sub, orphan_v));
    assert_false(exists(sub, ".tmp-abc"));
    snprintf(sub, sizeof(sub), "%s/.tmp", media);
    assert_false(exists(sub, "up-0123"));
    /* a second run finds nothing */
    assert_int_equal(mh_content_media_recover(f->c, media, &removed), MH_OK);
    assert_int_equal(removed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entry_body_sanitised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_body_sanitised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_setting_sanitised, setup, teardown),
        cmocka_unit_test(test_url_validator),
        cmocka_unit_test_setup_teardown(test_url_fields_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_revision_audit_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nospace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generation_only_public, setup, teardown),
        cmocka_unit_test_setup_teardown(test_media_recover, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
