/* Scheduled publishing, run by the server's background thread about once a
 * second. The first tick looks back to the beginning of time so entries
 * that fell due while the server was down go out at once; later ticks look
 * only at the last window, one indexed query each. */
#include <stdio.h>
#include <time.h>

#include "../core/log.h"
#include "editorial_internal.h"

void ed_scheduler_tick(mh_admin_t *a, int64_t *last)
{
    int64_t now = (int64_t)time(NULL), published = 0;
    if (now <= *last)
        return;
    if (mh_editorial_tick(mh_admin_content(a), *last, now, &published) != MH_OK)
        return; /* logged; try the same window again next time */
    if (published > 0) {
        mh_info("scheduler: published %lld scheduled entr%s", (long long)published,
                published == 1 ? "y" : "ies");
        char detail[32];
        snprintf(detail, sizeof(detail), "%lld entries", (long long)published);
        mh_admin_audit(a, NULL, "entry.publish_scheduled", "", detail);
    }
    *last = now;
}
