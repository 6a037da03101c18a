/* WXR reader on libxml2's xmlTextReader. Why a streaming reader: exports of
 * large sites run to gigabytes, and the importer needs one item at a time.
 * Why the DOCTYPE is refused: WordPress never writes one, and without it no
 * entity other than the five predefined ones can exist, which closes entity
 * expansion (billion laughs) and external entities (XXE) whatever libxml2's
 * own defaults are. Each top-level element is read into a pool that is reset
 * after its callback, so memory is bounded by one item. */
#include "wxr.h"

#include <errno.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "../core/common.h"
#include "../core/pool.h"

#define DEFAULT_MAX_FIELD ((size_t)64 << 20)

enum { NS_NONE, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_OTHER };

typedef struct {
    xmlTextReaderPtr r;
    const char *name;
    const mh_wxr_handler_t *h;
    size_t max_field;
    size_t max_item;      /* bytes held for one author, term or item */
    mh_pool_t *pool;      /* the current author, term or item */
    mh_pool_t *site_pool; /* the channel's own fields */
    mh_wxr_site_t site;
    bool site_sent;
    char *err;
    size_t errsize;
    bool failed;       /* err holds a message */
    char xml_msg[256]; /* libxml2's first error */
    unsigned long xml_line;
    uint64_t total;
} parser_t;

static void set_err(parser_t *p, unsigned long line, const char *fmt, const char *a, const char *b)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, a, b);
    if (line)
        snprintf(p->err, p->errsize, "%s:%lu: %s", p->name, line, msg);
    else
        snprintf(p->err, p->errsize, "%s: %s", p->name, msg);
}

/* The current node's own line when there is one (the parser reads ahead),
 * else the parser's. */
