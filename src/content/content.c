/* The content domain on top of the store.
 *
 * Languages, the column tree and the settings change rarely and are read
 * on every page, so they live in an immutable snapshot rebuilt when the
 * generation moves. Threads share the current snapshot through an atomic
 * reference count; a result that points into a snapshot keeps it alive by
 * registering a release on the caller's pool, so no string is copied per
 * request.
 *
 * Entry lists and single entries come from the database, and what the
 * public site reads of them (an entry by slug, its neighbours and
 * translations, public lists) is memoised in the snapshot too (memo.h): a
 * page read twice in one generation reaches the database once. The results
 * depend on the time only through entries that fall due, and those bump the
 * generation when they do (the admin's scheduler, about once a second), as
 * they invalidate the page cache. Admin reads (drafts, any status) always go
 * to the database. */
#include "content.h"
#include "media.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "../render/sanitize.h"
#include "../store/fields.h"
#include "seo.h"
#include "../store/store.h"
#include "memo.h"
#include "types.h"
#include "validate.h"

/* Bytes of memoised public reads per generation (bodies included); past it,
 * reads go to the database. */
#define MEMO_BUDGET (32u << 20)

struct lang_view {
    int64_t lang_id;
    size_t first, count; /* slice of snapshot.cols */
    mh_setting_t *settings;
    size_t nsettings;
    int64_t *visible_ids; /* publicly visible columns */
    size_t nvisible;
};

struct col_ref {
    int64_t id;
    size_t idx;
};

struct snapshot {
    atomic_int refs;
    uint64_t gen;
    mh_pool_t *pool;
    bool has_site;
    mh_site_info_t site;
    mh_language_t *langs;
    size_t nlangs;
    mh_column_t *cols; /* per language, tree pre-order */
    size_t ncols;
    struct col_ref *by_id; /* sorted by id */
    struct lang_view *views;
    struct lang_view site_view; /* lang_id 0: defaults + site-wide settings */
    mh_memo_t *memo;            /* public entry reads of this generation */
    mh_field_def_t *defs;       /* custom field definitions, by column, position */
    size_t ndefs;
    /* A private snapshot (gen 0, built inside a write transaction): the
     * transaction and generation it was built in, so the next read of the
     * same transaction reuses it until the generation moves (a bulk import
     * would otherwise rebuild the tree for every entry it writes). */
    uint64_t tx_serial, tx_gen;
};

static uint64_t tx_serial_now(mh_content_t *c);
#define DEP_SLOTS 4096
/* the tag every change moves: pages whose reads are not all recorded */
#define DEP_ANY ((uint64_t)'*' << 56)
#define DEP_MAX 48

struct mh_content {
    mh_store_t *store;
    char *media_dir; /* DIR/media (mh_content_media_dir) */
    const struct mh_store_ops *ops;
    atomic_uint_fast64_t gen;
    pthread_mutex_t lock; /* guards snap */
    struct snapshot *snap;
    uint64_t cid; /* unique per open handle, for the per-thread snapshot cache */
    /* The store's content generation counter as last seen (by a poll or
     * after one of our own commits): the in-memory generation moves only
     * when the counter does, so our own writes are not noticed twice and
     * writes that change nothing public are not noticed at all. */
    atomic_int_fast64_t seen;
    /* Invalidation by dependency (mh_content_deps_*): the generation that
     * moves only when a change cannot be attributed to tags (columns,
     * settings, the scheduler's time...), and per tag slot the generation
     * of its last change (tags hash into DEP_SLOTS slots: a collision
     * invalidates a page too many, never one too few). changes_lock
     * serialises reading the change log; last_seq is where it was read. */
    atomic_uint_fast64_t structure;
    atomic_uint_fast64_t slots[DEP_SLOTS];
    pthread_mutex_t changes_lock;
    int64_t last_seq;
};

/* --- snapshot --- */

static void snap_release(struct snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        mh_memo_free(s->memo);
        mh_pool_destroy(s->pool);
        free(s);
    }
}

static void snap_release_cb(void *data)
{
    snap_release(data);
}

static int col_ref_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct col_ref *)a)->id, y = ((const struct col_ref *)b)->id;
    return x < y ? -1 : x > y;
}

static const mh_column_t *snap_column(const struct snapshot *s, int64_t id)
{
    struct col_ref key = {.id = id};
    struct col_ref *r = bsearch(&key, s->by_id, s->ncols, sizeof(*r), col_ref_cmp);
    return r ? &s->cols[r->idx] : NULL;
}

static const struct lang_view *snap_view(const struct snapshot *s, int64_t lang_id)
{
    for (size_t i = 0; i < s->nlangs; i++)
        if (s->views[i].lang_id == lang_id)
            return &s->views[i];
    return NULL;
}

/* Place the children of parent (then their subtrees) after *n in dst. The
 * source is ordered by position, so siblings come out in order. Columns
 * whose parent is missing or forms a cycle are never reached and so never
 * served. */
static void tree_walk(mh_pool_t *p, const mh_column_t *src, size_t nsrc, bool *used,
                      const mh_column_t *parent, mh_column_t *dst, size_t *n)
{
    int64_t pid = parent ? parent->id : 0;
    int64_t lang = parent ? parent->lang_id : -1;
    for (size_t i = 0; i < nsrc; i++) {
        const mh_column_t *c = &src[i];
        if (used[i] || c->parent_id != pid || (parent && c->lang_id != lang))
            continue;
        used[i] = true;
        mh_column_t *d = &dst[(*n)++];
        *d = *c;
        d->depth = parent ? parent->depth + 1 : 0;
        d->path = parent ? mh_psprintf(p, "%s/%s", parent->path, c->slug) : c->slug;
        d->visible = c->visible && (!parent || parent->visible);
        tree_walk(p, src, nsrc, used, d, dst, n);
    }
}

static void settings_put(mh_setting_t *set, size_t *n, const char *key, const char *value)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(set[i].key, key) == 0) {
            set[i].value = value;
            return;
        }
    set[*n].key = key;
    set[*n].value = value;
    (*n)++;
}

static void build_settings(struct snapshot *s, const mh_store_setting_t *rows, size_t nrows,
                           int64_t lang_id, struct lang_view *v)
{
    static const char *const defaults[][2] = {
        {"site_name", NULL}, /* the site's name */
        {"site_tagline", ""},
        {"footer_text", ""},
        {"time_format", "%Y-%m-%d %H:%M:%S"},
        {"timezone", "+08:00"},
        {"title_pattern", "{title} - {site}"},
        {"keywords", ""},
        {"description", ""},
        {"icp", ""},
        {"address", ""},
        {"phone", ""},
        {"email", ""},
        {"police_filing", ""},
        {"date_format", "%Y-%m-%d"},
    };
    size_t cap = MH_ARRAY_LEN(defaults) + nrows;
    v->settings = mh_pnalloc(s->pool, cap, sizeof(mh_setting_t));
    v->nsettings = 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(defaults); i++)
        settings_put(v->settings, &v->nsettings, defaults[i][0],
                     defaults[i][1] ? defaults[i][1] : (s->has_site ? s->site.name : ""));
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].lang_id == 0)
            settings_put(v->settings, &v->nsettings, rows[i].key, rows[i].value);
    if (lang_id)
        for (size_t i = 0; i < nrows; i++)
            if (rows[i].lang_id == lang_id)
                settings_put(v->settings, &v->nsettings, rows[i].key, rows[i].value);
}

