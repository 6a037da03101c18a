/* A small TZif reader (RFC 8536) so pages can show times in a named zone
 * without the C library's localtime_r, which takes glibc's global time
 * zone lock and reads TZ for every call. ICU (libicu-dev) would also do
 * it, but it is a 30 MB dependency for one conversion; the TZif format is
 * small, stable, and Debian's tzdata ships it.
 *
 * Zones are loaded once per name and kept in an append-only list whose
 * head is read with an atomic load: lookups take no lock. Only loading a
 * zone not seen before takes a mutex (and re-checks the list). */
#include "tz.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "../core/common.h"

#define TZ_FILE_MAX (256 * 1024)
#define TZ_NAME_MAX 64
#define TZ_ZONES_MAX 256

/* A POSIX TZ rule (the TZif footer) for instants after the last
 * transition: "CET-1CEST,M3.5.0,M10.5.0/3". Only the M form of dates is
 * read; other forms leave has_dst false (standard time all year). */
typedef struct {
    int std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    int start_m, start_w, start_d, start_t; /* month, week, weekday, secs */
    int end_m, end_w, end_d, end_t;
    bool valid;
} tz_rule_t;

typedef struct tz_zone {
    struct tz_zone *next;
    char name[TZ_NAME_MAX + 1];
    bool ok;
    size_t ntrans;
    int64_t *trans; /* transition instants, ascending */
    int *trans_off; /* offset in force from trans[i] */
    int first_off;  /* before the first transition */
    tz_rule_t rule;
} tz_zone_t;

static _Atomic(tz_zone_t *) zones;
static atomic_int nzones;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *zone_dir = "/usr/share/zoneinfo";

void mh_tz_set_dir(const char *dir)
{
    zone_dir = dir;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int64_t be64(const unsigned char *b)
{
    return (int64_t)((uint64_t)be32(b) << 32 | be32(b + 4));
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TZ_NAME_MAX || s[0] == '/' || s[n - 1] == '/' || strstr(s, "..") ||
        strstr(s, "//"))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '+' || c == '/'))
            return false;
    }
    return s[0] != '-' && s[0] != '+';
}

/* POSIX offsets count west as positive: "-1" is one hour east. */
static const char *rule_num(const char *s, int *out)
{
    int v = 0, part = 0, secs = 0;
    bool digit = false;
    while (part < 3) {
        v = 0;
        digit = false;
        while (*s >= '0' && *s <= '9' && v < 1000) {
            v = v * 10 + (*s++ - '0');
            digit = true;
        }
        if (!digit)
            return NULL;
        secs += part == 0 ? v * 3600 : part == 1 ? v * 60 : v;
        part++;
        if (*s != ':')
            break;
        s++;
    }
    *out = secs;
    return s;
}

static const char *rule_off(const char *s, int *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    s = rule_num(s, out);
    *out *= sign;
    return s;
}

static const char *rule_name(const char *s)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        return e ? e + 1 : NULL;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    return s - b >= 3 ? s : NULL;
}

static const char *rule_date(const char *s, int *m, int *w, int *d, int *t)
{
    int v;
    if (*s++ != 'M')
        return NULL;
    if (!(s = rule_num(s, &v)) || *s++ != '.')
        return NULL;
    *m = v / 3600;
    if (!(s = rule_num(s, &v)) || *s++ != '.')
        return NULL;
    *w = v / 3600;
    if (!(s = rule_num(s, &v)))
        return NULL;
    *d = v / 3600;
    *t = 7200;
    if (*s == '/' && !(s = rule_off(s + 1, t)))
        return NULL;
    if (*m < 1 || *m > 12 || *w < 1 || *w > 5 || *d > 6)
        return NULL;
    return s;
}

