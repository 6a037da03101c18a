/* One URL policy for every URL-valued field. It is deliberately narrower
 * than the sanitiser's policy for links inside bodies (which also keeps
 * mailto: and protocol-relative URLs): a field such as a cover lands in
 * src= or href= attributes of theme templates that cannot know where it
 * came from, so only the forms a site actually needs are allowed. */
#include "validate.h"

#include <string.h>

enum { URL_MAX = 2048 };

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool prefix_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (a != *prefix)
            return false;
    }
    return true;
}

bool mh_content_url_ok(const char *url)
{
    size_t n, first_end;
    if (!url)
        return true;
    n = strlen(url);
    if (n == 0)
        return true;
    if (n > URL_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)url[i];
        if (ch <= 0x20 || ch == 0x7f || ch == '\\')
            return false;
    }
    /* The scheme, if any, ends at the first ':' before any '/', '?', '#'. */
    first_end = strcspn(url, "/?#");
    const char *colon = memchr(url, ':', first_end);
    if (memchr(url, '&', first_end))
        return false;
    if (colon) {
        size_t skip;
        if (prefix_nocase(url, "https://"))
            skip = 8;
        else if (prefix_nocase(url, "http://"))
            skip = 7;
        else
            return false;
        /* a host must follow: not empty, not another slash */
        return url[skip] != '\0' && url[skip] != '/' && url[skip] != '?' && url[skip] != '#';
    }
    /* relative: a path, query or fragment, but never "//host" */
    return !(url[0] == '/' && url[1] == '/');
}

bool mh_content_setting_is_url(const char *key)
{
    return key && (strcmp(key, "base_url") == 0 || has_suffix(key, "_url"));
}

bool mh_content_setting_is_html(const char *key)
{
    return key && has_suffix(key, "_html");
}
