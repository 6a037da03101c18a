/* SQLite implementation of store/seo.h. Statements are constant strings
 * (the statement cache keys on their address) and are reset before
 * returning. */
#include "seo.h"

#include "sqlite_ext.h"

#define PUBLIC_WHERE                                                                               \
    "deleted_at IS NULL AND status IN ('published', 'scheduled') AND publish_at <= ?1"

/* The primary key walks in order: no sort, and every batch starts where
 * the last one stopped however large the table is. */
static const char SQL_AFTER[] =
    "SELECT " MH_SQLITE_ENTRY_COLS("NULL") " FROM entries WHERE id > ?2 AND " PUBLIC_WHERE
                                           " ORDER BY id LIMIT ?3";
static const char SQL_COUNT[] =
    "SELECT count(*), coalesce(max(updated_at), 0) FROM entries WHERE " PUBLIC_WHERE;
static const char SQL_ID_AT[] =
    "SELECT id FROM entries WHERE " PUBLIC_WHERE " ORDER BY id LIMIT 1 OFFSET ?2";
static const char SQL_TRASHED[] =
    "SELECT 1 FROM entries WHERE column_id = ?1 AND slug = ?2 AND deleted_at IS NOT NULL LIMIT 1";
static const char SQL_OLD_PATH[] =
    "SELECT entry_id FROM entry_old_paths WHERE column_id = ?1 AND slug = ?2";

static const char SQL_COL_OLD_ADD[] =
    "INSERT OR REPLACE INTO column_old_paths (lang_id, path, column_id, changed_at)"
    " VALUES (?1, ?2, ?3, ?4)";
/* substr rather than LIKE: slugs may hold % and _ */
static const char SQL_COL_OLD[] =
    "SELECT column_id, length(CAST(path AS BLOB)) FROM column_old_paths WHERE lang_id = ?1"
    " AND (path = ?2 OR CAST(substr(CAST(?2 AS BLOB), 1, length(CAST(path AS BLOB)) + 1)"
    " AS TEXT) = path || '/') ORDER BY length(CAST(path AS BLOB)) DESC LIMIT 1";

static int sq_column_old_path_add(mh_store_t *s, int64_t lang_id, const char *path,
                                  int64_t column_id, int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_OLD_ADD);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    mh_sqlite_bind_text(st, 2, path);
    sqlite3_bind_int64(st, 3, column_id);
    sqlite3_bind_int64(st, 4, now);
    return mh_sqlite_run(s, st, "record an old column path");
}

static int sq_column_old_path(mh_store_t *s, int64_t lang_id, const char *path, int64_t *column_id,
                              size_t *len)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_OLD);
    *column_id = 0;
    *len = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    mh_sqlite_bind_text(st, 2, path);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *column_id = sqlite3_column_int64(st, 0);
        *len = (size_t)sqlite3_column_int64(st, 1);
    }
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "old column path");
    sqlite3_reset(st);
    return rc;
}

static int sq_public_after(mh_store_t *s, mh_pool_t *p, int64_t after_id, int64_t now,
                           int64_t limit, mh_entry_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_AFTER);
    mh_sqlite_rows_t rows = {.size = sizeof(mh_entry_t)};
    int rc = MH_ERR;
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int64(st, 3, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        mh_sqlite_read_entry(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "public entries");
    sqlite3_reset(st);
done:
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc;
}

static int sq_public_id_at(mh_store_t *s, int64_t now, int64_t offset, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_ID_AT);
    *id = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, offset);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "public entry at offset");
    sqlite3_reset(st);
    return rc;
}

static int sq_public_count(mh_store_t *s, int64_t now, int64_t *n, int64_t *newest)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COUNT);
    *n = 0;
    *newest = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        *newest = sqlite3_column_int64(st, 1);
    }
    rc = rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "count public entries");
    sqlite3_reset(st);
    return rc;
}

static int sq_trashed(mh_store_t *s, int64_t column_id, const char *slug)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_TRASHED);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, slug);
    int rc = sqlite3_step(st);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "trashed entry");
    sqlite3_reset(st);
    return rc;
}

static int sq_old_path(mh_store_t *s, int64_t column_id, const char *slug, int64_t *entry_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_OLD_PATH);
    *entry_id = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, slug);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *entry_id = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "old entry path");
    sqlite3_reset(st);
    return rc;
}

const struct mh_store_seo_ops mh_store_sqlite_seo = {
    .public_after = sq_public_after,
    .public_count = sq_public_count,
    .public_id_at = sq_public_id_at,
    .trashed = sq_trashed,
    .old_path = sq_old_path,
    .column_old_path_add = sq_column_old_path_add,
    .column_old_path = sq_column_old_path,
};
