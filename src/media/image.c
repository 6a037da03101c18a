/* Image re-encoding and WebP variants with libvips. Re-encoding is what
 * removes EXIF/GPS/XMP/ICC and any bytes smuggled after the image data: the
 * stored file is written by the encoder from decoded pixels only. */
#include <stdbool.h>
#include <string.h>
#include <vips/vips.h>
#include <webp/mux.h>

#include "../core/log.h"
#include "internal.h"

/* Convert to sRGB with the embedded profile before it is stripped, so that
 * colours survive the loss of the profile. Best effort: on failure the
 * pixels are kept as they are. */
static VipsImage *to_srgb(VipsImage *in)
{
    VipsImage *out = NULL;
    if (!vips_image_get_typeof(in, VIPS_META_ICC_NAME) &&
        vips_image_get_interpretation(in) != VIPS_INTERPRETATION_CMYK)
        return NULL;
    if (vips_icc_transform(in, &out, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL,
                           NULL) != 0) {
        vips_error_clear();
        return NULL;
    }
    return out;
}

/* libvips 8.14's WebP writer ignores "strip" and writes an EXIF chunk even
 * for an image without metadata, so metadata is removed twice: from the
 * image before any save (only fields that describe animation survive), and
 * from a WebP container afterwards (webp_drop_metadata). */
static VipsImage *without_metadata(VipsImage *in)
{
    static const char *const keep[] = {"page-height", "n-pages",  "loop",
                                       "delay",       "gif-loop", "gif-delay"};
    VipsImage *out = NULL;
    if (vips_copy(in, &out, NULL) != 0)
        return NULL;
    gchar **fields = vips_image_get_fields(out);
    for (gchar **f = fields; f && *f; f++) {
        bool kept = false;
        for (size_t i = 0; i < MH_ARRAY_LEN(keep); i++)
            kept = kept || strcmp(*f, keep[i]) == 0;
        if (!kept)
            vips_image_remove(out, *f);
    }
    g_strfreev(fields);
    return out;
}

/* Rewrite a WebP without its EXIF, XMP and ICC chunks. */
static int webp_drop_metadata(void **buf, size_t *len)
{
    int rc = MH_ERR;
    WebPData in = {*buf, *len}, out;
    WebPMux *mux = WebPMuxCreate(&in, 0);

    WebPDataInit(&out);
    if (!mux)
        return MH_ERR;
    WebPMuxDeleteChunk(mux, "EXIF");
    WebPMuxDeleteChunk(mux, "XMP ");
    WebPMuxDeleteChunk(mux, "ICCP");
    if (WebPMuxAssemble(mux, &out) != WEBP_MUX_OK)
        goto done;
    void *copy = g_malloc(out.size);
    memcpy(copy, out.bytes, out.size);
    g_free(*buf);
    *buf = copy;
    *len = out.size;
    rc = MH_OK;
done:
    WebPDataClear(&out);
    WebPMuxDelete(mux);
    return rc;
}

int media_image_reencode(const void *data, size_t len, const mh_media_info_t *info,
                         const mh_media_config_t *cfg, void **out, size_t *outlen)
{
    int rc = MH_MEDIA_EDECODE;
    VipsImage *in = NULL, *rot = NULL, *srgb = NULL, *bare = NULL;
    bool animated = info->pages > 1;

    *out = NULL;
    *outlen = 0;
    if (mh_media_init() != MH_OK)
        return MH_ERR;
    if (animated)
        in = vips_image_new_from_buffer(data, len, "", "n", -1, "access", VIPS_ACCESS_SEQUENTIAL,
                                        "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    else
        in = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                        VIPS_FAIL_ON_TRUNCATED, NULL);
    if (!in)
        goto done;
    VipsImage *img = in;
    if (!animated) {
        /* EXIF orientation is applied to the pixels before it is stripped. */
        if (vips_autorot(in, &rot, NULL) != 0)
            goto done;
        img = rot;
        if ((srgb = to_srgb(img)) != NULL)
            img = srgb;
    }
    if (!(bare = without_metadata(img)))
        goto done;
    img = bare;
    int r;
    if (strcmp(info->ext, "jpg") == 0)
        r = vips_jpegsave_buffer(img, out, outlen, "Q", cfg->jpeg_quality, "strip", TRUE,
                                 "optimize_coding", TRUE, NULL);
    else if (strcmp(info->ext, "png") == 0)
        r = vips_pngsave_buffer(img, out, outlen, "strip", TRUE, "compression", 6, NULL);
    else if (strcmp(info->ext, "gif") == 0)
        r = vips_gifsave_buffer(img, out, outlen, "strip", TRUE, NULL);
    else if (strcmp(info->ext, "webp") == 0)
        r = vips_webpsave_buffer(img, out, outlen, "strip", TRUE, "Q", 90, NULL);
    else
        r = -1;
    if (r == 0 && strcmp(info->ext, "webp") == 0 && webp_drop_metadata(out, outlen) != MH_OK) {
        g_free(*out);
        r = -1;
    }
    if (r != 0) {
        *out = NULL;
        *outlen = 0;
        goto done;
    }
    rc = MH_OK;
done:
    if (rc != MH_OK)
        mh_warn("media: re-encode failed: %s", vips_error_buffer());
    if (bare)
        g_object_unref(bare);
    if (srgb)
        g_object_unref(srgb);
    if (rot)
        g_object_unref(rot);
    if (in)
        g_object_unref(in);
    vips_error_clear();
    return rc;
}

int media_image_variant(const void *data, size_t len, int width, const mh_media_config_t *cfg,
                        void **out, size_t *outlen)
{
    int rc = MH_MEDIA_EDECODE;
    VipsImage *t = NULL, *bare = NULL;

    *out = NULL;
    *outlen = 0;
    if (mh_media_init() != MH_OK)
        return MH_ERR;
    /* The width alone bounds the result (height unconstrained); SIZE_DOWN
     * means an image narrower than width is never enlarged. vips_thumbnail
     * auto-rotates and exports sRGB on its own. */
    if (vips_thumbnail_buffer((void *)data, len, &t, width, "height", VIPS_MAX_COORD, "size",
                              VIPS_SIZE_DOWN, NULL) != 0)
        goto done;
    if (!(bare = without_metadata(t)))
        goto done;
    if (vips_webpsave_buffer(bare, out, outlen, "Q", cfg->webp_quality, "strip", TRUE, NULL) != 0) {
        *out = NULL;
        *outlen = 0;
        goto done;
    }
    if (webp_drop_metadata(out, outlen) != MH_OK) {
        g_free(*out);
        *out = NULL;
        *outlen = 0;
        goto done;
    }
    rc = MH_OK;
done:
    if (rc != MH_OK)
        mh_warn("media: variant %d failed: %s", width, vips_error_buffer());
    if (bare)
        g_object_unref(bare);
    if (t)
        g_object_unref(t);
    vips_error_clear();
    return rc;
}
