/* Public submissions (model/submissions.h): feedback messages, guestbook
 * messages and job applications, on top of the store's submission ops.
 * Writes run in a transaction (joining the caller's: an admin handler puts
 * its audit line in the same one). Only approved guestbook messages are
 * public content; the store's triggers start a new content generation for
 * changes to those alone, so marking a message read or adding a note never
 * invalidates a page.
 *
 * Return codes: MH_OK, MH_DECLINED (no such submission; a status that does
 * not belong to its kind), MH_ERR, MH_NOSPACE. */
#ifndef MH_CONTENT_SUBMISSIONS_H
#define MH_CONTENT_SUBMISSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/submissions.h"
#include "content.h"

/* Longest name, contact and message of a guestbook message, in bytes. */
#define MH_SUB_NAME_MAX 100
#define MH_SUB_CONTACT_MAX 200
#define MH_SUB_MESSAGE_MAX 5000
#define MH_SUB_REPLY_MAX 5000
#define MH_SUB_NOTES_MAX 10000

/* A file attached to a submission (the CV of an application). */
typedef struct {
    const char *name; /* as the visitor named it (metadata only) */
    const char *mime; /* from mh_submission_sniff_cv */
    const void *data;
    size_t len;
} mh_submission_file_t;

/* Store a new submission with its values and optional file in one
 * transaction, then call mh_notify_submission. created_at 0: now; the
 * status empty: "unread" (guestbook: "pending"). *id may be NULL. */
int mh_submission_create(mh_content_t *c, mh_submission_t *in, const mh_submission_file_t *file,
                         int64_t *id);
int mh_submission_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_submission_t *out);
int mh_submission_list(mh_content_t *c, mh_pool_t *p, const mh_submission_filter_t *f,
                       mh_submission_t **out, size_t *n, int64_t *total);
int mh_submission_values(mh_content_t *c, mh_pool_t *p, int64_t id, mh_field_value_t **out,
                         size_t *n);
/* Is status one of kind's ("unread", "read", "handled"; guestbook:
 * "pending", "approved", "rejected")? */
bool mh_submission_status_valid(const char *kind, const char *status);
int mh_submission_set_status(mh_content_t *c, int64_t id, const char *status);
int mh_submission_set_notes(mh_content_t *c, int64_t id, const char *notes);
/* The site's public reply to a guestbook message ("" removes it). */
int mh_submission_set_reply(mh_content_t *c, int64_t id, const char *reply);
int mh_submission_delete(mh_content_t *c, int64_t id);
/* The attached file; MH_DECLINED when there is none. */
int mh_submission_file(mh_content_t *c, mh_pool_t *p, int64_t id, const char **name,
                       const char **mime, const void **data, size_t *len);

/* The address as stored: IPv4 with its last octet zeroed ("203.0.113.0"),
 * IPv6 cut to its /48 ("2001:db8:1::"); "" for anything else. */
const char *mh_submission_ip(mh_pool_t *p, const char *ip);

/* What a CV's bytes are, by their content (never by name or claimed
 * type): PDF, Word 97-2003 (.doc: an OLE compound file) or Word 2007+
 * (.docx: a zip holding word/). MH_OK with *mime and *ext ("pdf", "doc",
 * "docx"), else MH_DECLINED. */
int mh_submission_sniff_cv(const void *data, size_t len, const char **mime, const char **ext);

#endif
