/* SQLite implementation of store/accounts.h. */
#include "accounts.h"
#include "sqlite_ext.h"

const struct mh_store_account_ops mh_store_sqlite_accounts = {
    .reserved = 0,
};