static unsigned long cur_line(parser_t *p)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
    long l = n ? xmlGetLineNo(n) : -1;
    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(p->r);
    return l > 0 ? (unsigned long)l : 0;
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *arg, const xmlError *e)
#else
static void on_xml_error(void *arg, xmlErrorPtr e)
#endif
{
    parser_t *p = arg;
    if (!e || e->level < XML_ERR_ERROR || p->xml_msg[0])
        return;
    snprintf(p->xml_msg, sizeof(p->xml_msg), "%s", e->message ? e->message : "XML error");
    size_t n = strlen(p->xml_msg);
    while (n && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
        p->xml_msg[--n] = '\0';
    p->xml_line = e->line > 0 ? (unsigned long)e->line : 0;
}

/* Keep libxml2 quiet on stderr: every error reaches us through the reader's
 * structured handler; this catches what goes to the generic one. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* rc of xmlTextReaderRead was 0 or -1 while `what` was expected. */
static int read_failed(parser_t *p, int rc, const char *what)
{
    if (p->xml_msg[0] || rc < 0) {
        unsigned long line = p->xml_line ? p->xml_line : cur_line(p);
        set_err(p, line, "malformed XML: %s (expected %s)",
                p->xml_msg[0] ? p->xml_msg : "read error", what);
    } else {
        set_err(p, cur_line(p), "unexpected end of the file (expected %s)%s", what, "");
    }
    return MH_ERR;
}

static int next(parser_t *p, const char *what)
{
    int rc = xmlTextReaderRead(p->r);
    if (rc == 1 && p->xml_msg[0])
        rc = -1; /* recovered errors still fail */
    if (rc != 1)
        return read_failed(p, rc, what);
    int t = xmlTextReaderNodeType(p->r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
        set_err(p, cur_line(p), "a DOCTYPE is not allowed in a WordPress export%s%s", "", "");
        return MH_ERR;
    }
    if (t == XML_READER_TYPE_ENTITY_REFERENCE || t == XML_READER_TYPE_ENTITY) {
        set_err(p, cur_line(p), "entity references are not allowed%s%s", "", "");
        return MH_ERR;
    }
    return MH_OK;
}

static int ns_of(parser_t *p)
{
    const char *u = (const char *)xmlTextReaderConstNamespaceUri(p->r);
    if (!u)
        return NS_NONE;
    if (strstr(u, "wordpress.org/export/")) {
        size_t n = strlen(u);
        return n >= 9 && strcmp(u + n - 9, "/excerpt/") == 0 ? NS_EXCERPT : NS_WP;
    }
    if (strcmp(u, "http://purl.org/rss/1.0/modules/content/") == 0)
        return NS_CONTENT;
    if (strcmp(u, "http://purl.org/dc/elements/1.1/") == 0)
        return NS_DC;
    return NS_OTHER;
}

static const char *local(parser_t *p)
{
    const char *l = (const char *)xmlTextReaderConstLocalName(p->r);
    return l ? l : "";
}

/* At an element's start: consume it and everything inside. */
static int skip(parser_t *p)
{
    if (xmlTextReaderIsEmptyElement(p->r))
        return MH_OK;
    int depth = xmlTextReaderDepth(p->r);
    const char *nm = (const char *)xmlTextReaderConstName(p->r);
    char what[80];
    snprintf(what, sizeof(what), "</%s>", nm ? nm : "?");
    for (;;) {
        if (next(p, what) != MH_OK)
            return MH_ERR;
        if (xmlTextReaderNodeType(p->r) == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(p->r) == depth)
            return MH_OK;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* At an element's start: its text (CDATA included; the text of nested
 * elements too, which WordPress never writes), bounded by max_field. */
static int read_text(parser_t *p, mh_pool_t *pool, bool keep_space, const char **out)
{
    *out = "";
    if (xmlTextReaderIsEmptyElement(p->r))
        return MH_OK;
    int depth = xmlTextReaderDepth(p->r);
    const char *nm = (const char *)xmlTextReaderConstName(p->r);
    char what[80];
    snprintf(what, sizeof(what), "</%s>", nm ? nm : "?");
    unsigned long start = cur_line(p);
    mh_buf_t b;
    mh_buf_init(&b, p->max_field);
    int rc = MH_ERR;
    for (;;) {
        if (next(p, what) != MH_OK)
            goto cleanup;
        int t = xmlTextReaderNodeType(p->r);
        if (t == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(p->r) == depth)
            break;
        if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
            t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(p->r);
            if (v && mh_buf_append(&b, v, strlen(v)) != MH_OK) {
                char lim[32];
                snprintf(lim, sizeof(lim), "%zu", p->max_field);
                set_err(p, start, "%s is larger than the limit of %s bytes", what + 2, lim);
                goto cleanup;
            }
        }
    }
    char *s = mh_pstrndup(pool, b.base ? b.base : "", b.len);
    *out = keep_space ? s : trim(s);
    rc = MH_OK;
cleanup:
    mh_buf_free(&b);
    return rc;
}

static int64_t to_i64(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return 0;
    return (int64_t)v;
}

/* Read the children of the current element, calling fn on each child
 * element (fn must consume it). */
typedef int (*child_fn)(parser_t *p, void *ctx);

static int children(parser_t *p, child_fn fn, void *ctx)
{
    if (xmlTextReaderIsEmptyElement(p->r))
        return MH_OK;
    int depth = xmlTextReaderDepth(p->r);
    const char *nm = (const char *)xmlTextReaderConstName(p->r);
    unsigned long start = cur_line(p);
    char what[96];
    snprintf(what, sizeof(what), "</%s> (opened at line %lu)", nm ? nm : "?", start);
    for (;;) {
        if (next(p, what) != MH_OK)
            return MH_ERR;
        int t = xmlTextReaderNodeType(p->r);
        if (t == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(p->r) == depth)
            return MH_OK;
        if (t == XML_READER_TYPE_ELEMENT) {
            int rc = fn(p, ctx);
            if (rc != MH_OK)
                return rc;
            /* many fields each under the limit add up: bound the element
             * (checked for the channel's children: authors, terms, items) */
            if (depth == 2 && mh_pool_used(p->pool) > p->max_item) {
                char lim[32];
                snprintf(lim, sizeof(lim), "%zu", p->max_item);
                set_err(p, start, "<%s> is larger than the limit of %s bytes in all", nm ? nm : "?",
                        lim);
                return MH_ERR;
            }
        }
    }
}

/* --- authors and terms ---------------------------------------------------- */

typedef struct {
    int ns;
    const char *name;
    size_t off;
} field_t;

/* Read the element into the const char * at the matching offset of obj, or
 * skip it. */
static int read_field(parser_t *p, const field_t *f, size_t n, void *obj, bool *matched)
{
    int ns = ns_of(p);
    const char *l = local(p);
    for (size_t i = 0; i < n; i++) {
        if (f[i].ns == ns && strcmp(f[i].name, l) == 0) {
            *matched = true;
            return read_text(p, p->pool, false, (const char **)((char *)obj + f[i].off));
        }
    }
    *matched = false;
    return MH_OK;
}

typedef struct {
    mh_wxr_author_t a;
    const char *id;
} author_ctx_t;

static const field_t author_fields[] = {
    {NS_WP, "author_id", offsetof(author_ctx_t, id)},
    {NS_WP, "author_login", offsetof(author_ctx_t, a.login)},
    {NS_WP, "author_email", offsetof(author_ctx_t, a.email)},
    {NS_WP, "author_display_name", offsetof(author_ctx_t, a.display_name)},
    {NS_WP, "author_first_name", offsetof(author_ctx_t, a.first_name)},
    {NS_WP, "author_last_name", offsetof(author_ctx_t, a.last_name)},
};

static int author_child(parser_t *p, void *ctx)
{
    bool m;
    int rc = read_field(p, author_fields, MH_ARRAY_LEN(author_fields), ctx, &m);
    return rc != MH_OK || m ? rc : skip(p);
}

typedef struct {
    mh_wxr_term_t t;
    const char *id;
} term_ctx_t;

static const field_t term_fields[] = {
    {NS_WP, "term_id", offsetof(term_ctx_t, id)},
    {NS_WP, "category_nicename", offsetof(term_ctx_t, t.slug)},
    {NS_WP, "category_parent", offsetof(term_ctx_t, t.parent)},
    {NS_WP, "cat_name", offsetof(term_ctx_t, t.name)},
    {NS_WP, "category_description", offsetof(term_ctx_t, t.description)},
    {NS_WP, "tag_slug", offsetof(term_ctx_t, t.slug)},
    {NS_WP, "tag_name", offsetof(term_ctx_t, t.name)},
    {NS_WP, "tag_description", offsetof(term_ctx_t, t.description)},
    {NS_WP, "term_taxonomy", offsetof(term_ctx_t, t.taxonomy)},
    {NS_WP, "term_slug", offsetof(term_ctx_t, t.slug)},
    {NS_WP, "term_parent", offsetof(term_ctx_t, t.parent)},
    {NS_WP, "term_name", offsetof(term_ctx_t, t.name)},
    {NS_WP, "term_description", offsetof(term_ctx_t, t.description)},
};

static int term_child(parser_t *p, void *ctx)
{
    bool m;
    int rc = read_field(p, term_fields, MH_ARRAY_LEN(term_fields), ctx, &m);
    return rc != MH_OK || m ? rc : skip(p);
}

/* --- items ------------------------------------------------------------------ */

typedef struct {
    mh_wxr_item_t it;
    const char *post_id, *post_parent, *menu_order, *is_sticky;
    mh_wxr_item_term_t *terms;
    size_t terms_cap;
    mh_wxr_meta_t *meta;
    size_t meta_cap;
    mh_wxr_comment_t *comments;
    size_t comments_cap;
} item_ctx_t;

static const field_t item_fields[] = {
    {NS_NONE, "title", offsetof(item_ctx_t, it.title)},
    {NS_NONE, "link", offsetof(item_ctx_t, it.link)},
    {NS_NONE, "guid", offsetof(item_ctx_t, it.guid)},
    {NS_NONE, "description", offsetof(item_ctx_t, it.description)},
    {NS_DC, "creator", offsetof(item_ctx_t, it.creator)},
    {NS_WP, "post_id", offsetof(item_ctx_t, post_id)},
    {NS_WP, "post_parent", offsetof(item_ctx_t, post_parent)},
    {NS_WP, "menu_order", offsetof(item_ctx_t, menu_order)},
    {NS_WP, "is_sticky", offsetof(item_ctx_t, is_sticky)},
    {NS_WP, "post_type", offsetof(item_ctx_t, it.post_type)},
    {NS_WP, "post_name", offsetof(item_ctx_t, it.post_name)},
    {NS_WP, "status", offsetof(item_ctx_t, it.status)},
    {NS_WP, "post_date", offsetof(item_ctx_t, it.post_date)},
    {NS_WP, "post_date_gmt", offsetof(item_ctx_t, it.post_date_gmt)},
    {NS_WP, "post_password", offsetof(item_ctx_t, it.post_password)},
    {NS_WP, "comment_status", offsetof(item_ctx_t, it.comment_status)},
    {NS_WP, "attachment_url", offsetof(item_ctx_t, it.attachment_url)},
};

/* Grow a pool array by doubling; the old copy stays in the pool until the
 * item is done. */
static void *grow(mh_pool_t *pool, void *arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return arr;
    size_t nc = *cap ? *cap * 2 : 8;
    void *na = mh_pnalloc(pool, nc, sz);
    if (n)
        memcpy(na, arr, n * sz);
    *cap = nc;
    return na;
}

typedef struct {
    const char *key, *value;
} meta_ctx_t;

static int meta_child(parser_t *p, void *ctx)
{
    meta_ctx_t *m = ctx;
    int ns = ns_of(p);
    const char *l = local(p);
    if (ns == NS_WP && strcmp(l, "meta_key") == 0)
        return read_text(p, p->pool, false, &m->key);
    if (ns == NS_WP && strcmp(l, "meta_value") == 0)
        return read_text(p, p->pool, true, &m->value);
    return skip(p);
}

typedef struct {
    mh_wxr_comment_t c;
    const char *id, *parent, *user_id;
} comment_ctx_t;

static const field_t comment_fields[] = {
    {NS_WP, "comment_id", offsetof(comment_ctx_t, id)},
    {NS_WP, "comment_parent", offsetof(comment_ctx_t, parent)},
    {NS_WP, "comment_user_id", offsetof(comment_ctx_t, user_id)},
    {NS_WP, "comment_author", offsetof(comment_ctx_t, c.author)},
    {NS_WP, "comment_author_email", offsetof(comment_ctx_t, c.author_email)},
    {NS_WP, "comment_author_url", offsetof(comment_ctx_t, c.author_url)},
    {NS_WP, "comment_author_IP", offsetof(comment_ctx_t, c.author_ip)},
    {NS_WP, "comment_date", offsetof(comment_ctx_t, c.date)},
    {NS_WP, "comment_date_gmt", offsetof(comment_ctx_t, c.date_gmt)},
    {NS_WP, "comment_approved", offsetof(comment_ctx_t, c.approved)},
    {NS_WP, "comment_type", offsetof(comment_ctx_t, c.type)},
};

static int comment_child(parser_t *p, void *ctx)
{
    comment_ctx_t *c = ctx;
    if (ns_of(p) == NS_WP && strcmp(local(p), "comment_content") == 0)
        return read_text(p, p->pool, true, &c->c.content);
    bool m;
    int rc = read_field(p, comment_fields, MH_ARRAY_LEN(comment_fields), ctx, &m);
    return rc != MH_OK || m ? rc : skip(p);
}

/* Absent fields become "" (the API promises no NULL). */
static void empty_if_null(const char ***f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!*f[i])
            *f[i] = "";
}

