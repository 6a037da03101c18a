/* Mustache engine: compile to a node tree, render many times.
 *
 * Compilation runs in three passes over a flat token list, because the
 * standalone-line rules depend on a whole line and (for ~inheritance) on the
 * nesting of the tags on it:
 *   1. tokenize (delimiter changes, tag kinds, nesting checks); text is split
 *      after every newline so a "line" is a run of tokens;
 *   2. standalone lines: their whitespace text is dropped and partials,
 *      parents and blocks on them remember the line's indentation;
 *   3. blocks whose opening tag is standalone strip their intrinsic
 *      indentation from the lines they contain (it is added back where the
 *      block is expanded);
 * then the tree is built with an explicit stack, so deep nesting in the
 * source cannot exhaust the C stack.
 *
 * Indentation of standalone partials is applied while rendering: the
 * renderer keeps a "pending" flag that is set after every newline of
 * template text and emits the active indentation before the next node.
 * Interpolated values never set it, so their newlines are not indented, as
 * the spec requires. All per-render state lives on the C stack. */
#include "tmpl.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_NEST = 100,         /* section nesting in one template */
    MAX_DEPTH = 256,        /* render recursion: sections, partials, blocks */
    MAX_PARTIAL_DEPTH = 64, /* partials and parents inside each other */
    MAX_DELIM = 16,         /* length of a custom delimiter */
    MAX_STEPS = 1 << 23,    /* nodes visited in one render */
    MAX_NAME = 255,         /* partial names handed to a loader */
};

typedef enum {
    N_TEXT,
    N_VAR,
    N_RAW,
    N_SECTION,
    N_INVERTED,
    N_PARTIAL,
    N_PARENT,
    N_BLOCK,
} nkind_t;

typedef struct node node_t;
struct node {
    nkind_t kind;
    bool standalone;
    bool dynamic;
    int line;
    const char *name; /* as written (dynamic names keep their '*'), NUL-terminated */
    mh_str_t key;     /* static partial/parent/block name */
    uint32_t hash;    /* of key */
    mh_str_t *parts;  /* dotted name split at '.'; nparts == 0 means "." */
    uint32_t *hashes; /* mh_val_key_hash of each part, for indexed maps */
    size_t nparts;
    mh_str_t text; /* N_TEXT: bytes; partial, parent, block: indentation */
    node_t *child;
    node_t *next;
};

typedef struct {
    char *name;
    uint32_t hash;
    mh_pool_t *pool;
    node_t *root;
} tmpl_t;

struct mh_tmpl_set {
    tmpl_t **items; /* insertion order, for walks */
    size_t n, cap;
    size_t *slots; /* open addressing: index + 1 into items, 0 = empty */
    size_t nslots;
    mh_tmpl_loader_fn loader;
    void *loader_data;
};

static void seterr(char *err, size_t errlen, const char *fmt, ...) MH_PRINTF(3, 4);
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- set -- */

static tmpl_t *find(const mh_tmpl_set_t *set, const char *name, size_t len, uint32_t h)
{
    if (!set->nslots)
        return NULL;
    size_t mask = set->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        size_t s = set->slots[i];
        if (!s)
            return NULL;
        tmpl_t *t = set->items[s - 1];
        if (t->hash == h && strlen(t->name) == len && memcmp(t->name, name, len) == 0)
            return t;
    }
}

static void index_insert(mh_tmpl_set_t *set, size_t idx)
{
    size_t mask = set->nslots - 1;
    size_t i = set->items[idx]->hash & mask;
    while (set->slots[i])
        i = (i + 1) & mask;
    set->slots[i] = idx + 1;
}

static void set_insert(mh_tmpl_set_t *set, tmpl_t *t)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->items = mh_realloc(set->items, set->cap * sizeof(*set->items));
    }
    set->items[set->n++] = t;
    if (set->n * 2 > set->nslots) {
        free(set->slots);
        set->nslots = set->nslots ? set->nslots * 2 : 32;
        while (set->n * 2 > set->nslots)
            set->nslots *= 2;
        set->slots = mh_calloc(set->nslots, sizeof(*set->slots));
        for (size_t i = 0; i < set->n; i++)
            index_insert(set, i);
    } else {
        index_insert(set, set->n - 1);
    }
}

mh_tmpl_set_t *mh_tmpl_set_new(void)
{
    return mh_calloc(1, sizeof(mh_tmpl_set_t));
}

void mh_tmpl_set_free(mh_tmpl_set_t *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        mh_pool_destroy(set->items[i]->pool);
    free(set->items);
    free(set->slots);
    free(set);
}

void mh_tmpl_set_loader(mh_tmpl_set_t *set, mh_tmpl_loader_fn fn, void *data)
{
    set->loader = fn;
    set->loader_data = data;
}

