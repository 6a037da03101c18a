/* Full-text search core: an FTS5 tokenizer that finds Chinese, Japanese and
 * Korean without a dictionary, a query builder that keeps user input out of
 * FTS5's query syntax, HTML-to-text for indexing bodies, and the index
 * schema with ranking and safe snippets. Self-contained: it needs only an
 * open sqlite3 connection (see docs/internals/search.md for the wiring).
 *
 * Tokenizer "masthead" (registered per connection by mh_search_register):
 *   - Text is read as UTF-8; invalid bytes separate tokens.
 *   - CJK runs (Han, Hiragana, Katakana, Hangul, their half-width and
 *     compatibility forms; CJK punctuation is a separator) are indexed as
 *     overlapping bigrams, one position each, with each character alone (a
 *     unigram) colocated at the position of the bigram it starts, and the
 *     last character at the last bigram's ("北京上海" -> 北京+北 | 京上+京 |
 *     上海+上+海); a run of one character is that character. A query string
 *     is tokenised as the bigrams only ("北京上海" -> 北京 京上 上海), which
 *     FTS5 matches as a phrase: the characters must be adjacent. A
 *     one-character query is the unigram and finds the character anywhere
 *     (no prefix query needed).
 *   - Other letters, digits and private-use characters form words, folded
 *     as NFKC + case fold + marks removed (utf8proc): "Café" = "cafe",
 *     "ＡＢＣ" = "abc". Everything else separates. No stemming.
 *   - Offsets are byte offsets in the original text, so snippet() and
 *     highlight() cut at character boundaries. */
#ifndef MH_SEARCH_SEARCH_H
#define MH_SEARCH_SEARCH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../core/str.h"

/* The tokenizer's name as FTS5 knows it: tokenize='masthead'. */
#define MH_SEARCH_TOKENIZER "masthead"

/* Longest query accepted, in characters (invalid bytes count one each). */
#define MH_SEARCH_QUERY_MAX 200

/* Register the tokenizer on this connection. Call once per new connection
 * before any statement touches the search table. MH_OK, or MH_ERR when the
 * SQLite library has no FTS5. */
int mh_search_register(sqlite3 *db);

/* ---- query builder --------------------------------------------------- */

/* Turn what a visitor typed into a safe FTS5 MATCH expression: the input is
 * split on white space (ASCII and Unicode, including the ideographic
 * space), every piece becomes one double-quoted FTS5 string (a phrase of
 * its tokens; '"' doubled), and the pieces are ANDed. FTS5's operators and
 * syntax (quotes, *, ^, +, -, :, parentheses, NEAR, AND, OR, NOT, column
 * filters) are therefore plain text. Invalid UTF-8 and control characters
 * (NUL included) act as white space; pieces with nothing to search for
 * (only punctuation) are dropped. *out is NUL-terminated, in the pool.
 * Returns MH_OK, MH_DECLINED when nothing is left to search for (empty
 * input), or MH_TOOBIG when the input is longer than MH_SEARCH_QUERY_MAX
 * characters; the page says so in both cases. Never MH_ERR. */
int mh_search_query(mh_pool_t *pool, mh_str_t user_text, mh_str_t *out);

/* ---- HTML to text ---------------------------------------------------- */

/* Plain text of an HTML fragment for indexing: tags removed (gumbo),
 * character references decoded, script/style/template and the like dropped
 * with their content, img alt text kept, block boundaries and <br> become a
 * space, runs of white space collapse to one, control characters and the
 * snippet marker characters (U+E000, U+E001) removed. At most max_bytes
 * bytes (cut at a space within 64 bytes, else at a character boundary); *out is NUL-terminated, in
 * the pool. MH_OK, or MH_TOOBIG when the text was cut (the cut text is in *out). */
int mh_search_text_from_html(mh_pool_t *pool, const char *html, size_t len, size_t max_bytes,
                             mh_str_t *out);

/* ---- index schema and helpers ----------------------------------------- */

