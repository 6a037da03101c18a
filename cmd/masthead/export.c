/* `masthead export static DIR OUT [--host NAME] [--theme DIR]`: the public
 * site as files (src/export/static.h, docs/export.md). A progress line on a
 * terminal, a summary at the end. */
#include "export.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../src/core/common.h"
#include "../../src/export/static.h"

static void progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    if (done % 100 == 0 || done == total)
        fprintf(stderr, "\rexport: %lld / %lld pages", (long long)done, (long long)total);
}

int mh_cmd_export(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *host = NULL, *theme = NULL;
    if (argc < 1 || strcmp(argv[0], "static") != 0) {
        fputs("masthead: export: usage: masthead export static DIR OUT [--host NAME] "
              "[--theme DIR]\n",
              stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--host") == 0 || strcmp(argv[i], "--theme") == 0) && i + 1 < argc) {
            if (argv[i][2] == 'h')
                host = argv[++i];
            else
                theme = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "masthead: export static: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!dir) {
            dir = argv[i];
        } else if (!out) {
            out = argv[i];
        } else {
            fprintf(stderr, "masthead: export static: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    struct stat sb;
    if (!dir || !out) {
        fputs("masthead: export static: needs DIR and OUT\n", stderr);
        return 2;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "masthead: export static: %s is not a site folder\n", dir);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mh_export_stats_t st;
    char err[1024];
    bool tty = isatty(2) != 0;
    int rc =
        mh_export_static(dir, theme, out, host, tty ? progress : NULL, NULL, &st, err, sizeof(err));
    if (tty)
        fputc('\n', stderr);
    if (rc != MH_OK) {
        fprintf(stderr, "masthead: export static: %s\n", err);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("exported %lld pages to %s in %.2f s: %lld files written, %lld unchanged, %lld "
           "removed, %lld failed\n",
           (long long)st.pages, out, secs, (long long)st.written, (long long)st.unchanged,
           (long long)st.removed, (long long)st.failed);
    return st.failed ? 1 : 0;
}