/* The ids of cols (only the visible ones if visible_only) into a pool array. */
static int64_t *column_ids(mh_pool_t *p, const mh_column_t *cols, size_t n, bool visible_only,
                           size_t *count)
{
    int64_t *ids = mh_pnalloc(p, n ? n : 1, sizeof(int64_t));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!visible_only || cols[i].visible)
            ids[k++] = cols[i].id;
    *count = k;
    return ids;
}

static struct snapshot *snap_build(mh_content_t *c, uint64_t gen)
{
    struct snapshot *s = mh_calloc(1, sizeof(*s));
    mh_column_t *raw = NULL;
    mh_store_setting_t *rows = NULL;
    size_t nraw = 0, nrows = 0;
    bool *used = NULL;
    int rc;
    atomic_init(&s->refs, 1);
    s->gen = gen;
    s->pool = mh_pool_create();
    rc = c->ops->site_get(c->store, s->pool, &s->site);
    if (rc == MH_ERR)
        goto fail;
    s->has_site = rc == MH_OK;
    if (c->ops->languages(c->store, s->pool, &s->langs, &s->nlangs) != MH_OK ||
        c->ops->columns(c->store, s->pool, &raw, &nraw) != MH_OK ||
        c->ops->settings(c->store, s->pool, &rows, &nrows) != MH_OK ||
        c->ops->fields->defs_all(c->store, s->pool, &s->defs, &s->ndefs) != MH_OK)
        goto fail;

    s->cols = mh_pnalloc(s->pool, nraw ? nraw : 1, sizeof(mh_column_t));
    s->views = mh_pnalloc(s->pool, s->nlangs ? s->nlangs : 1, sizeof(struct lang_view));
    used = mh_calloc(nraw ? nraw : 1, sizeof(bool));
    for (size_t l = 0; l < s->nlangs; l++) {
        struct lang_view *v = &s->views[l];
        v->lang_id = s->langs[l].id;
        v->first = s->ncols;
        for (size_t i = 0; i < nraw; i++) {
            if (used[i] || raw[i].parent_id != 0 || raw[i].lang_id != v->lang_id)
                continue;
            used[i] = true;
            mh_column_t *d = &s->cols[s->ncols++];
            *d = raw[i];
            d->depth = 0;
            d->path = raw[i].slug;
            tree_walk(s->pool, raw, nraw, used, d, s->cols, &s->ncols);
        }
        v->count = s->ncols - v->first;
        v->visible_ids = column_ids(s->pool, s->cols + v->first, v->count, true, &v->nvisible);
        build_settings(s, rows, nrows, v->lang_id, v);
    }
    build_settings(s, rows, nrows, 0, &s->site_view);
    s->by_id = mh_pnalloc(s->pool, s->ncols ? s->ncols : 1, sizeof(struct col_ref));
    for (size_t i = 0; i < s->ncols; i++) {
        /* the descriptor's own name string: type checks compare pointers first */
        mh_module_t known = mh_module_parse(s->cols[i].module);
        if (known)
            s->cols[i].module = known;
        s->by_id[i] = (struct col_ref){s->cols[i].id, i};
    }
    qsort(s->by_id, s->ncols, sizeof(struct col_ref), col_ref_cmp);
    s->memo = mh_memo_new(MEMO_BUDGET);
    free(used);
    return s;
fail:
    free(used);
    mh_pool_destroy(s->pool);
    free(s);
    return NULL;
}

/* The calling thread's write transaction through this layer: nesting
 * joins the outer one, the first failure inside dooms it. priv is the
 * thread's own snapshot of its uncommitted writes after a structural write
 * (mh_content_tx_snapshot_stale), rebuilt at the next read after another
 * one: a long import sees its own columns without a rebuild per entry. */
static _Thread_local struct {
    mh_content_t *c;
    int depth;
    int rc;
    uint64_t serial; /* counts this thread's outermost transactions */
    struct snapshot *priv;
    bool stale;
} tl_tx;

/* The current snapshot with a reference the caller must release. */
static struct snapshot *snap_acquire(mh_content_t *c)
{
    uint64_t gen = atomic_load(&c->gen);
    struct snapshot *s;
    if (tl_tx.depth > 0 && tl_tx.c == c && (tl_tx.stale || tl_tx.priv)) {
        if (tl_tx.stale || !tl_tx.priv) {
            s = snap_build(c, gen);
            if (!s)
                return NULL;
            s->gen = 0;
            snap_release(tl_tx.priv);
            tl_tx.priv = s;
            tl_tx.stale = false;
        }
        atomic_fetch_add(&tl_tx.priv->refs, 1);
        return tl_tx.priv;
    }
    pthread_mutex_lock(&c->lock);
    if ((!c->snap || c->snap->gen != gen) && mh_content_in_tx(c)) {
        /* Inside a write transaction this thread's connection sees its own
         * uncommitted writes, which may yet roll back: build a private
         * snapshot that is never shared nor reused (generation 0 matches
         * no generation). */
        pthread_mutex_unlock(&c->lock);
        s = snap_build(c, gen);
        if (s) {
            s->gen = 0;
            s->tx_serial = tx_serial_now(c);
            s->tx_gen = gen;
        }
        return s;
    }
    if (!c->snap || c->snap->gen != gen) {
        /* Built from data at least as new as gen: a write that lands while
         * we read bumps the generation again and forces another build. */
        s = snap_build(c, gen);
        if (s) {
            snap_release(c->snap);
            c->snap = s;
        } else if (!c->snap) {
            pthread_mutex_unlock(&c->lock);
            return NULL;
        }
    }
    s = c->snap;
    atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&c->lock);
    return s;
}

/* Each thread keeps a reference to the snapshot it used last, so the
 * common case (same generation) takes no lock, and remembers which pool
 * already holds a reference, so a page's many calls add one cleanup. */
struct tl_snap {
    uint64_t cid;
    struct snapshot *s;
    const mh_pool_t *pool;
    uint64_t pool_serial;
};

static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t next_cid = 1;

static void tl_destroy(void *data)
{
    struct tl_snap *t = data;
    snap_release(t->s);
    free(t);
}

static void tl_make_key(void)
{
    pthread_key_create(&tl_key, tl_destroy);
}

static struct tl_snap *tl_get(void)
{
    pthread_once(&tl_once, tl_make_key);
    struct tl_snap *t = pthread_getspecific(tl_key);
    if (!t) {
        t = mh_calloc(1, sizeof(*t));
        pthread_setspecific(tl_key, t);
    }
    return t;
}

/* The current snapshot, kept alive until the pool is destroyed. */
static struct snapshot *snap_get(mh_content_t *c, mh_pool_t *p)
{
    struct tl_snap *t = tl_get();
    uint64_t gen = atomic_load(&c->gen);
    /* an importer's own snapshot of its transaction (priv, rebuilt after
     * mh_content_tx_snapshot_stale) always comes from snap_acquire */
    bool own = tl_tx.depth > 0 && tl_tx.c == c && (tl_tx.stale || tl_tx.priv);
    bool mine = !own && t->cid == c->cid && t->s &&
                (t->s->gen == gen || (t->s->gen == 0 && t->s->tx_serial &&
                                      t->s->tx_serial == tx_serial_now(c) && t->s->tx_gen == gen));
    if (!mine) {
        struct snapshot *s = snap_acquire(c);
        if (!s)
            return NULL;
        snap_release(t->s);
        t->s = s;
        t->cid = c->cid;
        t->pool = NULL;
    } else if (t->pool == p && t->pool_serial == mh_pool_serial(p)) {
        return t->s; /* this pool holds a reference already */
    }
    atomic_fetch_add(&t->s->refs, 1);
    mh_pool_cleanup_add(p, snap_release_cb, t->s);
    t->pool = p;
    t->pool_serial = mh_pool_serial(p);
    return t->s;
}

