/* Runs the Mustache spec JSON files (MH_SPEC_DIR, default ../shared/specs/
 * mustache beside the repository) through the engine: one cmocka test per
 * spec module, each printing "module: N/M passed" and every failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render/tmpl.h"

#ifndef MH_DATADIR
#define MH_DATADIR "."
#endif

static const char *spec_dir(void)
{
    const char *d = getenv("MH_SPEC_DIR");
    return d && *d ? d : MH_DATADIR "/../shared/specs/mustache";
}

static void show(const char *label, const char *s)
{
    printf("    %s: \"", label);
    for (; *s; s++) {
        if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\r')
            fputs("\\r", stdout);
        else if (*s == '\t')
            fputs("\\t", stdout);
        else
            putchar(*s);
    }
    puts("\"");
}

/* Returns true when the test passed; prints details otherwise. */
static bool run_one(const char *module, json_t *test)
{
    const char *name = json_string_value(json_object_get(test, "name"));
    const char *tmpl = json_string_value(json_object_get(test, "template"));
    const char *expected = json_string_value(json_object_get(test, "expected"));
    json_t *data = json_object_get(test, "data");
    json_t *partials = json_object_get(test, "partials");
    char err[512] = "";
    bool ok = false;
    mh_pool_t *pool = mh_pool_create();
    mh_tmpl_set_t *set = mh_tmpl_set_new();
    mh_buf_t out;
    mh_buf_init(&out, 1 << 20);

    char *json = json_dumps(data, JSON_ENCODE_ANY);
    mh_val_t *ctx = mh_val_from_json(pool, json, strlen(json), err, sizeof(err));
    free(json);
    if (!ctx)
        goto done;
    const char *pname;
    json_t *psrc;
    json_object_foreach(partials, pname, psrc)
    {
        const char *s = json_string_value(psrc);
        if (mh_tmpl_add(set, pname, s, strlen(s), err, sizeof(err)) != MH_OK)
            goto done;
    }
    if (mh_tmpl_add(set, "(spec)", tmpl, strlen(tmpl), err, sizeof(err)) != MH_OK)
        goto done;
    int rc = mh_tmpl_render(set, "(spec)", pool, ctx, 0, &out, err, sizeof(err));
    if (rc != MH_OK)
        goto done;
    ok = strcmp(mh_buf_str(&out).base, expected) == 0;
done:
    if (!ok) {
        printf("  FAIL %s: %s\n", module, name);
        show("template", tmpl);
        show("expected", expected);
        show("got     ", mh_buf_str(&out).base);
        if (*err)
            printf("    error: %s\n", err);
    }
    mh_buf_free(&out);
    mh_tmpl_set_free(set);
    mh_pool_destroy(pool);
    return ok;
}

static void run_module(void **state)
{
    const char *module = *state;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.json", spec_dir(), module);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        fail_msg("cannot read Mustache spec %s: %s (set MH_SPEC_DIR)", path, je.text);
    json_t *tests = json_object_get(root, "tests");
    assert_true(json_is_array(tests));
    size_t i, passed = 0, total = json_array_size(tests);
    json_t *t;
    json_array_foreach(tests, i, t) passed += run_one(module, t);
    printf("%s: %zu/%zu passed\n", module, passed, total);
    json_decref(root);
    assert_true(total > 0);
    assert_int_equal(passed, total);
}

static void lambdas_skipped(void **state)
{
    (void)state;
    printf("~lambdas: not run (lambdas are not supported by the engine)\n");
    skip();
}

static int check_dir(void **state)
{
    (void)state;
    struct stat st;
    if (stat(spec_dir(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "Mustache spec directory %s is missing (set MH_SPEC_DIR)\n", spec_dir());
        return -1;
    }
    return 0;
}

#define MODULE(m)                                                                                  \
    {                                                                                              \
        .name = m, .test_func = run_module, .initial_state = (void *)m                             \
    }

int main(void)
{
    const struct CMUnitTest tests[] = {
        MODULE("comments"),
        MODULE("delimiters"),
        MODULE("interpolation"),
        MODULE("inverted"),
        MODULE("partials"),
        MODULE("sections"),
        MODULE("~inheritance"),
        MODULE("~dynamic-names"),
        {.name = "~lambdas", .test_func = lambdas_skipped},
    };
    return cmocka_run_group_tests_name("mustache spec", tests, check_dir, NULL);
}
