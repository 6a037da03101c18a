/* Login throttle: free attempts, growing delays, independence of keys and
 * tables, reset, decay, the memory bound, and use from several threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>

#include <cmocka.h>

#include "auth/throttle.h"

#define K(x) MH_STR_LIT(x)

static mh_throttle_t *new_table(size_t capacity)
{
    mh_throttle_config_t cfg = {
        .capacity = capacity, .free_attempts = 5, .base_delay = 1, .max_delay = 900, .decay = 3600};
    mh_throttle_t *t = mh_throttle_new(&cfg);
    assert_non_null(t);
    return t;
}

static void test_free_attempts_then_growing_delays(void **state)
{
    mh_throttle_t *t = new_table(64);
    int64_t now = 1000, wait = -1;

    for (int i = 0; i < 5; i++) {
        assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now, &wait), MH_OK);
        assert_int_equal(wait, 0);
        assert_int_equal(mh_throttle_fail(t, K("10.0.0.1"), now), 0);
    }
    assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now, &wait), MH_OK);
    assert_int_equal(mh_throttle_failures(t, K("10.0.0.1"), now), 5);

    /* Each further failure doubles the lock: 1, 2, 4 ... 512, then 900. */
    int64_t want = 1;
    for (int i = 0; i < 12; i++) {
        int64_t d = mh_throttle_fail(t, K("10.0.0.1"), now);
        assert_int_equal(d, want);
        assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now, &wait), MH_DECLINED);
        assert_int_equal(wait, want);
        /* Still locked just before the end, free at the end. */
        if (want > 1) {
            assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now + want - 1, &wait),
                             MH_DECLINED);
            assert_int_equal(wait, 1);
        }
        now += want;
        assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now, &wait), MH_OK);
        assert_int_equal(wait, 0);
        want = want * 2 > 900 ? 900 : want * 2;
    }
    assert_int_equal(mh_throttle_fail(t, K("10.0.0.1"), now), 900);
    assert_int_equal(mh_throttle_failures(t, K("10.0.0.1"), now), 18);
    /* retry_after is optional. */
    assert_int_equal(mh_throttle_check(t, K("10.0.0.1"), now, NULL), MH_DECLINED);
    mh_throttle_free(t);
}

static void test_check_is_not_an_attempt(void **state)
{
    mh_throttle_t *t = new_table(64);
    for (int i = 0; i < 100; i++)
        assert_int_equal(mh_throttle_check(t, K("alice"), 5, NULL), MH_OK);
    assert_int_equal(mh_throttle_failures(t, K("alice"), 5), 0);
    assert_int_equal(mh_throttle_count(t), 0);
    mh_throttle_free(t);
}

static void test_keys_and_tables_independent(void **state)
{
    mh_throttle_t *by_ip = new_table(64), *by_user = new_table(64);
    int64_t wait;

    for (int i = 0; i < 8; i++) {
        mh_throttle_fail(by_ip, K("192.0.2.7"), 100);
        mh_throttle_fail(by_user, K("admin"), 100);
    }
    assert_int_equal(mh_throttle_check(by_ip, K("192.0.2.7"), 100, &wait), MH_DECLINED);
    assert_int_equal(mh_throttle_check(by_user, K("admin"), 100, &wait), MH_DECLINED);
    /* Other keys in the same tables are untouched. */
    assert_int_equal(mh_throttle_check(by_ip, K("192.0.2.8"), 100, &wait), MH_OK);
    assert_int_equal(mh_throttle_check(by_user, K("editor"), 100, &wait), MH_OK);
    assert_int_equal(mh_throttle_check(by_user, K("Admin"), 100, &wait), MH_OK);
    /* A key locked in one table means nothing in the other. */
    assert_int_equal(mh_throttle_check(by_user, K("192.0.2.7"), 100, &wait), MH_OK);
    assert_int_equal(mh_throttle_check(by_ip, K("admin"), 100, &wait), MH_OK);
    /* Success on one table leaves the other locked. */
    mh_throttle_success(by_user, K("admin"));
    assert_int_equal(mh_throttle_check(by_user, K("admin"), 100, &wait), MH_OK);
    assert_int_equal(mh_throttle_check(by_ip, K("192.0.2.7"), 100, &wait), MH_DECLINED);
    mh_throttle_free(by_ip);
    mh_throttle_free(by_user);
}

