/* Text forms of the model's enums (status, sort, nav, review action, field
 * kind) and the field key rule. Pure functions on
 * constant tables, shared by content/ and the store backends. */
#include "editorial.h"
#include "fields.h"
#include "model.h"

#include <string.h>

#include "../core/common.h"

static const char *const review_names[] = {NULL, "submit", "approve", "reject", "comment"};

const char *mh_review_action_name(mh_review_action_t a)
{
    return (unsigned)a < MH_ARRAY_LEN(review_names) ? review_names[a] : NULL;
}

mh_review_action_t mh_review_action_parse(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 1; i < MH_ARRAY_LEN(review_names); i++)
        if (strcmp(review_names[i], name) == 0)
            return (mh_review_action_t)i;
    return 0;
}

static const char *const kind_names[] = {
    NULL,   "text",  "textarea", "number", "select", "radio", "checkbox",
    "date", "email", "phone",    "url",    "region", "image", "file",
};

const char *mh_field_kind_name(mh_field_kind_t k)
{
    return (unsigned)k < MH_ARRAY_LEN(kind_names) ? kind_names[k] : NULL;
}

mh_field_kind_t mh_field_kind_parse(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 1; i < MH_ARRAY_LEN(kind_names); i++)
        if (strcmp(kind_names[i], name) == 0)
            return (mh_field_kind_t)i;
    return 0;
}

bool mh_field_kind_has_options(mh_field_kind_t k)
{
    return k == MH_FIELD_SELECT || k == MH_FIELD_RADIO || k == MH_FIELD_CHECKBOX;
}

bool mh_field_key_valid(const char *key)
{
    if (!key || !(key[0] >= 'a' && key[0] <= 'z'))
        return false;
    size_t n = 0;
    for (const char *s = key; *s; s++, n++) {
        char ch = *s;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return n <= MH_FIELD_KEY_MAX;
}

static int parse_name(const char *const *names, size_t n, const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

static const char *const status_names[] = {"draft", "published", "scheduled", "pending"};
static const char *const sort_names[] = {"newest", "oldest", "manual", "title", "hits"};
static const char *const nav_names[] = {"hidden", "header", "footer", "both"};

const char *mh_status_name(mh_status_t s)
{
    return (unsigned)s < MH_ARRAY_LEN(status_names) ? status_names[s] : NULL;
}

int mh_status_parse(const char *name)
{
    return parse_name(status_names, MH_ARRAY_LEN(status_names), name);
}

const char *mh_sort_name(mh_sort_t s)
{
    return (unsigned)s < MH_ARRAY_LEN(sort_names) ? sort_names[s] : NULL;
}

int mh_sort_parse(const char *name)
{
    return parse_name(sort_names, MH_ARRAY_LEN(sort_names), name);
}

const char *mh_nav_name(int nav)
{
    return (unsigned)nav < MH_ARRAY_LEN(nav_names) ? nav_names[nav] : NULL;
}

int mh_nav_parse(const char *name)
{
    return parse_name(nav_names, MH_ARRAY_LEN(nav_names), name);
}
