/* Tags on entries (model/tags.h) through the content layer: reading for
 * the public pages and the admin, and the writes the editor and the tag
 * screen make. Every write belongs in the caller's transaction when it has
 * one (mh_content_tx_begin/end nest); the tables' triggers start a new
 * content generation when public pages change. */
#ifndef MH_CONTENT_TAGS_H
#define MH_CONTENT_TAGS_H

#include "../model/tags.h"
#include "content.h"

#define MH_TAG_NAME_MAX 60 /* bytes of one tag's name */
#define MH_TAGS_PER_ENTRY 20

int mh_content_tags(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_tag_t **out, size_t *n);
/* MH_OK or MH_DECLINED. */
int mh_content_tag_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_tag_t *out);
int mh_content_tag_by_slug(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *slug,
                           mh_tag_t *out);
/* An entry's tags in order. */
int mh_content_entry_tags(mh_content_t *c, mh_pool_t *p, int64_t entry_id, mh_tag_t **out,
                          size_t *n);
/* The public entries of a tag, newest first (see store/tags.h). */
int mh_content_tag_entries(mh_content_t *c, mh_pool_t *p, int64_t tag_id, int64_t offset,
                           int64_t limit, mh_entry_t **out, size_t *n, int64_t *total);
/* Tags of the language with at least one public entry (sitemap). */
int mh_content_public_tags(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_tag_t **out,
                           size_t *n);

/* The names in text: separated by commas (also "，" "、" ";" "；" and
 * line breaks), trimmed, empty ones and repeats dropped, at most max.
 * MH_INVALID when a name is longer than MH_TAG_NAME_MAX bytes or there are
 * more than max. */
int mh_content_tags_parse(mh_pool_t *p, const char *text, const char **names, size_t max,
                          size_t *n);
/* Names joined with ", " (the editor's input value). */
char *mh_content_tags_join(mh_pool_t *p, const mh_tag_t *tags, size_t n);

/* Replace the tags of an entry of language lang_id with the names of text
 * (mh_content_tags_parse), creating the tags that do not exist yet (slug
 * from the name: pinyin for Chinese, made unique in the language).
 * MH_INVALID for a bad list; nothing is changed then. */
int mh_content_entry_tags_set(mh_content_t *c, int64_t entry_id, int64_t lang_id, const char *text);
/* Rename a tag (its slug follows the new name). MH_INVALID for a bad name,
 * MH_DECLINED when another tag of the language already has it (merge
 * instead). */
int mh_content_tag_rename(mh_content_t *c, int64_t id, const char *name);
/* Move the entries of from to into (same language: else MH_INVALID) and
 * delete from. */
int mh_content_tag_merge(mh_content_t *c, int64_t from_id, int64_t into_id);
int mh_content_tag_delete(mh_content_t *c, int64_t id);

#endif
