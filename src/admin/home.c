/* The home page composition screen (admin only, MH_PERM_SETTINGS): for
 * one language at a time, the blocks its home page shows — which column's
 * latest entries, how they are presented, how many — in order.
 *
 * The composition is the language's "home_blocks" setting
 * (content/home.h): settings are public, so saving it starts a new content
 * generation and the cached home page is rendered again. The write and
 * its audit line share one transaction; a form with any bad row changes
 * nothing and comes back with the submitted values and a message per row. */
#include <stdio.h>
#include <string.h>

#include "../content/home.h"
#include "../content/types.h"
#include "../http/server.h"
#include "accounts_internal.h"

#define FORM_ROWS 8 /* rows offered: the saved blocks and empty ones */

static const char *form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

/* The language the screen is about: ?lang= or the posted lang_id, else the
 * first (default) language. */
static const mh_language_t *pick_lang(mh_req_t *req, const mh_language_t *ls, size_t n)
{
    const char *q = req->method == MH_M_POST ? form(req, "lang_id") : mh_admin_query(req, "lang");
    unsigned long long id = 0;
    if (q && *q && mh_str_to_u64(mh_str_c(q), INT64_MAX, &id))
        for (size_t i = 0; i < n; i++)
            if (ls[i].id == (int64_t)id)
                return &ls[i];
    return n ? &ls[0] : NULL;
}

static bool column_ok(const mh_column_t *cs, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (cs[i].id == id)
            return mh_content_type_is(cs[i].module, MH_TYPE_ENTRIES);
    return false;
}

typedef struct {
    const char *column, *kind, *count; /* as shown in the form */
    const char *error;                 /* message, or NULL */
} row_t;

static int render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                  const mh_language_t *ls, size_t nl, const mh_language_t *lang, const row_t *rows,
                  const char *error)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_column_t *cs = NULL;
    size_t nc = 0;
    if (mh_content_columns(a->content, p, lang->id, &cs, &nc) != MH_OK)
        return MH_ERR;
    mh_val_t *ll = mh_val_list(p);
    for (size_t i = 0; i < nl; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", ls[i].id);
        mh_val_map_cstr(p, m, "name", ls[i].name);
        mh_val_map_cstr(p, m, "code", ls[i].code);
        mh_val_map_bool(p, m, "current", ls[i].id == lang->id);
        mh_val_map_cstr(p, m, "url",
                        mh_psprintf(p, "%s/home?lang=%lld", mh_admin_base(a), (long long)ls[i].id));
        mh_val_list_push(p, ll, m);
    }
    mh_val_t *rl = mh_val_list(p);
    for (size_t r = 0; r < FORM_ROWS; r++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "n", (int64_t)r + 1);
        mh_val_map_cstr(p, m, "count", rows[r].count);
        if (rows[r].error)
            mh_val_map_cstr(p, m, "row_error", rows[r].error);
        mh_val_t *cl = mh_val_list(p);
        for (size_t i = 0; i < nc; i++) {
            if (!mh_content_type_is(cs[i].module, MH_TYPE_ENTRIES))
                continue;
            mh_val_t *c = mh_val_map(p);
            char id[24];
            snprintf(id, sizeof(id), "%lld", (long long)cs[i].id);
            mh_val_map_cstr(p, c, "id", id);
            mh_val_map_cstr(p, c, "name", cs[i].name);
            mh_val_map_int(p, c, "depth", cs[i].depth);
            const char *mod = mh_module_name(cs[i].module);
            mh_val_map_cstr(
                p, c, "module",
                mh_admin_text(a, req, mh_psprintf(p, "module.%s", mod ? mod : ""), mod ? mod : ""));
            mh_val_map_bool(p, c, "selected", strcmp(id, rows[r].column) == 0);
            mh_val_list_push(p, cl, c);
        }
        mh_val_map_set(p, m, "columns", cl);
        mh_val_t *kl = mh_val_list(p);
        for (int k = 0; k < MH_HOME_NKINDS; k++) {
            mh_val_t *km = mh_val_map(p);
            const char *name = mh_home_kind_name((mh_home_kind_t)k);
            mh_val_map_cstr(p, km, "value", name);
            mh_val_map_cstr(p, km, "label",
                            mh_admin_text(a, req, mh_psprintf(p, "home.kind_%s", name), name));
            mh_val_map_bool(p, km, "selected", strcmp(name, rows[r].kind) == 0);
            mh_val_list_push(p, kl, km);
        }
        mh_val_map_set(p, m, "kinds", kl);
        mh_val_list_push(p, rl, m);
    }
    mh_val_map_set(p, ctx, "languages", ll);
    mh_val_map_set(p, ctx, "rows", rl);
    mh_val_map_int(p, ctx, "lang_id", lang->id);
    mh_val_map_cstr(p, ctx, "lang_name", lang->name);
    mh_val_map_cstr(p, ctx, "action", mh_psprintf(p, "%s/home", mh_admin_base(a)));
    if (error)
        mh_val_map_cstr(p, ctx, "error", error);
    return mh_admin_render(a, req, resp, status, "home_blocks",
                           mh_admin_text(a, req, "home.title", "Home page"), ctx);
}

