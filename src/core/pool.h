/* Per-request arena. Everything allocated from a pool is freed together by
 * mh_pool_destroy(); non-memory resources register a cleanup that runs then
 * (in reverse order of registration). */
#ifndef MH_CORE_POOL_H
#define MH_CORE_POOL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "str.h"

typedef struct mh_pool mh_pool_t;

mh_pool_t *mh_pool_create(void);
void mh_pool_destroy(mh_pool_t *pool);
/* Frees everything but keeps the first block for reuse. */
void mh_pool_reset(mh_pool_t *pool);

/* Aligned to 16 bytes; never NULL (OOM aborts). */
void *mh_palloc(mh_pool_t *pool, size_t n);
void *mh_pcalloc(mh_pool_t *pool, size_t n);
/* Allocate an array of n elements of size sz, checking n*sz for overflow. */
void *mh_pnalloc(mh_pool_t *pool, size_t n, size_t sz);
char *mh_pstrdup(mh_pool_t *pool, const char *s);
/* Copy len bytes and add a NUL. */
char *mh_pstrndup(mh_pool_t *pool, const char *s, size_t len);
mh_str_t mh_pstr(mh_pool_t *pool, mh_str_t s);
char *mh_psprintf(mh_pool_t *pool, const char *fmt, ...) MH_PRINTF(2, 3);
char *mh_pvsprintf(mh_pool_t *pool, const char *fmt, va_list ap);

typedef void (*mh_pool_cleanup_fn)(void *data);
void mh_pool_cleanup_add(mh_pool_t *pool, mh_pool_cleanup_fn fn, void *data);

/* Changes at every create and reset, never repeats: lets a cache tell one
 * use of a recycled pool from the next. */
uint64_t mh_pool_serial(const mh_pool_t *pool);

/* Bytes handed out so far (for tests and limits). */
size_t mh_pool_used(const mh_pool_t *pool);

#endif
