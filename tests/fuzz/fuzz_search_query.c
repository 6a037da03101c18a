/* libFuzzer target for the search query builder and tokenizer: whatever the
 * bytes, mh_search_query returns MH_OK, MH_DECLINED or MH_TOOBIG, and an
 * MH_OK expression runs against a small FTS5 table without an SQLite error.
 * The same bytes are also indexed (as HTML body and as title), so the
 * tokenizer and HTML to text see them as documents: the document's own
 * text as a query must find it, and the highlighted output must be escaped
 * HTML whose only tags are balanced <mark>s. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "search/search.h"

static sqlite3 *db;

static const char *const docs[][2] = {
    {"李刚率队赴北京、上海考察", "<p>2023-07-24 16:41:44 北京上海 Café ＡＢＣ</p>"},
    {"Annual budget report", "<p>NEAR AND OR NOT \"quoted\" title: x * ^ - +</p>"},
    {"ｶﾀｶﾅ 서울특별시", "<ul><li>crème brûlée</li><li>&lt;script&gt;</li></ul>"},
};

static void die(const char *why, const char *detail)
{
    fprintf(stderr, "search fuzz: %s: %s\n", why, detail ? detail : "");
    abort();
}

static void init(void)
{
    mh_pool_t *p = mh_pool_create();
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || mh_search_register(db) != MH_OK ||
        mh_search_create(db, p, NULL) != MH_OK)
        die("setup", sqlite3_errmsg(db));
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        mh_search_doc_t d = {.entry_id = (int64_t)i + 1,
                             .lang_id = 1,
                             .column_id = 1,
                             .module = MH_STR_LIT("news"),
                             .title = mh_str_c(docs[i][0]),
                             .body_html = mh_str_c(docs[i][1])};
        if (mh_search_put(db, p, &d) != MH_OK)
            die("put", sqlite3_errmsg(db));
    }
    mh_pool_destroy(p);
}

/* Only <mark> and </mark> may appear as tags, balanced. */
static void check_html(mh_str_t s)
{
    int open = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.base[i] == '>' || s.base[i] == '"' || s.base[i] == '\'')
            die("unescaped", s.base);
        if (s.base[i] != '<')
            continue;
        if (s.len - i >= 6 && memcmp(s.base + i, "<mark>", 6) == 0 && !open) {
            open = 1;
            i += 5;
        } else if (s.len - i >= 7 && memcmp(s.base + i, "</mark>", 7) == 0 && open) {
            open = 0;
            i += 6;
        } else {
            die("stray tag", s.base);
        }
    }
    if (open)
        die("unbalanced mark", s.base);
}

/* Runs a query; returns the number of hits. */
static size_t run(mh_pool_t *p, mh_str_t match, int64_t lang)
{
    mh_search_params_t q = {match, lang, 0, MH_STR_NULL, 10, 0};
    mh_search_hit_t *h;
    size_t n, total;
    if (mh_search_run(db, p, &q, &h, &n, &total) != MH_OK)
        die("query error", sqlite3_errmsg(db));
    for (size_t i = 0; i < n; i++) {
        check_html(h[i].title);
        check_html(h[i].snippet);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        init();
    mh_pool_t *p = mh_pool_create();
    mh_str_t in = mh_str((const char *)data, size), m;

    int rc = mh_search_query(p, in, &m);
    if (rc == MH_OK) {
        if (strlen(m.base) != m.len)
            die("NUL in expression", m.base);
        run(p, m, 1);
    } else if (rc != MH_DECLINED && rc != MH_TOOBIG) {
        die("unexpected code", NULL);
    }

    /* the bytes as a document (language 2, so the fixed rows stay put) */
    mh_search_doc_t d = {.entry_id = 100,
                         .lang_id = 2,
                         .column_id = 1,
                         .module = MH_STR_LIT("news"),
                         .title = in,
                         .body_html = in};
    if (mh_search_put(db, p, &d) != MH_OK)
        die("put", sqlite3_errmsg(db));
    /* its text as a query (when short enough not to be cut) must find it */
    mh_str_t text;
    int cut = mh_search_text_from_html(p, in.base, in.len, 64, &text);
    if (mh_search_query(p, text, &m) == MH_OK && run(p, m, 2) == 0 && cut == MH_OK)
        die("document not found by its own text", m.base);
    mh_pool_destroy(p);
    return 0;
}