static void bump(mh_content_t *c)
{
    atomic_fetch_add(&c->gen, 1);
}

static size_t dep_slot(uint64_t tag)
{
    return (size_t)((tag * 0x9E3779B97F4A7C15ull) >> 52) % DEP_SLOTS;
}

/* The tag changed at generation g (slots only grow). */
static void dep_bump(mh_content_t *c, uint64_t tag, uint64_t g)
{
    atomic_uint_fast64_t *v = &c->slots[dep_slot(tag)];
    uint_fast64_t old = atomic_load(v);
    while (old < g && !atomic_compare_exchange_weak(v, &old, g))
        ;
}

/* A change no tag describes: every page goes. */
static void bump_all(mh_content_t *c)
{
    atomic_fetch_add(&c->gen, 1);
    atomic_fetch_add(&c->structure, 1);
    dep_bump(c, DEP_ANY, atomic_load(&c->gen));
}

/* --- open, close, init --- */

static mh_content_t *content_new(mh_store_t *store)
{
    mh_content_t *c = mh_calloc(1, sizeof(*c));
    c->store = store;
    c->ops = store->ops;
    atomic_init(&c->gen, 1);
    pthread_mutex_init(&c->lock, NULL);
    c->cid = atomic_fetch_add(&next_cid, 1);
    int64_t v = 0;
    c->ops->content_generation(store, &v);
    atomic_init(&c->seen, v);
    atomic_init(&c->structure, 1);
    for (size_t i = 0; i < DEP_SLOTS; i++)
        atomic_init(&c->slots[i], 0);
    pthread_mutex_init(&c->changes_lock, NULL);
    if (c->ops->content_changes) {
        mh_pool_t *p = mh_pool_create();
        int64_t *rows, first, last = 0, g = v;
        size_t n;
        bool more;
        if (c->ops->content_changes(store, p, -1, 0, &g, &rows, &n, &first, &last, &more) ==
            MH_OK) {
            c->last_seq = last;
            atomic_store(&c->seen, g);
        }
        mh_pool_destroy(p);
    }
    return c;
}

static char *media_dir_of(const char *dir)
{
    size_t n = strlen(dir) + sizeof("/media");
    char *m = mh_malloc(n);
    snprintf(m, n, "%s/media", dir);
    return m;
}

int mh_content_open(const char *dir, mh_content_t **out, char *err, size_t errlen)
{
    mh_store_t *store = NULL;
    mh_content_t *c = NULL;
    int rc = MH_ERR;
    *out = NULL;
    if (mh_store_open_dir(dir, false, &store, err, errlen) != MH_OK)
        goto done;
    c = content_new(store);
    c->media_dir = media_dir_of(dir);
    mh_pool_t *p = mh_pool_create();
    mh_site_info_t site;
    rc = c->ops->site_get(c->store, p, &site);
    mh_pool_destroy(p);
    if (rc != MH_OK) {
        snprintf(err, errlen, "%s is not a site (no site row)", dir);
        mh_content_close(c);
        rc = MH_ERR;
        goto done;
    }
    *out = c;
done:
    return rc;
}

void mh_content_close(mh_content_t *c)
{
    if (!c)
        return;
    snap_release(c->snap);
    /* this thread's cached reference, if it is to this handle's snapshot */
    struct tl_snap *t = tl_get();
    if (t->cid == c->cid) {
        snap_release(t->s);
        t->s = NULL;
        t->cid = 0;
    }
    mh_store_close(c->store);
    pthread_mutex_destroy(&c->lock);
    free(c->media_dir);
    free(c);
}

