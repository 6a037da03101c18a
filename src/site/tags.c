/* Tag pages (/tag/<slug>/ and /<prefix>/tag/<slug>/, paginated like a
 * column) and the tags shown on entry pages. A tag page lists public
 * entries only, newest first; a tag none of whose entries is public has no
 * page (404), so a draft's tags are not announced. Pages are cacheable:
 * every write that changes what they show (a tag's name or slug, an entry's
 * tags while it is public, an entry going public) starts a new content
 * generation through the triggers. */
#include "tags.h"

#include "../content/tags.h"

const char *mh_tag_url(mh_site_req_t *r, const mh_tag_t *t)
{
    return mh_context_join(r->pool, mh_context_lang_url(r, r->lang), "tag/", t->slug, "/");
}

int mh_tags_page_load(mh_site_req_t *r, mh_str_t slug, int64_t n)
{
    mh_tag_t *t = mh_pcalloc(r->pool, sizeof(*t));
    if (slug.len == 0 || slug.len > 200 || n < 1 || n > 1000000)
        return MH_DECLINED;
    int rc = mh_content_tag_by_slug(r->content, r->pool, r->lang->id,
                                    mh_pstrndup(r->pool, slug.base, slug.len), t);
    if (rc != MH_OK)
        return rc;
    rc = mh_content_tag_entries(r->content, r->pool, t->id, (n - 1) * MH_TAG_PAGE_SIZE,
                                MH_TAG_PAGE_SIZE, &r->list, &r->nlist, &r->total);
    if (rc != MH_OK)
        return rc;
    if (r->total == 0)
        return MH_DECLINED;
    r->page = n;
    r->page_size = MH_TAG_PAGE_SIZE;
    r->pages = (r->total + MH_TAG_PAGE_SIZE - 1) / MH_TAG_PAGE_SIZE;
    if (n > r->pages)
        return MH_DECLINED;
    r->tag = t;
    r->kind = MH_PK_TAG;
    r->path = n == 1 ? mh_tag_url(r, t)
                     : mh_psprintf(r->pool, "%spage/%lld/", mh_tag_url(r, t), (long long)n);
    return MH_OK;
}

mh_val_t *mh_tags_page_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    if (r->kind != MH_PK_TAG || !r->tag)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p);
    mh_val_map_int(p, m, "id", r->tag->id);
    mh_val_map_cstr(p, m, "name", r->tag->name);
    mh_val_map_cstr(p, m, "slug", r->tag->slug);
    mh_val_map_cstr(p, m, "url", mh_tag_url(r, r->tag));
    mh_val_map_int(p, m, "total", r->total);
    return m;
}

mh_val_t *mh_tags_entry_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    mh_tag_t *ts = NULL;
    size_t n = 0;
    if (!r->entry || mh_content_entry_tags(r->content, p, r->entry->id, &ts, &n) != MH_OK)
        return l;
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "name", ts[i].name);
        mh_val_map_cstr(p, m, "slug", ts[i].slug);
        mh_val_map_cstr(p, m, "url", mh_tag_url(r, &ts[i]));
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_has_tags(mh_pool_t *p, void *data)
{
    mh_val_t *l = mh_val_force(p, data);
    return mh_val_bool(p, l && l->kind == MH_V_LIST && l->u.list.n > 0);
}

void mh_tags_entry_attach(mh_site_req_t *r, mh_val_t *entry)
{
    mh_val_t *l = mh_val_lazy(r->pool, mh_tags_entry_context, r);
    mh_val_map_add(r->pool, entry, "tags", l);
    mh_val_map_add(r->pool, entry, "has_tags", mh_val_lazy(r->pool, th_has_tags, l));
}
