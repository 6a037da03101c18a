/* For the SQLite files of each feature (sqlite_accounts.c,
 * sqlite_editorial.c, sqlite_media.c): the calling thread's connection and
 * its statement cache. Statements are constant strings (their address is
 * the cache key, so pass the same static string every time), prepared once
 * per connection and handed back reset with no bindings. Never build SQL
 * from input. */
#ifndef MH_STORE_SQLITE_EXT_H
#define MH_STORE_SQLITE_EXT_H

#include <sqlite3.h>

#include "store.h"

/* The thread's connection, or NULL (logged). */
sqlite3 *mh_sqlite_db(mh_store_t *s);
/* A ready statement for the constant sql, or NULL (logged). */
sqlite3_stmt *mh_sqlite_stmt(mh_store_t *s, const char *sql);
/* Step a statement that returns no rows and reset it: MH_OK or MH_ERR
 * (logged with what). */
int mh_sqlite_run(mh_store_t *s, sqlite3_stmt *st, const char *what);
/* Log the connection's last error with what and return MH_ERR. */
int mh_sqlite_fail(mh_store_t *s, const char *what);
/* Column text copied into the pool ("" for NULL). */
const char *mh_sqlite_text(mh_pool_t *p, sqlite3_stmt *st, int col);

#endif
