/* Public forms: a feedback column's form, the guestbook, a job's
 * application form. Defences, none of them a third-party service:
 *
 *  - the same-origin check (Origin, else Referer) and a signed form token:
 *    HMAC (BLAKE2b keyed with a per-process random key) over the time the
 *    form was rendered, its column and the challenge's operands, so a form
 *    is good for TOKEN_MAX_AGE and only for its own column;
 *  - a minimum fill time (MIN_FILL seconds since that time: a script that
 *    posts at once is refused, a person never is);
 *  - a honeypot field hidden from people; a bot that fills it is told
 *    "thank you" and nothing is stored;
 *  - a per-address rate limit (auth/throttle.h): every POST counts, after
 *    RATE_FREE of them within RATE_DECAY the address gets 429 for a while;
 *  - an optional arithmetic question, per column (setting
 *    form_challenge.<column id> = "1").
 *
 * Pages with a form are rendered per visit (resp->no_store): the token
 * must carry the time of this visit. Everything a visitor sent comes back
 * on a 400 with one message per field in the page's language; nothing is
 * stored unless all of it passed. */
#include "forms.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/throttle.h"
#include "../content/fields.h"
#include "../content/submissions.h"
#include "../content/types.h"
#include "../content/tz.h"
#include "../core/log.h"
#include "../http/server.h"
#include "../http/url.h"

#define TOKEN_MAX_AGE (24 * 3600)
#define MIN_FILL 2
#define RATE_FREE 5
#define RATE_DECAY 600
#define HONEYPOT "website"
#define GB_PER_PAGE 10
#define FIELD_PREFIX "f_"

typedef struct {
    const mh_field_def_t *def;
    const char *name;    /* input name: "f_<key>" */
    const char **values; /* what was sent (or pre-filled) */
    size_t n;
    const char *error; /* message key, or NULL */
} form_field_t;

struct mh_forms_state {
    const char *kind; /* MH_SUB_* */
    form_field_t *fields;
    size_t nfields;
    const char *token;
    int a, b; /* the arithmetic question, when asked */
    const char *answer;
    const char *challenge_error;
    const char *message; /* a message about the whole form (key), or NULL */
    const char *cv_error;
    bool sent, closed, has_errors;
    const char *action;
    /* guestbook page */
    mh_submission_t *msgs;
    size_t nmsgs;
};

/* ---- the token ---- */

static unsigned char token_key[crypto_generichash_KEYBYTES];
static pthread_once_t token_once = PTHREAD_ONCE_INIT;
static mh_throttle_t *rate;
static unsigned rate_free = RATE_FREE;

static void token_init(void)
{
    if (sodium_init() < 0)
        mh_error("forms: libsodium failed to initialise");
    randombytes_buf(token_key, sizeof(token_key));
    /* tests lower or raise the number of free submissions per address */
    const char *e = getenv("MH_FORM_RATE");
    unsigned long long v;
    if (e && mh_str_to_u64(mh_str_c(e), 1000000, &v) && v > 0)
        rate_free = (unsigned)v;
    mh_throttle_config_t cfg = {.capacity = 8192,
                                /* the lock starts at the failure after the free ones,
                                 * so N posts go through and the next is refused */
                                .free_attempts = rate_free > 1 ? rate_free - 1 : 1,
                                .base_delay = 60,
                                .max_delay = 3600,
                                .decay = RATE_DECAY};
    rate = mh_throttle_new(&cfg);
}

static void token_mac(int64_t ts, int64_t col, int a, int b, char out[33])
{
    char msg[96];
    unsigned char mac[16];
    int n =
        snprintf(msg, sizeof(msg), "form1|%lld|%lld|%d|%d", (long long)ts, (long long)col, a, b);
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)msg, (size_t)n, token_key,
                       sizeof(token_key));
    sodium_bin2hex(out, 33, mac, sizeof(mac));
}

static const char *token_make(mh_pool_t *p, int64_t col, int a, int b)
{
    pthread_once(&token_once, token_init);
    int64_t ts = (int64_t)time(NULL);
    char mac[33];
    token_mac(ts, col, a, b, mac);
    return mh_psprintf(p, "%lld.%d.%d.%s", (long long)ts, a, b, mac);
}

