/* Slugs and time formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "content/content.h"

static void slug_is(const char *title, const char *want)
{
    mh_pool_t *p = mh_pool_create();
    char *got = mh_slugify(p, title);
    if (strcmp(got, want) != 0)
        fail_msg("slugify(\"%s\") = \"%s\", want \"%s\"", title, got, want);
    mh_pool_destroy(p);
}

static void test_slugify_ascii(void **state)
{
    (void)state;
    slug_is("Li Gang Led a Team to Visit Beijing and Shanghai",
            "li-gang-led-a-team-to-visit-beijing-and-shanghai");
    slug_is("Hello, World!", "hello-world");
    slug_is("  --Leading and trailing--  ", "leading-and-trailing");
    slug_is("a...b;;;c   d", "a-b-c-d");
    slug_is("Don't Stop", "dont-stop");
    slug_is("2023 Report", "2023-report");
    slug_is("UPPER lower", "upper-lower");
    slug_is("", "");
    slug_is(NULL, "");
    slug_is("!!!", "");
}

static void test_slugify_accents(void **state)
{
    (void)state;
    slug_is("Café au lait", "cafe-au-lait");
    slug_is("Ærøskøbing Straße", "aeroskobing-strasse");
    slug_is("Łódź Žižkov Čeština", "lodz-zizkov-cestina");
    slug_is("Œuvre Ñandú", "oeuvre-nandu");
    slug_is("naïve résumé", "naive-resume");
}

static void test_slugify_non_latin(void **state)
{
    (void)state;
    /* Han characters by their Mandarin reading, one word each; the digits
     * of a Chinese title stay in place instead of becoming the slug. */
    slug_is("李刚带队赴北京、上海考察", "li-gang-dai-dui-fu-bei-jing-shang-hai-kao-cha");
    slug_is("示范区召开2024年工作会议", "shi-fan-qu-zhao-kai-2024-nian-gong-zuo-hui-yi");
    slug_is("中文 News 新闻", "zhong-wen-news-xin-wen");
    slug_is("绿色发展", "lv-se-fa-zhan");
    slug_is("ＡＢＣ全角", "abc-quan-jiao");
    slug_is("「」。！", "");
    slug_is("Привет", "");
    /* Invalid UTF-8 is a separator, never copied. */
    slug_is("ab\xff\xfe"
            "cd",
            "ab-cd");
    slug_is("ab\xc3", "ab");
}

static void test_slugify_length_cap(void **state)
{
    (void)state;
    char title[400];
    mh_pool_t *p = mh_pool_create();
    memset(title, 'x', sizeof(title) - 1);
    title[sizeof(title) - 1] = '\0';
    char *s = mh_slugify(p, title);
    assert_int_equal(strlen(s), 80);
    /* A cut must not leave a trailing hyphen. */
    char words[400] = "";
    for (int i = 0; i < 40; i++)
        strncat(words, "abc ", sizeof(words) - strlen(words) - 1);
    s = mh_slugify(p, words);
    assert_true(strlen(s) <= 80);
    assert_true(s[strlen(s) - 1] != '-');
    assert_string_equal(
        s, "abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc");
    /* Chinese titles are cut at a syllable too. */
    char han[400] = "";
    for (int i = 0; i < 40; i++)
        strncat(han, "北京", sizeof(han) - strlen(han) - 1);
    s = mh_slugify(p, han);
    assert_true(strlen(s) <= 80);
    assert_true(strlen(s) > 70);
    assert_true(s[strlen(s) - 1] != '-');
    assert_int_equal(strncmp(s, "bei-jing-bei-jing", 17), 0);
    mh_pool_destroy(p);
}

static void test_pinyin(void **state)
{
    (void)state;
    assert_non_null(mh_pinyin(0x5317)); /* 北 */
    assert_string_equal(mh_pinyin(0x5317), "bei");
    assert_string_equal(mh_pinyin(0x4EAC), "jing"); /* 京 */
    assert_null(mh_pinyin('a'));
    assert_null(mh_pinyin(0x3002));  /* 。 */
    assert_null(mh_pinyin(0x20000)); /* outside the table */
}

