/* Store conformance: what every backend of struct mh_store_ops must do,
 * checked through the ops tables alone (store/store.h, accounts.h,
 * editorial.h, media.h) so that a later backend runs the same suite
 * unchanged. Every op is called; unknown ids answer MH_DECLINED,
 * constraint violations (duplicate slugs, missing parents) MH_ERR;
 * transactions really roll back; read_begin declines inside a write
 * transaction; several threads, each with its own connection, write and
 * read at once; data_changed reports another connection's commit.
 *
 * Backends are rows of the table below. MH_TEST_STORE=name runs one of
 * them (an unknown name fails); unset, every row runs, each as its own
 * cmocka group ("store conformance: sqlite"). A new backend adds a row
 * with a create function that makes an empty database and says what its
 * open() takes. Worker threads never call cmocka asserts (they longjmp):
 * they record what they saw and the main thread checks it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/log.h"
#include "store/accounts.h"
#include "store/editorial.h"
#include "store/media.h"
#include "store/portal.h"
#include "store/store.h"
#include "store/tags.h"

struct fx;

typedef struct {
    const char *name;
    const struct mh_store_ops *ops;
    /* Make an empty database for one test; fill f->where with what
     * ops->open takes (a path, later perhaps a connection string). */
    int (*create)(struct fx *f);
    /* Remove what create made; the store is closed by then. */
    void (*destroy)(struct fx *f);
} backend_t;

struct fx {
    const backend_t *b;
    mh_store_t *s;
    mh_pool_t *p;
    char dir[64];
    char where[160];
    /* Filled by seed(). */
    int64_t site, en, zh, news, about, zh_news;
};

/* --- backends --- */

static int sqlite_create(struct fx *f)
{
    snprintf(f->dir, sizeof(f->dir), "/tmp/mh-conf-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->where, sizeof(f->where), "%s/site.db", f->dir);
    return 0;
}

static void sqlite_destroy(struct fx *f)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[200];
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", f->where, suffix[i]);
        unlink(path);
    }
    rmdir(f->dir);
}

static const backend_t backends[] = {
    {"sqlite", &mh_store_sqlite_ops, sqlite_create, sqlite_destroy},
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/* --- fixture --- */

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256] = "";
    int version = 0;
    if (!f)
        return -1;
    f->b = *state;
    if (f->b->create(f) != 0)
        goto fail;
    if (f->b->ops->open(f->where, true, &f->s, err, sizeof(err)) != MH_OK ||
        f->s->ops != f->b->ops || f->s->ops->migrate(f->s, &version, err, sizeof(err)) != MH_OK ||
        version < 1) {
        print_error("%s: %s\n", f->b->name, err);
        goto fail;
    }
    f->p = mh_pool_create();
    *state = f;
    return 0;
fail:
    free(f);
    return -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f->s)
        f->s->ops->close(f->s);
    mh_pool_destroy(f->p);
    f->b->destroy(f);
    free(f);
    return 0;
}

#define OPS (f->s->ops)
#define ACC (f->s->ops->accounts)
#define ED (f->s->ops->editorial)
#define MED (f->s->ops->media)

static int64_t add_column(struct fx *f, int64_t lang, int64_t parent, mh_module_t module,
                          const char *slug, int position)
{
    int64_t id = 0;
    mh_column_t c = {.lang_id = lang,
                     .parent_id = parent,
                     .module = module,
                     .name = slug,
                     .slug = slug,
                     .nav = MH_NAV_HEADER,
                     .sort_mode = MH_SORT_NEWEST,
                     .page_size = 10,
                     .position = position,
                     .visible = true};
    assert_int_equal(OPS->column_insert(f->s, &c, &id), MH_OK);
    assert_true(id > 0);
    return id;
}

static mh_entry_t entry_in(int64_t col, int64_t lang, const char *slug, mh_status_t st,
                           int64_t publish_at)
{
    return (mh_entry_t){.column_id = col,
                        .lang_id = lang,
                        .title = slug,
                        .slug = slug,
                        .summary = "",
                        .body_html = "<p>body</p>",
                        .publish_at = publish_at,
                        .created_at = publish_at,
                        .updated_at = publish_at,
                        .status = st};
}

static int64_t add_entry(struct fx *f, int64_t col, int64_t lang, const char *slug, mh_status_t st,
                         int64_t publish_at)
{
    int64_t id = 0;
    mh_entry_t e = entry_in(col, lang, slug, st, publish_at);
    assert_int_equal(OPS->entry_insert(f->s, &e, &id), MH_OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_user(struct fx *f, const char *name)
{
    int64_t id = 0;
    mh_account_t u = {.name = name,
                      .password_hash = "hash",
                      .role = "editor",
                      .display_name = "",
                      .ui_lang = "en",
                      .created_at = 100};
    assert_int_equal(ACC->user_insert(f->s, &u, &id), MH_OK);
    assert_true(id > 0);
    return id;
}

/* A site, two languages and three columns. */
static void seed(struct fx *f)
{
    mh_language_t en = {.code = "en", .name = "English", .prefix = "", .is_default = true};
    mh_language_t zh = {.code = "zh-CN", .name = "中文", .prefix = "zh", .position = 1};
    assert_int_equal(OPS->site_insert(f->s, "Site", "example.org", &f->site), MH_OK);
    en.site_id = zh.site_id = f->site;
    assert_int_equal(OPS->language_insert(f->s, &en, &f->en), MH_OK);
    assert_int_equal(OPS->language_insert(f->s, &zh, &f->zh), MH_OK);
    f->news = add_column(f, f->en, 0, MH_MODULE_ARTICLE, "news", 1);
    f->about = add_column(f, f->en, 0, MH_MODULE_PAGE, "about", 2);
    f->zh_news = add_column(f, f->zh, 0, MH_MODULE_ARTICLE, "news", 1);
}

static size_t count_entries(struct fx *f, int64_t col)
{
    mh_store_entry_filter_t q = {.lang_id = f->en, .column_ids = &col, .ncolumns = 1, .limit = 500};
    mh_entry_t *rows;
    size_t n = 0;
    int64_t total = -1;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal((int64_t)n, total);
    return n;
}

/* --- sites, languages, settings --- */

static void test_sites_languages(void **state)
{
    struct fx *f = *state;
    mh_site_info_t info = {0};
    mh_language_t *langs;
    size_t n;
    int64_t id;
    assert_int_equal(OPS->site_get(f->s, f->p, &info), MH_DECLINED);
    assert_int_equal(OPS->languages(f->s, f->p, &langs, &n), MH_OK);
    assert_int_equal(n, 0);
    seed(f);
    assert_int_equal(OPS->site_get(f->s, f->p, &info), MH_OK);
    assert_int_equal(info.id, f->site);
    assert_string_equal(info.name, "Site");
    assert_string_equal(info.domain, "example.org");
    /* A second site does not displace the first. */
    assert_int_equal(OPS->site_insert(f->s, "Other", "", &id), MH_OK);
    assert_int_equal(OPS->site_get(f->s, f->p, &info), MH_OK);
    assert_int_equal(info.id, f->site);

    assert_int_equal(OPS->languages(f->s, f->p, &langs, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(langs[0].id, f->en);
    assert_true(langs[0].is_default);
    assert_string_equal(langs[0].code, "en");
    assert_string_equal(langs[0].prefix, "");
    assert_string_equal(langs[0].domain, "");
    assert_int_equal(langs[1].id, f->zh);
    assert_false(langs[1].is_default);
    assert_string_equal(langs[1].name, "中文");
    assert_string_equal(langs[1].prefix, "zh");
    assert_int_equal(langs[1].position, 1);
    assert_int_equal(langs[1].site_id, f->site);

    /* Constraints: code and prefix unique per site, the site must exist. */
    mh_language_t dup = {.site_id = f->site, .code = "en", .name = "x", .prefix = "x"};
    assert_int_equal(OPS->language_insert(f->s, &dup, &id), MH_ERR);
    dup.code = "fr";
    dup.prefix = "zh";
    assert_int_equal(OPS->language_insert(f->s, &dup, &id), MH_ERR);
    dup.prefix = "fr";
    dup.site_id = 987654;
    assert_int_equal(OPS->language_insert(f->s, &dup, &id), MH_ERR);
    assert_int_equal(OPS->languages(f->s, f->p, &langs, &n), MH_OK);
    assert_int_equal(n, 2);
}

static const char *setting(mh_store_setting_t *rows, size_t n, int64_t lang, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].lang_id == lang && strcmp(rows[i].key, key) == 0)
            return rows[i].value;
    return NULL;
}

static void test_settings(void **state)
{
    struct fx *f = *state;
    mh_store_setting_t *rows;
    size_t n;
    seed(f);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "title", "A"), MH_OK);
    assert_int_equal(OPS->setting_set(f->s, f->site, f->zh, "title", "B"), MH_OK);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "title", "C"), MH_OK); /* upsert */
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_non_null(setting(rows, n, 0, "title"));
    assert_string_equal(setting(rows, n, 0, "title"), "C");
    assert_non_null(setting(rows, n, f->zh, "title"));
    assert_string_equal(setting(rows, n, f->zh, "title"), "B");
    /* Deleting one language's value leaves the other. */
    assert_int_equal(OPS->setting_set(f->s, f->site, f->zh, "title", NULL), MH_OK);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].lang_id, 0);
    assert_string_equal(rows[0].value, "C");
    /* Deleting what is not there is not an error. */
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "nothing", NULL), MH_OK);
    /* A setting of a missing site or language violates a constraint. */
    assert_int_equal(OPS->setting_set(f->s, 987654, 0, "k", "v"), MH_ERR);
    assert_int_equal(OPS->setting_set(f->s, f->site, 987654, "k", "v"), MH_ERR);
}

/* --- columns --- */

static const mh_column_t *find_column(mh_column_t *cols, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (cols[i].id == id)
            return &cols[i];
    return NULL;
}