/* MH_OK: valid and old enough; MH_DECLINED: forged, expired or for
 * another column; MH_AGAIN: sent too fast. *a and *b: the question. */
enum { TOKEN_OK, TOKEN_BAD, TOKEN_FAST };

static int token_check(mh_str_t tok, int64_t col, int *a, int *b)
{
    pthread_once(&token_once, token_init);
    char buf[128];
    if (!tok.base || tok.len == 0 || tok.len >= sizeof(buf))
        return TOKEN_BAD;
    memcpy(buf, tok.base, tok.len);
    buf[tok.len] = '\0';
    long long ts = 0;
    int ia = 0, ib = 0, used = 0;
    char mac[40];
    if (sscanf(buf, "%lld.%d.%d.%32[0-9a-f]%n", &ts, &ia, &ib, mac, &used) != 4 ||
        (size_t)used != tok.len || strlen(mac) != 32)
        return TOKEN_BAD;
    char want[33];
    token_mac(ts, col, ia, ib, want);
    if (sodium_memcmp(want, mac, 32) != 0)
        return TOKEN_BAD;
    int64_t now = (int64_t)time(NULL);
    *a = ia;
    *b = ib;
    if (now - ts > TOKEN_MAX_AGE || ts > now + 60)
        return TOKEN_BAD;
    if (now - ts < MIN_FILL)
        return TOKEN_FAST;
    return TOKEN_OK;
}

/* ---- which form a page has ---- */

bool mh_forms_page_has_form(const mh_site_req_t *r)
{
    if (!r->col)
        return false;
    if (r->kind == MH_PK_ENTRY)
        return mh_content_type_is(r->col->module, MH_TYPE_APPLY);
    if (r->kind == MH_PK_LIST)
        return mh_content_type_is(r->col->module, MH_TYPE_SUBMIT) && r->page <= 1;
    return false;
}

static const char *page_kind(const mh_site_req_t *r)
{
    if (r->kind == MH_PK_ENTRY)
        return MH_SUB_APPLICATION;
    return mh_content_type_is(r->col->module, MH_TYPE_MODERATED) ? MH_SUB_GUESTBOOK
                                                                 : MH_SUB_FEEDBACK;
}

static bool challenge_on(mh_site_req_t *r)
{
    char key[64];
    snprintf(key, sizeof(key), "form_challenge.%lld", (long long)r->col->id);
    const char *v = mh_content_setting(r->content, r->pool, 0, key);
    return v && strcmp(v, "1") == 0;
}

/* The guestbook's own fields, before the column's. */
static const mh_field_def_t gb_fields[] = {
    {.key = "name", .kind = MH_FIELD_TEXT, .label = "name", .required = true},
    {.key = "contact", .kind = MH_FIELD_TEXT, .label = "contact"},
    {.key = "message", .kind = MH_FIELD_TEXTAREA, .label = "message", .required = true},
};

/* The fields of r's form: the column's custom fields (not a type's built-in
 * ones, which describe the entry), after the guestbook's own. */
static int load_fields(mh_site_req_t *r, struct mh_forms_state *st)
{
    mh_field_def_t *defs = NULL;
    size_t n = 0;
    /* a job's column: its own custom fields are the application form's
     * (content/fields.c leaves them out of the job's fields) */
    int rc = strcmp(st->kind, MH_SUB_APPLICATION) == 0
                 ? mh_fields_defs(r->content, r->pool, r->col->id, &defs, &n)
                 : mh_fields_for_column(r->content, r->pool, r->col->id, &defs, &n);
    if (rc != MH_OK)
        return MH_ERR;
    bool gb = strcmp(st->kind, MH_SUB_GUESTBOOK) == 0;
    size_t cap = n + (gb ? MH_ARRAY_LEN(gb_fields) : 0);
    st->fields = mh_pcalloc(r->pool, (cap + 1) * sizeof(*st->fields));
    st->nfields = 0;
    for (size_t i = 0; gb && i < MH_ARRAY_LEN(gb_fields); i++)
        st->fields[st->nfields++].def = &gb_fields[i];
    for (size_t i = 0; i < n; i++)
        if (defs[i].id != 0)
            st->fields[st->nfields++].def = &defs[i];
    for (size_t i = 0; i < st->nfields; i++)
        st->fields[i].name = mh_psprintf(r->pool, FIELD_PREFIX "%s", st->fields[i].def->key);
    return MH_OK;
}

