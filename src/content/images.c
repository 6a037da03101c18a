/* Entry images, product tabs, related entries and filtered lists on top
 * of the store's image ops. Validation and sanitising live here so the
 * admin, the demo, an importer or an API get the same checks; public
 * reads go through the generation's memo like the core's lists. */
#include "images.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"
#include "../media/media.h"
#include "../model/media.h"
#include "../store/images.h"
#include "../store/store.h"
#include "media.h"
#include "memo.h"
#include "types.h"
#include "validate.h"

/* The variant width preferred for thumbnails (list cards, gallery grid). */
#define THUMB_WIDTH 640

static const struct mh_store_image_ops *iops(mh_content_t *c)
{
    return mh_content_store(c)->ops->images;
}

static int tx_wrap(mh_content_t *c, int rc)
{
    return mh_content_tx_end(c, rc);
}

/* --- images --- */

struct image_list {
    mh_entry_image_t *items;
    size_t n;
};

static const char *dup(mh_pool_t *p, const char *s)
{
    return mh_pstrdup(p, s ? s : "");
}

static void *copy_images(mh_pool_t *p, const void *src)
{
    const struct image_list *l = src;
    struct image_list *d = mh_palloc(p, sizeof(*d));
    d->n = l->n;
    d->items = mh_pnalloc(p, l->n ? l->n : 1, sizeof(*d->items));
    for (size_t i = 0; i < l->n; i++) {
        d->items[i] = l->items[i];
        d->items[i].ref = dup(p, l->items[i].ref);
        d->items[i].url = dup(p, l->items[i].url);
        d->items[i].thumb = dup(p, l->items[i].thumb);
        d->items[i].caption = dup(p, l->items[i].caption);
    }
    return d;
}

int mh_images_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, bool public,
                  mh_entry_image_t **out, size_t *n)
{
    mh_memo_t *memo = public ? mh_content_memo(c, p) : NULL;
    mh_memo_key_t k;
    if (memo) {
        mh_memo_key_init(&k, p, 'I');
        mh_memo_key_i64(&k, entry_id);
        const struct image_list *m = mh_memo_get(memo, &k);
        if (m) {
            *out = m->items;
            *n = m->n;
            return MH_OK;
        }
    }
    struct image_list l = {0};
    int rc = iops(c)->images(mh_content_store(c), p, entry_id, &l.items, &l.n);
    if (rc != MH_OK)
        return rc;
    *out = l.items;
    *n = l.n;
    if (memo)
        mh_memo_put(memo, &k, copy_images, &l);
    return MH_OK;
}

/* A stored media image: its URL, a thumbnail variant and its size. */
static bool resolve_media(mh_content_t *c, mh_pool_t *p, mh_entry_image_t *im)
{
    const char *ref = im->ref;
    size_t plen = sizeof(MH_MEDIA_URL_PREFIX) - 1;
    mh_media_item_t m;
    if (strncmp(ref, MH_MEDIA_URL_PREFIX, plen) == 0)
        ref += plen;
    if (mh_content_media_by_name(c, p, ref, &m) != MH_OK || !mh_content_media_is_image(&m))
        return false;
    int w[MH_MEDIA_ITEM_MAX_VARIANTS];
    size_t nw = mh_content_media_widths(&m, w, MH_MEDIA_ITEM_MAX_VARIANTS);
    im->ref = mh_content_media_url(p, m.stored_name);
    im->url = im->ref;
    im->thumb = im->url;
    im->width = m.width;
    im->height = m.height;
    /* the smallest variant at least THUMB_WIDTH wide, else the largest */
    int best = 0;
    for (size_t i = 0; i < nw; i++)
        if ((best < THUMB_WIDTH && w[i] > best) || (w[i] >= THUMB_WIDTH && w[i] < best))
            best = w[i];
    if (best > 0) {
        const char *v = mh_media_variant_name(p, m.stored_name, best);
        if (v)
            im->thumb = mh_content_media_url(p, v);
    }
    return true;
}

static const char *trimmed(mh_pool_t *p, const char *s)
{
    if (!s)
        return "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return mh_pstrndup(p, s, n);
}

