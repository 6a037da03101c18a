#include "sanitize.h"

#include <ctype.h>
#include <gumbo.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/common.h"

/* Output elements nested deeper than this are unwrapped: real articles never
 * come close, and it bounds what a browser has to build from our output. */
#define MAX_DEPTH 200
/* Passes before giving up on reaching a fixed point (see sanitize_fixpoint). */
#define MAX_PASSES 4
#define MAX_ATTRS 24
#define ID_PREFIX "mh-"
#define ID_MAX 64
/* The HTML tree builder has inputs whose cost grows much faster than their
 * size (deep nesting makes every scope check walk a long stack; unclosed
 * formatting elements are cloned again for every later paragraph), so the
 * parser runs under a memory and CPU budget for the whole call. */
#define PARSE_MEM_BASE ((size_t)64 * 1024 * 1024)
#define PARSE_MEM_PER_BYTE 32
#define PARSE_CPU_NS (2LL * 1000 * 1000 * 1000)

typedef enum { ACT_UNWRAP, ACT_KEEP, ACT_DROP } action_t;

typedef enum { URL_LINK, URL_RES } url_kind_t;

typedef struct {
    const char *name;
    mh_str_t val;
    bool boolean; /* printed as a bare name */
} oattr_t;

typedef struct {
    const GumboNode *node;
    unsigned next;
    const char *close; /* end tag to print when done; NULL when unwrapped */
    GumboTag ctx;      /* the nearest kept ancestor, as children will see it */
} frame_t;

/* Every block gumbo allocates is linked here so that an aborted parse can
 * still free everything. */
typedef struct block {
    struct block *prev, *next;
    size_t size;
} block_t;

/* The header in front of each block, rounded up so the caller's part keeps
 * malloc's alignment. */
#define BLOCK_HDR                                                                                  \
    ((sizeof(block_t) + _Alignof(max_align_t) - 1) / _Alignof(max_align_t) * _Alignof(max_align_t))

typedef struct {
    block_t head;
    size_t live, max;
    long long cpu_deadline;
    unsigned calls;
    jmp_buf abort;
} budget_t;

typedef struct {
    mh_pool_t *scratch;
    budget_t budget;
    mh_buf_t *out;
    const mh_sanitize_opts_t *opts;
    bool text_only;
    frame_t *stack;
    size_t sp, cap;
    unsigned depth;
} san_t;

/* gumbo 0.10 predates <picture>: it arrives as GUMBO_TAG_UNKNOWN and is
 * given this value. */
#define TAG_PICTURE GUMBO_TAG_LAST

static bool is_void(GumboTag t)
{
    return t == GUMBO_TAG_BR || t == GUMBO_TAG_HR || t == GUMBO_TAG_IMG || t == GUMBO_TAG_COL ||
           t == GUMBO_TAG_SOURCE;
}

static action_t tag_action(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_A:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_IFRAME: /* kept only for allowed hosts, see keep_element */
        return ACT_KEEP;
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_MENUITEM:
        return ACT_DROP;
    default:
        return ACT_UNWRAP;
    }
}

static const char *tag_name(GumboTag t)
{
    return t == TAG_PICTURE ? "picture" : gumbo_normalized_tagname(t);
}

static bool is_html_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool eq_nocase(const char *a, size_t alen, const char *b)
{
    return mh_str_eq_nocase(mh_str(a, alen), b);
}

/* Classifies an element; *tag receives its tag (TAG_PICTURE for <picture>). */
static action_t node_action(const GumboNode *n, GumboTag *tag)
{
    const GumboElement *e = &n->v.element;
    *tag = e->tag;
    if (e->tag_namespace != GUMBO_NAMESPACE_HTML)
        return ACT_DROP;
    if (e->tag != GUMBO_TAG_UNKNOWN)
        return tag_action(e->tag);
    GumboStringPiece p = e->original_tag;
    if (p.data == NULL || p.length == 0)
        return ACT_UNWRAP;
    gumbo_tag_from_original_text(&p);
    if (eq_nocase(p.data, p.length, "picture")) {
        *tag = TAG_PICTURE;
        return ACT_KEEP;
    }
    /* Word's empty-paragraph filler and VML drawings (whose images point at
     * the author's disk); other prefixed tags such as smart tags wrap real
     * text and are unwrapped. */
    if (eq_nocase(p.data, p.length, "o:p") || (p.length > 2 && eq_nocase(p.data, 2, "v:")))
        return ACT_DROP;
    return ACT_UNWRAP;
}

/* ---- output ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Escapes & < > " ' and replaces NUL and invalid UTF-8 with U+FFFD, so the
 * output is valid UTF-8 that re-parses to the same characters. */
static void put_escaped(mh_buf_t *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0, i = 0;
    while (i < len) {
        unsigned char c = s[i];
        const char *rep = NULL;
        size_t adv = 1;
        if (c < 0x80) {
            switch (c) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            case '\0':
                rep = "\xEF\xBF\xBD";
                break;
            default:
                break;
            }
        } else {
            adv = utf8_len(s + i, len - i);
            if (adv == 0) {
                rep = "\xEF\xBF\xBD";
                adv = 1;
            }
        }
        if (rep) {
            mh_buf_append(b, s + run, i - run);
            mh_buf_append_c(b, rep);
            run = i + adv;
        }
        i += adv;
    }
    mh_buf_append(b, s + run, len - run);
}

/* ---- attribute values ---------------------------------------------- */

typedef struct {
    oattr_t a[MAX_ATTRS];
    size_t n;
} attrs_t;

static int attrs_add(attrs_t *as, const char *name, mh_str_t v, bool boolean)
{
    if (as->n == MH_ARRAY_LEN(as->a))
        return -1;
    as->a[as->n] = (oattr_t){name, v, boolean};
    return (int)as->n++;
}

static bool id_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

static bool id_like(const char *s, size_t n)
{
    if (n == 0 || n > ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!id_char((unsigned char)s[i]))
            return false;
    return true;
}

