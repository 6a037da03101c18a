/* SQLite implementation of store/media.h. */
#include "media.h"
#include "sqlite_ext.h"

const struct mh_store_media_ops mh_store_sqlite_media = {
    .reserved = 0,
};
