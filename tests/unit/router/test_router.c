/* The route table: patterns with parameters, backtracking, table order and
 * methods (405 / Allow). The dispatcher's DECLINED fall-through is modelled
 * here with mh_router_find from the next index, as server.c does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "router/router.h"

static int h(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return MH_OK;
}

static const mh_route_t routes[] = {
    {MH_M_GET, "/assets/*", MH_AUTH_PUBLIC, NULL, false, h, "assets", 0, 0},
    {MH_M_GET, "/admin/login", MH_AUTH_PUBLIC, NULL, false, h, "login-form", 0, 0},
    {MH_M_POST, "/admin/login", MH_AUTH_PUBLIC, NULL, true, h, "login", 4096, 0},
    {MH_M_GET, "/*", MH_AUTH_PUBLIC, NULL, false, h, "site", 0, MH_ROUTE_CACHEABLE},
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
    assert_true(r->flags & MH_ROUTE_CACHEABLE);
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
    /* two rows for one path: both methods allowed */
    assert_int_equal(mh_router_allowed(routes, 3, mh_str_c("/admin/login")),
                     MH_M_GET | MH_M_HEAD | MH_M_POST);
    mh_pool_t *p = mh_pool_create();
    assert_string_equal(mh_router_allow_header(p, MH_M_GET | MH_M_HEAD | MH_M_POST),
                        "GET, HEAD, POST");
    mh_pool_destroy(p);
}

static bool m(const char *pattern, const char *path, mh_params_t *ps)
{
    return mh_route_pattern_match(pattern, mh_str_c(path), ps);
}

static const char *param(const mh_params_t *ps, const char *name)
{
    static char buf[256];
    mh_req_t req = {.params = *ps};
    mh_str_t v = mh_req_param(&req, name);
    if (!v.base)
        return "(none)";
    snprintf(buf, sizeof(buf), "%.*s", (int)v.len, v.base);
    return buf;
}

static void test_literal_and_prefix(void **state)
{
    mh_params_t ps;
    assert_true(m("/admin/login", "/admin/login", &ps));
    assert_int_equal(ps.n, 0);
    assert_false(m("/admin/login", "/admin/login/", &ps));
    assert_false(m("/admin/login", "/admin/logi", &ps));
    assert_true(m("/", "/", &ps));
    assert_false(m("/", "/x", &ps));
    /* the anonymous rest: any tail, even empty */
    assert_true(m("/assets/*", "/assets/", &ps));
    assert_true(m("/assets/*", "/assets/a/b.css", &ps));
    assert_false(m("/assets/*", "/asset", &ps));
}

static void test_segment_param(void **state)
{
    mh_params_t ps;
    assert_true(m("/admin/review/:id/approve", "/admin/review/42/approve", &ps));
    assert_string_equal(param(&ps, "id"), "42");
    assert_string_equal(param(&ps, "nope"), "(none)");
    /* one segment only, never empty */
    assert_false(m("/admin/review/:id/approve", "/admin/review/4/2/approve", &ps));
    assert_false(m("/admin/review/:id/approve", "/admin/review//approve", &ps));
    assert_false(m("/users/:id", "/users/", &ps));
    assert_true(m("/:lang", "/zh", &ps));
    assert_string_equal(param(&ps, "lang"), "zh");
    assert_false(m("/:lang", "/zh/", &ps));
    /* a parameter followed by a literal suffix inside the segment */
    assert_true(m("/:slug.html", "/a.b.html", &ps));
    assert_string_equal(param(&ps, "slug"), "a.b");
    assert_false(m("/:slug.html", "/.html", &ps));
    /* two parameters */
    assert_true(m("/entries/:id/revisions/:rev", "/entries/7/revisions/9", &ps));
    assert_int_equal(ps.n, 2);
    assert_string_equal(param(&ps, "id"), "7");
    assert_string_equal(param(&ps, "rev"), "9");
}

