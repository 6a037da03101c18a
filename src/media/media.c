/* Content sniffing and the module's process-wide state (libvips, libmagic,
 * configuration). */
#include "media.h"

#include <magic.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <vips/vips.h>

#include "../core/log.h"
#include "internal.h"

typedef struct {
    const char *mime;
    const char *ext;
    mh_media_kind_t kind;
    const char *loader; /* libvips loader class name prefix that must match */
} allowed_t;

static const allowed_t allowed[] = {
    {"image/jpeg", "jpg", MH_MEDIA_IMAGE, "VipsForeignLoadJpeg"},
    {"image/png", "png", MH_MEDIA_IMAGE, "VipsForeignLoadPng"},
    {"image/gif", "gif", MH_MEDIA_IMAGE, "VipsForeignLoadNsgif"},
    {"image/webp", "webp", MH_MEDIA_IMAGE, "VipsForeignLoadWebp"},
    {"application/pdf", "pdf", MH_MEDIA_DOCUMENT, NULL},
    {"application/zip", "zip", MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
     MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", MH_MEDIA_DOCUMENT,
     NULL},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
     MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.oasis.opendocument.text", "odt", MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods", MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.oasis.opendocument.presentation", "odp", MH_MEDIA_DOCUMENT, NULL},
    {"application/msword", "doc", MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.ms-excel", "xls", MH_MEDIA_DOCUMENT, NULL},
    {"application/vnd.ms-powerpoint", "ppt", MH_MEDIA_DOCUMENT, NULL},
    {"text/plain", "txt", MH_MEDIA_DOCUMENT, NULL},
    {"text/csv", "csv", MH_MEDIA_DOCUMENT, NULL},
};

/* Markup that a browser sniffing the first bytes could treat as HTML, or a
 * server as PHP: a file of any allowed type that carries it is refused. */
static const char *const markers[] = {
    "<script", "<html", "<?php", "<svg", "<!doctype html", "<body", "<iframe", "<object", "<embed",
};

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static mh_media_config_t config = {
    .max_bytes = 20u * 1024 * 1024,
    .max_pixels = 40000000u,
    .widths = {320, 640, 1280},
    .nwidths = 3,
    .jpeg_quality = 88,
    .webp_quality = 80,
};

void mh_media_config_default(mh_media_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_bytes = 20u * 1024 * 1024;
    cfg->max_pixels = 40000000u;
    cfg->widths[0] = 320;
    cfg->widths[1] = 640;
    cfg->widths[2] = 1280;
    cfg->nwidths = 3;
    cfg->jpeg_quality = 88;
    cfg->webp_quality = 80;
}

void mh_media_configure(const mh_media_config_t *cfg)
{
    mh_media_config_t c;
    mh_media_config_default(&c);
    if (cfg->max_bytes)
        c.max_bytes = cfg->max_bytes;
    if (cfg->max_pixels)
        c.max_pixels = cfg->max_pixels;
    if (cfg->jpeg_quality >= 1 && cfg->jpeg_quality <= 100)
        c.jpeg_quality = cfg->jpeg_quality;
    if (cfg->webp_quality >= 1 && cfg->webp_quality <= 100)
        c.webp_quality = cfg->webp_quality;
    c.nwidths = 0;
    for (size_t i = 0; i < cfg->nwidths && i < MH_MEDIA_MAX_WIDTHS; i++)
        if (cfg->widths[i] > 0 && cfg->widths[i] <= VIPS_MAX_COORD)
            c.widths[c.nwidths++] = cfg->widths[i];
    pthread_mutex_lock(&cfg_lock);
    config = c;
    pthread_mutex_unlock(&cfg_lock);
}

void media_config_get(mh_media_config_t *cfg)
{
    pthread_mutex_lock(&cfg_lock);
    *cfg = config;
    pthread_mutex_unlock(&cfg_lock);
}

size_t media_variant_widths(const mh_media_config_t *cfg, int image_w, int *out)
{
    size_t n = 0;
    bool reach = false; /* some requested width is >= the image's own */
    for (size_t i = 0; i < cfg->nwidths; i++) {
        int w = cfg->widths[i];
        if (w >= image_w) {
            reach = true;
            continue;
        }
        size_t j = n;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup = dup || out[k] == w;
        if (dup)
            continue;
        while (j > 0 && out[j - 1] > w) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = w;
        n++;
    }
    if (reach && image_w > 0)
        out[n++] = image_w;
    return n;
}

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ready;

/* libvips warns on stderr about every odd upload; those are the client's
 * problem, not the server's, so they go to the debug log. */
static void vips_warning_to_debug(const gchar *domain, GLogLevelFlags level, const gchar *msg,
                                  gpointer data)
{
    mh_debug("media: %s", msg);
}

static void vips_setup(void)
{
    if (VIPS_INIT("masthead") != 0) {
        mh_error("media: libvips init failed: %s", vips_error_buffer());
        vips_error_clear();
        return;
    }
    /* Every upload is different: the operation cache would only hold memory. */
    vips_cache_set_max(16);
    vips_cache_set_max_mem(16 * 1024 * 1024);
    vips_cache_set_max_files(4);
    /* Only the four loaders this module accepts may ever parse an upload. */
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadNsgif", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                      vips_warning_to_debug, NULL);
    vips_ready = true;
}

int mh_media_init(void)
{
    pthread_once(&vips_once, vips_setup);
    return vips_ready ? MH_OK : MH_ERR;
}

static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static pthread_key_t magic_key;

static void magic_free(void *m)
{
    magic_close((magic_t)m);
}

static void magic_key_setup(void)
{
    if (pthread_key_create(&magic_key, magic_free) != 0)
        mh_oom();
}

/* magic_t is not thread-safe and loading the database is not free: one per
 * thread, closed when the thread exits. */
static magic_t thread_magic(void)
{
    pthread_once(&magic_once, magic_key_setup);
    magic_t m = pthread_getspecific(magic_key);
    if (m)
        return m;
    m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (!m)
        return NULL;
    if (magic_load(m, NULL) != 0) {
        mh_error("media: libmagic database: %s", magic_error(m));
        magic_close(m);
        return NULL;
    }
    if (pthread_setspecific(magic_key, m) != 0) {
        magic_close(m);
        return NULL;
    }
    return m;
}

void mh_media_thread_done(void)
{
    pthread_once(&magic_once, magic_key_setup);
    magic_t m = pthread_getspecific(magic_key);
    if (m) {
        pthread_setspecific(magic_key, NULL);
        magic_close(m);
    }
    if (vips_ready)
        vips_thread_shutdown();
}

void mh_media_shutdown(void)
{
    mh_media_thread_done();
    if (vips_ready)
        vips_shutdown();
}

static bool contains_nocase(const unsigned char *p, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0 || len < n)
        return false;
    for (const unsigned char *end = p + len - n + 1; p < end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return false;
        if (strncasecmp((const char *)p, needle, n) == 0)
            return true;
    }
    return false;
}