static int item_child(parser_t *p, void *ctx)
{
    item_ctx_t *ic = ctx;
    int ns = ns_of(p);
    const char *l = local(p);
    if (ns == NS_CONTENT && strcmp(l, "encoded") == 0)
        return read_text(p, p->pool, true, &ic->it.content);
    if (ns == NS_EXCERPT && strcmp(l, "encoded") == 0)
        return read_text(p, p->pool, true, &ic->it.excerpt);
    if (ns == NS_NONE && strcmp(l, "category") == 0) {
        ic->terms = grow(p->pool, ic->terms, ic->it.nterms, &ic->terms_cap, sizeof(*ic->terms));
        mh_wxr_item_term_t *t = &ic->terms[ic->it.nterms];
        char *d = (char *)xmlTextReaderGetAttribute(p->r, BAD_CAST "domain");
        char *n = (char *)xmlTextReaderGetAttribute(p->r, BAD_CAST "nicename");
        t->domain = mh_pstrdup(p->pool, d ? d : "");
        t->nicename = mh_pstrdup(p->pool, n ? n : "");
        xmlFree(d);
        xmlFree(n);
        if (read_text(p, p->pool, false, &t->name) != MH_OK)
            return MH_ERR;
        ic->it.nterms++;
        return MH_OK;
    }
    if (ns == NS_WP && strcmp(l, "postmeta") == 0) {
        meta_ctx_t m = {NULL, NULL};
        if (children(p, meta_child, &m) != MH_OK)
            return MH_ERR;
        ic->meta = grow(p->pool, ic->meta, ic->it.nmeta, &ic->meta_cap, sizeof(*ic->meta));
        ic->meta[ic->it.nmeta++] = (mh_wxr_meta_t){m.key ? m.key : "", m.value ? m.value : ""};
        return MH_OK;
    }
    if (ns == NS_WP && strcmp(l, "comment") == 0) {
        comment_ctx_t c;
        memset(&c, 0, sizeof(c));
        if (children(p, comment_child, &c) != MH_OK)
            return MH_ERR;
        const char **s[] = {&c.c.author,    &c.c.author_email, &c.c.author_url,
                            &c.c.author_ip, &c.c.date,         &c.c.date_gmt,
                            &c.c.content,   &c.c.approved,     &c.c.type};
        for (size_t i = 0; i < MH_ARRAY_LEN(s); i++)
            if (!*s[i])
                *s[i] = "";
        c.c.id = c.id ? to_i64(c.id) : 0;
        c.c.parent = c.parent ? to_i64(c.parent) : 0;
        c.c.user_id = c.user_id ? to_i64(c.user_id) : 0;
        ic->comments =
            grow(p->pool, ic->comments, ic->it.ncomments, &ic->comments_cap, sizeof(*ic->comments));
        ic->comments[ic->it.ncomments++] = c.c;
        return MH_OK;
    }
    bool m;
    int rc = read_field(p, item_fields, MH_ARRAY_LEN(item_fields), ctx, &m);
    return rc != MH_OK || m ? rc : skip(p);
}

