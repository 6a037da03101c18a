/* WordPress content conversions. Everything here scans bytes by hand with
 * explicit bounds (no regular expressions): input comes from files of
 * unknown origin, and every scan is linear or bounded so a hostile post
 * cannot make the import quadratic. */
#include "wxr_html.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/common.h"

#define MAX_GALLERY 1000 /* images in one [gallery] */

static const char *find(const char *s, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    if ((size_t)(end - s) < n)
        return NULL;
    const char *r = memmem(s, (size_t)(end - s), needle, n);
    return r;
}

static bool starts(const char *s, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - s) >= n && memcmp(s, lit, n) == 0;
}

static bool starts_nocase(const char *s, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - s) >= n && strncasecmp(s, lit, n) == 0;
}

bool mh_wxr_has_blocks(mh_str_t in)
{
    return find(in.base, in.base + in.len, "<!-- wp:") != NULL;
}

/* --- block comments ------------------------------------------------------- */

int mh_wxr_strip_blocks(mh_str_t in, mh_buf_t *out, mh_wxr_stats_t *st)
{
    const char *s = in.base, *end = in.base + in.len;
    while (s < end) {
        const char *c = find(s, end, "<!-- ");
        if (!c) {
            mh_buf_append(out, s, (size_t)(end - s));
            break;
        }
        const char *q = c + 5;
        if (q < end && *q == '/')
            q++;
        const char *close = starts(q, end, "wp:") ? find(q, end, "-->") : NULL;
        if (!close) {
            mh_buf_append(out, s, (size_t)(c + 5 - s));
            s = c + 5;
            continue;
        }
        mh_buf_append(out, s, (size_t)(c - s));
        if (st)
            st->blocks++;
        s = close + 3;
        /* the newline the editor puts after a block comment goes with it */
        if (s < end && *s == '\n')
            s++;
    }
    return mh_buf_failed(out) ? MH_TOOBIG : MH_OK;
}

/* --- shortcodes ------------------------------------------------------------- */

typedef struct {
    const char *name;
    size_t nlen;
    const char *val;
    size_t vlen;
} attr_t;

/* Parse name="v" name='v' name=v pairs between s and end (the inside of
 * the opening tag, after the shortcode's name). */