/* Appends the prefixed form of an id-like name to o (which has room). */
static size_t put_id(char *o, const char *s, size_t n)
{
    size_t k = 0, pl = sizeof(ID_PREFIX) - 1;
    if (!(n >= pl && memcmp(s, ID_PREFIX, pl) == 0)) {
        memcpy(o, ID_PREFIX, pl);
        k = pl;
    }
    memcpy(o + k, s, n);
    return k + n;
}

static bool clean_id(mh_pool_t *p, mh_str_t v, mh_str_t *out)
{
    if (!id_like(v.base, v.len))
        return false;
    char *o = mh_palloc(p, v.len + sizeof(ID_PREFIX));
    size_t n = put_id(o, v.base, v.len);
    o[n] = '\0';
    *out = mh_str(o, n);
    return true;
}

static bool scheme_ok(const char *s, size_t n, url_kind_t kind)
{
    if (n == 0 || !isalpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return eq_nocase(s, n, "http") || eq_nocase(s, n, "https") ||
           (kind == URL_LINK && eq_nocase(s, n, "mailto"));
}

/* Normalises a URL the way a browser reads it (trim C0 controls and spaces,
 * drop tabs and newlines) and applies the scheme policy. */
static bool clean_url(mh_pool_t *p, const char *s, size_t len, url_kind_t kind, bool frag_rewrite,
                      mh_str_t *out)
{
    size_t b = 0, e = len;
    while (b < e && (unsigned char)s[b] <= 0x20)
        b++;
    while (e > b && (unsigned char)s[e - 1] <= 0x20)
        e--;
    if (b == e)
        return false;
    char *o = mh_palloc(p, e - b + sizeof(ID_PREFIX) + 1);
    size_t n = 0;
    for (size_t i = b; i < e; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c < 0x20 || c == 0x7f)
            return false;
        o[n++] = (char)c;
    }
    if (n == 0)
        return false;
    size_t i = 0;
    while (i < n && o[i] != ':' && o[i] != '/' && o[i] != '?' && o[i] != '#')
        i++;
    if (i < n && o[i] == ':' && !scheme_ok(o, i, kind))
        return false;
    if (frag_rewrite && o[0] == '#' && id_like(o + 1, n - 1)) {
        char *r = mh_palloc(p, n + sizeof(ID_PREFIX) + 1);
        r[0] = '#';
        n = 1 + put_id(r + 1, o + 1, n - 1);
        o = r;
    }
    o[n] = '\0';
    *out = mh_str(o, n);
    return true;
}

bool mh_sanitize_url_ok(const char *url, size_t len, bool allow_mailto)
{
    mh_pool_t *p = mh_pool_create();
    mh_str_t dummy;
    bool ok = clean_url(p, url, len, allow_mailto ? URL_LINK : URL_RES, false, &dummy);
    mh_pool_destroy(p);
    return ok;
}

static bool is_https_host_allowed(const san_t *s, mh_str_t url)
{
    const char *pre = "https://";
    size_t pl = strlen(pre);
    if (url.len <= pl || !eq_nocase(url.base, pl, pre) || s->opts == NULL)
        return false;
    const char *h = url.base + pl;
    size_t n = 0;
    while (pl + n < url.len && !strchr("/?#\\", h[n]))
        n++;
    if (n == 0 || memchr(h, '@', n) || memchr(h, ':', n))
        return false;
    for (size_t i = 0; i < s->opts->n_iframe_hosts; i++)
        if (s->opts->iframe_hosts[i] && eq_nocase(h, n, s->opts->iframe_hosts[i]))
            return true;
    return false;
}

static bool srcset_desc_ok(const char *d, size_t n)
{
    if (n == 0)
        return true;
    if (n < 2 || (d[n - 1] != 'w' && d[n - 1] != 'x'))
        return false;
    bool dot = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (d[i] == '.' && !dot && i > 0)
            dot = true;
        else if (!isdigit((unsigned char)d[i]))
            return false;
    }
    return d[n - 2] != '.';
}

/* Rewrites a srcset as "url desc, url desc"; any bad candidate rejects the
 * whole attribute. */
static bool clean_srcset(mh_pool_t *p, mh_str_t v, mh_str_t *out)
{
    mh_buf_t b;
    bool ok = false;
    size_t i = 0, count = 0;
    mh_buf_init(&b, MH_SANITIZE_MAX_IN);
    for (;;) {
        while (i < v.len && (is_html_space((unsigned char)v.base[i]) || v.base[i] == ','))
            i++;
        if (i >= v.len)
            break;
        size_t us = i;
        while (i < v.len && !is_html_space((unsigned char)v.base[i]))
            i++;
        size_t ue = i, ds = i, de = i;
        if (v.base[ue - 1] == ',') {
            while (ue > us && v.base[ue - 1] == ',')
                ue--;
        } else {
            while (i < v.len && is_html_space((unsigned char)v.base[i]))
                i++;
            ds = i;
            while (i < v.len && v.base[i] != ',')
                i++;
            de = i;
            while (de > ds && is_html_space((unsigned char)v.base[de - 1]))
                de--;
        }
        mh_str_t u;
        if (ue == us || !clean_url(p, v.base + us, ue - us, URL_RES, false, &u))
            goto done;
        if (!srcset_desc_ok(v.base + ds, de - ds))
            goto done;
        if (count++)
            mh_buf_append_c(&b, ", ");
        mh_buf_append_str(&b, u);
        if (de > ds) {
            mh_buf_putc(&b, ' ');
            mh_buf_append(&b, v.base + ds, de - ds);
        }
    }
    if (count == 0 || mh_buf_failed(&b))
        goto done;
    *out = mh_pstr(p, mh_buf_str(&b));
    ok = true;
done:
    mh_buf_free(&b);
    return ok;
}

/* Calls fn on each whitespace-separated token; fn appends what it keeps. */
typedef bool (*token_fn)(mh_buf_t *b, const char *t, size_t n);