/* --- channel ---------------------------------------------------------------- */

static const field_t site_fields[] = {
    {NS_NONE, "title", offsetof(mh_wxr_site_t, title)},
    {NS_NONE, "link", offsetof(mh_wxr_site_t, link)},
    {NS_NONE, "description", offsetof(mh_wxr_site_t, description)},
    {NS_NONE, "language", offsetof(mh_wxr_site_t, language)},
    {NS_WP, "wxr_version", offsetof(mh_wxr_site_t, wxr_version)},
    {NS_WP, "base_site_url", offsetof(mh_wxr_site_t, base_site_url)},
    {NS_WP, "base_blog_url", offsetof(mh_wxr_site_t, base_blog_url)},
};

static int send_site(parser_t *p)
{
    if (p->site_sent)
        return MH_OK;
    p->site_sent = true;
    mh_wxr_site_t *s = &p->site;
    const char **f[] = {&s->title,       &s->link,          &s->description,  &s->language,
                        &s->wxr_version, &s->base_site_url, &s->base_blog_url};
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++)
        if (!*f[i])
            *f[i] = "";
    if (!s->wxr_version[0]) {
        set_err(p, cur_line(p),
                "not a WordPress export: expected <wp:wxr_version> in the channel before "
                "the first author, term or item%s%s",
                "", "");
        return MH_ERR;
    }
    return p->h->site ? p->h->site(p->h->ud, s) : MH_OK;
}