int mh_tmpl_has(const mh_tmpl_set_t *set, const char *name)
{
    size_t len = strlen(name);
    return find(set, name, len, mh_val_key_hash(name, len)) != NULL;
}

/* ------------------------------------------------------------ tokens -- */

typedef enum {
    T_TEXT,
    T_VAR,
    T_RAW,
    T_SECTION,
    T_INVERTED,
    T_CLOSE,
    T_PARTIAL,
    T_PARENT,
    T_BLOCK,
    T_COMMENT,
    T_DELIM,
} tkind_t;

typedef struct {
    tkind_t kind;
    bool bol;         /* text that starts a line */
    bool removed;     /* whitespace of a standalone line */
    bool standalone;  /* tag alone on its line */
    bool transparent; /* parent tags, and blocks directly inside a parent */
    bool dynamic;
    int line;
    size_t group; /* line number counted in tokens (tags may span lines) */
    size_t match; /* open <-> close */
    mh_str_t s;   /* text bytes, or the name (without '*') */
    mh_str_t raw; /* the trimmed tag content, for matching closing tags */
    mh_str_t indent;
} tok_t;

typedef struct {
    const char *name;
    const char *src;
    size_t len;
    tok_t *toks;
    size_t n, cap;
    mh_pool_t *pool;
    char *err;
    size_t errlen;
} parser_t;

static tok_t *tok_push(parser_t *ps, tkind_t kind, int line, size_t group)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->toks = mh_realloc(ps->toks, ps->cap * sizeof(*ps->toks));
    }
    tok_t *t = &ps->toks[ps->n++];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    t->line = line;
    t->group = group;
    return t;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static mh_str_t trim(const char *s, size_t len)
{
    while (len && is_ws(*s)) {
        s++;
        len--;
    }
    while (len && is_ws(s[len - 1]))
        len--;
    return mh_str(s, len);
}

static bool has_ws(mh_str_t s)
{
    for (size_t i = 0; i < s.len; i++)
        if (is_ws(s.base[i]))
            return true;
    return false;
}

/* A dotted name: "." or parts separated by single dots. */
static bool valid_dotted(mh_str_t s)
{
    if (s.len == 1 && s.base[0] == '.')
        return true;
    if (!s.len || s.base[0] == '.' || s.base[s.len - 1] == '.')
        return false;
    for (size_t i = 1; i < s.len; i++)
        if (s.base[i] == '.' && s.base[i - 1] == '.')
            return false;
    return true;
}

static bool tag_is_open(tkind_t k)
{
    return k == T_SECTION || k == T_INVERTED || k == T_PARENT || k == T_BLOCK;
}

static const char *kind_sigil(tkind_t k)
{
    switch (k) {
    case T_SECTION:
        return "#";
    case T_INVERTED:
        return "^";
    case T_PARENT:
        return "<";
    case T_BLOCK:
        return "$";
    default:
        return "";
    }
}

static int set_delims(parser_t *ps, mh_str_t c, int line, char *otag, size_t *olen, char *ctag,
                      size_t *clen)
{
    /* c is the content between '=' and '=': "open close" */
    c = trim(c.base, c.len);
    size_t i = 0;
    while (i < c.len && !is_ws(c.base[i]))
        i++;
    mh_str_t o = mh_str(c.base, i);
    mh_str_t cl = trim(c.base + i, c.len - i);
    if (!o.len || !cl.len || o.len > MAX_DELIM || cl.len > MAX_DELIM || has_ws(cl) ||
        memchr(o.base, '=', o.len) || memchr(cl.base, '=', cl.len)) {
        seterr(ps->err, ps->errlen, "%s:%d: bad delimiters in set-delimiter tag", ps->name, line);
        return MH_ERR;
    }
    memcpy(otag, o.base, o.len);
    *olen = o.len;
    memcpy(ctag, cl.base, cl.len);
    *clen = cl.len;
    return MH_OK;
}

