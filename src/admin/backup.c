/* The administrator's backup page: GET shows what a backup holds and a
 * button; POST (CSRF-checked, audited) makes a backup and sends it as a
 * download. The archive is written to a file in the site directory that is
 * unlinked at once (so it is never reachable by a path, public or not, and
 * disappears with the response), then streamed from its descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../migrate/backup.h"
#include "accounts_internal.h"

typedef struct {
    int fd;
} stream_t;

static long read_chunk(void *state, uint64_t pos, char *buf, size_t max)
{
    stream_t *s = state;
    ssize_t r = pread(s->fd, buf, max, (off_t)pos);
    if (r < 0)
        return errno == EINTR ? 0 : MH_STREAM_ERROR;
    return r == 0 ? MH_STREAM_END : (long)r;
}

static void stream_free(void *state)
{
    stream_t *s = state;
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

/* The site directory: the parent of the media directory. */
static const char *site_dir(mh_admin_t *a, mh_pool_t *p)
{
    const char *m = mh_admin_media_dir(a);
    size_t n = strlen(m);
    if (n > 6 && strcmp(m + n - 6, "/media") == 0)
        return mh_pstrndup(p, m, n - 6);
    return ".";
}

static int send_backup(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = req->pool;
    const char *dir = site_dir(a, p);
    char *tmp = mh_psprintf(p, "%s/.backup-download-XXXXXX", dir);
    char err[1024];
    mh_backup_stats_t st;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        mh_admin_audit(a, req, "site.backup.fail", "", strerror(errno));
        return MH_ERR;
    }
    unlink(tmp); /* the descriptor keeps the data until the response ends */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mh_backup_write_fd(dir, fd, &st, err, sizeof(err)) != MH_OK) {
        close(fd);
        mh_admin_audit(a, req, "site.backup.fail", "", err);
        return MH_ERR;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    off_t size = lseek(fd, 0, SEEK_END);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    mh_admin_audit(a, req, "site.backup", "",
                   mh_psprintf(p, "%lld files, %lld bytes, %.2f s", (long long)st.files,
                               (long long)size, secs));
    char day[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y%m%d-%H%M%S", &tm);
    stream_t *s = malloc(sizeof(*s));
    if (!s) {
        close(fd);
        return MH_ERR;
    }
    s->fd = fd;
    resp->status = 200;
    resp->content_type = "application/x-tar";
    resp->cache_control = "no-store";
    mh_resp_header(resp, "Content-Disposition",
                   mh_psprintf(p, "attachment; filename=\"masthead-backup-%s.tar\"", day));
    mh_resp_header(resp, "X-Content-Type-Options", "nosniff");
    mh_resp_stream(resp, read_chunk, stream_free, s);
    return MH_OK;
}

int mh_admin_h_backup(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    if (req->method == MH_M_POST)
        return send_backup(a, req, resp);
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    const char *title = mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), "backup.title");
    return mh_admin_render(a, req, resp, 200, "backup", title ? title : "backup.title", ctx) ==
                   MH_OK
               ? MH_OK
               : MH_ERR;
}
