/* robots.txt, RSS, Atom and the sitemap, written directly as text: their
 * shape is fixed by the protocols, not by the theme, so no template can
 * make them invalid. Feeds are small (20 entries) and go through the page
 * cache; the sitemap can be huge, so it is streamed: a state machine
 * reads entries in batches of SM_BATCH by id and the HTTP layer pulls its
 * output block by block (mh_resp_stream). */
#include "feeds.h"

#include "../content/tags.h"
#include "tags.h"

#include "../content/languages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../content/seo.h"
#include "../content/types.h"

#define FEED_ITEMS 20
#define SM_BATCH 500
#define SM_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

const char *mh_feeds_base(const mh_site_req_t *r, const mh_req_t *req)
{
    const char *b = mh_context_setting(r, "base_url", "");
    if (b[0]) {
        size_t n = strlen(b);
        while (n && b[n - 1] == '/')
            n--;
        return mh_pstrndup(r->pool, b, n);
    }
    mh_str_t h = req && req->host.len ? req->host : MH_STR_LIT("localhost");
    return mh_psprintf(r->pool, "%s://%.*s", req && req->secure ? "https" : "http", (int)h.len,
                       h.base);
}

/* A path with every byte outside the unreserved set and '/' percent-encoded
 * (slugs may be Chinese), appended to b. */
static void put_path(mh_buf_t *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *q = (const unsigned char *)path; *q; q++) {
        unsigned char ch = *q;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/') {
            mh_buf_putc(b, (char)ch);
        } else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            mh_buf_append(b, e, 3);
        }
    }
}

static void put_esc(mh_buf_t *b, const char *s)
{
    if (s)
        mh_buf_append_html(b, s, strlen(s));
}

/* base + encoded path, escaped for XML (the base is configured text). */
static void put_url(mh_buf_t *b, const char *base, const char *path)
{
    put_esc(b, base);
    put_path(b, path);
}

