/* libFuzzer target: the MySQL dump reader. The first byte picks the read
 * chunk size (so values straddle reads), the rest is the dump. Checks the
 * reader's promises on every row and that errors carry "file:line: ". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/sqldump.h"

static int on_table(void *ud, const char *t, const char *const *cols, size_t n)
{
    if (!t[0])
        abort();
    for (size_t i = 0; i < n; i++)
        if (!cols[i])
            abort();
    return 0;
}

static int on_row(void *ud, const char *t, const char *const *cols, size_t ncols,
                  const mh_sql_value_t *v, size_t n)
{
    if (ncols && ncols != n)
        abort();
    if ((ncols == 0) != (cols == NULL))
        abort();
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind > MH_SQL_BINARY || v[i].bytes[v[i].len] != '\0')
            abort();
        if (v[i].kind == MH_SQL_NULL && v[i].len)
            abort();
        if (v[i].len > 4096)
            abort(); /* max_value below */
    }
    (*(size_t *)ud)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t rows = 0;
    mh_sqldump_opts_t o = {.on_table = on_table,
                           .on_row = on_row,
                           .ud = &rows,
                           .chunk_size = 1 + data[0] % 17,
                           .max_value = 4096,
                           .max_row = 16384};
    mh_sqldump_t *d = mh_sqldump_new(&o);
    char err[256];
    int rc = mh_sqldump_read_mem(d, "f.sql", data + 1, size - 1, err, sizeof(err));
    if (rc != MH_OK && strncmp(err, "f.sql:", 6) != 0)
        abort();
    if (mh_sqldump_offset(d) > size - 1)
        abort();
    size_t n;
    const char *const *names = mh_sqldump_tables(d, &n);
    char prefix[64];
    mh_sqldump_metinfo_prefix(names, n, prefix, sizeof(prefix));
    mh_sqldump_free(d);
    return 0;
}
