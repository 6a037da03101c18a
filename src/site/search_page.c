/* The search results page: /search and /:lang/search with ?q=&page=&column=
 * &module=. site.c resolves the row and calls mh_search_page_load; the
 * context's "search" key is built here from what it found.
 *
 * Every input is untrusted: q is whatever bytes the visitor sent (the query
 * parser already drops pairs with bad escapes or an encoded NUL, which then
 * read as no query), and mh_search_query turns it into an FTS5 expression
 * that cannot be a syntax error; page, column and module that make no sense
 * are ignored rather than refused, so the page is always a 200. A search
 * error is logged and answered as the "nothing found" page would not be: it
 * makes the page fail (500), which the HTTP tests check never happens. */
#include "search_page.h"

#include <string.h>

#include "../content/search.h"
#include "../content/types.h"
#include "../core/log.h"
#include "../http/url.h"

#define PER_PAGE 10
#define MAX_PARAMS 16

struct mh_search_state {
    mh_str_t query;     /* as typed (decoded bytes; may be invalid UTF-8) */
    int status;         /* MH_OK, MH_DECLINED (empty), MH_TOOBIG */
    int64_t column_id;  /* 0: any */
    const char *module; /* "" : any */
    int64_t page, pages;
    size_t total; /* capped at MH_SEARCH_COUNT_MAX */
    mh_search_hit_t *hits;
    size_t nhits;
    const char *base; /* "/zh/search" */
};

/* The query text for the page: valid UTF-8 only (invalid bytes become
 * U+FFFD) so the escaped value is a well-formed document. */
