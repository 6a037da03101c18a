/* Search core: the tokenizer's tokens and offsets, what an in-memory FTS5
 * table finds with it (Chinese bigrams, phrases, one-character queries,
 * width and case and accent folding), the query builder against FTS5's
 * syntax, HTML to text, and escaped snippets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/buf.h"
#include "search/search.h"
#include "search/search_int.h"

/* ---- tokens ------------------------------------------------------------ */

typedef struct {
    const char *text;
    mh_buf_t out;
} toks_t;

/* "token@start-end" separated by spaces; a colocated token is prefixed "+" */
static int collect(void *ctx, int flags, const char *t, int n, int start, int end)
{
    toks_t *k = ctx;
    if (k->out.len)
        mh_buf_putc(&k->out, ' ');
    mh_buf_printf(&k->out, "%s%.*s@%d-%d", (flags & FTS5_TOKEN_COLOCATED) ? "+" : "", n, t, start,
                  end);
    return SQLITE_OK;
}

static char *tokens(const char *text, int flags)
{
    toks_t k = {text, {0}};
    mh_buf_init(&k.out, 1 << 16);
    mh_buf_append_c(&k.out, "");
    assert_int_equal(mh_search_tokenize(&k, flags, text, (int)strlen(text), collect), SQLITE_OK);
    return k.out.base; /* caller frees */
}

static void expect_tokens(const char *text, int flags, const char *want)
{
    char *got = tokens(text, flags);
    if (strcmp(got, want) != 0)
        print_error("tokens of \"%s\":\n got  %s\n want %s\n", text, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void test_tokens_cjk(void **state)
{
    (void)state;
    /* documents: bigrams, each with its first character colocated, and the
     * last character with the last bigram */
    expect_tokens("北京上海", 0, "北京@0-6 +北@0-3 京上@3-9 +京@3-6 上海@6-12 +上@6-9 +海@9-12");
    expect_tokens("北京", 0, "北京@0-6 +北@0-3 +京@3-6");
    expect_tokens("京", 0, "京@0-3");
    /* queries: the bigrams only; one character alone */
    expect_tokens("北京上海", FTS5_TOKENIZE_QUERY, "北京@0-6 京上@3-9 上海@6-12");
    expect_tokens("京", FTS5_TOKENIZE_QUERY, "京@0-3");
    /* CJK punctuation separates runs; words and runs split where they meet */
    expect_tokens("赴北京、上海", FTS5_TOKENIZE_QUERY, "赴北@0-6 北京@3-9 上海@12-18");
    expect_tokens("iPhone手机2023年", FTS5_TOKENIZE_QUERY,
                  "iphone@0-6 手机@6-12 2023@12-16 年@16-19");
    /* half-width katakana become full-width; the voiced mark joins */
    expect_tokens("ｶﾞｲﾄﾞ", FTS5_TOKENIZE_QUERY, "ガイ@0-9 イド@6-15");
    /* kana keep their voicing marks, composed or not: が is not か */
    expect_tokens("がか", FTS5_TOKENIZE_QUERY, "がか@0-6");
    expect_tokens("か\u3099か", FTS5_TOKENIZE_QUERY, "がか@0-9");
    /* Hangul syllables stay whole */
    expect_tokens("서울", 0, "서울@0-6 +서@0-3 +울@3-6");
    /* ideographic space and full stop separate */
    expect_tokens("中\u3000国。人", FTS5_TOKENIZE_QUERY, "中@0-3 国@6-9 人@12-15");
}

static void test_tokens_words(void **state)
{
    (void)state;
    expect_tokens("Café au LAIT", 0, "cafe@0-5 au@6-8 lait@9-13");
    expect_tokens("ＡＢＣ１２", 0, "abc12@0-15");
    expect_tokens("Straße ﬁne", 0, "strasse@0-7 fine@8-13");
    expect_tokens("e\xcc\x81t\xc3\xa9", 0, "ete@0-6"); /* combining accent */
    expect_tokens("foo-bar_baz's", 0, "foo@0-3 bar@4-7 baz@8-11 s@12-13");
    expect_tokens("a\xff"
                  "b\xc3",
                  0, "a@0-1 b@2-3");  /* invalid bytes separate */
    expect_tokens("\xcc\x81", 0, ""); /* a lone mark is nothing */
    expect_tokens("", 0, "");
}

/* ---- FTS5 ---------------------------------------------------------------- */

typedef struct {
    sqlite3 *db;
    mh_pool_t *pool;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof(*f));
    f->pool = mh_pool_create();
    assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
    assert_int_equal(mh_search_register(f->db), MH_OK);
    const char *err = NULL;
    assert_int_equal(mh_search_create(f->db, f->pool, &err), MH_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    sqlite3_close(f->db);
    mh_pool_destroy(f->pool);
    free(f);
    return 0;
}

static void put(fx_t *f, int64_t id, int64_t lang, int64_t col, const char *module,
                const char *title, const char *body)
{
    mh_search_doc_t d = {.entry_id = id,
                         .lang_id = lang,
                         .column_id = col,
                         .module = mh_str_c(module),
                         .title = mh_str_c(title),
                         .summary = MH_STR_NULL,
                         .body_html = mh_str_c(body),
                         .fields = MH_STR_NULL};
    assert_int_equal(mh_search_put(f->db, f->pool, &d), MH_OK);
}

/* Entry ids matching what a visitor typed, through the query builder,
 * best first, as "1,4"; "-" when nothing matches. */
static const char *find_in(fx_t *f, const char *typed, int64_t lang, int64_t col,
                           const char *module, size_t *total)
{
    mh_str_t m;
    assert_int_equal(mh_search_query(f->pool, mh_str_c(typed), &m), MH_OK);
    mh_search_params_t q = {m, lang, col, mh_str_c(module), 50, 0};
    mh_search_hit_t *h;
    size_t n;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, total), MH_OK);
    if (n == 0)
        return "-";
    mh_buf_t b;
    mh_buf_init(&b, 4096);
    for (size_t i = 0; i < n; i++)
        mh_buf_printf(&b, "%s%lld", i ? "," : "", (long long)h[i].entry_id);
    const char *r = mh_pstrdup(f->pool, b.base);
    mh_buf_free(&b);
    return r;
}