static int channel_child(parser_t *p, void *ctx)
{
    (void)ctx;
    int ns = ns_of(p);
    const char *l = local(p);
    int rc = MH_OK;
    bool is_term = ns == NS_WP &&
                   (strcmp(l, "category") == 0 || strcmp(l, "tag") == 0 || strcmp(l, "term") == 0);
    bool is_author = ns == NS_WP && strcmp(l, "author") == 0;
    bool is_item = ns == NS_NONE && strcmp(l, "item") == 0;
    if (!is_term && !is_author && !is_item) {
        if (!p->site_sent) {
            /* the site pool lives through the whole parse */
            mh_pool_t *keep = p->pool;
            p->pool = p->site_pool;
            bool m;
            rc = read_field(p, site_fields, MH_ARRAY_LEN(site_fields), &p->site, &m);
            p->pool = keep;
            return rc != MH_OK || m ? rc : skip(p);
        }
        return skip(p);
    }
    if ((rc = send_site(p)) != MH_OK)
        return rc;
    mh_pool_reset(p->pool);
    if (is_author) {
        author_ctx_t a;
        memset(&a, 0, sizeof(a));
        if (children(p, author_child, &a) != MH_OK)
            return MH_ERR;
        const char **f[] = {&a.a.login, &a.a.email, &a.a.display_name, &a.a.first_name,
                            &a.a.last_name};
        empty_if_null(f, MH_ARRAY_LEN(f));
        a.a.id = a.id ? to_i64(a.id) : 0;
        rc = p->h->author ? p->h->author(p->h->ud, &a.a) : MH_OK;
    } else if (is_term) {
        term_ctx_t t;
        memset(&t, 0, sizeof(t));
        t.t.kind = l[0] == 'c' ? MH_WXR_CATEGORY : l[1] == 'a' ? MH_WXR_TAG : MH_WXR_TERM;
        if (children(p, term_child, &t) != MH_OK)
            return MH_ERR;
        if (!t.t.taxonomy)
            t.t.taxonomy = t.t.kind == MH_WXR_CATEGORY ? "category"
                           : t.t.kind == MH_WXR_TAG    ? "post_tag"
                                                       : "";
        const char **f[] = {&t.t.slug, &t.t.parent, &t.t.name, &t.t.description};
        empty_if_null(f, MH_ARRAY_LEN(f));
        t.t.id = t.id ? to_i64(t.id) : 0;
        rc = p->h->term ? p->h->term(p->h->ud, &t.t) : MH_OK;
    } else {
        item_ctx_t ic;
        memset(&ic, 0, sizeof(ic));
        ic.it.line = cur_line(p);
        if (children(p, item_child, &ic) != MH_OK)
            return MH_ERR;
        mh_wxr_item_t *it = &ic.it;
        const char **f[] = {&it->post_type,     &it->title,          &it->link,
                            &it->guid,          &it->creator,        &it->description,
                            &it->content,       &it->excerpt,        &it->post_name,
                            &it->status,        &it->post_date,      &it->post_date_gmt,
                            &it->post_password, &it->comment_status, &it->attachment_url};
        for (size_t i = 0; i < MH_ARRAY_LEN(f); i++)
            if (!*f[i])
                *f[i] = "";
        it->post_id = ic.post_id ? to_i64(ic.post_id) : 0;
        it->post_parent = ic.post_parent ? to_i64(ic.post_parent) : 0;
        it->menu_order = ic.menu_order ? (long)to_i64(ic.menu_order) : 0;
        it->is_sticky = ic.is_sticky && strcmp(ic.is_sticky, "1") == 0;
        it->terms = ic.terms;
        it->meta = ic.meta;
        it->comments = ic.comments;
        rc = p->h->item ? p->h->item(p->h->ud, it) : MH_OK;
    }
    if (rc == MH_OK && p->h->progress) {
        long done = xmlTextReaderByteConsumed(p->r);
        p->h->progress(p->h->ud, done > 0 ? (uint64_t)done : 0, p->total);
    }
    return rc;
}

