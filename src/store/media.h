/* Store operations of the admin's media feature (see admin/admin.h). */
#ifndef MH_STORE_MEDIA_H
#define MH_STORE_MEDIA_H

#include "store.h"

struct mh_store_media_ops {
    /* placeholder until the feature's operations land */
    int reserved;
};

#endif
