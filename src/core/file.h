/* Small file helpers. */
#ifndef MH_CORE_FILE_H
#define MH_CORE_FILE_H

#include <stddef.h>

/* Read a whole regular file (at most max bytes) into malloc'd memory with a
 * trailing NUL. Returns MH_OK, MH_TOOBIG or MH_ERR (errno set). */
int mh_file_read(const char *path, size_t max, char **out, size_t *len);
/* Write atomically: a temp file in the same directory, fsync, rename. */
int mh_file_write_atomic(const char *path, const void *data, size_t len, int mode);

/* Where the program's data directory rel (e.g. "themes/default") is: next
 * to the binary (BIN/../rel, for a build or an install tree) if that
 * exists, else in the source tree it was built from (MH_DATADIR/rel).
 * Writes into buf and returns it. */
const char *mh_data_path(const char *rel, char *buf, size_t n);

/* Names of the regular files in dir (symbolic links followed) ending in
 * suffix ("" for all), dot-files skipped, sorted; NULL with errno set when
 * dir cannot be opened. Free with mh_dir_list_free. */
char **mh_dir_list(const char *dir, const char *suffix, size_t *n);
void mh_dir_list_free(char **names, size_t n);

#endif
