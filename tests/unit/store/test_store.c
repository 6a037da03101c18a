/* The SQLite backend through the ops table: migrations, pragmas, enums. */
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

#include "store/store.h"

struct fx {
    char dir[64];
    char path[96];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/site.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t scalar(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void test_migrate_idempotent(void **state)
{
    struct fx *f = *state;
    char err[256] = "";
    mh_store_t *s = NULL;
    int version = 0;
    struct stat st;
    const char *tables = "SELECT count(*) FROM sqlite_schema";
    assert_int_equal(mh_store_sqlite_ops.open(f->path, true, &s, err, sizeof(err)), MH_OK);
    assert_int_equal(s->ops->migrate(s, &version, err, sizeof(err)), MH_OK);
    assert_int_equal(version, (int)mh_store_sqlite_migrations_count);
    s->ops->close(s);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    int64_t objects = scalar(f->path, tables);
    assert_true(objects > 20);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM schema_version"),
                     (int64_t)mh_store_sqlite_migrations_count);
    /* Reopening applies nothing more. */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_OK);
        mh_store_close(s);
    }
    assert_int_equal(scalar(f->path, tables), objects);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM schema_version"),
                     (int64_t)mh_store_sqlite_migrations_count);
    /* Every table of the product is there. */
    static const char *const want[] = {"sites",     "languages", "columns",   "entries",
                                       "settings",  "users",     "grants",    "sessions",
                                       "revisions", "media",     "audit_log", "reviews"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char sql[128];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
                 want[i]);
        assert_int_equal(scalar(f->path, sql), 1);
    }
}

static void test_newer_schema_refused(void **state)
{
    struct fx *f = *state;
    char err[256] = "";
    mh_store_t *s = NULL;
    sqlite3 *db;
    assert_int_equal(mh_store_open(f->path, true, &s, err, sizeof(err)), MH_OK);
    mh_store_close(s);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "INSERT INTO schema_version VALUES (999, 0)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_ERR);
    assert_null(s);
    assert_non_null(strstr(err, "newer"));
}

static void test_open_missing(void **state)
{
    struct fx *f = *state;
    char err[256] = "";
    mh_store_t *s = NULL;
    assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_ERR);
    assert_null(s);
    assert_true(err[0] != '\0');
}

static void test_pragmas_and_transactions(void **state)
{
    struct fx *f = *state;
    char err[256] = "";
    mh_store_t *s = NULL;
    mh_pool_t *p = mh_pool_create();
    int64_t site = 0, lang = 0;
    mh_site_info_t info;
    assert_int_equal(mh_store_open(f->path, true, &s, err, sizeof(err)), MH_OK);
    assert_int_equal(
        scalar(f->path, "SELECT 1 FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    assert_int_equal(s->ops->site_get(s, p, &info), MH_DECLINED);
    /* A rolled back transaction leaves nothing. */
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(s->ops->site_insert(s, "Rolled back", "", &site), MH_OK);
    assert_int_equal(s->ops->rollback(s), MH_OK);
    assert_int_equal(s->ops->site_get(s, p, &info), MH_DECLINED);
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(s->ops->site_insert(s, "Kept", "example.org", &site), MH_OK);
    assert_int_equal(s->ops->commit(s), MH_OK);
    assert_int_equal(s->ops->site_get(s, p, &info), MH_OK);
    assert_string_equal(info.name, "Kept");
    assert_string_equal(info.domain, "example.org");
    /* Foreign keys are enforced: a language of a missing site fails. */
    mh_language_t l = {.site_id = 4242, .code = "en", .name = "English", .prefix = ""};
    assert_int_equal(s->ops->language_insert(s, &l, &lang), MH_ERR);
    l.site_id = site;
    assert_int_equal(s->ops->language_insert(s, &l, &lang), MH_OK);
    /* Unique prefix per site. */
    l.code = "en-GB";
    assert_int_equal(s->ops->language_insert(s, &l, &lang), MH_ERR);
    /* Settings: upsert and delete with NULL language. */
    mh_store_setting_t *rows;
    size_t n;
    assert_int_equal(s->ops->setting_set(s, site, 0, "k", "1"), MH_OK);
    assert_int_equal(s->ops->setting_set(s, site, 0, "k", "2"), MH_OK);
    assert_int_equal(s->ops->settings(s, p, &rows, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].lang_id, 0);
    assert_string_equal(rows[0].value, "2");
    assert_int_equal(s->ops->setting_set(s, site, 0, "k", NULL), MH_OK);
    assert_int_equal(s->ops->settings(s, p, &rows, &n), MH_OK);
    assert_int_equal(n, 0);
    /* data_changed sees writes from another connection only. */
    bool changed = true;
    assert_int_equal(s->ops->data_changed(s, &changed), MH_OK);
    assert_int_equal(s->ops->setting_set(s, site, 0, "k", "3"), MH_OK);
    assert_int_equal(s->ops->data_changed(s, &changed), MH_OK);
    assert_false(changed);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE settings SET value = '4'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(s->ops->data_changed(s, &changed), MH_OK);
    assert_true(changed);
    mh_store_close(s);
    mh_pool_destroy(p);
}

static void test_enum_names(void **state)
{
    (void)state;
    assert_string_equal(mh_store_status_name(MH_STATUS_SCHEDULED), "scheduled");
    assert_int_equal(mh_store_status_parse("pending"), MH_STATUS_PENDING);
    assert_int_equal(mh_store_status_parse("bogus"), -1);
    assert_null(mh_store_status_name((mh_status_t)9));
    assert_string_equal(mh_store_sort_name(MH_SORT_HITS), "hits");
    assert_int_equal(mh_store_sort_parse("title"), MH_SORT_TITLE);
    assert_string_equal(mh_store_nav_name(MH_NAV_BOTH), "both");
    assert_int_equal(mh_store_nav_parse("hidden"), MH_NAV_HIDDEN);
    assert_int_equal(mh_store_nav_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragmas_and_transactions, setup, teardown),
        cmocka_unit_test(test_enum_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
