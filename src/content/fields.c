/* Custom fields on top of the store's field ops. Validation lives here, in
 * the content layer, so the admin, a public form, an importer or an API
 * all get the same checks; the store only keeps what passed. */
#include "fields.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../store/fields.h"
#include "../store/store.h"
#include "regions.h"
#include "types.h"

/* Longest accepted value, in bytes, by kind (textarea gets more). */
#define VALUE_MAX 2000
#define TEXTAREA_MAX 20000
/* Most levels of columns walked for ancestors' definitions. */
#define DEPTH_MAX 32

static const struct mh_store_field_ops *fops(mh_content_t *c)
{
    return mh_content_store(c)->ops->fields;
}

/* --- definitions --- */

int mh_fields_defs(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                   size_t *n)
{
    /* from the generation's snapshot: every write here bumps the generation */
    return mh_content_column_fields(c, p, column_id, out, n);
}

static bool has_key(const mh_field_def_t *defs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(defs[i].key, key) == 0)
            return true;
    return false;
}

int mh_fields_for_column(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                         size_t *n)
{
    int64_t chain[DEPTH_MAX];
    size_t depth = 0, total = 0, cap;
    mh_column_t col;
    mh_field_def_t *all;
    mh_field_def_t *per[DEPTH_MAX];
    size_t nper[DEPTH_MAX];
    const mh_content_type_t *type = NULL;
    int rc = MH_OK;
    *out = NULL;
    *n = 0;
    /* the column and its ancestors, nearest first */
    for (int64_t id = column_id; id && depth < DEPTH_MAX; id = col.parent_id) {
        rc = mh_content_column_get(c, p, id, &col);
        if (rc != MH_OK)
            return rc;
        if (depth == 0)
            type = mh_content_type(col.module);
        chain[depth++] = id;
    }
    /* a column whose entries take applications (jobs): its custom fields
     * are the application form's (site/forms.c), not its entries' */
    if (type && (type->flags & MH_TYPE_APPLY))
        depth = 0;
    for (size_t i = 0; i < depth; i++) {
        rc = mh_fields_defs(c, p, chain[i], &per[i], &nper[i]);
        if (rc != MH_OK)
            return rc;
        total += nper[i];
    }
    cap = total + (type ? type->nfields : 0);
    all = mh_pnalloc(p, cap ? cap : 1, sizeof(*all));
    for (size_t i = 0; type && i < type->nfields; i++)
        if (!has_key(all, *n, type->fields[i].key))
            all[(*n)++] = type->fields[i];
    for (size_t i = depth; i-- > 0;)
        for (size_t j = 0; j < nper[i]; j++)
            if (!has_key(all, *n, per[i][j].key))
                all[(*n)++] = per[i][j];
    *out = all;
    return MH_OK;
}

int mh_fields_def_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_field_def_t *out)
{
    return fops(c)->def_get(mh_content_store(c), p, id, out);
}

static bool has_option(const char *options)
{
    for (const char *s = options ? options : ""; *s; s++)
        if (*s != '\n' && *s != '\r' && *s != ' ')
            return true;
    return false;
}

bool mh_fields_def_valid(const mh_field_def_t *d, const char **msg)
{
    *msg = NULL;
    if (!mh_field_key_valid(d->key))
        *msg = "field.error.key";
    else if (!mh_field_kind_name(d->kind))
        *msg = "field.error.kind";
    else if (!d->label || !*d->label || strlen(d->label) > 200)
        *msg = "field.error.label";
    else if (mh_field_kind_has_options(d->kind) && !has_option(d->options))
        *msg = "field.error.options";
    else if ((d->help && strlen(d->help) > VALUE_MAX) ||
             (d->options && strlen(d->options) > TEXTAREA_MAX))
        *msg = "field.error.too_long";
    return *msg == NULL;
}

