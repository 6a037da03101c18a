/* `masthead import wxr DIR FILE --dry-run`: read a WordPress export, run
 * every conversion the importer will run, and print what would be
 * imported. Nothing is written anywhere. */
#ifndef MH_MIGRATE_WXR_DRYRUN_H
#define MH_MIGRATE_WXR_DRYRUN_H
#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *file;  /* the WXR file */
    bool comments;     /* false: --no-comments */
    bool progress_tty; /* draw a progress bar on stderr (else plain lines) */
} mh_wxr_dryrun_opts_t;

/* Print the summary to out. Returns MH_OK, or MH_ERR with "FILE:LINE:
 * message" in err. */
int mh_wxr_dry_run(const mh_wxr_dryrun_opts_t *o, FILE *out, char *err, size_t errsize);

#endif
