/* Backend selection and the text forms of enums shared by every backend. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/common.h"

/* The files a site directory's SQLite database consists of; only the first
 * exists between runs, the others while (or after a crash while) it is in
 * use. Nothing outside the store knows these names. */
#define SITE_DB "site.db"
static const char *const db_suffixes[] = {"", "-wal", "-shm", "-journal"};

static char *dir_file(const char *dir, const char *suffix)
{
    size_t n = strlen(dir) + sizeof("/" SITE_DB) + strlen(suffix);
    char *path = mh_malloc(n);
    snprintf(path, n, "%s/" SITE_DB "%s", dir, suffix);
    return path;
}

bool mh_store_exists_dir(const char *dir)
{
    char *path = dir_file(dir, "");
    struct stat st;
    bool found = stat(path, &st) == 0;
    free(path);
    return found;
}

int mh_store_open_dir(const char *dir, bool create, mh_store_t **out, char *err, size_t errlen)
{
    char *path = dir_file(dir, "");
    struct stat st;
    int rc = MH_ERR;
    *out = NULL;
    if (!create && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        snprintf(err, errlen, "%s is not a site (no %s)", dir, SITE_DB);
        goto done;
    }
    if (!create && mh_store_probe_file(path, dir, err, errlen) != MH_DB_SITE)
        goto done;
    rc = mh_store_open(path, create, out, err, errlen);
done:
    free(path);
    return rc;
}

mh_db_state_t mh_store_probe_dir(const char *dir, char *err, size_t errlen)
{
    char *path = dir_file(dir, "");
    mh_db_state_t r = mh_store_probe_file(path, dir, err, errlen);
    free(path);
    return r;
}

void mh_store_remove_dir(const char *dir)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(db_suffixes); i++) {
        char *f = dir_file(dir, db_suffixes[i]);
        unlink(f);
        free(f);
    }
}

int mh_store_open(const char *path, bool create, mh_store_t **out, char *err, size_t errlen)
{
    const struct mh_store_ops *ops = &mh_store_sqlite_ops;
    mh_store_t *s = NULL;
    int rc = ops->open(path, create, &s, err, errlen);
    if (rc != MH_OK)
        goto done;
    rc = ops->migrate(s, NULL, err, errlen);
    if (rc != MH_OK) {
        ops->close(s);
        s = NULL;
    }
done:
    *out = s;
    return rc;
}

void mh_store_close(mh_store_t *s)
{
    if (s)
        s->ops->close(s);
}
