/* The editorial domain on top of the store's editorial ops. Every write
 * runs in one write transaction of the calling thread (content.h
 * mh_content_tx_begin): mh_content_entry_create/update join it, so a save,
 * its revision and its audit line are stored together or not at all, and
 * a caller may wrap several of these calls in a transaction of its own. */
#include "editorial.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "accounts.h"
#include "fields.h"
#include "images.h"
#include "tags.h"
#include "search.h"
#include "types.h"
#include "../store/editorial.h"
#include "../store/store.h"

static mh_store_t *store(mh_content_t *c)
{
    return mh_content_store(c);
}

static const struct mh_store_editorial_ops *ed(mh_content_t *c)
{
    return mh_content_store(c)->ops->editorial;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* Run a multi-row change inside one write transaction (joining the
 * caller's, if any). */
static int tx_begin(mh_content_t *c)
{
    return mh_content_tx_begin(c);
}

static int tx_end(mh_content_t *c, int rc)
{
    return mh_content_tx_end(c, rc);
}

/* The audit line of a write, in the write's transaction. */
static int audit_write(mh_content_t *c, mh_pool_t *p, const mh_audit_line_t *a, int64_t entry_id,
                       const char *title)
{
    if (!a)
        return MH_OK;
    const char *object =
        a->object && *a->object ? a->object : mh_psprintf(p, "entry:%lld", (long long)entry_id);
    return mh_accounts_audit(c, a->user_id, a->ip, a->action ? a->action : "entry.update", object,
                             a->detail ? a->detail : title);
}

/* --- entries --- */

int mh_editorial_entries(mh_content_t *c, mh_pool_t *p, const mh_entry_filter_t *f,
                         mh_entry_t **out, size_t *n, int64_t *total)
{
    mh_entry_filter_t q = *f;
    int64_t dummy;
    if (!total)
        total = &dummy;
    *n = 0;
    *total = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (q.restrict_columns && (!q.column_ids || q.ncolumns == 0))
        return MH_OK;
    if (!q.restrict_columns && q.ncolumns == 0)
        q.column_ids = NULL;
    q.offset = q.offset > 0 ? q.offset : 0;
    q.limit = q.limit <= 0 ? 20 : q.limit > 200 ? 200 : q.limit;
    if (!q.search)
        q.search = "";
    return ed(c)->entries(store(c), p, &q, out, n, total);
}

int mh_editorial_entry_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_entry_t *out,
                           int64_t *deleted_at)
{
    int64_t d = 0;
    int rc = ed(c)->entry_get(store(c), p, id, out, &d);
    if (deleted_at)
        *deleted_at = rc == MH_OK ? d : 0;
    return rc;
}

static void json_set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

char *mh_editorial_snapshot(mh_pool_t *p, const mh_entry_t *e)
{
    json_t *o = json_object();
    char *s, *out;
    json_object_set_new(o, "column_id", json_integer(e->column_id));
    json_set_str(o, "slug", e->slug);
    json_set_str(o, "summary", e->summary);
    json_set_str(o, "author", e->author);
    json_set_str(o, "source", e->source);
    json_set_str(o, "cover", e->cover);
    json_set_str(o, "seo_title", e->seo_title);
    json_set_str(o, "seo_keywords", e->seo_keywords);
    json_set_str(o, "seo_description", e->seo_description);
    json_object_set_new(o, "publish_at", json_integer(e->publish_at));
    json_set_str(o, "status", mh_store_status_name(e->status));
    json_object_set_new(o, "pinned", json_boolean(e->pinned));
    json_object_set_new(o, "recommended", json_boolean(e->recommended));
    s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        mh_oom();
    out = mh_pstrdup(p, s);
    free(s);
    return out;
}

/* The revision's snapshot: the entry's fields (mh_editorial_snapshot),
 * its custom field values as "fields": {key: [values...]}, and its
 * images, tabs and related entries (content/images.h) when it has any. */
static const char *revision_snapshot(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e)
{
    const char *base = mh_editorial_snapshot(p, e);
    mh_field_value_t *vals = NULL;
    mh_tag_t *tags = NULL;
    size_t n = 0, nt = 0;
    if (mh_fields_values(c, p, e->id, &vals, &n) != MH_OK)
        n = 0;
    if (mh_content_entry_tags(c, p, e->id, &tags, &nt) != MH_OK)
        nt = 0;
    json_t *o = json_loads(base, 0, NULL);
    if (!o)
        return base;
    bool more = mh_images_snapshot(c, p, e->id, o);
    if (n == 0 && nt == 0 && !more) {
        json_decref(o);
        return base;
    }
    if (n) {
        json_t *f = json_object();
        for (size_t i = 0; i < n; i++) {
            json_t *arr = json_object_get(f, vals[i].key);
            if (!arr) {
                arr = json_array();
                json_object_set_new(f, vals[i].key, arr);
            }
            json_array_append_new(arr, json_string(vals[i].text));
        }
        json_object_set_new(o, "fields", f);
    }
    if (nt) { /* the entry's tags by name, in order */
        json_t *ta = json_array();
        for (size_t i = 0; i < nt; i++)
            json_array_append_new(ta, json_string(tags[i].name));
        json_object_set_new(o, "tags", ta);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        mh_oom();
    const char *out = mh_pstrdup(p, s);
    free(s);
    return out;
}

static int add_revision(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e, int64_t user_id)
{
    mh_revision_t r = {.entry_id = e->id,
                       .user_id = user_id,
                       .created_at = now_s(),
                       .title = e->title,
                       .body_html = e->body_html ? e->body_html : "",
                       .snapshot = revision_snapshot(c, p, e)};
    if (ed(c)->revision_insert(store(c), &r, NULL) != MH_OK) {
        mh_warn("editorial: no revision recorded for entry %lld", (long long)e->id);
        return MH_ERR;
    }
    return MH_OK;
}

int mh_editorial_entry_save(mh_content_t *c, mh_pool_t *p, mh_entry_t *e, int64_t user_id,
                            const mh_audit_line_t *audit)
{
    return mh_editorial_entry_save_fields(c, p, e, user_id, NULL, 0, audit);
}

int mh_editorial_entry_save_fields(mh_content_t *c, mh_pool_t *p, mh_entry_t *e, int64_t user_id,
                                   const mh_field_value_t *fields, size_t nfields,
                                   const mh_audit_line_t *audit)
{
    mh_entry_t w = *e, stored;
    int64_t now = now_s();
    int rc;
    if (w.status == MH_STATUS_SCHEDULED && w.publish_at <= now)
        w.status = MH_STATUS_PUBLISHED;
    /* The content layer sanitises the body (and refuses a bad cover). */
    if ((rc = tx_begin(c)) != MH_OK)
        return rc;
    if (fields) {
        int64_t id = 0;
        rc = mh_content_entry_save_fields(c, &w, &id, fields, nfields);
        w.id = id ? id : w.id;
    } else if (w.id) {
        rc = mh_content_entry_update(c, &w);
    } else {
        int64_t id = 0;
        rc = mh_content_entry_create(c, &w, &id);
        w.id = id;
    }
    /* Read back what the content layer made of it (slug, group, times). */
    if (rc == MH_OK)
        rc = mh_content_entry_get(c, p, w.id, &stored) == MH_OK ? MH_OK : MH_ERR;
    if (rc == MH_OK)
        rc = add_revision(c, p, &stored, user_id);
    if (rc == MH_OK)
        rc = audit_write(c, p, audit, stored.id, stored.title);
    rc = tx_end(c, rc);
    if (rc == MH_OK)
        *e = stored;
    return rc;
}

int mh_editorial_translations(mh_content_t *c, mh_pool_t *p, const mh_entry_t *src,
                              mh_entry_t **out, size_t *n)
{
    mh_entry_t *all;
    size_t nall, k = 0;
    *n = 0;
    *out = mh_pnalloc(p, 1, sizeof(mh_entry_t));
    if (!src->translation_group)
        return MH_OK;
    if (ed(c)->group_entries(store(c), p, src->translation_group, &all, &nall) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < nall; i++)
        if (all[i].id != src->id)
            all[k++] = all[i];
    *out = all;
    *n = k;
    return MH_OK;
}

/* The column of lang_id for a translation of an entry in src_col. */
static int64_t translation_column(mh_content_t *c, mh_pool_t *p, int64_t src_col, int64_t lang_id)
{
    mh_column_t from, *cols;
    size_t n;
    if (mh_content_columns(c, p, lang_id, &cols, &n) != MH_OK)
        return 0;
    if (mh_content_column_get(c, p, src_col, &from) == MH_OK)
        for (size_t i = 0; i < n; i++)
            if (strcmp(cols[i].path, from.path) == 0)
                return cols[i].id;
    for (size_t i = 0; i < n; i++)
        if (mh_content_type_is(cols[i].module, MH_TYPE_ENTRIES))
            return cols[i].id;
    return 0;
}

int mh_editorial_entry_translate(mh_content_t *c, int64_t src, int64_t lang_id, int64_t column_id,
                                 int64_t user_id, int64_t *id)
{
    mh_pool_t *p = mh_pool_create();
    mh_entry_t e, t;
    mh_column_t col;
    int rc = mh_content_entry_get(c, p, src, &e);
    if (rc != MH_OK)
        goto done;
    rc = MH_DECLINED;
    if (lang_id == e.lang_id)
        goto done;
    if (!column_id)
        column_id = translation_column(c, p, e.column_id, lang_id);
    if (!column_id || mh_content_column_get(c, p, column_id, &col) != MH_OK ||
        col.lang_id != lang_id)
        goto done;
    t = e;
    t.id = 0;
    t.column_id = column_id;
    t.lang_id = lang_id;
    t.status = MH_STATUS_DRAFT;
    t.author_id = user_id;
    t.created_at = t.updated_at = t.publish_at = 0;
    t.hits = 0;
    t.pinned = t.recommended = false;
    t.translation_group = e.translation_group ? e.translation_group : e.id;
    rc = mh_editorial_entry_save(c, p, &t, user_id, NULL);
    if (rc == MH_OK && id)
        *id = t.id;
done:
    mh_pool_destroy(p);
    return rc;
}

/* --- recycle bin --- */

int mh_editorial_entry_trash(mh_content_t *c, int64_t id)
{
    int rc = tx_begin(c);
    return rc == MH_OK ? tx_end(c, ed(c)->entry_set_deleted(store(c), id, now_s())) : rc;
}

int mh_editorial_entry_restore(mh_content_t *c, int64_t id)
{
    int rc = tx_begin(c);
    return rc == MH_OK ? tx_end(c, ed(c)->entry_set_deleted(store(c), id, 0)) : rc;
}

int mh_editorial_entry_purge(mh_content_t *c, int64_t id)
{
    int rc = tx_begin(c);
    return rc == MH_OK ? tx_end(c, ed(c)->entry_purge(store(c), id)) : rc;
}

/* --- revisions --- */

int mh_editorial_revisions(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t limit,
                           mh_revision_t **out, size_t *n)
{
    return ed(c)->revisions(store(c), p, entry_id, limit > 0 ? limit : 50, out, n);
}

int mh_editorial_revision_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_revision_t *out)
{
    return ed(c)->revision_get(store(c), p, id, out);
}

/* A string member of the snapshot, in the pool, or fallback. */
static const char *snap_str(mh_pool_t *p, json_t *o, const char *key, const char *fallback)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? mh_pstrdup(p, json_string_value(v)) : fallback;
}

