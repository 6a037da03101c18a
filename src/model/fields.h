/* Custom fields: typed field definitions per column and typed values per
 * entry.
 *
 * An entry's fields are the definitions of its column and of the column's
 * ancestors (nearest column last), after the built-in fields of the
 * column's content type (content/types.h). A definition's key is unique
 * within its column and never changes once created (values are stored by
 * key).
 *
 * Values are stored one row per value (a checkbox field has several, seq
 * 0, 1, ...): the text form always, and the numeric form too for numbers
 * (and dates as YYYYMMDD), so a list can be filtered by (key, value) and
 * ranged by number through an index, never by parsing a blob. */
#ifndef MH_MODEL_FIELDS_H
#define MH_MODEL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    MH_FIELD_TEXT = 1, /* one line */
    MH_FIELD_TEXTAREA, /* several lines of plain text */
    MH_FIELD_NUMBER,   /* decimal number */
    MH_FIELD_SELECT,   /* one of options */
    MH_FIELD_RADIO,    /* one of options */
    MH_FIELD_CHECKBOX, /* any of options: several values */
    MH_FIELD_DATE,     /* YYYY-MM-DD */
    MH_FIELD_EMAIL,
    MH_FIELD_PHONE,
    MH_FIELD_URL,    /* http(s) */
    MH_FIELD_REGION, /* "province/city/district" */
    MH_FIELD_IMAGE,  /* media library reference (/media/...) or URL */
    MH_FIELD_FILE,   /* media library reference */
} mh_field_kind_t;

/* "text", "textarea", "number", "select", "radio", "checkbox", "date",
 * "email", "phone", "url", "region", "image", "file"; NULL if unknown. */
const char *mh_field_kind_name(mh_field_kind_t k);
/* Inverse of mh_field_kind_name; 0 if unknown. */
mh_field_kind_t mh_field_kind_parse(const char *name);
/* select, radio and checkbox take options. */
bool mh_field_kind_has_options(mh_field_kind_t k);

/* Keys: [a-z][a-z0-9_]*, at most MH_FIELD_KEY_MAX bytes. */
#define MH_FIELD_KEY_MAX 40
bool mh_field_key_valid(const char *key);

typedef struct {
    int64_t id;        /* 0 for a built-in field of a content type */
    int64_t column_id; /* 0 for a built-in field */
    const char *key;
    mh_field_kind_t kind;
    const char *label;   /* shown in the admin form and to templates */
    const char *help;    /* help text under the input, or "" */
    const char *options; /* select, radio, checkbox: one option per line */
    bool required;
    bool show_in_list; /* list items carry the value too */
    bool filterable;   /* lists may be filtered by it */
    int position;      /* order within the column */
} mh_field_def_t;

/* One stored value. */
typedef struct {
    int64_t entry_id;
    const char *key;
    int seq;          /* 0, 1, ... for the values of a checkbox field */
    const char *text; /* always set */
    bool has_num;
    double num; /* numbers; dates as YYYYMMDD */
} mh_field_value_t;

#endif
