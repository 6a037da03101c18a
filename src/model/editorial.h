/* Editorial rows: revisions, review steps and the editor's entry filter, as
 * content/editorial.h and the store exchange them. */
#ifndef MH_MODEL_EDITORIAL_H
#define MH_MODEL_EDITORIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* A saved state of an entry. */
typedef struct {
    int64_t id;
    int64_t entry_id;
    int64_t user_id;       /* who saved it, 0 if unknown or deleted */
    const char *user_name; /* display name (or login name) of user_id, or "" */
    int64_t created_at;
    const char *title;
    const char *body_html; /* NULL in lists */
    const char *snapshot;  /* JSON object of the other fields (see mh_editorial_snapshot) */
} mh_revision_t;

typedef enum {
    MH_REVIEW_SUBMIT = 1, /* the author asked for review */
    MH_REVIEW_APPROVE,    /* an editor published or scheduled it */
    MH_REVIEW_REJECT,     /* an editor returned it to draft with a comment */
    MH_REVIEW_COMMENT,
} mh_review_action_t;

/* "submit", "approve", "reject", "comment"; NULL for an unknown value. */
const char *mh_review_action_name(mh_review_action_t a);
mh_review_action_t mh_review_action_parse(const char *name); /* 0 if unknown */

typedef struct {
    int64_t id;
    int64_t entry_id;
    int64_t user_id;
    const char *user_name;
    mh_review_action_t action;
    const char *comment;
    int64_t at;
} mh_review_t;

/* Entries as the editor lists them. */
typedef struct {
    int64_t lang_id; /* 0: every language */
    /* The entries' columns must be among these; NULL (ncolumns 0) for any
     * column. A non-NULL empty list matches nothing. */
    const int64_t *column_ids;
    size_t ncolumns;
    bool restrict_columns; /* column_ids applies even when ncolumns is 0 */
    int status;            /* an mh_status_t, or -1 for any */
    int64_t author_id;     /* 0: anyone's */
    const char *search;    /* substring of the title (case-insensitive for ASCII), or NULL */
    bool trashed;          /* the recycle bin instead of live entries */
    int64_t offset, limit; /* limit 0 means 20, capped at 200 */
} mh_entry_filter_t;

#endif
