/* The MetInfo import. Two passes over the dump files (see the header):
 * pass 1 keeps the rows of the small tables, pass 2 streams the content
 * tables through the content layer (which sanitises bodies and checks URL
 * fields), all inside one content transaction, rolled back on any error.
 *
 * Each MetInfo table is one function (import_news_row, import_columns,
 * ...) listed in the content table below; a table masthead has no feature
 * for yet is counted and reported as skipped, so adding one is a new
 * function and a row. Dump text is untrusted: titles lose tags and
 * control bytes, bodies go through the sanitiser, URLs through
 * mh_content_url_ok, and the summary prints no control bytes. */
#include "metinfo_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "../content/accounts.h"
#include "../content/content.h"
#include "../content/editorial.h"
#include "../content/fields.h"
#include "../content/languages.h"
#include "../content/legacy.h"
#include "../content/media.h"
#include "../content/validate.h"
#include "../core/buf.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../store/legacy.h"
#include "../store/store.h"
#include "metinfo_scan.h"
#include "sqldump.h"

#define SOURCE "metinfo"
#define TITLE_MAX 500
#define MAX_KEPT_ROWS 200000   /* rows of the small tables kept in pass 1 */
#define UPLOAD_MAX (64u << 20) /* one file copied from --upload */

/* --- rows kept from pass 1 --- */

typedef struct {
    char *table; /* without the prefix is decided later: the full name */
    size_t n;
    char **names;
    char **vals; /* NULL for SQL NULL */
} row_t;

typedef struct {
    row_t *v;
    size_t n, cap;
} rows_t;

/* The tables pass 1 keeps (by the name after the prefix). */
static const char *const kept_tables[] = {"lang",      "config", "column",
                                          "parameter", "para",   "admin_table"};

/* Tables masthead has no feature for yet: counted, reported. */
static const struct {
    const char *table, *why;
} skipped_tables[] = {
    {"feedback", "feedback records: not supported yet"},
    {"message", "guestbook messages: not supported yet"},
    {"cv", "job applications: not supported yet"},
    {"flash", "banners: not supported yet"},
    {"link", "friendly links: not supported yet"},
    {"tags", "tags: not supported yet"},
    {"user", "members: masthead has no member accounts"},
};

typedef struct {
    char *code;        /* MetInfo's mark: "cn", "en" */
    int64_t id;        /* masthead language */
    bool is_default;   /* MetInfo's default language */
    bool site_default; /* the masthead site's default language */
    bool off;          /* met_lang.useok 0: created hidden */
    bool existed;      /* --merge: the site had it before (its settings stay) */
} lang_t;

typedef struct {
    long id, parent, module, level, order;
    const row_t *row;
    char *lang;
    int64_t new_id; /* 0: not imported */
    char *folder;   /* the top column's folder name */
} col_t;

typedef struct {
    long listid, paraid, module;
    char *info;
} plist_t;

typedef struct {
    const char *table;
    size_t read, imported, existing, skipped, refused;
} count_t;

typedef struct {
    const mh_metinfo_import_opts_t *o;
    mh_content_t *c;
    mh_pool_t *pool; /* what helpers allocate from: root, or a row's own pool */
    mh_pool_t *root; /* for the whole import */
    mh_sqldump_t *d;
    char prefix[64];
    int pass;
    rows_t kept;
    lang_t langs[32];
    size_t nlangs;
    col_t *cols;
    size_t ncols;
    plist_t *plist;
    size_t nplist, cap_plist;
    count_t counts[64];
    size_t ncounts;
    size_t legacy_added, uploads_copied, uploads_missing, fields_made;
    char media_dir[4096];
    /* the first fatal error (a failed write) */
    char fail[512];
    /* progress */
    const char *file;
    uint64_t size;
    int pct;
    size_t rows_seen;
} imp_t;

/* --- small helpers --- */

static const char *get(const char *const *names, size_t n, char *const *vals, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return vals[i] ? vals[i] : "";
    return "";
}

static const char *rget(const row_t *r, const char *name)
{
    return get((const char *const *)r->names, r->n, r->vals, name);
}

static long num(const char *s)
{
    return strtol(s, NULL, 10);
}

static count_t *counter(imp_t *m, const char *table)
{
    for (size_t i = 0; i < m->ncounts; i++)
        if (strcmp(m->counts[i].table, table) == 0)
            return &m->counts[i];
    if (m->ncounts == MH_ARRAY_LEN(m->counts))
        return &m->counts[m->ncounts - 1];
    m->counts[m->ncounts].table = mh_pstrndup(m->root, table, strlen(table));
    return &m->counts[m->ncounts++];
}

/* The table name without the prefix, or NULL for another prefix. */
static const char *bare(const imp_t *m, const char *table)
{
    size_t pl = strlen(m->prefix);
    return strncmp(table, m->prefix, pl) == 0 ? table + pl : NULL;
}

/* Plain text of at most max bytes: tags removed (script and style with
 * their content), control bytes and runs of white space as one space, cut
 * on a UTF-8 boundary. */
static char *plain(mh_pool_t *p, const char *s, size_t max)
{
    size_t n = strlen(s);
    char *out = mh_palloc(p, (n < max ? n : max) + 1);
    size_t k = 0;
    bool in_tag = false, space = false, cut = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char nx = i + 1 < n ? (char)(s[i + 1] | 0x20) : 0;
        if (ch == '<' && (nx == '/' || s[i + 1] == '!' || (nx >= 'a' && nx <= 'z'))) {
            static const char *const raw[] = {"<script", "<style"};
            for (size_t r = 0; r < MH_ARRAY_LEN(raw); r++) {
                size_t rl = strlen(raw[r]);
                if (strncasecmp(s + i, raw[r], rl) != 0)
                    continue;
                const char *close = s + i;
                while ((close = strchr(close + 1, '<')) != NULL)
                    if (close[1] == '/' && strncasecmp(close + 2, raw[r] + 1, rl - 1) == 0)
                        break;
                i = close ? (size_t)(close - s) : n - 1;
            }
            in_tag = true;
            continue;
        }
        if (in_tag) {
            in_tag = ch != '>';
            continue;
        }
        if (ch < 0x20 || ch == 0x7f || ch == ' ') {
            space = k > 0;
            continue;
        }
        if (k + (space ? 2 : 1) > max) {
            cut = true;
            break;
        }
        if (space)
            out[k++] = ' ';
        space = false;
        out[k++] = (char)ch;
    }
    if (cut) { /* drop a character cut in two */
        size_t lead = k;
        while (lead > 0 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0) {
            unsigned char c0 = (unsigned char)out[lead - 1];
            size_t want = c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : c0 >= 0xC0 ? 2 : 1;
            if (k - (lead - 1) < want)
                k = lead - 1;
        }
    }
    out[k] = '\0';
    return out;
}

/* MetInfo's "YYYY-MM-DD HH:MM:SS" (or a date) in the site's time zone,
 * else 0. */
