/* Backups are written with libarchive (pax tar) and hashed with libsodium's
 * SHA-256 while they are written, so every byte is read once. The database
 * snapshot is VACUUM INTO on a connection of its own: one read transaction
 * of SQLite, which in WAL mode blocks no writer of the running server. */
#include "backup.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/common.h"

#define MANIFEST "MANIFEST.sha256"
#define DB_NAME "site.db"
#define CHUNK 65536
#define MAX_FILES 10000000

/* --- helpers ---------------------------------------------------------------------- */

static void hex(const unsigned char *h, char out[65])
{
    static const char d[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = d[h[i] >> 4];
        out[2 * i + 1] = d[h[i] & 15];
    }
    out[64] = '\0';
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove a tree this module created (nftw without following links). */
static void rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- writing ---------------------------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
} list_t;

static void list_push(list_t *l, const char *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        char **nv = realloc(l->v, nc * sizeof(*nv));
        if (!nv)
            abort();
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n] = strdup(s);
    if (!l->v[l->n])
        abort();
    l->n++;
}

static void list_free(list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under root/rel, as paths relative to root; the upload
 * staging folder (.tmp) is not part of the library. */
static int walk(const char *root, const char *rel, list_t *out, int depth)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? MH_OK : MH_ERR;
    struct dirent *de;
    int rc = MH_OK;
    while ((de = readdir(d)) && rc == MH_OK) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", ".tmp" and upload temporaries */
        char sub[4096];
        int n = snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
        if (n < 0 || (size_t)n >= sizeof(sub) - 256)
            continue;
        struct stat st;
        char full[4096 + 256];
        snprintf(full, sizeof(full), "%s/%s", root, sub);
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 8)
            rc = walk(root, sub, out, depth + 1);
        else if (S_ISREG(st.st_mode) && out->n < MAX_FILES)
            list_push(out, sub);
    }
    closedir(d);
    return rc;
}

/* One file into the archive under name, hashed on the way; its manifest
 * line appended to man. MH_DECLINED when the file no longer exists. */
static int add_file(struct archive *a, const char *path, const char *name, mh_buf_t *man,
                    mh_backup_stats_t *st, char *err, size_t errsize)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct archive_entry *e = NULL;
    int rc = MH_ERR;
    struct stat sb;
    if (fd < 0) {
        if (errno == ENOENT)
            return MH_DECLINED;
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return MH_ERR;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errsize, "%s: not a regular file", path);
        goto done;
    }
    e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, sb.st_size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, sb.st_mtime, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK) {
        snprintf(err, errsize, "writing the archive: %s", archive_error_string(a));
        goto done;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    char buf[CHUNK];
    int64_t left = sb.st_size;
    while (left > 0) {
        ssize_t r = read(fd, buf, (size_t)(left < CHUNK ? left : CHUNK));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errsize, "%s: changed while it was copied", path);
            goto done;
        }
        crypto_hash_sha256_update(&h, (const unsigned char *)buf, (unsigned long long)r);
        if (archive_write_data(a, buf, (size_t)r) != r) {
            snprintf(err, errsize, "writing the archive: %s", archive_error_string(a));
            goto done;
        }
        left -= r;
    }
    unsigned char sum[32];
    char hx[65];
    crypto_hash_sha256_final(&h, sum);
    hex(sum, hx);
    mh_buf_printf(man, "%s  %s\n", hx, name);
    st->files++;
    st->bytes += (uint64_t)sb.st_size;
    rc = MH_OK;
done:
    if (e)
        archive_entry_free(e);
    close(fd);
    return rc;
}