static bool clean_tokens(mh_pool_t *p, mh_str_t v, token_fn fn, mh_str_t *out)
{
    mh_buf_t b;
    bool ok = true;
    size_t i = 0;
    mh_buf_init(&b, MH_SANITIZE_MAX_IN);
    while (i < v.len) {
        while (i < v.len && is_html_space((unsigned char)v.base[i]))
            i++;
        size_t st = i;
        while (i < v.len && !is_html_space((unsigned char)v.base[i]))
            i++;
        if (i > st && !fn(&b, v.base + st, i - st)) {
            ok = false;
            break;
        }
    }
    if (ok && b.len > 0 && !mh_buf_failed(&b))
        *out = mh_pstr(p, mh_buf_str(&b));
    else
        ok = false;
    mh_buf_free(&b);
    return ok;
}

static void sep(mh_buf_t *b)
{
    if (b->len)
        mh_buf_putc(b, ' ');
}

static const char *const align_words[] = {"left", "right", "center", "justify"};

/* The alignment word if t is exactly "<prefix><left|right|center|justify>"
 * (class names are case-sensitive, so is this). */
static const char *align_suffix(const char *t, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (n <= pl || memcmp(t, prefix, pl) != 0)
        return NULL;
    for (size_t i = 0; i < MH_ARRAY_LEN(align_words); i++)
        if (n - pl == strlen(align_words[i]) && memcmp(t + pl, align_words[i], n - pl) == 0)
            return align_words[i];
    return NULL;
}

/* The colour names a theme may style (theme.json "colors" maps them to
 * shades); pasted colours are mapped to the nearest of them by hue. */
static const char *const color_words[] = {"red", "orange", "green", "blue", "purple", "gray"};
#define MH_INDENT_MAX 8

static bool word_in(const char *t, size_t n, const char *const *words, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        if (n == strlen(words[i]) && memcmp(t, words[i], n) == 0)
            return true;
    return false;
}

/* 1..MH_INDENT_MAX if t after prefix is that number, else 0. */
static int indent_suffix(const char *t, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (n != pl + 1 || memcmp(t, prefix, pl) != 0 || t[pl] < '1' || t[pl] > '0' + MH_INDENT_MAX)
        return 0;
    return t[pl] - '0';
}

/* The theme's own namespace: an "mh-" class is kept only when it is one
 * the sanitiser itself would write, so content cannot borrow a theme's
 * layout classes (mh-hidden, mh-header...) or invent colours the theme
 * does not declare. */
static bool mh_class_ok(const char *t, size_t n)
{
    static const char *const plain[] = {"mh-bold",       "mh-italic",     "mh-underline",
                                        "mh-strike",     "mh-attachment", "mh-size-large",
                                        "mh-size-small", "mh-embed"};
    if (word_in(t, n, plain, MH_ARRAY_LEN(plain)) || align_suffix(t, n, "mh-align-") ||
        indent_suffix(t, n, "mh-indent-"))
        return true;
    return n > 9 && memcmp(t, "mh-color-", 9) == 0 &&
           word_in(t + 9, n - 9, color_words, MH_ARRAY_LEN(color_words));
}

static bool class_token(mh_buf_t *b, const char *t, size_t n)
{
    const char *w;
    int k;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!isalnum(c) && c != '_' && c != '-')
            return true; /* drop this token only */
    }
    if (n >= 3 && eq_nocase(t, 3, "mso"))
        return true;
    if (n >= 3 && eq_nocase(t, 3, "mh-") && !mh_class_ok(t, n))
        return true;
    sep(b);
    /* The editor's alignment and indent classes mean the same as ours. */
    if ((w = align_suffix(t, n, "ql-align-"))) {
        mh_buf_append_c(b, "mh-align-");
        mh_buf_append_c(b, w);
        return true;
    }
    if ((k = indent_suffix(t, n, "ql-indent-"))) {
        mh_buf_append_c(b, "mh-indent-");
        mh_buf_putc(b, (char)('0' + k));
        return true;
    }
    mh_buf_append(b, t, n);
    return true;
}

static const char *const rel_words[] = {"nofollow",  "noopener", "noreferrer", "ugc",
                                        "sponsored", "external", "license",    "tag",
                                        "author",    "help",     "bookmark"};

static bool rel_token(mh_buf_t *b, const char *t, size_t n)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(rel_words); i++) {
        if (eq_nocase(t, n, rel_words[i])) {
            sep(b);
            mh_buf_append_c(b, rel_words[i]);
            break;
        }
    }
    return true;
}

static bool headers_token(mh_buf_t *b, const char *t, size_t n)
{
    char o[ID_MAX + sizeof(ID_PREFIX)];
    if (!id_like(t, n))
        return false;
    sep(b);
    mh_buf_append(b, o, put_id(o, t, n));
    return true;
}

static bool has_token(mh_str_t v, const char *word)
{
    size_t wl = strlen(word), i = 0;
    while (i < v.len) {
        size_t st = i;
        while (i < v.len && v.base[i] != ' ')
            i++;
        if (i - st == wl && memcmp(v.base + st, word, wl) == 0)
            return true;
        i++;
    }
    return false;
}

static mh_str_t rel_with_noopener(mh_pool_t *p, mh_str_t rel)
{
    mh_buf_t b;
    mh_buf_init(&b, MH_SANITIZE_MAX_IN);
    mh_buf_append_str(&b, rel);
    if (!has_token(rel, "noopener")) {
        sep(&b);
        mh_buf_append_c(&b, "noopener");
    }
    if (!has_token(rel, "noreferrer")) {
        sep(&b);
        mh_buf_append_c(&b, "noreferrer");
    }
    mh_str_t r = mh_pstr(p, mh_buf_str(&b));
    mh_buf_free(&b);
    return r;
}

static bool chars_in(mh_str_t v, const char *extra, size_t max)
{
    if (v.len == 0 || v.len > max)
        return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.base[i];
        if (!isalnum(c) && (c == '\0' || !strchr(extra, c)))
            return false;
    }
    return true;
}

static bool number_in(mh_str_t v, unsigned long long lo, unsigned long long hi)
{
    unsigned long long x;
    return v.len <= 6 && mh_str_to_u64(v, hi, &x) && x >= lo;
}

