/* Tags through the content layer: the clock for public reads, parsing the
 * editor's comma-separated input, slugs (mh_slugify, so Chinese names get
 * pinyin slugs) made unique per language, and the writes wrapped in a
 * transaction so a caller's own transaction is joined. */
#include "tags.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../store/store.h"
#include "../store/tags.h"

static const struct mh_store_tag_ops *tops(mh_content_t *c)
{
    return mh_content_store(c)->ops->tags;
}

int mh_content_tags(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_tag_t **out, size_t *n)
{
    return tops(c)->list(mh_content_store(c), p, lang_id, out, n);
}

int mh_content_tag_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_tag_t *out)
{
    return tops(c)->get(mh_content_store(c), p, id, out);
}

int mh_content_tag_by_slug(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *slug,
                           mh_tag_t *out)
{
    return tops(c)->by_slug(mh_content_store(c), p, lang_id, slug, out);
}

int mh_content_entry_tags(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_tag_t **out,
                          size_t *n)
{
    return tops(c)->of_entry(mh_content_store(c), p, entry_id, out, n);
}

int mh_content_tag_entries(mh_content_t *c, mh_pool_t *p, int64_t tag_id, int64_t offset,
                           int64_t limit, mh_entry_t **out, size_t *n, int64_t *total)
{
    return tops(c)->entries(mh_content_store(c), p, tag_id, (int64_t)time(NULL), offset, limit, out,
                            n, total);
}

int mh_content_public_tags(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_tag_t **out,
                           size_t *n)
{
    return tops(c)->public_tags(mh_content_store(c), p, lang_id, (int64_t)time(NULL), out, n);
}

/* Length of the separator at s, or 0. */
static size_t sep_len(const char *s)
{
    static const char *const seps[] = {
        ",",           ";", "\n", "\r", "\xEF\xBC\x8C" /* ， */, "\xE3\x80\x81" /* 、 */,
        "\xEF\xBC\x9B" /* ； */};
    for (size_t i = 0; i < MH_ARRAY_LEN(seps); i++) {
        size_t l = strlen(seps[i]);
        if (strncmp(s, seps[i], l) == 0)
            return l;
    }
    return 0;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f';
}

int mh_content_tags_parse(mh_pool_t *p, const char *text, const char **names, size_t max, size_t *n)
{
    *n = 0;
    const char *s = text ? text : "";
    while (*s) {
        const char *b = s;
        size_t l = 0;
        while (*s && !(l = sep_len(s)))
            s++;
        const char *e = s;
        s += l;
        while (b < e && is_space(*b))
            b++;
        while (e > b && is_space(e[-1]))
            e--;
        /* an ideographic space (U+3000) at either end goes too */
        while (e - b >= 3 && memcmp(b, "\xE3\x80\x80", 3) == 0)
            b += 3;
        while (e - b >= 3 && memcmp(e - 3, "\xE3\x80\x80", 3) == 0)
            e -= 3;
        if (b == e)
            continue;
        if ((size_t)(e - b) > MH_TAG_NAME_MAX)
            return MH_INVALID;
        for (const char *q = b; q < e; q++)
            if ((unsigned char)*q < 0x20)
                return MH_INVALID;
        char *name = mh_pstrndup(p, b, (size_t)(e - b));
        bool dup = false;
        for (size_t i = 0; i < *n && !dup; i++)
            dup = strcmp(names[i], name) == 0;
        if (dup)
            continue;
        if (*n == max)
            return MH_INVALID;
        names[(*n)++] = name;
    }
    return MH_OK;
}

char *mh_content_tags_join(mh_pool_t *p, const mh_tag_t *tags, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(tags[i].name) + 2;
    char *out = mh_palloc(p, len), *o = out;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(tags[i].name);
        if (i) {
            memcpy(o, ", ", 2);
            o += 2;
        }
        memcpy(o, tags[i].name, l);
        o += l;
    }
    *o = '\0';
    return out;
}

