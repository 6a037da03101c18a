/* SQLite implementation of store/editorial.h. Statements are constant
 * strings cached per connection by mh_sqlite_stmt (their address is the
 * key, so each lives in one static variable). */
#include "editorial.h"
#include "sqlite_ext.h"
#include "sqlite_lists.h"

#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "../search/search.h"

/* The entry columns of the core store, then deleted_at (column 23). */
#define ENTRY_COLS(body)                                                                           \
    "SELECT " MH_SQLITE_ENTRY_COLS(body) ", coalesce(deleted_at, 0) FROM entries "

/* ?1 lang (0 any), ?2 ",id,id," or NULL, ?3 status name or NULL, ?4 author
 * (0 any), ?5 title search ('' any). */
#define ADMIN_WHERE "WHERE " ADMIN_WHERE_TAIL
#define ADMIN_WHERE_TAIL                                                                           \
    "(?1 = 0 OR lang_id = ?1) AND (?2 IS NULL OR instr(?2, ',' || column_id || ',') > 0) "         \
    "AND (?3 IS NULL OR status = ?3) AND (?4 = 0 OR author_id = ?4) "                              \
    "AND (?5 = '' OR instr(lower(title), lower(?5)) > 0) "
#define LIVE "AND deleted_at IS NULL "
#define BINNED "AND deleted_at IS NOT NULL "

/* Lists read the ids of a page first, from entries_admin_time (which
 * holds every filter column but the title) newest first, then the rows by
 * id; a page past the middle reads the index from the other end
 * (sqlite_lists.c). Totals come from entry_counts unless an author or a
 * title filter is set. A title search takes its candidates from the
 * full-text index (public entries whose title has words starting with the
 * query's; the newest SEARCH_WINDOW of them) and from the entries that are
 * not in it (drafts and pending ones, an index range by status), then
 * checks the substring on those rows only. */
#define SEARCH_WINDOW "1000"
const char mh_sqlite_admin_ids_sql[] = "SELECT id FROM entries " ADMIN_WHERE LIVE
                                       "ORDER BY publish_at DESC, id DESC LIMIT ?6 OFFSET ?7";
const char mh_sqlite_admin_ids_back_sql[] =
    "SELECT id FROM entries " ADMIN_WHERE LIVE "ORDER BY publish_at ASC, id ASC LIMIT ?6 OFFSET ?7";
static const char *const SQL_IDS_BIN = "SELECT id FROM entries " ADMIN_WHERE BINNED
                                       "ORDER BY deleted_at DESC, id DESC LIMIT ?6 OFFSET ?7";
#define SEARCH_IDS                                                                                 \
    "SELECT id FROM entries WHERE id IN (SELECT id FROM (SELECT rowid AS id FROM search "          \
    "WHERE search MATCH ?8 ORDER BY rowid DESC LIMIT " SEARCH_WINDOW ") UNION ALL SELECT id FROM " \
    "entries WHERE status IN ('draft', 'pending') AND deleted_at IS NULL) "                        \
    "AND " ADMIN_WHERE_TAIL LIVE
const char mh_sqlite_admin_search_ids_sql[] =
    SEARCH_IDS "ORDER BY publish_at DESC, id DESC LIMIT ?6 OFFSET ?7";
const char mh_sqlite_admin_search_count_sql[] = "SELECT count(*) FROM (" SEARCH_IDS ")";
static const char *const SQL_COUNT_LIVE = "SELECT count(*) FROM entries " ADMIN_WHERE LIVE;
static const char *const SQL_COUNT_BIN = "SELECT count(*) FROM entries " ADMIN_WHERE BINNED;
/* ?1 lang (0 any), ?2 ",id,id," or NULL, ?3 status name or NULL, ?4 the
 * bin (1) or live entries (0). */
const char mh_sqlite_admin_count_sql[] =
    "SELECT coalesce(sum(n), 0) FROM entry_counts WHERE (?1 = 0 OR column_id IN "
    "(SELECT id FROM columns WHERE lang_id = ?1)) AND (?2 IS NULL OR "
    "instr(?2, ',' || column_id || ',') > 0) AND (CASE WHEN ?4 THEN state = 'bin' ELSE "
    "state <> 'bin' AND (?3 IS NULL OR state = ?3) END)";
