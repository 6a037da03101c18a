#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int mh_file_read(const char *path, size_t max, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return MH_ERR;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (errno == 0 || S_ISDIR(st.st_mode))
            errno = EISDIR;
        close(fd);
        return MH_ERR;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        return MH_TOOBIG;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *data = mh_malloc(n + 1);
    while (got < n) {
        ssize_t r = read(fd, data + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    data[got] = '\0';
    *out = data;
    *len = got;
    return MH_OK;
}

int mh_file_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    size_t pl = strlen(path);
    char *tmp = mh_malloc(pl + 16);
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmpXXXXXX", 11);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return MH_ERR;
    }
    const char *p = data;
    size_t off = 0;
    int rc = MH_OK;
    while (off < len) {
        ssize_t w = write(fd, p + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = MH_ERR;
            break;
        }
        off += (size_t)w;
    }
    if (rc == MH_OK && (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0))
        rc = MH_ERR;
    close(fd);
    if (rc == MH_OK && rename(tmp, path) != 0)
        rc = MH_ERR;
    if (rc != MH_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **mh_dir_list(const char *dir, const char *suffix, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 16, sl = strlen(suffix), dl = strlen(dir);
    char **names = mh_malloc(cap * sizeof(*names));
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.' || nl <= sl || strcmp(de->d_name + nl - sl, suffix) != 0)
            continue;
        char *full = mh_malloc(dl + nl + 2);
        memcpy(full, dir, dl);
        full[dl] = '/';
        memcpy(full + dl + 1, de->d_name, nl + 1);
        struct stat st;
        bool reg = stat(full, &st) == 0 && S_ISREG(st.st_mode);
        free(full);
        if (!reg)
            continue;
        if (*n == cap) {
            cap *= 2;
            names = mh_realloc(names, cap * sizeof(*names));
        }
        names[(*n)++] = mh_strndup(de->d_name, nl);
    }
    closedir(d);
    qsort(names, *n, sizeof(*names), cmp_names);
    return names;
}

void mh_dir_list_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

const char *mh_data_path(const char *rel, char *buf, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        struct stat st;
        if (slash) {
            *slash = '\0';
            snprintf(buf, n, "%s/../%s", exe, rel);
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, n, "%s/%s", MH_DATADIR, rel);
    return buf;
}
