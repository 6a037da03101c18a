/* The entry editor's image list, product tabs and related entries, and the
 * column form's options of product and gallery columns. Inputs come as
 * parallel repeated fields in document order (image_ref[] with
 * image_caption[], tab_title[] with tab_body[]) so the form works without
 * script (empty rows are ignored; clearing a row's address removes it);
 * themes/admin/assets/products.js adds the media library picker, moving
 * rows and removing them. The content layer checks everything. */
#include "products.h"

#include <string.h>

#include "../content/types.h"
#include "../http/form.h"
#include "editorial_internal.h"

/* Most rows read per repeated field, and empty rows offered. */
#define ROWS_MAX 64
#define EMPTY_IMAGES 3
#define EMPTY_TABS 2
/* Most entries offered as related. */
#define RELATED_OFFER 200

static size_t form_all(mh_req_t *req, const char *name, const char ***out)
{
    mh_str_t got[ROWS_MAX];
    size_t k = mh_form_get_all(&req->form, name, got, ROWS_MAX);
    const char **v = mh_pnalloc(req->pool, k ? k : 1, sizeof(char *));
    for (size_t i = 0; i < k; i++)
        v[i] = mh_pstrndup(req->pool, got[i].base ? got[i].base : "", got[i].len);
    *out = v;
    return k;
}

/* b padded (or cut) to n values with "". */
static const char **padded(mh_pool_t *p, const char **b, size_t nb, size_t n)
{
    const char **v = mh_pnalloc(p, n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        v[i] = i < nb ? b[i] : "";
    return v;
}

int mh_admin_products_parse(mh_admin_t *a, mh_req_t *req, const mh_column_t *col, int64_t entry_id,
                            mh_admin_products_form_t *out, const char **msg)
{
    mh_content_t *c = mh_admin_content(a);
    mh_pool_t *p = req->pool;
    const char **refs, **caps, **titles, **bodies, **rel;
    int rc;
    memset(out, 0, sizeof(*out));
    *msg = NULL;
    out->images_on = mh_content_type_is(col->module, MH_TYPE_IMAGES);
    out->tabs_on = mh_content_type_is(col->module, MH_TYPE_TABS);
    if (out->images_on) {
        size_t n = form_all(req, "image_ref", &refs), nc = form_all(req, "image_caption", &caps);
        rc = mh_images_prepare(c, p, refs, padded(p, caps, nc, n), n, &out->images, &out->nimages,
                               msg);
        if (rc != MH_OK)
            return rc;
    }
    if (out->tabs_on) {
        size_t n = form_all(req, "tab_title", &titles), nb = form_all(req, "tab_body", &bodies);
        size_t m = n > nb ? n : nb;
        rc = mh_tabs_prepare(c, p, padded(p, titles, n, m), padded(p, bodies, nb, m), m, &out->tabs,
                             &out->ntabs, msg);
        if (rc != MH_OK)
            return rc;
        size_t nr = form_all(req, "related", &rel);
        int64_t *ids = mh_pnalloc(p, nr ? nr : 1, sizeof(int64_t));
        for (size_t i = 0; i < nr; i++)
            ids[i] = ed_parse_id(rel[i]);
        rc = mh_related_clean(c, p, entry_id, col->lang_id, ids, nr, &out->related, &out->nrelated);
        if (rc != MH_OK)
            return rc;
    }
    return MH_OK;
}

int mh_admin_products_save(mh_admin_t *a, int64_t entry_id, const mh_admin_products_form_t *f)
{
    mh_content_t *c = mh_admin_content(a);
    int rc = MH_OK;
    if (f->images_on)
        rc = mh_images_set(c, entry_id, f->images, f->nimages);
    if (rc == MH_OK && f->tabs_on)
        rc = mh_tabs_set(c, entry_id, f->tabs, f->ntabs);
    if (rc == MH_OK && f->tabs_on)
        rc = mh_related_set(c, entry_id, f->related, f->nrelated);
    return rc;
}

static void image_row(mh_pool_t *p, mh_val_t *l, const char *ref, const char *thumb,
                      const char *caption)
{
    mh_val_t *m = mh_val_map(p);
    size_t n = l->u.list.n;
    mh_val_map_int(p, m, "n", (int64_t)n + 1);
    mh_val_map_cstr(p, m, "ref", ref);
    mh_val_map_cstr(p, m, "thumb", thumb);
    mh_val_map_cstr(p, m, "caption", caption);
    mh_val_list_push(p, l, m);
}

static void tab_row(mh_pool_t *p, mh_val_t *l, const char *title, const char *body)
{
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "n", (int64_t)l->u.list.n + 1);
    mh_val_map_cstr(p, m, "title", title);
    mh_val_map_cstr(p, m, "body", body);
    mh_val_list_push(p, l, m);
}