int mh_images_prepare(mh_content_t *c, mh_pool_t *p, const char *const *refs,
                      const char *const *captions, size_t n, mh_entry_image_t **out, size_t *nout,
                      const char **msg)
{
    mh_entry_image_t *v = mh_pnalloc(p, n ? n : 1, sizeof(*v));
    size_t k = 0;
    *out = v;
    *nout = 0;
    *msg = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *ref = trimmed(p, refs[i]);
        const char *cap = trimmed(p, captions ? captions[i] : "");
        if (!*ref)
            continue;
        if (k == MH_IMAGES_MAX) {
            *msg = "images.error.too_many";
            return MH_DECLINED;
        }
        if (!mh_content_url_ok(ref) ||
            (strncmp(ref, "http://", 7) != 0 && strncmp(ref, "https://", 8) != 0 &&
             strncmp(ref, MH_MEDIA_URL_PREFIX, sizeof(MH_MEDIA_URL_PREFIX) - 1) != 0)) {
            *msg = "images.error.url";
            return MH_DECLINED;
        }
        if (strlen(cap) > MH_CAPTION_MAX) {
            *msg = "images.error.caption";
            return MH_DECLINED;
        }
        mh_entry_image_t *im = &v[k];
        *im = (mh_entry_image_t){.position = (int)k, .ref = ref, .caption = cap};
        if (!resolve_media(c, p, im)) {
            if (strncmp(ref, MH_MEDIA_URL_PREFIX, sizeof(MH_MEDIA_URL_PREFIX) - 1) == 0) {
                *msg = "images.error.url"; /* names no stored image */
                return MH_DECLINED;
            }
            im->url = ref;
            im->thumb = ref;
        }
        k++;
    }
    *nout = k;
    return MH_OK;
}

int mh_images_set(mh_content_t *c, int64_t entry_id, const mh_entry_image_t *in, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return tx_wrap(c, iops(c)->images_set(mh_content_store(c), entry_id, in, n));
}

/* --- tabs --- */

int mh_tabs_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_entry_tab_t **out, size_t *n)
{
    return iops(c)->tabs(mh_content_store(c), p, entry_id, out, n);
}

int mh_tabs_prepare(mh_content_t *c, mh_pool_t *p, const char *const *titles,
                    const char *const *bodies, size_t n, mh_entry_tab_t **out, size_t *nout,
                    const char **msg)
{
    mh_entry_tab_t *v = mh_pnalloc(p, n ? n : 1, sizeof(*v));
    size_t k = 0;
    *out = v;
    *nout = 0;
    *msg = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *title = trimmed(p, titles[i]);
        const char *body = bodies && bodies[i] ? bodies[i] : "";
        const char *body_t = trimmed(p, body);
        if (!*title && !*body_t)
            continue;
        if (!*title) {
            *msg = "tabs.error.title";
            return MH_DECLINED;
        }
        if (strlen(title) > MH_TAB_TITLE_MAX) {
            *msg = "tabs.error.title_long";
            return MH_DECLINED;
        }
        if (k == MH_TABS_MAX) {
            *msg = "tabs.error.too_many";
            return MH_DECLINED;
        }
        int rc = mh_content_sanitize(c, p, &body);
        if (rc != MH_OK)
            return rc;
        v[k] = (mh_entry_tab_t){.position = (int)k, .title = title, .body_html = body};
        k++;
    }
    *nout = k;
    return MH_OK;
}

int mh_tabs_set(mh_content_t *c, int64_t entry_id, const mh_entry_tab_t *in, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return tx_wrap(c, iops(c)->tabs_set(mh_content_store(c), entry_id, in, n));
}

/* --- related --- */

int mh_related_get(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t **ids, size_t *n)
{
    return iops(c)->related(mh_content_store(c), p, entry_id, ids, n);
}

int mh_related_clean(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t lang_id,
                     const int64_t *ids, size_t n, int64_t **out, size_t *nout)
{
    int64_t *v = mh_pnalloc(p, n ? n : 1, sizeof(*v));
    size_t k = 0;
    *out = v;
    *nout = 0;
    for (size_t i = 0; i < n && k < MH_RELATED_MAX; i++) {
        bool seen = ids[i] <= 0 || ids[i] == entry_id;
        for (size_t j = 0; j < k && !seen; j++)
            seen = v[j] == ids[i];
        if (seen)
            continue;
        mh_entry_t e;
        int rc = mh_content_entry_get(c, p, ids[i], &e);
        if (rc == MH_ERR)
            return rc;
        if (rc != MH_OK || e.lang_id != lang_id)
            continue;
        v[k++] = ids[i];
    }
    *nout = k;
    return MH_OK;
}

