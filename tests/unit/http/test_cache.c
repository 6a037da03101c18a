#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "http/cache.h"
#include "http/encode.h"

static mh_cached_page_t *page(const char *body)
{
    return mh_cached_page_new(200, "text/html; charset=utf-8", "en", NULL, body, strlen(body));
}

static void test_hit_and_generation(void **state)
{
    mh_page_cache_t *c = mh_page_cache_new(1 << 20);
    mh_cached_page_t *p = page("<h1>hello</h1>");
    mh_page_cache_put(c, "h\n/a", 4, 1, p);
    mh_cached_page_release(p);

    mh_cached_page_t *g = mh_page_cache_get(c, "h\n/a", 4, 1);
    assert_non_null(g);
    assert_string_equal(g->body, "<h1>hello</h1>");
    mh_cached_page_release(g);
    /* another key misses */
    assert_null(mh_page_cache_get(c, "h\n/b", 4, 1));
    /* a content change (new generation) invalidates */
    assert_null(mh_page_cache_get(c, "h\n/a", 4, 2));
    mh_page_cache_stats_t st;
    mh_page_cache_stats(c, &st);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 2);
    mh_page_cache_free(c);
}

static void test_lru_bound(void **state)
{
    char body[1000];
    memset(body, 'x', sizeof(body) - 1);
    body[sizeof(body) - 1] = '\0';
    mh_page_cache_t *c = mh_page_cache_new(40 * 1024);
    char key[32];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "h\n/p%d", i);
        mh_cached_page_t *p = page(body);
        mh_page_cache_put(c, key, strlen(key), 7, p);
        mh_cached_page_release(p);
        /* keep /p0 hot so it survives */
        mh_cached_page_t *hot = mh_page_cache_get(c, "h\n/p0", 5, 7);
        assert_non_null(hot);
        mh_cached_page_release(hot);
    }
    mh_page_cache_stats_t st;
    mh_page_cache_stats(c, &st);
    assert_true(st.bytes <= st.max_bytes);
    assert_true(st.evictions > 0);
    assert_true(st.entries < 200);
    assert_null(mh_page_cache_get(c, "h\n/p1", 5, 7)); /* cold and old: evicted */
    mh_cached_page_t *last = mh_page_cache_get(c, "h\n/p199", 7, 7);
    assert_non_null(last);
    mh_cached_page_release(last);
    mh_page_cache_free(c);
}

static void test_entry_outlives_eviction(void **state)
{
    mh_page_cache_t *c = mh_page_cache_new(1 << 20);
    mh_cached_page_t *p = page("kept alive");
    mh_page_cache_put(c, "k", 1, 1, p);
    mh_cached_page_release(p);
    mh_cached_page_t *g = mh_page_cache_get(c, "k", 1, 1);
    mh_page_cache_free(c); /* the cache lets go; our reference remains valid */
    assert_string_equal(g->body, "kept alive");
    mh_cached_page_release(g);
}

static void test_too_big_not_kept(void **state)
{
    mh_page_cache_t *c = mh_page_cache_new(8 * 1024);
    char big[4096];
    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    mh_cached_page_t *p = page(big);
    mh_page_cache_put(c, "k", 1, 1, p);
    mh_cached_page_release(p);
    assert_null(mh_page_cache_get(c, "k", 1, 1));
    mh_page_cache_free(c);
}

static mh_page_cache_t *shared;

static void *worker(void *arg)
{
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "k%d", (i * 7 + (int)(intptr_t)arg) % 64);
        mh_cached_page_t *g = mh_page_cache_get(shared, key, strlen(key), 1);
        if (g) {
            if (strcmp(g->body, key) != 0)
                return (void *)1;
            mh_cached_page_release(g);
        } else {
            mh_cached_page_t *p = page(key);
            mh_page_cache_put(shared, key, strlen(key), 1, p);
            mh_cached_page_release(p);
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    shared = mh_page_cache_new(16 * 1024);
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
    mh_page_cache_free(shared);
}

static void test_etag_and_gzip(void **state)
{
    char a[40], b[40], c[40];
    mh_etag("abc", 3, NULL, a);
    mh_etag("abd", 3, NULL, b);
    mh_etag("abc", 3, "-gz", c);
    assert_true(a[0] == '"' && a[strlen(a) - 1] == '"');
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    char *gz;
    size_t n;
    const char text[] = "<p>hello hello hello hello hello hello hello hello</p>";
    assert_int_equal(mh_gzip(text, sizeof(text) - 1, 6, &gz, &n), MH_OK);
    assert_true(n > 10);
    assert_int_equal((unsigned char)gz[0], 0x1f); /* gzip magic */
    assert_int_equal((unsigned char)gz[1], 0x8b);
    free(gz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_generation),
        cmocka_unit_test(test_lru_bound),
        cmocka_unit_test(test_entry_outlives_eviction),
        cmocka_unit_test(test_too_big_not_kept),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_etag_and_gzip),
    };
    return cmocka_run_group_tests_name("http/cache", tests, NULL, NULL);
}