static void test_columns(void **state)
{
    struct fx *f = *state;
    mh_column_t *cols;
    const mh_column_t *c;
    size_t n;
    bool taken;
    int64_t id;
    seed(f);
    int64_t sub = add_column(f, f->en, f->news, MH_MODULE_ARTICLE, "world", 0);
    assert_int_equal(OPS->columns(f->s, f->p, &cols, &n), MH_OK);
    assert_int_equal(n, 4);
    /* By language, then position, then id. */
    assert_int_equal(cols[0].id, sub);
    assert_int_equal(cols[1].id, f->news);
    assert_int_equal(cols[2].id, f->about);
    assert_int_equal(cols[3].id, f->zh_news);
    c = find_column(cols, n, sub);
    assert_non_null(c);
    assert_int_equal(c->parent_id, f->news);
    assert_int_equal(c->lang_id, f->en);
    assert_string_equal(c->module, MH_MODULE_ARTICLE);
    assert_string_equal(c->slug, "world");
    assert_int_equal(c->nav, MH_NAV_HEADER);
    assert_int_equal(c->page_size, 10);
    assert_true(c->visible);
    c = find_column(cols, n, f->about);
    assert_non_null(c);
    assert_int_equal(c->parent_id, 0);
    assert_string_equal(c->module, MH_MODULE_PAGE);

    /* Every field survives an update. */
    mh_column_t u = *find_column(cols, n, f->about);
    u.name = "About us";
    u.summary = "sum";
    u.body_html = "<p>about</p>";
    u.link_url = "https://example.org/";
    u.seo_title = "st";
    u.seo_keywords = "sk";
    u.seo_description = "sd";
    u.nav = MH_NAV_FOOTER;
    u.sort_mode = MH_SORT_TITLE;
    u.page_size = 50;
    u.position = 7;
    u.visible = false;
    assert_int_equal(OPS->column_update(f->s, &u), MH_OK);
    assert_int_equal(OPS->columns(f->s, f->p, &cols, &n), MH_OK);
    c = find_column(cols, n, f->about);
    assert_non_null(c);
    assert_string_equal(c->name, "About us");
    assert_string_equal(c->summary, "sum");
    assert_string_equal(c->body_html, "<p>about</p>");
    assert_string_equal(c->link_url, "https://example.org/");
    assert_string_equal(c->seo_title, "st");
    assert_string_equal(c->seo_keywords, "sk");
    assert_string_equal(c->seo_description, "sd");
    assert_int_equal(c->nav, MH_NAV_FOOTER);
    assert_int_equal(c->sort_mode, MH_SORT_TITLE);
    assert_int_equal(c->page_size, 50);
    assert_int_equal(c->position, 7);
    assert_false(c->visible);
    u.id = 987654;
    assert_int_equal(OPS->column_update(f->s, &u), MH_DECLINED);

    /* Slugs: unique among siblings of a language only. */
    assert_int_equal(OPS->column_slug_taken(f->s, f->en, 0, "news", 0, &taken), MH_OK);
    assert_true(taken);
    assert_int_equal(OPS->column_slug_taken(f->s, f->en, 0, "news", f->news, &taken), MH_OK);
    assert_false(taken);
    assert_int_equal(OPS->column_slug_taken(f->s, f->en, f->news, "news", 0, &taken), MH_OK);
    assert_false(taken);
    assert_int_equal(OPS->column_slug_taken(f->s, f->en, f->news, "world", 0, &taken), MH_OK);
    assert_true(taken);
    mh_column_t dup = {.lang_id = f->en,
                       .module = MH_MODULE_ARTICLE,
                       .name = "n",
                       .slug = "news",
                       .nav = MH_NAV_HEADER,
                       .page_size = 10,
                       .visible = true};
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_ERR);
    dup.parent_id = f->news; /* the same slug one level down is fine */
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_OK);
    dup.parent_id = 987654; /* a missing parent */
    dup.slug = "orphan";
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_ERR);
    dup.parent_id = 0;
    dup.lang_id = 987654; /* a missing language */
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_ERR);
    dup.lang_id = f->en;
    dup.module = (mh_module_t)0; /* no type name */
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_ERR);
    dup.module = MH_MODULE_ARTICLE;
    dup.slug = ""; /* an empty slug */
    assert_int_equal(OPS->column_insert(f->s, &dup, &id), MH_ERR);
    /* Renaming onto a sibling's slug violates the same rule. */
    assert_int_equal(OPS->column_set_slug(f->s, f->about, "news"), MH_ERR);
    assert_int_equal(OPS->column_set_slug(f->s, f->about, "about-us"), MH_OK);
    assert_int_equal(OPS->column_slug_taken(f->s, f->en, 0, "about-us", 0, &taken), MH_OK);
    assert_true(taken);
}

/* --- entries --- */

static void test_entry_roundtrip(void **state)
{
    struct fx *f = *state;
    mh_entry_t e, got;
    int64_t id, other;
    bool taken;
    seed(f);
    int64_t author = add_user(f, "ann");
    e = (mh_entry_t){.column_id = f->news,
                     .lang_id = f->en,
                     .translation_group = 42,
                     .author_id = author,
                     .title = "Title",
                     .slug = "title",
                     .summary = "Summary",
                     .body_html = "<p>Body</p>",
                     .author = "Ann",
                     .source = "Wire",
                     .cover = "/media/ab/cover.jpg",
                     .seo_title = "ST",
                     .seo_keywords = "SK",
                     .seo_description = "SD",
                     .publish_at = 1000,
                     .created_at = 900,
                     .updated_at = 950,
                     .hits = 5,
                     .status = MH_STATUS_PUBLISHED,
                     .pinned = true,
                     .recommended = true,
                     .position = 3};
    assert_int_equal(OPS->entry_insert(f->s, &e, &id), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, id, &got), MH_OK);
    assert_int_equal(got.id, id);
    assert_int_equal(got.column_id, f->news);
    assert_int_equal(got.lang_id, f->en);
    assert_int_equal(got.translation_group, 42);
    assert_int_equal(got.author_id, author);
    assert_string_equal(got.title, "Title");
    assert_string_equal(got.slug, "title");
    assert_string_equal(got.summary, "Summary");
    assert_non_null(got.body_html);
    assert_string_equal(got.body_html, "<p>Body</p>");
    assert_string_equal(got.author, "Ann");
    assert_string_equal(got.source, "Wire");
    assert_string_equal(got.cover, "/media/ab/cover.jpg");
    assert_string_equal(got.seo_title, "ST");
    assert_string_equal(got.seo_keywords, "SK");
    assert_string_equal(got.seo_description, "SD");
    assert_int_equal(got.publish_at, 1000);
    assert_int_equal(got.created_at, 900);
    assert_int_equal(got.updated_at, 950);
    assert_int_equal(got.hits, 5);
    assert_int_equal(got.status, MH_STATUS_PUBLISHED);
    assert_true(got.pinned);
    assert_true(got.recommended);
    assert_int_equal(got.position, 3);

    memset(&got, 0, sizeof(got));
    assert_int_equal(OPS->entry_by_slug(f->s, f->p, f->news, "title", &got), MH_OK);
    assert_int_equal(got.id, id);
    assert_non_null(got.body_html);
    assert_int_equal(OPS->entry_by_slug(f->s, f->p, f->about, "title", &got), MH_DECLINED);
    assert_int_equal(OPS->entry_by_slug(f->s, f->p, f->news, "nope", &got), MH_DECLINED);
    assert_int_equal(OPS->entry_get(f->s, f->p, 987654, &got), MH_DECLINED);

    /* An update rewrites the editable fields. */
    e.id = id;
    e.title = "New";
    e.body_html = "<p>New</p>";
    e.status = MH_STATUS_DRAFT;
    e.pinned = false;
    e.updated_at = 2000;
    e.author_id = 0;
    assert_int_equal(OPS->entry_update(f->s, &e), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, id, &got), MH_OK);
    assert_string_equal(got.title, "New");
    assert_string_equal(got.body_html, "<p>New</p>");
    assert_int_equal(got.status, MH_STATUS_DRAFT);
    assert_false(got.pinned);
    assert_int_equal(got.updated_at, 2000);
    assert_int_equal(got.author_id, 0);
    assert_int_equal(got.created_at, 900);
    e.id = 987654;
    assert_int_equal(OPS->entry_update(f->s, &e), MH_DECLINED);

    /* Slugs are unique within a column. */
    assert_int_equal(OPS->entry_slug_taken(f->s, f->news, "title", 0, &taken), MH_OK);
    assert_true(taken);
    assert_int_equal(OPS->entry_slug_taken(f->s, f->news, "title", id, &taken), MH_OK);
    assert_false(taken);
    assert_int_equal(OPS->entry_slug_taken(f->s, f->about, "title", 0, &taken), MH_OK);
    assert_false(taken);
    mh_entry_t dup = entry_in(f->news, f->en, "title", MH_STATUS_DRAFT, 1);
    assert_int_equal(OPS->entry_insert(f->s, &dup, &other), MH_ERR);
    dup.column_id = f->about;
    assert_int_equal(OPS->entry_insert(f->s, &dup, &other), MH_OK);
    dup.id = other; /* moving it onto the taken slug fails too */
    dup.column_id = f->news;
    assert_int_equal(OPS->entry_update(f->s, &dup), MH_ERR);
    dup = entry_in(987654, f->en, "orphan", MH_STATUS_DRAFT, 1); /* a missing column */
    assert_int_equal(OPS->entry_insert(f->s, &dup, &other), MH_ERR);
    dup = entry_in(f->news, f->en, "", MH_STATUS_DRAFT, 1); /* an empty slug */
    assert_int_equal(OPS->entry_insert(f->s, &dup, &other), MH_ERR);
    dup = entry_in(f->news, f->en, "bad", (mh_status_t)9, 1); /* an invalid enum */
    assert_int_equal(OPS->entry_insert(f->s, &dup, &other), MH_ERR);

    assert_int_equal(OPS->entry_set_slug_group(f->s, id, "renamed", 77), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, id, &got), MH_OK);
    assert_string_equal(got.slug, "renamed");
    assert_int_equal(got.translation_group, 77);
    assert_int_equal(OPS->entry_set_slug_group(f->s, id, "title", 77), MH_OK);
    other = add_entry(f, f->news, f->en, "second", MH_STATUS_DRAFT, 1);
    assert_int_equal(OPS->entry_set_slug_group(f->s, other, "title", 0), MH_ERR);
}

