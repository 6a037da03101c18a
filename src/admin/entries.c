/* Entry lists (per column and all), the editor page (create, edit,
 * publish or submit, translations, review comments) and the small entry
 * actions (to the recycle bin, submit for review, translate).
 *
 * Every id that arrives in a URL or a form is checked against the user
 * with mh_admin_may_entry / mh_admin_may_column before anything is read
 * out or written; an entry the user may not read answers 404 so ids cannot
 * be probed, an action they may not take 403. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../content/fields.h"
#include "../content/types.h"
#include "../http/url.h"
#include "../store/store.h"
#include "../content/validate.h"
#include "accounts_internal.h"
#include "products.h"
#include "editorial_internal.h"
#include "../content/tags.h"

/* ---- lists ---- */

static void list_page(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_column_t *col)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    const char *q = ed_query(req, "q"), *st = ed_query(req, "status"),
               *author = ed_query(req, "author"), *lang = ed_query(req, "lang");
    int64_t page = ed_parse_id(ed_query(req, "page")), total = 0;
    mh_entry_filter_t f = {.status = -1};
    mh_entry_t *es;
    size_t n = 0;
    mh_val_t *ctx = mh_val_map(p), *rows = mh_val_list(p);
    const char *self;
    if (page < 1)
        page = 1;
    if (st && *st)
        f.status = mh_store_status_parse(st);
    if (author && strcmp(author, "mine") == 0)
        f.author_id = u->id;
    else if (author)
        f.author_id = ed_parse_id(author);
    f.search = q && *q ? q : NULL;
    if (col) {
        /* The column and its sub-columns. */
        mh_column_t *cols;
        size_t nc = 0, i, end;
        int64_t *ids;
        if (mh_content_columns(c, p, col->lang_id, &cols, &nc) != MH_OK)
            nc = 0;
        for (i = 0; i < nc && cols[i].id != col->id; i++)
            ;
        for (end = i < nc ? i + 1 : i; end < nc && cols[end].depth > cols[i].depth; end++)
            ;
        ids = mh_pnalloc(p, nc ? nc : 1, sizeof(int64_t));
        for (size_t k = i; k < end; k++)
            ids[k - i] = cols[k].id;
        f.column_ids = ids;
        f.ncolumns = end - i;
        f.restrict_columns = true;
        f.lang_id = col->lang_id;
        self = mh_psprintf(p, "%s/columns/%lld/entries?", base, (long long)col->id);
    } else {
        mh_language_t *langs;
        size_t nl = 0;
        if (lang && *lang && mh_content_languages(c, p, &langs, &nl) == MH_OK)
            for (size_t i = 0; i < nl; i++)
                if (strcmp(langs[i].code, lang) == 0)
                    f.lang_id = langs[i].id;
        self = mh_psprintf(p, "%s/entries?", base);
    }
    ed_scope_filter(a, p, u, &f);
    f.offset = (page - 1) * ED_PAGE_SIZE;
    f.limit = ED_PAGE_SIZE;
    if (mh_editorial_entries(c, p, &f, &es, &n, &total) != MH_OK) {
        mh_admin_error(a, req, resp, 500, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (mh_admin_may_entry(a, u, &es[i], MH_ACT_READ))
            mh_val_list_push(p, rows, ed_entry_row(a, req, &es[i]));
    mh_val_map_set(p, ctx, "entries", rows);
    mh_val_map_bool(p, ctx, "has_entries", rows->u.list.n > 0);
    /* Filters as the form shows them, and the pager keeping them. */
    const char *keep = mh_psprintf(
        p, "%sq=%s&status=%s&author=%s&lang=%s&", self, mh_url_encode(p, mh_str_c(q ? q : "")),
        mh_url_encode(p, mh_str_c(st ? st : "")), mh_url_encode(p, mh_str_c(author ? author : "")),
        mh_url_encode(p, mh_str_c(lang ? lang : "")));
    mh_val_map_set(p, ctx, "pager", ed_pager(p, keep, page, total));
    mh_val_map_cstr(p, ctx, "q", q ? q : "");
    mh_val_map_cstr(p, ctx, "action", self);
    mh_val_map_bool(p, ctx, "mine", f.author_id == u->id);
    mh_val_t *sts = mh_val_list(p);
    for (int s = MH_STATUS_DRAFT; s <= MH_STATUS_PENDING; s++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "value", mh_store_status_name((mh_status_t)s));
        mh_val_map_cstr(p, m, "label", ed_status_label(a, req, (mh_status_t)s));
        mh_val_map_bool(p, m, "selected", f.status == s);
        mh_val_list_push(p, sts, m);
    }
    mh_val_map_set(p, ctx, "statuses", sts);
    if (col) {
        mh_val_t *cv = mh_val_map(p);
        mh_val_map_int(p, cv, "id", col->id);
        mh_val_map_cstr(p, cv, "name", col->name);
        mh_val_map_cstr(p, cv, "module", mh_module_name(col->module));
        mh_val_map_set(p, ctx, "column", cv);
        mh_val_map_bool(p, ctx, "is_page", mh_content_type_is(col->module, MH_TYPE_BODY));
        ed_order_ctx(a, req, ctx, col);
        if (mh_role_has(u->role, MH_PERM_COLUMNS))
            mh_val_map_cstr(p, ctx, "edit_column_href",
                            mh_psprintf(p, "%s/columns/edit/%lld", base, (long long)col->id));
        if (mh_content_type_is(col->module, MH_TYPE_ENTRIES))
            mh_val_map_cstr(p, ctx, "new_href",
                            mh_psprintf(p, "%s/entries/new?column=%lld", base, (long long)col->id));
    } else {
        mh_val_map_set(p, ctx, "langs", ed_lang_options(a, p, f.lang_id));
        mh_val_map_bool(p, ctx, "has_langs", true);
        mh_val_map_cstr(p, ctx, "new_href", mh_psprintf(p, "%s/entries/new", base));
    }
    mh_admin_render(a, req, resp, 200, "editorial_entries",
                    col ? col->name : ed_t(a, req, "ed.msg.all_entries"), ctx);
}

