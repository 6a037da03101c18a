/* SQLite implementation of store/portal.h. Statements are constant strings
 * (the statement cache keys on their address) and are reset before
 * returning. A banner's place is stored as a nullable column_id (NULL: the
 * home page) so a column's deletion takes its banners along. */
#include "portal.h"

#include "sqlite_ext.h"

/* The upsert's SELECT skips entries that are gone (deleted since the
 * download was counted): the flush never fails on them. */
static const char SQL_DL_ADD[] =
    "INSERT INTO download_counts (entry_id, n) SELECT id, ?2 FROM entries WHERE id = ?1"
    " ON CONFLICT(entry_id) DO UPDATE SET n = n + excluded.n";
static const char SQL_DL_GET[] = "SELECT n FROM download_counts WHERE entry_id = ?1";

#define BANNER_COLS                                                                                \
    "id, lang_id, coalesce(column_id, 0), title, alt, image, image_mobile, link, position, "       \
    "show_from, show_until, created_at, updated_at"
static const char SQL_B_INSERT[] =
    "INSERT INTO banners (lang_id, column_id, title, alt, image, image_mobile, link, position,"
    " show_from, show_until, created_at, updated_at)"
    " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_B_UPDATE[] =
    "UPDATE banners SET lang_id = ?1, column_id = nullif(?2, 0), title = ?3, alt = ?4, image = ?5,"
    " image_mobile = ?6, link = ?7, position = ?8, show_from = ?9, show_until = ?10,"
    " updated_at = ?12 WHERE id = ?13";
static const char SQL_B_DELETE[] = "DELETE FROM banners WHERE id = ?1";
static const char SQL_B_GET[] = "SELECT " BANNER_COLS " FROM banners WHERE id = ?1";
static const char SQL_B_LIST[] =
    "SELECT " BANNER_COLS " FROM banners WHERE (?1 = 0 OR lang_id = ?1)"
    " AND (?2 < 0 OR coalesce(column_id, 0) = ?2)"
    " ORDER BY lang_id, coalesce(column_id, 0), position, id";
static const char SQL_B_ACTIVE[] =
    "SELECT " BANNER_COLS " FROM banners WHERE lang_id = ?1 AND coalesce(column_id, 0) = ?2"
    " AND show_from <= ?3 AND (show_until = 0 OR ?3 < show_until) ORDER BY position, id";
static const char SQL_B_DUE[] =
    "SELECT (SELECT count(*) FROM banners WHERE show_from > ?1 AND show_from <= ?2)"
    " + (SELECT count(*) FROM banners WHERE show_until > ?1 AND show_until <= ?2)";

#define LINK_COLS "id, lang_id, title, url, logo, nofollow, position, created_at"
static const char SQL_L_INSERT[] =
    "INSERT INTO friend_links (lang_id, title, url, logo, nofollow, position, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_L_UPDATE[] =
    "UPDATE friend_links SET lang_id = ?1, title = ?2, url = ?3, logo = ?4, nofollow = ?5,"
    " position = ?6 WHERE id = ?8";
static const char SQL_L_DELETE[] = "DELETE FROM friend_links WHERE id = ?1";
static const char SQL_L_GET[] = "SELECT " LINK_COLS " FROM friend_links WHERE id = ?1";
static const char SQL_L_LIST[] = "SELECT " LINK_COLS " FROM friend_links WHERE (?1 = 0 OR"
                                 " lang_id = ?1) ORDER BY lang_id, position, id";

/* --- download counts --- */

static int sq_downloads_add(mh_store_t *s, int64_t entry_id, int64_t n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DL_ADD);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    sqlite3_bind_int64(st, 2, n);
    return mh_sqlite_run(s, st, "add download counts");
}

static int sq_downloads_get(mh_store_t *s, int64_t entry_id, int64_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DL_GET);
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, entry_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "download count");
    sqlite3_reset(st);
    return rc;
}

/* --- banners --- */

static void read_banner(mh_pool_t *p, sqlite3_stmt *st, mh_banner_t *b)
{
    b->id = sqlite3_column_int64(st, 0);
    b->lang_id = sqlite3_column_int64(st, 1);
    b->column_id = sqlite3_column_int64(st, 2);
    b->title = mh_sqlite_text(p, st, 3);
    b->alt = mh_sqlite_text(p, st, 4);
    b->image = mh_sqlite_text(p, st, 5);
    b->image_mobile = mh_sqlite_text(p, st, 6);
    b->link = mh_sqlite_text(p, st, 7);
    b->position = sqlite3_column_int(st, 8);
    b->show_from = sqlite3_column_int64(st, 9);
    b->show_until = sqlite3_column_int64(st, 10);
    b->created_at = sqlite3_column_int64(st, 11);
    b->updated_at = sqlite3_column_int64(st, 12);
}

static void bind_banner(sqlite3_stmt *st, const mh_banner_t *b)
{
    sqlite3_bind_int64(st, 1, b->lang_id);
    sqlite3_bind_int64(st, 2, b->column_id);
    mh_sqlite_bind_text(st, 3, b->title);
    mh_sqlite_bind_text(st, 4, b->alt);
    mh_sqlite_bind_text(st, 5, b->image);
    mh_sqlite_bind_text(st, 6, b->image_mobile);
    mh_sqlite_bind_text(st, 7, b->link);
    sqlite3_bind_int(st, 8, b->position);
    sqlite3_bind_int64(st, 9, b->show_from);
    sqlite3_bind_int64(st, 10, b->show_until);
}

static int sq_banner_insert(mh_store_t *s, const mh_banner_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_INSERT);
    if (!st)
        return MH_ERR;
    bind_banner(st, in);
    sqlite3_bind_int64(st, 11, in->created_at);
    sqlite3_bind_int64(st, 12, in->updated_at);
    int rc = mh_sqlite_run(s, st, "insert a banner");
    if (rc == MH_OK && id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return rc;
}

