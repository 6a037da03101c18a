/* Entry images, product tabs, related entries and filtered lists through
 * the content API: validation and resolution of image references, order,
 * sanitised tabs, related entries cleaned to the entry's language, the
 * content generation moving only for public entries, filters combined
 * across fields with counts per value, and revisions keeping images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "content/content.h"
#include "content/editorial.h"
#include "content/fields.h"
#include "content/images.h"
#include "content/media.h"
#include "media/media.h"

struct fx {
    char tmp[64];
    char dir[96];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t lang, other_lang, col, sub, col_other;
    const char *ref; /* a stored image */
};

static int64_t mkcol(struct fx *f, int64_t lang, int64_t parent, const char *name)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = lang,
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
    mh_language_t *langs, zh = {.code = "zh-CN", .name = "中文", .prefix = "zh", .position = 1};
    size_t n;
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-images-XXXXXX");
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
    if (mh_content_language_create(f->c, &zh, &f->other_lang) != MH_OK)
        return -1;
    f->col = mkcol(f, f->lang, 0, "Products");
    f->sub = mkcol(f, f->lang, f->col, "Pumps");
    f->col_other = mkcol(f, f->other_lang, 0, "产品");
    void *data;
    size_t len;
    mh_media_item_t m;
    if (mh_media_demo_image(400, 300, 1, &data, &len) != MH_OK ||
        mh_content_media_add(f->c, f->p, mh_content_media_dir(f->c), data, len, mh_str_c("a.jpg"),
                             0, &m) != MH_OK)
        return -1;
    g_free(data);
    f->ref = mh_content_media_url(f->p, m.stored_name);
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

static int64_t mkentry(struct fx *f, int64_t col, int64_t lang, const char *title,
                       mh_status_t status, const char *material, const char *size)
{
    mh_field_value_t v[2];
    size_t n = 0;
    if (material)
        v[n++] = (mh_field_value_t){.key = "material", .text = material};
    if (size)
        v[n++] = (mh_field_value_t){.key = "size", .text = size};
    mh_entry_t e = {.column_id = col,
                    .lang_id = lang,
                    .title = title,
                    .body_html = "<p>x</p>",
                    .status = status,
                    .publish_at = 1000};
    int64_t id = 0;
    assert_int_equal(mh_content_entry_save_fields(f->c, &e, &id, v, n), MH_OK);
    return id;
}

static void test_images_prepare_and_order(void **state)
{
    struct fx *f = *state;
    const char *refs[] = {"", f->ref, "https://img.example.org/b.png", "  "};
    const char *caps[] = {"ignored", "  Front  ", "Outside", ""};
    mh_entry_image_t *im, *got;
    size_t n, ng;
    const char *msg = "x";
    assert_int_equal(mh_images_prepare(f->c, f->p, refs, caps, 4, &im, &n, &msg), MH_OK);
    assert_null(msg);
    assert_int_equal(n, 2);
    assert_string_equal(im[0].ref, f->ref);
    assert_string_equal(im[0].url, f->ref);
    assert_string_equal(im[0].caption, "Front");
    assert_int_equal(im[0].width, 400);
    assert_int_equal(im[0].height, 300);
    assert_non_null(strstr(im[0].thumb, ".webp")); /* a variant */
    assert_string_equal(im[1].url, "https://img.example.org/b.png");
    assert_string_equal(im[1].thumb, im[1].url);
    assert_int_equal(im[1].width, 0);

    int64_t id = mkentry(f, f->col, f->lang, "Pump", MH_STATUS_PUBLISHED, NULL, NULL);
    uint64_t g0 = mh_content_generation(f->c);
    assert_int_equal(mh_images_set(f->c, id, im, n), MH_OK);
    assert_true(mh_content_generation(f->c) > g0); /* a public entry's images show */
    assert_int_equal(mh_images_get(f->c, f->p, id, false, &got, &ng), MH_OK);
    assert_int_equal(ng, 2);
    assert_int_equal(got[0].position, 0);
    assert_int_equal(got[1].position, 1);
    assert_string_equal(got[1].caption, "Outside");
    /* reversed */
    mh_entry_image_t rev[2] = {im[1], im[0]};
    assert_int_equal(mh_images_set(f->c, id, rev, 2), MH_OK);
    assert_int_equal(mh_images_get(f->c, f->p, id, false, &got, &ng), MH_OK);
    assert_string_equal(got[0].caption, "Outside");

    /* a draft's images start no new generation */
    int64_t draft = mkentry(f, f->col, f->lang, "Draft", MH_STATUS_DRAFT, NULL, NULL);
    g0 = mh_content_generation(f->c);
    assert_int_equal(mh_images_set(f->c, draft, im, n), MH_OK);
    assert_int_equal(mh_content_generation(f->c), g0);
}

