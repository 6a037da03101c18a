/* An open-addressing table (id -> views) that grows by doubling. Flushing
 * swaps the table for an empty one under the mutex and writes outside it,
 * so request threads never wait for SQLite. */
#include "hits.h"

#include <pthread.h>
#include <stdlib.h>

#include "../content/ordering.h"
#include "../core/common.h"

struct slot {
    int64_t id; /* 0: empty */
    int64_t n;
};

struct mh_hits {
    pthread_mutex_t mu;
    struct slot *v;
    size_t cap, used;
    int64_t pending;
};

#define HITS_MIN_CAP 256u

static size_t slot_of(const struct slot *v, size_t cap, int64_t id)
{
    size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (cap - 1);
    while (v[i].id && v[i].id != id)
        i = (i + 1) & (cap - 1);
    return i;
}

static void put(struct mh_hits *h, int64_t id, int64_t n)
{
    if ((h->used + 1) * 4 > h->cap * 3) {
        size_t cap = h->cap * 2;
        struct slot *v = mh_calloc(cap, sizeof(*v));
        for (size_t i = 0; i < h->cap; i++)
            if (h->v[i].id)
                v[slot_of(v, cap, h->v[i].id)] = h->v[i];
        free(h->v);
        h->v = v;
        h->cap = cap;
    }
    size_t i = slot_of(h->v, h->cap, id);
    if (!h->v[i].id) {
        h->v[i].id = id;
        h->used++;
    }
    h->v[i].n += n;
    h->pending += n;
}

mh_hits_t *mh_hits_new(void)
{
    mh_hits_t *h = mh_calloc(1, sizeof(*h));
    pthread_mutex_init(&h->mu, NULL);
    h->cap = HITS_MIN_CAP;
    h->v = mh_calloc(h->cap, sizeof(*h->v));
    return h;
}

void mh_hits_free(mh_hits_t *h)
{
    if (!h)
        return;
    pthread_mutex_destroy(&h->mu);
    free(h->v);
    free(h);
}

void mh_hits_add(mh_hits_t *h, int64_t id)
{
    if (!h || id <= 0)
        return;
    pthread_mutex_lock(&h->mu);
    put(h, id, 1);
    pthread_mutex_unlock(&h->mu);
}

int64_t mh_hits_pending(mh_hits_t *h)
{
    pthread_mutex_lock(&h->mu);
    int64_t n = h->pending;
    pthread_mutex_unlock(&h->mu);
    return n;
}

int64_t mh_hits_pending_of(mh_hits_t *h, int64_t id)
{
    int64_t n = 0;
    if (!h || id <= 0)
        return 0;
    pthread_mutex_lock(&h->mu);
    size_t i = slot_of(h->v, h->cap, id);
    if (h->v[i].id == id)
        n = h->v[i].n;
    pthread_mutex_unlock(&h->mu);
    return n;
}

int mh_hits_flush(mh_hits_t *h, mh_content_t *c)
{
    return mh_hits_flush_with(h, c, mh_ordering_hits_add);
}

int mh_hits_flush_with(mh_hits_t *h, mh_content_t *c, mh_hits_writer_fn write)
{
    struct slot *fresh = mh_calloc(HITS_MIN_CAP, sizeof(*fresh));
    pthread_mutex_lock(&h->mu);
    struct slot *v = h->v;
    size_t cap = h->cap, used = h->used;
    h->v = fresh;
    h->cap = HITS_MIN_CAP;
    h->used = 0;
    h->pending = 0;
    pthread_mutex_unlock(&h->mu);

    int rc = MH_OK;
    int64_t *ids = NULL, *counts = NULL;
    size_t n = 0;
    if (used == 0)
        goto done;
    ids = mh_calloc(used, sizeof(*ids));
    counts = mh_calloc(used, sizeof(*counts));
    for (size_t i = 0; i < cap; i++)
        if (v[i].id) {
            ids[n] = v[i].id;
            counts[n++] = v[i].n;
        }
    rc = write(c, ids, counts, n);
    if (rc != MH_OK) { /* keep them for the next flush */
        pthread_mutex_lock(&h->mu);
        for (size_t i = 0; i < n; i++)
            put(h, ids[i], counts[i]);
        pthread_mutex_unlock(&h->mu);
    }
done:
    free(ids);
    free(counts);
    free(v);
    return rc;
}
