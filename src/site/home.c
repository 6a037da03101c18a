/* The home page's blocks. The composition is a per-language setting (see
 * content/home.h), so it is part of the content snapshot and a change to
 * it starts a new content generation: the cached home page goes with it.
 * Each block asks the content layer for its column's latest public
 * entries, which the memo of public reads keeps for the generation. */
#include "home.h"

#include "../content/home.h"
#include "../content/types.h"

static const mh_column_t *block_column(const mh_site_req_t *r, int64_t id)
{
    const mh_column_t *c = mh_context_col_by_id(r, id);
    if (!c || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
        return NULL;
    /* hidden columns (and columns under hidden ones) stay off the page */
    for (const mh_column_t *a = c; a;
         a = a->parent_id ? mh_context_col_by_id(r, a->parent_id) : NULL)
        if (!a->visible)
            return NULL;
    return c;
}

static size_t blocks_of(const mh_site_req_t *r, mh_home_block_t *b)
{
    size_t n = mh_home_parse(mh_context_setting(r, MH_HOME_SETTING, ""), b, MH_HOME_MAX_BLOCKS);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (block_column(r, b[i].column_id))
            b[kept++] = b[i];
    return kept;
}

mh_val_t *mh_home_has_blocks_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_home_block_t b[MH_HOME_MAX_BLOCKS];
    return mh_val_bool(p, r->kind == MH_PK_HOME && blocks_of(r, b) > 0);
}

static mh_val_t *block_value(mh_site_req_t *r, const mh_home_block_t *b)
{
    mh_pool_t *p = r->pool;
    const mh_column_t *c = block_column(r, b->column_id);
    mh_entry_query_t q = {.lang_id = r->lang->id,
                          .column_id = c->id,
                          .descendants = true,
                          .public_only = true,
                          .sort = MH_SORT_NEWEST,
                          .limit = b->count};
    mh_entry_t *es = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (mh_content_entries(r->content, p, &q, &es, &n, &total) != MH_OK)
        n = 0;
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", c->id);
    mh_val_map_cstr(p, m, "name", c->name);
    mh_val_map_cstr(p, m, "url", mh_context_col_path(r, c));
    mh_val_map_cstr(p, m, "kind", mh_home_kind_name(b->kind));
    mh_val_map_bool(p, m, "is_list", b->kind == MH_HOME_LIST);
    mh_val_map_bool(p, m, "is_cards", b->kind == MH_HOME_CARDS);
    mh_val_map_bool(p, m, "is_headline", b->kind == MH_HOME_HEADLINE);
    mh_val_map_bool(p, m, "is_strip", b->kind == MH_HOME_STRIP);
    mh_val_map_int(p, m, "count", b->count);
    /* a headline block's first entry is its headline; the rest its list */
    size_t first = 0;
    if (b->kind == MH_HOME_HEADLINE && n > 0) {
        mh_val_map_set(p, m, "headline", mh_context_entry_item(r, &es[0]));
        first = 1;
    } else {
        mh_val_map_set(p, m, "headline", mh_val_null(p));
    }
    mh_val_t *l = mh_val_list(p);
    for (size_t i = first; i < n; i++)
        mh_val_list_push(p, l, mh_context_entry_item(r, &es[i]));
    mh_val_map_set(p, m, "entries", l);
    mh_val_map_bool(p, m, "has_entries", n > 0);
    return m;
}

mh_val_t *mh_home_blocks_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    if (r->kind != MH_PK_HOME)
        return l;
    mh_home_block_t b[MH_HOME_MAX_BLOCKS];
    size_t n = blocks_of(r, b);
    for (size_t i = 0; i < n; i++)
        mh_val_list_push(p, l, block_value(r, &b[i]));
    return l;
}