static int tokenize(parser_t *ps)
{
    const char *src = ps->src;
    size_t len = ps->len;
    char otag[MAX_DELIM] = "{{", ctag[MAX_DELIM] = "}}";
    size_t olen = 2, clen = 2;
    size_t stack[MAX_NEST];
    size_t depth = 0;
    size_t pos = 0, group = 0;
    int line = 1;
    bool bol = true;

    while (pos < len) {
        const char *o = memmem(src + pos, len - pos, otag, olen);
        size_t tend = o ? (size_t)(o - src) : len;
        while (pos < tend) {
            const char *nl = memchr(src + pos, '\n', tend - pos);
            size_t e = nl ? (size_t)(nl - src) + 1 : tend;
            tok_t *t = tok_push(ps, T_TEXT, line, group);
            t->s = mh_str(src + pos, e - pos);
            t->bol = bol;
            bol = false;
            if (nl) {
                line++;
                group++;
                bol = true;
            }
            pos = e;
        }
        if (!o)
            break;

        int tline = line;
        size_t p = pos + olen, cstart, cend, after;
        char type = p < len ? src[p] : '\0';
        if (type == '{') {
            char need[MAX_DELIM + 1];
            need[0] = '}';
            memcpy(need + 1, ctag, clen);
            const char *c = memmem(src + p + 1, len - p - 1, need, clen + 1);
            if (!c) {
                seterr(ps->err, ps->errlen, "%s:%d: unclosed tag", ps->name, tline);
                return MH_ERR;
            }
            cstart = p + 1;
            cend = (size_t)(c - src);
            after = cend + clen + 1;
        } else {
            const char *c = memmem(src + p, len - p, ctag, clen);
            if (!c) {
                seterr(ps->err, ps->errlen, "%s:%d: unclosed tag", ps->name, tline);
                return MH_ERR;
            }
            cstart = p;
            cend = (size_t)(c - src);
            after = cend + clen;
            if (type && strchr("&#^/!><$=", type))
                cstart++;
        }
        for (size_t q = pos; q < after; q++)
            if (src[q] == '\n')
                line++;
        pos = after;
        bol = false;
        if (cstart > cend)
            cstart = cend; /* "{{=}}": the '=' was taken as the sigil */
        mh_str_t content = trim(src + cstart, cend - cstart);

        tkind_t kind;
        switch (type) {
        case '!':
            kind = T_COMMENT;
            break;
        case '=':
            kind = T_DELIM;
            break;
        case '{':
        case '&':
            kind = T_RAW;
            break;
        case '#':
            kind = T_SECTION;
            break;
        case '^':
            kind = T_INVERTED;
            break;
        case '/':
            kind = T_CLOSE;
            break;
        case '>':
            kind = T_PARTIAL;
            break;
        case '<':
            kind = T_PARENT;
            break;
        case '$':
            kind = T_BLOCK;
            break;
        default:
            kind = T_VAR;
            break;
        }
        tok_t *t = tok_push(ps, kind, tline, group);
        t->raw = content;
        t->s = content;
        if (kind == T_COMMENT)
            continue;
        if (kind == T_DELIM) {
            mh_str_t c = mh_str(src + cstart, cend - cstart);
            if (!c.len || c.base[c.len - 1] != '=') {
                seterr(ps->err, ps->errlen, "%s:%d: bad delimiters in set-delimiter tag", ps->name,
                       tline);
                return MH_ERR;
            }
            c.len--;
            if (set_delims(ps, c, tline, otag, &olen, ctag, &clen) != MH_OK)
                return MH_ERR;
            continue;
        }
        if ((kind == T_PARTIAL || kind == T_PARENT) && content.len && content.base[0] == '*') {
            t->dynamic = true;
            t->s = trim(content.base + 1, content.len - 1);
        }
        bool ok = t->s.len > 0 && !has_ws(t->s);
        if (ok && (t->dynamic || kind == T_VAR || kind == T_RAW || kind == T_SECTION ||
                   kind == T_INVERTED))
            ok = valid_dotted(t->s);
        if (!ok) {
            seterr(ps->err, ps->errlen, "%s:%d: bad tag name '%.*s'", ps->name, tline,
                   (int)content.len, content.base);
            return MH_ERR;
        }
        size_t idx = ps->n - 1;
        if (tag_is_open(kind)) {
            if (depth == MAX_NEST) {
                seterr(ps->err, ps->errlen, "%s:%d: sections nested too deeply (limit %d)",
                       ps->name, tline, MAX_NEST);
                return MH_ERR;
            }
            t->transparent = kind == T_PARENT || (kind == T_BLOCK && depth > 0 &&
                                                  ps->toks[stack[depth - 1]].kind == T_PARENT);
            stack[depth++] = idx;
        } else if (kind == T_CLOSE) {
            if (!depth) {
                seterr(ps->err, ps->errlen, "%s:%d: closing tag '/%.*s' without an opening tag",
                       ps->name, tline, (int)content.len, content.base);
                return MH_ERR;
            }
            tok_t *open = &ps->toks[stack[depth - 1]];
            if (!mh_str_eq(open->raw, content)) {
                seterr(ps->err, ps->errlen,
                       "%s:%d: closing tag '/%.*s' does not match '%s%.*s' opened at line %d",
                       ps->name, tline, (int)content.len, content.base, kind_sigil(open->kind),
                       (int)open->raw.len, open->raw.base, open->line);
                return MH_ERR;
            }
            t->transparent = open->transparent;
            t->match = stack[depth - 1];
            open->match = idx;
            depth--;
        }
    }
    if (depth) {
        tok_t *open = &ps->toks[stack[depth - 1]];
        seterr(ps->err, ps->errlen, "%s:%d: unclosed section '%s%.*s'", ps->name, open->line,
               kind_sigil(open->kind), (int)open->raw.len, open->raw.base);
        return MH_ERR;
    }
    return MH_OK;
}

