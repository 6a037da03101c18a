/* Store operations of the admin's accounts feature (see admin/admin.h and
 * model/accounts.h, whose row types they use). */
#ifndef MH_STORE_ACCOUNTS_H
#define MH_STORE_ACCOUNTS_H

#include "../model/accounts.h"
#include "store.h"

struct mh_store_account_ops {
    /* users */
    int (*user_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_account_t *out);
    int (*user_by_name)(mh_store_t *s, mh_pool_t *p, const char *name, mh_account_t *out);
    int (*users)(mh_store_t *s, mh_pool_t *p, mh_account_t **out, size_t *n);
    /* MH_DECLINED when the name is taken */
    int (*user_insert)(mh_store_t *s, const mh_account_t *in, int64_t *id);
    /* role, display_name, ui_lang, disabled */
    int (*user_update)(mh_store_t *s, const mh_account_t *in);
    int (*user_set_password)(mh_store_t *s, int64_t id, const char *hash, bool must_change);
    /* grants */
    int (*grants)(mh_store_t *s, mh_pool_t *p, int64_t user_id, mh_account_grant_t **out,
                  size_t *n);
    int (*grants_clear)(mh_store_t *s, int64_t user_id);
    int (*grant_insert)(mh_store_t *s, int64_t user_id, const mh_account_grant_t *g);
    /* sessions */
    int (*session_insert)(mh_store_t *s, const char *token_hash, int64_t user_id, int64_t now,
                          int64_t expires_at, const char *ip);
    int (*session_get)(mh_store_t *s, mh_pool_t *p, const char *token_hash, mh_session_row_t *out);
    int (*session_touch)(mh_store_t *s, int64_t id, int64_t now);
    int (*session_delete)(mh_store_t *s, const char *token_hash);
    /* every session of user_id but keep_hash ("" keeps none) */
    int (*sessions_delete_user)(mh_store_t *s, int64_t user_id, const char *keep_hash);
    int (*sessions_purge)(mh_store_t *s, int64_t now, int64_t idle);
    /* audit log */
    int (*audit_insert)(mh_store_t *s, int64_t at, int64_t user_id, const char *ip,
                        const char *action, const char *object, const char *detail);
    int (*audit_list)(mh_store_t *s, mh_pool_t *p, const mh_audit_filter_t *f, mh_audit_row_t **out,
                      size_t *n, int64_t *total);
};

#endif
