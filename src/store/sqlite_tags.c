/* SQLite implementation of store/tags.h. Statements are constant strings
 * (the statement cache keys on their address) and are reset before
 * returning. */
#include "tags.h"

#include "sqlite_ext.h"

#define TAG_COLS "id, lang_id, name, slug"
#define PUBLIC_ENTRY                                                                               \
    "e.deleted_at IS NULL AND e.status IN ('published', 'scheduled') AND e.publish_at <= ?2"       \
    " AND EXISTS (SELECT 1 FROM columns c WHERE c.id = e.column_id AND c.visible = 1)"

static const char SQL_LIST[] =
    "SELECT t.id, t.lang_id, t.name, t.slug, (SELECT count(*) FROM entry_tags et JOIN entries e"
    " ON e.id = et.entry_id WHERE et.tag_id = t.id AND e.deleted_at IS NULL)"
    " FROM tags t WHERE t.lang_id = ?1 ORDER BY t.name, t.id";
static const char SQL_GET[] = "SELECT " TAG_COLS " FROM tags WHERE id = ?1";
static const char SQL_BY_SLUG[] = "SELECT " TAG_COLS " FROM tags WHERE lang_id = ?1 AND slug = ?2";
static const char SQL_BY_NAME[] = "SELECT " TAG_COLS " FROM tags WHERE lang_id = ?1 AND name = ?2";
static const char SQL_INSERT[] = "INSERT INTO tags (lang_id, name, slug) VALUES (?1, ?2, ?3)";
static const char SQL_UPDATE[] = "UPDATE tags SET name = ?2, slug = ?3 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM tags WHERE id = ?1";
static const char SQL_MERGE[] = "INSERT OR IGNORE INTO entry_tags (entry_id, tag_id, position)"
                                " SELECT entry_id, ?2, position FROM entry_tags WHERE tag_id = ?1";
static const char SQL_OF_ENTRY[] =
    "SELECT t.id, t.lang_id, t.name, t.slug FROM entry_tags et JOIN tags t ON t.id = et.tag_id"
    " WHERE et.entry_id = ?1 ORDER BY et.position, t.id";
static const char SQL_CLEAR_ENTRY[] = "DELETE FROM entry_tags WHERE entry_id = ?1";
static const char SQL_LINK[] =
    "INSERT OR IGNORE INTO entry_tags (entry_id, tag_id, position) VALUES (?1, ?2, ?3)";
static const char SQL_ENTRIES[] = "SELECT " MH_SQLITE_ENTRY_COLS(
    "NULL") " FROM entries e WHERE e.id IN"
            " (SELECT entry_id FROM entry_tags WHERE tag_id = ?1) AND " PUBLIC_ENTRY
            " ORDER BY e.publish_at DESC, e.id DESC LIMIT ?4 OFFSET ?3";
static const char SQL_ENTRIES_COUNT[] =
    "SELECT count(*) FROM entries e WHERE e.id IN"
    " (SELECT entry_id FROM entry_tags WHERE tag_id = ?1) AND " PUBLIC_ENTRY;
static const char SQL_PUBLIC_TAGS[] =
    "SELECT t.id, t.lang_id, t.name, t.slug FROM tags t WHERE t.lang_id = ?1 AND EXISTS"
    " (SELECT 1 FROM entry_tags et JOIN entries e ON e.id = et.entry_id"
    " WHERE et.tag_id = t.id AND " PUBLIC_ENTRY ") ORDER BY t.slug";

static void read_tag(mh_pool_t *p, sqlite3_stmt *st, mh_tag_t *t)
{
    t->id = sqlite3_column_int64(st, 0);
    t->lang_id = sqlite3_column_int64(st, 1);
    t->name = mh_sqlite_text(p, st, 2);
    t->slug = mh_sqlite_text(p, st, 3);
}

/* Step a statement returning one tag: MH_OK, MH_DECLINED or MH_ERR. */
static int one(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_tag_t *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_tag(p, st, out);
    rc = rc == SQLITE_ROW ? MH_OK : rc == SQLITE_DONE ? MH_DECLINED : mh_sqlite_fail(s, what);
    sqlite3_reset(st);
    return rc;
}

