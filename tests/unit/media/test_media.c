/* Upload validation and storage: type from content, polyglots, bombs,
 * metadata stripping, variants, and the names used on disk and for
 * downloads. Test images are made here with libvips; the few zip-based
 * documents live in tests/data/media (see make-samples.py there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

#include "core/file.h"
#include "core/log.h"
#include "core/pool.h"
#include "media/media.h"

typedef struct {
    unsigned char *p;
    size_t len;
} blob_t;

static void blob_free(blob_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

static blob_t blob_copy(const void *data, size_t len)
{
    blob_t b = {malloc(len + 1), len};
    assert_non_null(b.p);
    memcpy(b.p, data, len);
    return b;
}

static blob_t blob_str(const char *s)
{
    return blob_copy(s, strlen(s));
}

static void blob_append(blob_t *b, const void *data, size_t len)
{
    b->p = realloc(b->p, b->len + len + 1);
    assert_non_null(b->p);
    memcpy(b->p + b->len, data, len);
    b->len += len;
}

static bool blob_has(const void *hay, size_t len, const char *needle)
{
    return memmem(hay, len, needle, strlen(needle)) != NULL;
}

/* A w x h colour image with some structure, encoded as fmt
 * ("jpg", "png", "gif", "webp"). */
static blob_t make_image(const char *fmt, int w, int h)
{
    VipsImage *xyz = NULL, *band = NULL, *rgb = NULL, *u8 = NULL;
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(vips_xyz(&xyz, w, h, NULL), 0);
    assert_int_equal(vips_extract_band(xyz, &band, 0, NULL), 0);
    VipsImage *three[3] = {band, band, band};
    assert_int_equal(vips_bandjoin(three, &rgb, 3, NULL), 0);
    assert_int_equal(vips_cast_uchar(rgb, &u8, NULL), 0);
    int r = -1;
    if (strcmp(fmt, "jpg") == 0)
        r = vips_jpegsave_buffer(u8, &buf, &len, NULL);
    else if (strcmp(fmt, "png") == 0)
        r = vips_pngsave_buffer(u8, &buf, &len, NULL);
    else if (strcmp(fmt, "gif") == 0)
        r = vips_gifsave_buffer(u8, &buf, &len, NULL);
    else if (strcmp(fmt, "webp") == 0)
        r = vips_webpsave_buffer(u8, &buf, &len, NULL);
    assert_int_equal(r, 0);
    blob_t b = blob_copy(buf, len);
    g_free(buf);
    g_object_unref(u8);
    g_object_unref(rgb);
    g_object_unref(band);
    g_object_unref(xyz);
    return b;
}

static void put16le(unsigned char *p, unsigned v)
{
    p[0] = v & 0xff;
    p[1] = (v >> 8) & 0xff;
}

static void put32le(unsigned char *p, uint32_t v)
{
    put16le(p, v & 0xffff);
    put16le(p + 2, v >> 16);
}

static void ifd_entry(unsigned char *p, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    put16le(p, tag);
    put16le(p + 2, type);
    put32le(p + 4, count);
    put32le(p + 8, value);
}

/* A JPEG carrying an EXIF APP1 segment with Orientation = 6 (rotate 90
 * degrees clockwise to display) and a GPS IFD (latitude 48 deg 51' N). */
static blob_t make_exif_jpeg(int w, int h)
{
    unsigned char tiff[92] = {'I', 'I', 42, 0, 8, 0, 0, 0};
    put16le(tiff + 8, 2); /* IFD0: two entries */
    ifd_entry(tiff + 10, 0x0112, 3, 1, 6);
    ifd_entry(tiff + 22, 0x8825, 4, 1, 38); /* GPS IFD offset */
    put32le(tiff + 34, 0);
    put16le(tiff + 38, 2); /* GPS IFD */
    ifd_entry(tiff + 40, 0x0001, 2, 2, 'N');
    ifd_entry(tiff + 52, 0x0002, 5, 3, 68);
    put32le(tiff + 64, 0);
    uint32_t lat[6] = {48, 1, 51, 1, 0, 1};
    for (int i = 0; i < 6; i++)
        put32le(tiff + 68 + 4 * i, lat[i]);

    blob_t plain = make_image("jpg", w, h);
    unsigned seglen = 2 + 6 + sizeof(tiff);
    unsigned char hdr[10] = {0xff, 0xe1, seglen >> 8, seglen & 0xff, 'E', 'x', 'i', 'f', 0, 0};
    blob_t out = blob_copy(plain.p, 2); /* SOI */
    blob_append(&out, hdr, sizeof(hdr));
    blob_append(&out, tiff, sizeof(tiff));
    blob_append(&out, plain.p + 2, plain.len - 2);
    blob_free(&plain);
    return out;
}