/* Returns the canonical lowercase spelling if v is one of words. */
static const char *one_of(mh_str_t v, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mh_str_eq_nocase(v, words[i]))
            return words[i];
    return NULL;
}

#define ONE_OF(v, ...)                                                                             \
    one_of((v), (const char *const[]){__VA_ARGS__},                                                \
           sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static mh_str_t trim_lower(char *s, size_t n)
{
    size_t b = 0;
    while (b < n && is_html_space((unsigned char)s[b]))
        b++;
    while (n > b && is_html_space((unsigned char)s[n - 1]))
        n--;
    for (size_t i = b; i < n; i++)
        s[i] = (char)tolower((unsigned char)s[i]);
    return mh_str(s + b, n - b);
}

/* Presentation carried over from style="" and align=. Pages are served
 * with a CSP whose style-src has no 'unsafe-inline', so browsers ignore
 * every style attribute: none is ever written. What matters in an article
 * becomes a class the themes style (see sanitize.h). */
typedef struct {
    const char *align; /* left right center justify, or NULL */
    const char *color; /* "mh-color-<name>", or NULL */
    const char *size;  /* "mh-size-large" / "mh-size-small", or NULL */
    int bold, italic;  /* 1 asked for, -1 explicitly normal, 0 unsaid */
    bool underline, strike, no_decoration;
} pres_t;

static void read_decoration(mh_str_t val, pres_t *pr)
{
    size_t i = 0;
    while (i < val.len) {
        while (i < val.len && is_html_space((unsigned char)val.base[i]))
            i++;
        size_t st = i;
        while (i < val.len && !is_html_space((unsigned char)val.base[i]))
            i++;
        mh_str_t t = mh_str(val.base + st, i - st);
        if (mh_str_eq_c(t, "underline"))
            pr->underline = true;
        else if (mh_str_eq_c(t, "line-through"))
            pr->strike = true;
        else if (mh_str_eq_c(t, "none"))
            pr->no_decoration = true;
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* #rgb, #rrggbb, rgb(r, g, b) (integers) or a few names into 0-255
 * components; false for anything else. val is lowercased. */
static bool parse_color(mh_str_t val, int rgb[3])
{
    static const struct {
        const char *name;
        int r, g, b;
    } names[] = {{"red", 255, 0, 0},       {"darkred", 139, 0, 0},  {"maroon", 128, 0, 0},
                 {"crimson", 220, 20, 60}, {"orange", 255, 165, 0}, {"green", 0, 128, 0},
                 {"blue", 0, 0, 255},      {"navy", 0, 0, 128},     {"purple", 128, 0, 128},
                 {"gray", 128, 128, 128},  {"grey", 128, 128, 128}, {"black", 0, 0, 0}};
    const char *v = val.base;
    size_t n = val.len;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '!'))
        n--;
    if (n > 10 && memcmp(v + n - 10, "!important", 10) == 0)
        n -= 10;
    while (n && v[n - 1] == ' ')
        n--;
    if (n == 4 || n == 7) {
        if (v[0] != '#')
            goto named;
        for (int i = 0; i < 3; i++) {
            int hi = hex_digit(v[n == 4 ? 1 + i : 1 + 2 * i]);
            int lo = hex_digit(v[n == 4 ? 1 + i : 2 + 2 * i]);
            if (hi < 0 || lo < 0)
                return false;
            rgb[i] = hi * 16 + lo;
        }
        return true;
    }
    if (n > 5 && memcmp(v, "rgb(", 4) == 0 && v[n - 1] == ')') {
        size_t i = 4;
        for (int c = 0; c < 3; c++) {
            int x = 0, digits = 0;
            while (i < n && v[i] == ' ')
                i++;
            while (i < n && v[i] >= '0' && v[i] <= '9' && digits < 4) {
                x = x * 10 + (v[i++] - '0');
                digits++;
            }
            if (!digits || x > 255)
                return false;
            rgb[c] = x;
            while (i < n && v[i] == ' ')
                i++;
            if (c < 2 && (i >= n || v[i++] != ','))
                return false;
        }
        return i == n - 1;
    }
named:
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++)
        if (n == strlen(names[i].name) && memcmp(v, names[i].name, n) == 0) {
            rgb[0] = names[i].r;
            rgb[1] = names[i].g;
            rgb[2] = names[i].b;
            return true;
        }
    return false;
}

/* The palette class nearest a colour by hue, or NULL for the ordinary text
 * colours (black, white, near-greys of body text). */
static const char *color_class(const int rgb[3])
{
    int mx = rgb[0], mn = rgb[0];
    for (int i = 1; i < 3; i++) {
        mx = rgb[i] > mx ? rgb[i] : mx;
        mn = rgb[i] < mn ? rgb[i] : mn;
    }
    int d = mx - mn;
    if (d < 48)
        return mx >= 64 && mx <= 192 ? "mh-color-gray" : NULL;
    double h;
    if (mx == rgb[0])
        h = 60.0 * (double)(rgb[1] - rgb[2]) / d;
    else if (mx == rgb[1])
        h = 60.0 * (2.0 + (double)(rgb[2] - rgb[0]) / d);
    else
        h = 60.0 * (4.0 + (double)(rgb[0] - rgb[1]) / d);
    if (h < 0)
        h += 360.0;
    if (h < 18 || h >= 330)
        return "mh-color-red";
    if (h < 70)
        return "mh-color-orange";
    if (h < 170)
        return "mh-color-green";
    if (h < 260)
        return "mh-color-blue";
    return "mh-color-purple";
}

/* font-size in pt or px (a number then the unit), or the keywords, to a
 * size class: large from 20pt (a notice's title, 二号 22pt), small to 9pt. */