static size_t ids_of(mh_entry_t *rows, size_t n, int64_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = rows[i].id;
    return n;
}

static void test_entries_list(void **state)
{
    struct fx *f = *state;
    mh_entry_t *rows;
    size_t n;
    int64_t total, got[8];
    seed(f);
    int64_t sub = add_column(f, f->en, f->news, MH_MODULE_ARTICLE, "sub", 0);
    /* a: old, published; b: newer, published, recommended, many hits;
     * c: pinned oldest; d: draft; e: scheduled in the future; s: in sub;
     * z: zh language; t: in the bin. */
    int64_t a = add_entry(f, f->news, f->en, "a", MH_STATUS_PUBLISHED, 100);
    mh_entry_t e = entry_in(f->news, f->en, "b", MH_STATUS_PUBLISHED, 200);
    e.recommended = true;
    e.hits = 50;
    e.position = 2;
    e.title = "Alpha";
    int64_t b;
    assert_int_equal(OPS->entry_insert(f->s, &e, &b), MH_OK);
    e = entry_in(f->news, f->en, "c", MH_STATUS_PUBLISHED, 50);
    e.pinned = true;
    e.position = 1;
    e.hits = 10;
    e.title = "Zulu";
    int64_t c;
    assert_int_equal(OPS->entry_insert(f->s, &e, &c), MH_OK);
    int64_t d = add_entry(f, f->news, f->en, "d", MH_STATUS_DRAFT, 150);
    int64_t sch = add_entry(f, f->news, f->en, "e", MH_STATUS_SCHEDULED, 5000);
    int64_t s = add_entry(f, sub, f->en, "s", MH_STATUS_PUBLISHED, 300);
    add_entry(f, f->zh_news, f->zh, "z", MH_STATUS_PUBLISHED, 100);
    int64_t t = add_entry(f, f->news, f->en, "t", MH_STATUS_PUBLISHED, 120);
    assert_int_equal(ED->entry_set_deleted(f->s, t, 999), MH_OK);

    /* One column, newest: pinned first, then publish time descending. */
    mh_store_entry_filter_t q = {.lang_id = f->en,
                                 .column_ids = &f->news,
                                 .ncolumns = 1,
                                 .sort = MH_SORT_NEWEST,
                                 .limit = 20};
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 5);
    assert_int_equal(ids_of(rows, n, got), 5);
    assert_int_equal(got[0], c);
    assert_int_equal(got[1], sch);
    assert_int_equal(got[2], b);
    assert_int_equal(got[3], d);
    assert_int_equal(got[4], a);
    for (size_t i = 0; i < n; i++)
        assert_null(rows[i].body_html); /* lists leave the body out */
    /* Public only: published or scheduled and due, at now = 1000. */
    q.public_only = true;
    q.now = 1000;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(ids_of(rows, n, got), 3);
    assert_int_equal(got[0], c);
    assert_int_equal(got[1], b);
    assert_int_equal(got[2], a);
    /* The scheduled entry is public once its time has come. */
    q.now = 5000;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    q.now = 1000;
    q.recommended_only = true;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, b);
    q.recommended_only = false;
    /* The other orders. */
    q.sort = MH_SORT_OLDEST;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(ids_of(rows, n, got), 3);
    assert_int_equal(got[0], c);
    assert_int_equal(got[1], a);
    assert_int_equal(got[2], b);
    q.sort = MH_SORT_MANUAL;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(ids_of(rows, n, got), 3);
    assert_int_equal(got[0], a); /* position 0 */
    assert_int_equal(got[1], c);
    assert_int_equal(got[2], b);
    q.sort = MH_SORT_TITLE;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(ids_of(rows, n, got), 3);
    assert_int_equal(got[0], b); /* "Alpha" */
    assert_int_equal(got[1], c); /* "Zulu" */
    assert_int_equal(got[2], a); /* "a" sorts after upper case */
    q.sort = MH_SORT_HITS;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(ids_of(rows, n, got), 3);
    assert_int_equal(got[0], b);
    assert_int_equal(got[1], c);
    assert_int_equal(got[2], a);
    /* Offset and limit page through; total stays the full count. */
    q.sort = MH_SORT_NEWEST;
    q.offset = 1;
    q.limit = 1;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, b);
    q.offset = 3;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 0);
    assert_non_null(rows);
    /* total may be omitted. */
    q.offset = 0;
    q.limit = 20;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, NULL), MH_OK);
    assert_int_equal(n, 3);
    /* Several columns; any column of the language. */
    int64_t both[] = {f->news, sub};
    q.column_ids = both;
    q.ncolumns = 2;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(rows[1].id, s);
    q.column_ids = NULL;
    q.ncolumns = 0;
    q.public_only = false;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 6); /* not z (zh), not t (bin) */
    q.lang_id = f->zh;
    assert_int_equal(OPS->entries_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_string_equal(rows[0].slug, "z");
    /* A binned entry cannot be read by id or slug either. */
    mh_entry_t one;
    assert_int_equal(OPS->entry_get(f->s, f->p, t, &one), MH_DECLINED);
    assert_int_equal(OPS->entry_by_slug(f->s, f->p, f->news, "t", &one), MH_DECLINED);
}