static int64_t when(imp_t *m, const char *s)
{
    if (!s || strlen(s) < 10 || strncmp(s, "0000", 4) == 0)
        return 0;
    const char *tz = mh_content_setting(m->c, m->pool, 0, "timezone");
    char buf[32];
    snprintf(buf, sizeof(buf), "%s", s);
    if (strlen(buf) == 10)
        snprintf(buf, sizeof(buf), "%.10s 00:00:00", s);
    int64_t t = 0;
    return mh_parse_time(buf, tz && *tz ? tz : "Asia/Shanghai", &t) == MH_OK ? t : 0;
}

static bool failed(imp_t *m, int rc, const char *what)
{
    if (rc == MH_OK)
        return false;
    if (!m->fail[0])
        snprintf(m->fail, sizeof(m->fail), "%s: %s", what,
                 rc == MH_NOSPACE ? "no space left" : "database error");
    return true;
}

static void put_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* --- progress --- */

static void progress(imp_t *m, bool done)
{
    if (!m->o->status)
        return;
    uint64_t off = mh_sqldump_offset(m->d);
    int pct = done ? 100 : m->size ? (int)(off * 100 / m->size) : 0;
    if (pct > 100)
        pct = 100;
    if (pct == m->pct && !done)
        return;
    m->pct = pct;
    const char *base = strrchr(m->file, '/');
    base = base ? base + 1 : m->file;
    if (!m->o->progress) {
        if (done)
            fprintf(m->o->status, "pass %d: %s: %zu rows\n", m->pass, base, m->rows_seen);
        return;
    }
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[30] = '\0';
    fprintf(m->o->status, "\rpass %d %-20.20s [%s] %3d%% %zu rows%s", m->pass, base, bar, pct,
            m->rows_seen, done ? "\n" : "");
    fflush(m->o->status);
}

/* --- uploads: ../upload/... references --- */

/* The new reference for an old upload path "upload/201801/x.jpg" (no
 * leading "../" or "/"): the media library URL when --upload has the file
 * (copied in once: the import map remembers it), else "/upload/..." so a
 * web server that keeps the old folder still serves it. */
static const char *upload_ref(imp_t *m, const char *rel)
{
    const char *tail = rel + strlen("upload/");
    bool safe = *tail && !strstr(tail, "..") && strlen(tail) < 512;
    for (const char *q = tail; safe && *q; q++)
        safe = (unsigned char)*q > 0x20 && *q != '\\';
    if (!safe)
        return NULL;
    int64_t mid = 0;
    mh_media_item_t item;
    if (mh_content_import_map_get(m->c, SOURCE, "upload", tail, &mid) == MH_OK &&
        mh_content_media_get(m->c, m->pool, mid, &item) == MH_OK)
        return mh_content_media_url(m->pool, item.stored_name);
    if (m->o->upload_dir) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", m->o->upload_dir, tail);
        char *data = NULL;
        size_t len = 0;
        if (mh_file_read(path, UPLOAD_MAX, &data, &len) == MH_OK) {
            const char *slash = strrchr(tail, '/');
            const char *name = slash ? slash + 1 : tail;
            int rc = mh_content_media_add(m->c, m->pool, m->media_dir, data, len,
                                          mh_str(name, strlen(name)), 0, &item);
            free(data);
            if (rc == MH_OK &&
                mh_content_import_map_put(m->c, SOURCE, "upload", tail, item.id) == MH_OK) {
                m->uploads_copied++;
                return mh_content_media_url(m->pool, item.stored_name);
            }
        }
        m->uploads_missing++;
    }
    return mh_psprintf(m->pool, "/upload/%s", tail);
}

/* s with every upload reference (quoted, after '=' or '(' or at the
 * start) rewritten by upload_ref. */
static const char *rewrite_uploads(imp_t *m, const char *s)
{
    if (!strstr(s, "upload/"))
        return s;
    mh_buf_t b;
    mh_buf_init(&b, (size_t)1 << 30);
    const char *p = s;
    while (*p) {
        const char *hit = strstr(p, "upload/");
        if (!hit) {
            mh_buf_append_c(&b, p);
            break;
        }
        const char *start = hit;
        while (start - 2 >= p && start[-1] == '/' && start[-2] == '.' &&
               (start - 3 < s || start[-3] == '.'))
            start -= (start - 3 >= s && start[-3] == '.') ? 3 : 2; /* ../ or ./ */
        if (start > s && start[-1] == '/' && start == hit)
            start--; /* "/upload/" */
        char before = start > s ? start[-1] : '"';
        if (before != '"' && before != '\'' && before != '=' && before != '(' && start != s) {
            mh_buf_append(&b, p, (size_t)(hit + 7 - p));
            p = hit + 7;
            continue;
        }
        const char *end = hit;
        while (*end && *end != '"' && *end != '\'' && *end != ')' && *end != ' ' && *end != '<' &&
               *end != '>' && *end != '*' && *end != '|' && *end != '?' && *end != '#')
            end++;
        char *rel = mh_pstrndup(m->pool, hit, (size_t)(end - hit));
        const char *to = upload_ref(m, rel);
        mh_buf_append(&b, p, (size_t)(start - p));
        if (to)
            mh_buf_append_c(&b, to);
        else
            mh_buf_append(&b, start, (size_t)(end - start));
        p = end;
    }
    const char *out = b.failed ? s : mh_pstrndup(m->pool, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

/* --- legacy URLs --- */

static const char *module_word(long module)
{
    switch (module) {
    case 2:
        return "news";
    case 3:
        return "product";
    case 4:
        return "download";
    case 5:
        return "img";
    case 6:
        return "job";
    default:
        return NULL;
    }
}

size_t mh_metinfo_legacy_paths(mh_pool_t *p, long module, const char *folder, long id,
                               const char *lang, const char *filename, int level, bool top,
                               const char **out, size_t max)
{
    size_t n = 0;
    if (!folder || !*folder || id <= 0 || strchr(folder, '/') || strchr(folder, '?'))
        return 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        const char *raw_ = mh_psprintf(p, __VA_ARGS__);                                            \
        const char *q_ = strchr(raw_, '?');                                                        \
        size_t pl_ = q_ ? (size_t)(q_ - raw_) : strlen(raw_);                                      \
        char *k_ = mh_legacy_normalise(p, raw_, pl_, q_, q_ ? strlen(q_) : 0);                     \
        if (k_ && n < max)                                                                         \
            out[n++] = k_;                                                                         \
    } while (0)
    bool fname = filename && *filename && !strchr(filename, '/') && !strchr(filename, '?');
    if (module > 0) { /* an item */
        const char *w = module_word(module);
        if (!w)
            return 0;
        ADD("/%s/show%s.php?id=%ld", folder, w, id);
        ADD("/%s/%ld.html", folder, id);
        if (lang && *lang)
            ADD("/%s/%ld-%s.html", folder, id, lang);
        ADD("/%s/%s%ld.html", folder, w, id);
        if (fname)
            ADD("/%s/%s.html", folder, filename);
        return n;
    }
    /* a column: module is minus its MetInfo module number */
    long cm = -module;
    if (cm == 1) { /* single page */
        ADD("/%s/show.php?id=%ld", folder, id);
        ADD("/%s/%ld.html", folder, id);
        if (lang && *lang)
            ADD("/%s/%ld-%s.html", folder, id, lang);
        ADD("/%s/show%ld.html", folder, id);
    } else {
        const char *w = module_word(cm);
        if (w)
            ADD("/%s/%s.php?class%d=%ld", folder, w, level < 1 ? 1 : level > 3 ? 3 : level, id);
        ADD("/%s/list-%ld.html", folder, id);
        if (lang && *lang)
            ADD("/%s/list-%ld-%s.html", folder, id, lang);
    }
    if (fname)
        ADD("/%s/%s.html", folder, filename);
    if (top)
        ADD("/%s/", folder);
#undef ADD
    return n;
}

static int add_legacy(imp_t *m, const char *const *paths, size_t n, const char *kind, int64_t id)
{
    for (size_t i = 0; i < n; i++) {
        mh_legacy_url_t u = {.path = paths[i],
                             .target_kind = kind,
                             .target_id = id,
                             .target_url = "",
                             .source = SOURCE,
                             .created_at = (int64_t)time(NULL)};
        int64_t nid;
        int rc = mh_content_store(m->c)->ops->legacy->url_insert(mh_content_store(m->c), &u, &nid);
        if (rc == MH_OK)
            m->legacy_added++;
        else if (rc != MH_DECLINED)
            return rc;
    }
    return MH_OK;
}

/* --- pass 1: keep the small tables --- */

static int keep_row(imp_t *m, const char *table, const char *const *cols, size_t ncols,
                    const mh_sql_value_t *v, size_t nv)
{
    if (m->kept.n >= MAX_KEPT_ROWS || ncols == 0 || ncols != nv)
        return 0;
    if (m->kept.n == m->kept.cap) {
        m->kept.cap = m->kept.cap ? 2 * m->kept.cap : 256;
        m->kept.v = mh_realloc(m->kept.v, m->kept.cap * sizeof(*m->kept.v));
    }
    row_t *r = &m->kept.v[m->kept.n++];
    r->table = mh_pstrndup(m->pool, table, strlen(table));
    r->n = ncols;
    r->names = mh_palloc(m->pool, ncols * sizeof(char *));
    r->vals = mh_palloc(m->pool, ncols * sizeof(char *));
    for (size_t i = 0; i < ncols; i++) {
        r->names[i] = mh_pstrndup(m->pool, cols[i], strlen(cols[i]));
        r->vals[i] = v[i].kind == MH_SQL_NULL ? NULL : mh_pstrndup(m->pool, v[i].bytes, v[i].len);
    }
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int on_table(void *ud, const char *table, const char *const *cols, size_t ncols)
{
    (void)ud;
    (void)table;
    (void)cols;
    (void)ncols;
    return 0;
}

static int row_pass1(imp_t *m, const char *table, const char *const *cols, size_t ncols,
                     const mh_sql_value_t *v, size_t nv)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(kept_tables); i++) {
        if (!ends_with(table, kept_tables[i]))
            continue;
        size_t pl = strlen(table) - strlen(kept_tables[i]);
        /* met_para also ends in "para"; met_admin_column in "column":
         * the prefix is checked once it is known */
        if (pl > 0 && table[pl - 1] == '_')
            return keep_row(m, table, cols, ncols, v, nv);
    }
    return 0;
}