int mh_related_set(mh_content_t *c, int64_t entry_id, const int64_t *ids, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return tx_wrap(c, iops(c)->related_set(mh_content_store(c), entry_id, ids, n));
}

/* --- revisions --- */

bool mh_images_snapshot(mh_content_t *c, mh_pool_t *p, int64_t entry_id, void *json_obj)
{
    json_t *o = json_obj;
    mh_entry_image_t *im;
    mh_entry_tab_t *tb;
    int64_t *rel;
    size_t ni = 0, nt = 0, nr = 0;
    if (mh_images_get(c, p, entry_id, false, &im, &ni) != MH_OK)
        ni = 0;
    if (mh_tabs_get(c, p, entry_id, &tb, &nt) != MH_OK)
        nt = 0;
    if (mh_related_get(c, p, entry_id, &rel, &nr) != MH_OK)
        nr = 0;
    if (!ni && !nt && !nr)
        return false;
    json_t *ja = json_array(), *jt = json_array(), *jr = json_array();
    for (size_t i = 0; i < ni; i++)
        json_array_append_new(ja,
                              json_pack("{s:s,s:s}", "ref", im[i].ref, "caption", im[i].caption));
    for (size_t i = 0; i < nt; i++)
        json_array_append_new(
            jt, json_pack("{s:s,s:s}", "title", tb[i].title, "body", tb[i].body_html));
    for (size_t i = 0; i < nr; i++)
        json_array_append_new(jr, json_integer(rel[i]));
    json_object_set_new(o, "images", ja);
    json_object_set_new(o, "tabs", jt);
    json_object_set_new(o, "related", jr);
    return true;
}

static const char *member(mh_pool_t *p, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return mh_pstrdup(p, json_is_string(v) ? json_string_value(v) : "");
}

int mh_images_restore(mh_content_t *c, mh_pool_t *p, int64_t entry_id, void *json_obj)
{
    json_t *o = json_obj, *ja = json_object_get(o, "images"), *jt = json_object_get(o, "tabs"),
           *jr = json_object_get(o, "related");
    size_t ni = json_array_size(ja), nt = json_array_size(jt), nr = json_array_size(jr);
    const char **refs = mh_pnalloc(p, ni + 1, sizeof(char *)),
               **caps = mh_pnalloc(p, ni + 1, sizeof(char *)),
               **titles = mh_pnalloc(p, nt + 1, sizeof(char *)),
               **bodies = mh_pnalloc(p, nt + 1, sizeof(char *));
    int64_t *ids = mh_pnalloc(p, nr + 1, sizeof(int64_t));
    mh_entry_image_t *im;
    mh_entry_tab_t *tb;
    mh_entry_t e;
    size_t k = 0, n = 0;
    const char *msg;
    int rc;
    for (size_t i = 0; i < ni; i++) {
        refs[i] = member(p, json_array_get(ja, i), "ref");
        caps[i] = member(p, json_array_get(ja, i), "caption");
    }
    for (size_t i = 0; i < nt; i++) {
        titles[i] = member(p, json_array_get(jt, i), "title");
        bodies[i] = member(p, json_array_get(jt, i), "body");
    }
    for (size_t i = 0; i < nr; i++)
        if (json_is_integer(json_array_get(jr, i)))
            ids[k++] = json_integer_value(json_array_get(jr, i));
    if ((rc = mh_content_entry_get(c, p, entry_id, &e)) != MH_OK)
        return rc;
    /* an image the library no longer has is left out, not a failure */
    rc = mh_images_prepare(c, p, refs, caps, ni, &im, &n, &msg);
    if (rc == MH_DECLINED) {
        size_t kept = 0;
        for (size_t i = 0; i < ni; i++) {
            mh_entry_image_t *one;
            size_t m;
            if (mh_images_prepare(c, p, &refs[i], &caps[i], 1, &one, &m, &msg) == MH_OK && m)
                im[kept++] = one[0];
        }
        n = kept;
        rc = MH_OK;
    }
    if (rc == MH_OK)
        rc = mh_images_set(c, entry_id, im, n);
    size_t ntabs = 0;
    if (rc == MH_OK && mh_tabs_prepare(c, p, titles, bodies, nt, &tb, &ntabs, &msg) == MH_OK)
        rc = mh_tabs_set(c, entry_id, tb, ntabs);
    int64_t *clean;
    size_t nclean = 0;
    if (rc == MH_OK)
        rc = mh_related_clean(c, p, entry_id, e.lang_id, ids, k, &clean, &nclean);
    if (rc == MH_OK)
        rc = mh_related_set(c, entry_id, clean, nclean);
    return rc;
}