static int rss_child(parser_t *p, void *ctx)
{
    bool *seen = ctx;
    if (ns_of(p) == NS_NONE && strcmp(local(p), "channel") == 0 && !*seen) {
        *seen = true;
        int rc = children(p, channel_child, NULL);
        return rc != MH_OK ? rc : send_site(p);
    }
    return skip(p);
}

static int run(parser_t *p)
{
    int rc;
    /* the root element */
    for (;;) {
        if ((rc = next(p, "<rss> as the root element")) != MH_OK)
            return rc;
        if (xmlTextReaderNodeType(p->r) == XML_READER_TYPE_ELEMENT)
            break;
    }
    if (ns_of(p) != NS_NONE || strcmp(local(p), "rss") != 0) {
        const char *nm = (const char *)xmlTextReaderConstName(p->r);
        set_err(p, cur_line(p),
                "not a WordPress export: expected <rss> as the root element, found <%s>",
                nm ? nm : "?", "");
        return MH_ERR;
    }
    bool seen = false;
    if ((rc = children(p, rss_child, &seen)) != MH_OK)
        return rc;
    if (!seen) {
        set_err(p, cur_line(p), "not a WordPress export: expected <channel> inside <rss>%s%s", "",
                "");
        return MH_ERR;
    }
    /* the rest of the file: comments and whitespace only */
    for (;;) {
        int r = xmlTextReaderRead(p->r);
        if (r == 0 && !p->xml_msg[0])
            return MH_OK;
        if (r < 0 || p->xml_msg[0])
            return read_failed(p, -1, "the end of the file after </rss>");
    }
}

