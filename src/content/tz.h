/* Time zones for showing and entering times: an IANA zone name such as
 * "Asia/Shanghai" (read once from the system's TZif file in
 * /usr/share/zoneinfo, Debian's tzdata, and kept for the life of the
 * process) or a fixed UTC offset such as "+08:00" (older settings).
 *
 * All functions are thread-safe and never touch the C library's global
 * time zone state (no localtime_r, no TZ): a request converts with the
 * zone's own transitions. */
#ifndef MH_CONTENT_TZ_H
#define MH_CONTENT_TZ_H

#include <stdbool.h>
#include <stdint.h>

/* True when zone is a fixed offset mh_parse_utc_offset accepts, or the
 * name of a readable TZif file under the zoneinfo directory (letters,
 * digits, '_', '-', '+' and '/' between parts; no "..", no leading '/'). */
bool mh_tz_valid(const char *zone);

/* Seconds east of UTC in zone at the instant t (Unix seconds). An empty,
 * NULL or unknown zone gives 0 (UTC) and false. */
bool mh_tz_offset(const char *zone, int64_t t, int *off);

/* The instant whose wall-clock time in zone is local (seconds since
 * 1970-01-01 00:00 of that wall clock). A time that occurs twice (clocks
 * turned back) gives the first; a time skipped (clocks turned forward)
 * is read in the offset before the change. Unknown zones: UTC, false. */
bool mh_tz_local_to_utc(const char *zone, int64_t local, int64_t *utc);

/* The zoneinfo directory (default "/usr/share/zoneinfo"); for tests.
 * Call before any other function of this file. */
void mh_tz_set_dir(const char *dir);

#endif
