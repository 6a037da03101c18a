/* Home page composition: the blocks a language's home page shows, in
 * order. Each block is the latest entries of one column (any type that
 * holds entries: articles, products, galleries...), how many, and how the
 * theme presents them. The composition is the per-language setting
 * "home_blocks" (settings are public: a change starts a new content
 * generation through the settings triggers), one block per line:
 *
 *     <column id> <kind> <count>
 *
 * kind is one of "list" (titles with dates), "cards" (cards with an
 * image), "headline" (the first entry large with its image, the rest as a
 * list) and "strip" (a row of images, for galleries). */
#ifndef MH_CONTENT_HOME_H
#define MH_CONTENT_HOME_H

#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"

#define MH_HOME_SETTING "home_blocks"
#define MH_HOME_MAX_BLOCKS 12
#define MH_HOME_MAX_COUNT 20

typedef enum {
    MH_HOME_LIST = 0,
    MH_HOME_CARDS,
    MH_HOME_HEADLINE,
    MH_HOME_STRIP,
    MH_HOME_NKINDS
} mh_home_kind_t;

typedef struct {
    int64_t column_id;
    mh_home_kind_t kind;
    int count; /* 1..MH_HOME_MAX_COUNT */
} mh_home_block_t;

/* "list", "cards", "headline", "strip". */
const char *mh_home_kind_name(mh_home_kind_t k);
/* The kind called name; -1 when none is. */
int mh_home_kind_parse(const char *name);
/* The blocks of a setting's value, at most MH_HOME_MAX_BLOCKS; lines that
 * do not parse are skipped (an old or hand-edited value never breaks the
 * home page). text may be NULL. */
size_t mh_home_parse(const char *text, mh_home_block_t *out, size_t max);
/* The setting's value for blocks (a new pool string; "" for none). */
char *mh_home_format(mh_pool_t *p, const mh_home_block_t *b, size_t n);

/* The demo's home page (demo_home.c): more articles for the demo's thin
 * article columns in both languages, and each language's composition.
 * Called once by mh_content_demo_load after its columns exist. */
struct mh_content;
int mh_content_demo_home(struct mh_content *c);

#endif