static void parse_rule(const char *s, tz_rule_t *r)
{
    int v;
    memset(r, 0, sizeof(*r));
    if (!(s = rule_name(s)) || !(s = rule_off(s, &v)))
        return;
    r->std_off = -v;
    r->dst_off = r->std_off + 3600;
    r->valid = true;
    if (!*s)
        return;
    const char *after = rule_name(s);
    if (!after)
        return;
    s = after;
    if (*s && *s != ',') {
        if (!(s = rule_off(s, &v)))
            return;
        r->dst_off = -v;
    }
    if (*s++ != ',')
        return;
    if (!(s = rule_date(s, &r->start_m, &r->start_w, &r->start_d, &r->start_t)) || *s++ != ',')
        return;
    if (!(s = rule_date(s, &r->end_m, &r->end_w, &r->end_d, &r->end_t)) || *s)
        return;
    r->has_dst = true;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(int64_t y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : md[m - 1];
}

/* Local seconds (since the epoch of the wall clock) of "Mm.w.d/t" in y. */
static int64_t rule_local(int64_t y, int m, int w, int d, int t)
{
    int64_t first = days_from_civil(y, m, 1);
    int wd1 = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int day = 1 + (d - wd1 + 7) % 7 + (w - 1) * 7;
    while (day > month_days(y, m))
        day -= 7;
    return (first + day - 1) * 86400 + t;
}

static int rule_offset(const tz_rule_t *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t local = t + r->std_off;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    /* the year of the wall clock, by the days-from-civil inverse */
    int64_t y = 1970 + days / 366;
    while (days_from_civil(y + 1, 1, 1) <= days)
        y++;
    while (days_from_civil(y, 1, 1) > days)
        y--;
    int64_t start = rule_local(y, r->start_m, r->start_w, r->start_d, r->start_t) - r->std_off;
    int64_t end = rule_local(y, r->end_m, r->end_w, r->end_d, r->end_t) - r->dst_off;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

/* Parse a TZif file into z. false when it is not one. */
static bool parse_tzif(const unsigned char *b, size_t n, tz_zone_t *z)
{
    if (n < 44 || memcmp(b, "TZif", 4) != 0)
        return false;
    int version = b[4] ? b[4] - '0' : 1;
    const unsigned char *h = b;
    size_t tsize = 4, off = 0;
    for (int pass = 0; pass < (version >= 2 ? 2 : 1); pass++) {
        if (off + 44 > n || memcmp(b + off, "TZif", 4) != 0)
            return false;
        h = b + off;
        uint32_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28),
                 timecnt = be32(h + 32), typecnt = be32(h + 36), charcnt = be32(h + 40);
        if (timecnt > 100000 || typecnt == 0 || typecnt > 256 || leap > 10000 || charcnt > 10000)
            return false;
        tsize = pass == 0 ? 4 : 8;
        size_t data =
            timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
        if (off + 44 + data > n)
            return false;
        if (pass == 0 && version >= 2) {
            off += 44 + data;
            continue;
        }
        const unsigned char *d = h + 44;
        const unsigned char *idx = d + timecnt * tsize;
        const unsigned char *types = idx + timecnt;
        z->ntrans = timecnt;
        z->trans = calloc(timecnt ? timecnt : 1, sizeof(int64_t));
        z->trans_off = calloc(timecnt ? timecnt : 1, sizeof(int));
        if (!z->trans || !z->trans_off)
            return false;
        for (uint32_t i = 0; i < timecnt; i++) {
            z->trans[i] = tsize == 8 ? be64(d + i * 8) : (int64_t)(int32_t)be32(d + i * 4);
            unsigned ti = idx[i];
            if (ti >= typecnt)
                return false;
            z->trans_off[i] = (int)(int32_t)be32(types + ti * 6);
        }
        z->first_off = (int)(int32_t)be32(types);
        off += 44 + data;
    }
    /* the footer: "\n<POSIX TZ>\n" */
    if (version >= 2 && off < n && b[off] == '\n') {
        const unsigned char *e = memchr(b + off + 1, '\n', n - off - 1);
        if (e && e - (b + off + 1) < 128) {
            char tz[128];
            size_t len = (size_t)(e - (b + off + 1));
            memcpy(tz, b + off + 1, len);
            tz[len] = '\0';
            parse_rule(tz, &z->rule);
        }
    }
    return true;
}

static tz_zone_t *find(const char *name)
{
    for (tz_zone_t *z = atomic_load_explicit(&zones, memory_order_acquire); z; z = z->next)
        if (strcmp(z->name, name) == 0)
            return z;
    return NULL;
}

static tz_zone_t *zone_get(const char *name)
{
    if (!name || !name_ok(name))
        return NULL;
    tz_zone_t *z = find(name);
    if (z)
        return z->ok ? z : NULL;
    pthread_mutex_lock(&load_lock);
    z = find(name);
    if (!z && atomic_load(&nzones) < TZ_ZONES_MAX) {
        z = calloc(1, sizeof(*z));
        if (z) {
            snprintf(z->name, sizeof(z->name), "%s", name);
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", zone_dir, name);
            FILE *f = fopen(path, "rb");
            if (f) {
                unsigned char *buf = malloc(TZ_FILE_MAX);
                size_t n = buf ? fread(buf, 1, TZ_FILE_MAX, f) : 0;
                z->ok = buf && n < TZ_FILE_MAX && parse_tzif(buf, n, z);
                free(buf);
                fclose(f);
            }
            z->next = atomic_load(&zones);
            atomic_store_explicit(&zones, z, memory_order_release);
            atomic_fetch_add(&nzones, 1);
        }
    }
    pthread_mutex_unlock(&load_lock);
    return z && z->ok ? z : NULL;
}

static int zone_offset(const tz_zone_t *z, int64_t t)
{
    if (z->ntrans == 0)
        return z->rule.valid ? rule_offset(&z->rule, t) : z->first_off;
    if (t < z->trans[0])
        return z->first_off;
    if (t >= z->trans[z->ntrans - 1] && z->rule.valid)
        return rule_offset(&z->rule, t);
    size_t lo = 0, hi = z->ntrans; /* last i with trans[i] <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->trans_off[lo];
}

bool mh_tz_valid(const char *zone)
{
    int secs;
    if (!zone || !*zone)
        return false;
    if (mh_parse_utc_offset(zone, &secs))
        return true;
    return zone_get(zone) != NULL;
}

bool mh_tz_offset(const char *zone, int64_t t, int *off)
{
    *off = 0;
    if (!zone || !*zone)
        return false;
    if (mh_parse_utc_offset(zone, off))
        return true;
    tz_zone_t *z = zone_get(zone);
    if (!z)
        return false;
    *off = zone_offset(z, t);
    return true;
}

bool mh_tz_local_to_utc(const char *zone, int64_t local, int64_t *utc)
{
    int a, b;
    *utc = local;
    if (!mh_tz_offset(zone, local - 86400, &a))
        return false;
    mh_tz_offset(zone, local + 86400, &b);
    int oa, ob;
    mh_tz_offset(zone, local - a, &oa);
    mh_tz_offset(zone, local - b, &ob);
    bool va = oa == a, vb = ob == b;
    if (va && vb)
        *utc = local - a < local - b ? local - a : local - b;
    else if (va)
        *utc = local - a;
    else if (vb)
        *utc = local - b;
    else
        *utc = local - a; /* in a gap: read with the offset before it */
    return true;
}
