/* Legacy URLs: old paths (with the query parts that matter) of a site that
 * was imported, mapped to what now lives there (content/legacy.h). */
#ifndef MH_MODEL_LEGACY_H
#define MH_MODEL_LEGACY_H

#include <stdint.h>

/* What an old path leads to. */
#define MH_LEGACY_ENTRY "entry"
#define MH_LEGACY_COLUMN "column"
#define MH_LEGACY_URL "url" /* a fixed target path or URL */

typedef struct {
    int64_t id;
    const char *path;        /* normalised: "/news/shownews.php?id=12", "/news/12.html" */
    const char *target_kind; /* MH_LEGACY_* */
    int64_t target_id;       /* entry or column id; 0 for MH_LEGACY_URL */
    const char *target_url;  /* MH_LEGACY_URL: "/about/" or "https://..." */
    const char *source;      /* "metinfo" (an import) or "admin" */
    int64_t created_at;
} mh_legacy_url_t;

#endif
