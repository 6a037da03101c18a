/* HTML sanitizer: the only way rich text (editor saves, importers) becomes
 * "safe HTML" (MH_V_HTML) that templates may print raw.
 *
 * The input is parsed as an HTML5 fragment (gumbo, <div> context), the tree
 * is walked and only what the allow-list permits is serialised again:
 *
 * Elements kept: p br hr h1-h6 strong b em i u s sub sup small mark
 *   blockquote q cite code pre kbd abbr span div section article figure
 *   figcaption ul ol li dl dt dd a img picture source table caption colgroup
 *   col thead tbody tfoot tr th td video audio, and iframe when its src is an
 *   https URL on a host listed in opts->iframe_hosts.
 * Dropped together with their content: script style template noscript
 *   object embed applet form input button select textarea option optgroup
 *   datalist keygen output iframe (not allowed) frame frameset noframes
 *   noembed svg math link meta base title head param track isindex bgsound
 *   menuitem, and Word's <o:p> and VML <v:*> drawings.
 * Any other element (unknown, <font>, <center>, <label>...): the tag is
 *   dropped and its sanitised children are kept. A <span> left without
 *   attributes is unwrapped the same way. <source> survives only directly
 *   inside <picture> (srcset, sizes, media, type) or <video>/<audio> (src,
 *   type).
 * Attributes: every other attribute is dropped, including all on* handlers.
 *   global   title; lang ([A-Za-z0-9-]); dir (ltr/rtl/auto); class (tokens
 *            of [A-Za-z0-9_-], Word's "Mso..." classes removed, see
 *            below); id (see below); style is read, never kept (below)
 *   a        href, rel (known link types), target (only _blank, and then
 *            rel always includes "noopener noreferrer"); a legacy
 *            <a name="x"> becomes an id
 *   img      src, srcset, alt, width, height, sizes, loading
 *   td th    colspan rowspan (1-1000), scope, headers
 *   ol       start, reversed, type (1 a A i I)
 *   col colgroup span; blockquote q cite (URL checked)
 *   video audio src, poster (video), width, height, preload, loop, muted;
 *            "controls" is always added and autoplay never kept
 *   iframe   src, width, height, title, allowfullscreen; a fixed sandbox
 *            and referrerpolicy are added
 * Ids: kept when they look like a name ([A-Za-z0-9_-], max 64), always
 *   prefixed "mh-" (unless already so) so that article content cannot
 *   clobber the page's own ids or DOM globals. Fragment links "#name" and
 *   "headers" references are rewritten the same way, so in-article anchors
 *   keep working; a fragment link cannot point at a theme's own anchor.
 * Styles: no style attribute is ever written. The site's CSP (style-src
 *   without 'unsafe-inline') makes browsers ignore them, so the
 *   presentation worth keeping becomes classes that themes style:
 *     mh-align-left mh-align-right mh-align-center mh-align-justify
 *         from text-align (start/end read as left/right), else from a
 *         legacy align= (left right center justify) on p, div, h1-h6, td
 *         and th, else from the element's own class; the editor's
 *         ql-align-* classes are renamed to these. An element keeps one
 *         alignment class: an existing one is replaced in place.
 *     mh-bold      font-weight bold, bolder, 600-900 (not on b, strong)
 *     mh-italic    font-style italic, oblique (not on i, em)
 *     mh-underline text-decoration(-line) underline (not on u)
 *     mh-strike    text-decoration(-line) line-through (not on s)
 *   These are added to the element's class attribute (which goes through
 *   the token rules above like any other), once each. A <b>/<strong> whose
 *   style says font-weight normal (or 100-500, lighter), an <i>/<em> with
 *   font-style normal and a <u>/<s> with text-decoration none are
 *   unwrapped (Google Docs wraps a whole paste in <b style="font-weight:
 *   normal">).
 *     mh-color-<name> color (#rgb, #rrggbb, rgb(), a few names) mapped
 *                  by hue to red orange green blue purple gray; black,
 *                  white and near-greys (body text) add nothing. Themes
 *                  give each name its shade (theme.json "colors").
 *     mh-size-large / mh-size-small  font-size of 20pt (26.7px) or more,
 *                  x-large...; 9pt (12px) or less, x-small...
 *   Everything else is dropped. A style holding a backslash, comment,
 *   url( or expression( is ignored as a whole.
 * Classes in the mh- namespace are the sanitiser's: one in the input is
 *   kept only when it is a class listed above, mh-indent-1..8 or
 *   mh-attachment (so content cannot borrow a theme's layout classes);
 *   the editor's ql-indent-N becomes mh-indent-N.
 * URLs (href, src, cite, poster, each srcset candidate): leading/trailing
 *   C0 controls and spaces are stripped and tabs/newlines removed inside
 *   (as browsers do) after the parser has decoded entities; then a scheme,
 *   if any, must be http or https (plus mailto for <a href>). Every other
 *   scheme (javascript:, vbscript:, data:, file:...) drops the attribute;
 *   so does a colon before the first '/', '?' or '#' that does not form a
 *   clean scheme. data: images are rejected too (upload images instead).
 *   Relative URLs are kept; protocol-relative "//host/x" is kept (it takes
 *   the page's scheme, which is http or https). An <img> left without src
 *   or srcset is dropped.
 *
 * Output: UTF-8 (invalid bytes become U+FFFD), attribute values double
 * quoted, & < > " ' escaped in text and attributes, void elements without
 * end tags, comments and doctypes dropped. The result is a fixed point:
 * sanitising it again gives the same bytes (the function re-parses its own
 * output to make sure, and falls back to the plain text content if a
 * pathological input never settles). Kept elements nest at most 200 deep;
 * deeper ones are unwrapped.
 *
 * Cost: the HTML tree builder can be made to do work quadratic in its input
 * (deep nesting, unclosed formatting elements re-opened in every later
 * block), so each call parses under a budget of 64 MiB + 32 bytes per input
 * byte of parser memory and about 2 s of thread CPU time; past it the call
 * returns MH_TOOBIG. Ordinary articles use a tiny fraction of either. */