static int sq_changes(mh_store_t *s, sqlite3_stmt *st, const char *what)
{
    int rc = mh_sqlite_run(s, st, what);
    if (rc == MH_OK && sqlite3_changes(mh_sqlite_db(s)) == 0)
        rc = MH_DECLINED;
    return rc;
}

static int sq_banner_update(mh_store_t *s, const mh_banner_t *in)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_UPDATE);
    if (!st)
        return MH_ERR;
    bind_banner(st, in);
    sqlite3_bind_int64(st, 12, in->updated_at);
    sqlite3_bind_int64(st, 13, in->id);
    return sq_changes(s, st, "update a banner");
}

static int sq_delete(mh_store_t *s, const char *sql, int64_t id, const char *what)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return sq_changes(s, st, what);
}

static int sq_banner_delete(mh_store_t *s, int64_t id)
{
    return sq_delete(s, SQL_B_DELETE, id, "delete a banner");
}

static int sq_banner_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_banner_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_banner(p, st, out);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "read a banner");
    sqlite3_reset(st);
    return rc;
}

/* Step st (bound) to the end, collecting banners. */
static int banner_rows(mh_store_t *s, mh_pool_t *p, sqlite3_stmt *st, mh_banner_t **out, size_t *n)
{
    mh_sqlite_rows_t rows = {.size = sizeof(mh_banner_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_banner(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "list banners");
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&rows, p, n);
    if (rc != MH_OK)
        *n = 0;
    return rc;
}

static int sq_banner_list(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                          mh_banner_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_LIST);
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    sqlite3_bind_int64(st, 2, column_id);
    return banner_rows(s, p, st, out, n);
}

static int sq_banner_active(mh_store_t *s, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                            int64_t now, mh_banner_t **out, size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_ACTIVE);
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    sqlite3_bind_int64(st, 2, column_id);
    sqlite3_bind_int64(st, 3, now);
    return banner_rows(s, p, st, out, n);
}

static int sq_banner_due(mh_store_t *s, int64_t from, int64_t to, int64_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_B_DUE);
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    rc = rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "banners due");
    sqlite3_reset(st);
    return rc;
}

/* --- friendly links --- */

static void read_link(mh_pool_t *p, sqlite3_stmt *st, mh_friend_link_t *l)
{
    l->id = sqlite3_column_int64(st, 0);
    l->lang_id = sqlite3_column_int64(st, 1);
    l->title = mh_sqlite_text(p, st, 2);
    l->url = mh_sqlite_text(p, st, 3);
    l->logo = mh_sqlite_text(p, st, 4);
    l->nofollow = sqlite3_column_int(st, 5) != 0;
    l->position = sqlite3_column_int(st, 6);
    l->created_at = sqlite3_column_int64(st, 7);
}

static void bind_link(sqlite3_stmt *st, const mh_friend_link_t *l)
{
    sqlite3_bind_int64(st, 1, l->lang_id);
    mh_sqlite_bind_text(st, 2, l->title);
    mh_sqlite_bind_text(st, 3, l->url);
    mh_sqlite_bind_text(st, 4, l->logo);
    sqlite3_bind_int(st, 5, l->nofollow ? 1 : 0);
    sqlite3_bind_int(st, 6, l->position);
}

static int sq_link_insert(mh_store_t *s, const mh_friend_link_t *in, int64_t *id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_L_INSERT);
    if (!st)
        return MH_ERR;
    bind_link(st, in);
    sqlite3_bind_int64(st, 7, in->created_at);
    int rc = mh_sqlite_run(s, st, "insert a friendly link");
    if (rc == MH_OK && id)
        *id = sqlite3_last_insert_rowid(mh_sqlite_db(s));
    return rc;
}

static int sq_link_update(mh_store_t *s, const mh_friend_link_t *in)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_L_UPDATE);
    if (!st)
        return MH_ERR;
    bind_link(st, in);
    sqlite3_bind_int64(st, 8, in->id);
    return sq_changes(s, st, "update a friendly link");
}

static int sq_link_delete(mh_store_t *s, int64_t id)
{
    return sq_delete(s, SQL_L_DELETE, id, "delete a friendly link");
}

static int sq_link_get(mh_store_t *s, mh_pool_t *p, int64_t id, mh_friend_link_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_L_GET);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_link(p, st, out);
    rc = rc == SQLITE_ROW    ? MH_OK
         : rc == SQLITE_DONE ? MH_DECLINED
                             : mh_sqlite_fail(s, "read a friendly link");
    sqlite3_reset(st);
    return rc;
}

static int sq_link_list(mh_store_t *s, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                        size_t *n)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_L_LIST);
    mh_sqlite_rows_t rows = {.size = sizeof(mh_friend_link_t)};
    *n = 0;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_link(p, st, mh_sqlite_rows_push(&rows));
    rc = rc == SQLITE_DONE ? MH_OK : mh_sqlite_fail(s, "list friendly links");
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&rows, p, n);
    if (rc != MH_OK)
        *n = 0;
    return rc;
}

const struct mh_store_portal_ops mh_store_sqlite_portal = {
    .downloads_add = sq_downloads_add,
    .downloads_get = sq_downloads_get,
    .banner_insert = sq_banner_insert,
    .banner_update = sq_banner_update,
    .banner_delete = sq_banner_delete,
    .banner_get = sq_banner_get,
    .banner_list = sq_banner_list,
    .banner_active = sq_banner_active,
    .banner_due = sq_banner_due,
    .link_insert = sq_link_insert,
    .link_update = sq_link_update,
    .link_delete = sq_link_delete,
    .link_get = sq_link_get,
    .link_list = sq_link_list,
};
