/* EXPLAIN QUERY PLAN of every public and admin list statement (store/
 * sqlite_lists.c, sqlite_editorial.c) on a migrated database: none may read
 * the whole entries table (a SCAN of entries, with or without an index,
 * except the admin's ordered walk of entries_admin_time, which stops at
 * the page), and none may sort a column's entries in a temporary B-tree
 * (only the title search sorts, its bounded window of matches). The
 * planner has no statistics (masthead never runs ANALYZE), so the plans
 * are those of every site whatever its size. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/sqlite_ext.h"
#include "store/sqlite_lists.h"
#include "store/store.h"

struct fx {
    char dir[64];
    char path[96];
    mh_store_t *s;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-qp-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/site.db", f->dir);
    assert_int_equal(mh_store_open(f->path, true, &f->s, err, sizeof(err)), MH_OK);
    assert_int_equal(f->s->ops->migrate(f->s, NULL, err, sizeof(err)), MH_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    f->s->ops->close(f->s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* ALLOW_ADMIN_WALK: the admin's newest-first walk; ALLOW_WINDOW_SORT: a
 * sort of a bounded set of matches; COUNTS: a total, which may read
 * entry_counts alone. */
enum { ALLOW_ADMIN_WALK = 1, ALLOW_WINDOW_SORT = 2, COUNTS = 4 };

/* Whether sql's plan keeps the rule (printing it when not). */
static bool plan_ok(struct fx *f, const char *sql, int allow)
{
    char q[8192], plan[8192];
    size_t used = 0;
    sqlite3_stmt *st = NULL;
    bool bad = false, searched = false;
    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    plan[0] = '\0';
    if (sqlite3_prepare_v2(mh_sqlite_db(f->s), q, -1, &st, NULL) != SQLITE_OK) {
        print_message("prepare: %s\n%s\n", sqlite3_errmsg(mh_sqlite_db(f->s)), sql);
        return false;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        used += (size_t)snprintf(plan + used, sizeof(plan) - used, "  %s\n", d ? d : "");
        if (used >= sizeof(plan))
            used = sizeof(plan) - 1;
        if (!d)
            continue;
        if (strncmp(d, "SCAN entries", 12) == 0 &&
            !((allow & ALLOW_ADMIN_WALK) && strstr(d, "INDEX entries_admin_time")))
            bad = true;
        if (strstr(d, "TEMP B-TREE") && !(allow & ALLOW_WINDOW_SORT))
            bad = true;
        if (strncmp(d, "SEARCH entries", 14) == 0 || strstr(d, "entries_admin_time") ||
            strncmp(d, "SCAN search", 11) == 0)
            searched = true;
    }
    sqlite3_finalize(st);
    if (allow & COUNTS)
        searched = true;
    if (bad || !searched)
        print_message("plan refused for:\n%s\n%s", sql, plan);
    if (getenv("MH_SHOW_PLANS"))
        print_message("%s\n%s", sql, plan);
    return !bad && searched;
}

static void check_plan(struct fx *f, const char *sql, int allow)
{
    assert_true(plan_ok(f, sql, allow));
}

static void test_public_list_plans(void **state)
{
    struct fx *f = *state;
    for (int kind = 0; kind < 3; kind++)
        for (int sort = 0; sort < 5; sort++)
            for (int back = 0; back < 2; back++)
                check_plan(f, mh_sqlite_list_ids_sql[kind][sort][back], 0);
}

static void test_count_plans(void **state)
{
    struct fx *f = *state;
    check_plan(f, mh_sqlite_list_count_sql, COUNTS);
    check_plan(f, mh_sqlite_admin_count_sql, COUNTS);
}

static void test_admin_list_plans(void **state)
{
    struct fx *f = *state;
    check_plan(f, mh_sqlite_admin_ids_sql, ALLOW_ADMIN_WALK);
    check_plan(f, mh_sqlite_admin_ids_back_sql, ALLOW_ADMIN_WALK);
    check_plan(f, mh_sqlite_admin_search_ids_sql, ALLOW_WINDOW_SORT);
    check_plan(f, mh_sqlite_admin_search_count_sql, 0);
}