static void test_success_resets(void **state)
{
    mh_throttle_t *t = new_table(64);
    int64_t wait;

    for (int i = 0; i < 9; i++)
        mh_throttle_fail(t, K("bob"), 50);
    assert_int_equal(mh_throttle_check(t, K("bob"), 50, &wait), MH_DECLINED);
    assert_int_equal(wait, 8);
    mh_throttle_success(t, K("bob"));
    assert_int_equal(mh_throttle_check(t, K("bob"), 50, &wait), MH_OK);
    assert_int_equal(mh_throttle_failures(t, K("bob"), 50), 0);
    assert_int_equal(mh_throttle_count(t), 0);
    /* Free attempts are granted again in full. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(mh_throttle_fail(t, K("bob"), 50), 0);
    assert_int_equal(mh_throttle_fail(t, K("bob"), 50), 1);
    /* Success for an unknown key is harmless. */
    mh_throttle_success(t, K("nobody"));
    assert_int_equal(mh_throttle_count(t), 1);
    mh_throttle_free(t);
}

static void test_decay(void **state)
{
    mh_throttle_t *t = new_table(64);
    int64_t wait;

    for (int i = 0; i < 4; i++)
        mh_throttle_fail(t, K("carol"), 0);
    assert_int_equal(mh_throttle_failures(t, K("carol"), 3599), 4);
    assert_int_equal(mh_throttle_failures(t, K("carol"), 3600), 0);
    /* Forgotten: five free attempts again. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(mh_throttle_fail(t, K("carol"), 3600), 0);
    assert_int_equal(mh_throttle_count(t), 1);

    /* The quiet period runs from the last failure. */
    for (int i = 0; i < 4; i++)
        mh_throttle_fail(t, K("dave"), 0);
    mh_throttle_fail(t, K("dave"), 3000);
    assert_int_equal(mh_throttle_failures(t, K("dave"), 3700), 5);
    assert_int_equal(mh_throttle_failures(t, K("dave"), 6600), 0);
    mh_throttle_free(t);

    /* A decay shorter than the longest lock is raised to it, so a lock is
     * never forgotten before it ends. */
    mh_throttle_config_t cfg = {
        .capacity = 8, .free_attempts = 1, .base_delay = 100, .max_delay = 100, .decay = 10};
    t = mh_throttle_new(&cfg);
    assert_non_null(t);
    mh_throttle_fail(t, K("eve"), 0);
    assert_int_equal(mh_throttle_fail(t, K("eve"), 0), 100);
    assert_int_equal(mh_throttle_check(t, K("eve"), 50, &wait), MH_DECLINED);
    assert_int_equal(wait, 50);
    assert_int_equal(mh_throttle_failures(t, K("eve"), 99), 2);
    assert_int_equal(mh_throttle_failures(t, K("eve"), 100), 0);
    mh_throttle_free(t);
}

static void test_defaults(void **state)
{
    mh_throttle_t *t = mh_throttle_new(NULL);
    int64_t wait;

    assert_non_null(t);
    for (int i = 0; i < MH_THROTTLE_DEFAULT_FREE; i++)
        assert_int_equal(mh_throttle_fail(t, K("x"), 0), 0);
    assert_int_equal(mh_throttle_fail(t, K("x"), 0), MH_THROTTLE_DEFAULT_BASE);
    for (int i = 0; i < 30; i++)
        mh_throttle_fail(t, K("x"), 0);
    assert_int_equal(mh_throttle_check(t, K("x"), 0, &wait), MH_DECLINED);
    assert_int_equal(wait, MH_THROTTLE_DEFAULT_MAX);
    mh_throttle_free(t);
}