/* Step a statement returning tags (with a count in column 4 when counted). */
static int many(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, bool counted, mh_tag_t **out,
                size_t *n, const char *what)
{
    mh_sqlite_rows_t rows = {.size = sizeof(mh_tag_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_tag_t *t = mh_sqlite_rows_push(&rows);
        read_tag(p, st, t);
        if (counted)
            t->count = sqlite3_column_int64(st, 4);
    }
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, what);
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc;
}

static int sq_list(mh_store_t *s, mh_pool_t *p, int64_t lang_id, mh_tag_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_LIST);
    *out = NULL;
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    return many(s, p, st, true, out, n, "list tags");
}

static int sq_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_tag_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return one(s, p, st, out, "get tag");
}

static int sq_by_slug(mh_store_t *s, mh_pool_t *p, int64_t lang_id, const char *slug, mh_tag_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_BY_SLUG);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    mh_sqlite_bind_text(st, 2, slug);
    return one(s, p, st, out, "tag by slug");
}

static int sq_by_name(mh_store_t *s, mh_pool_t *p, int64_t lang_id, const char *name, mh_tag_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_BY_NAME);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    mh_sqlite_bind_text(st, 2, name);
    return one(s, p, st, out, "tag by name");
}

static int sq_insert(mh_store_t *s, int64_t lang_id, const char *name, const char *slug,
                     int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_INSERT);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    mh_sqlite_bind_text(st, 2, name);
    mh_sqlite_bind_text(st, 3, slug);
    if (mh_sqlite_run(s, st, "insert tag") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return MH_OK;
}

static int sq_update(mh_store_t *s, int64_t id, const char *name, const char *slug)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, name);
    mh_sqlite_bind_text(st, 3, slug);
    return mh_sqlite_run(s, st, "rename tag");
}

static int sq_remove(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return mh_sqlite_run(s, st, "delete tag");
}

static int sq_merge(mh_store_t *s, int64_t from_id, int64_t into_id)
{
    if (from_id == into_id)
        return MH_OK;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_MERGE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, from_id);
    sqlite3_bind_int64(st, 2, into_id);
    if (mh_sqlite_run(s, st, "merge tags") != MH_OK)
        return MH_ERR;
    return sq_remove(s, from_id);
}

static int sq_of_entry(mh_store_t *s, mh_pool_t *p, int64_t entry_id, mh_tag_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_OF_ENTRY);
    *out = NULL;
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    return many(s, p, st, false, out, n, "tags of entry");
}

static int sq_set_entry(mh_store_t *s, int64_t entry_id, const int64_t *ids, size_t n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_CLEAR_ENTRY);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    if (mh_sqlite_run(s, st, "clear entry tags") != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        st = mh_sqlite_stmt(s, SQL_LINK);
        if (!st)
            return MH_ERR;
        sqlite3_bind_int64(st, 1, entry_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        sqlite3_bind_int64(st, 3, (int64_t)i);
        if (mh_sqlite_run(s, st, "tag entry") != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int sq_entries(mh_store_t *s, mh_pool_t *p, int64_t tag_id, int64_t now, int64_t offset,
                      int64_t limit, mh_entry_t **out, size_t *n, int64_t *total)
{
    mh_sqlite_rows_t rows = {.size = sizeof(mh_entry_t)};
    int rc = MH_ERR;
    *total = 0;
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_ENTRIES_COUNT);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, tag_id);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "count tag entries");
    sqlite3_reset(st);
    if (rc != MH_OK)
        goto done;
    st = mh_sqlite_stmt(s, SQL_ENTRIES);
    rc = MH_ERR;
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, tag_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, offset);
    sqlite3_bind_int64(st, 4, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        mh_sqlite_read_entry(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "tag entries");
    sqlite3_reset(st);
done:
    *out = mh_sqlite_rows_finish(&rows, p, n);
    return rc;
}

static int sq_public_tags(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t now, mh_tag_t **out,
                          size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_PUBLIC_TAGS);
    *out = NULL;
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    sqlite3_bind_int64(st, 2, now);
    return many(s, p, st, false, out, n, "public tags");
}

const struct mh_store_tag_ops mh_store_sqlite_tags = {
    .list = sq_list,
    .get = sq_get,
    .by_slug = sq_by_slug,
    .by_name = sq_by_name,
    .insert = sq_insert,
    .update = sq_update,
    .remove = sq_remove,
    .merge = sq_merge,
    .of_entry = sq_of_entry,
    .set_entry = sq_set_entry,
    .entries = sq_entries,
    .public_tags = sq_public_tags,
};
