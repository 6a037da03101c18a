/* The editorial feature: placeholder until its routes land. */
#include "admin.h"

size_t mh_admin_editorial_routes(mh_admin_t *a, const mh_route_t **out)
{
    *out = NULL;
    return 0;
}

int mh_admin_editorial_open(mh_admin_t *a, char *err, size_t errlen)
{
    return MH_OK;
}

void mh_admin_editorial_close(mh_admin_t *a) {}

void mh_admin_editorial_tick(mh_admin_t *a) {}