static void png_chunk(blob_t *b, const char *type, const unsigned char *data, uint32_t len)
{
    unsigned char be[4] = {len >> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff};
    blob_append(b, be, 4);
    blob_append(b, type, 4);
    if (len)
        blob_append(b, data, len);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, len);
    unsigned char c[4] = {(crc >> 24) & 0xff, (crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff};
    blob_append(b, c, 4);
}

/* A valid 1-bit PNG of side x side zero pixels: a few KB of bytes that
 * would decode to side * side pixels. */
static blob_t make_png_bomb(uint32_t side)
{
    blob_t b = blob_copy("\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {side >> 24,
                              (side >> 16) & 0xff,
                              (side >> 8) & 0xff,
                              side & 0xff,
                              side >> 24,
                              (side >> 16) & 0xff,
                              (side >> 8) & 0xff,
                              side & 0xff,
                              1,
                              0,
                              0,
                              0,
                              0};
    png_chunk(&b, "IHDR", ihdr, sizeof(ihdr));
    size_t rowlen = 1 + (side + 7) / 8;
    unsigned char *row = calloc(1, rowlen);
    size_t cap = 1 << 20;
    unsigned char *z = malloc(cap);
    z_stream s = {0};
    assert_int_equal(deflateInit(&s, 9), Z_OK);
    s.next_out = z;
    s.avail_out = (uInt)cap;
    for (uint32_t y = 0; y < side; y++) {
        s.next_in = row;
        s.avail_in = (uInt)rowlen;
        assert_int_equal(deflate(&s, y + 1 == side ? Z_FINISH : Z_NO_FLUSH),
                         y + 1 == side ? Z_STREAM_END : Z_OK);
        assert_true(s.avail_out > 0);
    }
    png_chunk(&b, "IDAT", z, (uint32_t)(cap - s.avail_out));
    deflateEnd(&s);
    png_chunk(&b, "IEND", NULL, 0);
    free(row);
    free(z);
    return b;
}

static blob_t read_data(const char *name)
{
    char path[PATH_MAX];
    char *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/tests/data/media/%s", MH_DATADIR, name);
    assert_int_equal(mh_file_read(path, 1 << 20, &data, &len), MH_OK);
    blob_t b = {(unsigned char *)data, len};
    return b;
}