static void put_rfc3339(mh_buf_t *b, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    mh_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* RFC 822 (with a four-digit year, as RSS 2.0 asks), in GMT; the names
 * are spelled here so no locale can translate them. */
static void put_rfc822(mh_buf_t *b, int64_t t)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    mh_buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
                  months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The host part of base ("https://www.example.org:8080" -> "www.example.org"). */
static const char *base_host(mh_pool_t *p, const char *base)
{
    const char *h = strstr(base, "://");
    h = h ? h + 3 : base;
    size_t n = strcspn(h, ":/");
    return n ? mh_pstrndup(p, h, n) : "localhost";
}

/* A stable id: the entry's number under the site's host, dated by its
 * creation (RFC 4151), so it survives slug, title and column changes. */
static void put_tag(mh_buf_t *b, mh_pool_t *p, const char *base, const mh_entry_t *e)
{
    time_t tt = (time_t)e->created_at;
    struct tm tm;
    gmtime_r(&tt, &tm);
    mh_buf_append_c(b, "tag:");
    put_esc(b, base_host(p, base));
    mh_buf_printf(b, ",%04d-%02d-%02d:entry-%lld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  (long long)e->id);
}

int mh_feeds_robots(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp)
{
    const char *txt = mh_context_setting(r, "robots_txt", "");
    mh_buf_t *b = &resp->body;
    mh_buf_reset(b);
    if (!txt[0])
        txt = "User-agent: *\nDisallow:\n";
    mh_buf_append_c(b, txt);
    if (b->len && b->base[b->len - 1] != '\n')
        mh_buf_putc(b, '\n');
    mh_buf_append_c(b, "\nSitemap: ");
    mh_buf_append_c(b, mh_feeds_base(r, req));
    mh_buf_append_c(b, "/sitemap.xml\n");
    resp->status = 200;
    return mh_buf_failed(b) ? MH_ERR : MH_OK;
}

/* The public page of an entry of r's language ("/zh/news/a.html"), or NULL
 * when its column is not shown. */
static const char *entry_path(mh_site_req_t *r, const mh_entry_t *e)
{
    const mh_column_t *c = mh_context_col_by_id(r, e->column_id);
    if (!c || !c->visible || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
        return NULL;
    return mh_context_join(r->pool, mh_context_col_path(r, c), e->slug, ".html", NULL);
}

int mh_feeds_feed(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp, const mh_column_t *col,
                  bool atom)
{
    mh_pool_t *p = r->pool;
    mh_entry_query_t q = {.lang_id = r->lang->id,
                          .column_id = col ? col->id : 0,
                          .descendants = true,
                          .public_only = true,
                          .sort = MH_SORT_NEWEST,
                          .limit = FEED_ITEMS};
    mh_entry_t *list = NULL;
    size_t n = 0;
    int64_t total = 0;
    /* a tag's feed (r->tag, site/tags.c): its public entries, newest first */
    if (r->tag ? mh_content_tag_entries(r->content, p, r->tag->id, 0, FEED_ITEMS, &list, &n,
                                        &total) != MH_OK
               : mh_content_entries(r->content, p, &q, &list, &n, &total) != MH_OK)
        return MH_ERR;
    bool full = strcmp(mh_context_setting(r, "feed_content", "full"), "summary") != 0;
    const char *base = mh_feeds_base(r, req);
    const char *site = mh_context_setting(r, "site_name", "");
    const char *tagline = mh_context_setting(r, "site_tagline", "");
    const char *home = r->tag ? mh_tag_url(r, r->tag)
                       : col  ? mh_context_col_path(r, col)
                              : mh_context_lang_home(p, r->lang);
    const char *self = mh_context_join(p, home, atom ? "atom.xml" : "feed.xml", NULL, NULL);
    const char *title = r->tag ? mh_context_join(p, r->tag->name, " - ", site, NULL)
                        : col  ? mh_context_join(p, col->name, " - ", site, NULL)
                               : site;
    if (!title[0])
        title = base_host(p, base);
    int64_t updated = 0;
    for (size_t i = 0; i < n; i++)
        if (list[i].updated_at > updated)
            updated = list[i].updated_at;
    mh_buf_t *b = &resp->body;
    mh_buf_reset(b);
    mh_buf_append_c(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (atom) {
        mh_buf_append_c(b, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
        put_esc(b, r->lang->code);
        mh_buf_append_c(b, "\">\n<title>");
        put_esc(b, title);
        mh_buf_append_c(b, "</title>\n");
        if (tagline[0]) {
            mh_buf_append_c(b, "<subtitle>");
            put_esc(b, tagline);
            mh_buf_append_c(b, "</subtitle>\n");
        }
        mh_buf_append_c(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
        put_url(b, base, home);
        mh_buf_append_c(b, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
        put_url(b, base, self);
        mh_buf_append_c(b, "\"/>\n<id>");
        put_url(b, base, self);
        mh_buf_append_c(b, "</id>\n<updated>");
        put_rfc3339(b, updated);
        mh_buf_append_c(b, "</updated>\n<author><name>");
        put_esc(b, site[0] ? site : title);
        mh_buf_append_c(b, "</name></author>\n<generator>masthead</generator>\n");
    } else {
        mh_buf_append_c(b, "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
                           "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
                           "<channel>\n<title>");
        put_esc(b, title);
        mh_buf_append_c(b, "</title>\n<link>");
        put_url(b, base, home);
        mh_buf_append_c(b, "</link>\n<description>");
        put_esc(b, tagline[0] ? tagline : title);
        mh_buf_append_c(b, "</description>\n<language>");
        put_esc(b, r->lang->code);
        mh_buf_append_c(b, "</language>\n<atom:link rel=\"self\" type=\"application/rss+xml\" "
                           "href=\"");
        put_url(b, base, self);
        mh_buf_append_c(b, "\"/>\n<generator>masthead</generator>\n");
        if (updated) {
            mh_buf_append_c(b, "<lastBuildDate>");
            put_rfc822(b, updated);
            mh_buf_append_c(b, "</lastBuildDate>\n");
        }
    }
    for (size_t i = 0; i < n; i++) {
        mh_entry_t *e = &list[i];
        const char *path = entry_path(r, e);
        if (!path)
            continue;
        const char *body = NULL;
        if (full) {
            mh_entry_t fe;
            if (mh_content_entry_get(r->content, p, e->id, &fe) == MH_OK)
                body = fe.body_html;
        }
        if (atom) {
            mh_buf_append_c(b, "<entry>\n<title>");
            put_esc(b, e->title);
            mh_buf_append_c(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
            put_url(b, base, path);
            mh_buf_append_c(b, "\"/>\n<id>");
            put_tag(b, p, base, e);
            mh_buf_append_c(b, "</id>\n<published>");
            put_rfc3339(b, e->publish_at);
            mh_buf_append_c(b, "</published>\n<updated>");
            put_rfc3339(b, e->updated_at > e->publish_at ? e->updated_at : e->publish_at);
            mh_buf_append_c(b, "</updated>\n");
            if (e->author && e->author[0]) {
                mh_buf_append_c(b, "<author><name>");
                put_esc(b, e->author);
                mh_buf_append_c(b, "</name></author>\n");
            }
            if (e->summary && e->summary[0]) {
                mh_buf_append_c(b, "<summary type=\"html\">");
                put_esc(b, e->summary);
                mh_buf_append_c(b, "</summary>\n");
            }
            if (body && body[0]) {
                mh_buf_append_c(b, "<content type=\"html\">");
                put_esc(b, body);
                mh_buf_append_c(b, "</content>\n");
            }
            mh_buf_append_c(b, "</entry>\n");
        } else {
            mh_buf_append_c(b, "<item>\n<title>");
            put_esc(b, e->title);
            mh_buf_append_c(b, "</title>\n<link>");
            put_url(b, base, path);
            mh_buf_append_c(b, "</link>\n<guid isPermaLink=\"false\">");
            put_tag(b, p, base, e);
            mh_buf_append_c(b, "</guid>\n<pubDate>");
            put_rfc822(b, e->publish_at);
            mh_buf_append_c(b, "</pubDate>\n<description>");
            put_esc(b, e->summary && e->summary[0] ? e->summary : e->title);
            mh_buf_append_c(b, "</description>\n");
            if (body && body[0]) {
                mh_buf_append_c(b, "<content:encoded>");
                put_esc(b, body);
                mh_buf_append_c(b, "</content:encoded>\n");
            }
            mh_buf_append_c(b, "</item>\n");
        }
    }
    mh_buf_append_c(b, atom ? "</feed>\n" : "</channel>\n</rss>\n");
    resp->status = 200;
    return mh_buf_failed(b) ? MH_ERR : MH_OK;
}

/* ---- the sitemap ---- */

struct sm_col {
    int64_t id;
    char *path;       /* "/zh/news/" (on its language's base) */
    const char *base; /* its language's origin: sm_lang.base */
};

/* A language's URLs are base + path: the request's origin and "/zh/" for
 * a language served under a prefix, "https://www.example.cn" and "/" for
 * one with its own domain. */
struct sm_lang {
    int64_t id;
    char *code;
    char *base;
    char *home;
    bool is_default;
};

/* Everything the stream needs after the request's pool is gone: malloc'd. */
struct sitemap {
    mh_content_t *content;
    char *base;
    struct sm_col *cols;
    size_t ncols;
    struct sm_lang *langs;
    size_t nlangs;
    mh_buf_t out; /* produced, not yet sent from out_pos */
    size_t out_pos;
    int64_t after_id;  /* keyset: the last entry written */
    int64_t remaining; /* entries this file may still take; -1: all */
    bool done, failed;
};

static void sm_free(void *state)
{
    struct sitemap *sm = state;
    if (!sm)
        return;
    for (size_t i = 0; i < sm->ncols; i++)
        free(sm->cols[i].path);
    for (size_t i = 0; i < sm->nlangs; i++) {
        free(sm->langs[i].code);
        free(sm->langs[i].base);
        free(sm->langs[i].home);
    }
    free(sm->cols);
    free(sm->langs);
    free(sm->base);
    mh_buf_free(&sm->out);
    free(sm);
}

static const struct sm_col *sm_col(const struct sitemap *sm, int64_t id)
{
    for (size_t i = 0; i < sm->ncols; i++)
        if (sm->cols[i].id == id)
            return &sm->cols[i];
    return NULL;
}

static const struct sm_lang *sm_lang(const struct sitemap *sm, int64_t id)
{
    for (size_t i = 0; i < sm->nlangs; i++)
        if (sm->langs[i].id == id)
            return &sm->langs[i];
    return NULL;
}

static void sm_alt(mh_buf_t *b, const char *base, const char *hreflang, const char *path)
{
    mh_buf_append_c(b, "<xhtml:link rel=\"alternate\" hreflang=\"");
    put_esc(b, hreflang);
    mh_buf_append_c(b, "\" href=\"");
    put_url(b, base, path);
    mh_buf_append_c(b, "\"/>");
}

static void sm_url(mh_buf_t *b, const char *base, const char *path, int64_t lastmod)
{
    mh_buf_append_c(b, "<url><loc>");
    put_url(b, base, path);
    mh_buf_append_c(b, "</loc>");
    if (lastmod > 0) {
        mh_buf_append_c(b, "<lastmod>");
        put_rfc3339(b, lastmod);
        mh_buf_append_c(b, "</lastmod>");
    }
}

/* One batch of entries into sm->out; done when none are left. */
static void sm_batch(struct sitemap *sm)
{
    mh_pool_t *p = mh_pool_create();
    int64_t limit = SM_BATCH;
    if (sm->remaining >= 0 && sm->remaining < limit)
        limit = sm->remaining;
    mh_entry_t *list = NULL;
    size_t n = 0;
    if (limit == 0) {
        sm->done = true;
        goto done;
    }
    if (mh_content_public_after(sm->content, p, sm->after_id, limit, &list, &n) != MH_OK) {
        sm->failed = true;
        goto done;
    }
    if ((int64_t)n < limit)
        sm->done = true;
    if (sm->remaining >= 0)
        sm->remaining -= (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        mh_entry_t *e = &list[i];
        sm->after_id = e->id;
        const struct sm_col *col = sm_col(sm, e->column_id);
        if (!col)
            continue; /* hidden column: not public */
        const char *path = mh_context_join(p, col->path, e->slug, ".html", NULL);
        const char *base = col->base, *xdef_base = NULL;
        sm_url(&sm->out, base, path, e->updated_at > e->publish_at ? e->updated_at : e->publish_at);
        mh_entry_t *tr = NULL;
        size_t ntr = 0;
        if (sm->nlangs > 1 && e->translation_group &&
            mh_content_translations(sm->content, p, e, &tr, &ntr) == MH_OK && ntr > 0) {
            const struct sm_lang *own = sm_lang(sm, e->lang_id);
            const char *xdef = own && own->is_default ? path : NULL;
            if (xdef)
                xdef_base = base;
            sm_alt(&sm->out, base, own ? own->code : "x-default", path);
            for (size_t k = 0; k < ntr; k++) {
                const struct sm_lang *l = sm_lang(sm, tr[k].lang_id);
                const struct sm_col *tc = sm_col(sm, tr[k].column_id);
                if (!l || !tc)
                    continue;
                const char *tp = mh_context_join(p, tc->path, tr[k].slug, ".html", NULL);
                sm_alt(&sm->out, tc->base, l->code, tp);
                if (l->is_default) {
                    xdef = tp;
                    xdef_base = tc->base;
                }
            }
            sm_alt(&sm->out, xdef ? xdef_base : base, "x-default", xdef ? xdef : path);
        }
        mh_buf_append_c(&sm->out, "</url>\n");
    }
done:
    if (sm->done)
        mh_buf_append_c(&sm->out, "</urlset>\n");
    mh_pool_destroy(p);
}

static long sm_read(void *state, uint64_t pos, char *buf, size_t max)
{
    struct sitemap *sm = state;
    (void)pos;
    while (sm->out_pos == sm->out.len) {
        if (sm->done || sm->failed)
            return sm->failed ? MH_STREAM_ERROR : MH_STREAM_END;
        mh_buf_reset(&sm->out);
        sm->out_pos = 0;
        sm_batch(sm);
        if (mh_buf_failed(&sm->out))
            return MH_STREAM_ERROR;
    }
    size_t n = sm->out.len - sm->out_pos;
    if (n > max)
        n = max;
    memcpy(buf, sm->out.base + sm->out_pos, n);
    sm->out_pos += n;
    return (long)n;
}

/* The URLs of the site that are no entries: every language's home and
 * every visible column with a page, each with its translations as
 * alternates (columns are translations of each other when they share a
 * translation group). Returns the count and fills sm's maps. */
struct sm_lcols {
    mh_column_t *cols;
    size_t n;
};

static void sm_col_alts(mh_buf_t *b, const struct sitemap *sm, const struct sm_lcols *lc, size_t li,
                        const mh_column_t *c, const char *path, mh_pool_t *p)
{
    if (!c->translation_group)
        return;
    /* the column of each language in c's group (at most one each) */
    const char **paths = mh_pcalloc(p, (sm->nlangs + 1) * sizeof(*paths));
    size_t found = 0, xdef = li;
    for (size_t i = 0; i < sm->nlangs; i++)
        for (size_t k = 0; k < lc[i].n && !paths[i]; k++) {
            const mh_column_t *t = &lc[i].cols[k];
            if (t->translation_group != c->translation_group || !t->visible || !t->path ||
                mh_content_type_is(t->module, MH_TYPE_REDIRECT))
                continue;
            paths[i] = i == li ? path : mh_context_join(p, sm->langs[i].home, t->path, "/", NULL);
            found++;
            if (sm->langs[i].is_default)
                xdef = i;
        }
    if (found < 2)
        return; /* no translation: no alternates */
    for (size_t i = 0; i < sm->nlangs; i++)
        if (paths[i])
            sm_alt(b, sm->langs[i].base, sm->langs[i].code, paths[i]);
    sm_alt(b, sm->langs[xdef].base, "x-default", paths[xdef]);
}

static int sm_prepare(mh_site_req_t *r, struct sitemap *sm, mh_buf_t *fixed, int64_t newest,
                      int64_t *count)
{
    mh_pool_t *p = r->pool;
    *count = 0;
    sm->langs = mh_calloc(r->nlangs + 1, sizeof(*sm->langs));
    struct sm_lcols *lc = mh_pcalloc(p, (r->nlangs + 1) * sizeof(*lc));
    const char *scheme = strncasecmp(sm->base, "https://", 8) == 0 ? "https://" : "http://";
    const struct sm_lang *def = NULL;
    for (size_t i = 0; i < r->nlangs; i++) {
        const mh_language_t *l = &r->langs[i];
        if (!mh_content_language_public(l))
            continue; /* being translated: not listed */
        struct sm_lang *sl = &sm->langs[sm->nlangs];
        if (mh_content_columns(r->content, p, l->id, &lc[sm->nlangs].cols, &lc[sm->nlangs].n) !=
            MH_OK)
            return MH_ERR;
        sm->nlangs++;
        sl->id = l->id;
        sl->code = mh_strdup(l->code ? l->code : "en");
        if (l->domain && l->domain[0]) {
            sl->base = mh_strdup(mh_context_join(p, scheme, l->domain, NULL, NULL));
            sl->home = mh_strdup("/");
        } else {
            sl->base = mh_strdup(sm->base);
            sl->home = mh_strdup(mh_context_lang_home(p, l));
        }
        sl->is_default = l->is_default;
        if (l->is_default)
            def = sl;
    }
    if (!def && sm->nlangs)
        def = &sm->langs[0];
    for (size_t i = 0; i < sm->nlangs; i++) {
        sm_url(fixed, sm->langs[i].base, sm->langs[i].home, newest);
        if (sm->nlangs > 1) {
            for (size_t k = 0; k < sm->nlangs; k++)
                sm_alt(fixed, sm->langs[k].base, sm->langs[k].code, sm->langs[k].home);
            sm_alt(fixed, def->base, "x-default", def->home);
        }
        mh_buf_append_c(fixed, "</url>\n");
        (*count)++;
    }
    size_t cap = 0;
    for (size_t i = 0; i < sm->nlangs; i++) {
        for (size_t k = 0; k < lc[i].n; k++) {
            const mh_column_t *c = &lc[i].cols[k];
            if (!c->visible || !c->path || mh_content_type_is(c->module, MH_TYPE_REDIRECT))
                continue;
            const char *path = mh_context_join(p, sm->langs[i].home, c->path, "/", NULL);
            if (mh_content_type_is(c->module, MH_TYPE_ENTRIES)) {
                if (sm->ncols == cap) {
                    cap = cap ? cap * 2 : 64;
                    sm->cols = mh_realloc(sm->cols, cap * sizeof(*sm->cols));
                }
                sm->cols[sm->ncols++] = (struct sm_col){c->id, mh_strdup(path), sm->langs[i].base};
            }
            sm_url(fixed, sm->langs[i].base, path, newest);
            if (sm->nlangs > 1)
                sm_col_alts(fixed, sm, lc, i, c, path, p);
            mh_buf_append_c(fixed, "</url>\n");
            (*count)++;
        }
        /* the language's tag pages that have public entries (tags.c) */
        mh_tag_t *ts = NULL;
        size_t nt = 0;
        if (mh_content_public_tags(r->content, p, sm->langs[i].id, &ts, &nt) != MH_OK)
            return MH_ERR;
        for (size_t k = 0; k < nt; k++) {
            sm_url(fixed, sm->langs[i].base,
                   mh_context_join(p, sm->langs[i].home, "tag/", ts[k].slug, "/"), newest);
            mh_buf_append_c(fixed, "</url>\n");
            (*count)++;
        }
    }
    return MH_OK;
}

static const char *part_limit_env(void)
{
    /* tests lower the part size to see an index without 50,000 entries */
    return getenv("MH_SITEMAP_PART_MAX");
}

int mh_feeds_sitemap(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp, int64_t part)
{
    int rc = MH_ERR;
    struct sitemap *sm = mh_calloc(1, sizeof(*sm));
    mh_buf_t fixed;
    mh_buf_init(&fixed, 64u << 20);
    mh_buf_init(&sm->out, 256u << 20);
    sm->content = r->content;
    sm->base = mh_strdup(mh_feeds_base(r, req));
    sm->remaining = -1;
    int64_t per = MH_SITEMAP_PART_MAX;
    const char *env = part_limit_env();
    unsigned long long v = 0;
    if (env && mh_str_to_u64(mh_str_c(env), MH_SITEMAP_PART_MAX, &v) && v > 0)
        per = (int64_t)v;
    int64_t nentries = 0, newest = 0, nfixed = 0;
    if (mh_content_public_count(r->content, &nentries, &newest) != MH_OK)
        goto done;
    if (sm_prepare(r, sm, &fixed, newest, &nfixed) != MH_OK)
        goto done;
    bool index = nfixed + nentries > per;
    mh_buf_append_c(&sm->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (part == 0 && index) {
        /* part 1: homes and columns; parts 2..: entries, per at a time */
        int64_t nparts = 1 + (nentries + per - 1) / per;
        mh_buf_append_c(&sm->out, "<sitemapindex xmlns=\"" SM_NS "\">\n");
        for (int64_t i = 1; i <= nparts; i++) {
            mh_buf_append_c(&sm->out, "<sitemap><loc>");
            put_esc(&sm->out, sm->base);
            mh_buf_printf(&sm->out, "/sitemap-%lld.xml</loc>", (long long)i);
            if (newest > 0) {
                mh_buf_append_c(&sm->out, "<lastmod>");
                put_rfc3339(&sm->out, newest);
                mh_buf_append_c(&sm->out, "</lastmod>");
            }
            mh_buf_append_c(&sm->out, "</sitemap>\n");
        }
        mh_buf_append_c(&sm->out, "</sitemapindex>\n");
        sm->done = true;
    } else {
        if (part > 0 && !index) {
            rc = MH_DECLINED;
            goto done;
        }
        mh_buf_append_c(&sm->out, "<urlset xmlns=\"" SM_NS "\" xmlns:xhtml=\"" XHTML_NS "\">\n");
        if (part <= 1)
            mh_buf_append_str(&sm->out, mh_buf_str(&fixed));
        if (part == 1) {
            sm->remaining = 0;
        } else if (part >= 2) {
            int64_t first = 0;
            if (part > 1 + (nentries + per - 1) / per) {
                rc = MH_DECLINED;
                goto done;
            }
            rc = mh_content_public_id_at(r->content, (part - 2) * per, &first);
            if (rc != MH_OK)
                goto done;
            rc = MH_ERR;
            sm->after_id = first - 1;
            sm->remaining = per;
        }
    }
    if (mh_buf_failed(&sm->out) || mh_buf_failed(&fixed))
        goto done;
    resp->status = 200;
    resp->cache_control = "no-cache";
    resp->etag = mh_psprintf(r->pool, "\"sm-%llu-%llx\"",
                             (unsigned long long)mh_content_generation(r->content),
                             (unsigned long long)mh_hash64(sm->base, strlen(sm->base)));
    mh_resp_stream(resp, sm_read, sm_free, sm);
    sm = NULL;
    rc = MH_OK;
done:
    mh_buf_free(&fixed);
    sm_free(sm);
    return rc;
}
