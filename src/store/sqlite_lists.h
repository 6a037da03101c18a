/* Entry lists on indexes, totals from maintained counts (SQLite backend,
 * sqlite_lists.c). Shared by the public lists (sqlite.c) and the
 * editorial lists (sqlite_editorial.c). */
#ifndef MH_STORE_SQLITE_LISTS_H
#define MH_STORE_SQLITE_LISTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The ids statements of entries_list, [kind][sort][backwards]: kind 0 a
 * language, 1 one column (?2 its id), 2 several (?2 ",3,4,"). Exposed for
 * the query-plan test. */
extern const char *const mh_sqlite_list_ids_sql[3][5][2];
/* The total of a list from entry_counts (see sqlite_lists.c). */
extern const char mh_sqlite_list_count_sql[];

/* The editorial list statements (sqlite_editorial.c), for the same test:
 * ids newest first and oldest first, the title search's ids and count, the
 * total from entry_counts. */
extern const char mh_sqlite_admin_ids_sql[];
extern const char mh_sqlite_admin_ids_back_sql[];
extern const char mh_sqlite_admin_search_ids_sql[];
extern const char mh_sqlite_admin_search_count_sql[];
extern const char mh_sqlite_admin_count_sql[];

/* entries_list of the store ops: same contract as store.h. */
int mh_sqlite_entries_list(mh_store_t *s, mh_pool_t *p, const mh_store_entry_filter_t *f,
                           mh_entry_t **out, size_t *n, int64_t *total);

/* Entries of the columns in ids (",3,4,"; NULL: every column of lang_id):
 * live ones, or the public ones at now, or only recommended ones. */
int mh_sqlite_list_count(mh_store_t *s, int64_t lang_id, const char *ids, bool public_only,
                         int64_t now, bool recommended_only, int64_t *total);

/* Which window of an index to read for rows [offset, offset + limit) of a
 * list of total rows (total < 0: unknown): the same one forwards, or, past
 * the middle, *w_limit rows from *w_offset read backwards. */
void mh_sqlite_page_window(int64_t total, int64_t offset, int64_t limit, bool *backwards,
                           int64_t *w_offset, int64_t *w_limit);

/* Step st (one id column) to the end; ids in the pool. Resets st. */
int mh_sqlite_ids(mh_store_t *s, sqlite3_stmt *st, mh_pool_t *p, int64_t **ids, size_t *n);

/* The list rows (no body) of ids, in their order or reversed; ids that no
 * longer exist are skipped. */
int mh_sqlite_rows_by_id(mh_store_t *s, mh_pool_t *p, const int64_t *ids, size_t nids, bool reverse,
                         mh_entry_t **out, size_t *n);

#endif