/* --- languages and settings --- */

static const char *lang_code(const char *mark)
{
    if (strcmp(mark, "cn") == 0)
        return "zh-CN";
    if (strcmp(mark, "tc") == 0)
        return "zh-TW";
    return mark;
}

static const char *lang_label(const char *mark, const char *given)
{
    if (given && *given)
        return given;
    if (strcmp(mark, "cn") == 0)
        return "中文";
    if (strcmp(mark, "tc") == 0)
        return "繁體中文";
    if (strcmp(mark, "en") == 0)
        return "English";
    return mark;
}

static const char *lang_prefix(const char *mark)
{
    if (strcmp(mark, "cn") == 0)
        return "zh";
    if (strcmp(mark, "tc") == 0)
        return "tw";
    return mark;
}

static bool mark_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 12 || strstr(s, "metinfo"))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static lang_t *find_lang(imp_t *m, const char *mark)
{
    for (size_t i = 0; i < m->nlangs; i++)
        if (strcmp(m->langs[i].code, mark) == 0)
            return &m->langs[i];
    return NULL;
}

static void note_lang(imp_t *m, const char *mark)
{
    if (mark_ok(mark) && !find_lang(m, mark) && m->nlangs < MH_ARRAY_LEN(m->langs))
        m->langs[m->nlangs++] = (lang_t){.code = mh_pstrndup(m->pool, mark, strlen(mark))};
}

/* The languages: met_lang's rows, else the lang values of the columns
 * and settings; the default from met_lang's order or the global setting
 * metconfig_index_type. */
static void find_langs(imp_t *m)
{
    const char *dflt = NULL;
    long best = 0;
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (!t || strcmp(t, "lang") != 0 || !mark_ok(rget(r, "mark")))
            continue;
        note_lang(m, rget(r, "mark"));
        lang_t *nl = find_lang(m, rget(r, "mark"));
        if (nl)
            nl->off = *rget(r, "useok") && num(rget(r, "useok")) == 0;
        long order = num(rget(r, "no_order"));
        if (!dflt || order < best) {
            dflt = rget(r, "mark");
            best = order;
        }
    }
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (t && strcmp(t, "config") == 0 && strcmp(rget(r, "name"), "metconfig_index_type") == 0 &&
            strcmp(rget(r, "lang"), "metinfo") == 0 && find_lang(m, rget(r, "value")))
            dflt = rget(r, "value");
    }
    if (m->nlangs == 0)
        for (size_t i = 0; i < m->kept.n; i++) {
            const row_t *r = &m->kept.v[i];
            const char *t = bare(m, r->table);
            if (t && (strcmp(t, "column") == 0 || strcmp(t, "config") == 0))
                note_lang(m, rget(r, "lang"));
        }
    if (!dflt && m->nlangs)
        dflt = find_lang(m, "cn") && !find_lang(m, "en") ? "cn" : m->langs[0].code;
    for (size_t i = 0; i < m->nlangs; i++)
        m->langs[i].is_default = dflt && strcmp(m->langs[i].code, dflt) == 0;
}

/* Each MetInfo language as a masthead language: matched by code, else
 * created; on a new site the default language becomes the old site's
 * default (code, name, no prefix). */