void mh_admin_products_editor_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_entry_t *e)
{
    mh_content_t *c = mh_admin_content(a);
    mh_pool_t *p = req->pool;
    mh_column_t col;
    bool post = req->method == MH_M_POST;
    if (!e->column_id || mh_content_column_get(c, p, e->column_id, &col) != MH_OK)
        return;
    bool images_on = mh_content_type_is(col.module, MH_TYPE_IMAGES),
         tabs_on = mh_content_type_is(col.module, MH_TYPE_TABS);
    mh_val_map_bool(p, ctx, "products_images_on", images_on);
    mh_val_map_bool(p, ctx, "products_tabs_on", tabs_on);
    if (images_on) {
        mh_val_t *l = mh_val_list(p);
        if (post) {
            const char **refs, **caps;
            size_t n = form_all(req, "image_ref", &refs),
                   nc = form_all(req, "image_caption", &caps);
            for (size_t i = 0; i < n; i++)
                if (refs[i][0])
                    image_row(p, l, refs[i], refs[i], i < nc ? caps[i] : "");
        } else if (e->id) {
            mh_entry_image_t *im;
            size_t n = 0;
            if (mh_images_get(c, p, e->id, false, &im, &n) != MH_OK)
                n = 0;
            for (size_t i = 0; i < n; i++)
                image_row(p, l, im[i].ref, im[i].thumb, im[i].caption);
        }
        for (int i = 0; i < EMPTY_IMAGES; i++)
            image_row(p, l, "", "", "");
        mh_val_map_set(p, ctx, "products_images", l);
    }
    if (!tabs_on)
        return;
    mh_val_t *tl = mh_val_list(p);
    const char **sel = NULL;
    size_t nsel = 0;
    int64_t *stored = NULL;
    size_t nstored = 0;
    if (post) {
        const char **titles, **bodies;
        size_t n = form_all(req, "tab_title", &titles), nb = form_all(req, "tab_body", &bodies);
        for (size_t i = 0; i < n || i < nb; i++) {
            const char *t = i < n ? titles[i] : "", *b = i < nb ? bodies[i] : "";
            if (t[0] || b[0])
                tab_row(p, tl, t, b);
        }
        nsel = form_all(req, "related", &sel);
    } else if (e->id) {
        mh_entry_tab_t *tb;
        size_t n = 0;
        if (mh_tabs_get(c, p, e->id, &tb, &n) != MH_OK)
            n = 0;
        for (size_t i = 0; i < n; i++)
            tab_row(p, tl, tb[i].title, tb[i].body_html);
        if (mh_related_get(c, p, e->id, &stored, &nstored) != MH_OK)
            nstored = 0;
    }
    for (int i = 0; i < EMPTY_TABS; i++)
        tab_row(p, tl, "", "");
    mh_val_map_set(p, ctx, "products_tabs", tl);

    /* related: the other entries of the columns of this type in the
     * language (drafts too: a page may be written before its neighbours) */
    mh_val_t *rl = mh_val_list(p);
    mh_column_t *cols;
    size_t ncols = 0;
    if (mh_content_columns(c, p, col.lang_id, &cols, &ncols) != MH_OK)
        ncols = 0;
    for (size_t ci = 0; ci < ncols && rl->u.list.n < RELATED_OFFER; ci++) {
        if (!mh_content_type_is(cols[ci].module, MH_TYPE_TABS))
            continue;
        mh_entry_query_t q = {.lang_id = col.lang_id,
                              .column_id = cols[ci].id,
                              .sort = MH_SORT_TITLE,
                              .limit = RELATED_OFFER};
        mh_entry_t *es;
        size_t ne = 0;
        int64_t total;
        if (mh_content_entries(c, p, &q, &es, &ne, &total) != MH_OK)
            continue;
        for (size_t i = 0; i < ne && rl->u.list.n < RELATED_OFFER; i++) {
            if (es[i].id == e->id)
                continue;
            bool on = false;
            for (size_t j = 0; j < nsel && !on; j++)
                on = ed_parse_id(sel[j]) == es[i].id;
            for (size_t j = 0; j < nstored && !on; j++)
                on = stored[j] == es[i].id;
            mh_val_t *m = mh_val_map(p);
            mh_val_map_int(p, m, "id", es[i].id);
            mh_val_map_cstr(p, m, "title", es[i].title);
            mh_val_map_bool(p, m, "selected", on);
            mh_val_list_push(p, rl, m);
        }
    }
    mh_val_map_set(p, ctx, "products_related", rl);
    mh_val_map_bool(p, ctx, "products_has_related", rl->u.list.n > 0);
}

void mh_admin_products_column_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx,
                                  const mh_column_t *col)
{
    mh_content_t *c = mh_admin_content(a);
    mh_pool_t *p = req->pool;
    bool post = req->method == MH_M_POST;
    const char *layout = post      ? ed_form(req, "col_layout")
                         : col->id ? mh_column_layout(c, p, col->id)
                                   : "grid";
    int64_t inquiry = post      ? ed_form_int(req, "col_inquiry")
                      : col->id ? mh_column_inquiry(c, p, col->id)
                                : 0;
    mh_val_map_bool(p, ctx, "col_layout_list", strcmp(layout, "list") == 0);
    mh_val_t *opts = mh_val_list(p);
    mh_column_t *cols;
    size_t n = 0;
    if (col->lang_id && mh_content_columns(c, p, col->lang_id, &cols, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        if (!mh_content_type_is(cols[i].module, MH_TYPE_SUBMIT))
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", cols[i].id);
        mh_val_map_cstr(p, m, "name", cols[i].path);
        mh_val_map_bool(p, m, "selected", cols[i].id == inquiry);
        mh_val_list_push(p, opts, m);
    }
    mh_val_map_set(p, ctx, "col_inquiry_options", opts);
}

int mh_admin_products_column_save(mh_admin_t *a, mh_req_t *req, const mh_column_t *col)
{
    mh_content_t *c = mh_admin_content(a);
    if (!mh_content_type_is(col->module, MH_TYPE_IMAGES) &&
        !mh_content_type_is(col->module, MH_TYPE_TABS))
        return MH_OK;
    int64_t inquiry = ed_form_int(req, "col_inquiry");
    mh_column_t target;
    /* only a form column of the same language */
    if (inquiry &&
        (mh_content_column_get(c, req->pool, inquiry, &target) != MH_OK ||
         target.lang_id != col->lang_id || !mh_content_type_is(target.module, MH_TYPE_SUBMIT)))
        inquiry = 0;
    return mh_column_options_set(c, col->id, ed_form(req, "col_layout"),
                                 mh_content_type_is(col->module, MH_TYPE_TABS) ? inquiry : 0);
}
