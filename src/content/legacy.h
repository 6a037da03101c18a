/* Legacy URLs and the import map (model/legacy.h, store/legacy.h).
 *
 * An imported site's old URLs (MetInfo's /news/shownews.php?id=12,
 * /news/12.html, /news/news.php?class1=2 ...) are kept as rows mapping a
 * normalised old path to an entry, a column or a fixed URL; the public
 * site answers them with a 301 when nothing else lives at the path
 * (site/legacy.c). Importers record which row they made from each source
 * row in the import map, so a second run finds it.
 *
 * Return codes as content.h: MH_OK, MH_DECLINED (not found / path taken),
 * MH_INVALID (a refused path or target), MH_ERR. */
#ifndef MH_CONTENT_LEGACY_H
#define MH_CONTENT_LEGACY_H

#include "../model/legacy.h"
#include "content.h"

/* The normalised form of an old URL, the key of the table:
 * - the path lower-cased (ASCII), ".htm" ending as ".html", a last
 *   segment "index.php", "index.html" or "index.htm" removed ("/news/");
 * - of the query only id, class1, class2 and class3 are kept (lang, page,
 *   tracking parameters... are dropped; MetInfo's ids are unique across
 *   languages), and of the class parameters only the deepest one; the
 *   kept ones sorted: "/news/news.php?class2=49".
 * path must start with '/'; query may be NULL, with or without its '?'.
 * NULL when path is not usable (empty, no leading '/', control bytes,
 * longer than 1024 bytes). */
char *mh_legacy_normalise(mh_pool_t *p, const char *path, size_t path_len, const char *query,
                          size_t query_len);

/* --- the import map --- */
int mh_content_import_map_get(mh_content_t *c, const char *source, const char *table,
                              const char *src_id, int64_t *target_id);
int mh_content_import_map_put(mh_content_t *c, const char *source, const char *table,
                              const char *src_id, int64_t target_id);

/* --- legacy URLs --- */
/* The row for an old URL (normalised here), or MH_DECLINED. */
int mh_content_legacy_find(mh_content_t *c, mh_pool_t *p, const char *path, size_t path_len,
                           const char *query, size_t query_len, mh_legacy_url_t *out);
int mh_content_legacy_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_legacy_url_t *out);
/* Add a row: its path is normalised here (in->path is replaced by the
 * normalised copy in p); the target must exist (entry, column) or pass
 * mh_content_url_ok (url, not empty). MH_DECLINED when the path has a row
 * already, MH_INVALID for a refused path or target. */
int mh_content_legacy_add(mh_content_t *c, mh_pool_t *p, mh_legacy_url_t *in, int64_t *id);
int mh_content_legacy_update(mh_content_t *c, mh_pool_t *p, mh_legacy_url_t *in);
int mh_content_legacy_delete(mh_content_t *c, int64_t id);
int mh_content_legacy_list(mh_content_t *c, mh_pool_t *p, const char *q, int64_t offset,
                           int64_t limit, mh_legacy_url_t **out, size_t *n, int64_t *total);

/* Where a row leads now: the public path of its entry or column (with the
 * language's prefix, "/zh/news/slug.html"), or its fixed URL. NULL when
 * the target is gone or not public (the old URL is then a plain 404). */
const char *mh_content_legacy_target(mh_content_t *c, mh_pool_t *p, const mh_legacy_url_t *u);

#endif
