/* The portal features of the content layer: download counts (written in
 * batches, see site/hits.h), banners (slides) per language on the home
 * page or a column's pages, with a desktop and a mobile image, a link and
 * a schedule, and friendly links in the footer (model/portal.h).
 *
 * Writes validate first: every URL-valued field (image, image_mobile,
 * link; url, logo) must pass mh_content_url_ok, and a refused write stores
 * nothing (MH_INVALID with *msg a message key the admin translates:
 * "portal.error.image", ".image_mobile", ".link", ".url", ".logo",
 * ".title", ".alt", ".lang", ".column", ".schedule", ".too_long"). Every
 * write runs inside mh_content_tx_begin/end, so the caller's audit line can
 * join it.
 *
 * Return codes: MH_OK, MH_DECLINED (no such row, or nothing to move),
 * MH_INVALID (refused input), MH_ERR (database; logged). */
#ifndef MH_CONTENT_PORTAL_H
#define MH_CONTENT_PORTAL_H

#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/portal.h"
#include "content.h"

#define MH_PORTAL_TEXT_MAX 300 /* bytes of a title or alt text */

/* --- downloads --- */

/* counts[i] more downloads of entry ids[i], in one transaction. Entries
 * deleted meanwhile are skipped. Used by the batched counter. */
int mh_portal_downloads_add(mh_content_t *c, const int64_t *ids, const int64_t *counts, size_t n);
/* The stored download count of an entry (0 if none yet). */
int mh_portal_downloads_get(mh_content_t *c, int64_t entry_id, int64_t *n);

/* --- banners --- */

/* Check a banner as it would be stored (see the header comment). */
int mh_portal_banner_check(mh_content_t *c, mh_pool_t *p, const mh_banner_t *b, const char **msg);
/* Create (position: after the last of its place when < 0) or update. */
int mh_portal_banner_create(mh_content_t *c, mh_banner_t *in, int64_t *id, const char **msg);
int mh_portal_banner_update(mh_content_t *c, const mh_banner_t *in, const char **msg);
int mh_portal_banner_delete(mh_content_t *c, int64_t id);
int mh_portal_banner_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_banner_t *out);
/* lang_id 0: all languages; column_id -1: every place, 0: home. */
int mh_portal_banners(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                      mh_banner_t **out, size_t *n);
/* The banners of a place shown at now, in order. */
int mh_portal_banners_active(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                             int64_t now, mh_banner_t **out, size_t *n);
/* Move a banner up (dir < 0) or down among its place's; positions become
 * 0..n-1. MH_DECLINED at either end. */
int mh_portal_banner_move(mh_content_t *c, int64_t id, int dir);
/* How many banners start or end within (from, to]. */
int mh_portal_banners_due(mh_content_t *c, int64_t from, int64_t to, int64_t *n);

/* --- friendly links --- */

int mh_portal_link_check(mh_content_t *c, mh_pool_t *p, const mh_friend_link_t *l,
                         const char **msg);
int mh_portal_link_create(mh_content_t *c, mh_friend_link_t *in, int64_t *id, const char **msg);
int mh_portal_link_update(mh_content_t *c, const mh_friend_link_t *in, const char **msg);
int mh_portal_link_delete(mh_content_t *c, int64_t id);
int mh_portal_link_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_friend_link_t *out);
/* lang_id 0: all languages. */
int mh_portal_links(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                    size_t *n);
/* The same for public pages: read once per content generation (the
 * snapshot's memo) instead of once per render; the result is shared and
 * must not be changed. */
int mh_portal_links_public(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                           size_t *n);
int mh_portal_link_move(mh_content_t *c, int64_t id, int dir);

/* The demo's downloads, banners and friendly links (content/demo_portal.c),
 * added by mh_content_demo_load after the columns; needs the two demo
 * languages and a handle with a media directory. */
int mh_content_demo_portal(mh_content_t *c);

#endif
