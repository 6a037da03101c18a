/* Per-entry counts (entry views; downloads) kept in memory between flushes: a request thread only
 * adds to a table under a mutex; the site module's tick writes the sums in
 * one transaction every MH_HITS_FLUSH_SECONDS and at shutdown. A crash
 * loses at most the views since the last flush. */
#ifndef MH_SITE_HITS_H
#define MH_SITE_HITS_H

#include <stddef.h>
#include <stdint.h>

#include "../content/content.h"

#define MH_HITS_FLUSH_SECONDS 5

typedef struct mh_hits mh_hits_t;

mh_hits_t *mh_hits_new(void);
/* Free the table (without flushing; call mh_hits_flush first). */
void mh_hits_free(mh_hits_t *h);
/* One view of entry id (> 0). Never touches the database. */
void mh_hits_add(mh_hits_t *h, int64_t id);
/* Views counted and not yet flushed (all entries). */
int64_t mh_hits_pending(mh_hits_t *h);
/* Write the counted views (hits += n per entry) in one transaction and
 * forget them; on a failed write they are kept for the next flush. */
int mh_hits_flush(mh_hits_t *h, mh_content_t *c);

/* The same table counts other things per entry (downloads): a writer adds
 * counts[i] to ids[i] for i < n in one transaction (mh_ordering_hits_add,
 * mh_portal_downloads_add). */
typedef int (*mh_hits_writer_fn)(mh_content_t *c, const int64_t *ids, const int64_t *counts,
                                 size_t n);
/* mh_hits_flush with another writer. */
int mh_hits_flush_with(mh_hits_t *h, mh_content_t *c, mh_hits_writer_fn write);
/* The count of id not yet flushed (0 if none). */
int64_t mh_hits_pending_of(mh_hits_t *h, int64_t id);

#endif
