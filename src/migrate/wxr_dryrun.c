/* The dry run reads the file twice: the first pass collects what content
 * conversion needs to resolve (attachments, which may come after the posts
 * that show them) and the counts; the second converts every post and page
 * exactly as the importer will, to count what the conversions did. Memory
 * holds the attachments and categories, never the posts. */
#include "wxr_dryrun.h"

#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "../core/common.h"
#include "wxr.h"
#include "wxr_html.h"

typedef struct {
    int64_t id, parent;
    long order;
    char *url, *caption, *alt;
} att_t;

typedef struct {
    char *slug, *parent, *name;
    size_t order; /* position in the file */
    bool printed;
} cat_t;

typedef struct {
    int64_t id, parent;
} page_t;

typedef struct {
    char *name;
    unsigned n;
} count_t;

typedef struct {
    count_t *v;
    size_t n, cap;
} counts_t;

typedef struct {
    const mh_wxr_dryrun_opts_t *o;
    /* pass 1 */
    char *title, *link, *language, *version, *base_site, *base_blog;
    FILE *authors; /* lines, printed later */
    char *authors_buf;
    size_t authors_len;
    unsigned nauthors;
    cat_t *cats;
    size_t ncats, cats_cap;
    unsigned tags, terms;
    att_t *att, *by_parent;
    size_t natt, att_cap;
    counts_t post_status, page_status, att_status, other_types, comment_state;
    unsigned posts, pages, comments, sticky, password, page_depth;
    page_t *page;
    size_t npages_cap;
    /* pass 2 */
    mh_wxr_stats_t total;
    unsigned converted, classic, with_more, failed_conv;
    /* progress */
    int pass;
    int last_pct;
    int last_quarter;
    unsigned items_seen;
} dry_t;

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

static void count(counts_t *c, const char *name)
{
    const char *k = name[0] ? name : "(none)";
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].name, k) == 0) {
            c->v[i].n++;
            return;
        }
    c->v = grow(c->v, c->n, &c->cap, sizeof(*c->v));
    c->v[c->n++] = (count_t){xdup(k), 1};
}

static void print_counts(FILE *out, const counts_t *c)
{
    /* the usual order first, then the rest as found */
    static const char *const order[] = {"publish", "future",  "draft", "pending",
                                        "private", "inherit", "trash"};
    bool done[64] = {false};
    int shown = 0;
    fputs(" (", out);
    for (size_t k = 0; k < MH_ARRAY_LEN(order); k++)
        for (size_t i = 0; i < c->n && i < 64; i++)
            if (strcmp(c->v[i].name, order[k]) == 0) {
                fprintf(out, "%s%s %u", shown++ ? ", " : "", c->v[i].name, c->v[i].n);
                done[i] = true;
            }
    for (size_t i = 0; i < c->n; i++)
        if (i >= 64 || !done[i])
            fprintf(out, "%s%s %u", shown++ ? ", " : "", c->v[i].name, c->v[i].n);
    fputs(")", out);
}

static void free_counts(counts_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].name);
    free(c->v);
}

/* --- progress ----------------------------------------------------------------- */

static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    dry_t *d = ud;
    if (!total)
        return;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    if (pct == d->last_pct)
        return;
    d->last_pct = pct;
    const char *what = d->pass == 1 ? "reading   " : "converting";
    if (d->o->progress_tty) {
        char bar[41];
        int fill = pct * 40 / 100;
        for (int i = 0; i < 40; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[40] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%% %u items", what, bar, pct, d->items_seen);
        fflush(stderr);
    } else if (pct / 25 > d->last_quarter) {
        d->last_quarter = pct / 25;
        fprintf(stderr, "%s %d%% (%u items)\n", what, d->last_quarter * 25, d->items_seen);
    }
}

static void progress_end(dry_t *d)
{
    if (d->o->progress_tty)
        fputs("\r\033[K", stderr);
    d->last_pct = -1;
    d->last_quarter = 0;
}

/* --- pass 1 --------------------------------------------------------------------- */

static int p1_site(void *ud, const mh_wxr_site_t *s)
{
    dry_t *d = ud;
    d->title = xdup(s->title);
    d->link = xdup(s->link);
    d->language = xdup(s->language);
    d->version = xdup(s->wxr_version);
    d->base_site = xdup(s->base_site_url);
    d->base_blog = xdup(s->base_blog_url);
    return 0;
}

