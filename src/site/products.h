/* Internal to src/site: product and gallery pages. Filtered product lists
 * (?key=value&page=n on a column of a type with MH_TYPE_FILTER) and the
 * template context of entry images, product tabs, related entries, the
 * Inquire link and the list's filters (docs/theme.md, "Products and
 * galleries"). */
#ifndef MH_SITE_PRODUCTS_H
#define MH_SITE_PRODUCTS_H

#include "../core/str.h"
#include "context.h"

/* The list page of r->col (a column of a type with MH_TYPE_FILTER) for
 * the raw query: filters on filterable fields with known values, the rest
 * ignored. MH_OK with r filled (kind, list, pagination, path: the
 * unfiltered list's canonical path), *redirect set instead when the query
 * only names a page ("?page=3" -> ".../page/3/"), MH_DECLINED for a page
 * past the last, MH_ERR on a database failure. */
int mh_products_list_load(mh_site_req_t *r, mh_str_t query, const char **redirect);

/* Top-level context key "listing": the filters, layout and noindex flag
 * of a list page (null elsewhere). */
mh_val_t *mh_products_listing_context(mh_pool_t *p, void *data);

/* Add images, tabs, related entries and the Inquire link to an entry's
 * context map (entry pages). */
void mh_products_entry_context(mh_site_req_t *r, mh_val_t *m, const mh_entry_t *e);

#endif