int mh_content_init(const char *dir, bool demo, char *err, size_t errlen)
{
    size_t mn = strlen(dir) + sizeof("/media");
    char *media = mh_malloc(mn);
    mh_store_t *store = NULL;
    mh_content_t *c = NULL;
    bool created = false;
    int64_t site_id = 0, lang_id = 0;
    int rc = MH_ERR;
    snprintf(media, mn, "%s/media", dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        goto done;
    }
    {
        /* an empty (0-byte) file is taken as the place to create the site */
        mh_db_state_t state = mh_store_probe_dir(dir, err, errlen);
        if (state == MH_DB_SITE) {
            snprintf(err, errlen, "%s already holds a site", dir);
            goto done;
        }
        if (state == MH_DB_FOREIGN)
            goto done;
    }
    if (mkdir(media, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", media, strerror(errno));
        goto done;
    }
    created = true;
    if (mh_store_open_dir(dir, true, &store, err, errlen) != MH_OK)
        goto done;
    c = content_new(store);
    c->media_dir = media_dir_of(dir);
    if (c->ops->begin(store) != MH_OK)
        goto db_error;
    mh_language_t en = {.code = "en", .name = "English", .prefix = "", .is_default = true};
    size_t ndefaults = 0;
    const mh_setting_t *defaults = mh_content_default_settings(demo, &ndefaults);
    if (c->ops->site_insert(store, mh_content_default_site_name(demo), "", &site_id) != MH_OK)
        goto rollback;
    en.site_id = site_id;
    if (c->ops->language_insert(store, &en, &lang_id) != MH_OK)
        goto rollback;
    for (size_t i = 0; i < ndefaults; i++)
        if (c->ops->setting_set(store, site_id, 0, defaults[i].key, defaults[i].value) != MH_OK)
            goto rollback;
    if (c->ops->commit(store) != MH_OK)
        goto rollback;
    if (demo && mh_content_demo_load(c, err, errlen) != MH_OK)
        goto done;
    rc = MH_OK;
    goto done;
rollback:
    c->ops->rollback(store);
db_error:
    snprintf(err, errlen, "%s: cannot create the site database", dir);
done:
    if (c)
        mh_content_close(c);
    else
        mh_store_close(store);
    if (rc != MH_OK && created)
        mh_store_remove_dir(dir);
    free(media);
    return rc;
}

uint64_t mh_content_generation(mh_content_t *c)
{
    return atomic_load(&c->gen);
}

/* The counter read v: a new generation if it moved past what we saw. The
 * counter only grows, so a stale read (older than what another thread
 * already recorded) changes nothing. */
static void counter_seen(mh_content_t *c, int64_t v)
{
    if (v <= atomic_load(&c->seen))
        return;
    if (!c->ops->content_changes) {
        int_fast64_t old = atomic_load(&c->seen);
        while (v > old)
            if (atomic_compare_exchange_weak(&c->seen, &old, v)) {
                bump_all(c);
                return;
            }
        return;
    }
    /* Read the counter again with the change log, in one snapshot: when
     * as many changes were logged as the counter moved, each of them is
     * described by its tags and only the pages that read those tags go;
     * otherwise something without tags changed too, and every page goes.
     * The data generation moves first: a page rendered between the two
     * steps read new data and is merely rendered once more. */
    pthread_mutex_lock(&c->changes_lock);
    mh_pool_t *p = mh_pool_create();
    int64_t *rows = NULL, first = 0, last = 0, g = 0;
    size_t n = 0;
    bool more = false;
    int64_t seen = atomic_load(&c->seen);
    int rc = c->ops->content_changes(c->store, p, c->last_seq, 1024, &g, &rows, &n, &first, &last,
                                     &more);
    if (rc != MH_OK) {
        bump_all(c);
    } else if (g > seen) {
        bool exact = !more && (int64_t)n == g - seen && (n == 0 || first == c->last_seq + 1);
        bump(c);
        uint64_t gen = atomic_load(&c->gen);
        if (!exact) {
            atomic_fetch_add(&c->structure, 1);
        } else {
            static const char kinds[6] = {'c', 'c', 'l', 'l', 'g', 'g'};
            for (size_t i = 0; i < n; i++)
                for (int k = 0; k < 6; k++)
                    if (rows[i * 6 + (size_t)k] > 0)
                        dep_bump(c, mh_content_dep_tag(kinds[k], rows[i * 6 + (size_t)k]), gen);
        }
        dep_bump(c, DEP_ANY, gen);
        atomic_store(&c->seen, g);
    }
    if (rc == MH_OK && last > c->last_seq)
        c->last_seq = last;
    mh_pool_destroy(p);
    pthread_mutex_unlock(&c->changes_lock);
}

uint64_t mh_content_dep_tag(char kind, int64_t id)
{
    return ((uint64_t)(unsigned char)kind << 56) | ((uint64_t)id & 0xffffffffffffffull);
}

uint64_t mh_content_structure_generation(mh_content_t *c)
{
    return atomic_load(&c->structure);
}

/* The page being rendered on this thread: what it read. */
static _Thread_local struct {
    mh_content_t *c;
    bool active, tracked, untracked;
    uint64_t gen; /* the data generation when the page began */
    size_t n;
    uint64_t tags[DEP_MAX];
} tl_deps;

void mh_content_deps_begin(mh_content_t *c)
{
    tl_deps.c = c;
    tl_deps.active = true;
    tl_deps.tracked = tl_deps.untracked = false;
    tl_deps.n = 0;
    tl_deps.gen = atomic_load(&c->gen);
}

void mh_content_deps_tracked(mh_content_t *c)
{
    if (tl_deps.active && tl_deps.c == c)
        tl_deps.tracked = true;
}

void mh_content_deps_untracked(mh_content_t *c)
{
    if (tl_deps.active && tl_deps.c == c)
        tl_deps.untracked = true;
}

void mh_content_deps_add(mh_content_t *c, char kind, int64_t id)
{
    uint64_t tag = mh_content_dep_tag(kind, id);
    if (!tl_deps.active || tl_deps.c != c)
        return;
    for (size_t i = 0; i < tl_deps.n; i++)
        if (tl_deps.tags[i] == tag)
            return;
    if (tl_deps.n == DEP_MAX) {
        tl_deps.untracked = true;
        return;
    }
    tl_deps.tags[tl_deps.n++] = tag;
}

size_t mh_content_deps_end(mh_content_t *c, uint64_t *gen, uint64_t *tags, size_t max)
{
    size_t n = 0;
    if (!tl_deps.active || tl_deps.c != c) {
        /* nothing recorded: valid for no change at all */
        *gen = 0;
        if (max)
            tags[n++] = DEP_ANY;
        return n;
    }
    tl_deps.active = false;
    *gen = tl_deps.gen;
    if (!tl_deps.tracked || tl_deps.untracked || tl_deps.n > max || max == 0) {
        if (max)
            tags[n++] = DEP_ANY;
        return n;
    }
    for (size_t i = 0; i < tl_deps.n; i++)
        tags[n++] = tl_deps.tags[i];
    return n;
}

bool mh_content_deps_valid(mh_content_t *c, uint64_t gen, const uint64_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (atomic_load(&c->slots[dep_slot(tags[i])]) > gen)
            return false;
    return true;
}

void mh_content_poll(mh_content_t *c)
{
    int64_t v;
    if (c->ops->content_generation(c->store, &v) == MH_OK)
        counter_seen(c, v);
    /* the store's housekeeping (SQLite: the WAL checkpoint policy) */
    if (c->ops->maintain)
        c->ops->maintain(c->store);
}

/* After a commit of ours: the counter tells whether it changed public
 * content. */
static void note_commit(mh_content_t *c)
{
    int64_t v;
    if (c->ops->content_generation(c->store, &v) == MH_OK)
        counter_seen(c, v);
    else
        bump_all(c); /* cannot tell: forget too much rather than too little */
}

/* The calling thread's current write transaction on c (never 0), or 0. */
static uint64_t tx_serial_now(mh_content_t *c)
{
    return tl_tx.depth > 0 && tl_tx.c == c ? tl_tx.serial : 0;
}

/* A failed store operation as a return code: MH_NOSPACE when it failed for
 * want of space. */
static int store_failure(mh_content_t *c, int rc)
{
    if (rc == MH_ERR && c->ops->failed_nospace(c->store))
        return MH_NOSPACE;
    return rc;
}

int mh_content_tx_begin(mh_content_t *c)
{
    if (tl_tx.depth > 0) {
        assert(tl_tx.c == c);
        tl_tx.depth++;
        return MH_OK;
    }
    if (c->ops->begin(c->store) != MH_OK)
        return store_failure(c, MH_ERR);
    tl_tx.c = c;
    tl_tx.depth = 1;
    tl_tx.rc = MH_OK;
    tl_tx.serial++;
    return MH_OK;
}

int mh_content_tx_end(mh_content_t *c, int rc)
{
    assert(tl_tx.depth > 0 && tl_tx.c == c);
    if (rc != MH_OK && tl_tx.rc == MH_OK)
        tl_tx.rc = rc;
    if (--tl_tx.depth > 0)
        return rc;
    rc = tl_tx.rc;
    tl_tx.c = NULL;
    snap_release(tl_tx.priv);
    tl_tx.priv = NULL;
    tl_tx.stale = false;
    if (rc == MH_OK) {
        if (c->ops->commit(c->store) == MH_OK) {
            note_commit(c);
            return MH_OK;
        }
        rc = MH_ERR;
    }
    rc = store_failure(c, rc);
    c->ops->rollback(c->store);
    return rc;
}

void mh_content_tx_snapshot_stale(mh_content_t *c)
{
    if (tl_tx.depth > 0 && tl_tx.c == c)
        tl_tx.stale = true;
}

bool mh_content_in_tx(mh_content_t *c)
{
    return tl_tx.depth > 0 && tl_tx.c == c;
}

bool mh_content_read_begin(mh_content_t *c)
{
    return c->ops->read_begin(c->store) == MH_OK;
}

void mh_content_read_end(mh_content_t *c, bool started)
{
    if (started)
        c->ops->read_end(c->store);
}

struct mh_store *mh_content_store(mh_content_t *c)
{
    return c->store;
}

void mh_content_changed(mh_content_t *c)
{
    bump_all(c);
}

/* --- reading --- */

int mh_content_site(mh_content_t *c, mh_pool_t *p, mh_site_info_t *out)
{
    struct snapshot *s = snap_get(c, p);
    if (!s)
        return MH_ERR;
    if (!s->has_site)
        return MH_DECLINED;
    *out = s->site;
    return MH_OK;
}

static void *pool_copy(mh_pool_t *p, const void *src, size_t n, size_t size)
{
    void *dst = mh_pnalloc(p, n ? n : 1, size);
    if (n)
        memcpy(dst, src, n * size);
    return dst;
}

int mh_content_column_fields(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                             size_t *n)
{
    struct snapshot *s = snap_get(c, p);
    size_t first = 0, k = 0;
    if (!s)
        return MH_ERR;
    /* defs are sorted by column: one run per column */
    while (first < s->ndefs && s->defs[first].column_id != column_id)
        first++;
    while (first + k < s->ndefs && s->defs[first + k].column_id == column_id)
        k++;
    *out = pool_copy(p, s->defs + first, k, sizeof(mh_field_def_t));
    *n = k;
    return MH_OK;
}

int mh_content_languages(mh_content_t *c, mh_pool_t *p, mh_language_t **out, size_t *n)
{
    struct snapshot *s = snap_get(c, p);
    if (!s)
        return MH_ERR;
    *out = pool_copy(p, s->langs, s->nlangs, sizeof(mh_language_t));
    *n = s->nlangs;
    return MH_OK;
}

int mh_content_columns(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_column_t **out, size_t *n)
{
    struct snapshot *s = snap_get(c, p);
    const struct lang_view *v;
    if (!s)
        return MH_ERR;
    v = snap_view(s, lang_id);
    *n = v ? v->count : 0;
    *out = pool_copy(p, v ? s->cols + v->first : NULL, *n, sizeof(mh_column_t));
    return MH_OK;
}

int mh_content_column_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_column_t *out)
{
    struct snapshot *s = snap_get(c, p);
    const mh_column_t *col;
    if (!s)
        return MH_ERR;
    col = snap_column(s, id);
    if (!col)
        return MH_DECLINED;
    *out = *col;
    return MH_OK;
}