int ed_h_column_entries(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    int64_t id = mh_req_param_id(req, "id");
    mh_column_t col;
    if (!id || mh_content_column_get(mh_admin_content(a), p, id, &col) != MH_OK) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    list_page(a, req, resp, &col);
    return MH_OK;
}

int ed_h_entries(mh_req_t *req, mh_resp_t *resp, void *data)
{
    list_page(data, req, resp, NULL);
    return MH_OK;
}

/* ---- the editor ---- */

static bool is_public_status(mh_status_t s)
{
    return s == MH_STATUS_PUBLISHED || s == MH_STATUS_SCHEDULED;
}

/* ---- custom fields in the editor ---- */

/* Form inputs are named "field_<key>" (several of the same name for a
 * checkbox field). */
static mh_field_input_t *fields_from_form(mh_req_t *req, const mh_field_def_t *defs, size_t n)
{
    mh_pool_t *p = req->pool;
    mh_field_input_t *in = mh_pnalloc(p, n ? n : 1, sizeof(*in));
    for (size_t i = 0; i < n; i++) {
        enum { MAX_VALUES = 64 };
        mh_str_t got[MAX_VALUES];
        const char *name = mh_psprintf(p, "field_%s", defs[i].key);
        size_t k = mh_form_get_all(&req->form, name, got, MAX_VALUES);
        const char **v = mh_pnalloc(p, k ? k : 1, sizeof(char *));
        for (size_t j = 0; j < k; j++)
            v[j] = mh_pstrndup(p, got[j].base ? got[j].base : "", got[j].len);
        in[i] = (mh_field_input_t){defs[i].key, v, k};
    }
    return in;
}

/* The inputs of the entry's fields (its column's and ancestors'
 * definitions): the values sent when this is a refused POST (with a
 * message per field), else the stored ones. */
