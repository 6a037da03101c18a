/* SQLite implementation of store/fields.h. Statements are constant strings
 * (the statement cache keys on their address) and are reset before
 * returning. */
#include "fields.h"

#include <string.h>

#include "sqlite_ext.h"

#define DEF_COLS                                                                                   \
    "id, column_id, key, kind, label, help, options, required, show_in_list, filterable, "         \
    "position"

static const char SQL_DEFS[] =
    "SELECT " DEF_COLS " FROM field_defs WHERE column_id = ?1 ORDER BY position, id";
static const char SQL_DEFS_ALL[] =
    "SELECT " DEF_COLS " FROM field_defs ORDER BY column_id, position, id";
static const char SQL_DEF_GET[] = "SELECT " DEF_COLS " FROM field_defs WHERE id = ?1";
static const char SQL_DEF_KEY_TAKEN[] =
    "SELECT 1 FROM field_defs WHERE column_id = ?1 AND key = ?2";
static const char SQL_DEF_INSERT[] =
    "INSERT INTO field_defs (column_id, key, kind, label, help, options, required, show_in_list,"
    " filterable, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_DEF_UPDATE[] =
    "UPDATE field_defs SET kind = ?2, label = ?3, help = ?4, options = ?5, required = ?6,"
    " show_in_list = ?7, filterable = ?8, position = ?9 WHERE id = ?1";
/* The values under the key in the definition's column and below it. */
static const char SQL_DEF_DELETE_VALUES[] =
    "WITH RECURSIVE sub(id) AS (SELECT column_id FROM field_defs WHERE id = ?1"
    " UNION ALL SELECT c.id FROM columns c JOIN sub ON c.parent_id = sub.id)"
    " DELETE FROM field_values WHERE key = (SELECT key FROM field_defs WHERE id = ?1)"
    " AND entry_id IN (SELECT e.id FROM entries e JOIN sub ON e.column_id = sub.id)";
static const char SQL_DEF_DELETE[] = "DELETE FROM field_defs WHERE id = ?1";
static const char SQL_DEF_POSITION[] = "UPDATE field_defs SET position = ?2 WHERE id = ?1";
static const char SQL_VALUES[] =
    "SELECT entry_id, key, seq, value, num FROM field_values WHERE entry_id = ?1"
    " ORDER BY key, seq";
static const char SQL_VALUES_CLEAR[] = "DELETE FROM field_values WHERE entry_id = ?1";
static const char SQL_VALUE_INSERT[] =
    "INSERT INTO field_values (entry_id, key, seq, value, num) VALUES (?1, ?2, ?3, ?4, ?5)";
/* field_values_filter finds the entries with the value; the entries row
 * decides column and liveness. */
#define FILTER_FROM                                                                                \
    " FROM field_values v JOIN entries e ON e.id = v.entry_id"                                     \
    " WHERE v.key = ?2 AND v.value = ?3 AND e.column_id = ?1 AND e.deleted_at IS NULL"
static const char SQL_FILTER[] = "SELECT DISTINCT e.id, e.publish_at" FILTER_FROM
                                 " ORDER BY e.publish_at DESC, e.id DESC LIMIT ?4 OFFSET ?5";
static const char SQL_FILTER_COUNT[] = "SELECT count(DISTINCT e.id)" FILTER_FROM;

static void read_def(mh_pool_t *p, sqlite3_stmt *st, mh_field_def_t *d)
{
    d->id = sqlite3_column_int64(st, 0);
    d->column_id = sqlite3_column_int64(st, 1);
    d->key = mh_sqlite_text(p, st, 2);
    d->kind = mh_field_kind_parse((const char *)sqlite3_column_text(st, 3));
    d->label = mh_sqlite_text(p, st, 4);
    d->help = mh_sqlite_text(p, st, 5);
    d->options = mh_sqlite_text(p, st, 6);
    d->required = sqlite3_column_int(st, 7) != 0;
    d->show_in_list = sqlite3_column_int(st, 8) != 0;
    d->filterable = sqlite3_column_int(st, 9) != 0;
    d->position = sqlite3_column_int(st, 10);
}

static int sq_defs(mh_store_t *s, mh_pool_t *p, int64_t column_id, mh_field_def_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEFS);
    mh_sqlite_rows_t r = {.size = sizeof(mh_field_def_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_def(p, st, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "field defs");
}

static int sq_defs_all(mh_store_t *s, mh_pool_t *p, mh_field_def_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEFS_ALL);
    mh_sqlite_rows_t r = {.size = sizeof(mh_field_def_t)};
    int rc;
    if (!st)
        return MH_ERR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_def(p, st, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "field defs");
}

static int sq_def_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_field_def_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEF_GET);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_def(p, st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "field def");
}