int mh_content_column_by_path(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *path,
                              mh_column_t *out)
{
    struct snapshot *s = snap_get(c, p);
    const struct lang_view *v;
    size_t len;
    if (!s)
        return MH_ERR;
    v = snap_view(s, lang_id);
    if (!v || !path)
        return MH_DECLINED;
    while (*path == '/')
        path++;
    len = strlen(path);
    while (len && path[len - 1] == '/')
        len--;
    for (size_t i = v->first; i < v->first + v->count; i++) {
        const mh_column_t *col = &s->cols[i];
        if (strlen(col->path) == len && memcmp(col->path, path, len) == 0) {
            *out = *col;
            return MH_OK;
        }
    }
    return MH_DECLINED;
}

/* --- memoised public reads --- */

static const char *dup_or_null(mh_pool_t *p, const char *s)
{
    return s ? mh_pstrdup(p, s) : NULL;
}

static void entry_copy(mh_pool_t *p, mh_entry_t *d, const mh_entry_t *e)
{
    *d = *e;
    d->title = dup_or_null(p, e->title);
    d->slug = dup_or_null(p, e->slug);
    d->summary = dup_or_null(p, e->summary);
    d->body_html = dup_or_null(p, e->body_html);
    d->author = dup_or_null(p, e->author);
    d->source = dup_or_null(p, e->source);
    d->cover = dup_or_null(p, e->cover);
    d->seo_title = dup_or_null(p, e->seo_title);
    d->seo_keywords = dup_or_null(p, e->seo_keywords);
    d->seo_description = dup_or_null(p, e->seo_description);
}

static mh_entry_t *entry_dup(mh_pool_t *p, const mh_entry_t *e)
{
    mh_entry_t *d = NULL;
    if (e) {
        d = mh_palloc(p, sizeof(*d));
        entry_copy(p, d, e);
    }
    return d;
}

static void *copy_entry(mh_pool_t *p, const void *src)
{
    return entry_dup(p, src);
}

struct entry_list {
    mh_entry_t *items;
    size_t n;
    int64_t total;
};

static void *copy_list(mh_pool_t *p, const void *src)
{
    const struct entry_list *l = src;
    struct entry_list *d = mh_palloc(p, sizeof(*d));
    *d = *l;
    d->items = mh_pnalloc(p, l->n ? l->n : 1, sizeof(mh_entry_t));
    for (size_t i = 0; i < l->n; i++)
        entry_copy(p, &d->items[i], &l->items[i]);
    return d;
}

/* The caller's own array (it may reorder or filter it); the strings stay
 * in the memo. */
static mh_entry_t *list_out(mh_pool_t *p, const struct entry_list *l)
{
    mh_entry_t *a = mh_pnalloc(p, l->n ? l->n : 1, sizeof(mh_entry_t));
    if (l->n)
        memcpy(a, l->items, l->n * sizeof(mh_entry_t));
    return a;
}

struct neighbors {
    mh_entry_t *prev, *next;
};

static void *copy_neighbors(mh_pool_t *p, const void *src)
{
    const struct neighbors *n = src;
    struct neighbors *d = mh_palloc(p, sizeof(*d));
    d->prev = entry_dup(p, n->prev);
    d->next = entry_dup(p, n->next);
    return d;
}

static bool entry_is_public(const mh_entry_t *e, int64_t now)
{
    return (e->status == MH_STATUS_PUBLISHED || e->status == MH_STATUS_SCHEDULED) &&
           e->publish_at <= now;
}

int mh_content_entries(mh_content_t *c, mh_pool_t *p, const mh_entry_query_t *q, mh_entry_t **out,
                       size_t *n, int64_t *total)
{
    struct snapshot *s = snap_get(c, p);
    mh_store_entry_filter_t f = {0};
    int64_t dummy;
    *n = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (!total)
        total = &dummy;
    *total = 0;
    if (!s)
        return MH_ERR;
    f.lang_id = q->lang_id;
    f.public_only = q->public_only;
    f.now = (int64_t)time(NULL);
    f.recommended_only = q->recommended_only;
    f.sort = (unsigned)q->sort <= MH_SORT_HITS ? q->sort : MH_SORT_NEWEST;
    f.offset = q->offset > 0 ? q->offset : 0;
    f.limit = q->limit <= 0 ? 20 : q->limit > 200 ? 200 : q->limit;
    if (q->column_id) {
        const mh_column_t *col = snap_column(s, q->column_id);
        size_t i, end;
        if (!col || col->lang_id != q->lang_id)
            return MH_DECLINED;
        i = (size_t)(col - s->cols);
        end = i + 1;
        if (q->descendants)
            while (end < s->ncols && s->cols[end].depth > col->depth)
                end++;
        f.column_ids = column_ids(p, s->cols + i, end - i, q->public_only, &f.ncolumns);
    } else if (q->public_only) {
        const struct lang_view *v = snap_view(s, q->lang_id);
        if (!v)
            return MH_OK;
        /* With every column visible, no column filter is needed. */
        if (v->nvisible < v->count) {
            f.column_ids = v->visible_ids;
            f.ncolumns = v->nvisible;
        }
    }
    if (f.column_ids && f.ncolumns == 0)
        return MH_OK;
    if (!q->public_only)
        return c->ops->entries_list(c->store, p, &f, out, n, total);
    /* what the page read: its columns, or the language when it read a
     * whole language or a large subtree */
    if (q->column_id && f.ncolumns <= DEP_MAX / 2) {
        for (size_t i = 0; i < f.ncolumns; i++)
            mh_content_deps_add(c, 'c', f.column_ids[i]);
    } else {
        mh_content_deps_add(c, 'l', q->lang_id);
    }

    /* The column set comes from this generation's snapshot, so the query
     * fields decide the result. */
    mh_memo_key_t k;
    mh_memo_key_init(&k, p, 'l');
    mh_memo_key_i64(&k, q->lang_id);
    mh_memo_key_i64(&k, q->column_id);
    mh_memo_key_i64(&k, q->descendants);
    mh_memo_key_i64(&k, q->recommended_only);
    mh_memo_key_i64(&k, f.sort);
    mh_memo_key_i64(&k, f.offset);
    mh_memo_key_i64(&k, f.limit);
    const struct entry_list *m = mh_memo_get(s->memo, &k);
    if (!m) {
        struct entry_list l = {0};
        int rc = c->ops->entries_list(c->store, p, &f, &l.items, &l.n, &l.total);
        if (rc != MH_OK)
            return rc;
        m = mh_memo_put(s->memo, &k, copy_list, &l);
        if (!m) {
            *out = l.items, *n = l.n, *total = l.total;
            return MH_OK;
        }
    }
    *out = list_out(p, m);
    *n = m->n;
    *total = m->total;
    return MH_OK;
}

