/* Named time zones from TZif files: offsets, the footer rule after the
 * last transition, local times in gaps and overlaps, and formatting and
 * parsing through mh_format_time / mh_parse_time. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/tz.h"

static int off_at(const char *zone, int64_t t)
{
    int off = -1;
    assert_true(mh_tz_offset(zone, t, &off));
    return off;
}

static void test_offsets(void **state)
{
    (void)state;
    /* 2023-07-24 08:41:44 UTC */
    assert_int_equal(off_at("Asia/Shanghai", 1690188104), 8 * 3600);
    /* China kept summer time in 1988: 1988-07-01 00:00 UTC */
    assert_int_equal(off_at("Asia/Shanghai", 583718400), 9 * 3600);
    assert_int_equal(off_at("Europe/Berlin", 1690188104), 2 * 3600);
    /* 2023-01-15 */
    assert_int_equal(off_at("Europe/Berlin", 1673740800), 3600);
    /* 2100-07-01 and 2100-01-15, past any transition in the file: the footer rule */
    assert_int_equal(off_at("Europe/Berlin", 4118083200), 2 * 3600);
    assert_int_equal(off_at("Europe/Berlin", 4103654400), 3600);
    assert_int_equal(off_at("America/New_York", 4118083200), -4 * 3600);
    /* southern hemisphere: Sydney has summer time in January */
    assert_int_equal(off_at("Australia/Sydney", 4103654400), 11 * 3600);
    assert_int_equal(off_at("Australia/Sydney", 4118083200), 10 * 3600);
    assert_int_equal(off_at("UTC", 1690188104), 0);
    assert_int_equal(off_at("+08:00", 0), 8 * 3600);
    assert_int_equal(off_at("-05:30", 0), -(5 * 3600 + 1800));
}

static void test_invalid(void **state)
{
    (void)state;
    int off = 7;
    assert_false(mh_tz_valid("Nowhere/Special"));
    assert_false(mh_tz_valid("../../etc/passwd"));
    assert_false(mh_tz_valid("/etc/localtime"));
    assert_false(mh_tz_valid("Asia/Shanghai/"));
    assert_false(mh_tz_valid(""));
    assert_false(mh_tz_valid(NULL));
    assert_false(mh_tz_offset("Nowhere/Special", 0, &off));
    assert_int_equal(off, 0);
    assert_true(mh_tz_valid("Asia/Shanghai"));
    assert_true(mh_tz_valid("+08:00"));
    int64_t t;
    assert_int_equal(mh_parse_time("2023-07-24 16:41:44", "Nowhere/Special", &t), MH_ERR);
}

static void test_local_to_utc(void **state)
{
    (void)state;
    int64_t t;
    /* Berlin 2023-03-26 02:30 does not exist: read as +01:00 -> 01:30 UTC */
    assert_int_equal(mh_parse_time("2023-03-26 02:30:00", "Europe/Berlin", &t), MH_OK);
    assert_int_equal(t, 1679794200);
    /* 2023-10-29 02:30 happens twice: the first (+02:00) -> 00:30 UTC */
    assert_int_equal(mh_parse_time("2023-10-29 02:30:00", "Europe/Berlin", &t), MH_OK);
    assert_int_equal(t, 1698539400);
    assert_int_equal(mh_parse_time("2023-07-24 16:41:44", "Asia/Shanghai", &t), MH_OK);
    assert_int_equal(t, 1690188104);
    assert_int_equal(mh_parse_time("2023-07-24T16:41:44", "+08:00", &t), MH_OK);
    assert_int_equal(t, 1690188104);
}

static void test_round_trip_keeps_seconds(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    const char *zones[] = {"Asia/Shanghai", "+08:00", "Europe/Berlin", "America/New_York"};
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        int64_t t;
        assert_int_equal(mh_parse_time("2023-07-24T16:41:44", zones[i], &t), MH_OK);
        assert_string_equal(mh_format_time(p, t, "%Y-%m-%dT%H:%M:%S", zones[i]),
                            "2023-07-24T16:41:44");
    }
    assert_string_equal(mh_format_time(p, 1690188104, "%Y-%m-%d %H:%M:%S", "Asia/Shanghai"),
                        "2023-07-24 16:41:44");
    mh_pool_destroy(p);
}

static void *worker(void *arg)
{
    const char *zone = arg;
    for (int i = 0; i < 20000; i++) {
        int off;
        int64_t t = 1690188104 + (int64_t)i * 3600;
        if (!mh_tz_offset(zone, t, &off))
            return (void *)1;
        int64_t back;
        int o2;
        mh_tz_offset(zone, t, &o2);
        if (o2 != off || !mh_tz_local_to_utc(zone, t + off, &back))
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    const char *zones[] = {"Asia/Tokyo", "Europe/Paris", "Asia/Tokyo", "Europe/Paris"};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)zones[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets),      cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_local_to_utc), cmocka_unit_test(test_round_trip_keeps_seconds),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
