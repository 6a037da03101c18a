/* The demo portal. */
#include "content.h"

int mh_content_demo_load(mh_content_t *c, char *err, size_t errlen)
{
    (void)c;
    (void)err;
    (void)errlen;
    return MH_OK;
}
