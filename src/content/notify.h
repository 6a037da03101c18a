/* Notification of new public submissions (a feedback message, a guestbook
 * message, a job application). The content layer calls it after the
 * submission is committed; the mail feature (src/mail/) is to queue a
 * message to the site's recipients from here. It must never block the
 * visitor's request: queue and return. */
#ifndef MH_CONTENT_NOTIFY_H
#define MH_CONTENT_NOTIFY_H

#include "../model/submissions.h"
#include "content.h"

/* Tell whoever wants to know that s was received (s->id set). Returns
 * MH_OK; a failure to queue is logged and never undoes the submission. */
int mh_notify_submission(mh_content_t *c, const mh_submission_t *s);

/* Who is told: fn queues the notification (MH_OK, MH_DECLINED when there
 * is nobody to tell, MH_ERR). The mail module sets it when it opens; NULL
 * turns notifications off. */
typedef int (*mh_notify_fn)(mh_content_t *c, const mh_submission_t *s);
void mh_notify_set(mh_notify_fn fn);

#endif
