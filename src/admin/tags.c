/* The tag screen (editors and admins, MH_PERM_COLUMNS): the tags of one
 * language with how many entries carry each, and per tag rename, merge
 * into another tag, or delete. Editors restricted by grants manage a
 * language's tags only when a grant covers the whole language.
 *
 * Each write and its audit line share one transaction. Tags are public
 * (their names and pages show on the site), so every write starts a new
 * content generation through the tables' triggers. */
#include <stdio.h>
#include <string.h>

#include "../content/languages.h"
#include "../content/tags.h"
#include "../http/server.h"
#include "accounts_internal.h"

static const char *form(mh_req_t *req, const char *name)
{
    const char *v = mh_form_cstr(&req->form, req->pool, name);
    return v ? v : "";
}

static bool may_lang(mh_admin_t *a, mh_req_t *req, int64_t lang_id)
{
    return mh_admin_may_column(a, mh_admin_user(req), 0, lang_id);
}

/* The language of the screen: ?lang=, else the first one the user may
 * manage; NULL when there is none. */
static const mh_language_t *pick_lang(mh_admin_t *a, mh_req_t *req, const mh_language_t *ls,
                                      size_t n)
{
    const char *q = mh_admin_query(req, "lang");
    unsigned long long id = 0;
    if (q && *q && mh_str_to_u64(mh_str_c(q), INT64_MAX, &id))
        for (size_t i = 0; i < n; i++)
            if (ls[i].id == (int64_t)id && may_lang(a, req, ls[i].id))
                return &ls[i];
    for (size_t i = 0; i < n; i++)
        if (may_lang(a, req, ls[i].id))
            return &ls[i];
    return NULL;
}

static int render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status,
                  const mh_language_t *lang, const char *error)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_language_t *ls = NULL;
    mh_tag_t *ts = NULL;
    size_t nl = 0, nt = 0;
    const char *base = mh_admin_base(a);
    if (mh_content_languages(a->content, p, &ls, &nl) != MH_OK ||
        mh_content_tags(a->content, p, lang->id, &ts, &nt) != MH_OK)
        return MH_ERR;
    mh_val_t *ll = mh_val_list(p);
    for (size_t i = 0; i < nl; i++) {
        if (!may_lang(a, req, ls[i].id))
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "name", ls[i].name);
        mh_val_map_cstr(p, m, "code", ls[i].code);
        mh_val_map_bool(p, m, "current", ls[i].id == lang->id);
        mh_val_map_cstr(p, m, "url",
                        mh_psprintf(p, "%s/tags?lang=%lld", base, (long long)ls[i].id));
        mh_val_list_push(p, ll, m);
    }
    /* the public path of the language (a language with its own domain
     * is also reachable by its prefix) */
    const char *home = lang->prefix && lang->prefix[0] ? mh_psprintf(p, "/%s/", lang->prefix) : "/";
    mh_val_t *tl = mh_val_list(p);
    for (size_t i = 0; i < nt; i++) {
        mh_val_t *m = mh_val_map(p);
        long long id = (long long)ts[i].id;
        mh_val_map_int(p, m, "id", ts[i].id);
        mh_val_map_cstr(p, m, "name", ts[i].name);
        mh_val_map_cstr(p, m, "slug", ts[i].slug);
        mh_val_map_int(p, m, "count", ts[i].count);
        mh_val_map_cstr(p, m, "public_url", mh_psprintf(p, "%stag/%s/", home, ts[i].slug));
        mh_val_map_cstr(p, m, "rename_action", mh_psprintf(p, "%s/tags/%lld/rename", base, id));
        mh_val_map_cstr(p, m, "merge_action", mh_psprintf(p, "%s/tags/%lld/merge", base, id));
        mh_val_map_cstr(p, m, "delete_action", mh_psprintf(p, "%s/tags/%lld/delete", base, id));
        mh_val_t *others = mh_val_list(p);
        for (size_t j = 0; j < nt; j++) {
            if (j == i)
                continue;
            mh_val_t *o = mh_val_map(p);
            mh_val_map_int(p, o, "id", ts[j].id);
            mh_val_map_cstr(p, o, "name", ts[j].name);
            mh_val_list_push(p, others, o);
        }
        mh_val_map_set(p, m, "others", others);
        mh_val_map_bool(p, m, "has_others", nt > 1);
        mh_val_list_push(p, tl, m);
    }
    mh_val_map_set(p, ctx, "languages", ll);
    mh_val_map_set(p, ctx, "tags", tl);
    mh_val_map_bool(p, ctx, "has_tags", nt > 0);
    mh_val_map_cstr(p, ctx, "lang_name", lang->name);
    if (error)
        mh_val_map_cstr(p, ctx, "error", error);
    return mh_admin_render(a, req, resp, status, "tags_list",
                           mh_admin_text(a, req, "tags.title", "Tags"), ctx);
}

