/* The "masthead" FTS5 tokenizer (rules in search.h).
 *
 * Why bigrams as the positions and unigrams colocated: a two-character
 * query (the commonest Chinese word length) is then one term lookup, not
 * a phrase; a longer run "ABCD" is the phrase AB BC CD over adjacent
 * positions; and a one-character query matches a plain term (the colocated
 * unigram) instead of a prefix scan over every bigram that starts or ends
 * with the character. FTS5's snippet() and highlight() mark from the
 * first to the last matched position using the primary tokens' offsets
 * (colocated tokens are skipped), so phrases are marked exactly; a
 * one-character match is marked with the bigram around it ("北京" for 京).
 * Two runs in one query string ("北京、上海") are bigram phrases on adjacent
 * positions, as in a document.
 *
 * Why per-character normalisation instead of one utf8proc_map call over
 * the text: token offsets must be byte offsets in the original text, so
 * each character (with its combining marks) is mapped on its own and only
 * the token's code points are recomposed (NFC) before they are handed to
 * FTS5. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "search.h"
#include "search_int.h"

#define UNIT_MAX 24  /* code points of one mapped character (with marks) */
#define WORD_MAX 128 /* code points kept of one word; the rest is dropped */

typedef struct {
    int32_t cp[UNIT_MAX];
    int n;
    int start, end; /* byte offsets in the text */
    int cls;
} unit_t;

bool mh_search_is_cjk(int32_t c)
{
    if (c < 0x1100)
        return false;
    return (c <= 0x11ff) || (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
           (c >= 0x3031 && c <= 0x3035) || (c >= 0x3038 && c <= 0x303c) ||
           (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3100 && c <= 0x318f) ||
           (c >= 0x31a0 && c <= 0x31bf) || (c >= 0x31f0 && c <= 0x31ff) ||
           (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff66 && c <= 0xffdc) ||
           (c >= 0x1b000 && c <= 0x1b16f) || (c >= 0x20000 && c <= 0x3134f);
}

static bool is_mark(int32_t c)
{
    if (c < 0x300)
        return false;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}

int mh_search_class(int32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return MH_SEARCH_WORD;
        return MH_SEARCH_SEP;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return mh_search_is_cjk(c) ? MH_SEARCH_CJK : MH_SEARCH_WORD;
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return MH_SEARCH_WORD;
    default:
        return MH_SEARCH_SEP;
    }
}

/* Decode one code point at text[*pos]; -1 for an invalid byte (consumed). */
static int32_t decode(const unsigned char *t, int n, int *pos)
{
    if (t[*pos] < 0x80)
        return t[(*pos)++];
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(t + *pos, n - *pos, &c);
    if (k <= 0) {
        (*pos)++;
        return -1;
    }
    *pos += (int)k;
    return c;
}

