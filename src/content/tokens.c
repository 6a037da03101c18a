/* API tokens over the store's token table. See tokens.h. */
#include "tokens.h"

#include <string.h>
#include <time.h>

#include "../store/store.h"

static const struct mh_store_token_ops *tops(mh_content_t *c)
{
    return mh_content_store(c)->ops->tokens;
}

int mh_tokens_create(mh_content_t *c, int64_t user_id, const char *scope, const char *name,
                     int64_t days, char out[MH_TOKEN_LEN + 1], int64_t *id)
{
    char hash[MH_TOKEN_HASH_LEN + 1];
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0) || days < 0 ||
        days > 36500)
        return MH_INVALID;
    if (mh_token_new(out) != MH_OK || mh_token_hash(mh_str_c(out), hash) != MH_OK)
        return MH_ERR;
    int64_t now = (int64_t)time(NULL);
    mh_token_row_t row = {.user_id = user_id,
                          .name = name ? name : "",
                          .scope = scope,
                          .created_at = now,
                          .expires_at = days ? now + days * 86400 : 0};
    return tops(c)->insert(mh_content_store(c), hash, &row, id);
}

int mh_tokens_check(mh_content_t *c, mh_pool_t *p, mh_str_t token, mh_token_row_t *out)
{
    char hash[MH_TOKEN_HASH_LEN + 1];
    if (!mh_token_well_formed(token))
        return MH_DECLINED;
    if (mh_token_hash(token, hash) != MH_OK)
        return MH_ERR;
    int rc = tops(c)->get(mh_content_store(c), p, hash, out);
    if (rc != MH_OK)
        return rc;
    int64_t now = (int64_t)time(NULL);
    if (out->revoked_at || (out->expires_at && now >= out->expires_at))
        return MH_DECLINED;
    if (now - out->last_used_at >= 60)
        tops(c)->touch(mh_content_store(c), out->id, now);
    return MH_OK;
}

int mh_tokens_revoke(mh_content_t *c, int64_t id)
{
    return tops(c)->revoke(mh_content_store(c), id, (int64_t)time(NULL));
}

int mh_tokens_list(mh_content_t *c, mh_pool_t *p, int64_t user_id, mh_token_row_t **out, size_t *n)
{
    return tops(c)->list(mh_content_store(c), p, user_id, out, n);
}
