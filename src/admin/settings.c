/* Site settings (admin only; the languages themselves are managed on
 * their own page, languages.c).
 *
 * Site-wide values apply to every language; a language may override some
 * of them. A per-language field left empty (or equal to the site-wide
 * value) removes the override. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "accounts_internal.h"

#include "../content/tz.h"
#include "../content/validate.h"
#include "../http/url.h"

/* What kind of control a setting gets, and how it is checked. */
enum {
    F_LANG = 1 << 0,     /* a language may override it */
    F_LONG = 1 << 1,     /* a textarea */
    F_REQUIRED = 1 << 2, /* the site-wide value may not be empty */
    F_SECRET = 1 << 3,   /* never shown back; empty keeps the stored value */
    F_NUMBER = 1 << 4,
    F_SELECT = 1 << 5, /* one of opts */
};

typedef enum {
    C_TEXT,
    C_EMAIL,
    C_EMAILS,
    C_PHONE,
    C_BASE_URL,
    C_ADMIN_PATH,
    C_ZONE,
    C_TIME_FORMAT,
    C_TITLE_PATTERN,
    C_HOST,
    C_PORT,
    C_SESSION_IDLE,
    C_SESSION_MAX,
} check_t;

typedef struct {
    const char *key, *group;
    unsigned flags;
    size_t max; /* bytes */
    check_t check;
    const char *opts; /* F_SELECT: values separated by '|' ("" allowed) */
} setting_def_t;

/* Every setting a template or the server reads (docs/settings.md), in the
 * order of the page. The language screens are elsewhere. */
static const setting_def_t defs[] = {
    {"site_name", "identity", F_LANG | F_REQUIRED, 200, C_TEXT, NULL},
    {"site_tagline", "identity", F_LANG, 200, C_TEXT, NULL},
    {"footer_text", "identity", F_LANG | F_LONG, 2000, C_TEXT, NULL},
    {"address", "contact", F_LANG, 500, C_TEXT, NULL},
    {"phone", "contact", 0, 64, C_PHONE, NULL},
    {"email", "contact", 0, 254, C_EMAIL, NULL},
    {"icp", "legal", F_LANG, 200, C_TEXT, NULL},
    {"police_filing", "legal", F_LANG, 200, C_TEXT, NULL},
    {"title_pattern", "seo", F_LANG | F_REQUIRED, 200, C_TITLE_PATTERN, NULL},
    {"keywords", "seo", F_LANG, 500, C_TEXT, NULL},
    {"description", "seo", F_LANG | F_LONG, 1000, C_TEXT, NULL},
    {"robots_txt", "seo", F_LONG, 8000, C_TEXT, NULL},
    {"base_url", "urls", 0, 300, C_BASE_URL, NULL},
    {"admin_path", "urls", 0, 47, C_ADMIN_PATH, NULL},
    {"strict_hosts", "urls", F_SELECT, 1, C_TEXT, "|1"},
    {"slug_style", "urls", F_SELECT, 10, C_TEXT, "pinyin|number"},
    {"embed_hosts", "urls", F_LONG, 2000, C_TEXT, NULL},
    {"api_cors_origins", "urls", 0, 2000, C_TEXT, NULL},
    {"timezone", "time", F_REQUIRED, 64, C_ZONE, NULL},
    {"time_format", "time", F_LANG | F_REQUIRED, 64, C_TIME_FORMAT, NULL},
    {"date_format", "time", F_LANG, 64, C_TIME_FORMAT, NULL},
    {"feed_content", "feeds", F_SELECT, 10, C_TEXT, "full|summary"},
    {"smtp_host", "mail", 0, 253, C_HOST, NULL},
    {"smtp_port", "mail", F_NUMBER, 5, C_PORT, NULL},
    {"smtp_security", "mail", F_SELECT, 8, C_TEXT, "starttls|tls|none"},
    {"smtp_user", "mail", 0, 254, C_TEXT, NULL},
    {"smtp_password", "mail", F_SECRET, 512, C_TEXT, NULL},
    {"smtp_from", "mail", 0, 254, C_EMAIL, NULL},
    {"smtp_to", "mail", 0, 1000, C_EMAILS, NULL},
    {"session_idle_minutes", "security", F_NUMBER, 6, C_SESSION_IDLE, NULL},
    {"session_max_hours", "security", F_NUMBER, 4, C_SESSION_MAX, NULL},
};

