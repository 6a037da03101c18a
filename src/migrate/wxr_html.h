/* Conversion of WordPress post content to plain HTML for masthead.
 *
 * Pure functions on strings. The output is untrusted HTML: the importer runs
 * it through the sanitizer like any other submitted HTML. What is done:
 *   - Gutenberg block comments (<!-- wp:name {...} -->, <!-- /wp:name -->,
 *     <!-- wp:name /-->) are removed; the HTML between them stays.
 *   - [caption ...]<img ...> text[/caption] becomes
 *     <figure><img ...><figcaption>text</figcaption></figure>.
 *   - [gallery ids="1,2"] (or without ids: the post's attached images)
 *     becomes <ul class="gallery"> with one <li><figure><img> per image,
 *     resolved through the caller's callbacks; unresolved ids are skipped
 *     and reported. Other shortcodes stay as text.
 *   - <!--more--> (also <!--more label-->): the part before it is the
 *     summary; the body is the whole text without the marker (WordPress
 *     shows the whole post on its own page).
 *   - <!--nextpage-->: pages are joined with <hr class="page-break">.
 *   - Classic content (no block markup) gets WordPress's autop: blank lines
 *     make paragraphs, single newlines <br />, block-level tags are never
 *     wrapped in <p>, <pre>/<script>/<style>/<textarea>/<svg>/<math>
 *     contents are left alone. */
#ifndef MH_MIGRATE_WXR_HTML_H
#define MH_MIGRATE_WXR_HTML_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/str.h"

typedef struct {
    const char *url;     /* attachment_url */
    const char *caption; /* the attachment's excerpt; "" or NULL for none */
    const char *alt;     /* alternative text; "" or NULL for none */
} mh_wxr_media_t;

typedef struct {
    void *ud;
    /* Fill *m for attachment id; false when unknown. */
    bool (*attachment)(void *ud, int64_t id, mh_wxr_media_t *m);
    /* Attachment ids whose parent is post_id, in menu order (for [gallery]
     * without ids); at most max written, the count returned. Optional. */
    size_t (*children)(void *ud, int64_t post_id, int64_t *ids, size_t max);
    /* Told of each gallery id that could not be resolved. Optional. */
    void (*unresolved)(void *ud, int64_t id);
    int64_t post_id; /* the post being converted */
} mh_wxr_resolver_t;

typedef struct {
    unsigned blocks;     /* block comments removed */
    unsigned captions;   /* [caption] converted */
    unsigned galleries;  /* [gallery] converted */
    unsigned images;     /* images placed by galleries */
    unsigned unresolved; /* gallery ids without an attachment */
    unsigned other;      /* other shortcodes left as text */
    unsigned pages;      /* <!--nextpage--> markers */
    bool more;           /* a <!--more--> was found */
    bool autop;          /* classic content given paragraphs */
} mh_wxr_stats_t;

/* Each appends to out and returns MH_OK or MH_TOOBIG (out's ceiling). */
int mh_wxr_strip_blocks(mh_str_t in, mh_buf_t *out, mh_wxr_stats_t *st);
int mh_wxr_shortcodes(mh_str_t in, const mh_wxr_resolver_t *res, mh_buf_t *out, mh_wxr_stats_t *st);
int mh_wxr_autop(mh_str_t in, mh_buf_t *out);

/* True when the content carries Gutenberg block markup. */
bool mh_wxr_has_blocks(mh_str_t in);

/* The whole pipeline: blocks stripped, more/nextpage handled, shortcodes
 * converted, autop for classic content. summary gets the part before
 * <!--more--> (nothing when there is none), body the whole text. Either
 * may be NULL. res may be NULL (galleries then resolve nothing). */
int mh_wxr_convert(mh_str_t content, const mh_wxr_resolver_t *res, mh_buf_t *summary,
                   mh_buf_t *body, mh_wxr_stats_t *st);

#endif
