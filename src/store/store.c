/* Backend selection and the text forms of enums shared by every backend. */
#include "store.h"

#include <string.h>

int mh_store_open(const char *path, bool create, mh_store_t **out, char *err, size_t errlen)
{
    const struct mh_store_ops *ops = &mh_store_sqlite_ops;
    mh_store_t *s = NULL;
    int rc = ops->open(path, create, &s, err, errlen);
    if (rc != MH_OK)
        goto done;
    rc = ops->migrate(s, NULL, err, errlen);
    if (rc != MH_OK) {
        ops->close(s);
        s = NULL;
    }
done:
    *out = s;
    return rc;
}

void mh_store_close(mh_store_t *s)
{
    if (s)
        s->ops->close(s);
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

const char *mh_store_status_name(mh_status_t s)
{
    return (unsigned)s < MH_ARRAY_LEN(status_names) ? status_names[s] : NULL;
}

int mh_store_status_parse(const char *name)
{
    return parse_name(status_names, MH_ARRAY_LEN(status_names), name);
}

const char *mh_store_sort_name(mh_sort_t s)
{
    return (unsigned)s < MH_ARRAY_LEN(sort_names) ? sort_names[s] : NULL;
}

int mh_store_sort_parse(const char *name)
{
    return parse_name(sort_names, MH_ARRAY_LEN(sort_names), name);
}

const char *mh_store_nav_name(int nav)
{
    return (unsigned)nav < MH_ARRAY_LEN(nav_names) ? nav_names[nav] : NULL;
}

int mh_store_nav_parse(const char *name)
{
    return parse_name(nav_names, MH_ARRAY_LEN(nav_names), name);
}