static struct mh_forms_state *state_new(mh_site_req_t *r)
{
    /* a guestbook's page already holds its messages (mh_forms_guestbook_load) */
    struct mh_forms_state *st = r->forms ? r->forms : mh_pcalloc(r->pool, sizeof(*st));
    st->kind = page_kind(r);
    st->action = r->path;
    return st;
}

static void new_token(mh_site_req_t *r, struct mh_forms_state *st)
{
    st->a = st->b = 0;
    if (challenge_on(r)) {
        st->a = 1 + (int)randombytes_uniform(9);
        st->b = 1 + (int)randombytes_uniform(9);
    }
    st->token = token_make(r->pool, r->col->id, st->a, st->b);
}

/* Today in the site's timezone as YYYYMMDD. */
static int64_t today_local(mh_site_req_t *r)
{
    int64_t now = (int64_t)time(NULL);
    const char *zone = mh_content_setting(r->content, r->pool, 0, "timezone");
    int off = 0;
    if (zone && *zone && !mh_tz_offset(zone, now, &off) && !mh_parse_utc_offset(zone, &off))
        off = 0;
    time_t t = (time_t)(now + off);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

bool mh_forms_date_past(mh_site_req_t *r, const char *date)
{
    int y, m, d, used = 0;
    if (!date || sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || date[used])
        return false;
    return today_local(r) > (int64_t)y * 10000 + m * 100 + d;
}

/* Is the job of r past its valid_until date? */
static bool job_closed(mh_site_req_t *r)
{
    if (!r->entry)
        return false;
    mh_field_value_t *vals = NULL;
    size_t n = 0;
    if (mh_fields_values(r->content, r->pool, r->entry->id, &vals, &n) != MH_OK)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(vals[i].key, "valid_until") == 0 && vals[i].has_num)
            return today_local(r) > (int64_t)vals[i].num;
    return false;
}

/* The value of name in a query string, decoded, or NULL. */
static const char *query_value(mh_pool_t *p, mh_str_t q, const char *name)
{
    mh_query_param_t pairs[16];
    if (!q.len)
        return NULL;
    size_t n = mh_url_parse_query(p, q, pairs, 16);
    mh_str_t v = mh_url_query_get(pairs, n, name);
    return v.base ? mh_pstrndup(p, v.base, v.len) : NULL;
}

int mh_forms_prepare(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp)
{
    if (!mh_forms_page_has_form(r))
        return MH_OK;
    struct mh_forms_state *st = state_new(r);
    if (load_fields(r, st) != MH_OK)
        return MH_ERR;
    resp->no_store = true;
    const char *sent = query_value(r->pool, req->query, "sent");
    st->sent = sent && strcmp(sent, "1") == 0;
    st->closed = strcmp(st->kind, MH_SUB_APPLICATION) == 0 && job_closed(r);
    /* ?product=<name>: a product page's "Inquire" link names the product in
     * the first text field called product (or subject) */
    const char *product = query_value(r->pool, req->query, "product");
    for (size_t i = 0; product && *product && i < st->nfields; i++) {
        const mh_field_def_t *d = st->fields[i].def;
        if ((strcmp(d->key, "product") == 0 || strcmp(d->key, "subject") == 0) &&
            (d->kind == MH_FIELD_TEXT || d->kind == MH_FIELD_TEXTAREA)) {
            const char **v = mh_pcalloc(r->pool, sizeof(*v));
            v[0] = mh_pstrndup(r->pool, product, strnlen(product, 200));
            st->fields[i].values = v;
            st->fields[i].n = 1;
            break;
        }
    }
    new_token(r, st);
    r->forms = st;
    return MH_OK;
}

/* ---- the guestbook's messages ---- */