static void test_multi_segment_param(void **state)
{
    mh_params_t ps;
    assert_true(m("/*column/", "/news/", &ps));
    assert_string_equal(param(&ps, "column"), "news");
    assert_true(m("/*column/", "/about/team/", &ps));
    assert_string_equal(param(&ps, "column"), "about/team");
    /* never begins or ends with a slash, never empty */
    assert_false(m("/*column", "/news/", &ps));
    assert_false(m("/*column/", "//", &ps));
    assert_false(m("/*column/", "/", &ps));
    /* backtracking: the greedy capture gives back what the suffix needs */
    assert_true(m("/*column/page/:n/", "/a/b/page/2/", &ps));
    assert_string_equal(param(&ps, "column"), "a/b");
    assert_string_equal(param(&ps, "n"), "2");
    assert_true(m("/*column/page/:n/", "/page/page/3/", &ps));
    assert_string_equal(param(&ps, "column"), "page");
    assert_false(m("/*column/page/:n/", "/page/3/", &ps));
    assert_true(m("/*column/:slug.html", "/news/tech/x.y.html", &ps));
    assert_string_equal(param(&ps, "column"), "news/tech");
    assert_string_equal(param(&ps, "slug"), "x.y");
    assert_false(m("/*column/:slug.html", "/x.html", &ps));
    assert_true(m("/:lang/*column/", "/zh/news/", &ps));
    assert_string_equal(param(&ps, "lang"), "zh");
    assert_string_equal(param(&ps, "column"), "news");
    /* a failed attempt leaves no parameter behind */
    assert_false(m("/*a/x/:b", "/p/q/r", &ps));
    /* the literal tail decides first; the parameters still come out right */
    assert_true(m("/*column/feed.xml", "/news/zone/feed.xml", &ps));
    assert_string_equal(param(&ps, "column"), "news/zone");
    assert_false(m("/*column/feed.xml", "/news/zone/feed.xml.html", &ps));
    assert_false(m("/*column/feed.xml", "/feed.xml", &ps));
    assert_false(m("/*column/feed.xml", "eed.xml", &ps));
    assert_true(m("/sitemap-:n.xml", "/sitemap-12.xml", &ps));
    assert_string_equal(param(&ps, "n"), "12");
    assert_false(m("/sitemap-:n.xml", "/sitemap-.xml", &ps));
    /* several places where the next literal occurs: the longest that works */
    assert_true(m("/:lang/*column/:slug.html", "/zh/a.html/b.html/c.d.html", &ps));
    assert_string_equal(param(&ps, "lang"), "zh");
    assert_string_equal(param(&ps, "column"), "a.html/b.html");
    assert_string_equal(param(&ps, "slug"), "c.d");
    assert_true(m("/:a-:b", "/x-y-z", &ps));
    assert_string_equal(param(&ps, "a"), "x-y");
    assert_string_equal(param(&ps, "b"), "z");
    assert_true(m("/*rest", "/a/b", &ps));
    assert_true(m("/x/*", "/x/anything/at/all", &ps));
}

/* A table built with mh_routes_add (which records each pattern's literal
 * head and tail for a quick reject) finds exactly what the plain array
 * finds, row by row. */
static void test_compiled_table_agrees(void **state)
{
    static const mh_route_t rows[] = {
        {MH_M_GET, "/admin/entries/:id/edit", MH_AUTH_PUBLIC, NULL, false, h, "edit", 0, 0},
        {MH_M_POST, "/admin/login", MH_AUTH_PUBLIC, NULL, false, h, "login", 0, 0},
        {MH_M_GET, "/a*", MH_AUTH_PUBLIC, NULL, false, h, "a-rest", 0, 0},
        {MH_M_GET, "/sitemap-:n.xml", MH_AUTH_PUBLIC, NULL, false, h, "part", 0, 0},
        {MH_M_GET, "/:lang/*column/feed.xml", MH_AUTH_PUBLIC, NULL, false, h, "lfeed", 0, 0},
        {MH_M_GET, "/*column/feed.xml", MH_AUTH_PUBLIC, NULL, false, h, "feed", 0, 0},
        {MH_M_GET, "/", MH_AUTH_PUBLIC, NULL, false, h, "home", 0, 0},
        {MH_M_GET, "/:lang/", MH_AUTH_PUBLIC, NULL, false, h, "lhome", 0, 0},
        {MH_M_GET, "/*column/:slug.html", MH_AUTH_PUBLIC, NULL, false, h, "entry", 0, 0},
        {MH_M_POST, "/x", MH_AUTH_PUBLIC, NULL, false, h, "post", 0, 0},
        {MH_M_GET, "/assets/*", MH_AUTH_PUBLIC, NULL, false, h, "assets", 0, 0},
        {MH_M_GET, "/*", MH_AUTH_PUBLIC, NULL, false, h, "rest", 0, 0},
    };
    static const char *paths[] = {"/admin/entries/3/edit",
                                  "/admin/entries/3/edi",
                                  "/sitemap-2.xml",
                                  "/zh/news/feed.xml",
                                  "/news/feed.xml",
                                  "/feed.xml",
                                  "/",
                                  "/zh/",
                                  "/news/a.html",
                                  "/a.html",
                                  "/x",
                                  "/assets/s.css",
                                  "/assets",
                                  "",
                                  "/admin",
                                  "/a",
                                  "/abc",
                                  "/admin/login",
                                  "/b/admin"};
    mh_routes_t t = {0};
    mh_routes_append(&t, rows, sizeof(rows) / sizeof(rows[0]));
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        mh_str_t p = mh_str_c(paths[i]);
        for (size_t from = 0; from < t.n; from++) {
            mh_params_t pa, pb;
            size_t ia = 99, ib = 99;
            const mh_route_t *a = mh_router_find(rows, t.n, from, MH_M_GET, p, &pa, &ia);
            const mh_route_t *b = mh_routes_find(&t, from, MH_M_GET, p, &pb, &ib);
            assert_int_equal(ia, ib);
            assert_int_equal(a == NULL, b == NULL);
            assert_int_equal(pa.n, a ? pb.n : pa.n);
        }
        assert_int_equal(mh_router_allowed(rows, t.n, p), mh_routes_allowed(&t, p));
    }
    assert_true(t.quick[0].ok);
    assert_int_equal(t.quick[0].head, strlen("/admin/entries/"));
    assert_int_equal(t.quick[0].tail, strlen("/edit"));
    assert_int_equal(t.quick[11].tail, 0);
    /* the rows beginning with "/a" form one run, skipped together */
    assert_int_equal(t.quick[0].run_end, 3);
    assert_int_equal(t.quick[1].run_end, 3);
    assert_int_equal(t.quick[2].run_end, 3);
    assert_int_equal(t.quick[3].run_end, 4);
    mh_routes_free(&t);
}