/* A slug for name free in the language (exclude_id may keep it). */
static int free_slug(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *name,
                     int64_t exclude_id, const char **out)
{
    const char *base = mh_slugify(p, name);
    if (!*base)
        base = "tag";
    for (int i = 1; i < 1000; i++) {
        const char *slug = i == 1 ? base : mh_psprintf(p, "%s-%d", base, i);
        mh_tag_t t;
        int rc = tops(c)->by_slug(mh_content_store(c), p, lang_id, slug, &t);
        if (rc == MH_DECLINED || (rc == MH_OK && t.id == exclude_id)) {
            *out = slug;
            return MH_OK;
        }
        if (rc != MH_OK)
            return rc;
    }
    return MH_ERR;
}

static int set_in_tx(mh_content_t *c, mh_pool_t *p, int64_t entry_id, int64_t lang_id,
                     const char *text)
{
    const char *names[MH_TAGS_PER_ENTRY];
    int64_t ids[MH_TAGS_PER_ENTRY];
    size_t n = 0;
    int rc = mh_content_tags_parse(p, text, names, MH_TAGS_PER_ENTRY, &n);
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        mh_tag_t t;
        rc = tops(c)->by_name(mh_content_store(c), p, lang_id, names[i], &t);
        if (rc == MH_OK) {
            ids[i] = t.id;
            continue;
        }
        if (rc != MH_DECLINED)
            break;
        const char *slug = NULL;
        rc = free_slug(c, p, lang_id, names[i], 0, &slug);
        if (rc == MH_OK)
            rc = tops(c)->insert(mh_content_store(c), lang_id, names[i], slug, &ids[i]);
    }
    if (rc == MH_OK)
        rc = tops(c)->set_entry(mh_content_store(c), entry_id, ids, n);
    return rc;
}

int mh_content_entry_tags_set(mh_content_t *c, int64_t entry_id, int64_t lang_id, const char *text)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_tx_end(c, set_in_tx(c, p, entry_id, lang_id, text));
    mh_pool_destroy(p);
    return rc;
}

static int rename_in_tx(mh_content_t *c, mh_pool_t *p, int64_t id, const char *name)
{
    const char *names[1];
    size_t n = 0;
    mh_tag_t t, other;
    if (mh_content_tags_parse(p, name, names, 1, &n) != MH_OK || n != 1)
        return MH_INVALID;
    int rc = tops(c)->get(mh_content_store(c), p, id, &t);
    if (rc != MH_OK)
        return rc == MH_DECLINED ? MH_INVALID : rc;
    rc = tops(c)->by_name(mh_content_store(c), p, t.lang_id, names[0], &other);
    if (rc == MH_OK && other.id != id)
        return MH_DECLINED;
    if (rc != MH_OK && rc != MH_DECLINED)
        return rc;
    const char *slug = NULL;
    rc = free_slug(c, p, t.lang_id, names[0], id, &slug);
    if (rc == MH_OK)
        rc = tops(c)->update(mh_content_store(c), id, names[0], slug);
    return rc;
}

int mh_content_tag_rename(mh_content_t *c, int64_t id, const char *name)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_tx_end(c, rename_in_tx(c, p, id, name));
    mh_pool_destroy(p);
    return rc;
}

static int merge_in_tx(mh_content_t *c, mh_pool_t *p, int64_t from_id, int64_t into_id)
{
    mh_tag_t a, b;
    if (from_id == into_id || tops(c)->get(mh_content_store(c), p, from_id, &a) != MH_OK ||
        tops(c)->get(mh_content_store(c), p, into_id, &b) != MH_OK || a.lang_id != b.lang_id)
        return MH_INVALID;
    return tops(c)->merge(mh_content_store(c), from_id, into_id);
}

int mh_content_tag_merge(mh_content_t *c, int64_t from_id, int64_t into_id)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_tx_end(c, merge_in_tx(c, p, from_id, into_id));
    mh_pool_destroy(p);
    return rc;
}

int mh_content_tag_delete(mh_content_t *c, int64_t id)
{
    int rc = mh_content_tx_begin(c);
    if (rc == MH_OK)
        rc = mh_content_tx_end(c, tops(c)->remove(mh_content_store(c), id));
    return rc;
}