/* Whitespace only, allowing the line's own "\n" or "\r\n" at the end. */
static bool blank_text(mh_str_t s)
{
    size_t n = s.len;
    if (n && s.base[n - 1] == '\n') {
        n--;
        if (n && s.base[n - 1] == '\r')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        if (s.base[i] != ' ' && s.base[i] != '\t')
            return false;
    return true;
}

static mh_str_t lead_ws(mh_str_t s)
{
    size_t i = 0;
    while (i < s.len && (s.base[i] == ' ' || s.base[i] == '\t'))
        i++;
    return mh_str(s.base, i);
}

/* A line is standalone when it holds only whitespace and either exactly one
 * non-output tag, or only "transparent" ones: the text of a parent's body is
 * ignored, so "{{<parent}}{{$block}}" or "{{/block}}{{/parent}}" still make a
 * standalone line. */
static void mark_standalone(parser_t *ps)
{
    size_t i = 0;
    while (i < ps->n) {
        size_t g = ps->toks[i].group, j;
        bool ok = true;
        int opaque = 0, clear = 0;
        for (j = i; j < ps->n && ps->toks[j].group == g; j++) {
            tok_t *t = &ps->toks[j];
            if (t->kind == T_TEXT) {
                if (!blank_text(t->s))
                    ok = false;
            } else if (t->kind == T_VAR || t->kind == T_RAW) {
                ok = false;
            } else if (t->transparent) {
                clear++;
            } else {
                opaque++;
            }
        }
        mh_str_t ind = ps->toks[i].kind == T_TEXT ? lead_ws(ps->toks[i].s) : mh_str("", 0);
        if (ok && (opaque == 1 || (opaque == 0 && clear > 0))) {
            for (size_t k = i; k < j; k++) {
                tok_t *t = &ps->toks[k];
                if (t->kind == T_TEXT) {
                    t->removed = true;
                    continue;
                }
                t->standalone = true;
                if (t->kind == T_PARTIAL || t->kind == T_PARENT)
                    t->indent = ind;
                if (t->kind == T_BLOCK) {
                    /* Indentation comes from the next line (the default
                     * content, or the closing tag). */
                    t->indent = mh_str("", 0);
                    if (j < ps->n && ps->toks[j].group == g + 1 && ps->toks[j].kind == T_TEXT)
                        t->indent = lead_ws(ps->toks[j].s);
                }
            }
        } else {
            /* An inline block indents its later lines like its own. */
            for (size_t k = i; k < j; k++) {
                tok_t *t = &ps->toks[k];
                if (t->kind == T_BLOCK) {
                    if (k == i)
                        t->indent = mh_str("", 0);
                    else if (k == i + 1 && ps->toks[i].kind == T_TEXT &&
                             lead_ws(ps->toks[i].s).len == ps->toks[i].s.len)
                        t->indent = ps->toks[i].s;
                }
            }
        }
        i = j;
    }
}

static mh_str_t strip_prefix(mh_str_t s, mh_str_t w)
{
    size_t i = 0;
    while (i < s.len && i < w.len && s.base[i] == w.base[i])
        i++;
    return i ? mh_str(s.base + i, s.len - i) : s;
}

/* Block indentation is removed where a block is defined and added where it
 * is expanded. Outer blocks go first, so inner ones see relative values. */
static void strip_blocks(parser_t *ps)
{
    for (size_t k = 0; k < ps->n; k++) {
        tok_t *b = &ps->toks[k];
        if (b->kind != T_BLOCK || !b->standalone || !b->indent.len)
            continue;
        mh_str_t w = b->indent;
        for (size_t m = k + 1; m < b->match; m++) {
            tok_t *t = &ps->toks[m];
            if (t->kind == T_TEXT && t->bol && !t->removed)
                t->s = strip_prefix(t->s, w);
            else if (t->kind == T_PARTIAL || t->kind == T_PARENT || t->kind == T_BLOCK)
                t->indent = strip_prefix(t->indent, w);
        }
    }
}

/* -------------------------------------------------------------- tree -- */

static void split_parts(mh_pool_t *pool, node_t *n, mh_str_t s)
{
    if (s.len == 1 && s.base[0] == '.')
        return;
    size_t cnt = 1;
    for (size_t i = 0; i < s.len; i++)
        cnt += s.base[i] == '.';
    n->parts = mh_pnalloc(pool, cnt, sizeof(*n->parts));
    n->hashes = mh_pnalloc(pool, cnt, sizeof(*n->hashes));
    size_t start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || s.base[i] == '.') {
            n->hashes[n->nparts] = mh_val_key_hash(s.base + start, i - start);
            n->parts[n->nparts++] = mh_str(s.base + start, i - start);
            start = i + 1;
        }
    }
}

