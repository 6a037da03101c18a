/* The change log of public content (content_changes, written by triggers:
 * migration "scale" in migrations.c) read for invalidation by dependency
 * (docs/internals/caching.md), and its trimming. */
#include "sqlite_deps.h"
#include "sqlite_ext.h"

#include <stdlib.h>

static const char SQL_GEN[] = "SELECT value FROM content_generation WHERE id = 1";
static const char SQL_CHANGES[] = "SELECT seq, c1, c2, l1, l2, g1, g2 FROM content_changes "
                                  "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
static const char SQL_LAST[] = "SELECT coalesce(max(seq), 0) FROM content_changes";
/* Keep the newest KEEP rows once there are twice as many: a server more
 * than KEEP changes behind invalidates everything anyway. */
#define KEEP 10000
static const char SQL_OLDEST[] = "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) "
                                 "FROM content_changes";
static const char SQL_TRIM[] = "DELETE FROM content_changes WHERE seq <= ?1";

int mh_sqlite_content_changes(mh_store_t *s, mh_pool_t *p, int64_t after, size_t max,
                              int64_t *generation, int64_t **changes, size_t *n, int64_t *first,
                              int64_t *last, bool *more)
{
    sqlite3 *db = mh_sqlite_db(s);
    sqlite3_stmt *st;
    bool own = false;
    int rc = MH_ERR;
    size_t k = 0;
    *n = 0;
    *first = *last = 0;
    *more = false;
    *changes = mh_pnalloc(p, max ? max * 6 : 1, sizeof(int64_t));
    if (!db)
        return MH_ERR;
    /* one snapshot for the counter and the log */
    if (sqlite3_get_autocommit(db)) {
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            return mh_sqlite_fail(s, "content changes");
        own = true;
    }
    st = mh_sqlite_stmt(s, SQL_GEN);
    if (!st || sqlite3_step(st) != SQLITE_ROW)
        goto done;
    *generation = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (after < 0) {
        st = mh_sqlite_stmt(s, SQL_LAST);
        if (!st || sqlite3_step(st) != SQLITE_ROW)
            goto done;
        *last = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        rc = MH_OK;
        goto done;
    }
    st = mh_sqlite_stmt(s, SQL_CHANGES);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (int64_t)max + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == max) {
            *more = true;
            break;
        }
        if (k == 0)
            *first = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 0);
        for (int i = 0; i < 6; i++)
            (*changes)[k * 6 + (size_t)i] = sqlite3_column_int64(st, i + 1);
        k++;
    }
    sqlite3_reset(st);
    *n = k;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : MH_ERR;
done:
    if (own)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc == MH_OK ? MH_OK : mh_sqlite_fail(s, "content changes");
}

int mh_sqlite_content_changes_trim(mh_store_t *s)
{
    sqlite3_stmt *st = mh_sqlite_stmt(s, SQL_OLDEST);
    int64_t lo, hi;
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st)
            sqlite3_reset(st);
        return MH_ERR;
    }
    lo = sqlite3_column_int64(st, 0);
    hi = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (hi - lo < 2 * KEEP)
        return MH_OK;
    st = mh_sqlite_stmt(s, SQL_TRIM);
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, hi - KEEP);
    return mh_sqlite_run(s, st, "trim content changes");
}
