/* Only reached for paths nothing else serves (the 404 row), so the one
 * indexed lookup costs nothing on the pages that exist. A path with a
 * query is never stored in the page cache under its path alone (see
 * http/server.c run_page), so the 301 of /news/shownews.php?id=12 is not
 * served for ?id=13. */
#include "legacy.h"

#include "../content/legacy.h"

const char *mh_site_legacy_redirect(mh_content_t *c, mh_req_t *req)
{
    mh_legacy_url_t u;
    if (mh_content_legacy_find(c, req->pool, req->path.base, req->path.len, req->query.base,
                               req->query.len, &u) != MH_OK)
        return NULL;
    return mh_content_legacy_target(c, req->pool, &u);
}
