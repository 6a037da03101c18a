/* libFuzzer target for the WXR reader: any bytes are either a clean parse
 * or MH_ERR with a message naming the buffer; never a crash, a leak or a
 * callback after an error. Each item's content also goes through the whole
 * conversion pipeline. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/common.h"
#include "migrate/wxr.h"
#include "migrate/wxr_html.h"

typedef struct {
    unsigned sites, items;
} seen_t;

static int on_site(void *ud, const mh_wxr_site_t *s)
{
    seen_t *n = ud;
    if (n->sites++ || !s->title || !s->wxr_version[0])
        abort();
    return 0;
}

static bool att(void *ud, int64_t id, mh_wxr_media_t *m)
{
    (void)ud;
    if (id % 2)
        return false;
    *m = (mh_wxr_media_t){"http://x/<\"a\">.jpg", "cap", "a\"lt"};
    return true;
}

static size_t kids(void *ud, int64_t post, int64_t *ids, size_t max)
{
    (void)ud;
    size_t n = 0;
    for (; n < 3 && n < max; n++)
        ids[n] = post + (int64_t)n;
    return n;
}

static int on_item(void *ud, const mh_wxr_item_t *it)
{
    seen_t *n = ud;
    n->items++;
    if (!n->sites || !it->content || !it->title || (it->nterms && !it->terms) ||
        (it->ncomments && !it->comments) || (it->nmeta && !it->meta))
        abort();
    for (size_t i = 0; i < it->ncomments; i++)
        if (!it->comments[i].content || !it->comments[i].approved)
            abort();
    mh_wxr_resolver_t res = {NULL, att, kids, NULL, it->post_id};
    mh_buf_t body, sum;
    mh_buf_init(&body, 1 << 22);
    mh_buf_init(&sum, 1 << 22);
    if (mh_wxr_convert(mh_str_c(it->content), &res, &sum, &body, NULL) != MH_OK)
        abort();
    mh_buf_free(&body);
    mh_buf_free(&sum);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen_t n = {0, 0};
    mh_wxr_handler_t h = {.ud = &n, .site = on_site, .item = on_item, .max_field = 1 << 16};
    char err[512];
    err[0] = '\0';
    int rc = mh_wxr_parse_memory((const char *)data, size, "fuzz.xml", &h, err, sizeof(err));
    if (rc != MH_OK && rc != MH_ERR)
        abort();
    if (rc == MH_ERR && strncmp(err, "fuzz.xml", 8) != 0)
        abort();
    return 0;
}
