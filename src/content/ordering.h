/* Manual order of a column's entries and view counts (sort modes "manual"
 * and "hits"). Both write through the store in one transaction. */
#ifndef MH_CONTENT_ORDERING_H
#define MH_CONTENT_ORDERING_H

#include <stddef.h>
#include <stdint.h>

#include "content.h"

/* Swap a live entry with the previous (dir < 0) or next entry of its
 * column in manual order (position, then id), renumbering every live entry
 * of the column 0, 1, 2... MH_DECLINED at either end or for an unknown
 * entry. A position change of a public entry starts a new content
 * generation (its trigger), so public lists follow at once. */
int mh_ordering_entry_move(mh_content_t *c, int64_t entry_id, int dir);

/* Add counts[i] views to entry ids[i], all in one transaction. Entries
 * gone since are skipped. Does not start a content generation. */
int mh_ordering_hits_add(mh_content_t *c, const int64_t *ids, const int64_t *counts, size_t n);

#endif