int mh_fields_def_create(mh_content_t *c, mh_field_def_t *in, int64_t *id, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t col;
    mh_field_def_t *defs;
    size_t n = 0;
    int rc = MH_ERR;
    if (!mh_fields_def_valid(in, msg))
        goto done;
    if (mh_content_column_get(c, p, in->column_id, &col) != MH_OK) {
        *msg = "field.error.column";
        goto done;
    }
    if (in->position == 0) {
        if (mh_fields_defs(c, p, in->column_id, &defs, &n) != MH_OK)
            goto done;
        in->position = n ? defs[n - 1].position + 1 : 1;
    }
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_content_tx_end(c, fops(c)->def_insert(mh_content_store(c), in, id));
    if (rc == MH_DECLINED)
        *msg = "field.error.key_taken";
    if (rc == MH_OK)
        in->id = *id;
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_fields_def_update(mh_content_t *c, const mh_field_def_t *in, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    mh_field_def_t old, d = *in;
    int rc = mh_fields_def_get(c, p, in->id, &old);
    if (rc != MH_OK)
        goto done;
    d.key = old.key; /* values are stored by key: it never changes */
    d.column_id = old.column_id;
    if (!mh_fields_def_valid(&d, msg)) {
        rc = MH_ERR;
        goto done;
    }
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_content_tx_end(c, fops(c)->def_update(mh_content_store(c), &d));
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_fields_def_delete(mh_content_t *c, int64_t id)
{
    mh_store_t *s = mh_content_store(c);
    int rc;
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        return rc;
    return mh_content_tx_end(c, fops(c)->def_delete(s, id));
}

int mh_fields_def_reorder(mh_content_t *c, int64_t column_id, const int64_t *ids, size_t n)
{
    mh_pool_t *p = mh_pool_create();
    mh_store_t *s = mh_content_store(c);
    mh_field_def_t *defs;
    size_t nd = 0;
    int rc = mh_fields_defs(c, p, column_id, &defs, &nd);
    if (rc != MH_OK)
        goto done;
    rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        goto done;
    int pos = 1;
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        bool mine = false;
        for (size_t j = 0; j < nd; j++)
            mine = mine || defs[j].id == ids[i];
        if (mine)
            rc = fops(c)->def_set_position(s, ids[i], pos++);
    }
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_fields_def_move(mh_content_t *c, int64_t id, int dir)
{
    mh_pool_t *p = mh_pool_create();
    mh_field_def_t d, *defs;
    size_t n = 0, at = 0;
    int64_t *ids;
    int rc = mh_fields_def_get(c, p, id, &d);
    if (rc != MH_OK)
        goto done;
    rc = mh_fields_defs(c, p, d.column_id, &defs, &n);
    if (rc != MH_OK)
        goto done;
    ids = mh_pnalloc(p, n ? n : 1, sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        ids[i] = defs[i].id;
        if (defs[i].id == id)
            at = i;
    }
    size_t other = dir < 0 ? at - 1 : at + 1;
    if ((dir < 0 && at == 0) || other >= n)
        goto done; /* already at that end */
    ids[at] = ids[other];
    ids[other] = id;
    rc = mh_fields_def_reorder(c, d.column_id, ids, n);
done:
    mh_pool_destroy(p);
    return rc;
}

/* --- validation --- */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool parse_number(const char *s, double *out)
{
    char *end = NULL;
    if (!*s || strlen(s) > 40)
        return false;
    for (const char *q = s; *q; q++)
        if (!(is_digit(*q) || *q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E'))
            return false; /* no "inf", "nan", hex or spaces */
    *out = strtod(s, &end);
    return end && *end == '\0' && isfinite(*out);
}

/* YYYY-MM-DD, a real calendar day; *num receives YYYYMMDD. */
static bool parse_date(const char *s, double *num)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return false;
    *num = (double)y * 10000 + m * 100 + d;
    return true;
}

static bool valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    size_t len = strlen(s);
    if (!at || at == s || strchr(at + 1, '@') || len > 254)
        return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1])
        return false;
    for (const char *q = s; *q; q++)
        if (*q == ' ' || *q == '<' || *q == '>' || *q == '"' || *q == ',' || *q == ';')
            return false;
    return true;
}

static bool valid_phone(const char *s)
{
    size_t digits = 0, len = strlen(s);
    if (len > 32)
        return false;
    for (const char *q = s; *q; q++) {
        if (is_digit(*q))
            digits++;
        else if (!strchr("+-() .", *q))
            return false;
    }
    return digits >= 3;
}

static bool valid_url(const char *s)
{
    const char *host;
    if (strncmp(s, "https://", 8) == 0)
        host = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        host = s + 7;
    else
        return false;
    if (!*host || *host == '/' || strlen(s) > VALUE_MAX)
        return false;
    for (const char *q = s; *q; q++)
        if (*q == ' ' || *q == '"' || *q == '<' || *q == '>' || *q == '\\')
            return false;
    return true;
}

/* A media library reference ("/media/ab/<hex>.<ext>"), no way out of it. */
static bool valid_media_ref(const char *s)
{
    return strncmp(s, "/media/", 7) == 0 && s[7] && !strstr(s, "..") && !strchr(s, '\\') &&
           !strchr(s, ' ') && !strchr(s, '"');
}

