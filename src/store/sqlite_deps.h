/* The change log of public content for invalidation by dependency
 * (sqlite_deps.c). */
#ifndef MH_STORE_SQLITE_DEPS_H
#define MH_STORE_SQLITE_DEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* content_changes of the store ops (store.h); after < 0 reads only the
 * counter and the newest seq (*last). */
int mh_sqlite_content_changes(mh_store_t *s, mh_pool_t *p, int64_t after, size_t max,
                              int64_t *generation, int64_t **changes, size_t *n, int64_t *first,
                              int64_t *last, bool *more);
/* Drop old rows of the log (from the server's housekeeping). */
int mh_sqlite_content_changes_trim(mh_store_t *s);

#endif