static char media_dir[] = "/tmp/mh-media-test-XXXXXX";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int setup(void **state)
{
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    mh_media_configure(&cfg);
    memcpy(media_dir, "/tmp/mh-media-test-XXXXXX", sizeof(media_dir));
    return mkdtemp(media_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    nftw(media_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static VipsImage *load_stored(const char *stored)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
    VipsImage *img = vips_image_new_from_file(path, NULL);
    assert_non_null(img);
    return img;
}

static size_t count_files(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static bool exists_in_media(const char *rel)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", media_dir, rel);
    return lstat(path, &st) == 0;
}

/* "ab/" + 30 hex + "." + ext */
static void assert_stored_shape(const char *stored, const char *ext)
{
    assert_int_equal(strlen(stored), 2 + 1 + 30 + 1 + strlen(ext));
    for (int i = 0; i < 33; i++) {
        if (i == 2) {
            assert_int_equal(stored[i], '/');
            continue;
        }
        assert_non_null(strchr("0123456789abcdef", stored[i]));
    }
    assert_int_equal(stored[33], '.');
    assert_string_equal(stored + 34, ext);
}

static void check_image(const char *fmt, const char *mime)
{
    blob_t b = make_image(fmt, 120, 80);
    mh_media_info_t info;
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_string_equal(info.mime, mime);
    assert_string_equal(info.ext, fmt);
    assert_int_equal(info.kind, MH_MEDIA_IMAGE);
    assert_int_equal(info.width, 120);
    assert_int_equal(info.height, 80);
    assert_int_equal(info.size, b.len);
    blob_free(&b);
}

static void test_images_accepted(void **state)
{
    check_image("jpg", "image/jpeg");
    check_image("png", "image/png");
    check_image("gif", "image/gif");
    check_image("webp", "image/webp");
}

static void check_document(blob_t b, const char *mime, const char *ext)
{
    mh_media_info_t info;
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_string_equal(info.mime, mime);
    assert_string_equal(info.ext, ext);
    assert_int_equal(info.kind, MH_MEDIA_DOCUMENT);
    assert_int_equal(info.width, 0);
}

static void test_documents_accepted(void **state)
{
    blob_t b = blob_str("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    check_document(b, "application/pdf", "pdf");
    blob_free(&b);
    b = read_data("sample.docx");
    check_document(b, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "docx");
    blob_free(&b);
    b = read_data("sample.zip");
    check_document(b, "application/zip", "zip");
    blob_free(&b);
    b = read_data("sample.odt");
    check_document(b, "application/vnd.oasis.opendocument.text", "odt");
    blob_free(&b);
    b = blob_str("Annual report 2023\nSecond line\n");
    check_document(b, "text/plain", "txt");
    blob_free(&b);
}

static void test_disguised_files_rejected(void **state)
{
    mh_media_info_t info;
    /* a shell script uploaded as photo.jpg: the name is never consulted */
    blob_t b = blob_str("#!/bin/sh\nrm -rf /\n");
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_ETYPE);
    assert_string_equal(info.mime, "text/x-shellscript");
    assert_null(info.ext);
    blob_free(&b);
    /* HTML uploaded as image.png */
    b = blob_str("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n");
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_ETYPE);
    assert_string_equal(info.mime, "text/html");
    blob_free(&b);
    b = blob_str("<?php system($_GET['c']); ?>\n");
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_ETYPE);
    blob_free(&b);
    /* plain text that carries markup in its first KB */
    b = blob_str("Meeting notes for Monday, the agenda follows.\nItem one <object data=x>\n");
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPOLYGLOT);
    blob_free(&b);
    /* JPEG magic followed by garbage: libmagic says JPEG, libvips cannot
     * read it */
    b = blob_copy("\xff\xd8\xff\xe0\x00\x10JFIF\x00garbage garbage garbage", 31);
    int rc = mh_media_inspect(b.p, b.len, &info);
    assert_int_equal(rc, MH_MEDIA_EDECODE);
    blob_free(&b);
    b = blob_str("");
    assert_int_equal(mh_media_inspect(b.p, 0, &info), MH_MEDIA_EEMPTY);
    blob_free(&b);
}

static void test_svg_rejected(void **state)
{
    mh_media_info_t info;
    const char *svgs[] = {
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
        "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>\n",
        "<svg><rect/></svg>",
        "<!-- comment -->\n<SVG onload=\"alert(1)\"></SVG>\n",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(svgs); i++) {
        blob_t b = blob_str(svgs[i]);
        assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_ESVG);
        assert_null(info.ext);
        blob_free(&b);
    }
    assert_string_equal(mh_media_strerror(MH_MEDIA_ESVG), "SVG files are not accepted");
}

