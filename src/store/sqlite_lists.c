/* Entry lists whose cost does not grow with the site (issue 12).
 *
 * A list page is read in two steps: the ids of the page from an index that
 * holds every column the filter and the order need (entries_column_* for
 * one column, entries_lang_* for a language or several columns; migration
 * "scale" in migrations.c), so skipping to a page never reads a row; then
 * the page's rows, one primary-key lookup each. A page past the middle of
 * the list is read from the other end of the same index in the opposite
 * order, so the last page costs what the first does.
 *
 * Totals come from entry_counts, kept by triggers (one row per column and
 * state), never from count(*): a public total is the published and
 * scheduled entries of the columns minus the scheduled ones still in the
 * future, which an index range on (status, publish_at) finds.
 *
 * Statements are constant strings cached per connection by mh_sqlite_stmt
 * (their address is the key). docs/internals/sqlite.md explains the
 * indexes; tests/unit/store/test_query_plans.c checks their plans. */
#include "sqlite_lists.h"
#include "sqlite_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"

#define PUBLIC_STATES "('published', 'scheduled')"

/* ?1 language, ?2 column id (one) or ",3,4," (several), ?3 public only,
 * ?4 now, ?5 recommended only; ?6 limit, ?7 offset. */
#define W_FLAGS                                                                                    \
    "AND deleted_at IS NULL AND (?3 = 0 OR (status IN " PUBLIC_STATES " AND publish_at <= ?4)) "   \
    "AND (?5 = 0 OR recommended = 1) "
#define W_ALL "WHERE lang_id = ?1 " W_FLAGS
#define W_ONE "WHERE column_id = ?2 " W_FLAGS
#define W_MANY "WHERE lang_id = ?1 AND instr(?2, ',' || column_id || ',') > 0 " W_FLAGS
#define IDS(where, order) "SELECT id FROM entries " where "ORDER BY " order " LIMIT ?6 OFFSET ?7"

/* Each sort forwards (F) and backwards (B, for pages past the middle). */
#define O_NEWEST_F "pinned DESC, publish_at DESC, id DESC"
#define O_NEWEST_B "pinned ASC, publish_at ASC, id ASC"
#define O_OLDEST_F "publish_at ASC, id ASC"
#define O_OLDEST_B "publish_at DESC, id DESC"
#define O_MANUAL_F "position ASC, id ASC"
#define O_MANUAL_B "position DESC, id DESC"
#define O_TITLE_F "title ASC, id ASC"
#define O_TITLE_B "title DESC, id DESC"
#define O_HITS_F "hits DESC, id DESC"
#define O_HITS_B "hits ASC, id ASC"

#define SORTS(where)                                                                               \
    {IDS(where, O_NEWEST_F), IDS(where, O_NEWEST_B)},                                              \
        {IDS(where, O_OLDEST_F), IDS(where, O_OLDEST_B)},                                          \
        {IDS(where, O_MANUAL_F), IDS(where, O_MANUAL_B)},                                          \
        {IDS(where, O_TITLE_F), IDS(where, O_TITLE_B)},                                            \
    {                                                                                              \
        IDS(where, O_HITS_F), IDS(where, O_HITS_B)                                                 \
    }

/* [kind: language, one column, several][sort][0 forwards, 1 backwards];
 * the sort order is mh_sort_t's. */
const char *const mh_sqlite_list_ids_sql[3][5][2] = {
    {SORTS(W_ALL)},
    {SORTS(W_ONE)},
    {SORTS(W_MANY)},
};

static const char SQL_ROW[] = "SELECT " MH_SQLITE_ENTRY_COLS("NULL") " FROM entries WHERE id = ?1";

/* Totals. ?1 language, ?2 ",3,4," (NULL: every column of the language),
 * ?3 public only, ?4 now, ?5 recommended only. entry_counts has a row per
 * column and state: its scan is as long as the column tree, not the site. */
const char mh_sqlite_list_count_sql[] =
    "SELECT (SELECT coalesce(sum(CASE WHEN ?5 THEN rec ELSE n END), 0) FROM entry_counts"
    " WHERE (CASE WHEN ?3 THEN state IN " PUBLIC_STATES " ELSE state <> 'bin' END)"
    " AND (CASE WHEN ?2 IS NULL THEN column_id IN (SELECT id FROM columns WHERE lang_id = ?1)"
    " ELSE instr(?2, ',' || column_id || ',') > 0 END))"
    " - CASE WHEN ?3 THEN (SELECT count(*) FROM entries WHERE status = 'scheduled'"
    " AND publish_at > ?4 AND deleted_at IS NULL AND (?5 = 0 OR recommended = 1)"
    " AND (CASE WHEN ?2 IS NULL THEN lang_id = ?1"
    " ELSE instr(?2, ',' || column_id || ',') > 0 END)) ELSE 0 END";

