/* Public submissions on top of the store's ops. The checks every caller
 * needs (statuses per kind, lengths, the CV's real type, how much of an
 * address is kept) live here so the public forms and the admin agree. */
#include "submissions.h"

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "../store/store.h"
#include "../store/submissions.h"
#include "notify.h"

static const struct mh_store_submission_ops *sops(mh_content_t *c)
{
    return mh_content_store(c)->ops->submissions;
}

bool mh_submission_status_valid(const char *kind, const char *status)
{
    static const char *const inbox[] = {"unread", "read", "handled"};
    static const char *const book[] = {"pending", "approved", "rejected"};
    if (!kind || !status)
        return false;
    bool gb = strcmp(kind, MH_SUB_GUESTBOOK) == 0;
    const char *const *set = gb ? book : inbox;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(set[i], status) == 0)
            return true;
    return false;
}

static bool kind_valid(const char *k)
{
    return k && (strcmp(k, MH_SUB_FEEDBACK) == 0 || strcmp(k, MH_SUB_GUESTBOOK) == 0 ||
                 strcmp(k, MH_SUB_APPLICATION) == 0);
}

int mh_submission_create(mh_content_t *c, mh_submission_t *in, const mh_submission_file_t *file,
                         int64_t *id)
{
    int64_t nid = 0;
    if (!kind_valid(in->kind) || !in->column_id || !in->lang_id)
        return MH_ERR;
    if (!in->status || !*in->status)
        in->status = strcmp(in->kind, MH_SUB_GUESTBOOK) == 0 ? "pending" : "unread";
    if (!mh_submission_status_valid(in->kind, in->status))
        return MH_ERR;
    if ((in->name && strlen(in->name) > MH_SUB_NAME_MAX) ||
        (in->contact && strlen(in->contact) > MH_SUB_CONTACT_MAX) ||
        (in->message && strlen(in->message) > MH_SUB_MESSAGE_MAX))
        return MH_DECLINED;
    if (!in->created_at)
        in->created_at = (int64_t)time(NULL);
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    rc = sops(c)->insert(mh_content_store(c), in, file ? file->data : NULL, file ? file->len : 0,
                         &nid);
    rc = mh_content_tx_end(c, rc);
    if (rc != MH_OK)
        return rc;
    in->id = nid;
    if (id)
        *id = nid;
    /* after the commit: a queued mail must not name a row that was rolled back */
    mh_notify_submission(c, in);
    return MH_OK;
}

int mh_submission_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_submission_t *out)
{
    return sops(c)->get(mh_content_store(c), p, id, out);
}

int mh_submission_list(mh_content_t *c, mh_pool_t *p, const mh_submission_filter_t *f,
                       mh_submission_t **out, size_t *n, int64_t *total)
{
    return sops(c)->list(mh_content_store(c), p, f, out, n, total);
}

int mh_submission_values(mh_content_t *c, mh_pool_t *p, int64_t id, mh_field_value_t **out,
                         size_t *n)
{
    return sops(c)->values(mh_content_store(c), p, id, out, n);
}

static int update(mh_content_t *c, int64_t id, const char *status, const char *notes,
                  const char *reply)
{
    int64_t now = (int64_t)time(NULL);
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    rc = sops(c)->update(mh_content_store(c), id, status, notes, reply, reply && *reply ? now : 0,
                         now);
    return mh_content_tx_end(c, rc);
}

int mh_submission_set_status(mh_content_t *c, int64_t id, const char *status)
{
    mh_pool_t *p = mh_pool_create();
    mh_submission_t s;
    int rc = mh_submission_get(c, p, id, &s);
    if (rc == MH_OK && !mh_submission_status_valid(s.kind, status))
        rc = MH_DECLINED;
    if (rc == MH_OK && strcmp(s.status, status) != 0)
        rc = update(c, id, status, NULL, NULL);
    mh_pool_destroy(p);
    return rc;
}

int mh_submission_set_notes(mh_content_t *c, int64_t id, const char *notes)
{
    if (!notes || strlen(notes) > MH_SUB_NOTES_MAX)
        return MH_DECLINED;
    return update(c, id, NULL, notes, NULL);
}

int mh_submission_set_reply(mh_content_t *c, int64_t id, const char *reply)
{
    if (!reply || strlen(reply) > MH_SUB_REPLY_MAX)
        return MH_DECLINED;
    return update(c, id, NULL, NULL, reply);
}

int mh_submission_delete(mh_content_t *c, int64_t id)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return mh_content_tx_end(c, sops(c)->remove(mh_content_store(c), id));
}

int mh_submission_file(mh_content_t *c, mh_pool_t *p, int64_t id, const char **name,
                       const char **mime, const void **data, size_t *len)
{
    return sops(c)->file(mh_content_store(c), p, id, name, mime, data, len);
}

const char *mh_submission_ip(mh_pool_t *p, const char *ip)
{
    unsigned char b[16];
    char out[INET6_ADDRSTRLEN];
    if (!ip)
        return "";
    if (inet_pton(AF_INET, ip, b) == 1) {
        b[3] = 0;
        if (inet_ntop(AF_INET, b, out, sizeof(out)))
            return mh_pstrdup(p, out);
    } else if (inet_pton(AF_INET6, ip, b) == 1) {
        memset(b + 6, 0, 10);
        if (inet_ntop(AF_INET6, b, out, sizeof(out)))
            return mh_pstrdup(p, out);
    }
    return "";
}

/* Does the zip in d name an entry under word/ (a Word document, not any
 * zip)? The local file headers carry the names, so scanning for one is
 * enough without unpacking anything. */
static bool zip_has_word(const unsigned char *d, size_t len)
{
    static const char needle[] = "word/";
    for (size_t i = 0; i + 30 + 5 <= len; i++) {
        if (d[i] != 'P' || d[i + 1] != 'K' || d[i + 2] != 3 || d[i + 3] != 4)
            continue;
        size_t nlen = (size_t)d[i + 26] | ((size_t)d[i + 27] << 8);
        if (i + 30 + nlen <= len && nlen >= 5 && memcmp(d + i + 30, needle, 5) == 0)
            return true;
    }
    return false;
}

int mh_submission_sniff_cv(const void *data, size_t len, const char **mime, const char **ext)
{
    const unsigned char *d = data;
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 5 && memcmp(d, "%PDF-", 5) == 0) {
        *mime = "application/pdf";
        *ext = "pdf";
        return MH_OK;
    }
    if (len >= 512 && memcmp(d, ole, 8) == 0) {
        *mime = "application/msword";
        *ext = "doc";
        return MH_OK;
    }
    if (len >= 30 && memcmp(d, "PK\x03\x04", 4) == 0 && zip_has_word(d, len)) {
        *mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        *ext = "docx";
        return MH_OK;
    }
    return MH_DECLINED;
}
