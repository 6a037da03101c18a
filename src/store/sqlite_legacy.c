/* SQLite implementation of store/legacy.h. Statements are constant strings
 * (the statement cache keys on their address) and are reset before
 * returning. The tables and their generation triggers are in
 * migrations.c (feature: MetInfo import and legacy URLs). */
#include "legacy.h"

#include "sqlite_ext.h"

static const char SQL_MAP_GET[] =
    "SELECT target_id FROM import_map WHERE source = ?1 AND src_table = ?2 AND src_id = ?3";
static const char SQL_MAP_PUT[] = "INSERT OR REPLACE INTO import_map (source, src_table, src_id,"
                                  " target_id) VALUES (?1, ?2, ?3, ?4)";
#define URL_COLS "id, path, target_kind, target_id, target_url, source, created_at"
static const char SQL_URL_FIND[] = "SELECT " URL_COLS " FROM legacy_urls WHERE path = ?1";
static const char SQL_URL_GET[] = "SELECT " URL_COLS " FROM legacy_urls WHERE id = ?1";
static const char SQL_URL_INSERT[] =
    "INSERT OR IGNORE INTO legacy_urls (path, target_kind, target_id, target_url, source,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_URL_UPDATE[] =
    "UPDATE OR IGNORE legacy_urls SET path = ?2, target_kind = ?3, target_id = ?4,"
    " target_url = ?5 WHERE id = ?1";
static const char SQL_URL_DELETE[] = "DELETE FROM legacy_urls WHERE id = ?1";
/* instr rather than LIKE: paths hold % and _ */
static const char SQL_URL_LIST[] = "SELECT " URL_COLS " FROM legacy_urls WHERE ?1 = ''"
                                   " OR instr(path, ?1) > 0 ORDER BY path LIMIT ?2 OFFSET ?3";
static const char SQL_URL_COUNT[] =
    "SELECT count(*) FROM legacy_urls WHERE ?1 = '' OR instr(path, ?1) > 0";

static const char SQL_LANG_RECODE[] = "UPDATE languages SET code = ?2 WHERE id = ?1";

static int sq_language_recode(mh_store_t *s, int64_t id, const char *code)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_LANG_RECODE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, code);
    return mh_sqlite_run(s, st, "recode a language");
}

static int sq_bulk(mh_store_t *s, bool on)
{
    sqlite3 *db = mh_sqlite_db(s);
    if (!db)
        return MH_ERR;
    /* 256 MiB while importing, then SQLite's default (2 MiB) */
    const char *sql = on ? "PRAGMA cache_size = -262144" : "PRAGMA cache_size = -2000";
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? MH_OK
                                                                : mh_sqlite_fail(s, "cache size");
}

static int sq_map_get(mh_store_t *s, const char *source, const char *table, const char *src_id,
                      int64_t *target_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MAP_GET);
    *target_id = 0;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, source);
    mh_sqlite_bind_text(st, 2, table);
    mh_sqlite_bind_text(st, 3, src_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *target_id = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "import map");
    sqlite3_reset(st);
    return rc;
}

static int sq_map_put(mh_store_t *s, const char *source, const char *table, const char *src_id,
                      int64_t target_id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MAP_PUT);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, source);
    mh_sqlite_bind_text(st, 2, table);
    mh_sqlite_bind_text(st, 3, src_id);
    sqlite3_bind_int64(st, 4, target_id);
    return mh_sqlite_run(s, st, "record an import map row");
}

static void read_url(mh_pool_t *p, sqlite3_stmt *st, mh_legacy_url_t *u)
{
    u->id = sqlite3_column_int64(st, 0);
    u->path = mh_sqlite_text(p, st, 1);
    u->target_kind = mh_sqlite_text(p, st, 2);
    u->target_id = sqlite3_column_int64(st, 3);
    u->target_url = mh_sqlite_text(p, st, 4);
    u->source = mh_sqlite_text(p, st, 5);
    u->created_at = sqlite3_column_int64(st, 6);
}

static int one_url(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_legacy_url_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_url(p, st, out);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "legacy url");
    sqlite3_reset(st);
    return rc;
}

static int sq_url_find(mh_store_t *s, mh_pool_t *p, const char *path, mh_legacy_url_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_FIND);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, path);
    return one_url(s, p, st, out);
}

static int sq_url_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_legacy_url_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return one_url(s, p, st, out);
}

static int sq_url_insert(mh_store_t *s, const mh_legacy_url_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_INSERT);
    *id = 0;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, in->path);
    mh_sqlite_bind_text(st, 2, in->target_kind);
    sqlite3_bind_int64(st, 3, in->target_id);
    mh_sqlite_bind_text(st, 4, in->target_url);
    mh_sqlite_bind_text(st, 5, in->source);
    sqlite3_bind_int64(st, 6, in->created_at);
    if (mh_sqlite_run(s, st, "insert a legacy url") != MH_OK)
        return MH_ERR;
    sqlite3 *db = mh_sqlite_db(s);
    if (sqlite3_changes(db) == 0)
        return MH_DECLINED;
    *id = sqlite3_last_insert_rowid(db);
    return MH_OK;
}

static int sq_url_update(mh_store_t *s, const mh_legacy_url_t *in)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    mh_sqlite_bind_text(st, 2, in->path);
    mh_sqlite_bind_text(st, 3, in->target_kind);
    sqlite3_bind_int64(st, 4, in->target_id);
    mh_sqlite_bind_text(st, 5, in->target_url);
    if (mh_sqlite_run(s, st, "update a legacy url") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

static int sq_url_delete(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    if (mh_sqlite_run(s, st, "delete a legacy url") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

static int sq_url_list(mh_store_t *s, mh_pool_t *p, const char *q, int64_t offset, int64_t limit,
                       mh_legacy_url_t **out, size_t *n, int64_t *total)
{
    mh_sqlite_rows_t rows = {.size = sizeof(mh_legacy_url_t)};
    int rc = MH_ERR;
    *total = 0;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_URL_COUNT);
    if (!st)
        goto done;
    mh_sqlite_bind_text(st, 1, q ? q : "");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        rc = mh_sqlite_fail(s, "count legacy urls");
        goto done;
    }
    st = mh_sqlite_stmt(s, SQL_URL_LIST);
    rc = MH_ERR;
    if (!st)
        goto done;
    mh_sqlite_bind_text(st, 1, q ? q : "");
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_url(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "legacy urls");
    sqlite3_reset(st);
done:
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc;
}

const struct mh_store_legacy_ops mh_store_sqlite_legacy = {
    .map_get = sq_map_get,
    .map_put = sq_map_put,
    .url_find = sq_url_find,
    .url_get = sq_url_get,
    .url_insert = sq_url_insert,
    .url_update = sq_url_update,
    .url_delete = sq_url_delete,
    .url_list = sq_url_list,
    .language_recode = sq_language_recode,
    .bulk = sq_bulk,
};