static size_t parse_attrs(const char *s, const char *end, attr_t *a, size_t max)
{
    size_t n = 0;
    while (s < end && n < max) {
        while (s < end && (isspace((unsigned char)*s) || *s == '/'))
            s++;
        const char *nm = s;
        while (s < end && (isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
            s++;
        size_t nlen = (size_t)(s - nm);
        if (!nlen) {
            /* a positional value: skip it */
            if (s < end && (*s == '"' || *s == '\'')) {
                char q = *s++;
                while (s < end && *s != q)
                    s++;
            }
            while (s < end && !isspace((unsigned char)*s))
                s++;
            continue;
        }
        if (s < end && *s == '=') {
            s++;
            const char *v;
            size_t vlen;
            if (s < end && (*s == '"' || *s == '\'')) {
                char q = *s++;
                v = s;
                while (s < end && *s != q)
                    s++;
                vlen = (size_t)(s - v);
                if (s < end)
                    s++;
            } else {
                v = s;
                while (s < end && !isspace((unsigned char)*s))
                    s++;
                vlen = (size_t)(s - v);
            }
            a[n++] = (attr_t){nm, nlen, v, vlen};
        }
    }
    return n;
}

static mh_str_t attr(const attr_t *a, size_t n, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (a[i].nlen == l && strncasecmp(a[i].name, name, l) == 0)
            return mh_str(a[i].val, a[i].vlen);
    return mh_str(NULL, 0);
}

/* End of the opening tag: the first ']' outside quotes, or NULL. */
static const char *tag_end(const char *s, const char *end)
{
    char q = 0;
    for (; s < end; s++) {
        if (q) {
            if (*s == q)
                q = 0;
        } else if (*s == '"' || *s == '\'') {
            q = *s;
        } else if (*s == ']') {
            return s;
        } else if (*s == '[') {
            return NULL; /* not a shortcode after all */
        }
    }
    return NULL;
}

static mh_str_t trim_str(mh_str_t s)
{
    while (s.len && isspace((unsigned char)s.base[0])) {
        s.base++;
        s.len--;
    }
    while (s.len && isspace((unsigned char)s.base[s.len - 1]))
        s.len--;
    return s;
}

static void caption(mh_str_t inner, const attr_t *a, size_t na, mh_buf_t *out)
{
    mh_str_t cap = attr(a, na, "caption");
    mh_str_t media = trim_str(inner);
    if (!cap.base) {
        /* (<a ...>\s*)?<img ...>(\s*</a>)? then the caption text */
        const char *s = media.base, *end = media.base + media.len, *p = s;
        bool link = false;
        if (starts_nocase(p, end, "<a ")) {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            if (gt) {
                link = true;
                p = gt + 1;
                while (p < end && isspace((unsigned char)*p))
                    p++;
            }
        }
        if (starts_nocase(p, end, "<img ")) {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            if (gt) {
                p = gt + 1;
                if (link) {
                    const char *q = p;
                    while (q < end && isspace((unsigned char)*q))
                        q++;
                    if (starts_nocase(q, end, "</a>"))
                        p = q + 4;
                }
                cap = trim_str(mh_str(p, (size_t)(end - p)));
                media = mh_str(s, (size_t)(p - s));
            }
        }
    }
    cap = trim_str(cap);
    mh_str_t align = attr(a, na, "align");
    mh_buf_append_c(out, "<figure");
    if (align.len == 9 &&
        (memcmp(align.base, "alignleft", 9) == 0 || memcmp(align.base, "alignnone", 9) == 0))
        mh_buf_printf(out, " class=\"%.*s\"", (int)align.len, align.base);
    else if (align.len == 10 && memcmp(align.base, "alignright", 10) == 0)
        mh_buf_append_c(out, " class=\"alignright\"");
    else if (align.len == 11 && memcmp(align.base, "aligncenter", 11) == 0)
        mh_buf_append_c(out, " class=\"aligncenter\"");
    mh_buf_putc(out, '>');
    mh_buf_append(out, media.base, media.len);
    if (cap.len) {
        mh_buf_append_c(out, "<figcaption>");
        mh_buf_append(out, cap.base, cap.len);
        mh_buf_append_c(out, "</figcaption>");
    }
    mh_buf_append_c(out, "</figure>");
}

static void gallery(const attr_t *a, size_t na, const mh_wxr_resolver_t *res, mh_buf_t *out,
                    mh_wxr_stats_t *st)
{
    int64_t *ids = malloc(MAX_GALLERY * sizeof(*ids));
    if (!ids)
        return;
    size_t n = 0;
    mh_str_t list = attr(a, na, "ids");
    if (!list.base)
        list = attr(a, na, "include");
    if (list.base) {
        const char *s = list.base, *end = list.base + list.len;
        while (s < end && n < MAX_GALLERY) {
            while (s < end && !isdigit((unsigned char)*s))
                s++;
            int64_t v = 0;
            bool any = false;
            while (s < end && isdigit((unsigned char)*s)) {
                if (v < (INT64_MAX - 9) / 10)
                    v = v * 10 + (*s - '0');
                s++;
                any = true;
            }
            if (any)
                ids[n++] = v;
        }
    } else if (res && res->children) {
        n = res->children(res->ud, res->post_id, ids, MAX_GALLERY);
        if (n > MAX_GALLERY)
            n = MAX_GALLERY;
    }
    size_t placed = 0;
    for (size_t i = 0; i < n; i++) {
        mh_wxr_media_t m = {NULL, NULL, NULL};
        if (!res || !res->attachment || !res->attachment(res->ud, ids[i], &m) || !m.url ||
            !m.url[0]) {
            if (st)
                st->unresolved++;
            if (res && res->unresolved)
                res->unresolved(res->ud, ids[i]);
            continue;
        }
        if (!placed++)
            mh_buf_append_c(out, "<ul class=\"gallery\">\n");
        mh_buf_append_c(out, "<li><figure><img src=\"");
        mh_buf_append_html(out, m.url, strlen(m.url));
        mh_buf_append_c(out, "\" alt=\"");
        if (m.alt)
            mh_buf_append_html(out, m.alt, strlen(m.alt));
        mh_buf_append_c(out, "\">");
        if (m.caption && m.caption[0]) {
            mh_buf_append_c(out, "<figcaption>");
            mh_buf_append(out, m.caption, strlen(m.caption));
            mh_buf_append_c(out, "</figcaption>");
        }
        mh_buf_append_c(out, "</figure></li>\n");
    }
    if (placed)
        mh_buf_append_c(out, "</ul>");
    if (st)
        st->images += (unsigned)placed;
    free(ids);
}

int mh_wxr_shortcodes(mh_str_t in, const mh_wxr_resolver_t *res, mh_buf_t *out, mh_wxr_stats_t *st)
{
    const char *s = in.base, *end = in.base + in.len;
    attr_t a[16];
    while (s < end) {
        const char *b = memchr(s, '[', (size_t)(end - s));
        if (!b) {
            mh_buf_append(out, s, (size_t)(end - s));
            break;
        }
        mh_buf_append(out, s, (size_t)(b - s));
        s = b + 1;
        if (s < end && *s == '[') { /* [[escaped]] stays as written */
            mh_buf_append(out, b, 2);
            s++;
            continue;
        }
        const char *nm = s;
        while (s < end && (isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
            s++;
        size_t nlen = (size_t)(s - nm);
        const char *te = nlen && s < end && (*s == ']' || *s == ' ' || *s == '/' || *s == '\t')
                             ? tag_end(s, end)
                             : NULL;
        if (!te) {
            s = b + 1;
            mh_buf_putc(out, '[');
            continue;
        }
        bool is_caption = (nlen == 7 && memcmp(nm, "caption", 7) == 0) ||
                          (nlen == 10 && memcmp(nm, "wp_caption", 10) == 0);
        bool is_gallery = nlen == 7 && memcmp(nm, "gallery", 7) == 0;
        if (is_caption) {
            char closing[16];
            snprintf(closing, sizeof(closing), "[/%.*s]", (int)nlen, nm);
            const char *ce = find(te + 1, end, closing);
            if (ce) {
                size_t na = parse_attrs(s, te, a, MH_ARRAY_LEN(a));
                caption(mh_str(te + 1, (size_t)(ce - te - 1)), a, na, out);
                if (st)
                    st->captions++;
                s = ce + strlen(closing);
                continue;
            }
        } else if (is_gallery) {
            size_t na = parse_attrs(s, te, a, MH_ARRAY_LEN(a));
            gallery(a, na, res, out, st);
            if (st)
                st->galleries++;
            s = te + 1;
            continue;
        }
        if (st)
            st->other++;
        /* left as text: copy the opening tag and go on after it */
        mh_buf_append(out, b, (size_t)(te + 1 - b));
        s = te + 1;
    }
    return mh_buf_failed(out) ? MH_TOOBIG : MH_OK;
}

/* --- autop ------------------------------------------------------------------- */

static const char *const block_tags[] = {
    "address", "area",    "article", "aside",  "blockquote", "caption",  "col",        "colgroup",
    "dd",      "details", "div",     "dl",     "dt",         "fieldset", "figcaption", "figure",
    "footer",  "form",    "h1",      "h2",     "h3",         "h4",       "h5",         "h6",
    "header",  "hgroup",  "hr",      "legend", "li",         "main",     "map",        "math",
    "menu",    "nav",     "ol",      "option", "p",          "pre",      "script",     "section",
    "select",  "style",   "summary", "svg",    "table",      "tbody",    "td",         "textarea",
    "tfoot",   "th",      "thead",   "tr",     "ul",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

static bool is_block(const char *name)
{
    return in_list(name, block_tags, MH_ARRAY_LEN(block_tags));
}

/* Contents copied verbatim up to the closing tag. */
static bool is_raw(const char *name)
{
    static const char *const raw[] = {"pre", "script", "style", "textarea", "svg", "math"};
    return in_list(name, raw, MH_ARRAY_LEN(raw));
}

static bool is_void(const char *name)
{
    static const char *const v[] = {"hr", "col", "area"};
    return in_list(name, v, MH_ARRAY_LEN(v));
}

/* Containers whose text may be split into paragraphs (on blank lines). */
static bool allows_p(const char *name)
{
    static const char *const ok[] = {
        "article", "aside",  "blockquote", "dd",   "details", "div",     "fieldset", "footer",
        "form",    "header", "li",         "main", "nav",     "section", "td",       "th"};
    return in_list(name, ok, MH_ARRAY_LEN(ok));
}

/* If s (at '<') starts a tag, its name lower-cased in name[], *closing,
 * and the end (after '>'); NULL when it is not a tag. */
static const char *scan_tag(const char *s, const char *end, char *name, size_t nsize, bool *closing,
                            bool *selfclose)
{
    const char *p = s + 1;
    *closing = p < end && *p == '/';
    if (*closing)
        p++;
    if (p >= end || !isalpha((unsigned char)*p))
        return NULL;
    size_t n = 0;
    while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == ':')) {
        if (n + 1 < nsize)
            name[n++] = (char)tolower((unsigned char)*p);
        p++;
    }
    name[n] = '\0';
    char q = 0;
    for (; p < end; p++) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '>') {
            *selfclose = p > s && p[-1] == '/';
            return p + 1;
        }
    }
    return NULL;
}

static bool ends_with_br(const mh_buf_t *b)
{
    size_t n = b->len;
    while (n && (b->base[n - 1] == ' ' || b->base[n - 1] == '\t'))
        n--;
    const char *forms[] = {"<br>", "<br/>", "<br />", "<BR>"};
    for (size_t i = 0; i < MH_ARRAY_LEN(forms); i++) {
        size_t l = strlen(forms[i]);
        if (n >= l && strncasecmp(b->base + n - l, forms[i], l) == 0)
            return true;
    }
    return false;
}

/* Append text with single newlines turned into <br />. In seg, newlines
 * inside tags and comments were replaced beforehand (see autop). */
static void put_br(mh_buf_t *out, mh_str_t t)
{
    for (size_t i = 0; i < t.len; i++) {
        char c = t.base[i];
        if (c == '\n') {
            /* trailing spaces before the newline go */
            while (out->len && out->base[out->len - 1] == ' ')
                out->base[--out->len] = '\0';
            if (!ends_with_br(out))
                mh_buf_append_c(out, "<br />");
            mh_buf_putc(out, '\n');
            while (i + 1 < t.len && (t.base[i + 1] == ' ' || t.base[i + 1] == '\t'))
                i++;
        } else if (c == '\x01') {
            mh_buf_putc(out, '\n'); /* a newline kept inside a tag or comment */
        } else {
            mh_buf_putc(out, c);
        }
    }
}

/* Only whitespace and comments? */
static bool blank_or_comments(mh_str_t s)
{
    size_t i = 0;
    while (i < s.len) {
        if (isspace((unsigned char)s.base[i]) || s.base[i] == '\x01') {
            i++;
        } else if (i + 4 <= s.len && memcmp(s.base + i, "<!--", 4) == 0) {
            const char *e = find(s.base + i + 4, s.base + s.len, "-->");
            if (!e)
                return false;
            i = (size_t)(e + 3 - s.base);
        } else {
            return false;
        }
    }
    return true;
}

static void flush(mh_buf_t *out, mh_buf_t *seg, const char *ctx)
{
    mh_str_t s = mh_buf_str(seg);
    if (!s.len)
        return;
    if (blank_or_comments(s)) {
        mh_str_t t = trim_str(s);
        if (t.len) {
            put_br(out, t); /* comments: \x01 back to newlines */
            mh_buf_putc(out, '\n');
        } else if (memchr(s.base, '\n', s.len)) {
            if (out->len && out->base[out->len - 1] != '\n')
                mh_buf_putc(out, '\n');
        } else {
            mh_buf_append(out, s.base, s.len);
        }
        mh_buf_reset(seg);
        return;
    }
    /* a blank line: \n, optional spaces, \n */
    bool blank = false;
    for (size_t i = 0; i < s.len && !blank; i++) {
        if (s.base[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < s.len && (s.base[j] == ' ' || s.base[j] == '\t'))
            j++;
        blank = j < s.len && s.base[j] == '\n';
    }
    bool paras = !ctx || (allows_p(ctx) && blank);
    if (!paras) {
        size_t a, b = s.len;
        /* the simple rule: drop whitespace runs containing newlines at both ends */
        a = 0;
        while (a < b && isspace((unsigned char)s.base[a]))
            a++;
        bool lead_nl = memchr(s.base, '\n', a) != NULL;
        size_t z = b;
        while (z > a && isspace((unsigned char)s.base[z - 1]))
            z--;
        bool trail_nl = memchr(s.base + z, '\n', b - z) != NULL;
        size_t from = lead_nl ? a : 0, to = trail_nl ? z : b;
        put_br(out, mh_str(s.base + from, to - from));
        mh_buf_reset(seg);
        return;
    }
    if (ctx)
        mh_buf_putc(out, '\n');
    size_t i = 0;
    while (i < s.len) {
        /* the next chunk ends at a blank line */
        size_t j = i, stop = s.len, next = s.len;
        for (; j < s.len; j++) {
            if (s.base[j] != '\n')
                continue;
            size_t k = j + 1;
            while (k < s.len && (s.base[k] == ' ' || s.base[k] == '\t'))
                k++;
            if (k < s.len && s.base[k] == '\n') {
                stop = j;
                while (k < s.len && isspace((unsigned char)s.base[k]))
                    k++;
                next = k;
                break;
            }
        }
        mh_str_t chunk = trim_str(mh_str(s.base + i, stop - i));
        if (chunk.len) {
            if (blank_or_comments(chunk)) {
                put_br(out, chunk);
                mh_buf_putc(out, '\n');
            } else {
                mh_buf_append_c(out, "<p>");
                put_br(out, chunk);
                mh_buf_append_c(out, "</p>\n");
            }
        }
        i = next;
    }
    mh_buf_reset(seg);
}

#define MAX_DEPTH 256

int mh_wxr_autop(mh_str_t in, mh_buf_t *out)
{
    /* CRLF and CR to LF; \x01 is reserved as the kept-newline mark */
    mh_buf_t norm;
    mh_buf_init(&norm, out->max);
    mh_buf_reserve(&norm, in.len);
    for (size_t i = 0; i < in.len; i++) {
        char c = in.base[i];
        if (c == '\r') {
            mh_buf_putc(&norm, '\n');
            if (i + 1 < in.len && in.base[i + 1] == '\n')
                i++;
        } else if (c != '\x01') {
            mh_buf_putc(&norm, c);
        }
    }
    if (mh_buf_failed(&norm)) {
        mh_buf_free(&norm);
        return MH_TOOBIG;
    }
    const char *s = mh_buf_str(&norm).base, *end = s + norm.len;
    char stack[MAX_DEPTH][12];
    size_t depth = 0, overflow = 0;
    mh_buf_t seg;
    mh_buf_init(&seg, out->max);
    while (s < end && !mh_buf_failed(out) && !mh_buf_failed(&seg)) {
        char c = *s;
        if (c == '\r') { /* CRLF and CR to LF */
            mh_buf_putc(&seg, '\n');
            s += (s + 1 < end && s[1] == '\n') ? 2 : 1;
            continue;
        }
        if (c == '\x01') { /* reserved as the kept-newline mark */
            s++;
            continue;
        }
        if (c != '<') {
            mh_buf_putc(&seg, c);
            s++;
            continue;
        }
        if (starts(s, end, "<!--")) {
            const char *e = find(s + 4, end, "-->");
            const char *stop = e ? e + 3 : end;
            for (; s < stop; s++)
                mh_buf_putc(&seg, *s == '\n' ? '\x01' : *s == '\r' ? ' ' : *s);
            continue;
        }
        char name[12];
        bool closing = false, selfclose = false;
        const char *te = scan_tag(s, end, name, sizeof(name), &closing, &selfclose);
        if (!te) {
            mh_buf_putc(&seg, c);
            s++;
            continue;
        }
        if (!is_block(name)) {
            for (; s < te; s++)
                mh_buf_putc(&seg, *s == '\n' || *s == '\r' ? ' ' : *s);
            continue;
        }
        const char *ctx = overflow ? "" : depth ? stack[depth - 1] : NULL;
        flush(out, &seg, ctx);
        mh_buf_append(out, s, (size_t)(te - s));
        s = te;
        if (closing) {
            if (overflow) {
                overflow--;
            } else {
                size_t k = depth;
                while (k && strcmp(stack[k - 1], name) != 0)
                    k--;
                if (k)
                    depth = k - 1;
            }
            if (!depth && !overflow)
                mh_buf_putc(out, '\n');
            continue;
        }
        if (is_raw(name) && !selfclose) {
            /* verbatim to the closing tag */
            char closer[16];
            snprintf(closer, sizeof(closer), "</%s", name);
            const char *e = s;
            while ((e = find(e, end, "</")) && !starts_nocase(e, end, closer))
                e += 2;
            const char *stop = e ? e : end;
            mh_buf_append(out, s, (size_t)(stop - s));
            s = stop;
            if (e) {
                bool cl, sc;
                char nm2[12];
                const char *e2 = scan_tag(e, end, nm2, sizeof(nm2), &cl, &sc);
                stop = e2 ? e2 : end;
                mh_buf_append(out, s, (size_t)(stop - s));
                s = stop;
            }
            if (!depth && !overflow)
                mh_buf_putc(out, '\n');
            continue;
        }
        if (is_void(name) || selfclose) {
            if (!depth && !overflow)
                mh_buf_putc(out, '\n');
            continue;
        }
        if (overflow || depth == MAX_DEPTH) {
            overflow++;
        } else {
            snprintf(stack[depth], sizeof(stack[depth]), "%s", name);
            depth++;
        }
    }
    flush(out, &seg, overflow ? "" : depth ? stack[depth - 1] : NULL);
    bool failed = mh_buf_failed(&seg);
    mh_buf_free(&seg);
    mh_buf_free(&norm);
    /* no trailing newline run */
    while (out->len && out->base[out->len - 1] == '\n')
        out->base[--out->len] = '\0';
    return failed || mh_buf_failed(out) ? MH_TOOBIG : MH_OK;
}

/* --- the pipeline ------------------------------------------------------------ */

/* Remove <!--more...--> (keeping the offset of the first in *more_at) and
 * <!--noteaser-->, and turn <!--nextpage--> into a rule. */
static void markers(mh_str_t in, mh_buf_t *out, size_t *more_at, mh_wxr_stats_t *st)
{
    const char *s = in.base, *end = in.base + in.len;
    *more_at = (size_t)-1;
    while (s < end) {
        const char *c = find(s, end, "<!--");
        if (!c) {
            mh_buf_append(out, s, (size_t)(end - s));
            break;
        }
        mh_buf_append(out, s, (size_t)(c - s));
        const char *e = find(c + 4, end, "-->");
        if (e && starts(c, end, "<!--more") && c + 8 < end && (c[8] == '-' || c[8] == ' ')) {
            if (*more_at == (size_t)-1)
                *more_at = out->len;
            st->more = true;
            s = e + 3;
        } else if (e && starts(c, end, "<!--noteaser-->")) {
            s = e + 3;
        } else if (e && starts(c, end, "<!--nextpage-->")) {
            mh_buf_append_c(out, "\n\n<hr class=\"page-break\">\n\n");
            st->pages++;
            s = e + 3;
        } else {
            size_t n = e ? (size_t)(e + 3 - c) : (size_t)(end - c);
            mh_buf_append(out, c, n);
            s = c + n;
        }
    }
}

static int finish(mh_str_t text, bool classic, const mh_wxr_resolver_t *res, mh_buf_t *out,
                  mh_wxr_stats_t *st)
{
    mh_buf_t tmp;
    mh_buf_init(&tmp, out->max);
    int rc = mh_wxr_shortcodes(text, res, classic ? &tmp : out, st);
    if (rc == MH_OK && classic)
        rc = mh_wxr_autop(mh_buf_str(&tmp), out);
    mh_buf_free(&tmp);
    return rc;
}

int mh_wxr_convert(mh_str_t content, const mh_wxr_resolver_t *res, mh_buf_t *summary,
                   mh_buf_t *body, mh_wxr_stats_t *st)
{
    mh_wxr_stats_t local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof(*st));
    bool classic = !mh_wxr_has_blocks(content);
    st->autop = classic;
    size_t cap = summary ? summary->max : body ? body->max : 0;
    if (body && body->max > cap)
        cap = body->max;
    mh_buf_t a, b;
    mh_buf_init(&a, cap);
    mh_buf_init(&b, cap);
    int rc = mh_wxr_strip_blocks(content, &a, st);
    size_t more_at = (size_t)-1;
    if (rc == MH_OK) {
        markers(mh_buf_str(&a), &b, &more_at, st);
        rc = mh_buf_failed(&b) ? MH_TOOBIG : MH_OK;
    }
    if (rc == MH_OK && body)
        rc = finish(mh_buf_str(&b), classic, res, body, st);
    if (rc == MH_OK && summary && more_at != (size_t)-1) {
        /* counted once, with the body */
        mh_wxr_stats_t again = *st;
        rc = finish(mh_str(b.base, more_at), classic, res, summary, &again);
    }
    mh_buf_free(&a);
    mh_buf_free(&b);
    return rc;
}
