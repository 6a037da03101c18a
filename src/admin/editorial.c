/* The editorial feature: its route table, per-admin state and the helpers
 * its pages share.
 *
 * Route order matters (the first matching pattern wins): the column
 * management prefixes (/columns/edit/, /columns/up/...) need MH_PERM_COLUMNS
 * and come before /columns/<id>/entries, which needs only MH_PERM_ENTRIES. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../content/types.h"
#include "../http/url.h"
#include "../store/store.h"
#include "editorial_internal.h"

struct ed_state {
    mh_admin_t *a;
    mh_route_t *routes;
    size_t nroutes;
    int64_t last_tick;
    mh_pool_t *pool;
    struct ed_state *next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ed_state *reg;

static struct ed_state *state_of(mh_admin_t *a)
{
    struct ed_state *s;
    pthread_mutex_lock(&reg_lock);
    for (s = reg; s && s->a != a; s = s->next)
        ;
    pthread_mutex_unlock(&reg_lock);
    return s;
}

static void add(struct ed_state *s, size_t cap, unsigned methods, const char *path,
                const char *perm, mh_handler_fn fn)
{
    if (s->nroutes >= cap)
        abort(); /* the table below outgrew cap: a programming error */
    s->routes[s->nroutes++] = (mh_route_t){
        .methods = methods,
        .pattern = mh_psprintf(s->pool, "%s%s", mh_admin_base(s->a), path),
        .auth = MH_AUTH_SESSION,
        .permission = perm,
        .csrf = (methods & MH_M_POST) != 0,
        .handler = fn,
        .data = s->a,
    };
}

static void build_routes(struct ed_state *s)
{
    const size_t cap = 32;
    const unsigned G = MH_M_GET, P = MH_M_POST;
    s->routes = mh_pcalloc(s->pool, cap * sizeof(mh_route_t));
    add(s, cap, G, "/columns", MH_PERM_COLUMNS, ed_h_columns);
    add(s, cap, G, "/columns/new", MH_PERM_COLUMNS, ed_h_column_new);
    add(s, cap, P, "/columns/new", MH_PERM_COLUMNS, ed_h_column_new);
    add(s, cap, G, "/columns/edit/*", MH_PERM_COLUMNS, ed_h_column_edit);
    add(s, cap, P, "/columns/edit/*", MH_PERM_COLUMNS, ed_h_column_edit);
    add(s, cap, P, "/columns/up/*", MH_PERM_COLUMNS, ed_h_column_up);
    add(s, cap, P, "/columns/down/*", MH_PERM_COLUMNS, ed_h_column_down);
    add(s, cap, G, "/columns/delete/*", MH_PERM_COLUMNS, ed_h_column_delete);
    add(s, cap, P, "/columns/delete/*", MH_PERM_COLUMNS, ed_h_column_delete);
    add(s, cap, P, "/columns/fields/new/*", MH_PERM_COLUMNS, ed_h_field_new);
    add(s, cap, P, "/columns/fields/edit/*", MH_PERM_COLUMNS, ed_h_field_edit);
    add(s, cap, P, "/columns/fields/delete/*", MH_PERM_COLUMNS, ed_h_field_delete);
    add(s, cap, P, "/columns/fields/up/*", MH_PERM_COLUMNS, ed_h_field_up);
    add(s, cap, P, "/columns/fields/down/*", MH_PERM_COLUMNS, ed_h_field_down);
    add(s, cap, G, "/columns/*", MH_PERM_ENTRIES, ed_h_column_entries);
    add(s, cap, G, "/entries", MH_PERM_ENTRIES, ed_h_entries);
    add(s, cap, G, "/entries/new", MH_PERM_ENTRIES, ed_h_entry_new);
    add(s, cap, P, "/entries/new", MH_PERM_ENTRIES, ed_h_entry_new);
    add(s, cap, G, "/entries/*", MH_PERM_ENTRIES, ed_h_entry);
    add(s, cap, P, "/entries/*", MH_PERM_ENTRIES, ed_h_entry);
    add(s, cap, G, "/trash", MH_PERM_ENTRIES, ed_h_trash);
    add(s, cap, P, "/trash/*", MH_PERM_ENTRIES, ed_h_trash_item);
    add(s, cap, G, "/review", MH_PERM_REVIEW, ed_h_review);
    add(s, cap, P, "/review/*", MH_PERM_REVIEW, ed_h_review_item);
}

