/* The WordPress importer. The file is read twice with the streaming
 * reader: the first pass keeps what must exist before posts can be written
 * (authors, categories, attachments, and the pages, which are few and may
 * come before their parents), and nothing is written until it has read the
 * whole file without error; the second pass converts and writes the posts
 * one at a time, so memory holds one post, never the export. All writes
 * share one content-layer transaction: a failure rolls everything back. */
#include "wxr_import.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../content/accounts.h"
#include "../content/content.h"
#include "../content/media.h"
#include "../core/buf.h"
#include "../core/common.h"
#include "../core/pool.h"
#include "../store/wxr.h"
#include "wxr.h"
#include "wxr_html.h"

#define BODY_MAX ((size_t)64 << 20)
#define FILE_MAX ((size_t)256 << 20) /* one attachment copied from --upload */
#define SUMMARY_MAX 600              /* bytes of plain text in an entry's summary */
#define MAX_NOTES 20                 /* skipped items listed by name in the summary */

typedef struct {
    char *slug, *parent, *name, *desc;
    int64_t term_id, col;
    bool done;
} cat_t;

typedef struct {
    int64_t id, parent;
    long order;
    char *url, *caption, *alt, *rel;
    const char *local; /* the media library URL when copied, else NULL */
} att_t;

typedef struct {
    char *login, *display;
    int64_t user;
} author_t;

typedef struct {
    int64_t id, parent, col;
    long order;
    char *title, *content, *excerpt, *name, *status, *date, *date_gmt, *link, *guid;
    unsigned ncomments;
    unsigned long line;
    bool done;
} page_t;

typedef struct {
    const mh_wxr_import_opts_t *o;
    mh_content_t *c;
    mh_store_t *s;
    mh_pool_t *pool; /* lives for the whole import */
    const char *tz, *site, *media_dir;
    int64_t lang, now, fallback_col;
    /* pass 1 */
    author_t *authors;
    size_t nauthors, authors_cap;
    cat_t *cats;
    size_t ncats, cats_cap;
    att_t *att, *by_parent;
    size_t natt, att_cap;
    page_t *pages;
    size_t npages, pages_cap;
    att_t **by_rel; /* copied attachments by path under uploads/, for URL rewriting */
    size_t nrel;
    /* counts */
    unsigned a_new, a_mapped, cats_new, pages_new, posts_new, unchanged;
    unsigned st[4], private_, password, trash, other, att_copied, att_placeholder, tags, tagged;
    unsigned comments, legacy, failed, nmore;
    mh_wxr_stats_t conv;
    char notes[MAX_NOTES][160];
    unsigned nnotes;
    /* progress */
    int pass, last_pct, last_quarter;
    unsigned items;
    int fatal;  /* MH_ERR once a write failed: the callbacks stop the parse */
    bool fresh; /* the site had no import before this one */
    char *err;
    size_t errsize;
} imp_t;

static char *xdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static void *grow(void *arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return arr;
    size_t nc = *cap ? *cap * 2 : 64;
    void *na = realloc(arr, nc * sz);
    if (!na)
        abort();
    *cap = nc;
    return na;
}

static void note(imp_t *m, const char *what, int64_t id, const char *why)
{
    m->failed++;
    if (m->nnotes < MAX_NOTES)
        snprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), "%s %lld: %s", what, (long long)id,
                 why);
}

static int fail(imp_t *m, unsigned long line, const char *fmt, const char *a)
{
    char msg[256];
    snprintf(msg, sizeof(msg), fmt, a);
    snprintf(m->err, m->errsize, "%s:%lu: %s", m->o->file, line, msg);
    m->fatal = MH_ERR;
    return MH_ERR;
}

/* --- text helpers ---------------------------------------------------------------- */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* %XX decoded (WordPress percent-encodes non-ASCII slugs); a %00 or a
 * broken escape stays as it is. */
static char *pct_decode(mh_pool_t *p, const char *s, size_t n)
{
    char *o = mh_palloc(p, n + 1), *w = o;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
            (l = hexval(s[i + 2])) >= 0 && (h | l)) {
            *w++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = '\0';
    return o;
}

/* The length of o[0..w) without a last character cut in the middle. */
static size_t utf8_whole(const char *o, size_t w)
{
    size_t k = w;
    while (k && ((unsigned char)o[k - 1] & 0xC0) == 0x80)
        k--;
    if (!k)
        return 0;
    unsigned char lead = (unsigned char)o[k - 1];
    size_t need = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return w - (k - 1) >= need ? w : k - 1;
}

/* &#NNN; or &#xHH; at s as UTF-8 into out (at least 4 bytes): its length,
 * or 0 when s is no such reference (or names a control character or a
 * surrogate); *adv receives the bytes of the reference. */
