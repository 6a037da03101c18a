#include "tmpl_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/file.h"
#include "tmpl.h"

enum {
    MAX_SRC = 16 << 20,  /* template, partial and data files */
    MAX_OUT = 256 << 20, /* rendered output */
};

typedef struct {
    const char *dir;
    int dirfd;
    char msg[512]; /* why a partial could not be loaded */
} loader_t;

static void seterr(char *err, size_t errlen, const char *fmt, ...) MH_PRINTF(3, 4);
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static bool safe_name(const char *name)
{
    return *name && !strchr(name, '/') && !strchr(name, '\\') && !strstr(name, "..");
}

/* openat() on the directory with O_NOFOLLOW: the name has no '/', so the
 * file cannot be anywhere but directly inside the directory. */
static int load(void *data, const char *name, char **src, size_t *len)
{
    loader_t *l = data;
    char file[512];
    if (!safe_name(name)) {
        seterr(l->msg, sizeof(l->msg), "partial name '%s' refused: it must not contain '/' or '..'",
               name);
        return MH_ERR;
    }
    if ((size_t)snprintf(file, sizeof(file), "%s.mustache", name) >= sizeof(file))
        return MH_DECLINED;
    int fd = openat(l->dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return MH_DECLINED;
        seterr(l->msg, sizeof(l->msg), "%s/%s: %s", l->dir, file, strerror(errno));
        return MH_ERR;
    }
    int rc = MH_ERR;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SRC) {
        seterr(l->msg, sizeof(l->msg), "%s/%s: not a regular file of at most %d bytes", l->dir,
               file, MAX_SRC);
        goto cleanup;
    }
    size_t n = (size_t)st.st_size, got = 0;
    buf = mh_malloc(n + 1);
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            seterr(l->msg, sizeof(l->msg), "%s/%s: %s", l->dir, file, strerror(errno));
            goto cleanup;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *src = buf;
    *len = got;
    buf = NULL;
    rc = MH_OK;
cleanup:
    free(buf);
    close(fd);
    return rc;
}

static int read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    int r = mh_file_read(path, MAX_SRC, out, len);
    if (r == MH_TOOBIG)
        seterr(err, errlen, "%s: file larger than %d bytes", path, MAX_SRC);
    else if (r != MH_OK)
        seterr(err, errlen, "%s: %s", path, strerror(errno));
    return r == MH_OK ? MH_OK : MH_ERR;
}

int mh_tmpl_render_files(const char *template_path, const char *data_path, const char *partials_dir,
                         FILE *out, char *err, size_t errlen)
{
    int rc = MH_ERR;
    char *tsrc = NULL, *dsrc = NULL;
    size_t tlen = 0, dlen = 0;
    char jerr[256];
    mh_pool_t *pool = mh_pool_create();
    mh_tmpl_set_t *set = mh_tmpl_set_new();
    mh_buf_t buf;
    mh_buf_init(&buf, MAX_OUT);
    loader_t ld = {.dir = partials_dir, .dirfd = -1};

    if (read_file(template_path, &tsrc, &tlen, err, errlen) != MH_OK ||
        read_file(data_path, &dsrc, &dlen, err, errlen) != MH_OK)
        goto cleanup;
    mh_val_t *ctx = mh_val_from_json(pool, dsrc, dlen, jerr, sizeof(jerr));
    if (!ctx) {
        seterr(err, errlen, "%s: bad JSON: %s", data_path, jerr);
        goto cleanup;
    }
    if (mh_tmpl_add(set, template_path, tsrc, tlen, err, errlen) != MH_OK)
        goto cleanup;
    if (partials_dir) {
        ld.dirfd = open(partials_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (ld.dirfd < 0) {
            seterr(err, errlen, "%s: %s", partials_dir, strerror(errno));
            goto cleanup;
        }
        mh_tmpl_set_loader(set, load, &ld);
    }
    int r = mh_tmpl_render(set, template_path, pool, ctx, 0, &buf, err, errlen);
    if (r != MH_OK) {
        if (ld.msg[0])
            seterr(err, errlen, "%s", ld.msg);
        goto cleanup;
    }
    if (buf.len && fwrite(buf.base, 1, buf.len, out) != buf.len) {
        seterr(err, errlen, "write error: %s", strerror(errno));
        goto cleanup;
    }
    if (fflush(out) != 0) {
        seterr(err, errlen, "write error: %s", strerror(errno));
        goto cleanup;
    }
    rc = MH_OK;
cleanup:
    if (ld.dirfd >= 0)
        close(ld.dirfd);
    free(tsrc);
    free(dsrc);
    mh_buf_free(&buf);
    mh_tmpl_set_free(set);
    mh_pool_destroy(pool);
    return rc;
}

int mh_tmpl_load_dir(mh_tmpl_set_t *set, const char *dir, const char *const *required,
                     size_t nrequired, char *err, size_t errlen)
{
    size_t n = 0;
    char **names = mh_dir_list(dir, ".mustache", &n);
    int rc = MH_ERR;
    if (!names) {
        seterr(err, errlen, "%s: %s", dir, strerror(errno));
        return MH_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        char path[4096], name[256];
        size_t stem = strlen(names[i]) - strlen(".mustache");
        if (stem >= sizeof(name) ||
            (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path))
            continue;
        memcpy(name, names[i], stem);
        name[stem] = '\0';
        char *src = NULL;
        size_t len = 0;
        if (mh_file_read(path, MAX_SRC, &src, &len) != MH_OK) {
            seterr(err, errlen, "%s: cannot read", path);
            goto done;
        }
        int r = mh_tmpl_add(set, name, src, len, err, errlen);
        free(src);
        if (r != MH_OK)
            goto done;
    }
    for (size_t i = 0; i < nrequired; i++) {
        if (!mh_tmpl_has(set, required[i])) {
            seterr(err, errlen, "%s/%s.mustache is missing", dir, required[i]);
            goto done;
        }
    }
    rc = MH_OK;
done:
    mh_dir_list_free(names, n);
    return rc;
}