static const char *const SQL_GET = ENTRY_COLS("body_html") "WHERE id = ?1";
static const char *const SQL_TRASH =
    "UPDATE entries SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL";
static const char *const SQL_UNTRASH =
    "UPDATE entries SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL";
static const char *const SQL_PURGE = "DELETE FROM entries WHERE id = ?1 AND deleted_at IS NOT NULL";
static const char *const SQL_SET_STATUS =
    "UPDATE entries SET status = ?2, publish_at = ?3, updated_at = ?4 "
    "WHERE id = ?1 AND deleted_at IS NULL";
static const char *const SQL_GROUP =
    ENTRY_COLS("NULL") "WHERE translation_group = ?1 AND deleted_at IS NULL ORDER BY id";
static const char *const SQL_COL_COUNT =
    "SELECT count(*) FROM entries WHERE instr(?1, ',' || column_id || ',') > 0";
static const char *const SQL_COL_ENTRIES =
    "SELECT id, column_id, slug FROM entries WHERE instr(?1, ',' || column_id || ',') > 0 "
    "ORDER BY id";
static const char *const SQL_MOVE = "UPDATE entries SET column_id = ?2, slug = ?3 WHERE id = ?1";
static const char *const SQL_COL_DELETE = "DELETE FROM columns WHERE id = ?1";
static const char *const SQL_COL_POSITION = "UPDATE columns SET position = ?2 WHERE id = ?1";
static const char *const SQL_REV_INSERT =
    "INSERT INTO revisions (entry_id, user_id, created_at, title, body_html, snapshot) "
    "VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)";
#define REV_COLS(body)                                                                             \
    "SELECT r.id, r.entry_id, coalesce(r.user_id, 0), "                                            \
    "coalesce(nullif(u.display_name, ''), u.name, ''), r.created_at, r.title, " body               \
    ", r.snapshot FROM revisions r LEFT JOIN users u ON u.id = r.user_id "
static const char *const SQL_REVS =
    REV_COLS("NULL") "WHERE r.entry_id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT ?2";
static const char *const SQL_REV_GET = REV_COLS("r.body_html") "WHERE r.id = ?1";
static const char *const SQL_REVIEW_INSERT =
    "INSERT INTO reviews (entry_id, user_id, action, comment, at) "
    "VALUES (?1, nullif(?2, 0), ?3, ?4, ?5)";
static const char *const SQL_REVIEWS =
    "SELECT r.id, r.entry_id, coalesce(r.user_id, 0), "
    "coalesce(nullif(u.display_name, ''), u.name, ''), r.action, r.comment, r.at "
    "FROM reviews r LEFT JOIN users u ON u.id = r.user_id WHERE r.entry_id = ?1 "
    "ORDER BY r.at DESC, r.id DESC";
/* Both halves walk the (status, publish_at) index. */
static const char *const SQL_SCHEDULE_CHECK =
    "SELECT (SELECT count(*) FROM entries WHERE status = 'scheduled' AND publish_at <= ?2 "
    "AND deleted_at IS NULL), EXISTS (SELECT 1 FROM entries WHERE status IN ('published', "
    "'scheduled') AND publish_at > ?1 AND publish_at <= ?2 AND deleted_at IS NULL)";
static const char *const SQL_PUBLISH_DUE =
    "UPDATE entries SET status = 'published' WHERE status = 'scheduled' AND publish_at <= ?1 "
    "AND deleted_at IS NULL";

/* ",1,2,3," for instr() matching, in the pool. */
static const char *id_list(mh_pool_t *p, const int64_t *ids, size_t n)
{
    mh_buf_t b;
    const char *out;
    mh_buf_init(&b, (size_t)1 << 24);
    mh_buf_putc(&b, ',');
    for (size_t i = 0; i < n; i++)
        mh_buf_printf(&b, "%lld,", (long long)ids[i]);
    out = mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

static void read_entry(mh_pool_t *p, sqlite3_stmt *st, mh_entry_t *e, int64_t *deleted_at)
{
    mh_sqlite_read_entry(p, st, e);
    if (deleted_at)
        *deleted_at = sqlite3_column_int64(st, 23);
}

static int read_entries(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_entry_t **out, size_t *n)
{
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_entry(p, st, mh_sqlite_rows_push(&r), NULL);
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "editorial entries");
}

