/* Old WordPress URLs of imported content (migrate/wxr_import.h records
 * them in wxr_legacy_paths): the public site answers them with 301 to the
 * entry or column they became. */
#ifndef MH_CONTENT_WXR_PATHS_H
#define MH_CONTENT_WXR_PATHS_H

#include <stdint.h>

#include "../core/str.h"
#include "content.h"

/* The key for a request: "?p=N", "?page_id=N" or "?cat=N" when path is the
 * root and the query has one of them (the first wins), else the path
 * without trailing slashes; NULL when neither applies. */
const char *mh_content_wxr_key(mh_pool_t *p, mh_str_t path, mh_str_t query);
/* What the old URL key became: MH_OK with *entry_id or *column_id (the
 * other 0), MH_DECLINED when it is no old WordPress URL. */
int mh_content_wxr_path(mh_content_t *c, const char *key, int64_t *entry_id, int64_t *column_id);

#endif
