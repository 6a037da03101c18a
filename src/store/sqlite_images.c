/* SQLite implementation of store/images.h. Statements are constant
 * strings (the statement cache keys on their address). The column set of
 * a list is bound as a JSON array (json_each) and its filters as fixed
 * parameters, so one prepared statement serves any of them without SQL
 * built from input. */
#include "images.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sqlite_ext.h"

static const char SQL_IMAGES[] =
    "SELECT entry_id, position, ref, url, thumb, width, height, caption FROM entry_images"
    " WHERE entry_id = ?1 ORDER BY position";
static const char SQL_IMAGES_CLEAR[] = "DELETE FROM entry_images WHERE entry_id = ?1";
static const char SQL_IMAGE_INSERT[] =
    "INSERT INTO entry_images (entry_id, position, ref, url, thumb, width, height, caption)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_TABS[] =
    "SELECT position, title, body_html FROM entry_tabs WHERE entry_id = ?1 ORDER BY position";
static const char SQL_TABS_CLEAR[] = "DELETE FROM entry_tabs WHERE entry_id = ?1";
static const char SQL_TAB_INSERT[] =
    "INSERT INTO entry_tabs (entry_id, position, title, body_html) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_RELATED[] =
    "SELECT related_id FROM entry_related WHERE entry_id = ?1 ORDER BY position";
static const char SQL_RELATED_CLEAR[] = "DELETE FROM entry_related WHERE entry_id = ?1";
static const char SQL_RELATED_INSERT[] =
    "INSERT INTO entry_related (entry_id, position, related_id) VALUES (?1, ?2, ?3)";

/* Public entries of the bound columns (?1, a JSON array of ids, read once
 * per statement: not correlated) at ?3. A list filter drives the query
 * from the (key, value) index of its first filter (?5, ?6); the others
 * (?7..?20, key and value pairs, NULL when unused) are checked by primary
 * key per candidate. Fixed parameters rather than a JSON array of filters:
 * a correlated json_each would parse the array again for every row. */
#define FILTER_PUBLIC                                                                              \
    " AND e.column_id IN (SELECT value FROM json_each(?1)) AND e.deleted_at IS NULL"               \
    " AND e.status IN ('published', 'scheduled') AND e.publish_at <= ?3"
#define HAS(K, V)                                                                                  \
    " AND (" K " IS NULL OR EXISTS (SELECT 1 FROM field_values v WHERE v.entry_id = e.id"          \
    " AND v.key = " K " AND v.value = " V "))"
/* clang-format off */
#define FILTER_REST                                                                                \
    HAS("?7", "?8") HAS("?9", "?10") HAS("?11", "?12") HAS("?13", "?14")                           \
    HAS("?15", "?16") HAS("?17", "?18") HAS("?19", "?20")
/* clang-format on */
static const char SQL_FILTER_IDS[] =
    "SELECT DISTINCT e.id, e.position, e.title, e.publish_at, e.hits"
    " FROM field_values f0 JOIN entries e ON e.id = f0.entry_id"
    " WHERE f0.key = ?5 AND f0.value = ?6" FILTER_PUBLIC FILTER_REST
    " ORDER BY CASE WHEN ?4 = 2 THEN e.position END, CASE WHEN ?4 = 3 THEN e.title END,"
    " CASE WHEN ?4 = 1 THEN e.publish_at END, CASE WHEN ?4 = 4 THEN -e.hits END,"
    " e.publish_at DESC, e.id DESC";
/* Counts per value of field ?4: over all the columns' entries from the
 * key's index, or, with filters, from the first filter's index with the
 * counted value read by primary key. */
static const char SQL_FACET_ALL[] =
    "SELECT v0.value, count(DISTINCT e.id)"
    " FROM field_values v0 JOIN entries e ON e.id = v0.entry_id"
    " WHERE v0.key = ?4" FILTER_PUBLIC " GROUP BY v0.value ORDER BY v0.value";
static const char SQL_FACET[] = "SELECT v0.value, count(DISTINCT e.id)"
                                " FROM field_values f0 JOIN entries e ON e.id = f0.entry_id"
                                " JOIN field_values v0 ON v0.entry_id = e.id AND v0.key = ?4"
                                " WHERE f0.key = ?5 AND f0.value = ?6" FILTER_PUBLIC FILTER_REST
                                " GROUP BY v0.value ORDER BY v0.value";

static int sq_images(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_entry_image_t **out,
                     size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_IMAGES);
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_image_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_entry_image_t *im = mh_sqlite_rows_push(&r);
        im->entry_id = sqlite3_column_int64(st, 0);
        im->position = sqlite3_column_int(st, 1);
        im->ref = mh_sqlite_text(p, st, 2);
        im->url = mh_sqlite_text(p, st, 3);
        im->thumb = mh_sqlite_text(p, st, 4);
        im->width = sqlite3_column_int(st, 5);
        im->height = sqlite3_column_int(st, 6);
        im->caption = mh_sqlite_text(p, st, 7);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "entry images");
}

static int clear(mh_store_t *s, const char *sql, int64_t entry_id, const char *what)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    return mh_sqlite_run(s, st, what);
}