/* A single integer from a one-row query; resets st. */
static int one_int(mh_store_t *s, sqlite3_stmt *st, int64_t *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, what);
}

static void bind_filter(mh_pool_t *p, sqlite3_stmt *st, const mh_entry_filter_t *f)
{
    sqlite3_bind_int64(st, 1, f->lang_id);
    if (f->column_ids && (f->ncolumns || f->restrict_columns))
        sqlite3_bind_text(st, 2, id_list(p, f->column_ids, f->ncolumns), -1, SQLITE_STATIC);
    if (f->status >= 0 && mh_store_status_name((mh_status_t)f->status))
        mh_sqlite_bind_text(st, 3, mh_store_status_name((mh_status_t)f->status));
    sqlite3_bind_int64(st, 4, f->author_id);
    mh_sqlite_bind_text(st, 5, f->search);
}

/* The FTS5 expression for a title search: every word of the query as a
 * prefix, in the title column; NULL when nothing is left to search for. */
static const char *title_match(mh_pool_t *p, const char *search)
{
    mh_str_t m;
    mh_buf_t b;
    const char *out;
    if (mh_search_query(p, mh_str_c(search), &m) != MH_OK)
        return NULL;
    bool in = false;
    mh_buf_init(&b, 4096);
    mh_buf_append_c(&b, "title : (");
    for (size_t i = 0; i < m.len; i++) {
        mh_buf_putc(&b, m.base[i]);
        if (m.base[i] != '"')
            continue;
        /* Inside a quoted piece a doubled quote is a literal one; a single
         * quote closes the piece, which becomes a prefix. */
        if (in && i + 1 < m.len && m.base[i + 1] == '"') {
            mh_buf_putc(&b, '"');
            i++;
        } else if (in) {
            mh_buf_putc(&b, '*');
            in = false;
        } else {
            in = true;
        }
    }
    mh_buf_putc(&b, ')');
    out = mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

static int ed_entries(mh_store_t *s, mh_pool_t *p, const mh_entry_filter_t *f, mh_entry_t **out,
                      size_t *n, int64_t *total)
{
    bool search = f->search && *f->search, fast = !search && f->author_id == 0;
    const char *match = search ? title_match(p, f->search) : NULL;
    int64_t w_offset, w_limit, *ids = NULL;
    size_t nids = 0;
    bool back = false;
    sqlite3_stmt *st;
    *n = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    *total = 0;
    if (search && !match)
        return MH_OK;
    if (fast)
        st = mh_sqlite_stmt(s, mh_sqlite_admin_count_sql);
    else if (search && !f->trashed)
        st = mh_sqlite_stmt(s, mh_sqlite_admin_search_count_sql);
    else
        st = mh_sqlite_stmt(s, f->trashed ? SQL_COUNT_BIN : SQL_COUNT_LIVE);
    if (!st)
        return MH_ERR;
    bind_filter(p, st, f);
    if (fast) {
        sqlite3_bind_null(st, 5);
        sqlite3_bind_int(st, 4, f->trashed);
    } else if (match) {
        mh_sqlite_bind_text(st, 8, match);
    }
    if (one_int(s, st, total, "count entries") != MH_OK)
        return MH_ERR;
    if (*total <= f->offset)
        return MH_OK;
    if (f->trashed) {
        st = mh_sqlite_stmt(s, SQL_IDS_BIN);
        w_offset = f->offset, w_limit = f->limit;
    } else if (match) {
        st = mh_sqlite_stmt(s, mh_sqlite_admin_search_ids_sql);
        w_offset = f->offset, w_limit = f->limit;
    } else {
        mh_sqlite_page_window(*total, f->offset, f->limit, &back, &w_offset, &w_limit);
        st = mh_sqlite_stmt(s, back ? mh_sqlite_admin_ids_back_sql : mh_sqlite_admin_ids_sql);
    }
    if (!st)
        return MH_ERR;
    bind_filter(p, st, f);
    if (match)
        mh_sqlite_bind_text(st, 8, match);
    sqlite3_bind_int64(st, 6, w_limit);
    sqlite3_bind_int64(st, 7, w_offset);
    if (mh_sqlite_ids(s, st, p, &ids, &nids) != MH_OK)
        return MH_ERR;
    return mh_sqlite_rows_by_id(s, p, ids, nids, back, out, n);
}

static int ed_entry_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_entry_t *out,
                        int64_t *deleted_at)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_entry(p, st, out, deleted_at);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "entry get");
}