static const char *size_class(mh_str_t val)
{
    if (ONE_OF(val, "x-large", "xx-large", "xxx-large"))
        return "mh-size-large";
    if (ONE_OF(val, "x-small", "xx-small"))
        return "mh-size-small";
    double x = 0, frac = 0;
    size_t i = 0;
    int digits = 0;
    while (i < val.len && val.base[i] >= '0' && val.base[i] <= '9' && digits < 5) {
        x = x * 10 + (val.base[i++] - '0');
        digits++;
    }
    if (i < val.len && val.base[i] == '.') {
        double scale = 0.1;
        for (i++; i < val.len && val.base[i] >= '0' && val.base[i] <= '9'; i++, scale /= 10)
            frac += (val.base[i] - '0') * scale;
    }
    if (!digits)
        return NULL;
    x += frac;
    mh_str_t unit = mh_str(val.base + i, val.len - i);
    if (mh_str_eq_c(unit, "px"))
        x = x * 0.75;
    else if (!mh_str_eq_c(unit, "pt"))
        return NULL;
    return x >= 20 ? "mh-size-large" : x > 0 && x <= 9 ? "mh-size-small" : NULL;
}

/* prop and val are trimmed and lowercased. A colour becomes the nearest
 * palette class (mh-color-*), a font size a size class; everything else is
 * ignored. */
static void read_decl(mh_str_t prop, mh_str_t val, pres_t *pr)
{
    const char *w;
    int rgb[3];
    if (mh_str_eq_c(prop, "color")) {
        pr->color = parse_color(val, rgb) ? color_class(rgb) : NULL;
    } else if (mh_str_eq_c(prop, "font-size")) {
        pr->size = size_class(val);
    } else if (mh_str_eq_c(prop, "text-align")) {
        if ((w = ONE_OF(val, "left", "right", "center", "justify", "start", "end")))
            pr->align = !strcmp(w, "start") ? "left" : !strcmp(w, "end") ? "right" : w;
    } else if (mh_str_eq_c(prop, "font-weight")) {
        if (ONE_OF(val, "bold", "bolder", "600", "700", "800", "900"))
            pr->bold = 1;
        else if (ONE_OF(val, "normal", "lighter", "100", "200", "300", "400", "500"))
            pr->bold = -1;
    } else if (mh_str_eq_c(prop, "font-style")) {
        if (ONE_OF(val, "italic", "oblique"))
            pr->italic = 1;
        else if (mh_str_eq_c(val, "normal"))
            pr->italic = -1;
    } else if (mh_str_eq_c(prop, "text-decoration") || mh_str_eq_c(prop, "text-decoration-line")) {
        read_decoration(val, pr);
    }
}

static bool contains_nocase(mh_str_t v, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= v.len; i++)
        if (eq_nocase(v.base + i, n, needle))
            return true;
    return false;
}

/* Escapes, comments, url() and expression() are what CSS attacks are made
 * of: a style holding any of them is ignored as a whole rather than
 * trusting the declaration splitter around them. */
static void read_style(mh_pool_t *p, mh_str_t v, pres_t *pr)
{
    if (v.len > 4096 || memchr(v.base, '\\', v.len) || memchr(v.base, '\0', v.len) ||
        contains_nocase(v, "/*") || contains_nocase(v, "url(") ||
        contains_nocase(v, "expression") || contains_nocase(v, "image-set"))
        return;
    char *s = mh_pstrndup(p, v.base, v.len);
    size_t i = 0;
    while (i < v.len) {
        size_t st = i;
        while (i < v.len && s[i] != ';')
            i++;
        char *colon = memchr(s + st, ':', i - st);
        if (colon)
            read_decl(trim_lower(s + st, (size_t)(colon - (s + st))),
                      trim_lower(colon + 1, (size_t)(s + i - colon - 1)), pr);
        i++;
    }
}

/* The final class list: the cleaned class attribute (single spaces) with
 * its first alignment class replaced by align (when set) and any further
 * alignment class removed, then align if it had none, then the classes in
 * add not already present. Rewriting in place rather than appending keeps
 * the result a fixed point. */
static mh_str_t merge_classes(mh_pool_t *p, mh_str_t cls, const char *align, const char *const *add,
                              size_t n_add)
{
    mh_buf_t b;
    bool placed = false;
    size_t i = 0;
    mh_buf_init(&b, MH_SANITIZE_MAX_IN);
    while (i < cls.len) {
        size_t st = i;
        while (i < cls.len && cls.base[i] != ' ')
            i++;
        const char *t = cls.base + st;
        size_t n = i++ - st;
        if (n == 0)
            continue;
        if (align_suffix(t, n, "mh-align-")) {
            if (placed)
                continue;
            placed = true;
            if (align) {
                sep(&b);
                mh_buf_append_c(&b, "mh-align-");
                mh_buf_append_c(&b, align);
                continue;
            }
        }
        sep(&b);
        mh_buf_append(&b, t, n);
    }
    if (align && !placed) {
        sep(&b);
        mh_buf_append_c(&b, "mh-align-");
        mh_buf_append_c(&b, align);
    }
    for (size_t k = 0; k < n_add; k++) {
        if (!has_token(cls, add[k])) {
            sep(&b);
            mh_buf_append_c(&b, add[k]);
        }
    }
    mh_str_t r = mh_buf_failed(&b) ? MH_STR_NULL : mh_pstr(p, mh_buf_str(&b));
    mh_buf_free(&b);
    return r;
}

/* ---- elements -------------------------------------------------------- */

static bool dim_ok(mh_str_t v)
{
    return number_in(v, 0, 99999);
}

/* Fills as with the element's surviving attributes. May demote the element:
 * ACT_DROP when it is useless or unsafe without what was removed (an <img>
 * without source, an <iframe> off the allow-list, a stray <source>),
 * ACT_UNWRAP for a bare <span>. */