static const char *find(fx_t *f, const char *typed)
{
    return find_in(f, typed, 1, 0, "", NULL);
}

static void test_fts_chinese(void **state)
{
    fx_t *f = *state;
    put(f, 1, 1, 1, "news", "新闻", "<p>李刚率队赴北京、上海考察</p>");
    put(f, 2, 1, 1, "news", "合作", "<p>北京上海两地合作</p>");
    put(f, 3, 1, 1, "news", "天津", "<p>只去了北京。</p>");
    put(f, 4, 1, 1, "news", "南方", "<p>上海的天气</p>");

    assert_string_equal(find(f, "北京"), "3,2,1");
    assert_string_equal(find(f, "北京上海"), "2"); /* not 1: 北京 and 上海 apart */
    assert_string_equal(find(f, "上海北京"), "-");
    assert_string_equal(find(f, "北京 上海"), "2,1"); /* two words: AND */
    assert_string_equal(find(f, "北京、上海"), "1");  /* two runs: adjacent bigrams, as typed */
    /* one character, wherever it stands in a run */
    assert_string_equal(find(f, "京"), "3,2,1");
    assert_string_equal(find(f, "李"), "1");
    assert_string_equal(find(f, "察"), "1");
    assert_string_equal(find(f, "刚率队"), "1");
    assert_string_equal(find(f, "率刚"), "-");
    assert_string_equal(find(f, "东京"), "-");
}

static void test_fts_folding(void **state)
{
    fx_t *f = *state;
    put(f, 1, 1, 1, "news", "abc", "<p>plain ascii</p>");
    put(f, 2, 1, 1, "news", "Le Café", "<p>crème brûlée</p>");
    put(f, 3, 1, 1, "news", "ｶﾀｶﾅ", "<p>서울특별시</p>");
    put(f, 4, 1, 1, "news", "ＡＢＣ", "");

    assert_string_equal(find(f, "ＡＢＣ"), "4,1"); /* 4 is shorter */
    assert_string_equal(find(f, "abc"), "4,1");
    assert_string_equal(find(f, "ABC"), "4,1");
    assert_string_equal(find(f, "Café"), "2");
    assert_string_equal(find(f, "cafe"), "2");
    assert_string_equal(find(f, "CAFÉ"), "2");
    assert_string_equal(find(f, "creme brulee"), "2");
    assert_string_equal(find(f, "カタカナ"), "3");
    assert_string_equal(find(f, "서울"), "3");
    assert_string_equal(find(f, "특별"), "3");
    assert_string_equal(find(f, "caf"), "-"); /* no implicit prefix search */
}