/* The schema, as one SQL script (also in docs/internals/search.md):
 *
 *   CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
 *       lang_id UNINDEXED, column_id UNINDEXED, module UNINDEXED,
 *       title, summary, body, fields,
 *       tokenize = 'masthead');
 *   INSERT INTO search(search, rank) VALUES ('rank', 'bm25(0.0, 0.0, 0.0, 10.0, 4.0, 1.0, 2.0)');
 *
 * rowid is the entry id. The filter columns come first so that reading
 * them for a matching row does not walk the body's overflow pages; the
 * rank weights title 10, summary 4, body 1, custom fields 2. The table keeps its own copy of the
 * text (the body as stripped text) so that snippet() can work; filters on lang_id, column_id and
 * module are checked on the matching rows. Only published, visible entries are in it: the
 * integrator removes an entry when it stops being public. The connection must have the tokenizer
 * registered. */
extern const char mh_search_schema_sql[];

/* Run mh_search_schema_sql. MH_OK or MH_ERR (err, if not NULL, gets
 * SQLite's message in the pool). */
int mh_search_create(sqlite3 *db, mh_pool_t *pool, const char **err);

/* One entry's searchable text. body_html is stripped with
 * mh_search_text_from_html (at most MH_SEARCH_BODY_MAX bytes kept). */
typedef struct {
    int64_t entry_id;
    int64_t lang_id;
    int64_t column_id;
    mh_str_t module; /* "news", "product"... */
    mh_str_t title;
    mh_str_t summary;
    mh_str_t body_html;
    mh_str_t fields; /* custom field values, joined with spaces */
} mh_search_doc_t;

#define MH_SEARCH_BODY_MAX (256 * 1024)

/* Insert or replace an entry's row. Run it in the transaction that writes
 * the entry. MH_OK or MH_ERR. */
int mh_search_put(sqlite3 *db, mh_pool_t *pool, const mh_search_doc_t *doc);
/* Remove an entry's row (unpublish, trash, delete). MH_OK or MH_ERR. */
int mh_search_remove(sqlite3 *db, int64_t entry_id);
/* Empty the table (before a rebuild): drops and creates it again, in the
 * caller's transaction if there is one. MH_OK or MH_ERR. */
int mh_search_clear(sqlite3 *db);

/* Merge the index's segments (after a rebuild). MH_OK or MH_ERR. */
int mh_search_optimize(sqlite3 *db);

/* A search: match is the output of mh_search_query; lang_id is required;
 * column_id 0 and an empty module mean "any". */
typedef struct {
    mh_str_t match;
    int64_t lang_id;
    int64_t column_id;
    mh_str_t module;
    unsigned limit;  /* rows per page, 1..100 */
    unsigned offset; /* (page - 1) * limit */
} mh_search_params_t;

typedef struct {
    int64_t entry_id;
    int64_t column_id;
    double rank;      /* bm25 with the title weighted; lower is better */
    mh_str_t title;   /* safe HTML: escaped, matches in <mark> */
    mh_str_t snippet; /* safe HTML: escaped, matches in <mark>, "…" */
    mh_str_t module;  /* plain text */
} mh_search_hit_t;

/* The window of a search: the newest matches up to this many are counted
 * and ranked (bm25 costs per row; a common word on a large site matches
 * tens of thousands). A total of MH_SEARCH_COUNT_MAX means "at least". */
#define MH_SEARCH_COUNT_MAX 500

/* Best-ranked hits of one page among the MH_SEARCH_COUNT_MAX newest
 * matches (highest rowid), in the pool; *total gets the number of matches,
 * at most MH_SEARCH_COUNT_MAX (for pagination), unless total is NULL.
 * MH_OK or MH_ERR. */
int mh_search_run(sqlite3 *db, mh_pool_t *pool, const mh_search_params_t *q, mh_search_hit_t **hits,
                  size_t *n, size_t *total);

/* Snippet and highlight markers: FTS5 wraps matches in these private-use
 * characters, and mh_search_mark_html turns the text into safe HTML. */
#define MH_SEARCH_MARK_OPEN "\xee\x80\x80"  /* U+E000 */
#define MH_SEARCH_MARK_CLOSE "\xee\x80\x81" /* U+E001 */

/* Escape text (& < > " ') and turn the markers into <mark> and </mark>,
 * balanced: a stray close is dropped, an open mark is closed at the end.
 * *out is NUL-terminated, in the pool. */
void mh_search_mark_html(mh_pool_t *pool, mh_str_t text, mh_str_t *out);

#endif