static action_t element_attrs(san_t *s, const GumboNode *node, GumboTag tag, GumboTag ctx,
                              attrs_t *as)
{
    mh_pool_t *p = s->scratch;
    const GumboVector *av = &node->v.element.attributes;
    bool blank = false, have_id = false, have_src = false;
    int rel = -1, cls = -1;
    mh_str_t anchor = MH_STR_NULL, cls_val = MH_STR_NULL;
    const char *align = NULL;
    pres_t pr = {0};

    if (tag == GUMBO_TAG_SOURCE && ctx != TAG_PICTURE && ctx != GUMBO_TAG_VIDEO &&
        ctx != GUMBO_TAG_AUDIO)
        return ACT_DROP;
    for (unsigned k = 0; k < av->length; k++) {
        const GumboAttribute *at = av->data[k];
        const char *an = at->name;
        mh_str_t v = mh_str_c(at->value), cv;
        const char *w;
#define IS(x) (strcmp(an, (x)) == 0)
        if (IS("title")) {
            attrs_add(as, "title", v, false);
        } else if (IS("lang")) {
            if (chars_in(v, "-", 35))
                attrs_add(as, "lang", v, false);
        } else if (IS("dir")) {
            if ((w = ONE_OF(v, "ltr", "rtl", "auto")))
                attrs_add(as, "dir", mh_str_c(w), false);
        } else if (IS("class")) {
            /* merged with what style and align= ask for below */
            if (clean_tokens(p, v, class_token, &cls_val))
                cls = attrs_add(as, "class", cls_val, false);
        } else if (IS("id")) {
            if (clean_id(p, v, &cv)) {
                attrs_add(as, "id", cv, false);
                have_id = true;
            }
        } else if (IS("style")) {
            read_style(p, v, &pr);
        } else if (IS("align")) {
            if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_TD ||
                tag == GUMBO_TAG_TH || (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6))
                align = ONE_OF(v, "left", "right", "center", "justify");
        } else if (tag == GUMBO_TAG_A) {
            if (IS("href")) {
                if (clean_url(p, v.base, v.len, URL_LINK, true, &cv))
                    attrs_add(as, "href", cv, false);
            } else if (IS("rel")) {
                if (clean_tokens(p, v, rel_token, &cv))
                    rel = attrs_add(as, "rel", cv, false);
            } else if (IS("target")) {
                if (mh_str_eq_nocase(v, "_blank")) {
                    attrs_add(as, "target", MH_STR_LIT("_blank"), false);
                    blank = true;
                }
            } else if (IS("name")) {
                anchor = v;
            }
        } else if (tag == GUMBO_TAG_IMG) {
            if (IS("src")) {
                if (clean_url(p, v.base, v.len, URL_RES, false, &cv)) {
                    attrs_add(as, "src", cv, false);
                    have_src = true;
                }
            } else if (IS("srcset")) {
                if (clean_srcset(p, v, &cv)) {
                    attrs_add(as, "srcset", cv, false);
                    have_src = true;
                }
            } else if (IS("alt")) {
                attrs_add(as, "alt", v, false);
            } else if (IS("width") || IS("height")) {
                if (dim_ok(v))
                    attrs_add(as, IS("width") ? "width" : "height", v, false);
            } else if (IS("sizes")) {
                if (chars_in(v, " ().,:%-", 256))
                    attrs_add(as, "sizes", v, false);
            } else if (IS("loading")) {
                if ((w = ONE_OF(v, "lazy", "eager")))
                    attrs_add(as, "loading", mh_str_c(w), false);
            }
        } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
            if (IS("colspan") || IS("rowspan")) {
                if (number_in(v, 1, 1000))
                    attrs_add(as, IS("colspan") ? "colspan" : "rowspan", v, false);
            } else if (IS("scope")) {
                if ((w = ONE_OF(v, "row", "col", "rowgroup", "colgroup")))
                    attrs_add(as, "scope", mh_str_c(w), false);
            } else if (IS("headers")) {
                if (clean_tokens(p, v, headers_token, &cv))
                    attrs_add(as, "headers", cv, false);
            }
        } else if (tag == GUMBO_TAG_OL) {
            if (IS("start")) {
                mh_str_t d = v;
                if (d.len && d.base[0] == '-')
                    d = mh_str(d.base + 1, d.len - 1);
                if (d.len <= 9 && number_in(d, 0, 999999999))
                    attrs_add(as, "start", v, false);
            } else if (IS("reversed")) {
                attrs_add(as, "reversed", MH_STR_LIT(""), true);
            } else if (IS("type")) {
                if (v.len == 1 && strchr("1aAiI", v.base[0]))
                    attrs_add(as, "type", v, false);
            }
        } else if (tag == GUMBO_TAG_COL || tag == GUMBO_TAG_COLGROUP) {
            if (IS("span") && number_in(v, 1, 1000))
                attrs_add(as, "span", v, false);
        } else if (tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_Q) {
            if (IS("cite") && clean_url(p, v.base, v.len, URL_RES, false, &cv))
                attrs_add(as, "cite", cv, false);
        } else if (tag == GUMBO_TAG_VIDEO || tag == GUMBO_TAG_AUDIO) {
            if (IS("src") || (tag == GUMBO_TAG_VIDEO && IS("poster"))) {
                if (clean_url(p, v.base, v.len, URL_RES, false, &cv))
                    attrs_add(as, IS("src") ? "src" : "poster", cv, false);
            } else if (IS("width") || IS("height")) {
                if (dim_ok(v))
                    attrs_add(as, IS("width") ? "width" : "height", v, false);
            } else if (IS("preload")) {
                if ((w = ONE_OF(v, "none", "metadata", "auto")))
                    attrs_add(as, "preload", mh_str_c(w), false);
            } else if (IS("loop") || IS("muted")) {
                attrs_add(as, IS("loop") ? "loop" : "muted", MH_STR_LIT(""), true);
            }
        } else if (tag == GUMBO_TAG_SOURCE) {
            if (ctx == TAG_PICTURE && IS("srcset")) {
                if (clean_srcset(p, v, &cv)) {
                    attrs_add(as, "srcset", cv, false);
                    have_src = true;
                }
            } else if (ctx == TAG_PICTURE && (IS("sizes") || IS("media"))) {
                if (chars_in(v, " ().,:%-", 256))
                    attrs_add(as, IS("sizes") ? "sizes" : "media", v, false);
            } else if (ctx != TAG_PICTURE && IS("src")) {
                if (clean_url(p, v.base, v.len, URL_RES, false, &cv)) {
                    attrs_add(as, "src", cv, false);
                    have_src = true;
                }
            } else if (IS("type")) {
                if (chars_in(v, "/+.-", 100))
                    attrs_add(as, "type", v, false);
            }
        } else if (tag == GUMBO_TAG_IFRAME) {
            if (IS("src")) {
                if (clean_url(p, v.base, v.len, URL_RES, false, &cv) &&
                    is_https_host_allowed(s, cv)) {
                    attrs_add(as, "src", cv, false);
                    have_src = true;
                }
            } else if (IS("width") || IS("height")) {
                if (dim_ok(v))
                    attrs_add(as, IS("width") ? "width" : "height", v, false);
            } else if (IS("allowfullscreen")) {
                attrs_add(as, "allowfullscreen", MH_STR_LIT(""), true);
            }
        }