static void test_fts_ranking_and_filters(void **state)
{
    fx_t *f = *state;
    put(f, 1, 1, 10, "news", "Annual budget", "<p>Nothing else here.</p>");
    put(f, 2, 1, 10, "news", "Other news",
        "<p>The budget was discussed in a long meeting about many things, budget aside.</p>");
    put(f, 3, 1, 20, "product", "Budget pump", "<p>A pump.</p>");
    put(f, 4, 2, 10, "news", "预算 budget", "<p>中文</p>");

    size_t total = 0;
    /* title weighted above body: both title hits before the body hit */
    const char *r = find_in(f, "budget", 1, 0, "", &total);
    assert_int_equal(total, 3);
    assert_true(strcmp(r, "1,3,2") == 0 || strcmp(r, "3,1,2") == 0);
    assert_string_equal(find_in(f, "budget", 2, 0, "", NULL), "4");  /* per language */
    assert_string_equal(find_in(f, "budget", 1, 20, "", NULL), "3"); /* column */
    assert_string_equal(find_in(f, "budget", 1, 0, "news", NULL), "1,2");
    assert_string_equal(find_in(f, "budget", 1, 0, "product", &total), "3");
    assert_int_equal(total, 1);

    /* pagination */
    mh_str_t m;
    assert_int_equal(mh_search_query(f->pool, mh_str_c("budget"), &m), MH_OK);
    mh_search_params_t q = {m, 1, 0, MH_STR_NULL, 2, 2};
    mh_search_hit_t *h;
    size_t n;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].entry_id, 2);
    assert_int_equal(total, 3);

    /* remove and replace */
    assert_int_equal(mh_search_remove(f->db, 1), MH_OK);
    assert_string_equal(find(f, "annual"), "-");
    put(f, 3, 1, 20, "product", "Pump", "<p>A pump.</p>");
    assert_string_equal(find(f, "budget"), "2");
    assert_string_equal(find(f, "pump"), "3");
    assert_int_equal(mh_search_clear(f->db), MH_OK);
    assert_string_equal(find(f, "pump"), "-");
    assert_int_equal(mh_search_optimize(f->db), MH_OK);
}

static void test_fts_snippets_escaped(void **state)
{
    fx_t *f = *state;
    put(f, 1, 1, 1, "news", "<b>北京</b> & \"more\"",
        "<p>Text about &lt;script&gt;alert(1)&lt;/script&gt; near 北京 and "
        "<script>alert(2)</script>an \xee\x80\x80injected marker.</p>");
    mh_str_t m;
    assert_int_equal(mh_search_query(f->pool, mh_str_c("北京"), &m), MH_OK);
    mh_search_params_t q = {m, 1, 0, MH_STR_NULL, 10, 0};
    mh_search_hit_t *h;
    size_t n;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, NULL), MH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].title.base,
                        "&lt;b&gt;<mark>北京</mark>&lt;/b&gt; &amp; &quot;more&quot;");
    assert_non_null(strstr(h[0].snippet.base, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(h[0].snippet.base, "near <mark>北京</mark> and"));
    assert_null(strstr(h[0].snippet.base, "alert(2)")); /* script content not indexed */
    assert_null(strstr(h[0].snippet.base, "<script"));
    /* exactly one <mark> and one </mark>: the injected marker was removed */
    const char *p = strstr(h[0].snippet.base, "<mark>");
    assert_non_null(p);
    assert_null(strstr(p + 1, "<mark>"));

    /* a one-character query highlights the bigram it is part of */
    assert_int_equal(mh_search_query(f->pool, mh_str_c("京"), &m), MH_OK);
    q.match = m;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, NULL), MH_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(h[0].title.base, "&lt;b&gt;<mark>北京</mark>&lt;/b&gt;"));

    /* a phrase spanning bigrams is marked from its first to its last character */
    put(f, 2, 1, 1, "news", "x", "<p>率队赴北京上海考察</p>");
    assert_int_equal(mh_search_query(f->pool, mh_str_c("北京上海"), &m), MH_OK);
    q.match = m;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, NULL), MH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].snippet.base, "率队赴<mark>北京上海</mark>考察");
}

/* A common word: the newest MH_SEARCH_COUNT_MAX matches are counted and
 * ranked, older ones are beyond the window. */