/* --- filtered lists --- */

/* The public columns of the list: column_id and its visible descendants,
 * from the generation's column snapshot. */
static int list_columns(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                        int64_t **ids, size_t *n)
{
    mh_column_t *cols;
    size_t ncols, i;
    *n = 0;
    if (mh_content_columns(c, p, lang_id, &cols, &ncols) != MH_OK)
        return MH_ERR;
    for (i = 0; i < ncols && cols[i].id != column_id; i++)
        ;
    if (i == ncols)
        return MH_DECLINED;
    *ids = mh_pnalloc(p, ncols, sizeof(int64_t));
    (*ids)[(*n)++] = column_id;
    for (size_t j = i + 1; j < ncols && cols[j].depth > cols[i].depth; j++)
        if (cols[j].visible)
            (*ids)[(*n)++] = cols[j].id;
    return MH_OK;
}

static void key_filters(mh_memo_key_t *k, const mh_list_filter_t *f, size_t n, const char *skip)
{
    for (size_t i = 0; i < n; i++)
        if (!skip || strcmp(f[i].key, skip) != 0) {
            mh_memo_key_str(k, f[i].key);
            mh_memo_key_str(k, f[i].value);
        }
}

struct id_list {
    int64_t *ids;
    size_t n;
};

static void *copy_ids(mh_pool_t *p, const void *src)
{
    const struct id_list *l = src;
    struct id_list *d = mh_palloc(p, sizeof(*d));
    d->n = l->n;
    d->ids = mh_pnalloc(p, l->n ? l->n : 1, sizeof(int64_t));
    if (l->n)
        memcpy(d->ids, l->ids, l->n * sizeof(int64_t));
    return d;
}

int mh_list_filtered(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                     const mh_list_filter_t *filters, size_t nfilters, int64_t offset,
                     int64_t limit, mh_entry_t **out, size_t *n, int64_t *total)
{
    mh_column_t col;
    int64_t *cols;
    size_t ncols;
    int rc;
    *n = 0;
    *total = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (mh_content_column_get(c, p, column_id, &col) != MH_OK)
        return MH_DECLINED;
    if (limit <= 0 || limit > 200)
        limit = limit <= 0 ? 20 : 200;
    if (offset < 0)
        offset = 0;
    if (nfilters > MH_STORE_FILTERS_MAX)
        nfilters = MH_STORE_FILTERS_MAX;
    if (!nfilters) {
        mh_entry_query_t q = {.lang_id = lang_id,
                              .column_id = column_id,
                              .descendants = true,
                              .public_only = true,
                              .sort = col.sort_mode,
                              .offset = offset,
                              .limit = limit};
        return mh_content_entries(c, p, &q, out, n, total);
    }
    if ((rc = list_columns(c, p, lang_id, column_id, &cols, &ncols)) != MH_OK)
        return rc;
    mh_memo_t *memo = mh_content_memo(c, p);
    mh_memo_key_t k;
    const struct id_list *m = NULL;
    struct id_list l = {0};
    if (memo) {
        mh_memo_key_init(&k, p, 'F');
        mh_memo_key_i64(&k, lang_id);
        mh_memo_key_i64(&k, column_id);
        key_filters(&k, filters, nfilters, NULL);
        m = mh_memo_get(memo, &k);
    }
    if (!m) {
        rc = iops(c)->filter_ids(mh_content_store(c), p, cols, ncols, filters, nfilters,
                                 (int)col.sort_mode, (int64_t)time(NULL), &l.ids, &l.n);
        if (rc != MH_OK)
            return rc;
        m = memo ? mh_memo_put(memo, &k, copy_ids, &l) : NULL;
        if (!m)
            m = &l;
    }
    *total = (int64_t)m->n;
    if (offset >= (int64_t)m->n)
        return MH_OK;
    size_t end = (size_t)(offset + limit) < m->n ? (size_t)(offset + limit) : m->n;
    *out = mh_pnalloc(p, end - (size_t)offset, sizeof(mh_entry_t));
    for (size_t i = (size_t)offset; i < end; i++) {
        mh_entry_t *e = &(*out)[*n];
        rc = mh_content_entry_get(c, p, m->ids[i], e);
        if (rc == MH_ERR)
            return rc;
        if (rc == MH_OK) {
            e->body_html = NULL; /* lists carry no body */
            (*n)++;
        }
    }
    return MH_OK;
}