int mh_forms_guestbook_load(mh_site_req_t *r, int64_t n)
{
    struct mh_forms_state *st = r->forms ? r->forms : mh_pcalloc(r->pool, sizeof(*st));
    /* the column's page size, as for entries */
    int64_t ps =
        r->col->page_size > 0 && r->col->page_size <= 100 ? r->col->page_size : GB_PER_PAGE;
    int64_t total = 0;
    if (n > 100000)
        return MH_DECLINED;
    mh_submission_filter_t f = {.column_ids = &r->col->id,
                                .ncolumns = 1,
                                .kind = MH_SUB_GUESTBOOK,
                                .status = "approved",
                                .offset = (n - 1) * ps,
                                .limit = ps};
    if (mh_submission_list(r->content, r->pool, &f, &st->msgs, &st->nmsgs, &total) != MH_OK)
        return MH_ERR;
    if (!r->forms) {
        st->kind = MH_SUB_GUESTBOOK;
        r->forms = st;
    }
    r->list = NULL;
    r->nlist = 0;
    r->page = n;
    r->page_size = ps;
    r->total = total;
    r->pages = total > 0 ? (total + ps - 1) / ps : 1;
    return n <= r->pages ? MH_OK : MH_DECLINED;
}

/* ---- the POST ---- */

static void add_value(mh_pool_t *p, form_field_t *f, mh_str_t v)
{
    const char **nv = mh_pcalloc(p, (f->n + 1) * sizeof(*nv));
    if (f->n)
        memcpy(nv, f->values, f->n * sizeof(*nv));
    nv[f->n++] = mh_pstrndup(p, v.base, v.len);
    f->values = nv;
}

/* Keep only valid UTF-8 without control characters (tabs and newlines
 * stay), so nothing stored can break a page, a CSV or a mail. */
