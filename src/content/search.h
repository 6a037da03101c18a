/* Full-text search for the site and the command line. The index itself is
 * kept right by the store in the transaction of every write (store/search.h);
 * this layer runs searches, indexes entries whose publish time has come and
 * what other programs queued (mh_editorial_tick calls mh_content_search_due
 * and mh_content_search_flush), and rebuilds the index. */
#ifndef MH_CONTENT_SEARCH_H
#define MH_CONTENT_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "../search/search.h"
#include "content.h"

/* One page of results: q.match is the output of mh_search_query; the hits'
 * title and snippet are safe HTML. MH_OK or MH_ERR. */
int mh_content_search(mh_content_t *c, mh_pool_t *p, const mh_search_params_t *q,
                      mh_search_hit_t **hits, size_t *n, size_t *total);

/* Index entries whose publish time fell in (since, now] (published ones
 * with a future time that no write touched when it came), in a write
 * transaction of their own or the caller's. MH_OK or MH_ERR. */
int mh_content_search_due(mh_content_t *c, int64_t since, int64_t now);

/* Index what other programs (a sqlite3 shell) queued by their writes:
 * masthead's own writes are indexed before they commit. The scheduler's
 * tick calls it. MH_OK or MH_ERR. */
int mh_content_search_flush(mh_content_t *c);

/* Progress of a rebuild: done of total entries looked at. */
typedef void (*mh_content_search_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Empty the index and index every public entry again in one transaction,
 * then merge its segments. *indexed receives the number of rows indexed. */
int mh_content_search_rebuild(mh_content_t *c, mh_content_search_progress_fn fn, void *ctx,
                              int64_t *indexed);

#endif