#undef IS
    }

    /* An element whose own meaning the style cancels (Google Docs wraps a
     * whole paste in <b style="font-weight:normal">) is no longer that
     * element; a class says the same as its tag only once. */
    bool strong = tag == GUMBO_TAG_B || tag == GUMBO_TAG_STRONG;
    bool emph = tag == GUMBO_TAG_I || tag == GUMBO_TAG_EM;
    bool deco = tag == GUMBO_TAG_U || tag == GUMBO_TAG_S;
    if ((strong && pr.bold < 0) || (emph && pr.italic < 0) ||
        (deco && pr.no_decoration && !pr.underline && !pr.strike))
        return ACT_UNWRAP;
    const char *add[6];
    size_t n_add = 0;
    if (pr.color && !contains_nocase(cls_val, "mh-color-"))
        add[n_add++] = pr.color;
    if (pr.size && !contains_nocase(cls_val, "mh-size-"))
        add[n_add++] = pr.size;
    if (pr.bold > 0 && !strong)
        add[n_add++] = "mh-bold";
    if (pr.italic > 0 && !emph)
        add[n_add++] = "mh-italic";
    if (pr.underline && tag != GUMBO_TAG_U)
        add[n_add++] = "mh-underline";
    if (pr.strike && tag != GUMBO_TAG_S)
        add[n_add++] = "mh-strike";
    /* style's text-align wins over a legacy align= (old editors, Word) */
    const char *fa = pr.align ? pr.align : align;
    if (fa || n_add || cls >= 0) {
        mh_str_t merged = merge_classes(p, cls_val, fa, add, n_add);
        /* never empty when the element had classes */
        if (merged.len && cls >= 0)
            as->a[cls].val = merged;
        else if (merged.len)
            attrs_add(as, "class", merged, false);
    }

    switch (tag) {
    case GUMBO_TAG_A:
        if (!have_id && anchor.len && clean_id(p, anchor, &anchor))
            attrs_add(as, "id", anchor, false);
        if (blank) {
            if (rel >= 0)
                as->a[rel].val = rel_with_noopener(p, as->a[rel].val);
            else
                attrs_add(as, "rel", MH_STR_LIT("noopener noreferrer"), false);
        }
        break;
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_SOURCE:
        if (!have_src)
            return ACT_DROP;
        break;
    case GUMBO_TAG_IFRAME:
        if (!have_src)
            return ACT_DROP;
        attrs_add(as, "sandbox",
                  MH_STR_LIT("allow-scripts allow-same-origin allow-presentation allow-popups"),
                  false);
        attrs_add(as, "referrerpolicy", MH_STR_LIT("strict-origin-when-cross-origin"), false);
        break;
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
        attrs_add(as, "controls", MH_STR_LIT(""), true);
        break;
    case GUMBO_TAG_SPAN:
        if (as->n == 0)
            return ACT_UNWRAP;
        break;
    default:
        break;
    }
    return ACT_KEEP;
}

static void put_start_tag(san_t *s, GumboTag tag, const attrs_t *as)
{
    mh_buf_t *b = s->out;
    mh_buf_putc(b, '<');
    mh_buf_append_c(b, tag_name(tag));
    for (size_t i = 0; i < as->n; i++) {
        mh_buf_putc(b, ' ');
        mh_buf_append_c(b, as->a[i].name);
        if (as->a[i].boolean)
            continue;
        mh_buf_append(b, "=\"", 2);
        put_escaped(b, as->a[i].val.base, as->a[i].val.len);
        mh_buf_putc(b, '"');
    }
    mh_buf_putc(b, '>');
    /* The parser drops one newline right after <pre>; always giving it one
     * to drop keeps content that starts with a newline intact. */
    if (tag == GUMBO_TAG_PRE)
        mh_buf_putc(b, '\n');
}

static void push(san_t *s, const GumboNode *n, const char *close, GumboTag ctx)
{
    if (s->sp == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->stack = mh_realloc(s->stack, s->cap * sizeof(*s->stack));
    }
    s->stack[s->sp++] = (frame_t){n, 0, close, ctx};
}

/* Iterative walk: nesting in the input is unbounded, the C stack is not. */
static void walk(san_t *s, const GumboNode *root)
{
    push(s, root, NULL, GUMBO_TAG_DIV);
    while (s->sp > 0 && !mh_buf_failed(s->out)) {
        frame_t *f = &s->stack[s->sp - 1];
        const GumboVector *kids = &f->node->v.element.children;
        if (f->next >= kids->length) {
            if (f->close) {
                mh_buf_append(s->out, "</", 2);
                mh_buf_append_c(s->out, f->close);
                mh_buf_putc(s->out, '>');
                s->depth--;
            }
            s->sp--;
            continue;
        }
        const GumboNode *c = kids->data[f->next++];
        GumboTag ctx = f->ctx, tag;
        switch (c->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            put_escaped(s->out, c->v.text.text, strlen(c->v.text.text));
            break;
        case GUMBO_NODE_ELEMENT: {
            action_t act = node_action(c, &tag);
            attrs_t as = {.n = 0};
            if (act == ACT_DROP)
                break;
            if (act == ACT_KEEP && (s->text_only || s->depth >= MAX_DEPTH))
                act = ACT_UNWRAP;
            if (act == ACT_KEEP)
                act = element_attrs(s, c, tag, ctx, &as);
            if (act == ACT_DROP)
                break;
            if (act == ACT_UNWRAP) {
                push(s, c, NULL, ctx);
                break;
            }
            put_start_tag(s, tag, &as);
            if (is_void(tag))
                break;
            if (tag == GUMBO_TAG_IFRAME) {
                mh_buf_append_c(s->out, "</iframe>");
                break;
            }
            s->depth++;
            push(s, c, tag_name(tag), tag);
            break;
        }
        default: /* comments, doctypes, template contents */
            break;
        }
    }
}