static int make_langs(imp_t *m)
{
    mh_language_t *have;
    size_t nhave;
    if (mh_content_languages(m->c, m->pool, &have, &nhave) != MH_OK)
        return MH_ERR;
    const mh_language_t *site_default = NULL;
    for (size_t i = 0; i < nhave; i++)
        if (have[i].is_default)
            site_default = &have[i];
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m->nlangs; i++) {
            lang_t *l = &m->langs[i];
            if ((pass == 0) != l->is_default)
                continue; /* the default first */
            const char *code = lang_code(l->code);
            if (mh_content_import_map_get(m->c, SOURCE, "lang", l->code, &l->id) == MH_OK) {
                l->site_default = site_default && l->id == site_default->id;
                continue;
            }
            /* the languages as they are now (a code may have changed) */
            if (mh_content_languages(m->c, m->pool, &have, &nhave) != MH_OK)
                return MH_ERR;
            for (size_t k = 0; k < nhave && !l->id; k++)
                if (strcasecmp(have[k].code, code) == 0)
                    l->id = have[k].id;
            l->existed = l->id != 0 && m->o->merge;
            if (!l->id && l->is_default && !m->o->merge && site_default) {
                /* a new site: its default language becomes this one */
                int rc = mh_content_store(m->c)->ops->legacy->language_recode(
                    mh_content_store(m->c), site_default->id, code);
                mh_language_t up = *site_default;
                up.code = code;
                up.name = lang_label(l->code, NULL);
                up.prefix = "";
                if (rc == MH_OK)
                    rc = mh_content_language_update(m->c, &up);
                if (failed(m, rc, "update the default language"))
                    return MH_ERR;
                l->id = site_default->id;
            }
            if (!l->id) {
                mh_language_t nl = {.code = code,
                                    .name = lang_label(l->code, NULL),
                                    .prefix = lang_prefix(l->code),
                                    .domain = "",
                                    .position = (int)i + 1,
                                    .hidden = l->off};
                if (failed(m, mh_content_language_create(m->c, &nl, &l->id), "create a language"))
                    return MH_ERR;
                /* a language switched off in MetInfo stays off the public site */
                if (l->off && failed(m, mh_content_language_update(m->c, &nl), "hide a language"))
                    return MH_ERR;
            }
            mh_content_tx_snapshot_stale(m->c);
            l->site_default = site_default && l->id == site_default->id;
            if (failed(m, mh_content_import_map_put(m->c, SOURCE, "lang", l->code, l->id),
                       "record a language"))
                return MH_ERR;
        }
    return MH_OK;
}

/* met_config rows to settings: per language, and the default language's
 * to the site-wide values too. */
static int import_settings(imp_t *m)
{
    static const struct {
        const char *from, *to;
        bool html, site_only;
    } map[] = {
        {"metconfig_webname", "site_name", false, false},
        {"metconfig_keywords", "keywords", false, false},
        {"metconfig_description", "description", false, false},
        {"metconfig_footright", "footer_text", true, false},
        {"metconfig_footaddress", "address", true, false},
        {"metconfig_foottel", "phone", true, true},
        {"metconfig_icp", "icp", true, false},
        {"metconfig_icp_info", "icp", true, false},
        {"metconfig_email", "email", false, true},
    };
    size_t n = 0;
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (!t || strcmp(t, "config") != 0)
            continue;
        lang_t *l = find_lang(m, rget(r, "lang"));
        if (!l || l->existed)
            continue;
        for (size_t k = 0; k < MH_ARRAY_LEN(map); k++) {
            if (strcmp(rget(r, "name"), map[k].from) != 0)
                continue;
            const char *v = plain(m->pool, rget(r, "value"), 2000);
            if (!*v)
                continue;
            if (strcmp(map[k].to, "email") == 0 && !strchr(v, '@'))
                continue;
            char key[64];
            snprintf(key, sizeof(key), "config:%s:%s", l->code, map[k].to);
            int64_t done = 0;
            if (mh_content_import_map_get(m->c, SOURCE, "config", key, &done) == MH_OK)
                continue;
            int rc = MH_OK;
            if (!map[k].site_only)
                rc = mh_content_setting_set(m->c, l->id, map[k].to, v);
            if (rc == MH_OK && l->site_default && !m->o->merge)
                rc = mh_content_setting_set(m->c, 0, map[k].to, v);
            if (rc == MH_OK)
                rc = mh_content_import_map_put(m->c, SOURCE, "config", key, 1);
            if (failed(m, rc, "set a setting"))
                return MH_ERR;
            n++;
        }
    }
    counter(m, "config (settings)")->imported += n;
    mh_content_tx_snapshot_stale(m->c);
    return MH_OK;
}

/* --- the column tree --- */

static int by_level(const void *a, const void *b)
{
    const col_t *x = a, *y = b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static col_t *find_col(imp_t *m, long id)
{
    for (size_t i = 0; i < m->ncols; i++)
        if (m->cols[i].id == id)
            return &m->cols[i];
    return NULL;
}

static int import_columns(imp_t *m)
{
    size_t cap = 0;
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (!t || strcmp(t, "column") != 0)
            continue;
        if (m->ncols == cap) {
            cap = cap ? 2 * cap : 64;
            m->cols = mh_realloc(m->cols, cap * sizeof(*m->cols));
        }
        m->cols[m->ncols++] = (col_t){.id = num(rget(r, "id")),
                                      .parent = num(rget(r, "bigclass")),
                                      .module = num(rget(r, "module")),
                                      .level = num(rget(r, "classtype")),
                                      .order = num(rget(r, "no_order")),
                                      .row = r,
                                      .lang = (char *)rget(r, "lang")};
    }
    /* levels from the parents when classtype is missing or wrong */
    for (size_t i = 0; i < m->ncols; i++) {
        int depth = 1;
        col_t *c = &m->cols[i];
        for (col_t *p = find_col(m, c->parent); p && depth < 10; p = find_col(m, p->parent))
            depth++;
        c->level = depth;
    }
    qsort(m->cols, m->ncols, sizeof(*m->cols), by_level);
    count_t *cnt = counter(m, "column");
    for (size_t i = 0; i < m->ncols; i++) {
        col_t *c = &m->cols[i];
        const row_t *r = c->row;
        col_t *parent = c->parent ? find_col(m, c->parent) : NULL;
        c->folder = parent ? parent->folder : (char *)rget(r, "foldername");
        cnt->read++;
        lang_t *l = find_lang(m, c->lang);
        const mh_metinfo_module_t *mod = mh_metinfo_module(c->module);
        if (!l || !mod || !mod->masthead || (c->parent && (!parent || !parent->new_id))) {
            cnt->skipped++;
            continue;
        }
        char sid[32];
        snprintf(sid, sizeof(sid), "%ld", c->id);
        if (mh_content_import_map_get(m->c, SOURCE, "column", sid, &c->new_id) == MH_OK) {
            cnt->existing++;
            continue;
        }
        const char *name = plain(m->pool, rget(r, "name"), 200);
        const char *body = rewrite_uploads(m, rget(r, "content"));
        long size = num(rget(r, "list_length"));
        long nav = num(rget(r, "nav"));
        long order = num(rget(r, "list_order"));
        const char *slug = c->parent ? rget(r, "filename") : rget(r, "foldername");
        mh_column_t col = {
            .parent_id = parent ? parent->new_id : 0,
            .lang_id = l->id,
            .module = mh_module_parse(mod->masthead),
            .name = *name ? name : sid,
            .slug = mh_slugify(m->pool, slug),
            .summary = plain(m->pool, rget(r, "description"), 1000),
            .body_html = c->module == 1 ? body : "",
            .link_url = "",
            .seo_title = plain(m->pool, rget(r, "ctitle"), 200),
            .seo_keywords = plain(m->pool, rget(r, "keywords"), 500),
            .seo_description = plain(m->pool, rget(r, "description"), 1000),
            .nav = nav >= 0 && nav <= 3 ? (int)nav : MH_NAV_HIDDEN,
            .sort_mode = order == 3   ? MH_SORT_HITS
                         : order == 5 ? MH_SORT_OLDEST
                                      : MH_SORT_NEWEST,
            .page_size = size > 0 && size <= 200 ? (int)size : 20,
            .position = (int)c->order,
            .visible = num(rget(r, "display")) == 0,
        };
        if (c->module == 999) {
            const char *url = rget(r, "out_url");
            if (!*url || !mh_content_url_ok(url)) {
                cnt->refused++;
                if (m->o->out)
                    fprintf(m->o->out, "refused: column %ld: its link is not an http(s) URL\n",
                            c->id);
                continue;
            }
            col.link_url = url;
        }
        int rc = mh_content_column_create(m->c, &col, &c->new_id);
        if (rc == MH_INVALID || rc == MH_TOOBIG) {
            cnt->refused++;
            c->new_id = 0;
            if (m->o->out)
                fprintf(m->o->out, "refused: column %ld: %s\n", c->id,
                        rc == MH_TOOBIG ? "content too large" : "a URL was refused");
            continue;
        }
        if (failed(m, rc, "create a column") ||
            failed(m, mh_content_import_map_put(m->c, SOURCE, "column", sid, c->new_id),
                   "record a column"))
            return MH_ERR;
        mh_content_tx_snapshot_stale(m->c);
        cnt->imported++;
        const char *paths[8];
        size_t np = mh_metinfo_legacy_paths(m->pool, -c->module, c->folder, c->id, l->code,
                                            rget(r, "filename"), (int)c->level, !c->parent, paths,
                                            MH_ARRAY_LEN(paths));
        if (failed(m, add_legacy(m, paths, np, MH_LEGACY_COLUMN, c->new_id), "add legacy URLs"))
            return MH_ERR;
    }
    return MH_OK;
}

