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
/* Bind a C string (NULL binds ""); the string must outlive the step. */
void mh_sqlite_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Rows of a result collected into a malloc'd scratch array (the pool has no
 * realloc) and copied into the pool at the end. */
typedef struct {
    void *items;
    size_t n, cap, size; /* size: bytes of one row; set it before use */
} mh_sqlite_rows_t;

/* A zeroed slot for the next row. */
void *mh_sqlite_rows_push(mh_sqlite_rows_t *r);
/* The rows in the pool (a valid pointer even when there are none); frees
 * the scratch array. *n receives the count. */
void *mh_sqlite_rows_finish(mh_sqlite_rows_t *r, mh_pool_t *p, size_t *n);

/* The columns every entry query selects first, in the order
 * mh_sqlite_read_entry reads them; BODY is the body column (or "NULL" for
 * lists, which leave body_html NULL). */
#define MH_SQLITE_ENTRY_COLS(BODY)                                                                 \
    "id, column_id, lang_id, translation_group, coalesce(author_id, 0), title, slug, "             \
    "summary, " BODY                                                                               \
    ", author, source, cover, seo_title, seo_keywords, seo_description, publish_at, "              \
    "created_at, updated_at, hits, status, pinned, recommended, position"
/* Fill e from the first 23 columns of a row (MH_SQLITE_ENTRY_COLS). */
void mh_sqlite_read_entry(mh_pool_t *p, sqlite3_stmt *st, mh_entry_t *e);

#endif
