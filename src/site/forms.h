/* Internal to src/site: the public forms (forms.c). A feedback column's
 * page and a guestbook's first page carry the column's form, a job's page
 * its application form; POSTs to the same paths submit them. site.c
 * resolves the page and calls in here; the context's "form" and
 * "guestbook" keys are built here. */
#ifndef MH_SITE_FORMS_H
#define MH_SITE_FORMS_H

#include "../http/request.h"
#include "context.h"

/* Largest CV accepted, and the body a form POST may carry. */
#define MH_FORMS_CV_MAX (5u << 20)
#define MH_FORMS_BODY_MAX (MH_FORMS_CV_MAX + (512u << 10))

/* Does the page r (a list page of a submission column, or an entry of a
 * column whose entries take applications) carry a form? */
bool mh_forms_page_has_form(const mh_site_req_t *r);
/* A GET of such a page: a fresh form (pre-filled from ?product=), or the
 * thank-you note after ?sent=1; the page is not stored in the page cache
 * (its token is per visit). */
int mh_forms_prepare(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp);
/* A guestbook's list page n: its approved messages, newest first (fills
 * r->page, r->pages, r->total). MH_DECLINED past the last page. */
int mh_forms_guestbook_load(mh_site_req_t *r, int64_t n);
/* A POST to a page with a form. On success resp is a 303 to the thank-you
 * page; otherwise the status (400, 403, 413, 429) is set and r carries
 * the values and messages for the page to be rendered again. */
int mh_forms_post(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp);

/* Is the date "YYYY-MM-DD" before today in the site's timezone? (A job
 * valid until a date is open through that whole day.) */
bool mh_forms_date_past(mh_site_req_t *r, const char *date);

/* The context's "form" and "guestbook" keys (lazy thunks over r). */
mh_val_t *mh_forms_context(mh_pool_t *p, void *data);
mh_val_t *mh_forms_guestbook_context(mh_pool_t *p, void *data);

#endif
