/* Login throttling in memory. One mh_throttle_t is one table keyed by a
 * string; a login uses two, one keyed by client IP and one by account name
 * (normalised by the caller, e.g. lower-cased), and refuses the attempt if
 * either is locked:
 *
 *     int64_t wait_ip, wait_user;
 *     if (mh_throttle_check(by_ip, ip, now, &wait_ip) != MH_OK ||
 *         mh_throttle_check(by_user, name, now, &wait_user) != MH_OK)
 *         -> answer 429 with Retry-After: max(wait_ip, wait_user), no hashing
 *     else if password verifies
 *         -> mh_throttle_success(by_user, name) (and by_ip, if wanted)
 *     else
 *         -> mh_throttle_fail(by_ip, ip, now); mh_throttle_fail(by_user, name, now)
 *
 * A key gets free_attempts failures; each failure after that locks it for
 * base_delay, then twice as long, and so on up to max_delay. A key with no
 * failure for decay seconds (and not locked) is forgotten. Time is passed in
 * as whole seconds from a clock that does not jump backwards (e.g.
 * CLOCK_MONOTONIC), which also keeps the tables testable without sleeping.
 *
 * Memory is fixed at creation: at most capacity entries of about 64 bytes,
 * whatever the number of keys seen. When the table is full, a new key
 * replaces a forgotten entry or, failing that, the entry with the fewest
 * failures among the 8 least recently failed ones, so a flood of new keys
 * pushes out idle entries before locked ones. Keys are stored only as a
 * keyed BLAKE2b digest (random key per table), so neither their text nor
 * their bucket is predictable from outside.
 *
 * Every function is thread-safe (one mutex per table). */
#ifndef MH_AUTH_THROTTLE_H
#define MH_AUTH_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/common.h"
#include "../core/str.h"

typedef struct mh_throttle mh_throttle_t;

typedef struct {
    size_t capacity;        /* entries; default 4096 */
    unsigned free_attempts; /* failures before the first delay; default 5 */
    int64_t base_delay;     /* seconds of the first delay; default 1 */
    int64_t max_delay;      /* cap on one delay, seconds; default 900 (15 min) */
    int64_t decay;          /* quiet seconds before a key is forgotten; default 3600,
                               raised to max_delay if smaller */
} mh_throttle_config_t;

#define MH_THROTTLE_DEFAULT_CAPACITY 4096
#define MH_THROTTLE_DEFAULT_FREE 5
#define MH_THROTTLE_DEFAULT_BASE 1
#define MH_THROTTLE_DEFAULT_MAX 900
#define MH_THROTTLE_DEFAULT_DECAY 3600

/* A new table. cfg may be NULL, and any zero field takes its default.
 * Returns NULL only if libsodium cannot be initialised. */
mh_throttle_t *mh_throttle_new(const mh_throttle_config_t *cfg);
void mh_throttle_free(mh_throttle_t *t);

/* May an attempt for key go ahead at time now? Returns MH_OK (allowed,
 * *retry_after = 0) or MH_DECLINED (locked; *retry_after = seconds until
 * the lock ends, at least 1). retry_after may be NULL. Does not count as an
 * attempt. */
int mh_throttle_check(mh_throttle_t *t, mh_str_t key, int64_t now, int64_t *retry_after);

/* Record a failed attempt for key at time now; may start or extend a lock.
 * Returns the seconds the key is now locked for (0 while free attempts
 * remain). */
int64_t mh_throttle_fail(mh_throttle_t *t, mh_str_t key, int64_t now);

/* Forget key (after a successful login). */
void mh_throttle_success(mh_throttle_t *t, mh_str_t key);

/* Failures currently counted for key at time now (0 if unknown or decayed). */
unsigned mh_throttle_failures(mh_throttle_t *t, mh_str_t key, int64_t now);

/* Entries held (never more than the capacity). */
size_t mh_throttle_count(mh_throttle_t *t);

#endif
