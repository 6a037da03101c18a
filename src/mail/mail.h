/* E-mail notifications over SMTP (docs/mail.md).
 *
 * Code that wants to tell the site's staff about something (a feedback
 * form's submission, a job application) calls mh_mail_queue: it writes
 * one row to the persistent queue and returns at once, on the caller's
 * thread and in the caller's transaction if one is open (so a submission
 * and its notification are stored together or not at all). Nothing talks
 * to the mail server on a visitor's request: the mail module's own thread
 * (mh_mail_module, listed in cmd/masthead/modules.c) sends what is due,
 * retries failures with exponential back-off and gives up after
 * MH_MAIL_ATTEMPTS attempts; the admin lists the queue (/admin/mail) and
 * can queue a failed message again.
 *
 * The server and recipients come from the settings smtp_host, smtp_port,
 * smtp_security ("none" | "starttls" | "tls"), smtp_user, smtp_password,
 * smtp_from and smtp_to (docs/settings.md). */
#ifndef MH_MAIL_MAIL_H
#define MH_MAIL_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../content/content.h"
#include "../core/pool.h"

/* Attempts before a message is given up ("failed"); the environment
 * variable MH_MAIL_ATTEMPTS overrides it (tests). */
#define MH_MAIL_ATTEMPTS 8
/* The first retry waits this many seconds, each later one twice as long
 * as the one before (MH_MAIL_RETRY_BASE overrides it), never more than
 * MH_MAIL_RETRY_MAX. */
#define MH_MAIL_RETRY_BASE 60
#define MH_MAIL_RETRY_MAX (6 * 3600)

/* Queue a notification to the configured recipients (setting smtp_to).
 * subject: one line of UTF-8 text (line breaks become spaces); body:
 * UTF-8 plain text, any line endings. Returns MH_OK when queued,
 * MH_DECLINED when mail is not configured (no smtp_host or no smtp_to:
 * nothing is stored), MH_ERR on a database failure. Cheap and safe on a
 * request thread. */
int mh_mail_queue(mh_content_t *c, const char *subject, const char *body);

/* The same to explicit recipients (comma-separated addresses); *id (may be
 * NULL) receives the queued message's id. */
int mh_mail_queue_to(mh_content_t *c, const char *to, const char *subject, const char *body,
                     int64_t *id);

/* ---- the parts, for the sender and for tests ---- */

/* A header value as RFC 2047 encoded words ("=?UTF-8?B?...?="), folded
 * so that no line is longer than 76 characters; printable ASCII without
 * "=?" comes back unchanged. Control characters (CR, LF...) become
 * spaces. */
const char *mh_mail_header_encode(mh_pool_t *p, const char *text);

/* Seconds to wait after the attempts-th failed attempt (1, 2, ...):
 * base, 2 base, 4 base... capped at MH_MAIL_RETRY_MAX. */
int64_t mh_mail_backoff(int attempts, int64_t base);

/* "Sun, 06 Dec 2026 07:00:18 +0000" for t (UTC). */
const char *mh_mail_date(mh_pool_t *p, int64_t t);

/* Is addr a plain address (local@domain.tld, no spaces, brackets or
 * commas)? */
bool mh_mail_address_ok(const char *addr);

/* Split a comma-separated list into trimmed addresses; false if one is
 * not a plain address or the list is empty. */
bool mh_mail_split(mh_pool_t *p, const char *list, const char ***out, size_t *n);

typedef struct {
    const char *from;      /* address */
    const char *from_name; /* display name (UTF-8) or "" */
    const char *to;        /* comma-separated addresses */
    const char *subject;   /* UTF-8 */
    const char *body;      /* UTF-8 */
    int64_t date;
    const char *message_id; /* without the angle brackets */
} mh_mail_msg_t;

/* The whole message, CRLF line endings: headers (RFC 2047 where needed),
 * then the body as base64 UTF-8 text/plain. */
const char *mh_mail_format(mh_pool_t *p, const mh_mail_msg_t *m);

#endif
