/* Store operations of the admin's editorial feature (see admin/admin.h). */
#ifndef MH_STORE_EDITORIAL_H
#define MH_STORE_EDITORIAL_H

#include "store.h"

struct mh_store_editorial_ops {
    /* placeholder until the feature's operations land */
    int reserved;
};

#endif