int mh_editorial_revision_restore(mh_content_t *c, int64_t rev_id, int64_t user_id)
{
    mh_pool_t *p = mh_pool_create();
    mh_revision_t r;
    mh_entry_t e;
    json_t *o = NULL;
    int rc = mh_editorial_revision_get(c, p, rev_id, &r);
    if (rc != MH_OK)
        goto done;
    rc = mh_content_entry_get(c, p, r.entry_id, &e);
    if (rc != MH_OK)
        goto done;
    o = json_loads(r.snapshot ? r.snapshot : "{}", 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    e.title = r.title;
    e.body_html = r.body_html ? r.body_html : "";
    e.slug = snap_str(p, o, "slug", e.slug);
    e.summary = snap_str(p, o, "summary", e.summary);
    e.author = snap_str(p, o, "author", e.author);
    e.source = snap_str(p, o, "source", e.source);
    e.cover = snap_str(p, o, "cover", e.cover);
    e.seo_title = snap_str(p, o, "seo_title", e.seo_title);
    e.seo_keywords = snap_str(p, o, "seo_keywords", e.seo_keywords);
    e.seo_description = snap_str(p, o, "seo_description", e.seo_description);
    /* images, tabs and related entries first, then the tags as the
     * revision recorded them, in the restore's transaction before the save
     * so the new revision records them too */
    if ((rc = tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_images_restore(c, p, e.id, o);
    if (rc != MH_OK) {
        rc = tx_end(c, rc);
        goto done;
    }
    json_t *tg = json_object_get(o, "tags");
    if (json_is_array(tg)) {
        mh_tag_t *ts = mh_pnalloc(p, json_array_size(tg) + 1, sizeof(*ts));
        size_t nts = 0;
        for (size_t i = 0; i < json_array_size(tg); i++)
            if (json_is_string(json_array_get(tg, i)))
                ts[nts++].name = mh_pstrdup(p, json_string_value(json_array_get(tg, i)));
        rc = mh_content_entry_tags_set(c, e.id, e.lang_id, mh_content_tags_join(p, ts, nts));
    }
    json_t *f = json_object_get(o, "fields");
    if (rc != MH_OK) {
        /* nothing more: the transaction is rolled back below */
    } else if (json_is_object(f)) {
        /* the saved values, checked against today's definitions (a value
         * they no longer accept is left out rather than failing the
         * restore) */
        mh_field_def_t *defs = NULL;
        mh_field_value_t *vals = NULL;
        mh_field_error_t *errs = NULL;
        size_t ndefs = 0, nvals = 0, nerrs = 0, nin = 0;
        const char *key;
        json_t *arr;
        if (mh_fields_for_column(c, p, e.column_id, &defs, &ndefs) != MH_OK) {
            rc = tx_end(c, MH_ERR);
            goto done;
        }
        mh_field_input_t *in = mh_pnalloc(p, json_object_size(f) + 1, sizeof(*in));
        json_object_foreach(f, key, arr)
        {
            size_t k = json_array_size(arr);
            const char **v = mh_pnalloc(p, k ? k : 1, sizeof(char *));
            for (size_t i = 0; i < k; i++)
                v[i] = mh_pstrdup(p, json_is_string(json_array_get(arr, i))
                                         ? json_string_value(json_array_get(arr, i))
                                         : "");
            in[nin++] = (mh_field_input_t){mh_pstrdup(p, key), v, k};
        }
        mh_fields_validate(p, defs, ndefs, in, nin, &vals, &nvals, &errs, &nerrs);
        rc = mh_editorial_entry_save_fields(c, p, &e, user_id, vals, nvals, NULL);
    } else {
        rc = mh_editorial_entry_save(c, p, &e, user_id, NULL);
    }
    rc = tx_end(c, rc);
done:
    json_decref(o);
    mh_pool_destroy(p);
    return rc;
}

/* --- diff --- */

typedef struct {
    const char *s;
    size_t len;
    uint32_t hash;
} token_t;

/* Tags, whitespace runs and words: the units a reader notices changing. */
static token_t *tokenize(const char *s, size_t *n)
{
    size_t cap = 64, k = 0, i = 0, len = strlen(s);
    token_t *t = mh_malloc(cap * sizeof(*t));
    while (i < len) {
        size_t j = i;
        unsigned char ch = (unsigned char)s[i];
        if (ch == '<') {
            while (j < len && s[j] != '>')
                j++;
            if (j < len)
                j++;
        } else if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            while (j < len && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r'))
                j++;
        } else if (ch >= 0x80) {
            /* One UTF-8 character: CJK text has no spaces between words. */
            j++;
            while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
        } else {
            while (j < len && s[j] != '<' && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' &&
                   s[j] != '\r' && (unsigned char)s[j] < 0x80)
                j++;
        }
        if (k == cap) {
            cap *= 2;
            t = mh_realloc(t, cap * sizeof(*t));
        }
        uint32_t h = 2166136261u;
        for (size_t x = i; x < j; x++)
            h = (h ^ (unsigned char)s[x]) * 16777619u;
        t[k++] = (token_t){s + i, j - i, h};
        i = j;
    }
    *n = k;
    return t;
}

static bool tok_eq(const token_t *a, const token_t *b)
{
    return a->hash == b->hash && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

enum { D_SAME, D_DEL, D_INS };

static void emit(mh_buf_t *out, int *open, int kind, const token_t *t)
{
    static const char *const open_tag[] = {"", "<del>", "<ins>"};
    static const char *const close_tag[] = {"", "</del>", "</ins>"};
    if (*open != kind) {
        mh_buf_append_c(out, close_tag[*open]);
        mh_buf_append_c(out, open_tag[kind]);
        *open = kind;
    }
    mh_buf_append_html(out, t->s, t->len);
}

char *mh_editorial_diff(mh_pool_t *p, const char *old_text, const char *new_text, size_t max_tokens)
{
    size_t na, nb, pre = 0, suf = 0, m, n;
    token_t *a = tokenize(old_text ? old_text : "", &na);
    token_t *b = tokenize(new_text ? new_text : "", &nb);
    mh_buf_t out;
    int open = D_SAME;
    char *res;
    if (!max_tokens)
        max_tokens = 2000;
    mh_buf_init(&out, (size_t)64 << 20);
    while (pre < na && pre < nb && tok_eq(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && tok_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    m = na - pre - suf;
    n = nb - pre - suf;
    for (size_t i = 0; i < pre; i++)
        emit(&out, &open, D_SAME, &a[i]);
    if (m && n && m <= max_tokens && n <= max_tokens) {
        /* LCS lengths of the suffixes: L[i][j] for a[pre+i..], b[pre+j..]. */
        size_t w = n + 1;
        uint16_t *L = mh_calloc((m + 1) * w, sizeof(uint16_t));
        const token_t *x = a + pre, *y = b + pre;
        for (size_t i = m; i-- > 0;)
            for (size_t j = n; j-- > 0;)
                L[i * w + j] = tok_eq(&x[i], &y[j]) ? (uint16_t)(L[(i + 1) * w + j + 1] + 1)
                               : L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                        : L[i * w + j + 1];
        size_t i = 0, j = 0;
        while (i < m || j < n) {
            if (i < m && j < n && tok_eq(&x[i], &y[j])) {
                emit(&out, &open, D_SAME, &x[i]);
                i++, j++;
            } else if (i < m && (j == n || L[(i + 1) * w + j] >= L[i * w + j + 1])) {
                emit(&out, &open, D_DEL, &x[i++]); /* removals before insertions */
            } else {
                emit(&out, &open, D_INS, &y[j++]);
            }
        }
        free(L);
    } else {
        for (size_t i = 0; i < m; i++)
            emit(&out, &open, D_DEL, &a[pre + i]);
        for (size_t j = 0; j < n; j++)
            emit(&out, &open, D_INS, &b[pre + j]);
    }
    for (size_t i = na - suf; i < na; i++)
        emit(&out, &open, D_SAME, &a[i]);
    emit(&out, &open, D_SAME, &(token_t){"", 0, 0});
    res = mh_pstrndup(p, out.base ? out.base : "", out.len);
    if (mh_buf_failed(&out))
        res = mh_pstrdup(p, "");
    mh_buf_free(&out);
    free(a);
    free(b);
    return res;
}

/* --- review workflow --- */

static int review_step(mh_content_t *c, int64_t entry_id, int64_t user_id, mh_status_t st,
                       int64_t publish_at, mh_review_action_t action, const char *comment)
{
    mh_pool_t *p = mh_pool_create();
    mh_entry_t e;
    int64_t now = now_s();
    int rc = mh_content_entry_get(c, p, entry_id, &e);
    if (rc != MH_OK)
        goto done;
    if ((rc = tx_begin(c)) != MH_OK)
        goto done;
    rc = ed(c)->entry_set_status(store(c), entry_id, st, publish_at ? publish_at : e.publish_at,
                                 now);
    if (rc == MH_OK) {
        mh_review_t r = {.entry_id = entry_id,
                         .user_id = user_id,
                         .action = action,
                         .comment = comment ? comment : "",
                         .at = now};
        rc = ed(c)->review_insert(store(c), &r, NULL);
    }
    rc = tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_editorial_submit(mh_content_t *c, int64_t entry_id, int64_t user_id, const char *comment)
{
    return review_step(c, entry_id, user_id, MH_STATUS_PENDING, 0, MH_REVIEW_SUBMIT, comment);
}

int mh_editorial_approve(mh_content_t *c, int64_t entry_id, int64_t user_id, int64_t publish_at)
{
    int64_t now = now_s();
    if (publish_at <= 0)
        publish_at = now;
    return review_step(c, entry_id, user_id,
                       publish_at > now ? MH_STATUS_SCHEDULED : MH_STATUS_PUBLISHED, publish_at,
                       MH_REVIEW_APPROVE, NULL);
}

int mh_editorial_return(mh_content_t *c, int64_t entry_id, int64_t user_id, const char *comment)
{
    return review_step(c, entry_id, user_id, MH_STATUS_DRAFT, 0, MH_REVIEW_REJECT, comment);
}

int mh_editorial_reviews(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_review_t **out,
                         size_t *n)
{
    return ed(c)->reviews(store(c), p, entry_id, out, n);
}

/* --- columns --- */

int mh_editorial_column_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_column_t *out)
{
    mh_column_t *raw;
    size_t n;
    int rc = mh_content_column_get(c, p, id, out);
    if (rc != MH_OK)
        return rc;
    if (store(c)->ops->columns(store(c), p, &raw, &n) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++)
        if (raw[i].id == id)
            out->visible = raw[i].visible;
    return MH_OK;
}

/* The column's subtree (itself first) in its language's pre-order. */
static int subtree(mh_content_t *c, mh_pool_t *p, int64_t id, mh_column_t **all, size_t *first,
                   size_t *count)
{
    mh_column_t col;
    size_t n, i, end;
    if (mh_content_column_get(c, p, id, &col) != MH_OK)
        return MH_DECLINED;
    if (mh_content_columns(c, p, col.lang_id, all, &n) != MH_OK)
        return MH_ERR;
    for (i = 0; i < n && (*all)[i].id != id; i++)
        ;
    if (i == n)
        return MH_DECLINED;
    for (end = i + 1; end < n && (*all)[end].depth > (*all)[i].depth; end++)
        ;
    *first = i;
    *count = end - i;
    return MH_OK;
}

static int64_t *ids_of(mh_pool_t *p, const mh_column_t *cols, size_t n)
{
    int64_t *ids = mh_pnalloc(p, n ? n : 1, sizeof(int64_t));
    for (size_t i = 0; i < n; i++)
        ids[i] = cols[i].id;
    return ids;
}

int mh_editorial_column_count(mh_content_t *c, int64_t column_id, int64_t *count)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t *all;
    size_t first, n;
    int rc = subtree(c, p, column_id, &all, &first, &n);
    if (rc == MH_OK)
        rc = ed(c)->column_entry_count(store(c), ids_of(p, all + first, n), n, count);
    mh_pool_destroy(p);
    return rc;
}

int mh_editorial_column_move(mh_content_t *c, int64_t id, int64_t parent_id)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t col, *all;
    size_t n;
    int pos = 0;
    int rc = mh_editorial_column_get(c, p, id, &col);
    if (rc != MH_OK)
        goto done;
    rc = MH_ERR;
    if (parent_id == id || mh_content_columns(c, p, col.lang_id, &all, &n) != MH_OK)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (all[i].parent_id == parent_id && all[i].id != id && all[i].position >= pos)
            pos = all[i].position + 1;
    if (col.parent_id == parent_id) {
        rc = MH_OK;
        goto done;
    }
    col.parent_id = parent_id;
    col.position = pos;
    /* The content layer refuses a parent in another language or inside
     * the column's own subtree. */
    rc = mh_content_column_update(c, &col);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_editorial_column_reorder(mh_content_t *c, int64_t id, int dir)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t col, *all;
    const mh_column_t **sib;
    size_t n, ns = 0, me = 0, other;
    int rc = mh_content_column_get(c, p, id, &col);
    if (rc != MH_OK)
        goto done;
    rc = MH_ERR;
    if (mh_content_columns(c, p, col.lang_id, &all, &n) != MH_OK)
        goto done;
    sib = mh_pnalloc(p, n ? n : 1, sizeof(*sib));
    for (size_t i = 0; i < n; i++)
        if (all[i].parent_id == col.parent_id) {
            if (all[i].id == id)
                me = ns;
            sib[ns++] = &all[i];
        }
    rc = MH_DECLINED;
    if (dir < 0 ? me == 0 : me + 1 >= ns)
        goto done;
    other = dir < 0 ? me - 1 : me + 1;
    const mh_column_t *t = sib[me];
    sib[me] = sib[other];
    sib[other] = t;
    if ((rc = tx_begin(c)) != MH_OK)
        goto done;
    rc = MH_OK;
    for (size_t i = 0; i < ns && rc == MH_OK; i++)
        if (sib[i]->position != (int)i)
            rc = ed(c)->column_set_position(store(c), sib[i]->id, (int)i);
    rc = tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

/* base, base-2, base-3... free in column_id. */
static const char *free_slug(mh_content_t *c, mh_pool_t *p, int64_t column_id, int64_t entry_id,
                             const char *base)
{
    bool taken = true;
    const char *cand = base;
    for (int i = 2; i < 100000; i++) {
        if (store(c)->ops->entry_slug_taken(store(c), column_id, cand, entry_id, &taken) != MH_OK)
            return NULL;
        if (!taken)
            return cand;
        cand = mh_psprintf(p, "%.70s-%d", base, i);
    }
    return NULL;
}

int mh_editorial_column_delete(mh_content_t *c, int64_t id, int64_t move_to)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t *all, target;
    mh_entry_t *es;
    size_t first, n, nes;
    int64_t *ids, count = 0;
    int rc = subtree(c, p, id, &all, &first, &n);
    if (rc != MH_OK)
        goto done;
    ids = ids_of(p, all + first, n);
    rc = ed(c)->column_entry_count(store(c), ids, n, &count);
    if (rc != MH_OK)
        goto done;
    if (count > 0) {
        rc = MH_DECLINED;
        if (!move_to)
            goto done;
        rc = MH_ERR;
        if (mh_content_column_get(c, p, move_to, &target) != MH_OK ||
            target.lang_id != all[first].lang_id)
            goto done;
        for (size_t i = 0; i < n; i++)
            if (ids[i] == move_to)
                goto done;
    }
    if ((rc = tx_begin(c)) != MH_OK)
        goto done;
    rc = count > 0 ? ed(c)->column_entries(store(c), p, ids, n, &es, &nes) : MH_OK;
    for (size_t i = 0; count > 0 && rc == MH_OK && i < nes; i++) {
        const char *slug = free_slug(c, p, move_to, es[i].id, es[i].slug);
        rc = slug ? ed(c)->entry_move(store(c), es[i].id, move_to, slug) : MH_ERR;
    }
    if (rc == MH_OK)
        rc = ed(c)->column_delete(store(c), id);
    rc = tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

/* --- scheduled publishing --- */

int mh_editorial_tick(mh_content_t *c, int64_t since, int64_t now, int64_t *published)
{
    int64_t due = 0, changed = 0;
    bool went_public = false;
    if (published)
        *published = 0;
    if (mh_content_search_flush(c) != MH_OK)
        return MH_ERR;
    if (ed(c)->schedule_check(store(c), since, now, &due, &went_public) != MH_OK)
        return MH_ERR;
    if (due > 0) {
        int rc = tx_begin(c);
        if (rc == MH_OK)
            rc = tx_end(c, ed(c)->publish_due(store(c), now, &changed));
        if (rc != MH_OK)
            return rc;
    }
    /* Entries published earlier with a time that has now come: no row
     * changed, so the store's counter cannot know, nor the search index's
     * triggers: index them now. */
    if (went_public) {
        int rc = mh_content_search_due(c, since, now);
        if (rc != MH_OK)
            return rc;
        mh_content_changed(c);
    }
    if (published)
        *published = changed;
    return MH_OK;
}