/* Run st and report MH_DECLINED when it changed no row. */
static int run_changes(mh_store_t *s, sqlite3_stmt *st, const char *what)
{
    if (mh_sqlite_run(s, st, what) != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

static int ed_entry_set_deleted(mh_store_t *s, int64_t id, int64_t at)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, at ? SQL_TRASH : SQL_UNTRASH);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    if (at)
        sqlite3_bind_int64(st, 2, at);
    return run_changes(s, st, "entry bin");
}

static int ed_entry_purge(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PURGE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return run_changes(s, st, "entry purge");
}

static int ed_entry_set_status(mh_store_t *s, int64_t id, mh_status_t status, int64_t publish_at,
                               int64_t now)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_SET_STATUS);
    const char *name = mh_store_status_name(status);
    if (!st || !name)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, publish_at);
    sqlite3_bind_int64(st, 4, now);
    return run_changes(s, st, "entry status");
}

static int ed_group_entries(mh_store_t *s, mh_pool_t *p, int64_t group, mh_entry_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GROUP);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, group);
    return read_entries(s, p, st, out, n);
}

static int ed_column_entry_count(mh_store_t *s, const int64_t *ids, size_t n, int64_t *count)
{
    mh_pool_t *p = mh_pool_create();
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_COUNT);
    int rc = MH_ERR;
    if (st) {
        sqlite3_bind_text(st, 1, id_list(p, ids, n), -1, SQLITE_STATIC);
        rc = one_int(s, st, count, "column entry count");
    }
    mh_pool_destroy(p);
    return rc;
}

static int ed_column_entries(mh_store_t *s, mh_pool_t *p, const int64_t *ids, size_t n,
                             mh_entry_t **out, size_t *count)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_ENTRIES);
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_text(st, 1, id_list(p, ids, n), -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_entry_t *e = mh_sqlite_rows_push(&r);
        e->id = sqlite3_column_int64(st, 0);
        e->column_id = sqlite3_column_int64(st, 1);
        e->slug = mh_sqlite_text(p, st, 2);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, count);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "column entries");
}

static int ed_entry_move(mh_store_t *s, int64_t id, int64_t column_id, const char *slug)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MOVE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, column_id);
    mh_sqlite_bind_text(st, 3, slug);
    return run_changes(s, st, "entry move");
}

static int ed_column_delete(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return run_changes(s, st, "column delete");
}

static int ed_column_set_position(mh_store_t *s, int64_t id, int position)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_POSITION);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, position);
    return run_changes(s, st, "column position");
}

static const char *const SQL_ORDER =
    "SELECT id, position, title FROM entries WHERE column_id = ?1 AND "
    "deleted_at IS NULL ORDER BY position, id";
static const char *const SQL_ENTRY_POSITION = "UPDATE entries SET position = ?2 WHERE id = ?1";
static const char *const SQL_HITS_ADD = "UPDATE entries SET hits = hits + ?2 WHERE id = ?1";

static int ed_column_order(mh_store_t *s, mh_pool_t *p, int64_t column_id, mh_entry_t **out,
                           size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_ORDER);
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_entry_t *e = mh_sqlite_rows_push(&r);
        e->id = sqlite3_column_int64(st, 0);
        e->position = sqlite3_column_int(st, 1);
        e->column_id = column_id;
        e->title = mh_sqlite_text(p, st, 2);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "column order");
}

static int ed_entry_set_position(mh_store_t *s, int64_t id, int position)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_ENTRY_POSITION);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, position);
    return run_changes(s, st, "entry position");
}

static int ed_entry_hits_add(mh_store_t *s, int64_t id, int64_t n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_HITS_ADD);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, n);
    return run_changes(s, st, "entry hits");
}

