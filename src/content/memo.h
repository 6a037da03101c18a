/* A memo of read results for one content generation: values stored under
 * byte-string keys, shared by all threads, never changed once stored and
 * freed all together with the memo. The content snapshot owns one, so the
 * public site reads an entry, its neighbours, its translations or a list
 * from the database once per generation instead of once per request.
 *
 * Memory is bounded: once the values stored take budget bytes, further puts
 * store nothing (the caller keeps its own result), until the next
 * generation starts a new memo. */
#ifndef MH_CONTENT_MEMO_H
#define MH_CONTENT_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"

typedef struct mh_memo mh_memo_t;

/* A key under construction, allocated from a request pool. */
typedef struct {
    mh_pool_t *pool;
    char *buf;
    size_t len, cap;
} mh_memo_key_t;

void mh_memo_key_init(mh_memo_key_t *k, mh_pool_t *p, char kind);
void mh_memo_key_i64(mh_memo_key_t *k, int64_t v);
/* Length-prefixed, so ("ab", "c") and ("a", "bc") differ; NULL differs
 * from "". */
void mh_memo_key_str(mh_memo_key_t *k, const char *s);

/* Deep-copy src into pool (the memo's): the value to store. */
typedef void *(*mh_memo_copy_fn)(mh_pool_t *pool, const void *src);

mh_memo_t *mh_memo_new(size_t budget);
void mh_memo_free(mh_memo_t *m);
/* The value stored under key, or NULL. */
const void *mh_memo_get(mh_memo_t *m, const mh_memo_key_t *key);
/* Store copy(src) under key, unless the budget is spent. Returns the stored
 * value (the one already there if another thread stored it first), or NULL
 * when nothing was stored. */
const void *mh_memo_put(mh_memo_t *m, const mh_memo_key_t *key, mh_memo_copy_fn copy,
                        const void *src);
/* Values stored and bytes they take, for tests and logs. */
void mh_memo_stats(mh_memo_t *m, size_t *count, size_t *bytes);

#endif