static void map_into(unit_t *u, int32_t c)
{
    if (c < 0x80) {
        if (u->n < UNIT_MAX)
            u->cp[u->n++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        return;
    }
    utf8proc_option_t o = UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE;
    if (u->cls == MH_SEARCH_WORD)
        o |= UTF8PROC_STRIPMARK;
    int bound = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(c, u->cp + u->n, UNIT_MAX - u->n, o, &bound);
    if (k > 0 && k <= UNIT_MAX - u->n)
        u->n += (int)k;
}

/* Read the next unit: one character and the combining marks after it. */
static void next_unit(const unsigned char *t, int n, int *pos, unit_t *u)
{
    u->n = 0;
    u->start = *pos;
    int32_t c = decode(t, n, pos);
    u->cls = c < 0 ? MH_SEARCH_SEP : mh_search_class(c);
    if (u->cls != MH_SEARCH_SEP)
        map_into(u, c);
    if (u->cls != MH_SEARCH_SEP) {
        while (*pos < n) {
            int p = *pos;
            int32_t m = decode(t, n, &p);
            /* half-width (semi-)voiced sound marks are letters, not marks */
            if (m < 0 || !(is_mark(m) || (u->cls == MH_SEARCH_CJK && (m == 0xff9e || m == 0xff9f))))
                break;
            map_into(u, m);
            *pos = p;
        }
    }
    u->end = *pos;
}

/* Recompose n code points (n <= WORD_MAX + UNIT_MAX) and encode them as
 * UTF-8; returns the byte count. The input is left as it was. */
static int encode(const int32_t *in, int n, char *out)
{
    int32_t cp[WORD_MAX + UNIT_MAX];
    memcpy(cp, in, (size_t)n * sizeof(int32_t));
    bool compose = false; /* only marks and Hangul jamo ever compose */
    for (int i = 1; i < n && !compose; i++)
        compose = cp[i] >= 0x300 && (is_mark(cp[i]) || (cp[i] >= 0x1160 && cp[i] <= 0x11ff) ||
                                     (cp[i] >= 0xd7b0 && cp[i] <= 0xd7ff));
    if (compose)
        n = (int)utf8proc_normalize_utf32(cp, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    int len = 0;
    for (int i = 0; i < n; i++)
        len += (int)utf8proc_encode_char(cp[i], (utf8proc_uint8_t *)out + len);
    return len;
}

typedef int (*emit_fn)(void *, int, const char *, int, int, int);

int mh_search_tokenize(void *ctx, int flags, const char *text, int n, emit_fn emit)
{
    const unsigned char *t = (const unsigned char *)text;
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int32_t word[WORD_MAX + UNIT_MAX];
    char out[(WORD_MAX + UNIT_MAX) * 4 + 4];
    int wn = 0, wstart = 0, wend = 0;
    bool in_word = false;
    unit_t a, b, *prev = &a, *cur = &b;
    int run = 0; /* characters in the current CJK run */
    int pos = 0, rc = SQLITE_OK;

    while (rc == SQLITE_OK) {
        bool more = pos < n;
        if (more)
            next_unit(t, n, &pos, cur);
        int cls = more ? cur->cls : MH_SEARCH_SEP;

        if (in_word && cls != MH_SEARCH_WORD) {
            in_word = false;
            if (wn > 0) {
                int len = encode(word, wn, out);
                if (len > 0)
                    rc = emit(ctx, 0, out, len, wstart, wend);
            }
        }
        if (run > 0 && cls != MH_SEARCH_CJK) {
            /* the run's last character alone: a token of its own in a
             * one-character run, else (documents only) colocated with the
             * last bigram */
            int len = encode(prev->cp, prev->n, out);
            if (len > 0 && rc == SQLITE_OK && (run == 1 || !query))
                rc = emit(ctx, run == 1 ? 0 : FTS5_TOKEN_COLOCATED, out, len, prev->start,
                          prev->end);
            run = 0;
        }
        if (!more || rc != SQLITE_OK)
            break;

        if (cls == MH_SEARCH_WORD) {
            if (!in_word) {
                in_word = true;
                wn = 0;
                wstart = cur->start;
            }
            int room = WORD_MAX - wn;
            int k = cur->n < room ? cur->n : room;
            if (k > 0) {
                memcpy(word + wn, cur->cp, (size_t)k * sizeof(int32_t));
                wn += k;
            }
            wend = cur->end;
        } else if (cls == MH_SEARCH_CJK) {
            if (run > 0) {
                /* the bigram, then (documents only) its first character */
                int32_t pair[2 * UNIT_MAX];
                memcpy(pair, prev->cp, (size_t)prev->n * sizeof(int32_t));
                memcpy(pair + prev->n, cur->cp, (size_t)cur->n * sizeof(int32_t));
                int len = encode(pair, prev->n + cur->n, out);
                rc = emit(ctx, 0, out, len, prev->start, cur->end);
                if (!query && rc == SQLITE_OK) {
                    len = encode(prev->cp, prev->n, out);
                    rc = emit(ctx, FTS5_TOKEN_COLOCATED, out, len, prev->start, prev->end);
                }
            }
            unit_t *tmp = prev;
            prev = cur;
            cur = tmp;
            run++;
        }
    }
    return rc;
}

/* ---- FTS5 glue -------------------------------------------------------- */

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)argv;
    if (argc != 0)
        return SQLITE_ERROR; /* no options */
    static int instance;
    *out = (Fts5Tokenizer *)&instance;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    (void)t;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*x)(void *, int, const char *, int, int, int))
{
    (void)t;
    return mh_search_tokenize(ctx, flags, text ? text : "", text ? n : 0, x);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
done:
    sqlite3_finalize(st);
    return api;
}

int mh_search_register(sqlite3 *db)
{
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    fts5_api *api = fts5_api_of(db);
    if (!api || api->iVersion < 2)
        return MH_ERR;
    if (api->xCreateTokenizer(api, MH_SEARCH_TOKENIZER, NULL, &tok, NULL) != SQLITE_OK)
        return MH_ERR;
    return MH_OK;
}
