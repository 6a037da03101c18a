#include "str.h"

#include <ctype.h>

bool mh_str_eq_nocase(mh_str_t a, const char *b)
{
    size_t n = strlen(b);
    if (a.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a.base[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

bool mh_str_to_u64(mh_str_t s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned char)s.base[i] - '0';
        if (d > 9)
            return false;
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}