/* The checker itself: a walk of every entry and a sort of a column's
 * entries by a key no index has must both be refused. */
static void test_checker_refuses_scans(void **state)
{
    struct fx *f = *state;
    assert_false(plan_ok(f, "SELECT id FROM entries WHERE deleted_at IS NULL LIMIT 20", 0));
    assert_false(
        plan_ok(f, "SELECT id FROM entries WHERE column_id = ?1 ORDER BY created_at LIMIT 20", 0));
    assert_false(
        plan_ok(f, "SELECT id FROM entries ORDER BY created_at DESC LIMIT 20", ALLOW_ADMIN_WALK));
}

static void exec_ok(struct fx *f, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(mh_sqlite_db(f->s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        print_message("%s: %s\n", sql, msg ? msg : "");
        sqlite3_free(msg);
        fail();
    }
}

static int64_t one(struct fx *f, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(mh_sqlite_db(f->s), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* entry_counts equals a count of the rows after every kind of write the
 * triggers see: inserts, status changes, the bin, moves, the recommended
 * flag, deletes and a column's cascaded delete. */
static void test_entry_counts_follow_writes(void **state)
{
    struct fx *f = *state;
    static const char truth[] =
        "SELECT (SELECT count(*) FROM (SELECT column_id, CASE WHEN deleted_at IS NULL THEN status "
        "ELSE "
        "'bin' END AS state, count(*) AS n, sum(recommended) AS rec FROM entries GROUP BY 1, 2 "
        "EXCEPT SELECT column_id, state, n, rec FROM entry_counts WHERE n > 0))"
        " + (SELECT count(*) FROM entry_counts WHERE n < 0 OR rec < 0 OR rec > n)"
        " + (SELECT count(*) FROM (SELECT column_id, state FROM entry_counts WHERE n > 0 EXCEPT "
        "SELECT column_id, CASE WHEN deleted_at IS NULL THEN status ELSE 'bin' END FROM "
        "entries))";
    exec_ok(f, "INSERT INTO sites (id, name) VALUES (1, 's');"
               "INSERT INTO languages (id, site_id, code, name) VALUES (1, 1, 'en', 'English');"
               "INSERT INTO columns (id, lang_id, module, name, slug) VALUES"
               " (1, 1, 'article', 'a', 'a'), (2, 1, 'article', 'b', 'b'),"
               " (3, 1, 'article', 'c', 'c');");
    exec_ok(f, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300)"
               " INSERT INTO entries (column_id, lang_id, title, slug, publish_at, created_at,"
               " updated_at, status, recommended) SELECT 1 + i % 3, 1, 't' || i, 's' || i, i, i,"
               " i, CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'published' WHEN 2 THEN"
               " 'scheduled' ELSE 'pending' END, i % 5 = 0 FROM k;");
    assert_int_equal(one(f, truth), 0);
    exec_ok(f, "UPDATE entries SET status = 'published' WHERE id % 7 = 0;");
    exec_ok(f, "UPDATE entries SET deleted_at = 5 WHERE id % 11 = 0;");
    exec_ok(f, "UPDATE entries SET deleted_at = NULL WHERE id % 22 = 0;");
    exec_ok(f, "UPDATE entries SET column_id = 2 WHERE id % 13 = 0;");
    exec_ok(f, "UPDATE entries SET recommended = 1 - recommended WHERE id % 3 = 0;");
    exec_ok(f, "UPDATE entries SET title = title || '!', hits = hits + 1 WHERE id % 2 = 0;");
    exec_ok(f, "DELETE FROM entries WHERE id % 17 = 0;");
    assert_int_equal(one(f, truth), 0);
    exec_ok(f, "PRAGMA foreign_keys = ON; DELETE FROM columns WHERE id = 3;");
    assert_int_equal(one(f, "SELECT count(*) FROM entries WHERE column_id = 3"), 0);
    assert_int_equal(one(f, truth), 0);
    assert_int_equal(one(f, "SELECT coalesce(sum(n), 0) FROM entry_counts"),
                     one(f, "SELECT count(*) FROM entries"));
}

/* Every page of every list kind and sort, forwards and (past the middle)
 * backwards, has the rows and total that OFFSET over the plain ordered
 * query gives. */
static void test_pages_match_offset(void **state)
{
    struct fx *f = *state;
    static const char *const order[5] = {"pinned DESC, publish_at DESC, id DESC",
                                         "publish_at ASC, id ASC", "position ASC, id ASC",
                                         "title ASC, id ASC", "hits DESC, id DESC"};
    int64_t cols[2] = {1, 2};
    mh_pool_t *p = mh_pool_create();
    exec_ok(f, "INSERT INTO sites (id, name) VALUES (1, 's');"
               "INSERT INTO languages (id, site_id, code, name) VALUES (1, 1, 'en', 'English');"
               "INSERT INTO columns (id, lang_id, module, name, slug) VALUES"
               " (1, 1, 'article', 'a', 'a'), (2, 1, 'article', 'b', 'b'),"
               " (3, 1, 'article', 'c', 'c');");
    exec_ok(f, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200)"
               " INSERT INTO entries (column_id, lang_id, title, slug, publish_at, created_at,"
               " updated_at, status, recommended, pinned, hits, position) SELECT 1 + i % 3, 1,"
               " 't' || (i * 7 % 13), 's' || i, 1000 + i % 50, i, i, CASE i % 5 WHEN 0 THEN"
               " 'draft' WHEN 1 THEN 'scheduled' ELSE 'published' END, i % 4 = 0, i % 9 = 0,"
               " i % 6, i % 10 FROM k;"
               "UPDATE entries SET publish_at = 99999 WHERE id % 10 = 1;"
               "UPDATE entries SET deleted_at = 1 WHERE id % 23 = 0;");
    for (int kind = 0; kind < 3; kind++)
        for (int sort = 0; sort < 5; sort++)
            for (int rec = 0; rec < 2; rec++) {
                mh_store_entry_filter_t flt = {.lang_id = 1,
                                               .column_ids = kind ? cols : NULL,
                                               .ncolumns = (size_t)kind,
                                               .public_only = true,
                                               .now = 5000,
                                               .recommended_only = rec,
                                               .sort = (mh_sort_t)sort,
                                               .limit = 7};
                char ref[512];
                int64_t total = -1, want_total;
                snprintf(ref, sizeof(ref),
                         "SELECT count(*) FROM entries WHERE lang_id = 1 AND deleted_at IS NULL "
                         "AND status IN ('published', 'scheduled') AND publish_at <= 5000 AND "
                         "(%d = 0 OR recommended = 1) AND column_id IN (%s)",
                         rec,
                         kind == 0   ? "1, 2, 3"
                         : kind == 1 ? "1"
                                     : "1, 2");
                want_total = one(f, ref);
                assert_true(want_total > 7);
                for (flt.offset = 0; flt.offset < want_total + 7; flt.offset += 7) {
                    mh_entry_t *es;
                    size_t n;
                    sqlite3_stmt *st;
                    size_t k = 0;
                    assert_int_equal(f->s->ops->entries_list(f->s, p, &flt, &es, &n, &total),
                                     MH_OK);
                    assert_int_equal(total, want_total);
                    snprintf(ref, sizeof(ref),
                             "SELECT id FROM entries WHERE lang_id = 1 AND deleted_at IS NULL "
                             "AND status IN ('published', 'scheduled') AND publish_at <= 5000 "
                             "AND (%d = 0 OR recommended = 1) AND column_id IN (%s) ORDER BY %s "
                             "LIMIT 7 OFFSET %lld",
                             rec,
                             kind == 0   ? "1, 2, 3"
                             : kind == 1 ? "1"
                                         : "1, 2",
                             order[sort], (long long)flt.offset);
                    assert_int_equal(sqlite3_prepare_v2(mh_sqlite_db(f->s), ref, -1, &st, NULL),
                                     SQLITE_OK);
                    while (sqlite3_step(st) == SQLITE_ROW) {
                        assert_true(k < n);
                        assert_int_equal(es[k].id, sqlite3_column_int64(st, 0));
                        k++;
                    }
                    sqlite3_finalize(st);
                    assert_int_equal(k, n);
                }
            }
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_public_list_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admin_list_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checker_refuses_scans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_counts_follow_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_match_offset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
