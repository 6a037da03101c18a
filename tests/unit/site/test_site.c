/* The public site against a temporary demo site and the real default theme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "content/editorial.h"
#include "content/types.h"
#include "core/file.h"
#include "render/value.h"
#include "site/context.h"
#include "site/site.h"

#define THEME MH_DATADIR "/themes/default"
#define SEED_PATH "/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html"
#define SEED_TITLE "Li Gang Led a Team to Visit Beijing and Shanghai"
#define FIRST_P                                                                                    \
    "From February 7 to 10, Li Gang, Vice Secretary of the Party Working Committee and Executive " \
    "Deputy Director of the Administrative Committee of SCODA, led a team to visit Beijing, "      \
    "Shanghai, and Xiamen, to communicate on exhibition preparation, investment attraction, the "  \
    "construction of Ruyi Lake headquarters base and other matters."
#define LAST_P                                                                                     \
    "Li Gang pointed out that the two sides should take this meeting as an opportunity to "        \
    "further strengthen communication, clarify the construction ideas, refine the work "           \
    "measures, follow the timeline, coordinate and promote infrastructure construction and "       \
    "supporting urban functions, urban landscape improvement, and other work, constantly "         \
    "optimize and improve the platform function of serving the economic and trade cooperation, "   \
    "and complete the planning and design with high quality, creating a sound beginning for the "  \
    "construction of Ruyi Lake Headquarters Base."

static char dir[256];
static mh_content_t *content;
static mh_site_t *site;
static int64_t en_id, news_id;

typedef struct {
    mh_pool_t *pool;
    mh_page_t page;
    const char *body;
} resp_t;

static void get_host(resp_t *r, const char *host, const char *path)
{
    r->pool = mh_pool_create();
    int rc = mh_site_handle(site, r->pool, mh_str_c(host), mh_str_c(path), MH_STR_NULL, &r->page);
    assert_int_equal(rc, MH_OK);
    r->body = r->page.body.base ? r->page.body.base : "";
}

static void get(resp_t *r, const char *path)
{
    get_host(r, "example.org", path);
}

static void done(resp_t *r)
{
    mh_buf_free(&r->page.body);
    mh_pool_destroy(r->pool);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* needle a comes before needle b in hay, and both are there (a bare
 * strstr(a) < strstr(b) passes when a is missing: NULL is below any
 * pointer). */
static void assert_before(const char *hay, const char *a, const char *b)
{
    const char *pa = strstr(hay, a), *pb = strstr(hay, b);
    if (!pa)
        fail_msg("missing: %s", a);
    if (!pb)
        fail_msg("missing: %s", b);
    if (pa >= pb)
        fail_msg("%s is not before %s", a, b);
}

