#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static mh_log_level_t min_level = MH_LOG_INFO;

void mh_log_set_level(mh_log_level_t level)
{
    min_level = level;
}

void mh_log(mh_log_level_t level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (level < min_level)
        return;
    char line[2048], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* one fprintf per line so concurrent threads do not interleave */
    fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
