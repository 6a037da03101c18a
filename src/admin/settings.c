/* Site settings (admin only; the languages themselves are managed on
 * their own page, languages.c).
 *
 * Site-wide values apply to every language; a language may override some
 * of them. A per-language field left empty (or equal to the site-wide
 * value) removes the override. */
#include <string.h>

#include "accounts_internal.h"

#define VALUE_MAX 2000

static const char *const site_keys[] = {"site_name",        "footer_text",   "time_format",
                                        "timezone",         "title_pattern", "session_idle_minutes",
                                        "session_max_hours"};
static const char *const lang_keys[] = {"site_name", "footer_text", "title_pattern", "time_format"};

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

static mh_val_t *field(mh_admin_t *a, mh_req_t *req, const char *name, const char *key,
                       const char *value)
{
    mh_pool_t *p = req->pool;
    mh_val_t *m = mh_val_map(p);
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
    mh_val_map_cstr(p, m, "value", value);
    mh_val_map_bool(p, m, "long", strcmp(key, "footer_text") == 0);
    return m;
}

static int render(mh_admin_t *a, mh_req_t *req, mh_resp_t *resp, int status, const char *error_key)
{
    mh_pool_t *p = req->pool;
    mh_val_t *ctx = mh_val_map(p);
    mh_val_t *site = mh_val_list(p), *security = mh_val_list(p);
    for (size_t i = 0; i < MH_ARRAY_LEN(site_keys); i++) {
        const char *k = site_keys[i];
        mh_val_t *f = field(a, req, mh_psprintf(p, "site.%s", k), k, setting(a, p, 0, k));
        mh_val_list_push(p, strncmp(k, "session_", 8) == 0 ? security : site, f);
    }
    mh_val_map_set(p, ctx, "site_fields", site);
    mh_val_map_set(p, ctx, "security_fields", security);
    int64_t idle, max;
    mh_admin_session_limits(a, p, &idle, &max);
    mh_val_map_int(p, ctx, "idle_minutes", idle / 60);
    mh_val_map_int(p, ctx, "max_hours", max / 3600);

    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    mh_val_t *ll = mh_val_list(p);
    for (size_t i = 0; i < nl; i++) {
        mh_val_t *m = mh_val_map(p), *fs = mh_val_list(p);
        mh_val_map_int(p, m, "id", langs[i].id);
        mh_val_map_cstr(p, m, "code", langs[i].code);
        mh_val_map_cstr(p, m, "name", langs[i].name);
        mh_val_map_cstr(p, m, "prefix", langs[i].prefix);
        mh_val_map_bool(p, m, "is_default", langs[i].is_default);
        for (size_t j = 0; j < MH_ARRAY_LEN(lang_keys); j++) {
            const char *k = lang_keys[j];
            const char *own = setting(a, p, langs[i].id, k);
            const char *all = setting(a, p, 0, k);
            mh_val_list_push(p, fs,
                             field(a, req,
                                   mh_psprintf(p, "lang.%lld.%s", (long long)langs[i].id, k), k,
                                   strcmp(own, all) == 0 ? "" : own));
        }
        mh_val_map_set(p, m, "fields", fs);
        mh_val_list_push(p, ll, m);
    }
    mh_val_map_set(p, ctx, "languages", ll);
    if (error_key)
        mh_val_map_cstr(p, ctx, "error",
                        tr(a, req, mh_psprintf(p, "err.%s", error_key), error_key));
    return mh_admin_render(a, req, resp, status, "accounts_settings",
                           tr(a, req, "settings.title", "settings.title"), ctx) == MH_OK
               ? MH_OK
               : MH_ERR;
}

