/* Custom fields through the content API: definitions (CRUD, order,
 * ancestors), validation of every kind with one message per field, values
 * saved with the entry and kept in revisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/editorial.h"
#include "content/fields.h"

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t lang, news, sub;
};

static int64_t mkcol(struct fx *f, int64_t parent, const char *name)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = f->lang,
                     .parent_id = parent,
                     .module = MH_MODULE_PRODUCT,
                     .name = name,
                     .nav = MH_NAV_HEADER,
                     .page_size = 10,
                     .visible = true};
    assert_int_equal(mh_content_column_create(f->c, &c, &id), MH_OK);
    return id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    mh_language_t *langs;
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-fields-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    snprintf(f->dir, sizeof(f->dir), "%s/site", f->tmp);
    if (mh_content_init(f->dir, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(f->dir, &f->c, err, sizeof(err)) != MH_OK)
        return -1;
    f->p = mh_pool_create();
    if (mh_content_languages(f->c, f->p, &langs, &n) != MH_OK || n != 1)
        return -1;
    f->lang = langs[0].id;
    f->news = mkcol(f, 0, "Products");
    f->sub = mkcol(f, f->news, "Pumps");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static int64_t mkdef(struct fx *f, int64_t col, const char *key, mh_field_kind_t kind,
                     const char *options, bool required)
{
    mh_field_def_t d = {.column_id = col,
                        .key = key,
                        .kind = kind,
                        .label = key,
                        .options = options,
                        .required = required};
    const char *msg = NULL;
    int64_t id = 0;
    assert_int_equal(mh_fields_def_create(f->c, &d, &id, &msg), MH_OK);
    assert_null(msg);
    return id;
}

static void test_definitions(void **state)
{
    struct fx *f = *state;
    const char *msg = NULL;
    int64_t id = 0;
    uint64_t gen = mh_content_generation(f->c);
    int64_t price = mkdef(f, f->news, "price", MH_FIELD_NUMBER, NULL, true);
    int64_t colour = mkdef(f, f->news, "colour", MH_FIELD_SELECT, "red\nblue", false);
    int64_t flow = mkdef(f, f->sub, "flow", MH_FIELD_TEXT, NULL, false);
    assert_true(mh_content_generation(f->c) > gen);

    /* refused definitions, each with its message key */
    struct {
        const char *key;
        mh_field_kind_t kind;
        const char *label, *options, *msg;
    } bad[] = {
        {"Price", MH_FIELD_TEXT, "L", "", "field.error.key"},
        {"9lives", MH_FIELD_TEXT, "L", "", "field.error.key"},
        {"a-b", MH_FIELD_TEXT, "L", "", "field.error.key"},
        {"", MH_FIELD_TEXT, "L", "", "field.error.key"},
        {"abcdefghijabcdefghijabcdefghijabcdefghijx", MH_FIELD_TEXT, "L", "", "field.error.key"},
        {"ok", (mh_field_kind_t)99, "L", "", "field.error.kind"},
        {"ok", MH_FIELD_TEXT, "", "", "field.error.label"},
        {"ok", MH_FIELD_RADIO, "L", " \n ", "field.error.options"},
        {"ok", MH_FIELD_CHECKBOX, "L", NULL, "field.error.options"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mh_field_def_t d = {.column_id = f->news,
                            .key = bad[i].key,
                            .kind = bad[i].kind,
                            .label = bad[i].label,
                            .options = bad[i].options};
        msg = NULL;
        assert_int_equal(mh_fields_def_create(f->c, &d, &id, &msg), MH_ERR);
        assert_string_equal(msg, bad[i].msg);
    }
    mh_field_def_t dup = {
        .column_id = f->news, .key = "price", .kind = MH_FIELD_TEXT, .label = "P"};
    assert_int_equal(mh_fields_def_create(f->c, &dup, &id, &msg), MH_DECLINED);
    assert_string_equal(msg, "field.error.key_taken");
    /* the same key in another column is fine */
    dup.column_id = f->sub;
    assert_int_equal(mh_fields_def_create(f->c, &dup, &id, &msg), MH_OK);
    assert_int_equal(mh_fields_def_delete(f->c, id), MH_OK);

    /* order: by position; new ones go last; move and reorder */
    mh_field_def_t *defs;
    size_t n = 0;
    assert_int_equal(mh_fields_defs(f->c, f->p, f->news, &defs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(defs[0].id, price);
    assert_int_equal(defs[1].id, colour);
    assert_int_equal(mh_fields_def_move(f->c, colour, -1), MH_OK);
    assert_int_equal(mh_fields_defs(f->c, f->p, f->news, &defs, &n), MH_OK);
    assert_int_equal(defs[0].id, colour);
    int64_t order[] = {price, colour, flow /* another column's: ignored */};
    assert_int_equal(mh_fields_def_reorder(f->c, f->news, order, 3), MH_OK);
    assert_int_equal(mh_fields_defs(f->c, f->p, f->news, &defs, &n), MH_OK);
    assert_int_equal(defs[0].id, price);
    mh_field_def_t fd;
    assert_int_equal(mh_fields_def_get(f->c, f->p, flow, &fd), MH_OK);
    assert_int_equal(fd.column_id, f->sub);

    /* update: key and column stay */
    mh_field_def_t up = defs[1];
    up.key = "renamed";
    up.column_id = f->sub;
    up.label = "Colour";
    up.show_in_list = true;
    assert_int_equal(mh_fields_def_update(f->c, &up, &msg), MH_OK);
    assert_int_equal(mh_fields_def_get(f->c, f->p, colour, &fd), MH_OK);
    assert_string_equal(fd.key, "colour");
    assert_int_equal(fd.column_id, f->news);
    assert_string_equal(fd.label, "Colour");
    assert_true(fd.show_in_list);
    up.label = "";
    assert_int_equal(mh_fields_def_update(f->c, &up, &msg), MH_ERR);
    assert_string_equal(msg, "field.error.label");

    /* an entry of the sub-column has the parent's fields first */
    assert_int_equal(mh_fields_for_column(f->c, f->p, f->sub, &defs, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(defs[0].key, "price");
    assert_string_equal(defs[1].key, "colour");
    assert_string_equal(defs[2].key, "flow");
    assert_int_equal(mh_fields_for_column(f->c, f->p, f->news, &defs, &n), MH_OK);
    assert_int_equal(n, 2);

    assert_int_equal(mh_fields_def_delete(f->c, flow), MH_OK);
    assert_int_equal(mh_fields_def_delete(f->c, flow), MH_DECLINED);
    assert_int_equal(mh_fields_def_get(f->c, f->p, flow, &fd), MH_DECLINED);
}

/* Validate one value of a one-field form: the message key, or NULL. */
static const char *check1(mh_pool_t *p, mh_field_kind_t kind, const char *options, bool required,
                          const char *const *values, size_t n, mh_field_value_t **vals,
                          size_t *nvals)
{
    mh_field_def_t d = {
        .key = "k", .kind = kind, .label = "K", .options = options, .required = required};
    mh_field_input_t in = {"k", values, n};
    mh_field_error_t *errs;
    size_t nerrs = 0;
    int rc = mh_fields_validate(p, &d, 1, &in, 1, vals, nvals, &errs, &nerrs);
    assert_int_equal(rc, nerrs ? MH_DECLINED : MH_OK);
    if (nerrs) {
        assert_int_equal(nerrs, 1);
        assert_string_equal(errs[0].key, "k");
        assert_int_equal(*nvals, 0);
        return errs[0].message;
    }
    return NULL;
}

static const char *check(mh_pool_t *p, mh_field_kind_t kind, const char *v)
{
    mh_field_value_t *vals;
    size_t n = 0;
    const char *const one[] = {v};
    return check1(p, kind, "Steel\nCopper \nAluminium", false, one, 1, &vals, &n);
}

static void test_validation(void **state)
{
    struct fx *f = *state;
    mh_pool_t *p = f->p;
    struct {
        mh_field_kind_t kind;
        const char *value;
        const char *msg; /* NULL: accepted */
    } cases[] = {
        {MH_FIELD_TEXT, "Hello, 世界", NULL},
        {MH_FIELD_TEXT, "tab\there", "field.error.text"},
        {MH_FIELD_TEXTAREA, "two\nlines", NULL},
        {MH_FIELD_NUMBER, "12.5", NULL},
        {MH_FIELD_NUMBER, "-3e2", NULL},
        {MH_FIELD_NUMBER, "12,5", "field.error.number"},
        {MH_FIELD_NUMBER, "inf", "field.error.number"},
        {MH_FIELD_NUMBER, "nan", "field.error.number"},
        {MH_FIELD_NUMBER, "0x10", "field.error.number"},
        {MH_FIELD_NUMBER, "1e999", "field.error.number"},
        {MH_FIELD_SELECT, "Steel", NULL},
        {MH_FIELD_SELECT, "Copper", NULL}, /* spaces around an option line ignored */
        {MH_FIELD_SELECT, "Gold", "field.error.option"},
        {MH_FIELD_SELECT, "steel", "field.error.option"},
        {MH_FIELD_RADIO, "Aluminium", NULL},
        {MH_FIELD_RADIO, "Alu", "field.error.option"},
        {MH_FIELD_CHECKBOX, "Steel", NULL},
        {MH_FIELD_CHECKBOX, "Iron", "field.error.option"},
        {MH_FIELD_DATE, "2024-02-29", NULL},
        {MH_FIELD_DATE, "2023-02-29", "field.error.date"},
        {MH_FIELD_DATE, "2024-13-01", "field.error.date"},
        {MH_FIELD_DATE, "2024-1-01", "field.error.date"},
        {MH_FIELD_DATE, "01/02/2024", "field.error.date"},
        {MH_FIELD_EMAIL, "a.b@example.org", NULL},
        {MH_FIELD_EMAIL, "a@b", "field.error.email"},
        {MH_FIELD_EMAIL, "a@@b.org", "field.error.email"},
        {MH_FIELD_EMAIL, "a b@c.org", "field.error.email"},
        {MH_FIELD_EMAIL, "@c.org", "field.error.email"},
        {MH_FIELD_PHONE, "+86 (10) 1234-5678", NULL},
        {MH_FIELD_PHONE, "12", "field.error.phone"},
        {MH_FIELD_PHONE, "call me", "field.error.phone"},
        {MH_FIELD_URL, "https://example.org/x?y=1", NULL},
        {MH_FIELD_URL, "http://example.org", NULL},
        {MH_FIELD_URL, "javascript:alert(1)", "field.error.url"},
        {MH_FIELD_URL, "//evil.example", "field.error.url"},
        {MH_FIELD_URL, "https://", "field.error.url"},
        {MH_FIELD_URL, "ftp://example.org", "field.error.url"},
        {MH_FIELD_REGION, "Shandong/Qingdao/Jiaozhou", NULL},
        {MH_FIELD_IMAGE, "/media/ab/0123456789abcdef0123456789abcd.png", NULL},
        {MH_FIELD_IMAGE, "https://cdn.example.org/a.png", NULL},
        {MH_FIELD_IMAGE, "javascript:alert(1)", "field.error.media"},
        {MH_FIELD_IMAGE, "/media/../site.db", "field.error.media"},
        {MH_FIELD_FILE, "/media/ab/0123456789abcdef0123456789abcd.pdf", NULL},
        {MH_FIELD_FILE, "https://example.org/a.pdf", "field.error.media"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = check(p, cases[i].kind, cases[i].value);
        if (cases[i].msg == NULL && got != NULL)
            fail_msg("%s %s: %s", mh_field_kind_name(cases[i].kind), cases[i].value, got);
        if (cases[i].msg && (!got || strcmp(got, cases[i].msg) != 0))
            fail_msg("%s %s: want %s, got %s", mh_field_kind_name(cases[i].kind), cases[i].value,
                     cases[i].msg, got ? got : "(accepted)");
    }
    /* every kind has a name and is covered above */
    for (int k = MH_FIELD_TEXT; k <= MH_FIELD_FILE; k++) {
        bool seen = false;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
            seen = seen || (int)cases[i].kind == k;
        assert_true(seen);
        assert_int_equal(mh_field_kind_parse(mh_field_kind_name((mh_field_kind_t)k)), k);
    }
    assert_null(mh_field_kind_name((mh_field_kind_t)0));
    assert_int_equal(mh_field_kind_parse("blob"), 0);

    /* typed forms: numbers and dates carry a number */
    mh_field_value_t *vals;
    size_t n = 0;
    const char *const num[] = {" 12.5 "};
    assert_null(check1(p, MH_FIELD_NUMBER, NULL, false, num, 1, &vals, &n));
    assert_int_equal(n, 1);
    assert_string_equal(vals[0].text, "12.5"); /* trimmed */
    assert_true(vals[0].has_num && vals[0].num == 12.5);
    const char *const date[] = {"2024-03-05"};
    assert_null(check1(p, MH_FIELD_DATE, NULL, false, date, 1, &vals, &n));
    assert_true(vals[0].has_num && vals[0].num == 20240305);
    const char *const txt[] = {"x"};
    assert_null(check1(p, MH_FIELD_TEXT, NULL, false, txt, 1, &vals, &n));
    assert_false(vals[0].has_num);
    /* required: nothing, or only blanks */
    const char *const blank[] = {"  "};
    assert_string_equal(check1(p, MH_FIELD_TEXT, NULL, true, blank, 1, &vals, &n),
                        "field.error.required");
    assert_string_equal(check1(p, MH_FIELD_TEXT, NULL, true, NULL, 0, &vals, &n),
                        "field.error.required");
    assert_null(check1(p, MH_FIELD_TEXT, NULL, false, NULL, 0, &vals, &n));
    assert_int_equal(n, 0);
    /* checkbox: several values, in order, each checked; others take the first */
    const char *const many[] = {"Steel", "Aluminium"};
    assert_null(check1(p, MH_FIELD_CHECKBOX, "Steel\nAluminium", true, many, 2, &vals, &n));
    assert_int_equal(n, 2);
    assert_int_equal(vals[1].seq, 1);
    assert_string_equal(vals[1].text, "Aluminium");
    const char *const mixed[] = {"Steel", "Gold"};
    assert_string_equal(check1(p, MH_FIELD_CHECKBOX, "Steel", false, mixed, 2, &vals, &n),
                        "field.error.option");
    assert_null(check1(p, MH_FIELD_TEXT, NULL, false, many, 2, &vals, &n));
    assert_int_equal(n, 1);
    /* too long */
    char *big = malloc(3000);
    memset(big, 'a', 2999);
    big[2999] = '\0';
    const char *const bigv[] = {big};
    assert_string_equal(check1(p, MH_FIELD_TEXT, NULL, false, bigv, 1, &vals, &n),
                        "field.error.too_long");
    assert_null(check1(p, MH_FIELD_TEXTAREA, NULL, false, bigv, 1, &vals, &n));
    free(big);

    /* several fields: one message per refused field, in definition order;
     * the accepted ones come back; unknown inputs ignored */
    mh_field_def_t defs[] = {
        {.key = "a", .kind = MH_FIELD_NUMBER, .label = "A"},
        {.key = "b", .kind = MH_FIELD_EMAIL, .label = "B", .required = true},
        {.key = "c", .kind = MH_FIELD_TEXT, .label = "C"},
    };
    const char *const va[] = {"x"}, *const vc[] = {"fine"}, *const vz[] = {"zzz"};
    mh_field_input_t in[] = {{"c", vc, 1}, {"a", va, 1}, {"zzz", vz, 1}};
    mh_field_error_t *errs;
    size_t nerrs = 0;
    assert_int_equal(mh_fields_validate(p, defs, 3, in, 3, &vals, &n, &errs, &nerrs), MH_DECLINED);
    assert_int_equal(nerrs, 2);
    assert_string_equal(errs[0].key, "a");
    assert_string_equal(errs[0].message, "field.error.number");
    assert_string_equal(errs[1].key, "b");
    assert_string_equal(errs[1].message, "field.error.required");
    assert_int_equal(n, 1);
    assert_string_equal(vals[0].key, "c");
}

static void test_values_with_entry(void **state)
{
    struct fx *f = *state;
    mh_pool_t *p = f->p;
    mkdef(f, f->news, "price", MH_FIELD_NUMBER, NULL, true);
    mkdef(f, f->news, "material", MH_FIELD_CHECKBOX, "Steel\nCopper", false);
    mkdef(f, f->sub, "flow", MH_FIELD_TEXT, NULL, false);
    mh_field_def_t *defs;
    size_t ndefs = 0;
    assert_int_equal(mh_fields_for_column(f->c, p, f->sub, &defs, &ndefs), MH_OK);
    assert_int_equal(ndefs, 3);
    const char *const price[] = {"99"}, *const mat[] = {"Copper", "Steel"},
                      *const flow[] = {"20 m3/h"};
    mh_field_input_t in[] = {{"price", price, 1}, {"material", mat, 2}, {"flow", flow, 1}};
    mh_field_value_t *vals;
    mh_field_error_t *errs;
    size_t nvals = 0, nerrs = 0;
    assert_int_equal(mh_fields_validate(p, defs, ndefs, in, 3, &vals, &nvals, &errs, &nerrs),
                     MH_OK);
    assert_int_equal(nvals, 4);

    /* saved with the entry, in its transaction; a revision records them */
    mh_entry_t e = {.column_id = f->sub,
                    .title = "Pump P1",
                    .status = MH_STATUS_PUBLISHED,
                    .body_html = "<p>x</p>"};
    assert_int_equal(mh_editorial_entry_save_fields(f->c, p, &e, 0, vals, nvals, NULL), MH_OK);
    assert_true(e.id > 0);
    mh_field_value_t *got;
    size_t n = 0;
    assert_int_equal(mh_fields_values(f->c, p, e.id, &got, &n), MH_OK);
    assert_int_equal(n, 4);
    mh_field_item_t *items = mh_fields_items(p, defs, ndefs, got, n);
    assert_int_equal(items[0].n, 1);
    assert_string_equal(items[0].values[0], "99");
    assert_int_equal(items[1].n, 2);
    assert_string_equal(items[1].values[0], "Copper");
    assert_string_equal(items[1].values[1], "Steel");
    assert_string_equal(items[2].values[0], "20 m3/h");
    mh_revision_t *revs;
    size_t nr = 0;
    assert_int_equal(mh_editorial_revisions(f->c, p, e.id, 10, &revs, &nr), MH_OK);
    assert_int_equal(nr, 1);
    mh_revision_t rev;
    assert_int_equal(mh_editorial_revision_get(f->c, p, revs[0].id, &rev), MH_OK);
    assert_non_null(strstr(rev.snapshot, "\"fields\":{\"flow\":[\"20 m3/h\"],\"material\":"
                                         "[\"Copper\",\"Steel\"],\"price\":[\"99\"]}"));
    int64_t first_rev = revs[0].id;

    /* an update replaces them; plain saves leave them alone */
    const char *const price2[] = {"120"};
    mh_field_input_t in2[] = {{"price", price2, 1}};
    assert_int_equal(mh_fields_validate(p, defs, ndefs, in2, 1, &vals, &nvals, &errs, &nerrs),
                     MH_OK);
    assert_int_equal(mh_editorial_entry_save_fields(f->c, p, &e, 0, vals, nvals, NULL), MH_OK);
    assert_int_equal(mh_fields_values(f->c, p, e.id, &got, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_true(got[0].has_num && got[0].num == 120);
    e.title = "Pump P1b";
    assert_int_equal(mh_editorial_entry_save(f->c, p, &e, 0, NULL), MH_OK);
    assert_int_equal(mh_fields_values(f->c, p, e.id, &got, &n), MH_OK);
    assert_int_equal(n, 1);

    /* restoring the first revision brings its values back */
    assert_int_equal(mh_editorial_revision_restore(f->c, first_rev, 0), MH_OK);
    assert_int_equal(mh_fields_values(f->c, p, e.id, &got, &n), MH_OK);
    assert_int_equal(n, 4);

    /* the filter by (field, value) within a column */
    int64_t *ids, total = 0;
    size_t nids = 0;
    assert_int_equal(
        mh_fields_filter(f->c, p, f->sub, "material", "Steel", 0, 0, &ids, &nids, &total), MH_OK);
    assert_int_equal(nids, 1);
    assert_int_equal(ids[0], e.id);
    assert_int_equal(
        mh_fields_filter(f->c, p, f->news, "material", "Steel", 0, 0, &ids, &nids, &total), MH_OK);
    assert_int_equal(nids, 0);

    /* deleting a definition drops its values in the subtree */
    assert_int_equal(mh_fields_defs(f->c, p, f->news, &defs, &ndefs), MH_OK);
    assert_string_equal(defs[1].key, "material");
    assert_int_equal(mh_fields_def_delete(f->c, defs[1].id), MH_OK);
    assert_int_equal(mh_fields_values(f->c, p, e.id, &got, &n), MH_OK);
    assert_int_equal(n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_definitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_with_entry, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