/* A consistent copy of dir/site.db in tmp (an empty file that exists). */
static int snapshot(const char *dir, const char *tmp, char *err, size_t errsize)
{
    char db[4096];
    snprintf(db, sizeof(db), "%s/%s", dir, DB_NAME);
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR;
    if (access(db, R_OK) != 0) {
        snprintf(err, errsize, "%s: %s (is %s a site?)", db, strerror(errno), dir);
        return MH_ERR;
    }
    if (sqlite3_open_v2(db, &conn, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(conn, 10000);
    if (sqlite3_prepare_v2(conn, "VACUUM INTO ?1", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    rc = MH_OK;
    goto done;
fail:
    snprintf(err, errsize, "%s: snapshot failed: %s", db,
             conn ? sqlite3_errmsg(conn) : "no memory");
done:
    sqlite3_finalize(st);
    sqlite3_close(conn);
    return rc;
}

int mh_backup_write_fd(const char *dir, int fd, mh_backup_stats_t *st, char *err, size_t errsize)
{
    mh_backup_stats_t dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof(*st));
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s/.backup-XXXXXX", dir);
    list_t files = {0};
    mh_buf_t man;
    mh_buf_init(&man, (size_t)1 << 30);
    struct archive *a = NULL;
    int rc = MH_ERR;
    bool have_tmp = false;
    if (sodium_init() < 0) {
        snprintf(err, errsize, "libsodium could not start");
        goto done;
    }
    int tfd = mkstemp(tmp);
    if (tfd < 0) {
        snprintf(err, errsize, "%s: cannot make a temporary file: %s", dir, strerror(errno));
        goto done;
    }
    close(tfd);
    have_tmp = true;
    if (snapshot(dir, tmp, err, errsize) != MH_OK)
        goto done;
    char media[4096];
    snprintf(media, sizeof(media), "%s/media", dir);
    if (walk(dir, "media", &files, 0) != MH_OK) {
        snprintf(err, errsize, "%s: cannot list: %s", media, strerror(errno));
        goto done;
    }
    if (files.n)
        qsort(files.v, files.n, sizeof(*files.v), str_cmp);
    a = archive_write_new();
    if (!a || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_open_fd(a, fd) != ARCHIVE_OK) {
        snprintf(err, errsize, "cannot write the archive: %s",
                 a ? archive_error_string(a) : "no memory");
        goto done;
    }
    if (add_file(a, tmp, DB_NAME, &man, st, err, errsize) != MH_OK)
        goto done;
    for (size_t i = 0; i < files.n; i++) {
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, files.v[i]);
        int r = add_file(a, path, files.v[i], &man, st, err, errsize);
        if (r == MH_DECLINED) {
            st->vanished++;
            continue;
        }
        if (r != MH_OK)
            goto done;
    }
    /* the manifest last: it covers everything before it */
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, MANIFEST);
    archive_entry_set_size(e, (la_int64_t)man.len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, time(NULL), 0);
    int wr = archive_write_header(a, e);
    archive_entry_free(e);
    if (wr != ARCHIVE_OK ||
        (man.len && archive_write_data(a, man.base, man.len) != (la_ssize_t)man.len) ||
        archive_write_close(a) != ARCHIVE_OK) {
        snprintf(err, errsize, "writing the archive: %s", archive_error_string(a));
        goto done;
    }
    rc = MH_OK;
done:
    if (a)
        archive_write_free(a);
    if (have_tmp)
        unlink(tmp);
    list_free(&files);
    mh_buf_free(&man);
    return rc;
}

int mh_backup_file(const char *dir, const char *out, mh_backup_stats_t *st, char *err,
                   size_t errsize)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        snprintf(err, errsize, "%s: name too long", out);
        return MH_ERR;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsize, "%s: %s", out, strerror(errno));
        return MH_ERR;
    }
    fchmod(fd, 0600); /* a backup holds password hashes */
    int rc = mh_backup_write_fd(dir, fd, st, err, errsize);
    if (rc == MH_OK && fsync(fd) != 0) {
        snprintf(err, errsize, "%s: %s", out, strerror(errno));
        rc = MH_ERR;
    }
    if (close(fd) != 0 && rc == MH_OK) {
        snprintf(err, errsize, "%s: %s", out, strerror(errno));
        rc = MH_ERR;
    }
    if (rc == MH_OK && rename(tmp, out) != 0) {
        snprintf(err, errsize, "%s: %s", out, strerror(errno));
        rc = MH_ERR;
    }
    if (rc != MH_OK)
        unlink(tmp);
    return rc;
}

/* --- restoring --------------------------------------------------------------------- */

typedef struct {
    char *path;
    char hex[65];
    bool listed;
} got_t;

/* Only the names a backup writes: site.db, MANIFEST.sha256, and media/
 * followed by plain segments (no empty, "." or ".." segment, no leading
 * dot, no backslash or control bytes). */
static bool name_ok(const char *p)
{
    if (strcmp(p, DB_NAME) == 0 || strcmp(p, MANIFEST) == 0)
        return true;
    if (strncmp(p, "media/", 6) != 0)
        return false;
    const char *s = p + 6;
    if (!*s || strlen(p) > 1024)
        return false;
    while (*s) {
        size_t n = strcspn(s, "/");
        if (n == 0 || s[0] == '.')
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == '\\' || s[i] == 0x7f)
                return false;
        s += n;
        if (*s == '/') {
            s++;
            if (!*s)
                return false;
        }
    }
    return true;
}

