/* Login throttle: a fixed pool of entries, a chained hash index over it and
 * a least-recently-failed list, all linked by array index so the memory is
 * allocated once, at creation. */
#include "throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "password.h"

#define ID_BYTES 16
#define NONE (-1)
/* How many entries from the old end of the list eviction looks at. */
#define EVICT_WINDOW 8

typedef struct {
    unsigned char id[ID_BYTES];
    uint32_t failures;
    int64_t last_fail;
    int64_t locked_until;
    int32_t prev, next; /* recency list; head = most recent failure */
    int32_t hnext;      /* hash chain, or free list when unused */
} entry_t;

struct mh_throttle {
    pthread_mutex_t mu;
    mh_throttle_config_t cfg;
    unsigned char hkey[crypto_generichash_KEYBYTES];
    entry_t *e;
    int32_t *bucket;
    size_t nbucket; /* power of two */
    size_t used;
    int32_t head, tail, free;
};

mh_throttle_t *mh_throttle_new(const mh_throttle_config_t *cfg)
{
    mh_throttle_t *t;

    if (mh_password_init() != MH_OK)
        return NULL;
    t = mh_calloc(1, sizeof *t);
    if (cfg)
        t->cfg = *cfg;
    if (t->cfg.capacity == 0)
        t->cfg.capacity = MH_THROTTLE_DEFAULT_CAPACITY;
    if (t->cfg.capacity > INT32_MAX / 2)
        t->cfg.capacity = INT32_MAX / 2;
    if (t->cfg.free_attempts == 0)
        t->cfg.free_attempts = MH_THROTTLE_DEFAULT_FREE;
    if (t->cfg.base_delay <= 0)
        t->cfg.base_delay = MH_THROTTLE_DEFAULT_BASE;
    if (t->cfg.max_delay <= 0)
        t->cfg.max_delay = MH_THROTTLE_DEFAULT_MAX;
    if (t->cfg.max_delay < t->cfg.base_delay)
        t->cfg.max_delay = t->cfg.base_delay;
    if (t->cfg.decay <= 0)
        t->cfg.decay = MH_THROTTLE_DEFAULT_DECAY;
    if (t->cfg.decay < t->cfg.max_delay)
        t->cfg.decay = t->cfg.max_delay;

    pthread_mutex_init(&t->mu, NULL);
    randombytes_buf(t->hkey, sizeof t->hkey);
    t->e = mh_calloc(t->cfg.capacity, sizeof *t->e);
    t->nbucket = 1;
    while (t->nbucket < t->cfg.capacity)
        t->nbucket <<= 1;
    t->bucket = mh_malloc(t->nbucket * sizeof *t->bucket);
    for (size_t i = 0; i < t->nbucket; i++)
        t->bucket[i] = NONE;
    for (size_t i = 0; i < t->cfg.capacity; i++)
        t->e[i].hnext = i + 1 < t->cfg.capacity ? (int32_t)(i + 1) : NONE;
    t->free = 0;
    t->head = t->tail = NONE;
    return t;
}

void mh_throttle_free(mh_throttle_t *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    sodium_memzero(t->hkey, sizeof t->hkey);
    free(t->e);
    free(t->bucket);
    free(t);
}

static void key_id(const mh_throttle_t *t, mh_str_t key, unsigned char id[ID_BYTES])
{
    crypto_generichash(id, ID_BYTES, (const unsigned char *)(key.base ? key.base : ""), key.len,
                       t->hkey, sizeof t->hkey);
}

static size_t bucket_of(const mh_throttle_t *t, const unsigned char id[ID_BYTES])
{
    uint64_t h;
    memcpy(&h, id, sizeof h);
    return (size_t)(h & (t->nbucket - 1));
}

static int32_t find(const mh_throttle_t *t, const unsigned char id[ID_BYTES])
{
    for (int32_t i = t->bucket[bucket_of(t, id)]; i != NONE; i = t->e[i].hnext)
        if (memcmp(t->e[i].id, id, ID_BYTES) == 0)
            return i;
    return NONE;
}

static void list_unlink(mh_throttle_t *t, int32_t i)
{
    entry_t *x = &t->e[i];
    if (x->prev != NONE)
        t->e[x->prev].next = x->next;
    else
        t->head = x->next;
    if (x->next != NONE)
        t->e[x->next].prev = x->prev;
    else
        t->tail = x->prev;
    x->prev = x->next = NONE;
}

static void list_push_head(mh_throttle_t *t, int32_t i)
{
    entry_t *x = &t->e[i];
    x->prev = NONE;
    x->next = t->head;
    if (t->head != NONE)
        t->e[t->head].prev = i;
    t->head = i;
    if (t->tail == NONE)
        t->tail = i;
}

