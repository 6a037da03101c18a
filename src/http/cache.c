#include "cache.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"
#include "../core/str.h"

struct mh_page_cache {
    pthread_mutex_t lock;
    mh_cached_page_t **buckets;
    size_t nbuckets;
    mh_cached_page_t *head, *tail; /* head = most recently used */
    size_t bytes, max_bytes, entries;
    uint64_t hits, misses, evictions, stale;
};

static size_t hash_key(const char *k, size_t n)
{
    return (size_t)mh_hash64(k, n);
}

mh_page_cache_t *mh_page_cache_new(size_t max_bytes)
{
    mh_page_cache_t *c = mh_calloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->nbuckets = 4096;
    c->buckets = mh_calloc(c->nbuckets, sizeof(*c->buckets));
    c->max_bytes = max_bytes;
    return c;
}

mh_cached_page_t *mh_cached_page_new(int status, const char *content_type, const char *lang,
                                     const char *location, const char *body, size_t len)
{
    mh_cached_page_t *p = mh_calloc(1, sizeof(*p));
    p->status = status;
    p->content_type = mh_strdup(content_type ? content_type : "text/html; charset=utf-8");
    p->lang = lang ? mh_strdup(lang) : NULL;
    p->location = location ? mh_strdup(location) : NULL;
    p->body = mh_strndup(body ? body : "", len);
    p->len = len;
    atomic_init(&p->refs, 1);
    return p;
}

void mh_cached_page_release(mh_cached_page_t *p)
{
    if (!p)
        return;
    int refs = atomic_fetch_sub(&p->refs, 1);
    /* Every holder releases once: a count at 0 before this call means a
     * second release of the same reference (the page may be freed). */
    assert(refs >= 1);
    if (refs != 1)
        return;
    if (p->attach_free) {
        for (size_t i = 0; i < MH_ARRAY_LEN(p->attach); i++)
            if (p->attach[i])
                p->attach_free(p->attach[i]);
    }
    free(p->content_type);
    free(p->lang);
    free(p->etag);
    free(p->gz_etag);
    free(p->location);
    free(p->body);
    free(p->gz);
    free(p->key);
    free(p->deps);
    free(p);
}

static void lru_unlink(mh_page_cache_t *c, mh_cached_page_t *p)
{
    if (p->lru_prev)
        p->lru_prev->lru_next = p->lru_next;
    else
        c->head = p->lru_next;
    if (p->lru_next)
        p->lru_next->lru_prev = p->lru_prev;
    else
        c->tail = p->lru_prev;
    p->lru_prev = p->lru_next = NULL;
}

static void lru_push_front(mh_page_cache_t *c, mh_cached_page_t *p)
{
    p->lru_prev = NULL;
    p->lru_next = c->head;
    if (c->head)
        c->head->lru_prev = p;
    c->head = p;
    if (!c->tail)
        c->tail = p;
}

/* Remove p from the table and the LRU and drop the cache's reference. */
static void drop(mh_page_cache_t *c, mh_cached_page_t *p)
{
    mh_cached_page_t **pp = &c->buckets[p->hash % c->nbuckets];
    while (*pp && *pp != p)
        pp = &(*pp)->chain;
    assert(*pp == p); /* a page in the LRU is in its bucket too */
    if (*pp)
        *pp = p->chain;
    assert(c->bytes >= p->cost && c->entries > 0);
    lru_unlink(c, p);
    c->bytes -= p->cost;
    c->entries--;
    mh_cached_page_release(p);
}

static mh_cached_page_t *find(mh_page_cache_t *c, const char *key, size_t n, size_t h)
{
    for (mh_cached_page_t *p = c->buckets[h % c->nbuckets]; p; p = p->chain)
        if (p->hash == h && p->key_len == n && memcmp(p->key, key, n) == 0)
            return p;
    return NULL;
}

mh_cached_page_t *mh_page_cache_get(mh_page_cache_t *c, const char *key, size_t n,
                                    uint64_t generation)
{
    return mh_page_cache_get_or_stale(c, key, n, generation, NULL);
}

mh_cached_page_t *mh_page_cache_get_or_stale(mh_page_cache_t *c, const char *key, size_t n,
                                             uint64_t generation, mh_cached_page_t **stale)
{
    size_t h = hash_key(key, n);
    if (stale)
        *stale = NULL;
    pthread_mutex_lock(&c->lock);
    mh_cached_page_t *p = find(c, key, n, h);
    if (p && p->generation < generation && stale) {
        /* kept (and not moved up the LRU) until the new copy replaces it */
        atomic_fetch_add(&p->refs, 1);
        *stale = p;
        c->stale++;
        p = NULL;
    } else if (p && p->generation != generation) {
        drop(c, p);
        p = NULL;
    }
    if (p) {
        lru_unlink(c, p);
        lru_push_front(c, p);
        /* The cache holds a reference to each page it lists. */
        assert(atomic_load(&p->refs) >= 1);
        atomic_fetch_add(&p->refs, 1);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return p;
}

void mh_page_cache_put(mh_page_cache_t *c, const char *key, size_t n, uint64_t generation,
                       mh_cached_page_t *p)
{
    size_t cost = p->len + p->gz_len + n + sizeof(*p);
    assert(atomic_load(&p->refs) >= 1); /* the caller's reference */
    if (cost > c->max_bytes / 8 || p->key)
        return; /* too big to be worth it, or already in a cache */
    p->key = mh_strndup(key, n);
    p->key_len = n;
    p->hash = hash_key(key, n);
    p->generation = generation;
    p->cost = cost;
    pthread_mutex_lock(&c->lock);
    mh_cached_page_t *old = find(c, key, n, p->hash);
    if (old)
        drop(c, old);
    while (c->bytes + cost > c->max_bytes && c->tail) {
        drop(c, c->tail);
        c->evictions++;
    }
    atomic_fetch_add(&p->refs, 1);
    size_t b = p->hash % c->nbuckets;
    p->chain = c->buckets[b];
    c->buckets[b] = p;
    lru_push_front(c, p);
    c->bytes += cost;
    c->entries++;
    pthread_mutex_unlock(&c->lock);
}

void mh_page_cache_stats(mh_page_cache_t *c, mh_page_cache_stats_t *out)
{
    pthread_mutex_lock(&c->lock);
    out->entries = c->entries;
    out->bytes = c->bytes;
    out->max_bytes = c->max_bytes;
    out->hits = c->hits;
    out->misses = c->misses;
    out->evictions = c->evictions;
    out->stale = c->stale;
    pthread_mutex_unlock(&c->lock);
}

void mh_page_cache_free(mh_page_cache_t *c)
{
    if (!c)
        return;
    while (c->head)
        drop(c, c->head);
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}
