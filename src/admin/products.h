/* Internal to src/admin: the entry editor's image list, product tabs and
 * related entries (content/images.h), and the column form's product and
 * gallery options. Called from entries.c and columns.c. */
#ifndef MH_ADMIN_PRODUCTS_H
#define MH_ADMIN_PRODUCTS_H

#include <stdint.h>

#include "../content/images.h"
#include "admin.h"

/* What the editor form sent for an entry's images, tabs and related
 * entries, checked by the content layer. */
typedef struct {
    bool images_on, tabs_on; /* the column's type has them */
    mh_entry_image_t *images;
    size_t nimages;
    mh_entry_tab_t *tabs;
    size_t ntabs;
    int64_t *related;
    size_t nrelated;
} mh_admin_products_form_t;

/* Read the form for an entry of col (entry_id 0: new). MH_OK, or
 * MH_DECLINED with *msg a message key (images.error.*, tabs.error.*);
 * MH_ERR on a database failure. */
int mh_admin_products_parse(mh_admin_t *a, mh_req_t *req, const mh_column_t *col, int64_t entry_id,
                            mh_admin_products_form_t *out, const char **msg);
/* Store them for entry_id (inside the caller's transaction). */
int mh_admin_products_save(mh_admin_t *a, int64_t entry_id, const mh_admin_products_form_t *f);
/* The editor's inputs for entry e: the values sent when this is a refused
 * POST, else the stored ones (keys products_images, products_tabs...). */
void mh_admin_products_editor_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx, const mh_entry_t *e);

/* The column form: layout and Inquire target of a product or gallery
 * column (ctx keys col_options...), and saving them. */
void mh_admin_products_column_ctx(mh_admin_t *a, mh_req_t *req, mh_val_t *ctx,
                                  const mh_column_t *col);
int mh_admin_products_column_save(mh_admin_t *a, mh_req_t *req, const mh_column_t *col);

#endif
