#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site/theme.h"

static char dir[64];

static void write_json(const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/theme.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/mh-theme-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/theme.json", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static void test_missing_file_keeps_defaults(void **state)
{
    int w[8];
    char err[256];
    assert_int_equal(mh_theme_image_widths(dir, w, 8, err, sizeof(err)), 0);
    write_json("{\"name\": \"x\"}");
    assert_int_equal(mh_theme_image_widths(dir, w, 8, err, sizeof(err)), 0);
}

static void test_sorted_unique_bounded(void **state)
{
    int w[3];
    char err[256];
    write_json("{\"image_widths\": [1280, 320, 640, 320, 2000]}");
    assert_int_equal(mh_theme_image_widths(dir, w, 3, err, sizeof(err)), 3);
    assert_int_equal(w[0], 320);
    assert_int_equal(w[1], 640);
    assert_int_equal(w[2], 1280);
}

static void test_malformed(void **state)
{
    int w[8];
    char err[256];
    static const char *bad[] = {
        "{\"image_widths\": [5]}",
        "{\"image_widths\": [99999]}",
        "{\"image_widths\": \"640\"}",
        "{\"image_widths\": [\"640\"]}",
        "[1, 2]",
        "{not json",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        write_json(bad[i]);
        err[0] = '\0';
        assert_int_equal(mh_theme_image_widths(dir, w, 8, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "theme.json"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_file_keeps_defaults),
        cmocka_unit_test(test_sorted_unique_bounded),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests_name("site/theme", tests, setup, teardown);
}
