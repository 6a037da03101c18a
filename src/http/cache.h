/* The rendered-page cache: a bounded, thread-safe LRU of finished pages
 * keyed by host and path. Each entry carries the generation of the content
 * it was rendered from; a lookup with a newer generation misses (and drops
 * the stale entry), so any content change invalidates every page at once
 * without a scan. Entries are reference-counted so a page being sent stays
 * valid while another thread evicts it. */
#ifndef MH_HTTP_CACHE_H
#define MH_HTTP_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mh_page_cache mh_page_cache_t;

typedef struct mh_cached_page {
    int status;
    char *content_type;
    char *lang;
    char *etag;     /* quoted strong ETag of body */
    char *gz_etag;  /* ETag of the gzip variant */
    char *location; /* for redirects, or NULL */
    char *body;
    size_t len;
    char *gz; /* gzip of body, or NULL when not worth it */
    size_t gz_len;
    /* Owner-defined attachments (e.g. prebuilt server responses), released
     * with attach_free when the entry dies. */
    void *attach[2];
    void (*attach_free)(void *);
    /* the hit_id of the response it was made from (mh_resp_t) */
    int64_t hit_id;
    /* What the page read (content.h, mh_content_deps_*): the owner checks
     * them on a hit; freed with the page. */
    uint64_t *deps;
    size_t ndeps;
    uint64_t deps_gen;
    /* internal */
    atomic_int refs;
    uint64_t generation;
    char *key;
    size_t key_len, hash, cost;
    struct mh_cached_page *lru_prev, *lru_next, *chain;
} mh_cached_page_t;

/* max_bytes bounds the sum of bodies, gzip variants and keys. */
mh_page_cache_t *mh_page_cache_new(size_t max_bytes);
void mh_page_cache_free(mh_page_cache_t *c);

/* A fresh entry (refs = 1) owning copies of the given strings and body. */
mh_cached_page_t *mh_cached_page_new(int status, const char *content_type, const char *lang,
                                     const char *location, const char *body, size_t len);
void mh_cached_page_release(mh_cached_page_t *p);

/* Entry for key at this generation, with a reference the caller releases;
 * NULL on a miss. */
mh_cached_page_t *mh_page_cache_get(mh_page_cache_t *c, const char *key, size_t key_len,
                                    uint64_t generation);
/* Like mh_page_cache_get, and on a miss because the entry is from an
 * older generation, *stale gets a reference to it (the caller releases it)
 * and the entry stays until it is replaced; otherwise *stale is NULL. For
 * serving the previous copy while the new one is rendered. */
mh_cached_page_t *mh_page_cache_get_or_stale(mh_page_cache_t *c, const char *key, size_t key_len,
                                             uint64_t generation, mh_cached_page_t **stale);
/* Insert (the cache takes its own reference; the caller keeps theirs).
 * Replaces an existing entry for the key. Entries larger than an eighth of
 * the cache are not kept. */
void mh_page_cache_put(mh_page_cache_t *c, const char *key, size_t key_len, uint64_t generation,
                       mh_cached_page_t *p);

typedef struct {
    size_t entries, bytes, max_bytes;
    uint64_t hits, misses, evictions;
    uint64_t stale; /* stale copies handed out by mh_page_cache_get_or_stale */
} mh_page_cache_stats_t;
void mh_page_cache_stats(mh_page_cache_t *c, mh_page_cache_stats_t *out);

#endif
