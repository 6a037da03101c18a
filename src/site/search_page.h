/* Internal to src/site: the search results page (search_page.c). */
#ifndef MH_SITE_SEARCH_PAGE_H
#define MH_SITE_SEARCH_PAGE_H

#include "context.h"

/* Read q, page, column and module from the raw query string and run the
 * search for r's language; the state goes to r->search. MH_OK (an empty or
 * too long query too: the page says so), or MH_ERR when the search failed. */
int mh_search_page_load(mh_site_req_t *r, mh_str_t raw_query);

/* The context's "search" key (a lazy thunk over r). */
mh_val_t *mh_search_page_context(mh_pool_t *p, void *data);

#endif