static mh_str_t clean_text(mh_pool_t *p, mh_str_t s)
{
    char *o = mh_palloc(p, s.len + 1);
    size_t w = 0;
    const unsigned char *b = (const unsigned char *)s.base;
    for (size_t i = 0; i < s.len;) {
        unsigned c = b[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= s.len;
        for (size_t k = 1; ok && k < n; k++)
            ok = (b[i + k] & 0xC0) == 0x80;
        if (ok && n == 2 && c < 0xC2)
            ok = false;
        if (!ok) {
            i++;
            continue;
        }
        if (n == 1 && (c < 0x20 || c == 0x7f) && c != '\n' && c != '\t') {
            i++;
            continue;
        }
        memcpy(o + w, b + i, n);
        w += n;
        i += n;
    }
    o[w] = '\0';
    return mh_str(o, w);
}

static void refuse(mh_resp_t *resp, struct mh_forms_state *st, int status, const char *msg)
{
    resp->status = status;
    st->message = msg;
    st->has_errors = msg != NULL || st->has_errors;
}

int mh_forms_post(mh_site_req_t *r, mh_req_t *req, mh_resp_t *resp)
{
    mh_pool_t *p = r->pool;
    pthread_once(&token_once, token_init);
    struct mh_forms_state *st = state_new(r);
    r->forms = st;
    resp->no_store = true;
    if (load_fields(r, st) != MH_OK)
        return MH_ERR;
    /* what was sent comes back whatever happens next */
    for (size_t i = 0; i < st->nfields; i++) {
        mh_str_t vs[64];
        size_t n = mh_form_get_all(&req->form, st->fields[i].name, vs, 64);
        for (size_t k = 0; k < n && k < 64; k++)
            add_value(p, &st->fields[i], clean_text(p, vs[k]));
    }
    st->answer = mh_form_cstr(&req->form, p, "challenge");
    new_token(r, st);
    if (!mh_server_same_origin(req)) {
        refuse(resp, st, 403, "form_error_origin");
        return MH_OK;
    }
    int64_t now_mono = 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    now_mono = (int64_t)ts.tv_sec;
    mh_str_t ip = mh_str_c(req->client_ip ? req->client_ip : "");
    int64_t wait = 0;
    if (rate && mh_throttle_check(rate, ip, now_mono, &wait) != MH_OK) {
        refuse(resp, st, 429, "form_error_rate");
        mh_resp_header(resp, "Retry-After", mh_psprintf(p, "%lld", (long long)wait));
        return MH_OK;
    }
    if (rate)
        mh_throttle_fail(rate, ip, now_mono);
    int a = 0, b = 0;
    int tk = token_check(mh_form_get(&req->form, "_token"), r->col->id, &a, &b);
    if (tk == TOKEN_BAD) {
        refuse(resp, st, 400, "form_error_token");
        return MH_OK;
    }
    if (tk == TOKEN_FAST) {
        refuse(resp, st, 400, "form_error_too_fast");
        return MH_OK;
    }
    mh_str_t hp = mh_form_get(&req->form, HONEYPOT);
    if (hp.base && hp.len) {
        /* a bot: thank it, keep nothing */
        resp->status = 303;
        resp->location = mh_context_join(p, r->path, "?sent=1", NULL, NULL);
        return MH_OK;
    }
    if (strcmp(st->kind, MH_SUB_APPLICATION) == 0 && job_closed(r)) {
        st->closed = true;
        refuse(resp, st, 400, "form_error_closed");
        return MH_OK;
    }
    /* every field, the question and the file, so all messages show at once */
    mh_field_def_t *defs = mh_pcalloc(p, (st->nfields + 1) * sizeof(*defs));
    mh_field_input_t *in = mh_pcalloc(p, (st->nfields + 1) * sizeof(*in));
    for (size_t i = 0; i < st->nfields; i++) {
        defs[i] = *st->fields[i].def;
        in[i] = (mh_field_input_t){st->fields[i].def->key, st->fields[i].values, st->fields[i].n};
    }
    mh_field_value_t *vals = NULL;
    mh_field_error_t *errs = NULL;
    size_t nvals = 0, nerrs = 0;
    int rc =
        mh_fields_validate(p, defs, st->nfields, in, st->nfields, &vals, &nvals, &errs, &nerrs);
    if (rc == MH_ERR)
        return MH_ERR;
    for (size_t e = 0; e < nerrs; e++)
        for (size_t i = 0; i < st->nfields; i++)
            if (strcmp(errs[e].key, st->fields[i].def->key) == 0 && !st->fields[i].error)
                st->fields[i].error = errs[e].message;
    bool bad = nerrs > 0;
    if (a || b) {
        unsigned long long got = 0;
        if (!st->answer || !mh_str_to_u64(mh_str_c(st->answer), 1000, &got) ||
            got != (unsigned long long)(a + b)) {
            st->challenge_error = "form_error_challenge";
            bad = true;
        }
    }
    mh_submission_file_t file = {0};
    bool with_file = strcmp(st->kind, MH_SUB_APPLICATION) == 0;
    if (with_file) {
        const mh_form_field_t *f = mh_form_file(&req->form, "cv");
        if (!f || f->data.len == 0) {
            st->cv_error = "form_error_cv_required";
            bad = true;
        } else if (f->data.len > MH_FORMS_CV_MAX) {
            resp->status = 413;
            st->cv_error = "form_error_cv_size";
            st->has_errors = true;
            return MH_OK;
        } else {
            const char *ext = NULL;
            if (mh_submission_sniff_cv(f->data.base, f->data.len, &file.mime, &ext) != MH_OK) {
                st->cv_error = "form_error_cv_type";
                bad = true;
            } else {
                mh_str_t nm = clean_text(p, mh_str_c(f->filename ? f->filename : ""));
                file.name = nm.len ? mh_pstrndup(p, nm.base, nm.len < 200 ? nm.len : 200)
                                   : mh_psprintf(p, "cv.%s", ext);
                file.data = f->data.base;
                file.len = f->data.len;
            }
        }
    }
    mh_submission_t sub = {.column_id = r->col->id,
                           .lang_id = r->lang->id,
                           .entry_id = r->entry && with_file ? r->entry->id : 0,
                           .kind = st->kind,
                           .name = "",
                           .contact = "",
                           .message = "",
                           .reply = "",
                           .notes = "",
                           .ip = mh_submission_ip(p, req->client_ip)};
    if (strcmp(st->kind, MH_SUB_GUESTBOOK) == 0) {
        /* the guestbook's own fields go to their columns, not to values */
        size_t w = 0;
        for (size_t i = 0; i < nvals; i++) {
            const char *k = vals[i].key;
            if (strcmp(k, "name") == 0)
                sub.name = vals[i].text;
            else if (strcmp(k, "contact") == 0)
                sub.contact = vals[i].text;
            else if (strcmp(k, "message") == 0)
                sub.message = vals[i].text;
            else
                vals[w++] = vals[i];
        }
        nvals = w;
        const size_t lim[3] = {MH_SUB_NAME_MAX, MH_SUB_CONTACT_MAX, MH_SUB_MESSAGE_MAX};
        const char *v[3] = {sub.name, sub.contact, sub.message};
        for (size_t k = 0; k < 3; k++)
            if (strlen(v[k]) > lim[k] && !st->fields[k].error) {
                st->fields[k].error = "field.error.too_long";
                bad = true;
            }
    }
    if (bad) {
        refuse(resp, st, 400, "form_error_fix");
        return MH_OK;
    }
    sub.values = vals;
    sub.nvalues = nvals;
    sub.file_name = file.name;
    sub.file_mime = file.mime;
    rc = mh_submission_create(r->content, &sub, with_file ? &file : NULL, NULL);
    if (rc != MH_OK) {
        mh_error("forms: storing a %s submission failed (%d)", st->kind, rc);
        return MH_ERR;
    }
    resp->status = 303;
    resp->location = mh_context_join(p, r->path, "?sent=1", NULL, NULL);
    return MH_OK;
}

/* ---- the context ---- */

static const char *tr(mh_site_req_t *r, const char *key)
{
    if (!key)
        return "";
    char k[80];
    /* the content layer's message keys "field.error.x" are the theme's
     * strings "form_error_x" */
    if (strncmp(key, "field.error.", 12) == 0) {
        snprintf(k, sizeof(k), "form_error_%s", key + 12);
        key = k;
    }
    mh_val_t *v = r->strings ? mh_val_get_c(r->pool, r->strings, key) : NULL;
    if (v && v->kind == MH_V_STR)
        return mh_pstrndup(r->pool, v->u.str.base, v->u.str.len);
    return mh_pstrdup(r->pool, key);
}

static const char *input_type(mh_field_kind_t k)
{
    switch (k) {
    case MH_FIELD_NUMBER:
        return "number";
    case MH_FIELD_DATE:
        return "date";
    case MH_FIELD_EMAIL:
        return "email";
    case MH_FIELD_PHONE:
        return "tel";
    case MH_FIELD_URL:
        return "url";
    default:
        return "text";
    }
}

static bool has_value(const form_field_t *f, const char *v)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->values[i], v) == 0)
            return true;
    return false;
}

