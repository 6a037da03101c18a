/* Banners and friendly links: validation before every write (the store's
 * CHECKs are the last line only), positions kept dense by renumbering a
 * place on every move (as ordering.c does for entries), and download
 * counts added in one transaction per flush. */
#include "portal.h"

#include <string.h>
#include <time.h>

#include "../store/portal.h"
#include "languages.h"
#include "memo.h"
#include "validate.h"

static const struct mh_store_portal_ops *po(mh_content_t *c)
{
    return mh_content_store(c)->ops->portal;
}

/* --- downloads --- */

int mh_portal_downloads_add(mh_content_t *c, const int64_t *ids, const int64_t *counts, size_t n)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    for (size_t i = 0; i < n && rc == MH_OK; i++)
        if (ids[i] > 0 && counts[i] > 0)
            rc = po(c)->downloads_add(mh_content_store(c), ids[i], counts[i]);
    return mh_content_tx_end(c, rc);
}

int mh_portal_downloads_get(mh_content_t *c, int64_t entry_id, int64_t *n)
{
    return po(c)->downloads_get(mh_content_store(c), entry_id, n);
}

/* --- shared checks --- */

static bool text_ok(const char *s)
{
    return strlen(s ? s : "") <= MH_PORTAL_TEXT_MAX;
}

static bool lang_ok(mh_content_t *c, mh_pool_t *p, int64_t lang_id)
{
    mh_language_t l;
    return lang_id > 0 && mh_content_language_get(c, p, lang_id, &l) == MH_OK;
}

/* --- banners --- */

int mh_portal_banner_check(mh_content_t *c, mh_pool_t *p, const mh_banner_t *b, const char **msg)
{
    *msg = NULL;
    if (!lang_ok(c, p, b->lang_id))
        *msg = "portal.error.lang";
    else if (b->column_id < 0)
        *msg = "portal.error.column";
    else if (!b->image || !*b->image || !mh_content_url_ok(b->image))
        *msg = "portal.error.image";
    else if (!mh_content_url_ok(b->image_mobile ? b->image_mobile : ""))
        *msg = "portal.error.image_mobile";
    else if (!mh_content_url_ok(b->link ? b->link : ""))
        *msg = "portal.error.link";
    else if (!text_ok(b->title) || !text_ok(b->alt))
        *msg = "portal.error.too_long";
    else if (b->show_from < 0 || b->show_until < 0 ||
             (b->show_until && b->show_until <= b->show_from))
        *msg = "portal.error.schedule";
    if (!*msg && b->column_id > 0) {
        mh_column_t col;
        if (mh_content_column_get(c, p, b->column_id, &col) != MH_OK || col.lang_id != b->lang_id)
            *msg = "portal.error.column";
    }
    return *msg ? MH_INVALID : MH_OK;
}

int mh_portal_banner_create(mh_content_t *c, mh_banner_t *in, int64_t *id, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    mh_banner_t *all = NULL;
    size_t n = 0;
    int rc = mh_portal_banner_check(c, p, in, msg);
    if (rc != MH_OK)
        goto done;
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    if (in->position < 0) {
        rc = po(c)->banner_list(mh_content_store(c), p, in->lang_id, in->column_id, &all, &n);
        in->position = n ? all[n - 1].position + 1 : 0;
    }
    in->created_at = in->updated_at = (int64_t)time(NULL);
    if (rc == MH_OK)
        rc = po(c)->banner_insert(mh_content_store(c), in, id);
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_portal_banner_update(mh_content_t *c, const mh_banner_t *in, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_portal_banner_check(c, p, in, msg);
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK) {
        mh_banner_t b = *in;
        b.updated_at = (int64_t)time(NULL);
        rc = mh_content_tx_end(c, po(c)->banner_update(mh_content_store(c), &b));
    }
    mh_pool_destroy(p);
    return rc;
}

int mh_portal_banner_delete(mh_content_t *c, int64_t id)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return mh_content_tx_end(c, po(c)->banner_delete(mh_content_store(c), id));
}

int mh_portal_banner_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_banner_t *out)
{
    return po(c)->banner_get(mh_content_store(c), p, id, out);
}

int mh_portal_banners(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                      mh_banner_t **out, size_t *n)
{
    return po(c)->banner_list(mh_content_store(c), p, lang_id, column_id, out, n);
}

int mh_portal_banners_active(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id,
                             int64_t now, mh_banner_t **out, size_t *n)
{
    return po(c)->banner_active(mh_content_store(c), p, lang_id, column_id, now, out, n);
}

int mh_portal_banners_due(mh_content_t *c, int64_t from, int64_t to, int64_t *n)
{
    return po(c)->banner_due(mh_content_store(c), from, to, n);
}