/* --- custom parameters (met_parameter, met_para, met_plist) --- */

/* Parameters of products, downloads and images become text or select
 * fields ("p<id>") on the column they name (the deepest of class1..3),
 * or on every top column of their module in their language. */
static int import_parameters(imp_t *m)
{
    count_t *cnt = counter(m, "parameter");
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (!t || strcmp(t, "parameter") != 0)
            continue;
        cnt->read++;
        long module = num(rget(r, "module"));
        if (module < 3 || module > 5) {
            cnt->skipped++; /* form fields of feedback/guestbook/job: not supported yet */
            continue;
        }
        long pid = num(rget(r, "id"));
        char key[MH_FIELD_KEY_MAX + 1];
        snprintf(key, sizeof(key), "p%ld", pid);
        /* options from met_para */
        mh_buf_t opts;
        mh_buf_init(&opts, 64 * 1024);
        for (size_t k = 0; k < m->kept.n; k++) {
            const row_t *o = &m->kept.v[k];
            const char *ot = bare(m, o->table);
            if (ot && strcmp(ot, "para") == 0 && num(rget(o, "pid")) == pid) {
                if (opts.len)
                    mh_buf_append_c(&opts, "\n");
                mh_buf_append_c(&opts, plain(m->pool, rget(o, "value"), 200));
            }
        }
        long type = num(rget(r, "type"));
        bool select = (type == 2 || type == 6) && opts.len;
        const char *options = opts.len ? mh_pstrndup(m->pool, opts.base, opts.len) : "";
        mh_buf_free(&opts);
        long cls = num(rget(r, "class3"));
        if (!cls)
            cls = num(rget(r, "class2"));
        if (!cls)
            cls = num(rget(r, "class1"));
        bool made = false, had = false;
        for (size_t k = 0; k < m->ncols; k++) {
            col_t *c = &m->cols[k];
            if (!c->new_id ||
                (cls ? c->id != cls
                     : (c->parent || c->module != module || strcmp(c->lang, rget(r, "lang")) != 0)))
                continue;
            char sid[64];
            snprintf(sid, sizeof(sid), "%ld:%ld", pid, c->id);
            int64_t have = 0;
            if (mh_content_import_map_get(m->c, SOURCE, "parameter", sid, &have) == MH_OK) {
                had = true;
                continue;
            }
            const char *label = plain(m->pool, rget(r, "name"), 200);
            mh_field_def_t def = {.column_id = c->new_id,
                                  .key = key,
                                  .kind = select ? MH_FIELD_SELECT : MH_FIELD_TEXT,
                                  .label = *label ? label : key,
                                  .help = plain(m->pool, rget(r, "description"), 500),
                                  .options = select ? options : "",
                                  .show_in_list = true,
                                  .position = (int)num(rget(r, "no_order")) + 1};
            int64_t id = 0;
            const char *msg = NULL;
            int rc = mh_fields_def_create(m->c, &def, &id, &msg);
            if (rc == MH_DECLINED) {
                made = true; /* the key exists on that column */
                continue;
            }
            if (failed(m, rc, "create a custom field") ||
                failed(m, mh_content_import_map_put(m->c, SOURCE, "parameter", sid, id),
                       "record a custom field"))
                return MH_ERR;
            mh_content_tx_snapshot_stale(m->c);
            m->fields_made++;
            made = true;
        }
        if (made)
            cnt->imported++;
        else if (had)
            cnt->existing++;
        else
            cnt->skipped++;
    }
    return MH_OK;
}

/* --- administrators (met_admin_table) --- */

/* MetInfo's administrators as users: the login name (admin_id), the
 * display name, and the unsalted MD5 hash kept in the marked form that
 * mh_accounts_authenticate upgrades to argon2id at the first sign-in.
 * admin_type "metinfo" (all rights) becomes admin, the rest editor. An
 * existing masthead user of the same name is left alone. */
