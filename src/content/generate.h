/* Generated sites of any size, for measuring how costs grow with a site
 * (`masthead init DIR --generate N [--seed S]`, `make bench-scale`).
 *
 * The site: English (default) and Chinese (under /zh/), the same tree of 3
 * levels in each (about 60 columns per language: articles mostly, some
 * product, download, gallery and job sections, single pages, a feedback
 * form), N entries spread unevenly over the columns that hold entries (a
 * few columns get most of them), half of them Chinese, bodies of about
 * 2 KB of HTML paragraphs, a share of the Chinese entries linked as
 * translations of English ones, revisions for some (saved through the
 * editorial API), publish times spread over 2014-2026, and a few drafts,
 * scheduled (2030) and trashed entries.
 *
 * Everything goes through the public content API (content.h, editorial.h),
 * one write transaction per entry as an editor would make them. Text is
 * generated from small built-in word and character lists.
 *
 * Deterministic: the same seed and N give the same database content,
 * except the columns the API stamps with the wall clock (the revisions'
 * created_at, updated_at of entries saved with revisions, deleted_at of
 * trashed entries). */
#ifndef MH_CONTENT_GENERATE_H
#define MH_CONTENT_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "content.h"

typedef struct {
    int64_t entries; /* N, 0 or more */
    uint64_t seed;
    int64_t user_id; /* author of the revisions and owner of the entries, 0 for none */
    /* Called every few hundred entries and at the end (may be NULL). */
    void (*progress)(void *ud, int64_t done, int64_t total);
    void *ud;
} mh_generate_opts_t;

typedef struct {
    int64_t columns;   /* per language */
    int64_t entries;   /* created (including trashed ones) */
    int64_t en, zh;    /* entries per language */
    int64_t linked;    /* Chinese entries sharing a translation group with an English one */
    int64_t revisions; /* entries saved through the editorial API (two revisions each) */
    int64_t trashed, drafts, scheduled;
    char largest_path[128]; /* path of the English column with the most entries */
    int64_t largest_count;
} mh_generate_stats_t;

/* Add the generated site to a freshly initialised site (mh_content_init
 * without demo): the Chinese language, both trees, settings, entries.
 * stats may be NULL. Errors go to err. */
int mh_generate_site(mh_content_t *c, const mh_generate_opts_t *o, mh_generate_stats_t *stats,
                     char *err, size_t errlen);

#endif
