/* The generation memo: keys, get/put, first writer wins, the budget, and
 * several threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include <cmocka.h>

#include "content/memo.h"

static void *copy_str(mh_pool_t *p, const void *src)
{
    return mh_pstrdup(p, src);
}

static mh_memo_key_t key(mh_pool_t *p, char kind, int64_t i, const char *s)
{
    mh_memo_key_t k;
    mh_memo_key_init(&k, p, kind);
    mh_memo_key_i64(&k, i);
    mh_memo_key_str(&k, s);
    return k;
}

static void test_get_put(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_memo_t *m = mh_memo_new(1u << 20);
    mh_memo_key_t k = key(p, 'e', 7, "slug");
    assert_null(mh_memo_get(m, &k));
    char value[] = "first";
    const char *v = mh_memo_put(m, &k, copy_str, value);
    assert_non_null(v);
    assert_ptr_not_equal(v, value); /* a copy in the memo's own memory */
    value[0] = 'X';
    assert_string_equal(mh_memo_get(m, &k), "first");
    /* Another thread's answer for the same key loses: the first stays. */
    assert_ptr_equal(mh_memo_put(m, &k, copy_str, "second"), v);
    mh_memo_key_t same = key(p, 'e', 7, "slug");
    assert_ptr_equal(mh_memo_get(m, &same), v);
    size_t n, bytes;
    mh_memo_stats(m, &n, &bytes);
    assert_int_equal(n, 1);
    assert_true(bytes > 0);
    mh_memo_free(m);
    mh_pool_destroy(p);
}

static void test_keys_differ(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_memo_t *m = mh_memo_new(1u << 20);
    mh_memo_key_t ks[6];
    ks[0] = key(p, 'e', 1, "ab");
    ks[1] = key(p, 'n', 1, "ab"); /* kind */
    ks[2] = key(p, 'e', 2, "ab"); /* number */
    ks[3] = key(p, 'e', 1, "");   /* "" is not NULL */
    ks[4] = key(p, 'e', 1, NULL);
    /* the length prefix keeps ("a", "b") apart from ("ab", "") */
    mh_memo_key_init(&ks[5], p, 'e');
    mh_memo_key_i64(&ks[5], 1);
    mh_memo_key_str(&ks[5], "a");
    mh_memo_key_str(&ks[5], "b");
    char label[16];
    for (int i = 0; i < 6; i++) {
        snprintf(label, sizeof(label), "v%d", i);
        assert_non_null(mh_memo_put(m, &ks[i], copy_str, label));
    }
    for (int i = 0; i < 6; i++) {
        snprintf(label, sizeof(label), "v%d", i);
        assert_string_equal(mh_memo_get(m, &ks[i]), label);
    }
    /* A long key (past the first buffer) works too. */
    char longs[1000];
    memset(longs, 'q', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    mh_memo_key_t kl = key(p, 't', 3, longs);
    assert_null(mh_memo_get(m, &kl));
    assert_non_null(mh_memo_put(m, &kl, copy_str, "long"));
    mh_memo_key_t kl2 = key(p, 't', 3, longs);
    assert_string_equal(mh_memo_get(m, &kl2), "long");
    mh_memo_free(m);
    mh_pool_destroy(p);
}

static void test_budget(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_memo_t *none = mh_memo_new(0);
    mh_memo_key_t k = key(p, 'e', 1, "x");
    assert_null(mh_memo_put(none, &k, copy_str, "v"));
    assert_null(mh_memo_get(none, &k));
    mh_memo_free(none);

    /* Values of 1000 bytes into 10,000: some are kept, then none. */
    mh_memo_t *m = mh_memo_new(10000);
    char big[1000];
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    int kept = 0;
    for (int i = 0; i < 100; i++) {
        mh_memo_key_t ki = key(p, 'e', i, "x");
        if (mh_memo_put(m, &ki, copy_str, big))
            kept++;
    }
    assert_true(kept >= 5 && kept <= 10);
    size_t n, bytes;
    mh_memo_stats(m, &n, &bytes);
    assert_int_equal(n, (size_t)kept);
    assert_true(bytes < 10000 + 2 * sizeof(big) + 1024);
    /* what was kept is still there */
    mh_memo_key_t first = key(p, 'e', 0, "x"), last = key(p, 'e', 99, "x");
    assert_non_null(mh_memo_get(m, &first));
    assert_null(mh_memo_get(m, &last));
    mh_memo_free(m);
    mh_pool_destroy(p);
}

struct worker {
    mh_memo_t *m;
    int id, wrong;
};

static void *work(void *data)
{
    struct worker *w = data;
    mh_pool_t *p = mh_pool_create();
    char want[32];
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 500; i++) {
            mh_memo_key_t k = key(p, 'e', i, "shared");
            snprintf(want, sizeof(want), "value %d", i);
            const char *v = mh_memo_get(w->m, &k);
            if (!v)
                v = mh_memo_put(w->m, &k, copy_str, want);
            if (!v || strcmp(v, want) != 0)
                w->wrong++;
        }
        mh_pool_reset(p);
    }
    mh_pool_destroy(p);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    mh_memo_t *m = mh_memo_new(1u << 20);
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){m, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].wrong, 0);
    }
    size_t n, bytes;
    mh_memo_stats(m, &n, &bytes);
    assert_int_equal(n, 500); /* each key stored once, whoever came first */
    mh_memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_put),
        cmocka_unit_test(test_keys_differ),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
