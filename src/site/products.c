/* Product and gallery pages: the filtered list of a product column and
 * the context of entry images, tabs, related entries and the Inquire link.
 *
 * A filter is key=value in the query where key is a filterable field of
 * the column and value a known one (an option of a select, radio or
 * checkbox field, else a value some public entry has): anything else is
 * ignored, so a stale or hand-made link still shows a list. The page is a
 * cacheable row varying on the query; filtered pages say noindex and name
 * the unfiltered list as canonical. */
#include "products.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../content/fields.h"
#include "../content/images.h"
#include "../content/types.h"
#include "../http/url.h"

/* Most query pairs read, and most filters applied. */
#define PARAMS_MAX 32
#define FILTERS_MAX 8

struct mh_products_state {
    mh_field_def_t *defs; /* filterable fields of the column */
    size_t ndefs;
    mh_list_filter_t *filters; /* applied, in field order */
    size_t nfilters;
};

static bool option_of(const mh_field_def_t *d, const char *v)
{
    const char *o = d->options ? d->options : "";
    size_t vl = strlen(v);
    while (*o) {
        const char *end = strchr(o, '\n');
        size_t len = end ? (size_t)(end - o) : strlen(o);
        const char *a = o, *b = o + len;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\r' || b[-1] == '\t'))
            b--;
        if ((size_t)(b - a) == vl && memcmp(a, v, vl) == 0)
            return true;
        o = end ? end + 1 : o + len;
    }
    return false;
}

/* Is v a value the list can be filtered on for d? */
static bool known_value(mh_site_req_t *r, const mh_field_def_t *d, const char *v)
{
    if (!*v || strlen(v) > 200)
        return false;
    if (mh_field_kind_has_options(d->kind))
        return option_of(d, v);
    mh_facet_count_t *fc;
    size_t n = 0;
    if (mh_list_facet(r->content, r->pool, r->lang->id, r->col->id, d->key, NULL, 0, &fc, &n) !=
        MH_OK)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(fc[i].value, v) == 0)
            return true;
    return false;
}

/* "a=x&b=y" for the filters, leaving out skip's key and adding (key,
 * value) when key is not NULL; in field order. */
static const char *filters_query(mh_site_req_t *r, const struct mh_products_state *st,
                                 const char *skip, const char *key, const char *value)
{
    mh_pool_t *p = r->pool;
    const char *q = "";
    for (size_t i = 0; i < st->ndefs; i++) {
        const char *k = st->defs[i].key, *v = NULL;
        if (key && strcmp(k, key) == 0) {
            v = value;
        } else if (!skip || strcmp(k, skip) != 0) {
            for (size_t j = 0; j < st->nfilters; j++)
                if (strcmp(st->filters[j].key, k) == 0)
                    v = st->filters[j].value;
        }
        if (!v)
            continue;
        q = mh_context_join(p, q, *q ? "&" : "", k, "=");
        q = mh_context_join(p, q, mh_url_encode(p, mh_str_c(v)), NULL, NULL);
    }
    return q;
}

static const char *list_url(mh_site_req_t *r, const char *query)
{
    const char *base = mh_context_col_path(r, r->col);
    return *query ? mh_context_join(r->pool, base, "?", query, NULL) : base;
}

