/* Logging to stderr: one line per event, level and timestamp first.
 * Never log secrets (passwords, session tokens, CSRF tokens). */
#ifndef MH_CORE_LOG_H
#define MH_CORE_LOG_H

#include "common.h"

typedef enum { MH_LOG_DEBUG, MH_LOG_INFO, MH_LOG_WARN, MH_LOG_ERROR } mh_log_level_t;

void mh_log_set_level(mh_log_level_t level);
void mh_log(mh_log_level_t level, const char *fmt, ...) MH_PRINTF(2, 3);

#define mh_debug(...) mh_log(MH_LOG_DEBUG, __VA_ARGS__)
#define mh_info(...) mh_log(MH_LOG_INFO, __VA_ARGS__)
#define mh_warn(...) mh_log(MH_LOG_WARN, __VA_ARGS__)
#define mh_error(...) mh_log(MH_LOG_ERROR, __VA_ARGS__)

#endif