static void test_images_refused(void **state)
{
    struct fx *f = *state;
    mh_entry_image_t *im;
    size_t n;
    const char *msg;
    const char *bad[] = {"javascript:alert(1)", "ftp://x.example.org/a.jpg", "relative.jpg",
                         "/media/00/000000000000000000000000000000.jpg",
                         "data:image/png;base64,AA"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        msg = NULL;
        assert_int_equal(mh_images_prepare(f->c, f->p, &bad[i], NULL, 1, &im, &n, &msg),
                         MH_DECLINED);
        assert_string_equal(msg, "images.error.url");
    }
    char cap[MH_CAPTION_MAX + 2];
    memset(cap, 'c', sizeof(cap) - 1);
    cap[sizeof(cap) - 1] = '\0';
    const char *r = f->ref, *c = cap;
    assert_int_equal(mh_images_prepare(f->c, f->p, &r, &c, 1, &im, &n, &msg), MH_DECLINED);
    assert_string_equal(msg, "images.error.caption");
    const char *many[MH_IMAGES_MAX + 1];
    for (size_t i = 0; i <= MH_IMAGES_MAX; i++)
        many[i] = "https://img.example.org/x.jpg";
    assert_int_equal(mh_images_prepare(f->c, f->p, many, NULL, MH_IMAGES_MAX + 1, &im, &n, &msg),
                     MH_DECLINED);
    assert_string_equal(msg, "images.error.too_many");
}

