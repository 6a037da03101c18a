/* Only public content is redirected to: an old URL of an entry that is a
 * draft now, or of a hidden column, stays a 404 rather than revealing the
 * new address. */
#include "wxr_legacy.h"

#include "../content/types.h"
#include "../content/wxr_paths.h"

const char *mh_site_wxr_moved(mh_site_req_t *r, mh_req_t *req)
{
    const char *key = mh_content_wxr_key(req->pool, req->path, req->query);
    int64_t eid = 0, cid = 0;
    if (!key || mh_content_wxr_path(r->content, key, &eid, &cid) != MH_OK)
        return NULL;
    if (eid) {
        mh_entry_t e;
        if (mh_content_entry_get(r->content, req->pool, eid, &e) != MH_OK)
            return NULL;
        mh_entry_t pub;
        if (mh_content_entry_by_slug(r->content, req->pool, e.column_id, e.slug, true, &pub) !=
            MH_OK)
            return NULL;
        const mh_column_t *c = mh_context_col_by_id(r, e.column_id);
        if (!c || !c->visible || !mh_content_type_is(c->module, MH_TYPE_ENTRIES))
            return NULL;
        return mh_context_join(req->pool, mh_context_col_path(r, c), e.slug, ".html", NULL);
    }
    const mh_column_t *c = mh_context_col_by_id(r, cid);
    if (!c || !c->visible)
        return NULL;
    return mh_context_col_path(r, c);
}