int mh_content_entry_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_entry_t *out)
{
    int rc = c->ops->entry_get(c->store, p, id, out);
    if (rc == MH_OK)
        mh_content_deps_add(c, 'c', out->column_id);
    else
        mh_content_deps_untracked(c);
    return rc;
}

int mh_content_entry_by_slug(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *slug,
                             bool public_only, mh_entry_t *out)
{
    mh_entry_t e;
    int rc;
    if (!slug || !*slug)
        return MH_DECLINED;
    if (!public_only) {
        rc = c->ops->entry_by_slug(c->store, p, column_id, slug, &e);
        if (rc == MH_OK)
            *out = e;
        return rc;
    }
    struct snapshot *s = snap_get(c, p);
    const mh_column_t *col;
    mh_content_deps_add(c, 'c', column_id);
    if (!s)
        return MH_ERR;
    col = snap_column(s, column_id);
    if (!col || !col->visible)
        return MH_DECLINED;
    /* Found entries are memoised whatever their status (the check below
     * runs on every read); misses are not, so probing slugs costs no
     * memory. */
    mh_memo_key_t k;
    mh_memo_key_init(&k, p, 'e');
    mh_memo_key_i64(&k, column_id);
    mh_memo_key_str(&k, slug);
    const mh_entry_t *m = mh_memo_get(s->memo, &k);
    if (!m) {
        rc = c->ops->entry_by_slug(c->store, p, column_id, slug, &e);
        if (rc != MH_OK)
            return rc;
        m = mh_memo_put(s->memo, &k, copy_entry, &e);
        if (!m)
            m = &e;
    }
    if (!entry_is_public(m, (int64_t)time(NULL)))
        return MH_DECLINED;
    *out = *m;
    return MH_OK;
}

int mh_content_entry_neighbors(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e,
                               mh_entry_t **prev, mh_entry_t **next)
{
    struct snapshot *s = snap_get(c, p);
    const mh_column_t *col;
    int64_t now = (int64_t)time(NULL);
    *prev = *next = NULL;
    mh_content_deps_add(c, 'c', e->column_id);
    if (!s)
        return MH_ERR;
    col = snap_column(s, e->column_id);
    if (!col)
        return MH_OK;
    /* Everything the query reads of e is in the key, so an entry being
     * previewed with changed fields gets its own answer. */
    mh_memo_key_t k;
    mh_memo_key_init(&k, p, 'n');
    mh_memo_key_i64(&k, e->id);
    mh_memo_key_i64(&k, e->column_id);
    mh_memo_key_i64(&k, col->sort_mode);
    mh_memo_key_i64(&k, e->publish_at);
    mh_memo_key_i64(&k, e->position);
    mh_memo_key_i64(&k, e->hits);
    mh_memo_key_str(&k, e->title);
    const struct neighbors *m = mh_memo_get(s->memo, &k);
    if (!m) {
        struct neighbors nb = {0};
        int rc = c->ops->entry_neighbors(c->store, p, e, col->sort_mode, now, &nb.prev, &nb.next);
        if (rc != MH_OK)
            return rc;
        m = mh_memo_put(s->memo, &k, copy_neighbors, &nb);
        if (!m) {
            *prev = nb.prev, *next = nb.next;
            return MH_OK;
        }
    }
    /* Copies: callers may change what they are given. */
    if (m->prev)
        *prev = mh_palloc(p, sizeof(mh_entry_t)), **prev = *m->prev;
    if (m->next)
        *next = mh_palloc(p, sizeof(mh_entry_t)), **next = *m->next;
    return MH_OK;
}

int mh_content_translations(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e, mh_entry_t **out,
                            size_t *n)
{
    struct snapshot *s = snap_get(c, p);
    mh_entry_t *all;
    size_t nall, k = 0;
    *n = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (!s)
        return MH_ERR;
    if (!e->translation_group)
        return MH_OK;
    mh_content_deps_add(c, 'g', e->translation_group);
    mh_memo_key_t key;
    mh_memo_key_init(&key, p, 't');
    mh_memo_key_i64(&key, e->translation_group);
    mh_memo_key_i64(&key, e->id);
    mh_memo_key_i64(&key, e->lang_id);
    const struct entry_list *m = mh_memo_get(s->memo, &key);
    if (!m) {
        if (c->ops->entry_translations(c->store, p, e->translation_group, e->id, e->lang_id,
                                       (int64_t)time(NULL), &all, &nall) != MH_OK)
            return MH_ERR;
        for (size_t i = 0; i < nall; i++) {
            const mh_column_t *col = snap_column(s, all[i].column_id);
            if (col && col->visible)
                all[k++] = all[i];
        }
        struct entry_list l = {all, k, (int64_t)k};
        m = mh_memo_put(s->memo, &key, copy_list, &l);
        if (!m) {
            *out = all;
            *n = k;
            return MH_OK;
        }
    }
    *out = list_out(p, m);
    *n = m->n;
    return MH_OK;
}

static const struct lang_view *settings_view(const struct snapshot *s, int64_t lang_id)
{
    const struct lang_view *v = lang_id ? snap_view(s, lang_id) : NULL;
    return v ? v : &s->site_view;
}

int mh_content_settings(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_setting_t **out,
                        size_t *n)
{
    struct snapshot *s = snap_get(c, p);
    const struct lang_view *v;
    if (!s)
        return MH_ERR;
    v = settings_view(s, lang_id);
    *out = pool_copy(p, v->settings, v->nsettings, sizeof(mh_setting_t));
    *n = v->nsettings;
    return MH_OK;
}

const char *mh_content_setting(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *key)
{
    struct snapshot *s = snap_get(c, p);
    const struct lang_view *v;
    if (!s || !key)
        return NULL;
    v = settings_view(s, lang_id);
    for (size_t i = 0; i < v->nsettings; i++)
        if (strcmp(v->settings[i].key, key) == 0)
            return v->settings[i].value;
    return NULL;
}

/* --- writing --- */

enum { SLUG_MAX = 80 };

typedef int (*slug_taken_fn)(mh_content_t *c, const void *obj, const char *slug, bool *taken);

