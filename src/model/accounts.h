/* Account rows: users, grants, sessions and audit lines as content/accounts.h
 * and the store exchange them. */
#ifndef MH_MODEL_ACCOUNTS_H
#define MH_MODEL_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct {
    int64_t id;
    const char *name; /* login name, unique */
    const char *password_hash;
    const char *role; /* "admin", "editor", "author", "contributor" */
    const char *display_name;
    const char *ui_lang; /* "en", "zh-CN" */
    bool disabled;
    bool must_change; /* must choose a new password before anything else */
    int64_t created_at;
} mh_account_t;

/* A grant row: column_id / lang_id 0 mean "any". */
typedef struct {
    int64_t column_id;
    int64_t lang_id;
} mh_account_grant_t;

typedef struct {
    int64_t id;
    int64_t user_id;
    int64_t created_at, last_seen, expires_at; /* expires_at: the absolute end */
    const char *ip;
} mh_session_row_t;

typedef struct {
    int64_t id;
    int64_t at;
    int64_t user_id;       /* 0: none (failed logins, deleted users) */
    const char *user_name; /* "" when none */
    const char *ip;
    const char *action; /* "login", "login.fail", "user.update"... */
    const char *object; /* "user:3" */
    const char *detail;
} mh_audit_row_t;

typedef struct {
    int64_t user_id;       /* 0: anyone */
    const char *action;    /* prefix match ("login" matches "login.fail"); NULL/"": any */
    int64_t since, until;  /* 0: unbounded; until exclusive */
    int64_t offset, limit; /* limit 0 means 50; capped at 200 */
} mh_audit_filter_t;

#endif
