/* The hook between public submissions and mail. The content layer cannot
 * call the mail feature (src/mail/ sits above it), so the mail module
 * registers its function here when the server opens it; without it (a
 * program that does not send mail) nothing is sent, and the submission is
 * in the admin inbox either way. */
#include "notify.h"

#include <stdatomic.h>

#include "../core/log.h"

static _Atomic(mh_notify_fn) hook;

void mh_notify_set(mh_notify_fn fn)
{
    atomic_store(&hook, fn);
}

int mh_notify_submission(mh_content_t *c, const mh_submission_t *s)
{
    mh_notify_fn fn = atomic_load(&hook);
    if (fn && fn(c, s) == MH_ERR)
        mh_warn("notify: the notification of submission %lld could not be queued",
                (long long)s->id);
    return MH_OK;
}
