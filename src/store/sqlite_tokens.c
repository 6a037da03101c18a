/* SQLite implementation of store/tokens.h. */
#include "tokens.h"

#include "sqlite_ext.h"

static const char SQL_INSERT[] =
    "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define COLS                                                                                       \
    "t.id, t.user_id, u.name, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, "       \
    "t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id"
static const char SQL_GET[] = "SELECT " COLS " WHERE t.token_hash = ?1";
static const char SQL_TOUCH[] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";
static const char SQL_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0";
static const char SQL_EXISTS[] = "SELECT 1 FROM api_tokens WHERE id = ?1";
static const char SQL_LIST[] =
    "SELECT " COLS " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC LIMIT 1000";

static void read_row(mh_pool_t *p, sqlite3_stmt *st, mh_token_row_t *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->user_id = sqlite3_column_int64(st, 1);
    r->user_name = mh_sqlite_text(p, st, 2);
    r->name = mh_sqlite_text(p, st, 3);
    r->scope = mh_sqlite_text(p, st, 4);
    r->created_at = sqlite3_column_int64(st, 5);
    r->expires_at = sqlite3_column_int64(st, 6);
    r->last_used_at = sqlite3_column_int64(st, 7);
    r->revoked_at = sqlite3_column_int64(st, 8);
}

static int sq_insert(mh_store_t *s, const char *token_hash, const mh_token_row_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->user_id);
    mh_sqlite_bind_text(st, 2, in->name ? in->name : "");
    mh_sqlite_bind_text(st, 3, token_hash);
    mh_sqlite_bind_text(st, 4, in->scope);
    sqlite3_bind_int64(st, 5, in->created_at);
    sqlite3_bind_int64(st, 6, in->expires_at);
    int rc = mh_sqlite_run(s, st, "add an API token");
    if (rc == MH_OK && id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return rc;
}

static int sq_get(mh_store_t *s, mh_pool_t *p, const char *token_hash, mh_token_row_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(p, st, out);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "read an API token");
    sqlite3_reset(st);
    return rc;
}

static int sq_touch(mh_store_t *s, int64_t id, int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_TOUCH);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return mh_sqlite_run(s, st, "note an API token's use");
}

static int sq_revoke(mh_store_t *s, int64_t id, int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_EXISTS);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return MH_DECLINED;
    if (rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "find an API token");
    st = mh_sqlite_stmt(s, SQL_REVOKE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return mh_sqlite_run(s, st, "revoke an API token");
}

static int sq_list(mh_store_t *s, mh_pool_t *p, int64_t user_id, mh_token_row_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_LIST);
    mh_sqlite_rows_t rows = {.size = sizeof(mh_token_row_t)};
    int rc = MH_ERR;
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "list API tokens");
done:
    if (st)
        sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc;
}

const struct mh_store_token_ops mh_store_sqlite_tokens = {
    .insert = sq_insert,
    .get = sq_get,
    .touch = sq_touch,
    .revoke = sq_revoke,
    .list = sq_list,
};
