/* Static theme assets, loaded into memory at start-up. Serving from memory
 * means a request can never reach the file system: there is no path to
 * traverse and no directory to list. */
#ifndef MH_HTTP_STATIC_H
#define MH_HTTP_STATIC_H

#include <stddef.h>

#include "../core/str.h"

typedef struct mh_static mh_static_t;

typedef struct {
    const char *content_type;
    const char *etag; /* quoted */
    const char *gz_etag;
    const char *body;
    size_t len;
    const char *gz; /* NULL if not compressible or not smaller */
    size_t gz_len;
} mh_static_file_t;

/* Load every regular file under dir (symlinks and dot-files skipped, at
 * most 8 levels, 16 MiB per file, 4096 files) to be served under prefix
 * ("/assets/"). A missing dir gives an empty set. */
int mh_static_load(mh_static_t **out, const char *dir, const char *prefix);
void mh_static_free(mh_static_t *s);
/* The asset for a decoded request path, or NULL. */
const mh_static_file_t *mh_static_find(const mh_static_t *s, mh_str_t path);

struct mh_req;
struct mh_resp;
/* Answer req with f: the gzip variant when the client takes it, validators
 * for both variants, and a year of caching when the URL is versioned
 * ("?v=..."), five minutes otherwise. */
void mh_static_respond(const mh_static_file_t *f, struct mh_req *req, struct mh_resp *resp);

/* Content type for a file name by its extension (lower-case compare). */
const char *mh_mime_by_name(const char *name);
/* Whether a content type is worth compressing. */
int mh_mime_compressible(const char *content_type);

#endif