static void remove_entry(mh_throttle_t *t, int32_t i)
{
    int32_t *link = &t->bucket[bucket_of(t, t->e[i].id)];
    while (*link != i)
        link = &t->e[*link].hnext;
    *link = t->e[i].hnext;
    list_unlink(t, i);
    memset(&t->e[i], 0, sizeof t->e[i]);
    t->e[i].hnext = t->free;
    t->free = i;
    t->used--;
}

static bool forgotten(const mh_throttle_t *t, const entry_t *x, int64_t now)
{
    return now >= x->locked_until && now - x->last_fail >= t->cfg.decay;
}

/* Choose the entry a new key replaces: the first forgotten one near the old
 * end of the list, else the one there with the fewest failures, preferring
 * unlocked ones; ties go to the older. */
static int32_t victim(const mh_throttle_t *t, int64_t now)
{
    int32_t best = NONE;
    int n = 0;

    for (int32_t i = t->tail; i != NONE && n < EVICT_WINDOW; i = t->e[i].prev, n++) {
        const entry_t *x = &t->e[i];
        if (forgotten(t, x, now))
            return i;
        if (best == NONE) {
            best = i;
            continue;
        }
        const entry_t *b = &t->e[best];
        bool xl = now < x->locked_until, bl = now < b->locked_until;
        if ((xl ? 1 : 0) < (bl ? 1 : 0) || (xl == bl && x->failures < b->failures))
            best = i;
    }
    return best;
}

/* Look key up, dropping it if it has decayed. */
static int32_t lookup(mh_throttle_t *t, const unsigned char id[ID_BYTES], int64_t now)
{
    int32_t i = find(t, id);
    if (i != NONE && forgotten(t, &t->e[i], now)) {
        remove_entry(t, i);
        i = NONE;
    }
    return i;
}

int mh_throttle_check(mh_throttle_t *t, mh_str_t key, int64_t now, int64_t *retry_after)
{
    unsigned char id[ID_BYTES];
    int64_t wait = 0;

    key_id(t, key, id);
    pthread_mutex_lock(&t->mu);
    int32_t i = lookup(t, id, now);
    if (i != NONE && now < t->e[i].locked_until) {
        wait = t->e[i].locked_until - now;
        /* A clock that stepped back must not stretch a lock past the cap. */
        if (wait > t->cfg.max_delay)
            wait = t->cfg.max_delay;
    }
    pthread_mutex_unlock(&t->mu);
    if (retry_after)
        *retry_after = wait;
    return wait > 0 ? MH_DECLINED : MH_OK;
}

static int64_t delay_for(const mh_throttle_t *t, uint32_t failures)
{
    if (failures <= t->cfg.free_attempts)
        return 0;
    uint32_t doublings = failures - t->cfg.free_attempts - 1;
    int64_t d = t->cfg.base_delay;
    while (doublings-- > 0 && d < t->cfg.max_delay)
        d *= 2;
    return d < t->cfg.max_delay ? d : t->cfg.max_delay;
}

int64_t mh_throttle_fail(mh_throttle_t *t, mh_str_t key, int64_t now)
{
    unsigned char id[ID_BYTES];
    int64_t d;

    key_id(t, key, id);
    pthread_mutex_lock(&t->mu);
    int32_t i = lookup(t, id, now);
    if (i == NONE) {
        if (t->free == NONE)
            remove_entry(t, victim(t, now));
        i = t->free;
        t->free = t->e[i].hnext;
        entry_t *x = &t->e[i];
        memcpy(x->id, id, ID_BYTES);
        size_t b = bucket_of(t, id);
        x->hnext = t->bucket[b];
        t->bucket[b] = i;
        x->prev = x->next = NONE;
        t->used++;
    } else {
        list_unlink(t, i);
    }
    list_push_head(t, i);
    entry_t *x = &t->e[i];
    if (x->failures < UINT32_MAX)
        x->failures++;
    x->last_fail = now;
    d = delay_for(t, x->failures);
    if (d > 0)
        x->locked_until = now + d;
    pthread_mutex_unlock(&t->mu);
    return d;
}

void mh_throttle_success(mh_throttle_t *t, mh_str_t key)
{
    unsigned char id[ID_BYTES];

    key_id(t, key, id);
    pthread_mutex_lock(&t->mu);
    int32_t i = find(t, id);
    if (i != NONE)
        remove_entry(t, i);
    pthread_mutex_unlock(&t->mu);
}

unsigned mh_throttle_failures(mh_throttle_t *t, mh_str_t key, int64_t now)
{
    unsigned char id[ID_BYTES];
    unsigned n = 0;

    key_id(t, key, id);
    pthread_mutex_lock(&t->mu);
    int32_t i = lookup(t, id, now);
    if (i != NONE)
        n = t->e[i].failures;
    pthread_mutex_unlock(&t->mu);
    return n;
}

size_t mh_throttle_count(mh_throttle_t *t)
{
    size_t n;
    pthread_mutex_lock(&t->mu);
    n = t->used;
    pthread_mutex_unlock(&t->mu);
    return n;
}