static int h_home(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_language_t *ls = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &ls, &nl) != MH_OK || nl == 0)
        return MH_ERR;
    const mh_language_t *lang = pick_lang(req, ls, nl);
    row_t rows[FORM_ROWS];
    memset(rows, 0, sizeof(rows));
    for (size_t r = 0; r < FORM_ROWS; r++)
        rows[r] = (row_t){"", "list", "5", NULL};

    if (req->method != MH_M_POST) {
        mh_home_block_t b[MH_HOME_MAX_BLOCKS];
        size_t n = mh_home_parse(mh_content_setting(a->content, p, lang->id, MH_HOME_SETTING), b,
                                 MH_HOME_MAX_BLOCKS);
        for (size_t i = 0; i < n && i < FORM_ROWS; i++)
            rows[i] = (row_t){mh_psprintf(p, "%lld", (long long)b[i].column_id),
                              mh_home_kind_name(b[i].kind), mh_psprintf(p, "%d", b[i].count), NULL};
        return render(a, req, resp, 200, ls, nl, lang, rows, NULL);
    }

    mh_column_t *cs = NULL;
    size_t nc = 0;
    if (mh_content_columns(a->content, p, lang->id, &cs, &nc) != MH_OK)
        return MH_ERR;
    /* check every row first: a bad one changes nothing */
    mh_home_block_t b[FORM_ROWS];
    size_t nb = 0, bad = 0;
    for (size_t r = 0; r < FORM_ROWS; r++) {
        rows[r].column = form(req, mh_psprintf(p, "column_%zu", r + 1));
        rows[r].kind = form(req, mh_psprintf(p, "kind_%zu", r + 1));
        rows[r].count = form(req, mh_psprintf(p, "count_%zu", r + 1));
        if (!*rows[r].column)
            continue; /* an empty row is no block */
        unsigned long long id = 0, count = 0;
        int kind = mh_home_kind_parse(rows[r].kind);
        if (!mh_str_to_u64(mh_str_c(rows[r].column), INT64_MAX, &id) ||
            !column_ok(cs, nc, (int64_t)id))
            rows[r].error = mh_admin_text(a, req, "home.err_column", "Choose a column.");
        else if (kind < 0)
            rows[r].error = mh_admin_text(a, req, "home.err_kind", "Choose a presentation.");
        else if (!mh_str_to_u64(mh_str_c(rows[r].count), MH_HOME_MAX_COUNT, &count) || count == 0)
            rows[r].error =
                mh_admin_text(a, req, "home.err_count", "A number from 1 to 20, please.");
        if (rows[r].error) {
            bad++;
            continue;
        }
        b[nb++] = (mh_home_block_t){(int64_t)id, (mh_home_kind_t)kind, (int)count};
    }
    if (bad)
        return render(a, req, resp, 422, ls, nl, lang, rows,
                      mh_admin_text(a, req, "home.err_rows", "Some rows need attention."));
    const char *value = mh_home_format(p, b, nb);
    int rc = mh_content_tx_begin(a->content);
    if (rc == MH_OK) {
        rc = mh_content_setting_set(a->content, lang->id, MH_HOME_SETTING, nb ? value : NULL);
        if (rc == MH_OK)
            rc = mh_admin_audit(a, req, "home.update",
                                mh_psprintf(p, "language:%lld", (long long)lang->id), value);
        rc = mh_content_tx_end(a->content, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/home?lang=%lld", (long long)lang->id),
                      "saved");
    return MH_OK;
}

void mh_admin_home_routes(mh_admin_t *a, mh_routes_t *t)
{
    for (int post = 0; post < 2; post++) {
        const mh_route_t r = {
            .methods = post ? MH_M_POST : MH_M_GET,
            .pattern = mh_admin_pattern(a, "/home"),
            .auth = MH_AUTH_SESSION,
            .permission = MH_PERM_SETTINGS,
            .csrf = post,
            .handler = h_home,
            .data = a,
        };
        mh_routes_add(t, &r);
    }
}