static void test_neighbors_translations(void **state)
{
    struct fx *f = *state;
    mh_entry_t cur, *prev, *next, *tr;
    size_t n;
    seed(f);
    int64_t a = add_entry(f, f->news, f->en, "a", MH_STATUS_PUBLISHED, 100);
    int64_t b = add_entry(f, f->news, f->en, "b", MH_STATUS_PUBLISHED, 200);
    int64_t c = add_entry(f, f->news, f->en, "c", MH_STATUS_PUBLISHED, 300);
    add_entry(f, f->news, f->en, "d", MH_STATUS_DRAFT, 250);
    add_entry(f, f->news, f->en, "f", MH_STATUS_SCHEDULED, 9000);
    assert_int_equal(OPS->entry_get(f->s, f->p, b, &cur), MH_OK);
    assert_int_equal(OPS->entry_neighbors(f->s, f->p, &cur, MH_SORT_NEWEST, 1000, &prev, &next),
                     MH_OK);
    assert_non_null(prev);
    assert_non_null(next);
    assert_int_equal(prev->id, a); /* previous is older */
    assert_int_equal(next->id, c); /* the draft in between is skipped */
    assert_string_equal(next->slug, "c");
    assert_int_equal(next->column_id, f->news);
    assert_int_equal(next->publish_at, 300);
    assert_int_equal(OPS->entry_get(f->s, f->p, c, &cur), MH_OK);
    assert_int_equal(OPS->entry_neighbors(f->s, f->p, &cur, MH_SORT_OLDEST, 1000, &prev, &next),
                     MH_OK);
    assert_non_null(prev);
    assert_int_equal(prev->id, b);
    assert_null(next); /* the future scheduled one is not public yet */
    assert_int_equal(OPS->entry_neighbors(f->s, f->p, &cur, MH_SORT_OLDEST, 9000, &prev, &next),
                     MH_OK);
    assert_non_null(next);
    assert_string_equal(next->slug, "f");

    /* Translations: the group's public entries in other languages. */
    mh_entry_t e = entry_in(f->news, f->en, "g-en", MH_STATUS_PUBLISHED, 10);
    int64_t en_id, zh_id, zh_draft;
    e.translation_group = 5;
    assert_int_equal(OPS->entry_insert(f->s, &e, &en_id), MH_OK);
    e = entry_in(f->zh_news, f->zh, "g-zh", MH_STATUS_PUBLISHED, 10);
    e.translation_group = 5;
    assert_int_equal(OPS->entry_insert(f->s, &e, &zh_id), MH_OK);
    e = entry_in(f->zh_news, f->zh, "g-zh-draft", MH_STATUS_DRAFT, 10);
    e.translation_group = 5;
    assert_int_equal(OPS->entry_insert(f->s, &e, &zh_draft), MH_OK);
    assert_int_equal(OPS->entry_translations(f->s, f->p, 5, en_id, f->en, 1000, &tr, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tr[0].id, zh_id);
    assert_int_equal(tr[0].lang_id, f->zh);
    assert_string_equal(tr[0].slug, "g-zh");
    assert_int_equal(OPS->entry_translations(f->s, f->p, 6, 0, f->en, 1000, &tr, &n), MH_OK);
    assert_int_equal(n, 0);
}

/* --- accounts --- */

static void test_accounts(void **state)
{
    struct fx *f = *state;
    mh_account_t u, *users;
    mh_account_grant_t *grants;
    mh_session_row_t sess;
    size_t n;
    int64_t id;
    seed(f);
    assert_int_equal(ACC->users(f->s, f->p, &users, &n), MH_OK);
    assert_int_equal(n, 0);
    int64_t bob = add_user(f, "bob");
    int64_t amy = add_user(f, "amy");
    /* A taken name is declined, not an error. */
    u = (mh_account_t){.name = "bob", .password_hash = "h", .role = "author", .created_at = 1};
    assert_int_equal(ACC->user_insert(f->s, &u, &id), MH_DECLINED);
    assert_int_equal(ACC->users(f->s, f->p, &users, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(users[0].name, "amy"); /* by name */
    assert_string_equal(users[1].name, "bob");
    assert_int_equal(ACC->user_get(f->s, f->p, bob, &u), MH_OK);
    assert_string_equal(u.name, "bob");
    assert_string_equal(u.password_hash, "hash");
    assert_string_equal(u.role, "editor");
    assert_string_equal(u.ui_lang, "en");
    assert_int_equal(u.created_at, 100);
    assert_false(u.disabled);
    assert_false(u.must_change);
    assert_int_equal(ACC->user_by_name(f->s, f->p, "amy", &u), MH_OK);
    assert_int_equal(u.id, amy);
    assert_int_equal(ACC->user_by_name(f->s, f->p, "nobody", &u), MH_DECLINED);
    assert_int_equal(ACC->user_get(f->s, f->p, 987654, &u), MH_DECLINED);
    /* An invalid role violates a constraint. */
    u = (mh_account_t){.name = "eve", .password_hash = "h", .role = "root", .created_at = 1};
    assert_int_equal(ACC->user_insert(f->s, &u, &id), MH_ERR);

    assert_int_equal(ACC->user_get(f->s, f->p, bob, &u), MH_OK);
    u.role = "admin";
    u.display_name = "Bob B.";
    u.ui_lang = "zh-CN";
    u.disabled = true;
    assert_int_equal(ACC->user_update(f->s, &u), MH_OK);
    assert_int_equal(ACC->user_set_password(f->s, bob, "new-hash", true), MH_OK);
    assert_int_equal(ACC->user_get(f->s, f->p, bob, &u), MH_OK);
    assert_string_equal(u.role, "admin");
    assert_string_equal(u.display_name, "Bob B.");
    assert_string_equal(u.ui_lang, "zh-CN");
    assert_true(u.disabled);
    assert_string_equal(u.password_hash, "new-hash");
    assert_true(u.must_change);
    u.id = 987654;
    assert_int_equal(ACC->user_update(f->s, &u), MH_DECLINED);
    assert_int_equal(ACC->user_set_password(f->s, 987654, "x", false), MH_DECLINED);

    /* Grants. */
    mh_account_grant_t g1 = {.column_id = f->news}, g2 = {.lang_id = f->zh};
    assert_int_equal(ACC->grant_insert(f->s, bob, &g1), MH_OK);
    assert_int_equal(ACC->grant_insert(f->s, bob, &g2), MH_OK);
    assert_int_equal(ACC->grant_insert(f->s, amy, &g1), MH_OK);
    assert_int_equal(ACC->grants(f->s, f->p, bob, &grants, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(grants[0].column_id, f->news);
    assert_int_equal(grants[0].lang_id, 0);
    assert_int_equal(grants[1].column_id, 0);
    assert_int_equal(grants[1].lang_id, f->zh);
    assert_int_equal(ACC->grants_clear(f->s, bob), MH_OK);
    assert_int_equal(ACC->grants(f->s, f->p, bob, &grants, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ACC->grants(f->s, f->p, amy, &grants, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ACC->grant_insert(f->s, 987654, &g1), MH_ERR); /* missing user */

    /* Sessions. */
    assert_int_equal(ACC->session_insert(f->s, "h1", bob, 1000, 5000, "127.0.0.1"), MH_OK);
    assert_int_equal(ACC->session_insert(f->s, "h2", bob, 1000, 5000, "::1"), MH_OK);
    assert_int_equal(ACC->session_insert(f->s, "h3", amy, 1000, 1500, ""), MH_OK);
    assert_int_equal(ACC->session_insert(f->s, "h1", amy, 1000, 5000, ""), MH_ERR); /* dup */
    assert_int_equal(ACC->session_get(f->s, f->p, "h1", &sess), MH_OK);
    assert_int_equal(sess.user_id, bob);
    assert_int_equal(sess.created_at, 1000);
    assert_int_equal(sess.last_seen, 1000);
    assert_int_equal(sess.expires_at, 5000);
    assert_string_equal(sess.ip, "127.0.0.1");
    assert_int_equal(ACC->session_touch(f->s, sess.id, 1200), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h1", &sess), MH_OK);
    assert_int_equal(sess.last_seen, 1200);
    assert_int_equal(ACC->session_get(f->s, f->p, "nope", &sess), MH_DECLINED);
    /* Every session of bob but h1. */
    assert_int_equal(ACC->sessions_delete_user(f->s, bob, "h1"), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h2", &sess), MH_DECLINED);
    assert_int_equal(ACC->session_get(f->s, f->p, "h1", &sess), MH_OK);
    /* Purge: expired (h3 at 1500) and idle (h1 last seen 1200, idle 300 at 1600). */
    assert_int_equal(ACC->sessions_purge(f->s, 1450, 1000), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h3", &sess), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h1", &sess), MH_OK);
    assert_int_equal(ACC->sessions_purge(f->s, 1600, 300), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h3", &sess), MH_DECLINED);
    assert_int_equal(ACC->session_get(f->s, f->p, "h1", &sess), MH_DECLINED);
    assert_int_equal(ACC->session_insert(f->s, "h4", bob, 1000, 5000, ""), MH_OK);
    assert_int_equal(ACC->session_delete(f->s, "h4"), MH_OK);
    assert_int_equal(ACC->session_get(f->s, f->p, "h4", &sess), MH_DECLINED);
    assert_int_equal(ACC->session_insert(f->s, "h5", bob, 1000, 5000, ""), MH_OK);
    assert_int_equal(ACC->sessions_delete_user(f->s, bob, ""), MH_OK); /* keeps none */
    assert_int_equal(ACC->session_get(f->s, f->p, "h5", &sess), MH_DECLINED);
    assert_int_equal(ACC->session_insert(f->s, "h6", 987654, 1, 2, ""), MH_ERR);
}

static void test_audit(void **state)
{
    struct fx *f = *state;
    mh_audit_row_t *rows;
    size_t n;
    int64_t total;
    seed(f);
    int64_t bob = add_user(f, "bob");
    assert_int_equal(ACC->audit_insert(f->s, 100, bob, "127.0.0.1", "login", "user:1", ""), MH_OK);
    assert_int_equal(ACC->audit_insert(f->s, 200, 0, "10.0.0.1", "login.fail", "", "bob"), MH_OK);
    assert_int_equal(ACC->audit_insert(f->s, 300, bob, "", "entry.save", "entry:4", "x"), MH_OK);
    assert_int_equal(ACC->audit_insert(f->s, 300, bob, "", "logins%", "", ""), MH_OK);
    mh_audit_filter_t q = {0};
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(n, 4);
    /* Newest first (then id). */
    assert_string_equal(rows[0].action, "logins%");
    assert_string_equal(rows[1].action, "entry.save");
    assert_string_equal(rows[3].action, "login");
    assert_int_equal(rows[3].user_id, bob);
    assert_string_equal(rows[3].user_name, "bob");
    assert_string_equal(rows[3].ip, "127.0.0.1");
    assert_string_equal(rows[3].object, "user:1");
    assert_int_equal(rows[2].user_id, 0);
    assert_string_equal(rows[2].user_name, "");
    assert_string_equal(rows[2].detail, "bob");
    /* A prefix, taken literally. */
    q.action = "login";
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    q.action = "login%";
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    q.action = "login.";
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    q.action = NULL;
    q.user_id = bob;
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    q.user_id = 0;
    q.since = 200;
    q.until = 300; /* exclusive */
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_string_equal(rows[0].action, "login.fail");
    q = (mh_audit_filter_t){.offset = 1, .limit = 2};
    assert_int_equal(ACC->audit_list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].action, "entry.save");
}

/* --- editorial --- */

static void test_editorial_entries(void **state)
{
    struct fx *f = *state;
    mh_entry_t *rows, got;
    size_t n;
    int64_t total, deleted_at = -1;
    seed(f);
    int64_t ann = add_user(f, "ann");
    mh_entry_t e = entry_in(f->news, f->en, "a", MH_STATUS_DRAFT, 100);
    e.title = "Hello World";
    e.author_id = ann;
    int64_t a;
    assert_int_equal(OPS->entry_insert(f->s, &e, &a), MH_OK);
    int64_t b = add_entry(f, f->news, f->en, "b", MH_STATUS_PUBLISHED, 200);
    int64_t c = add_entry(f, f->about, f->en, "c", MH_STATUS_PENDING, 300);
    int64_t z = add_entry(f, f->zh_news, f->zh, "z", MH_STATUS_PUBLISHED, 50);

    mh_entry_filter_t q = {.status = -1, .limit = 20};
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 4);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].id, c); /* publish time descending */
    assert_int_equal(rows[3].id, z);
    assert_null(rows[0].body_html);
    q.lang_id = f->en;
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    q.status = MH_STATUS_PENDING;
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, c);
    q.status = -1;
    q.search = "WORLD";
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, a);
    q.search = NULL;
    q.author_id = ann;
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    q.author_id = 0;
    q.column_ids = &f->news;
    q.ncolumns = 1;
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    q.ncolumns = 0;
    q.restrict_columns = true; /* no column at all */
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 0);
    assert_int_equal(n, 0);
    q.restrict_columns = false;
    q.column_ids = NULL;
    q.offset = 1;
    q.limit = 1;
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, b);

    /* The bin. */
    assert_int_equal(ED->entry_set_deleted(f->s, a, 777), MH_OK);
    assert_int_equal(ED->entry_set_deleted(f->s, a, 778), MH_DECLINED); /* already in it */
    assert_int_equal(ED->entry_get(f->s, f->p, a, &got, &deleted_at), MH_OK);
    assert_int_equal(deleted_at, 777);
    assert_non_null(got.body_html);
    assert_int_equal(ED->entry_get(f->s, f->p, b, &got, &deleted_at), MH_OK);
    assert_int_equal(deleted_at, 0);
    assert_int_equal(ED->entry_get(f->s, f->p, 987654, &got, &deleted_at), MH_DECLINED);
    q = (mh_entry_filter_t){.status = -1, .trashed = true, .limit = 20};
    assert_int_equal(ED->entries(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, a);
    assert_int_equal(ED->entry_set_status(f->s, a, MH_STATUS_PUBLISHED, 1, 2), MH_DECLINED);
    assert_int_equal(ED->entry_purge(f->s, b), MH_DECLINED);          /* live: not purged */
    assert_int_equal(ED->entry_set_deleted(f->s, b, 0), MH_DECLINED); /* not in the bin */
    assert_int_equal(ED->entry_set_deleted(f->s, a, 0), MH_OK);       /* restored */
    assert_int_equal(ED->entry_get(f->s, f->p, a, &got, &deleted_at), MH_OK);
    assert_int_equal(deleted_at, 0);
    assert_int_equal(ED->entry_set_deleted(f->s, a, 900), MH_OK);
    assert_int_equal(ED->entry_purge(f->s, a), MH_OK);
    assert_int_equal(ED->entry_get(f->s, f->p, a, &got, &deleted_at), MH_DECLINED);
    assert_int_equal(ED->entry_purge(f->s, a), MH_DECLINED);
    assert_int_equal(ED->entry_set_deleted(f->s, 987654, 1), MH_DECLINED);

    /* Status. */
    assert_int_equal(ED->entry_set_status(f->s, c, MH_STATUS_SCHEDULED, 4000, 3500), MH_OK);
    assert_int_equal(ED->entry_get(f->s, f->p, c, &got, NULL), MH_OK);
    assert_int_equal(got.status, MH_STATUS_SCHEDULED);
    assert_int_equal(got.publish_at, 4000);
    assert_int_equal(got.updated_at, 3500);
    assert_int_equal(ED->entry_set_status(f->s, 987654, MH_STATUS_DRAFT, 1, 2), MH_DECLINED);
    assert_int_not_equal(ED->entry_set_status(f->s, c, (mh_status_t)9, 1, 2), MH_OK);

    /* Translation groups: live entries of any status, by id. */
    assert_int_equal(OPS->entry_set_slug_group(f->s, b, "b", 9), MH_OK);
    assert_int_equal(OPS->entry_set_slug_group(f->s, z, "z", 9), MH_OK);
    assert_int_equal(ED->group_entries(f->s, f->p, 9, &rows, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, b);
    assert_int_equal(rows[1].id, z);
    assert_int_equal(ED->group_entries(f->s, f->p, 10, &rows, &n), MH_OK);
    assert_int_equal(n, 0);
}

static void test_editorial_columns(void **state)
{
    struct fx *f = *state;
    mh_entry_t *rows, got;
    mh_column_t *cols;
    size_t n;
    int64_t count;
    seed(f);
    int64_t sub = add_column(f, f->en, f->news, MH_MODULE_ARTICLE, "sub", 0);
    int64_t a = add_entry(f, f->news, f->en, "a", MH_STATUS_PUBLISHED, 1);
    int64_t b = add_entry(f, sub, f->en, "b", MH_STATUS_PUBLISHED, 1);
    int64_t c = add_entry(f, sub, f->en, "c", MH_STATUS_PUBLISHED, 1);
    assert_int_equal(ED->entry_set_deleted(f->s, c, 5), MH_OK);
    int64_t ids[] = {f->news, sub};
    assert_int_equal(ED->column_entry_count(f->s, ids, 2, &count), MH_OK);
    assert_int_equal(count, 3); /* live and binned */
    assert_int_equal(ED->column_entry_count(f->s, &f->about, 1, &count), MH_OK);
    assert_int_equal(count, 0);
    assert_int_equal(ED->column_entries(f->s, f->p, ids, 2, &rows, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, a);
    assert_int_equal(rows[1].id, b);
    assert_int_equal(rows[1].column_id, sub);
    assert_string_equal(rows[1].slug, "b");

    assert_int_equal(ED->entry_move(f->s, b, f->about, "b-moved"), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, b, &got), MH_OK);
    assert_int_equal(got.column_id, f->about);
    assert_string_equal(got.slug, "b-moved");
    assert_int_equal(ED->entry_move(f->s, 987654, f->about, "x"), MH_DECLINED);
    assert_int_equal(ED->entry_move(f->s, a, f->about, "b-moved"), MH_ERR); /* slug taken */

    assert_int_equal(ED->column_set_position(f->s, f->about, 9), MH_OK);
    assert_int_equal(ED->column_set_position(f->s, 987654, 9), MH_DECLINED);
    assert_int_equal(OPS->columns(f->s, f->p, &cols, &n), MH_OK);
    assert_int_equal(find_column(cols, n, f->about)->position, 9);

    /* Deleting a column takes its sub-columns and their entries along. */
    assert_int_equal(ED->column_delete(f->s, f->news), MH_OK);
    assert_int_equal(OPS->columns(f->s, f->p, &cols, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_null(find_column(cols, n, sub));
    assert_int_equal(ED->entry_get(f->s, f->p, a, &got, NULL), MH_DECLINED);
    assert_int_equal(ED->entry_get(f->s, f->p, c, &got, NULL), MH_DECLINED);
    assert_int_equal(ED->entry_get(f->s, f->p, b, &got, NULL), MH_OK); /* moved away */
    assert_int_equal(ED->column_delete(f->s, f->news), MH_DECLINED);
}

static void test_revisions_reviews(void **state)
{
    struct fx *f = *state;
    mh_revision_t *revs, rev;
    mh_review_t *reviews;
    size_t n;
    int64_t r1, r2, r3, id;
    seed(f);
    int64_t ann = add_user(f, "ann");
    mh_account_t u;
    assert_int_equal(ACC->user_get(f->s, f->p, ann, &u), MH_OK);
    u.display_name = "Ann A.";
    assert_int_equal(ACC->user_update(f->s, &u), MH_OK);
    int64_t e = add_entry(f, f->news, f->en, "e", MH_STATUS_DRAFT, 1);
    mh_revision_t in = {.entry_id = e,
                        .user_id = ann,
                        .created_at = 10,
                        .title = "v1",
                        .body_html = "<p>1</p>",
                        .snapshot = "{}"};
    assert_int_equal(ED->revision_insert(f->s, &in, &r1), MH_OK);
    in.created_at = 20;
    in.title = "v2";
    in.user_id = 0;
    assert_int_equal(ED->revision_insert(f->s, &in, &r2), MH_OK);
    in.created_at = 30;
    in.title = "v3";
    assert_int_equal(ED->revision_insert(f->s, &in, &r3), MH_OK);
    assert_int_equal(ED->revisions(f->s, f->p, e, 2, &revs, &n), MH_OK);
    assert_int_equal(n, 2); /* at most limit, newest first */
    assert_int_equal(revs[0].id, r3);
    assert_int_equal(revs[1].id, r2);
    assert_null(revs[0].body_html);
    assert_int_equal(ED->revision_get(f->s, f->p, r1, &rev), MH_OK);
    assert_int_equal(rev.entry_id, e);
    assert_int_equal(rev.user_id, ann);
    assert_string_equal(rev.user_name, "Ann A.");
    assert_int_equal(rev.created_at, 10);
    assert_string_equal(rev.title, "v1");
    assert_non_null(rev.body_html);
    assert_string_equal(rev.body_html, "<p>1</p>");
    assert_string_equal(rev.snapshot, "{}");
    assert_int_equal(ED->revision_get(f->s, f->p, 987654, &rev), MH_DECLINED);
    in.entry_id = 987654;
    assert_int_equal(ED->revision_insert(f->s, &in, &id), MH_ERR); /* missing entry */

    mh_review_t rv = {
        .entry_id = e, .user_id = ann, .action = MH_REVIEW_SUBMIT, .comment = "", .at = 5};
    assert_int_equal(ED->review_insert(f->s, &rv, &id), MH_OK);
    rv.action = MH_REVIEW_REJECT;
    rv.comment = "no";
    rv.at = 6;
    assert_int_equal(ED->review_insert(f->s, &rv, &id), MH_OK);
    assert_int_equal(ED->reviews(f->s, f->p, e, &reviews, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(reviews[0].action, MH_REVIEW_REJECT);
    assert_string_equal(reviews[0].comment, "no");
    assert_int_equal(reviews[0].user_id, ann);
    assert_string_equal(reviews[0].user_name, "Ann A.");
    assert_int_equal(reviews[1].action, MH_REVIEW_SUBMIT);
    rv.action = (mh_review_action_t)0;
    assert_int_not_equal(ED->review_insert(f->s, &rv, &id), MH_OK);

    /* Revisions and reviews go with a purged entry. */
    assert_int_equal(ED->entry_set_deleted(f->s, e, 1), MH_OK);
    assert_int_equal(ED->entry_purge(f->s, e), MH_OK);
    assert_int_equal(ED->revision_get(f->s, f->p, r1, &rev), MH_DECLINED);
    assert_int_equal(ED->reviews(f->s, f->p, e, &reviews, &n), MH_OK);
    assert_int_equal(n, 0);
}

static void test_schedule(void **state)
{
    struct fx *f = *state;
    int64_t due = -1, changed = -1;
    bool went = true;
    mh_entry_t got;
    seed(f);
    int64_t s1 = add_entry(f, f->news, f->en, "s1", MH_STATUS_SCHEDULED, 100);
    int64_t s2 = add_entry(f, f->news, f->en, "s2", MH_STATUS_SCHEDULED, 200);
    int64_t s3 = add_entry(f, f->news, f->en, "s3", MH_STATUS_SCHEDULED, 150);
    add_entry(f, f->news, f->en, "p", MH_STATUS_PUBLISHED, 50);
    assert_int_equal(ED->entry_set_deleted(f->s, s3, 1), MH_OK);
    assert_int_equal(ED->schedule_check(f->s, 0, 10, &due, &went), MH_OK);
    assert_int_equal(due, 0);
    assert_false(went);
    assert_int_equal(ED->schedule_check(f->s, 10, 60, &due, &went), MH_OK);
    assert_int_equal(due, 0);
    assert_true(went); /* the published one at 50 */
    assert_int_equal(ED->schedule_check(f->s, 60, 160, &due, &went), MH_OK);
    assert_int_equal(due, 1); /* s1; s3 is in the bin */
    assert_true(went);
    assert_int_equal(ED->publish_due(f->s, 160, &changed), MH_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(OPS->entry_get(f->s, f->p, s1, &got), MH_OK);
    assert_int_equal(got.status, MH_STATUS_PUBLISHED);
    assert_int_equal(OPS->entry_get(f->s, f->p, s2, &got), MH_OK);
    assert_int_equal(got.status, MH_STATUS_SCHEDULED);
    assert_int_equal(ED->publish_due(f->s, 160, &changed), MH_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(ED->schedule_check(f->s, 160, 170, &due, &went), MH_OK);
    assert_int_equal(due, 0);
    assert_false(went);
}

/* --- media --- */

static void test_media(void **state)
{
    struct fx *f = *state;
    mh_media_item_t m, *rows;
    mh_media_use_t *uses;
    size_t n;
    int64_t total, img, doc, id;
    seed(f);
    int64_t ann = add_user(f, "ann");
    mh_media_item_t in = {.stored_name = "ab/0123456789abcdef0123456789abcd.jpg",
                          .original_name = "Holiday Photo.JPG",
                          .mime = "image/jpeg",
                          .size = 1234,
                          .width = 640,
                          .height = 480,
                          .variants = "320 640",
                          .created_at = 100,
                          .user_id = ann};
    assert_int_equal(MED->insert(f->s, &in, &img), MH_OK);
    in = (mh_media_item_t){.stored_name = "cd/ffffffffffffffffffffffffffffff.pdf",
                           .original_name = "report.pdf",
                           .mime = "application/pdf",
                           .size = 99,
                           .variants = "",
                           .created_at = 200};
    assert_int_equal(MED->insert(f->s, &in, &doc), MH_OK);
    assert_int_equal(MED->insert(f->s, &in, &id), MH_ERR); /* stored names are unique */

    assert_int_equal(MED->get(f->s, f->p, img, &m), MH_OK);
    assert_string_equal(m.stored_name, "ab/0123456789abcdef0123456789abcd.jpg");
    assert_string_equal(m.original_name, "Holiday Photo.JPG");
    assert_string_equal(m.mime, "image/jpeg");
    assert_int_equal(m.size, 1234);
    assert_int_equal(m.width, 640);
    assert_int_equal(m.height, 480);
    assert_string_equal(m.variants, "320 640");
    assert_int_equal(m.created_at, 100);
    assert_int_equal(m.user_id, ann);
    assert_string_equal(m.user_name, "ann");
    assert_int_equal(MED->get(f->s, f->p, doc, &m), MH_OK);
    assert_int_equal(m.user_id, 0);
    assert_string_equal(m.user_name, "");
    assert_int_equal(MED->get(f->s, f->p, 987654, &m), MH_DECLINED);
    assert_int_equal(MED->by_name(f->s, f->p, "cd/ffffffffffffffffffffffffffffff.pdf", &m), MH_OK);
    assert_int_equal(m.id, doc);
    assert_int_equal(MED->by_name(f->s, f->p, "cd/nope.pdf", &m), MH_DECLINED);
    assert_int_equal(MED->by_stem(f->s, f->p, "ab/0123456789abcdef0123456789abcd", &m), MH_OK);
    assert_int_equal(m.id, img);
    assert_int_equal(MED->by_stem(f->s, f->p, "ab/0123456789abcdef0123456789abc", &m),
                     MH_DECLINED); /* a shorter stem is not a prefix match */
    assert_int_equal(MED->by_stem(f->s, f->p, "zz/0123456789abcdef0123456789abcd", &m),
                     MH_DECLINED);

    mh_media_query_t q = {.limit = 24};
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, doc); /* newest first */
    assert_int_equal(rows[1].id, img);
    q.kind = MH_MEDIA_KIND_IMAGE;
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, img);
    q.kind = MH_MEDIA_KIND_DOCUMENT;
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, doc);
    q.kind = MH_MEDIA_KIND_ANY;
    q.search = "photo";
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, img);
    q.search = NULL;
    q.user_id = ann;
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 1);
    q.user_id = 0;
    q.offset = 1;
    q.limit = 1;
    assert_int_equal(MED->list(f->s, f->p, &q, &rows, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, img);

    /* Where a file is used: entries (cover, body, summary), columns,
     * settings. */
    const char *ref = "/media/ab/0123456789abcdef0123456789abcd.jpg";
    mh_entry_t e = entry_in(f->news, f->en, "uses", MH_STATUS_DRAFT, 1);
    e.cover = ref;
    int64_t eid;
    assert_int_equal(OPS->entry_insert(f->s, &e, &eid), MH_OK);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "logo", ref), MH_OK);
    assert_int_equal(MED->uses(f->s, f->p, "ab/0123456789abcdef0123456789abcd", &uses, &n), MH_OK);
    assert_int_equal(n, 2);
    bool entry_seen = false, setting_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(uses[i].kind, "entry") == 0) {
            entry_seen = true;
            assert_int_equal(uses[i].id, eid);
            assert_string_equal(uses[i].field, "cover");
            assert_false(uses[i].in_trash);
        } else if (strcmp(uses[i].kind, "setting") == 0) {
            setting_seen = true;
            assert_string_equal(uses[i].title, "logo");
        }
    }
    assert_true(entry_seen);
    assert_true(setting_seen);
    assert_int_equal(MED->uses(f->s, f->p, "cd/ffffffffffffffffffffffffffffff", &uses, &n), MH_OK);
    assert_int_equal(n, 0);

    assert_int_equal(MED->remove(f->s, img), MH_OK);
    assert_int_equal(MED->remove(f->s, img), MH_DECLINED);
    assert_int_equal(MED->get(f->s, f->p, img, &m), MH_DECLINED);
}

/* --- transactions --- */

static void test_transactions(void **state)
{
    struct fx *f = *state;
    mh_store_setting_t *rows;
    mh_entry_t got;
    size_t n;
    int64_t col = 0, ent = 0;
    seed(f);
    /* A rollback undoes every kind of write of the transaction. */
    assert_int_equal(OPS->begin(f->s), MH_OK);
    col = add_column(f, f->en, 0, MH_MODULE_ARTICLE, "tx", 5);
    ent = add_entry(f, col, f->en, "tx-entry", MH_STATUS_PUBLISHED, 1);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "tx", "1"), MH_OK);
    add_user(f, "tx-user");
    /* Inside, the transaction sees its own writes. */
    assert_int_equal(OPS->entry_get(f->s, f->p, ent, &got), MH_OK);
    /* A read transaction cannot start inside a write transaction. */
    assert_int_equal(OPS->read_begin(f->s), MH_DECLINED);
    assert_int_equal(OPS->rollback(f->s), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, ent, &got), MH_DECLINED);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 0);
    mh_account_t u;
    assert_int_equal(ACC->user_by_name(f->s, f->p, "tx-user", &u), MH_DECLINED);
    mh_column_t *cols;
    assert_int_equal(OPS->columns(f->s, f->p, &cols, &n), MH_OK);
    assert_int_equal(n, 3);

    /* A commit keeps them, and another connection sees them. */
    assert_int_equal(OPS->begin(f->s), MH_OK);
    col = add_column(f, f->en, 0, MH_MODULE_ARTICLE, "tx", 5);
    ent = add_entry(f, col, f->en, "tx-entry", MH_STATUS_PUBLISHED, 1);
    assert_int_equal(OPS->commit(f->s), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, ent, &got), MH_OK);
    mh_store_t *other = NULL;
    char err[256] = "";
    assert_int_equal(f->b->ops->open(f->where, false, &other, err, sizeof(err)), MH_OK);
    assert_int_equal(other->ops->entry_get(other, f->p, ent, &got), MH_OK);
    assert_string_equal(got.slug, "tx-entry");

    /* A failed write inside a transaction can still be rolled back, and the
     * connection is usable afterwards. */
    assert_int_equal(OPS->begin(f->s), MH_OK);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "kept?", "no"), MH_OK);
    mh_entry_t dup = entry_in(col, f->en, "tx-entry", MH_STATUS_DRAFT, 1);
    int64_t id;
    assert_int_equal(OPS->entry_insert(f->s, &dup, &id), MH_ERR);
    assert_int_equal(OPS->rollback(f->s), MH_OK);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 0);

    /* Read transactions: allowed outside a write, one snapshot throughout. */
    assert_int_equal(OPS->read_begin(f->s), MH_OK);
    assert_int_equal(OPS->entry_get(f->s, f->p, ent, &got), MH_OK);
    assert_int_equal(other->ops->setting_set(other, f->site, 0, "during", "read"), MH_OK);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 0); /* not yet */
    OPS->read_end(f->s);
    assert_int_equal(OPS->settings(f->s, f->p, &rows, &n), MH_OK);
    assert_int_equal(n, 1);
    /* After read_end a write transaction starts normally. */
    assert_int_equal(OPS->begin(f->s), MH_OK);
    assert_int_equal(OPS->read_begin(f->s), MH_DECLINED);
    assert_int_equal(OPS->commit(f->s), MH_OK);
    assert_int_equal(OPS->read_begin(f->s), MH_OK);
    OPS->read_end(f->s);
    other->ops->close(other);
}