typedef struct {
    node_t *node;
    node_t **tail;
} bframe_build_t;

static void flush_text(parser_t *ps, size_t first, size_t last, node_t ***tail)
{
    size_t total = 0, count = 0, only = 0;
    for (size_t i = first; i < last; i++) {
        tok_t *t = &ps->toks[i];
        if (t->kind == T_TEXT && !t->removed && t->s.len) {
            total += t->s.len;
            count++;
            only = i;
        }
    }
    if (!count)
        return;
    node_t *n = mh_pcalloc(ps->pool, sizeof(*n));
    n->kind = N_TEXT;
    n->line = ps->toks[only].line;
    if (count == 1) {
        n->text = ps->toks[only].s;
    } else {
        char *buf = mh_palloc(ps->pool, total);
        size_t off = 0;
        for (size_t i = first; i < last; i++) {
            tok_t *t = &ps->toks[i];
            if (t->kind == T_TEXT && !t->removed && t->s.len) {
                memcpy(buf + off, t->s.base, t->s.len);
                off += t->s.len;
            }
        }
        n->text = mh_str(buf, total);
    }
    **tail = n;
    *tail = &n->next;
}

static node_t *build(parser_t *ps)
{
    node_t *root = NULL;
    bframe_build_t st[MAX_NEST + 1];
    size_t depth = 0;
    st[0].node = NULL;
    st[0].tail = &root;
    size_t run = 0; /* first token of the pending text run */

    for (size_t i = 0; i < ps->n; i++) {
        tok_t *t = &ps->toks[i];
        if (t->kind == T_TEXT || t->kind == T_COMMENT || t->kind == T_DELIM)
            continue;
        flush_text(ps, run, i, &st[depth].tail);
        run = i + 1;
        if (t->kind == T_CLOSE) {
            depth--;
            continue;
        }
        node_t *n = mh_pcalloc(ps->pool, sizeof(*n));
        n->line = t->line;
        n->standalone = t->standalone;
        n->dynamic = t->dynamic;
        n->name = mh_pstrndup(ps->pool, t->raw.base, t->raw.len);
        n->key = t->s;
        n->hash = mh_val_key_hash(t->s.base, t->s.len);
        n->text = t->indent;
        switch (t->kind) {
        case T_VAR:
            n->kind = N_VAR;
            break;
        case T_RAW:
            n->kind = N_RAW;
            break;
        case T_SECTION:
            n->kind = N_SECTION;
            break;
        case T_INVERTED:
            n->kind = N_INVERTED;
            break;
        case T_PARTIAL:
            n->kind = N_PARTIAL;
            break;
        case T_PARENT:
            n->kind = N_PARENT;
            break;
        default:
            n->kind = N_BLOCK;
            break;
        }
        if (n->kind == N_VAR || n->kind == N_RAW || n->kind == N_SECTION || n->kind == N_INVERTED ||
            n->dynamic)
            split_parts(ps->pool, n, t->s);
        *st[depth].tail = n;
        st[depth].tail = &n->next;
        if (tag_is_open(t->kind)) {
            depth++;
            st[depth].node = n;
            st[depth].tail = &n->child;
        }
    }
    flush_text(ps, run, ps->n, &st[depth].tail);
    return root;
}

int mh_tmpl_add(mh_tmpl_set_t *set, const char *name, const char *src, size_t len, char *err,
                size_t errlen)
{
    int rc = MH_ERR;
    mh_pool_t *pool = mh_pool_create();
    parser_t ps = {.name = name, .len = len, .pool = pool, .err = err, .errlen = errlen};
    ps.src = mh_pstrndup(pool, src ? src : "", src ? len : 0);
    if (tokenize(&ps) != MH_OK)
        goto cleanup;
    mark_standalone(&ps);
    strip_blocks(&ps);

    tmpl_t *t = mh_pcalloc(pool, sizeof(*t));
    t->pool = pool;
    t->name = mh_pstrdup(pool, name);
    t->hash = mh_val_key_hash(name, strlen(name));
    t->root = build(&ps);

    tmpl_t *old = find(set, name, strlen(name), t->hash);
    if (old) {
        for (size_t i = 0; i < set->n; i++)
            if (set->items[i] == old)
                set->items[i] = t;
        mh_pool_destroy(old->pool);
    } else {
        set_insert(set, t);
    }
    pool = NULL;
    rc = MH_OK;
cleanup:
    free(ps.toks);
    if (pool)
        mh_pool_destroy(pool);
    return rc;
}