static int p1_author(void *ud, const mh_wxr_author_t *a)
{
    dry_t *d = ud;
    d->nauthors++;
    fprintf(d->authors, "  %s <%s> \"%s\"\n", a->login, a->email, a->display_name);
    return 0;
}

static int p1_term(void *ud, const mh_wxr_term_t *t)
{
    dry_t *d = ud;
    if (t->kind == MH_WXR_CATEGORY) {
        d->cats = grow(d->cats, d->ncats, &d->cats_cap, sizeof(*d->cats));
        d->cats[d->ncats] = (cat_t){xdup(t->slug), xdup(t->parent), xdup(t->name), d->ncats, false};
        d->ncats++;
    } else if (t->kind == MH_WXR_TAG) {
        d->tags++;
    } else {
        d->terms++;
    }
    return 0;
}

static const char *meta(const mh_wxr_item_t *it, const char *key)
{
    for (size_t i = 0; i < it->nmeta; i++)
        if (strcmp(it->meta[i].key, key) == 0)
            return it->meta[i].value;
    return "";
}

static int p1_item(void *ud, const mh_wxr_item_t *it)
{
    dry_t *d = ud;
    d->items_seen++;
    const char *ty = it->post_type;
    if (strcmp(ty, "attachment") == 0) {
        d->att = grow(d->att, d->natt, &d->att_cap, sizeof(*d->att));
        d->att[d->natt++] = (att_t){it->post_id,       it->post_parent,
                                    it->menu_order,    xdup(it->attachment_url),
                                    xdup(it->excerpt), xdup(meta(it, "_wp_attachment_image_alt"))};
        count(&d->att_status, it->status);
        return 0;
    }
    bool post = strcmp(ty, "post") == 0, page = strcmp(ty, "page") == 0;
    if (!post && !page) {
        count(&d->other_types, ty);
        return 0;
    }
    if (post) {
        d->posts++;
        count(&d->post_status, it->status);
    } else {
        d->pages++;
        count(&d->page_status, it->status);
        d->page = grow(d->page, d->pages - 1, &d->npages_cap, sizeof(*d->page));
        d->page[d->pages - 1] = (page_t){it->post_id, it->post_parent};
    }
    d->sticky += it->is_sticky;
    d->password += it->post_password[0] != '\0';
    for (size_t i = 0; i < it->ncomments; i++) {
        const char *a = it->comments[i].approved;
        d->comments++;
        count(&d->comment_state, strcmp(a, "1") == 0   ? "approved"
                                 : strcmp(a, "0") == 0 ? "pending"
                                                       : a);
    }
    return 0;
}

/* --- resolving attachments ------------------------------------------------------ */