#ifndef MH_RENDER_SANITIZE_H
#define MH_RENDER_SANITIZE_H

#include <stddef.h>

#include "../core/pool.h"
#include "../core/str.h"
#include "value.h"

/* Input larger than this is refused with MH_TOOBIG. */
#define MH_SANITIZE_MAX_IN (4u * 1024 * 1024)
/* Output larger than this is refused with MH_TOOBIG. */
#define MH_SANITIZE_MAX_OUT (8u * 1024 * 1024)

typedef struct {
    /* Hosts whose https URLs may be embedded with <iframe>, compared
     * case-insensitively and exactly (no subdomain matching), e.g.
     * "www.youtube-nocookie.com", "player.bilibili.com". NULL or
     * n_iframe_hosts == 0: no iframe is ever kept. */
    const char *const *iframe_hosts;
    size_t n_iframe_hosts;
} mh_sanitize_opts_t;

/* Sanitise len bytes of HTML (need not be NUL-terminated) into *out, which
 * is allocated from pool and NUL-terminated. opts may be NULL (defaults: no
 * iframes). Returns MH_OK, MH_TOOBIG when the input or output passes its
 * ceiling, or MH_ERR when the parser fails; *out is the empty string on
 * error. */
int mh_sanitize_html(mh_pool_t *pool, const char *in, size_t len, const mh_sanitize_opts_t *opts,
                     mh_str_t *out);

/* mh_sanitize_html() with default options, wrapped as an MH_V_HTML value.
 * On error the input is returned as escaped text (still MH_V_HTML) so that
 * nothing unsanitised can ever be printed raw. */
mh_val_t *mh_sanitize_to_val(mh_pool_t *pool, const char *in, size_t len);

/* The URL policy above, exposed for other renderers (markdown links):
 * true if the URL may be used as a link (allow_mailto) or as a resource
 * (allow_mailto false). The check is done on the decoded attribute value. */
bool mh_sanitize_url_ok(const char *url, size_t len, bool allow_mailto);

#endif