static void test_eviction_bound(void **state)
{
    mh_throttle_t *t = new_table(16);
    char key[32];

    for (int i = 0; i < 1000; i++) {
        int n = snprintf(key, sizeof key, "203.0.113.%d", i);
        mh_throttle_fail(t, mh_str(key, (size_t)n), 10);
        assert_true(mh_throttle_count(t) <= 16);
    }
    assert_int_equal(mh_throttle_count(t), 16);
    /* The newest keys are kept, the oldest are gone. */
    assert_int_equal(mh_throttle_failures(t, K("203.0.113.999"), 10), 1);
    assert_int_equal(mh_throttle_failures(t, K("203.0.113.0"), 10), 0);
    mh_throttle_free(t);
}

static void test_eviction_spares_locked(void **state)
{
    mh_throttle_t *t = new_table(16);
    char key[32];
    int64_t wait;

    /* The target is the oldest entry, and locked. */
    for (int i = 0; i < 7; i++)
        mh_throttle_fail(t, K("target"), 0);
    assert_int_equal(mh_throttle_check(t, K("target"), 0, &wait), MH_DECLINED);
    /* A flood of one-failure keys must not push it out. */
    for (int i = 0; i < 500; i++) {
        int n = snprintf(key, sizeof key, "spray-%d", i);
        mh_throttle_fail(t, mh_str(key, (size_t)n), 1);
    }
    assert_int_equal(mh_throttle_count(t), 16);
    assert_int_equal(mh_throttle_failures(t, K("target"), 1), 7);
    assert_int_equal(mh_throttle_check(t, K("target"), 1, &wait), MH_DECLINED);

    /* Forgotten entries go first, whatever their failure count. */
    mh_throttle_free(t);
    t = new_table(4);
    for (int i = 0; i < 3; i++)
        mh_throttle_fail(t, K("old"), 0);
    mh_throttle_fail(t, K("a"), 5000);
    mh_throttle_fail(t, K("b"), 5000);
    mh_throttle_fail(t, K("c"), 5000);
    mh_throttle_fail(t, K("d"), 5000);
    assert_int_equal(mh_throttle_failures(t, K("a"), 5000), 1);
    assert_int_equal(mh_throttle_failures(t, K("old"), 5000), 0);
    assert_int_equal(mh_throttle_count(t), 4);
    mh_throttle_free(t);
}

/* ---- threads ---- */

#define THREADS 4
#define ROUNDS 2000

typedef struct {
    mh_throttle_t *t;
    int id;
} worker_arg_t;

static void *worker(void *p)
{
    worker_arg_t *a = p;
    char key[32];

    for (int i = 0; i < ROUNDS; i++) {
        mh_throttle_fail(a->t, K("shared"), 0);
        int n = snprintf(key, sizeof key, "t%d-k%d", a->id, i % 50);
        mh_throttle_check(a->t, mh_str(key, (size_t)n), 0, NULL);
        mh_throttle_fail(a->t, mh_str(key, (size_t)n), 0);
        if (i % 7 == 0)
            mh_throttle_success(a->t, mh_str(key, (size_t)n));
        (void)mh_throttle_count(a->t);
    }
    return NULL;
}

static void test_concurrent_use(void **state)
{
    mh_throttle_t *t = new_table(64);
    pthread_t th[THREADS];
    worker_arg_t args[THREADS];

    for (int i = 0; i < THREADS; i++) {
        args[i] = (worker_arg_t){t, i};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    /* "shared" is locked and kept (most failures), and no failure was lost. */
    assert_int_equal(mh_throttle_failures(t, K("shared"), 0), THREADS * ROUNDS);
    assert_true(mh_throttle_count(t) <= 64);
    mh_throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_attempts_then_growing_delays),
        cmocka_unit_test(test_check_is_not_an_attempt),
        cmocka_unit_test(test_keys_and_tables_independent),
        cmocka_unit_test(test_success_resets),
        cmocka_unit_test(test_decay),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_eviction_bound),
        cmocka_unit_test(test_eviction_spares_locked),
        cmocka_unit_test(test_concurrent_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
