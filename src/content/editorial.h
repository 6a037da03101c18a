/* The editorial domain of the admin backend: entry lists for editors (any
 * status, filters, search), saving with revisions, the recycle bin, the
 * review workflow, column tree maintenance (move, reorder, delete) and
 * scheduled publishing.
 *
 * Like content.h, every write goes through the store's ops table in one
 * write transaction (content.h mh_content_tx_begin; a caller may wrap
 * several calls, and its own audit line, in one transaction of its own),
 * and starts a new generation when it changes public content. Authorisation
 * is not decided here: handlers check the user first (admin/admin.h
 * mh_admin_may_entry / mh_admin_may_column); these functions only keep the
 * data consistent. Bodies are sanitised here, on every save, so no caller
 * can store unsanitised HTML.
 *
 * Return codes: MH_OK, MH_DECLINED (no such row, or refused as documented),
 * MH_ERR (invalid input or database failure, logged), MH_NOSPACE (the disk
 * or database is full: nothing was stored), MH_INVALID (a URL field
 * refused, content/validate.h). */
#ifndef MH_CONTENT_EDITORIAL_H
#define MH_CONTENT_EDITORIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../core/str.h"
#include "../model/editorial.h"
#include "content.h"

/* An audit log line written in the same transaction as the write it
 * describes (the audit_log table of content/accounts.h). */
typedef struct {
    int64_t user_id;    /* who, 0 for nobody (the scheduler) */
    const char *ip;     /* from where, or NULL */
    const char *action; /* "entry.update" */
    const char *object; /* "entry:42"; NULL or "": the saved entry's */
    const char *detail; /* NULL: the saved entry's title */
} mh_audit_line_t;

/* --- entries --- */

/* Newest first by publish time (the recycle bin: most recently deleted
 * first); without body_html. *total counts all matches. */
int mh_editorial_entries(mh_content_t *c, mh_pool_t *p, const mh_entry_filter_t *f,
                         mh_entry_t **out, size_t *n, int64_t *total);
/* One entry with body_html whether live or in the recycle bin; *deleted_at
 * (may be NULL) is 0 for a live entry. */
int mh_editorial_entry_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_entry_t *out,
                           int64_t *deleted_at);
/* Create (e->id 0) or update a live entry (the content layer sanitises
 * body_html and checks the cover), record a revision by user_id and, when
 * audit is not NULL, its audit line: all in one transaction, so a failure
 * of any part stores none of them. e is the whole entry (an update
 * rewrites every field but created_at and hits). On success e holds what
 * was stored (id, slug, sanitised body: in pool p); on failure e is
 * unchanged. A scheduled entry whose time has already come is stored as
 * published. MH_DECLINED: no such live entry; MH_TOOBIG: the body is too
 * large to sanitise; MH_INVALID: the cover is not an acceptable URL;
 * MH_NOSPACE: out of space; MH_ERR: invalid entry (see
 * mh_content_entry_create) or database failure. */
int mh_editorial_entry_save(mh_content_t *c, mh_pool_t *p, mh_entry_t *e, int64_t user_id,
                            const mh_audit_line_t *audit);
/* The same, replacing the entry's custom field values (validated with
 * mh_fields_validate; NULL: leave them alone) in the entry's transaction;
 * the revision's snapshot records them under "fields". */
int mh_editorial_entry_save_fields(mh_content_t *c, mh_pool_t *p, mh_entry_t *e, int64_t user_id,
                                   const mh_field_value_t *fields, size_t nfields,
                                   const mh_audit_line_t *audit);
/* Make a draft translation of entry src in language lang_id, in column_id
 * (0: the column with the same path in that language, else the first
 * non-page, non-link column of the language): same translation group, title
 * and body, owned by user_id. *id receives the new entry's id. MH_DECLINED
 * when no suitable column exists or src is unknown. */
int mh_editorial_entry_translate(mh_content_t *c, int64_t src, int64_t lang_id, int64_t column_id,
                                 int64_t user_id, int64_t *id);
/* Every entry of src's translation group (other than src, any status, live),
 * for the editor's translation panel. */
int mh_editorial_translations(mh_content_t *c, mh_pool_t *p, const mh_entry_t *src,
                              mh_entry_t **out, size_t *n);

