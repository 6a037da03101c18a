/* HTML to plain text for the index (contract in search.h).
 *
 * Why a space at block boundaries but not at inline ones: "<p>a</p><p>b</p>"
 * holds two words, "<b>Bei</b>jing" one. Why the snippet markers are
 * removed: snippet() output is turned into HTML by treating U+E000/U+E001
 * as <mark> and </mark>, so indexed text must not contain them. The walk is
 * iterative because nesting in the input is unbounded. */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "../core/buf.h"
#include "search.h"
#include "search_int.h"

/* Input beyond this is not parsed (bodies are sanitised HTML, far smaller). */
#define HTML_MAX ((size_t)8 * 1024 * 1024)

typedef struct {
    char *out;
    size_t len, max;
    bool space; /* a space is pending before the next text */
    bool cut;
} text_t;

static bool dropped(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
        return true;
    default:
        return false;
    }
}

static bool inline_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
        return true;
    default:
        return false;
    }
}

/* Append text, collapsing white space and dropping controls, invalid UTF-8
 * and the marker characters; stops at the ceiling on a character boundary. */
static void put_text(text_t *t, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !t->cut) {
        utf8proc_int32_t c;
        size_t k;
        if (u[i] < 0x80) {
            c = u[i];
            k = 1;
        } else {
            utf8proc_ssize_t r = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &c);
            if (r <= 0) {
                i++;
                continue;
            }
            k = (size_t)r;
        }
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                     (c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS);
        if (space) {
            t->space = true;
        } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xe000 || c == 0xe001 ||
                   c == 0xfffd) {
            /* dropped */
        } else {
            size_t need = k + ((t->space && t->len) ? 1 : 0);
            if (t->len + need > t->max) {
                /* not half a word: back to a space if one is near */
                size_t j = t->len;
                while (j > 0 && t->len - j < 64 && t->out[j - 1] != ' ')
                    j--;
                if (j > 0 && t->out[j - 1] == ' ')
                    t->len = j - 1;
                t->cut = true;
                break;
            }
            if (t->space && t->len)
                t->out[t->len++] = ' ';
            t->space = false;
            memcpy(t->out + t->len, u + i, k);
            t->len += k;
        }
        i += k;
    }
}

int mh_search_text_clean(mh_pool_t *pool, const char *s, size_t n, size_t max_bytes, mh_str_t *out)
{
    text_t t = {0};
    t.max = max_bytes;
    t.out = mh_palloc(pool, max_bytes + 1);
    put_text(&t, s ? s : "", s ? n : 0);
    t.out[t.len] = '\0';
    *out = mh_str(t.out, t.len);
    return t.cut ? MH_TOOBIG : MH_OK;
}

typedef struct {
    const GumboNode *node;
    unsigned next;
} frame_t;

int mh_search_text_from_html(mh_pool_t *pool, const char *html, size_t len, size_t max_bytes,
                             mh_str_t *out)
{
    text_t t = {0};
    t.max = max_bytes;
    t.out = mh_palloc(pool, max_bytes + 1);
    frame_t *stack = NULL;
    size_t sp = 0, cap = 0;
    GumboOptions go = kGumboDefaultOptions;
    go.fragment_context = GUMBO_TAG_DIV;
    go.fragment_namespace = GUMBO_NAMESPACE_HTML;
    go.max_errors = 0;
    GumboOutput *g = NULL;
    bool input_cut = false;

    if (!html)
        len = 0;
    if (len > HTML_MAX) {
        len = HTML_MAX;
        input_cut = true;
    }
    g = gumbo_parse_with_options(&go, html ? html : "", len);
    if (!g || !g->root)
        goto done;

    cap = 64;
    stack = mh_malloc(cap * sizeof(*stack));
    stack[sp++] = (frame_t){g->root, 0};
    while (sp && !t.cut) {
        frame_t *f = &stack[sp - 1];
        const GumboNode *n = f->node;
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE &&
            n->type != GUMBO_NODE_DOCUMENT) {
            if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
                n->type == GUMBO_NODE_WHITESPACE)
                put_text(&t, n->v.text.text, strlen(n->v.text.text));
            sp--;
            continue;
        }
        const GumboVector *kids =
            n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children : &n->v.element.children;
        if (f->next == 0 && n->type != GUMBO_NODE_DOCUMENT) {
            GumboTag tag = n->v.element.tag;
            bool html_ns = n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
            if (n->type == GUMBO_NODE_TEMPLATE || (html_ns && dropped(tag)) || !html_ns) {
                if (!inline_tag(tag))
                    t.space = true;
                sp--;
                continue;
            }
            if (!inline_tag(tag))
                t.space = true;
            if (tag == GUMBO_TAG_IMG) {
                const GumboAttribute *alt = gumbo_get_attribute(&n->v.element.attributes, "alt");
                if (alt) {
                    t.space = true;
                    put_text(&t, alt->value, strlen(alt->value));
                    t.space = true;
                }
            }
        }
        if (f->next < kids->length) {
            const GumboNode *child = kids->data[f->next++];
            if (sp == cap) {
                cap *= 2;
                stack = mh_realloc(stack, cap * sizeof(*stack));
            }
            stack[sp++] = (frame_t){child, 0};
            continue;
        }
        if (n->type == GUMBO_NODE_ELEMENT && !inline_tag(n->v.element.tag))
            t.space = true;
        sp--;
    }

done:
    free(stack);
    if (g)
        gumbo_destroy_output(&go, g);
    t.out[t.len] = '\0';
    *out = mh_str(t.out, t.len);
    return (t.cut || input_cut) ? MH_TOOBIG : MH_OK;
}
