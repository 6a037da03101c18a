/* libFuzzer target for the WordPress content conversions (block comments,
 * shortcodes, more/nextpage, autop): any input converts without a crash,
 * within a bounded size, and the newline mark autop uses internally never
 * leaks into the output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/common.h"
#include "migrate/wxr_html.h"

static bool att(void *ud, int64_t id, mh_wxr_media_t *m)
{
    (void)ud;
    if (id % 3 == 0)
        return false;
    *m = (mh_wxr_media_t){"u<&>", id % 2 ? "c[caption]x[/caption]" : NULL, "\"'"};
    return true;
}

static size_t kids(void *ud, int64_t post, int64_t *ids, size_t max)
{
    (void)ud;
    (void)post;
    size_t n = 0;
    for (; n < 4 && n < max; n++)
        ids[n] = (int64_t)n + 1;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_str_t in = mh_str((const char *)data, size);
    mh_wxr_resolver_t res = {NULL, att, kids, NULL, 1};
    mh_buf_t body, sum, sc, ap;
    mh_buf_init(&body, 1 << 24);
    mh_buf_init(&sum, 1 << 24);
    mh_buf_init(&sc, 1 << 24);
    mh_buf_init(&ap, 1 << 24);
    mh_wxr_stats_t st;
    if (mh_wxr_convert(in, &res, &sum, &body, &st) != MH_OK)
        abort();
    if (mh_wxr_shortcodes(in, &res, &sc, NULL) != MH_OK)
        abort();
    if (mh_wxr_autop(in, &ap) != MH_OK)
        abort();
    /* bounded growth: a gallery places at most a few images per byte */
    if (body.len > 64 * size + 4096 || sum.len > body.len + 64 * size + 4096)
        abort();
    if (memchr(mh_buf_str(&ap).base, '\x01', ap.len) ||
        (st.autop && memchr(mh_buf_str(&body).base, '\x01', body.len)))
        abort();
    mh_buf_free(&body);
    mh_buf_free(&sum);
    mh_buf_free(&sc);
    mh_buf_free(&ap);
    return 0;
}
