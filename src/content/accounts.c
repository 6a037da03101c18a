/* Accounts on top of the store's account operations. */
#include "accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/md5.h"
#include "../auth/password.h"
#include "../core/log.h"
#include "../store/accounts.h"

static const struct mh_store_account_ops *ops(mh_content_t *c, mh_store_t **s)
{
    *s = mh_content_store(c);
    return (*s)->ops->accounts;
}

static bool role_ok(const char *role)
{
    static const char *const roles[] = {"admin", "editor", "author", "contributor"};
    for (size_t i = 0; role && i < MH_ARRAY_LEN(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

static const char *ui_lang_or_default(const char *l)
{
    return l && (strcmp(l, "en") == 0 || strcmp(l, "zh-CN") == 0) ? l : "en";
}

int mh_accounts_user_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_account_t *out)
{
    mh_store_t *s;
    return ops(c, &s)->user_get(s, p, id, out);
}

int mh_accounts_user_by_name(mh_content_t *c, mh_pool_t *p, const char *name, mh_account_t *out)
{
    mh_store_t *s;
    if (!mh_accounts_name_ok(name))
        return MH_DECLINED;
    return ops(c, &s)->user_by_name(s, p, name, out);
}

int mh_accounts_users(mh_content_t *c, mh_pool_t *p, mh_account_t **out, size_t *n)
{
    mh_store_t *s;
    return ops(c, &s)->users(s, p, out, n);
}

bool mh_accounts_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '@' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* Policy check and hash; *why set on MH_DECLINED. */
static int hash_new_password(const char *name, const char *pw, size_t len,
                             char hash[MH_PASSWORD_HASH_MAX], const char **why)
{
    const char *reason = NULL;
    if (mh_password_check(pw, len, name, &reason) != MH_OK) {
        if (why)
            *why = reason;
        return MH_DECLINED;
    }
    return mh_password_hash(pw, len, hash);
}

int mh_accounts_user_create(mh_content_t *c, const mh_account_t *in, const char *pw, size_t len,
                            int64_t *id, const char **why)
{
    mh_store_t *s;
    const struct mh_store_account_ops *o = ops(c, &s);
    char hash[MH_PASSWORD_HASH_MAX];
    if (!mh_accounts_name_ok(in->name)) {
        if (why)
            *why = "name";
        return MH_DECLINED;
    }
    if (!role_ok(in->role)) {
        if (why)
            *why = "role";
        return MH_DECLINED;
    }
    int rc = hash_new_password(in->name, pw, len, hash, why);
    if (rc != MH_OK)
        return rc;
    mh_account_t u = *in;
    u.password_hash = hash;
    u.ui_lang = ui_lang_or_default(in->ui_lang);
    u.created_at = (int64_t)time(NULL);
    rc = o->user_insert(s, &u, id);
    sodium_memzero(hash, sizeof(hash));
    if (rc == MH_DECLINED && why)
        *why = "name";
    return rc;
}

/* 32 lower-case hex digits. */
static bool md5_hex_ok(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 32;
}

int mh_accounts_user_import_md5(mh_content_t *c, const mh_account_t *in, const char *md5_hex,
                                int64_t *id)
{
    mh_store_t *s;
    const struct mh_store_account_ops *o = ops(c, &s);
    if (!mh_accounts_name_ok(in->name) || !role_ok(in->role) || !md5_hex_ok(md5_hex))
        return MH_DECLINED;
    mh_account_t u = *in;
    char hash[64];
    snprintf(hash, sizeof(hash), "%s%s", MH_ACCOUNTS_LEGACY_MD5, md5_hex);
    u.password_hash = hash;
    u.ui_lang = ui_lang_or_default(in->ui_lang);
    u.created_at = (int64_t)time(NULL);
    return o->user_insert(s, &u, id);
}

/* A hash imported from MetInfo: md5(pw) compared in constant time, after
 * the time of an argon2id verify (so a legacy account does not answer
 * faster than the others). */
static bool legacy_md5_ok(const char *stored, const char *pw, size_t len)
{
    char got[33];
    mh_password_burn(pw, len);
    mh_md5_hex(pw, len, got);
    const char *want = stored + strlen(MH_ACCOUNTS_LEGACY_MD5);
    bool ok = strlen(want) == 32 && sodium_memcmp(got, want, 32) == 0;
    sodium_memzero(got, sizeof(got));
    return ok;
}

int mh_accounts_user_update(mh_content_t *c, const mh_account_t *in)
{
    mh_store_t *s;
    if (!role_ok(in->role))
        return MH_ERR;
    mh_account_t u = *in;
    u.ui_lang = ui_lang_or_default(in->ui_lang);
    return ops(c, &s)->user_update(s, &u);
}

int mh_accounts_set_password(mh_content_t *c, int64_t user_id, const char *name, const char *pw,
                             size_t len, bool must_change, const char **why)
{
    mh_store_t *s;
    char hash[MH_PASSWORD_HASH_MAX];
    int rc = hash_new_password(name, pw, len, hash, why);
    if (rc != MH_OK)
        return rc;
    rc = ops(c, &s)->user_set_password(s, user_id, hash, must_change);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

int mh_accounts_authenticate(mh_content_t *c, mh_pool_t *p, const char *name, const char *pw,
                             size_t len, mh_account_t *out)
{
    mh_store_t *s;
    const struct mh_store_account_ops *o = ops(c, &s);
    mh_account_t u;
    if (len == 0 || len > 4 * MH_PASSWORD_MAX_CHARS) {
        mh_password_burn(pw, len > 512 ? 512 : len);
        return MH_DECLINED;
    }
    int rc = mh_accounts_name_ok(name) ? o->user_by_name(s, p, name, &u) : MH_DECLINED;
    if (rc != MH_OK) {
        /* unknown users cost what known ones cost */
        mh_password_burn(pw, len);
        return rc == MH_ERR ? MH_ERR : MH_DECLINED;
    }
    bool legacy =
        strncmp(u.password_hash, MH_ACCOUNTS_LEGACY_MD5, strlen(MH_ACCOUNTS_LEGACY_MD5)) == 0;
    if (legacy ? !legacy_md5_ok(u.password_hash, pw, len)
               : mh_password_verify(u.password_hash, pw, len) != MH_OK)
        return MH_DECLINED;
    if (u.disabled)
        return MH_DECLINED;
    if (legacy || mh_password_needs_rehash(u.password_hash)) {
        /* an imported MD5 hash becomes argon2id now; a password that the
         * policy would refuse today must be changed before anything else */
        char hash[MH_PASSWORD_HASH_MAX];
        bool must = u.must_change || (legacy && mh_password_check(pw, len, u.name, NULL) != MH_OK);
        if (mh_password_hash(pw, len, hash) == MH_OK &&
            o->user_set_password(s, u.id, hash, must) == MH_OK) {
            u.password_hash = mh_pstrdup(p, hash);
            u.must_change = must;
        }
        sodium_memzero(hash, sizeof(hash));
    }
    *out = u;
    return MH_OK;
}

int mh_accounts_random_password(char out[32])
{
    /* no look-alike characters (0 O 1 l I), so it can be typed from a
     * terminal */
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    if (mh_password_init() != MH_OK)
        return MH_ERR;
    for (int tries = 0; tries < 16; tries++) {
        for (size_t i = 0; i < 20; i++)
            out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        out[20] = '\0';
        if (mh_password_check(out, 20, "admin", NULL) == MH_OK)
            return MH_OK;
    }
    return MH_ERR;
}

/* --- grants --- */

int mh_accounts_grants(mh_content_t *c, mh_pool_t *p, int64_t user_id, mh_account_grant_t **out,
                       size_t *n)
{
    mh_store_t *s;
    return ops(c, &s)->grants(s, p, user_id, out, n);
}

int mh_accounts_grants_set(mh_content_t *c, int64_t user_id, const mh_account_grant_t *g, size_t n)
{
    mh_store_t *s;
    const struct mh_store_account_ops *o = ops(c, &s);
    if (s->ops->begin(s) != MH_OK)
        return MH_ERR;
    if (o->grants_clear(s, user_id) != MH_OK)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (o->grant_insert(s, user_id, &g[i]) != MH_OK)
            goto fail;
    if (s->ops->commit(s) == MH_OK)
        return MH_OK;
fail:
    s->ops->rollback(s);
    return MH_ERR;
}

/* --- sessions --- */

int mh_accounts_session_create(mh_content_t *c, const char *token_hash, int64_t user_id,
                               int64_t now, int64_t expires_at, const char *ip)
{
    mh_store_t *s;
    return ops(c, &s)->session_insert(s, token_hash, user_id, now, expires_at, ip ? ip : "");
}

int mh_accounts_session_get(mh_content_t *c, mh_pool_t *p, const char *token_hash,
                            mh_session_row_t *out)
{
    mh_store_t *s;
    return ops(c, &s)->session_get(s, p, token_hash, out);
}

int mh_accounts_session_touch(mh_content_t *c, int64_t session_id, int64_t now)
{
    mh_store_t *s;
    return ops(c, &s)->session_touch(s, session_id, now);
}

int mh_accounts_session_end(mh_content_t *c, const char *token_hash)
{
    mh_store_t *s;
    return ops(c, &s)->session_delete(s, token_hash);
}

int mh_accounts_sessions_end_user(mh_content_t *c, int64_t user_id, const char *keep_hash)
{
    mh_store_t *s;
    return ops(c, &s)->sessions_delete_user(s, user_id, keep_hash ? keep_hash : "");
}

int mh_accounts_sessions_purge(mh_content_t *c, int64_t now, int64_t idle)
{
    mh_store_t *s;
    return ops(c, &s)->sessions_purge(s, now, idle);
}

/* --- audit --- */

int mh_accounts_audit(mh_content_t *c, int64_t user_id, const char *ip, const char *action,
                      const char *object, const char *detail)
{
    mh_store_t *s;
    return ops(c, &s)->audit_insert(s, (int64_t)time(NULL), user_id, ip ? ip : "", action,
                                    object ? object : "", detail ? detail : "");
}

int mh_accounts_audit_list(mh_content_t *c, mh_pool_t *p, const mh_audit_filter_t *f,
                           mh_audit_row_t **out, size_t *n, int64_t *total)
{
    mh_store_t *s;
    return ops(c, &s)->audit_list(s, p, f, out, n, total);
}

int mh_accounts_create_first_admin(mh_content_t *c, char pw_out[32])
{
    mh_account_t u = {.name = "admin",
                      .role = "admin",
                      .display_name = "Administrator",
                      .ui_lang = "en",
                      .must_change = true};
    int64_t id;
    const char *why = NULL;
    if (mh_accounts_random_password(pw_out) != MH_OK)
        return MH_ERR;
    int rc = mh_accounts_user_create(c, &u, pw_out, strlen(pw_out), &id, &why);
    if (rc != MH_OK) {
        mh_error("accounts: cannot create the first administrator: %s", why ? why : "database");
        sodium_memzero(pw_out, 32);
        return MH_ERR;
    }
    return MH_OK;
}