static void test_format_time(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    /* 2023-07-24 08:41:44 UTC */
    int64_t t = 1690188104;
    assert_string_equal(mh_format_time(p, t, "%Y-%m-%d %H:%M:%S", "+08:00"), "2023-07-24 16:41:44");
    assert_string_equal(mh_format_time(p, t, "%Y-%m-%d %H:%M:%S", "Z"), "2023-07-24 08:41:44");
    assert_string_equal(mh_format_time(p, t, "%Y-%m-%d %H:%M", "-05:30"), "2023-07-24 03:11");
    assert_string_equal(mh_format_time(p, t, "%H:%M", "+0545"), "14:26");
    assert_string_equal(mh_format_time(p, t, "%d %H", "+8"), "24 16");
    /* Crossing midnight changes the date. */
    assert_string_equal(mh_format_time(p, t, "%Y-%m-%d", "+16:00"), "2023-07-24");
    assert_string_equal(mh_format_time(p, t + 8 * 3600, "%Y-%m-%d", "+08:00"), "2023-07-25");
    /* Invalid offsets mean UTC. */
    assert_string_equal(mh_format_time(p, t, "%H:%M", "bogus"), "08:41");
    assert_string_equal(mh_format_time(p, t, "%H:%M", "+25:00"), "08:41");
    assert_string_equal(mh_format_time(p, t, "%H:%M", NULL), "08:41");
    assert_string_equal(mh_format_time(p, t, "", "+08:00"), "");
    mh_pool_destroy(p);
}

/* The numeric formats are written without strftime: they must agree with
 * it everywhere, across leap years, centuries and before 1970; anything
 * else still goes to strftime. */
static void test_format_time_matches_strftime(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    const char *fmt = "%Y-%m-%d %H:%M:%S|%F %T|%%|T";
    char want[128];
    struct tm tm;
    uint64_t x = 88172645463325252ull;
    int64_t fixed[] = {0,          -1,         -86400,       -86401,       951782400,
                       951868800,  4107542400, 4102444799,   253402300799, -2208988800,
                       1690188104, 68169600,   -30610224000, -30610224001};
    for (int i = 0; i < 20000 + (int)(sizeof(fixed) / sizeof(fixed[0])); i++) {
        int64_t t;
        if (i < (int)(sizeof(fixed) / sizeof(fixed[0]))) {
            t = fixed[i];
        } else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
            /* 1900 .. 9999 */
            t = -2208988800LL + (int64_t)(x % (253402300799ULL + 2208988800ULL));
        }
        time_t tt = (time_t)t;
        assert_non_null(gmtime_r(&tt, &tm));
        strftime(want, sizeof(want), fmt, &tm);
        const char *got = mh_format_time(p, t, fmt, "Z");
        if (strcmp(got, want) != 0)
            fail_msg("t=%lld: got '%s', want '%s'", (long long)t, got, want);
        mh_pool_reset(p);
    }
    /* Names and other conversions: strftime's C locale. */
    assert_string_equal(mh_format_time(p, 1690188104, "%d %b %Y, %A", "+08:00"),
                        "24 Jul 2023, Monday");
    mh_pool_destroy(p);
}

static void test_parse_time(void **state)
{
    (void)state;
    int64_t t = 0;
    int off = 1;
    assert_int_equal(mh_parse_time("2023-07-24 16:41:44", "+08:00", &t), MH_OK);
    assert_int_equal(t, 1690188104);
    assert_int_equal(mh_parse_time("2023-07-24T08:41", "Z", &t), MH_OK);
    assert_int_equal(t, 1690188060);
    assert_int_equal(mh_parse_time("2023-07-24 16:41:44", NULL, &t), MH_OK);
    assert_int_equal(t, 1690188104 + 8 * 3600);
    assert_int_equal(mh_parse_time("2023-13-24 16:41:44", "+08:00", &t), MH_ERR);
    assert_int_equal(mh_parse_time("2023-07-24 16:41:44x", "+08:00", &t), MH_ERR);
    assert_int_equal(mh_parse_time("2023-07-24", "+08:00", &t), MH_ERR);
    assert_int_equal(mh_parse_time("2023-07-24 16:41", "+08:", &t), MH_ERR);
    assert_true(mh_parse_utc_offset("-05:30", &off));
    assert_int_equal(off, -(5 * 3600 + 30 * 60));
    assert_false(mh_parse_utc_offset("08:00", &off));
    assert_int_equal(off, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slugify_ascii),
        cmocka_unit_test(test_pinyin),
        cmocka_unit_test(test_slugify_accents),
        cmocka_unit_test(test_slugify_non_latin),
        cmocka_unit_test(test_slugify_length_cap),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_time_matches_strftime),
        cmocka_unit_test(test_parse_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
