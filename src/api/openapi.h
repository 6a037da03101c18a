/* The OpenAPI 3.1 document of the API (docs/api/openapi.json), compiled in
 * by scripts/embed.sh. */
#ifndef MH_API_OPENAPI_H
#define MH_API_OPENAPI_H

#include <stddef.h>

extern const char mh_openapi_json[];
extern const size_t mh_openapi_json_len;

#endif
