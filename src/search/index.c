/* The search table: schema, row upkeep, ranked queries with safe snippets
 * (contract in search.h).
 *
 * Why markers then escaping: FTS5's snippet() and highlight() copy the
 * stored text as it is and insert the strings they are given, so they
 * cannot produce escaped HTML. They insert two private-use characters
 * instead, which the stored text never contains (put() cleans every column
 * of them), and mh_search_mark_html escapes everything else before it turns
 * the markers into <mark> tags.
 *
 * Why a window: bm25 is computed for every row FTS5 sorts, so a common
 * word on a large site (tens of thousands of matches) would cost tens of
 * milliseconds. The page ranks the MH_SEARCH_COUNT_MAX newest matches
 * (found by walking the doclist newest first, which needs no ranking) and
 * shows that number as "at least" when it is reached. On a news site the
 * newest matches are the ones wanted; older ones stay reachable with a
 * more precise query.
 *
 * Statements are prepared per call: the module does not know the
 * connection's statement cache; an integrator with one can move the SQL
 * constants there unchanged. */
#include <string.h>

#include "../core/buf.h"
#include "search.h"
#include "search_int.h"

const char mh_search_schema_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(\n"
    "    lang_id UNINDEXED, column_id UNINDEXED, module UNINDEXED,\n"
    "    title, summary, body, fields,\n"
    "    tokenize = 'masthead');\n"
    "INSERT INTO search(search, rank) VALUES ('rank', 'bm25(0.0, 0.0, 0.0, 10.0, 4.0, 1.0, "
    "2.0)');\n";

static const char SQL_DELETE[] = "DELETE FROM search WHERE rowid = ?1";
static const char SQL_INSERT[] = "INSERT INTO search(rowid, title, summary, body, fields, lang_id, "
                                 "column_id, module) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_DROP[] = "DROP TABLE IF EXISTS search";

/* The markers are U+E000 and U+E001: char(57344) and char(57345). */
static const char SQL_PAGE[] = "SELECT rowid, column_id, module, rank,"
                               " highlight(search, 3, char(57344), char(57345)),"
                               " snippet(search, 5, char(57344), char(57345), '…', 32),"
                               " snippet(search, 4, char(57344), char(57345), '…', 32)"
                               " FROM search WHERE search MATCH ?1 AND lang_id = ?2"
                               " AND (?3 = 0 OR column_id = ?3) AND (?4 = '' OR module = ?4)"
                               " AND rowid >= ?7 ORDER BY rank LIMIT ?5 OFFSET ?6";
/* The newest matches, newest first, up to the window: their number is the
 * total and the last one's rowid the floor of the ranked window. */
static const char SQL_WINDOW[] = "SELECT rowid FROM search WHERE search MATCH ?1 AND lang_id = ?2"
                                 " AND (?3 = 0 OR column_id = ?3) AND (?4 = '' OR module = ?4)"
                                 " ORDER BY rowid DESC LIMIT ?5";

static const char *errmsg(sqlite3 *db, mh_pool_t *pool)
{
    return pool ? mh_pstrdup(pool, sqlite3_errmsg(db)) : NULL;
}

int mh_search_create(sqlite3 *db, mh_pool_t *pool, const char **err)
{
    int rc = MH_OK;
    if (sqlite3_exec(db, mh_search_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        if (err)
            *err = errmsg(db, pool);
        rc = MH_ERR;
    }
    return rc;
}

static int run_one(sqlite3 *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto done;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = MH_OK;
done:
    sqlite3_finalize(st);
    return rc;
}

int mh_search_remove(sqlite3 *db, int64_t entry_id)
{
    return run_one(db, SQL_DELETE, entry_id);
}

int mh_search_clear(sqlite3 *db)
{
    /* dropping is much faster than deleting the rows one by one, which
     * FTS5 does by tokenizing each row again */
    if (run_one(db, SQL_DROP, 0) != MH_OK)
        return MH_ERR;
    return mh_search_create(db, NULL, NULL);
}

static void bind_str(sqlite3_stmt *st, int i, mh_str_t s)
{
    sqlite3_bind_text(st, i, s.base ? s.base : "", s.base ? (int)s.len : 0, SQLITE_STATIC);
}

int mh_search_put(sqlite3 *db, mh_pool_t *pool, const mh_search_doc_t *d)
{
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR;
    mh_str_t title, summary, body, fields, module;

    mh_search_text_clean(pool, d->title.base, d->title.len, 4096, &title);
    mh_search_text_clean(pool, d->summary.base, d->summary.len, 16384, &summary);
    mh_search_text_clean(pool, d->fields.base, d->fields.len, 65536, &fields);
    mh_search_text_clean(pool, d->module.base, d->module.len, 64, &module);
    mh_search_text_from_html(pool, d->body_html.base, d->body_html.len, MH_SEARCH_BODY_MAX, &body);

    if (mh_search_remove(db, d->entry_id) != MH_OK)
        goto done;
    if (sqlite3_prepare_v2(db, SQL_INSERT, -1, &st, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_int64(st, 1, d->entry_id);
    bind_str(st, 2, title);
    bind_str(st, 3, summary);
    bind_str(st, 4, body);
    bind_str(st, 5, fields);
    sqlite3_bind_int64(st, 6, d->lang_id);
    sqlite3_bind_int64(st, 7, d->column_id);
    bind_str(st, 8, module);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = MH_OK;
done:
    sqlite3_finalize(st);
    return rc;
}

void mh_search_mark_html(mh_pool_t *pool, mh_str_t text, mh_str_t *out)
{
    static const char open_tag[] = "<mark>", close_tag[] = "</mark>";
    const char *s = text.base ? text.base : "";
    size_t n = text.base ? text.len : 0;
    /* worst case: every byte escaped as "&quot;" (6) or a marker (3 bytes)
     * becoming "</mark>" (7) */
    char *o = mh_palloc(pool, 6 * n + sizeof(close_tag) + 1);
    size_t len = 0;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xee && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x80 || (unsigned char)s[i + 2] == 0x81)) {
            bool is_open = (unsigned char)s[i + 2] == 0x80;
            if (is_open && !open) {
                memcpy(o + len, open_tag, sizeof(open_tag) - 1);
                len += sizeof(open_tag) - 1;
                open = true;
            } else if (!is_open && open) {
                memcpy(o + len, close_tag, sizeof(close_tag) - 1);
                len += sizeof(close_tag) - 1;
                open = false;
            }
            i += 2;
            continue;
        }
        const char *e = NULL;
        switch (c) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        default:
            o[len++] = (char)c;
            continue;
        }
        size_t k = strlen(e);
        memcpy(o + len, e, k);
        len += k;
    }
    if (open) {
        memcpy(o + len, close_tag, sizeof(close_tag) - 1);
        len += sizeof(close_tag) - 1;
    }
    o[len] = '\0';
    *out = mh_str(o, len);
}

