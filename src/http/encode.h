/* Response body encodings and validators. */
#ifndef MH_HTTP_ENCODE_H
#define MH_HTTP_ENCODE_H

#include <stddef.h>

/* gzip (RFC 1952) of in at the given zlib level. Returns MH_OK with a
 * malloc'd *out, or MH_ERR. */
int mh_gzip(const void *in, size_t len, int level, char **out, size_t *out_len);
/* A strong ETag for the bytes, quoted, with an optional suffix inside the
 * quotes ("-gz" for the gzip variant). Writes at most 40 bytes into out. */
void mh_etag(const void *data, size_t len, const char *suffix, char out[40]);

#endif
