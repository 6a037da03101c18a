/* Shared between the editorial feature's files (editorial.c, columns.c,
 * entries.c, revisions.c, trash.c, review.c): page handlers
 * and small request helpers. Other features use admin.h only. */
#ifndef MH_ADMIN_EDITORIAL_INTERNAL_H
#define MH_ADMIN_EDITORIAL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../content/editorial.h"
#include "admin.h"

/* Entries per admin list page. */
#define ED_PAGE_SIZE 20

/* A decoded query parameter, or NULL. */
const char *ed_query(mh_req_t *req, const char *key);
/* A form field as a string ("" when absent), a number (0 when absent or
 * invalid), a checkbox. */
const char *ed_form(mh_req_t *req, const char *name);
int64_t ed_form_int(mh_req_t *req, const char *name);
bool ed_form_bool(mh_req_t *req, const char *name);
int64_t ed_parse_id(const char *s);
/* Whether the user works in Chinese. */
bool ed_zh(const mh_admin_user_t *u);
/* The UI string at key ("ed.msg.new_entry") in the request's admin
 * language, from themes/admin/strings; the key itself when missing. */
const char *ed_t(mh_admin_t *a, mh_req_t *req, const char *key);
/* The text for an internal name (status, nav placement, sort mode, audit
 * action) under prefix: "label.sort" + "hits" -> "label.sort.hits"; dots in
 * name become underscores. The name itself when there is no string. */
const char *ed_label(mh_admin_t *a, mh_req_t *req, const char *prefix, const char *name);
/* The site's timezone setting for a language ("+08:00"). */
const char *ed_tz(mh_admin_t *a, mh_pool_t *p, int64_t lang_id);
/* "2023-07-24T16:41" in tz for a datetime-local field; display form. */
const char *ed_time_input(mh_pool_t *p, int64_t t, const char *tz);
const char *ed_time_show(mh_pool_t *p, int64_t t, const char *tz);
/* The columns of lang (0: every language) the user may work in, and
 * whether that is all of them. */
int64_t *ed_allowed_columns(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, int64_t lang_id,
                            size_t *n, bool *all);
/* Restrict a filter to what the user may see: own entries below editor,
 * granted columns for users with grants. */
void ed_scope_filter(mh_admin_t *a, mh_pool_t *p, const mh_admin_user_t *u, mh_entry_filter_t *f);
/* "draft"... and its label in the user's language. */
const char *ed_status_label(mh_admin_t *a, mh_req_t *req, mh_status_t s);
/* A row of an entry list for templates. */
mh_val_t *ed_entry_row(mh_admin_t *a, mh_req_t *req, const mh_entry_t *e);
/* Pagination values (pages, prev/next hrefs) for a list at base_href
 * (which already carries its other query parameters, ending in ? or &). */
mh_val_t *ed_pager(mh_pool_t *p, const char *base_href, int64_t page, int64_t total);
/* "entry:42" */
const char *ed_obj(mh_pool_t *p, const char *kind, int64_t id);
/* Language select options (all languages, selected one marked). */
mh_val_t *ed_lang_options(mh_admin_t *a, mh_pool_t *p, int64_t selected);
/* Column select options: the columns the user may use (of one language,
 * or all with the language in the label), selected marked; skip_subtree
 * leaves out a column and its descendants (for a parent picker). */
mh_val_t *ed_column_options(mh_admin_t *a, mh_req_t *req, int64_t lang_id, int64_t selected,
                            int64_t skip_subtree, bool entries_only);

/* Handlers (data: the admin handle; ids come from route parameters, :id
 * and :rev, read with mh_req_param_id). */
int ed_h_columns(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_new(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_edit(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_up(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_down(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_delete(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_column_entries(mh_req_t *req, mh_resp_t *resp, void *data);
/* custom field definitions of a column (columns.c) */
int ed_h_field_new(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_field_edit(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_field_delete(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_field_up(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_field_down(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entries(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entry_new(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entry(mh_req_t *req, mh_resp_t *resp, void *data);
/* Manual order (admin/ordering.c): POST /entries/:id/up and /down, and
 * the "order" list of a manual-sort column's entry page. */
int ed_h_entry_up(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entry_down(mh_req_t *req, mh_resp_t *resp, void *data);
void ed_order_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_column_t *col);
int ed_h_entry_trash(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entry_submit(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_entry_translate(mh_req_t *req, mh_resp_t *resp, void *data);
/* the list (no :rev), one revision (:rev), its restore (POST) */
int ed_h_revisions(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_trash(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_trash_restore(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_trash_purge(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_review(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_review_approve(mh_req_t *req, mh_resp_t *resp, void *data);
int ed_h_review_return(mh_req_t *req, mh_resp_t *resp, void *data);

#endif