static mh_str_t col_str(mh_pool_t *pool, sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    return mh_str(mh_pstrndup(pool, t ? t : "", t ? n : 0), t ? n : 0);
}

static void bind_filters(sqlite3_stmt *st, const mh_search_params_t *q)
{
    bind_str(st, 1, q->match);
    sqlite3_bind_int64(st, 2, q->lang_id);
    sqlite3_bind_int64(st, 3, q->column_id);
    bind_str(st, 4, q->module);
}

int mh_search_run(sqlite3 *db, mh_pool_t *pool, const mh_search_params_t *q, mh_search_hit_t **hits,
                  size_t *n, size_t *total)
{
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR, s;
    unsigned limit = q->limit < 1 ? 1 : q->limit > 100 ? 100 : q->limit;
    mh_search_hit_t *h = mh_pnalloc(pool, limit, sizeof(*h));
    size_t count = 0, matches = 0;
    int64_t floor = 0;

    *hits = h;
    *n = 0;
    if (total)
        *total = 0;

    /* 1. count the newest matches up to the window and find its floor */
    if (sqlite3_prepare_v2(db, SQL_WINDOW, -1, &st, NULL) != SQLITE_OK)
        goto done;
    bind_filters(st, q);
    sqlite3_bind_int(st, 5, MH_SEARCH_COUNT_MAX);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        matches++;
        floor = sqlite3_column_int64(st, 0);
    }
    if (s != SQLITE_DONE)
        goto done;
    if (total)
        *total = matches;
    if (matches == 0 || q->offset >= matches) {
        rc = MH_OK;
        goto done;
    }
    if (matches < MH_SEARCH_COUNT_MAX)
        floor = INT64_MIN; /* every match is in the window */
    sqlite3_finalize(st);
    st = NULL;

    /* 2. rank the window */
    if (sqlite3_prepare_v2(db, SQL_PAGE, -1, &st, NULL) != SQLITE_OK)
        goto done;
    bind_filters(st, q);
    sqlite3_bind_int(st, 5, (int)limit);
    sqlite3_bind_int64(st, 6, q->offset);
    sqlite3_bind_int64(st, 7, floor);
    while ((s = sqlite3_step(st)) == SQLITE_ROW && count < limit) {
        mh_search_hit_t *r = &h[count++];
        r->entry_id = sqlite3_column_int64(st, 0);
        r->column_id = sqlite3_column_int64(st, 1);
        r->module = col_str(pool, st, 2);
        r->rank = sqlite3_column_double(st, 3);
        mh_search_mark_html(pool, col_str(pool, st, 4), &r->title);
        mh_str_t snip = col_str(pool, st, 5);
        if (snip.len == 0)
            snip = col_str(pool, st, 6);
        mh_search_mark_html(pool, snip, &r->snippet);
    }
    if (s != SQLITE_DONE && s != SQLITE_ROW)
        goto done;
    *n = count;
    rc = MH_OK;
done:
    sqlite3_finalize(st);
    return rc;
}

int mh_search_optimize(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR;
    if (sqlite3_prepare_v2(db, "INSERT INTO search(search) VALUES ('optimize')", -1, &st, NULL) !=
        SQLITE_OK)
        goto done;
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = MH_OK;
done:
    sqlite3_finalize(st);
    return rc;
}