static size_t numeric_ref(const char *s, char *out, size_t *adv)
{
    if (s[0] != '&' || s[1] != '#')
        return 0;
    bool x = s[2] == 'x' || s[2] == 'X';
    const char *d = s + (x ? 3 : 2);
    unsigned long cp = 0;
    size_t nd = 0;
    for (; nd < 7; nd++) {
        int v = x ? hexval(d[nd]) : (d[nd] >= '0' && d[nd] <= '9' ? d[nd] - '0' : -1);
        if (v < 0)
            break;
        cp = cp * (x ? 16 : 10) + (unsigned long)v;
    }
    if (!nd || d[nd] != ';' || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        (cp < 0x20 && cp != '\t' && cp != '\n'))
        return 0;
    *adv = (size_t)(d + nd + 1 - s);
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Plain text of a fragment of HTML: tags dropped (and the insides of script
 * and style), the common entities decoded, white space collapsed, cut to
 * max bytes at a character boundary. Titles and summaries are text in
 * masthead and escaped when shown. */
static char *text_of(mh_pool_t *p, const char *html, size_t max)
{
    size_t n = strlen(html);
    char *o = mh_palloc(p, (n < max ? n : max) + 1);
    size_t w = 0;
    bool space = false;
    static const struct {
        const char *ent, *rep;
    } ents[] = {{"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
                {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}};
    for (size_t i = 0; i < n && w < max;) {
        const char *rep = NULL;
        size_t adv = 1, replen = 1;
        char ch = html[i];
        char num[4];
        size_t numlen = 0;
        bool tag = ch == '<' && (isalpha((unsigned char)html[i + 1]) || html[i + 1] == '/' ||
                                 html[i + 1] == '!' || html[i + 1] == '?');
        if (tag) {
            const char *end = strchr(html + i, '>');
            if (!end)
                break;
            bool script = strncasecmp(html + i, "<script", 7) == 0;
            bool style = strncasecmp(html + i, "<style", 6) == 0;
            i = (size_t)(end - html) + 1;
            if (script || style) {
                const char *close = strcasestr(html + i, script ? "</script" : "</style");
                if (!close)
                    break;
                end = strchr(close, '>');
                i = end ? (size_t)(end - html) + 1 : n;
            }
            space = w > 0;
            continue;
        }
        if (ch == '&' && (numlen = numeric_ref(html + i, num, &adv)) > 0) {
            rep = num;
            replen = numlen;
        }
        if (ch == '&' && !rep)
            for (size_t k = 0; k < MH_ARRAY_LEN(ents); k++) {
                size_t el = strlen(ents[k].ent);
                if (strncmp(html + i, ents[k].ent, el) == 0) {
                    rep = ents[k].rep;
                    adv = el;
                    replen = strlen(rep);
                    break;
                }
            }
        if (!rep && (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')) {
            space = w > 0;
            i++;
            continue;
        }
        if (!rep) {
            rep = html + i;
            replen = 1;
        }
        if (space && rep[0] != ' ') {
            if (w + 1 >= max)
                break;
            o[w++] = ' ';
        }
        space = rep[0] == ' ' && replen == 1 && w > 0;
        if (space) {
            i += adv;
            continue;
        }
        if (w + replen > max)
            break;
        memcpy(o + w, rep, replen);
        w += replen;
        i += adv;
    }
    w = utf8_whole(o, w);
    o[w] = '\0';
    return o;
}

/* Unix seconds of a post: its GMT time when WordPress wrote one, else its
 * local time read in the site's time zone; 0 when neither parses. */
static int64_t wp_time(imp_t *m, const char *gmt, const char *local)
{
    int64_t t = 0;
    if (gmt[0] && strncmp(gmt, "0000", 4) != 0 && mh_parse_time(gmt, "+00:00", &t) == MH_OK)
        return t;
    if (local[0] && strncmp(local, "0000", 4) != 0 && mh_parse_time(local, m->tz, &t) == MH_OK)
        return t;
    return 0;
}

/* The old URL as a key of wxr_legacy_paths: "?p=N", "?page_id=N", "?cat=N"
 * for those queries on the site's root, else the decoded path without its
 * trailing slash ("/2019/03/slug"); NULL for the root itself or no URL. */
static const char *legacy_key(mh_pool_t *p, const char *url)
{
    const char *s = strstr(url, "://");
    s = s ? strchr(s + 3, '/') : (url[0] == '/' ? url : NULL);
    if (!s)
        return NULL;
    size_t plen = strcspn(s, "?#");
    const char *q = s[plen] == '?' ? s + plen + 1 : NULL;
    while (plen && s[plen - 1] == '/')
        plen--;
    if (plen == 0) {
        static const char *const keys[] = {"p=", "page_id=", "cat="};
        for (const char *a = q; a && *a && *a != '#'; a += strcspn(a, "&#"), a += *a == '&')
            for (size_t k = 0; k < MH_ARRAY_LEN(keys); k++)
                if (strncmp(a, keys[k], strlen(keys[k])) == 0)
                    return mh_psprintf(p, "?%.*s", (int)strcspn(a, "&#"), a);
        return NULL;
    }
    return pct_decode(p, s, plen);
}

static int add_path(imp_t *m, const char *key, int64_t entry, int64_t col)
{
    if (!key || !key[0])
        return MH_OK;
    int rc = mh_store_wxr_path_add(m->s, key, entry, col);
    if (rc == MH_ERR)
        return MH_ERR;
    m->legacy += rc == MH_OK;
    return MH_OK;
}

static const char *key_of(imp_t *m, mh_pool_t *p, const char *id)
{
    return mh_psprintf(p, "%s#%s", m->site, id);
}

static const char *key_id(imp_t *m, mh_pool_t *p, int64_t id)
{
    return mh_psprintf(p, "%s#%lld", m->site, (long long)id);
}

/* The local id an earlier import made for key, when its row still exists. */
static bool mapped(imp_t *m, const char *kind, const char *key, const char *table, int64_t *id)
{
    if (m->fresh) /* nothing was ever imported here: no lookups */
        return false;
    return mh_store_wxr_map_get(m->s, kind, key, id) == MH_OK &&
           mh_store_wxr_row_exists(m->s, table, *id) == MH_OK;
}

/* --- progress -------------------------------------------------------------------- */

static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    imp_t *m = ud;
    if (!total)
        return;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    if (pct == m->last_pct)
        return;
    m->last_pct = pct;
    const char *what = m->pass == 1 ? "reading  " : "importing";
    if (m->o->progress_tty) {
        char bar[41];
        int fill = pct * 40 / 100;
        for (int i = 0; i < 40; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[40] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%% %u items", what, bar, pct, m->items);
        fflush(stderr);
    } else if (pct / 25 > m->last_quarter) {
        m->last_quarter = pct / 25;
        fprintf(stderr, "%s %d%% (%u items)\n", what, m->last_quarter * 25, m->items);
    }
}

static void progress_end(imp_t *m)
{
    if (m->o->progress_tty)
        fputs("\r\033[K", stderr);
    m->last_pct = -1;
    m->last_quarter = 0;
    m->items = 0;
}

/* --- pass 1: what posts need ------------------------------------------------------ */

static int p1_site(void *ud, const mh_wxr_site_t *s)
{
    imp_t *m = ud;
    const char *id = s->base_blog_url[0] ? s->base_blog_url : s->link;
    m->site = mh_pstrdup(m->pool, id[0] ? id : "wordpress");
    return 0;
}

static int p1_author(void *ud, const mh_wxr_author_t *a)
{
    imp_t *m = ud;
    m->authors = grow(m->authors, m->nauthors, &m->authors_cap, sizeof(*m->authors));
    const char *disp = a->display_name[0] ? a->display_name : a->login;
    m->authors[m->nauthors++] = (author_t){xdup(a->login), xdup(disp), 0};
    return 0;
}

static int p1_term(void *ud, const mh_wxr_term_t *t)
{
    imp_t *m = ud;
    if (t->kind != MH_WXR_CATEGORY)
        return 0;
    m->cats = grow(m->cats, m->ncats, &m->cats_cap, sizeof(*m->cats));
    m->cats[m->ncats++] = (cat_t){
        xdup(t->slug), xdup(t->parent), xdup(t->name), xdup(t->description), t->id, 0, false};
    return 0;
}

static const char *meta(const mh_wxr_item_t *it, const char *key)
{
    for (size_t i = 0; i < it->nmeta; i++)
        if (strcmp(it->meta[i].key, key) == 0)
            return it->meta[i].value;
    return "";
}

/* The path of an uploaded file below WordPress's uploads folder
 * ("2013/03/photo.jpg"), or NULL. */
static char *upload_rel(const char *url)
{
    const char *p = strstr(url, "/wp-content/uploads/");
    size_t skip = 20;
    if (!p) {
        p = strstr(url, "/uploads/");
        skip = 9;
    }
    if (!p || !p[skip] || strstr(p + skip, ".."))
        return NULL;
    return xdup(p + skip);
}

static int p1_item(void *ud, const mh_wxr_item_t *it)
{
    imp_t *m = ud;
    m->items++;
    const char *ty = it->post_type;
    if (strcmp(ty, "attachment") == 0) {
        m->att = grow(m->att, m->natt, &m->att_cap, sizeof(*m->att));
        m->att[m->natt++] = (att_t){it->post_id,
                                    it->post_parent,
                                    it->menu_order,
                                    xdup(it->attachment_url),
                                    xdup(it->excerpt),
                                    xdup(meta(it, "_wp_attachment_image_alt")),
                                    upload_rel(it->attachment_url),
                                    NULL};
    } else if (strcmp(ty, "page") == 0) {
        m->pages = grow(m->pages, m->npages, &m->pages_cap, sizeof(*m->pages));
        m->pages[m->npages++] = (page_t){.id = it->post_id,
                                         .parent = it->post_parent,
                                         .order = it->menu_order,
                                         .title = xdup(it->title),
                                         .content = xdup(it->content),
                                         .excerpt = xdup(it->excerpt),
                                         .name = xdup(it->post_name),
                                         .status = xdup(it->status),
                                         .date = xdup(it->post_date),
                                         .date_gmt = xdup(it->post_date_gmt),
                                         .link = xdup(it->link),
                                         .guid = xdup(it->guid),
                                         .ncomments = (unsigned)it->ncomments,
                                         .line = it->line};
    }
    return 0;
}

/* --- attachments ------------------------------------------------------------------ */

static int att_by_id(const void *a, const void *b)
{
    const att_t *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int att_by_parent(const void *a, const void *b)
{
    const att_t *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int att_by_rel(const void *a, const void *b)
{
    const att_t *const *x = a, *const *y = b;
    return strcmp((*x)->rel, (*y)->rel);
}

static bool resolve(void *ud, int64_t id, mh_wxr_media_t *out)
{
    imp_t *m = ud;
    att_t key = {.id = id};
    att_t *a = m->natt ? bsearch(&key, m->att, m->natt, sizeof(*m->att), att_by_id) : NULL;
    if (!a)
        return false;
    *out = (mh_wxr_media_t){a->local ? a->local : a->url, a->caption, a->alt};
    return true;
}

static size_t children(void *ud, int64_t post, int64_t *ids, size_t max)
{
    imp_t *m = ud;
    size_t lo = 0, hi = m->natt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->by_parent[mid].parent < post)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t i = lo; i < m->natt && m->by_parent[i].parent == post && n < max; i++)
        ids[n++] = m->by_parent[i].id;
    return n;
}

static int read_file(const char *path, mh_buf_t *out)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int rc = MH_ERR;
    struct stat st;
    if (fd < 0)
        return MH_DECLINED;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > FILE_MAX)
        goto done;
    if (mh_buf_reserve(out, (size_t)st.st_size + 1) != MH_OK)
        goto done;
    for (;;) {
        char chunk[65536];
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto done;
        if (r == 0)
            break;
        if (mh_buf_append(out, chunk, (size_t)r) != MH_OK)
            goto done;
    }
    rc = MH_OK;
done:
    close(fd);
    return rc;
}

/* Copy the attachments --upload holds into the media library. */
static int copy_media(imp_t *m)
{
    mh_buf_t data;
    mh_buf_init(&data, FILE_MAX + 1);
    int rc = MH_OK;
    for (size_t i = 0; i < m->natt; i++) {
        att_t *a = &m->att[i];
        mh_pool_t *p = mh_pool_create();
        const char *key = key_id(m, p, a->id);
        int64_t id = 0;
        mh_media_item_t item;
        if (mapped(m, "attachment", key, "media", &id) &&
            mh_content_media_get(m->c, p, id, &item) == MH_OK) {
            a->local = mh_pstrdup(m->pool, mh_content_media_url(p, item.stored_name));
            m->att_copied++;
            m->unchanged++;
            goto next;
        }
        if (!m->o->upload || !a->rel) {
            m->att_placeholder++;
            goto next;
        }
        const char *path = mh_psprintf(p, "%s/%s", m->o->upload, a->rel);
        mh_buf_reset(&data);
        if (read_file(path, &data) != MH_OK) {
            m->att_placeholder++;
            note(m, "attachment", a->id, "file not found under --upload (placeholder kept)");
            m->failed--; /* a placeholder, not a failure */
            goto next;
        }
        const char *base = strrchr(a->rel, '/');
        base = base ? base + 1 : a->rel;
        int r = mh_content_media_add(m->c, p, m->media_dir, data.base, data.len, mh_str_c(base), 0,
                                     &item);
        if (r != MH_OK) {
            m->att_placeholder++;
            note(m, "attachment", a->id, "refused by the media library (placeholder kept)");
            if (r == MH_ERR || r == MH_NOSPACE) {
                rc = r;
                snprintf(m->err, m->errsize, "%s: attachment %lld could not be stored", m->o->file,
                         (long long)a->id);
                mh_pool_destroy(p);
                break;
            }
            goto next;
        }
        if (mh_store_wxr_map_set(m->s, "attachment", key, item.id) != MH_OK) {
            rc = MH_ERR;
            mh_pool_destroy(p);
            break;
        }
        a->local = mh_pstrdup(m->pool, mh_content_media_url(p, item.stored_name));
        m->att_copied++;
    next:
        mh_pool_destroy(p);
    }
    mh_buf_free(&data);
    /* the copied ones by path, for rewriting URLs in bodies */
    m->by_rel = calloc(m->natt + 1, sizeof(*m->by_rel));
    if (!m->by_rel)
        abort();
    for (size_t i = 0; i < m->natt; i++)
        if (m->att[i].local && m->att[i].rel)
            m->by_rel[m->nrel++] = &m->att[i];
    qsort(m->by_rel, m->nrel, sizeof(*m->by_rel), att_by_rel);
    return rc;
}

/* URLs of copied uploads in a body, also WordPress's resized copies
 * ("photo-300x200.jpg"), replaced by the media library's URL. */
static int rewrite_media(imp_t *m, mh_str_t in, mh_buf_t *out)
{
    static const char marker[] = "/wp-content/uploads/";
    const char *s = in.base, *end = in.base + in.len;
    char rel[1024];
    while (s < end) {
        const char *hit = memmem(s, (size_t)(end - s), marker, sizeof(marker) - 1);
        if (!hit)
            break;
        const char *start = hit; /* back to the start of the URL */
        while (start > s && !strchr("\"' =,(\n\t", start[-1]))
            start--;
        const char *rs = hit + sizeof(marker) - 1, *re = rs;
        while (re < end && !strchr("\"' <>,)\n\t?#", *re))
            re++;
        size_t n = (size_t)(re - rs);
        att_t *found = NULL;
        if (n && n < sizeof(rel)) {
            memcpy(rel, rs, n);
            rel[n] = '\0';
            att_t key = {.rel = rel}, *kp = &key, **f;
            f = bsearch(&kp, m->by_rel, m->nrel, sizeof(*m->by_rel), att_by_rel);
            if (!f) { /* photo-300x200.jpg -> photo.jpg */
                char *dot = strrchr(rel, '.'), *dash = strrchr(rel, '-');
                if (dot && dash && dash < dot &&
                    strspn(dash + 1, "0123456789x") == (size_t)(dot - dash - 1)) {
                    memmove(dash, dot, strlen(dot) + 1);
                    f = bsearch(&kp, m->by_rel, m->nrel, sizeof(*m->by_rel), att_by_rel);
                }
            }
            found = f ? *f : NULL;
        }
        if (mh_buf_append(out, s, (size_t)((found ? start : re) - s)) != MH_OK)
            return MH_TOOBIG;
        if (found && mh_buf_append_c(out, found->local) != MH_OK)
            return MH_TOOBIG;
        s = re;
    }
    return mh_buf_append(out, s, (size_t)(end - s)) == MH_OK ? MH_OK : MH_TOOBIG;
}

/* WordPress content to the HTML the content layer will sanitise; summary
 * gets the plain text before <!--more-->. MH_OK or MH_TOOBIG. */
static int convert(imp_t *m, int64_t id, const char *content, mh_buf_t *body, mh_buf_t *summary)
{
    mh_wxr_resolver_t res = {m, resolve, children, NULL, id};
    mh_buf_t raw;
    mh_buf_init(&raw, BODY_MAX);
    mh_wxr_stats_t st;
    memset(&st, 0, sizeof(st));
    int rc = mh_wxr_convert(mh_str_c(content), &res, summary, m->nrel ? &raw : body, &st);
    if (rc == MH_OK && m->nrel)
        rc = rewrite_media(m, mh_buf_str(&raw), body);
    mh_buf_free(&raw);
    m->conv.blocks += st.blocks;
    m->conv.captions += st.captions;
    m->conv.galleries += st.galleries;
    m->conv.images += st.images;
    m->conv.unresolved += st.unresolved;
    m->conv.other += st.other;
    m->conv.pages += st.pages;
    m->nmore += st.more;
    return rc;
}

static const char *summary_of(imp_t *m, mh_pool_t *p, const char *excerpt, const mh_buf_t *more)
{
    (void)m;
    const char *t = text_of(p, excerpt, SUMMARY_MAX);
    if (!t[0] && more->len > 0)
        t = text_of(p, more->base, SUMMARY_MAX);
    return t;
}

static const char *title_of(mh_pool_t *p, const char *title, const char *name, int64_t id)
{
    const char *t = text_of(p, title, 400);
    if (!t[0])
        t = name[0] ? pct_decode(p, name, strlen(name)) : "";
    if (!t[0])
        t = mh_psprintf(p, "%lld", (long long)id);
    return t;
}

/* --- authors, categories, pages ----------------------------------------------------- */

static int import_authors(imp_t *m)
{
    for (size_t i = 0; i < m->nauthors; i++) {
        author_t *a = &m->authors[i];
        mh_pool_t *p = mh_pool_create();
        int rc = MH_OK;
        const char *key = key_of(m, p, a->login);
        mh_account_t acc;
        if (mapped(m, "author", key, "users", &a->user)) {
            m->unchanged++;
            goto next;
        }
        /* a login masthead accepts: other bytes become '-' */
        char *name = mh_pstrdup(p, a->login);
        for (char *q = name; *q; q++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-", *q))
                *q = '-';
        if (strlen(name) > 64)
            name[64] = '\0';
        if (!name[0] || !mh_accounts_name_ok(name))
            name = mh_psprintf(p, "wp-author-%zu", i + 1);
        if (mh_accounts_user_by_name(m->c, p, name, &acc) == MH_OK) {
            a->user = acc.id;
            m->a_mapped++;
        } else {
            const char *disp = text_of(p, a->display, 200);
            if ((rc = mh_store_wxr_user_add(m->s, name, disp, m->now, &a->user)) != MH_OK)
                goto next;
            m->a_new++;
        }
        rc = mh_store_wxr_map_set(m->s, "author", key, a->user);
    next:
        mh_pool_destroy(p);
        if (rc != MH_OK) {
            snprintf(m->err, m->errsize, "%s: author '%s' could not be stored", m->o->file,
                     a->login);
            return rc;
        }
    }
    return MH_OK;
}

static const author_t *author_by_login(imp_t *m, const char *login)
{
    for (size_t i = 0; i < m->nauthors; i++)
        if (strcmp(m->authors[i].login, login) == 0)
            return &m->authors[i];
    return NULL;
}

static cat_t *cat_by_slug(imp_t *m, const char *slug)
{
    for (size_t i = 0; i < m->ncats; i++)
        if (strcmp(m->cats[i].slug, slug) == 0)
            return &m->cats[i];
    return NULL;
}

/* "/category/parent/child": WordPress's default category URL. */
static const char *cat_path(imp_t *m, mh_pool_t *p, const cat_t *c, int depth)
{
    const cat_t *up = c->parent[0] && depth < 32 ? cat_by_slug(m, c->parent) : NULL;
    if (!up)
        return mh_psprintf(p, "/category/%s", pct_decode(p, c->slug, strlen(c->slug)));
    return mh_psprintf(p, "%s/%s", cat_path(m, p, up, depth + 1),
                       pct_decode(p, c->slug, strlen(c->slug)));
}

static int make_column(imp_t *m, mh_pool_t *p, mh_column_t *col, int64_t *id)
{
    int rc = mh_content_column_create(m->c, col, id);
    /* the next column may be its child: the content layer's view of the
     * tree inside this transaction must see it */
    mh_content_changed(m->c);
    (void)p;
    return rc;
}

static int import_categories(imp_t *m)
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < m->ncats; i++) {
            cat_t *c = &m->cats[i];
            if (c->done)
                continue;
            cat_t *up = c->parent[0] ? cat_by_slug(m, c->parent) : NULL;
            if (up == c)
                up = NULL;
            if (up && !up->done)
                continue; /* after its parent (a cycle is cut below) */
            mh_pool_t *p = mh_pool_create();
            int rc = MH_OK;
            const char *key = key_of(m, p, c->slug);
            c->done = progress = true;
            if (mapped(m, "category", key, "columns", &c->col)) {
                m->unchanged++;
                goto next;
            }
            mh_column_t col = {.parent_id = up ? up->col : 0,
                               .lang_id = m->lang,
                               .module = MH_MODULE_ARTICLE,
                               .name = text_of(p, c->name, 200),
                               .slug = pct_decode(p, c->slug, strlen(c->slug)),
                               .summary = text_of(p, c->desc, SUMMARY_MAX),
                               .nav = MH_NAV_HEADER,
                               .sort_mode = MH_SORT_NEWEST,
                               .page_size = 20,
                               .position = (int)i,
                               .visible = true};
            if (!col.name[0])
                col.name = col.slug[0] ? col.slug : "category";
            if ((rc = make_column(m, p, &col, &c->col)) != MH_OK)
                goto next;
            m->cats_new++;
            if ((rc = mh_store_wxr_map_set(m->s, "category", key, c->col)) != MH_OK ||
                (rc = add_path(m, cat_path(m, p, c, 0), 0, c->col)) != MH_OK)
                goto next;
            if (c->term_id)
                rc = add_path(m, mh_psprintf(p, "?cat=%lld", (long long)c->term_id), 0, c->col);
        next:
            mh_pool_destroy(p);
            if (rc != MH_OK) {
                snprintf(m->err, m->errsize, "%s: category '%s' could not be stored", m->o->file,
                         c->slug);
                return rc;
            }
        }
        if (!progress) /* parents in a cycle: the first left over goes to the top */
            for (size_t i = 0; i < m->ncats; i++)
                if (!m->cats[i].done) {
                    m->cats[i].parent[0] = '\0';
                    progress = true;
                    break;
                }
    }
    return MH_OK;
}

