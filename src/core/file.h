/* Small file helpers. */
#ifndef MH_CORE_FILE_H
#define MH_CORE_FILE_H

#include <stddef.h>

/* Read a whole regular file (at most max bytes) into malloc'd memory with a
 * trailing NUL. Returns MH_OK, MH_TOOBIG or MH_ERR (errno set). */
int mh_file_read(const char *path, size_t max, char **out, size_t *len);
/* Write atomically: a temp file in the same directory, fsync, rename. */
int mh_file_write_atomic(const char *path, const void *data, size_t len, int mode);

#endif