static int mkdirs(const char *root, const char *rel)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    char *slash = path + strlen(root) + 1;
    while ((slash = strchr(slash, '/'))) {
        *slash = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return MH_ERR;
        *slash = '/';
        slash++;
    }
    return MH_OK;
}

static int check_db(const char *path, char *err, size_t errsize)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = MH_ERR;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errsize, "the database cannot be opened");
        goto done;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(err, errsize, "the database is damaged (%s)", sqlite3_errmsg(db));
        goto done;
    }
    const char *ok = (const char *)sqlite3_column_text(st, 0);
    if (!ok || strcmp(ok, "ok") != 0) {
        snprintf(err, errsize, "the database fails integrity_check: %s", ok ? ok : "?");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                           "('schema_version', 'sites', 'entries')",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 3) {
        snprintf(err, errsize, "the database is not a masthead site");
        goto done;
    }
    rc = MH_OK;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static int got_cmp(const void *a, const void *b)
{
    return strcmp(((const got_t *)a)->path, ((const got_t *)b)->path);
}

/* Every manifest line names a file that arrived with that hash, and every
 * file arrived listed. */
static int check_manifest(const char *man, size_t len, got_t *got, size_t ngot, char *err,
                          size_t errsize)
{
    qsort(got, ngot, sizeof(*got), got_cmp);
    const char *s = man, *end = man + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl) {
            snprintf(err, errsize, "the manifest is cut short");
            return MH_ERR;
        }
        size_t n = (size_t)(nl - s);
        if (n < 67 || s[64] != ' ' || s[65] != ' ' || n - 66 >= 4096) {
            snprintf(err, errsize, "the manifest has a malformed line");
            return MH_ERR;
        }
        char name[4096];
        memcpy(name, s + 66, n - 66);
        name[n - 66] = '\0';
        got_t key = {.path = name};
        got_t *g = bsearch(&key, got, ngot, sizeof(*got), got_cmp);
        if (!g) {
            snprintf(err, errsize, "%s is listed in the manifest but missing", name);
            return MH_ERR;
        }
        if (memcmp(g->hex, s, 64) != 0) {
            snprintf(err, errsize, "%s does not match its checksum", name);
            return MH_ERR;
        }
        g->listed = true;
        s = nl + 1;
    }
    for (size_t i = 0; i < ngot; i++)
        if (!got[i].listed) {
            snprintf(err, errsize, "%s is not in the manifest", got[i].path);
            return MH_ERR;
        }
    return MH_OK;
}

/* Is dir absent or an empty directory? */
static int dir_state(const char *dir, bool *exists, bool *empty)
{
    *exists = *empty = false;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return MH_OK;
        return MH_ERR;
    }
    *exists = *empty = true;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            *empty = false;
            break;
        }
    closedir(d);
    return MH_OK;
}

