#include "file.h"

#include <errno.h>
#include <fcntl.h>
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
