/* The media library's content layer: uploads recorded with their
 * metadata, rejections leaving nothing behind, listing and search, the
 * strict mapping of public paths to files, usage search, deletion and the
 * cover srcset for templates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "content/content.h"
#include "content/media.h"
#include "core/log.h"
#include "core/pool.h"
#include "media/media.h"

typedef struct {
    char dir[64];
    char media[128];
    mh_content_t *c;
    mh_pool_t *p;
    int64_t lang;
} fx_t;

static void *image(const char *fmt, int w, int h, size_t *len)
{
    VipsImage *xyz = NULL, *band = NULL, *rgb = NULL, *u8 = NULL;
    void *buf = NULL;
    assert_int_equal(vips_xyz(&xyz, w, h, NULL), 0);
    assert_int_equal(vips_extract_band(xyz, &band, 0, NULL), 0);
    VipsImage *three[3] = {band, band, band};
    assert_int_equal(vips_bandjoin(three, &rgb, 3, NULL), 0);
    assert_int_equal(vips_cast_uchar(rgb, &u8, NULL), 0);
    int r = strcmp(fmt, "png") == 0 ? vips_pngsave_buffer(u8, &buf, len, NULL)
                                    : vips_jpegsave_buffer(u8, &buf, len, NULL);
    assert_int_equal(r, 0);
    g_object_unref(u8);
    g_object_unref(rgb);
    g_object_unref(band);
    g_object_unref(xyz);
    return buf;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* Regular files under dir, counted recursively. */
static int count_files(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            n += count_files(path);
        else
            n++;
    }
    closedir(d);
    return n;
}

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof(*f));
    char err[256];
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-media-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char site[96];
    snprintf(site, sizeof(site), "%s/site", f->dir);
    if (mh_content_init(site, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(site, &f->c, err, sizeof(err)) != MH_OK)
        return -1;
    snprintf(f->media, sizeof(f->media), "%s/media", site);
    f->p = mh_pool_create();
    mh_language_t *langs;
    size_t n;
    if (mh_content_languages(f->c, f->p, &langs, &n) != MH_OK || n == 0)
        return -1;
    f->lang = langs[0].id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static mh_media_item_t add_png(fx_t *f, int w, int h, const char *name)
{
    size_t len;
    void *png = image("png", w, h, &len);
    mh_media_item_t m;
    assert_int_equal(mh_content_media_add(f->c, f->p, f->media, png, len, mh_str_c(name), 0, &m),
                     MH_OK);
    g_free(png);
    return m;
}

static void test_add_records_metadata(void **state)
{
    fx_t *f = *state;
    mh_media_item_t m = add_png(f, 700, 300, "holiday photo.png");
    assert_true(m.id > 0);
    assert_string_equal(m.mime, "image/png");
    assert_string_equal(m.original_name, "holiday photo.png");
    assert_int_equal(m.width, 700);
    assert_int_equal(m.height, 300);
    assert_string_equal(m.variants, "320 640 700");
    assert_int_equal(strlen(m.stored_name), 37);
    assert_string_equal(m.stored_name + 33, ".png");

    mh_media_item_t back;
    assert_int_equal(mh_content_media_get(f->c, f->p, m.id, &back), MH_OK);
    assert_string_equal(back.stored_name, m.stored_name);
    assert_string_equal(back.original_name, "holiday photo.png");
    assert_int_equal(back.size, m.size);
    assert_true(back.size > 0);
    assert_int_equal(mh_content_media_by_name(f->c, f->p, m.stored_name, &back), MH_OK);
    assert_int_equal(back.id, m.id);
    assert_int_equal(mh_content_media_get(f->c, f->p, m.id + 100, &back), MH_DECLINED);
    /* the file and its three variants */
    assert_int_equal(count_files(f->media), 4);
}

static void test_hostile_names_are_metadata_only(void **state)
{
    fx_t *f = *state;
    size_t len;
    void *png = image("png", 40, 40, &len);
    const char raw[] = "../../../../etc/passwd\0.png";
    mh_media_item_t m;
    assert_int_equal(
        mh_content_media_add(f->c, f->p, f->media, png, len, mh_str(raw, sizeof(raw) - 1), 0, &m),
        MH_OK);
    g_free(png);
    assert_string_equal(m.original_name, "../../../../etc/passwd_.png");
    assert_int_equal(m.stored_name[2], '/');
    assert_null(strstr(m.stored_name, ".."));
    assert_null(strstr(m.stored_name, "passwd"));
    /* the download name keeps only the last component, with the real type */
    mh_media_file_t file;
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(m.stored_name), &file), MH_OK);
    assert_string_equal(file.download_name, "passwd_.png");

    /* invalid UTF-8 and control bytes never reach the database */
    png = image("png", 30, 30, &len);
    assert_int_equal(mh_content_media_add(f->c, f->p, f->media, png, len,
                                          mh_str_c("a\xff\x01\xe4\xb8\xad.png"), 0, &m),
                     MH_OK);
    g_free(png);
    assert_string_equal(m.original_name, "a__\xe4\xb8\xad.png");
}