struct facet_list {
    mh_facet_count_t *items;
    size_t n;
};

static void *copy_facet(mh_pool_t *p, const void *src)
{
    const struct facet_list *l = src;
    struct facet_list *d = mh_palloc(p, sizeof(*d));
    d->n = l->n;
    d->items = mh_pnalloc(p, l->n ? l->n : 1, sizeof(*d->items));
    for (size_t i = 0; i < l->n; i++) {
        d->items[i].value = dup(p, l->items[i].value);
        d->items[i].count = l->items[i].count;
    }
    return d;
}

int mh_list_facet(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                  const char *key, const mh_list_filter_t *filters, size_t nfilters,
                  mh_facet_count_t **out, size_t *n)
{
    int64_t *cols;
    size_t ncols, nf = 0;
    int rc;
    *n = 0;
    *out = mh_palloc(p, sizeof(mh_facet_count_t));
    if ((rc = list_columns(c, p, lang_id, column_id, &cols, &ncols)) != MH_OK)
        return rc;
    mh_list_filter_t *others = mh_pnalloc(p, nfilters ? nfilters : 1, sizeof(*others));
    for (size_t i = 0; i < nfilters && nf < MH_STORE_FILTERS_MAX; i++)
        if (strcmp(filters[i].key, key) != 0)
            others[nf++] = filters[i];
    mh_memo_t *memo = mh_content_memo(c, p);
    mh_memo_key_t k;
    const struct facet_list *m = NULL;
    struct facet_list l = {0};
    if (memo) {
        mh_memo_key_init(&k, p, 'C');
        mh_memo_key_i64(&k, lang_id);
        mh_memo_key_i64(&k, column_id);
        mh_memo_key_str(&k, key);
        key_filters(&k, others, nf, NULL);
        m = mh_memo_get(memo, &k);
    }
    if (!m) {
        rc = iops(c)->facet(mh_content_store(c), p, cols, ncols, key, others, nf,
                            (int64_t)time(NULL), &l.items, &l.n);
        if (rc != MH_OK)
            return rc;
        m = memo ? mh_memo_put(memo, &k, copy_facet, &l) : NULL;
        if (!m)
            m = &l;
    }
    *out = m->items;
    *n = m->n;
    return MH_OK;
}

/* --- column options --- */

static const char *opt_key(mh_pool_t *p, int64_t column_id, const char *name)
{
    return mh_psprintf(p, "col.%lld.%s", (long long)column_id, name);
}

const char *mh_column_layout(mh_content_t *c, mh_pool_t *p, int64_t column_id)
{
    const char *v = mh_content_setting(c, p, 0, opt_key(p, column_id, "layout"));
    return v && strcmp(v, "list") == 0 ? "list" : "grid";
}

int64_t mh_column_inquiry(mh_content_t *c, mh_pool_t *p, int64_t column_id)
{
    const char *v = mh_content_setting(c, p, 0, opt_key(p, column_id, "inquiry"));
    if (!v || !*v)
        return 0;
    char *end;
    long long id = strtoll(v, &end, 10);
    return *end || id < 0 ? 0 : (int64_t)id;
}

int mh_column_options_set(mh_content_t *c, int64_t column_id, const char *layout, int64_t inquiry)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_content_setting_set(c, 0, opt_key(p, column_id, "layout"),
                                    layout && strcmp(layout, "list") == 0 ? "list" : NULL);
        if (rc == MH_OK)
            rc = mh_content_setting_set(c, 0, opt_key(p, column_id, "inquiry"),
                                        inquiry > 0 ? mh_psprintf(p, "%lld", (long long)inquiry)
                                                    : NULL);
        rc = mh_content_tx_end(c, rc);
    }
    mh_pool_destroy(p);
    return rc;
}
