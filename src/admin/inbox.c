/* The inbox: feedback messages and job applications in one list, the
 * guestbook's moderation screen, a CSV export. Editors and administrators
 * reach it (the review permission); a user with grants sees the
 * submissions of the columns and languages granted, and any other is a
 * 403. Every change writes its audit line in the same transaction.
 *
 * The CSV goes out as a stream, a batch of rows at a time, in UTF-8 with a
 * byte order mark (Excel reads Chinese right only with one); a cell that
 * starts with = + - @ (or a tab or carriage return) gets a leading
 * apostrophe so a spreadsheet never runs it as a formula. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../content/fields.h"
#include "../content/submissions.h"
#include "../content/types.h"
#include "../core/buf.h"
#include "editorial_internal.h"

#define INBOX_PAGE 30
#define CSV_BATCH 200

/* ---- scope ---- */

/* The columns u may see (NULL with *all: every one). */
static int64_t *scope(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, size_t *n, bool *all)
{
    return ed_allowed_columns(a, p, u, 0, n, all);
}

static bool may_see(mh_admin_t *a, const mh_admin_user_t *u, const mh_submission_t *s)
{
    return mh_admin_may_column(a, u, s->column_id, s->lang_id);
}

static const char *col_name(mh_admin_t *a, mh_pool_t *p, int64_t id)
{
    mh_column_t col;
    if (mh_content_column_get(mh_admin_content(a), p, id, &col) != MH_OK)
        return "";
    return col.name;
}

static const char *lang_code(mh_admin_t *a, mh_pool_t *p, int64_t id)
{
    mh_language_t *ls;
    size_t n;
    if (mh_content_languages(mh_admin_content(a), p, &ls, &n) != MH_OK)
        return "";
    for (size_t i = 0; i < n; i++)
        if (ls[i].id == id)
            return ls[i].code;
    return "";
}

/* The field definitions a submission's values belong to. */
static void defs_of(mh_admin_t *a, mh_pool_t *p, const mh_submission_t *s, mh_field_def_t **defs,
                    size_t *n)
{
    mh_content_t *c = mh_admin_content(a);
    *defs = NULL;
    *n = 0;
    if (strcmp(s->kind, MH_SUB_APPLICATION) == 0)
        mh_fields_defs(c, p, s->column_id, defs, n);
    else
        mh_fields_for_column(c, p, s->column_id, defs, n);
}

static const char *label_of(const mh_field_def_t *defs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(defs[i].key, key) == 0)
            return defs[i].label;
    return key;
}

/* All values of key joined by ", ". */
static const char *joined(mh_pool_t *p, const mh_field_value_t *v, size_t n, const char *key)
{
    mh_buf_t b;
    mh_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].key, key) != 0)
            continue;
        if (b.len)
            mh_buf_append_c(&b, ", ");
        mh_buf_append_c(&b, v[i].text);
    }
    const char *out = mh_pstrndup(p, b.base ? b.base : "", b.len);
    mh_buf_free(&b);
    return out;
}

static const char *status_label(mh_admin_t *a, mh_req_t *req, const char *st)
{
    return ed_label(a, req, "inbox.status", st);
}

/* The first value as a short summary of a submission for the list. */
static const char *summary_of(mh_pool_t *p, const mh_submission_t *s)
{
    const char *t = s->message && *s->message ? s->message : "";
    for (size_t i = 0; !*t && i < s->nvalues; i++)
        if (strcmp(s->values[i].key, "message") == 0)
            t = s->values[i].text;
    for (size_t i = 0; !*t && i < s->nvalues; i++)
        if (strlen(s->values[i].text) > 0)
            t = s->values[i].text;
    size_t n = strlen(t);
    if (n <= 120)
        return t;
    size_t cut = 120;
    while (cut && ((unsigned char)t[cut] & 0xC0) == 0x80)
        cut--;
    return mh_psprintf(p, "%.*s…", (int)cut, t);
}

/* ---- the lists ---- */