static void test_param_limits(void **state)
{
    mh_params_t ps;
    /* more parameters than a request holds: never a match */
    assert_false(m("/:a/:b/:c/:d/:e/:f/:g/:h/:i", "/1/2/3/4/5/6/7/8/9", &ps));
    assert_true(m("/:a/:b/:c/:d/:e/:f/:g/:h", "/1/2/3/4/5/6/7/8", &ps));
    assert_int_equal(ps.n, 8);
    mh_req_t req = {0};
    assert_true(m("/users/:id", "/users/42", &req.params));
    assert_int_equal(mh_req_param_id(&req, "id"), 42);
    assert_true(m("/users/:id", "/users/4x", &req.params));
    assert_int_equal(mh_req_param_id(&req, "id"), 0);
    assert_true(m("/users/:id", "/users/99999999999999999999", &req.params));
    assert_int_equal(mh_req_param_id(&req, "id"), 0);
    assert_int_equal(mh_req_param_id(&req, "other"), 0);
}

/* The dispatcher's loop: a handler that declines hands the request to the
 * next row that matches. */
static int decline(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return MH_DECLINED;
}

static int take(mh_req_t *req, mh_resp_t *resp, void *data)
{
    resp->status = 200;
    return MH_OK;
}

static const char *dispatch(const mh_route_t *rs, size_t n, int method, const char *path)
{
    mh_req_t req = {.method = method};
    mh_resp_t resp = {0};
    size_t i = 0;
    const mh_route_t *r = mh_router_find(rs, n, 0, method, mh_str_c(path), &req.params, &i);
    while (r) {
        if (r->handler(&req, &resp, r->data) != MH_DECLINED)
            return r->data;
        r = mh_router_find(rs, n, i + 1, method, mh_str_c(path), &req.params, &i);
    }
    return "404";
}

static void test_declined_falls_through(void **state)
{
    const mh_route_t rs[] = {
        {.methods = MH_M_GET, .pattern = "/:lang/", .handler = decline, .data = "lang"},
        {.methods = MH_M_POST, .pattern = "/*column/", .handler = take, .data = "post"},
        {.methods = MH_M_GET, .pattern = "/*column/", .handler = take, .data = "column"},
        {.methods = MH_M_GET, .pattern = "/*", .handler = take, .data = "catch-all"},
    };
    assert_string_equal(dispatch(rs, 4, MH_M_GET, "/news/"), "column");
    assert_string_equal(dispatch(rs, 4, MH_M_HEAD, "/news/"), "column");
    assert_string_equal(dispatch(rs, 4, MH_M_POST, "/news/"), "post");
    assert_string_equal(dispatch(rs, 4, MH_M_GET, "/x.css"), "catch-all");
    assert_string_equal(dispatch(rs, 2, MH_M_GET, "/news/"), "404");
    const mh_route_t none[] = {
        {.methods = MH_M_GET, .pattern = "/:a", .handler = decline, .data = "a"},
        {.methods = MH_M_GET, .pattern = "/*b", .handler = decline, .data = "b"},
    };
    assert_string_equal(dispatch(none, 2, MH_M_GET, "/x"), "404");
}

static void test_table_grows(void **state)
{
    mh_routes_t t = {0};
    char names[300][16];
    for (unsigned i = 0; i < 300; i++) {
        snprintf(names[i], sizeof(names[i]), "/r%u", i);
        const mh_route_t r = {.methods = MH_M_GET, .pattern = names[i], .handler = h};
        mh_routes_add(&t, &r);
    }
    assert_int_equal(t.n, 300); /* nothing dropped */
    size_t i = 0;
    assert_non_null(mh_router_find(t.v, t.n, 0, MH_M_GET, mh_str_c("/r299"), NULL, &i));
    assert_int_equal(i, 299);
    mh_routes_append(&t, routes, 4);
    assert_int_equal(t.n, 304);
    mh_routes_free(&t);
    assert_int_equal(t.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_literal_and_prefix),
        cmocka_unit_test(test_segment_param),
        cmocka_unit_test(test_multi_segment_param),
        cmocka_unit_test(test_param_limits),
        cmocka_unit_test(test_compiled_table_agrees),
        cmocka_unit_test(test_declined_falls_through),
        cmocka_unit_test(test_table_grows),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
