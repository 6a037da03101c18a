/* Region data and region field validation: the shipped table is
 * consistent (codes unique, parents known, provinces complete), and a
 * region value must be a path of the data in Chinese or pinyin names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "content/fields.h"
#include "content/regions.h"
#include "core/pool.h"

static void test_table(void **state)
{
    size_t provinces = 0;
    for (size_t i = 0; i < mh_region_table_len; i++) {
        const mh_region_t *r = &mh_region_table[i];
        assert_int_equal(strlen(r->code), 6);
        assert_true(*r->zh && *r->en);
        assert_ptr_equal(mh_region_by_code(r->code), r); /* unique */
        if (!*r->parent) {
            provinces++;
            assert_string_equal(r->code + 2, "0000");
        } else {
            const mh_region_t *up = mh_region_by_code(r->parent);
            assert_non_null(up);
            assert_true(up < r);                        /* parents first */
            assert_memory_equal(r->code, r->parent, 2); /* same province */
        }
    }
    assert_int_equal(provinces, 34); /* 23 provinces, 5 regions, 4 municipalities, 2 SARs */
    mh_pool_t *p = mh_pool_create();
    const mh_region_t **kids;
    assert_int_equal(mh_region_children(p, "", &kids), 34);
    assert_string_equal(kids[0]->zh, "北京市");
    assert_int_equal(mh_region_children(p, "370000", &kids), 16); /* Shandong's cities */
    assert_int_equal(mh_region_children(p, "370200", &kids), 10); /* Qingdao's districts */
    assert_int_equal(mh_region_children(p, "440000", &kids), 21); /* Guangdong */
    assert_int_equal(mh_region_children(p, "110000", &kids), 16); /* Beijing's districts */
    assert_int_equal(mh_region_children(p, "500000", &kids), 38); /* Chongqing */
    assert_int_equal(mh_region_children(p, "370281", &kids), 0);
    size_t prefectures = 0;
    static const char *const munis[] = {"110000", "120000", "310000", "500000"};
    for (size_t i = 0; i < mh_region_table_len; i++) {
        const mh_region_t *up = mh_region_by_code(mh_region_table[i].parent);
        bool muni = false;
        for (size_t k = 0; up && k < 4; k++)
            muni = muni || strcmp(up->code, munis[k]) == 0;
        prefectures += up && !*up->parent && !muni;
    }
    assert_true(prefectures >= 333); /* every prefecture-level division */
    mh_pool_destroy(p);
}

static void test_paths(void **state)
{
    static const struct {
        const char *v;
        bool ok;
        size_t depth;
    } cases[] = {
        {"山东省", true, 1},
        {"山东省/青岛市", true, 2},
        {"山东省/青岛市/胶州市", true, 3},
        {"Shandong/Qingdao/Jiaozhou", true, 3},
        {"shandong/qingdao", true, 2},
        {"山东省/Qingdao/胶州市", true, 3}, /* each level by either name */
        {"北京市/海淀区", true, 2},
        {"Guangdong/Shenzhen/Nanshan", true, 3},
        {"广东省/深圳市/南山区", true, 3},
        {"新疆维吾尔自治区/喀什地区", true, 2},
        {"香港特别行政区", true, 1},
        {"", false, 0},
        {"/", false, 0},
        {"山东省/", false, 0},
        {"/山东省", false, 0},
        {"山东省//青岛市", false, 0},
        {"山东省/广州市", false, 0},          /* not its city */
        {"青岛市", false, 0},                 /* not a province */
        {"山东省/青岛市/南山区", false, 0},   /* Shenzhen's */
        {"山东省/青岛市/胶州市/x", false, 0}, /* four levels */
        {"北京市/海淀区/x", false, 0},
        {"Shandong Province", false, 0},
        {"山东", false, 0}, /* names are whole */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const mh_region_t *path[3];
        size_t depth = 0;
        bool ok = mh_region_path_ok(cases[i].v, path, &depth);
        if (ok != cases[i].ok)
            fail_msg("%s: %s", cases[i].v, ok ? "accepted" : "refused");
        if (ok)
            assert_int_equal(depth, cases[i].depth);
    }
    const mh_region_t *path[3];
    size_t depth;
    assert_true(mh_region_path_ok("Shandong/Qingdao/Jiaozhou", path, &depth));
    assert_string_equal(path[2]->code, "370281");
    assert_string_equal(path[1]->zh, "青岛市");
}

/* Through the field validation the admin and the public forms use. */
static void test_field(void **state)
{
    mh_pool_t *p = mh_pool_create();
    mh_field_def_t def = {.key = "place", .kind = MH_FIELD_REGION, .label = "Place"};
    const char *const good[] = {"山东省/青岛市/胶州市"};
    const char *const bad[] = {"Atlantis/Poseidonia"};
    mh_field_input_t in = {"place", good, 1};
    mh_field_value_t *vals;
    mh_field_error_t *errs;
    size_t nv = 0, ne = 0;
    assert_int_equal(mh_fields_validate(p, &def, 1, &in, 1, &vals, &nv, &errs, &ne), MH_OK);
    assert_int_equal(nv, 1);
    assert_string_equal(vals[0].text, "山东省/青岛市/胶州市");
    in.values = bad;
    assert_int_equal(mh_fields_validate(p, &def, 1, &in, 1, &vals, &nv, &errs, &ne), MH_DECLINED);
    assert_int_equal(ne, 1);
    assert_string_equal(errs[0].message, "field.error.region");
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
