/* Store operations of public submissions (model/submissions.h). Same rules
 * as store.h; a submission and its values and file are inserted in the
 * caller's transaction. */
#ifndef MH_STORE_SUBMISSIONS_H
#define MH_STORE_SUBMISSIONS_H

#include "../model/submissions.h"
#include "store.h"

struct mh_store_submission_ops {
    /* Insert in (id, updated_at ignored), its values and, when data is not
     * NULL, its file (in->file_name, in->file_mime, len bytes). */
    int (*insert)(mh_store_t *s, const mh_submission_t *in, const void *data, size_t len,
                  int64_t *id);
    /* One submission with its values (file metadata only); MH_DECLINED. */
    int (*get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_submission_t *out);
    /* Newest first (or oldest first); values are not loaded. */
    int (*list)(mh_store_t *s, mh_pool_t *p, const mh_submission_filter_t *f, mh_submission_t **out,
                size_t *n, int64_t *total);
    /* The values of one submission. */
    int (*values)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_field_value_t **out, size_t *n);
    /* Set status, notes, reply (+replied_at): each only when not NULL. */
    int (*update)(mh_store_t *s, int64_t id, const char *status, const char *notes,
                  const char *reply, int64_t replied_at, int64_t now);
    int (*remove)(mh_store_t *s, int64_t id);
    /* The file's bytes in the pool; MH_DECLINED when there is none. */
    int (*file)(mh_store_t *s, mh_pool_t *p, int64_t id, const char **name, const char **mime,
                const void **data, size_t *len);
};

extern const struct mh_store_submission_ops mh_store_sqlite_submissions;

#endif