static int ed_revision_insert(mh_store_t *s, const mh_revision_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REV_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->entry_id);
    sqlite3_bind_int64(st, 2, in->user_id);
    sqlite3_bind_int64(st, 3, in->created_at);
    mh_sqlite_bind_text(st, 4, in->title);
    mh_sqlite_bind_text(st, 5, in->body_html);
    mh_sqlite_bind_text(st, 6, in->snapshot && *in->snapshot ? in->snapshot : "{}");
    if (mh_sqlite_run(s, st, "insert revision") != MH_OK)
        return MH_ERR;
    if (id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

static void read_revision(mh_pool_t *p, sqlite3_stmt *st, mh_revision_t *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->entry_id = sqlite3_column_int64(st, 1);
    r->user_id = sqlite3_column_int64(st, 2);
    r->user_name = mh_sqlite_text(p, st, 3);
    r->created_at = sqlite3_column_int64(st, 4);
    r->title = mh_sqlite_text(p, st, 5);
    r->body_html = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : mh_sqlite_text(p, st, 6);
    r->snapshot = mh_sqlite_text(p, st, 7);
}

static int ed_revisions(mh_store_t *s, mh_pool_t *p, int64_t entry_id, int64_t limit,
                        mh_revision_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REVS);
    mh_sqlite_rows_t r = {.size = sizeof(mh_revision_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    sqlite3_bind_int64(st, 2, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_revision(p, st, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "revisions");
}

static int ed_revision_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_revision_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REV_GET);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_revision(p, st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    return rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, "revision get");
}

static int ed_review_insert(mh_store_t *s, const mh_review_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REVIEW_INSERT);
    const char *action = mh_review_action_name(in->action);
    if (!st || !action)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->entry_id);
    sqlite3_bind_int64(st, 2, in->user_id);
    mh_sqlite_bind_text(st, 3, action);
    mh_sqlite_bind_text(st, 4, in->comment);
    sqlite3_bind_int64(st, 5, in->at);
    if (mh_sqlite_run(s, st, "insert review") != MH_OK)
        return MH_ERR;
    if (id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

static int ed_reviews(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_review_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REVIEWS);
    mh_sqlite_rows_t r = {.size = sizeof(mh_review_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_review_t *v = mh_sqlite_rows_push(&r);
        v->id = sqlite3_column_int64(st, 0);
        v->entry_id = sqlite3_column_int64(st, 1);
        v->user_id = sqlite3_column_int64(st, 2);
        v->user_name = mh_sqlite_text(p, st, 3);
        v->action = mh_review_action_parse((const char *)sqlite3_column_text(st, 4));
        v->comment = mh_sqlite_text(p, st, 5);
        v->at = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "reviews");
}

static int ed_schedule_check(mh_store_t *s, int64_t since, int64_t now, int64_t *due,
                             bool *went_public)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_SCHEDULE_CHECK);
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *due = sqlite3_column_int64(st, 0);
        *went_public = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "schedule check");
}

static int ed_publish_due(mh_store_t *s, int64_t now, int64_t *changed)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PUBLISH_DUE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, now);
    if (mh_sqlite_run(s, st, "publish due") != MH_OK)
        return MH_ERR;
    *changed = sqlite3_changes(mh_sqlite_db(s));
    return MH_OK;
}

const struct mh_store_editorial_ops mh_store_sqlite_editorial = {
    .entries = ed_entries,
    .entry_get = ed_entry_get,
    .entry_set_deleted = ed_entry_set_deleted,
    .entry_purge = ed_entry_purge,
    .entry_set_status = ed_entry_set_status,
    .group_entries = ed_group_entries,
    .column_entry_count = ed_column_entry_count,
    .column_entries = ed_column_entries,
    .entry_move = ed_entry_move,
    .column_delete = ed_column_delete,
    .column_set_position = ed_column_set_position,
    .revision_insert = ed_revision_insert,
    .revisions = ed_revisions,
    .revision_get = ed_revision_get,
    .review_insert = ed_review_insert,
    .reviews = ed_reviews,
    .schedule_check = ed_schedule_check,
    .publish_due = ed_publish_due,
    .column_order = ed_column_order,
    .entry_set_position = ed_entry_set_position,
    .entry_hits_add = ed_entry_hits_add,
};