static void fields_editor_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_field_def_t *defs = NULL;
    mh_field_value_t *vals = NULL;
    mh_field_error_t *errs = NULL;
    size_t ndefs = 0, nvals = 0, nerrs = 0;
    mh_field_item_t *items = NULL;
    mh_val_t *list = mh_val_list(p);
    if (!e->column_id || mh_fields_for_column(c, p, e->column_id, &defs, &ndefs) != MH_OK)
        ndefs = 0;
    if (req->method == MH_M_POST) {
        mh_field_input_t *in = fields_from_form(req, defs, ndefs);
        mh_field_value_t *ok;
        size_t nok = 0;
        mh_fields_validate(p, defs, ndefs, in, ndefs, &ok, &nok, &errs, &nerrs);
        /* show what was sent, refused values included */
        items = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(*items));
        for (size_t i = 0; i < ndefs; i++)
            items[i] = (mh_field_item_t){&defs[i], (const char **)in[i].values, in[i].n};
    } else {
        if (e->id && mh_fields_values(c, p, e->id, &vals, &nvals) != MH_OK)
            nvals = 0;
        items = mh_fields_items(p, defs, ndefs, vals, nvals);
    }
    /* region values are written in the names of the entry's language:
     * Chinese for a zh* language, pinyin for any other */
    const char *region_lang = "zh";
    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(c, p, &langs, &nl) == MH_OK)
        for (size_t i = 0; i < nl; i++)
            if (langs[i].id == e->lang_id && strncmp(langs[i].code, "zh", 2) != 0)
                region_lang = "en";
    mh_val_map_cstr(p, ctx, "region_lang", region_lang);
    for (size_t i = 0; i < ndefs; i++) {
        const mh_field_def_t *d = &defs[i];
        const char *kind = mh_field_kind_name(d->kind);
        mh_val_t *m = mh_val_map(p), *opts = mh_val_list(p);
        mh_val_map_cstr(p, m, "key", d->key);
        mh_val_map_cstr(p, m, "name", mh_psprintf(p, "field_%s", d->key));
        mh_val_map_cstr(p, m, "kind", kind);
        mh_val_map_bool(p, m, mh_psprintf(p, "is_%s", kind ? kind : "text"), true);
        const char *label = d->label;
        if (!d->id) { /* a type's built-in field: its label in the admin's language */
            const char *t = mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req),
                                              mh_psprintf(p, "field.builtin.%s", d->key));
            if (t)
                label = t;
        }
        mh_val_map_cstr(p, m, "label", label);
        mh_val_map_cstr(p, m, "help", d->help);
        mh_val_map_bool(p, m, "required", d->required);
        mh_val_map_cstr(p, m, "value", items[i].n ? items[i].values[0] : "");
        /* options, one per line, marked when among the values */
        const char *o = d->options ? d->options : "";
        while (mh_field_kind_has_options(d->kind) && *o) {
            const char *end = strchr(o, '\n');
            size_t len = end ? (size_t)(end - o) : strlen(o);
            char *opt = mh_pstrndup(p, o, len);
            size_t ol = strlen(opt);
            while (ol && (opt[ol - 1] == '\r' || opt[ol - 1] == ' '))
                opt[--ol] = '\0';
            while (*opt == ' ')
                opt++;
            if (*opt) {
                bool sel = false;
                for (size_t j = 0; j < items[i].n; j++)
                    sel = sel || strcmp(items[i].values[j], opt) == 0;
                mh_val_t *om = mh_val_map(p);
                mh_val_map_cstr(p, om, "value", opt);
                mh_val_map_bool(p, om, "selected", sel);
                mh_val_list_push(p, opts, om);
            }
            o = end ? end + 1 : o + len;
        }
        mh_val_map_set(p, m, "options", opts);
        for (size_t j = 0; j < nerrs; j++)
            if (strcmp(errs[j].key, d->key) == 0) {
                const char *t = mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), errs[j].message);
                mh_val_map_cstr(p, m, "error", t ? t : errs[j].message);
            }
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "fields", list);
    mh_val_map_bool(p, ctx, "has_fields", ndefs > 0);
}

