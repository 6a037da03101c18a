/* Generation memo (see memo.h): a chained hash table behind one mutex.
 * Lookups are short (a hash, a bucket walk, a memcmp), so two or a few
 * server threads rarely wait on each other; the database work of a miss
 * runs outside the lock. */
#include "memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct item {
    struct item *next;
    uint64_t hash;
    size_t keylen;
    const char *key;
    const void *val;
};

struct mh_memo {
    pthread_mutex_t lock;
    mh_pool_t *pool; /* keys, items and values; grows only under lock */
    struct item **buckets;
    size_t nbuckets, count, budget;
};

void mh_memo_key_init(mh_memo_key_t *k, mh_pool_t *p, char kind)
{
    k->pool = p;
    k->cap = 64;
    k->buf = mh_palloc(p, k->cap);
    k->buf[0] = kind;
    k->len = 1;
}

static void key_add(mh_memo_key_t *k, const void *b, size_t n)
{
    if (k->len + n > k->cap) {
        size_t cap = k->cap;
        while (k->len + n > cap)
            cap *= 2;
        char *nb = mh_palloc(k->pool, cap);
        memcpy(nb, k->buf, k->len);
        k->buf = nb;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, b, n);
    k->len += n;
}

void mh_memo_key_i64(mh_memo_key_t *k, int64_t v)
{
    key_add(k, &v, sizeof(v));
}

void mh_memo_key_str(mh_memo_key_t *k, const char *s)
{
    uint64_t n = s ? (uint64_t)strlen(s) : UINT64_MAX;
    key_add(k, &n, sizeof(n));
    if (s)
        key_add(k, s, (size_t)n);
}

mh_memo_t *mh_memo_new(size_t budget)
{
    mh_memo_t *m = mh_calloc(1, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    m->pool = mh_pool_create();
    m->nbuckets = 64;
    m->buckets = mh_calloc(m->nbuckets, sizeof(*m->buckets));
    m->budget = budget;
    return m;
}

void mh_memo_free(mh_memo_t *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    mh_pool_destroy(m->pool);
    free(m->buckets);
    free(m);
}

static struct item *find(const mh_memo_t *m, const mh_memo_key_t *k, uint64_t h)
{
    for (struct item *it = m->buckets[h & (m->nbuckets - 1)]; it; it = it->next)
        if (it->hash == h && it->keylen == k->len && memcmp(it->key, k->buf, k->len) == 0)
            return it;
    return NULL;
}

const void *mh_memo_get(mh_memo_t *m, const mh_memo_key_t *key)
{
    uint64_t h = mh_hash64(key->buf, key->len);
    pthread_mutex_lock(&m->lock);
    struct item *it = find(m, key, h);
    const void *v = it ? it->val : NULL;
    pthread_mutex_unlock(&m->lock);
    return v;
}

static void grow(mh_memo_t *m)
{
    size_t n = m->nbuckets * 2;
    struct item **b = mh_calloc(n, sizeof(*b));
    for (size_t i = 0; i < m->nbuckets; i++) {
        for (struct item *it = m->buckets[i], *next; it; it = next) {
            next = it->next;
            it->next = b[it->hash & (n - 1)];
            b[it->hash & (n - 1)] = it;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = n;
}

const void *mh_memo_put(mh_memo_t *m, const mh_memo_key_t *key, mh_memo_copy_fn copy,
                        const void *src)
{
    uint64_t h = mh_hash64(key->buf, key->len);
    const void *v = NULL;
    pthread_mutex_lock(&m->lock);
    struct item *it = find(m, key, h);
    if (it) {
        v = it->val;
    } else if (mh_pool_used(m->pool) < m->budget) {
        it = mh_palloc(m->pool, sizeof(*it));
        it->hash = h;
        it->keylen = key->len;
        it->key = mh_pstrndup(m->pool, key->buf, key->len);
        it->val = v = copy(m->pool, src);
        it->next = m->buckets[h & (m->nbuckets - 1)];
        m->buckets[h & (m->nbuckets - 1)] = it;
        if (++m->count > m->nbuckets)
            grow(m);
    }
    pthread_mutex_unlock(&m->lock);
    return v;
}

void mh_memo_stats(mh_memo_t *m, size_t *count, size_t *bytes)
{
    pthread_mutex_lock(&m->lock);
    *count = m->count;
    *bytes = mh_pool_used(m->pool);
    pthread_mutex_unlock(&m->lock);
}