/* First free slug among base, base-2, base-3... (base trimmed so the
 * suffix keeps it within SLUG_MAX). */
static int unique_slug(mh_content_t *c, mh_pool_t *p, const char *base, slug_taken_fn taken_fn,
                       const void *obj, const char **out)
{
    bool taken = false;
    if (taken_fn(c, obj, base, &taken) != MH_OK)
        return MH_ERR;
    if (!taken) {
        *out = base;
        return MH_OK;
    }
    for (int i = 2; i < 10000; i++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof(suffix), "-%d", i);
        size_t bl = strlen(base);
        if (bl + (size_t)sl > SLUG_MAX)
            bl = SLUG_MAX - (size_t)sl;
        while (bl > 0 && base[bl - 1] == '-')
            bl--;
        const char *cand = mh_psprintf(p, "%.*s%s", (int)bl, base, suffix);
        if (taken_fn(c, obj, cand, &taken) != MH_OK)
            return MH_ERR;
        if (!taken) {
            *out = cand;
            return MH_OK;
        }
    }
    mh_warn("content: no free slug for %s", base);
    return MH_ERR;
}

static int column_slug_taken(mh_content_t *c, const void *obj, const char *slug, bool *taken)
{
    const mh_column_t *col = obj;
    return c->ops->column_slug_taken(c->store, col->lang_id, col->parent_id, slug, col->id, taken);
}

static int entry_slug_taken(mh_content_t *c, const void *obj, const char *slug, bool *taken)
{
    const mh_entry_t *e = obj;
    return c->ops->entry_slug_taken(c->store, e->column_id, slug, e->id, taken);
}

/* Placeholder slug while the row's id is not known yet; slugify never
 * produces it, and the write transaction keeps it private. */
#define PENDING_SLUG "-"

static const char *base_slug(mh_pool_t *p, const char *slug, const char *title)
{
    return mh_slugify(p, slug && *slug ? slug : title);
}

int mh_content_language_create(mh_content_t *c, mh_language_t *in, int64_t *id)
{
    mh_pool_t *p = mh_pool_create();
    struct snapshot *s = snap_get(c, p);
    mh_language_t l = *in;
    int rc = MH_ERR;
    if (!s)
        goto done;
    if (!l.code || !*l.code || !l.name || !*l.name) {
        mh_warn("content: a language needs a code and a name");
        goto done;
    }
    if (!l.site_id)
        l.site_id = s->site.id;
    if (!l.prefix)
        l.prefix = "";
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_content_tx_end(c, c->ops->language_insert(c->store, &l, id));
    if (rc == MH_OK)
        in->id = *id;
done:
    mh_pool_destroy(p);
    return rc;
}

enum { EMBED_HOSTS_MAX = 16 };

/* The hosts of the setting embed_hosts (separated by spaces, commas or
 * line breaks; each a host name of [a-z0-9.-], case folded) into hosts;
 * returns how many. Anything else in the list is skipped. */
static size_t embed_hosts(mh_content_t *c, mh_pool_t *p, const char **hosts)
{
    const char *v = mh_content_setting(c, p, 0, "embed_hosts");
    size_t n = 0;
    while (v && *v && n < EMBED_HOSTS_MAX) {
        while (*v == ' ' || *v == ',' || *v == '\n' || *v == '\r' || *v == '\t')
            v++;
        const char *st = v;
        bool ok = true;
        while (*v && *v != ' ' && *v != ',' && *v != '\n' && *v != '\r' && *v != '\t') {
            char ch = (char)tolower((unsigned char)*v);
            ok = ok &&
                 ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-');
            v++;
        }
        if (v > st && ok && v - st < 254) {
            char *h = mh_pstrndup(p, st, (size_t)(v - st));
            for (char *k = h; *k; k++)
                *k = (char)tolower((unsigned char)*k);
            hosts[n++] = h;
        }
    }
    return n;
}

/* Rich text as the store may receive it: the sanitiser's output, in p.
 * NULL stays NULL (the store writes ""). MH_TOOBIG when too large to
 * sanitise. iframes survive only from the hosts of the setting
 * embed_hosts (none by default). */
static int sanitize_field(mh_content_t *c, mh_pool_t *p, const char **html)
{
    mh_str_t clean = MH_STR_NULL;
    const char *hosts[EMBED_HOSTS_MAX];
    if (!*html)
        return MH_OK;
    mh_sanitize_opts_t opts = {hosts, embed_hosts(c, p, hosts)};
    int rc = mh_sanitize_html(p, *html, strlen(*html), &opts, &clean);
    if (rc != MH_OK)
        return rc == MH_TOOBIG ? MH_TOOBIG : MH_ERR;
    *html = clean.base ? clean.base : "";
    return MH_OK;
}

/* Check and normalise a column before writing it. */
static int column_check(const struct snapshot *s, mh_column_t *col)
{
    const mh_column_t *parent = NULL;
    if (!col->name || !*col->name || !mh_module_name(col->module) || !mh_store_nav_name(col->nav) ||
        !mh_store_sort_name(col->sort_mode)) {
        mh_warn("content: column needs a name, a valid module, nav and sort mode");
        return MH_ERR;
    }
    if (!snap_view(s, col->lang_id)) {
        mh_warn("content: column language %lld does not exist", (long long)col->lang_id);
        return MH_ERR;
    }
    if (col->parent_id) {
        parent = snap_column(s, col->parent_id);
        if (!parent || parent->lang_id != col->lang_id) {
            mh_warn("content: column parent %lld missing or in another language",
                    (long long)col->parent_id);
            return MH_ERR;
        }
        /* No column may become its own ancestor. */
        for (const mh_column_t *a = parent; a;
             a = a->parent_id ? snap_column(s, a->parent_id) : NULL)
            if (col->id && a->id == col->id) {
                mh_warn("content: column %lld cannot move under itself", (long long)col->id);
                return MH_ERR;
            }
    }
    if (col->page_size <= 0)
        col->page_size = 20;
    if (col->page_size > 200)
        col->page_size = 200;
    return MH_OK;
}