int mh_products_list_load(mh_site_req_t *r, mh_str_t query, const char **redirect)
{
    mh_pool_t *p = r->pool;
    struct mh_products_state *st = mh_pcalloc(p, sizeof(*st));
    mh_query_param_t params[PARAMS_MAX];
    size_t np = mh_url_parse_query(p, query, params, PARAMS_MAX);
    mh_field_def_t *defs = NULL;
    size_t ndefs = 0;
    unsigned long long page = 1, u;
    *redirect = NULL;
    r->products = st;
    if (mh_fields_for_column(r->content, p, r->col->id, &defs, &ndefs) != MH_OK)
        return MH_ERR;
    st->defs = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(*st->defs));
    st->filters = mh_pnalloc(p, FILTERS_MAX, sizeof(*st->filters));
    for (size_t i = 0; i < ndefs; i++) {
        if (!defs[i].filterable)
            continue;
        st->defs[st->ndefs++] = defs[i];
        mh_str_t v = mh_url_query_get(params, np, defs[i].key);
        if (!v.base || st->nfilters == FILTERS_MAX)
            continue;
        const char *vc = mh_pstrndup(p, v.base, v.len);
        if (strlen(vc) == v.len && known_value(r, &defs[i], vc))
            st->filters[st->nfilters++] = (mh_list_filter_t){defs[i].key, vc};
    }
    if (mh_str_to_u64(mh_url_query_get(params, np, "page"), 1000000, &u) && u > 0)
        page = u;
    if (!st->nfilters && page > 1) {
        *redirect = mh_psprintf(p, "%spage/%llu/", mh_context_col_path(r, r->col), page);
        return MH_OK;
    }
    int64_t ps = r->col->page_size > 0 ? r->col->page_size : 20;
    if (ps > 200)
        ps = 200;
    int rc = mh_list_filtered(r->content, p, r->lang->id, r->col->id, st->filters, st->nfilters,
                              (int64_t)(page - 1) * ps, ps, &r->list, &r->nlist, &r->total);
    if (rc != MH_OK)
        return rc;
    r->page = (int64_t)page;
    r->page_size = ps;
    r->pages = r->total > 0 ? (r->total + ps - 1) / ps : 1;
    if (r->page > r->pages)
        return MH_DECLINED;
    r->kind = MH_PK_LIST;
    /* canonical: the unfiltered list (filtered pages are noindex) */
    r->path = mh_context_col_path(r, r->col);
    if (st->nfilters)
        r->list_query = filters_query(r, st, NULL, NULL, NULL);
    return MH_OK;
}

/* --- the "listing" context --- */

static mh_val_t *filter_item(mh_site_req_t *r, const struct mh_products_state *st,
                             const mh_field_def_t *d)
{
    mh_pool_t *p = r->pool;
    mh_val_t *m = mh_val_map(p), *vals = mh_val_list(p);
    const char *sel = NULL;
    mh_facet_count_t *fc;
    size_t n = 0;
    for (size_t j = 0; j < st->nfilters; j++)
        if (strcmp(st->filters[j].key, d->key) == 0)
            sel = st->filters[j].value;
    if (mh_list_facet(r->content, p, r->lang->id, r->col->id, d->key, st->filters, st->nfilters,
                      &fc, &n) != MH_OK)
        n = 0;
    mh_val_map_cstr(p, m, "key", d->key);
    mh_val_map_cstr(p, m, "label", d->label);
    mh_val_map_cstr(p, m, "selected", sel ? sel : "");
    mh_val_map_bool(p, m, "has_selected", sel != NULL);
    mh_val_map_cstr(p, m, "clear_url", list_url(r, filters_query(r, st, d->key, NULL, NULL)));
    /* options in their own order (with 0 counts), else the stored values */
    bool opts = mh_field_kind_has_options(d->kind);
    const char *o = opts && d->options ? d->options : "";
    size_t i = 0;
    for (;;) {
        const char *v;
        int64_t count = 0;
        if (opts) {
            if (!*o)
                break;
            const char *end = strchr(o, '\n');
            size_t len = end ? (size_t)(end - o) : strlen(o);
            const char *a = o, *b = o + len;
            o = end ? end + 1 : o + len;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\r' || b[-1] == '\t'))
                b--;
            if (a == b)
                continue;
            v = mh_pstrndup(p, a, (size_t)(b - a));
            for (size_t j = 0; j < n; j++)
                if (strcmp(fc[j].value, v) == 0)
                    count = fc[j].count;
        } else {
            if (i == n)
                break;
            v = fc[i].value;
            count = fc[i++].count;
        }
        bool is_sel = sel && strcmp(sel, v) == 0;
        mh_val_t *it = mh_val_map(p);
        mh_val_map_cstr(p, it, "value", v);
        mh_val_map_int(p, it, "count", count);
        mh_val_map_bool(p, it, "selected", is_sel);
        mh_val_map_bool(p, it, "empty", count == 0);
        mh_val_map_cstr(p, it, "url",
                        list_url(r, is_sel ? filters_query(r, st, d->key, NULL, NULL)
                                           : filters_query(r, st, NULL, d->key, v)));
        mh_val_list_push(p, vals, it);
    }
    mh_val_map_set(p, m, "values", vals);
    return m;
}