static int parse(xmlTextReaderPtr r, const char *name, uint64_t total, const mh_wxr_handler_t *h,
                 char *err, size_t errsize)
{
    if (errsize)
        err[0] = '\0';
    parser_t p;
    memset(&p, 0, sizeof(p));
    p.r = r;
    p.name = name;
    p.h = h;
    p.max_field = h->max_field ? h->max_field : DEFAULT_MAX_FIELD;
    p.max_item = p.max_field > SIZE_MAX / 4 ? SIZE_MAX : p.max_field * 4;
    p.err = err;
    p.errsize = errsize;
    p.total = total;
    p.pool = mh_pool_create();
    p.site_pool = mh_pool_create();
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &p);
    int rc = run(&p);
    if (rc != MH_OK && rc != MH_ERR)
        ; /* a callback's own result, passed through */
    else if (rc == MH_ERR && !p.failed)
        set_err(&p, cur_line(&p), "cannot read the file%s%s", "", "");
    mh_pool_destroy(p.pool);
    mh_pool_destroy(p.site_pool);
    return rc;
}

/* No network, no entity substitution, no DTD loading or validation, no
 * XInclude, libxml2's size limits kept (no XML_PARSE_HUGE); line numbers
 * past 65535 kept exact for messages. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

int mh_wxr_parse_file(const char *path, const mh_wxr_handler_t *h, char *err, size_t errsize)
{
    xmlSetGenericErrorFunc(NULL, quiet);
    struct stat st;
    errno = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errsize, "%s: %s", path, errno ? strerror(errno) : "not a regular file");
        return MH_ERR;
    }
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return MH_ERR;
    }
    fclose(probe);
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, READER_OPTIONS);
    if (!r) {
        snprintf(err, errsize, "%s: cannot open the file", path);
        return MH_ERR;
    }
    int rc = parse(r, path, (uint64_t)st.st_size, h, err, errsize);
    xmlFreeTextReader(r);
    return rc;
}

int mh_wxr_parse_memory(const char *buf, size_t len, const char *name, const mh_wxr_handler_t *h,
                        char *err, size_t errsize)
{
    xmlSetGenericErrorFunc(NULL, quiet);
    if (len > (size_t)2147483647) {
        snprintf(err, errsize, "%s: too large", name);
        return MH_ERR;
    }
    xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, name, NULL, READER_OPTIONS);
    if (!r) {
        snprintf(err, errsize, "%s: cannot read the buffer", name);
        return MH_ERR;
    }
    int rc = parse(r, name, (uint64_t)len, h, err, errsize);
    xmlFreeTextReader(r);
    return rc;
}