static int column_write(mh_content_t *c, mh_column_t *in, int64_t *id, bool create)
{
    mh_pool_t *p = mh_pool_create();
    struct snapshot *s = snap_get(c, p);
    mh_column_t col = *in;
    const char *base;
    bool began = false;
    int rc = MH_ERR;
    if (!s)
        goto done;
    if (create)
        col.id = 0;
    if (column_check(s, &col) != MH_OK)
        goto done;
    if (!mh_content_url_ok(col.link_url)) {
        mh_warn("content: column link refused (not an http(s) or relative URL)");
        rc = MH_INVALID;
        goto done;
    }
    if ((rc = sanitize_field(c, p, &col.body_html)) != MH_OK)
        goto done;
    rc = MH_ERR;
    base = base_slug(p, col.slug, col.name);
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = MH_ERR;
    began = true;
    if (*base) {
        if (unique_slug(c, p, base, column_slug_taken, &col, &col.slug) != MH_OK)
            goto done;
    } else {
        col.slug = create ? PENDING_SLUG : mh_psprintf(p, "%lld", (long long)col.id);
        if (!create && unique_slug(c, p, col.slug, column_slug_taken, &col, &col.slug) != MH_OK)
            goto done;
    }
    if (create) {
        if (c->ops->column_insert(c->store, &col, &col.id) != MH_OK)
            goto done;
        if (!*base) {
            const char *num = mh_psprintf(p, "%lld", (long long)col.id);
            if (unique_slug(c, p, num, column_slug_taken, &col, &col.slug) != MH_OK ||
                c->ops->column_set_slug(c->store, col.id, col.slug) != MH_OK)
                goto done;
        }
    } else {
        rc = c->ops->column_update(c->store, &col);
        if (rc != MH_OK)
            goto done;
        rc = MH_ERR;
        /* a visible column's old path answers 301 (site.c), recorded
         * in this same transaction */
        const mh_column_t *old = snap_column(s, col.id);
        const mh_column_t *parent = col.parent_id ? snap_column(s, col.parent_id) : NULL;
        if (old && old->visible && old->path && (!col.parent_id || (parent && parent->path))) {
            const char *now_path =
                parent ? mh_psprintf(p, "%s/%s", parent->path, col.slug) : col.slug;
            if (mh_content_column_moved_from(c, old->lang_id, col.id, old->path, now_path) != MH_OK)
                goto done;
        }
    }
    began = false;
    rc = mh_content_tx_end(c, MH_OK);
    if (rc != MH_OK)
        goto done;
    if (id)
        *id = col.id;
    in->id = col.id;
done:
    if (began)
        rc = mh_content_tx_end(c, rc == MH_OK ? MH_ERR : rc);
    mh_pool_destroy(p);
    return rc;
}

int mh_content_column_create(mh_content_t *c, mh_column_t *in, int64_t *id)
{
    return column_write(c, in, id, true);
}

int mh_content_column_update(mh_content_t *c, const mh_column_t *in)
{
    mh_column_t col = *in;
    if (!col.id)
        return MH_ERR;
    return column_write(c, &col, NULL, false);
}

/* fields: the entry's custom field values, written in the same
 * transaction; NULL leaves the stored values alone. */
static int entry_write(mh_content_t *c, mh_entry_t *in, int64_t *id, bool create,
                       const mh_field_value_t *fields, size_t nfields)
{
    mh_pool_t *p = mh_pool_create();
    struct snapshot *s = snap_get(c, p);
    mh_entry_t e = *in;
    const mh_column_t *col;
    const char *base;
    int64_t now = (int64_t)time(NULL);
    bool began = false;
    int rc = MH_ERR;
    if (!s)
        goto done;
    col = snap_column(s, e.column_id);
    if (!col) {
        mh_warn("content: entry column %lld does not exist", (long long)e.column_id);
        goto done;
    }
    if (!e.lang_id)
        e.lang_id = col->lang_id;
    if (e.lang_id != col->lang_id || !e.title || !*e.title || !mh_store_status_name(e.status)) {
        mh_warn("content: entry needs a title, a valid status and its column's language");
        goto done;
    }
    if (create) {
        e.id = 0;
        if (!e.created_at)
            e.created_at = now;
        if (!e.updated_at)
            e.updated_at = e.created_at;
    } else {
        e.updated_at = now;
    }
    if (!e.publish_at)
        e.publish_at = create ? e.created_at : now;
    if (!mh_content_url_ok(e.cover)) {
        mh_warn("content: entry cover refused (not an http(s), relative or media URL)");
        rc = MH_INVALID;
        goto done;
    }
    if ((rc = sanitize_field(c, p, &e.body_html)) != MH_OK)
        goto done;
    /* The slug_style setting "number" keeps titles out of URLs: an entry
     * without a slug of its own is reached by its number. */
    const char *style =
        e.slug && *e.slug ? NULL : mh_content_setting(c, p, e.lang_id, "slug_style");
    base = style && strcmp(style, "number") == 0 ? "" : base_slug(p, e.slug, e.title);
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = MH_ERR;
    began = true;
    if (*base) {
        if (unique_slug(c, p, base, entry_slug_taken, &e, &e.slug) != MH_OK)
            goto done;
    } else {
        e.slug = create ? PENDING_SLUG : mh_psprintf(p, "%lld", (long long)e.id);
        if (!create && unique_slug(c, p, e.slug, entry_slug_taken, &e, &e.slug) != MH_OK)
            goto done;
    }
    if (create) {
        if (c->ops->entry_insert(c->store, &e, &e.id) != MH_OK)
            goto done;
        if (!*base) {
            const char *num = mh_psprintf(p, "%lld", (long long)e.id);
            if (unique_slug(c, p, num, entry_slug_taken, &e, &e.slug) != MH_OK)
                goto done;
        }
        if (!*base || !e.translation_group) {
            if (!e.translation_group)
                e.translation_group = e.id;
            if (c->ops->entry_set_slug_group(c->store, e.id, e.slug, e.translation_group) != MH_OK)
                goto done;
        }
    } else {
        if (!e.translation_group)
            e.translation_group = e.id;
        rc = c->ops->entry_update(c->store, &e);
        if (rc != MH_OK)
            goto done;
    }
    if (fields && c->ops->fields->values_set(c->store, e.id, fields, nfields) != MH_OK)
        goto done;
    began = false;
    rc = mh_content_tx_end(c, MH_OK);
    if (rc != MH_OK)
        goto done;
    if (id)
        *id = e.id;
    in->id = e.id;
done:
    if (began)
        rc = mh_content_tx_end(c, rc == MH_OK ? MH_ERR : rc);
    mh_pool_destroy(p);
    return rc;
}

int mh_content_entry_create(mh_content_t *c, mh_entry_t *in, int64_t *id)
{
    return entry_write(c, in, id, true, NULL, 0);
}

int mh_content_entry_update(mh_content_t *c, const mh_entry_t *in)
{
    mh_entry_t e = *in;
    if (!e.id)
        return MH_ERR;
    return entry_write(c, &e, NULL, false, NULL, 0);
}

int mh_content_entry_save_fields(mh_content_t *c, mh_entry_t *in, int64_t *id,
                                 const mh_field_value_t *fields, size_t nfields)
{
    static const mh_field_value_t none[1];
    return entry_write(c, in, id, in->id == 0, fields ? fields : none, fields ? nfields : 0);
}

int mh_content_setting_set(mh_content_t *c, int64_t lang_id, const char *key, const char *value)
{
    mh_pool_t *p = mh_pool_create();
    struct snapshot *s = snap_get(c, p);
    int rc = MH_ERR;
    if (!s || !key || !*key)
        goto done;
    if (lang_id && !snap_view(s, lang_id)) {
        mh_warn("content: setting for unknown language %lld", (long long)lang_id);
        goto done;
    }
    if (value && mh_content_setting_is_url(key) && !mh_content_url_ok(value)) {
        mh_warn("content: setting %s refused (not an http(s) or relative URL)", key);
        rc = MH_INVALID;
        goto done;
    }
    if (mh_content_setting_is_html(key) && (rc = sanitize_field(c, p, &value)) != MH_OK)
        goto done;
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_content_tx_end(c, c->ops->setting_set(c->store, s->site.id, lang_id, key, value));
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_content_sanitize(mh_content_t *c, mh_pool_t *p, const char **html)
{
    return sanitize_field(c, p, html);
}

struct mh_memo *mh_content_memo(mh_content_t *c, mh_pool_t *p)
{
    struct snapshot *s = snap_get(c, p);
    return s ? s->memo : NULL;
}

const char *mh_content_media_dir(const mh_content_t *c)
{
    return c->media_dir ? c->media_dir : "media";
}
