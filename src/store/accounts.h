/* Store operations of the admin's accounts feature (see admin/admin.h). */
#ifndef MH_STORE_ACCOUNTS_H
#define MH_STORE_ACCOUNTS_H

#include "store.h"

struct mh_store_account_ops {
    /* placeholder until the feature's operations land */
    int reserved;
};

#endif