static int sq_images_set(mh_store_t *s, int64_t entry_id, const mh_entry_image_t *in, size_t n)
{
    if (clear(s, SQL_IMAGES_CLEAR, entry_id, "clear entry images") != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_IMAGE_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, entry_id);
        sqlite3_bind_int(st, 2, (int)i);
        mh_sqlite_bind_text(st, 3, in[i].ref);
        mh_sqlite_bind_text(st, 4, in[i].url);
        mh_sqlite_bind_text(st, 5, in[i].thumb);
        sqlite3_bind_int(st, 6, in[i].width);
        sqlite3_bind_int(st, 7, in[i].height);
        mh_sqlite_bind_text(st, 8, in[i].caption);
        if (mh_sqlite_run(s, st, "insert entry image") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int sq_tabs(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_entry_tab_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_TABS);
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_tab_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_entry_tab_t *t = mh_sqlite_rows_push(&r);
        t->position = sqlite3_column_int(st, 0);
        t->title = mh_sqlite_text(p, st, 1);
        t->body_html = mh_sqlite_text(p, st, 2);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "entry tabs");
}

static int sq_tabs_set(mh_store_t *s, int64_t entry_id, const mh_entry_tab_t *in, size_t n)
{
    if (clear(s, SQL_TABS_CLEAR, entry_id, "clear entry tabs") != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_TAB_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, entry_id);
        sqlite3_bind_int(st, 2, (int)i);
        mh_sqlite_bind_text(st, 3, in[i].title);
        mh_sqlite_bind_text(st, 4, in[i].body_html);
        if (mh_sqlite_run(s, st, "insert entry tab") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int sq_related(mh_store_t *s, mh_pool_t *p, int64_t entry_id, int64_t **ids, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_RELATED);
    mh_sqlite_rows_t r = {.size = sizeof(int64_t)};
    int rc;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)mh_sqlite_rows_push(&r) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    *ids = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "related entries");
}

static int sq_related_set(mh_store_t *s, int64_t entry_id, const int64_t *ids, size_t n)
{
    if (clear(s, SQL_RELATED_CLEAR, entry_id, "clear related entries") != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_RELATED_INSERT);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, entry_id);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_int64(st, 3, ids[i]);
        if (mh_sqlite_run(s, st, "insert related entry") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

/* "[1,2,3]" */
static char *ids_json(mh_pool_t *p, const int64_t *ids, size_t n)
{
    size_t cap = 2 + n * 21, len = 0;
    char *out = mh_palloc(p, cap + 1);
    out[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        char num[24];
        int k = snprintf(num, sizeof(num), "%s%lld", i ? "," : "", (long long)ids[i]);
        if (k > 0 && len + (size_t)k < cap) {
            memcpy(out + len, num, (size_t)k);
            len += (size_t)k;
        }
    }
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

/* The filters after the first as ?7..?20 (unused pairs stay NULL). */
static bool bind_rest(sqlite3_stmt *st, const mh_list_filter_t *f, size_t n)
{
    if (n > MH_STORE_FILTERS_MAX)
        return false;
    for (size_t i = 1; i < n; i++) {
        mh_sqlite_bind_text(st, (int)(7 + 2 * (i - 1)), f[i].key);
        mh_sqlite_bind_text(st, (int)(8 + 2 * (i - 1)), f[i].value);
    }
    return true;
}

static int sq_filter_ids(mh_store_t *s, mh_pool_t *p, const int64_t *column_ids, size_t ncolumns,
                         const mh_list_filter_t *filters, size_t nfilters, int sort, int64_t now,
                         int64_t **ids, size_t *n)
{
    sqlite3_stmt *st;
    mh_sqlite_rows_t r = {.size = sizeof(int64_t)};
    int rc;
    *n = 0;
    *ids = mh_palloc(p, sizeof(int64_t));
    if (!ncolumns || !nfilters)
        return MH_OK;
    if (!(st = mh_sqlite_stmt(s, SQL_FILTER_IDS)))
        return MH_ERR;
    if (!bind_rest(st, filters, nfilters)) {
        sqlite3_clear_bindings(st);
        return MH_ERR;
    }
    mh_sqlite_bind_text(st, 1, ids_json(p, column_ids, ncolumns));
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, sort);
    mh_sqlite_bind_text(st, 5, filters[0].key);
    mh_sqlite_bind_text(st, 6, filters[0].value);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)mh_sqlite_rows_push(&r) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *ids = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "filtered list");
}

static int sq_facet(mh_store_t *s, mh_pool_t *p, const int64_t *column_ids, size_t ncolumns,
                    const char *key, const mh_list_filter_t *filters, size_t nfilters, int64_t now,
                    mh_facet_count_t **out, size_t *n)
{
    sqlite3_stmt *st;
    mh_sqlite_rows_t r = {.size = sizeof(mh_facet_count_t)};
    int rc;
    *n = 0;
    *out = mh_palloc(p, sizeof(mh_facet_count_t));
    if (!ncolumns)
        return MH_OK;
    if (!(st = mh_sqlite_stmt(s, nfilters ? SQL_FACET : SQL_FACET_ALL)))
        return MH_ERR;
    if (!bind_rest(st, filters, nfilters)) {
        sqlite3_clear_bindings(st);
        return MH_ERR;
    }
    mh_sqlite_bind_text(st, 1, ids_json(p, column_ids, ncolumns));
    sqlite3_bind_int64(st, 3, now);
    mh_sqlite_bind_text(st, 4, key);
    if (nfilters) {
        mh_sqlite_bind_text(st, 5, filters[0].key);
        mh_sqlite_bind_text(st, 6, filters[0].value);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_facet_count_t *f = mh_sqlite_rows_push(&r);
        f->value = mh_sqlite_text(p, st, 0);
        f->count = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "facet counts");
}

const struct mh_store_image_ops mh_store_sqlite_images = {
    .images = sq_images,
    .images_set = sq_images_set,
    .tabs = sq_tabs,
    .tabs_set = sq_tabs_set,
    .related = sq_related,
    .related_set = sq_related_set,
    .filter_ids = sq_filter_ids,
    .facet = sq_facet,
};