static page_t *page_by_id(imp_t *m, int64_t id)
{
    for (size_t i = 0; i < m->npages; i++)
        if (m->pages[i].id == id)
            return &m->pages[i];
    return NULL;
}

static int import_page(imp_t *m, page_t *pg, page_t *up)
{
    mh_pool_t *p = mh_pool_create();
    mh_buf_t body, sum;
    mh_buf_init(&body, BODY_MAX);
    mh_buf_init(&sum, BODY_MAX);
    int rc = MH_OK;
    const char *key = key_id(m, p, pg->id);
    m->comments += pg->ncomments;
    if (mapped(m, "page", key, "columns", &pg->col)) {
        m->unchanged++;
        goto done;
    }
    if (strcmp(pg->status, "trash") == 0 || strcmp(pg->status, "auto-draft") == 0) {
        m->trash++;
        goto done;
    }
    if (convert(m, pg->id, pg->content, &body, &sum) != MH_OK) {
        note(m, "page", pg->id, "content too large");
        goto done;
    }
    mh_column_t col = {.parent_id = up ? up->col : 0,
                       .lang_id = m->lang,
                       .module = MH_MODULE_PAGE,
                       .name = title_of(p, pg->title, pg->name, pg->id),
                       .slug = pct_decode(p, pg->name, strlen(pg->name)),
                       .summary = summary_of(m, p, pg->excerpt, &sum),
                       .body_html = body.base ? body.base : "",
                       .nav = up ? MH_NAV_HIDDEN : MH_NAV_HEADER,
                       .sort_mode = MH_SORT_NEWEST,
                       .page_size = 20,
                       .position = (int)pg->order,
                       .visible = strcmp(pg->status, "publish") == 0};
    rc = make_column(m, p, &col, &pg->col);
    if (rc == MH_INVALID || rc == MH_TOOBIG) {
        note(m, "page", pg->id, rc == MH_TOOBIG ? "content too large" : "a URL was refused");
        rc = MH_OK;
        goto done;
    }
    if (rc != MH_OK) {
        fail(m, pg->line, "page %s could not be stored", pg->name);
        goto done;
    }
    m->pages_new++;
    if ((rc = mh_store_wxr_map_set(m->s, "page", key, pg->col)) != MH_OK ||
        (rc = add_path(m, legacy_key(p, pg->link), 0, pg->col)) != MH_OK ||
        (rc = add_path(m, legacy_key(p, pg->guid), 0, pg->col)) != MH_OK ||
        (rc = add_path(m, mh_psprintf(p, "?page_id=%lld", (long long)pg->id), 0, pg->col)) !=
            MH_OK ||
        (rc = add_path(m, mh_psprintf(p, "?p=%lld", (long long)pg->id), 0, pg->col)) != MH_OK)
        fail(m, pg->line, "page %s: its old URL could not be recorded", pg->name);
done:
    mh_buf_free(&body);
    mh_buf_free(&sum);
    mh_pool_destroy(p);
    return rc;
}

