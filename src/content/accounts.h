/* Accounts: users, their grants, server-side sessions and the audit log.
 *
 * Passwords never leave this module in clear: they come in as bytes, are
 * checked against the policy and hashed with argon2id (auth/password.h);
 * only the hash is stored. Sessions are stored by the hash of their token
 * (auth/token.h), so a copy of the database holds no live session.
 *
 * Roles are kept as their text names ("admin", "editor", "author",
 * "contributor"); admin/admin.h parses them.
 *
 * Return codes: MH_OK, MH_DECLINED (no such row / refused), MH_ERR
 * (database failure, logged). */
#ifndef MH_CONTENT_ACCOUNTS_H
#define MH_CONTENT_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/accounts.h"
#include "content.h"

/* --- users --- */
int mh_accounts_user_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_account_t *out);
int mh_accounts_user_by_name(mh_content_t *c, mh_pool_t *p, const char *name, mh_account_t *out);
/* All users ordered by name. */
int mh_accounts_users(mh_content_t *c, mh_pool_t *p, mh_account_t **out, size_t *n);

/* Is name acceptable as a login name (1-64 bytes of [A-Za-z0-9._@-])? */
bool mh_accounts_name_ok(const char *name);

/* Create a user with password pw[0..len) (policy-checked; *why gets an
 * MH_PASSWORD_WHY_* reason on MH_DECLINED, or "name" for a bad or taken
 * name, or "role" for an unknown role). in->password_hash is ignored. */
int mh_accounts_user_create(mh_content_t *c, const mh_account_t *in, const char *pw, size_t len,
                            int64_t *id, const char **why);
/* Update role, display name, UI language and the disabled flag. */
int mh_accounts_user_update(mh_content_t *c, const mh_account_t *in);
/* The stored form of a password hash imported from MetInfo (unsalted
 * md5(password), 32 hex digits follow). Only importers write it, through
 * mh_accounts_user_import_md5; mh_accounts_authenticate accepts it and
 * replaces it with argon2id at the first successful sign-in (setting
 * must_change when the password fails today's policy). No other path
 * stores or accepts an MD5 hash: new passwords are always argon2id. */
#define MH_ACCOUNTS_LEGACY_MD5 "$metinfo-md5$"
/* Create a user whose password hash is MetInfo's md5_hex (32 lower-case
 * hex digits), kept in the marked form above. MH_DECLINED for a bad name
 * or role, a malformed hash or a name that exists. */
int mh_accounts_user_import_md5(mh_content_t *c, const mh_account_t *in, const char *md5_hex,
                                int64_t *id);
/* Set a new password (policy-checked as above) and the must_change flag.
 * Does not end sessions: see mh_accounts_sessions_end_user. */
int mh_accounts_set_password(mh_content_t *c, int64_t user_id, const char *name, const char *pw,
                             size_t len, bool must_change, const char **why);
/* Check name and password. MH_OK with *out filled when they match an
 * enabled user (rehashing a hash made with old parameters); MH_DECLINED
 * otherwise. Takes the time of one password verify whether or not the
 * user exists. */
int mh_accounts_authenticate(mh_content_t *c, mh_pool_t *p, const char *name, const char *pw,
                             size_t len, mh_account_t *out);
/* A random password that passes the policy (20 characters), into out. */
int mh_accounts_random_password(char out[32]);

/* --- grants --- */
int mh_accounts_grants(mh_content_t *c, mh_pool_t *p, int64_t user_id, mh_account_grant_t **out,
                       size_t *n);
/* Replace the user's grants. */
int mh_accounts_grants_set(mh_content_t *c, int64_t user_id, const mh_account_grant_t *g, size_t n);

/* --- sessions --- */
int mh_accounts_session_create(mh_content_t *c, const char *token_hash, int64_t user_id,
                               int64_t now, int64_t expires_at, const char *ip);
int mh_accounts_session_get(mh_content_t *c, mh_pool_t *p, const char *token_hash,
                            mh_session_row_t *out);
int mh_accounts_session_touch(mh_content_t *c, int64_t session_id, int64_t now);
int mh_accounts_session_end(mh_content_t *c, const char *token_hash);
/* End every session of the user but the one with keep_hash (NULL: all). */
int mh_accounts_sessions_end_user(mh_content_t *c, int64_t user_id, const char *keep_hash);
/* Delete sessions past their absolute end or idle for more than idle. */
int mh_accounts_sessions_purge(mh_content_t *c, int64_t now, int64_t idle);

/* --- audit log --- */
int mh_accounts_audit(mh_content_t *c, int64_t user_id, const char *ip, const char *action,
                      const char *object, const char *detail);
/* Newest first; *total counts all matching rows. */
int mh_accounts_audit_list(mh_content_t *c, mh_pool_t *p, const mh_audit_filter_t *f,
                           mh_audit_row_t **out, size_t *n, int64_t *total);

/* Create the first administrator "admin" with a random password written
 * into pw_out, flagged must_change. For `masthead init`. */
int mh_accounts_create_first_admin(mh_content_t *c, char pw_out[32]);

#endif