static bool has_markup(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(markers); i++)
        if (contains_nocase(p, len, markers[i]))
            return true;
    return false;
}

static const allowed_t *find_allowed(const char *mime)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(allowed); i++)
        if (strcmp(allowed[i].mime, mime) == 0)
            return &allowed[i];
    return NULL;
}

static int inspect_image(const void *data, size_t len, const allowed_t *a,
                         const mh_media_config_t *cfg, mh_media_info_t *out)
{
    int rc = MH_MEDIA_EDECODE;
    VipsImage *img = NULL;

    if (mh_media_init() != MH_OK)
        return MH_ERR;
    /* The loader libvips would pick must be the one for the type libmagic
     * saw; a mismatch means the bytes are two things at once. */
    const char *loader = vips_foreign_find_load_buffer(data, len);
    if (!loader || strncmp(loader, a->loader, strlen(a->loader)) != 0)
        goto done;
    /* Only the header is read here; pixels are decoded on store. */
    img = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!img)
        goto done;
    int w = vips_image_get_width(img);
    int h = vips_image_get_height(img);
    int pages = vips_image_get_n_pages(img);
    if (w <= 0 || h <= 0 || pages <= 0)
        goto done;
    if ((uint64_t)w * (uint64_t)h * (uint64_t)pages > cfg->max_pixels) {
        rc = MH_MEDIA_EPIXELS;
        goto done;
    }
    if (vips_image_get_orientation_swap(img)) {
        int t = w;
        w = h;
        h = t;
    }
    out->width = w;
    out->height = h;
    out->pages = pages;
    rc = MH_OK;
done:
    if (img)
        g_object_unref(img);
    vips_error_clear();
    return rc;
}

int mh_media_inspect(const void *data, size_t len, mh_media_info_t *out)
{
    mh_media_config_t cfg;
    const unsigned char *p = data;

    memset(out, 0, sizeof(*out));
    out->size = len;
    media_config_get(&cfg);
    if (!data || len == 0)
        return MH_MEDIA_EEMPTY;
    if (len > cfg.max_bytes)
        return MH_TOOBIG;

    magic_t m = thread_magic();
    if (!m)
        return MH_ERR;
    const char *mime = magic_buffer(m, data, len);
    if (!mime)
        return MH_ERR;
    snprintf(out->mime, sizeof(out->mime), "%s", mime);

    size_t head = len < MH_MEDIA_SNIFF_LEN ? len : MH_MEDIA_SNIFF_LEN;
    const allowed_t *a = find_allowed(out->mime);
    if (strcmp(out->mime, "image/svg+xml") == 0 ||
        ((!a || a->kind != MH_MEDIA_IMAGE) && contains_nocase(p, head, "<svg")))
        return MH_MEDIA_ESVG;
    if (!a)
        return MH_MEDIA_ETYPE;
    if (has_markup(p, head))
        return MH_MEDIA_EPOLYGLOT;
    out->ext = a->ext;
    out->kind = a->kind;
    out->pages = 1;
    if (a->kind != MH_MEDIA_IMAGE)
        return MH_OK;
    if (contains_nocase(p, len, "<script"))
        return MH_MEDIA_EPOLYGLOT;
    int rc = inspect_image(data, len, a, &cfg, out);
    if (rc != MH_OK) {
        out->ext = NULL;
        out->kind = 0;
    }
    return rc;
}

const char *mh_media_strerror(int rc)
{
    switch (rc) {
    case MH_OK:
        return "ok";
    case MH_TOOBIG:
        return "file too large";
    case MH_MEDIA_EEMPTY:
        return "empty file";
    case MH_MEDIA_ETYPE:
        return "file type not allowed";
    case MH_MEDIA_ESVG:
        return "SVG files are not accepted";
    case MH_MEDIA_EPOLYGLOT:
        return "file contains markup or script";
    case MH_MEDIA_EDECODE:
        return "image cannot be decoded";
    case MH_MEDIA_EPIXELS:
        return "image has too many pixels";
    case MH_DECLINED:
        return "not a stored media name";
    default:
        return "internal error";
    }
}
