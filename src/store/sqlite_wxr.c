/* SQLite implementation of store/wxr.h. The importer runs all of it inside
 * its one write transaction (content tx), so nothing here commits. */
#include "wxr.h"

#include <stdio.h>
#include <string.h>

#include "sqlite_ext.h"

static const char SQL_MAP_GET[] = "SELECT local_id FROM wxr_map WHERE kind = ?1 AND wp_key = ?2";
static const char SQL_MAP_SET[] =
    "INSERT OR REPLACE INTO wxr_map (kind, wp_key, local_id) VALUES (?1, ?2, ?3)";
static const char SQL_MAP_COUNT[] = "SELECT count(*) FROM wxr_map";
static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM columns)";
static const char SQL_HAS_ENTRY[] = "SELECT 1 FROM entries WHERE id = ?1";
static const char SQL_HAS_COLUMN[] = "SELECT 1 FROM columns WHERE id = ?1";
static const char SQL_HAS_USER[] = "SELECT 1 FROM users WHERE id = ?1";
static const char SQL_HAS_MEDIA[] = "SELECT 1 FROM media WHERE id = ?1";
static const char SQL_PATH_ADD[] = "INSERT OR IGNORE INTO wxr_legacy_paths (path, entry_id, "
                                   "column_id) VALUES (?1, nullif(?2, 0), nullif(?3, 0))";
static const char SQL_PATH_GET[] = "SELECT coalesce(entry_id, 0), coalesce(column_id, 0) FROM "
                                   "wxr_legacy_paths WHERE path = ?1";
static const char SQL_TAG_ADD[] =
    "INSERT OR IGNORE INTO wxr_tags (entry_id, slug, name) VALUES (?1, ?2, ?3)";
static const char SQL_USER_ADD[] =
    "INSERT INTO users (name, password_hash, role, display_name, disabled, created_at)"
    " VALUES (?1, '!wxr', 'author', ?2, 1, ?3)";

int mh_store_wxr_map_get(mh_store_t *s, const char *kind, const char *key, int64_t *local_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MAP_GET);
    *local_id = 0;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, kind);
    mh_sqlite_bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *local_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "read the WordPress id map");
}

int mh_store_wxr_map_set(mh_store_t *s, const char *kind, const char *key, int64_t local_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MAP_SET);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, kind);
    mh_sqlite_bind_text(st, 2, key);
    sqlite3_bind_int64(st, 3, local_id);
    return mh_sqlite_run(s, st, "record a WordPress id");
}

int mh_store_wxr_row_exists(mh_store_t *s, const char *table, int64_t id)
{
    /* one constant statement per table: SQL is never built from input */
    const char *sql = strcmp(table, "entries") == 0   ? SQL_HAS_ENTRY
                      : strcmp(table, "columns") == 0 ? SQL_HAS_COLUMN
                      : strcmp(table, "users") == 0   ? SQL_HAS_USER
                      : strcmp(table, "media") == 0   ? SQL_HAS_MEDIA
                                                      : NULL;
    if (!sql)
        return MH_ERR;
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "look up an imported row");
}

static int one_count(mh_store_t *s, const char *sql, int64_t *a, int64_t *b)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *a = sqlite3_column_int64(st, 0);
        if (b)
            *b = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "count rows");
}

int mh_store_wxr_map_count(mh_store_t *s, int64_t *n)
{
    *n = 0;
    return one_count(s, SQL_MAP_COUNT, n, NULL);
}

int mh_store_wxr_content_count(mh_store_t *s, int64_t *entries, int64_t *columns)
{
    *entries = *columns = 0;
    return one_count(s, SQL_COUNTS, entries, columns);
}

int mh_store_wxr_path_add(mh_store_t *s, const char *path, int64_t entry_id, int64_t column_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PATH_ADD);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, path);
    sqlite3_bind_int64(st, 2, entry_id);
    sqlite3_bind_int64(st, 3, column_id);
    if (mh_sqlite_run(s, st, "record an old WordPress path") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) > 0 ? MH_OK : MH_DECLINED;
}

int mh_store_wxr_path_get(mh_store_t *s, const char *path, int64_t *entry_id, int64_t *column_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PATH_GET);
    *entry_id = *column_id = 0;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, path);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *entry_id = sqlite3_column_int64(st, 0);
        *column_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "read an old WordPress path");
}

int mh_store_wxr_tag_add(mh_store_t *s, int64_t entry_id, const char *slug, const char *name)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_TAG_ADD);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    mh_sqlite_bind_text(st, 2, slug);
    mh_sqlite_bind_text(st, 3, name);
    return mh_sqlite_run(s, st, "keep an imported tag");
}

int mh_store_wxr_user_add(mh_store_t *s, const char *name, const char *display_name, int64_t now,
                          int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_USER_ADD);
    *id = 0;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, name);
    mh_sqlite_bind_text(st, 2, display_name);
    sqlite3_bind_int64(st, 3, now);
    if (mh_sqlite_run(s, st, "add an imported author") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

int mh_store_wxr_cache(mh_store_t *s, int64_t bytes)
{
    sqlite3 *db = mh_sqlite_db(s);
    if (!db)
        return MH_ERR;
    /* cache_size takes no bound parameter: a number formatted here, never
     * input text */
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld",
             bytes ? -(long long)(bytes / 1024) : -2000LL);
    /* and the statement journals and sorters of that transaction in memory
     * too: on disk they were most of its writes */
    if (sqlite3_exec(db, bytes ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT", NULL,
                     NULL, NULL) != SQLITE_OK)
        return mh_sqlite_fail(s, "set the temporary store");
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
               ? MH_OK
               : mh_sqlite_fail(s, "set the cache size");
}
