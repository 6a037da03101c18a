/* See seo.h. The title pattern is a list of placeholders with literal
 * separators between them; dropping a placeholder drops the separator that
 * joined it to the text before, which is what "{page} - {column} - {site}"
 * wants for pages without a column. */
#include "seo.h"

#include <string.h>

#include "../core/common.h"

#define DEFAULT_PATTERN "{page} - {column} - {site}"

/* The value of a placeholder at q (which starts with '{'), or NULL if q is
 * not one; *len receives its length in the pattern. */
static const char *placeholder(const char *q, const char *page, const char *column,
                               const char *site, size_t *len)
{
    static const struct {
        const char *name;
        int which;
    } names[] = {{"{page}", 0}, {"{title}", 0}, {"{column}", 1}, {"{site}", 2}};
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++) {
        size_t n = strlen(names[i].name);
        if (strncmp(q, names[i].name, n) == 0) {
            *len = n;
            const char *v = names[i].which == 0 ? page : names[i].which == 1 ? column : site;
            return v ? v : "";
        }
    }
    return NULL;
}

const char *mh_seo_title(mh_pool_t *p, const char *pattern, const char *page, const char *column,
                         const char *site)
{
    const char *out = "";
    mh_buf_t b;
    mh_buf_init(&b, 64 * 1024);
    if (!pattern || !pattern[0])
        pattern = DEFAULT_PATTERN;
    const char *lead = pattern; /* literal text since the last placeholder */
    size_t lead_len = 0;
    bool any = false;  /* a value has been written */
    bool seen = false; /* a placeholder has been seen */
    for (const char *q = pattern; *q;) {
        size_t n = 0;
        const char *v = *q == '{' ? placeholder(q, page, column, site, &n) : NULL;
        if (!v) {
            lead_len++;
            q++;
            continue;
        }
        if (v[0]) {
            /* the text before the first placeholder, or the separator from
             * the last value kept */
            if (any || !seen)
                mh_buf_append(&b, lead, lead_len);
            mh_buf_append_c(&b, v);
            any = true;
        }
        seen = true;
        q += n;
        lead = q;
        lead_len = 0;
    }
    if (any || !seen)
        mh_buf_append(&b, lead, lead_len);
    if (!mh_buf_failed(&b)) {
        mh_str_t s = mh_buf_str(&b);
        out = mh_pstrndup(p, s.base ? s.base : "", s.len);
    }
    mh_buf_free(&b);
    return out;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                              : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong or a surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

int mh_seo_json_str(mh_buf_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    mh_buf_putc(b, '"');
    for (const unsigned char *q = (const unsigned char *)(s ? s : ""); *q;) {
        unsigned char ch = *q;
        if (ch == '"' || ch == '\\') {
            mh_buf_putc(b, '\\');
            mh_buf_putc(b, (char)ch);
            q++;
        } else if (ch == '\n') {
            mh_buf_append_c(b, "\\n");
            q++;
        } else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&') {
            char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            mh_buf_append(b, u, sizeof(u));
            q++;
        } else if (ch == 0xE2 && q[1] == 0x80 && (q[2] == 0xA8 || q[2] == 0xA9)) {
            mh_buf_append_c(b, q[2] == 0xA8 ? "\\u2028" : "\\u2029");
            q += 3;
        } else {
            size_t n = utf8_len(q);
            if (n)
                mh_buf_append(b, q, n);
            else
                mh_buf_append_c(b, "\\ufffd");
            q += n ? n : 1;
        }
    }
    return mh_buf_putc(b, '"');
}

const char *mh_seo_og_locale(mh_pool_t *p, const char *code)
{
    char *out = mh_pstrdup(p, code ? code : "");
    for (char *q = out; *q; q++)
        if (*q == '-')
            *q = '_';
    return out;
}
