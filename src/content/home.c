/* Home page composition as a setting value (home.h). One line per block
 * keeps the value readable in the sqlite3 shell and in a settings export;
 * the parser is lenient because the value may have been edited by hand. */
#include "home.h"

#include <stdio.h>
#include <string.h>

#include "../core/str.h"

static const char *const kind_names[MH_HOME_NKINDS] = {"list", "cards", "headline", "strip"};

const char *mh_home_kind_name(mh_home_kind_t k)
{
    return k < MH_HOME_NKINDS ? kind_names[k] : kind_names[0];
}

int mh_home_kind_parse(const char *name)
{
    for (int i = 0; name && i < MH_HOME_NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}

/* The next space-separated word of [*s, end) as a string. */
static mh_str_t word(const char **s, const char *end)
{
    while (*s < end && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++;
    const char *b = *s;
    while (*s < end && **s != ' ' && **s != '\t' && **s != '\r')
        (*s)++;
    return (mh_str_t){b, (size_t)(*s - b)};
}

static bool parse_line(const char *s, const char *end, mh_home_block_t *out)
{
    mh_str_t id = word(&s, end), kind = word(&s, end), count = word(&s, end);
    unsigned long long v = 0, c = 0;
    if (!mh_str_to_u64(id, INT64_MAX, &v) || v == 0 ||
        !mh_str_to_u64(count, MH_HOME_MAX_COUNT, &c) || c == 0 || kind.len == 0 || kind.len > 15)
        return false;
    char k[16];
    memcpy(k, kind.base, kind.len);
    k[kind.len] = '\0';
    int kd = mh_home_kind_parse(k);
    if (kd < 0)
        return false;
    out->column_id = (int64_t)v;
    out->kind = (mh_home_kind_t)kd;
    out->count = (int)c;
    return true;
}

size_t mh_home_parse(const char *text, mh_home_block_t *out, size_t max)
{
    size_t n = 0;
    const char *s = text ? text : "";
    while (*s && n < max) {
        const char *nl = strchr(s, '\n');
        const char *end = nl ? nl : s + strlen(s);
        if (parse_line(s, end, &out[n]))
            n++;
        s = nl ? nl + 1 : end;
    }
    return n;
}

char *mh_home_format(mh_pool_t *p, const mh_home_block_t *b, size_t n)
{
    char out[MH_HOME_MAX_BLOCKS * 48 + 1];
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && i < MH_HOME_MAX_BLOCKS; i++) {
        int w = snprintf(out + len, sizeof(out) - len, "%lld %s %d\n", (long long)b[i].column_id,
                         mh_home_kind_name(b[i].kind), b[i].count);
        if (w < 0 || (size_t)w >= sizeof(out) - len)
            break;
        len += (size_t)w;
    }
    return mh_pstrndup(p, out, len);
}