static mh_val_t *field_val(mh_site_req_t *r, const form_field_t *f)
{
    mh_pool_t *p = r->pool;
    const mh_field_def_t *d = f->def;
    mh_val_t *m = mh_val_map(p);
    bool builtin = d->id == 0;
    mh_val_map_cstr(p, m, "key", d->key);
    mh_val_map_cstr(p, m, "name", f->name);
    mh_val_map_cstr(p, m, "id", mh_psprintf(p, "form-%s", d->key));
    /* the guestbook's own fields are labelled by the theme's strings */
    mh_val_map_cstr(p, m, "label", builtin ? tr(r, mh_psprintf(p, "form_%s", d->label)) : d->label);
    mh_val_map_cstr(p, m, "help", d->help ? d->help : "");
    mh_val_map_bool(p, m, "has_help", d->help && *d->help);
    mh_val_map_cstr(p, m, "kind", mh_field_kind_name(d->kind));
    mh_val_map_cstr(p, m, "input_type", input_type(d->kind));
    mh_val_map_bool(p, m, "required", d->required);
    mh_val_map_bool(p, m, "is_textarea", d->kind == MH_FIELD_TEXTAREA);
    mh_val_map_bool(p, m, "is_select", d->kind == MH_FIELD_SELECT);
    mh_val_map_bool(p, m, "is_radio", d->kind == MH_FIELD_RADIO);
    mh_val_map_bool(p, m, "is_checkbox", d->kind == MH_FIELD_CHECKBOX);
    mh_val_map_bool(p, m, "is_input",
                    d->kind != MH_FIELD_TEXTAREA && d->kind != MH_FIELD_SELECT &&
                        d->kind != MH_FIELD_RADIO && d->kind != MH_FIELD_CHECKBOX);
    mh_val_map_cstr(p, m, "value", f->n ? f->values[0] : "");
    mh_val_map_bool(p, m, "has_error", f->error != NULL);
    mh_val_map_cstr(p, m, "error", f->error ? tr(r, f->error) : "");
    mh_val_t *opts = mh_val_list(p);
    if (mh_field_kind_has_options(d->kind) && d->options) {
        const char *s = d->options;
        int k = 0;
        while (*s) {
            size_t len = strcspn(s, "\n");
            size_t l2 = len;
            while (l2 && (s[l2 - 1] == '\r' || s[l2 - 1] == ' '))
                l2--;
            if (l2) {
                const char *v = mh_pstrndup(p, s, l2);
                mh_val_t *o = mh_val_map(p);
                mh_val_map_cstr(p, o, "value", v);
                mh_val_map_cstr(p, o, "id", mh_psprintf(p, "form-%s-%d", d->key, k++));
                mh_val_map_bool(p, o, "selected", has_value(f, v));
                mh_val_list_push(p, opts, o);
            }
            s += len;
            if (*s)
                s++;
        }
    }
    mh_val_map_set(p, m, "options", opts);
    return m;
}

