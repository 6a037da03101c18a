/* SQLite implementation of store/accounts.h. */
#include "accounts.h"

#include <stdlib.h>
#include <string.h>

#include "sqlite_ext.h"

/* A growing array of rows, copied into the pool at the end. */
/* --- users --- */

#define USER_COLS                                                                                  \
    "id, name, password_hash, role, display_name, ui_lang, disabled, must_change, created_at"

static void read_user(mh_pool_t *p, sqlite3_stmt *st, mh_account_t *u)
{
    u->id = sqlite3_column_int64(st, 0);
    u->name = mh_sqlite_text(p, st, 1);
    u->password_hash = mh_sqlite_text(p, st, 2);
    u->role = mh_sqlite_text(p, st, 3);
    u->display_name = mh_sqlite_text(p, st, 4);
    u->ui_lang = mh_sqlite_text(p, st, 5);
    u->disabled = sqlite3_column_int(st, 6) != 0;
    u->must_change = sqlite3_column_int(st, 7) != 0;
    u->created_at = sqlite3_column_int64(st, 8);
}

static int one_user(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_account_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(p, st, out);
        sqlite3_reset(st);
        return MH_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "user");
}

static int sq_user_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_account_t *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return one_user(s, p, st, out);
}

static int sq_user_by_name(mh_store_t *s, mh_pool_t *p, const char *name, mh_account_t *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE name = ?1 COLLATE NOCASE";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, name);
    return one_user(s, p, st, out);
}

static int sq_users(mh_store_t *s, mh_pool_t *p, mh_account_t **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users ORDER BY name COLLATE NOCASE";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    mh_sqlite_rows_t r = {.size = sizeof(mh_account_t)};
    int rc;
    if (!st)
        return MH_ERR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_user(p, st, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "users");
}

static int sq_user_insert(mh_store_t *s, const mh_account_t *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO users (name, password_hash, role, display_name, ui_lang, disabled,"
        " must_change, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    static const char taken[] = "SELECT 1 FROM users WHERE name = ?1 COLLATE NOCASE";
    sqlite3_stmt *t = mh_sqlite_stmt(s, taken);
    if (!t)
        return MH_ERR;
    mh_sqlite_bind_text(t, 1, in->name);
    int rc = sqlite3_step(t);
    sqlite3_reset(t);
    if (rc == SQLITE_ROW)
        return MH_DECLINED;
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, in->name);
    mh_sqlite_bind_text(st, 2, in->password_hash);
    mh_sqlite_bind_text(st, 3, in->role);
    mh_sqlite_bind_text(st, 4, in->display_name);
    mh_sqlite_bind_text(st, 5, in->ui_lang && *in->ui_lang ? in->ui_lang : "en");
    sqlite3_bind_int(st, 6, in->disabled);
    sqlite3_bind_int(st, 7, in->must_change);
    sqlite3_bind_int64(st, 8, in->created_at);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    /* Another connection took the name between the look-up and the insert.
     * Connections run with extended result codes, so the unique violation
     * is SQLITE_CONSTRAINT_UNIQUE, never the bare SQLITE_CONSTRAINT (other
     * constraint failures, such as an invalid role, stay errors). */
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return MH_DECLINED;
    if (rc != SQLITE_DONE)
        return mh_sqlite_fail(s, "insert user");
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

static int sq_user_update(mh_store_t *s, const mh_account_t *in)
{
    static const char sql[] = "UPDATE users SET role = ?2, display_name = ?3, ui_lang = ?4,"
                              " disabled = ?5 WHERE id = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    mh_sqlite_bind_text(st, 2, in->role);
    mh_sqlite_bind_text(st, 3, in->display_name);
    mh_sqlite_bind_text(st, 4, in->ui_lang && *in->ui_lang ? in->ui_lang : "en");
    sqlite3_bind_int(st, 5, in->disabled);
    if (mh_sqlite_run(s, st, "update user") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

static int sq_user_set_password(mh_store_t *s, int64_t id, const char *hash, bool must_change)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, must_change = ?3 WHERE id = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, hash);
    sqlite3_bind_int(st, 3, must_change);
    if (mh_sqlite_run(s, st, "set password") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

/* --- grants --- */

static int sq_grants(mh_store_t *s, mh_pool_t *p, int64_t user_id, mh_account_grant_t **out,
                     size_t *n)
{
    static const char sql[] = "SELECT coalesce(column_id, 0), coalesce(lang_id, 0) FROM grants"
                              " WHERE user_id = ?1 ORDER BY id";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    mh_sqlite_rows_t r = {.size = sizeof(mh_account_grant_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_account_grant_t *g = mh_sqlite_rows_push(&r);
        g->column_id = sqlite3_column_int64(st, 0);
        g->lang_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "grants");
}

static int sq_grants_clear(mh_store_t *s, int64_t user_id)
{
    static const char sql[] = "DELETE FROM grants WHERE user_id = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    return mh_sqlite_run(s, st, "clear grants");
}

static int sq_grant_insert(mh_store_t *s, int64_t user_id, const mh_account_grant_t *g)
{
    static const char sql[] = "INSERT INTO grants (user_id, column_id, lang_id) VALUES (?1, "
                              "nullif(?2, 0), nullif(?3, 0))";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, g->column_id);
    sqlite3_bind_int64(st, 3, g->lang_id);
    return mh_sqlite_run(s, st, "insert grant");
}

/* --- sessions --- */

static int sq_session_insert(mh_store_t *s, const char *token_hash, int64_t user_id, int64_t now,
                             int64_t expires_at, const char *ip)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen,"
                              " expires_at, ip) VALUES (?1, ?2, ?3, ?3, ?4, ?5)";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, expires_at);
    mh_sqlite_bind_text(st, 5, ip);
    return mh_sqlite_run(s, st, "insert session");
}

static int sq_session_get(mh_store_t *s, mh_pool_t *p, const char *token_hash,
                          mh_session_row_t *out)
{
    static const char sql[] = "SELECT id, user_id, created_at, last_seen, expires_at, ip"
                              " FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->created_at = sqlite3_column_int64(st, 2);
        out->last_seen = sqlite3_column_int64(st, 3);
        out->expires_at = sqlite3_column_int64(st, 4);
        out->ip = mh_sqlite_text(p, st, 5);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "session");
}

