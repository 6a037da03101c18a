/* SQLite implementation of store/media.h. Every statement is a constant
 * string (the statement cache keys on its address) and every statement is
 * reset before returning, so no read lock outlives a call. */
#include "media.h"

#include <string.h>

#include "sqlite_ext.h"

#define MEDIA_COLS                                                                                 \
    "m.id, m.stored_name, m.original_name, m.mime, m.size, m.width, m.height, m.variants,"         \
    " m.created_at, coalesce(m.user_id, 0), coalesce(u.name, '')"
#define MEDIA_FROM " FROM media m LEFT JOIN users u ON u.id = m.user_id"

static const char SQL_INSERT[] =
    "INSERT INTO media (stored_name, original_name, mime, size, width, height, variants,"
    " created_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0))";
static const char SQL_GET[] = "SELECT " MEDIA_COLS MEDIA_FROM " WHERE m.id = ?1";
static const char SQL_BY_NAME[] = "SELECT " MEDIA_COLS MEDIA_FROM " WHERE m.stored_name = ?1";
/* '.' < '/' in byte order, so [stem + ".", stem + "/") holds exactly the
 * names stem.<anything>, and the unique index on stored_name answers it. */
static const char SQL_BY_STEM[] =
    "SELECT " MEDIA_COLS MEDIA_FROM " WHERE m.stored_name > ?1 || '.' AND m.stored_name < ?1 || '/'"
    " ORDER BY m.id LIMIT 1";
#define MEDIA_FILTER                                                                               \
    " WHERE (?1 = '' OR instr(lower(m.original_name), lower(?1)) > 0)"                             \
    " AND (?2 = 0 OR (?2 = 1 AND m.mime LIKE 'image/%') OR (?2 = 2 AND m.mime NOT LIKE "           \
    "'image/%'))"                                                                                  \
    " AND (?3 = 0 OR m.user_id = ?3)"
static const char SQL_LIST[] = "SELECT " MEDIA_COLS MEDIA_FROM MEDIA_FILTER
                               " ORDER BY m.created_at DESC, m.id DESC LIMIT ?4 OFFSET ?5";
static const char SQL_COUNT[] = "SELECT count(*) FROM media m" MEDIA_FILTER;
static const char SQL_REMOVE[] = "DELETE FROM media WHERE id = ?1";
static const char SQL_USES[] =
    "SELECT 'entry', id, title, 'cover', deleted_at IS NOT NULL FROM entries"
    " WHERE instr(cover, ?1) > 0"
    " UNION ALL SELECT 'entry', id, title, 'body', deleted_at IS NOT NULL FROM entries"
    " WHERE instr(body_html, ?1) > 0"
    " UNION ALL SELECT 'entry', id, title, 'summary', deleted_at IS NOT NULL FROM entries"
    " WHERE instr(summary, ?1) > 0"
    " UNION ALL SELECT 'entry', e.id, e.title, 'images', e.deleted_at IS NOT NULL"
    " FROM entry_images i JOIN entries e ON e.id = i.entry_id WHERE instr(i.ref, ?1) > 0"
    " UNION ALL SELECT 'entry', e.id, e.title, 'body', e.deleted_at IS NOT NULL"
    " FROM entry_tabs t JOIN entries e ON e.id = t.entry_id WHERE instr(t.body_html, ?1) > 0"
    " UNION ALL SELECT 'column', id, name, 'body', 0 FROM columns WHERE instr(body_html, ?1) > 0"
    " UNION ALL SELECT 'column', id, name, 'link', 0 FROM columns WHERE instr(link_url, ?1) > 0"
    " UNION ALL SELECT 'setting', 0, key, 'value', 0 FROM settings WHERE instr(value, ?1) > 0"
    /* typed field values (a download's file), banners' images, links' logos */
    " UNION ALL SELECT 'entry', e.id, e.title, 'field', e.deleted_at IS NOT NULL FROM field_values "
    "v"
    " JOIN entries e ON e.id = v.entry_id WHERE instr(v.value, ?1) > 0"
    " UNION ALL SELECT 'banner', id, coalesce(nullif(title, ''), alt), 'image', 0 FROM banners"
    " WHERE instr(image, ?1) > 0 OR instr(image_mobile, ?1) > 0"
    " UNION ALL SELECT 'link', id, title, 'logo', 0 FROM friend_links WHERE instr(logo, ?1) > 0"
    " LIMIT 200";

