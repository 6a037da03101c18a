/* The demo's products and gallery (src/content/demo_products.c), loaded by
 * mh_content_demo_load after the demo columns exist. */
#ifndef MH_CONTENT_DEMO_PRODUCTS_H
#define MH_CONTENT_DEMO_PRODUCTS_H

#include "content.h"

/* Fill the columns "products" and "gallery" of the first two languages.
 * MH_OK or MH_ERR. */
int mh_demo_products_load(mh_content_t *c);

#endif