mh_val_t *mh_forms_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    static const struct mh_forms_state none = {.kind = ""};
    /* a page without a form has every key too, empty (the schema says so) */
    const struct mh_forms_state *st = r->forms && r->forms->token ? r->forms : &none;
    mh_val_t *m = mh_val_map(p);
    mh_val_map_bool(p, m, "present", st != &none);
    mh_val_map_cstr(p, m, "kind", st->kind);
    mh_val_map_cstr(p, m, "action", st->action ? st->action : "");
    mh_val_map_cstr(p, m, "token", st->token ? st->token : "");
    mh_val_map_cstr(p, m, "honeypot", HONEYPOT);
    mh_val_map_bool(p, m, "sent", st->sent);
    mh_val_map_bool(p, m, "closed", st->closed);
    mh_val_map_bool(p, m, "open", !st->closed);
    mh_val_map_bool(p, m, "has_errors", st->has_errors);
    mh_val_map_bool(p, m, "has_message", st->message != NULL);
    mh_val_map_cstr(p, m, "message", st->message ? tr(r, st->message) : "");
    mh_val_t *fields = mh_val_list(p);
    for (size_t i = 0; i < st->nfields; i++)
        mh_val_list_push(p, fields, field_val(r, &st->fields[i]));
    mh_val_map_set(p, m, "fields", fields);
    mh_val_map_bool(p, m, "has_challenge", st->a || st->b);
    mh_val_map_cstr(p, m, "challenge_question", mh_psprintf(p, "%d + %d = ?", st->a, st->b));
    mh_val_map_cstr(p, m, "challenge_value", st->answer ? st->answer : "");
    mh_val_map_bool(p, m, "challenge_has_error", st->challenge_error != NULL);
    mh_val_map_cstr(p, m, "challenge_error", st->challenge_error ? tr(r, st->challenge_error) : "");
    bool file = strcmp(st->kind, MH_SUB_APPLICATION) == 0;
    mh_val_map_bool(p, m, "has_file", file);
    mh_val_map_bool(p, m, "file_has_error", st->cv_error != NULL);
    mh_val_map_cstr(p, m, "file_error", st->cv_error ? tr(r, st->cv_error) : "");
    mh_val_map_int(p, m, "file_max_mb", MH_FORMS_CV_MAX >> 20);
    return m;
}

mh_val_t *mh_forms_guestbook_context(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    struct mh_forms_state *st = r->forms;
    mh_val_t *m = mh_val_map(p), *list = mh_val_list(p);
    const char *fmt = mh_context_setting(r, "date_format", "%Y-%m-%d");
    const char *zone = mh_context_setting(r, "timezone", "");
    for (size_t i = 0; st && i < st->nmsgs; i++) {
        const mh_submission_t *s = &st->msgs[i];
        mh_val_t *o = mh_val_map(p);
        mh_val_map_int(p, o, "id", s->id);
        mh_val_map_cstr(p, o, "name", s->name);
        mh_val_map_cstr(p, o, "message", s->message);
        mh_val_map_cstr(p, o, "date", mh_format_time(p, s->created_at, fmt, zone));
        mh_val_map_cstr(p, o, "date_iso", mh_format_time(p, s->created_at, "%Y-%m-%d", zone));
        mh_val_map_bool(p, o, "has_reply", s->reply && *s->reply);
        mh_val_map_cstr(p, o, "reply", s->reply);
        mh_val_map_cstr(p, o, "reply_date", mh_format_time(p, s->replied_at, fmt, zone));
        mh_val_list_push(p, list, o);
    }
    mh_val_map_set(p, m, "messages", list);
    mh_val_map_bool(p, m, "has_messages", st && st->nmsgs > 0);
    return m;
}