static void editor_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_entry_t *e,
                       const char *error)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    const char *tz = ed_tz(a, p, e->lang_id);
    mh_val_t *m = mh_val_map(p);
    long long id = (long long)e->id;
    mh_val_map_int(p, m, "id", e->id);
    mh_val_map_cstr(p, m, "title", e->title);
    mh_val_map_cstr(p, m, "slug", e->slug);
    mh_val_map_cstr(p, m, "summary", e->summary);
    mh_val_map_cstr(p, m, "body", e->body_html);
    mh_val_map_cstr(p, m, "cover", e->cover);
    mh_val_map_cstr(p, m, "author", e->author);
    mh_val_map_cstr(p, m, "source", e->source);
    mh_val_map_cstr(p, m, "seo_title", e->seo_title);
    mh_val_map_cstr(p, m, "seo_keywords", e->seo_keywords);
    mh_val_map_cstr(p, m, "seo_description", e->seo_description);
    mh_val_map_cstr(p, m, "publish_at", ed_time_input(p, e->publish_at, tz));
    mh_val_map_cstr(p, m, "status_label", ed_status_label(a, req, e->status));
    mh_val_map_cstr(p, m, "status", mh_store_status_name(e->status));
    mh_val_map_bool(p, m, "pinned", e->pinned);
    mh_val_map_bool(p, m, "recommended", e->recommended);
    mh_val_map_int(p, m, "hits", e->hits);
    /* tags: as posted when the form comes back, else as stored */
    const char *tags_in = req->method == MH_M_POST ? mh_form_cstr(&req->form, p, "tags") : NULL;
    mh_tag_t *tags = NULL, *known = NULL;
    size_t ntags = 0, nknown = 0;
    if (!tags_in && e->id && mh_content_entry_tags(c, p, e->id, &tags, &ntags) == MH_OK)
        tags_in = mh_content_tags_join(p, tags, ntags);
    mh_val_map_cstr(p, m, "tags", tags_in ? tags_in : "");
    mh_val_t *tl = mh_val_list(p);
    if (e->lang_id && mh_content_tags(c, p, e->lang_id, &known, &nknown) == MH_OK)
        for (size_t i = 0; i < nknown; i++)
            mh_val_list_push(p, tl, mh_val_cstr(p, known[i].name));
    mh_val_map_set(p, ctx, "tag_suggestions", tl);
    mh_val_map_set(p, ctx, "entry", m);
    fields_editor_ctx(a, req, ctx, e);
    mh_admin_products_editor_ctx(a, req, ctx, e);
    mh_val_map_cstr(p, ctx, "timezone", tz);
    mh_val_map_set(p, ctx, "columns", ed_column_options(a, req, e->lang_id, e->column_id, 0, true));

    /* Statuses this user may choose. */
    mh_entry_t probe = *e;
    probe.status = MH_STATUS_PUBLISHED;
    bool may_publish = mh_admin_may_entry(a, u, &probe, MH_ACT_PUBLISH);
    mh_val_t *sts = mh_val_list(p);
    for (int s = MH_STATUS_DRAFT; s <= MH_STATUS_PENDING; s++) {
        if (is_public_status((mh_status_t)s) && !may_publish)
            continue;
        mh_val_t *o = mh_val_map(p);
        mh_val_map_cstr(p, o, "value", mh_store_status_name((mh_status_t)s));
        mh_val_map_cstr(p, o, "label", ed_status_label(a, req, (mh_status_t)s));
        mh_val_map_bool(p, o, "selected", e->status == (mh_status_t)s);
        mh_val_list_push(p, sts, o);
    }
    mh_val_map_set(p, ctx, "statuses", sts);
    mh_val_map_bool(p, ctx, "may_publish", may_publish);
    if (error)
        mh_val_map_cstr(p, ctx, "error", error);
    if (!e->id) {
        mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/entries/new", base));
        mh_val_map_bool(p, ctx, "is_new", true);
        return;
    }
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/entries/%lld", base, id));
    mh_val_map_cstr(p, ctx, "revisions_href",
                    mh_psprintf(p, "%s/entries/%lld/revisions", base, id));
    if (mh_admin_may_entry(a, u, e, MH_ACT_DELETE))
        mh_val_map_cstr(p, ctx, "trash_action", mh_psprintf(p, "%s/entries/%lld/trash", base, id));
    if (e->status == MH_STATUS_DRAFT && mh_admin_may_entry(a, u, e, MH_ACT_EDIT))
        mh_val_map_cstr(p, ctx, "submit_action",
                        mh_psprintf(p, "%s/entries/%lld/submit", base, id));

    /* Translations: existing ones, and a way to start each missing one. */
    mh_entry_t *tr;
    size_t nt = 0;
    mh_language_t *langs;
    size_t nl = 0;
    mh_val_t *have = mh_val_list(p), *missing = mh_val_list(p);
    if (mh_editorial_translations(c, p, e, &tr, &nt) != MH_OK)
        nt = 0;
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        nl = 0;
    for (size_t l = 0; l < nl; l++) {
        if (langs[l].id == e->lang_id)
            continue;
        bool found = false;
        for (size_t i = 0; i < nt; i++) {
            if (tr[i].lang_id != langs[l].id)
                continue;
            found = true;
            mh_val_t *t = mh_val_map(p);
            mh_val_map_cstr(p, t, "lang", langs[l].name);
            mh_val_map_cstr(p, t, "title", tr[i].title);
            mh_val_map_cstr(p, t, "status_label", ed_status_label(a, req, tr[i].status));
            if (mh_admin_may_entry(a, u, &tr[i], MH_ACT_READ))
                mh_val_map_cstr(p, t, "href",
                                mh_psprintf(p, "%s/entries/%lld", base, (long long)tr[i].id));
            mh_val_list_push(p, have, t);
        }
        if (found)
            continue;
        mh_val_t *cols = ed_column_options(a, req, langs[l].id, 0, 0, true);
        if (cols->u.list.n == 0)
            continue;
        mh_val_t *t = mh_val_map(p);
        mh_val_map_int(p, t, "lang_id", langs[l].id);
        mh_val_map_cstr(p, t, "lang", langs[l].name);
        mh_val_map_set(p, t, "columns", cols);
        mh_val_list_push(p, missing, t);
    }
    mh_val_map_set(p, ctx, "translations", have);
    mh_val_map_set(p, ctx, "missing_translations", missing);
    mh_val_map_cstr(p, ctx, "translate_action",
                    mh_psprintf(p, "%s/entries/%lld/translate", base, id));

    /* Review history: a returned entry shows the editor's comment. */
    mh_review_t *rv;
    size_t nr = 0;
    mh_val_t *rl = mh_val_list(p);
    if (mh_editorial_reviews(c, p, e->id, &rv, &nr) != MH_OK)
        nr = 0;
    for (size_t i = 0; i < nr; i++) {
        mh_val_t *r = mh_val_map(p);
        mh_val_map_cstr(p, r, "action", mh_review_action_name(rv[i].action));
        mh_val_map_bool(p, r, "returned", rv[i].action == MH_REVIEW_REJECT);
        mh_val_map_cstr(p, r, "user", rv[i].user_name);
        mh_val_map_cstr(p, r, "comment", rv[i].comment);
        mh_val_map_cstr(p, r, "at", ed_time_show(p, rv[i].at, tz));
        mh_val_list_push(p, rl, r);
    }
    mh_val_map_set(p, ctx, "reviews", rl);
    if (nr && rv[0].action == MH_REVIEW_REJECT && e->status == MH_STATUS_DRAFT)
        mh_val_map_cstr(p, ctx, "returned_comment", rv[0].comment);
}

