/* SQLite implementation of store/search.h.
 *
 * Why a queue filled by triggers: an entry becomes or stops being public
 * through many writes (create, edit, status, trash, restore, purge, move,
 * review approval, revision restore, custom field values, a column hidden
 * or moved, a column deleted with its entries, the scheduler), some of
 * them single SQL statements over many rows. Triggers see every one of
 * them in the writing transaction, as the content generation's triggers
 * do, so no write path can forget the index. They only note the entry id
 * in search_queue (plain SQL: a sqlite3 shell can still write the
 * database); indexing needs C (the tokenizer, HTML stripped by gumbo), so
 * masthead drains the queue in the same transaction just before it
 * commits (sqlite.c calls mh_sqlite_search_flush), and the scheduler's
 * tick drains what other programs queued. */
#include "search.h"
#include "sqlite_ext.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"

/* The entry's searchable text when it is public now (?2), and whether its
 * column and every ancestor are visible. UNION (not UNION ALL) so that a
 * cycle of parents cannot loop. */
static const char SQL_DOC[] =
    "WITH RECURSIVE up(id, parent_id, visible) AS ("
    " SELECT c.id, c.parent_id, c.visible FROM columns c"
    "  WHERE c.id = (SELECT column_id FROM entries WHERE id = ?1)"
    " UNION SELECT c.id, c.parent_id, c.visible FROM columns c JOIN up ON c.id = up.parent_id)"
    " SELECT e.lang_id, e.column_id, c.module, e.title, e.summary, e.body_html,"
    " (SELECT group_concat(value, ' ') FROM field_values WHERE entry_id = e.id),"
    " (SELECT min(visible) FROM up)"
    " FROM entries e JOIN columns c ON c.id = e.column_id"
    " WHERE e.id = ?1 AND e.status IN ('published', 'scheduled') AND e.deleted_at IS NULL"
    " AND e.publish_at <= ?2";
static const char SQL_COLUMN_ENTRIES[] =
    "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT c.id FROM columns c JOIN sub"
    " ON c.parent_id = sub.id) SELECT id FROM entries WHERE column_id IN (SELECT id FROM sub)";
/* Only those not indexed yet: the scheduler's first window starts at 0
 * and would otherwise index the whole site again at every start. */
static const char SQL_DUE[] =
    "SELECT id FROM entries e WHERE status IN ('published', 'scheduled') AND publish_at > ?1"
    " AND publish_at <= ?2 AND deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM search WHERE rowid = e.id)";
static const char SQL_PENDING[] = "SELECT 1 FROM search_queue LIMIT 1";
static const char SQL_CANDIDATES[] =
    "SELECT id FROM entries WHERE status IN ('published', 'scheduled') AND deleted_at IS NULL"
    " ORDER BY id";

static mh_str_t col_str(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return mh_str(t ? t : "", t ? (size_t)sqlite3_column_bytes(st, i) : 0);
}

/* Put or remove one entry's row. The document statement is prepared once
 * per batch by sync_ids (its recursive query costs more to prepare than
 * to run: a batch of 100,000 entries in an import spent a fifth of its
 * time preparing it) and reset here; nothing is kept between batches: the
 * function runs inside other statements' triggers on any connection, and
 * the FTS5 statements of src/search are prepared per call. */
static int sync_entry(sqlite3 *db, sqlite3_stmt *st, mh_pool_t *pool, int64_t id, int64_t now)
{
    int rc = MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_int(st, 7) == 1) {
        mh_search_doc_t d = {
            .entry_id = id,
            .lang_id = sqlite3_column_int64(st, 0),
            .column_id = sqlite3_column_int64(st, 1),
            .module = col_str(st, 2),
            .title = col_str(st, 3),
            .summary = col_str(st, 4),
            .body_html = col_str(st, 5),
            .fields = col_str(st, 6),
        };
        rc = mh_search_put(db, pool, &d);
    } else if (step == SQLITE_ROW || step == SQLITE_DONE) {
        rc = mh_search_remove(db, id);
    }
    sqlite3_reset(st);
    return rc;
}

/* The ids a statement with up to two integer parameters returns, malloc'd. */
static int collect_ids(sqlite3 *db, const char *sql, int64_t a, int64_t b, int nparams,
                       int64_t **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR, step;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto done;
    if (nparams > 0)
        sqlite3_bind_int64(st, 1, a);
    if (nparams > 1)
        sqlite3_bind_int64(st, 2, b);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *v = realloc(*out, cap * sizeof(**out));
            if (!v)
                goto done;
            *out = v;
        }
        (*out)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (step == SQLITE_DONE)
        rc = MH_OK;
done:
    sqlite3_finalize(st);
    if (rc != MH_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static int sync_ids(sqlite3 *db, const int64_t *ids, size_t n, int64_t now,
                    mh_store_search_progress_fn fn, void *ctx)
{
    if (n == 0)
        return MH_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, SQL_DOC, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return MH_ERR;
    }
    mh_pool_t *pool = mh_pool_create();
    int rc = MH_OK;
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        rc = sync_entry(db, st, pool, ids[i], now);
        mh_pool_reset(pool);
        if (fn && ((i + 1) % 500 == 0 || i + 1 == n))
            fn(ctx, (int64_t)(i + 1), (int64_t)n);
    }
    mh_pool_destroy(pool);
    sqlite3_finalize(st);
    return rc;
}

static const char SQL_QUEUE[] = "SELECT entry_id FROM search_queue ORDER BY entry_id";
static const char SQL_QUEUE_CLEAR[] = "DELETE FROM search_queue";

