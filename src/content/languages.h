/* Languages as the admin manages them (admin/languages.c): edit, hide from
 * the public, delete with their content, add one by copying another; and
 * the predicate the public site uses for hidden languages.
 *
 * Return codes: MH_OK; MH_DECLINED (no such language, or the default
 * language asked to be deleted); MH_INVALID (a code, name or prefix that
 * is missing, malformed or taken); MH_ERR (database failure, logged). */
#ifndef MH_CONTENT_LANGUAGES_H
#define MH_CONTENT_LANGUAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/pool.h"
#include "content.h"

/* Marks the name of a column copied into a new language until someone
 * translates it (the admin shows it; the public never sees it while the
 * new language is hidden, which a copy is by default). */
#define MH_UNTRANSLATED_MARK "[untranslated] "

/* Whether l is shown on the public site (switchers, hreflang alternates,
 * sitemaps, its own pages). */
bool mh_content_language_public(const mh_language_t *l);

/* The language with this id, or MH_DECLINED. */
int mh_content_language_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_language_t *out);

/* Check a language about to be created (in->id 0) or updated: code is a
 * BCP 47-like tag of letters, digits and '-', name is set, prefix is empty
 * or lower-case letters, digits and '-', domain empty or a host name, and
 * code and prefix are not another language's. MH_OK or MH_INVALID. */
int mh_content_language_check(mh_content_t *c, mh_pool_t *p, const mh_language_t *in);

/* Update name, prefix, domain, position and hidden of in->id (the code
 * stays: strings files and settings are keyed by it). */
int mh_content_language_update(mh_content_t *c, const mh_language_t *in);

/* Columns and entries (recycle bin included) that deleting id removes. */
int mh_content_language_counts(mh_content_t *c, int64_t id, int64_t *columns, int64_t *entries);

/* Delete a language with its columns, entries and settings. The default
 * language cannot be deleted (MH_DECLINED). */
int mh_content_language_delete(mh_content_t *c, int64_t id);

/* Create the language in (checked as above; created hidden) as a copy of
 * from_id: its column tree (names marked MH_UNTRANSLATED_MARK, slugs,
 * modules and order kept; columns linked as translations when the schema
 * has column translation groups), and its own settings. No entries are
 * copied. *id receives the new language's id. in_tx (may be NULL) runs
 * inside the transaction that creates the language row (an audit line);
 * the columns follow in their own writes, and a failure removes the new
 * language again. */
int mh_content_language_copy(mh_content_t *c, int64_t from_id, mh_language_t *in, int64_t *id,
                             int (*in_tx)(void *data, int64_t id), void *data);

#endif