static int by_id(const void *a, const void *b)
{
    const att_t *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_parent(const void *a, const void *b)
{
    const att_t *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static bool resolve(void *ud, int64_t id, mh_wxr_media_t *m)
{
    dry_t *d = ud;
    att_t key = {.id = id};
    att_t *a = d->natt ? bsearch(&key, d->att, d->natt, sizeof(*d->att), by_id) : NULL;
    if (!a)
        return false;
    *m = (mh_wxr_media_t){a->url, a->caption, a->alt};
    return true;
}

static size_t children(void *ud, int64_t post, int64_t *ids, size_t max)
{
    dry_t *d = ud;
    size_t lo = 0, hi = d->natt;
    while (lo < hi) { /* first with parent >= post */
        size_t mid = lo + (hi - lo) / 2;
        if (d->by_parent[mid].parent < post)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t i = lo; i < d->natt && d->by_parent[i].parent == post && n < max; i++)
        ids[n++] = d->by_parent[i].id;
    return n;
}

/* --- pass 2 ---------------------------------------------------------------------- */

static int p2_item(void *ud, const mh_wxr_item_t *it)
{
    dry_t *d = ud;
    d->items_seen++;
    if (strcmp(it->post_type, "post") != 0 && strcmp(it->post_type, "page") != 0)
        return 0;
    mh_wxr_resolver_t res = {d, resolve, children, NULL, it->post_id};
    mh_buf_t body, sum;
    mh_buf_init(&body, (size_t)256 << 20);
    mh_buf_init(&sum, (size_t)256 << 20);
    mh_wxr_stats_t st;
    if (mh_wxr_convert(mh_str_c(it->content), &res, &sum, &body, &st) != MH_OK)
        d->failed_conv++;
    d->converted++;
    d->classic += st.autop;
    d->with_more += st.more;
    d->total.blocks += st.blocks;
    d->total.captions += st.captions;
    d->total.galleries += st.galleries;
    d->total.images += st.images;
    d->total.unresolved += st.unresolved;
    d->total.other += st.other;
    d->total.pages += st.pages;
    mh_buf_free(&body);
    mh_buf_free(&sum);
    return 0;
}

/* --- the summary ----------------------------------------------------------------- */

static int cat_cmp(const void *a, const void *b)
{
    const cat_t *x = a, *y = b;
    int c = strcmp(x->parent, y->parent);
    return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* cats are sorted by parent, then file order: each level is one range. */
static void print_cats(FILE *out, dry_t *d, const char *parent, int depth)
{
    if (depth > 32)
        return;
    size_t lo = 0, hi = d->ncats;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->cats[mid].parent, parent) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < d->ncats && strcmp(d->cats[i].parent, parent) == 0; i++) {
        cat_t *c = &d->cats[i];
        if (c->printed)
            continue;
        c->printed = true;
        fprintf(out, "  %*s%s (%s)\n", depth * 2, "", c->name, c->slug);
        print_cats(out, d, c->slug, depth + 1);
    }
}

/* A local copy of an attachment's file: the path after /wp-content/uploads/
 * (or /uploads/) looked for under the export's directory in
 * wp-content/uploads/ and uploads/. The network is never used. */
static bool reachable(const char *xml_dir, const char *url)
{
    const char *p = strstr(url, "/wp-content/uploads/");
    size_t skip = 20;
    if (!p) {
        p = strstr(url, "/uploads/");
        skip = 9;
    }
    if (!p)
        return false;
    const char *rel = p + skip;
    if (!rel[0] || strstr(rel, ".."))
        return false;
    const char *bases[] = {"wp-content/uploads", "uploads"};
    for (size_t i = 0; i < MH_ARRAY_LEN(bases); i++) {
        char path[4096];
        int n = snprintf(path, sizeof(path), "%s/%s/%s", xml_dir, bases[i], rel);
        struct stat st;
        if (n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return true;
    }
    return false;
}

static int page_cmp(const void *a, const void *b)
{
    const page_t *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static unsigned page_levels(dry_t *d)
{
    if (!d->pages)
        return 0;
    qsort(d->page, d->pages, sizeof(*d->page), page_cmp);
    unsigned deepest = 0;
    for (size_t i = 0; i < d->pages; i++) {
        unsigned lv = 1;
        int64_t parent = d->page[i].parent;
        while (parent && lv < 64) { /* 64: a cycle stops here */
            page_t key = {parent, 0};
            const page_t *up = bsearch(&key, d->page, d->pages, sizeof(*d->page), page_cmp);
            if (!up)
                break;
            parent = up->parent;
            lv++;
        }
        if (lv > deepest)
            deepest = lv;
    }
    return deepest;
}

static void summary(dry_t *d, FILE *out)
{
    const mh_wxr_dryrun_opts_t *o = d->o;
    fprintf(out, "WordPress export %s (WXR %s)\n", o->file, d->version);
    fprintf(out, "site: %s <%s>, language %s\n", d->title, d->link,
            d->language[0] ? d->language : "(none)");
    fprintf(out, "  base site URL %s, base blog URL %s\n", d->base_site, d->base_blog);
    fprintf(out, "authors: %u\n", d->nauthors);
    fwrite(d->authors_buf, 1, d->authors_len, out);
    fprintf(out, "categories: %zu (become columns)\n", d->ncats);
    if (d->ncats)
        qsort(d->cats, d->ncats, sizeof(*d->cats), cat_cmp);
    print_cats(out, d, "", 0);
    for (size_t i = 0; i < d->ncats; i++)
        if (!d->cats[i].printed) { /* parent missing or a cycle: shown at the top */
            fprintf(out, "  %s (%s) [parent '%s' not found]\n", d->cats[i].name, d->cats[i].slug,
                    d->cats[i].parent);
            d->cats[i].printed = true;
        }
    fprintf(out, "tags: %u\n", d->tags);
    fprintf(out, "other terms: %u (not imported)\n", d->terms);
    fprintf(out, "posts: %u", d->posts);
    print_counts(out, &d->post_status);
    fprintf(out, ", sticky %u, password-protected %u\n", d->sticky, d->password);
    fprintf(out, "pages: %u", d->pages);
    print_counts(out, &d->page_status);
    fprintf(out, ", %u levels deep\n", page_levels(d));
    char *tmp = xdup(o->file);
    const char *xml_dir = dirname(tmp);
    unsigned local = 0;
    for (size_t i = 0; i < d->natt; i++)
        local += reachable(xml_dir, d->att[i].url);
    fprintf(out, "attachments: %zu", d->natt);
    if (d->natt)
        print_counts(out, &d->att_status);
    fprintf(out, ", %u files found locally, %zu placeholders (file not reachable)\n", local,
            d->natt - local);
    free(tmp);
    if (d->other_types.n) {
        unsigned n = 0;
        for (size_t i = 0; i < d->other_types.n; i++)
            n += d->other_types.v[i].n;
        fprintf(out, "other items: %u", n);
        print_counts(out, &d->other_types);
        fputs(", not imported\n", out);
    }
    fprintf(out, "comments: %u", d->comments);
    if (d->comments)
        print_counts(out, &d->comment_state);
    fputs(o->comments ? ", skipped (no guestbook messages on this site yet)\n"
                      : ", dropped (--no-comments)\n",
          out);
    fprintf(out,
            "content: %u posts and pages converted (%u classic with paragraphs added, %u with "
            "block markup; %u block comments removed)\n",
            d->converted, d->classic, d->converted - d->classic, d->total.blocks);
    fprintf(out,
            "shortcodes converted: %u [caption], %u [gallery] (%u images placed, %u ids not "
            "found); %u other shortcodes left as text\n",
            d->total.captions, d->total.galleries, d->total.images, d->total.unresolved,
            d->total.other);
    fprintf(out, "summaries from <!--more-->: %u; <!--nextpage--> breaks: %u\n", d->with_more,
            d->total.pages);
    if (d->failed_conv)
        fprintf(out, "content too large to convert: %u\n", d->failed_conv);
    fputs("dry run: nothing was written\n", out);
}

static void cleanup(dry_t *d)
{
    free(d->title);
    free(d->link);
    free(d->language);
    free(d->version);
    free(d->base_site);
    free(d->base_blog);
    if (d->authors)
        fclose(d->authors);
    free(d->authors_buf);
    for (size_t i = 0; i < d->ncats; i++) {
        free(d->cats[i].slug);
        free(d->cats[i].parent);
        free(d->cats[i].name);
    }
    free(d->cats);
    for (size_t i = 0; i < d->natt; i++) {
        free(d->att[i].url);
        free(d->att[i].caption);
        free(d->att[i].alt);
    }
    free(d->att);
    free(d->by_parent);
    free(d->page);
    free_counts(&d->post_status);
    free_counts(&d->page_status);
    free_counts(&d->att_status);
    free_counts(&d->other_types);
    free_counts(&d->comment_state);
}

int mh_wxr_dry_run(const mh_wxr_dryrun_opts_t *o, FILE *out, char *err, size_t errsize)
{
    dry_t d;
    memset(&d, 0, sizeof(d));
    d.o = o;
    d.last_pct = -1;
    int rc = MH_ERR;
    d.authors = open_memstream(&d.authors_buf, &d.authors_len);
    if (!d.authors) {
        snprintf(err, errsize, "out of memory");
        goto cleanup;
    }
    mh_wxr_handler_t h = {.ud = &d,
                          .site = p1_site,
                          .author = p1_author,
                          .term = p1_term,
                          .item = p1_item,
                          .progress = on_progress};
    d.pass = 1;
    rc = mh_wxr_parse_file(o->file, &h, err, errsize);
    progress_end(&d);
    if (rc != MH_OK)
        goto cleanup;
    fflush(d.authors);
    if (d.natt) {
        qsort(d.att, d.natt, sizeof(*d.att), by_id);
        d.by_parent = malloc(d.natt * sizeof(*d.att));
        if (!d.by_parent)
            abort();
        memcpy(d.by_parent, d.att, d.natt * sizeof(*d.att));
        qsort(d.by_parent, d.natt, sizeof(*d.att), by_parent);
    }
    mh_wxr_handler_t h2 = {.ud = &d, .item = p2_item, .progress = on_progress};
    d.pass = 2;
    d.items_seen = 0;
    rc = mh_wxr_parse_file(o->file, &h2, err, errsize);
    progress_end(&d);
    if (rc != MH_OK)
        goto cleanup;
    summary(&d, out);
cleanup:
    cleanup(&d);
    return rc;
}