size_t mh_admin_editorial_routes(mh_admin_t *a, const mh_route_t **out)
{
    struct ed_state *s = state_of(a);
    *out = s ? s->routes : NULL;
    return s ? s->nroutes : 0;
}

int mh_admin_editorial_open(mh_admin_t *a, char *err, size_t errlen)
{
    struct ed_state *s = mh_calloc(1, sizeof(*s));
    s->a = a;
    s->pool = mh_pool_create();
    build_routes(s);
    pthread_mutex_lock(&reg_lock);
    s->next = reg;
    reg = s;
    pthread_mutex_unlock(&reg_lock);
    return MH_OK;
}

void mh_admin_editorial_close(mh_admin_t *a)
{
    struct ed_state **pp, *s = NULL;
    pthread_mutex_lock(&reg_lock);
    for (pp = &reg; *pp; pp = &(*pp)->next)
        if ((*pp)->a == a) {
            s = *pp;
            *pp = s->next;
            break;
        }
    pthread_mutex_unlock(&reg_lock);
    if (s) {
        mh_pool_destroy(s->pool);
        free(s);
    }
}

void mh_admin_editorial_tick(mh_admin_t *a)
{
    struct ed_state *s = state_of(a);
    if (s)
        ed_scheduler_tick(a, &s->last_tick);
}

/* ---- helpers ---- */

int64_t ed_parse_id(const char *s)
{
    unsigned long long v;
    if (!s || !mh_str_to_u64(mh_str_c(s), INT64_MAX, &v))
        return 0;
    return (int64_t)v;
}

int64_t ed_path_id(mh_req_t *req, const char *prefix, const char **rest)
{
    size_t pl = strlen(prefix), j;
    unsigned long long v;
    *rest = "";
    if (!mh_str_starts_with(req->path, prefix))
        return 0;
    for (j = pl; j < req->path.len && req->path.base[j] >= '0' && req->path.base[j] <= '9'; j++)
        ;
    if (j == pl || (j < req->path.len && req->path.base[j] != '/') ||
        !mh_str_to_u64(mh_str(req->path.base + pl, j - pl), INT64_MAX, &v))
        return 0;
    *rest = mh_pstrndup(req->pool, req->path.base + j, req->path.len - j);
    return (int64_t)v;
}

const char *ed_query(mh_req_t *req, const char *key)
{
    mh_query_param_t params[32];
    size_t n = mh_url_parse_query(req->pool, req->query, params, MH_ARRAY_LEN(params));
    mh_str_t v = mh_url_query_get(params, n, key);
    return v.base ? mh_pstrndup(req->pool, v.base, v.len) : NULL;
}

const char *ed_form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

int64_t ed_form_int(mh_req_t *req, const char *name)
{
    return ed_parse_id(ed_form(req, name));
}

bool ed_form_bool(mh_req_t *req, const char *name)
{
    const char *v = ed_form(req, name);
    return *v && strcmp(v, "0") != 0;
}

bool ed_zh(const mh_admin_user_t *u)
{
    return u && u->ui_lang && strncmp(u->ui_lang, "zh", 2) == 0;
}

const char *ed_tr(const mh_admin_user_t *u, const char *en, const char *zh)
{
    return ed_zh(u) ? zh : en;
}

const char *ed_tz(mh_admin_t *a, mh_pool_t *p, int64_t lang_id)
{
    const char *tz = mh_content_setting(mh_admin_content(a), p, lang_id, "timezone");
    return tz && *tz ? tz : "+00:00";
}

