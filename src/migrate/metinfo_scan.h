/* A read-only look at MetInfo dumps: what `masthead import metinfo
 * --dry-run` prints before anything is imported. Reads the dump files with
 * the sqldump reader, detects the table prefix and the languages, counts
 * rows per table and draws met_column's tree with the masthead type each
 * MetInfo module number becomes. */
#ifndef MH_MIGRATE_METINFO_SCAN_H
#define MH_MIGRATE_METINFO_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/common.h"

/* MetInfo 7's module numbers (met_column.module). */
typedef struct {
    int module;           /* 1 */
    const char *metinfo;  /* "about": MetInfo's folder/module name */
    const char *masthead; /* "page": the masthead content type, or NULL when
                             the column is not imported as a column */
    const char *note;     /* why not, or how, for the summary */
} mh_metinfo_module_t;

/* The row for a module number, or NULL for a number MetInfo 7 does not use. */
const mh_metinfo_module_t *mh_metinfo_module(long module);

typedef struct {
    FILE *out;     /* the summary (stdout) */
    FILE *status;  /* progress (stderr); NULL: none */
    bool progress; /* a redrawn bar (a terminal) rather than one line per file */
} mh_metinfo_scan_opts_t;

/* Read the dumps in order and print the summary to opts->out. MH_OK, or
 * MH_ERR with "file:line: ..." in err (nothing printed to out then). */
int mh_metinfo_scan(const char *const *files, size_t nfiles, const mh_metinfo_scan_opts_t *opts,
                    char *err, size_t errlen);

#endif
