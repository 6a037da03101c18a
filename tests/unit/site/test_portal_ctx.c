/* Small pieces of the site's downloads, banners and links: which links are
 * on another origin (rel="noopener"), how sizes read, and the per-entry
 * counter table that download counts share with entry views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/pool.h"
#include "site/downloads.h"
#include "site/hits.h"
#include "site/portal_ctx.h"

static void test_other_origin(void **state)
{
    (void)state;
    assert_false(mh_portal_other_origin("/about/", ""));
    assert_false(mh_portal_other_origin("about/", "https://www.example.gov.cn"));
    assert_true(mh_portal_other_origin("https://www.mofcom.gov.cn/", ""));
    assert_true(mh_portal_other_origin("http://a.example/x", "https://www.example.gov.cn"));
    assert_false(
        mh_portal_other_origin("https://www.example.gov.cn/news/", "https://www.example.gov.cn"));
    assert_false(
        mh_portal_other_origin("HTTPS://WWW.EXAMPLE.GOV.CN", "https://www.example.gov.cn"));
    /* a longer host that starts like ours is another origin */
    assert_true(mh_portal_other_origin("https://www.example.gov.cn.evil.example/",
                                       "https://www.example.gov.cn"));
    assert_true(
        mh_portal_other_origin("https://www.example.gov.cn:8443/", "https://www.example.gov.cn"));
    assert_true(mh_portal_other_origin("http://www.example.gov.cn/", "https://www.example.gov.cn"));
}

static void test_size_text(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(mh_download_size_text(p, 0), "0 B");
    assert_string_equal(mh_download_size_text(p, 1023), "1023 B");
    assert_string_equal(mh_download_size_text(p, 1024), "1.0 KB");
    assert_string_equal(mh_download_size_text(p, 1536), "1.5 KB");
    assert_string_equal(mh_download_size_text(p, 3 * 1024 * 1024 + 104858), "3.1 MB");
    mh_pool_destroy(p);
}

static int64_t written[8][2];
static size_t nwritten;
static int fail_next;

static int writer(mh_content_t *c, const int64_t *ids, const int64_t *counts, size_t n)
{
    (void)c;
    if (fail_next) {
        fail_next = 0;
        return MH_ERR;
    }
    for (size_t i = 0; i < n && nwritten < 8; i++) {
        written[nwritten][0] = ids[i];
        written[nwritten++][1] = counts[i];
    }
    return MH_OK;
}

static void test_counter_with_writer(void **state)
{
    (void)state;
    mh_hits_t *h = mh_hits_new();
    for (int i = 0; i < 5; i++)
        mh_hits_add(h, 7);
    mh_hits_add(h, 9);
    mh_hits_add(h, 0); /* ignored */
    assert_int_equal(mh_hits_pending(h), 6);
    assert_int_equal(mh_hits_pending_of(h, 7), 5);
    assert_int_equal(mh_hits_pending_of(h, 8), 0);
    /* a failed write keeps the counts for the next flush */
    fail_next = 1;
    assert_int_equal(mh_hits_flush_with(h, NULL, writer), MH_ERR);
    assert_int_equal(mh_hits_pending(h), 6);
    nwritten = 0;
    assert_int_equal(mh_hits_flush_with(h, NULL, writer), MH_OK);
    assert_int_equal(nwritten, 2);
    int64_t sum = 0;
    for (size_t i = 0; i < nwritten; i++)
        sum += written[i][0] == 7 ? written[i][1] * 100 : written[i][1];
    assert_int_equal(sum, 501);
    assert_int_equal(mh_hits_pending(h), 0);
    nwritten = 0;
    assert_int_equal(mh_hits_flush_with(h, NULL, writer), MH_OK);
    assert_int_equal(nwritten, 0); /* nothing pending: no write */
    mh_hits_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_origin),
        cmocka_unit_test(test_size_text),
        cmocka_unit_test(test_counter_with_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