static mh_val_t *status_options(mh_admin_t *a, mh_req_t *req, bool guestbook, const char *sel,
                                bool any)
{
    static const char *const inbox[] = {"unread", "read", "handled"};
    static const char *const book[] = {"pending", "approved", "rejected"};
    mh_pool_t *p = req->pool;
    mh_val_t *l = mh_val_list(p);
    if (any) {
        mh_val_t *o = mh_val_map(p);
        mh_val_map_cstr(p, o, "value", "");
        mh_val_map_cstr(p, o, "label", ed_t(a, req, "inbox.any_status"));
        mh_val_map_bool(p, o, "selected", !sel || !*sel);
        mh_val_list_push(p, l, o);
    }
    for (size_t i = 0; i < 3; i++) {
        const char *v = guestbook ? book[i] : inbox[i];
        mh_val_t *o = mh_val_map(p);
        mh_val_map_cstr(p, o, "value", v);
        mh_val_map_cstr(p, o, "label", status_label(a, req, v));
        mh_val_map_bool(p, o, "selected", sel && strcmp(sel, v) == 0);
        mh_val_list_push(p, l, o);
    }
    return l;
}

/* Columns of submissions (feedback, guestbook, jobs) the user may see. */
static mh_val_t *column_options(mh_admin_t *a, mh_req_t *req, bool guestbook, int64_t sel)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    mh_language_t *ls;
    size_t nl;
    mh_val_t *l = mh_val_list(p);
    mh_val_t *o = mh_val_map(p);
    mh_val_map_cstr(p, o, "value", "");
    mh_val_map_cstr(p, o, "label", ed_t(a, req, "inbox.any_column"));
    mh_val_map_bool(p, o, "selected", sel == 0);
    mh_val_list_push(p, l, o);
    if (mh_content_languages(mh_admin_content(a), p, &ls, &nl) != MH_OK)
        return l;
    for (size_t k = 0; k < nl; k++) {
        mh_column_t *cs;
        size_t nc;
        if (mh_content_columns(mh_admin_content(a), p, ls[k].id, &cs, &nc) != MH_OK)
            continue;
        for (size_t i = 0; i < nc; i++) {
            bool mod = mh_content_type_is(cs[i].module, MH_TYPE_MODERATED);
            bool fits = guestbook ? mod
                                  : (!mod && (mh_content_type_is(cs[i].module, MH_TYPE_SUBMIT) ||
                                              mh_content_type_is(cs[i].module, MH_TYPE_APPLY)));
            if (!fits || !mh_admin_may_column(a, u, cs[i].id, cs[i].lang_id))
                continue;
            o = mh_val_map(p);
            mh_val_map_cstr(p, o, "value", mh_psprintf(p, "%lld", (long long)cs[i].id));
            mh_val_map_cstr(p, o, "label", mh_psprintf(p, "%s (%s)", cs[i].name, ls[k].code));
            mh_val_map_bool(p, o, "selected", sel == cs[i].id);
            mh_val_list_push(p, l, o);
        }
    }
    return l;
}

/* Read the list's filter from the query; false when the user may not see
 * the column asked for. */
static bool read_filter(mh_admin_t *a, mh_req_t *req, bool guestbook, mh_submission_filter_t *f,
                        int64_t *col)
{
    mh_pool_t *p = req->pool;
    const mh_admin_user_t *u = mh_admin_user(req);
    memset(f, 0, sizeof(*f));
    *col = ed_parse_id(ed_query(req, "column"));
    const char *st = ed_query(req, "status");
    const char *q = ed_query(req, "q");
    if (guestbook) {
        f->kind = MH_SUB_GUESTBOOK;
        if (!st)
            st = "pending";
    } else {
        f->not_guestbook = true;
    }
    if (st && *st && mh_submission_status_valid(guestbook ? MH_SUB_GUESTBOOK : MH_SUB_FEEDBACK, st))
        f->status = st;
    f->q = q && *q ? q : NULL;
    size_t n = 0;
    bool all = false;
    int64_t *ids = scope(a, p, u, &n, &all);
    if (*col) {
        bool ok = all;
        for (size_t i = 0; !ok && i < n; i++)
            ok = ids[i] == *col;
        if (!ok)
            return false;
        int64_t *one = mh_pcalloc(p, sizeof(*one));
        *one = *col;
        f->column_ids = one;
        f->ncolumns = 1;
    } else if (!all) {
        f->column_ids = ids ? ids : mh_pcalloc(p, sizeof(int64_t));
        f->ncolumns = n;
    }
    return true;
}

