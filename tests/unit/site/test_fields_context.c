/* Custom fields in the template context: entry.fields (definition order,
 * label, kind, values), entry.field.<key>, and the show_in_list fields of
 * list items, rendered through a product column's own templates
 * (list-product, entry-product) in a copy of the default theme. */
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
#include "core/buf.h"
#include "site/site.h"

static char dir[256];
static mh_content_t *content;
static mh_site_t *site;

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    char site_dir[300], theme[300], cmd[700], path[400], err[256];
    snprintf(dir, sizeof(dir), "/tmp/mh-fctx-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(site_dir, sizeof(site_dir), "%s/site", dir);
    snprintf(theme, sizeof(theme), "%s/theme", dir);
    snprintf(cmd, sizeof(cmd), "cp -r '%s/themes/default' '%s'", MH_DATADIR, theme);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/templates/entry-product.mustache", theme);
    write_file(path, "<h1>{{entry.title}}</h1>"
                     "{{#entry.fields}}[{{key}}|{{label}}|{{kind}}|{{value}}|"
                     "{{#values}}<{{.}}>{{/values}}]{{/entry.fields}}"
                     "price={{entry.field.price}};material={{entry.field.material}}\n");
    snprintf(path, sizeof(path), "%s/templates/list-product.mustache", theme);
    write_file(path, "{{#entries}}({{title}}:{{#fields}}{{key}}={{value}};{{/fields}})"
                     "{{/entries}}\n");
    if (mh_content_init(site_dir, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(site_dir, &content, err, sizeof(err)) != MH_OK ||
        mh_site_open(&site, content, theme, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mh_site_close(site);
    mh_content_close(content);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *get(const char *path, int *status)
{
    mh_pool_t *p = mh_pool_create();
    mh_page_t page;
    memset(&page, 0, sizeof(page));
    assert_int_equal(
        mh_site_handle(site, p, mh_str_c("example.org"), mh_str_c(path), MH_STR_NULL, &page),
        MH_OK);
    *status = page.status;
    char *body = strndup(page.body.base ? page.body.base : "", page.body.len);
    mh_buf_free(&page.body);
    mh_pool_destroy(p);
    return body;
}

static void test_fields_in_context(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs;
    size_t n;
    assert_int_equal(mh_content_languages(content, p, &langs, &n), MH_OK);
    mh_column_t col = {.lang_id = langs[0].id,
                       .module = MH_MODULE_PRODUCT,
                       .name = "Products",
                       .slug = "products",
                       .nav = MH_NAV_HEADER,
                       .page_size = 10,
                       .visible = true};
    int64_t cid = 0, id = 0;
    assert_int_equal(mh_content_column_create(content, &col, &cid), MH_OK);
    const char *msg;
    mh_field_def_t d1 = {.column_id = cid,
                         .key = "price",
                         .kind = MH_FIELD_NUMBER,
                         .label = "Price <USD>",
                         .show_in_list = true};
    mh_field_def_t d2 = {.column_id = cid,
                         .key = "material",
                         .kind = MH_FIELD_CHECKBOX,
                         .label = "Material",
                         .options = "Steel\nCopper"};
    mh_field_def_t d3 = {.column_id = cid, .key = "note", .kind = MH_FIELD_TEXT, .label = "Note"};
    assert_int_equal(mh_fields_def_create(content, &d1, &id, &msg), MH_OK);
    assert_int_equal(mh_fields_def_create(content, &d2, &id, &msg), MH_OK);
    assert_int_equal(mh_fields_def_create(content, &d3, &id, &msg), MH_OK);
    mh_field_value_t vals[] = {{.key = "material", .seq = 0, .text = "Steel"},
                               {.key = "material", .seq = 1, .text = "Copper"},
                               {.key = "price", .text = "9.5", .has_num = true, .num = 9.5}};
    mh_entry_t e = {.column_id = cid,
                    .title = "Valve",
                    .slug = "valve",
                    .status = MH_STATUS_PUBLISHED,
                    .publish_at = 1000,
                    .body_html = ""};
    assert_int_equal(mh_editorial_entry_save_fields(content, p, &e, 0, vals, 3, NULL), MH_OK);

    int status = 0;
    char *body = get("/products/valve.html", &status);
    assert_int_equal(status, 200);
    /* definition order, escaped label, joined and listed values; the field
     * without a value is left out */
    assert_non_null(strstr(body, "[price|Price &lt;USD&gt;|number|9.5|<9.5>]"
                                 "[material|Material|checkbox|Steel, Copper|<Steel><Copper>]"
                                 "price=9.5;material=Steel, Copper"));
    assert_null(strstr(body, "[note|"));
    free(body);

    body = get("/products/", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(body, "(Valve:price=9.5;)")); /* show_in_list only */
    free(body);
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fields_in_context, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