static void test_rejections_leave_nothing(void **state)
{
    fx_t *f = *state;
    mh_media_item_t m;
    const char *shell = "#!/bin/sh\nrm -rf / --no-preserve-root\n";
    int rc = mh_content_media_add(f->c, f->p, f->media, shell, strlen(shell),
                                  mh_str_c("innocent.jpg"), 0, &m);
    assert_true(rc == MH_MEDIA_ETYPE);
    const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    rc = mh_content_media_add(f->c, f->p, f->media, svg, strlen(svg), mh_str_c("x.svg"), 0, &m);
    assert_int_equal(rc, MH_MEDIA_ESVG);
    size_t len;
    unsigned char *jpg = image("jpg", 64, 64, &len);
    unsigned char *poly = malloc(len + 64);
    memcpy(poly, jpg, len);
    memcpy(poly + len, "<script>alert(document.cookie)</script>", 40);
    rc = mh_content_media_add(f->c, f->p, f->media, poly, len + 40, mh_str_c("p.jpg"), 0, &m);
    assert_int_equal(rc, MH_MEDIA_EPOLYGLOT);
    free(poly);
    g_free(jpg);
    rc = mh_content_media_add(f->c, f->p, f->media, "", 0, mh_str_c("empty.png"), 0, &m);
    assert_int_equal(rc, MH_MEDIA_EEMPTY);

    mh_media_item_t *items;
    size_t n;
    int64_t total;
    mh_media_query_t q = {0};
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    assert_int_equal(count_files(f->media), 0);
}

static void test_list_search_kind_pages(void **state)
{
    fx_t *f = *state;
    add_png(f, 20, 20, "Annual Report cover.png");
    add_png(f, 20, 20, "team.png");
    add_png(f, 20, 20, "report-2.png");
    const char *csv = "name,value\nalpha,1\nbeta,2\n";
    mh_media_item_t doc;
    assert_int_equal(mh_content_media_add(f->c, f->p, f->media, csv, strlen(csv),
                                          mh_str_c("report.csv"), 0, &doc),
                     MH_OK);
    assert_string_equal(doc.mime, "text/csv");
    assert_string_equal(doc.variants, "");
    assert_int_equal(doc.width, 0);

    mh_media_item_t *items;
    size_t n;
    int64_t total;
    mh_media_query_t q = {.search = "REPORT"};
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);
    /* newest first */
    assert_string_equal(items[0].original_name, "report.csv");
    q.kind = MH_MEDIA_KIND_IMAGE;
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    q.kind = MH_MEDIA_KIND_DOCUMENT;
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_string_equal(items[0].mime, "text/csv");
    /* LIKE wildcards are plain characters */
    q = (mh_media_query_t){.search = "%"};
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    q = (mh_media_query_t){.limit = 3, .offset = 3};
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].original_name, "Annual Report cover.png");
    q.offset = 40;
    assert_int_equal(mh_content_media_list(f->c, f->p, &q, &items, &n, &total), MH_OK);
    assert_int_equal(n, 0);
}