/* Is v one of the lines of options (spaces around a line ignored)? */
static bool in_options(const char *options, const char *v)
{
    const char *s = options ? options : "";
    size_t vlen = strlen(v);
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        const char *a = s, *b = s + len;
        while (a < b && (*a == ' ' || *a == '\r'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\r'))
            b--;
        if ((size_t)(b - a) == vlen && vlen && memcmp(a, v, vlen) == 0)
            return true;
        if (!e)
            break;
        s = e + 1;
    }
    return false;
}

/* Check one value of a field; NULL when fine, else the message key. */
static const char *check_value(const mh_field_def_t *d, const char *v, mh_field_value_t *out)
{
    size_t max = d->kind == MH_FIELD_TEXTAREA ? TEXTAREA_MAX : VALUE_MAX;
    if (strlen(v) > max)
        return "field.error.too_long";
    if (d->kind != MH_FIELD_TEXTAREA && has_ctl(v))
        return "field.error.text";
    switch (d->kind) {
    case MH_FIELD_NUMBER:
        if (!parse_number(v, &out->num))
            return "field.error.number";
        out->has_num = true;
        break;
    case MH_FIELD_DATE:
        if (!parse_date(v, &out->num))
            return "field.error.date";
        out->has_num = true;
        break;
    case MH_FIELD_EMAIL:
        if (!valid_email(v))
            return "field.error.email";
        break;
    case MH_FIELD_PHONE:
        if (!valid_phone(v))
            return "field.error.phone";
        break;
    case MH_FIELD_URL:
        if (!valid_url(v))
            return "field.error.url";
        break;
    case MH_FIELD_SELECT:
    case MH_FIELD_RADIO:
    case MH_FIELD_CHECKBOX:
        if (!in_options(d->options, v))
            return "field.error.option";
        break;
    case MH_FIELD_REGION:
        if (!mh_region_path_ok(v, NULL, NULL))
            return "field.error.region";
        break;
    case MH_FIELD_IMAGE:
        if (!valid_media_ref(v) && !valid_url(v))
            return "field.error.media";
        break;
    case MH_FIELD_FILE:
        if (!valid_media_ref(v))
            return "field.error.media";
        break;
    default:
        break;
    }
    return NULL;
}

static const mh_field_input_t *find_input(const mh_field_input_t *in, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (in[i].key && strcmp(in[i].key, key) == 0)
            return &in[i];
    return NULL;
}

/* Trimmed copy of v (leading and trailing spaces and line ends). */
static const char *trimmed(mh_pool_t *p, const char *v)
{
    const char *a = v ? v : "", *b;
    while (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n')
        a++;
    b = a + strlen(a);
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r' || b[-1] == '\n'))
        b--;
    char *s = mh_palloc(p, (size_t)(b - a) + 1);
    memcpy(s, a, (size_t)(b - a));
    s[b - a] = '\0';
    return s;
}

int mh_fields_validate(mh_pool_t *p, const mh_field_def_t *defs, size_t ndefs,
                       const mh_field_input_t *in, size_t nin, mh_field_value_t **vals,
                       size_t *nvals, mh_field_error_t **errs, size_t *nerrs)
{
    size_t cap = 0;
    for (size_t i = 0; i < nin; i++)
        cap += in[i].n;
    *vals = mh_pnalloc(p, cap ? cap : 1, sizeof(**vals));
    *errs = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(**errs));
    *nvals = 0;
    *nerrs = 0;
    for (size_t i = 0; i < ndefs; i++) {
        const mh_field_def_t *d = &defs[i];
        const mh_field_input_t *f = find_input(in, nin, d->key);
        size_t given = f ? f->n : 0, kept = 0, first = *nvals;
        const char *msg = NULL;
        if (d->kind != MH_FIELD_CHECKBOX && given > 1)
            given = 1;
        for (size_t j = 0; j < given && !msg; j++) {
            const char *v = trimmed(p, f->values[j]);
            if (!*v)
                continue;
            mh_field_value_t *out = &(*vals)[*nvals];
            *out = (mh_field_value_t){.key = d->key, .seq = (int)kept, .text = v};
            msg = check_value(d, v, out);
            if (!msg) {
                (*nvals)++;
                kept++;
            }
        }
        if (!msg && d->required && kept == 0)
            msg = "field.error.required";
        if (msg) {
            *nvals = first; /* nothing of a refused field is kept */
            (*errs)[(*nerrs)++] = (mh_field_error_t){d->key, msg};
        }
    }
    return *nerrs ? MH_DECLINED : MH_OK;
}

/* --- values --- */

int mh_fields_values(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_field_value_t **out,
                     size_t *n)
{
    return fops(c)->values(mh_content_store(c), p, entry_id, out, n);
}

mh_field_item_t *mh_fields_items(mh_pool_t *p, const mh_field_def_t *defs, size_t ndefs,
                                 const mh_field_value_t *vals, size_t nvals)
{
    mh_field_item_t *items = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(*items));
    for (size_t i = 0; i < ndefs; i++) {
        size_t k = 0;
        items[i].def = &defs[i];
        items[i].n = 0;
        for (size_t j = 0; j < nvals; j++)
            k += strcmp(vals[j].key, defs[i].key) == 0;
        items[i].values = mh_pnalloc(p, k ? k : 1, sizeof(char *));
        /* vals come by key then seq, so the order is kept */
        for (size_t j = 0; j < nvals; j++)
            if (strcmp(vals[j].key, defs[i].key) == 0)
                items[i].values[items[i].n++] = vals[j].text;
    }
    return items;
}

int mh_fields_values_set(mh_content_t *c, int64_t entry_id, const mh_field_value_t *vals, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return mh_content_tx_end(c, fops(c)->values_set(mh_content_store(c), entry_id, vals, n));
}

int mh_fields_filter(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *key,
                     const char *value, int64_t offset, int64_t limit, int64_t **ids, size_t *n,
                     int64_t *total)
{
    if (limit <= 0 || limit > 200)
        limit = limit <= 0 ? 20 : 200;
    return fops(c)->filter(mh_content_store(c), p, column_id, key, value, offset, limit, ids, n,
                           total);
}
