/* QR SVG: the path, read back into modules, is the code libqrencode made,
 * with the three finder patterns where a reader looks for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "render/qr.h"

/* Fill grid (size x size) from the runs of the path in svg. */
static int read_modules(const char *svg, unsigned char *grid, int size)
{
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    d += 4;
    int runs = 0;
    while (*d == 'M') {
        int x, y, h, n;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz", &x, &y, &h, &n), 4);
        assert_int_equal(h, n);
        for (int i = 0; i < h; i++) {
            assert_true(x + i < size && y < size);
            grid[y * size + x + i] = 1;
        }
        runs++;
        d = strchr(d, 'z') + 1;
    }
    assert_int_equal(*d, '"');
    return runs;
}

static void finder_at(const unsigned char *g, int size, int x0, int y0)
{
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 7; x++) {
            int ring = x == 0 || x == 6 || y == 0 || y == 6;
            int core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            assert_int_equal(g[(y0 + y) * size + x0 + x], ring || core);
        }
}

static void test_qr_matches_encoder(void **state)
{
    (void)state;
    const char *url = "https://www.example.gov.cn/news/li-gang-led-a-team-to-visit-beijing.html";
    mh_buf_t b;
    mh_buf_init(&b, 1 << 20);
    assert_int_equal(mh_qr_svg(url, strlen(url), "Scan <to> share", &b), MH_OK);
    const char *svg = b.base;
    assert_non_null(strstr(svg, "<title>Scan &lt;to&gt; share</title>"));
    assert_null(strstr(svg, "style="));
    assert_null(strstr(svg, "<script"));
    QRcode *qr = QRcode_encodeData((int)strlen(url), (const unsigned char *)url, 0, QR_ECLEVEL_M);
    assert_non_null(qr);
    int size = qr->width + 8;
    char want[64];
    snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", size, size);
    assert_non_null(strstr(svg, want));
    unsigned char *g = calloc((size_t)size * (size_t)size, 1);
    assert_true(read_modules(svg, g, size) > 10);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            assert_int_equal(g[(y + 4) * size + x + 4], qr->data[y * qr->width + x] & 1);
    /* quiet zone stays light */
    for (int i = 0; i < size; i++)
        assert_int_equal(g[i], 0);
    finder_at(g, size, 4, 4);
    finder_at(g, size, 4 + qr->width - 7, 4);
    finder_at(g, size, 4, 4 + qr->width - 7);
    free(g);
    QRcode_free(qr);
    mh_buf_free(&b);
}

static void test_qr_refuses(void **state)
{
    (void)state;
    mh_buf_t b;
    mh_buf_init(&b, 1 << 20);
    assert_int_equal(mh_qr_svg("", 0, NULL, &b), MH_ERR);
    char big[2000];
    memset(big, 'a', sizeof(big));
    assert_int_equal(mh_qr_svg(big, sizeof(big), NULL, &b), MH_ERR);
    mh_buf_free(&b);
    /* a ceiling too small for the document */
    mh_buf_init(&b, 64);
    assert_int_equal(mh_qr_svg("https://a.example/", 18, NULL, &b), MH_ERR);
    mh_buf_free(&b);
}

static void test_qr_cached(void **state)
{
    (void)state;
    const char *url = "https://www.example.gov.cn/zh/news/li-gang.html";
    mh_buf_t b;
    mh_buf_init(&b, 1 << 20);
    assert_int_equal(mh_qr_svg(url, strlen(url), url, &b), MH_OK);
    mh_pool_t *p = mh_pool_create();
    for (int i = 0; i < 3; i++) { /* a miss, then hits: the same bytes */
        mh_str_t s;
        assert_int_equal(mh_qr_svg_cached(p, url, strlen(url), url, &s), MH_OK);
        assert_int_equal(s.len, b.len);
        assert_memory_equal(s.base, b.base, b.len);
    }
    /* another title is another entry */
    mh_str_t other;
    assert_int_equal(mh_qr_svg_cached(p, url, strlen(url), "x", &other), MH_OK);
    assert_non_null(strstr(other.base, "<title>x</title>"));
    assert_int_equal(mh_qr_svg_cached(p, "", 0, NULL, &other), MH_ERR);
    mh_pool_destroy(p);
    mh_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_matches_encoder),
        cmocka_unit_test(test_qr_refuses),
        cmocka_unit_test(test_qr_cached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
