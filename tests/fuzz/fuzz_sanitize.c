/* libFuzzer target for the HTML sanitizer: whatever the input, the output
 * re-parses to a tree with no script, no event handler, no foreign content,
 * no style attribute (the site's CSP ignores them; presentation travels as
 * mh-* classes, at most one alignment class per element, none of the
 * editor's ql-align-* left unmapped) and no URL with a scheme other than
 * http, https or mailto, and sanitising it again changes nothing. */
#include <ctype.h>
#include <gumbo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/sanitize.h"

static const char *const hosts[] = {"www.youtube-nocookie.com"};
static const mh_sanitize_opts_t opts = {hosts, 1};

static void die(const char *why, const char *name, const mh_str_t *out)
{
    fprintf(stderr, "sanitize invariant broken: %s %s\noutput: %.*s\n", why, name ? name : "",
            (int)out->len, out->base);
    abort();
}

static int bad_url(const char *v)
{
    char buf[64];
    size_t n = 0;
    for (; *v && n + 1 < sizeof(buf); v++) {
        unsigned char c = (unsigned char)*v;
        if (c <= 0x20 || c == 0x7f)
            continue;
        if (c == ':' || c == '/' || c == '?' || c == '#') {
            buf[n++] = (char)c;
            break;
        }
        buf[n++] = (char)tolower(c);
    }
    buf[n] = '\0';
    char *colon = strchr(buf, ':');
    if (!colon)
        return 0;
    *colon = '\0';
    return strcmp(buf, "http") && strcmp(buf, "https") && strcmp(buf, "mailto");
}

static void check_classes(const char *v, const mh_str_t *out)
{
    static const char *const words[] = {"left", "right", "center", "justify"};
    int aligns = 0;
    while (*v) {
        size_t n = strcspn(v, " \t\n\f\r");
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
            size_t wl = strlen(words[i]);
            if (n == 9 + wl && memcmp(v + 9, words[i], wl) == 0) {
                if (memcmp(v, "mh-align-", 9) == 0 && ++aligns > 1)
                    die("two alignment classes", v, out);
                if (memcmp(v, "ql-align-", 9) == 0)
                    die("unmapped class", v, out);
            }
        }
        v += n;
        v += strspn(v, " \t\n\f\r");
    }
}

static void check(const GumboNode *node, const mh_str_t *out)
{
    if (node->type == GUMBO_NODE_TEMPLATE)
        die("template", NULL, out);
    if (node->type != GUMBO_NODE_ELEMENT)
        return;
    const GumboElement *e = &node->v.element;
    if (e->tag_namespace != GUMBO_NAMESPACE_HTML)
        die("foreign element", NULL, out);
    switch (e->tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        die("element", gumbo_normalized_tagname(e->tag), out);
        break;
    default:
        break;
    }
    for (unsigned i = 0; i < e->attributes.length; i++) {
        const GumboAttribute *a = e->attributes.data[i];
        if (strncasecmp(a->name, "on", 2) == 0 || !strcmp(a->name, "srcdoc") ||
            !strcmp(a->name, "action") || !strcmp(a->name, "formaction"))
            die("attribute", a->name, out);
        if ((!strcmp(a->name, "href") || !strcmp(a->name, "src") || !strcmp(a->name, "cite") ||
             !strcmp(a->name, "poster")) &&
            bad_url(a->value))
            die("url in", a->name, out);
        if (!strcmp(a->name, "srcset")) {
            const char *p = a->value;
            while (*p) {
                while (*p == ' ' || *p == ',')
                    p++;
                if (*p && bad_url(p))
                    die("url in", "srcset", out);
                p += strcspn(p, ",");
            }
        }
        if (!strcmp(a->name, "style"))
            die("style attribute", a->value, out);
        if (!strcmp(a->name, "class"))
            check_classes(a->value, out);
    }
    for (unsigned i = 0; i < e->children.length; i++)
        check(e->children.data[i], out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_pool_t *p = mh_pool_create();
    mh_str_t out, again;
    /* First byte picks the options so both iframe policies get explored. */
    const mh_sanitize_opts_t *o = size && (data[0] & 1) ? &opts : NULL;
    int rc = mh_sanitize_html(p, (const char *)data, size, o, &out);
    if (rc == MH_OK) {
        GumboOptions go = kGumboDefaultOptions;
        go.fragment_context = GUMBO_TAG_DIV;
        GumboOutput *g = gumbo_parse_with_options(&go, out.base, out.len);
        check(g->root, &out);
        gumbo_destroy_output(&go, g);
        g = gumbo_parse_with_options(&kGumboDefaultOptions, out.base, out.len);
        check(g->root, &out);
        gumbo_destroy_output(&kGumboDefaultOptions, g);
        if (mh_sanitize_html(p, out.base, out.len, o, &again) != MH_OK)
            die("second pass failed", NULL, &out);
        if (!mh_str_eq(out, again))
            die("not idempotent; second pass:", again.base, &out);
    } else if (rc != MH_TOOBIG) {
        abort();
    }
    mh_pool_destroy(p);
    return 0;
}
