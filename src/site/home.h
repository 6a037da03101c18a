/* Internal to src/site: the home page's configured blocks (home.c). */
#ifndef MH_SITE_HOME_H
#define MH_SITE_HOME_H

#include "context.h"

/* The context's "home.blocks" key (a lazy thunk over the request state):
 * the blocks of the language's "home_blocks" setting (content/home.h) whose
 * column exists in the language, is visible and holds entries, each with
 * its latest public entries. */
mh_val_t *mh_home_blocks_context(mh_pool_t *p, void *data);
/* "home.has_blocks": whether the setting names any such block (a theme
 * falls back to its own sections when it does not). */
mh_val_t *mh_home_has_blocks_context(mh_pool_t *p, void *data);

#endif