/* Overlay the form on e. NULL, or a message for the user. */
static const char *entry_from_form(mh_admin_t *a, mh_req_t *req, mh_entry_t *e, bool *bad_status)
{
    const char *when = ed_form(req, "publish_at");
    int st = mh_store_status_parse(ed_form(req, "status"));
    *bad_status = false;
    e->title = ed_form(req, "title");
    e->slug = ed_form(req, "slug");
    e->column_id = ed_form_int(req, "column_id");
    e->summary = ed_form(req, "summary");
    e->body_html = ed_form(req, "body");
    e->cover = ed_form(req, "cover");
    e->author = ed_form(req, "author");
    e->source = ed_form(req, "source");
    e->seo_title = ed_form(req, "seo_title");
    e->seo_keywords = ed_form(req, "seo_keywords");
    e->seo_description = ed_form(req, "seo_description");
    e->pinned = ed_form_bool(req, "pinned");
    e->recommended = ed_form_bool(req, "recommended");
    if (st < 0) {
        *bad_status = true;
        return ed_t(a, req, "ed.msg.unknown_status");
    }
    e->status = (mh_status_t)st;
    if (*when) {
        int64_t t;
        if (mh_parse_time(when, ed_tz(a, req->pool, e->lang_id), &t) != MH_OK)
            return ed_t(a, req, "ed.msg.the_publish_time_is_not");
        e->publish_at = t;
    } else if (e->status == MH_STATUS_SCHEDULED) {
        return ed_t(a, req, "ed.msg.a_scheduled_entry_needs_a");
    } else if (!e->id) {
        e->publish_at = 0;
    }
    if (!*e->title)
        return ed_t(a, req, "ed.msg.an_entry_needs_a_title");
    if (!mh_content_url_ok(e->cover))
        return mh_admin_text(a, req, "err.bad_cover", "err.bad_cover");
    return NULL;
}

