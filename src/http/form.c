#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "../core/common.h"

void mh_form_init(mh_form_t *f, size_t max_fields, size_t max_value, size_t max_file)
{
    memset(f, 0, sizeof(*f));
    f->max_fields = max_fields;
    f->max_value = max_value;
    f->max_file = max_file;
    mh_buf_init(&f->raw, max_file > max_value ? max_file : max_value);
}

void mh_form_free(mh_form_t *f)
{
    for (size_t i = 0; i < f->n; i++)
        mh_buf_free(&f->fields[i].data);
    free(f->fields);
    mh_buf_free(&f->raw);
    f->fields = NULL;
    f->n = f->cap = 0;
}

int mh_form_feed(mh_form_t *f, mh_pool_t *pool, const char *name, const char *filename,
                 const char *content_type, const char *data, size_t off, size_t size)
{
    if (f->failed)
        return MH_TOOBIG;
    mh_form_field_t *fld = f->n ? &f->fields[f->n - 1] : NULL;
    /* a new field starts at offset 0 or when the name changes */
    if (!fld || off == 0 || strcmp(fld->name, name) != 0) {
        if (f->n >= f->max_fields) {
            f->failed = true;
            return MH_TOOBIG;
        }
        if (f->n == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 16;
            f->fields = mh_realloc(f->fields, f->cap * sizeof(*f->fields));
        }
        fld = &f->fields[f->n++];
        memset(fld, 0, sizeof(*fld));
        fld->name = mh_pstrdup(pool, name);
        fld->filename = filename ? mh_pstrdup(pool, filename) : NULL;
        fld->content_type = content_type ? mh_pstrdup(pool, content_type) : NULL;
        mh_buf_init(&fld->data, filename ? f->max_file : f->max_value);
    }
    if (size && mh_buf_append(&fld->data, data, size) != MH_OK) {
        f->failed = true;
        return MH_TOOBIG;
    }
    return MH_OK;
}

mh_str_t mh_form_get(const mh_form_t *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->fields[i].filename && strcmp(f->fields[i].name, name) == 0)
            return mh_buf_str(&f->fields[i].data);
    return MH_STR_NULL;
}

const char *mh_form_cstr(const mh_form_t *f, mh_pool_t *pool, const char *name)
{
    mh_str_t v = mh_form_get(f, name);
    return v.base ? mh_pstrndup(pool, v.base, v.len) : NULL;
}

size_t mh_form_get_all(const mh_form_t *f, const char *name, mh_str_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n && n < max; i++)
        if (!f->fields[i].filename && strcmp(f->fields[i].name, name) == 0)
            out[n++] = mh_buf_str(&f->fields[i].data);
    return n;
}

const mh_form_field_t *mh_form_file(const mh_form_t *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fields[i].filename && strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    return NULL;
}
