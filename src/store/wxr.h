/* Storage for the WordPress importer (src/migrate/wxr_import.c) and the
 * old WordPress URLs it leaves behind (content/wxr_paths.h): SQLite only,
 * plain functions on the calling thread's connection (store/sqlite_ext.h).
 *
 * Tables (migration "WordPress import" in migrations.c):
 *   wxr_map           (kind, wp_key) -> local_id: what an import made, so a
 *                     second run of the same file adds nothing
 *   wxr_legacy_paths  an old WordPress path or query ("/2019/03/slug",
 *                     "?p=123", "/category/news") -> entry or column
 *   wxr_tags          tags of imported entries, kept until masthead has
 *                     tags of its own
 * Return codes: MH_OK, MH_DECLINED (no row), MH_ERR (logged). */
#ifndef MH_STORE_WXR_H
#define MH_STORE_WXR_H

#include <stdint.h>

#include "store.h"

int mh_store_wxr_map_get(mh_store_t *s, const char *kind, const char *key, int64_t *local_id);
int mh_store_wxr_map_set(mh_store_t *s, const char *kind, const char *key, int64_t local_id);
/* MH_OK when the table ("entries", "columns", "users", "media") still has
 * a row with that id (the recycle bin counts), else MH_DECLINED. */
int mh_store_wxr_row_exists(mh_store_t *s, const char *table, int64_t id);
/* Rows in wxr_map (0 on a site that never imported). */
int mh_store_wxr_map_count(mh_store_t *s, int64_t *n);
/* Entries and columns on the site. */
int mh_store_wxr_content_count(mh_store_t *s, int64_t *entries, int64_t *columns);

/* One of entry_id / column_id is non-zero. An existing path keeps its
 * first owner (MH_DECLINED: it had one). */
int mh_store_wxr_path_add(mh_store_t *s, const char *path, int64_t entry_id, int64_t column_id);
int mh_store_wxr_path_get(mh_store_t *s, const char *path, int64_t *entry_id, int64_t *column_id);

int mh_store_wxr_tag_add(mh_store_t *s, int64_t entry_id, const char *slug, const char *name);

/* An account for a WordPress author: role author, a password hash no
 * password matches ("!wxr"), disabled until an admin sets a password. */
int mh_store_wxr_user_add(mh_store_t *s, const char *name, const char *display_name, int64_t now,
                          int64_t *id);

/* For one large import on this connection: a page cache big enough that
 * the transaction's dirty pages stay in memory instead of spilling to the
 * WAL page by page (bytes, 0 restores SQLite's default). */
int mh_store_wxr_cache(mh_store_t *s, int64_t bytes);

#endif