static void test_tabs_and_related(void **state)
{
    struct fx *f = *state;
    const char *titles[] = {"Specifications", "", "", "Service"};
    const char *bodies[] = {"<p onclick=\"x()\">DN50</p><script>alert(1)</script>", "", "  ",
                            "<p>Two years</p>"};
    mh_entry_tab_t *t, *got;
    size_t n, ng;
    const char *msg;
    assert_int_equal(mh_tabs_prepare(f->c, f->p, titles, bodies, 4, &t, &n, &msg), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(t[0].body_html, "<p>DN50</p>");
    assert_string_equal(t[1].title, "Service");
    const char *orphan_t[] = {""}, *orphan_b[] = {"<p>text</p>"};
    assert_int_equal(mh_tabs_prepare(f->c, f->p, orphan_t, orphan_b, 1, &t, &n, &msg), MH_DECLINED);
    assert_string_equal(msg, "tabs.error.title");

    int64_t a = mkentry(f, f->col, f->lang, "A", MH_STATUS_PUBLISHED, NULL, NULL);
    int64_t b = mkentry(f, f->sub, f->lang, "B", MH_STATUS_PUBLISHED, NULL, NULL);
    int64_t zh = mkentry(f, f->col_other, f->other_lang, "乙", MH_STATUS_PUBLISHED, NULL, NULL);
    assert_int_equal(mh_tabs_prepare(f->c, f->p, titles, bodies, 4, &t, &n, &msg), MH_OK);
    assert_int_equal(mh_tabs_set(f->c, a, t, n), MH_OK);
    assert_int_equal(mh_tabs_get(f->c, f->p, a, &got, &ng), MH_OK);
    assert_int_equal(ng, 2);
    assert_string_equal(got[1].body_html, "<p>Two years</p>");

    int64_t ids[] = {b, a, zh, 999999, b, -3};
    int64_t *clean, *rel;
    size_t nc, nr;
    assert_int_equal(mh_related_clean(f->c, f->p, a, f->lang, ids, 6, &clean, &nc), MH_OK);
    assert_int_equal(nc, 1); /* not itself, not another language, no unknown id, once */
    assert_int_equal(clean[0], b);
    assert_int_equal(mh_related_set(f->c, a, clean, nc), MH_OK);
    assert_int_equal(mh_related_get(f->c, f->p, a, &rel, &nr), MH_OK);
    assert_int_equal(nr, 1);
    assert_int_equal(rel[0], b);
}

static void def(struct fx *f, const char *key, const char *options)
{
    mh_field_def_t d = {.column_id = f->col,
                        .key = key,
                        .kind = MH_FIELD_SELECT,
                        .label = key,
                        .options = options,
                        .filterable = true};
    const char *msg = NULL;
    int64_t id;
    assert_int_equal(mh_fields_def_create(f->c, &d, &id, &msg), MH_OK);
}

static int64_t facet(struct fx *f, const char *key, const mh_list_filter_t *fl, size_t n,
                     const char *value)
{
    mh_facet_count_t *fc;
    size_t nf;
    assert_int_equal(mh_list_facet(f->c, f->p, f->lang, f->col, key, fl, n, &fc, &nf), MH_OK);
    for (size_t i = 0; i < nf; i++)
        if (strcmp(fc[i].value, value) == 0)
            return fc[i].count;
    return 0;
}

static void test_filters_and_counts(void **state)
{
    struct fx *f = *state;
    def(f, "material", "Steel\nAluminium");
    def(f, "size", "S\nL");
    mkentry(f, f->col, f->lang, "s1", MH_STATUS_PUBLISHED, "Steel", "S");
    mkentry(f, f->col, f->lang, "s2", MH_STATUS_PUBLISHED, "Steel", "L");
    mkentry(f, f->sub, f->lang, "s3", MH_STATUS_PUBLISHED, "Steel", "L"); /* a sub-column */
    mkentry(f, f->col, f->lang, "a1", MH_STATUS_PUBLISHED, "Aluminium", "L");
    mkentry(f, f->col, f->lang, "d1", MH_STATUS_DRAFT, "Steel", "L"); /* not public */
    int64_t gone = mkentry(f, f->col, f->lang, "t1", MH_STATUS_PUBLISHED, "Steel", "S");
    assert_int_equal(mh_editorial_entry_trash(f->c, gone), MH_OK);

    mh_entry_t *es;
    size_t n;
    int64_t total;
    mh_list_filter_t steel[] = {{"material", "Steel"}};
    assert_int_equal(
        mh_list_filtered(f->c, f->p, f->lang, f->col, steel, 1, 0, 10, &es, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);
    assert_null(es[0].body_html);
    mh_list_filter_t both[] = {{"material", "Steel"}, {"size", "L"}};
    assert_int_equal(mh_list_filtered(f->c, f->p, f->lang, f->col, both, 2, 0, 10, &es, &n, &total),
                     MH_OK);
    assert_int_equal(total, 2);
    /* paging */
    assert_int_equal(mh_list_filtered(f->c, f->p, f->lang, f->col, both, 2, 1, 1, &es, &n, &total),
                     MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    /* read twice in one generation: the same answer (memoised) */
    assert_int_equal(mh_list_filtered(f->c, f->p, f->lang, f->col, both, 2, 0, 10, &es, &n, &total),
                     MH_OK);
    assert_int_equal(total, 2);
    mh_list_filter_t none[] = {{"material", "Gold"}};
    assert_int_equal(mh_list_filtered(f->c, f->p, f->lang, f->col, none, 1, 0, 10, &es, &n, &total),
                     MH_OK);
    assert_int_equal(total, 0);

    /* counts: all public entries; then among those matching the other
     * fields' filters */
    assert_int_equal(facet(f, "material", NULL, 0, "Steel"), 3);
    assert_int_equal(facet(f, "material", NULL, 0, "Aluminium"), 1);
    assert_int_equal(facet(f, "size", steel, 1, "L"), 2);
    assert_int_equal(facet(f, "size", steel, 1, "S"), 1);
    mh_list_filter_t large[] = {{"size", "L"}};
    assert_int_equal(facet(f, "material", large, 1, "Aluminium"), 1);
    assert_int_equal(facet(f, "material", both, 2, "Aluminium"), 1); /* own key ignored */

    /* a new value moves the generation and the counts follow */
    mkentry(f, f->col, f->lang, "a2", MH_STATUS_PUBLISHED, "Aluminium", "S");
    assert_int_equal(facet(f, "material", NULL, 0, "Aluminium"), 2);
}

static void test_revisions_keep_images(void **state)
{
    struct fx *f = *state;
    mh_entry_t e = {.column_id = f->col,
                    .lang_id = f->lang,
                    .title = "Rev",
                    .body_html = "<p>x</p>",
                    .status = MH_STATUS_PUBLISHED,
                    .publish_at = 1000};
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK);
    const char *refs[] = {f->ref}, *caps[] = {"One"};
    mh_entry_image_t *im, *got;
    size_t n, ng;
    const char *msg;
    assert_int_equal(mh_images_prepare(f->c, f->p, refs, caps, 1, &im, &n, &msg), MH_OK);
    assert_int_equal(mh_images_set(f->c, e.id, im, n), MH_OK);
    assert_int_equal(mh_editorial_entry_save(f->c, f->p, &e, 0, NULL), MH_OK); /* revision 2 */
    mh_revision_t *revs;
    size_t nrev;
    assert_int_equal(mh_editorial_revisions(f->c, f->p, e.id, 0, &revs, &nrev), MH_OK);
    assert_true(nrev >= 2);
    assert_non_null(strstr(revs[0].snapshot, "\"images\""));
    int64_t with_images = revs[0].id, without = revs[nrev - 1].id;
    /* back to the first revision: no images */
    assert_int_equal(mh_editorial_revision_restore(f->c, without, 0), MH_OK);
    assert_int_equal(mh_images_get(f->c, f->p, e.id, false, &got, &ng), MH_OK);
    assert_int_equal(ng, 0);
    assert_int_equal(mh_editorial_revision_restore(f->c, with_images, 0), MH_OK);
    assert_int_equal(mh_images_get(f->c, f->p, e.id, false, &got, &ng), MH_OK);
    assert_int_equal(ng, 1);
    assert_string_equal(got[0].caption, "One");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_images_prepare_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_images_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tabs_and_related, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revisions_keep_images, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