static void test_polyglots(void **state)
{
    mh_media_info_t info;
    char stored[64];
    const char payload[] = "<script>alert(1)</script>";

    /* JPEG with a script appended: refused (the whole image is searched) */
    blob_t b = make_image("jpg", 64, 64);
    blob_append(&b, payload, sizeof(payload) - 1);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPOLYGLOT);
    blob_free(&b);

    /* JPEG with HTML in a comment segment in its first KB */
    blob_t plain = make_image("jpg", 64, 64);
    const char html[] = "<html><body>hi</body></html>";
    unsigned seg = 2 + sizeof(html) - 1;
    unsigned char com[4] = {0xff, 0xfe, seg >> 8, seg & 0xff};
    b = blob_copy(plain.p, 2);
    blob_append(&b, com, 4);
    blob_append(&b, html, sizeof(html) - 1);
    blob_append(&b, plain.p + 2, plain.len - 2);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPOLYGLOT);
    blob_free(&b);

    /* GIF with text right after the header */
    b = blob_str("GIF89a<html><script src=x></script>");
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPOLYGLOT);
    blob_free(&b);

    /* PHP past the first KB of a JPEG cannot be told from image data by
     * a cheap search: it is accepted, but the stored file is re-encoded
     * from pixels and the payload is gone. */
    b = blob_copy(plain.p, plain.len);
    char pad[2048];
    memset(pad, 'A', sizeof(pad));
    blob_append(&b, pad, sizeof(pad));
    const char php[] = "<?php system($_GET['c']); ?>";
    blob_append(&b, php, sizeof(php) - 1);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, "x.jpg", &info, stored, sizeof(stored)),
                     MH_OK);
    char path[PATH_MAX];
    char *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
    assert_int_equal(mh_file_read(path, 1 << 20, &data, &len), MH_OK);
    assert_false(blob_has(data, len, "<?php"));
    assert_false(blob_has(data, len, "AAAAAAAA"));
    free(data);
    blob_free(&b);

    /* GIF/JS polyglot: script text after the GIF trailer is dropped too */
    b = make_image("gif", 32, 32);
    const char js[] = "*/=1;alert(1);//";
    blob_append(&b, js, sizeof(js) - 1);
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, "x.gif", &info, stored, sizeof(stored)),
                     MH_OK);
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
    assert_int_equal(mh_file_read(path, 1 << 20, &data, &len), MH_OK);
    assert_true(len > 6 && memcmp(data, "GIF8", 4) == 0);
    assert_false(blob_has(data, len, "alert(1)"));
    free(data);
    blob_free(&b);
    blob_free(&plain);
}

static void test_decompression_bomb(void **state)
{
    mh_media_info_t info;
    char stored[64];
    blob_t b = make_png_bomb(10000); /* 100 megapixels */
    assert_true(b.len < 64 * 1024);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPIXELS);
    assert_int_equal(
        mh_media_store(media_dir, b.p, b.len, "bomb.png", &info, stored, sizeof(stored)),
        MH_MEDIA_EPIXELS);
    assert_string_equal(stored, "");
    assert_int_equal(count_files(media_dir), 0);
    blob_free(&b);

    /* under the limit the same construction is an ordinary image */
    b = make_png_bomb(100);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_int_equal(info.width, 100);
    blob_free(&b);

    /* the limit is configurable */
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    cfg.max_pixels = 5000;
    mh_media_configure(&cfg);
    b = make_image("jpg", 100, 60);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPIXELS);
    blob_free(&b);
    b = make_image("jpg", 50, 60);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    blob_free(&b);
}

static void test_oversize(void **state)
{
    mh_media_info_t info;
    char stored[64];
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    assert_int_equal(cfg.max_bytes, 20u * 1024 * 1024);
    cfg.max_bytes = 1000;
    mh_media_configure(&cfg);
    char text[1001];
    memset(text, 'a', sizeof(text));
    assert_int_equal(mh_media_inspect(text, 1000, &info), MH_OK);
    assert_int_equal(mh_media_inspect(text, 1001, &info), MH_TOOBIG);
    assert_int_equal(mh_media_store(media_dir, text, 1001, "a.txt", &info, stored, sizeof(stored)),
                     MH_TOOBIG);
    assert_int_equal(count_files(media_dir), 0);
    /* stored_name buffer too small */
    assert_int_equal(mh_media_store(media_dir, text, 100, "a.txt", &info, stored, 20), MH_TOOBIG);
    assert_int_equal(count_files(media_dir), 0);
}

static bool has_meta;
static void *find_meta(VipsImage *img, const char *name, GValue *v, void *a)
{
    if (strncmp(name, "exif-", 5) == 0 || strncmp(name, "xmp-", 4) == 0 ||
        strncmp(name, "iptc-", 5) == 0 || strncmp(name, "icc-", 4) == 0 ||
        strcmp(name, "orientation") == 0)
        has_meta = true;
    return NULL;
}