/* --- threads --- */

#define NTHREADS 4
#define NWRITES 40
#define NRACE 60

struct worker {
    struct fx *f;
    int index;
    pthread_barrier_t *barrier;
    int errors; /* ops that failed */
    int wrong;  /* reads that came back with the wrong data */
    int race_ok[NRACE];
    int race_declined[NRACE];
    int race_err;
};

/* Each thread writes its own entries, one transaction each, and reads
 * them back through its own connection. */
static void *writer(void *arg)
{
    struct worker *w = arg;
    struct fx *f = w->f;
    mh_store_t *s = f->s;
    mh_pool_t *p = mh_pool_create();
    pthread_barrier_wait(w->barrier);
    for (int i = 0; i < NWRITES; i++) {
        char slug[32];
        int64_t id = 0;
        mh_entry_t e, got;
        snprintf(slug, sizeof(slug), "t%d-%d", w->index, i);
        e = entry_in(f->news, f->en, slug, MH_STATUS_PUBLISHED, i);
        if (s->ops->begin(s) != MH_OK) {
            w->errors++;
            continue;
        }
        if (s->ops->entry_insert(s, &e, &id) != MH_OK) {
            w->errors++;
            s->ops->rollback(s);
            continue;
        }
        if (s->ops->commit(s) != MH_OK)
            w->errors++;
        if (s->ops->read_begin(s) != MH_OK) {
            w->errors++;
            continue;
        }
        if (s->ops->entry_by_slug(s, p, f->news, slug, &got) != MH_OK || got.id != id)
            w->wrong++;
        mh_store_entry_filter_t q = {
            .lang_id = f->en, .column_ids = &f->news, .ncolumns = 1, .limit = 1};
        mh_entry_t *rows;
        size_t n;
        int64_t total = 0;
        if (s->ops->entries_list(s, p, &q, &rows, &n, &total) != MH_OK || total < i + 1)
            w->wrong++;
        s->ops->read_end(s);
    }
    mh_pool_destroy(p);
    return NULL;
}

