/* SQLite implementation of store/mail.h. The table (migrations.c) has no
 * trigger on it, so nothing here moves the content generation. */
#include "mail.h"

#include "sqlite_ext.h"

#define COLS "id, created_at, recipients, subject, body, status, attempts, next_at, sent_at, error"

static const char SQL_INSERT[] =
    "INSERT INTO mail_queue (created_at, recipients, subject, body, status, attempts, next_at)"
    " VALUES (?1, ?2, ?3, ?4, 'queued', 0, ?1)";
static const char SQL_DUE[] = "SELECT " COLS " FROM mail_queue WHERE status = 'queued' AND"
                              " next_at <= ?1 ORDER BY next_at, id LIMIT ?2";
static const char SQL_UPDATE[] =
    "UPDATE mail_queue SET status = ?2, attempts = ?3, next_at = ?4, error = ?6,"
    " sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END WHERE id = ?1";
static const char SQL_LIST[] = "SELECT " COLS " FROM mail_queue WHERE ?1 IS NULL OR status = ?1"
                               " ORDER BY id DESC LIMIT ?3 OFFSET ?2";
static const char SQL_COUNT[] = "SELECT count(*) FROM mail_queue WHERE ?1 IS NULL OR status = ?1";
static const char SQL_GET[] = "SELECT " COLS " FROM mail_queue WHERE id = ?1";
static const char SQL_RETRY[] = "UPDATE mail_queue SET status = 'queued', attempts = 0,"
                                " next_at = ?2 WHERE id = ?1 AND status <> 'sent'";

static void read_row(mh_pool_t *p, sqlite3_stmt *st, mh_mail_row_t *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->created_at = sqlite3_column_int64(st, 1);
    r->recipients = mh_sqlite_text(p, st, 2);
    r->subject = mh_sqlite_text(p, st, 3);
    r->body = mh_sqlite_text(p, st, 4);
    r->status = mh_sqlite_text(p, st, 5);
    r->attempts = sqlite3_column_int(st, 6);
    r->next_at = sqlite3_column_int64(st, 7);
    r->sent_at = sqlite3_column_int64(st, 8);
    r->error = mh_sqlite_text(p, st, 9);
}

static int sq_insert(mh_store_t *s, const char *recipients, const char *subject, const char *body,
                     int64_t now, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    mh_sqlite_bind_text(st, 2, recipients);
    mh_sqlite_bind_text(st, 3, subject);
    mh_sqlite_bind_text(st, 4, body);
    int rc = mh_sqlite_run(s, st, "queue a mail");
    if (rc == MH_OK && id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return rc;
}

/* Step st to the end, collecting rows. */
static int collect(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_mail_row_t **out, size_t *n,
                   const char *what)
{
    mh_sqlite_rows_t rows = {.size = sizeof(mh_mail_row_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(p, st, mh_sqlite_rows_push(&rows));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, what);
}

static int sq_due(mh_store_t *s, mh_pool_t *p, int64_t now, int64_t limit, mh_mail_row_t **out,
                  size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DUE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, limit);
    return collect(s, p, st, out, n, "read due mail");
}

static int sq_update(mh_store_t *s, int64_t id, const char *status, int attempts, int64_t next_at,
                     int64_t now, const char *error)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, status);
    sqlite3_bind_int(st, 3, attempts);
    sqlite3_bind_int64(st, 4, next_at);
    sqlite3_bind_int64(st, 5, now);
    mh_sqlite_bind_text(st, 6, error);
    return mh_sqlite_run(s, st, "update a queued mail");
}

static int sq_list(mh_store_t *s, mh_pool_t *p, const char *status, int64_t offset, int64_t limit,
                   mh_mail_row_t **out, size_t *n, int64_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COUNT);
    if (!st)
        return MH_ERR;
    if (status)
        mh_sqlite_bind_text(st, 1, status);
    if (sqlite3_step(st) == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    st = mh_sqlite_stmt(s, SQL_LIST);
    if (!st)
        return MH_ERR;
    if (status)
        mh_sqlite_bind_text(st, 1, status);
    sqlite3_bind_int64(st, 2, offset);
    sqlite3_bind_int64(st, 3, limit);
    int rc = collect(s, p, st, out, n, "list mail");
    sqlite3_clear_bindings(st);
    return rc;
}

static int sq_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_mail_row_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(p, st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "read a mail");
}

static int sq_retry(mh_store_t *s, int64_t id, int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_RETRY);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    int rc = mh_sqlite_run(s, st, "retry a mail");
    if (rc == MH_OK && sqlite3_changes(mh_sqlite_db(s)) == 0)
        rc = MH_DECLINED;
    return rc;
}

const struct mh_store_mail_ops mh_store_sqlite_mail = {
    .insert = sq_insert,
    .due = sq_due,
    .update = sq_update,
    .list = sq_list,
    .get = sq_get,
    .retry = sq_retry,
};