static int import_pages(imp_t *m)
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < m->npages; i++) {
            page_t *pg = &m->pages[i];
            if (pg->done)
                continue;
            page_t *up = pg->parent ? page_by_id(m, pg->parent) : NULL;
            if (up == pg)
                up = NULL;
            if (up && !up->done)
                continue;
            pg->done = progress = true;
            if (up && !up->col)
                up = NULL; /* its parent was skipped: at the top */
            if (import_page(m, pg, up) != MH_OK)
                return MH_ERR;
        }
        if (!progress)
            for (size_t i = 0; i < m->npages; i++)
                if (!m->pages[i].done) {
                    m->pages[i].parent = 0;
                    progress = true;
                    break;
                }
    }
    return MH_OK;
}

/* --- pass 2: posts ------------------------------------------------------------------ */

static int fallback_column(imp_t *m, int64_t *col)
{
    if (m->fallback_col) {
        *col = m->fallback_col;
        return MH_OK;
    }
    mh_pool_t *p = mh_pool_create();
    const char *key = key_of(m, p, "posts");
    int rc = MH_OK;
    if (!mapped(m, "category", key, "columns", &m->fallback_col)) {
        mh_column_t c = {.lang_id = m->lang,
                         .module = MH_MODULE_ARTICLE,
                         .name = "Posts",
                         .slug = "posts",
                         .nav = MH_NAV_HEADER,
                         .sort_mode = MH_SORT_NEWEST,
                         .page_size = 20,
                         .position = (int)m->ncats,
                         .visible = true};
        if ((rc = make_column(m, p, &c, &m->fallback_col)) == MH_OK)
            rc = mh_store_wxr_map_set(m->s, "category", key, m->fallback_col);
    }
    mh_pool_destroy(p);
    *col = m->fallback_col;
    return rc;
}