static const char *const groups[] = {"identity", "contact", "legal", "seo",     "urls",
                                     "time",     "feeds",   "mail",  "security"};

/* Zones offered in the time zone field's list (any IANA name is taken). */
static const char *const zone_hints[] = {
    "Asia/Shanghai",    "Asia/Hong_Kong",      "Asia/Taipei",      "Asia/Macau",    "Asia/Tokyo",
    "Asia/Seoul",       "Asia/Singapore",      "Europe/London",    "Europe/Berlin", "Europe/Paris",
    "America/New_York", "America/Los_Angeles", "Australia/Sydney", "UTC",
};

static const char *tr(mh_admin_t *a, mh_req_t *req, const char *key, const char *dflt)
{
    const char *v = mh_admin_t_lookup(a, req->pool, mh_admin_req_lang(a, req), key);
    return v ? v : dflt;
}

static const char *setting(mh_admin_t *a, mh_pool_t *p, int64_t lang_id, const char *key)
{
    const char *v = mh_content_setting(a->content, p, lang_id, key);
    return v ? v : "";
}

/* A submitted field: "" when sent empty (the form keeps no bytes for it),
 * NULL when not on the form at all. */
static const char *form_value(mh_req_t *req, const char *name)
{
    mh_str_t v;
    if (mh_form_get_all(&req->form, name, &v, 1) == 0)
        return NULL;
    return v.base ? mh_pstrndup(req->pool, v.base, v.len) : "";
}

/* Field errors of one submission: form name -> message. */
typedef struct {
    mh_val_t *map;
    size_t n;
} errors_t;

static mh_val_t *field(mh_admin_t *a, mh_req_t *req, const setting_def_t *d, const char *name,
                       const char *value, const char *site_value, const errors_t *errs)
{
    mh_pool_t *p = req->pool;
    mh_val_t *m = mh_val_map(p);
    const char *key = d->key;
    mh_val_map_cstr(p, m, "name", name);
    mh_val_map_cstr(p, m, "key", key);
    char *id = mh_psprintf(p, "set-%s", name);
    for (char *c = id; *c; c++)
        if (*c == '.')
            *c = '-';
    mh_val_map_cstr(p, m, "id", id);
    mh_val_map_cstr(p, m, "label", tr(a, req, mh_psprintf(p, "settings.%s", key), key));
    const char *hint =
        mh_admin_t_lookup(a, p, mh_admin_req_lang(a, req), mh_psprintf(p, "settings.%s_hint", key));
    if (hint)
        mh_val_map_cstr(p, m, "hint", hint);
    /* a submission that failed shows what was typed */
    const char *typed = errs && errs->n ? form_value(req, name) : NULL;
    if (typed && !(d->flags & F_SECRET))
        value = typed;
    if (d->flags & F_SECRET) {
        mh_val_map_bool(p, m, "secret", true);
        mh_val_map_bool(p, m, "is_set", *value != '\0');
        mh_val_map_cstr(p, m, "clear_name", mh_psprintf(p, "%s_clear", name));
        value = "";
    }
    mh_val_map_cstr(p, m, "value", value);
    if (site_value) {
        mh_val_map_cstr(p, m, "site_value", site_value);
        mh_val_map_bool(p, m, "overridden", *value != '\0');
    }
    mh_val_map_bool(p, m, "long", (d->flags & F_LONG) != 0);
    mh_val_map_bool(p, m, "number", (d->flags & F_NUMBER) != 0);
    mh_val_map_bool(p, m, "zone", d->check == C_ZONE);
    mh_val_map_int(p, m, "max", (int64_t)d->max);
    bool plain = !(d->flags & (F_LONG | F_NUMBER | F_SECRET | F_SELECT));
    mh_val_map_bool(p, m, "text", plain);
    if (d->flags & F_SELECT) {
        mh_val_t *opts = mh_val_list(p);
        const char *o = d->opts;
        for (;;) {
            size_t n = strcspn(o, "|");
            char *v = mh_pstrndup(p, o, n);
            mh_val_t *om = mh_val_map(p);
            mh_val_map_cstr(p, om, "value", v);
            mh_val_map_cstr(p, om, "label",
                            tr(a, req, mh_psprintf(p, "settings.opt_%s_%s", key, *v ? v : "off"),
                               *v ? v : "-"));
            mh_val_map_bool(p, om, "selected", strcmp(v, value) == 0);
            mh_val_list_push(p, opts, om);
            if (!o[n])
                break;
            o += n + 1;
        }
        mh_val_map_set(p, m, "options", opts);
        mh_val_map_bool(p, m, "select", true);
    }
    const mh_val_t *e = errs && errs->map ? mh_val_get(p, errs->map, mh_str_c(name)) : NULL;
    if (e) {
        mh_val_map_set(p, m, "field_error", (mh_val_t *)e);
        mh_val_map_cstr(p, m, "error_id", mh_psprintf(p, "%s-err", id));
    }
    return m;
}

