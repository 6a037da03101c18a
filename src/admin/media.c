/* The media feature: placeholder until its routes land. */
#include "admin.h"

size_t mh_admin_media_routes(mh_admin_t *a, const mh_route_t **out)
{
    *out = NULL;
    return 0;
}

int mh_admin_media_open(mh_admin_t *a, char *err, size_t errlen)
{
    return MH_OK;
}

void mh_admin_media_close(mh_admin_t *a) {}
