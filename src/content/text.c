/* Slugs and times: the small text helpers of the content domain. */
#include "content.h"
#include "tz.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ASCII folding of Latin-1 Supplement and Latin Extended-A letters, as
 * ranges of code points that all fold to the same letters. */
static const struct {
    unsigned lo, hi;
    const char *ascii;
} latin_fold[] = {
    {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},
    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},
    {0xD8, 0xD8, "o"},   {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},
    {0xDF, 0xDF, "ss"},  {0xE0, 0xE5, "a"},    {0xE6, 0xE6, "ae"},  {0xE7, 0xE7, "c"},
    {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},    {0xF0, 0xF0, "d"},   {0xF1, 0xF1, "n"},
    {0xF2, 0xF6, "o"},   {0xF8, 0xF8, "o"},    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},
    {0xFE, 0xFE, "th"},  {0xFF, 0xFF, "y"},    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},
    {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},  {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},
    {0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
    {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},  {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"},
    {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},  {0x162, 0x167, "t"}, {0x168, 0x173, "u"},
    {0x174, 0x175, "w"}, {0x176, 0x178, "y"},  {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
};

/* Decode one UTF-8 sequence at s (NUL-terminated). Invalid bytes decode as
 * U+FFFD one byte at a time. */
static unsigned utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned cp, need;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1F;
        need = 1;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0F;
        need = 2;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07;
        need = 3;
    } else {
        *s = p + 1;
        return 0xFFFD;
    }
    for (unsigned i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s = p + need + 1;
    return cp;
}

enum { SLUG_MAX = 80 };

/* Mandarin readings of U+3400..U+9FFF, generated at build time from
 * Unicode's Unihan data (scripts/gen-pinyin.sh): an index per code point
 * into the syllables, 0 for none. */
extern const char *const mh_pinyin_syllables[];
extern const unsigned mh_pinyin_first, mh_pinyin_last;
extern const uint16_t mh_pinyin_index[];

const char *mh_pinyin(unsigned cp)
{
    if (cp < mh_pinyin_first || cp > mh_pinyin_last)
        return NULL;
    uint16_t i = mh_pinyin_index[cp - mh_pinyin_first];
    return i ? mh_pinyin_syllables[i] : NULL;
}

char *mh_slugify(mh_pool_t *p, const char *title)
{
    char out[SLUG_MAX + 8];
    size_t n = 0;
    bool sep = false; /* a separator is pending */
    bool han = false; /* the word being added is a Han character's reading */
    const unsigned char *s = (const unsigned char *)(title ? title : "");
    while (*s && n < SLUG_MAX) {
        unsigned cp = utf8_next(&s);
        const char *fold = NULL;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0; /* full-width ASCII forms: ＡＢＣ -> ABC */
        char one[2] = {0, 0};
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            one[0] = (char)cp;
            fold = one;
        } else if (cp >= 'A' && cp <= 'Z') {
            one[0] = (char)(cp - 'A' + 'a');
            fold = one;
        } else if (cp == '\'' || cp == 0x2019) {
            continue; /* "Don't" -> "dont", not "don-t" */
        } else if ((fold = mh_pinyin(cp)) != NULL) {
            /* a Han character is a word of its own: 2024年 -> 2024-nian */
            sep = n > 0;
            han = true;
        } else {
            for (size_t i = 0; i < MH_ARRAY_LEN(latin_fold); i++)
                if (cp >= latin_fold[i].lo && cp <= latin_fold[i].hi) {
                    fold = latin_fold[i].ascii;
                    break;
                }
        }
        if (!fold) {
            sep = n > 0;
            continue;
        }
        size_t fl = strlen(fold);
        if (n + (sep ? 1 : 0) + fl > SLUG_MAX)
            break;
        if (sep)
            out[n++] = '-';
        sep = false;
        memcpy(out + n, fold, fl);
        n += fl;
        sep = han;
        han = false;
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    return mh_pstrndup(p, out, n);
}

bool mh_parse_utc_offset(const char *s, int *secs)
{
    int sign, h = 0, m = 0;
    size_t i = 1, digits = 0;
    *secs = 0;
    if (!s)
        return false;
    if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0)
        return true;
    if (s[0] != '+' && s[0] != '-')
        return false;
    sign = s[0] == '-' ? -1 : 1;
    while (s[i] >= '0' && s[i] <= '9' && digits < 2) {
        h = h * 10 + (s[i++] - '0');
        digits++;
    }
    if (digits == 0)
        return false;
    if (s[i] == ':')
        i++;
    if (s[i]) {
        if (!(s[i] >= '0' && s[i] <= '5') || !(s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 2])
            return false;
        m = (s[i] - '0') * 10 + (s[i + 1] - '0');
    } else if (s[i - 1] == ':') {
        return false;
    }
    if (h > 14)
        return false;
    *secs = sign * (h * 3600 + m * 60);
    return true;
}

