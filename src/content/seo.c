/* The store's seo operations, with the clock and the public check the
 * store does not know about. */
#include "seo.h"

#include <string.h>
#include <time.h>

#include "../store/seo.h"
#include "../store/store.h"

static const struct mh_store_seo_ops *sops(mh_content_t *c)
{
    return mh_content_store(c)->ops->seo;
}

int mh_content_public_after(mh_content_t *c, mh_pool_t *p, int64_t after_id, int64_t limit,
                            mh_entry_t **out, size_t *n)
{
    mh_content_deps_untracked(c); /* not described by tags */
    return sops(c)->public_after(mh_content_store(c), p, after_id, (int64_t)time(NULL), limit, out,
                                 n);
}

int mh_content_public_count(mh_content_t *c, int64_t *n, int64_t *newest)
{
    mh_content_deps_untracked(c); /* not described by tags */
    return sops(c)->public_count(mh_content_store(c), (int64_t)time(NULL), n, newest);
}

int mh_content_public_id_at(mh_content_t *c, int64_t offset, int64_t *id)
{
    mh_content_deps_untracked(c); /* not described by tags */
    return sops(c)->public_id_at(mh_content_store(c), (int64_t)time(NULL), offset, id);
}

int mh_content_entry_trashed(mh_content_t *c, int64_t column_id, const char *slug)
{
    mh_content_deps_untracked(c); /* not described by tags */
    return sops(c)->trashed(mh_content_store(c), column_id, slug);
}

int mh_content_entry_moved(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *slug,
                           mh_entry_t *out)
{
    mh_content_deps_untracked(c); /* not described by tags */
    int64_t id = 0;
    int rc = sops(c)->old_path(mh_content_store(c), column_id, slug, &id);
    if (rc != MH_OK)
        return rc;
    rc = mh_content_entry_get(c, p, id, out);
    if (rc != MH_OK)
        return rc;
    /* only to where it is public now */
    bool live = (out->status == MH_STATUS_PUBLISHED || out->status == MH_STATUS_SCHEDULED) &&
                out->publish_at <= (int64_t)time(NULL);
    return live ? MH_OK : MH_DECLINED;
}

int mh_content_column_moved_from(mh_content_t *c, int64_t lang_id, int64_t column_id,
                                 const char *old_path, const char *new_path)
{
    if (!old_path || !*old_path || (new_path && strcmp(old_path, new_path) == 0))
        return MH_OK;
    return sops(c)->column_old_path_add(mh_content_store(c), lang_id, old_path, column_id,
                                        (int64_t)time(NULL));
}

int mh_content_column_old_path(mh_content_t *c, int64_t lang_id, const char *path,
                               int64_t *column_id, size_t *len)
{
    mh_content_deps_untracked(c); /* not described by tags */
    return sops(c)->column_old_path(mh_content_store(c), lang_id, path, column_id, len);
}