static void test_exif_stripped_and_rotated(void **state)
{
    mh_media_info_t info;
    char stored[64];
    blob_t b = make_exif_jpeg(300, 200);

    /* the fixture really carries GPS and orientation */
    VipsImage *orig = vips_image_new_from_buffer(b.p, b.len, "", NULL);
    assert_non_null(orig);
    assert_true(vips_image_get_typeof(orig, "exif-data") != 0);
    assert_true(vips_image_get_typeof(orig, "exif-ifd3-GPSLatitude") != 0);
    assert_int_equal(vips_image_get_orientation(orig), 6);
    g_object_unref(orig);

    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_int_equal(info.width, 200); /* as displayed, after rotation */
    assert_int_equal(info.height, 300);
    assert_int_equal(
        mh_media_store(media_dir, b.p, b.len, "holiday.jpg", &info, stored, sizeof(stored)), MH_OK);
    assert_stored_shape(stored, "jpg");

    VipsImage *img = load_stored(stored);
    assert_int_equal(vips_image_get_width(img), 200);
    assert_int_equal(vips_image_get_height(img), 300);
    has_meta = false;
    vips_image_map(img, find_meta, NULL);
    assert_false(has_meta);
    g_object_unref(img);

    /* variants are stripped as well */
    mh_pool_t *pool = mh_pool_create();
    img = load_stored(mh_media_variant_name(pool, stored, info.variant_widths[0]));
    has_meta = false;
    vips_image_map(img, find_meta, NULL);
    assert_false(has_meta);
    assert_int_equal(vips_image_get_width(img), info.variant_widths[0]);
    g_object_unref(img);
    mh_pool_destroy(pool);
    blob_free(&b);
}

/* The same EXIF (orientation, GPS) carried by a PNG and a WebP original. */
static void test_exif_stripped_other_formats(void **state)
{
    const char *fmts[] = {"png", "webp"};
    blob_t jpg = make_exif_jpeg(90, 60);
    VipsImage *src = vips_image_new_from_buffer(jpg.p, jpg.len, "", NULL);
    assert_non_null(src);
    for (size_t i = 0; i < MH_ARRAY_LEN(fmts); i++) {
        void *buf = NULL;
        size_t len = 0;
        if (i == 0)
            assert_int_equal(vips_pngsave_buffer(src, &buf, &len, NULL), 0);
        else
            assert_int_equal(vips_webpsave_buffer(src, &buf, &len, NULL), 0);
        VipsImage *check = vips_image_new_from_buffer(buf, len, "", NULL);
        assert_non_null(check);
        assert_true(vips_image_get_typeof(check, "exif-ifd3-GPSLatitude") != 0);
        g_object_unref(check);

        mh_media_info_t info;
        char stored[64];
        assert_int_equal(mh_media_store(media_dir, buf, len, "x", &info, stored, sizeof(stored)),
                         MH_OK);
        assert_stored_shape(stored, fmts[i]);
        assert_int_equal(info.width, 60);
        VipsImage *img = load_stored(stored);
        assert_int_equal(vips_image_get_width(img), 60);
        assert_int_equal(vips_image_get_height(img), 90);
        has_meta = false;
        vips_image_map(img, find_meta, NULL);
        assert_false(has_meta);
        g_object_unref(img);
        g_free(buf);
    }
    g_object_unref(src);
    blob_free(&jpg);
}

