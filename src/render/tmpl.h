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
 * the flag the engine behaves exactly as the spec says (tests, CLI).
 *
 * Values print as: strings as they are, MH_V_INT as %lld, MH_V_NUM in the
 * shortest form that reads back exactly (1.21 -> "1.21", 1.0 -> "1"),
 * booleans as "true"/"false", null, lists and maps as "". Names are looked
 * up through the context stack without allocating; lazy values are forced
 * only when a tag reaches them.
 *
 * Limits: a template may nest sections 100 deep (deeper is a compile
 * error); partials and parents may include each other 64 deep, rendering may
 * recurse 256 deep in all, and one render visits at most 2^23 nodes; past
 * these mh_tmpl_render stops with MH_ERR and a message, so a template that
 * includes itself cannot exhaust the stack or loop for ever. */
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
 * MH_OK, MH_DECLINED (no such template), MH_TOOBIG (output ceiling; out holds
 * what fitted) or MH_ERR (a partial failed to load or compile, or a limit
 * above was hit: "name:line: message" in err). Partial names that come from
 * data ({{>*name}}) are passed to the loader only when they are 1-255 bytes
 * without NUL; the loader must still refuse names it cannot trust.
 * Rendering is read-only on the set, so one set can serve many threads at
 * once as long as no loader is installed (loaded partials are compiled into
 * the set). A context is not shared that way: forcing a lazy value memoises
 * it, so each thread renders with its own context (plain values may be
 * shared). */
int mh_tmpl_render(mh_tmpl_set_t *set, const char *name, mh_pool_t *pool, mh_val_t *ctx, int flags,
                   mh_buf_t *out, char *err, size_t errlen);

/* Every name a compiled template looks up (variables, sections, partials
 * and blocks), for `masthead theme check`: calls fn once per tag with the
 * dotted name as written, the kind ('v' variable, '#' section, '^' inverted,
 * '>' partial, '<' parent, '$' block) and the stack of enclosing section
 * names (so the caller can tell names relative to a list item). Names are
 * as written: "." for the implicit iterator, "*name" for a dynamic partial
 * or parent. Only '#' sections are on the stack, since inverted sections,
 * parents and blocks do not push a context; line is where the tag starts.
 * Templates are visited in the order they were added. */
typedef void (*mh_tmpl_name_fn)(void *data, const char *tmpl, char kind, const char *name,
                                const char *const *sections, size_t nsections, int line);
void mh_tmpl_walk_names(const mh_tmpl_set_t *set, mh_tmpl_name_fn fn, void *data);

#endif