static void test_resolve_is_strict(void **state)
{
    fx_t *f = *state;
    mh_media_item_t m = add_png(f, 900, 500, "a.png");
    mh_media_file_t file;
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(m.stored_name), &file), MH_OK);
    assert_string_equal(file.mime, "image/png");
    assert_true(file.inline_ok);
    assert_string_equal(file.rel_path, m.stored_name);
    assert_non_null(file.etag);

    const char *v640 = mh_media_variant_name(f->p, m.stored_name, 640);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(v640), &file), MH_OK);
    assert_string_equal(file.mime, "image/webp");
    assert_string_equal(file.rel_path, v640);
    assert_string_not_equal(file.etag, "");
    const void *data;
    size_t len;
    assert_int_equal(mh_content_media_load(f->p, f->media, file.rel_path, 1 << 24, &data, &len),
                     MH_OK);
    assert_true(len > 12);
    assert_memory_equal((const char *)data + 8, "WEBP", 4);

    /* a width the row does not list, even if a file were there */
    const char *v500 = mh_media_variant_name(f->p, m.stored_name, 500);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(v500), &file), MH_DECLINED);

    char bad[128];
    const char *tries[] = {
        "../site.db",
        "..%2fsite.db",
        "",
        "ab",
        "ab/../../site.db",
        "AB/0123456789abcdef0123456789abcd.png",
        "ab/0123456789abcdef0123456789abcd.png", /* right shape, not in the table */
        "ab/0123456789abcdef0123456789abcd.PNG",
    };
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
        assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(tries[i]), &file),
                         MH_DECLINED);
    /* the stored name with a suffix, a prefix, a NUL, a second slash */
    snprintf(bad, sizeof(bad), "%s/x", m.stored_name);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(bad), &file), MH_DECLINED);
    snprintf(bad, sizeof(bad), "/%s", m.stored_name);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(bad), &file), MH_DECLINED);
    snprintf(bad, sizeof(bad), "%s", m.stored_name);
    bad[10] = '\0';
    assert_int_equal(
        mh_content_media_resolve(f->c, f->p, mh_str(bad, strlen(m.stored_name)), &file),
        MH_DECLINED);
    snprintf(bad, sizeof(bad), "%.33s-0640.webp", m.stored_name);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(bad), &file), MH_DECLINED);
    snprintf(bad, sizeof(bad), "%.33s-640.webp.png", m.stored_name);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(bad), &file), MH_DECLINED);
    /* loading refuses anything but the stored shape */
    assert_int_equal(mh_content_media_load(f->p, f->media, "../site.db", 1 << 24, &data, &len),
                     MH_DECLINED);
    assert_int_equal(mh_content_media_load(f->p, f->media, m.stored_name, 10, &data, &len),
                     MH_TOOBIG);
}

static void test_document_is_attachment(void **state)
{
    fx_t *f = *state;
    const char *pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                      "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                      "trailer<</Root 1 0 R>>\n%%EOF\n";
    mh_media_item_t m;
    assert_int_equal(mh_content_media_add(f->c, f->p, f->media, pdf, strlen(pdf),
                                          mh_str_c("Annual \"report\".pdf"), 0, &m),
                     MH_OK);
    assert_string_equal(m.mime, "application/pdf");
    mh_media_file_t file;
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(m.stored_name), &file), MH_OK);
    assert_false(file.inline_ok);
    assert_string_equal(file.mime, "application/pdf");
    assert_string_equal(file.download_name, "Annual _report_.pdf");
    /* a document has no variants */
    char v[128];
    snprintf(v, sizeof(v), "%.33s-320.webp", m.stored_name);
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(v), &file), MH_DECLINED);
}