/* ------------------------------------------------------------ render -- */

typedef struct cframe {
    mh_val_t *v;
    const struct cframe *up;
} cframe_t;

typedef struct ind {
    mh_str_t s;
    size_t total;
    const struct ind *prev;
} ind_t;

/* The parent tags being expanded; outer ones take precedence. */
typedef struct bframe {
    const node_t *parent;
    const struct bframe *outer;
} bframe_t;

typedef struct {
    mh_tmpl_set_t *set;
    mh_pool_t *pool;
    mh_buf_t *out;
    int flags;
    char *err;
    size_t errlen;
    bool pending;
    int depth;
    int pdepth;
    long steps;
    const char *tname;
} rstate_t;

static int render_nodes(rstate_t *r, const node_t *n, const cframe_t *ctx, const ind_t *ind,
                        const bframe_t *blocks);

static int emit_indent(rstate_t *r, const ind_t *ind)
{
    if (!ind)
        return MH_OK;
    if (emit_indent(r, ind->prev) != MH_OK)
        return MH_TOOBIG;
    return mh_buf_append(r->out, ind->s.base, ind->s.len);
}

/* A node that is not a standalone tag starts: the line has begun. */
static int node_start(rstate_t *r, const ind_t *ind)
{
    if (!r->pending)
        return MH_OK;
    r->pending = false;
    return ind && ind->total ? emit_indent(r, ind) : MH_OK;
}

