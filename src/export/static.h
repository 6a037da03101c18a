/* `masthead export static DIR OUT`: the public site as plain files that any
 * web server can serve (docs/export.md).
 *
 * Every public URL that does not depend on the query string is rendered by
 * the site module exactly as the server would (mh_site_handle) and written
 * where a static server looks for it: "/news/" -> OUT/news/index.html,
 * "/news/slug.html" -> OUT/news/slug.html, "/feed.xml" -> OUT/feed.xml. The
 * homes, every visible column and its list pages, every public entry, the
 * feeds (site, language, column), robots.txt, the sitemap (and its parts),
 * a 404.html, the theme's assets and the media files. Search and filtered
 * lists depend on the query and are left out.
 *
 * Incremental: a file whose bytes are unchanged is not rewritten, and files
 * a previous export wrote that are no longer produced are removed (the
 * list of written files is kept in OUT/.masthead-export). */
#ifndef MH_EXPORT_STATIC_H
#define MH_EXPORT_STATIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t pages;     /* documents rendered */
    int64_t written;   /* files written (new or changed), pages and copies */
    int64_t unchanged; /* files left as they were */
    int64_t removed;   /* files of a previous export no longer produced */
    int64_t failed;    /* pages that did not render (500): not written */
} mh_export_stats_t;

/* Called after every document with the number done and the total known so
 * far (the total grows as columns are walked). */
typedef void (*mh_export_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Export the site in site_dir (theme_dir: NULL for the site's default
 * theme) into out_dir (created if missing). host names the site in
 * absolute URLs when the base_url setting is empty. MH_OK, or MH_ERR with
 * a message in err. */
int mh_export_static(const char *site_dir, const char *theme_dir, const char *out_dir,
                     const char *host, mh_export_progress_fn progress, void *ctx,
                     mh_export_stats_t *stats, char *err, size_t errlen);

#endif
