/* WXR reader and content conversions: small inline documents for each rule
 * and hostile input, then the WordPress theme unit test export (the counts
 * below were checked independently with xmllint --xpath). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/common.h"
#include "migrate/wxr.h"
#include "migrate/wxr_html.h"

/* --- a collector ------------------------------------------------------------ */

#define MAXA 256
typedef struct {
    int64_t id, parent;
    char url[512];
    char caption[512];
} att_t;

typedef struct {
    char site_title[128], site_lang[16], base_site[128], base_blog[128], wxr[8];
    int sites, authors, categories, tags, terms, items, posts, pages, attachments, other;
    int comments, approved, meta, sticky, password, draft, future, private_, pending, publish;
    char author_login[4][64], author_email[4][96], author_display[4][64];
    char cat_parent_of_child[64];
    int item_terms;
    int64_t parent_of[4096];
    int64_t ids[4096];
    char titles[512][160];
    char statuses[512][16];
    int ntitles;
    att_t att[MAXA];
    int natt;
    char first_content[4096];
    char comment_content[256];
    int64_t comment_parent_seen;
    int stop_after; /* items; 0 = never */
    unsigned long first_line;
} col_t;

static void cpy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s);
}

static int on_site(void *ud, const mh_wxr_site_t *s)
{
    col_t *c = ud;
    c->sites++;
    cpy(c->site_title, sizeof(c->site_title), s->title);
    cpy(c->site_lang, sizeof(c->site_lang), s->language);
    cpy(c->base_site, sizeof(c->base_site), s->base_site_url);
    cpy(c->base_blog, sizeof(c->base_blog), s->base_blog_url);
    cpy(c->wxr, sizeof(c->wxr), s->wxr_version);
    return 0;
}

static int on_author(void *ud, const mh_wxr_author_t *a)
{
    col_t *c = ud;
    if (c->authors < 4) {
        cpy(c->author_login[c->authors], 64, a->login);
        cpy(c->author_email[c->authors], 96, a->email);
        cpy(c->author_display[c->authors], 64, a->display_name);
    }
    c->authors++;
    return 0;
}

static int on_term(void *ud, const mh_wxr_term_t *t)
{
    col_t *c = ud;
    if (t->kind == MH_WXR_CATEGORY) {
        c->categories++;
        if (strcmp(t->slug, "child") == 0)
            cpy(c->cat_parent_of_child, sizeof(c->cat_parent_of_child), t->parent);
    } else if (t->kind == MH_WXR_TAG) {
        c->tags++;
    } else {
        c->terms++;
    }
    return 0;
}

static int on_item(void *ud, const mh_wxr_item_t *it)
{
    col_t *c = ud;
    c->items++;
    if (strcmp(it->post_type, "post") == 0)
        c->posts++;
    else if (strcmp(it->post_type, "page") == 0)
        c->pages++;
    else if (strcmp(it->post_type, "attachment") == 0)
        c->attachments++;
    else
        c->other++;
    if (strcmp(it->post_type, "attachment") == 0 && c->natt < MAXA) {
        att_t *a = &c->att[c->natt++];
        a->id = it->post_id;
        a->parent = it->post_parent;
        cpy(a->url, sizeof(a->url), it->attachment_url);
        cpy(a->caption, sizeof(a->caption), it->excerpt);
    }
    if (strcmp(it->post_type, "post") == 0 || strcmp(it->post_type, "page") == 0) {
        const char *st = it->status;
        c->publish += strcmp(st, "publish") == 0;
        c->draft += strcmp(st, "draft") == 0;
        c->future += strcmp(st, "future") == 0;
        c->private_ += strcmp(st, "private") == 0;
        c->pending += strcmp(st, "pending") == 0;
        c->sticky += it->is_sticky;
        c->password += it->post_password[0] != '\0';
        if (c->ntitles < 512) {
            cpy(c->titles[c->ntitles], 160, it->title);
            cpy(c->statuses[c->ntitles], 16, it->status);
            c->ids[c->ntitles] = it->post_id;
            c->parent_of[c->ntitles] = it->post_parent;
            c->ntitles++;
        }
    }
    if (c->items == 1)
        c->first_line = it->line;
    if (c->items == 1)
        cpy(c->first_content, sizeof(c->first_content), it->content);
    c->item_terms += (int)it->nterms;
    c->meta += (int)it->nmeta;
    for (size_t i = 0; i < it->ncomments; i++) {
        c->comments++;
        c->approved += strcmp(it->comments[i].approved, "1") == 0;
        if (it->comments[i].parent)
            c->comment_parent_seen = it->comments[i].parent;
        cpy(c->comment_content, sizeof(c->comment_content), it->comments[i].content);
    }
    if (c->stop_after && c->items >= c->stop_after)
        return 42;
    return 0;
}

static mh_wxr_handler_t handler(col_t *c)
{
    mh_wxr_handler_t h = {
        .ud = c, .site = on_site, .author = on_author, .term = on_term, .item = on_item};
    return h;
}