static int sq_session_touch(mh_store_t *s, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return mh_sqlite_run(s, st, "touch session");
}

static int sq_session_delete(mh_store_t *s, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, token_hash);
    return mh_sqlite_run(s, st, "delete session");
}

static int sq_sessions_delete_user(mh_store_t *s, int64_t user_id, const char *keep_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    mh_sqlite_bind_text(st, 2, keep_hash);
    return mh_sqlite_run(s, st, "end sessions");
}

static int sq_sessions_purge(mh_store_t *s, int64_t now, int64_t idle)
{
    static const char sql[] = "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen < ?1 - ?2";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, idle);
    return mh_sqlite_run(s, st, "purge sessions");
}

/* --- audit log --- */

static int sq_audit_insert(mh_store_t *s, int64_t at, int64_t user_id, const char *ip,
                           const char *action, const char *object, const char *detail)
{
    static const char sql[] = "INSERT INTO audit_log (at, user_id, ip, action, object, detail)"
                              " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, user_id);
    mh_sqlite_bind_text(st, 3, ip);
    mh_sqlite_bind_text(st, 4, action);
    mh_sqlite_bind_text(st, 5, object);
    mh_sqlite_bind_text(st, 6, detail);
    return mh_sqlite_run(s, st, "audit");
}

/* The filter as bindings: ?1 user (0 any), ?2 action prefix ("" any),
 * ?3 since, ?4 until (0 unbounded). The prefix is matched with substr() so
 * '%' and '_' in it mean nothing special. */
#define AUDIT_WHERE                                                                                \
    " WHERE (?1 = 0 OR a.user_id = ?1)"                                                            \
    " AND (?2 = '' OR substr(a.action, 1, length(?2)) = ?2)"                                       \
    " AND (?3 = 0 OR a.at >= ?3) AND (?4 = 0 OR a.at < ?4)"

static void bind_audit_filter(sqlite3_stmt *st, const mh_audit_filter_t *f)
{
    sqlite3_bind_int64(st, 1, f->user_id);
    mh_sqlite_bind_text(st, 2, f->action);
    sqlite3_bind_int64(st, 3, f->since);
    sqlite3_bind_int64(st, 4, f->until);
}

static int sq_audit_list(mh_store_t *s, mh_pool_t *p, const mh_audit_filter_t *f,
                         mh_audit_row_t **out, size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*) FROM audit_log a" AUDIT_WHERE;
    static const char sql[] =
        "SELECT a.id, a.at, coalesce(a.user_id, 0), coalesce(u.name, ''), a.ip, a.action,"
        " a.object, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id" AUDIT_WHERE
        " ORDER BY a.at DESC, a.id DESC LIMIT ?5 OFFSET ?6";
    mh_sqlite_rows_t r = {.size = sizeof(mh_audit_row_t)};
    int64_t limit = f->limit <= 0 ? 50 : f->limit > 200 ? 200 : f->limit;
    sqlite3_stmt *st = mh_sqlite_stmt(s, count_sql);
    int rc;
    if (!st)
        return MH_ERR;
    bind_audit_filter(st, f);
    rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "count audit");
    st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    bind_audit_filter(st, f);
    sqlite3_bind_int64(st, 5, limit);
    sqlite3_bind_int64(st, 6, f->offset > 0 ? f->offset : 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_audit_row_t *a = mh_sqlite_rows_push(&r);
        a->id = sqlite3_column_int64(st, 0);
        a->at = sqlite3_column_int64(st, 1);
        a->user_id = sqlite3_column_int64(st, 2);
        a->user_name = mh_sqlite_text(p, st, 3);
        a->ip = mh_sqlite_text(p, st, 4);
        a->action = mh_sqlite_text(p, st, 5);
        a->object = mh_sqlite_text(p, st, 6);
        a->detail = mh_sqlite_text(p, st, 7);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "audit list");
}

const struct mh_store_account_ops mh_store_sqlite_accounts = {
    .user_get = sq_user_get,
    .user_by_name = sq_user_by_name,
    .users = sq_users,
    .user_insert = sq_user_insert,
    .user_update = sq_user_update,
    .user_set_password = sq_user_set_password,
    .grants = sq_grants,
    .grants_clear = sq_grants_clear,
    .grant_insert = sq_grant_insert,
    .session_insert = sq_session_insert,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .sessions_delete_user = sq_sessions_delete_user,
    .sessions_purge = sq_sessions_purge,
    .audit_insert = sq_audit_insert,
    .audit_list = sq_audit_list,
};
