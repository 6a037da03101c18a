/* SQLite side of the languages screens. Deleting relies on the schema's
 * ON DELETE CASCADE from languages to columns, entries and settings, so a
 * language goes in one statement inside the caller's transaction. */
#include <sqlite3.h>

#include "languages.h"
#include "sqlite_ext.h"

static const char SQL_UPDATE[] = "UPDATE languages SET name = ?2, prefix = ?3, domain = ?4, "
                                 "position = ?5, public = ?6 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM languages WHERE id = ?1";
static const char SQL_NCOLS[] = "SELECT count(*) FROM columns WHERE lang_id = ?1";
static const char SQL_NENTRIES[] = "SELECT count(*) FROM entries WHERE lang_id = ?1";
static const char SQL_HAS_GROUP[] =
    "SELECT count(*) FROM pragma_table_info('columns') WHERE name = 'translation_group'";
static const char SQL_COL_GROUP_SRC[] = "UPDATE columns SET translation_group = id "
                                        "WHERE id = ?1 AND coalesce(translation_group, 0) = 0";
static const char SQL_COL_LINK[] = "UPDATE columns SET translation_group = (SELECT "
                                   "translation_group FROM columns WHERE id = ?2) WHERE id = ?1";

static int changed(mh_store_t *s, sqlite3_stmt *st, const char *what)
{
    if (mh_sqlite_run(s, st, what) != MH_OK)
        return MH_ERR;
    return sqlite3_changes(mh_sqlite_db(s)) > 0 ? MH_OK : MH_DECLINED;
}

static int sq_update(mh_store_t *s, const mh_language_t *in)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_UPDATE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    mh_sqlite_bind_text(st, 2, in->name);
    mh_sqlite_bind_text(st, 3, in->prefix);
    mh_sqlite_bind_text(st, 4, in->domain);
    sqlite3_bind_int(st, 5, in->position);
    sqlite3_bind_int(st, 6, in->hidden ? 0 : 1);
    return changed(s, st, "update language");
}

static int sq_remove(mh_store_t *s, int64_t id)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_DELETE);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return changed(s, st, "delete language");
}

static int count(mh_store_t *s, const char *sql, int64_t id, int64_t *out)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, sql);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? MH_OK : mh_sqlite_fail(s, "count language content");
}

static int sq_counts(mh_store_t *s, int64_t id, int64_t *columns, int64_t *entries)
{
    if (count(s, SQL_NCOLS, id, columns) != MH_OK || count(s, SQL_NENTRIES, id, entries) != MH_OK)
        return MH_ERR;
    return MH_OK;
}

static int sq_column_link(mh_store_t *s, int64_t id, int64_t from)
{
    int64_t has = 0;
    if (count(s, SQL_HAS_GROUP, 0, &has) != MH_OK)
        return MH_ERR;
    if (!has)
        return MH_DECLINED;
    /* These statements name a column that exists only with that feature's
     * migration: prepared only after the check above. The source keeps
     * its group, or starts one of its own (its id). */
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_COL_GROUP_SRC);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, from);
    if (mh_sqlite_run(s, st, "column translation group") != MH_OK)
        return MH_ERR;
    st = mh_sqlite_stmt(s, SQL_COL_LINK);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, from);
    return changed(s, st, "link column translation");
}

const struct mh_store_language_ops mh_store_sqlite_languages = {
    .update = sq_update,
    .remove = sq_remove,
    .counts = sq_counts,
    .column_link = sq_column_link,
};