static int parse_mem(const char *doc, col_t *c, char *err, size_t n)
{
    mh_wxr_handler_t h = handler(c);
    return mh_wxr_parse_memory(doc, strlen(doc), "test.xml", &h, err, n);
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.1/excerpt/\" "             \
    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "                                  \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                               \
    "xmlns:wp=\"http://wordpress.org/export/1.1/\">\n"                                             \
    "<channel>\n<title>My &amp; Site</title>\n<link>http://example.org</link>\n"                   \
    "<language>fr-FR</language>\n<wp:wxr_version>1.1</wp:wxr_version>\n"                           \
    "<wp:base_site_url>http://example.org</wp:base_site_url>\n"                                    \
    "<wp:base_blog_url>http://example.org/blog</wp:base_blog_url>\n"

static const char small_doc[] = HEAD
    "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ann</wp:author_login>"
    "<wp:author_email>ann@example.org</wp:author_email>"
    "<wp:author_display_name><![CDATA[Ann <A>]]></wp:author_display_name></wp:author>\n"
    "<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename>"
    "<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name>"
    "</wp:category>\n"
    "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>child</wp:category_nicename>"
    "<wp:category_parent>news</wp:category_parent><wp:cat_name>Child</wp:cat_name></wp:category>\n"
    "<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>t1</wp:tag_slug><wp:tag_name>T1</wp:tag_name>"
    "</wp:tag>\n"
    "<wp:term><wp:term_id>4</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
    "<wp:term_slug>menu</wp:term_slug><wp:term_name>Menu</wp:term_name></wp:term>\n"
    "<item><title>Hello &lt;b&gt;world&lt;/b&gt;</title><dc:creator>ann</dc:creator>"
    "<content:encoded><![CDATA[<p>First</p>\n\n[gallery ids=\"10\"]]]></content:encoded>"
    "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
    "<wp:post_id>5</wp:post_id><wp:post_date>2020-01-02 03:04:05</wp:post_date>"
    "<wp:post_date_gmt>2020-01-02 02:04:05</wp:post_date_gmt><wp:post_name>hello</wp:post_name>"
    "<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>"
    "<wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type>"
    "<wp:post_password></wp:post_password><wp:is_sticky>1</wp:is_sticky>"
    "<category domain=\"category\" nicename=\"news\"><![CDATA[News]]></category>"
    "<category domain=\"post_tag\" nicename=\"t1\"><![CDATA[T1]]></category>"
    "<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value>"
    "</wp:postmeta>"
    "<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_author>Bob</wp:comment_author>"
    "<wp:comment_author_email>b@example.org</wp:comment_author_email>"
    "<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>"
    "<wp:comment_content><![CDATA[Nice <script>x</script>]]></wp:comment_content>"
    "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
    "</wp:comment>"
    "<wp:comment><wp:comment_id>8</wp:comment_id><wp:comment_content>Reply</wp:comment_content>"
    "<wp:comment_approved>0</wp:comment_approved><wp:comment_parent>7</wp:comment_parent>"
    "</wp:comment></item>\n"
    "<item><title>About</title><wp:post_id>6</wp:post_id><wp:post_type>page</wp:post_type>"
    "<wp:status>private</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>2</"
    "wp:menu_order>"
    "</item>\n"
    "<item><title>Sub</title><wp:post_id>9</wp:post_id><wp:post_type>page</wp:post_type>"
    "<wp:status>pending</wp:status><wp:post_parent>6</wp:post_parent></item>\n"
    "<item><title>pic</title><wp:post_id>10</wp:post_id><wp:post_type>attachment</wp:post_type>"
    "<wp:post_parent>5</wp:post_parent><wp:status>inherit</wp:status>"
    "<wp:attachment_url>http://example.org/a.jpg</wp:attachment_url>"
    "<excerpt:encoded>A cap</excerpt:encoded></item>\n"
    "</channel>\n</rss>\n";

static void test_small_document(void **state)
{
    (void)state;
    col_t *c = calloc(1, sizeof(*c));
    char err[512];
    assert_int_equal(parse_mem(small_doc, c, err, sizeof(err)), MH_OK);
    assert_int_equal(c->sites, 1);
    assert_string_equal(c->site_title, "My & Site");
    assert_string_equal(c->site_lang, "fr-FR");
    assert_string_equal(c->wxr, "1.1");
    assert_string_equal(c->base_blog, "http://example.org/blog");
    assert_int_equal(c->authors, 1);
    assert_string_equal(c->author_login[0], "ann");
    assert_string_equal(c->author_email[0], "ann@example.org");
    assert_string_equal(c->author_display[0], "Ann <A>");
    assert_int_equal(c->categories, 2);
    assert_string_equal(c->cat_parent_of_child, "news");
    assert_int_equal(c->tags, 1);
    assert_int_equal(c->terms, 1);
    assert_int_equal(c->posts, 1);
    assert_int_equal(c->pages, 2);
    assert_int_equal(c->attachments, 1);
    assert_string_equal(c->titles[0], "Hello <b>world</b>");
    assert_int_equal(c->sticky, 1);
    assert_int_equal(c->private_, 1);
    assert_int_equal(c->pending, 1);
    assert_int_equal(c->parent_of[2], 6);
    assert_int_equal(c->item_terms, 2);
    assert_int_equal(c->meta, 1);
    assert_int_equal(c->comments, 2);
    assert_int_equal(c->approved, 1);
    assert_int_equal(c->comment_parent_seen, 7);
    assert_string_equal(c->first_content, "<p>First</p>\n\n[gallery ids=\"10\"]");
    assert_string_equal(c->att[0].url, "http://example.org/a.jpg");
    assert_int_equal(c->att[0].parent, 5);
    /* a callback's result stops the parse and comes back */
    memset(c, 0, sizeof(*c));
    c->stop_after = 1;
    assert_int_equal(parse_mem(small_doc, c, err, sizeof(err)), 42);
    assert_int_equal(c->items, 1);
    free(c);
}

/* Every cut of a document is an error with the name and a line, never
 * success. */
static void test_truncated(void **state)
{
    (void)state;
    size_t n = strlen(small_doc);
    col_t *c = calloc(1, sizeof(*c));
    char err[512];
    const char *close = strstr(small_doc, "</rss>");
    for (size_t cut = 0; cut < n; cut += (cut < 200 ? 1 : 7)) {
        if (small_doc + cut > close)
            break; /* past </rss> only whitespace is missing */
        memset(c, 0, sizeof(*c));
        mh_wxr_handler_t h = handler(c);
        err[0] = '\0';
        int rc = mh_wxr_parse_memory(small_doc, cut, "cut.xml", &h, err, sizeof(err));
        if (rc == MH_OK)
            fail_msg("cut at %zu parsed as complete", cut);
        assert_int_equal(rc, MH_ERR);
        assert_non_null(strstr(err, "cut.xml"));
    }
    /* the message names a line and what was expected */
    char half[1200];
    snprintf(half, sizeof(half), "%.*s", 1100, small_doc);
    memset(c, 0, sizeof(*c));
    assert_int_equal(parse_mem(half, c, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "test.xml:"));
    assert_non_null(strstr(err, "expected"));
    free(c);
}

static void test_not_wxr(void **state)
{
    (void)state;
    col_t c;
    char err[512];
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse_mem("<?xml version=\"1.0\"?><html><body/></html>", &c, err, sizeof(err)),
                     MH_ERR);
    assert_non_null(strstr(err, "expected <rss>"));
    assert_int_equal(parse_mem("<rss><channel><title>x</title><item><title>a</title></item>"
                               "</channel></rss>",
                               &c, err, sizeof(err)),
                     MH_ERR);
    assert_non_null(strstr(err, "wxr_version"));
    assert_int_equal(parse_mem("<rss></rss>", &c, err, sizeof(err)), MH_ERR);
    assert_non_null(strstr(err, "channel"));
    assert_int_equal(parse_mem("", &c, err, sizeof(err)), MH_ERR);
    assert_int_equal(parse_mem("<rss><channel><wp:x>", &c, err, sizeof(err)), MH_ERR);
    /* trailing garbage */
    char doc[8192];
    snprintf(doc, sizeof(doc), "%s<rss/>", small_doc);
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse_mem(doc, &c, err, sizeof(err)), MH_ERR);
}

