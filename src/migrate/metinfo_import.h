/* `masthead import metinfo DIR DUMP.sql... [--upload DIR] [--merge]`: a
 * MetInfo site's MySQL dumps into a masthead site, in one transaction.
 * See docs/import.md for what maps to what.
 *
 * The dumps are read twice with the sqldump reader: the first pass keeps
 * the small tables (languages, settings, the column tree, parameters) in
 * memory, the second streams the content tables into the site, so a dump
 * of any size is imported in bounded memory (plus one small record per
 * custom parameter value). Every row made is recorded in the import map
 * (content/legacy.h) under its MetInfo table and id: a second import of
 * the same dump finds them and writes nothing. The old site's URLs of
 * every imported column and entry are added to the legacy URL table. */
#ifndef MH_MIGRATE_METINFO_IMPORT_H
#define MH_MIGRATE_METINFO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/common.h"
#include "../core/pool.h"

typedef struct {
    const char *site_dir;   /* made by `masthead init` */
    const char *upload_dir; /* the old site's upload/ folder, or NULL */
    bool merge;             /* the site has content of its own: add to it */
    FILE *out;              /* the summary (stdout) */
    FILE *status;           /* progress (stderr); NULL: none */
    bool progress;          /* a redrawn bar (a terminal) rather than lines */
} mh_metinfo_import_opts_t;

/* Import the dumps. MH_OK, or MH_ERR with one line in err ("file:line:
 * what" for a bad dump, else what went wrong); nothing is written then. */
int mh_metinfo_import(const char *const *files, size_t nfiles, const mh_metinfo_import_opts_t *o,
                      char *err, size_t errlen);

/* The legacy URLs MetInfo gave an item of module (2 news ... 6 job) with
 * id in folder (its top column's folder name), lang its language code
 * and filename its static name ("" if none): up to max normalised paths
 * into out. Columns: module 0 and id the column's id, with level (1..3)
 * its classtype. Exposed for the unit tests. */
size_t mh_metinfo_legacy_paths(mh_pool_t *p, long module, const char *folder, long id,
                               const char *lang, const char *filename, int level, bool top,
                               const char **out, size_t max);

#endif