static int64_t add_entry(const char *title, mh_status_t status, int64_t publish_at)
{
    mh_entry_t e;
    memset(&e, 0, sizeof(e));
    e.column_id = news_id;
    e.lang_id = en_id;
    e.title = title;
    e.slug = "";
    e.summary = "";
    e.body_html = "<p>Body</p>";
    e.author = "tester";
    e.source = "";
    e.cover = "";
    e.status = status;
    e.publish_at = publish_at;
    int64_t id = 0;
    assert_int_equal(mh_content_entry_create(content, &e, &id), MH_OK);
    return id;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mh-site-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char site_dir[300], err[256];
    snprintf(site_dir, sizeof(site_dir), "%s/site", dir);
    if (mh_content_init(site_dir, true, err, sizeof(err)) != MH_OK ||
        mh_content_open(site_dir, &content, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "content: %s\n", err);
        return -1;
    }
    if (mh_site_open(&site, content, THEME, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "site: %s\n", err);
        return -1;
    }
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs;
    size_t n;
    mh_column_t col;
    if (mh_content_languages(content, p, &langs, &n) != MH_OK)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (langs[i].is_default)
            en_id = langs[i].id;
    if (mh_content_column_by_path(content, p, en_id, "news", &col) != MH_OK)
        return -1;
    news_id = col.id;
    mh_pool_destroy(p);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mh_site_close(site);
    mh_content_close(content);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The text between the first `from` after `start` and the next `to`. */
static char *between(const char *hay, const char *from, const char *to)
{
    const char *a = strstr(hay, from);
    if (!a)
        return NULL;
    a += strlen(from);
    const char *b = strstr(a, to);
    if (!b)
        return NULL;
    return strndup(a, (size_t)(b - a));
}

static void test_seed_article(void **state)
{
    (void)state;
    resp_t r;
    get(&r, SEED_PATH);
    assert_int_equal(r.page.status, 200);
    assert_true(r.page.cacheable);
    assert_string_equal(r.page.content_type, "text/html; charset=utf-8");
    assert_int_equal(count(r.body, "<h1"), 1);
    assert_non_null(strstr(r.body, ">" SEED_TITLE "</h1>"));
    assert_non_null(strstr(r.body, "<html lang=\"en\">"));

    char *meta = between(r.body, "class=\"entry-meta\"", "</p>");
    assert_non_null(meta);
    assert_non_null(strstr(meta, ">2023-07-24 16:41:44</time>"));
    assert_non_null(strstr(meta, "datetime=\"2023-07-24T16:41:44+08:00\""));
    assert_non_null(strstr(meta, "<span class=\"author\">admin</span>"));
    assert_non_null(strstr(meta, "Source:"));
    free(meta);

    char *body = between(r.body, "<div class=\"prose entry-body\">", "</div>");
    assert_non_null(body);
    assert_int_equal(count(body, "<p"), 10);
    assert_int_equal(count(body, "</p>"), 10);
    assert_non_null(strstr(body, "<p>" FIRST_P "</p>"));
    assert_non_null(strstr(body, "<p>" LAST_P "</p>"));
    assert_before(body, FIRST_P, LAST_P);
    free(body);

    /* Share links carry the absolute URL, percent-encoded. */
    const char *enc = "http%3A%2F%2Fexample.org%2Fnews%2Fli-gang-led-a-team-to-visit-beijing-"
                      "and-shanghai.html";
    char want[512];
    snprintf(want, sizeof(want),
             "href=\"https://service.weibo.com/share/share.php?url=%s&amp;title=Li%%20Gang%%20Led",
             enc);
    assert_non_null(strstr(r.body, want));
    snprintf(want, sizeof(want), "href=\"https://www.linkedin.com/sharing/share-offsite/?url=%s\"",
             enc);
    assert_non_null(strstr(r.body, want));
    snprintf(want, sizeof(want), "href=\"https://twitter.com/intent/tweet?url=%s&amp;text=", enc);
    assert_non_null(strstr(r.body, want));
    assert_non_null(strstr(r.body, "href=\"mailto:?subject=Li%20Gang"));

    /* Prev/next stay inside the column; the header, meta and body come in order. */
    char *pn = between(r.body, "class=\"prevnext\"", "</nav>");
    assert_non_null(pn);
    assert_non_null(strstr(pn, "rel=\"prev\""));
    assert_non_null(strstr(pn, "rel=\"next\""));
    assert_non_null(strstr(pn, "href=\"/news/"));
    free(pn);
    assert_before(r.body, "entry-meta", "class=\"share\"");
    assert_before(r.body, "class=\"share\"", FIRST_P);
    assert_before(r.body, LAST_P, "class=\"prevnext\"");
    /* No inline scripts or style attributes (the CSP forbids them): the
     * only scripts are the theme's own files. */
    assert_null(strstr(r.body, "<script>"));
    /* besides the JSON-LD data block, which browsers never run */
    assert_true(count(r.body, "<script type=\"application/ld+json\">") <= 1);
    assert_int_equal(count(r.body, "<script"),
                     count(r.body, "<script src=\"/assets/") +
                         count(r.body, "<script type=\"application/ld+json\">"));
    assert_null(strstr(r.body, " style="));
    assert_non_null(strstr(r.body, "/assets/site.css?v="));
    done(&r);
}

static void test_base_url_setting(void **state)
{
    (void)state;
    assert_int_equal(mh_content_setting_set(content, 0, "base_url", "https://portal.example/"),
                     MH_OK);
    resp_t r;
    get_host(&r, "evil.example", SEED_PATH);
    assert_int_equal(r.page.status, 200);
    assert_non_null(strstr(r.body, "url=https%3A%2F%2Fportal.example%2Fnews%2F"));
    assert_null(strstr(r.body, "evil.example"));
    assert_non_null(
        strstr(r.body, "<link rel=\"canonical\" href=\"https://portal.example" SEED_PATH "\">"));
    done(&r);
    assert_int_equal(mh_content_setting_set(content, 0, "base_url", ""), MH_OK);
}

/* The footer text keeps its line breaks (a blank line makes a paragraph)
 * and is escaped; the entry's WeChat share is a QR code of its canonical
 * URL, and the other shares are plain links. */
static void test_footer_and_share(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    const char *orig = mh_content_setting(content, p, 1, "footer_text");
    assert_non_null(orig);
    orig = mh_pstrdup(p, orig);
    assert_int_equal(
        mh_content_setting_set(content, 1, "footer_text", "A <b>1</b>\r\nB &\n\n\nC\n"), MH_OK);
    resp_t r;
    get(&r, SEED_PATH);
    assert_int_equal(r.page.status, 200);
    assert_non_null(strstr(r.body, "<p>A &lt;b&gt;1&lt;/b&gt;<br>\nB &amp;</p>\n<p>C</p>"));
    assert_null(strstr(r.body, "<b>1</b>"));
    char *details = between(r.body, "<details class=\"wechat\">", "</details>");
    assert_non_null(details);
    assert_non_null(strstr(details, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(details, "aria-label=\"http://"));
    assert_non_null(strstr(details, SEED_PATH "\"><title>"));
    free(details);
    assert_non_null(strstr(r.body, "href=\"https://connect.qq.com/widget/shareqq/index.html?url="));
    assert_non_null(strstr(r.body, "href=\"mailto:?subject="));
    done(&r);
    assert_int_equal(mh_content_setting_set(content, 1, "footer_text", orig), MH_OK);
    mh_pool_destroy(p);
}

static void test_language_switcher(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_entry_t e, *tr = NULL;
    size_t n = 0;
    assert_int_equal(mh_content_entry_by_slug(content, p, news_id,
                                              "li-gang-led-a-team-to-visit-beijing-and-shanghai",
                                              true, &e),
                     MH_OK);
    assert_int_equal(mh_content_translations(content, p, &e, &tr, &n), MH_OK);
    assert_true(n >= 1);
    mh_column_t zc;
    assert_int_equal(mh_content_column_get(content, p, tr[0].column_id, &zc), MH_OK);
    char want[512];
    snprintf(want, sizeof(want), "<a href=\"/zh/%s/%s.html\" hreflang=\"zh", zc.path, tr[0].slug);

    resp_t r;
    get(&r, SEED_PATH);
    assert_non_null(strstr(r.body, want));
    assert_non_null(strstr(r.body, "<a href=\"" SEED_PATH "\" hreflang=\"en\""));
    done(&r);

    /* And back from the Chinese page. */
    char path[512];
    snprintf(path, sizeof(path), "/zh/%s/%s.html", zc.path, tr[0].slug);
    get(&r, path);
    assert_int_equal(r.page.status, 200);
    assert_non_null(strstr(r.body, "<html lang=\"zh"));
    assert_non_null(strstr(r.body, "<a href=\"" SEED_PATH "\" hreflang=\"en\""));
    assert_non_null(strstr(r.body, "上一篇"));
    done(&r);
    mh_pool_destroy(p);
}

static void test_chinese_home(void **state)
{
    (void)state;
    resp_t r;
    get(&r, "/zh/");
    assert_int_equal(r.page.status, 200);
    assert_non_null(r.page.lang);
    assert_int_equal(strncmp(r.page.lang, "zh", 2), 0);
    assert_non_null(strstr(r.body, "<html lang=\"zh"));
    assert_non_null(strstr(r.body, ">首页</a>"));
    assert_non_null(strstr(r.body, "跳到正文"));
    assert_int_equal(count(r.body, "<h1"), 1);
    /* The switcher offers the English home. */
    assert_non_null(strstr(r.body, "<a href=\"/\" hreflang=\"en\""));
    done(&r);

    get(&r, "/zh");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "/zh/");
    done(&r);
}

static void test_home(void **state)
{
    (void)state;
    resp_t r;
    get(&r, "/");
    assert_int_equal(r.page.status, 200);
    assert_int_equal(count(r.body, "<h1"), 1);
    assert_non_null(strstr(r.body, "class=\"hero\""));
    assert_non_null(strstr(r.body, "href=\"/news/\""));
    assert_non_null(strstr(r.body, SEED_TITLE));
    assert_non_null(strstr(r.body, "<a class=\"skip\" href=\"#main\">Skip to content</a>"));
    assert_non_null(strstr(r.body, "<header"));
    assert_non_null(strstr(r.body, "<main"));
    assert_non_null(strstr(r.body, "<footer"));
    done(&r);
}

static void test_list_and_pagination(void **state)
{
    (void)state;
    /* Enough old entries for several pages. */
    for (int i = 0; i < 45; i++) {
        char t[64];
        snprintf(t, sizeof(t), "Archive note %d", i);
        add_entry(t, MH_STATUS_PUBLISHED, 1500000000 + i * 3600);
    }
    resp_t r;
    get(&r, "/news/");
    assert_int_equal(r.page.status, 200);
    assert_int_equal(count(r.body, "<h1"), 1);
    assert_non_null(strstr(r.body, "class=\"cards\""));
    assert_non_null(strstr(r.body, "href=\"/news/page/2/\""));
    assert_non_null(strstr(r.body, "<time datetime=\""));
    assert_non_null(strstr(r.body, "aria-current=\"page\">1</span>"));
    done(&r);

    get(&r, "/news/page/2/");
    assert_int_equal(r.page.status, 200);
    assert_non_null(strstr(r.body, "aria-current=\"page\">2</span>"));
    assert_non_null(strstr(r.body, "rel=\"prev\""));
    assert_non_null(strstr(r.body, "href=\"/news/\""));
    done(&r);

    get(&r, "/news/page/99/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "/news/page/0/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "/news/page/x/");
    assert_int_equal(r.page.status, 404);
    done(&r);

    get(&r, "/news/page/1/");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "/news/");
    done(&r);
}