static mh_str_t valid_utf8(mh_pool_t *p, mh_str_t s)
{
    char *out = mh_palloc(p, s.len * 3 + 1);
    size_t o = 0;
    const unsigned char *b = (const unsigned char *)s.base;
    for (size_t i = 0; i < s.len;) {
        unsigned c = b[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= s.len && c != 0;
        for (size_t k = 1; ok && k < n; k++)
            ok = (b[i + k] & 0xC0) == 0x80;
        if (ok && n == 2 && c < 0xC2)
            ok = false; /* overlong */
        if (ok && n == 3) {
            unsigned cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
            ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (ok && n == 4) {
            unsigned cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) |
                          ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
            ok = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (ok && n == 1 && c < 0x20 && c != '\t')
            ok = false; /* controls would make the page invalid */
        if (ok) {
            memcpy(out + o, b + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return mh_str(out, o);
}

int mh_search_page_load(mh_site_req_t *r, mh_str_t raw_query)
{
    mh_pool_t *p = r->pool;
    struct mh_search_state *st = mh_pcalloc(p, sizeof(*st));
    mh_query_param_t params[MAX_PARAMS];
    size_t np = mh_url_parse_query(p, raw_query, params, MAX_PARAMS);
    mh_str_t q = mh_url_query_get(params, np, "q");
    unsigned long long u = 0;
    r->search = st;
    st->base = mh_context_join(p, mh_context_lang_home(p, r->lang), "search", NULL, NULL);
    st->query = q.base ? q : mh_str("", 0);
    st->module = "";
    st->page = 1;
    if (mh_str_to_u64(mh_url_query_get(params, np, "page"), 1000000, &u) && u > 0)
        st->page = (int64_t)u;
    if (mh_str_to_u64(mh_url_query_get(params, np, "column"), 1ull << 53, &u)) {
        const mh_column_t *c = mh_context_col_by_id(r, (int64_t)u);
        if (c && mh_content_type_is(c->module, MH_TYPE_ENTRIES))
            st->column_id = c->id;
    }
    mh_str_t mod = mh_url_query_get(params, np, "module");
    if (mod.base && mod.len < 64) {
        const char *name = mh_pstrndup(p, mod.base, mod.len);
        const mh_content_type_t *t = mh_content_type_by_name(name);
        if (t && (t->flags & MH_TYPE_ENTRIES))
            st->module = t->name;
    }
    mh_str_t match;
    st->status = mh_search_query(p, st->query, &match);
    st->query = valid_utf8(p, st->query);
    if (st->status != MH_OK)
        return MH_OK;
    mh_search_params_t sp = {
        .match = match,
        .lang_id = r->lang->id,
        .column_id = st->column_id,
        .module = mh_str_c(st->module),
        .limit = PER_PAGE,
    };
    const int64_t max_pages = MH_SEARCH_COUNT_MAX / PER_PAGE;
    if (st->page > max_pages)
        st->page = max_pages;
    sp.offset = (unsigned)((st->page - 1) * PER_PAGE);
    if (mh_content_search(r->content, p, &sp, &st->hits, &st->nhits, &st->total) != MH_OK)
        return MH_ERR;
    st->pages = ((int64_t)st->total + PER_PAGE - 1) / PER_PAGE;
    return MH_OK;
}

/* The URL of result page n with the same query and filters. */
static const char *page_url(mh_site_req_t *r, const struct mh_search_state *st, int64_t n)
{
    mh_pool_t *p = r->pool;
    const char *u = mh_context_join(p, st->base, "?q=", mh_url_encode(p, st->query), NULL);
    if (st->column_id)
        u = mh_psprintf(p, "%s&column=%lld", u, (long long)st->column_id);
    if (st->module[0])
        u = mh_context_join(p, u, "&module=", st->module, NULL);
    if (n > 1)
        u = mh_psprintf(p, "%s&page=%lld", u, (long long)n);
    return u;
}

static void put_str(mh_pool_t *p, mh_val_t *m, const char *k, const char *v)
{
    mh_val_map_add(p, m, k, mh_val_str_ref(p, mh_str_c(v ? v : "")));
}

static void put_bool(mh_pool_t *p, mh_val_t *m, const char *k, bool b)
{
    mh_val_map_add(p, m, k, mh_val_bool(p, b));
}

static mh_val_t *results(mh_site_req_t *r, const struct mh_search_state *st)
{
    mh_pool_t *p = r->pool;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < st->nhits; i++) {
        const mh_search_hit_t *h = &st->hits[i];
        mh_entry_t e;
        if (mh_content_entry_get(r->content, p, h->entry_id, &e) != MH_OK)
            continue; /* indexed but gone in this snapshot: skip it */
        mh_val_t *m = mh_context_entry_item(r, &e);
        mh_val_map_add(p, m, "title_html", mh_val_html(p, h->title));
        mh_val_map_add(p, m, "snippet_html", mh_val_html(p, h->snippet));
        const mh_column_t *c = mh_context_col_by_id(r, e.column_id);
        put_str(p, m, "column_name", c ? c->name : "");
        put_str(p, m, "column_url", c ? mh_context_col_path(r, c) : "");
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *filter_columns(mh_site_req_t *r, const struct mh_search_state *st)
{
    mh_pool_t *p = r->pool;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (!c->visible || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_add(p, m, "id", mh_val_int(p, c->id));
        put_str(p, m, "name", c->name);
        put_bool(p, m, "is_selected", c->id == st->column_id);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *pages(mh_site_req_t *r, const struct mh_search_state *st)
{
    mh_pool_t *p = r->pool;
    mh_val_t *l = mh_val_list(p);
    int64_t lo = st->page - 4 < 1 ? 1 : st->page - 4;
    int64_t hi = lo + 8 > st->pages ? st->pages : lo + 8;
    for (int64_t i = lo; i <= hi; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_add(p, m, "number", mh_val_int(p, i));
        put_str(p, m, "url", page_url(r, st, i));
        put_bool(p, m, "is_current", i == st->page);
        mh_val_list_push(p, l, m);
    }
    return l;
}

mh_val_t *mh_search_page_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const struct mh_search_state *st = r->search;
    if (!st)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p);
    bool capped = st->total >= MH_SEARCH_COUNT_MAX;
    put_str(p, m, "action", st->base);
    mh_val_map_add(p, m, "query", mh_val_str_ref(p, st->query));
    put_bool(p, m, "is_empty", st->status == MH_DECLINED);
    put_bool(p, m, "is_too_long", st->status == MH_TOOBIG);
    mh_val_map_add(p, m, "max_length", mh_val_int(p, MH_SEARCH_QUERY_MAX));
    put_bool(p, m, "has_query", st->status == MH_OK);
    put_bool(p, m, "has_results", st->status == MH_OK && st->nhits > 0);
    /* a page past the last one shows no hits but is not "nothing found" */
    put_bool(p, m, "no_results", st->status == MH_OK && st->total == 0);
    mh_val_map_add(p, m, "total", mh_val_int(p, (int64_t)st->total));
    put_str(p, m, "total_text",
            capped ? mh_psprintf(p, "%d+", MH_SEARCH_COUNT_MAX)
                   : mh_psprintf(p, "%lld", (long long)st->total));
    put_bool(p, m, "is_capped", capped);
    mh_val_map_add(p, m, "results", results(r, st));
    mh_val_map_add(p, m, "columns", filter_columns(r, st));
    mh_val_map_add(p, m, "column_id", mh_val_int(p, st->column_id));
    put_str(p, m, "module", st->module);
    mh_val_map_add(p, m, "page", mh_val_int(p, st->page));
    mh_val_map_add(p, m, "total_pages", mh_val_int(p, st->pages));
    put_bool(p, m, "has_pages", st->pages > 1);
    put_str(p, m, "prev_url", st->page > 1 ? page_url(r, st, st->page - 1) : "");
    put_str(p, m, "next_url", st->page < st->pages ? page_url(r, st, st->page + 1) : "");
    mh_val_map_add(p, m, "pages", pages(r, st));
    return m;
}
