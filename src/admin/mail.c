/* The mail queue page (admin only): queued, sent and failed messages with
 * their last error, a retry button for the ones not sent, and the
 * settings page's "send a test mail" button. The sending itself is the
 * mail module's (src/mail); this file only reads and re-queues rows. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../http/url.h"
#include "../mail/mail.h"
#include "../store/mail.h"
#include "../store/store.h"
#include "accounts_internal.h"

#define PER_PAGE 50

int mh_admin_h_mail(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const char *tz = mh_content_setting(a->content, p, 0, "timezone");
    const char *fmt = "%Y-%m-%d %H:%M:%S";
    const char *status = mh_admin_query(req, "status");
    if (status && strcmp(status, "queued") != 0 && strcmp(status, "sent") != 0 &&
        strcmp(status, "failed") != 0)
        status = NULL;
    const char *page_s = mh_admin_query(req, "page");
    unsigned long long page = 1;
    if (!page_s || !mh_str_to_u64(mh_str_c(page_s), 1000000, &page) || page == 0)
        page = 1;
    mh_store_t *s = mh_content_store(a->content);
    mh_mail_row_t *rows = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (s->ops->mail->list(s, p, status, (int64_t)(page - 1) * PER_PAGE, PER_PAGE, &rows, &n,
                           &total) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p), *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++) {
        const mh_mail_row_t *r = &rows[i];
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", r->id);
        mh_val_map_cstr(p, m, "created", mh_format_time(p, r->created_at, fmt, tz));
        mh_val_map_cstr(p, m, "to", r->recipients);
        mh_val_map_cstr(p, m, "subject", r->subject);
        mh_val_map_cstr(p, m, "status", r->status);
        mh_val_map_cstr(
            p, m, "status_label",
            mh_admin_text(a, req, mh_psprintf(p, "mail.status_%s", r->status), r->status));
        mh_val_map_bool(p, m, "failed", strcmp(r->status, "failed") == 0);
        mh_val_map_bool(p, m, "can_retry", strcmp(r->status, "sent") != 0);
        mh_val_map_int(p, m, "attempts", r->attempts);
        if (strcmp(r->status, "sent") == 0)
            mh_val_map_cstr(p, m, "when", mh_format_time(p, r->sent_at, fmt, tz));
        else if (strcmp(r->status, "queued") == 0)
            mh_val_map_cstr(p, m, "when", mh_format_time(p, r->next_at, fmt, tz));
        mh_val_map_cstr(p, m, "error", r->error);
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "rows", list);
    mh_val_map_bool(p, ctx, "has_rows", n > 0);
    mh_val_map_int(p, ctx, "total", total);
    mh_val_map_int(p, ctx, "page", (int64_t)page);
    int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
    mh_val_map_int(p, ctx, "pages", pages ? pages : 1);
    mh_val_t *tabs = mh_val_list(p);
    static const char *const states[] = {"", "queued", "sent", "failed"};
    for (size_t i = 0; i < MH_ARRAY_LEN(states); i++) {
        mh_val_t *t = mh_val_map(p);
        const char *st = states[i];
        mh_val_map_cstr(p, t, "href",
                        *st ? mh_psprintf(p, "%s/mail?status=%s", a->base, st)
                            : mh_psprintf(p, "%s/mail", a->base));
        mh_val_map_cstr(
            p, t, "label",
            mh_admin_text(a, req, mh_psprintf(p, "mail.tab_%s", *st ? st : "all"), *st ? st : "*"));
        mh_val_map_bool(p, t, "current", status ? strcmp(status, st) == 0 : !*st);
        mh_val_list_push(p, tabs, t);
    }
    mh_val_map_set(p, ctx, "tabs", tabs);
    const char *keep = status ? mh_psprintf(p, "&status=%s", status) : "";
    if (page > 1)
        mh_val_map_cstr(p, ctx, "prev_href",
                        mh_psprintf(p, "%s/mail?page=%llu%s", a->base, page - 1, keep));
    if ((int64_t)page < pages)
        mh_val_map_cstr(p, ctx, "next_href",
                        mh_psprintf(p, "%s/mail?page=%llu%s", a->base, page + 1, keep));
    const char *host = mh_content_setting(a->content, p, 0, "smtp_host");
    mh_val_map_bool(p, ctx, "unconfigured", !host || !*host);
    return mh_admin_render(a, req, resp, 200, "mail_list",
                           mh_admin_text(a, req, "mail.title", "mail.title"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

/* POST /mail/:id/retry: queue a queued or failed message again now. */
int mh_admin_h_mail_retry(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    unsigned long long id;
    if (!mh_str_to_u64(mh_req_param(req, "id"), INT64_MAX, &id) || id == 0) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    mh_store_t *s = mh_content_store(a->content);
    int rc = s->ops->mail->retry(s, (int64_t)id, (int64_t)time(NULL));
    if (rc == MH_DECLINED) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_audit(a, req, "mail.retry", mh_psprintf(req->pool, "mail:%llu", id), "");
    mh_admin_redirect(a, req, resp, "/mail", "mail_retry");
    return MH_OK;
}

/* POST /settings/test-mail: a short message to the configured recipients,
 * in the admin's language. */
int mh_admin_h_mail_test(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const char *site = mh_content_setting(a->content, p, 0, "site_name");
    const mh_admin_user_t *u = mh_admin_user(req);
    const char *subject = mh_psprintf(p, "%s: %s", site ? site : "masthead",
                                      mh_admin_text(a, req, "mail.test_subject", "test"));
    const char *body =
        mh_psprintf(p, "%s\n\n%s %s\n", mh_admin_text(a, req, "mail.test_body", "test"),
                    mh_admin_text(a, req, "mail.test_by", "-"), u ? u->name : "");
    int rc = mh_mail_queue(a->content, subject, body);
    if (rc == MH_DECLINED) {
        mh_admin_redirect(a, req, resp, "/settings", "mail_unconfigured");
        return MH_OK;
    }
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_audit(a, req, "mail.test", "settings", "");
    mh_admin_redirect(a, req, resp, "/mail", "mail_test_queued");
    return MH_OK;
}
