/* Store operations of API bearer tokens (content/tokens.h): rows keyed by
 * the token's hash, never the token. Same rules as store.h. */
#ifndef MH_STORE_TOKENS_H
#define MH_STORE_TOKENS_H

#include "../model/accounts.h"
#include "store.h"

typedef struct {
    int64_t id;
    int64_t user_id;
    const char *user_name; /* filled by reads */
    const char *name;
    const char *scope;                                        /* "read" | "write" */
    int64_t created_at, expires_at, last_used_at, revoked_at; /* 0: never */
} mh_token_row_t;

struct mh_store_token_ops {
    int (*insert)(mh_store_t *s, const char *token_hash, const mh_token_row_t *in, int64_t *id);
    /* The row of a hash (revoked and expired ones too), or MH_DECLINED. */
    int (*get)(mh_store_t *s, mh_pool_t *p, const char *token_hash, mh_token_row_t *out);
    int (*touch)(mh_store_t *s, int64_t id, int64_t now);
    /* Revoke (revoked_at = now) unless revoked already; MH_DECLINED: no
     * such token. */
    int (*revoke)(mh_store_t *s, int64_t id, int64_t now);
    /* Every token (user_id 0) or one user's, newest first. */
    int (*list)(mh_store_t *s, mh_pool_t *p, int64_t user_id, mh_token_row_t **out, size_t *n);
};

extern const struct mh_store_token_ops mh_store_sqlite_tokens;

#endif
