/* Store operations of full-text search (src/search is the index itself).
 *
 * The SQLite backend keeps the index right with triggers (migration
 * "search triggers" in migrations.c): every write of an entry, of its
 * custom field values or of a column's visibility calls the SQL function
 * mh_search_sync(entry_id) (or mh_search_sync_column(column_id)), which
 * this backend registers on every connection together with the tokenizer.
 * The function reads the entry as it now is and puts it in the index when
 * it is public (published or scheduled, publish_at <= now, not in the bin,
 * its column and every ancestor visible), else removes it, in the
 * transaction of the write. Same rules as store.h. */
#ifndef MH_STORE_SEARCH_H
#define MH_STORE_SEARCH_H

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
    /* Empty the index and index every public entry again, in the caller's
     * transaction; *indexed receives the number of entries indexed. */
    int (*rebuild)(mh_store_t *s, mh_store_search_progress_fn fn, void *ctx, int64_t *indexed);
    /* Merge the index's segments (after a rebuild, outside a transaction). */
    int (*optimize)(mh_store_t *s);
};

extern const struct mh_store_search_ops mh_store_sqlite_search;

/* SQLite: register the tokenizer and the sync functions on a new
 * connection (sqlite.c calls it next to the pragmas). MH_OK or MH_ERR. */
struct sqlite3;
int mh_sqlite_search_register(struct sqlite3 *db);

#endif