static int put_text(rstate_t *r, mh_str_t t, const ind_t *ind)
{
    if (!ind || !ind->total) {
        r->pending = t.len ? t.base[t.len - 1] == '\n' : r->pending;
        return mh_buf_append(r->out, t.base, t.len);
    }
    const char *p = t.base, *end = t.base + t.len;
    while (p < end) {
        if (r->pending) {
            r->pending = false;
            if (emit_indent(r, ind) != MH_OK)
                return MH_TOOBIG;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl + 1 : end;
        if (mh_buf_append(r->out, p, (size_t)(e - p)) != MH_OK)
            return MH_TOOBIG;
        if (nl)
            r->pending = true;
        p = e;
    }
    return MH_OK;
}

/* mh_val_force without the call for the usual value that is not lazy. */
static inline mh_val_t *force(mh_pool_t *pool, mh_val_t *v)
{
    return v && v->kind != MH_V_LAZY ? v : mh_val_force(pool, v);
}

/* mh_val_get without the calls, and with the name's hash from compile time:
 * lookups are the hot path of rendering, and most values are not lazy. */
static inline mh_val_t *get_key(mh_pool_t *pool, mh_val_t *m, mh_str_t key, uint32_t hash)
{
    if (m->kind == MH_V_LAZY)
        m = mh_val_force(pool, m);
    if (m->kind != MH_V_MAP)
        return NULL;
    mh_kv_t *kv = mh_val_map_find(m, key, hash);
    if (!kv)
        return NULL;
    mh_val_t *v = kv->val;
    return !v || v->kind == MH_V_LAZY ? mh_val_force(pool, v) : v;
}

static mh_val_t *lookup(rstate_t *r, const node_t *n, const cframe_t *ctx)
{
    if (!n->nparts)
        return ctx ? ctx->v : NULL;
    mh_val_t *v = NULL;
    for (const cframe_t *f = ctx; f && !v; f = f->up)
        v = get_key(r->pool, f->v, n->parts[0], n->hashes[0]);
    for (size_t i = 1; v && i < n->nparts; i++)
        v = get_key(r->pool, v, n->parts[i], n->hashes[i]);
    return v;
}

static size_t fmt_num(double d, char *buf, size_t size)
{
    int len = snprintf(buf, size, "%.15g", d);
    if (isfinite(d) && strtod(buf, NULL) != d)
        len = snprintf(buf, size, "%.17g", d);
    return len > 0 ? (size_t)len : 0;
}

static int put_value(rstate_t *r, mh_val_t *v, bool escape)
{
    char num[40];
    size_t len;
    v = force(r->pool, v);
    switch (v->kind) {
    case MH_V_STR:
    case MH_V_HTML:
        if (escape)
            return mh_buf_append_html(r->out, v->u.str.base, v->u.str.len);
        return mh_buf_append(r->out, v->u.str.base, v->u.str.len);
    case MH_V_INT:
        len = (size_t)snprintf(num, sizeof(num), "%lld", (long long)v->u.i);
        return mh_buf_append(r->out, num, len);
    case MH_V_NUM:
        len = fmt_num(v->u.num, num, sizeof(num));
        return mh_buf_append(r->out, num, len);
    case MH_V_BOOL:
        return mh_buf_append_c(r->out, v->u.b ? "true" : "false");
    default:
        return MH_OK;
    }
}

static int limit_err(rstate_t *r, const node_t *n, const char *what, int limit)
{
    seterr(r->err, r->errlen, "%s:%d: %s (limit %d)", r->tname, n->line, what, limit);
    return MH_ERR;
}

static int load_partial(rstate_t *r, const node_t *n, mh_str_t name, uint32_t h, tmpl_t **out)
{
    *out = find(r->set, name.base, name.len, h);
    if (*out || !r->set->loader)
        return MH_OK;
    char cname[MAX_NAME + 1];
    if (!name.len || name.len > MAX_NAME || memchr(name.base, '\0', name.len))
        return MH_OK;
    memcpy(cname, name.base, name.len);
    cname[name.len] = '\0';
    char *src = NULL;
    size_t len = 0;
    int rc = r->set->loader(r->set->loader_data, cname, &src, &len);
    if (rc == MH_DECLINED)
        return MH_OK;
    if (rc != MH_OK) {
        free(src);
        seterr(r->err, r->errlen, "%s:%d: cannot load partial '%s'", r->tname, n->line, cname);
        return MH_ERR;
    }
    rc = mh_tmpl_add(r->set, cname, src, len, r->err, r->errlen);
    free(src);
    if (rc != MH_OK)
        return MH_ERR;
    *out = find(r->set, name.base, name.len, h);
    return MH_OK;
}

/* Partials and parents: another template at this point, indented when the
 * tag stands alone on its line. */
static int render_partial(rstate_t *r, const node_t *n, const cframe_t *ctx, const ind_t *ind,
                          const bframe_t *blocks)
{
    if (!n->standalone) {
        int rc = node_start(r, ind);
        if (rc != MH_OK)
            return rc;
    }
    mh_str_t name = n->key;
    uint32_t h = n->hash;
    if (n->dynamic) {
        mh_val_t *v = lookup(r, n, ctx);
        if (!v || (v->kind != MH_V_STR && v->kind != MH_V_HTML))
            return MH_OK;
        name = v->u.str;
        h = mh_val_key_hash(name.base, name.len);
    }
    tmpl_t *t;
    if (load_partial(r, n, name, h, &t) != MH_OK)
        return MH_ERR;
    if (!t)
        return MH_OK;
    if (r->pdepth >= MAX_PARTIAL_DEPTH)
        return limit_err(r, n, "partials nested too deeply", MAX_PARTIAL_DEPTH);

    ind_t own;
    const ind_t *nind = NULL;
    if (n->standalone) {
        nind = ind;
        if (n->text.len) {
            own.s = n->text;
            own.total = (ind ? ind->total : 0) + n->text.len;
            own.prev = ind;
            nind = &own;
        }
    }
    bframe_t bf = {n, blocks};
    const char *saved = r->tname;
    r->tname = t->name;
    r->pdepth++;
    int rc = render_nodes(r, t->root, ctx, nind, n->kind == N_PARENT ? &bf : blocks);
    r->pdepth--;
    r->tname = saved;
    if (!n->standalone)
        r->pending = false;
    return rc;
}

static int render_block(rstate_t *r, const node_t *n, const cframe_t *ctx, const ind_t *ind,
                        const bframe_t *blocks)
{
    const node_t *content = n->child;
    for (const bframe_t *f = blocks; f; f = f->outer)
        for (const node_t *c = f->parent->child; c; c = c->next)
            if (c->kind == N_BLOCK && mh_str_eq(c->key, n->key))
                content = c->child;
    ind_t own;
    const ind_t *nind = ind;
    if (n->text.len) {
        own.s = n->text;
        own.total = (ind ? ind->total : 0) + n->text.len;
        own.prev = ind;
        nind = &own;
    }
    if (!n->standalone) {
        int rc = node_start(r, ind);
        if (rc != MH_OK)
            return rc;
    }
    return render_nodes(r, content, ctx, nind, blocks);
}

static int render_section(rstate_t *r, const node_t *n, const cframe_t *ctx, const ind_t *ind,
                          const bframe_t *blocks)
{
    if (!n->standalone) {
        int rc = node_start(r, ind);
        if (rc != MH_OK)
            return rc;
    }
    mh_val_t *v = lookup(r, n, ctx);
    bool truthy = v && mh_val_truthy(r->pool, v);
    if (n->kind == N_INVERTED)
        return truthy ? MH_OK : render_nodes(r, n->child, ctx, ind, blocks);
    if (!truthy)
        return MH_OK;
    v = force(r->pool, v);
    if (v->kind != MH_V_LIST) {
        cframe_t f = {v, ctx};
        return render_nodes(r, n->child, &f, ind, blocks);
    }
    for (size_t i = 0; i < v->u.list.n; i++) {
        cframe_t f = {force(r->pool, v->u.list.items[i]), ctx};
        int rc = render_nodes(r, n->child, &f, ind, blocks);
        if (rc != MH_OK)
            return rc;
    }
    return MH_OK;
}

static int render_nodes(rstate_t *r, const node_t *n, const cframe_t *ctx, const ind_t *ind,
                        const bframe_t *blocks)
{
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        return limit_err(r, n ? n : &(node_t){.line = 0}, "templates nested too deeply", MAX_DEPTH);
    }
    int rc = MH_OK;
    r->steps++; /* entering a body counts, so empty loops are bounded too */
    for (; n && rc == MH_OK; n = n->next) {
        if (++r->steps > MAX_STEPS) {
            rc = limit_err(r, n, "template does too much work", MAX_STEPS);
            break;
        }
        switch (n->kind) {
        case N_TEXT:
            rc = put_text(r, n->text, ind);
            break;
        case N_VAR:
        case N_RAW: {
            rc = node_start(r, ind);
            mh_val_t *v = rc == MH_OK ? lookup(r, n, ctx) : NULL;
            if (!v)
                break;
            v = force(r->pool, v);
            bool escape = n->kind == N_VAR || ((r->flags & MH_TMPL_STRICT) && v->kind != MH_V_HTML);
            rc = put_value(r, v, escape);
            break;
        }
        case N_SECTION:
        case N_INVERTED:
            rc = render_section(r, n, ctx, ind, blocks);
            break;
        case N_PARTIAL:
        case N_PARENT:
            rc = render_partial(r, n, ctx, ind, blocks);
            break;
        case N_BLOCK:
            rc = render_block(r, n, ctx, ind, blocks);
            break;
        }
    }
    r->depth--;
    return rc;
}

