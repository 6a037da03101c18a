/* A streaming reader of MySQL dump text: the statements mysqldump writes and
 * the ones MetInfo's own backup volumes write. No server: the text is read
 * in chunks and handed over as tables (CREATE TABLE, its column names in
 * order) and rows (one INSERT/REPLACE row at a time, its values decoded).
 *
 * One reader reads several files in sequence and remembers the tables it
 * has seen, so a schema file's CREATE TABLE gives the column names to a
 * later file's INSERT without a column list.
 *
 * Memory is bounded: the read buffer (chunk_size), one row's values (each
 * at most max_value bytes, all together at most max_row), identifiers of
 * at most 256 bytes and at most 4096 columns per table.
 *
 * Errors are one line, "file:line: what", e.g.
 *   dump.sql:12: expected ',' or ')' after a value, found 'x'
 *   dump.sql:40: unterminated string starting at line 38
 *   dump.sql:41: unexpected end of file inside INSERT for table met_news
 * Whatever was handed to the callbacks before an error stays handed: the
 * caller decides what to do with it (e.g. roll back its transaction).
 * See docs/internals/sqldump.md for the forms read. */
#ifndef MH_MIGRATE_SQLDUMP_H
#define MH_MIGRATE_SQLDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/common.h"

typedef enum {
    MH_SQL_NULL = 0,   /* NULL */
    MH_SQL_NUMBER = 1, /* 12, -3.5, 1e3, TRUE/FALSE (as "1"/"0"): the text as written */
    MH_SQL_STRING = 2, /* '...' or "..." (escapes decoded), _utf8mb4'...', N'...' */
    MH_SQL_BINARY = 3, /* _binary'...', 0x..., X'...', b'...', 0b...: the bytes */
} mh_sql_kind_t;

typedef struct {
    mh_sql_kind_t kind;
    const char *bytes; /* valid during the on_row call; bytes[len] is '\0' */
    size_t len;        /* may contain NUL bytes */
} mh_sql_value_t;

/* Callbacks return 0 to go on, anything else to stop the reader (which
 * then returns MH_ERR with "file:line: stopped at table T"). */
typedef struct {
    /* A table: at each CREATE TABLE (columns in order; a table created again
     * replaces its columns), and at the first INSERT into a table no CREATE
     * TABLE named (its column list, or no columns). */
    int (*on_table)(void *ud, const char *table, const char *const *columns, size_t ncolumns);
    /* A row. columns are the INSERT's column list, else the table's CREATE
     * TABLE columns, else NULL with ncolumns 0; when there are columns,
     * nvalues == ncolumns (a different count is an error). */
    int (*on_row)(void *ud, const char *table, const char *const *columns, size_t ncolumns,
                  const mh_sql_value_t *values, size_t nvalues);
    void *ud;
    size_t chunk_size; /* bytes per read(); 0 = 64 KiB (tests use 1) */
    size_t max_value;  /* one value's decoded bytes; 0 = 64 MiB */
    size_t max_row;    /* one row's values together; 0 = 256 MiB */
} mh_sqldump_opts_t;

typedef struct mh_sqldump mh_sqldump_t;

/* A reader with these options (copied). */
mh_sqldump_t *mh_sqldump_new(const mh_sqldump_opts_t *opts);
void mh_sqldump_free(mh_sqldump_t *d);

/* Read a whole file (or "-" for stdin). MH_OK, or MH_ERR with the message in
 * err ("path:line: ..."). A file may start with a UTF-8 BOM. */
int mh_sqldump_read_file(mh_sqldump_t *d, const char *path, char *err, size_t errlen);
/* The same for bytes in memory; name is used in messages. */
int mh_sqldump_read_mem(mh_sqldump_t *d, const char *name, const void *data, size_t len, char *err,
                        size_t errlen);

/* Bytes of the current file consumed so far (for a progress bar, from a
 * callback) and the current line. */
uint64_t mh_sqldump_offset(const mh_sqldump_t *d);
unsigned long mh_sqldump_line(const mh_sqldump_t *d);

/* The tables seen so far, in the order first seen (valid until the next
 * read or free). */
const char *const *mh_sqldump_tables(const mh_sqldump_t *d, size_t *n);

/* MetInfo's table prefix ("met_") among table names: the prefix that most
 * names share before one of MetInfo's table names (column, news, config,
 * product, lang, ...). Needs at least two such names. MH_OK with the prefix
 * in out (may be ""), MH_DECLINED when none, MH_TOOBIG if out is short. */
int mh_sqldump_metinfo_prefix(const char *const *names, size_t n, char *out, size_t outlen);

#endif