/* ",3,4,5," */
static char *id_list(const int64_t *ids, size_t n)
{
    size_t cap = n * 21 + 2, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[len++] = ',';
    s[len] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%lld,", (long long)ids[i]);
    return s;
}

int mh_sqlite_list_count(mh_store_t *s, int64_t lang_id, const char *ids, bool public_only,
                         int64_t now, bool recommended_only, int64_t *total)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, mh_sqlite_list_count_sql);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    if (ids)
        sqlite3_bind_text(st, 2, ids, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int(st, 3, public_only);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int(st, 5, recommended_only);
    rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (*total < 0)
        *total = 0;
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "count entries");
}

void mh_sqlite_page_window(int64_t total, int64_t offset, int64_t limit, bool *backwards,
                           int64_t *w_offset, int64_t *w_limit)
{
    *backwards = false;
    *w_offset = offset;
    *w_limit = limit;
    if (total < 0 || offset <= total / 2 || offset >= total)
        return;
    /* Rows [offset, offset + limit) counted from the start are rows
     * [total - offset - limit, total - offset) counted from the end. */
    int64_t from = total - offset - limit;
    *backwards = true;
    *w_limit = from < 0 ? limit + from : limit;
    *w_offset = from < 0 ? 0 : from;
}

int mh_sqlite_rows_by_id(mh_store_t *s, mh_pool_t *p, const int64_t *ids, size_t nids, bool reverse,
                         mh_entry_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_ROW);
    size_t k = 0;
    *n = 0;
    *out = mh_pnalloc(p, nids ? nids : 1, sizeof(mh_entry_t));
    if (!st)
        return MH_ERR;
    for (size_t i = 0; i < nids; i++) {
        int rc;
        sqlite3_bind_int64(st, 1, ids[reverse ? nids - 1 - i : i]);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            mh_sqlite_read_entry(p, st, &(*out)[k++]);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return mh_sqlite_fail(s, "entry row");
    }
    *n = k;
    return MH_OK;
}

int mh_sqlite_ids(mh_store_t *s, sqlite3_stmt *st, mh_pool_t *p, int64_t **ids, size_t *n)
{
    mh_sqlite_rows_t r = {.size = sizeof(int64_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)mh_sqlite_rows_push(&r) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    *ids = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "entry ids");
}

int mh_sqlite_entries_list(mh_store_t *s, mh_pool_t *p, const mh_store_entry_filter_t *f,
                           mh_entry_t **out, size_t *n, int64_t *total)
{
    unsigned sort = (unsigned)f->sort < 5 ? (unsigned)f->sort : MH_SORT_NEWEST;
    int kind = !f->column_ids ? 0 : f->ncolumns == 1 ? 1 : 2;
    char *ids = f->column_ids ? id_list(f->column_ids, f->ncolumns) : NULL;
    int64_t all = -1, w_offset, w_limit, *page = NULL;
    size_t npage = 0;
    bool back;
    sqlite3_stmt *st;
    int rc = MH_ERR;
    *n = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (f->column_ids && !ids)
        goto done;
    if (total) {
        if (mh_sqlite_list_count(s, f->lang_id, ids, f->public_only, f->now, f->recommended_only,
                                 &all) != MH_OK)
            goto done;
        *total = all;
        rc = MH_OK;
        if (all <= f->offset)
            goto done;
    }
    mh_sqlite_page_window(all, f->offset, f->limit, &back, &w_offset, &w_limit);
    st = mh_sqlite_stmt(s, mh_sqlite_list_ids_sql[kind][sort][back]);
    if (!st) {
        rc = MH_ERR;
        goto done;
    }
    sqlite3_bind_int64(st, 1, f->lang_id);
    if (kind == 1)
        sqlite3_bind_int64(st, 2, f->column_ids[0]);
    else if (kind == 2)
        sqlite3_bind_text(st, 2, ids, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, f->public_only);
    sqlite3_bind_int64(st, 4, f->now);
    sqlite3_bind_int(st, 5, f->recommended_only);
    sqlite3_bind_int64(st, 6, w_limit);
    sqlite3_bind_int64(st, 7, w_offset);
    rc = mh_sqlite_ids(s, st, p, &page, &npage);
    if (rc == MH_OK)
        rc = mh_sqlite_rows_by_id(s, p, page, npage, back, out, n);
done:
    free(ids);
    return rc;
}
