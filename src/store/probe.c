/* What a site directory's database file is, found without writing to it:
 * opening it for the store would switch it to WAL and create
 * schema_version, so a 0-byte or foreign file must be recognised first
 * (read-only, by its header and its tables) and refused untouched. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/common.h"

static const char sqlite_magic[16] = "SQLite format 3";

/* Whether the SQLite file at path has masthead's schema_version table
 * with at least one migration applied. */
static bool has_masthead_tables(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bool yes = false;
    char *uri = sqlite3_mprintf("file:%s?mode=ro", path);
    if (!uri)
        goto done;
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
        goto done;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name IN ('schema_version', 'sites', 'languages', 'settings')",
                           -1, &st, NULL) != SQLITE_OK)
        goto done;
    yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 4;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    sqlite3_free(uri);
    return yes;
}

mh_db_state_t mh_store_probe_file(const char *path, const char *dir, char *err, size_t errlen)
{
    struct stat st;
    unsigned char head[16];
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s is not a site (no %s)", dir, path);
        return MH_DB_MISSING;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a site: %s is not a regular file", dir, path);
        return MH_DB_FOREIGN;
    }
    if (st.st_size == 0) {
        snprintf(err, errlen,
                 "%s is an empty file (0 bytes), not a masthead site; nothing was written to "
                 "it (`masthead init %s` creates a site in it)",
                 path, dir);
        return MH_DB_EMPTY;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return MH_DB_FOREIGN;
    }
    if (n < (ssize_t)sizeof(head) || memcmp(head, sqlite_magic, sizeof(head)) != 0) {
        snprintf(err, errlen,
                 "%s is not a masthead site: %s is not a SQLite database; nothing was "
                 "written to it",
                 dir, path);
        return MH_DB_FOREIGN;
    }
    if (!has_masthead_tables(path)) {
        snprintf(err, errlen,
                 "%s is not a masthead site: %s is a SQLite database without masthead's "
                 "tables; nothing was written to it",
                 dir, path);
        return MH_DB_FOREIGN;
    }
    return MH_DB_SITE;
}
