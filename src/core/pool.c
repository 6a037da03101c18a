/* Blocks are chained; large requests get a block of their own so a big
 * allocation does not waste the tail of the current block. */
#include "pool.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (16 * 1024)
#define ALIGN 16

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    mh_pool_cleanup_fn fn;
    void *data;
};

struct mh_pool {
    struct block *head;  /* current block for small allocations */
    struct block *large; /* dedicated blocks */
    struct cleanup *cleanups;
    size_t used;
    uint64_t serial;
};

static atomic_uint_fast64_t serials = 1;

static struct block *block_new(size_t size)
{
    struct block *b = mh_malloc(sizeof(*b) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

mh_pool_t *mh_pool_create(void)
{
    mh_pool_t *p = mh_calloc(1, sizeof(*p));
    p->head = block_new(BLOCK_SIZE);
    p->serial = atomic_fetch_add(&serials, 1);
    return p;
}

static void run_cleanups(mh_pool_t *p)
{
    while (p->cleanups) {
        struct cleanup *c = p->cleanups;
        p->cleanups = c->next;
        c->fn(c->data);
    }
}

static void free_chain(struct block *b)
{
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
}

void mh_pool_reset(mh_pool_t *p)
{
    run_cleanups(p);
    free_chain(p->large);
    p->large = NULL;
    /* keep the last block of the chain (the first one allocated) */
    struct block *b = p->head;
    while (b->next) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    p->head = b;
    p->used = 0;
    p->serial = atomic_fetch_add(&serials, 1);
}

void mh_pool_destroy(mh_pool_t *p)
{
    if (!p)
        return;
    run_cleanups(p);
    free_chain(p->large);
    free_chain(p->head);
    free(p);
}

void *mh_palloc(mh_pool_t *p, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n)
        mh_oom();
    p->used += need;
    if (need > BLOCK_SIZE / 4) {
        struct block *b = block_new(need);
        b->next = p->large;
        p->large = b;
        return b->data;
    }
    if (p->head->size - p->head->used < need) {
        struct block *b = block_new(BLOCK_SIZE);
        b->next = p->head;
        p->head = b;
    }
    /* A fresh block always holds a small request (need <= BLOCK_SIZE / 4). */
    assert(p->head->size - p->head->used >= need);
    void *r = p->head->data + p->head->used;
    p->head->used += need;
    return r;
}

void *mh_pcalloc(mh_pool_t *p, size_t n)
{
    void *r = mh_palloc(p, n);
    memset(r, 0, n);
    return r;
}

void *mh_pnalloc(mh_pool_t *p, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        mh_oom();
    return mh_palloc(p, n * sz);
}

char *mh_pstrndup(mh_pool_t *p, const char *s, size_t len)
{
    char *r = mh_palloc(p, len + 1);
    if (len)
        memcpy(r, s, len);
    r[len] = '\0';
    return r;
}

char *mh_pstrdup(mh_pool_t *p, const char *s)
{
    return s ? mh_pstrndup(p, s, strlen(s)) : NULL;
}

mh_str_t mh_pstr(mh_pool_t *p, mh_str_t s)
{
    return mh_str(mh_pstrndup(p, s.base, s.len), s.len);
}

char *mh_pvsprintf(mh_pool_t *p, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return mh_pstrdup(p, "");
    char *r = mh_palloc(p, (size_t)n + 1);
    vsnprintf(r, (size_t)n + 1, fmt, ap);
    return r;
}

char *mh_psprintf(mh_pool_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *r = mh_pvsprintf(p, fmt, ap);
    va_end(ap);
    return r;
}

void mh_pool_cleanup_add(mh_pool_t *p, mh_pool_cleanup_fn fn, void *data)
{
    struct cleanup *c = mh_palloc(p, sizeof(*c));
    c->fn = fn;
    c->data = data;
    c->next = p->cleanups;
    p->cleanups = c;
}

uint64_t mh_pool_serial(const mh_pool_t *p)
{
    return p->serial;
}

size_t mh_pool_used(const mh_pool_t *p)
{
    return p->used;
}