static void test_canonical_slash(void **state)
{
    (void)state;
    resp_t r;
    get(&r, "/news");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "/news/");
    assert_true(r.page.cacheable);
    done(&r);
}

static void test_not_found(void **state)
{
    (void)state;
    const char *paths[] = {"/no-such-column/", "/no-such-column", "/news/no-such-entry.html",
                           "/news/.html",      "/x.html",         "/zh/no-such/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        resp_t r;
        get(&r, paths[i]);
        assert_int_equal(r.page.status, 404);
        assert_false(r.page.cacheable);
        assert_int_equal(count(r.body, "<h1"), 1);
        if (i < 5)
            assert_non_null(strstr(r.body, ">Page not found</h1>"));
        else
            assert_non_null(strstr(r.body, ">页面未找到</h1>"));
        assert_non_null(strstr(r.body, "Back to home") || strstr(r.body, "返回首页"));
        done(&r);
    }
}

/* Language prefixes are resolved by the rows themselves (site.c, begin()):
 * a first segment that names a language always means the language, even
 * when the default language has a column with that slug; a bare prefix
 * redirects; the 404 of a prefixed path speaks the prefix's language. */
static void test_language_prefix_rows(void **state)
{
    (void)state;
    mh_column_t c;
    memset(&c, 0, sizeof(c));
    c.lang_id = en_id;
    c.module = MH_MODULE_ARTICLE;
    c.name = "Shadowed";
    c.slug = "zh";
    c.summary = c.body_html = c.seo_title = c.seo_keywords = c.seo_description = c.link_url = "";
    c.nav = MH_NAV_BOTH;
    c.page_size = 10;
    c.visible = true;
    int64_t id;
    assert_int_equal(mh_content_column_create(content, &c, &id), MH_OK);

    resp_t r;
    get(&r, "/zh");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "/zh/");
    assert_string_equal(r.page.lang, "zh-CN");
    done(&r);
    get(&r, "/zh/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "zh-CN");
    assert_null(strstr(r.body, "Shadowed</h1>"));
    done(&r);
    get(&r, "/zh/news/x.html");
    assert_int_equal(r.page.status, 404);
    assert_string_equal(r.page.lang, "zh-CN");
    done(&r);
    /* the default language: no prefix */
    get(&r, "/news/");
    assert_int_equal(r.page.status, 200);
    assert_string_equal(r.page.lang, "en");
    done(&r);
    get(&r, "/news/page/1/");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "/news/");
    done(&r);
    get(&r, "/news/page/999/");
    assert_int_equal(r.page.status, 404);
    assert_string_equal(r.page.lang, "en");
    done(&r);
    get(&r, "/news/page/0/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    assert_int_equal(mh_editorial_column_delete(content, id, 0), MH_OK);
}