static void test_fts_window(void **state)
{
    fx_t *f = *state;
    char title[64];
    assert_int_equal(sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 1; i <= MH_SEARCH_COUNT_MAX + 100; i++) {
        int hit = i == 5 || i == MH_SEARCH_COUNT_MAX + 50;
        snprintf(title, sizeof(title), "%s %d", hit ? "common" : "entry", i);
        put(f, i, 1, 1, "news", title, "<p>a common word</p>");
        mh_pool_reset(f->pool);
    }
    assert_int_equal(sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    mh_str_t m;
    assert_int_equal(mh_search_query(f->pool, mh_str_c("common"), &m), MH_OK);
    mh_search_params_t q = {m, 1, 0, MH_STR_NULL, 10, 0};
    mh_search_hit_t *h;
    size_t n, total;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, &total), MH_OK);
    assert_int_equal(total, MH_SEARCH_COUNT_MAX);
    assert_int_equal(n, 10);
    assert_int_equal(h[0].entry_id, MH_SEARCH_COUNT_MAX + 50); /* title match first */
    for (size_t i = 0; i < n; i++)
        assert_true(h[i].entry_id > 100); /* the window is the newest 1000 */
    /* the last page of the window, and past it */
    q.offset = MH_SEARCH_COUNT_MAX - 5;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, &total), MH_OK);
    assert_int_equal(n, 5);
    q.offset = MH_SEARCH_COUNT_MAX;
    assert_int_equal(mh_search_run(f->db, f->pool, &q, &h, &n, &total), MH_OK);
    assert_int_equal(n, 0);
    /* a rarer word is ranked over all its matches */
    assert_string_equal(find(f, "5"), "5");
}

static void test_mark_html(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    mh_str_t o;
    mh_search_mark_html(p,
                        mh_str_c("a<\xee\x80\x80"
                                 "b&\xee\x80\x81'\""),
                        &o);
    assert_string_equal(o.base, "a&lt;<mark>b&amp;</mark>&#39;&quot;");
    mh_search_mark_html(p, mh_str_c("\xee\x80\x81x\xee\x80\x80y\xee\x80\x80z"), &o);
    assert_string_equal(o.base, "x<mark>yz</mark>");
    mh_search_mark_html(p, mh_str_c("\xee\x80"), &o); /* truncated marker: plain bytes */
    assert_int_equal(o.len, 2);
    mh_pool_destroy(p);
}

/* ---- query builder --------------------------------------------------------- */

static void expect_query(mh_pool_t *p, const char *in, size_t len, int rc, const char *want)
{
    mh_str_t out;
    int got = mh_search_query(p, mh_str(in, len), &out);
    if (got != rc || (want && strcmp(out.base, want) != 0))
        print_error("query of \"%.*s\": rc %d, \"%s\"\n", (int)len, in, got, out.base);
    assert_int_equal(got, rc);
    if (want)
        assert_string_equal(out.base, want);
}

#define Q(p, s, rc, want) expect_query(p, s, sizeof(s) - 1, rc, want)

static void test_query_builder(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    Q(p, "budget", MH_OK, "\"budget\"");
    Q(p, "  annual   budget ", MH_OK, "\"annual\" AND \"budget\"");
    Q(p, "say \"hi\"", MH_OK, "\"say\" AND \"\"\"hi\"\"\"");
    Q(p, "title:x OR y*", MH_OK, "\"title:x\" AND \"OR\" AND \"y*\"");
    Q(p, "NEAR(a b, 2)", MH_OK, "\"NEAR(a\" AND \"b,\" AND \"2)\"");
    Q(p, "-a +b ^c", MH_OK, "\"-a\" AND \"+b\" AND \"^c\"");
    Q(p, "北京\xe3\x80\x80上海", MH_OK, "\"北京\" AND \"上海\""); /* ideographic space */
    Q(p, "a\0b", MH_OK, "\"a\" AND \"b\"");
    Q(p,
      "a\xff\xfe"
      "b",
      MH_OK, "\"a\" AND \"b\"");
    Q(p, "- * \" ( ) 。", MH_DECLINED, NULL); /* nothing to search for */
    Q(p, "", MH_DECLINED, NULL);
    Q(p, "   \t\n", MH_DECLINED, NULL);
    Q(p, "\xcc\x81", MH_DECLINED, NULL);

    /* 200 characters are fine, 201 are too many (characters, not bytes) */
    char big[1024];
    memset(big, 'a', 201);
    expect_query(p, big, 200, MH_OK, NULL);
    expect_query(p, big, 201, MH_TOOBIG, NULL);
    big[0] = '\0';
    for (int i = 0; i < 200; i++)
        memcpy(big + 3 * i, "京", 3);
    expect_query(p, big, 600, MH_OK, NULL);
    memcpy(big + 600, "京", 3);
    expect_query(p, big, 603, MH_TOOBIG, NULL);
    mh_pool_destroy(p);
}

