/* The Mustache engine. Templates are compiled once into a tree of nodes and
 * rendered many times; rendering never re-parses.
 *
 * Supported: the required modules of the Mustache spec (interpolation,
 * sections, inverted, comments, delimiters, partials) and ~inheritance
 * (parents {{< name}} and blocks {{$ name}}), plus ~dynamic-names
 * ({{>*name}}). Lambdas are not supported.
 *
 * Escaping: {{x}} always HTML-escapes & < > " '. In MH_TMPL_STRICT mode
 * (what the site uses), {{{x}}} and {{& x}} print raw only values of kind
 * MH_V_HTML (safe HTML); any other value is escaped as if by {{x}}. Without
 * the flag the engine behaves exactly as the spec says (tests, CLI). */
#ifndef MH_RENDER_TMPL_H
#define MH_RENDER_TMPL_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/pool.h"
#include "value.h"

typedef struct mh_tmpl_set mh_tmpl_set_t;

enum { MH_TMPL_STRICT = 1 };

/* Callback to fetch a partial's source by name when it was not added to the
 * set ahead of time (for example from a --partials directory). Return MH_OK
 * with *src (malloc'd, freed by the engine) or MH_DECLINED if there is none
 * (the spec says a missing partial renders as ""). */
typedef int (*mh_tmpl_loader_fn)(void *data, const char *name, char **src, size_t *len);

mh_tmpl_set_t *mh_tmpl_set_new(void);
void mh_tmpl_set_free(mh_tmpl_set_t *set);
void mh_tmpl_set_loader(mh_tmpl_set_t *set, mh_tmpl_loader_fn fn, void *data);

/* Compile src under name (replacing an earlier one). On a syntax error
 * returns MH_ERR and writes "name:line: message" into err. */
int mh_tmpl_add(mh_tmpl_set_t *set, const char *name, const char *src, size_t len, char *err,
                size_t errlen);
int mh_tmpl_has(const mh_tmpl_set_t *set, const char *name);

/* Render template name with ctx into out (bounded by out->max). Returns
 * MH_OK, MH_DECLINED (no such template), MH_TOOBIG (output ceiling) or
 * MH_ERR (a partial failed to compile: message in err). Rendering is
 * read-only on the set, so one set can serve many threads at once as long
 * as no loader is installed (loaded partials are compiled into the set). */
int mh_tmpl_render(mh_tmpl_set_t *set, const char *name, mh_pool_t *pool, mh_val_t *ctx,
                   int flags, mh_buf_t *out, char *err, size_t errlen);

/* Every name a compiled template looks up (variables, sections, partials
 * and blocks), for `masthead theme check`: calls fn once per tag with the
 * dotted name as written, the kind ('v' variable, '#' section, '^' inverted,
 * '>' partial, '<' parent, '$' block) and the stack of enclosing section
 * names (so the caller can tell names relative to a list item). */
typedef void (*mh_tmpl_name_fn)(void *data, const char *tmpl, char kind, const char *name,
                                const char *const *sections, size_t nsections, int line);
void mh_tmpl_walk_names(const mh_tmpl_set_t *set, mh_tmpl_name_fn fn, void *data);

#endif