int mh_restore(const char *archive, const char *dir, bool force, mh_backup_stats_t *st, char *err,
               size_t errsize)
{
    mh_backup_stats_t dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof(*st));
    bool exists, empty;
    if (dir_state(dir, &exists, &empty) != MH_OK) {
        snprintf(err, errsize, "%s: %s", dir, strerror(errno));
        return MH_ERR;
    }
    if (exists && !empty && !force) {
        snprintf(err, errsize, "%s exists and is not empty; add --force to replace it", dir);
        return MH_DECLINED;
    }
    if (sodium_init() < 0) {
        snprintf(err, errsize, "libsodium could not start");
        return MH_ERR;
    }
    /* the staging directory next to dir: the final rename stays on one
     * file system */
    char *dcopy = strdup(dir), *bcopy = strdup(dir);
    if (!dcopy || !bcopy)
        abort();
    char stage[4096], old[4096];
    snprintf(stage, sizeof(stage), "%s/.%s.restore-XXXXXX", dirname(dcopy), basename(bcopy));
    snprintf(old, sizeof(old), "%s.replaced-%lld", dir, (long long)time(NULL));
    free(dcopy);
    free(bcopy);
    struct archive *a = archive_read_new();
    got_t *got = NULL;
    size_t ngot = 0, gcap = 0;
    char *man = NULL;
    size_t manlen = 0;
    bool staged = false, have_db = false;
    int rc = MH_ERR;
    if (!mkdtemp(stage)) {
        snprintf(err, errsize, "%s: cannot make a directory next to it: %s", dir, strerror(errno));
        goto done;
    }
    staged = true;
    archive_read_support_format_tar(a);
    if (archive_read_open_filename(a, archive, CHUNK) != ARCHIVE_OK) {
        snprintf(err, errsize, "%s: %s", archive, archive_error_string(a));
        goto done;
    }
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK) {
            snprintf(err, errsize, "%s is damaged: %s", archive, archive_error_string(a));
            goto done;
        }
        const char *name = archive_entry_pathname(e);
        if (!name || archive_entry_filetype(e) != AE_IFREG || !name_ok(name)) {
            snprintf(err, errsize, "%s: unexpected entry '%s'", archive, name ? name : "?");
            goto done;
        }
        bool is_man = strcmp(name, MANIFEST) == 0;
        if (is_man && man) {
            snprintf(err, errsize, "%s: two manifests", archive);
            goto done;
        }
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", stage, name);
        int fd = -1;
        if (!is_man) {
            if (mkdirs(stage, name) != MH_OK ||
                (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
                snprintf(err, errsize, "%s: '%s' cannot be written (twice in the archive?)",
                         archive, name);
                goto done;
            }
        } else if (archive_entry_size(e) > (la_int64_t)1 << 30) {
            snprintf(err, errsize, "%s: the manifest is too large", archive);
            goto done;
        }
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        for (;;) {
            const void *buf;
            size_t len;
            la_int64_t off;
            r = archive_read_data_block(a, &buf, &len, &off);
            if (r == ARCHIVE_EOF)
                break;
            if (r != ARCHIVE_OK) {
                snprintf(err, errsize, "%s is damaged: %s", archive, archive_error_string(a));
                if (fd >= 0)
                    close(fd);
                goto done;
            }
            if (is_man) {
                char *nm = realloc(man, manlen + len + 1);
                if (!nm)
                    abort();
                man = nm;
                memcpy(man + manlen, buf, len);
                manlen += len;
                continue;
            }
            crypto_hash_sha256_update(&h, buf, len);
            if (write(fd, buf, len) != (ssize_t)len) {
                snprintf(err, errsize, "%s: %s", path, strerror(errno));
                close(fd);
                goto done;
            }
            st->bytes += len;
        }
        if (is_man) {
            if (!man)
                man = calloc(1, 1);
            continue;
        }
        if (close(fd) != 0) {
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
            goto done;
        }
        if (ngot == gcap) {
            gcap = gcap ? gcap * 2 : 256;
            got_t *ng = realloc(got, gcap * sizeof(*got));
            if (!ng)
                abort();
            got = ng;
        }
        unsigned char sum[32];
        crypto_hash_sha256_final(&h, sum);
        got[ngot].path = strdup(name);
        got[ngot].listed = false;
        hex(sum, got[ngot].hex);
        ngot++;
        st->files++;
        have_db |= strcmp(name, DB_NAME) == 0;
    }
    if (!man) {
        snprintf(err, errsize, "%s: no %s (not a masthead backup, or cut short)", archive,
                 MANIFEST);
        goto done;
    }
    if (!have_db) {
        snprintf(err, errsize, "%s: no %s", archive, DB_NAME);
        goto done;
    }
    if (check_manifest(man, manlen, got, ngot, err, errsize) != MH_OK)
        goto done;
    char dbp[8192];
    snprintf(dbp, sizeof(dbp), "%s/%s", stage, DB_NAME);
    char why[512];
    if (check_db(dbp, why, sizeof(why)) != MH_OK) {
        snprintf(err, errsize, "%s: %s", archive, why);
        goto done;
    }
    char mdir[8192];
    snprintf(mdir, sizeof(mdir), "%s/media", stage);
    if (mkdir(mdir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "%s: %s", mdir, strerror(errno));
        goto done;
    }
    /* into place: the old site moved aside first, removed once the new one
     * is there */
    if (exists && !empty && rename(dir, old) != 0) {
        snprintf(err, errsize, "%s: cannot move it aside: %s", dir, strerror(errno));
        goto done;
    }
    if (exists && empty)
        rmdir(dir);
    if (rename(stage, dir) != 0) {
        snprintf(err, errsize, "%s: %s", dir, strerror(errno));
        if (exists && !empty)
            rename(old, dir);
        goto done;
    }
    staged = false;
    if (exists && !empty)
        rm_tree(old);
    rc = MH_OK;
done:
    archive_read_free(a);
    if (staged)
        rm_tree(stage);
    for (size_t i = 0; i < ngot; i++)
        free(got[i].path);
    free(got);
    free(man);
    return rc;
}
