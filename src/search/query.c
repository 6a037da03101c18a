/* The query builder (contract in search.h).
 *
 * Why every piece is a quoted string: inside an FTS5 string the only
 * special character is '"' (written twice), so whatever the visitor typed
 * can never be read as an operator, a column filter, a prefix or a NEAR
 * group. The string is then tokenised by our tokenizer, so a piece such as
 * "北京上海" or "foo-bar" becomes a phrase. Pieces in which the tokenizer finds no
 * token at all are dropped here, because an empty phrase ANDed with others would make
 * the whole query match nothing. */
#include <string.h>

#include <utf8proc.h>

#include "../core/buf.h"
#include "search.h"
#include "search_int.h"

/* Length in bytes of the character at s (1 for an invalid byte) and its code
 * point (-1 when invalid). */
static size_t char_at(const unsigned char *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

static bool is_space(int32_t c)
{
    if (c < 0 || c <= 0x20 || c == 0x7f)
        return true;
    if (c < 0x80)
        return false;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF: /* zero-width and bidi controls */
        return true;
    default:
        return false;
    }
}

static int count_token(void *ctx, int flags, const char *t, int n, int start, int end)
{
    (void)flags;
    (void)t;
    (void)n;
    (void)start;
    (void)end;
    (*(int *)ctx)++;
    return SQLITE_OK;
}

int mh_search_query(mh_pool_t *pool, mh_str_t user_text, mh_str_t *out)
{
    const unsigned char *s = (const unsigned char *)(user_text.base ? user_text.base : "");
    size_t n = user_text.base ? user_text.len : 0;
    int32_t cp;
    size_t chars = 0;

    *out = MH_STR_LIT("");
    for (size_t i = 0; i < n; chars++) {
        if (chars >= MH_SEARCH_QUERY_MAX)
            return MH_TOOBIG;
        i += char_at(s + i, n - i, &cp);
    }

    /* at most 2 bytes out per byte in, plus quotes and " AND " per piece */
    char *buf = mh_palloc(pool, 2 * n + 8 * (chars + 1) + 1);
    size_t len = 0;
    size_t i = 0;
    while (i < n) {
        size_t k = char_at(s + i, n - i, &cp);
        if (is_space(cp)) {
            i += k;
            continue;
        }
        size_t start = i;
        while (i < n) {
            k = char_at(s + i, n - i, &cp);
            if (is_space(cp))
                break;
            i += k;
        }
        int tokens = 0;
        mh_search_tokenize(&tokens, FTS5_TOKENIZE_QUERY, (const char *)s + start, (int)(i - start),
                           count_token);
        if (tokens == 0)
            continue;
        if (len) {
            memcpy(buf + len, " AND ", 5);
            len += 5;
        }
        buf[len++] = '"';
        for (size_t j = start; j < i; j++) {
            buf[len++] = (char)s[j];
            if (s[j] == '"')
                buf[len++] = '"';
        }
        buf[len++] = '"';
    }
    buf[len] = '\0';
    if (len == 0)
        return MH_DECLINED;
    *out = mh_str(buf, len);
    return MH_OK;
}
