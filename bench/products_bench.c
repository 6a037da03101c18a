/* The cost of a product list page with two filters at 10,000 products
 * against the same list unfiltered, rendered in-process like
 * render_loop.c (no HTTP, no page cache): warm (the generation's memo of
 * filtered ids and counts is filled) and cold (a new content generation
 * before every render, as after an edit: every render runs the filter
 * and count queries). Prints both and their ratio (target: the filtered
 * page within 2x of the unfiltered one).
 *   build/bench/products_bench [PRODUCTS] [N]     (10000, 200)
 * The products are added to a demo site's English "products" column with
 * one set-based INSERT (bound parameters, constant SQL), each with a
 * material (3 values), a size (3 values) and a model number, so the
 * filtered page "?material=Steel&size=Large" matches about 1/9 of them. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content/content.h"
#include "core/pool.h"
#include "site/site.h"

static const char SQL_ENTRIES[] =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
    " INSERT INTO entries (column_id, lang_id, title, slug, summary, body_html, status,"
    " publish_at, created_at, updated_at)"
    " SELECT c.id, c.lang_id, 'Bench product ' || i, 'bench-' || i, 'A generated product.',"
    " '<p>A generated product.</p>', 'published', 1500000000 + i * 60, 1500000000, 1500000000"
    " FROM n, columns c JOIN languages l ON l.id = c.lang_id WHERE c.slug = 'products'"
    " AND l.code = 'en'";
static const char SQL_VALUES[] =
    "INSERT INTO field_values (entry_id, key, seq, value)"
    " SELECT id, 'material', 0, CASE id % 3 WHEN 0 THEN 'Steel' WHEN 1 THEN 'Aluminium'"
    " ELSE 'Plastic' END FROM entries WHERE slug LIKE 'bench-%';"
    "INSERT INTO field_values (entry_id, key, seq, value)"
    " SELECT id, 'size', 0, CASE (id / 3) % 3 WHEN 0 THEN 'Small' WHEN 1 THEN 'Medium'"
    " ELSE 'Large' END FROM entries WHERE slug LIKE 'bench-%';"
    "INSERT INTO field_values (entry_id, key, seq, value)"
    " SELECT id, 'model', 0, 'B-' || id FROM entries WHERE slug LIKE 'bench-%';"
    "DELETE FROM search_queue;";

/* CPU time of the process: the machine is shared, wall time is noisy. */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int add_products(const char *db_path, long count)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 1;
    if (sqlite3_open(db_path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, SQL_ENTRIES, -1, &st, NULL) != SQLITE_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, count);
    if (sqlite3_step(st) != SQLITE_DONE ||
        sqlite3_exec(db, SQL_VALUES, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "COMMIT; ANALYZE", NULL, NULL, NULL) != SQLITE_OK)
        goto cleanup;
    rc = 0;
cleanup:
    if (rc)
        fprintf(stderr, "products_bench: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* ns per render of path?query; *len receives the page size. */
static double loop(mh_site_t *site, mh_content_t *content, mh_pool_t *pool, const char *path,
                   const char *query, long n, bool cold, size_t *len, int *status)
{
    mh_page_t page;
    for (int i = 0; i < 5; i++) { /* warm statement caches */
        mh_site_handle(site, pool, MH_STR_LIT("127.0.0.1:8080"), mh_str_c(path), mh_str_c(query),
                       &page);
        mh_buf_free(&page.body);
        mh_pool_reset(pool);
    }
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        if (cold)
            mh_content_changed(content);
        mh_site_handle(site, pool, MH_STR_LIT("127.0.0.1:8080"), mh_str_c(path), mh_str_c(query),
                       &page);
        *len = page.body.len;
        *status = page.status;
        mh_buf_free(&page.body);
        mh_pool_reset(pool);
    }
    return (now_ns() - t0) / (double)n;
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
    char dir[] = "/tmp/mh-products-XXXXXX", err[256] = "", site_dir[300], db[320];
    int rc = 1;
    if (count < 1 || n < 1 || !mkdtemp(dir)) {
        fprintf(stderr, "usage: products_bench [PRODUCTS>0] [N>0]\n");
        return 2;
    }
    snprintf(site_dir, sizeof(site_dir), "%s/site", dir);
    snprintf(db, sizeof(db), "%s/site.db", site_dir);
    mh_content_t *content = NULL;
    mh_site_t *site = NULL;
    mh_pool_t *pool = NULL;
    if (mh_content_init(site_dir, true, err, sizeof(err)) != MH_OK || add_products(db, count) ||
        mh_content_open(site_dir, &content, err, sizeof(err)) != MH_OK ||
        mh_site_open(&site, content, MH_DATADIR "/themes/default", err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "products_bench: %s\n", err);
        goto done;
    }
    pool = mh_pool_create();
    static const struct {
        const char *label, *path, *query;
    } pages[] = {
        {"/products/", "/products/", ""},
        {"/products/?material=Steel&size=Large", "/products/", "material=Steel&size=Large"},
        {"/news/ (articles, for reference)", "/news/", ""},
    };
    double ns[2][3];
    printf("product list at %ld products, %ld renders each (in-process, no page cache;"
           " CPU time per render)\n",
           count, n);
    for (int cold = 0; cold < 2; cold++) {
        for (int i = 0; i < 3; i++) {
            size_t len = 0;
            int status = 0;
            ns[cold][i] =
                loop(site, content, pool, pages[i].path, pages[i].query, n, cold, &len, &status);
            printf("  %-40s %-5s %4d %7zu bytes %9.0f us\n", pages[i].label, cold ? "cold" : "warm",
                   status, len, ns[cold][i] / 1000);
        }
    }
    printf("  filtered / unfiltered product list: warm %.2fx, cold %.2fx (target <= 2x)\n",
           ns[0][1] / ns[0][0], ns[1][1] / ns[1][0]);
    rc = 0;
done:
    if (pool)
        mh_pool_destroy(pool);
    mh_site_close(site);
    mh_content_close(content);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