static void test_threads_write_and_read(void **state)
{
    struct fx *f = *state;
    pthread_t t[NTHREADS];
    struct worker w[NTHREADS];
    pthread_barrier_t barrier;
    seed(f);
    assert_int_equal(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (struct worker){.f = f, .index = i, .barrier = &barrier};
        assert_int_equal(pthread_create(&t[i], NULL, writer, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&barrier);
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(w[i].errors, 0);
        assert_int_equal(w[i].wrong, 0);
    }
    assert_int_equal(count_entries(f, f->news), NTHREADS * NWRITES);
}

/* Every thread tries to create the same user names at once: for each name
 * exactly one succeeds and the others are declined (a taken name is
 * MH_DECLINED by contract, even when the clash is found by the insert
 * rather than by the look-up before it). */
static void *racer(void *arg)
{
    struct worker *w = arg;
    mh_store_t *s = w->f->s;
    for (int i = 0; i < NRACE; i++) {
        char name[32];
        int64_t id;
        snprintf(name, sizeof(name), "racer-%d", i);
        mh_account_t u = {.name = name, .password_hash = "h", .role = "author", .created_at = 1};
        pthread_barrier_wait(w->barrier);
        int rc = s->ops->accounts->user_insert(s, &u, &id);
        if (rc == MH_OK)
            w->race_ok[i]++;
        else if (rc == MH_DECLINED)
            w->race_declined[i]++;
        else
            w->race_err++;
    }
    return NULL;
}

static void test_threads_same_name(void **state)
{
    struct fx *f = *state;
    pthread_t t[NTHREADS];
    struct worker w[NTHREADS];
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (struct worker){.f = f, .index = i, .barrier = &barrier};
        assert_int_equal(pthread_create(&t[i], NULL, racer, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&barrier);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(w[i].race_err, 0);
    for (int k = 0; k < NRACE; k++) {
        int ok = 0, declined = 0;
        for (int i = 0; i < NTHREADS; i++) {
            ok += w[i].race_ok[k];
            declined += w[i].race_declined[k];
        }
        assert_int_equal(ok, 1);
        assert_int_equal(declined, NTHREADS - 1);
    }
    mh_account_t *users;
    size_t n;
    assert_int_equal(ACC->users(f->s, f->p, &users, &n), MH_OK);
    assert_int_equal(n, NRACE);
}

/* data_changed across threads: a watcher thread's connection sees the
 * main thread's commit once, and not its own writes. */
struct watch {
    struct fx *f;
    pthread_barrier_t *barrier;
    int rc[6];
    bool changed[6];
};

static void *watcher(void *arg)
{
    struct watch *w = arg;
    mh_store_t *s = w->f->s;
    int64_t site = w->f->site;
    /* 0: settle (whatever happened before this connection looked). */
    w->rc[0] = s->ops->data_changed(s, &w->changed[0]);
    /* 1: nothing happened since. */
    w->rc[1] = s->ops->data_changed(s, &w->changed[1]);
    pthread_barrier_wait(w->barrier); /* main writes now */
    pthread_barrier_wait(w->barrier);
    /* 2: main's commit is seen, 3: once. */
    w->rc[2] = s->ops->data_changed(s, &w->changed[2]);
    w->rc[3] = s->ops->data_changed(s, &w->changed[3]);
    /* 4: this connection's own write is not a change from elsewhere. */
    w->rc[4] = s->ops->setting_set(s, site, 0, "watcher", "1");
    w->rc[5] = s->ops->data_changed(s, &w->changed[5]);
    pthread_barrier_wait(w->barrier);
    return NULL;
}

static void test_threads_data_changed(void **state)
{
    struct fx *f = *state;
    pthread_t t;
    pthread_barrier_t barrier;
    struct watch w = {.f = f, .barrier = &barrier};
    bool changed = false;
    seed(f);
    assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
    assert_int_equal(pthread_create(&t, NULL, watcher, &w), 0);
    pthread_barrier_wait(&barrier);
    assert_int_equal(OPS->begin(f->s), MH_OK);
    assert_int_equal(OPS->setting_set(f->s, f->site, 0, "main", "1"), MH_OK);
    assert_int_equal(OPS->commit(f->s), MH_OK);
    /* The main thread's own view: its commit is no change from elsewhere. */
    assert_int_equal(OPS->data_changed(f->s, &changed), MH_OK);
    assert_int_equal(OPS->data_changed(f->s, &changed), MH_OK);
    assert_false(changed);
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier); /* the watcher wrote */
    assert_int_equal(OPS->data_changed(f->s, &changed), MH_OK);
    assert_true(changed);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_barrier_destroy(&barrier);
    for (int i = 0; i < 6; i++)
        assert_int_equal(w.rc[i], MH_OK);
    assert_false(w.changed[1]);
    assert_true(w.changed[2]);
    assert_false(w.changed[3]);
    assert_false(w.changed[5]);
}

/* --- portal: download counts, banners, friendly links --- */

static int64_t generation(struct fx *f)
{
    int64_t v = -1;
    assert_int_equal(OPS->content_generation(f->s, &v), MH_OK);
    return v;
}

static void test_portal(void **state)
{
    struct fx *f = *state;
    const struct mh_store_portal_ops *po = f->s->ops->portal;
    int64_t n = -1, id = 0, id2 = 0, id3 = 0, gen;
    mh_banner_t b, *bs = NULL;
    mh_friend_link_t l, *ls = NULL;
    size_t nb = 0;
    seed(f);
    int64_t e1 = add_entry(f, f->news, f->en, "doc", MH_STATUS_PUBLISHED, 10);

    /* download counts: added up, unknown entries skipped, no generation */
    assert_int_equal(po->downloads_get(f->s, e1, &n), MH_OK);
    assert_int_equal(n, 0);
    gen = generation(f);
    assert_int_equal(po->downloads_add(f->s, e1, 3), MH_OK);
    assert_int_equal(po->downloads_add(f->s, e1, 4), MH_OK);
    assert_int_equal(po->downloads_add(f->s, 999999, 5), MH_OK);
    assert_int_equal(po->downloads_get(f->s, e1, &n), MH_OK);
    assert_int_equal(n, 7);
    assert_int_equal(po->downloads_get(f->s, 999999, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(generation(f), gen);

    /* banners: home (column 0) and a column; order; schedule */
    b = (mh_banner_t){.lang_id = f->en,
                      .title = "Home one",
                      .alt = "alt",
                      .image = "/media/ab/x.jpg",
                      .image_mobile = "",
                      .link = "/about/",
                      .position = 1,
                      .created_at = 5,
                      .updated_at = 5};
    assert_int_equal(po->banner_insert(f->s, &b, &id), MH_OK);
    assert_true(id > 0);
    assert_true(generation(f) > gen);
    b.title = "Home zero";
    b.position = 0;
    b.show_from = 100;
    b.show_until = 200;
    assert_int_equal(po->banner_insert(f->s, &b, &id2), MH_OK);
    b.title = "News";
    b.column_id = f->news;
    b.show_from = b.show_until = 0;
    assert_int_equal(po->banner_insert(f->s, &b, &id3), MH_OK);
    b = (mh_banner_t){0};
    assert_int_equal(po->banner_insert(f->s, &b, &id3), MH_ERR); /* no image, no language */

    assert_int_equal(po->banner_list(f->s, f->p, f->en, 0, &bs, &nb), MH_OK);
    assert_int_equal(nb, 2);
    assert_string_equal(bs[0].title, "Home zero");
    assert_int_equal(bs[0].column_id, 0);
    assert_int_equal(bs[0].show_until, 200);
    assert_string_equal(bs[1].image_mobile, "");
    assert_int_equal(po->banner_list(f->s, f->p, 0, -1, &bs, &nb), MH_OK);
    assert_int_equal(nb, 3);
    assert_int_equal(po->banner_active(f->s, f->p, f->en, 0, 50, &bs, &nb), MH_OK);
    assert_int_equal(nb, 1);
    assert_string_equal(bs[0].title, "Home one");
    assert_int_equal(po->banner_active(f->s, f->p, f->en, 0, 100, &bs, &nb), MH_OK);
    assert_int_equal(nb, 2);
    assert_int_equal(po->banner_active(f->s, f->p, f->en, 0, 200, &bs, &nb), MH_OK);
    assert_int_equal(nb, 1); /* show_until is exclusive */
    assert_int_equal(po->banner_active(f->s, f->p, f->en, f->news, 50, &bs, &nb), MH_OK);
    assert_int_equal(nb, 1);
    assert_int_equal(po->banner_active(f->s, f->p, f->zh, 0, 50, &bs, &nb), MH_OK);
    assert_int_equal(nb, 0);
    assert_int_equal(po->banner_due(f->s, 0, 99, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(po->banner_due(f->s, 99, 100, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(po->banner_due(f->s, 0, 300, &n), MH_OK);
    assert_int_equal(n, 2);

    assert_int_equal(po->banner_get(f->s, f->p, id, &b), MH_OK);
    b.title = "Home renamed";
    b.updated_at = 9;
    assert_int_equal(po->banner_update(f->s, &b), MH_OK);
    assert_int_equal(po->banner_get(f->s, f->p, id, &b), MH_OK);
    assert_string_equal(b.title, "Home renamed");
    assert_int_equal(b.created_at, 5);
    b.id = 999999;
    assert_int_equal(po->banner_update(f->s, &b), MH_DECLINED);
    assert_int_equal(po->banner_get(f->s, f->p, 999999, &b), MH_DECLINED);
    assert_int_equal(po->banner_delete(f->s, id), MH_OK);
    assert_int_equal(po->banner_delete(f->s, id), MH_DECLINED);

    /* a column's deletion takes its banners along */
    assert_int_equal(ED->column_delete(f->s, f->about), MH_OK);
    int64_t about2 = add_column(f, f->en, 0, MH_MODULE_PAGE, "about2", 3);
    b = (mh_banner_t){.lang_id = f->en, .column_id = about2, .image = "x.jpg"};
    assert_int_equal(po->banner_insert(f->s, &b, &id), MH_OK);
    assert_int_equal(ED->column_delete(f->s, about2), MH_OK);
    assert_int_equal(po->banner_get(f->s, f->p, id, &b), MH_DECLINED);

    /* friendly links */
    gen = generation(f);
    l = (mh_friend_link_t){.lang_id = f->en,
                           .title = "B",
                           .url = "https://b.example/",
                           .logo = "",
                           .position = 1,
                           .created_at = 3};
    assert_int_equal(po->link_insert(f->s, &l, &id), MH_OK);
    assert_true(generation(f) > gen);
    l.title = "A";
    l.position = 0;
    l.nofollow = true;
    assert_int_equal(po->link_insert(f->s, &l, &id2), MH_OK);
    l.lang_id = f->zh;
    assert_int_equal(po->link_insert(f->s, &l, &id3), MH_OK);
    l.url = "";
    assert_int_equal(po->link_insert(f->s, &l, &id3), MH_ERR);
    assert_int_equal(po->link_list(f->s, f->p, f->en, &ls, &nb), MH_OK);
    assert_int_equal(nb, 2);
    assert_string_equal(ls[0].title, "A");
    assert_true(ls[0].nofollow);
    assert_false(ls[1].nofollow);
    assert_int_equal(po->link_list(f->s, f->p, 0, &ls, &nb), MH_OK);
    assert_int_equal(nb, 3);
    assert_int_equal(po->link_get(f->s, f->p, id, &l), MH_OK);
    l.title = "B2";
    assert_int_equal(po->link_update(f->s, &l), MH_OK);
    assert_int_equal(po->link_get(f->s, f->p, id, &l), MH_OK);
    assert_string_equal(l.title, "B2");
    assert_int_equal(po->link_delete(f->s, id), MH_OK);
    assert_int_equal(po->link_delete(f->s, id), MH_DECLINED);
    assert_int_equal(po->link_get(f->s, f->p, id, &l), MH_DECLINED);
}

/* --- tags --- */

static void test_tags(void **state)
{
    struct fx *f = *state;
    const struct mh_store_tag_ops *T = OPS->tags;
    mh_tag_t t, *ts;
    size_t n;
    int64_t total, a, b, c, zh;
    mh_entry_t *es;
    seed(f);
    assert_non_null(T);
    int64_t pub = add_entry(f, f->news, f->en, "pub", MH_STATUS_PUBLISHED, 1000);
    int64_t pub2 = add_entry(f, f->news, f->en, "pub2", MH_STATUS_PUBLISHED, 2000);
    int64_t draft = add_entry(f, f->news, f->en, "draft", MH_STATUS_DRAFT, 1000);
    int64_t later = add_entry(f, f->news, f->en, "later", MH_STATUS_SCHEDULED, 9000);

    int64_t g0 = generation(f);
    assert_int_equal(T->insert(f->s, f->en, "Economy", "economy", &a), MH_OK);
    assert_true(generation(f) > g0); /* a tag's rows are public */
    assert_int_equal(T->insert(f->s, f->en, "Trade", "trade", &b), MH_OK);
    assert_int_equal(T->insert(f->s, f->en, "Ports", "ports", &c), MH_OK);
    assert_int_equal(T->insert(f->s, f->zh, "经济", "jing-ji", &zh), MH_OK);
    /* the slug and the name are unique per language, not across them */
    int64_t dup;
    assert_int_equal(T->insert(f->s, f->en, "Economy 2", "economy", &dup), MH_ERR);
    assert_int_equal(T->insert(f->s, f->en, "Economy", "economy-2", &dup), MH_ERR);
    assert_int_equal(T->insert(f->s, f->zh, "Economy", "economy", &dup), MH_OK);

    assert_int_equal(T->get(f->s, f->p, a, &t), MH_OK);
    assert_string_equal(t.name, "Economy");
    assert_int_equal(t.lang_id, f->en);
    assert_int_equal(T->get(f->s, f->p, 99999, &t), MH_DECLINED);
    assert_int_equal(T->by_slug(f->s, f->p, f->zh, "jing-ji", &t), MH_OK);
    assert_int_equal(t.id, zh);
    assert_int_equal(T->by_slug(f->s, f->p, f->en, "jing-ji", &t), MH_DECLINED);
    assert_int_equal(T->by_name(f->s, f->p, f->en, "Trade", &t), MH_OK);
    assert_int_equal(t.id, b);
    assert_int_equal(T->by_name(f->s, f->p, f->en, "trade", &t), MH_DECLINED);

    /* an entry's tags keep their order; a draft's links change nothing public */
    int64_t order[] = {b, a};
    g0 = generation(f);
    assert_int_equal(T->set_entry(f->s, draft, order, 2), MH_OK);
    assert_int_equal(generation(f), g0);
    assert_int_equal(T->set_entry(f->s, pub, order, 2), MH_OK);
    assert_true(generation(f) > g0);
    assert_int_equal(T->of_entry(f->s, f->p, pub, &ts, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ts[0].name, "Trade");
    assert_string_equal(ts[1].name, "Economy");
    int64_t one[] = {a};
    assert_int_equal(T->set_entry(f->s, pub2, one, 1), MH_OK);
    assert_int_equal(T->set_entry(f->s, later, one, 1), MH_OK);

    /* public entries only, newest first, counted */
    assert_int_equal(T->entries(f->s, f->p, a, 5000, 0, 10, &es, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_int_equal(es[0].id, pub2);
    assert_int_equal(es[1].id, pub);
    assert_null(es[0].body_html);
    assert_int_equal(T->entries(f->s, f->p, a, 9999, 1, 1, &es, &n, &total), MH_OK);
    assert_int_equal(total, 3); /* the scheduled one is public by then */
    assert_int_equal(n, 1);
    assert_int_equal(es[0].id, pub2);
    assert_int_equal(T->public_tags(f->s, f->p, f->en, 5000, &ts, &n), MH_OK);
    assert_int_equal(n, 2); /* economy, trade; ports has no entry */
    assert_string_equal(ts[0].slug, "economy");
    assert_string_equal(ts[1].slug, "trade");

    /* the list counts every entry outside the bin, drafts too */
    assert_int_equal(T->list(f->s, f->p, f->en, &ts, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ts[0].name, "Economy");
    assert_int_equal(ts[0].count, 4);
    assert_string_equal(ts[2].name, "Trade");
    assert_int_equal(ts[2].count, 2);

    /* rename, merge (an entry with both keeps one), delete */
    assert_int_equal(T->update(f->s, c, "Harbours", "harbours"), MH_OK);
    assert_int_equal(T->by_slug(f->s, f->p, f->en, "harbours", &t), MH_OK);
    assert_int_equal(T->by_slug(f->s, f->p, f->en, "ports", &t), MH_DECLINED);
    g0 = generation(f);
    assert_int_equal(T->merge(f->s, b, a), MH_OK);
    assert_true(generation(f) > g0);
    assert_int_equal(T->get(f->s, f->p, b, &t), MH_DECLINED);
    assert_int_equal(T->of_entry(f->s, f->p, pub, &ts, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ts[0].id, a);
    assert_int_equal(T->of_entry(f->s, f->p, draft, &ts, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(T->remove(f->s, a), MH_OK);
    assert_int_equal(T->of_entry(f->s, f->p, pub, &ts, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(T->set_entry(f->s, pub, NULL, 0), MH_OK);
}

/* --- driver --- */

#define T(fn) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, NULL)

static const struct CMUnitTest suite[] = {
    T(test_sites_languages),
    T(test_settings),
    T(test_columns),
    T(test_entry_roundtrip),
    T(test_entries_list),
    T(test_neighbors_translations),
    T(test_accounts),
    T(test_audit),
    T(test_editorial_entries),
    T(test_editorial_columns),
    T(test_revisions_reviews),
    T(test_schedule),
    T(test_media),
    T(test_portal),
    T(test_transactions),
    T(test_threads_write_and_read),
    T(test_threads_same_name),
    T(test_threads_data_changed),
    T(test_tags),
};
#define NSUITE (sizeof(suite) / sizeof(suite[0]))

int main(void)
{
    const char *want = getenv("MH_TEST_STORE");
    struct CMUnitTest tests[NSUITE];
    char group[64];
    int failed = 0, ran = 0;
    mh_log_set_level(MH_LOG_WARN); /* no migration chatter; errors stay visible */
    for (size_t b = 0; b < NBACKENDS; b++) {
        if (want && *want && strcmp(want, backends[b].name) != 0)
            continue;
        for (size_t i = 0; i < NSUITE; i++) {
            tests[i] = suite[i];
            tests[i].initial_state = (void *)&backends[b];
        }
        snprintf(group, sizeof(group), "store conformance: %s", backends[b].name);
        failed += _cmocka_run_group_tests(group, tests, NSUITE, NULL, NULL);
        ran++;
    }
    if (ran == 0) {
        fprintf(stderr, "[  FAILED  ] 1 test(s): MH_TEST_STORE=%s names no backend\n", want);
        return 1;
    }
    return failed;
}