static const char *list_href(mh_admin_t *a, mh_req_t *req, const char *path,
                             const mh_submission_filter_t *f, int64_t col)
{
    mh_pool_t *p = req->pool;
    mh_buf_t b;
    mh_buf_init(&b, 8192);
    mh_buf_printf(&b, "%s%s?", mh_admin_base(a), path);
    if (col)
        mh_buf_printf(&b, "column=%lld&", (long long)col);
    if (f->status)
        mh_buf_printf(&b, "status=%s&", f->status);
    if (f->q) {
        mh_buf_append_c(&b, "q=");
        for (const unsigned char *s = (const unsigned char *)f->q; *s; s++) {
            if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
                mh_buf_printf(&b, "%c", *s);
            else
                mh_buf_printf(&b, "%%%02X", *s);
        }
        mh_buf_append_c(&b, "&");
    }
    const char *out = mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

/* The setting that puts a sum on a column's public form (site/forms.c). */
static const char *challenge_key(mh_pool_t *p, int64_t col)
{
    return mh_psprintf(p, "form_challenge.%lld", (long long)col);
}

static int render_list(mh_req_t *req, mh_resp_t *resp, mh_admin_t *a, bool guestbook)
{
    mh_pool_t *p = req->pool;
    mh_submission_filter_t f;
    int64_t col = 0, total = 0;
    if (!read_filter(a, req, guestbook, &f, &col)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    int64_t page = ed_parse_id(ed_query(req, "page"));
    if (page < 1)
        page = 1;
    f.offset = (page - 1) * INBOX_PAGE;
    f.limit = INBOX_PAGE;
    mh_submission_t *ss;
    size_t n;
    if (mh_submission_list(mh_admin_content(a), p, &f, &ss, &n, &total) != MH_OK) {
        mh_admin_error(a, req, resp, 500, NULL);
        return MH_OK;
    }
    const char *base = mh_admin_base(a);
    const char *tz = ed_tz(a, p, 0);
    mh_val_t *ctx = mh_val_map(p), *rows = mh_val_list(p);
    for (size_t i = 0; i < n; i++) {
        mh_submission_t *s = &ss[i];
        mh_submission_values(mh_admin_content(a), p, s->id, &s->values, &s->nvalues);
        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", s->id);
        mh_val_map_cstr(p, m, "href", mh_psprintf(p, "%s/inbox/%lld", base, (long long)s->id));
        mh_val_map_cstr(p, m, "action",
                        mh_psprintf(p, "%s/guestbook/%lld", base, (long long)s->id));
        mh_val_map_cstr(p, m, "kind", s->kind);
        mh_val_map_cstr(p, m, "kind_label", ed_label(a, req, "inbox.kind", s->kind));
        mh_val_map_cstr(p, m, "column", col_name(a, p, s->column_id));
        mh_val_map_cstr(p, m, "lang", lang_code(a, p, s->lang_id));
        mh_val_map_cstr(p, m, "status", s->status);
        mh_val_map_cstr(p, m, "status_label", status_label(a, req, s->status));
        mh_val_map_bool(p, m, "unread", strcmp(s->status, "unread") == 0);
        mh_val_map_cstr(p, m, "created", ed_time_show(p, s->created_at, tz));
        mh_val_map_cstr(p, m, "name", s->name);
        mh_val_map_cstr(p, m, "contact", s->contact);
        mh_val_map_cstr(p, m, "message", s->message);
        mh_val_map_cstr(p, m, "reply", s->reply);
        mh_val_map_cstr(p, m, "notes", s->notes);
        mh_val_map_cstr(p, m, "summary", summary_of(p, s));
        mh_val_map_set(p, m, "statuses", status_options(a, req, true, s->status, false));
        mh_val_list_push(p, rows, m);
    }
    mh_val_map_set(p, ctx, "rows", rows);
    mh_val_map_bool(p, ctx, "has_rows", n > 0);
    mh_val_map_cstr(p, ctx, "q", f.q ? f.q : "");
    mh_val_map_set(p, ctx, "statuses", status_options(a, req, guestbook, f.status, true));
    mh_val_map_set(p, ctx, "columns", column_options(a, req, guestbook, col));
    mh_val_map_cstr(p, ctx, "action",
                    mh_psprintf(p, "%s/%s", base, guestbook ? "guestbook" : "inbox"));
    mh_val_map_cstr(p, ctx, "export_href", list_href(a, req, "/inbox/export.csv", &f, col));
    mh_val_map_set(
        p, ctx, "pager",
        ed_pager(p, list_href(a, req, guestbook ? "/guestbook" : "/inbox", &f, col), page, total));
    mh_val_map_int(p, ctx, "total", total);
    if (col) {
        /* the column's form setting: an arithmetic question or not */
        const char *v = mh_content_setting(mh_admin_content(a), p, 0, challenge_key(p, col));
        mh_val_map_bool(p, ctx, "has_column", true);
        mh_val_map_bool(p, ctx, "challenge_on", v && strcmp(v, "1") == 0);
        mh_val_map_cstr(p, ctx, "challenge_action",
                        mh_psprintf(p, "%s/inbox/challenge/%lld", base, (long long)col));
    }
    mh_admin_render(a, req, resp, 200, guestbook ? "inbox_guestbook" : "inbox_list",
                    ed_t(a, req, guestbook ? "inbox.guestbook_title" : "inbox.title"), ctx);
    return MH_OK;
}

static int h_list(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return render_list(req, resp, data, false);
}

static int h_guestbook(mh_req_t *req, mh_resp_t *resp, void *data)
{
    return render_list(req, resp, data, true);
}

/* ---- one submission ---- */

/* The submission of :id that u may see; else the error page is sent. */
static bool load(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, mh_submission_t *s)
{
    int64_t id = mh_req_param_id(req, "id");
    int rc = id ? mh_submission_get(mh_admin_content(a), req->pool, id, s) : MH_DECLINED;
    if (rc == MH_DECLINED) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return false;
    }
    if (rc != MH_OK) {
        mh_admin_error(a, req, resp, 500, NULL);
        return false;
    }
    if (!may_see(a, mh_admin_user(req), s)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return false;
    }
    return true;
}

static int h_item(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_submission_t s;
    if (!load(a, req, resp, &s))
        return MH_OK;
    bool gb = strcmp(s.kind, MH_SUB_GUESTBOOK) == 0;
    /* opening an unread message reads it (no audit line: nothing decided) */
    if (!gb && strcmp(s.status, "unread") == 0 &&
        mh_submission_set_status(c, s.id, "read") == MH_OK)
        s.status = "read";
    const char *base = mh_admin_base(a);
    const char *tz = ed_tz(a, p, 0);
    mh_field_def_t *defs;
    size_t nd;
    defs_of(a, p, &s, &defs, &nd);
    mh_val_t *ctx = mh_val_map(p), *vals = mh_val_list(p);
    /* one row per key, in the order the values came */
    for (size_t i = 0; i < s.nvalues; i++) {
        if (i > 0 && strcmp(s.values[i - 1].key, s.values[i].key) == 0)
            continue;
        mh_val_t *m = mh_val_map(p);
        mh_val_map_cstr(p, m, "label", label_of(defs, nd, s.values[i].key));
        mh_val_map_cstr(p, m, "value", joined(p, s.values, s.nvalues, s.values[i].key));
        mh_val_list_push(p, vals, m);
    }
    mh_val_map_int(p, ctx, "id", s.id);
    mh_val_map_cstr(p, ctx, "kind_label", ed_label(a, req, "inbox.kind", s.kind));
    mh_val_map_bool(p, ctx, "guestbook", gb);
    mh_val_map_cstr(p, ctx, "column", col_name(a, p, s.column_id));
    mh_val_map_cstr(p, ctx, "lang", lang_code(a, p, s.lang_id));
    mh_val_map_cstr(p, ctx, "created", ed_time_show(p, s.created_at, tz));
    mh_val_map_cstr(p, ctx, "ip", s.ip);
    mh_val_map_cstr(p, ctx, "name", s.name);
    mh_val_map_cstr(p, ctx, "contact", s.contact);
    mh_val_map_cstr(p, ctx, "message", s.message);
    mh_val_map_cstr(p, ctx, "reply", s.reply);
    mh_val_map_cstr(p, ctx, "notes", s.notes);
    mh_val_map_cstr(p, ctx, "status", s.status);
    mh_val_map_cstr(p, ctx, "status_label", status_label(a, req, s.status));
    mh_val_map_set(p, ctx, "values", vals);
    mh_val_map_set(p, ctx, "statuses", status_options(a, req, gb, s.status, false));
    if (s.entry_id) {
        mh_entry_t e;
        if (mh_content_entry_get(c, p, s.entry_id, &e) == MH_OK)
            mh_val_map_cstr(p, ctx, "job", e.title);
    }
    if (s.file_size > 0) {
        mh_val_map_cstr(p, ctx, "cv_href",
                        mh_psprintf(p, "%s/inbox/%lld/cv", base, (long long)s.id));
        mh_val_map_cstr(p, ctx, "cv_name", s.file_name);
        mh_val_map_int(p, ctx, "cv_kb", (s.file_size + 1023) / 1024);
    }
    mh_val_map_cstr(
        p, ctx, "action",
        mh_psprintf(p, "%s/%s/%lld", base, gb ? "guestbook" : "inbox", (long long)s.id));
    mh_val_map_cstr(p, ctx, "delete_action",
                    mh_psprintf(p, "%s/inbox/%lld/delete", base, (long long)s.id));
    mh_val_map_cstr(p, ctx, "back", mh_psprintf(p, "%s/%s", base, gb ? "guestbook" : "inbox"));
    mh_admin_render(a, req, resp, 200, "inbox_item", ed_t(a, req, "inbox.item_title"), ctx);
    return MH_OK;
}

/* POST /inbox/:id and /guestbook/:id: status, notes and (guestbook) the
 * reply, each only when sent. */
static int h_update(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_submission_t s;
    if (!load(a, req, resp, &s))
        return MH_OK;
    bool gb = strcmp(s.kind, MH_SUB_GUESTBOOK) == 0;
    const char *status = mh_form_cstr(&req->form, p, "status");
    const char *notes = mh_form_cstr(&req->form, p, "notes");
    const char *reply = gb ? mh_form_cstr(&req->form, p, "reply") : NULL;
    if ((status && !mh_submission_status_valid(s.kind, status)) ||
        (notes && strlen(notes) > MH_SUB_NOTES_MAX) ||
        (reply && strlen(reply) > MH_SUB_REPLY_MAX)) {
        mh_admin_error(a, req, resp, 422, NULL);
        return MH_OK;
    }
    int rc = mh_content_tx_begin(c);
    char detail[160];
    snprintf(detail, sizeof(detail), "%s%s%s%s", status ? "status " : "", status ? status : "",
             notes && strcmp(notes, s.notes) != 0 ? " notes" : "",
             reply && strcmp(reply, s.reply) != 0 ? " reply" : "");
    if (rc == MH_OK && status && strcmp(status, s.status) != 0)
        rc = mh_submission_set_status(c, s.id, status);
    if (rc == MH_OK && notes && strcmp(notes, s.notes) != 0)
        rc = mh_submission_set_notes(c, s.id, notes);
    if (rc == MH_OK && reply && strcmp(reply, s.reply) != 0)
        rc = mh_submission_set_reply(c, s.id, reply);
    if (rc == MH_OK)
        rc = mh_admin_audit(a, req, "submission.update", ed_obj(p, "submission", s.id), detail);
    rc = mh_content_tx_end(c, rc);
    if (rc != MH_OK) {
        if (!mh_admin_nospace(a, req, resp, rc))
            mh_admin_error(a, req, resp, 409, NULL);
        return MH_OK;
    }
    const char *back = ed_form(req, "back");
    if (gb && strcmp(back, "list") == 0)
        mh_admin_redirect(a, req, resp, "/guestbook", "submission_saved");
    else
        mh_admin_redirect(a, req, resp,
                          mh_psprintf(p, "/%s/%lld", gb ? "guestbook" : "inbox", (long long)s.id),
                          "submission_saved");
    return MH_OK;
}

static int h_delete(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    mh_submission_t s;
    if (!load(a, req, resp, &s))
        return MH_OK;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_submission_delete(c, s.id);
    if (rc == MH_OK)
        rc = mh_admin_audit(a, req, "submission.delete", ed_obj(p, "submission", s.id), s.kind);
    rc = mh_content_tx_end(c, rc);
    if (rc != MH_OK) {
        mh_admin_error(a, req, resp, 409, NULL);
        return MH_OK;
    }
    bool gb = strcmp(s.kind, MH_SUB_GUESTBOOK) == 0;
    mh_admin_redirect(a, req, resp, gb ? "/guestbook" : "/inbox", "submission_deleted");
    return MH_OK;
}

/* The CV, only from here: an attachment that never renders in the page's
 * origin. */
static int h_cv(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_submission_t s;
    if (!load(a, req, resp, &s))
        return MH_OK;
    const char *name, *mime;
    const void *bytes;
    size_t len;
    int rc = mh_submission_file(mh_admin_content(a), p, s.id, &name, &mime, &bytes, &len);
    if (rc != MH_OK) {
        mh_admin_error(a, req, resp, rc == MH_DECLINED ? 404 : 500, "not_found");
        return MH_OK;
    }
    const char *ext = strcmp(mime, "application/pdf") == 0      ? "pdf"
                      : strcmp(mime, "application/msword") == 0 ? "doc"
                                                                : "docx";
    resp->status = 200;
    resp->content_type = mime;
    resp->data = bytes;
    resp->data_len = len;
    resp->cache_control = "private, no-store";
    mh_resp_header(resp, "Content-Disposition",
                   mh_psprintf(p, "attachment; filename=\"cv-%lld.%s\"", (long long)s.id, ext));
    mh_resp_header(resp, "X-Content-Type-Options", "nosniff");
    (void)name;
    return MH_OK;
}

/* POST /inbox/challenge/:id: on = "1" asks visitors of the column's form
 * a small sum, anything else stops asking. A setting: it changes the
 * public page, so it starts a new content generation like any setting. */
static int h_challenge(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_content_t *c = mh_admin_content(a);
    int64_t id = mh_req_param_id(req, "id");
    mh_column_t col;
    if (!id || mh_content_column_get(c, p, id, &col) != MH_OK ||
        !(mh_content_type_is(col.module, MH_TYPE_SUBMIT) ||
          mh_content_type_is(col.module, MH_TYPE_APPLY))) {
        mh_admin_error(a, req, resp, 404, "not_found");
        return MH_OK;
    }
    if (!mh_admin_may_column(a, mh_admin_user(req), col.id, col.lang_id)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    bool on = strcmp(ed_form(req, "on"), "1") == 0;
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_setting_set(c, 0, challenge_key(p, col.id), on ? "1" : NULL);
    if (rc == MH_OK)
        rc = mh_admin_audit(a, req, "submission.challenge", ed_obj(p, "column", col.id),
                            on ? "on" : "off");
    rc = mh_content_tx_end(c, rc);
    if (rc != MH_OK) {
        mh_admin_error(a, req, resp, 409, NULL);
        return MH_OK;
    }
    bool gb = mh_content_type_is(col.module, MH_TYPE_MODERATED);
    mh_admin_redirect(
        a, req, resp,
        mh_psprintf(p, "%s?column=%lld", gb ? "/guestbook" : "/inbox", (long long)col.id),
        "submission_saved");
    return MH_OK;
}

/* ---- CSV ---- */

struct csv_state {
    mh_content_t *content;
    mh_submission_filter_t f; /* strings and ids malloc'd below */
    int64_t *ids;
    char *status, *q;
    char **keys, **labels; /* per-field columns when one column is exported */
    size_t nkeys;
    char *buf;
    size_t len, pos;
    int64_t offset;
    bool started, done;
};

static void csv_free(void *data)
{
    struct csv_state *st = data;
    if (!st)
        return;
    for (size_t i = 0; i < st->nkeys; i++) {
        free(st->keys[i]);
        free(st->labels[i]);
    }
    free(st->keys);
    free(st->labels);
    free(st->ids);
    free(st->status);
    free(st->q);
    free(st->buf);
    free(st);
}

static char *dup_or_null(const char *s)
{
    return s ? mh_strdup(s) : NULL;
}

/* One cell: quoted, quotes doubled, a formula's first character defused. */
static void csv_cell(mh_buf_t *b, const char *s, bool last)
{
    mh_buf_append_c(b, "\"");
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        mh_buf_append_c(b, "'");
    for (const char *q = s ? s : ""; *q; q++) {
        if (*q == '"')
            mh_buf_append_c(b, "\"\"");
        else
            mh_buf_append(b, q, 1);
    }
    mh_buf_append_c(b, last ? "\"\r\n" : "\",");
}

static const char *const csv_head[] = {"id",       "created", "kind",   "column",
                                       "language", "job",     "status", "name",
                                       "contact",  "message", "reply",  "notes"};

/* The next batch of rows into st->buf; false on a database failure. */
static bool csv_fill(struct csv_state *st)
{
    mh_pool_t *p = mh_pool_create();
    mh_buf_t b;
    bool ok = false;
    mh_buf_init(&b, 64u << 20);
    if (!st->started) {
        st->started = true;
        mh_buf_append_c(&b, "\xEF\xBB\xBF"); /* the BOM */
        for (size_t i = 0; i < MH_ARRAY_LEN(csv_head); i++)
            csv_cell(&b, csv_head[i], false);
        for (size_t i = 0; i < st->nkeys; i++)
            csv_cell(&b, st->labels[i], false);
        csv_cell(&b, "fields", true);
    }
    mh_submission_filter_t f = st->f;
    f.offset = st->offset;
    f.limit = CSV_BATCH;
    f.oldest_first = true;
    mh_submission_t *ss;
    size_t n;
    if (mh_submission_list(st->content, p, &f, &ss, &n, NULL) != MH_OK)
        goto done;
    st->offset += (int64_t)n;
    if (n < CSV_BATCH)
        st->done = true;
    for (size_t i = 0; i < n; i++) {
        mh_submission_t *s = &ss[i];
        mh_submission_values(st->content, p, s->id, &s->values, &s->nvalues);
        mh_column_t col;
        const char *cname =
            mh_content_column_get(st->content, p, s->column_id, &col) == MH_OK ? col.name : "";
        mh_language_t *ls;
        size_t nl;
        const char *lang = "";
        if (mh_content_languages(st->content, p, &ls, &nl) == MH_OK)
            for (size_t k = 0; k < nl; k++)
                if (ls[k].id == s->lang_id)
                    lang = ls[k].code;
        const char *job = "";
        mh_entry_t e;
        if (s->entry_id && mh_content_entry_get(st->content, p, s->entry_id, &e) == MH_OK)
            job = e.title;
        const char *created = mh_format_time(p, s->created_at, "%Y-%m-%d %H:%M:%S",
                                             mh_content_setting(st->content, p, 0, "timezone"));
        const char *row[] = {mh_psprintf(p, "%lld", (long long)s->id),
                             created,
                             s->kind,
                             cname,
                             lang,
                             job,
                             s->status,
                             s->name,
                             s->contact,
                             s->message,
                             s->reply,
                             s->notes};
        for (size_t k = 0; k < MH_ARRAY_LEN(row); k++)
            csv_cell(&b, row[k], false);
        for (size_t k = 0; k < st->nkeys; k++)
            csv_cell(&b, joined(p, s->values, s->nvalues, st->keys[k]), false);
        /* every value as key=value lines, for exports across columns */
        mh_buf_t all;
        mh_buf_init(&all, 1u << 20);
        for (size_t k = 0; k < s->nvalues; k++)
            mh_buf_printf(&all, "%s%s=%s", all.len ? "\n" : "", s->values[k].key,
                          s->values[k].text);
        csv_cell(&b, mh_pstrndup(p, all.base ? all.base : "", all.len), true);
        mh_buf_free(&all);
    }
    ok = true;
done:
    free(st->buf);
    st->buf = mh_malloc(b.len + 1);
    if (b.len)
        memcpy(st->buf, b.base, b.len);
    st->len = b.len;
    st->pos = 0;
    mh_buf_free(&b);
    mh_pool_destroy(p);
    return ok;
}

static long csv_next(void *data, uint64_t pos, char *out, size_t max)
{
    struct csv_state *st = data;
    (void)pos;
    while (st->pos >= st->len) {
        if (st->done)
            return MH_STREAM_END;
        if (!csv_fill(st))
            return MH_STREAM_ERROR;
    }
    size_t n = st->len - st->pos;
    if (n > max)
        n = max;
    memcpy(out, st->buf + st->pos, n);
    st->pos += n;
    return (long)n;
}

static int h_export(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    mh_submission_filter_t f;
    int64_t col = 0;
    if (!read_filter(a, req, false, &f, &col)) {
        mh_admin_error(a, req, resp, 403, "forbidden");
        return MH_OK;
    }
    struct csv_state *st = mh_calloc(1, sizeof(*st));
    st->content = mh_admin_content(a);
    st->f = f;
    if (f.column_ids) {
        st->ids = mh_calloc(f.ncolumns + 1, sizeof(*st->ids));
        memcpy(st->ids, f.column_ids, f.ncolumns * sizeof(*st->ids));
        st->f.column_ids = st->ids;
    }
    st->status = dup_or_null(f.status);
    st->q = dup_or_null(f.q);
    st->f.status = st->status;
    st->f.q = st->q;
    st->f.kind = NULL;
    if (col) {
        /* one column: a spreadsheet column per field, labelled */
        mh_column_t c;
        mh_field_def_t *defs = NULL;
        size_t nd = 0;
        if (mh_content_column_get(st->content, p, col, &c) == MH_OK) {
            if (mh_content_type_is(c.module, MH_TYPE_APPLY))
                mh_fields_defs(st->content, p, col, &defs, &nd);
            else
                mh_fields_for_column(st->content, p, col, &defs, &nd);
        }
        st->keys = mh_calloc(nd + 1, sizeof(*st->keys));
        st->labels = mh_calloc(nd + 1, sizeof(*st->labels));
        for (size_t i = 0; i < nd; i++) {
            st->keys[st->nkeys] = mh_strdup(defs[i].key);
            st->labels[st->nkeys++] = mh_strdup(defs[i].label);
        }
    }
    mh_admin_audit(a, req, "submission.export", "submissions", col ? col_name(a, p, col) : "");
    resp->status = 200;
    resp->content_type = "text/csv; charset=utf-8";
    resp->cache_control = "private, no-store";
    mh_resp_header(resp, "Content-Disposition", "attachment; filename=\"submissions.csv\"");
    mh_resp_stream(resp, csv_next, csv_free, st);
    return MH_OK;
}

/* ---- routes ---- */

static void add(mh_admin_t *a, mh_routes_t *t, unsigned methods, const char *path, bool csrf,
                mh_handler_fn fn)
{
    const mh_route_t r = {
        .methods = methods,
        .pattern = mh_admin_pattern(a, path),
        .auth = MH_AUTH_SESSION,
        .permission = MH_PERM_REVIEW,
        .csrf = csrf,
        .handler = fn,
        .data = a,
    };
    mh_routes_add(t, &r);
}

void mh_admin_inbox_routes(mh_admin_t *a, mh_routes_t *t)
{
    add(a, t, MH_M_GET, "/inbox", false, h_list);
    add(a, t, MH_M_GET, "/inbox/export.csv", false, h_export);
    add(a, t, MH_M_POST, "/inbox/challenge/:id", true, h_challenge);
    add(a, t, MH_M_GET, "/inbox/:id", false, h_item);
    add(a, t, MH_M_POST, "/inbox/:id", true, h_update);
    add(a, t, MH_M_POST, "/inbox/:id/delete", true, h_delete);
    add(a, t, MH_M_GET, "/inbox/:id/cv", false, h_cv);
    add(a, t, MH_M_GET, "/guestbook", false, h_guestbook);
    add(a, t, MH_M_GET, "/guestbook/:id", false, h_item);
    add(a, t, MH_M_POST, "/guestbook/:id", true, h_update);
}
