/* API bearer tokens: made by `masthead token add`, presented as
 * "Authorization: Bearer TOKEN" to the admin API (docs/api.md). A token is
 * 256 random bits (auth/token.h); only its hash is stored, so it is shown
 * once, when it is made. A token acts as its user, with that user's role
 * and grants, limited by its scope ("read": GET only; "write": all), until
 * it expires or is revoked. */
#ifndef MH_CONTENT_TOKENS_H
#define MH_CONTENT_TOKENS_H

#include "../auth/token.h"
#include "../store/tokens.h"
#include "content.h"

/* Make a token for user_id. scope: "read" or "write"; days: lifetime (0:
 * no expiry). out receives the token itself. MH_OK, MH_INVALID for a bad
 * scope, MH_ERR. */
int mh_tokens_create(mh_content_t *c, int64_t user_id, const char *scope, const char *name,
                     int64_t days, char out[MH_TOKEN_LEN + 1], int64_t *id);
/* The live token row of a presented token: MH_OK, MH_DECLINED (unknown,
 * malformed, revoked or expired), MH_ERR. Notes the use (at most once a
 * minute per token). */
int mh_tokens_check(mh_content_t *c, mh_pool_t *p, mh_str_t token, mh_token_row_t *out);
/* MH_DECLINED: no such token. */
int mh_tokens_revoke(mh_content_t *c, int64_t id);
/* Every token (user_id 0) or one user's, newest first. */
int mh_tokens_list(mh_content_t *c, mh_pool_t *p, int64_t user_id, mh_token_row_t **out, size_t *n);

#endif
