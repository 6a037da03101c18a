/* The JSON API under /api/v1/ (docs/api.md, docs/api/openapi.json): the
 * public read API — languages, the column tree, a column's entries
 * (paginated, one field filter), an entry by id or by URL path, search —
 * answered with ETags from the content generation (304 on revalidation)
 * and CORS headers as the api_cors_origins setting says. */
#ifndef MH_API_API_H
#define MH_API_API_H

#include "../http/server.h"

extern const mh_server_module_t mh_api_module;

#endif
