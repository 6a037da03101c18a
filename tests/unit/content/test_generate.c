/* The site generator at small N: counts per language, a tree of three
 * levels, linked translations, revisions, and the same database content
 * from the same seed (a checksum over ordered dumps of the tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "content/content.h"
#include "content/editorial.h"
#include "content/generate.h"
#include "content/types.h"
#include "core/log.h"

#define N 300

struct fx {
    char tmp[64];
    char dir[3][96]; /* seed 42, seed 42 again, seed 43 */
    mh_generate_stats_t st[3];
    mh_content_t *c; /* dir[0], open */
    mh_pool_t *p;
    int64_t en, zh;
};

static int generate(const char *dir, uint64_t seed, mh_generate_stats_t *st)
{
    char err[256];
    mh_content_t *c;
    mh_generate_opts_t o = {.entries = N, .seed = seed};
    if (mh_content_init(dir, false, err, sizeof(err)) != MH_OK ||
        mh_content_open(dir, &c, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "init: %s\n", err);
        return -1;
    }
    int rc = mh_generate_site(c, &o, st, err, sizeof(err));
    if (rc != MH_OK)
        fprintf(stderr, "generate: %s\n", err);
    mh_content_close(c);
    return rc == MH_OK ? 0 : -1;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    static const uint64_t seeds[3] = {42, 42, 43};
    char err[256];
    mh_language_t *langs;
    size_t n;
    mh_log_set_level(MH_LOG_WARN);
    snprintf(f->tmp, sizeof(f->tmp), "/tmp/mh-gen-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    for (int i = 0; i < 3; i++) {
        snprintf(f->dir[i], sizeof(f->dir[i]), "%s/site%d", f->tmp, i);
        if (generate(f->dir[i], seeds[i], &f->st[i]) != 0)
            return -1;
    }
    if (mh_content_open(f->dir[0], &f->c, err, sizeof(err)) != MH_OK)
        return -1;
    f->p = mh_pool_create();
    if (mh_content_languages(f->c, f->p, &langs, &n) != MH_OK || n != 2)
        return -1;
    f->en = langs[0].id;
    f->zh = langs[1].id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[160];
    mh_pool_destroy(f->p);
    mh_content_close(f->c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* One number from a query on the site in dir. */
static int64_t sql_int(const char *dir, const char *sql)
{
    char path[128];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    snprintf(path, sizeof(path), "%s/site.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* FNV-1a over every value of the rows of each query (ordered by id), with
 * the row and column boundaries. The wall-clock columns the API stamps
 * (revisions.created_at, entries.updated_at after a save, deleted_at) are
 * left out or reduced to a flag. */
static uint64_t checksum(const char *dir)
{
    static const char *const dumps[] = {
        "SELECT id, code, name, prefix, is_default, position FROM languages ORDER BY id",
        "SELECT id, parent_id, lang_id, module, name, slug, body_html, link_url, nav, "
        "sort_mode, page_size, position, visible FROM columns ORDER BY id",
        "SELECT id, lang_id, key, value FROM settings ORDER BY id",
        "SELECT id, column_id, lang_id, title, slug, summary, body_html, author, publish_at, "
        "created_at, status, pinned, recommended, hits, author_id, translation_group, "
        "deleted_at IS NOT NULL FROM entries ORDER BY id",
        "SELECT id, entry_id, user_id, title, body_html, snapshot FROM revisions ORDER BY id",
    };
    char path[128];
    sqlite3 *db = NULL;
    uint64_t h = 1469598103934665603ull;
    snprintf(path, sizeof(path), "%s/site.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto done;
    for (size_t q = 0; q < sizeof(dumps) / sizeof(dumps[0]); q++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, dumps[q], -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "%s: %s\n", dumps[q], sqlite3_errmsg(db));
            h = 0;
            goto done;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int col = 0; col < sqlite3_column_count(st); col++) {
                const unsigned char *v = sqlite3_column_text(st, col);
                for (; v && *v; v++)
                    h = (h ^ *v) * 1099511628211ull;
                h = (h ^ 0x1f) * 1099511628211ull;
            }
            h = (h ^ 0x1e) * 1099511628211ull;
        }
        sqlite3_finalize(st);
    }
done:
    sqlite3_close(db);
    return h;
}

static void test_counts_per_language(void **state)
{
    struct fx *f = *state;
    const mh_generate_stats_t *st = &f->st[0];
    assert_int_equal(st->entries, N);
    assert_int_equal(st->en, N / 2);
    assert_int_equal(st->zh, N / 2);
    assert_int_equal(sql_int(f->dir[0], "SELECT count(*) FROM entries WHERE lang_id = 1"), N / 2);
    assert_int_equal(sql_int(f->dir[0], "SELECT count(*) FROM entries WHERE lang_id = 2"), N / 2);
    /* a few of each special state, as counted by the generator */
    assert_int_equal(sql_int(f->dir[0], "SELECT count(*) FROM entries WHERE status = 'draft'"),
                     st->drafts);
    assert_int_equal(
        sql_int(f->dir[0], "SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL"),
        st->trashed);
    assert_true(st->revisions > 0);
    assert_int_equal(sql_int(f->dir[0], "SELECT count(DISTINCT entry_id) FROM revisions"),
                     st->revisions);
    /* bodies of about 2 KB */
    int64_t avg = sql_int(f->dir[0], "SELECT avg(length(CAST(body_html AS BLOB))) FROM entries");
    assert_true(avg > 1800 && avg < 2600);
    /* Chinese entries carry Chinese titles */
    int64_t zh_title = sql_int(f->dir[0], "SELECT count(*) FROM entries WHERE lang_id = 2 AND "
                                          "length(CAST(title AS BLOB)) > 2 * length(title)");
    assert_int_equal(zh_title, N / 2);
}

static void test_tree(void **state)
{
    struct fx *f = *state;
    int64_t langs[2] = {f->en, f->zh};
    for (int l = 0; l < 2; l++) {
        mh_column_t *cols;
        size_t n, holders = 0;
        int maxdepth = 0;
        assert_int_equal(mh_content_columns(f->c, f->p, langs[l], &cols, &n), MH_OK);
        assert_true(n >= 55 && n <= 65);
        assert_int_equal((int64_t)n, f->st[0].columns);
        for (size_t i = 0; i < n; i++) {
            if (cols[i].depth > maxdepth)
                maxdepth = cols[i].depth;
            if (mh_content_type_is(cols[i].module, MH_TYPE_ENTRIES))
                holders++;
        }
        assert_int_equal(maxdepth, 2); /* three levels */
        assert_true(holders > 40);
        /* a mix of types: pages, articles, products, downloads, galleries, jobs */
        const char *want[] = {"page", "article", "product", "download", "gallery", "job"};
        for (size_t k = 0; k < 6; k++) {
            bool seen = false;
            for (size_t i = 0; i < n && !seen; i++)
                seen = strcmp(cols[i].module, want[k]) == 0;
            assert_true(seen);
        }
    }
    mh_column_t news;
    assert_int_equal(mh_content_column_by_path(f->c, f->p, f->zh, "news", &news), MH_OK);
    assert_string_equal(news.name, "新闻中心");
    /* uneven: the largest column holds far more than an average one */
    assert_true(f->st[0].largest_count * 45 > N / 2 * 5);
    assert_int_equal(strncmp(f->st[0].largest_path, "news/", 5), 0);
}

static void test_translations_linked(void **state)
{
    struct fx *f = *state;
    int64_t linked = sql_int(f->dir[0], "SELECT count(*) FROM entries z JOIN entries e ON "
                                        "e.id = z.translation_group AND e.lang_id = 1 "
                                        "WHERE z.lang_id = 2");
    assert_true(linked > 0);
    assert_int_equal(linked, f->st[0].linked);
    /* through the API: a published English entry with a published
     * translation shows it */
    int64_t id = sql_int(f->dir[0], "SELECT e.id FROM entries z JOIN entries e ON "
                                    "e.id = z.translation_group AND e.lang_id = 1 "
                                    "WHERE z.lang_id = 2 AND z.status = 'published' AND "
                                    "e.status = 'published' ORDER BY e.id LIMIT 1");
    mh_entry_t e, *tr;
    size_t n;
    assert_true(id > 0);
    assert_int_equal(mh_content_entry_get(f->c, f->p, id, &e), MH_OK);
    assert_int_equal(mh_content_translations(f->c, f->p, &e, &tr, &n), MH_OK);
    assert_true(n >= 1);
    assert_int_equal(tr[0].lang_id, f->zh);
}

static void test_deterministic(void **state)
{
    struct fx *f = *state;
    uint64_t a = checksum(f->dir[0]), b = checksum(f->dir[1]), c = checksum(f->dir[2]);
    assert_true(a != 0);
    assert_true(a == b);
    assert_true(a != c); /* another seed, another site */
    assert_memory_equal(&f->st[0], &f->st[1], sizeof(f->st[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_per_language),
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_translations_linked),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