static int p2_item(void *ud, const mh_wxr_item_t *it)
{
    imp_t *m = ud;
    m->items++;
    if (strcmp(it->post_type, "post") != 0) {
        if (strcmp(it->post_type, "page") != 0 && strcmp(it->post_type, "attachment") != 0)
            m->other++;
        return 0;
    }
    m->comments += (unsigned)it->ncomments;
    mh_pool_t *p = mh_pool_create();
    mh_buf_t body, sum;
    mh_buf_init(&body, BODY_MAX);
    mh_buf_init(&sum, BODY_MAX);
    int rc = 0;
    int64_t id = 0, col = 0;
    const char *key = key_id(m, p, it->post_id);
    if (mapped(m, "post", key, "entries", &id)) {
        m->unchanged++;
        goto done;
    }
    const char *ws = it->status;
    int status;
    if (strcmp(ws, "publish") == 0)
        status = MH_STATUS_PUBLISHED;
    else if (strcmp(ws, "future") == 0)
        status = MH_STATUS_SCHEDULED;
    else if (strcmp(ws, "pending") == 0)
        status = MH_STATUS_PENDING;
    else if (strcmp(ws, "draft") == 0)
        status = MH_STATUS_DRAFT;
    else if (strcmp(ws, "private") == 0) {
        status = MH_STATUS_DRAFT; /* masthead has no private entries: not public */
        m->private_++;
    } else {
        m->trash++; /* trash, auto-draft, inherit */
        goto done;
    }
    if (it->post_password[0] && status != MH_STATUS_DRAFT) {
        status = MH_STATUS_DRAFT; /* no password-protected entries: kept out of sight */
        m->password++;
    }
    for (size_t i = 0; i < it->nterms && !col; i++)
        if (strcmp(it->terms[i].domain, "category") == 0) {
            cat_t *c = cat_by_slug(m, it->terms[i].nicename);
            col = c ? c->col : 0;
        }
    if (!col && fallback_column(m, &col) != MH_OK) {
        rc = fail(m, it->line, "the column for posts without a category could not be made%s", "");
        goto done;
    }
    if (convert(m, it->post_id, it->content, &body, &sum) != MH_OK) {
        note(m, "post", it->post_id, "content too large");
        goto done;
    }
    const author_t *a = author_by_login(m, it->creator);
    mh_entry_t e = {.column_id = col,
                    .author_id = a ? a->user : 0,
                    .title = title_of(p, it->title, it->post_name, it->post_id),
                    .slug = pct_decode(p, it->post_name, strlen(it->post_name)),
                    .summary = summary_of(m, p, it->excerpt, &sum),
                    .body_html = body.base ? body.base : "",
                    .author = a ? text_of(p, a->display, 200) : text_of(p, it->creator, 200),
                    .publish_at = wp_time(m, it->post_date_gmt, it->post_date),
                    .status = (mh_status_t)status,
                    .pinned = it->is_sticky};
    e.created_at = e.publish_at;
    if (status == MH_STATUS_SCHEDULED && e.publish_at <= m->now)
        e.status = MH_STATUS_PUBLISHED;
    int r = mh_content_entry_create(m->c, &e, &id);
    if (r == MH_INVALID || r == MH_TOOBIG) {
        note(m, "post", it->post_id,
             r == MH_TOOBIG ? "content too large to sanitise" : "a URL was refused");
        goto done;
    }
    if (r != MH_OK) {
        rc = fail(m, it->line, "post '%s' could not be stored", e.title);
        goto done;
    }
    m->posts_new++;
    m->st[e.status]++;
    if (mh_store_wxr_map_set(m->s, "post", key, id) != MH_OK ||
        add_path(m, legacy_key(p, it->link), id, 0) != MH_OK ||
        add_path(m, legacy_key(p, it->guid), id, 0) != MH_OK ||
        add_path(m, mh_psprintf(p, "?p=%lld", (long long)it->post_id), id, 0) != MH_OK) {
        rc = fail(m, it->line, "post '%s': its old URL could not be recorded", e.title);
        goto done;
    }
    bool tagged = false;
    for (size_t i = 0; i < it->nterms; i++)
        if (strcmp(it->terms[i].domain, "post_tag") == 0) {
            if (mh_store_wxr_tag_add(m->s, id, it->terms[i].nicename,
                                     text_of(p, it->terms[i].name, 200)) != MH_OK) {
                rc = fail(m, it->line, "post '%s': its tags could not be kept", e.title);
                goto done;
            }
            m->tags++;
            tagged = true;
        }
    m->tagged += tagged;
done:
    mh_buf_free(&body);
    mh_buf_free(&sum);
    mh_pool_destroy(p);
    return rc;
}

