/* Languages for the admin. Validation lives here, not in the form code, so
 * the CLI or any later caller gets the same rules. A copy runs in one
 * transaction so a half-copied language never shows up. */
#include "languages.h"

#include <string.h>

#include "../core/log.h"
#include "../store/languages.h"

static const struct mh_store_language_ops *ops(mh_content_t *c)
{
    return mh_content_store(c)->ops->languages_ext;
}

bool mh_content_language_public(const mh_language_t *l)
{
    return l && !l->hidden;
}

int mh_content_language_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_language_t *out)
{
    mh_language_t *ls = NULL;
    size_t n = 0;
    if (mh_content_languages(c, p, &ls, &n) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++)
        if (ls[i].id == id) {
            *out = ls[i];
            return MH_OK;
        }
    return MH_DECLINED;
}

static bool chars_ok(const char *s, bool upper, bool dot)
{
    for (const char *q = s; *q; q++) {
        char ch = *q;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              (upper && ch >= 'A' && ch <= 'Z') || (dot && (ch == '.' || ch == ':'))))
            return false;
    }
    return true;
}

int mh_content_language_check(mh_content_t *c, mh_pool_t *p, const mh_language_t *in)
{
    const char *code = in->code ? in->code : "";
    const char *prefix = in->prefix ? in->prefix : "";
    const char *domain = in->domain ? in->domain : "";
    if (!*code || strlen(code) > 35 || !chars_ok(code, true, false) || !in->name || !*in->name ||
        strlen(in->name) > 200 || strlen(prefix) > 40 || !chars_ok(prefix, false, false) ||
        strlen(domain) > 253 || !chars_ok(domain, true, true))
        return MH_INVALID;
    mh_language_t *ls = NULL;
    size_t n = 0;
    if (mh_content_languages(c, p, &ls, &n) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        if (ls[i].id == in->id)
            continue;
        if ((!in->id && strcasecmp(ls[i].code, code) == 0) || strcmp(ls[i].prefix, prefix) == 0 ||
            (*domain && strcasecmp(ls[i].domain, domain) == 0))
            return MH_INVALID;
    }
    return MH_OK;
}

int mh_content_language_update(mh_content_t *c, const mh_language_t *in)
{
    mh_pool_t *p = mh_pool_create();
    int rc = mh_content_language_check(c, p, in);
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK)
        rc = mh_content_tx_end(c, ops(c)->update(mh_content_store(c), in));
    mh_pool_destroy(p);
    return rc;
}

int mh_content_language_counts(mh_content_t *c, int64_t id, int64_t *columns, int64_t *entries)
{
    *columns = *entries = 0;
    return ops(c)->counts(mh_content_store(c), id, columns, entries);
}

int mh_content_language_delete(mh_content_t *c, int64_t id)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t l;
    int rc = mh_content_language_get(c, p, id, &l);
    if (rc == MH_OK && l.is_default)
        rc = MH_DECLINED;
    if (rc == MH_OK && (rc = mh_content_tx_begin(c)) == MH_OK)
        rc = mh_content_tx_end(c, ops(c)->remove(mh_content_store(c), id));
    mh_pool_destroy(p);
    return rc;
}

/* Copy the columns of from (pre-order: parents come first, so a parent's
 * new id is known before its children) into lang_id. */
static int copy_columns(mh_content_t *c, mh_pool_t *p, int64_t from, int64_t lang_id)
{
    mh_column_t *cols = NULL;
    size_t n = 0;
    if (mh_content_columns(c, p, from, &cols, &n) != MH_OK)
        return MH_ERR;
    int64_t *new_ids = mh_pcalloc(p, (n + 1) * sizeof(*new_ids));
    for (size_t i = 0; i < n; i++) {
        mh_column_t col = cols[i];
        col.id = 0;
        col.lang_id = lang_id;
        col.parent_id = 0;
        for (size_t j = 0; j < i && cols[i].parent_id; j++)
            if (cols[j].id == cols[i].parent_id)
                col.parent_id = new_ids[j];
        if (strncmp(col.name, MH_UNTRANSLATED_MARK, strlen(MH_UNTRANSLATED_MARK)) != 0)
            col.name = mh_psprintf(p, "%s%s", MH_UNTRANSLATED_MARK, col.name);
        int64_t id = 0;
        if (mh_content_column_create(c, &col, &id) != MH_OK)
            return MH_ERR;
        new_ids[i] = id;
        /* linked as translations, when the schema can say so */
        int rc = MH_OK;
        if ((rc = mh_content_tx_begin(c)) == MH_OK)
            rc = mh_content_tx_end(c, ops(c)->column_link(mh_content_store(c), id, cols[i].id));
        if (rc == MH_ERR)
            return MH_ERR;
    }
    return MH_OK;
}

/* The source language's own settings (those that differ from the
 * site-wide value) become the new language's. */
static int copy_settings(mh_content_t *c, mh_pool_t *p, int64_t from, int64_t lang_id)
{
    mh_setting_t *ss = NULL;
    size_t n = 0;
    if (mh_content_settings(c, p, from, &ss, &n) != MH_OK)
        return MH_ERR;
    for (size_t i = 0; i < n; i++) {
        const char *site = mh_content_setting(c, p, 0, ss[i].key);
        if (!ss[i].value || (site && strcmp(site, ss[i].value) == 0))
            continue;
        if (mh_content_setting_set(c, lang_id, ss[i].key, ss[i].value) != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

int mh_content_language_copy(mh_content_t *c, int64_t from_id, mh_language_t *in, int64_t *id,
                             int (*in_tx)(void *data, int64_t id), void *data)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t from;
    int rc = mh_content_language_get(c, p, from_id, &from);
    if (rc != MH_OK)
        goto done;
    in->id = 0;
    in->hidden = true;
    in->is_default = false;
    if ((rc = mh_content_language_check(c, p, in)) != MH_OK)
        goto done;
    /* The language first, committed (and hidden), because the content
     * layer checks a column's language and parent against the committed
     * snapshot; the copy follows column by column. */
    if ((rc = mh_content_tx_begin(c)) != MH_OK)
        goto done;
    rc = mh_content_language_create(c, in, id);
    if (rc == MH_OK)
        rc = ops(c)->update(mh_content_store(c), in);
    if (rc == MH_OK && in_tx)
        rc = in_tx(data, *id);
    if ((rc = mh_content_tx_end(c, rc)) != MH_OK)
        goto done;
    rc = copy_settings(c, p, from_id, *id);
    if (rc == MH_OK)
        rc = copy_columns(c, p, from_id, *id);
    if (rc != MH_OK) {
        /* no half-copied language is left behind */
        mh_warn("content: copying language %lld failed; removing the copy", (long long)from_id);
        if (mh_content_tx_begin(c) == MH_OK)
            mh_content_tx_end(c, ops(c)->remove(mh_content_store(c), *id));
    }
done:
    mh_pool_destroy(p);
    return rc;
}