int mh_sqlite_search_flush(struct sqlite3 *db, int64_t *n)
{
    int64_t *ids = NULL, *cols = NULL;
    size_t nids = 0, ncols = 0;
    int rc = MH_ERR;
    int64_t now = (int64_t)time(NULL);
    if (n)
        *n = 0;
    if (collect_ids(db, SQL_QUEUE, 0, 0, 0, &ids, &nids) != MH_OK)
        return MH_ERR;
    if (nids == 0) {
        rc = MH_OK;
        goto done;
    }
    /* negative: a column whose entries (and its descendants') to look at
     * again; they sort first */
    size_t k = 0;
    while (k < nids && ids[k] < 0)
        k++;
    rc = MH_OK;
    for (size_t i = 0; i < k && rc == MH_OK; i++) {
        free(cols);
        rc = collect_ids(db, SQL_COLUMN_ENTRIES, -ids[i], 0, 1, &cols, &ncols);
        if (rc == MH_OK)
            rc = sync_ids(db, cols, ncols, now, NULL, NULL);
    }
    if (rc == MH_OK)
        rc = sync_ids(db, ids + k, nids - k, now, NULL, NULL);
    if (rc == MH_OK && sqlite3_exec(db, SQL_QUEUE_CLEAR, NULL, NULL, NULL) != SQLITE_OK)
        rc = MH_ERR;
    if (rc == MH_OK && n)
        *n = (int64_t)nids;
done:
    free(ids);
    free(cols);
    return rc;
}

/* SQL: mh_search_flush(), for the migration that creates the queue */
static void fn_flush(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    int64_t n = 0;
    if (mh_sqlite_search_flush(sqlite3_context_db_handle(cx), &n) != MH_OK) {
        sqlite3_result_error(cx, "search index update failed", -1);
        return;
    }
    sqlite3_result_int64(cx, n);
}

int mh_sqlite_search_register(struct sqlite3 *db)
{
    if (mh_search_register(db) != MH_OK)
        return MH_ERR;
    if (sqlite3_create_function(db, "mh_search_flush", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                fn_flush, NULL, NULL) != SQLITE_OK)
        return MH_ERR;
    return MH_OK;
}

static int se_run(mh_store_t *s, mh_pool_t *p, const mh_search_params_t *q, mh_search_hit_t **hits,
                  size_t *n, size_t *total)
{
    sqlite3 *db = mh_sqlite_db(s);
    if (!db)
        return MH_ERR;
    if (mh_search_run(db, p, q, hits, n, total) != MH_OK)
        return mh_sqlite_fail(s, "search");
    return MH_OK;
}

/* The window starts no earlier than where the last sync ended (search_due),
 * so a first window from 0 after a start does not check the whole site. */
static const char SQL_DUE_UNTIL[] = "SELECT until FROM search_due WHERE id = 1";
static const char SQL_DUE_SET[] = "UPDATE search_due SET until = max(until, ?1) WHERE id = 1";

static int se_sync_due(mh_store_t *s, int64_t since, int64_t now)
{
    sqlite3 *db = mh_sqlite_db(s);
    sqlite3_stmt *st;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = MH_ERR;
    if (!db)
        return MH_ERR;
    st = mh_sqlite_stmt(s, SQL_DUE_UNTIL);
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > since)
        since = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    st = mh_sqlite_stmt(s, SQL_DUE_SET);
    if (st)
        sqlite3_bind_int64(st, 1, now);
    if (st && collect_ids(db, SQL_DUE, since, now, 2, &ids, &n) == MH_OK &&
        sync_ids(db, ids, n, now, NULL, NULL) == MH_OK &&
        mh_sqlite_run(s, st, "search due") == MH_OK)
        rc = MH_OK;
    free(ids);
    return rc == MH_OK ? MH_OK : mh_sqlite_fail(s, "search: index entries due");
}

static int se_rebuild(mh_store_t *s, mh_store_search_progress_fn fn, void *ctx, int64_t *indexed)
{
    sqlite3 *db = mh_sqlite_db(s);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = MH_ERR;
    *indexed = 0;
    if (!db)
        return MH_ERR;
    if (mh_search_clear(db) == MH_OK &&
        sqlite3_exec(db, SQL_QUEUE_CLEAR, NULL, NULL, NULL) == SQLITE_OK &&
        collect_ids(db, SQL_CANDIDATES, 0, 0, 0, &ids, &n) == MH_OK) {
        if (fn)
            fn(ctx, 0, (int64_t)n);
        rc = sync_ids(db, ids, n, (int64_t)time(NULL), fn, ctx);
    }
    free(ids);
    if (rc != MH_OK)
        return mh_sqlite_fail(s, "search: rebuild");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM search", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *indexed = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return MH_OK;
}

static int se_flush(mh_store_t *s, int64_t *n)
{
    sqlite3 *db = mh_sqlite_db(s);
    if (!db || mh_sqlite_search_flush(db, n) != MH_OK)
        return mh_sqlite_fail(s, "search: index the queue");
    return MH_OK;
}

static int se_pending(mh_store_t *s, bool *pending)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PENDING);
    *pending = false;
    if (!st)
        return MH_ERR;
    int rc = sqlite3_step(st);
    *pending = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "search: queue");
}

static int se_optimize(mh_store_t *s)
{
    sqlite3 *db = mh_sqlite_db(s);
    if (!db || mh_search_optimize(db) != MH_OK)
        return mh_sqlite_fail(s, "search: optimize");
    return MH_OK;
}

const struct mh_store_search_ops mh_store_sqlite_search = {
    .run = se_run,
    .sync_due = se_sync_due,
    .pending = se_pending,
    .flush = se_flush,
    .rebuild = se_rebuild,
    .optimize = se_optimize,
};