static int import_admins(imp_t *m)
{
    for (size_t i = 0; i < m->kept.n; i++) {
        const row_t *r = &m->kept.v[i];
        const char *t = bare(m, r->table);
        if (!t || strcmp(t, "admin_table") != 0)
            continue;
        count_t *cnt = counter(m, "admin_table");
        cnt->read++;
        const char *name = rget(r, "admin_id");
        char hex[33] = {0};
        const char *pass = rget(r, "admin_pass");
        size_t pl = strlen(pass);
        for (size_t k = 0; k < 32 && pl == 32; k++)
            hex[k] = (char)(pass[k] >= 'A' && pass[k] <= 'F' ? pass[k] - 'A' + 'a' : pass[k]);
        int64_t have = 0;
        mh_account_t existing;
        if (mh_content_import_map_get(m->c, SOURCE, "admin_table", name, &have) == MH_OK ||
            (mh_accounts_name_ok(name) &&
             mh_accounts_user_by_name(m->c, m->pool, name, &existing) == MH_OK)) {
            cnt->existing++;
            continue;
        }
        const char *display = plain(m->pool, rget(r, "admin_name"), 100);
        mh_account_t u = {.name = name,
                          .role = strstr(rget(r, "admin_type"), "metinfo") ? "admin" : "editor",
                          .display_name = *display ? display : name,
                          .ui_lang = find_lang(m, "cn") ? "zh-CN" : "en"};
        int64_t id = 0;
        int rc = mh_accounts_user_import_md5(m->c, &u, hex, &id);
        if (rc == MH_DECLINED) {
            cnt->refused++;
            if (m->o->out) {
                fputs("refused: administrator ", m->o->out);
                put_text(m->o->out, plain(m->pool, name, 64));
                fputs(": not a usable login name or MD5 hash\n", m->o->out);
            }
            continue;
        }
        if (failed(m, rc, "create a user") ||
            failed(m, mh_content_import_map_put(m->c, SOURCE, "admin_table", name, id),
                   "record a user"))
            return MH_ERR;
        cnt->imported++;
    }
    return MH_OK;
}

/* --- pass 2: content rows --- */

