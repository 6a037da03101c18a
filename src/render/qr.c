/* QR code SVG writer. The modules of a row are merged into horizontal
 * runs ("M x y h n v 1 h -n z"), which keeps a URL's code near 2-4 KB. */
#include "qr.h"

#include <pthread.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"

#define QR_TEXT_MAX 1024
#define QUIET 4

static void append_escaped(mh_buf_t *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            mh_buf_append_c(out, "&lt;");
            break;
        case '>':
            mh_buf_append_c(out, "&gt;");
            break;
        case '&':
            mh_buf_append_c(out, "&amp;");
            break;
        case '"':
            mh_buf_append_c(out, "&quot;");
            break;
        default:
            mh_buf_append(out, s, 1);
        }
    }
}

int mh_qr_svg(const char *text, size_t len, const char *title, mh_buf_t *out)
{
    if (!text || len == 0 || len > QR_TEXT_MAX)
        return MH_ERR;
    QRcode *qr = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
    if (!qr)
        return MH_ERR;
    int w = qr->width, size = w + 2 * QUIET;
    mh_buf_printf(out,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                  "shape-rendering=\"crispEdges\" role=\"img\"",
                  size, size);
    if (title && *title) {
        mh_buf_append_c(out, " aria-label=\"");
        append_escaped(out, title);
        mh_buf_append_c(out, "\"><title>");
        append_escaped(out, title);
        mh_buf_append_c(out, "</title>");
    } else {
        mh_buf_append_c(out, ">");
    }
    mh_buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                  size, size);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            mh_buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    mh_buf_append_c(out, "\"/></svg>\n");
    QRcode_free(qr);
    return out->failed ? MH_ERR : MH_OK;
}

#define QR_SLOTS 256

struct qr_slot {
    char *key; /* text, NUL, title */
    size_t key_len;
    char *svg;
    size_t svg_len;
};

static struct qr_slot qr_cache[QR_SLOTS];
static pthread_mutex_t qr_lock = PTHREAD_MUTEX_INITIALIZER;

int mh_qr_svg_cached(mh_pool_t *p, const char *text, size_t len, const char *title, mh_str_t *out)
{
    if (!text || len == 0 || len > QR_TEXT_MAX)
        return MH_ERR;
    size_t tl = title ? strlen(title) : 0;
    size_t kl = len + 1 + tl;
    char *key = mh_palloc(p, kl);
    memcpy(key, text, len);
    key[len] = '\0';
    if (tl)
        memcpy(key + len + 1, title, tl);
    struct qr_slot *s = &qr_cache[mh_hash64(key, kl) % QR_SLOTS];
    pthread_mutex_lock(&qr_lock);
    if (s->key && s->key_len == kl && memcmp(s->key, key, kl) == 0) {
        *out = mh_str(mh_pstrndup(p, s->svg, s->svg_len), s->svg_len);
        pthread_mutex_unlock(&qr_lock);
        return MH_OK;
    }
    pthread_mutex_unlock(&qr_lock);
    mh_buf_t b;
    mh_buf_init(&b, 1024 * 1024); /* a version-40 code is ~300 KB */
    if (mh_qr_svg(text, len, title, &b) != MH_OK || mh_buf_failed(&b)) {
        mh_buf_free(&b);
        return MH_ERR;
    }
    mh_str_t svg = mh_buf_str(&b);
    *out = mh_str(mh_pstrndup(p, svg.base, svg.len), svg.len);
    char *kc = mh_malloc(kl), *sc = mh_malloc(svg.len + 1);
    memcpy(kc, key, kl);
    memcpy(sc, svg.base, svg.len);
    sc[svg.len] = '\0';
    mh_buf_free(&b);
    pthread_mutex_lock(&qr_lock);
    free(s->key);
    free(s->svg);
    *s = (struct qr_slot){kc, kl, sc, svg.len};
    pthread_mutex_unlock(&qr_lock);
    return MH_OK;
}