/* --- the whole ------------------------------------------------------------------------ */

static void print_summary(imp_t *m, FILE *out)
{
    const mh_wxr_import_opts_t *o = m->o;
    fprintf(out, "imported %s into %s\n", o->file, o->dir);
    fprintf(out, "authors: %zu (%u new accounts without a password, %u mapped to existing users)\n",
            m->nauthors, m->a_new, m->a_mapped);
    fprintf(out, "categories: %u columns\n", m->cats_new);
    fprintf(out, "pages: %u columns\n", m->pages_new);
    fprintf(out,
            "posts: %u entries (published %u, scheduled %u, draft %u, pending %u; private as draft "
            "%u, password-protected as draft %u)\n",
            m->posts_new, m->st[MH_STATUS_PUBLISHED], m->st[MH_STATUS_SCHEDULED],
            m->st[MH_STATUS_DRAFT], m->st[MH_STATUS_PENDING], m->private_, m->password);
    fprintf(out, "attachments: %zu (%u in the media library, %u placeholders)\n", m->natt,
            m->att_copied, m->att_placeholder);
    fprintf(out,
            "content: %u [caption], %u [gallery] (%u images), %u block comments removed, "
            "%u <!--more--> summaries, %u <!--nextpage--> breaks\n",
            m->conv.captions, m->conv.galleries, m->conv.images, m->conv.blocks, m->nmore,
            m->conv.pages);
    fprintf(out, "tags: %u on %u entries skipped (kept in wxr_tags; masthead has no tags yet)\n",
            m->tags, m->tagged);
    if (o->comments)
        fprintf(out, "comments: %u skipped (no guestbook messages on this site yet)\n",
                m->comments);
    else
        fprintf(out, "comments: %u dropped (--no-comments)\n", m->comments);
    fprintf(out, "old URLs: %u recorded (answer 301)\n", m->legacy);
    fprintf(out, "already imported: %u (unchanged)\n", m->unchanged);
    fprintf(out,
            "not imported: %u in the trash or auto-drafts, %u other items (menus...), %u "
            "refused\n",
            m->trash, m->other, m->failed);
    for (unsigned i = 0; i < m->nnotes; i++)
        fprintf(out, "  %s\n", m->notes[i]);
}