static void test_variants(void **state)
{
    mh_media_info_t info;
    char stored[64];
    mh_pool_t *pool = mh_pool_create();

    /* 800 wide: 320 and 640 made, 1280 would upscale so the image's own
     * width stands in for it */
    blob_t b = make_image("png", 800, 400);
    assert_int_equal(
        mh_media_store(media_dir, b.p, b.len, "wide.png", &info, stored, sizeof(stored)), MH_OK);
    assert_stored_shape(stored, "png");
    assert_int_equal(info.nvariants, 3);
    int want[3] = {320, 640, 800};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(info.variant_widths[i], want[i]);
        const char *v = mh_media_variant_name(pool, stored, want[i]);
        VipsImage *img = load_stored(v);
        assert_int_equal(vips_image_get_width(img), want[i]);
        assert_int_equal(vips_image_get_height(img), want[i] / 2);
        assert_true(vips_image_get_typeof(img, "vips-loader") != 0);
        const char *loader = NULL;
        assert_int_equal(vips_image_get_string(img, "vips-loader", &loader), 0);
        assert_string_equal(loader, "webpload");
        g_object_unref(img);
    }
    assert_false(exists_in_media(mh_media_variant_name(pool, stored, 1280)));
    /* original + 3 variants, no temporary files left */
    char sub[PATH_MAX];
    snprintf(sub, sizeof(sub), "%s/%.2s", media_dir, stored);
    assert_int_equal(count_files(sub), 4);

    assert_int_equal(mh_media_remove(media_dir, stored, info.variant_widths, info.nvariants),
                     MH_OK);
    assert_int_equal(count_files(sub), 0);
    assert_int_equal(mh_media_remove(media_dir, "../../etc/passwd", NULL, 0), MH_DECLINED);
    blob_free(&b);

    /* smaller than every width: one variant at its own size */
    b = make_image("jpg", 100, 50);
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, NULL, &info, stored, sizeof(stored)),
                     MH_OK);
    assert_int_equal(info.nvariants, 1);
    assert_int_equal(info.variant_widths[0], 100);
    VipsImage *img = load_stored(mh_media_variant_name(pool, stored, 100));
    assert_int_equal(vips_image_get_width(img), 100);
    g_object_unref(img);
    blob_free(&b);

    /* configured widths: unsorted, duplicated */
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    cfg.widths[0] = 200;
    cfg.widths[1] = 50;
    cfg.widths[2] = 200;
    cfg.widths[3] = -5;
    cfg.nwidths = 4;
    mh_media_configure(&cfg);
    b = make_image("webp", 300, 300);
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, NULL, &info, stored, sizeof(stored)),
                     MH_OK);
    assert_int_equal(info.nvariants, 2);
    assert_int_equal(info.variant_widths[0], 50);
    assert_int_equal(info.variant_widths[1], 200);
    blob_free(&b);

    /* documents get no variants and are stored byte for byte */
    b = blob_str("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, "r.pdf", &info, stored, sizeof(stored)),
                     MH_OK);
    assert_stored_shape(stored, "pdf");
    assert_int_equal(info.nvariants, 0);
    char path[PATH_MAX], *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
    assert_int_equal(mh_file_read(path, 1 << 20, &data, &len), MH_OK);
    assert_int_equal(len, b.len);
    assert_memory_equal(data, b.p, len);
    free(data);
    blob_free(&b);
    mh_pool_destroy(pool);
}