static long long cpu_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *budget_alloc(void *ud, size_t size)
{
    budget_t *bg = ud;
    if (size > bg->max - bg->live || BLOCK_HDR + size < size)
        longjmp(bg->abort, 1);
    if ((++bg->calls & 15) == 0 && cpu_now() > bg->cpu_deadline)
        longjmp(bg->abort, 1);
    block_t *b = mh_malloc(BLOCK_HDR + size);
    b->size = size;
    b->prev = &bg->head;
    b->next = bg->head.next;
    bg->head.next->prev = b;
    bg->head.next = b;
    bg->live += size;
    return (char *)b + BLOCK_HDR;
}

static void budget_free(void *ud, void *ptr)
{
    budget_t *bg = ud;
    if (ptr == NULL)
        return;
    block_t *b = (block_t *)(void *)((char *)ptr - BLOCK_HDR);
    b->prev->next = b->next;
    b->next->prev = b->prev;
    bg->live -= b->size;
    free(b);
}

static void budget_free_all(budget_t *bg)
{
    while (bg->head.next != &bg->head)
        budget_free(bg, (char *)bg->head.next + BLOCK_HDR);
}

/* Parses under the budget; NULL when the budget ran out. Kept apart so that
 * nothing but the budget lives across the longjmp. */
static GumboOutput *parse(budget_t *bg, const GumboOptions *go, const char *in, size_t len)
{
    if (setjmp(bg->abort)) {
        budget_free_all(bg);
        return NULL;
    }
    return gumbo_parse_with_options(go, in, len);
}

/* One parse-filter-serialise pass of in into out. */
static int sanitize_once(san_t *s, const char *in, size_t len, mh_buf_t *out)
{
    GumboOptions go = kGumboDefaultOptions;
    go.fragment_context = GUMBO_TAG_DIV;
    go.fragment_namespace = GUMBO_NAMESPACE_HTML;
    go.max_errors = 0;
    go.allocator = budget_alloc;
    go.deallocator = budget_free;
    go.userdata = &s->budget;
    s->budget.max = PARSE_MEM_BASE + PARSE_MEM_PER_BYTE * len;
    GumboOutput *g = parse(&s->budget, &go, in, len);
    if (g == NULL)
        return MH_TOOBIG;
    if (g->root == NULL || g->root->type != GUMBO_NODE_ELEMENT) {
        if (g)
            gumbo_destroy_output(&go, g);
        return MH_ERR;
    }
    mh_buf_reset(out);
    s->out = out;
    s->sp = 0;
    s->depth = 0;
    walk(s, g->root);
    gumbo_destroy_output(&go, g);
    return mh_buf_failed(out) ? MH_TOOBIG : MH_OK;
}

int mh_sanitize_html(mh_pool_t *pool, const char *in, size_t len, const mh_sanitize_opts_t *opts,
                     mh_str_t *out)
{
    mh_buf_t a, b;
    mh_buf_t *cur = &a, *next = &b;
    san_t s = {.opts = opts};
    int rc = MH_TOOBIG;

    *out = MH_STR_LIT("");
    mh_buf_init(&a, MH_SANITIZE_MAX_OUT);
    mh_buf_init(&b, MH_SANITIZE_MAX_OUT);
    s.scratch = mh_pool_create();
    s.budget.head.prev = s.budget.head.next = &s.budget.head;
    s.budget.cpu_deadline = cpu_now() + PARSE_CPU_NS;
    if (len > MH_SANITIZE_MAX_IN)
        goto done;

    if (in == NULL)
        in = "";
    if ((rc = sanitize_once(&s, in, len, cur)) != MH_OK)
        goto done;
    /* Re-parse our own output until it no longer changes: what we return is
     * then exactly what a browser's parse of it serialises back to, which
     * rules out mutation tricks that only appear on the second parse. */
    for (int pass = 1;; pass++) {
        if (pass == MAX_PASSES) {
            s.text_only = true;
            if ((rc = sanitize_once(&s, cur->base ? cur->base : "", cur->len, next)) != MH_OK)
                goto done;
            cur = next;
            break;
        }
        if ((rc = sanitize_once(&s, cur->base ? cur->base : "", cur->len, next)) != MH_OK)
            goto done;
        if (mh_str_eq(mh_buf_str(cur), mh_buf_str(next)))
            break;
        mh_buf_t *t = cur;
        cur = next;
        next = t;
    }
    *out = mh_pstr(pool, mh_buf_str(cur));
    rc = MH_OK;
done:
    free(s.stack);
    mh_pool_destroy(s.scratch);
    mh_buf_free(&a);
    mh_buf_free(&b);
    return rc;
}

mh_val_t *mh_sanitize_to_val(mh_pool_t *pool, const char *in, size_t len)
{
    mh_str_t out;
    if (mh_sanitize_html(pool, in, len, NULL, &out) == MH_OK)
        return mh_val_html(pool, out);
    mh_buf_t b;
    mh_buf_init(&b, (size_t)MH_SANITIZE_MAX_IN * 6);
    put_escaped(&b, in ? in : "", len > MH_SANITIZE_MAX_IN ? MH_SANITIZE_MAX_IN : len);
    mh_val_t *v = mh_val_html(pool, mh_buf_failed(&b) ? MH_STR_LIT("") : mh_buf_str(&b));
    mh_buf_free(&b);
    return v;
}
