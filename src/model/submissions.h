/* Public submissions: a message sent through a feedback form, a guestbook
 * message, or an application for a job (with its CV). They belong to the
 * column they were sent to (and, for applications, to the job entry).
 *
 * Statuses: feedback and applications are "unread", "read" or "handled";
 * guestbook messages are "pending", "approved" or "rejected". Only an
 * approved guestbook message (and its reply) is ever shown publicly. */
#ifndef MH_MODEL_SUBMISSIONS_H
#define MH_MODEL_SUBMISSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"

#define MH_SUB_FEEDBACK "feedback"
#define MH_SUB_GUESTBOOK "guestbook"
#define MH_SUB_APPLICATION "application"

typedef struct {
    int64_t id;
    int64_t column_id;
    int64_t lang_id;
    int64_t entry_id;                     /* the job of an application; 0 otherwise */
    const char *kind;                     /* MH_SUB_* */
    const char *name, *contact, *message; /* guestbook; "" elsewhere */
    const char *status;
    const char *reply; /* guestbook: the site's answer, "" when none */
    int64_t replied_at;
    const char *notes; /* internal, never public */
    const char *ip;    /* truncated address (IPv4 /24, IPv6 /48) */
    int64_t created_at, updated_at;
    /* custom field values (the column's fields), by key and seq */
    mh_field_value_t *values;
    size_t nvalues;
    /* the CV of an application: name as sent, sniffed type, size */
    const char *file_name, *file_mime;
    int64_t file_size; /* 0: no file */
} mh_submission_t;

/* A list query. Strings NULL or "" mean "any". */
typedef struct {
    const int64_t *column_ids; /* NULL: any column */
    size_t ncolumns;
    int64_t lang_id;    /* 0: any */
    int64_t entry_id;   /* 0: any */
    const char *kind;   /* MH_SUB_* */
    bool not_guestbook; /* the inbox: feedback and applications only */
    const char *status;
    const char *q; /* substring of name, contact, message, notes or any value */
    bool oldest_first;
    int64_t offset, limit; /* limit 0: 50; capped at 1000 */
} mh_submission_filter_t;

#endif