/* The filterable fields of r->col with no filter in force. */
static const struct mh_products_state *plain_state(mh_site_req_t *r)
{
    mh_pool_t *p = r->pool;
    struct mh_products_state *st = mh_pcalloc(p, sizeof(*st));
    mh_field_def_t *defs = NULL;
    size_t ndefs = 0;
    if (mh_fields_for_column(r->content, p, r->col->id, &defs, &ndefs) != MH_OK)
        ndefs = 0;
    st->defs = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(*st->defs));
    st->filters = mh_pnalloc(p, 1, sizeof(*st->filters));
    for (size_t i = 0; i < ndefs; i++)
        if (defs[i].filterable)
            st->defs[st->ndefs++] = defs[i];
    return st;
}

mh_val_t *mh_products_listing_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    if (r->kind != MH_PK_LIST || !r->col)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p), *fl = mh_val_list(p);
    const char *layout = mh_column_layout(r->content, p, r->col->id);
    const struct mh_products_state *st = r->products;
    if (!st && mh_content_type_is(r->col->module, MH_TYPE_FILTER))
        st = plain_state(r); /* /products/page/2/: the filters, none in force */
    mh_val_map_cstr(p, m, "layout", layout);
    mh_val_map_bool(p, m, "is_grid", strcmp(layout, "grid") == 0);
    mh_val_map_bool(p, m, "is_list", strcmp(layout, "list") == 0);
    mh_val_map_bool(p, m, "filtered", st && st->nfilters > 0);
    mh_val_map_bool(p, m, "noindex", st && st->nfilters > 0);
    mh_val_map_cstr(p, m, "clear_url", mh_context_col_path(r, r->col));
    for (size_t i = 0; st && i < st->ndefs; i++)
        mh_val_list_push(p, fl, filter_item(r, st, &st->defs[i]));
    mh_val_map_bool(p, m, "has_filters", st && st->ndefs > 0);
    mh_val_map_set(p, m, "filters", fl);
    return m;
}

/* --- entry context --- */

struct eimages {
    mh_site_req_t *r;
    const mh_entry_t *e;
    bool done;
    mh_entry_image_t *items;
    size_t n;
    mh_val_t *tabs, *related; /* built once, for the list and its has_ key */
};

static bool is_public(const mh_entry_t *e)
{
    return (e->status == MH_STATUS_PUBLISHED || e->status == MH_STATUS_SCHEDULED) &&
           e->publish_at <= (int64_t)time(NULL);
}

static void eimages_load(struct eimages *im)
{
    if (im->done)
        return;
    im->done = true;
    if (mh_images_get(im->r->content, im->r->pool, im->e->id, is_public(im->e), &im->items,
                      &im->n) != MH_OK)
        im->n = 0;
}