static void read_row(mh_pool_t *p, sqlite3_stmt *st, mh_media_item_t *m)
{
    m->id = sqlite3_column_int64(st, 0);
    m->stored_name = mh_sqlite_text(p, st, 1);
    m->original_name = mh_sqlite_text(p, st, 2);
    m->mime = mh_sqlite_text(p, st, 3);
    m->size = sqlite3_column_int64(st, 4);
    m->width = sqlite3_column_int(st, 5);
    m->height = sqlite3_column_int(st, 6);
    m->variants = mh_sqlite_text(p, st, 7);
    m->created_at = sqlite3_column_int64(st, 8);
    m->user_id = sqlite3_column_int64(st, 9);
    m->user_name = mh_sqlite_text(p, st, 10);
}

static int sq_insert(mh_store_t *s, const mh_media_item_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_INSERT);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, in->stored_name);
    mh_sqlite_bind_text(st, 2, in->original_name);
    mh_sqlite_bind_text(st, 3, in->mime);
    sqlite3_bind_int64(st, 4, in->size);
    sqlite3_bind_int(st, 5, in->width);
    sqlite3_bind_int(st, 6, in->height);
    mh_sqlite_bind_text(st, 7, in->variants);
    sqlite3_bind_int64(st, 8, in->created_at);
    sqlite3_bind_int64(st, 9, in->user_id);
    if (mh_sqlite_run(s, st, "insert media") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

/* Step a one-row query: MH_OK with *out filled, MH_DECLINED, or MH_ERR. */
static int one_row(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_media_item_t *out,
                   const char *what)
{
    int rc = sqlite3_step(st);
    int r = MH_DECLINED;
    if (rc == SQLITE_ROW) {
        read_row(p, st, out);
        r = MH_OK;
    } else if (rc != SQLITE_DONE) {
        r = mh_sqlite_fail(s, what);
    }
    sqlite3_reset(st);
    return r;
}

static int sq_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_media_item_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return one_row(s, p, st, out, "get media");
}

static int sq_by_name(mh_store_t *s, mh_pool_t *p, const char *stored_name, mh_media_item_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_BY_NAME);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, stored_name);
    return one_row(s, p, st, out, "media by name");
}

static int sq_by_stem(mh_store_t *s, mh_pool_t *p, const char *stem, mh_media_item_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_BY_STEM);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, stem);
    return one_row(s, p, st, out, "media by stem");
}

static void bind_filter(sqlite3_stmt *st, const mh_media_query_t *q)
{
    mh_sqlite_bind_text(st, 1, q->search);
    sqlite3_bind_int(st, 2, q->kind);
    sqlite3_bind_int64(st, 3, q->user_id);
}

static int sq_list(mh_store_t *s, mh_pool_t *p, const mh_media_query_t *q, mh_media_item_t **out,
                   size_t *n, int64_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COUNT);
    if (!st)
        return MH_ERR;
    bind_filter(st, q);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "count media");
    if (*total == 0 || q->offset >= *total)
        return MH_OK;

    st = mh_sqlite_stmt(s, SQL_LIST);
    if (!st)
        return MH_ERR;
    bind_filter(st, q);
    sqlite3_bind_int64(st, 4, q->limit);
    sqlite3_bind_int64(st, 5, q->offset);
    size_t cap = (size_t)q->limit;
    mh_media_item_t *rows = mh_pnalloc(p, cap ? cap : 1, sizeof(*rows));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        read_row(p, st, &rows[(*n)++]);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return mh_sqlite_fail(s, "list media");
    *out = rows;
    return MH_OK;
}

static int sq_remove(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_REMOVE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    if (mh_sqlite_run(s, st, "delete media") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) ? MH_OK : MH_DECLINED;
}

static int sq_uses(mh_store_t *s, mh_pool_t *p, const char *needle, mh_media_use_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!needle || !*needle)
        return MH_OK;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_USES);
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, needle);
    size_t cap = 0;
    mh_media_use_t *rows = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            mh_media_use_t *grown = mh_pnalloc(p, ncap, sizeof(*grown));
            if (*n)
                memcpy(grown, rows, *n * sizeof(*rows));
            rows = grown;
            cap = ncap;
        }
        mh_media_use_t *u = &rows[(*n)++];
        u->kind = mh_sqlite_text(p, st, 0);
        u->id = sqlite3_column_int64(st, 1);
        u->title = mh_sqlite_text(p, st, 2);
        u->field = mh_sqlite_text(p, st, 3);
        u->in_trash = sqlite3_column_int(st, 4) != 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return mh_sqlite_fail(s, "media uses");
    *out = rows;
    return MH_OK;
}

const struct mh_store_media_ops mh_store_sqlite_media = {
    .insert = sq_insert,
    .get = sq_get,
    .by_name = sq_by_name,
    .by_stem = sq_by_stem,
    .list = sq_list,
    .remove = sq_remove,
    .uses = sq_uses,
};
