/* Render the seed article N times through mh_site_handle with the page
 * cache out of the picture, and print the cost of one render: wall time and,
 * where the kernel allows it, retired instructions. Also the natural program
 * to run under callgrind for per-render profiles.
 *   build/bench/render_loop [N] [PATH] [cold]       (N defaults to 2000)
 * With "cold", every render starts a new content generation, as after an
 * edit: the snapshot, the navigation and the memo of entry reads are
 * rebuilt, so each render reads the database. */
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "core/pool.h"
#include "http/cache.h"
#include "http/encode.h"
#include "site/site.h"

#define SEED "/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html"

static int counter_open(void)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof(a));
    a.type = PERF_TYPE_HARDWARE;
    a.size = sizeof(a);
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* What the server does per uncached page besides rendering: hand the body
 * to a page entry and compute its validator. */
static size_t one(mh_site_t *site, mh_pool_t *pool, const char *path)
{
    mh_page_t page;
    mh_site_handle(site, pool, MH_STR_LIT("127.0.0.1:8080"), mh_str_c(path), MH_STR_NULL, &page);
    size_t len = page.body.len;
    /* As the server does: the page entry takes the rendered buffer. */
    mh_cached_page_t *p =
        mh_cached_page_new(page.status, page.content_type, page.lang, page.location, NULL, 0);
    free(p->body);
    p->body = mh_buf_steal(&page.body, &p->len);
    char tag[40];
    mh_etag(p->body, p->len, NULL, tag);
    mh_cached_page_release(p);
    mh_pool_reset(pool);
    return len;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    const char *path = argc > 2 ? argv[2] : SEED;
    bool cold = argc > 3 && strcmp(argv[3], "cold") == 0;
    char dir[] = "/tmp/mh-render-XXXXXX", err[256] = "";
    int rc = 1;
    if (n < 1 || !mkdtemp(dir)) {
        fprintf(stderr, "usage: render_loop [N>0] [PATH] [cold]\n");
        return 2;
    }
    char site_dir[300];
    snprintf(site_dir, sizeof(site_dir), "%s/site", dir);
    mh_content_t *content = NULL;
    mh_site_t *site = NULL;
    if (mh_content_init(site_dir, true, err, sizeof(err)) != MH_OK ||
        mh_content_open(site_dir, &content, err, sizeof(err)) != MH_OK ||
        mh_site_open(&site, content, MH_DATADIR "/themes/default", err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "render_loop: %s\n", err);
        goto done;
    }
    mh_pool_t *pool = mh_pool_create();
    size_t len = 0;
    for (int i = 0; i < 20; i++) /* warm statement caches and the snapshot */
        len = one(site, pool, path);
    int fd = counter_open();
    if (fd >= 0) {
        ioctl(fd, PERF_EVENT_IOC_RESET, 0);
        ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    }
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        if (cold)
            mh_content_changed(content);
        one(site, pool, path);
    }
    double t1 = now_ns();
    long long ins = -1;
    if (fd >= 0) {
        ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
        if (read(fd, &ins, sizeof(ins)) != (ssize_t)sizeof(ins))
            ins = -1;
        close(fd);
    }
    printf("%s%s: %zu bytes, %ld renders, %.0f ns/render", path, cold ? " (cold)" : "", len, n,
           (t1 - t0) / (double)n);
    if (ins >= 0)
        printf(", %.0f instructions/render\n", (double)ins / (double)n);
    else
        printf(" (no instruction counter here: run under callgrind)\n");
    mh_pool_destroy(pool);
    rc = 0;
done:
    mh_site_close(site);
    mh_content_close(content);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