const char *ed_time_input(mh_pool_t *p, int64_t t, const char *tz)
{
    return t ? mh_format_time(p, t, "%Y-%m-%dT%H:%M", tz) : "";
}

const char *ed_time_show(mh_pool_t *p, int64_t t, const char *tz)
{
    return t ? mh_format_time(p, t, "%Y-%m-%d %H:%M", tz) : "";
}

int64_t *ed_allowed_columns(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, int64_t lang_id,
                            size_t *n, bool *all)
{
    mh_content_t *c = mh_admin_content(a);
    mh_language_t *langs;
    size_t nl = 0, k = 0;
    int64_t *ids = NULL;
    size_t cap = 0;
    *all = true;
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        nl = 0;
    for (size_t l = 0; l < nl; l++) {
        mh_column_t *cols;
        size_t nc;
        if (lang_id && langs[l].id != lang_id)
            continue;
        if (mh_content_columns(c, p, langs[l].id, &cols, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id)) {
                *all = false;
                continue;
            }
            if (k == cap) {
                int64_t *bigger = mh_pnalloc(p, cap ? cap * 2 : 64, sizeof(int64_t));
                if (k)
                    memcpy(bigger, ids, k * sizeof(int64_t));
                ids = bigger;
                cap = cap ? cap * 2 : 64;
            }
            ids[k++] = cols[i].id;
        }
    }
    if (!ids)
        ids = mh_pnalloc(p, 1, sizeof(int64_t));
    *n = k;
    return ids;
}

void ed_scope_filter(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, mh_entry_filter_t *f)
{
    size_t n;
    bool all;
    int64_t *ids;
    if (u->role < MH_ROLE_EDITOR)
        f->author_id = u->id;
    ids = ed_allowed_columns(a, p, u, f->lang_id, &n, &all);
    if (f->column_ids && f->ncolumns) {
        /* Keep only requested columns the user may use. */
        int64_t *keep = mh_pnalloc(p, f->ncolumns, sizeof(int64_t));
        size_t k = 0;
        for (size_t i = 0; i < f->ncolumns; i++)
            for (size_t j = 0; j < n; j++)
                if (ids[j] == f->column_ids[i]) {
                    keep[k++] = f->column_ids[i];
                    break;
                }
        f->column_ids = keep;
        f->ncolumns = k;
        f->restrict_columns = true;
    } else if (!all) {
        f->column_ids = ids;
        f->ncolumns = n;
        f->restrict_columns = true;
    }
}

const char *ed_status_label(const mh_admin_user_t *u, mh_status_t s)
{
    static const char *const en[] = {"Draft", "Published", "Scheduled", "Pending review"};
    static const char *const zh[] = {"草稿", "已发布", "定时发布", "待审核"};
    if ((unsigned)s >= MH_ARRAY_LEN(en))
        s = MH_STATUS_DRAFT;
    return ed_zh(u) ? zh[s] : en[s];
}

const char *ed_obj(mh_pool_t *p, const char *kind, int64_t id)
{
    return mh_psprintf(p, "%s:%lld", kind, (long long)id);
}

mh_val_t *ed_entry_row(mh_admin_t *a, mh_req_t *req, const mh_entry_t *e)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *base = mh_admin_base(a);
    const char *tz = ed_tz(a, p, e->lang_id);
    mh_column_t col;
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", e->id);
    mh_val_map_cstr(p, m, "title", e->title);
    mh_val_map_cstr(p, m, "status", mh_store_status_name(e->status));
    mh_val_map_cstr(p, m, "status_label", ed_status_label(u, e->status));
    mh_val_map_cstr(p, m, "author", e->author);
    mh_val_map_cstr(p, m, "publish_at", ed_time_show(p, e->publish_at, tz));
    mh_val_map_cstr(p, m, "updated_at", ed_time_show(p, e->updated_at, tz));
    mh_val_map_bool(p, m, "pinned", e->pinned);
    mh_val_map_bool(p, m, "recommended", e->recommended);
    mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/entries/%lld", base, (long long)e->id));
    if (mh_content_column_get(mh_admin_content(a), p, e->column_id, &col) == MH_OK) {
        mh_val_map_cstr(p, m, "column", col.name);
        mh_val_map_cstr(p, m, "column_href",
                        mh_psprintf(p, "%s/columns/%lld/entries", base, (long long)col.id));
    }
    mh_val_map_bool(p, m, "may_delete", mh_admin_may_entry(a, u, e, MH_ACT_DELETE));
    return m;
}

