#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "router/router.h"

static int h(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return MH_OK;
}

static const mh_route_t routes[] = {
    {MH_M_GET, "/assets/*", MH_AUTH_PUBLIC, NULL, false, h, "assets", 0},
    {MH_M_GET, "/admin/login", MH_AUTH_PUBLIC, NULL, false, h, "login-form", 0},
    {MH_M_POST, "/admin/login", MH_AUTH_PUBLIC, NULL, true, h, "login", 4096},
    {MH_M_GET, "/*", MH_AUTH_PUBLIC, NULL, false, h, "site", 0},
};

static void test_match(void **state)
{
    unsigned allowed = 0;
    const mh_route_t *r =
        mh_router_match(routes, 4, MH_M_GET, mh_str_c("/assets/site.css"), &allowed);
    assert_non_null(r);
    assert_string_equal(r->data, "assets");
    r = mh_router_match(routes, 4, MH_M_HEAD, mh_str_c("/news/"), &allowed);
    assert_non_null(r); /* GET implies HEAD */
    assert_string_equal(r->data, "site");
    r = mh_router_match(routes, 4, MH_M_POST, mh_str_c("/admin/login"), &allowed);
    assert_string_equal(r->data, "login");
    assert_true(r->csrf);
}

static void test_method_not_allowed(void **state)
{
    unsigned allowed = 0;
    assert_null(mh_router_match(routes, 4, MH_M_DELETE, mh_str_c("/news/"), &allowed));
    assert_int_equal(allowed, MH_M_GET | MH_M_HEAD);
    assert_null(mh_router_match(routes, 3, MH_M_GET, mh_str_c("/nothing"), &allowed));
    assert_int_equal(allowed, 0);
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(mh_router_allow_header(p, MH_M_GET | MH_M_HEAD | MH_M_POST),
                        "GET, HEAD, POST");
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_method_not_allowed),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
