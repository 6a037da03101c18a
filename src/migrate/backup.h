/* Backup and restore of a site directory: `masthead backup DIR OUT.tar`,
 * `masthead restore OUT.tar DIR [--force]`, and the admin's download.
 *
 * The archive is a plain tar (pax) that any tar reads:
 *   site.db           a consistent snapshot of the database (VACUUM INTO,
 *                     taken in one read transaction, so the site keeps
 *                     serving and writing while it runs)
 *   media/...         the media library's files
 *   MANIFEST.sha256   one "<sha256 hex>  <path>" line per file above, in
 *                     sha256sum's format (`sha256sum -c` checks it)
 * Stored media files are never rewritten in place, so copying them after
 * the snapshot is safe; a file deleted between the snapshot and its copy
 * is left out and counted (stats.vanished).
 *
 * Restore refuses an archive whose files and manifest disagree (a missing,
 * extra or altered file, a truncated tar), whose database fails PRAGMA
 * integrity_check or is no masthead site, and any path that is not one of
 * the above (absolute, "..", links, devices). It unpacks into a new
 * directory next to DIR and renames it into place only when everything
 * checked out, so a refused restore changes nothing. An existing site (a
 * non-empty DIR) is replaced only with force. */
#ifndef MH_MIGRATE_BACKUP_H
#define MH_MIGRATE_BACKUP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t files;    /* files in the archive, the database included */
    uint64_t bytes;   /* bytes of file data (before tar's headers) */
    int64_t vanished; /* media files deleted while the backup ran */
} mh_backup_stats_t;

/* Write a backup of the site in dir as a tar to the open descriptor fd (a
 * file, a pipe or a socket: written strictly in order). Temporary files go
 * to dir (never under dir/media). MH_OK or MH_ERR with err. */
int mh_backup_write_fd(const char *dir, int fd, mh_backup_stats_t *st, char *err, size_t errsize);

/* The same into the file out, written as out.tmp-XXXXXX and renamed into
 * place when complete (an existing out is replaced). */
int mh_backup_file(const char *dir, const char *out, mh_backup_stats_t *st, char *err,
                   size_t errsize);

/* Check archive and unpack it as the site dir (see above). MH_OK, or
 * MH_ERR with err (nothing changed), MH_DECLINED when dir holds something
 * and force is false. */
int mh_restore(const char *archive, const char *dir, bool force, mh_backup_stats_t *st, char *err,
               size_t errsize);

#endif