int mh_portal_banner_move(mh_content_t *c, int64_t id, int dir)
{
    mh_pool_t *p = mh_pool_create();
    mh_banner_t b, *all = NULL;
    size_t n = 0, me = 0;
    bool found = false;
    int rc = mh_portal_banner_get(c, p, id, &b);
    if (rc != MH_OK || (rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = po(c)->banner_list(mh_content_store(c), p, b.lang_id, b.column_id, &all, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        if (all[i].id == id) {
            me = i;
            found = true;
        }
    if (rc == MH_OK && (!found || (dir < 0 ? me == 0 : me + 1 >= n)))
        rc = MH_DECLINED;
    if (rc == MH_OK) {
        size_t other = dir < 0 ? me - 1 : me + 1;
        mh_banner_t t = all[me];
        all[me] = all[other];
        all[other] = t;
        for (size_t i = 0; i < n && rc == MH_OK; i++)
            if (all[i].position != (int)i) {
                all[i].position = (int)i;
                rc = po(c)->banner_update(mh_content_store(c), &all[i]);
            }
    }
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

/* --- friendly links --- */

int mh_portal_link_check(mh_content_t *c, mh_pool_t *p, const mh_friend_link_t *l, const char **msg)
{
    *msg = NULL;
    if (!lang_ok(c, p, l->lang_id))
        *msg = "portal.error.lang";
    else if (!l->title || !*l->title)
        *msg = "portal.error.title";
    else if (!text_ok(l->title))
        *msg = "portal.error.too_long";
    else if (!l->url || !*l->url || !mh_content_url_ok(l->url))
        *msg = "portal.error.url";
    else if (!mh_content_url_ok(l->logo ? l->logo : ""))
        *msg = "portal.error.logo";
    return *msg ? MH_INVALID : MH_OK;
}

int mh_portal_link_create(mh_content_t *c, mh_friend_link_t *in, int64_t *id, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    mh_friend_link_t *all = NULL;
    size_t n = 0;
    int rc = mh_portal_link_check(c, p, in, msg);
    if (rc != MH_OK)
        goto done;
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    if (in->position < 0) {
        rc = po(c)->link_list(mh_content_store(c), p, in->lang_id, &all, &n);
        in->position = n ? all[n - 1].position + 1 : 0;
    }
    in->created_at = (int64_t)time(NULL);
    if (rc == MH_OK)
        rc = po(c)->link_insert(mh_content_store(c), in, id);
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_portal_link_update(mh_content_t *c, const mh_friend_link_t *in, const char **msg)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_portal_link_check(c, p, in, msg);
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK)
        rc = mh_content_tx_end(c, po(c)->link_update(mh_content_store(c), in));
    mh_pool_destroy(p);
    return rc;
}

int mh_portal_link_delete(mh_content_t *c, int64_t id)
{
    int rc = mh_content_tx_begin(c);
    if (rc != MH_OK)
        return rc;
    return mh_content_tx_end(c, po(c)->link_delete(mh_content_store(c), id));
}

int mh_portal_link_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_friend_link_t *out)
{
    return po(c)->link_get(mh_content_store(c), p, id, out);
}

int mh_portal_links(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                    size_t *n)
{
    return po(c)->link_list(mh_content_store(c), p, lang_id, out, n);
}

struct link_list {
    mh_friend_link_t *items;
    size_t n;
};

static const char *dup(mh_pool_t *p, const char *s)
{
    return s ? mh_pstrdup(p, s) : NULL;
}

static void *copy_links(mh_pool_t *p, const void *src)
{
    const struct link_list *l = src;
    struct link_list *d = mh_pcalloc(p, sizeof(*d));
    d->n = l->n;
    d->items = mh_pnalloc(p, l->n ? l->n : 1, sizeof(*d->items));
    for (size_t i = 0; i < l->n; i++) {
        d->items[i] = l->items[i];
        d->items[i].title = dup(p, l->items[i].title);
        d->items[i].url = dup(p, l->items[i].url);
        d->items[i].logo = dup(p, l->items[i].logo);
    }
    return d;
}

int mh_portal_links_public(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_friend_link_t **out,
                           size_t *n)
{
    mh_memo_t *memo = mh_content_memo(c, p);
    mh_memo_key_t k;
    if (memo) {
        mh_memo_key_init(&k, p, 'F');
        mh_memo_key_i64(&k, lang_id);
        const struct link_list *m = mh_memo_get(memo, &k);
        if (m) {
            *out = m->items;
            *n = m->n;
            return MH_OK;
        }
    }
    struct link_list l = {0};
    int rc = mh_portal_links(c, p, lang_id, &l.items, &l.n);
    if (rc != MH_OK)
        return rc;
    *out = l.items;
    *n = l.n;
    if (memo)
        mh_memo_put(memo, &k, copy_links, &l);
    return MH_OK;
}

int mh_portal_link_move(mh_content_t *c, int64_t id, int dir)
{
    mh_pool_t *p = mh_pool_create();
    mh_friend_link_t l, *all = NULL;
    size_t n = 0, me = 0;
    bool found = false;
    int rc = mh_portal_link_get(c, p, id, &l);
    if (rc != MH_OK || (rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = po(c)->link_list(mh_content_store(c), p, l.lang_id, &all, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        if (all[i].id == id) {
            me = i;
            found = true;
        }
    if (rc == MH_OK && (!found || (dir < 0 ? me == 0 : me + 1 >= n)))
        rc = MH_DECLINED;
    if (rc == MH_OK) {
        size_t other = dir < 0 ? me - 1 : me + 1;
        mh_friend_link_t t = all[me];
        all[me] = all[other];
        all[other] = t;
        for (size_t i = 0; i < n && rc == MH_OK; i++)
            if (all[i].position != (int)i) {
                all[i].position = (int)i;
                rc = po(c)->link_update(mh_content_store(c), &all[i]);
            }
    }
    rc = mh_content_tx_end(c, rc);
done:
    mh_pool_destroy(p);
    return rc;
}