static void test_drafts_never_shown(void **state)
{
    (void)state;
    add_entry("Secret draft zebra", MH_STATUS_DRAFT, time(NULL) - 60);
    add_entry("Scheduled quokka", MH_STATUS_SCHEDULED, time(NULL) + 86400 * 30);
    add_entry("Pending yak", MH_STATUS_PENDING, time(NULL) - 60);
    const char *paths[] = {"/", "/news/", "/news/secret-draft-zebra.html",
                           "/news/scheduled-quokka.html", "/news/pending-yak.html"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        resp_t r;
        get(&r, paths[i]);
        assert_int_equal(r.page.status, i < 2 ? 200 : 404);
        assert_null(strstr(r.body, "zebra"));
        assert_null(strstr(r.body, "quokka"));
        assert_null(strstr(r.body, "Pending yak"));
        done(&r);
    }
}

static void test_escaping(void **state)
{
    (void)state;
    add_entry("<script>alert(1)</script> & \"quotes\"", MH_STATUS_PUBLISHED, time(NULL) - 30);
    resp_t r;
    get(&r, "/news/");
    assert_int_equal(r.page.status, 200);
    /* the theme's own <script src> is there; the title's never is */
    assert_null(strstr(r.body, "<script>"));
    /* besides the JSON-LD data block, which browsers never run */
    assert_true(count(r.body, "<script type=\"application/ld+json\">") <= 1);
    assert_int_equal(count(r.body, "<script"),
                     count(r.body, "<script src=\"/assets/") +
                         count(r.body, "<script type=\"application/ld+json\">"));
    assert_non_null(
        strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    done(&r);
    get(&r, "/");
    assert_null(strstr(r.body, "<script>"));
    /* besides the JSON-LD data block, which browsers never run */
    assert_true(count(r.body, "<script type=\"application/ld+json\">") <= 1);
    assert_int_equal(count(r.body, "<script"),
                     count(r.body, "<script src=\"/assets/") +
                         count(r.body, "<script type=\"application/ld+json\">"));
    assert_non_null(strstr(r.body, "&lt;script&gt;"));
    done(&r);
}

static void test_link_and_hidden_columns(void **state)
{
    (void)state;
    mh_column_t c;
    memset(&c, 0, sizeof(c));
    c.lang_id = en_id;
    c.module = MH_MODULE_LINK;
    c.name = "Partner portal";
    c.slug = "partner";
    c.summary = c.body_html = c.seo_title = c.seo_keywords = c.seo_description = "";
    c.link_url = "https://partner.example/";
    c.nav = MH_NAV_BOTH;
    c.page_size = 10;
    c.visible = true;
    int64_t id;
    assert_int_equal(mh_content_column_create(content, &c, &id), MH_OK);
    c.name = "Bad link";
    c.slug = "badlink";
    c.link_url = "javascript:alert(1)";
    /* refused at the content layer (content/validate.h): never stored */
    assert_int_equal(mh_content_column_create(content, &c, &id), MH_INVALID);
    c.module = MH_MODULE_ARTICLE;
    c.name = "Hidden section";
    c.slug = "hidden";
    c.link_url = "";
    c.visible = false;
    assert_int_equal(mh_content_column_create(content, &c, &id), MH_OK);

    resp_t r;
    get(&r, "/partner/");
    assert_int_equal(r.page.status, 301);
    assert_string_equal(r.page.location, "https://partner.example/");
    done(&r);
    get(&r, "/badlink/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "/hidden/");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "/hidden");
    assert_int_equal(r.page.status, 404);
    done(&r);
    get(&r, "/");
    /* another origin: no opener, no referrer, a new tab (site/links.c) */
    assert_non_null(strstr(r.body, "<a href=\"https://partner.example/\" rel=\"noopener "
                                   "noreferrer\" target=\"_blank\">Partner portal"));
    assert_null(strstr(r.body, "<a href=\"https://partner.example/\">"));
    /* the same origin (the demo's footer link to /sitemap.xml): plain */
    assert_non_null(strstr(r.body, "<a href=\"/sitemap.xml\">Sitemap</a>"));
    assert_null(strstr(r.body, "javascript:"));
    assert_null(strstr(r.body, "Hidden section"));
    done(&r);

    assert_non_null(mh_context_safe_link("/about/"));
    assert_non_null(mh_context_safe_link("about/x?a=b:c"));
    assert_non_null(mh_context_safe_link("HTTPS://x.example"));
    assert_null(mh_context_safe_link("javascript:alert(1)"));
    assert_null(mh_context_safe_link("data:text/html,x"));
    assert_null(mh_context_safe_link("//evil.example/"));
    assert_null(mh_context_safe_link("/\\evil"));
    assert_null(mh_context_safe_link(""));
}

/* Walk one schema path in ctx; paths through an empty list or a null value
 * (no neighbour, no section) are vacuously produced. */
static bool produced(mh_pool_t *p, mh_val_t *ctx, const char *path)
{
    mh_val_t *v = ctx;
    const char *full = path;
    while (*path) {
        size_t len = strcspn(path, ".");
        v = mh_val_force(p, v);
        /* t.* and assets.* always have keys; an entry's field.* has as many
         * as the entry has custom field values (the seed has none) */
        if (len == 1 && path[0] == '*') {
            bool content_map = path - full >= 6 && strncmp(path - 6, "field.", 6) == 0;
            return v->kind == MH_V_MAP && (v->u.map.n > 0 || content_map);
        }
        bool list = len > 2 && path[len - 2] == '[';
        v = mh_val_get(p, v, mh_str(path, list ? len - 2 : len));
        if (!v)
            return false;
        if (list) {
            if (v->kind != MH_V_LIST)
                return false;
            if (v->u.list.n == 0)
                return true;
            v = v->u.list.items[0];
        }
        path += len;
        if (*path == '.') {
            path++;
            mh_val_t *f = mh_val_force(p, v);
            if (f->kind == MH_V_NULL)
                return true;
        }
    }
    return true;
}

static void test_schema_is_produced(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_column_t *cols;
    size_t n;
    assert_int_equal(mh_content_columns(content, p, en_id, &cols, &n), MH_OK);
    const char *single = NULL;
    for (size_t i = 0; i < n; i++)
        if (mh_content_type_is(cols[i].module, MH_TYPE_BODY) && cols[i].visible && !single)
            single = mh_psprintf(p, "/%s/", cols[i].path);
    assert_non_null(single);
    struct {
        const char *path;
        unsigned kind;
        int status;
    } pages[] = {{"/", MH_PK_HOME, 200},
                 {"/news/", MH_PK_LIST, 200},
                 {single, MH_PK_SINGLE, 200},
                 {SEED_PATH, MH_PK_ENTRY, 200},
                 {"/nothing-here/", MH_PK_404, 404}};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        int status = 0;
        mh_val_t *ctx = NULL;
        assert_int_equal(mh_site_context(site, p, MH_STR_LIT("example.org"),
                                         mh_str_c(pages[i].path), &status, &ctx),
                         MH_OK);
        assert_int_equal(status, pages[i].status);
        assert_non_null(ctx);
        for (size_t k = 0; k < mh_context_schema_len; k++) {
            if (!(mh_context_schema[k].pages & pages[i].kind))
                continue;
            if (!produced(p, ctx, mh_context_schema[k].path))
                fail_msg("%s: schema key %s not produced", pages[i].path,
                         mh_context_schema[k].path);
        }
    }
    mh_pool_destroy(p);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_theme_check(void **state)
{
    (void)state;
    assert_int_equal(mh_site_theme_check(THEME), 0);

    char t[300], path[400];
    snprintf(t, sizeof(t), "%s/theme", dir);
    mkdir(t, 0755);
    snprintf(path, sizeof(path), "%s/templates", t);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/strings", t);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/strings/en.json", t);
    write_file(path, "{\"home\": \"Home\"}");
    const char *ok[] = {"home", "page", "404"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/templates/%s.mustache", t, ok[i]);
        write_file(path, "{{<base}}{{$main}}{{site.name}} {{t.home}}{{/main}}{{/base}}");
    }
    snprintf(path, sizeof(path), "%s/templates/base.mustache", t);
    write_file(path, "<title>{{page.title}}</title>{{$main}}{{/main}}{{>row}}");
    snprintf(path, sizeof(path), "%s/templates/list.mustache", t);
    write_file(path, "{{#entries}}{{>row}}{{/entries}}\n{{site.nmae}}\n{{entry.title}}");
    snprintf(path, sizeof(path), "%s/templates/row.mustache", t);
    write_file(path, "{{title}}{{#pinned}}{{t.home}}{{/pinned}}");
    snprintf(path, sizeof(path), "%s/templates/entry.mustache", t);
    write_file(path, "{{entry.title}}{{#entry.prev}}{{url}}{{/entry.prev}}\n{{t.nope}}{{>missing}}"
                     "\n{{#languages}}{{code}}{{bogus}}{{/languages}}");
    /* site.nmae, entry.title on a list page, t.nope, the missing partial and
     * bogus; row's names resolve inside entries; base includes row at the
     * root where "title" is unknown, but the entries context provides it. */
    int problems = mh_site_theme_check(t);
    assert_int_equal(problems, 5);

    /* A syntax error is a load failure. */
    write_file(path, "{{#entry}}unclosed");
    assert_int_equal(mh_site_theme_check(t), -1);
}

/* The navigation is shared between pages, but the current column and a
 * renamed column are still those of each page and of the latest content. */
static void test_nav_current_and_changes(void **state)
{
    (void)state;
    resp_t a, b, c;
    get(&a, "/news/");
    assert_non_null(strstr(a.body, "<a href=\"/news/\" aria-current=\"page\">"));
    assert_null(strstr(a.body, "<a href=\"/about/\" aria-current=\"page\">"));
    get(&b, "/about/");
    assert_non_null(strstr(b.body, "<a href=\"/about/\" aria-current=\"page\">"));
    assert_null(strstr(b.body, "<a href=\"/news/\" aria-current=\"page\">"));
    get(&c, "/news/");
    assert_string_equal(a.body, c.body);
    done(&c);

    mh_column_t col;
    assert_int_equal(mh_content_column_get(content, a.pool, news_id, &col), MH_OK);
    const char *orig = col.name;
    col.name = "Newsroom";
    assert_int_equal(mh_content_column_update(content, &col), MH_OK);
    get(&c, "/about/");
    assert_non_null(strstr(c.body, "<a href=\"/news/\">Newsroom</a>"));
    assert_non_null(strstr(c.body, "<a href=\"/about/\" aria-current=\"page\">"));
    done(&c);
    col.name = orig;
    assert_int_equal(mh_content_column_update(content, &col), MH_OK);
    get(&c, "/about/");
    assert_null(strstr(c.body, "Newsroom"));
    done(&c);
    done(&a);
    done(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_article),
        cmocka_unit_test(test_base_url_setting),
        cmocka_unit_test(test_footer_and_share),
        cmocka_unit_test(test_language_switcher),
        cmocka_unit_test(test_chinese_home),
        cmocka_unit_test(test_home),
        cmocka_unit_test(test_canonical_slash),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_schema_is_produced),
        cmocka_unit_test(test_list_and_pagination),
        cmocka_unit_test(test_language_prefix_rows),
        cmocka_unit_test(test_drafts_never_shown),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_link_and_hidden_columns),
        cmocka_unit_test(test_theme_check),
        cmocka_unit_test(test_nav_current_and_changes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
