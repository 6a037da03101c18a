/* Migrations from a schema-4 site (the columns rebuild with foreign keys
 * off, the fields tables) and the field ops of the SQLite backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/pool.h"
#include "store/fields.h"
#include "store/store.h"

struct fx {
    char dir[64];
    char path[96];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-fields-XXXXXX");
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

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "");
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

/* Does the query plan of sql mention index? */
static bool plan_uses(const char *path, const char *sql, const char *index)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    bool found = false;
    char q[512];
    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        found = found || strstr((const char *)sqlite3_column_text(st, 3), index) != NULL;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return found;
}

/* A site at schema version 4 (as `masthead init` made it before the
 * fields): the first four migrations, a site, a language, a column tree
 * and entries with revisions pointing at them. */
static void make_v4(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_ok(db, "PRAGMA foreign_keys = ON");
    exec_ok(db, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                " applied_at INTEGER NOT NULL)");
    for (int i = 0; i < 4; i++) {
        exec_ok(db, mh_store_sqlite_migrations[i]);
        char v[96];
        snprintf(v, sizeof(v), "INSERT INTO schema_version VALUES (%d, 0)", i + 1);
        exec_ok(db, v);
    }
    exec_ok(db, "INSERT INTO sites (id, name) VALUES (1, 'S');"
                "INSERT INTO languages (id, site_id, code, name, is_default) VALUES (1, 1, 'en',"
                " 'English', 1);"
                "INSERT INTO columns (id, lang_id, module, name, slug) VALUES (1, 1, 'article',"
                " 'News', 'news');"
                "INSERT INTO columns (id, parent_id, lang_id, module, name, slug) VALUES (2, 1, 1,"
                " 'page', 'Sub', 'sub');"
                "INSERT INTO entries (id, column_id, lang_id, title, slug, publish_at, created_at,"
                " updated_at) VALUES (1, 1, 1, 'A', 'a', 1, 1, 1), (2, 2, 1, 'B', 'b', 2, 2, 2);"
                "INSERT INTO revisions (entry_id, created_at, title, body_html) VALUES (1, 1, 'A',"
                " '');");
    /* schema 4 refuses a type it does not list */
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO columns (lang_id, module, name, slug) VALUES"
                                      " (1, 'widget', 'W', 'w')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

static void test_migrate_from_v4(void **state)
{
    struct fx *f = *state;
    mh_store_t *s = NULL;
    char err[256] = "";
    make_v4(f->path);
    assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_OK);
    mh_store_close(s);
    assert_int_equal(scalar(f->path, "SELECT max(version) FROM schema_version"),
                     (int64_t)mh_store_sqlite_migrations_count);
    /* rows kept, references intact, indexes rebuilt */
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM columns"), 2);
    assert_int_equal(scalar(f->path, "SELECT parent_id FROM columns WHERE id = 2"), 1);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM entries"), 2);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                     " ('columns_sibling_slug', 'columns_parent')"),
                     2);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM sqlite_master WHERE name ="
                                     " 'columns_new'"),
                     0);
    /* any type name now; cascades still reach entries and revisions */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    exec_ok(db, "PRAGMA foreign_keys = ON");
    exec_ok(db, "INSERT INTO columns (lang_id, module, name, slug) VALUES (1, 'widget', 'W', 'w')");
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO columns (lang_id, module, name, slug) VALUES"
                                      " (1, '', 'E', 'e')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    exec_ok(db, "DELETE FROM columns WHERE id = 1");
    sqlite3_close(db);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM entries"), 0);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM revisions"), 0);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM columns"), 1);
}

/* A dangling reference fails the rebuild and leaves schema 4 in place. */
static void test_migrate_fk_check_fails(void **state)
{
    struct fx *f = *state;
    mh_store_t *s = NULL;
    char err[256] = "";
    sqlite3 *db;
    make_v4(f->path);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    exec_ok(db, "PRAGMA foreign_keys = OFF");
    exec_ok(db, "INSERT INTO entries (column_id, lang_id, title, slug, publish_at, created_at,"
                " updated_at) VALUES (99, 1, 'Orphan', 'o', 1, 1, 1)");
    sqlite3_close(db);
    assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "foreign key"));
    assert_int_equal(scalar(f->path, "SELECT max(version) FROM schema_version"), 4);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM columns"), 2);
}

