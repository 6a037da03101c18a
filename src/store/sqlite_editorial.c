/* SQLite implementation of store/editorial.h. */
#include "editorial.h"
#include "sqlite_ext.h"

const struct mh_store_editorial_ops mh_store_sqlite_editorial = {
    .reserved = 0,
};