/* Save the editor form over old (id 0: a new entry). Fills resp. */
static void save(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_entry_t *old)
{
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_entry_t e = *old;
    mh_column_t col;
    bool bad_status;
    const char *error = entry_from_form(a, req, &e, &bad_status);
    mh_val_t *ctx = mh_val_map(p);
    /* The chosen column must exist, be one the user may use, and keep the
     * entry in its language. */
    if (mh_content_column_get(c, p, e.column_id, &col) != MH_OK ||
        (old->id && col.lang_id != old->lang_id) ||
        !mh_content_type_is(col.module, MH_TYPE_ENTRIES) ||
        !mh_admin_may_column(a, u, col.id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    e.lang_id = col.lang_id;
    if (bad_status) {
        mh_admin_error(a, req, resp, 422, NULL);
        return;
    }
    /* Both the entry as it is and as it would become must be the user's to
     * edit; making it public, or changing something public, needs the
     * right to publish. */
    if ((old->id && !mh_admin_may_entry(a, u, old, MH_ACT_EDIT)) ||
        !mh_admin_may_entry(a, u, &e, MH_ACT_EDIT) ||
        ((is_public_status(e.status) || (old->id && is_public_status(old->status))) &&
         (!mh_admin_may_entry(a, u, &e, MH_ACT_PUBLISH) ||
          (old->id && !mh_admin_may_entry(a, u, old, MH_ACT_PUBLISH))))) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    /* custom fields: checked by the content layer, one message per field
     * (shown by editor_ctx), saved in the entry's transaction */
    mh_field_def_t *defs = NULL;
    mh_field_value_t *fvals = NULL;
    mh_field_error_t *ferrs = NULL;
    size_t ndefs = 0, nfvals = 0, nferrs = 0;
    if (mh_fields_for_column(c, p, col.id, &defs, &ndefs) != MH_OK) {
        mh_admin_error(a, req, resp, 500, NULL);
        return;
    }
    if (mh_fields_validate(p, defs, ndefs, fields_from_form(req, defs, ndefs), ndefs, &fvals,
                           &nfvals, &ferrs, &nferrs) != MH_OK &&
        !error)
        error = mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), "field.error.some");
    /* images, tabs and related entries of products and galleries: checked
     * by the content layer, saved in the entry's transaction */
    mh_admin_products_form_t pf;
    const char *pmsg = NULL;
    int prc = mh_admin_products_parse(a, req, &col, old->id, &pf, &pmsg);
    if (prc == MH_ERR) {
        mh_admin_error(a, req, resp, 500, NULL);
        return;
    }
    if (prc != MH_OK && !error)
        error = pmsg ? mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), pmsg)
                     : ed_t(a, req, "ed.msg.the_body_is_too_large");
    if (!error && !*e.cover && pf.nimages)
        e.cover = pf.images[0].ref; /* the first image is the list card's cover */
    /* tags: a comma-separated list; absent from the form, left as they are */
    const char *tags_in = mh_form_cstr(&req->form, p, "tags");
    const char *tag_names[MH_TAGS_PER_ENTRY];
    size_t ntags = 0;
    if (tags_in && !error &&
        mh_content_tags_parse(p, tags_in, tag_names, MH_TAGS_PER_ENTRY, &ntags) != MH_OK)
        error = mh_admin_text(a, req, "tags.err_input", "tags.err_input");
    if (!error) {
        /* The save, its revision, its audit lines, its tags and a
         * submission are one transaction: all stored or none. An existing
         * entry's tags go first so that its revision records them. */
        mh_audit_line_t line =
            mh_admin_audit_line(req, old->id ? "entry.update" : "entry.create", NULL, NULL);
        int rc = mh_content_tx_begin(c);
        if (rc == MH_OK && tags_in && old->id)
            rc = mh_content_entry_tags_set(c, old->id, e.lang_id, tags_in);
        if (rc == MH_OK) {
            /* an existing entry's images first, so the revision has them */
            if (old->id)
                rc = mh_admin_products_save(a, old->id, &pf);
            if (rc == MH_OK)
                rc = mh_editorial_entry_save_fields(c, p, &e, u->id, fvals, nfvals, &line);
            if (rc == MH_OK && !old->id)
                rc = mh_admin_products_save(a, e.id, &pf);
            if (rc == MH_OK && tags_in && !old->id)
                rc = mh_content_entry_tags_set(c, e.id, e.lang_id, tags_in);
            if (rc == MH_OK && (e.status != old->status || !old->id)) {
                const char *obj = ed_obj(p, "entry", e.id);
                if (e.status == MH_STATUS_PENDING) {
                    rc = mh_editorial_submit(c, e.id, u->id, NULL);
                    if (rc == MH_OK)
                        rc = mh_admin_audit(a, req, "entry.submit", obj, NULL);
                } else if (is_public_status(e.status)) {
                    rc = mh_admin_audit(a, req,
                                        e.status == MH_STATUS_PUBLISHED ? "entry.publish"
                                                                        : "entry.schedule",
                                        obj, NULL);
                } else if (old->id) {
                    rc = mh_admin_audit(a, req, "entry.unpublish", obj, NULL);
                }
            }
            rc = mh_content_tx_end(c, rc);
        }
        if (rc == MH_OK) {
            mh_admin_redirect(a, req, resp, mh_psprintf(p, "/entries/%lld", (long long)e.id),
                              "saved");
            return;
        }
        if (mh_admin_nospace(a, req, resp, rc))
            return;
        e.id = old->id; /* a new entry whose save rolled back does not exist */
        error = rc == MH_TOOBIG    ? ed_t(a, req, "ed.msg.the_body_is_too_large")
                : rc == MH_INVALID ? mh_admin_text(a, req, "err.bad_cover", "err.bad_cover")
                                   : ed_t(a, req, "ed.msg.the_entry_could_not_be");
    }
    editor_ctx(a, req, ctx, &e, error);
    mh_admin_render(a, req, resp, 422, "editorial_entry_edit",
                    old->id ? old->title : ed_t(a, req, "ed.msg.new_entry"), ctx);
}

