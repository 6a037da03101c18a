/* `masthead token add|list|revoke`: API bearer tokens (content/tokens.h,
 * docs/api.md). `add` prints the token once, alone on its last line of
 * output, so scripts can take it with `tail -n 1`. */
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../../src/content/accounts.h"
#include "../../src/content/tokens.h"
#include "../../src/core/pool.h"

static const char usage[] = "usage: masthead token add DIR USER [--scope read|write] "
                            "[--expires DAYS] [--name NAME]\n"
                            "       masthead token list DIR\n"
                            "       masthead token revoke DIR ID\n";

static int open_site(const char *dir, mh_content_t **c)
{
    struct stat sb;
    char err[512];
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "masthead: token: %s is not a site folder\n", dir);
        return 2;
    }
    if (mh_content_open(dir, c, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead: token: %s\n", err);
        return 2;
    }
    return 0;
}

static bool number(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || *end || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

static int token_add(int argc, char **argv)
{
    const char *dir = NULL, *user = NULL, *scope = "write", *name = "";
    int64_t days = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc) {
            scope = argv[++i];
        } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
            name = argv[++i];
        } else if (strcmp(argv[i], "--expires") == 0 && i + 1 < argc) {
            if (!number(argv[++i], 36500, &days) || days == 0) {
                fputs("masthead: token add: --expires takes a number of days (1 to 36500)\n",
                      stderr);
                return 2;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "masthead: token add: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!dir) {
            dir = argv[i];
        } else if (!user) {
            user = argv[i];
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!dir || !user || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)) {
        fputs(usage, stderr);
        return 2;
    }
    mh_content_t *c = NULL;
    int status = open_site(dir, &c);
    if (status)
        return status;
    mh_pool_t *p = mh_pool_create();
    mh_account_t acc;
    char tok[MH_TOKEN_LEN + 1];
    int64_t id = 0;
    status = 1;
    if (mh_accounts_user_by_name(c, p, user, &acc) != MH_OK || acc.disabled) {
        fprintf(stderr, "masthead: token add: no active user '%s'\n", user);
        status = 2;
    } else if (mh_tokens_create(c, acc.id, scope, name, days, tok, &id) != MH_OK) {
        fputs("masthead: token add: the token could not be stored\n", stderr);
    } else {
        printf("token %lld for %s (%s, %s, role %s); shown once, keep it secret:\n", (long long)id,
               acc.name, scope, days ? "expires" : "no expiry", acc.role);
        if (days)
            printf("expires in %lld days\n", (long long)days);
        printf("%s\n", tok);
        status = fflush(stdout) == 0 ? 0 : 1;
    }
    mh_pool_destroy(p);
    mh_content_close(c);
    return status;
}

static const char *when(char *buf, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
        return "-";
    return buf;
}

static int token_list(const char *dir)
{
    mh_content_t *c = NULL;
    int status = open_site(dir, &c);
    if (status)
        return status;
    mh_pool_t *p = mh_pool_create();
    mh_token_row_t *rows = NULL;
    size_t n = 0;
    status = 1;
    if (mh_tokens_list(c, p, 0, &rows, &n) == MH_OK) {
        char a[32], b[32], d[32];
        printf("%-6s %-16s %-6s %-16s %-16s %-16s %s\n", "id", "user", "scope", "created (UTC)",
               "expires", "last used", "state");
        for (size_t i = 0; i < n; i++) {
            int64_t now = (int64_t)time(NULL);
            const char *state = rows[i].revoked_at                                ? "revoked"
                                : rows[i].expires_at && now >= rows[i].expires_at ? "expired"
                                                                                  : "active";
            printf("%-6lld %-16s %-6s %-16s %-16s %-16s %s\n", (long long)rows[i].id,
                   rows[i].user_name, rows[i].scope, when(a, sizeof(a), rows[i].created_at),
                   when(b, sizeof(b), rows[i].expires_at), when(d, sizeof(d), rows[i].last_used_at),
                   state);
        }
        status = 0;
    }
    mh_pool_destroy(p);
    mh_content_close(c);
    return status;
}

static int token_revoke(const char *dir, const char *id_s)
{
    int64_t id;
    if (!number(id_s, INT64_MAX, &id) || id == 0) {
        fputs(usage, stderr);
        return 2;
    }
    mh_content_t *c = NULL;
    int status = open_site(dir, &c);
    if (status)
        return status;
    int rc = mh_tokens_revoke(c, id);
    if (rc == MH_OK)
        printf("token %lld revoked\n", (long long)id);
    else
        fprintf(stderr, "masthead: token revoke: %s\n",
                rc == MH_DECLINED ? "no such token" : "failed");
    mh_content_close(c);
    return rc == MH_OK ? 0 : rc == MH_DECLINED ? 2 : 1;
}

int mh_cmd_token(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return token_add(argc - 1, argv + 1);
    if (argc == 2 && strcmp(argv[0], "list") == 0)
        return token_list(argv[1]);
    if (argc == 3 && strcmp(argv[0], "revoke") == 0)
        return token_revoke(argv[1], argv[2]);
    fputs(usage, stderr);
    return 2;
}
