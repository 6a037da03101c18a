/* The audit log: writing entries, and the administrator's page to read
 * them, filtered by user, action and dates, newest first. */
#include <stdio.h>
#include <string.h>

#include "../http/url.h"
#include "accounts_internal.h"

#define PER_PAGE 50

int mh_admin_audit(mh_admin_t *a, mh_req_t *req, const char *action, const char *object,
                   const char *detail)
{
    const mh_admin_user_t *u = mh_admin_user(req);
    return mh_accounts_audit(a->content, u ? u->id : 0, req && req->client_ip ? req->client_ip : "",
                             action, object, detail);
}

mh_audit_line_t mh_admin_audit_line(mh_req_t *req, const char *action, const char *object,
                                    const char *detail)
{
    const mh_admin_user_t *u = mh_admin_user(req);
    return (mh_audit_line_t){.user_id = u ? u->id : 0,
                             .ip = req && req->client_ip ? req->client_ip : "",
                             .action = action,
                             .object = object,
                             .detail = detail};
}

const char *mh_admin_text(mh_admin_t *a, mh_req_t *req, const char *key, const char *fallback)
{
    const char *s = mh_admin_t_lookup(a, req->pool, mh_admin_req_lang(a, req), key);
    return s ? s : fallback;
}

/* "entry.update" shown as words in the admin's language: the string at
 * label.audit.entry_update, else the code itself. */
static const char *action_label(mh_admin_t *a, mh_req_t *req, const char *action)
{
    char *key = mh_psprintf(req->pool, "label.audit.%s", action ? action : "");
    for (char *c = key + strlen("label.audit."); *c; c++)
        if (*c == '.')
            *c = '_';
    const char *s = mh_admin_text(a, req, key, NULL);
    return s ? s : action;
}

bool mh_admin_nospace(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int rc)
{
    if (rc != MH_NOSPACE)
        return false;
    mh_admin_error(a, req, resp, 507, "nospace");
    return true;
}

/* "YYYY-MM-DD" at 00:00 in the site's time zone, or 0. */
static int64_t parse_day(const char *s, const char *tz)
{
    int64_t t;
    if (!s || strlen(s) != 10)
        return 0;
    char buf[24];
    snprintf(buf, sizeof(buf), "%s 00:00", s);
    return mh_parse_time(buf, tz, &t) == MH_OK ? t : 0;
}

static const char *qs(mh_pool_t *p, const char *key, const char *v)
{
    return v && *v ? mh_psprintf(p, "&%s=%s", key, mh_url_encode(p, mh_str_c(v))) : "";
}

int mh_admin_h_audit(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    const char *lang = mh_admin_req_lang(a, req);
    const char *tz = mh_content_setting(a->content, p, 0, "timezone");
    const char *fmt = "%Y-%m-%d %H:%M:%S";
    const char *who = mh_admin_query(req, "user");
    const char *action = mh_admin_query(req, "action");
    const char *from = mh_admin_query(req, "from");
    const char *to = mh_admin_query(req, "to");
    const char *page_s = mh_admin_query(req, "page");
    unsigned long long page = 1;
    if (!page_s || !mh_str_to_u64(mh_str_c(page_s), 1000000, &page) || page == 0)
        page = 1;
    mh_audit_filter_t f = {.action = action && strlen(action) <= 64 ? action : "",
                           .offset = (int64_t)(page - 1) * PER_PAGE,
                           .limit = PER_PAGE};
    bool none = false;
    if (who && *who) {
        mh_account_t u;
        if (mh_accounts_user_by_name(a->content, p, who, &u) == MH_OK)
            f.user_id = u.id;
        else
            none = true; /* an unknown name matches nothing */
    }
    f.since = parse_day(from, tz);
    f.until = parse_day(to, tz);
    if (f.until)
        f.until += 86400; /* the whole "to" day */
    mh_audit_row_t *rows = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (!none && mh_accounts_audit_list(a->content, p, &f, &rows, &n, &total) != MH_OK)
        return MH_ERR;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *list = mh_val_list(p);
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "when", mh_format_time(p, rows[i].at, fmt, tz));
        mh_val_map_cstr(p, m, "who", rows[i].user_name);
        mh_val_map_cstr(p, m, "ip", rows[i].ip);
        mh_val_map_cstr(p, m, "action", rows[i].action);
        mh_val_map_cstr(p, m, "action_label", action_label(a, req, rows[i].action));
        mh_val_map_bool(p, m, "failure", strstr(rows[i].action, ".fail") != NULL);
        mh_val_map_cstr(p, m, "object", rows[i].object);
        mh_val_map_cstr(p, m, "detail", rows[i].detail);
        mh_val_list_push(p, list, m);
    }
    mh_val_map_set(p, ctx, "rows", list);
    mh_val_map_bool(p, ctx, "has_rows", n > 0);
    mh_val_map_int(p, ctx, "total", total);
    mh_val_map_int(p, ctx, "page", (int64_t)page);
    int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
    mh_val_map_int(p, ctx, "pages", pages ? pages : 1);
    mh_val_t *flt = mh_val_map(p);
    mh_val_map_cstr(p, flt, "user", who ? who : "");
    mh_val_map_cstr(p, flt, "action", action ? action : "");
    mh_val_map_cstr(p, flt, "from", from ? from : "");
    mh_val_map_cstr(p, flt, "to", to ? to : "");
    mh_val_map_set(p, ctx, "filter", flt);
    const char *keep = mh_psprintf(p, "%s%s%s%s", qs(p, "user", who), qs(p, "action", action),
                                   qs(p, "from", from), qs(p, "to", to));
    if (page > 1)
        mh_val_map_cstr(p, ctx, "prev_href",
                        mh_psprintf(p, "%s/audit?page=%llu%s", a->base, page - 1, keep));
    if ((int64_t)page < pages)
        mh_val_map_cstr(p, ctx, "next_href",
                        mh_psprintf(p, "%s/audit?page=%llu%s", a->base, page + 1, keep));
    const char *title = mh_admin_t_lookup(a, p, lang, "audit.title");
    return mh_admin_render(a, req, resp, 200, "accounts_audit", title ? title : "audit.title",
                           ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}