int ed_h_entry_new(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_entry_t e = {.status = MH_STATUS_DRAFT,
                    .author_id = u->id,
                    .title = "",
                    .slug = "",
                    .summary = "",
                    .body_html = "",
                    .cover = "",
                    .source = "",
                    .seo_title = "",
                    .seo_keywords = "",
                    .seo_description = ""};
    mh_column_t col;
    e.author = u->display_name && *u->display_name ? u->display_name : u->name;
    if (req->method == MH_M_POST) {
        save(a, req, resp, &e);
        return MH_OK;
    }
    e.column_id = ed_parse_id(ed_query(req, "column"));
    if (e.column_id) {
        if (mh_content_column_get(c, p, e.column_id, &col) != MH_OK) {
            mh_admin_error(a, req, resp, 404, "not_found");
            return MH_OK;
        }
        if (!mh_admin_may_column(a, u, col.id, col.lang_id)) {
            mh_admin_error(a, req, resp, 403, "forbidden");
            return MH_OK;
        }
        e.lang_id = col.lang_id;
    } else {
        mh_language_t *langs;
        size_t nl = 0;
        const char *code = ed_query(req, "lang");
        if (mh_content_languages(c, p, &langs, &nl) == MH_OK && nl) {
            e.lang_id = langs[0].id;
            for (size_t i = 0; i < nl; i++)
                if ((code && strcmp(langs[i].code, code) == 0) || (!code && langs[i].is_default))
                    e.lang_id = langs[i].id;
        }
    }
    mh_val_t *ctx = mh_val_map(p);
    editor_ctx(a, req, ctx, &e, NULL);
    mh_admin_render(a, req, resp, 200, "editorial_entry_edit", ed_t(a, req, "ed.msg.new_entry"),
                    ctx);
    return MH_OK;
}