static int render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *error_key,
                  const errors_t *errs)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *gl = mh_val_list(p);
    for (size_t g = 0; g < MH_ARRAY_LEN(groups); g++) {
        mh_val_t *gm = mh_val_map(p), *fs = mh_val_list(p);
        mh_val_map_cstr(p, gm, "id", groups[g]);
        mh_val_map_cstr(p, gm, "title",
                        tr(a, req, mh_psprintf(p, "settings.group_%s", groups[g]), groups[g]));
        for (size_t i = 0; i < MH_ARRAY_LEN(defs); i++) {
            if (strcmp(defs[i].group, groups[g]) != 0)
                continue;
            const char *k = defs[i].key;
            mh_val_list_push(p, fs,
                             field(a, req, &defs[i], mh_psprintf(p, "site.%s", k),
                                   setting(a, p, 0, k), NULL, errs));
        }
        mh_val_map_set(p, gm, "fields", fs);
        if (strcmp(groups[g], "security") == 0) {
            int64_t idle, max;
            mh_admin_session_limits(a, p, &idle, &max);
            mh_val_map_cstr(
                p, gm, "note",
                mh_psprintf(p, "%lld min · %lld h", (long long)idle / 60, (long long)max / 3600));
        }
        mh_val_list_push(p, gl, gm);
    }
    mh_val_map_set(p, ctx, "groups", gl);
    mh_val_t *zl = mh_val_list(p);
    for (size_t i = 0; i < MH_ARRAY_LEN(zone_hints); i++)
        mh_val_list_push(p, zl, mh_val_cstr(p, zone_hints[i]));
    mh_val_map_set(p, ctx, "zones", zl);

    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    /* the language picker: one language's overrides at a time */
    const char *q = mh_admin_query(req, "lang");
    const char *posted = mh_form_cstr(&req->form, p, "lang_id");
    int64_t pick = 0;
    for (size_t i = 0; i < nl; i++) {
        char idbuf[24];
        snprintf(idbuf, sizeof(idbuf), "%lld", (long long)langs[i].id);
        if ((q && strcmp(q, idbuf) == 0) || (posted && strcmp(posted, idbuf) == 0))
            pick = langs[i].id;
    }
    if (!pick && nl)
        pick = langs[0].id;
    mh_val_t *ll = mh_val_list(p), *picker = mh_val_list(p);
    for (size_t i = 0; i < nl; i++) {
        mh_val_t *pm = mh_val_map(p);
        mh_val_map_int(p, pm, "id", langs[i].id);
        mh_val_map_cstr(p, pm, "code", langs[i].code);
        mh_val_map_cstr(p, pm, "name", langs[i].name);
        mh_val_map_bool(p, pm, "current", langs[i].id == pick);
        mh_val_list_push(p, picker, pm);

        mh_val_t *m = mh_val_map(p);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(p, m, "code", langs[i].code);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_cstr(p, m, "prefix", langs[i].prefix);
        mh_val_map_bool(p, m, "is_default", langs[i].is_default);
        mh_val_list_push(p, ll, m);
        if (langs[i].id != pick)
            continue;
        mh_val_t *fs = mh_val_list(p);
        for (size_t j = 0; j < MH_ARRAY_LEN(defs); j++) {
            if (!(defs[j].flags & F_LANG))
                continue;
            const char *k = defs[j].key;
            const char *own = setting(a, p, langs[i].id, k);
            const char *all = setting(a, p, 0, k);
            mh_val_list_push(p, fs,
                             field(a, req, &defs[j],
                                   mh_psprintf(p, "lang.%lld.%s", (long long)langs[i].id, k),
                                   strcmp(own, all) == 0 ? "" : own, all, errs));
        }
        mh_val_t *cur = mh_val_map(p);
        mh_val_map_int(p, cur, "id", langs[i].id);
        mh_val_map_cstr(p, cur, "code", langs[i].code);
        mh_val_map_cstr(p, cur, "name", langs[i].name);
        mh_val_map_set(p, cur, "fields", fs);
        mh_val_map_set(p, ctx, "lang_current", cur);
    }
    mh_val_map_set(p, ctx, "picker", picker);
    mh_val_map_set(p, ctx, "languages", ll);
    if (error_key)
        mh_val_map_cstr(p, ctx, "error",
                        tr(a, req, mh_psprintf(p, "err.%s", error_key), error_key));
    return mh_admin_render(a, req, resp, status, "accounts_settings",
                           tr(a, req, "settings.title", "settings.title"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

static bool email_ok(const char *v, size_t n)
{
    const char *at = memchr(v, '@', n);
    if (!at || at == v || memchr(at + 1, '@', n - (size_t)(at - v) - 1))
        return false;
    const char *dom = at + 1;
    size_t dl = n - (size_t)(dom - v);
    const char *dot = memchr(dom, '.', dl);
    if (!dot || dot == dom || dom[dl - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == 0x7f)
            return false;
    }
    return true;
}

static bool admin_path_ok(const char *v)
{
    size_t n = strlen(v);
    bool ok = v[0] == '/' && n > 1 && n < 48 && v[n - 1] != '/' && !strstr(v, "//") &&
              strcmp(v, "/assets") != 0 && strncmp(v, "/assets/", 8) != 0 &&
              strcmp(v, "/media") != 0 && strncmp(v, "/media/", 7) != 0;
    for (const char *c = v + 1; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
             *c == '/';
    return ok;
}

static bool time_format_ok(const char *v)
{
    for (const char *c = v; *c; c++) {
        if ((unsigned char)*c < ' ')
            return false;
        if (*c == '%') {
            c++;
            if (!*c || !strchr("YmdHMSFTyeIpjaAbBklZz%", *c))
                return false;
        }
    }
    return true;
}

static bool title_pattern_ok(const char *v)
{
    static const char *const names[] = {"{title}", "{page}", "{column}", "{site}"};
    for (const char *c = strchr(v, '{'); c; c = strchr(c + 1, '{')) {
        bool known = false;
        for (size_t i = 0; i < MH_ARRAY_LEN(names); i++)
            known = known || strncmp(c, names[i], strlen(names[i])) == 0;
        if (!known)
            return false;
    }
    return strstr(v, "{title}") || strstr(v, "{page}");
}

/* NULL when v is acceptable for d (lang_id 0: the site-wide value), else
 * the strings key of the message. */
static const char *check(const setting_def_t *d, const char *v, bool site_wide)
{
    size_t n = strlen(v);
    if (n > d->max)
        return "settings.err_long";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < ' ' && v[i] != '\n' && v[i] != '\r' && v[i] != '\t')
            return "settings.err_control";
    if (!(d->flags & F_LONG) && strpbrk(v, "\r\n"))
        return "settings.err_control";
    if (n == 0)
        return site_wide && (d->flags & F_REQUIRED) ? "settings.err_required" : NULL;
    if (d->flags & F_SELECT) {
        const char *o = d->opts;
        for (;;) {
            size_t l = strcspn(o, "|");
            if (l == n && strncmp(o, v, n) == 0)
                return NULL;
            if (!o[l])
                return "settings.err_choice";
            o += l + 1;
        }
    }
    unsigned long long num;
    switch (d->check) {
    case C_TEXT:
        return NULL;
    case C_EMAIL:
        return email_ok(v, n) ? NULL : "settings.err_email";
    case C_EMAILS:
        for (const char *s = v; *s;) {
            size_t l = strcspn(s, ",");
            const char *b = s;
            while (l && *b == ' ')
                b++, l--;
            while (l && b[l - 1] == ' ')
                l--;
            if (!email_ok(b, l))
                return "settings.err_email";
            s += strcspn(s, ",");
            if (*s)
                s++;
        }
        return NULL;
    case C_PHONE:
        return strpbrk(v, "<>\"") ? "settings.err_phone" : NULL;
    case C_BASE_URL:
        return mh_url_base_ok(v) && mh_content_url_ok(v) ? NULL : "settings.err_base_url";
    case C_ADMIN_PATH:
        return admin_path_ok(v) ? NULL : "settings.err_admin_path";
    case C_ZONE:
        return mh_tz_valid(v) ? NULL : "settings.err_timezone";
    case C_TIME_FORMAT:
        return time_format_ok(v) ? NULL : "settings.err_time_format";
    case C_TITLE_PATTERN:
        return title_pattern_ok(v) ? NULL : "settings.err_title_pattern";
    case C_HOST:
        for (const char *c = v; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == ':'))
                return "settings.err_host";
        return NULL;
    case C_PORT:
        return mh_str_to_u64(mh_str_c(v), 65535, &num) && num > 0 ? NULL : "settings.err_port";
    case C_SESSION_IDLE:
        return mh_str_to_u64(mh_str_c(v), 7 * 24 * 60, &num) && num > 0 ? NULL
                                                                        : "settings.err_number";
    case C_SESSION_MAX:
        return mh_str_to_u64(mh_str_c(v), 30 * 24, &num) && num > 0 ? NULL : "settings.err_number";
    }
    return NULL;
}

/* The value to store for a site-wide submission (base_url without its
 * trailing slash). */
static const char *normalise(mh_pool_t *p, const setting_def_t *d, const char *v)
{
    if (d->check == C_BASE_URL) {
        size_t n = strlen(v);
        while (n && v[n - 1] == '/')
            n--;
        return mh_pstrndup(p, v, n);
    }
    return v;
}

/* Apply one submitted value; *changed lists the keys that moved. */
static int apply(mh_admin_t *a, mh_req_t *req, int64_t lang_id, const char *name,
                 const setting_def_t *d, mh_buf_t *changed)
{
    mh_pool_t *p = req->pool;
    const char *key = d->key;
    const char *v = form_value(req, name);
    const char *cur = setting(a, p, lang_id, key);
    const char *site = setting(a, p, 0, key);
    const char *nv = v;
    if (d->flags & F_SECRET) {
        const char *clear = mh_form_cstr(&req->form, p, mh_psprintf(p, "%s_clear", name));
        if (clear && strcmp(clear, "1") == 0)
            v = nv = NULL, cur = *cur ? cur : NULL;
        else if (!v || !*v)
            return MH_OK; /* empty: keeps the stored secret */
        if (!v) {
            if (!cur)
                return MH_OK;
            goto write;
        }
    }
    if (!v)
        return MH_OK; /* not on the form: untouched */
    if (lang_id) {
        if (*v == '\0' || strcmp(v, site) == 0)
            nv = NULL; /* back to the site-wide value */
        if (nv ? strcmp(nv, cur) == 0 : strcmp(cur, site) == 0)
            return MH_OK;
    } else {
        nv = normalise(p, d, v);
        if (*nv == '\0')
            nv = NULL; /* back to the default */
        if (nv ? strcmp(nv, cur) == 0 : *cur == '\0')
            return MH_OK;
    }
write:;
    int rc = mh_content_setting_set(a->content, lang_id, key, nv);
    if (rc != MH_OK)
        return rc;
    mh_buf_printf(changed, "%s%s", changed->len ? " " : "", name);
    return MH_OK;
}

int mh_admin_h_settings(mh_req_t *req, mh_resp_t *resp, void *data)
{
    mh_admin_t *a = data;
    mh_pool_t *p = req->pool;
    if (req->method != MH_M_POST)
        return render(a, req, resp, 200, NULL, NULL);

    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    const char *lang = mh_admin_req_lang(a, req);
    /* check everything first, so a bad value changes nothing */
    errors_t errs = {.map = mh_val_map(p), .n = 0};
    for (size_t i = 0; i < MH_ARRAY_LEN(defs); i++) {
        const char *name = mh_psprintf(p, "site.%s", defs[i].key);
        const char *v = form_value(req, name);
        const char *e = v ? check(&defs[i], v, true) : NULL;
        if (e && (defs[i].flags & F_SECRET) && !*v)
            e = NULL;
        if (e) {
            const char *msg = mh_admin_t_lookup(a, p, lang, e);
            mh_val_map_cstr(p, errs.map, name, msg ? msg : e);
            errs.n++;
        }
    }
    for (size_t l = 0; l < nl; l++)
        for (size_t i = 0; i < MH_ARRAY_LEN(defs); i++) {
            if (!(defs[i].flags & F_LANG))
                continue;
            const char *name = mh_psprintf(p, "lang.%lld.%s", (long long)langs[l].id, defs[i].key);
            const char *v = form_value(req, name);
            const char *e = v ? check(&defs[i], v, false) : NULL;
            if (e) {
                const char *msg = mh_admin_t_lookup(a, p, lang, e);
                mh_val_map_cstr(p, errs.map, name, msg ? msg : e);
                errs.n++;
            }
        }
    if (errs.n)
        return render(a, req, resp, 422, "value", &errs);
    mh_buf_t changed;
    mh_buf_init(&changed, 4096);
    /* Each value is its own write: a language's value is compared with the
     * site-wide one as just saved (a snapshot read inside one transaction
     * would not see it yet). */
    int rc = MH_OK;
    for (size_t i = 0; i < MH_ARRAY_LEN(defs) && rc == MH_OK; i++)
        rc = apply(a, req, 0, mh_psprintf(p, "site.%s", defs[i].key), &defs[i], &changed);
    for (size_t l = 0; l < nl && rc == MH_OK; l++)
        for (size_t i = 0; i < MH_ARRAY_LEN(defs) && rc == MH_OK; i++)
            if (defs[i].flags & F_LANG)
                rc = apply(a, req, langs[l].id,
                           mh_psprintf(p, "lang.%lld.%s", (long long)langs[l].id, defs[i].key),
                           &defs[i], &changed);
    if (changed.len)
        mh_admin_audit(a, req, "settings.update", "settings", changed.base);
    mh_buf_free(&changed);
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return render(a, req, resp, 422, "value", NULL);
    if (rc != MH_OK)
        return MH_ERR;
    const char *picked = mh_form_cstr(&req->form, p, "lang_id");
    unsigned long long lid;
    if (picked && mh_str_to_u64(mh_str_c(picked), INT64_MAX, &lid))
        mh_admin_redirect(a, req, resp, mh_psprintf(p, "/settings?lang=%llu", lid), "saved");
    else
        mh_admin_redirect(a, req, resp, "/settings", "saved");
    return MH_OK;
}