static int h_list(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_language_t *ls = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, req->pool, &ls, &nl) != MH_OK)
        return MH_ERR;
    const mh_language_t *lang = pick_lang(a, req, ls, nl);
    if (!lang) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    return render(a, req, resp, 200, lang, NULL);
}

enum op { OP_RENAME, OP_MERGE, OP_DELETE };

static int tag_op(mh_req_t *req, mh_resp_t *resp, void *data, enum op op)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    int64_t id = mh_req_param_id(req, "id");
    mh_tag_t t, into = {0};
    mh_language_t lang;
    if (!id || mh_content_tag_get(a->content, p, id, &t) != MH_OK ||
        mh_content_language_get(a->content, p, t.lang_id, &lang) != MH_OK ||
        !may_lang(a, req, t.lang_id)) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    const char *name = form(req, "name");
    unsigned long long into_id = 0;
    if (op == OP_MERGE && (!mh_str_to_u64(mh_str_c(form(req, "into")), INT64_MAX, &into_id) ||
                           mh_content_tag_get(a->content, p, (int64_t)into_id, &into) != MH_OK ||
                           into.lang_id != t.lang_id || into.id == t.id))
        return render(a, req, resp, 422, &lang,
                      mh_admin_text(a, req, "tags.err_merge", "tags.err_merge"));
    const char *obj = mh_psprintf(p, "tag:%lld", (long long)id);
    int rc = mh_content_tx_begin(a->content);
    if (rc == MH_OK) {
        if (op == OP_RENAME) {
            rc = mh_content_tag_rename(a->content, id, name);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "tag.rename", obj,
                                    mh_psprintf(p, "%s -> %s", t.name, name));
        } else if (op == OP_MERGE) {
            rc = mh_content_tag_merge(a->content, id, into.id);
            if (rc == MH_OK)
                rc = mh_admin_audit(
                    a, req, "tag.merge", obj,
                    mh_psprintf(p, "%s -> tag:%lld %s", t.name, (long long)into.id, into.name));
        } else {
            rc = mh_content_tag_delete(a->content, id);
            if (rc == MH_OK)
                rc = mh_admin_audit(a, req, "tag.delete", obj, t.name);
        }
        rc = mh_content_tx_end(a->content, rc);
    }
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return render(a, req, resp, 422, &lang,
                      mh_admin_text(a, req, "tags.err_name", "tags.err_name"));
    if (rc == MH_DECLINED)
        return render(a, req, resp, 409, &lang,
                      mh_admin_text(a, req, "tags.err_taken", "tags.err_taken"));
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, mh_psprintf(p, "/tags?lang=%lld", (long long)t.lang_id),
                      "saved");
    return MH_OK;
}

static int h_rename(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return tag_op(req, resp, data, OP_RENAME);
}

static int h_merge(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return tag_op(req, resp, data, OP_MERGE);
}

static int h_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return tag_op(req, resp, data, OP_DELETE);
}

void mh_admin_tags_routes(mh_admin_t *a, mh_routes_t *t)
{
    static const struct {
        unsigned method;
        const char *path;
        mh_handler_fn fn;
    } rows[] = {
        {MH_M_GET, "/tags", h_list},
        {MH_M_POST, "/tags/:id/rename", h_rename},
        {MH_M_POST, "/tags/:id/merge", h_merge},
        {MH_M_POST, "/tags/:id/delete", h_delete},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(rows); i++) {
        const mh_route_t r = {
            .methods = rows[i].method,
            .pattern = mh_admin_pattern(a, rows[i].path),
            .auth = MH_AUTH_SESSION,
            .permission = MH_PERM_COLUMNS,
            .csrf = rows[i].method == MH_M_POST,
            .handler = rows[i].fn,
            .data = a,
        };
        mh_routes_add(t, &r);
    }
}
