/* Internal to src/site: tag pages and the tags of an entry (tags.c). */
#ifndef MH_SITE_TAGS_H
#define MH_SITE_TAGS_H

#include "context.h"

#define MH_TAG_PAGE_SIZE 20

/* The public path of tag t in r's language ("/zh/tag/jing-ji/"). */
const char *mh_tag_url(mh_site_req_t *r, const mh_tag_t *t);
/* Fill r for page n of the tag with this slug: r->tag, r->list and the
 * page counts, kind MH_PK_TAG. MH_DECLINED when no such tag has public
 * entries or n is past its last page; MH_ERR on a database failure. */
int mh_tags_page_load(mh_site_req_t *r, mh_str_t slug, int64_t n);
/* The context's "tag" key (the tag page's tag: name, slug, url, total). */
mh_val_t *mh_tags_page_context(mh_pool_t *p, void *data);
/* "entry.tags": the entry's tags, each with name, slug and url. */
mh_val_t *mh_tags_entry_context(mh_pool_t *p, void *data);

/* Add "tags" and "has_tags" (one query, on first use) to an entry map. */
void mh_tags_entry_attach(mh_site_req_t *r, mh_val_t *entry);

#endif
