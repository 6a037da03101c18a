/* SQLite implementation of store/images.h. Statements are constant
 * strings (the statement cache keys on their address). The column set and
 * the filters of a list are bound as JSON arrays (json_each), so one
 * prepared statement serves any number of them without SQL built from
 * input. */
#include "images.h"

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

/* Public entries of the bound columns (?1, JSON array of ids) at ?3 that
 * have every filter of ?2 (JSON array of [key, value]) from index 1 on;
 * the first filter (?5, ?6) drives the query through field_values_filter. */
#define FILTER_PUBLIC                                                                              \
    " AND e.column_id IN (SELECT value FROM json_each(?1)) AND e.deleted_at IS NULL"               \
    " AND e.status IN ('published', 'scheduled') AND e.publish_at <= ?3"
#define FILTER_REST(FROM)                                                                          \
    " AND NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE j.key >= " FROM                          \
    " AND NOT EXISTS (SELECT 1 FROM field_values v WHERE v.entry_id = e.id"                        \
    " AND v.key = json_extract(j.value, '$[0]') AND v.value = json_extract(j.value, '$[1]')))"
static const char SQL_FILTER_IDS[] =
    "SELECT DISTINCT e.id, e.position, e.title, e.publish_at, e.hits"
    " FROM field_values v0 JOIN entries e ON e.id = v0.entry_id"
    " WHERE v0.key = ?5 AND v0.value = ?6" FILTER_PUBLIC FILTER_REST(
        "1") " ORDER BY CASE WHEN ?4 = 2 THEN e.position END, CASE WHEN ?4 = 3 THEN e.title END,"
             " CASE WHEN ?4 = 1 THEN e.publish_at END, CASE WHEN ?4 = 4 THEN -e.hits END,"
             " e.publish_at DESC, e.id DESC";
/* Counts per value of ?4 among the entries with every filter of ?2. */
static const char SQL_FACET[] =
    "SELECT v0.value, count(DISTINCT e.id)"
    " FROM field_values v0 JOIN entries e ON e.id = v0.entry_id"
    " WHERE v0.key = ?4" FILTER_PUBLIC FILTER_REST("0") " GROUP BY v0.value ORDER BY v0.value";

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

/* A JSON string literal of s into out (at least 6 * strlen(s) + 3 bytes). */
static size_t json_string(char *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = 0;
    out[len++] = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            out[len++] = '\\';
            out[len++] = (char)*c;
        } else if (*c < 0x20) {
            out[len++] = '\\';
            out[len++] = 'u';
            out[len++] = '0';
            out[len++] = '0';
            out[len++] = hex[*c >> 4];
            out[len++] = hex[*c & 15];
        } else {
            out[len++] = (char)*c;
        }
    }
    out[len++] = '"';
    return len;
}

/* [["key","value"],...] */
static char *filters_json(mh_pool_t *p, const mh_list_filter_t *f, size_t n)
{
    size_t cap = 3;
    for (size_t i = 0; i < n; i++)
        cap += 6 * (strlen(f[i].key) + strlen(f[i].value)) + 10;
    char *out = mh_palloc(p, cap), *o = out;
    *o++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '[';
        o += json_string(o, f[i].key);
        *o++ = ',';
        o += json_string(o, f[i].value);
        *o++ = ']';
    }
    *o++ = ']';
    *o = '\0';
    return out;
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
    const char *cols = ids_json(p, column_ids, ncolumns);
    const char *fl = filters_json(p, filters, nfilters);
    mh_sqlite_bind_text(st, 1, cols);
    mh_sqlite_bind_text(st, 2, fl);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, sort);
    mh_sqlite_bind_text(st, 5, filters[0].key);
    mh_sqlite_bind_text(st, 6, filters[0].value);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)mh_sqlite_rows_push(&r) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
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
    if (!(st = mh_sqlite_stmt(s, SQL_FACET)))
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, ids_json(p, column_ids, ncolumns));
    mh_sqlite_bind_text(st, 2, filters_json(p, filters, nfilters));
    sqlite3_bind_int64(st, 3, now);
    mh_sqlite_bind_text(st, 4, key);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_facet_count_t *f = mh_sqlite_rows_push(&r);
        f->value = mh_sqlite_text(p, st, 0);
        f->count = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
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