/* Year, month (1-12) and day of a count of days since 1970-01-01 in the
 * proleptic Gregorian calendar (eras of 400 years, March-based years). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static char *put2(char *o, int v)
{
    *o++ = (char)('0' + v / 10);
    *o++ = (char)('0' + v % 10);
    return o;
}

/* The numeric conversions pages use on every entry (%Y %m %d %H %M %S %F
 * %T %%) written directly: no gmtime_r (which takes glibc's time zone
 * lock) and no strftime. false for anything else, which strftime does. */
static bool format_numeric(int64_t t, const char *fmt, char *buf, size_t size, size_t *len)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
    int64_t secs = t - days * 86400;
    int mo, d, h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
    civil_from_days(days, &y, &mo, &d);
    if (y < 1000 || y > 9999) /* strftime does not pad %Y */
        return false;
    char *o = buf, *end = buf + size;
    for (const char *f = fmt; *f; f++) {
        if (end - o < 20)
            return false;
        if (*f != '%') {
            *o++ = *f;
            continue;
        }
        switch (*++f) {
        case 'Y':
            o = put2(put2(o, (int)(y / 100)), (int)(y % 100));
            break;
        case 'm':
            o = put2(o, mo);
            break;
        case 'd':
            o = put2(o, d);
            break;
        case 'H':
            o = put2(o, h);
            break;
        case 'M':
            o = put2(o, mi);
            break;
        case 'S':
            o = put2(o, s);
            break;
        case 'F':
            o = put2(put2(o, (int)(y / 100)), (int)(y % 100));
            *o++ = '-';
            o = put2(o, mo);
            *o++ = '-';
            o = put2(o, d);
            break;
        case 'T':
            o = put2(o, h);
            *o++ = ':';
            o = put2(o, mi);
            *o++ = ':';
            o = put2(o, s);
            break;
        case '%':
            *o++ = '%';
            break;
        default:
            return false;
        }
    }
    *len = (size_t)(o - buf);
    return true;
}

char *mh_format_time(mh_pool_t *p, int64_t t, const char *fmt, const char *utc_offset)
{
    char buf[512];
    int off = 0;
    struct tm tm;
    time_t tt;
    size_t n;
    if (!fmt || !*fmt)
        return mh_pstrdup(p, "");
    mh_tz_offset(utc_offset, t, &off);
    if (format_numeric(t + off, fmt, buf, sizeof(buf), &n))
        return mh_pstrndup(p, buf, n);
    tt = (time_t)(t + off);
    if (!gmtime_r(&tt, &tm))
        return mh_pstrdup(p, "");
    n = strftime(buf, sizeof(buf), fmt, &tm);
    return mh_pstrndup(p, buf, n);
}

static bool digits(const char **s, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        char ch = (*s)[i];
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    *s += count;
    *out = v;
    return true;
}

static bool expect(const char **s, char a, char b)
{
    if (**s != a && **s != b)
        return false;
    (*s)++;
    return true;
}

int mh_parse_time(const char *s, const char *utc_offset, int64_t *out)
{
    int y, mo, d, h, mi, sec = 0;
    if (!s || !digits(&s, 4, &y) || !expect(&s, '-', '-') || !digits(&s, 2, &mo) ||
        !expect(&s, '-', '-') || !digits(&s, 2, &d) || !expect(&s, ' ', 'T') ||
        !digits(&s, 2, &h) || !expect(&s, ':', ':') || !digits(&s, 2, &mi))
        return MH_ERR;
    if (*s == ':' && (s++, !digits(&s, 2, &sec)))
        return MH_ERR;
    if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return MH_ERR;
    if (utc_offset && *utc_offset && !mh_tz_valid(utc_offset))
        return MH_ERR;
    /* days from civil (no timegm: glibc's takes the time zone lock) */
    int64_t yy = mo <= 2 ? y - 1 : y;
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    int64_t local = days * 86400 + h * 3600 + mi * 60 + sec, utc = local;
    if (utc_offset && *utc_offset)
        mh_tz_local_to_utc(utc_offset, local, &utc);
    *out = utc;
    return MH_OK;
}