static void test_uses_and_delete(void **state)
{
    fx_t *f = *state;
    mh_media_item_t cover = add_png(f, 800, 400, "cover.png");
    mh_media_item_t inbody = add_png(f, 800, 400, "body.png");
    mh_media_item_t free_one = add_png(f, 800, 400, "free.png");

    mh_column_t col = {.lang_id = f->lang,
                       .module = MH_MODULE_ARTICLE,
                       .name = "News",
                       .nav = MH_NAV_HEADER,
                       .page_size = 10,
                       .visible = true};
    int64_t col_id, e1, e2;
    assert_int_equal(mh_content_column_create(f->c, &col, &col_id), MH_OK);
    mh_entry_t e = {.column_id = col_id,
                    .title = "With cover",
                    .body_html = "<p>x</p>",
                    .cover = cover.stored_name,
                    .status = MH_STATUS_PUBLISHED};
    assert_int_equal(mh_content_entry_create(f->c, &e, &e1), MH_OK);
    const char *body =
        mh_psprintf(f->p, "<p><img src=\"/media/%.33s-640.webp\"></p>", inbody.stored_name);
    mh_entry_t e2v = {
        .column_id = col_id, .title = "With image", .body_html = body, .status = MH_STATUS_DRAFT};
    assert_int_equal(mh_content_entry_create(f->c, &e2v, &e2), MH_OK);

    mh_media_use_t *uses;
    size_t n;
    assert_int_equal(mh_content_media_uses(f->c, f->p, &cover, &uses, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(uses[0].kind, "entry");
    assert_string_equal(uses[0].field, "cover");
    assert_int_equal(uses[0].id, e1);
    assert_string_equal(uses[0].title, "With cover");
    assert_int_equal(mh_content_media_uses(f->c, f->p, &inbody, &uses, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(uses[0].field, "body");
    assert_int_equal(uses[0].id, e2);
    assert_int_equal(mh_content_media_uses(f->c, f->p, &free_one, &uses, &n), MH_OK);
    assert_int_equal(n, 0);

    int before = count_files(f->media);
    uint64_t gen = mh_content_generation(f->c);
    assert_int_equal(mh_content_media_delete(f->c, f->media, &free_one), MH_OK);
    assert_true(mh_content_generation(f->c) > gen);
    assert_int_equal(count_files(f->media), before - 4);
    mh_media_item_t gone;
    assert_int_equal(mh_content_media_get(f->c, f->p, free_one.id, &gone), MH_DECLINED);
    mh_media_file_t file;
    assert_int_equal(mh_content_media_resolve(f->c, f->p, mh_str_c(free_one.stored_name), &file),
                     MH_DECLINED);
    assert_int_equal(mh_content_media_delete(f->c, f->media, &free_one), MH_DECLINED);
}

static void test_cover_srcset(void **state)
{
    fx_t *f = *state;
    mh_media_item_t m = add_png(f, 1500, 600, "wide.png");
    const char *url, *srcset;
    assert_int_equal(mh_content_media_srcset(f->c, f->p, m.stored_name, &url, &srcset), MH_OK);
    assert_string_equal(url, mh_psprintf(f->p, "/media/%s", m.stored_name));
    const char *want = mh_psprintf(f->p,
                                   "/media/%.33s-320.webp 320w, /media/%.33s-640.webp 640w, "
                                   "/media/%.33s-1280.webp 1280w",
                                   m.stored_name, m.stored_name, m.stored_name);
    assert_string_equal(srcset, want);
    /* the URL form is accepted too */
    assert_int_equal(mh_content_media_srcset(f->c, f->p, url, &url, &srcset), MH_OK);
    assert_string_equal(srcset, want);
    /* external URLs, unknown names and documents are left alone */
    assert_int_equal(
        mh_content_media_srcset(f->c, f->p, "https://example.com/a.jpg", &url, &srcset),
        MH_DECLINED);
    assert_int_equal(
        mh_content_media_srcset(f->c, f->p, "ab/0123456789abcdef0123456789abcd.png", &url, &srcset),
        MH_DECLINED);
    assert_int_equal(mh_content_media_srcset(f->c, f->p, "", &url, &srcset), MH_DECLINED);
    assert_int_equal(mh_content_media_srcset(f->c, f->p, NULL, &url, &srcset), MH_DECLINED);
}

int main(void)
{
    mh_log_set_level(MH_LOG_ERROR);
    if (mh_media_init() != MH_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_records_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names_are_metadata_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejections_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_search_kind_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_is_strict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_document_is_attachment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uses_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_srcset, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    mh_media_shutdown();
    return failed;
}