/* Every hostile query runs without an SQLite error. */
static void test_query_safe_in_fts(void **state)
{
    fx_t *f = *state;
    put(f, 1, 1, 1, "news", "a \"quoted\" title: x", "<p>NEAR AND OR NOT * ^ - + ( )</p>");
    static const char *const inputs[] = {
        "\"",
        "\"\"",
        "a\"b",
        "*",
        "a*",
        "^a",
        "-a",
        "+a",
        "NEAR(a b)",
        "NEAR/2",
        "a NOT b",
        "OR",
        "AND",
        "NOT",
        "(a",
        "a)",
        "title:a",
        "{title}: a",
        "- title:x",
        "\"quoted\"",
        "quoted\" OR \"",
        "rowid:1",
        "search:a",
        "a:b:c",
        "NEAR",
        "北京\" OR \"1",
        "'; DROP--",
        "\\",
        "%_",
        "::",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        mh_str_t m;
        int rc = mh_search_query(f->pool, mh_str_c(inputs[i]), &m);
        assert_true(rc == MH_OK || rc == MH_DECLINED);
        if (rc != MH_OK)
            continue;
        mh_search_params_t q = {m, 1, 0, MH_STR_NULL, 10, 0};
        mh_search_hit_t *h;
        size_t n, total;
        if (mh_search_run(f->db, f->pool, &q, &h, &n, &total) != MH_OK)
            fail_msg("query error for \"%s\" (%s): %s", inputs[i], m.base, sqlite3_errmsg(f->db));
    }
    /* operators are plain text: "NEAR" and "title:" find the words */
    assert_string_equal(find(f, "NEAR"), "1");
    assert_string_equal(find(f, "title:"), "1");
    assert_string_equal(find(f, "\"quoted\""), "1");
    assert_string_equal(find(f, "title:x"), "1"); /* a phrase "title x" */
}

/* ---- HTML to text ---------------------------------------------------------- */

static void expect_text(mh_pool_t *p, const char *html, size_t max, int rc, const char *want)
{
    mh_str_t out;
    int got = mh_search_text_from_html(p, html, strlen(html), max, &out);
    if (strcmp(out.base, want) != 0)
        print_error("text of \"%s\": \"%s\"\n", html, out.base);
    assert_string_equal(out.base, want);
    assert_int_equal(out.len, strlen(want));
    assert_int_equal(got, rc);
}

static void test_html_text(void **state)
{
    (void)state;
    mh_pool_t *p = mh_pool_create();
    expect_text(p, "<p>one</p><p>two</p>", 100, MH_OK, "one two");
    expect_text(p, "<b>Bei</b>jing<br>next", 100, MH_OK, "Beijing next");
    expect_text(p, "a &amp; b &lt;c&gt; &#x4E2D;&#25991; &nbsp;x", 100, MH_OK, "a & b <c> 中文 x");
    expect_text(p, "<script>alert(1)</script><style>p{}</style>ok<template>t</template>", 100,
                MH_OK, "ok");
    expect_text(p, "<ul><li>x</li><li>y</li></ul><table><tr><td>1</td><td>2</td></tr></table>", 100,
                MH_OK, "x y 1 2");
    expect_text(p, "<img alt=\"A map\">of<img src=x>it", 100, MH_OK, "A map of it");
    expect_text(p, "  \n\t spaced \n\n  out  ", 100, MH_OK, "spaced out");
    expect_text(p, "ctl\x01\x7f x\xee\x80\x80y\xee\x80\x81z", 100, MH_OK, "ctl xyz");
    expect_text(p, "<p>北京上海</p>", 7, MH_TOOBIG, "北京"); /* cut on a character */
    expect_text(p, "<p>abc def</p>", 5, MH_TOOBIG, "abc");
    expect_text(p, "", 10, MH_OK, "");
    expect_text(p, "<svg><text>no</text></svg><math>no</math>yes", 100, MH_OK, "yes");
    /* deep nesting does not exhaust the stack */
    mh_buf_t b;
    mh_buf_init(&b, 1 << 22);
    for (int i = 0; i < 20000; i++)
        mh_buf_append_c(&b, "<div>");
    mh_buf_append_c(&b, "deep");
    mh_str_t out;
    assert_int_equal(mh_search_text_from_html(p, b.base, b.len, 100, &out), MH_OK);
    assert_string_equal(out.base, "deep");
    mh_buf_free(&b);
    mh_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_cjk),
        cmocka_unit_test(test_tokens_words),
        cmocka_unit_test_setup_teardown(test_fts_chinese, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fts_folding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fts_ranking_and_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fts_snippets_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fts_window, setup, teardown),
        cmocka_unit_test(test_mark_html),
        cmocka_unit_test(test_query_builder),
        cmocka_unit_test_setup_teardown(test_query_safe_in_fts, setup, teardown),
        cmocka_unit_test(test_html_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
