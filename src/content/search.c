/* Search for the site and the command line: thin, because the store keeps
 * the index itself (see store/sqlite_search.c for why triggers). */
#include "search.h"

#include <stdbool.h>

#include "../store/search.h"

static const struct mh_store_search_ops *sops(mh_content_t *c, mh_store_t **s)
{
    *s = mh_content_store(c);
    return (*s)->ops->search;
}

int mh_content_search(mh_content_t *c, mh_pool_t *p, const mh_search_params_t *q,
                      mh_search_hit_t **hits, size_t *n, size_t *total)
{
    mh_store_t *s;
    return sops(c, &s)->run(s, p, q, hits, n, total);
}

int mh_content_search_due(mh_content_t *c, int64_t since, int64_t now)
{
    mh_store_t *s;
    const struct mh_store_search_ops *o = sops(c, &s);
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return mh_content_tx_end(c, o->sync_due(s, since, now));
}

int mh_content_search_flush(mh_content_t *c)
{
    mh_store_t *s;
    const struct mh_store_search_ops *o = sops(c, &s);
    bool pending = false;
    int64_t n = 0;
    /* the common case, nothing queued, costs one read and no transaction */
    if (o->pending(s, &pending) != MH_OK)
        return MH_ERR;
    if (!pending)
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    /* No new generation here: the other program's write moved the counter
     * itself if it changed public content (the server's poll, just before
     * the tick, saw it), and one that did not is, by design, not noticed
     * (docs/internals/caching.md). A results page rendered between that
     * poll and this flush can keep old results until the next write. */
    return mh_content_tx_end(c, o->flush(s, &n));
}

int mh_content_search_rebuild(mh_content_t *c, mh_content_search_progress_fn fn, void *ctx,
                              int64_t *indexed)
{
    mh_store_t *s;
    const struct mh_store_search_ops *o = sops(c, &s);
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    rc = mh_content_tx_end(c, o->rebuild(s, fn, ctx, indexed));
    /* merging outside the transaction: a failure leaves a correct index */
    if (rc == MH_OK)
        o->optimize(s);
    return rc;
}
