/* Request bodies: form fields and uploaded files, parsed while the body
 * streams in (libmicrohttpd's post processor) and bounded as they grow.
 * A file's name and content type are the client's claims: metadata only,
 * never a path and never trusted for the file's type. */
#ifndef MH_HTTP_FORM_H
#define MH_HTTP_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../core/pool.h"
#include "../core/str.h"

typedef struct {
    const char *name;
    const char *filename;     /* non-NULL for a file part */
    const char *content_type; /* as the client claimed, or NULL */
    mh_buf_t data;            /* the value or the file's bytes */
} mh_form_field_t;

typedef struct {
    mh_form_field_t *fields;
    size_t n, cap;
    size_t max_fields; /* further fields make the form fail */
    size_t max_value;  /* bytes per text field */
    size_t max_file;   /* bytes per file */
    bool failed;       /* a bound was passed: answer 413 */
    mh_buf_t raw;      /* bodies that are not forms (JSON) */
} mh_form_t;

/* Start an empty form with its bounds. */
void mh_form_init(mh_form_t *f, size_t max_fields, size_t max_value, size_t max_file);
/* Free the field buffers (the pool holds the rest). */
void mh_form_free(mh_form_t *f);

/* Append a chunk of field name's value (a new field begins when off is 0).
 * Returns MH_OK or MH_TOOBIG (the form is then marked failed). */
int mh_form_feed(mh_form_t *f, mh_pool_t *pool, const char *name, const char *filename,
                 const char *content_type, const char *data, size_t off, size_t size);

/* The first text field called name, or MH_STR_NULL (base NULL). */
mh_str_t mh_form_get(const mh_form_t *f, const char *name);
/* As a NUL-terminated string in the pool; NULL when absent. */
const char *mh_form_cstr(const mh_form_t *f, mh_pool_t *pool, const char *name);
/* Every text value of a repeated field (checkboxes), in order. */
size_t mh_form_get_all(const mh_form_t *f, const char *name, mh_str_t *out, size_t max);
/* The first file part called name, or NULL. */
const mh_form_field_t *mh_form_file(const mh_form_t *f, const char *name);

#endif
