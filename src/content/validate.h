/* Content invariants that every write through the content layer enforces,
 * whoever the caller is (admin forms, the demo, importers, an API):
 *
 * - Rich text (entry and column bodies, settings whose key ends in "_html")
 *   is stored only as the sanitiser's output (render/sanitize.h).
 * - Every URL-valued field (entry cover, link columns' link_url, settings
 *   whose key is "base_url" or ends in "_url") holds only what
 *   mh_content_url_ok accepts. A write carrying anything else is refused
 *   with MH_INVALID and stores nothing.
 *
 * Admin forms call the same functions first so they can say what is wrong
 * in the user's language; the content layer's check is the one that
 * cannot be bypassed. */
#ifndef MH_CONTENT_VALIDATE_H
#define MH_CONTENT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* May url be stored in a URL field? Accepted: "" (no URL); absolute
 * http:// and https:// URLs with a host (scheme compared without regard to
 * case); relative references ("/about/", "page.html", "?q", "#top");
 * media-library references ("/media/ab/....jpg" or the bare stored name
 * "ab/....jpg"). Refused: any other scheme (javascript:, vbscript:, data:,
 * file:... in any case), protocol-relative "//host" and its backslash
 * variants ("/\host", "\\host"), any control character, space or
 * backslash anywhere (browsers strip or reinterpret them, which is how
 * " javascript:" and "java\tscript:" get through naive checks), and '&' in
 * the first path segment (an entity such as "javascript&#58;" would be
 * decoded to a scheme if the value were ever printed unescaped). At most
 * 2048 bytes. */
bool mh_content_url_ok(const char *url);

/* Is key the name of a URL-valued setting ("base_url", "*_url")? */
bool mh_content_setting_is_url(const char *key);
/* Is key the name of an HTML-valued setting ("*_html")? */
bool mh_content_setting_is_html(const char *key);

#endif
