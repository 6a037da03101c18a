/* SQLite implementation of store/submissions.h. Statements are constant
 * strings (the statement cache keys on their address). The list query takes
 * every filter as a parameter and switches it off with NULL or 0, so one
 * statement serves every combination (no SQL is built from input). */
#include "submissions.h"

#include <stdio.h>
#include <string.h>

#include "sqlite_ext.h"

#define SUB_COLS                                                                                   \
    "s.id, s.column_id, s.lang_id, coalesce(s.entry_id, 0), s.kind, s.name, s.contact,"            \
    " s.message, s.status, s.reply, s.replied_at, s.notes, s.ip, s.created_at, s.updated_at,"      \
    " coalesce(f.name, ''), coalesce(f.mime, ''), coalesce(f.size, 0)"
#define SUB_FROM " FROM submissions s LEFT JOIN submission_files f ON f.submission_id = s.id"

static const char SQL_INSERT[] =
    "INSERT INTO submissions (column_id, lang_id, entry_id, kind, name, contact, message, status,"
    " reply, replied_at, notes, ip, created_at, updated_at)"
    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)";
static const char SQL_VALUE_INSERT[] = "INSERT INTO submission_values (submission_id, key, seq, "
                                       "value, num) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_FILE_INSERT[] = "INSERT INTO submission_files (submission_id, name, mime, "
                                      "size, data) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_GET[] = "SELECT " SUB_COLS SUB_FROM " WHERE s.id = ?1";
static const char SQL_VALUES[] = "SELECT submission_id, key, seq, value, num FROM submission_values"
                                 " WHERE submission_id = ?1 ORDER BY key, seq";
/* ?1 json array of column ids or NULL, ?2 lang, ?3 entry, ?4 kind, ?5 not
 * guestbook, ?6 status, ?7 LIKE pattern, ?8 oldest first, ?9 limit, ?10 offset */
#define LIST_WHERE                                                                                 \
    " WHERE (?1 IS NULL OR s.column_id IN (SELECT value FROM json_each(?1)))"                      \
    " AND (?2 = 0 OR s.lang_id = ?2) AND (?3 = 0 OR s.entry_id = ?3)"                              \
    " AND (?4 IS NULL OR s.kind = ?4) AND (?5 = 0 OR s.kind <> 'guestbook')"                       \
    " AND (?6 IS NULL OR s.status = ?6)"                                                           \
    " AND (?7 IS NULL OR s.name LIKE ?7 ESCAPE '\\' OR s.contact LIKE ?7 ESCAPE '\\'"              \
    " OR s.message LIKE ?7 ESCAPE '\\' OR s.notes LIKE ?7 ESCAPE '\\' OR EXISTS (SELECT 1 FROM"    \
    " submission_values v WHERE v.submission_id = s.id AND v.value LIKE ?7 ESCAPE '\\'))"
static const char SQL_LIST[] =
    "SELECT " SUB_COLS SUB_FROM LIST_WHERE
    " ORDER BY CASE WHEN ?8 THEN s.created_at END, CASE WHEN ?8 THEN s.id END,"
    " s.created_at DESC, s.id DESC LIMIT ?9 OFFSET ?10";
static const char SQL_COUNT[] = "SELECT count(*) FROM submissions s" LIST_WHERE;
static const char SQL_UPDATE[] =
    "UPDATE submissions SET status = coalesce(?2, status), notes = coalesce(?3, notes),"
    " reply = coalesce(?4, reply), replied_at = CASE WHEN ?4 IS NULL THEN replied_at ELSE ?5 END,"
    " updated_at = ?6 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM submissions WHERE id = ?1";
static const char SQL_FILE[] =
    "SELECT name, mime, data FROM submission_files WHERE submission_id = ?1";

static void read_sub(mh_pool_t *p, sqlite3_stmt *st, mh_submission_t *o)
{
    o->id = sqlite3_column_int64(st, 0);
    o->column_id = sqlite3_column_int64(st, 1);
    o->lang_id = sqlite3_column_int64(st, 2);
    o->entry_id = sqlite3_column_int64(st, 3);
    o->kind = mh_sqlite_text(p, st, 4);
    o->name = mh_sqlite_text(p, st, 5);
    o->contact = mh_sqlite_text(p, st, 6);
    o->message = mh_sqlite_text(p, st, 7);
    o->status = mh_sqlite_text(p, st, 8);
    o->reply = mh_sqlite_text(p, st, 9);
    o->replied_at = sqlite3_column_int64(st, 10);
    o->notes = mh_sqlite_text(p, st, 11);
    o->ip = mh_sqlite_text(p, st, 12);
    o->created_at = sqlite3_column_int64(st, 13);
    o->updated_at = sqlite3_column_int64(st, 14);
    o->file_name = mh_sqlite_text(p, st, 15);
    o->file_mime = mh_sqlite_text(p, st, 16);
    o->file_size = sqlite3_column_int64(st, 17);
}

static int sq_insert(mh_store_t *s, const mh_submission_t *in, const void *data, size_t len,
                     int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->column_id);
    sqlite3_bind_int64(st, 2, in->lang_id);
    sqlite3_bind_int64(st, 3, in->entry_id);
    mh_sqlite_bind_text(st, 4, in->kind);
    mh_sqlite_bind_text(st, 5, in->name);
    mh_sqlite_bind_text(st, 6, in->contact);
    mh_sqlite_bind_text(st, 7, in->message);
    mh_sqlite_bind_text(st, 8, in->status);
    mh_sqlite_bind_text(st, 9, in->reply);
    sqlite3_bind_int64(st, 10, in->replied_at);
    mh_sqlite_bind_text(st, 11, in->notes);
    mh_sqlite_bind_text(st, 12, in->ip);
    sqlite3_bind_int64(st, 13, in->created_at);
    if (mh_sqlite_run(s, st, "submission insert") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    for (size_t i = 0; i < in->nvalues; i++) {
        const mh_field_value_t *v = &in->values[i];
        st = mh_sqlite_stmt(s, SQL_VALUE_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, *id);
        mh_sqlite_bind_text(st, 2, v->key);
        sqlite3_bind_int(st, 3, v->seq);
        mh_sqlite_bind_text(st, 4, v->text);
        if (v->has_num)
            sqlite3_bind_double(st, 5, v->num);
        else
            sqlite3_bind_null(st, 5);
        if (mh_sqlite_run(s, st, "submission value") != MH_OK)
            return MH_ERR;
    }
    if (data) {
        st = mh_sqlite_stmt(s, SQL_FILE_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, *id);
        mh_sqlite_bind_text(st, 2, in->file_name);
        mh_sqlite_bind_text(st, 3, in->file_mime);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
        sqlite3_bind_blob64(st, 5, data, len, SQLITE_STATIC);
        if (mh_sqlite_run(s, st, "submission file") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int sq_values(mh_store_t *s, mh_pool_t *p, int64_t id, mh_field_value_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_VALUES);
    mh_sqlite_rows_t r = {.size = sizeof(mh_field_value_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_field_value_t *v = mh_sqlite_rows_push(&r);
        v->entry_id = sqlite3_column_int64(st, 0);
        v->key = mh_sqlite_text(p, st, 1);
        v->seq = sqlite3_column_int(st, 2);
        v->text = mh_sqlite_text(p, st, 3);
        v->has_num = sqlite3_column_type(st, 4) != SQLITE_NULL;
        v->num = sqlite3_column_double(st, 4);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "submission values");
}

static int sq_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_submission_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    if (!st)
        return MH_ERR;
    memset(out, 0, sizeof(*out));
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_sub(p, st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return MH_DECLINED;
    if (rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "submission get");
    return sq_values(s, p, id, &out->values, &out->nvalues);
}

/* "%q%" with LIKE's wildcards in q escaped. */
static char *like_pattern(mh_pool_t *p, const char *q)
{
    size_t n = strlen(q);
    char *o = mh_palloc(p, 2 * n + 3), *w = o;
    *w++ = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            *w++ = '\\';
        *w++ = q[i];
    }
    *w++ = '%';
    *w = '\0';
    return o;
}

static void bind_filter(mh_pool_t *p, sqlite3_stmt *st, const mh_submission_filter_t *f)
{
    if (f->column_ids) {
        char *j = mh_palloc(p, f->ncolumns * 21 + 3), *w = j;
        *w++ = '[';
        for (size_t i = 0; i < f->ncolumns; i++)
            w += snprintf(w, 22, "%s%lld", i ? "," : "", (long long)f->column_ids[i]);
        *w++ = ']';
        *w = '\0';
        sqlite3_bind_text(st, 1, j, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, 1);
    }
    sqlite3_bind_int64(st, 2, f->lang_id);
    sqlite3_bind_int64(st, 3, f->entry_id);
    if (f->kind && *f->kind)
        sqlite3_bind_text(st, 4, f->kind, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, f->not_guestbook);
    if (f->status && *f->status)
        sqlite3_bind_text(st, 6, f->status, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 6);
    if (f->q && *f->q)
        sqlite3_bind_text(st, 7, like_pattern(p, f->q), -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 7);
}

static int sq_list(mh_store_t *s, mh_pool_t *p, const mh_submission_filter_t *f,
                   mh_submission_t **out, size_t *n, int64_t *total)
{
    int64_t limit = f->limit > 0 ? f->limit : 50;
    if (limit > 1000)
        limit = 1000;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_LIST);
    mh_sqlite_rows_t r = {.size = sizeof(mh_submission_t)};
    int rc;
    if (!st)
        return MH_ERR;
    bind_filter(p, st, f);
    sqlite3_bind_int(st, 8, f->oldest_first);
    sqlite3_bind_int64(st, 9, limit);
    sqlite3_bind_int64(st, 10, f->offset > 0 ? f->offset : 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_sub(p, st, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    if (rc != SQLITE_DONE)
        return mh_sqlite_fail(s, "submission list");
    if (total) {
        st = mh_sqlite_stmt(s, SQL_COUNT);
        if (!st)
            return MH_ERR;
        bind_filter(p, st, f);
        rc = sqlite3_step(st);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_ROW)
            return mh_sqlite_fail(s, "submission count");
    }
    return MH_OK;
}

static int sq_update(mh_store_t *s, int64_t id, const char *status, const char *notes,
                     const char *reply, int64_t replied_at, int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    const char *v[3] = {status, notes, reply};
    for (int i = 0; i < 3; i++) {
        if (v[i])
            sqlite3_bind_text(st, 2 + i, v[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 2 + i);
    }
    sqlite3_bind_int64(st, 5, replied_at);
    sqlite3_bind_int64(st, 6, now);
    int rc = mh_sqlite_run(s, st, "submission update");
    sqlite3_clear_bindings(st);
    if (rc != MH_OK)
        return rc;
    return sqlite3_changes(mh_sqlite_db(s)) > 0 ? MH_OK : MH_DECLINED;
}

static int sq_remove(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return mh_sqlite_run(s, st, "submission delete");
}

static int sq_file(mh_store_t *s, mh_pool_t *p, int64_t id, const char **name, const char **mime,
                   const void **data, size_t *len)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_FILE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *name = mh_sqlite_text(p, st, 0);
        *mime = mh_sqlite_text(p, st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        void *d = mh_palloc(p, n + 1);
        if (n)
            memcpy(d, sqlite3_column_blob(st, 2), n);
        *data = d;
        *len = n;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return MH_DECLINED;
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "submission file");
}

const struct mh_store_submission_ops mh_store_sqlite_submissions = {
    .insert = sq_insert,
    .get = sq_get,
    .list = sq_list,
    .values = sq_values,
    .update = sq_update,
    .remove = sq_remove,
    .file = sq_file,
};