static void entry_trash(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    if (!mh_admin_may_entry(a, mh_admin_user(req), e, MH_ACT_DELETE)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    mh_content_t *c = mh_admin_content(a);
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_entry_trash(c, e->id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "entry.trash", ed_obj(p, "entry", e->id), e->title);
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 409, NULL);
        return;
    }
    mh_admin_redirect(a, req, resp,
                      mh_psprintf(p, "/columns/%lld/entries", (long long)e->column_id),
                      "entry_trashed");
}

static void entry_submit(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_entry_t pending = *e;
    pending.status = MH_STATUS_PENDING;
    if (!mh_admin_may_entry(a, u, e, MH_ACT_EDIT) ||
        !mh_admin_may_entry(a, u, &pending, MH_ACT_EDIT)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    if (e->status != MH_STATUS_DRAFT) {
        mh_admin_error(a, req, resp, 409, NULL);
        return;
    }
    mh_content_t *c = mh_admin_content(a);
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_submit(c, e->id, u->id, ed_form(req, "comment"));
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "entry.submit", ed_obj(p, "entry", e->id), e->title);
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 500, NULL);
        return;
    }
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/entries/%lld", (long long)e->id),
                      "entry_submitted");
}

static void entry_translate(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t lang = ed_form_int(req, "lang_id"), col_id = ed_form_int(req, "column_id"), id = 0;
    mh_column_t col;
    mh_entry_t draft = *e;
    if (mh_content_column_get(mh_admin_content(a), p, col_id, &col) != MH_OK ||
        col.lang_id != lang || !mh_admin_may_column(a, u, col_id, lang)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    draft.id = 0;
    draft.column_id = col_id;
    draft.lang_id = lang;
    draft.author_id = u->id;
    draft.status = MH_STATUS_DRAFT;
    if (!mh_admin_may_entry(a, u, &draft, MH_ACT_EDIT)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return;
    }
    mh_content_t *c = mh_admin_content(a);
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK) {
        rc = mh_editorial_entry_translate(c, e->id, lang, col_id, u->id, &id);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "entry.translate", ed_obj(p, "entry", id),
                                mh_psprintf(p, "from entry:%lld", (long long)e->id));
        rc = mh_content_tx_end(c, rc);
    }
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 409, NULL);
        return;
    }
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/entries/%lld", (long long)id), "saved");
}

/* What a request does to an entry: its route says. */
enum entry_op { OP_EDIT, OP_TRASH, OP_SUBMIT, OP_TRANSLATE };

static int entry_op(mh_req_t *req, mh_resp_t *resp, void *data, enum entry_op op)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    int64_t id = mh_req_param_id(req, "id");
    mh_entry_t e;
    /* Live entries only: binned ones are handled from the recycle bin. */
    if (!id || mh_content_entry_get(mh_admin_content(a), p, id, &e) != MH_OK ||
        !mh_admin_may_entry(a, u, &e, MH_ACT_READ)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (req->method == MH_M_POST) {
        if (op == OP_EDIT)
            save(a, req, resp, &e);
        else if (op == OP_TRASH)
            entry_trash(a, req, resp, &e);
        else if (op == OP_SUBMIT)
            entry_submit(a, req, resp, &e);
        else
            entry_translate(a, req, resp, &e);
        return MH_OK;
    }
    mh_val_t *ctx = mh_val_map(p);
    editor_ctx(a, req, ctx, &e, NULL);
    mh_val_map_bool(p, ctx, "read_only", !mh_admin_may_entry(a, u, &e, MH_ACT_EDIT));
    mh_admin_render(a, req, resp, 200, "editorial_entry_edit", e.title, ctx);
    return MH_OK;
}

int ed_h_entry(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return entry_op(req, resp, data, OP_EDIT);
}

int ed_h_entry_trash(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return entry_op(req, resp, data, OP_TRASH);
}

int ed_h_entry_submit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return entry_op(req, resp, data, OP_SUBMIT);
}

int ed_h_entry_translate(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return entry_op(req, resp, data, OP_TRANSLATE);
}
