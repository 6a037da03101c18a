/* Renumbering the whole column on every move keeps positions dense and
 * unique, so old rows that all share position 0 (ordered by id until the
 * first move) get a stable order the first time an editor touches it. */
#include "ordering.h"

#include "../core/pool.h"
#include "../store/editorial.h"
#include "editorial.h"

static const struct mh_store_editorial_ops *ed(mh_content_t *c)
{
    return mh_content_store(c)->ops->editorial;
}

int mh_ordering_entry_move(mh_content_t *c, int64_t entry_id, int dir)
{
    mh_pool_t *p = mh_pool_create();
    mh_entry_t e, *all = NULL;
    int64_t deleted_at = 0;
    size_t n = 0, me = 0;
    bool found = false;
    int rc = ed(c)->entry_get(mh_content_store(c), p, entry_id, &e, &deleted_at);
    if (rc != MH_OK)
        goto done;
    rc = MH_DECLINED;
    if (deleted_at)
        goto done;
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = ed(c)->column_order(mh_content_store(c), p, e.column_id, &all, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        if (all[i].id == entry_id) {
            me = i;
            found = true;
        }
    if (rc == MH_OK && (!found || (dir < 0 ? me == 0 : me + 1 >= n)))
        rc = MH_DECLINED;
    if (rc == MH_OK) {
        size_t other = dir < 0 ? me - 1 : me + 1;
        mh_entry_t t = all[me];
        all[me] = all[other];
        all[other] = t;
        for (size_t i = 0; i < n && rc == MH_OK; i++)
            if (all[i].position != (int)i)
                rc = ed(c)->entry_set_position(mh_content_store(c), all[i].id, (int)i);
    }
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_ordering_hits_add(mh_content_t *c, const int64_t *ids, const int64_t *counts, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        rc = ed(c)->entry_hits_add(mh_content_store(c), ids[i], counts[i]);
        if (rc == MH_DECLINED) /* deleted since it was viewed */
            rc = MH_OK;
    }
    return mh_content_tx_end(c, rc);
}
