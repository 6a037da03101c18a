/* `masthead import wxr DIR FILE.xml`: import a WordPress export into a
 * masthead site.
 *
 * What becomes what: categories -> article columns (nested as in
 * WordPress), pages -> single-page columns (their hierarchy kept), posts ->
 * entries of their first category's column (a "posts" column for posts
 * without one), authors -> accounts that cannot sign in until an admin
 * gives them a password (or the existing user of the same login name),
 * attachments -> media library files when --upload DIR holds them, else
 * their old URL stays in place as a placeholder; tags are kept in
 * wxr_tags (masthead has no tags yet) and comments are counted and skipped
 * (no guestbook message table yet) or dropped with --no-comments.
 *
 * Everything is written in one transaction of the content layer (bodies
 * sanitised, URLs validated): an error anywhere leaves the site as it was.
 * WordPress ids are recorded in wxr_map, so importing the same file again
 * adds nothing. Old WordPress URLs (the item's link, /?p=ID, /?page_id=ID,
 * /category/..., /?cat=ID) are recorded in wxr_legacy_paths and answer 301
 * (content/wxr_paths.h). */
#ifndef MH_MIGRATE_WXR_IMPORT_H
#define MH_MIGRATE_WXR_IMPORT_H
#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *dir;    /* the site */
    const char *file;   /* the WXR file */
    const char *upload; /* --upload: WordPress's uploads folder, or NULL */
    bool comments;      /* false: --no-comments */
    bool merge;         /* --merge: the site may already hold content */
    bool progress_tty;  /* draw a progress bar on stderr (else plain lines) */
} mh_wxr_import_opts_t;

/* Import and print the summary to out. Returns MH_OK, or MH_ERR with a
 * message in err ("FILE:LINE: message" for a bad file); on error nothing
 * was written to the site's database. */
int mh_wxr_import(const mh_wxr_import_opts_t *o, FILE *out, char *err, size_t errsize);

#endif