static void free_all(imp_t *m)
{
    for (size_t i = 0; i < m->nauthors; i++) {
        free(m->authors[i].login);
        free(m->authors[i].display);
    }
    free(m->authors);
    for (size_t i = 0; i < m->ncats; i++) {
        free(m->cats[i].slug);
        free(m->cats[i].parent);
        free(m->cats[i].name);
        free(m->cats[i].desc);
    }
    free(m->cats);
    for (size_t i = 0; i < m->natt; i++) {
        free(m->att[i].url);
        free(m->att[i].caption);
        free(m->att[i].alt);
        free(m->att[i].rel);
    }
    free(m->att);
    free(m->by_parent);
    free(m->by_rel);
    for (size_t i = 0; i < m->npages; i++) {
        page_t *p = &m->pages[i];
        free(p->title);
        free(p->content);
        free(p->excerpt);
        free(p->name);
        free(p->status);
        free(p->date);
        free(p->date_gmt);
        free(p->link);
        free(p->guid);
    }
    free(m->pages);
}

static int default_language(imp_t *m)
{
    mh_language_t *ls = NULL;
    size_t n = 0;
    if (mh_content_languages(m->c, m->pool, &ls, &n) != MH_OK || n == 0)
        return MH_ERR;
    m->lang = ls[0].id;
    for (size_t i = 0; i < n; i++)
        if (ls[i].is_default)
            m->lang = ls[i].id;
    return MH_OK;
}