static void test_field_ops(void **state)
{
    struct fx *f = *state;
    mh_store_t *s = NULL;
    char err[256] = "";
    mh_pool_t *p = mh_pool_create();
    make_v4(f->path);
    assert_int_equal(mh_store_open(f->path, false, &s, err, sizeof(err)), MH_OK);
    const struct mh_store_field_ops *ops = s->ops->fields;
    assert_non_null(ops);

    mh_field_def_t d = {.column_id = 1,
                        .key = "price",
                        .kind = MH_FIELD_NUMBER,
                        .label = "Price",
                        .filterable = true,
                        .position = 2};
    int64_t price = 0, colour = 0;
    assert_int_equal(ops->def_insert(s, &d, &price), MH_OK);
    assert_int_equal(ops->def_insert(s, &d, &colour), MH_DECLINED); /* key taken */
    d = (mh_field_def_t){.column_id = 1,
                         .key = "colour",
                         .kind = MH_FIELD_SELECT,
                         .label = "Colour",
                         .options = "red\nblue",
                         .position = 1};
    assert_int_equal(ops->def_insert(s, &d, &colour), MH_OK);
    mh_field_def_t *defs;
    size_t n = 0;
    assert_int_equal(ops->defs(s, p, 1, &defs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(defs[0].key, "colour");
    assert_int_equal(defs[0].kind, MH_FIELD_SELECT);
    assert_string_equal(defs[0].options, "red\nblue");
    assert_string_equal(defs[1].key, "price");
    assert_true(defs[1].filterable);
    /* update keeps key and column */
    defs[1].label = "Unit price";
    defs[1].required = true;
    assert_int_equal(ops->def_update(s, &defs[1]), MH_OK);
    mh_field_def_t got;
    assert_int_equal(ops->def_get(s, p, price, &got), MH_OK);
    assert_string_equal(got.label, "Unit price");
    assert_true(got.required);
    assert_int_equal(ops->def_set_position(s, price, 0), MH_OK);
    assert_int_equal(ops->defs(s, p, 1, &defs, &n), MH_OK);
    assert_string_equal(defs[0].key, "price");
    assert_int_equal(ops->def_get(s, p, 999, &got), MH_DECLINED);

    /* typed values, several per key */
    mh_field_value_t v1[] = {{.key = "price", .text = "12.5", .has_num = true, .num = 12.5},
                             {.key = "colour", .text = "red"},
                             {.key = "tags", .seq = 0, .text = "x"},
                             {.key = "tags", .seq = 1, .text = "y"}};
    mh_field_value_t v2[] = {{.key = "price", .text = "3", .has_num = true, .num = 3},
                             {.key = "colour", .text = "red"}};
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(ops->values_set(s, 1, v1, 4), MH_OK);
    assert_int_equal(ops->values_set(s, 2, v2, 2), MH_OK);
    assert_int_equal(s->ops->commit(s), MH_OK);
    mh_field_value_t *vals;
    assert_int_equal(ops->values(s, p, 1, &vals, &n), MH_OK);
    assert_int_equal(n, 4);
    assert_string_equal(vals[0].key, "colour");
    assert_string_equal(vals[1].key, "price");
    assert_true(vals[1].has_num);
    assert_true(vals[1].num == 12.5);
    assert_false(vals[0].has_num);
    assert_string_equal(vals[2].text, "x");
    assert_string_equal(vals[3].text, "y");
    assert_int_equal(vals[3].seq, 1);
    /* replacing drops the old rows */
    assert_int_equal(ops->values_set(s, 1, v1, 2), MH_OK);
    assert_int_equal(ops->values(s, p, 1, &vals, &n), MH_OK);
    assert_int_equal(n, 2);

    /* the filter: by (key, value) within a column, live entries only */
    int64_t *ids, total = 0;
    assert_int_equal(ops->filter(s, p, 1, "colour", "red", 0, 20, &ids, &n, &total), MH_OK);
    assert_int_equal(n, 1); /* entry 2 is in column 2 */
    assert_int_equal(ids[0], 1);
    assert_int_equal(total, 1);
    assert_int_equal(ops->filter(s, p, 2, "colour", "red", 0, 20, &ids, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ops->filter(s, p, 1, "colour", "blue", 0, 20, &ids, &n, &total), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
    /* the query walks the (key, value) index */
    assert_true(plan_uses(f->path,
                          "SELECT e.id FROM field_values v JOIN entries e ON e.id = v.entry_id"
                          " WHERE v.key = 'colour' AND v.value = 'red' AND e.column_id = 1",
                          "field_values_filter"));

    /* deleting a definition removes its values below its column */
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(ops->def_delete(s, colour), MH_OK);
    assert_int_equal(s->ops->commit(s), MH_OK);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM field_values WHERE key = 'colour'"), 0);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM field_values WHERE key = 'price'"), 2);
    assert_int_equal(ops->def_delete(s, colour), MH_DECLINED);
    mh_store_close(s);
    /* an entry's values go with it */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    exec_ok(db, "PRAGMA foreign_keys = ON; DELETE FROM entries WHERE id = 1");
    sqlite3_close(db);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM field_values WHERE entry_id = 1"), 0);
    mh_pool_destroy(p);
}

static void test_open_dir(void **state)
{
    struct fx *f = *state;
    mh_store_t *s = NULL;
    char err[256] = "";
    assert_false(mh_store_exists_dir(f->dir));
    assert_int_equal(mh_store_open_dir(f->dir, false, &s, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "is not a site"));
    assert_int_equal(mh_store_open_dir(f->dir, true, &s, err, sizeof(err)), MH_OK);
    mh_store_close(s);
    assert_true(mh_store_exists_dir(f->dir));
    assert_int_equal(mh_store_open_dir(f->dir, false, &s, err, sizeof(err)), MH_OK);
    mh_store_close(s);
    mh_store_remove_dir(f->dir);
    assert_false(mh_store_exists_dir(f->dir));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_from_v4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_fk_check_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_dir, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
