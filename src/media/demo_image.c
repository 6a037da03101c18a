/* Small generated pictures for the demo site (`init --demo`): a gradient
 * with a few bands and a disc, different per seed, encoded as JPEG by
 * libvips. No files ship with the binary and nothing is downloaded. */
#include "media.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "../core/common.h"

/* A colour from the seed: hue steps of about 47 degrees. */
static void base_colour(unsigned seed, double *r, double *g, double *b)
{
    static const unsigned char pal[][3] = {
        {38, 92, 160},  {196, 84, 44}, {52, 140, 96},  {150, 60, 140},
        {210, 160, 40}, {60, 60, 70},  {40, 150, 170}, {170, 40, 60},
    };
    const unsigned char *c = pal[seed % MH_ARRAY_LEN(pal)];
    *r = c[0];
    *g = c[1];
    *b = c[2];
}

int mh_media_demo_image(int width, int height, unsigned seed, void **out, size_t *len)
{
    unsigned char *px = NULL;
    VipsImage *img = NULL;
    int rc = MH_ERR;
    double r, g, b;
    *out = NULL;
    *len = 0;
    if (width < 16 || height < 16 || width > 2000 || height > 2000 || mh_media_init() != MH_OK)
        return MH_ERR;
    px = malloc((size_t)width * (size_t)height * 3);
    if (!px)
        goto cleanup;
    base_colour(seed, &r, &g, &b);
    int cx = width / 3 + (int)(seed * 37 % (unsigned)(width / 3));
    int cy = height / 2, rad = height / 4 + (int)(seed % 3) * 8;
    for (int y = 0; y < height; y++) {
        double t = (double)y / height;
        for (int x = 0; x < width; x++) {
            unsigned char *p = px + ((size_t)y * (size_t)width + (size_t)x) * 3;
            double k = 0.55 + 0.45 * (1.0 - t) + ((x / 24 + (int)seed) % 4 == 0 ? 0.06 : 0.0);
            int dx = x - cx, dy = y - cy;
            bool disc = dx * dx + dy * dy < rad * rad;
            double rr = disc ? 245 : r * k, gg = disc ? 240 : g * k, bb = disc ? 225 : b * k;
            p[0] = (unsigned char)(rr > 255 ? 255 : rr);
            p[1] = (unsigned char)(gg > 255 ? 255 : gg);
            p[2] = (unsigned char)(bb > 255 ? 255 : bb);
        }
    }
    img = vips_image_new_from_memory(px, (size_t)width * (size_t)height * 3, width, height, 3,
                                     VIPS_FORMAT_UCHAR);
    if (!img)
        goto cleanup;
    if (vips_jpegsave_buffer(img, out, len, "Q", 80, "strip", TRUE, NULL) != 0) {
        vips_error_clear();
        goto cleanup;
    }
    rc = MH_OK;
cleanup:
    if (img)
        g_object_unref(img);
    free(px);
    return rc;
}