int mh_wxr_import(const mh_wxr_import_opts_t *o, FILE *out, char *err, size_t errsize)
{
    imp_t m;
    memset(&m, 0, sizeof(m));
    m.o = o;
    m.err = err;
    m.errsize = errsize;
    m.last_pct = -1;
    m.pool = mh_pool_create();
    m.now = (int64_t)time(NULL);
    m.site = "wordpress";
    int rc = MH_ERR;
    bool tx = false;
    err[0] = '\0';
    if (mh_content_open(o->dir, &m.c, err, errsize) != MH_OK)
        goto done;
    m.s = mh_content_store(m.c);
    m.media_dir = mh_psprintf(m.pool, "%s/media", o->dir);
    m.tz = mh_content_setting(m.c, m.pool, 0, "timezone");
    if (!m.tz || !m.tz[0])
        m.tz = "+00:00";
    if (default_language(&m) != MH_OK) {
        snprintf(err, errsize, "%s: the site has no language", o->dir);
        goto done;
    }
    int64_t nmap = 0, nent = 0, ncol = 0;
    if (mh_store_wxr_map_count(m.s, &nmap) != MH_OK ||
        mh_store_wxr_content_count(m.s, &nent, &ncol) != MH_OK) {
        snprintf(err, errsize, "%s: cannot read the site's database", o->dir);
        goto done;
    }
    m.fresh = nmap == 0;
    if (!o->merge && nmap == 0 && (nent || ncol)) {
        snprintf(err, errsize,
                 "%s already has content (%lld entries, %lld columns); add --merge to import "
                 "into it",
                 o->dir, (long long)nent, (long long)ncol);
        goto done;
    }
    /* pass 1: read the whole file before writing anything */
    mh_wxr_handler_t h1 = {.ud = &m,
                           .site = p1_site,
                           .author = p1_author,
                           .term = p1_term,
                           .item = p1_item,
                           .progress = on_progress};
    m.pass = 1;
    rc = mh_wxr_parse_file(o->file, &h1, err, errsize);
    progress_end(&m);
    if (rc != MH_OK)
        goto done;
    rc = MH_ERR;
    if (m.natt) {
        qsort(m.att, m.natt, sizeof(*m.att), att_by_id);
        m.by_parent = malloc(m.natt * sizeof(*m.by_parent));
        if (!m.by_parent)
            abort();
        memcpy(m.by_parent, m.att, m.natt * sizeof(*m.att));
        qsort(m.by_parent, m.natt, sizeof(*m.by_parent), att_by_parent);
    }
    mh_store_wxr_cache(m.s, (int64_t)1 << 30); /* a large import stays in memory until commit */
    if (mh_content_tx_begin(m.c) != MH_OK) {
        snprintf(err, errsize, "%s: cannot start a transaction (is the database locked?)", o->dir);
        goto done;
    }
    tx = true;
    if (import_authors(&m) != MH_OK || import_categories(&m) != MH_OK || copy_media(&m) != MH_OK)
        goto done;
    /* by_parent copies att: refresh the local URLs for galleries */
    if (m.natt) {
        memcpy(m.by_parent, m.att, m.natt * sizeof(*m.att));
        qsort(m.by_parent, m.natt, sizeof(*m.by_parent), att_by_parent);
    }
    if (import_pages(&m) != MH_OK)
        goto done;
    mh_wxr_handler_t h2 = {.ud = &m, .item = p2_item, .progress = on_progress};
    m.pass = 2;
    rc = mh_wxr_parse_file(o->file, &h2, err, errsize);
    progress_end(&m);
    if (rc != MH_OK || m.fatal) {
        rc = MH_ERR;
        goto done;
    }
    tx = false;
    rc = mh_content_tx_end(m.c, MH_OK);
    if (rc != MH_OK) {
        snprintf(err, errsize, "%s: the import could not be committed%s", o->dir,
                 rc == MH_NOSPACE ? " (the disk is full)" : "");
        rc = MH_ERR;
        goto done;
    }
    print_summary(&m, out);
done:
    if (tx) {
        mh_content_tx_end(m.c, MH_ERR);
        if (!err[0])
            snprintf(err, errsize, "%s: the import failed; nothing was written", o->file);
    }
    if (m.c)
        mh_content_close(m.c);
    free_all(&m);
    mh_pool_destroy(m.pool);
    return rc == MH_OK ? MH_OK : MH_ERR;
}
