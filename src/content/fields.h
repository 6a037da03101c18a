/* Custom fields (model/fields.h): the definitions of a column, the fields
 * an entry has (its type's built-in fields, then its column's ancestors'
 * definitions from the root down, then the column's own), server-side
 * validation per kind, and the typed values of an entry.
 *
 * Messages are string keys ("field.error.number"...) that the admin and
 * themes translate; this layer holds no UI text.
 *
 * Return codes: MH_OK, MH_DECLINED (no such row; for validation: some
 * field refused, see the errors), MH_ERR (invalid definition or database
 * failure, logged). */
#ifndef MH_CONTENT_FIELDS_H
#define MH_CONTENT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/fields.h"
#include "content.h"

/* What a form sent for one field: every value under its name (several for
 * a checkbox field; the other kinds use the first). */
typedef struct {
    const char *key;
    const char *const *values;
    size_t n;
} mh_field_input_t;

/* One refused field: its key and a message key. */
typedef struct {
    const char *key;
    const char *message; /* "field.error.required", ".number", ".date", ".email",
                          * ".phone", ".url", ".option", ".media", ".too_long",
                          * ".region" (not a path of content/regions.h) */
} mh_field_error_t;

/* The field's label, help text etc. as one value list for templates. */
typedef struct {
    const mh_field_def_t *def;
    const char **values; /* text forms, in seq order */
    size_t n;
} mh_field_item_t;

/* --- definitions --- */

/* The column's own definitions, by position. */
int mh_fields_defs(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                   size_t *n);
/* The fields an entry of column_id has, in order: the type's built-in
 * fields, the ancestors' definitions (root first), the column's own. A key
 * defined twice counts once (the first). */
int mh_fields_for_column(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                         size_t *n);
int mh_fields_def_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_field_def_t *out);
/* Check a definition: *msg receives a message key when it is refused
 * ("field.error.key" for a bad key, "field.error.kind", "field.error.label",
 * "field.error.options" when a select/radio/checkbox field has none). */
bool mh_fields_def_valid(const mh_field_def_t *d, const char **msg);
/* Create (position: after the last when 0) or update (column_id and key
 * stay as stored). MH_DECLINED with *msg "field.error.key_taken" when the
 * key exists in the column; MH_ERR with *msg for an invalid definition. */
int mh_fields_def_create(mh_content_t *c, mh_field_def_t *in, int64_t *id, const char **msg);
int mh_fields_def_update(mh_content_t *c, const mh_field_def_t *in, const char **msg);
/* Delete a definition and the values stored under it in its column. */
int mh_fields_def_delete(mh_content_t *c, int64_t id);
/* Give the column's definitions ids[0..n) positions 1..n in that order;
 * other ids are ignored. */
int mh_fields_def_reorder(mh_content_t *c, int64_t column_id, const int64_t *ids, size_t n);
/* Move one definition up (dir < 0) or down among its column's. */
int mh_fields_def_move(mh_content_t *c, int64_t id, int dir);

/* --- values --- */

/* Validate inputs against defs. Values come back typed (numbers and dates
 * with their number form), one row per value; fields without a value have
 * no row. Returns MH_OK, or MH_DECLINED with one error per refused field
 * (in definition order); inputs for keys not in defs are ignored. */
int mh_fields_validate(mh_pool_t *p, const mh_field_def_t *defs, size_t ndefs,
                       const mh_field_input_t *in, size_t nin, mh_field_value_t **vals,
                       size_t *nvals, mh_field_error_t **errs, size_t *nerrs);
/* An entry's stored values, by key and seq. */
int mh_fields_values(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_field_value_t **out,
                     size_t *n);
/* Pair definitions with an entry's values: items[i] for defs[i]. */
mh_field_item_t *mh_fields_items(mh_pool_t *p, const mh_field_def_t *defs, size_t ndefs,
                                 const mh_field_value_t *vals, size_t nvals);
/* Replace an entry's values (inside the caller's transaction when there
 * is one); bumps the generation. mh_content_entry_save_fields is the way to
 * write them together with the entry. */
int mh_fields_values_set(mh_content_t *c, int64_t entry_id, const mh_field_value_t *vals, size_t n);
/* Ids of the live entries of a column whose field key has value (a
 * filterable field), newest first. */
int mh_fields_filter(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *key,
                     const char *value, int64_t offset, int64_t limit, int64_t **ids, size_t *n,
                     int64_t *total);

#endif