/* The product image list "name*url*WxH|..." as figures after the body. */
static const char *with_images(imp_t *m, const char *body, const char *list)
{
    if (!list || !*list)
        return body;
    mh_buf_t b;
    mh_buf_init(&b, (size_t)1 << 30);
    mh_buf_append_c(&b, body);
    mh_buf_append_c(&b, "<div class=\"gallery\">");
    char *copy = mh_pstrndup(m->pool, list, strlen(list));
    for (char *item = copy; item && *item;) {
        char *next = strchr(item, '|');
        if (next)
            *next++ = '\0';
        char *url = strchr(item, '*');
        if (url) {
            *url++ = '\0';
            char *end = strchr(url, '*');
            if (end)
                *end = '\0';
            const char *ref = rewrite_uploads(m, url);
            if (mh_content_url_ok(ref)) {
                mh_buf_append_c(&b, "<figure><img src=\"");
                mh_buf_append_c(&b, ref);
                mh_buf_append_c(&b, "\" alt=\"\"></figure>");
            }
        }
        item = next;
    }
    mh_buf_append_c(&b, "</div>");
    const char *out = b.failed ? body : mh_pstrndup(m->pool, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

static int import_item(imp_t *m, const char *table, long module, const char *const *cols,
                       size_t ncols, char *const *vals)
{
    count_t *cnt = counter(m, table);
    cnt->read++;
#define F(name) get(cols, ncols, vals, name)
    long id = num(F("id"));
    char sid[32];
    snprintf(sid, sizeof(sid), "%ld", id);
    int64_t have = 0;
    if (mh_content_import_map_get(m->c, SOURCE, table, sid, &have) == MH_OK) {
        cnt->existing++;
        return MH_OK;
    }
    long cls = num(F("class3"));
    if (!cls || !find_col(m, cls) || !find_col(m, cls)->new_id)
        cls = num(F("class2"));
    if (!cls || !find_col(m, cls) || !find_col(m, cls)->new_id)
        cls = num(F("class1"));
    col_t *col = find_col(m, cls);
    lang_t *l = find_lang(m, F("lang"));
    if (!col || !col->new_id || !l || col->module != module) {
        cnt->skipped++;
        return MH_OK;
    }
    const char *title = plain(m->pool, module == 6 ? F("position") : F("title"), TITLE_MAX);
    if (!*title) {
        cnt->refused++;
        if (m->o->out)
            fprintf(m->o->out, "refused: %s %ld: no title\n", table, id);
        return MH_OK;
    }
    const char *body = rewrite_uploads(m, F("content"));
    if (module == 3 || module == 5)
        body = with_images(m, body, F("displayimg"));
    if (module == 6) { /* a job's facts before its description */
        mh_buf_t b;
        mh_buf_init(&b, (size_t)1 << 30);
        static const char *const facts[] = {"place", "deal", "count", "email"};
        mh_buf_append_c(&b, "<ul class=\"job-facts\">");
        for (size_t i = 0; i < MH_ARRAY_LEN(facts); i++) {
            const char *v = plain(m->pool, F(facts[i]), 200);
            if (!*v || strcmp(v, "0") == 0)
                continue;
            mh_buf_append_c(&b, "<li>");
            mh_buf_append_c(&b, mh_psprintf(m->pool, "%s: ", facts[i]));
            for (const char *q = v; *q; q++)
                mh_buf_append_c(&b, *q == '<'   ? "&lt;"
                                    : *q == '>' ? "&gt;"
                                    : *q == '&' ? "&amp;"
                                    : *q == '"' ? "&quot;"
                                                : mh_pstrndup(m->pool, q, 1));
            mh_buf_append_c(&b, "</li>");
        }
        mh_buf_append_c(&b, "</ul>");
        mh_buf_append_c(&b, body);
        body = b.failed ? body : mh_pstrndup(m->pool, b.base, b.len);
        mh_buf_free(&b);
    }
    const char *cover = F("imgurl");
    cover = *cover ? rewrite_uploads(m, cover) : "";
    if (!mh_content_url_ok(cover))
        cover = "";
    int64_t added = when(m, F("addtime")), updated = when(m, F("updatetime"));
    long recycle = num(F("recycle")), display = *F("displaytype") ? num(F("displaytype")) : 1;
    int64_t now = (int64_t)time(NULL);
    mh_status_t status =
        display == 1 ? (added > now ? MH_STATUS_SCHEDULED : MH_STATUS_PUBLISHED) : MH_STATUS_DRAFT;
    const char *fname = F("filename");
    mh_entry_t e = {
        .column_id = col->new_id,
        .lang_id = l->id,
        .title = title,
        .slug = *fname ? mh_slugify(m->pool, fname) : "",
        .summary = plain(m->pool, F("description"), 2000),
        .body_html = body,
        .author = plain(m->pool, F("issue"), 100),
        .source = plain(m->pool, F("links"), 200),
        .cover = cover,
        .seo_title = plain(m->pool, F("ctitle"), 200),
        .seo_keywords = plain(m->pool, F("keywords"), 500),
        .seo_description = plain(m->pool, F("description"), 1000),
        .publish_at = added ? added : updated,
        .created_at = added ? added : updated,
        .updated_at = updated ? updated : added,
        .hits = num(F("hits")) > 0 ? num(F("hits")) : 0,
        .status = status,
        .pinned = num(F("top_ok")) != 0,
        .recommended = num(F("com_ok")) != 0,
        .position = -(int)num(F("no_order")), /* MetInfo lists no_order descending */
    };
    int64_t nid = 0;
    int rc = mh_content_entry_create(m->c, &e, &nid);
    if (rc == MH_INVALID || rc == MH_TOOBIG) {
        cnt->refused++;
        if (m->o->out)
            fprintf(m->o->out, "refused: %s %ld: %s\n", table, id,
                    rc == MH_TOOBIG ? "content too large to sanitise" : "a URL was refused");
        return MH_OK;
    }
    if (failed(m, rc, "create an entry"))
        return MH_ERR;
    /* recycle > 0: in MetInfo's recycle bin (0 and -1 are live) */
    if (recycle > 0 && failed(m, mh_editorial_entry_trash(m->c, nid), "move an entry to the bin"))
        return MH_ERR;
    if (failed(m, mh_content_import_map_put(m->c, SOURCE, table, sid, nid), "record an entry"))
        return MH_ERR;
    cnt->imported++;
    const char *paths[8];
    size_t np = mh_metinfo_legacy_paths(m->pool, module, col->folder, id, l->code, fname, 0, false,
                                        paths, MH_ARRAY_LEN(paths));
    if (failed(m, add_legacy(m, paths, np, MH_LEGACY_ENTRY, nid), "add legacy URLs"))
        return MH_ERR;
#undef F
    return MH_OK;
}

/* The content tables of pass 2: one function per table, called for each
 * row (a table masthead cannot hold yet is in skipped_tables). */
typedef int (*row_fn)(imp_t *m, const char *table, long module, const char *const *cols,
                      size_t ncols, char *const *vals);

static const struct {
    const char *table;
    long module;
    row_fn fn;
} content_tables[] = {
    {"news", 2, import_item}, {"product", 3, import_item}, {"download", 4, import_item},
    {"img", 5, import_item},  {"job", 6, import_item},
};

static int row_pass2(imp_t *m, const char *table, const char *const *cols, size_t ncols,
                     const mh_sql_value_t *v, size_t nv)
{
    const char *t = bare(m, table);
    if (!t || ncols == 0 || ncols != nv)
        return 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(content_tables); i++) {
        if (strcmp(t, content_tables[i].table) != 0)
            continue;
        /* each row in a pool of its own: memory stays flat however many */
        m->pool = mh_pool_create();
        char **vals = mh_palloc(m->pool, ncols * sizeof(char *));
        for (size_t k = 0; k < ncols; k++)
            vals[k] = v[k].kind == MH_SQL_NULL ? NULL : (char *)v[k].bytes;
        int rc = content_tables[i].fn(m, t, content_tables[i].module, cols, ncols, vals);
        mh_pool_destroy(m->pool);
        m->pool = m->root;
        return rc == MH_OK ? 0 : 1;
    }
    if (strcmp(t, "plist") == 0) {
        if (m->nplist == m->cap_plist) {
            m->cap_plist = m->cap_plist ? 2 * m->cap_plist : 256;
            m->plist = mh_realloc(m->plist, m->cap_plist * sizeof(*m->plist));
        }
        const char *info = "";
        long listid = 0, paraid = 0, module = 0;
        for (size_t k = 0; k < ncols; k++) {
            if (v[k].kind == MH_SQL_NULL)
                continue;
            if (strcmp(cols[k], "listid") == 0)
                listid = num(v[k].bytes);
            else if (strcmp(cols[k], "paraid") == 0)
                paraid = num(v[k].bytes);
            else if (strcmp(cols[k], "module") == 0)
                module = num(v[k].bytes);
            else if (strcmp(cols[k], "info") == 0)
                info = v[k].bytes;
        }
        mh_pool_t *tmp = mh_pool_create();
        m->plist[m->nplist++] =
            (plist_t){listid, paraid, module, mh_strdup(plain(tmp, info, 1000))};
        mh_pool_destroy(tmp);
        counter(m, "plist")->read++;
        return 0;
    }
    for (size_t i = 0; i < MH_ARRAY_LEN(skipped_tables); i++)
        if (strcmp(t, skipped_tables[i].table) == 0) {
            count_t *cnt = counter(m, t);
            cnt->read++;
            cnt->skipped++;
        }
    return 0;
}

static int by_list(const void *a, const void *b)
{
    const plist_t *x = a, *y = b;
    if (x->module != y->module)
        return x->module < y->module ? -1 : 1;
    return x->listid < y->listid ? -1 : x->listid > y->listid;
}

/* The parameter values, one entry at a time (all of an entry's values
 * are written together, replacing what it had). */
static int import_values(imp_t *m)
{
    count_t *cnt = counter(m, "plist");
    qsort(m->plist, m->nplist, sizeof(*m->plist), by_list);
    for (size_t i = 0; i < m->nplist;) {
        size_t j = i;
        while (j < m->nplist && m->plist[j].listid == m->plist[i].listid &&
               m->plist[j].module == m->plist[i].module)
            j++;
        const char *table = m->plist[i].module == 3   ? "product"
                            : m->plist[i].module == 4 ? "download"
                            : m->plist[i].module == 5 ? "img"
                                                      : NULL;
        char sid[32];
        snprintf(sid, sizeof(sid), "%ld", m->plist[i].listid);
        int64_t eid = 0;
        char vkey[64];
        snprintf(vkey, sizeof(vkey), "%s:%ld", table ? table : "", m->plist[i].listid);
        int64_t done = 0;
        if (!table || mh_content_import_map_get(m->c, SOURCE, table, sid, &eid) != MH_OK) {
            cnt->skipped += j - i;
            i = j;
            continue;
        }
        if (mh_content_import_map_get(m->c, SOURCE, "plist", vkey, &done) == MH_OK) {
            cnt->existing += j - i;
            i = j;
            continue;
        }
        mh_pool_t *tmp = mh_pool_create();
        mh_field_value_t *vals = mh_palloc(tmp, (j - i) * sizeof(*vals));
        size_t nv = 0;
        for (size_t k = i; k < j; k++) {
            if (!*m->plist[k].info)
                continue;
            vals[nv++] = (mh_field_value_t){.entry_id = eid,
                                            .key = mh_psprintf(tmp, "p%ld", m->plist[k].paraid),
                                            .text = m->plist[k].info};
        }
        int rc = nv ? mh_fields_values_set(m->c, eid, vals, nv) : MH_OK;
        mh_pool_destroy(tmp);
        if (failed(m, rc, "set custom field values"))
            return MH_ERR;
        if (failed(m, mh_content_import_map_put(m->c, SOURCE, "plist", vkey, eid),
                   "record custom field values"))
            return MH_ERR;
        cnt->imported += nv;
        cnt->skipped += (j - i) - nv;
        i = j;
    }
    return MH_OK;
}

/* --- reading --- */

static int on_row(void *ud, const char *table, const char *const *cols, size_t ncols,
                  const mh_sql_value_t *v, size_t nv)
{
    imp_t *m = ud;
    if (++m->rows_seen % 256 == 0)
        progress(m, false);
    return m->pass == 1 ? row_pass1(m, table, cols, ncols, v, nv)
                        : row_pass2(m, table, cols, ncols, v, nv);
}

static int read_all(imp_t *m, const char *const *files, size_t nfiles, char *err, size_t errlen)
{
    /* values up to 128 MiB are read, so that a huge body is refused row
     * by row (the sanitiser's limit) rather than stopping the import */
    mh_sqldump_opts_t so = {
        .on_table = on_table, .on_row = on_row, .ud = m, .max_value = (size_t)128 << 20};
    m->d = mh_sqldump_new(&so);
    int rc = MH_OK;
    for (size_t i = 0; i < nfiles && rc == MH_OK; i++) {
        struct stat st;
        m->file = files[i];
        m->size = stat(files[i], &st) == 0 ? (uint64_t)st.st_size : 0;
        m->pct = -1;
        m->rows_seen = 0;
        rc = mh_sqldump_read_file(m->d, files[i], err, errlen);
        if (rc == MH_OK)
            progress(m, true);
        else if (m->o->status && m->o->progress)
            fputc('\n', m->o->status);
    }
    if (rc == MH_OK && m->pass == 1) {
        size_t n;
        const char *const *names = mh_sqldump_tables(m->d, &n);
        if (mh_sqldump_metinfo_prefix(names, n, m->prefix, sizeof(m->prefix)) != MH_OK) {
            snprintf(err, errlen,
                     "%s: no MetInfo tables found (expected met_column, met_news, "
                     "... with any prefix)",
                     files[0]);
            rc = MH_ERR;
        }
    }
    mh_sqldump_free(m->d);
    m->d = NULL;
    return rc;
}

/* Is the site new (no columns in any language) or already an import of
 * MetInfo? Else it needs --merge. */
static int site_state(imp_t *m, bool *has_content, bool *imported)
{
    mh_language_t *langs;
    size_t n;
    *has_content = *imported = false;
    if (mh_content_languages(m->c, m->pool, &langs, &n) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        mh_column_t *cols;
        size_t nc;
        if (mh_content_columns(m->c, m->pool, langs[i].id, &cols, &nc) != MH_OK)
            return MH_ERR;
        *has_content |= nc > 0;
    }
    int64_t any = 0;
    for (size_t i = 0; i < m->nlangs && !*imported; i++)
        *imported =
            mh_content_import_map_get(m->c, SOURCE, "lang", m->langs[i].code, &any) == MH_OK;
    return MH_OK;
}

static void summary(imp_t *m, double secs)
{
    FILE *out = m->o->out;
    if (!out)
        return;
    fprintf(out, "imported from MetInfo (table prefix ");
    put_text(out, m->prefix);
    fprintf(out, ") into %s in %.2f s\n", m->o->site_dir, secs);
    fprintf(out, "languages:");
    for (size_t i = 0; i < m->nlangs; i++) {
        fputc(' ', out);
        put_text(out, m->langs[i].code);
        fprintf(out, " -> %s%s", lang_code(m->langs[i].code),
                m->langs[i].site_default ? " (default)" : "");
    }
    fputc('\n', out);
    fprintf(out, "%-20s %8s %8s %8s %8s %8s\n", "table", "read", "imported", "existing", "skipped",
            "refused");
    for (size_t i = 0; i < m->ncounts; i++) {
        count_t *c = &m->counts[i];
        fprintf(out, "%-20.20s %8zu %8zu %8zu %8zu %8zu\n", c->table, c->read, c->imported,
                c->existing, c->skipped, c->refused);
    }
    for (size_t i = 0; i < m->ncounts; i++)
        for (size_t k = 0; k < MH_ARRAY_LEN(skipped_tables); k++)
            if (strcmp(m->counts[i].table, skipped_tables[k].table) == 0)
                fprintf(out, "skipped (not supported yet): %s: %zu rows (%s)\n",
                        skipped_tables[k].table, m->counts[i].skipped, skipped_tables[k].why);
    fprintf(out, "custom fields: %zu made\n", m->fields_made);
    fprintf(out, "legacy URLs: %zu added\n", m->legacy_added);
    if (m->o->upload_dir)
        fprintf(out, "uploads: %zu copied, %zu missing\n", m->uploads_copied, m->uploads_missing);
    else
        fprintf(out, "uploads: not copied (no --upload DIR): references point at /upload/...\n");
}

int mh_metinfo_import(const char *const *files, size_t nfiles, const mh_metinfo_import_opts_t *o,
                      char *err, size_t errlen)
{
    imp_t *m = mh_calloc(1, sizeof(*m));
    m->o = o;
    m->root = m->pool = mh_pool_create();
    int rc = MH_ERR;
    bool tx = false;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snprintf(m->media_dir, sizeof(m->media_dir), "%s/media", o->site_dir);
    if (mh_content_open(o->site_dir, &m->c, err, errlen) != MH_OK)
        goto done;
    m->pass = 1;
    if (read_all(m, files, nfiles, err, errlen) != MH_OK)
        goto done;
    find_langs(m);
    if (m->nlangs == 0) {
        snprintf(err, errlen, "no languages found in the dumps (no %slang rows and no lang values)",
                 m->prefix);
        goto done;
    }
    bool has_content, imported;
    if (site_state(m, &has_content, &imported) != MH_OK) {
        snprintf(err, errlen, "%s: cannot read the site", o->site_dir);
        goto done;
    }
    if (has_content && !imported && !o->merge) {
        snprintf(err, errlen,
                 "%s has content of its own: give --merge to add the import to it (nothing "
                 "was written)",
                 o->site_dir);
        goto done;
    }
    mh_content_store(m->c)->ops->legacy->bulk(mh_content_store(m->c), true);
    if (mh_content_tx_begin(m->c) != MH_OK) {
        snprintf(err, errlen, "%s: cannot start a transaction", o->site_dir);
        goto done;
    }
    tx = true;
    if (make_langs(m) != MH_OK || import_settings(m) != MH_OK || import_columns(m) != MH_OK ||
        import_parameters(m) != MH_OK || import_admins(m) != MH_OK)
        goto failed;
    m->pass = 2;
    if (read_all(m, files, nfiles, err, errlen) != MH_OK)
        goto rollback;
    if (m->fail[0] || import_values(m) != MH_OK)
        goto failed;
    tx = false;
    rc = mh_content_tx_end(m->c, MH_OK);
    if (rc != MH_OK) {
        snprintf(err, errlen, "%s: the import could not be committed%s", o->site_dir,
                 rc == MH_NOSPACE ? " (no space left)" : "");
        rc = MH_ERR;
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    summary(m, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    goto done;
failed:
    snprintf(err, errlen, "%s", m->fail[0] ? m->fail : "the import failed");
rollback:
    if (m->fail[0] && strstr(err, "stopped at table"))
        snprintf(err + strlen(err), errlen - strlen(err), " (%s)", m->fail);
    rc = MH_ERR;
done:
    if (tx)
        mh_content_tx_end(m->c, MH_ERR);
    if (m->c) {
        mh_content_store(m->c)->ops->legacy->bulk(mh_content_store(m->c), false);
        mh_content_close(m->c);
    }
    for (size_t i = 0; i < m->nplist; i++)
        free(m->plist[i].info);
    free(m->plist);
    free(m->cols);
    free(m->kept.v);
    mh_pool_destroy(m->root);
    free(m);
    return rc;
}