/* --- recycle bin --- */

/* Move a live entry to the bin / bring it back (MH_DECLINED when it is not
 * where it should be). */
int mh_editorial_entry_trash(mh_content_t *c, int64_t id);
int mh_editorial_entry_restore(mh_content_t *c, int64_t id);
/* Delete an entry for good, with its revisions and reviews (it must be in
 * the bin: MH_DECLINED otherwise). */
int mh_editorial_entry_purge(mh_content_t *c, int64_t id);

/* --- revisions --- */

/* The JSON object a revision keeps besides title and body: column_id, slug,
 * summary, author, source, cover, seo_title, seo_keywords,
 * seo_description, publish_at, status, pinned, recommended. */
char *mh_editorial_snapshot(mh_pool_t *p, const mh_entry_t *e);
/* Newest first, at most limit (0: 50), without body_html. */
int mh_editorial_revisions(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t limit,
                           mh_revision_t **out, size_t *n);
int mh_editorial_revision_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_revision_t *out);
/* Put the revision's title, body and text fields (slug, summary, author,
 * source, cover, SEO fields) back into its live entry; the entry keeps its
 * column, status and publish time. Saving records a new revision by
 * user_id. MH_DECLINED: unknown revision or its entry is not live. */
int mh_editorial_revision_restore(mh_content_t *c, int64_t rev_id, int64_t user_id);

/* A word diff of old and new (HTML source is split into tags and words) as
 * HTML: unchanged text escaped, removed runs in <del>, added runs in <ins>.
 * The LCS is computed on at most max_tokens tokens per side after the common
 * prefix and suffix are stripped (0: 2000); beyond that the middle is shown
 * as one removal and one insertion. The result is safe to print raw. */
char *mh_editorial_diff(mh_pool_t *p, const char *old_text, const char *new_text,
                        size_t max_tokens);

/* --- review workflow --- */

/* Status -> pending, with a "submit" review by user_id (comment may be
 * NULL). */
int mh_editorial_submit(mh_content_t *c, int64_t entry_id, int64_t user_id, const char *comment);
/* Publish now (publish_at 0 or in the past: published at the given time or
 * now) or schedule (publish_at in the future), with an "approve" review. */
int mh_editorial_approve(mh_content_t *c, int64_t entry_id, int64_t user_id, int64_t publish_at);
/* Back to draft with a "reject" review carrying the comment. */
int mh_editorial_return(mh_content_t *c, int64_t entry_id, int64_t user_id, const char *comment);
/* The review history of an entry, newest first. */
int mh_editorial_reviews(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_review_t **out,
                         size_t *n);

/* --- columns --- */

/* A column as stored: unlike mh_content_column_get, visible is the
 * column's own flag (not combined with its ancestors'), which is what an
 * edit form must show and save back. path and depth are filled in. */
int mh_editorial_column_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_column_t *out);
/* Entries (live and in the bin) in the column and its descendants. */
int mh_editorial_column_count(mh_content_t *c, int64_t column_id, int64_t *count);
/* Change a column's parent (0: top level), placing it last among its new
 * siblings. MH_ERR when the parent is the column itself, one of its
 * descendants, or in another language. */
int mh_editorial_column_move(mh_content_t *c, int64_t id, int64_t parent_id);
/* Swap with the previous (dir < 0) or next sibling; MH_DECLINED at either
 * end. */
int mh_editorial_column_reorder(mh_content_t *c, int64_t id, int dir);
/* Delete a column and its sub-columns. When they hold entries and move_to is
 * 0, refuse with MH_DECLINED; otherwise first move every entry to column
 * move_to (same language, outside the deleted subtree; slugs made unique
 * there). */
int mh_editorial_column_delete(mh_content_t *c, int64_t id, int64_t move_to);

/* --- scheduled publishing --- */

/* Publish scheduled entries whose time has come (status -> published) and
 * bump the generation when any entry went public in (since, now]: those
 * published earlier with a future time included, so cached lists pick them
 * up. One indexed query when there is nothing to do. *published (may be
 * NULL) receives the number of entries whose status changed. */
int mh_editorial_tick(mh_content_t *c, int64_t since, int64_t now, int64_t *published);

#endif