static mh_val_t *th_images(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    mh_val_t *l = mh_val_list(p);
    eimages_load(im);
    for (size_t i = 0; i < im->n; i++) {
        const mh_entry_image_t *x = &im->items[i];
        mh_val_t *m = mh_val_map_sized(p, 12);
        mh_val_map_cstr(p, m, "url", x->url);
        mh_val_map_cstr(p, m, "thumb", x->thumb);
        mh_val_map_int(p, m, "width", x->width);
        mh_val_map_int(p, m, "height", x->height);
        mh_val_map_bool(p, m, "has_size", x->width > 0 && x->height > 0);
        mh_val_map_cstr(p, m, "caption", x->caption);
        mh_val_map_cstr(p, m, "alt", x->caption[0] ? x->caption : im->e->title);
        mh_val_map_int(p, m, "position", (int64_t)i);
        mh_val_map_int(p, m, "number", (int64_t)i + 1);
        mh_val_map_int(p, m, "count", (int64_t)im->n);
        mh_val_map_bool(p, m, "is_first", i == 0);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_image_count(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    eimages_load(im);
    return mh_val_int(p, (int64_t)im->n);
}

static mh_val_t *th_tabs(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    if (im->tabs)
        return im->tabs;
    mh_val_t *l = im->tabs = mh_val_list(p);
    mh_entry_tab_t *t;
    size_t n = 0;
    if (mh_tabs_get(im->r->content, p, im->e->id, &t, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "id", mh_psprintf(p, "tab-%zu", i + 1));
        mh_val_map_cstr(p, m, "title", t[i].title);
        mh_val_map_set(p, m, "body", mh_val_html(p, mh_str_c(t[i].body_html)));
        mh_val_map_bool(p, m, "is_first", i == 0);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_related(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    mh_site_req_t *r = im->r;
    if (im->related)
        return im->related;
    mh_val_t *l = im->related = mh_val_list(p);
    int64_t *ids;
    size_t n = 0;
    if (mh_related_get(r->content, p, im->e->id, &ids, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        mh_entry_t *e = mh_pcalloc(p, sizeof(*e));
        if (mh_content_entry_get(r->content, p, ids[i], e) != MH_OK || !is_public(e) ||
            e->lang_id != r->lang->id)
            continue;
        const mh_column_t *c = mh_context_col_by_id(r, e->column_id);
        if (!c || !c->visible)
            continue;
        mh_val_list_push(p, l, mh_context_entry_item(r, e));
    }
    return l;
}

static mh_val_t *th_has_images(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    eimages_load(im);
    return mh_val_bool(p, im->n > 0);
}

static mh_val_t *th_has_tabs(mh_pool_t *p, void *data)
{
    return mh_val_bool(p, th_tabs(p, data)->u.list.n > 0);
}

static mh_val_t *th_has_related(mh_pool_t *p, void *data)
{
    return mh_val_bool(p, th_related(p, data)->u.list.n > 0);
}

/* The feedback column the column's Inquire link opens, in the page's
 * language (its translation when the setting names another language's). */
static mh_val_t *th_inquire(mh_pool_t *p, void *data)
{
    struct eimages *im = data;
    mh_site_req_t *r = im->r;
    int64_t id = mh_column_inquiry(r->content, p, im->e->column_id);
    const mh_column_t *c = id ? mh_context_col_by_id(r, id) : NULL;
    if (id && !c) {
        mh_column_t other;
        if (mh_content_column_get(r->content, p, id, &other) == MH_OK)
            for (size_t i = 0; i < r->ncols && !c; i++)
                if (r->cols[i].translation_group == other.translation_group)
                    c = &r->cols[i];
    }
    if (!c || !c->visible || !mh_content_type_is(c->module, MH_TYPE_SUBMIT))
        return mh_val_cstr(p, "");
    return mh_val_cstr(p, mh_context_join(p, mh_context_col_path(r, c), "?product=",
                                          mh_url_encode(p, mh_str_c(im->e->title)), NULL));
}

void mh_products_entry_context(mh_site_req_t *r, mh_val_t *m, const mh_entry_t *e)
{
    mh_pool_t *p = r->pool;
    const mh_column_t *c = r->col;
    struct eimages *im = mh_pcalloc(p, sizeof(*im));
    im->r = r;
    im->e = e;
    /* every entry has the keys (the context schema is per page kind);
     * only types with the flags ever query */
    if (c && mh_content_type_is(c->module, MH_TYPE_IMAGES)) {
        mh_val_map_add(p, m, "images", mh_val_lazy(p, th_images, im));
        mh_val_map_add(p, m, "image_count", mh_val_lazy(p, th_image_count, im));
        mh_val_map_add(p, m, "has_images", mh_val_lazy(p, th_has_images, im));
    } else {
        mh_val_map_add(p, m, "images", mh_val_list(p));
        mh_val_map_add(p, m, "image_count", mh_val_int(p, 0));
        mh_val_map_add(p, m, "has_images", mh_val_bool(p, false));
    }
    if (c && mh_content_type_is(c->module, MH_TYPE_TABS)) {
        mh_val_map_add(p, m, "tabs", mh_val_lazy(p, th_tabs, im));
        mh_val_map_add(p, m, "related", mh_val_lazy(p, th_related, im));
        mh_val_map_add(p, m, "inquire_url", mh_val_lazy(p, th_inquire, im));
        mh_val_map_add(p, m, "has_tabs", mh_val_lazy(p, th_has_tabs, im));
        mh_val_map_add(p, m, "has_related", mh_val_lazy(p, th_has_related, im));
    } else {
        mh_val_map_add(p, m, "tabs", mh_val_list(p));
        mh_val_map_add(p, m, "related", mh_val_list(p));
        mh_val_map_add(p, m, "inquire_url", mh_val_cstr(p, ""));
        mh_val_map_add(p, m, "has_tabs", mh_val_bool(p, false));
        mh_val_map_add(p, m, "has_related", mh_val_bool(p, false));
    }
}