mh_val_t *ed_pager(mh_pool_t *p, const char *base_href, int64_t page, int64_t total)
{
    mh_val_t *m = mh_val_map(p);
    int64_t pages = (total + ED_PAGE_SIZE - 1) / ED_PAGE_SIZE;
    if (pages < 1)
        pages = 1;
    mh_val_map_int(p, m, "page", page);
    mh_val_map_int(p, m, "pages", pages);
    mh_val_map_int(p, m, "total", total);
    mh_val_map_bool(p, m, "many", pages > 1);
    if (page > 1)
        mh_val_map_cstr(p, m, "prev",
                        mh_psprintf(p, "%spage=%lld", base_href, (long long)page - 1));
    if (page < pages)
        mh_val_map_cstr(p, m, "next",
                        mh_psprintf(p, "%spage=%lld", base_href, (long long)page + 1));
    return m;
}

mh_val_t *ed_lang_options(mh_admin_t *a, mh_pool_t *p, int64_t selected)
{
    mh_language_t *langs;
    size_t n = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_content_languages(mh_admin_content(a), p, &langs, &n) != MH_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(p, m, "code", langs[i].code);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_bool(p, m, "selected", langs[i].id == selected);
        mh_val_list_push(p, list, m);
    }
    return list;
}

mh_val_t *ed_column_options(mh_admin_t *a, mh_req_t *req, int64_t lang_id, int64_t selected,
                            int64_t skip_subtree, bool entries_only)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_content_t *c = mh_admin_content(a);
    mh_language_t *langs;
    size_t nl = 0;
    mh_val_t *list = mh_val_list(p);
    if (mh_content_languages(c, p, &langs, &nl) != MH_OK)
        nl = 0;
    for (size_t l = 0; l < nl; l++) {
        mh_column_t *cols;
        size_t nc;
        int skip_depth = -1;
        if (lang_id && langs[l].id != lang_id)
            continue;
        if (mh_content_columns(c, p, langs[l].id, &cols, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (skip_depth >= 0 && cols[i].depth > skip_depth)
                continue;
            skip_depth = -1;
            if (skip_subtree && cols[i].id == skip_subtree) {
                skip_depth = cols[i].depth;
                continue;
            }
            if (entries_only && !mh_content_type_is(cols[i].module, MH_TYPE_ENTRIES))
                continue;
            if (!mh_admin_may_column(a, u, cols[i].id, cols[i].lang_id))
                continue;
            mh_buf_t b;
            mh_buf_init(&b, 4096);
            for (int d = 0; d < cols[i].depth && d < 8; d++)
                mh_buf_append_c(&b, "\xE2\x80\x94 "); /* em dash per level */
            mh_buf_append_c(&b, cols[i].name);
            if (!lang_id)
                mh_buf_printf(&b, " (%s)", langs[l].code);
            mh_val_t *m = mh_val_map(p);
            mh_val_map_int(p, m, "id", cols[i].id);
            mh_val_map_cstr(p, m, "label", b.base ? b.base : "");
            mh_val_map_bool(p, m, "selected", cols[i].id == selected);
            mh_val_list_push(p, list, m);
            mh_buf_free(&b);
        }
    }
    return list;
}
