/* Store operations of full-text search (src/search is the index itself).
 *
 * The SQLite backend keeps the index right in the transaction of every
 * write: triggers (migration "search: the queue" in migrations.c) note in
 * search_queue every entry whose text or public status may have changed
 * (a column's change as minus its id), and masthead's commit indexes the
 * queue just before COMMIT (mh_sqlite_search_flush): an entry is in the
 * index when it is public (published or scheduled, publish_at <= now, not
 * in the bin, its column and every ancestor visible), with its title,
 * summary, body text and custom field values. Writes by other programs
 * (a sqlite3 shell) are queued too and indexed by the next flush (the
 * scheduler's tick). Same rules as store.h. */
#ifndef MH_STORE_SEARCH_H
#define MH_STORE_SEARCH_H

#include <stdbool.h>

#include "../search/search.h"
#include "store.h"

/* Called every so many entries during a rebuild: done of total. */
typedef void (*mh_store_search_progress_fn)(void *ctx, int64_t done, int64_t total);

struct mh_store_search_ops {
    /* One page of results (mh_search_run). */
    int (*run)(mh_store_t *s, mh_pool_t *p, const mh_search_params_t *q, mh_search_hit_t **hits,
               size_t *n, size_t *total);
    /* Index the entries whose publish time fell in (since, now]: the ones
     * no write touched when they went live. In the caller's transaction. */
    int (*sync_due)(mh_store_t *s, int64_t since, int64_t now);
    /* Is anything queued (written by another program since)? */
    int (*pending)(mh_store_t *s, bool *pending);
    /* Index the queue, in the caller's transaction; *n (may be NULL)
     * receives the number of queue rows handled. */
    int (*flush)(mh_store_t *s, int64_t *n);
    /* Empty the index and index every public entry again, in the caller's
     * transaction; *indexed receives the number of entries indexed. */
    int (*rebuild)(mh_store_t *s, mh_store_search_progress_fn fn, void *ctx, int64_t *indexed);
    /* Merge the index's segments (after a rebuild, outside a transaction). */
    int (*optimize)(mh_store_t *s);
};

extern const struct mh_store_search_ops mh_store_sqlite_search;

/* SQLite: register the tokenizer and mh_search_flush() on a new
 * connection (sqlite.c calls it next to the pragmas). MH_OK or MH_ERR. */
struct sqlite3;
int mh_sqlite_search_register(struct sqlite3 *db);
/* Index the queue on db inside its transaction (sqlite.c's commit calls it
 * before COMMIT). *n (may be NULL) gets the number of rows handled. */
int mh_sqlite_search_flush(struct sqlite3 *db, int64_t *n);

#endif
