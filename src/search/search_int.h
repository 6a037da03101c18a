/* Internals of src/search shared between its files and its tests. */
#ifndef MH_SEARCH_SEARCH_INT_H
#define MH_SEARCH_SEARCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"

enum { MH_SEARCH_SEP = 0, MH_SEARCH_WORD = 1, MH_SEARCH_CJK = 2 };

/* True for the Han, kana, Hangul (and their half-width and compatibility
 * forms) code point ranges; the caller also checks the category. */
bool mh_search_is_cjk(int32_t c);
/* MH_SEARCH_SEP, MH_SEARCH_WORD or MH_SEARCH_CJK for one code point. */
int mh_search_class(int32_t c);
/* The tokenizer itself, as FTS5's xTokenize (flags: FTS5_TOKENIZE_*). */
int mh_search_tokenize(void *ctx, int flags, const char *text, int n,
                       int (*emit)(void *, int, const char *, int, int, int));

/* Plain text cleaned the way mh_search_text_from_html cleans text nodes
 * (white space collapsed, controls, invalid UTF-8 and the snippet markers
 * removed, and U+FFFD), at most max_bytes. MH_OK or MH_TOOBIG (cut). */
int mh_search_text_clean(mh_pool_t *pool, const char *s, size_t n, size_t max_bytes, mh_str_t *out);

#endif