static void bind_def_fields(sqlite3_stmt *st, int first, const mh_field_def_t *in)
{
    const char *kind = mh_field_kind_name(in->kind);
    mh_sqlite_bind_text(st, first, kind ? kind : "text");
    mh_sqlite_bind_text(st, first + 1, in->label);
    mh_sqlite_bind_text(st, first + 2, in->help);
    mh_sqlite_bind_text(st, first + 3, in->options);
    sqlite3_bind_int(st, first + 4, in->required);
    sqlite3_bind_int(st, first + 5, in->show_in_list);
    sqlite3_bind_int(st, first + 6, in->filterable);
    sqlite3_bind_int(st, first + 7, in->position);
}

static int sq_def_insert(mh_store_t *s, const mh_field_def_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEF_KEY_TAKEN);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->column_id);
    mh_sqlite_bind_text(st, 2, in->key);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_DECLINED;
    if (rc != SQLITE_DONE)
        return mh_sqlite_fail(s, "field key");
    st = mh_sqlite_stmt(s, SQL_DEF_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->column_id);
    mh_sqlite_bind_text(st, 2, in->key);
    bind_def_fields(st, 3, in);
    if (mh_sqlite_run(s, st, "insert field def") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

static int changed_one(mh_store_t *s)
{
    return sqlite3_changes(mh_sqlite_db(s)) > 0 ? MH_OK : MH_DECLINED;
}

static int sq_def_update(mh_store_t *s, const mh_field_def_t *in)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEF_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    bind_def_fields(st, 2, in);
    if (mh_sqlite_run(s, st, "update field def") != MH_OK)
        return MH_ERR;
    return changed_one(s);
}

static int sq_def_delete(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEF_DELETE_VALUES);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    if (mh_sqlite_run(s, st, "delete field values") != MH_OK)
        return MH_ERR;
    st = mh_sqlite_stmt(s, SQL_DEF_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    if (mh_sqlite_run(s, st, "delete field def") != MH_OK)
        return MH_ERR;
    return changed_one(s);
}

static int sq_def_set_position(mh_store_t *s, int64_t id, int position)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DEF_POSITION);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, position);
    if (mh_sqlite_run(s, st, "field position") != MH_OK)
        return MH_ERR;
    return changed_one(s);
}

static int sq_values(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_field_value_t **out,
                     size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_VALUES);
    mh_sqlite_rows_t r = {.size = sizeof(mh_field_value_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_field_value_t *v = mh_sqlite_rows_push(&r);
        v->entry_id = sqlite3_column_int64(st, 0);
        v->key = mh_sqlite_text(p, st, 1);
        v->seq = sqlite3_column_int(st, 2);
        v->text = mh_sqlite_text(p, st, 3);
        v->has_num = sqlite3_column_type(st, 4) != SQLITE_NULL;
        v->num = v->has_num ? sqlite3_column_double(st, 4) : 0;
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "field values");
}

static int sq_values_set(mh_store_t *s, int64_t entry_id, const mh_field_value_t *vals, size_t n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_VALUES_CLEAR);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    if (mh_sqlite_run(s, st, "clear field values") != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        st = mh_sqlite_stmt(s, SQL_VALUE_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, entry_id);
        mh_sqlite_bind_text(st, 2, vals[i].key);
        sqlite3_bind_int(st, 3, vals[i].seq);
        mh_sqlite_bind_text(st, 4, vals[i].text);
        if (vals[i].has_num)
            sqlite3_bind_double(st, 5, vals[i].num);
        if (mh_sqlite_run(s, st, "insert field value") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int sq_filter(mh_store_t *s, mh_pool_t *p, int64_t column_id, const char *key,
                     const char *value, int64_t offset, int64_t limit, int64_t **ids, size_t *n,
                     int64_t *total)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_FILTER_COUNT);
    mh_sqlite_rows_t r = {.size = sizeof(int64_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, key);
    mh_sqlite_bind_text(st, 3, value);
    rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "field filter count");
    st = mh_sqlite_stmt(s, SQL_FILTER);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, key);
    mh_sqlite_bind_text(st, 3, value);
    sqlite3_bind_int64(st, 4, limit);
    sqlite3_bind_int64(st, 5, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)mh_sqlite_rows_push(&r) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    *ids = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "field filter");
}

const struct mh_store_field_ops mh_store_sqlite_fields = {
    .defs = sq_defs,
    .defs_all = sq_defs_all,
    .def_get = sq_def_get,
    .def_insert = sq_def_insert,
    .def_update = sq_def_update,
    .def_delete = sq_def_delete,
    .def_set_position = sq_def_set_position,
    .values = sq_values,
    .values_set = sq_values_set,
    .filter = sq_filter,
};