static bool valid(const char *key, const char *v)
{
    if (strlen(v) > VALUE_MAX)
        return false;
    if (strcmp(key, "timezone") == 0) {
        int secs;
        return *v == '\0' || mh_parse_utc_offset(v, &secs);
    }
    if (strcmp(key, "session_idle_minutes") == 0 || strcmp(key, "session_max_hours") == 0) {
        unsigned long long n;
        unsigned long long max = key[8] == 'i' ? 7 * 24 * 60 : 30 * 24;
        return *v == '\0' || (mh_str_to_u64(mh_str_c(v), max, &n) && n > 0);
    }
    if (strcmp(key, "time_format") == 0)
        return strlen(v) <= 64;
    if (strcmp(key, "site_name") == 0 || strcmp(key, "title_pattern") == 0)
        return strlen(v) <= 200;
    return true;
}

/* Apply one submitted value; *changed lists the keys that moved. */
static int apply(mh_admin_t *a, mh_req_t *req, int64_t lang_id, const char *name, const char *key,
                 mh_buf_t *changed)
{
    mh_pool_t *p = req->pool;
    const char *v = mh_form_cstr(&req->form, p, name);
    if (!v)
        return MH_OK; /* not on the form: untouched */
    const char *cur = setting(a, p, lang_id, key);
    const char *site = setting(a, p, 0, key);
    const char *nv = v;
    if (lang_id) {
        if (*v == '\0' || strcmp(v, site) == 0)
            nv = NULL; /* back to the site-wide value */
        if (nv ? strcmp(nv, cur) == 0 : strcmp(cur, site) == 0)
            return MH_OK;
    } else {
        if (*v == '\0' && strncmp(key, "session_", 8) == 0)
            nv = NULL; /* back to the default */
        else if (*v == '\0' && strcmp(key, "footer_text") != 0)
            return MH_OK; /* a required value keeps what it had */
        if (nv ? strcmp(nv, cur) == 0 : *cur == '\0')
            return MH_OK;
    }
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
        return render(a, req, resp, 200, NULL);

    mh_language_t *langs = NULL;
    size_t nl = 0;
    if (mh_content_languages(a->content, p, &langs, &nl) != MH_OK)
        return MH_ERR;
    /* check everything first, so a bad value changes nothing */
    for (size_t i = 0; i < MH_ARRAY_LEN(site_keys); i++) {
        const char *v = mh_form_cstr(&req->form, p, mh_psprintf(p, "site.%s", site_keys[i]));
        if (v && !valid(site_keys[i], v))
            return render(a, req, resp, 422, "value");
    }
    for (size_t l = 0; l < nl; l++)
        for (size_t i = 0; i < MH_ARRAY_LEN(lang_keys); i++) {
            const char *v =
                mh_form_cstr(&req->form, p,
                             mh_psprintf(p, "lang.%lld.%s", (long long)langs[l].id, lang_keys[i]));
            if (v && !valid(lang_keys[i], v))
                return render(a, req, resp, 422, "value");
        }
    mh_buf_t changed;
    mh_buf_init(&changed, 4096);
    /* Each value is its own write: a language's value is compared with the
     * site-wide one as just saved (a snapshot read inside one transaction
     * would not see it yet). */
    int rc = MH_OK;
    for (size_t i = 0; i < MH_ARRAY_LEN(site_keys) && rc == MH_OK; i++)
        rc = apply(a, req, 0, mh_psprintf(p, "site.%s", site_keys[i]), site_keys[i], &changed);
    for (size_t l = 0; l < nl && rc == MH_OK; l++)
        for (size_t i = 0; i < MH_ARRAY_LEN(lang_keys) && rc == MH_OK; i++)
            rc = apply(a, req, langs[l].id,
                       mh_psprintf(p, "lang.%lld.%s", (long long)langs[l].id, lang_keys[i]),
                       lang_keys[i], &changed);
    if (changed.len)
        mh_admin_audit(a, req, "settings.update", "settings", changed.base);
    mh_buf_free(&changed);
    if (mh_admin_nospace(a, req, resp, rc))
        return MH_OK;
    if (rc == MH_INVALID)
        return render(a, req, resp, 422, "value");
    if (rc != MH_OK)
        return MH_ERR;
    mh_admin_redirect(a, req, resp, "/settings", "saved");
    return MH_OK;
}
