/* Store operations of the outgoing mail queue (src/mail): one row per
 * message, kept after it was sent or given up so the admin can list it.
 * The queue is no public content: none of these writes moves the content
 * generation. Same rules as store.h. */
#ifndef MH_STORE_MAIL_H
#define MH_STORE_MAIL_H

#include "store.h"

/* A message's state: "queued" (waiting for its next attempt at next_at),
 * "sent", or "failed" (given up after the last attempt). */
typedef struct {
    int64_t id;
    int64_t created_at;
    const char *recipients; /* comma-separated addresses */
    const char *subject;    /* UTF-8, unencoded */
    const char *body;       /* UTF-8 plain text */
    const char *status;
    int attempts;      /* attempts made so far */
    int64_t next_at;   /* queued: not before this time */
    int64_t sent_at;   /* sent: when; else 0 */
    const char *error; /* the last attempt's error, or "" */
} mh_mail_row_t;

struct mh_store_mail_ops {
    /* Queue a message due at now; *id receives its id. */
    int (*insert)(mh_store_t *s, const char *recipients, const char *subject, const char *body,
                  int64_t now, int64_t *id);
    /* Up to limit queued messages with next_at <= now, oldest first. */
    int (*due)(mh_store_t *s, mh_pool_t *p, int64_t now, int64_t limit, mh_mail_row_t **out,
               size_t *n);
    /* After an attempt: status "sent" (sent_at = now), "queued" (next_at)
     * or "failed"; attempts and error are stored as given. */
    int (*update)(mh_store_t *s, int64_t id, const char *status, int attempts, int64_t next_at,
                  int64_t now, const char *error);
    /* Messages, newest first; status NULL for all. *total: how many match. */
    int (*list)(mh_store_t *s, mh_pool_t *p, const char *status, int64_t offset, int64_t limit,
                mh_mail_row_t **out, size_t *n, int64_t *total);
    int (*get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_mail_row_t *out);
    /* Queue a message again now with its attempts reset (MH_DECLINED: no
     * such message, or it was sent). */
    int (*retry)(mh_store_t *s, int64_t id, int64_t now);
};

extern const struct mh_store_mail_ops mh_store_sqlite_mail;

#endif
