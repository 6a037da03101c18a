/* Rendering a template file against a JSON data file, for the CLI
 * (`masthead template render [--partials DIR] TEMPLATE DATA.json`). */
#ifndef MH_RENDER_TMPL_FILE_H
#define MH_RENDER_TMPL_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "tmpl.h"

/* Render template_path with the JSON in data_path (non-strict, as the spec
 * says) and write the output to out. When partials_dir is not NULL, a
 * partial or parent {{> name}} is read from partials_dir/name.mustache;
 * names containing '/', '\\' or "..", and files that are symlinks or not
 * regular files, are refused, so nothing outside the directory is read. A
 * partial with no file renders as "". Returns MH_OK, or MH_ERR with a
 * one-line message in err: an unreadable file (its name and the system's
 * reason), bad JSON (line and column), a template syntax error
 * ("name:line: message") or a render failure. */
int mh_tmpl_render_files(const char *template_path, const char *data_path, const char *partials_dir,
                         FILE *out, char *err, size_t errlen);

/* Compile every dir/NAME.mustache into set as NAME, then check that each of
 * the required names exists. MH_ERR with a message naming the file. */
int mh_tmpl_load_dir(mh_tmpl_set_t *set, const char *dir, const char *const *required,
                     size_t nrequired, char *err, size_t errlen);

#endif