static void test_stored_names(void **state)
{
    const char *names[] = {"../../etc/passwd", "a/b.jpg", "/etc/shadow", "..", "", NULL,
                           "x\0y.jpg"};
    char seen[MH_ARRAY_LEN(names)][64];
    blob_t b = make_image("jpg", 40, 30);
    char real_dir[PATH_MAX];
    assert_non_null(realpath(media_dir, real_dir));

    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++) {
        mh_media_info_t info;
        char *stored = seen[i];
        assert_int_equal(mh_media_store(media_dir, b.p, b.len, names[i], &info, stored, 64), MH_OK);
        assert_stored_shape(stored, "jpg");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(stored, seen[j]);

        char path[PATH_MAX], real[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
        assert_non_null(realpath(path, real));
        assert_memory_equal(real, real_dir, strlen(real_dir));
        assert_int_equal(real[strlen(real_dir)], '/');
        assert_int_equal(lstat(path, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 0777, 0640);
        /* the client's name only survives as safe metadata */
        assert_null(strchr(info.download_name, '/'));
        assert_true(strlen(info.download_name) > 4);
        assert_string_equal(info.download_name + strlen(info.download_name) - 4, ".jpg");
    }
    assert_false(exists_in_media("etc"));
    assert_false(exists_in_media("a"));
    blob_free(&b);

    mh_media_info_t info;
    char stored[64];
    b = blob_str("text\n");
    assert_int_equal(
        mh_media_store(media_dir, b.p, b.len, "../../etc/passwd", &info, stored, sizeof(stored)),
        MH_OK);
    assert_string_equal(info.download_name, "passwd.txt");
    /* a missing media_dir is an error, not a place to create */
    assert_int_equal(
        mh_media_store("/nonexistent/mh-media", b.p, b.len, "x", &info, stored, sizeof(stored)),
        MH_ERR);
    blob_free(&b);
}

static void check_name(const char *in, size_t len, const char *ext, const char *want)
{
    char out[128];
    size_t n = mh_media_safe_download_name(mh_str(in, len), ext, out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

#define NAME(s, ext, want) check_name((s), sizeof(s) - 1, (ext), (want))

static void test_safe_download_name(void **state)
{
    NAME("report.pdf", NULL, "report.pdf");
    NAME("Annual Report (2023).pdf", NULL, "Annual Report (2023).pdf");
    NAME("../../etc/passwd", NULL, "passwd");
    NAME("C:\\Users\\me\\cv.doc", NULL, "cv.doc");
    NAME("evil\0.php.jpg", "jpg", "evil_.php.jpg");
    NAME("photo.php", "jpg", "photo.jpg");
    NAME("<script>alert(1)<script>.txt", NULL, "_script_alert(1)_script_.txt");
    NAME("<b>x</b>.txt", NULL, "b_.txt"); /* '/' is a separator */
    NAME("a\"b;c\r\nd.txt", NULL, "a_b_c_d.txt");
    NAME("", NULL, "download");
    NAME("", "pdf", "download.pdf");
    NAME("...", "pdf", "download.pdf");
    NAME(".htaccess", NULL, "htaccess");
    NAME("dir/", "zip", "download.zip");
    NAME("CON.txt", NULL, "_CON.txt");
    NAME("lpt1", "pdf", "_lpt1.pdf");
    NAME("name. . .", NULL, "name");
    NAME("\xe6\x8a\xa5\xe5\x91\x8a.pdf", NULL, "\xe6\x8a\xa5\xe5\x91\x8a.pdf");
    /* right-to-left override used to disguise "exe.jpg" as "gpj.exe" */
    NAME("photo\xe2\x80\xaegpj.exe", "exe", "photo_gpj.exe");
    NAME("bad\xff\xfe\xc0\xafutf8.txt", NULL, "bad_utf8.txt");
    NAME("\xed\xa0\x80surrogate.txt", NULL, "_surrogate.txt");

    /* long names are cut on a character boundary and keep the extension */
    char longname[600];
    size_t o = 0;
    for (int i = 0; i < 150; i++) {
        memcpy(longname + o, "\xe6\x8a\xa5", 3);
        o += 3;
    }
    memcpy(longname + o, ".docx", 5);
    o += 5;
    char out[128];
    size_t n = mh_media_safe_download_name(mh_str(longname, o), NULL, out, sizeof(out));
    assert_true(n <= 127);
    assert_int_equal(strlen(out), n);
    assert_string_equal(out + n - 5, ".docx");
    assert_true(g_utf8_validate(out, (gssize)n, NULL));
    assert_int_equal((n - 5) % 3, 0);

    mh_pool_t *pool = mh_pool_create();
    assert_string_equal(mh_media_content_disposition(pool, "\xe6\x8a\xa5\xe5\x91\x8a 1.pdf"),
                        "attachment; filename=\"__ 1.pdf\"; "
                        "filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.pdf");
    assert_string_equal(mh_media_content_disposition(pool, "report.pdf"),
                        "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    mh_pool_destroy(pool);
}

static void test_srcset(void **state)
{
    mh_pool_t *pool = mh_pool_create();
    const char *stored = "ab/0123456789abcdef0123456789abcd.jpg";
    int widths[] = {320, 640};
    assert_string_equal(mh_media_srcset(pool, "/media/", stored, widths, 2),
                        "/media/ab/0123456789abcdef0123456789abcd-320.webp 320w, "
                        "/media/ab/0123456789abcdef0123456789abcd-640.webp 640w");
    assert_string_equal(mh_media_srcset(pool, "/media/", stored, widths, 0), "");
    assert_string_equal(mh_media_variant_name(pool, stored, 640),
                        "ab/0123456789abcdef0123456789abcd-640.webp");
    assert_null(
        mh_media_srcset(pool, "/media/", "../0123456789abcdef0123456789abcd.jpg", widths, 2));
    assert_null(
        mh_media_srcset(pool, "/media/", "ab/0123456789abcdef0123456789abcd.j/g", widths, 2));
    assert_null(
        mh_media_srcset(pool, "/media/", "ab/0123456789ABCDEF0123456789abcd.jpg", widths, 2));
    assert_null(mh_media_variant_name(pool, "ab/short.jpg", 320));
    assert_null(mh_media_variant_name(pool, stored, 0));
    mh_pool_destroy(pool);
}

static void test_truncated_image_not_stored(void **state)
{
    mh_media_info_t info;
    char stored[64];
    blob_t b = make_image("jpg", 400, 300);
    b.len = b.len * 6 / 10;
    int rc = mh_media_store(media_dir, b.p, b.len, "cut.jpg", &info, stored, sizeof(stored));
    assert_int_equal(rc, MH_MEDIA_EDECODE);
    assert_string_equal(stored, "");
    assert_int_equal(count_files(media_dir), 0);
    blob_free(&b);
}

/* Three frames of w x h, saved as an animated GIF. */
static blob_t make_animated_gif(int w, int h)
{
    blob_t frame = make_image("png", w, h);
    VipsImage *one = vips_image_new_from_buffer(frame.p, frame.len, "", NULL);
    assert_non_null(one);
    VipsImage *frames[3] = {one, one, one}, *strip = NULL, *anim = NULL;
    assert_int_equal(vips_arrayjoin(frames, &strip, 3, "across", 1, NULL), 0);
    assert_int_equal(vips_copy(strip, &anim, NULL), 0);
    vips_image_set_int(anim, "page-height", h);
    int delays[3] = {100, 100, 100};
    vips_image_set_array_int(anim, "delay", delays, 3);
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(vips_gifsave_buffer(anim, &buf, &len, NULL), 0);
    blob_t b = blob_copy(buf, len);
    g_free(buf);
    g_object_unref(anim);
    g_object_unref(strip);
    g_object_unref(one);
    blob_free(&frame);
    return b;
}

static void test_animated_gif(void **state)
{
    mh_media_info_t info;
    char stored[64];
    blob_t b = make_animated_gif(40, 30);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_OK);
    assert_int_equal(info.pages, 3);
    assert_int_equal(info.width, 40);
    assert_int_equal(info.height, 30);
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, "a.gif", &info, stored, sizeof(stored)),
                     MH_OK);
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", media_dir, stored);
    VipsImage *img = vips_image_new_from_file(path, "n", -1, NULL);
    assert_non_null(img);
    assert_int_equal(vips_image_get_n_pages(img), 3);
    assert_int_equal(vips_image_get_page_height(img), 30);
    g_object_unref(img);

    /* frames count towards the pixel limit: 3 * 1200 > 3000 */
    mh_media_config_t cfg;
    mh_media_config_default(&cfg);
    cfg.max_pixels = 3000;
    mh_media_configure(&cfg);
    assert_int_equal(mh_media_inspect(b.p, b.len, &info), MH_MEDIA_EPIXELS);
    blob_free(&b);
}

/* Every possible first-level folder is a symlink to a directory outside
 * media_dir: the store must fail rather than follow one. */
static void test_symlinked_subdir_not_followed(void **state)
{
    char outside[] = "/tmp/mh-media-outside-XXXXXX";
    assert_non_null(mkdtemp(outside));
    for (int i = 0; i < 256; i++) {
        char link[PATH_MAX];
        snprintf(link, sizeof(link), "%s/%02x", media_dir, i);
        assert_int_equal(symlink(outside, link), 0);
    }
    mh_media_info_t info;
    char stored[64];
    blob_t b = blob_str("text\n");
    assert_int_equal(mh_media_store(media_dir, b.p, b.len, "x.txt", &info, stored, sizeof(stored)),
                     MH_ERR);
    assert_int_equal(count_files(outside), 0);
    blob_free(&b);
    rmdir(outside);
}

static void *store_worker(void *arg)
{
    intptr_t ok = 1;
    for (int i = 0; i < 3; i++) {
        blob_t b = make_image(i % 2 ? "png" : "jpg", 200 + 10 * i, 100);
        mh_media_info_t info;
        char stored[64];
        ok = ok &&
             mh_media_store(media_dir, b.p, b.len, "t.jpg", &info, stored, sizeof(stored)) == MH_OK;
        ok = ok && info.width == 200 + 10 * i && info.nvariants == 1;
        blob_free(&b);
    }
    mh_media_thread_done();
    return (void *)ok;
}

static void test_threads(void **state)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, store_worker, NULL), 0);
    for (int i = 0; i < 2; i++) {
        void *ok = NULL;
        assert_int_equal(pthread_join(t[i], &ok), 0);
        assert_true(ok != NULL);
    }
}

int main(void)
{
    mh_log_set_level(MH_LOG_ERROR);
    if (mh_media_init() != MH_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_images_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_documents_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disguised_files_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_svg_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_polyglots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decompression_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exif_stripped_and_rotated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exif_stripped_other_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safe_download_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_srcset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_image_not_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_animated_gif, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinked_subdir_not_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    mh_media_shutdown();
    return failed;
}