int mh_tmpl_render(mh_tmpl_set_t *set, const char *name, mh_pool_t *pool, mh_val_t *ctx, int flags,
                   mh_buf_t *out, char *err, size_t errlen)
{
    size_t len = strlen(name);
    tmpl_t *t = find(set, name, len, mh_val_key_hash(name, len));
    if (!t) {
        seterr(err, errlen, "%s: no such template", name);
        return MH_DECLINED;
    }
    rstate_t r = {.set = set,
                  .pool = pool,
                  .out = out,
                  .flags = flags,
                  .err = err,
                  .errlen = errlen,
                  .pending = true,
                  .tname = t->name};
    cframe_t top = {ctx ? mh_val_force(pool, ctx) : NULL, NULL};
    int rc = render_nodes(&r, t->root, ctx ? &top : NULL, NULL, NULL);
    if (rc == MH_TOOBIG)
        seterr(err, errlen, "%s: output larger than %zu bytes", name, out->max);
    return rc;
}

/* -------------------------------------------------------------- walk -- */

static void walk(const tmpl_t *t, const node_t *n, mh_tmpl_name_fn fn, void *data,
                 const char **secs, size_t ns)
{
    for (; n; n = n->next) {
        switch (n->kind) {
        case N_TEXT:
            break;
        case N_VAR:
        case N_RAW:
            fn(data, t->name, 'v', n->name, secs, ns, n->line);
            break;
        case N_SECTION:
            fn(data, t->name, '#', n->name, secs, ns, n->line);
            secs[ns] = n->name;
            walk(t, n->child, fn, data, secs, ns + 1);
            break;
        case N_INVERTED:
            fn(data, t->name, '^', n->name, secs, ns, n->line);
            walk(t, n->child, fn, data, secs, ns);
            break;
        case N_PARTIAL:
            fn(data, t->name, '>', n->name, secs, ns, n->line);
            break;
        case N_PARENT:
            fn(data, t->name, '<', n->name, secs, ns, n->line);
            walk(t, n->child, fn, data, secs, ns);
            break;
        case N_BLOCK:
            fn(data, t->name, '$', n->name, secs, ns, n->line);
            walk(t, n->child, fn, data, secs, ns);
            break;
        }
    }
}

void mh_tmpl_walk_names(const mh_tmpl_set_t *set, mh_tmpl_name_fn fn, void *data)
{
    const char *secs[MAX_NEST + 1];
    for (size_t i = 0; i < set->n; i++)
        walk(set->items[i], set->items[i]->root, fn, data, secs, 0);
}