static void test_entities_refused(void **state)
{
    (void)state;
    static const char lol[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"aaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
        "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
        "]>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>&i;</title>"
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>&i;&i;&i;</title></item>"
        "</channel></rss>\n";
    col_t *c = calloc(1, sizeof(*c));
    char err[512];
    clock_t t0 = clock();
    assert_int_equal(parse_mem(lol, c, err, sizeof(err)), MH_ERR);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    /* refused by the DOCTYPE rule or by libxml2's own entity checks first */
    assert_true(strstr(err, "DOCTYPE") || strstr(err, "entity"));
    assert_int_equal(c->items, 0);
    assert_int_equal(c->sites, 0);
    /* external entity: refused, the file never read */
    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>&x;</title>"
        "<wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n";
    memset(c, 0, sizeof(*c));
    assert_int_equal(parse_mem(xxe, c, err, sizeof(err)), MH_ERR);
    assert_int_equal(c->sites, 0);
    assert_null(strstr(err, "root:"));
    /* an undeclared entity is a well-formedness error */
    memset(c, 0, sizeof(*c));
    assert_int_equal(parse_mem("<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>"
                               "<title>&nbsp;</title><wp:wxr_version>1.2</wp:wxr_version>"
                               "</channel></rss>",
                               c, err, sizeof(err)),
                     MH_ERR);
    free(c);
}

static void test_field_limit(void **state)
{
    (void)state;
    size_t big = 5000;
    size_t n = strlen(HEAD) + big + 512;
    char *doc = malloc(n);
    char *fill = malloc(big + 1);
    memset(fill, 'x', big);
    fill[big] = '\0';
    snprintf(doc, n,
             HEAD "<item><title>t</title><content:encoded><![CDATA[%s]]></content:encoded>"
                  "<wp:post_type>post</wp:post_type></item></channel></rss>",
             fill);
    col_t *c = calloc(1, sizeof(*c));
    mh_wxr_handler_t h = handler(c);
    h.max_field = 4096;
    char err[512];
    assert_int_equal(mh_wxr_parse_memory(doc, strlen(doc), "big.xml", &h, err, sizeof(err)),
                     MH_ERR);
    assert_non_null(strstr(err, "limit of 4096 bytes"));
    assert_non_null(strstr(err, "content:encoded"));
    assert_int_equal(c->items, 0);
    h.max_field = 8192;
    memset(c, 0, sizeof(*c));
    assert_int_equal(mh_wxr_parse_memory(doc, strlen(doc), "big.xml", &h, err, sizeof(err)), MH_OK);
    assert_int_equal(c->items, 1);
    free(fill);
    free(doc);
    /* many fields, each under the limit, add up: the item is bounded too */
    size_t metas = 200;
    n = strlen(HEAD) + metas * 128 + 512;
    mh_buf_t mb;
    mh_buf_init(&mb, n);
    mh_buf_append_c(&mb, HEAD "<item><title>t</title><wp:post_type>post</wp:post_type>");
    for (size_t i = 0; i < metas; i++)
        mh_buf_printf(&mb,
                      "<wp:postmeta><wp:meta_key>k%zu</wp:meta_key><wp:meta_value>%s"
                      "</wp:meta_value></wp:postmeta>",
                      i, "0123456789012345678901234567890123456789");
    mh_buf_append_c(&mb, "</item></channel></rss>");
    assert_false(mh_buf_failed(&mb));
    h.max_field = 1024; /* 4 KiB per item */
    memset(c, 0, sizeof(*c));
    assert_int_equal(mh_wxr_parse_memory(mb.base, mb.len, "many.xml", &h, err, sizeof(err)),
                     MH_ERR);
    if (!strstr(err, "many.xml:10: <item> is larger than the limit of 4096 bytes in all"))
        fail_msg("%s", err);
    assert_int_equal(c->items, 0);
    h.max_field = 64 * 1024;
    memset(c, 0, sizeof(*c));
    assert_int_equal(mh_wxr_parse_memory(mb.base, mb.len, "many.xml", &h, err, sizeof(err)), MH_OK);
    assert_int_equal(c->meta, (int)metas);
    mh_buf_free(&mb);
    /* with the default limit a 12 MB field is refused too (by libxml2's own
     * 10,000,000-byte text node limit, which comes first) */
    big = (size_t)12 << 20;
    n = strlen(HEAD) + big + 512;
    doc = malloc(n);
    fill = malloc(big + 1);
    memset(fill, 'y', big);
    fill[big] = '\0';
    snprintf(doc, n,
             HEAD "<item><title>t</title><content:encoded><![CDATA[%s]]></content:encoded>"
                  "<wp:post_type>post</wp:post_type></item></channel></rss>",
             fill);
    h.max_field = 0;
    memset(c, 0, sizeof(*c));
    assert_int_equal(mh_wxr_parse_memory(doc, strlen(doc), "huge.xml", &h, err, sizeof(err)),
                     MH_ERR);
    assert_non_null(strstr(err, "huge.xml:"));
    assert_int_equal(c->items, 0);
    free(c);
    free(fill);
    free(doc);
}

/* --- conversions -------------------------------------------------------------- */

static char *conv(const char *in, const mh_wxr_resolver_t *res, char **summary, mh_wxr_stats_t *st)
{
    mh_buf_t b, s;
    mh_buf_init(&b, 1 << 20);
    mh_buf_init(&s, 1 << 20);
    assert_int_equal(mh_wxr_convert(mh_str_c(in), res, &s, &b, st), MH_OK);
    size_t n;
    char *out = mh_buf_steal(&b, &n);
    if (!out)
        out = strdup("");
    if (summary) {
        *summary = mh_buf_steal(&s, &n);
        if (!*summary)
            *summary = strdup("");
    }
    mh_buf_free(&s);
    return out;
}

static char *autop(const char *in)
{
    mh_buf_t b;
    mh_buf_init(&b, 1 << 20);
    assert_int_equal(mh_wxr_autop(mh_str_c(in), &b), MH_OK);
    size_t n;
    char *out = mh_buf_steal(&b, &n);
    return out ? out : strdup("");
}

#define EXPECT_AUTOP(in, want)                                                                     \
    do {                                                                                           \
        char *got_ = autop(in);                                                                    \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_autop(void **state)
{
    (void)state;
    EXPECT_AUTOP("", "");
    EXPECT_AUTOP("one", "<p>one</p>");
    EXPECT_AUTOP("one\n\ntwo", "<p>one</p>\n<p>two</p>");
    EXPECT_AUTOP("one\r\n\r\ntwo\nthree", "<p>one</p>\n<p>two<br />\nthree</p>");
    EXPECT_AUTOP("a <em>b\nc</em>\n\n\n\nd", "<p>a <em>b<br />\nc</em></p>\n<p>d</p>");
    EXPECT_AUTOP("line<br />\nnext", "<p>line<br />\nnext</p>");
    /* block-level tags are not wrapped */
    EXPECT_AUTOP("<h2>Title</h2>\nText", "<h2>Title</h2>\n<p>Text</p>");
    EXPECT_AUTOP("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>");
    EXPECT_AUTOP("<div>x</div>", "<div>x</div>");
    EXPECT_AUTOP("<blockquote>q1\n\nq2</blockquote>",
                 "<blockquote>\n<p>q1</p>\n<p>q2</p>\n</blockquote>");
    EXPECT_AUTOP("<hr />\nafter", "<hr />\n<p>after</p>");
    /* pre, script and style left alone */
    EXPECT_AUTOP("<pre>a\n\nb\nc</pre>\n\nz", "<pre>a\n\nb\nc</pre>\n<p>z</p>");
    EXPECT_AUTOP("<script>if (a\n\n<b) x();</script>", "<script>if (a\n\n<b) x();</script>");
    /* newlines inside tags and comments are not text */
    EXPECT_AUTOP("<a\nhref=\"x\">l</a>", "<p><a href=\"x\">l</a></p>");
    EXPECT_AUTOP("<!-- c\n\nd -->", "<!-- c\n\nd -->");
    EXPECT_AUTOP("a < b\n\nc", "<p>a < b</p>\n<p>c</p>");
    /* text inside a table cell without blank lines: no <p> */
    EXPECT_AUTOP("<table><tr><td>1\n2</td></tr></table>",
                 "<table><tr><td>1<br />\n2</td></tr></table>");
}

static bool res_att(void *ud, int64_t id, mh_wxr_media_t *m)
{
    (void)ud;
    if (id == 1) {
        *m = (mh_wxr_media_t){"http://x/1.jpg", "One & <i>only</i>", "alt \"1\""};
        return true;
    }
    if (id == 2) {
        *m = (mh_wxr_media_t){"http://x/2.jpg?a=1&b=2", NULL, NULL};
        return true;
    }
    return false;
}

static size_t res_children(void *ud, int64_t post, int64_t *ids, size_t max)
{
    (void)ud;
    if (post != 99 || max < 2)
        return 0;
    ids[0] = 2;
    ids[1] = 1;
    return 2;
}

static int unresolved_seen;
static void res_unresolved(void *ud, int64_t id)
{
    (void)ud;
    unresolved_seen += (int)id;
}

static void test_shortcodes(void **state)
{
    (void)state;
    mh_wxr_resolver_t res = {NULL, res_att, res_children, res_unresolved, 99};
    mh_wxr_stats_t st;
    char *o = conv("<p>x</p>\n[caption id=\"attachment_1\" align=\"alignright\" width=\"300\"]"
                   "<a href=\"/big\"><img src=\"a.jpg\" alt=\"\" /></a> The <b>text</b>[/caption]",
                   &res, NULL, &st);
    assert_string_equal(o, "<p>x</p>\n<figure class=\"alignright\"><a href=\"/big\"><img "
                           "src=\"a.jpg\" alt=\"\" /></a><figcaption>The <b>text</b>"
                           "</figcaption></figure>");
    assert_int_equal(st.captions, 1);
    free(o);
    /* the old form: caption in an attribute */
    o = conv("[caption align=\"bogus\" caption=\"Said so\"]<img src=\"b.jpg\">[/caption]", &res,
             NULL, &st);
    assert_string_equal(o, "<figure><img src=\"b.jpg\"><figcaption>Said so</figcaption></figure>");
    free(o);
    /* gallery with ids; 7 is unknown */
    unresolved_seen = 0;
    o = conv("[gallery columns=2 ids=\"1,7,2\"]", &res, NULL, &st);
    assert_string_equal(o, "<ul class=\"gallery\">\n<li><figure><img src=\"http://x/1.jpg\" "
                           "alt=\"alt &quot;1&quot;\"><figcaption>One & <i>only</i></figcaption>"
                           "</figure></li>\n<li><figure><img src=\"http://x/2.jpg?a=1&amp;b=2\" "
                           "alt=\"\"></figure></li>\n</ul>");
    assert_int_equal(st.galleries, 1);
    assert_int_equal(st.images, 2);
    assert_int_equal(st.unresolved, 1);
    assert_int_equal(unresolved_seen, 7);
    free(o);
    /* without ids: the post's attachments */
    o = conv("[gallery]", &res, NULL, &st);
    assert_non_null(strstr(o, "2.jpg"));
    assert_true(strstr(o, "2.jpg") < strstr(o, "1.jpg"));
    free(o);
    /* nothing resolvable: nothing placed */
    o = conv("[gallery ids=\"5\"]", NULL, NULL, &st);
    assert_string_equal(o, "");
    assert_int_equal(st.unresolved, 1);
    free(o);
    /* other shortcodes, brackets and an unclosed caption stay as text */
    o = conv("[embed]http://v[/embed] [x] [[gallery]] a[1] [caption]no end", &res, NULL, &st);
    assert_string_equal(o, "<p>[embed]http://v[/embed] [x] [[gallery]] a[1] [caption]no end</p>");
    assert_int_equal(st.galleries, 0);
    assert_int_equal(st.captions, 0);
    free(o);
}

static void test_blocks_more_nextpage(void **state)
{
    (void)state;
    mh_wxr_stats_t st;
    char *sum;
    char *o =
        conv("<!-- wp:paragraph -->\n<p>Intro</p>\n<!-- /wp:paragraph -->\n\n"
             "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
             "<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>Rest</p>\n<!-- /wp:paragraph -->"
             "\n<!-- wp:separator /-->\n<!-- keep me -->",
             NULL, &sum, &st);
    assert_false(st.autop);
    assert_true(st.more);
    assert_int_equal(st.blocks, 7);
    assert_null(strstr(o, "wp:"));
    assert_null(strstr(o, "more"));
    assert_non_null(strstr(o, "<p>Intro</p>"));
    assert_non_null(strstr(o, "<p>Rest</p>"));
    assert_non_null(strstr(o, "<!-- keep me -->"));
    assert_non_null(strstr(sum, "<p>Intro</p>"));
    assert_null(strstr(sum, "Rest"));
    free(o);
    free(sum);
    /* classic: autop, more with a label, nextpage */
    o = conv("Teaser text.<!--more Read on-->\n\nPage one.\n<!--nextpage-->\nPage two.", NULL, &sum,
             &st);
    assert_true(st.autop);
    assert_int_equal(st.pages, 1);
    assert_string_equal(sum, "<p>Teaser text.</p>");
    assert_string_equal(o, "<p>Teaser text.</p>\n<p>Page one.</p>\n<hr class=\"page-break\">\n"
                           "<p>Page two.</p>");
    free(o);
    free(sum);
    /* no more: no summary */
    o = conv("Just text", NULL, &sum, &st);
    assert_string_equal(sum, "");
    assert_false(st.more);
    free(o);
    free(sum);
}

/* --- the theme unit test export ----------------------------------------------- */

static char unit_path[4096];

static const char *unit_file(void)
{
    const char *root = getenv("MH_ROOT");
    snprintf(unit_path, sizeof(unit_path),
             "%s/../shared/interop/wordpress/"
             "themeunittestdata.wordpress.xml",
             root && root[0] ? root : MH_DATADIR);
    FILE *f = fopen(unit_path, "rb");
    if (!f)
        fail_msg("missing test data %s (set MH_ROOT to the worktree)", unit_path);
    fclose(f);
    return unit_path;
}

static col_t *unit;

static int setup_unit(void **state)
{
    (void)state;
    unit = calloc(1, sizeof(*unit));
    mh_wxr_handler_t h = handler(unit);
    char err[512];
    int rc = mh_wxr_parse_file(unit_file(), &h, err, sizeof(err));
    if (rc != MH_OK)
        fail_msg("%s", err);
    return 0;
}

static int teardown_unit(void **state)
{
    (void)state;
    free(unit);
    return 0;
}

static int find_title(const char *t)
{
    for (int i = 0; i < unit->ntitles; i++)
        if (strcmp(unit->titles[i], t) == 0)
            return i;
    return -1;
}

static int find_id(int64_t id)
{
    for (int i = 0; i < unit->ntitles; i++)
        if (unit->ids[i] == id)
            return i;
    return -1;
}

static void test_unit_counts(void **state)
{
    (void)state;
    col_t *c = unit;
    assert_int_equal(c->sites, 1);
    assert_string_equal(c->site_title, "Theme Unit Test Data");
    assert_string_equal(c->site_lang, "en");
    assert_string_equal(c->wxr, "1.2");
    assert_string_equal(c->base_site, "https://wordpress.com/");
    assert_string_equal(c->base_blog, "https://wpthemetestdata.wordpress.com");
    assert_int_equal(c->authors, 2);
    assert_string_equal(c->author_login[0], "themedemos");
    assert_string_equal(c->author_login[1], "themereviewteam");
    assert_string_equal(c->author_display[1], "Theme Reviewer");
    assert_int_equal(c->posts, 58);
    assert_int_equal(c->pages, 21);
    assert_int_equal(c->attachments, 37);
    assert_int_equal(c->other, 70); /* nav_menu_item */
    assert_int_equal(c->items, 186);
    assert_int_equal(c->first_line, 1082); /* the first <item> start tag */
    assert_int_equal(c->categories, 68);
    assert_int_equal(c->tags, 110);
    assert_int_equal(c->terms, 7);
    assert_int_equal(c->comments, 33);
    assert_int_equal(c->approved, 30);
    /* statuses: one scheduled, one draft, one password, one sticky */
    assert_int_equal(c->future, 1);
    assert_int_equal(c->draft, 1);
    assert_int_equal(c->private_, 0);
    assert_int_equal(c->pending, 0);
    assert_int_equal(c->publish, 77);
    assert_int_equal(c->sticky, 1);
    assert_int_equal(c->password, 1);
    int i = find_title("Scheduled");
    assert_true(i >= 0);
    assert_string_equal(c->statuses[i], "future");
    i = find_title("Draft");
    assert_true(i >= 0);
    assert_string_equal(c->statuses[i], "draft");
    assert_true(find_title("Template: Sticky") >= 0);
    /* markup in a title is text, kept as written */
    assert_true(find_title("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>") >= 0);
}

static void test_unit_page_tree(void **state)
{
    (void)state;
    /* Level 3 (172) -> Level 2 (173) -> Level 1 (174) -> top */
    int l3 = find_title("Level 3");
    assert_true(l3 >= 0);
    assert_int_equal(unit->ids[l3], 172);
    int l2 = find_id(unit->parent_of[l3]);
    assert_true(l2 >= 0);
    assert_string_equal(unit->titles[l2], "Level 2");
    int l1 = find_id(unit->parent_of[l2]);
    assert_true(l1 >= 0);
    assert_string_equal(unit->titles[l1], "Level 1");
    assert_int_equal(unit->parent_of[l1], 0);
    /* no page deeper than three levels */
    int deepest = 0;
    for (int k = 0; k < unit->ntitles; k++) {
        int d = 0, j = k;
        while (j >= 0 && unit->parent_of[j] && d < 10) {
            j = find_id(unit->parent_of[j]);
            d++;
        }
        if (d > deepest)
            deepest = d;
    }
    assert_int_equal(deepest, 2);
}

/* Resolve gallery ids against the file's attachments. */
static bool unit_att(void *ud, int64_t id, mh_wxr_media_t *m)
{
    col_t *c = ud;
    for (int i = 0; i < c->natt; i++)
        if (c->att[i].id == id) {
            *m = (mh_wxr_media_t){c->att[i].url, c->att[i].caption, ""};
            return true;
        }
    return false;
}

static size_t unit_children(void *ud, int64_t post, int64_t *ids, size_t max)
{
    col_t *c = ud;
    size_t n = 0;
    for (int i = 0; i < c->natt && n < max; i++)
        if (c->att[i].parent == post)
            ids[n++] = c->att[i].id;
    return n;
}

typedef struct {
    int64_t want;
    char *content;
} grab_t;

static int grab_item(void *ud, const mh_wxr_item_t *it)
{
    grab_t *g = ud;
    if (it->post_id == g->want)
        g->content = strdup(it->content);
    return 0;
}

static char *unit_content(int64_t id)
{
    grab_t g = {id, NULL};
    mh_wxr_handler_t h = {.ud = &g, .item = grab_item};
    char err[512];
    assert_int_equal(mh_wxr_parse_file(unit_file(), &h, err, sizeof(err)), MH_OK);
    assert_non_null(g.content);
    return g.content;
}

static void test_unit_conversions(void **state)
{
    (void)state;
    mh_wxr_resolver_t res = {unit, unit_att, unit_children, NULL, 555};
    mh_wxr_stats_t st;
    /* Post Format: Gallery: ten [gallery] with the post's own images */
    char *in = unit_content(555);
    char *o = conv(in, &res, NULL, &st);
    assert_int_equal(st.galleries, 10);
    assert_true(st.images > 0);
    assert_null(strstr(o, "[gallery"));
    assert_non_null(strstr(o, "<ul class=\"gallery\">"));
    assert_non_null(strstr(o, "<img src=\"https://"));
    free(o);
    free(in);
    /* Post Format: Image (Caption) */
    res.post_id = 1163;
    in = unit_content(1163);
    o = conv(in, &res, NULL, &st);
    assert_int_equal(st.captions, 1);
    assert_null(strstr(o, "[caption"));
    assert_non_null(strstr(o, "<figure"));
    assert_non_null(strstr(o, "<figcaption>"));
    assert_non_null(strstr(o, "</figcaption></figure>"));
    assert_true(st.autop);
    free(o);
    free(in);
    /* Page Image Alignment: five captions, classic content in paragraphs */
    in = unit_content(1133);
    o = conv(in, &res, NULL, &st);
    assert_int_equal(st.captions, 5);
    assert_non_null(strstr(o, "<p>"));
    /* no figure ends up inside a paragraph */
    for (const char *f = strstr(o, "<figure"); f; f = strstr(f + 1, "<figure")) {
        const char *po = o, *last_open = NULL, *last_close = NULL;
        while ((po = strstr(po, "<p>")) && po < f)
            last_open = po++;
        po = o;
        while ((po = strstr(po, "</p>")) && po < f)
            last_close = po++;
        assert_true(!last_open || (last_close && last_close > last_open));
    }
    free(o);
    free(in);
}

/* Paragraphs in converted content: never nested, never around a block
 * element, every </p> with its <p> (raw elements skipped). */
static void check_paragraphs(const char *html, const char *title)
{
    static const char *const blocks[] = {"div",        "ul", "ol", "li",      "table", "h1",
                                         "h2",         "h3", "h4", "h5",      "h6",    "figure",
                                         "blockquote", "hr", "dl", "section", "pre",   "form"};
    bool in_p = false;
    for (const char *s = strchr(html, '<'); s; s = strchr(s + 1, '<')) {
        bool closing = s[1] == '/';
        const char *n = s + 1 + closing;
        char name[16];
        size_t k = 0;
        while (k + 1 < sizeof(name) && ((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9')))
            name[k++] = *n++;
        name[k] = '\0';
        if (!closing && (strcmp(name, "pre") == 0 || strcmp(name, "script") == 0)) {
            char end[24];
            snprintf(end, sizeof(end), "</%s", name);
            const char *e = strstr(s, end);
            if (!e)
                fail_msg("%s: unclosed <%s>", title, name);
            s = e;
            continue;
        }
        if (strcmp(name, "p") == 0) {
            if (closing != in_p)
                fail_msg("%s: %s in_p=%d at: %.80s", title, closing ? "</p>" : "<p>", in_p, s);
            in_p = !closing;
            continue;
        }
        for (size_t i = 0; i < MH_ARRAY_LEN(blocks); i++)
            if (in_p && strcmp(name, blocks[i]) == 0)
                fail_msg("%s: <%s%s> inside <p> at: %.80s", title, closing ? "/" : "", name, s);
    }
    if (in_p)
        fail_msg("%s: <p> not closed", title);
}

typedef struct {
    int done, classic, more;
    mh_wxr_stats_t total;
} all_t;

static int convert_item(void *ud, const mh_wxr_item_t *it)
{
    all_t *a = ud;
    if (strcmp(it->post_type, "post") != 0 && strcmp(it->post_type, "page") != 0)
        return 0;
    mh_wxr_resolver_t res = {unit, unit_att, unit_children, NULL, it->post_id};
    mh_wxr_stats_t st;
    char *sum;
    char *o = conv(it->content, &res, &sum, &st);
    a->done++;
    a->classic += st.autop;
    a->total.captions += st.captions;
    a->total.galleries += st.galleries;
    a->total.unresolved += st.unresolved;
    a->total.pages += st.pages;
    a->more += st.more; /* posts with a summary */
    if (st.autop)
        check_paragraphs(o, it->title);
    if (strstr(o, "[caption") || strstr(o, "[gallery") || strstr(o, "<!-- wp:") ||
        strstr(o, "<!-- /wp:") || strstr(o, "<!--more") || strstr(o, "<!--nextpage"))
        fail_msg("%s: left unconverted: %s", it->title, o);
    if (st.more && (!sum[0] || strlen(sum) > strlen(o)))
        fail_msg("%s: summary", it->title);
    free(o);
    free(sum);
    return 0;
}

/* Every post and page of the file converts cleanly. */
static void test_unit_all_converted(void **state)
{
    (void)state;
    all_t a;
    memset(&a, 0, sizeof(a));
    mh_wxr_handler_t h = {.ud = &a, .item = convert_item};
    char err[512];
    assert_int_equal(mh_wxr_parse_file(unit_file(), &h, err, sizeof(err)), MH_OK);
    assert_int_equal(a.done, 79);
    assert_int_equal(a.classic, 60);
    assert_int_equal(a.total.captions, 12);
    assert_int_equal(a.total.galleries, 12);
    assert_int_equal(a.total.unresolved, 1); /* id 763 is not in the file */
    assert_int_equal(a.total.pages, 6);
    assert_int_equal(a.more, 4);
}

/* Cut the real file at a few places: always an error naming a line. */
static void test_unit_truncated(void **state)
{
    (void)state;
    FILE *f = fopen(unit_file(), "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    assert_true(n > 600000);
    size_t cuts[] = {100, 5000, 40000, 123457, 300001, 500000, n - 20, n - 8};
    col_t *c = calloc(1, sizeof(*c));
    for (size_t i = 0; i < MH_ARRAY_LEN(cuts); i++) {
        memset(c, 0, sizeof(*c));
        mh_wxr_handler_t h = handler(c);
        char err[512];
        int rc = mh_wxr_parse_memory(buf, cuts[i], "unit.xml", &h, err, sizeof(err));
        if (rc != MH_ERR)
            fail_msg("cut at %zu: rc %d", cuts[i], rc);
        assert_non_null(strstr(err, "unit.xml:"));
    }
    free(c);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_document),   cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_not_wxr),          cmocka_unit_test(test_entities_refused),
        cmocka_unit_test(test_field_limit),      cmocka_unit_test(test_autop),
        cmocka_unit_test(test_shortcodes),       cmocka_unit_test(test_blocks_more_nextpage),
        cmocka_unit_test(test_unit_counts),      cmocka_unit_test(test_unit_page_tree),
        cmocka_unit_test(test_unit_conversions), cmocka_unit_test(test_unit_all_converted),
        cmocka_unit_test(test_unit_truncated),
    };
    return cmocka_run_group_tests(tests, setup_unit, teardown_unit);
}
