/* The domain: sites and languages, the column tree, entries, settings.
 *
 * Handlers and templates reach data only through this API; it in turn
 * reaches the database only through the store ops table (store/store.h), so
 * a PostgreSQL backend can be added without touching callers.
 *
 * Every function returning request-lifetime data takes the pool first after
 * the handle; results stay valid until that pool is destroyed (languages,
 * columns and settings point into a shared immutable snapshot that the pool
 * keeps alive, so nothing is copied per request). All times are Unix
 * seconds (UTC). An mh_content_t is shared by all server threads (the store
 * keeps one connection per thread).
 *
 * "Public" means: status published, or scheduled with its time come
 * (publish_at <= now), not in the recycle bin, in a column that is visible
 * together with all its ancestors.
 *
 * Return codes: MH_OK, MH_DECLINED (not found), MH_ERR (database failure,
 * logged); writes also MH_NOSPACE (the disk or the database is full:
 * nothing was stored), MH_INVALID (a URL field refused, see validate.h)
 * and MH_TOOBIG (a body too large to sanitise). */
#ifndef MH_CONTENT_CONTENT_H
#define MH_CONTENT_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/pool.h"
#include "../model/model.h"

typedef struct mh_content mh_content_t;

/* The type name of m ("page", "article", ... as content/types.c lists
 * them), or NULL when m is no known type. */
const char *mh_module_name(mh_module_t m);
/* The known type called name (the descriptor's own string, so it outlives
 * any pool), or NULL. */
mh_module_t mh_module_parse(const char *name);

typedef struct {
    int64_t lang_id;   /* required */
    int64_t column_id; /* 0: any column of the language */
    bool descendants;  /* include entries of the column's sub-columns */
    bool public_only;  /* published and publish_at <= now, visible column */
    bool recommended_only;
    mh_sort_t sort;
    int64_t offset, limit; /* limit 0 means 20; capped at 200 */
} mh_entry_query_t;

/* Open the site in dir (the store finds its database there:
 * mh_store_open_dir), applying pending migrations.
 * Errors (missing dir, not a site, database error) go to err. */
int mh_content_open(const char *dir, mh_content_t **out, char *err, size_t errlen);
void mh_content_close(mh_content_t *c);

/* Create a new site in dir: the directory (if missing), dir/media/, the
 * database with the schema, one site row, an English default language and
 * default settings. With demo, also the demo content (English and Chinese
 * portal, the seed article). Refuses (MH_ERR, message in err) if dir already
 * holds a site. */
int mh_content_init(const char *dir, bool demo, char *err, size_t errlen);

/* A counter that changes whenever public content changes: the store keeps a
 * content generation counter that every write changing public content
 * increments in its own transaction (store.h content_generation); after a
 * commit through this API, and in mh_content_poll() (cheap; the server
 * calls it about once a second), the in-memory generation moves when that
 * counter has moved since last seen. Writes that change nothing public
 * (drafts and pending entries that were never public, revisions, audit
 * rows, sessions, unused media) leave it alone; writes by other processes
 * are noticed by the poll. Used to invalidate the page cache. Public reads (public_only lists and
 * entries by slug, neighbours, translations) are memoised for the current generation too, so
 * another process's write shows in them once poll has noticed it; reads for
 * the admin always reach the database. */
uint64_t mh_content_generation(mh_content_t *c);

/* --- invalidation by dependency (docs/internals/caching.md) ---
 * A page's render, on one thread, between mh_content_deps_begin and
 * mh_content_deps_end: the public reads record tags of what they read (a
 * column 'c', a language 'l', a translation group 'g'); a handler whose
 * every read is recorded says so with mh_content_deps_tracked (otherwise,
 * or after a read no tag describes, the page depends on every change).
 * deps_end gives the tags (at most max) and the data generation the page
 * began at; mh_content_deps_valid tells whether none of its tags changed
 * since. Changes that tags cannot describe (columns, settings, languages,
 * the scheduler's time, another feature's table) move
 * mh_content_structure_generation, which the page cache keys on. */
uint64_t mh_content_structure_generation(mh_content_t *c);
uint64_t mh_content_dep_tag(char kind, int64_t id);
void mh_content_deps_begin(mh_content_t *c);
void mh_content_deps_tracked(mh_content_t *c);
void mh_content_deps_untracked(mh_content_t *c);
void mh_content_deps_add(mh_content_t *c, char kind, int64_t id);
size_t mh_content_deps_end(mh_content_t *c, uint64_t *gen, uint64_t *tags, size_t max);
bool mh_content_deps_valid(mh_content_t *c, uint64_t gen, const uint64_t *tags, size_t n);
void mh_content_poll(mh_content_t *c);

/* Group the reads of one page into one database transaction (one snapshot,
 * one set of locks). Returns true when a transaction was started; pass that
 * to mh_content_read_end. Reads work without it too. */
bool mh_content_read_begin(mh_content_t *c);
void mh_content_read_end(mh_content_t *c, bool started);

/* --- reading --- */
int mh_content_site(mh_content_t *c, mh_pool_t *p, mh_site_info_t *out);
/* Ordered by position; the default language first if positions tie. */
int mh_content_languages(mh_content_t *c, mh_pool_t *p, mh_language_t **out, size_t *n);
/* All columns of a language in tree pre-order (parent before children,
 * siblings by position), with path and depth filled in. */
int mh_content_columns(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_column_t **out,
                       size_t *n);
int mh_content_column_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_column_t *out);
/* Column of a language by its full path ("about/history"; leading and
 * trailing slashes are ignored). Hidden columns are found too: check
 * visible. */
int mh_content_column_by_path(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *path,
                              mh_column_t *out);
/* Entries matching q (without body_html); *total is the count before
 * offset/limit, for pagination. */
int mh_content_entries(mh_content_t *c, mh_pool_t *p, const mh_entry_query_t *q, mh_entry_t **out,
                       size_t *n, int64_t *total);
/* Any status (drafts too; not entries in the recycle bin), with body_html.
 * Public pages use mh_content_entry_by_slug with public_only. */
int mh_content_entry_get(mh_content_t *c, mh_pool_t *p, int64_t id, mh_entry_t *out);
int mh_content_entry_by_slug(mh_content_t *c, mh_pool_t *p, int64_t column_id, const char *slug,
                             bool public_only, mh_entry_t *out);
/* Previous and next public entry in the same column; either may come back
 * NULL. With the date sorts (newest, oldest) previous is the older entry and
 * next the newer one; with manual, title and hits, previous is the one
 * listed before e in the column's order. Both come from one query and carry
 * the fields a link needs: id, column_id, lang_id, translation_group, title,
 * slug, publish_at (their other strings are empty). */
int mh_content_entry_neighbors(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e,
                               mh_entry_t **prev, mh_entry_t **next);
/* Public entries of the same translation group in other languages (none
 * when e->translation_group is 0), by language then id; link fields only, as
 * for mh_content_entry_neighbors. */
int mh_content_translations(mh_content_t *c, mh_pool_t *p, const mh_entry_t *e, mh_entry_t **out,
                            size_t *n);
/* The custom field definitions of one column, by position (from the
 * snapshot of the current generation: no query; content/fields.h builds
 * an entry's fields from them). */
int mh_content_column_fields(mh_content_t *c, mh_pool_t *p, int64_t column_id, mh_field_def_t **out,
                             size_t *n);
/* Settings of a language: site-wide values overlaid with the language's own.
 * Known keys (all have defaults): site_name, site_tagline, footer_text,
 * time_format (strftime, default "%Y-%m-%d %H:%M:%S"), timezone ("+08:00"),
 * title_pattern ("{title} - {site}"), keywords, description, icp (licence
 * line), address, phone, email. */
int mh_content_settings(mh_content_t *c, mh_pool_t *p, int64_t lang_id, mh_setting_t **out,
                        size_t *n);
/* One setting as mh_content_settings resolves it (lang_id 0: site-wide);
 * NULL for an unknown key. */
const char *mh_content_setting(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *key);

/* --- writing (each starts a new generation when it changes public
 * content) ---
 *
 * Bodies (entries' and columns' body_html, settings whose key ends in
 * "_html") are sanitised here (render/sanitize.h) before they reach the
 * store, whoever calls; URL fields (entry cover, column link_url, settings
 * "base_url" and "*_url") must pass mh_content_url_ok (validate.h) or the
 * write is refused with MH_INVALID. */
/* Insert; *id (and in->id) receive the new id. The slug (given, or derived
 * from the name/title when empty) goes through mh_slugify and is made unique
 * among siblings by appending -2, -3...; titles that give no ASCII slug get
 * the new id as slug. For entries, lang_id 0 means the column's language,
 * created_at/publish_at 0 mean now, and translation_group 0 means "a group
 * of its own" (the entry's id). Updates keep created_at and hits, set
 * updated_at to now, and return MH_DECLINED for an unknown id. Invalid input
 * (missing name/title, unknown column, parent in another language or under
 * itself, bad enum) gives MH_ERR, logged. */
int mh_content_language_create(mh_content_t *c, mh_language_t *in, int64_t *id);
int mh_content_column_create(mh_content_t *c, mh_column_t *in, int64_t *id);
int mh_content_column_update(mh_content_t *c, const mh_column_t *in);
int mh_content_entry_create(mh_content_t *c, mh_entry_t *in, int64_t *id);
int mh_content_entry_update(mh_content_t *c, const mh_entry_t *in);
/* Create (in->id 0; *id receives the new id) or update an entry as above
 * and replace its custom field values (content/fields.h; already
 * validated, n may be 0 to clear them) in the same transaction. */
int mh_content_entry_save_fields(mh_content_t *c, mh_entry_t *in, int64_t *id,
                                 const mh_field_value_t *fields, size_t nfields);
/* lang_id 0 sets the site-wide value; value NULL deletes the setting. */
int mh_content_setting_set(mh_content_t *c, int64_t lang_id, const char *key, const char *value);

/* A URL slug from a title: lower-case ASCII letters, digits and single
 * hyphens, at most 80 bytes (cut at a word), Latin accents folded
 * ("Café" -> "cafe"), Han characters as their Mandarin reading without
 * tones, one word each ("示范区召开2024年" -> "shi-fan-qu-zhao-kai-2024-nian").
 * Returns "" when nothing usable remains (e.g. only punctuation). */
char *mh_slugify(mh_pool_t *p, const char *title);
/* The Mandarin reading of a Han character without its tone ("bei" for
 * U+5317 北, "lv" for 绿), or NULL when it has none in the table. */
const char *mh_pinyin(unsigned cp);

/* Format t for display with a strftime pattern in a time zone: an IANA
 * name such as "Asia/Shanghai" or a fixed UTC offset such as "+08:00"
 * (content/tz.h; unknown zones mean UTC). */
char *mh_format_time(mh_pool_t *p, int64_t t, const char *fmt, const char *utc_offset);

/* Parse a UTC offset "+08:00", "-0530", "+8", "Z" or "UTC" into seconds east
 * of UTC. Returns false (and *secs 0) when invalid. */
bool mh_parse_utc_offset(const char *s, int *secs);

/* Parse local time "YYYY-MM-DD HH:MM[:SS]" (or with a 'T') given in the
 * time zone utc_offset (an IANA name or a fixed offset, as for
 * mh_format_time) into Unix seconds. Returns MH_OK or MH_ERR (also for an
 * unknown zone). */
int mh_parse_time(const char *s, const char *utc_offset, int64_t *out);

/* For the admin features' own content modules (content/<feature>.c): the
 * store handle (its ops table reaches the feature's store operations), and
 * a way to report a write made there, which bumps the generation. */
struct mh_store *mh_content_store(mh_content_t *c);
/* Start a new generation unconditionally: for changes the content
 * generation counter cannot see (time passing a scheduled entry's publish
 * time, a media file that pages show removed from disk). */
void mh_content_changed(mh_content_t *c);
/* Rich text of a feature's own table as the store may receive it: the
 * sanitiser's output (same rules as entry bodies), in p. MH_TOOBIG when
 * too large to sanitise. */
int mh_content_sanitize(mh_content_t *c, mh_pool_t *p, const char **html);
/* The memo of public reads of the current generation (memo.h), for the
 * feature modules' own public reads; held for the life of p. NULL on a
 * database failure. */
struct mh_memo *mh_content_memo(mh_content_t *c, mh_pool_t *p);
/* The site's media directory (DIR/media) of a handle from mh_content_open
 * or mh_content_init ("media" for other handles). */
const char *mh_content_media_dir(const mh_content_t *c);

/* One write transaction of the calling thread around several writes of
 * this layer (and of the feature modules: editorial, accounts, media), so
 * they succeed or fail together: an editorial save, its revision and its
 * audit line. Nested begin/end pairs join the outermost transaction; the
 * first failure passed to (or returned by) an inner end dooms it. end
 * takes the caller's result: MH_OK commits at the outermost level (and
 * notes whether public content changed), anything else rolls back. It
 * returns the result of the whole: MH_OK, the first failure, or
 * MH_NOSPACE when the store failed for want of space. Every begin that
 * returned MH_OK needs exactly one end. */
int mh_content_tx_begin(mh_content_t *c);
int mh_content_tx_end(mh_content_t *c, int rc);
/* Inside a transaction: the languages, columns, settings or field
 * definitions were written, so this thread's reads (and the checks of
 * later writes, e.g. a column's parent) must see the uncommitted rows.
 * Reads then come from a private snapshot, rebuilt after each such call,
 * until the transaction ends. For long writers such as importers; a
 * no-op outside a transaction. */
void mh_content_tx_snapshot_stale(mh_content_t *c);
/* Is the calling thread inside mh_content_tx_begin for c? */
bool mh_content_in_tx(mh_content_t *c);

/* The site name and settings a new site starts with (src/content/demo.c:
 * the demo's own with demo, plain defaults without). */
const char *mh_content_default_site_name(bool demo);
const mh_setting_t *mh_content_default_settings(bool demo, size_t *n);

/* Add the demo portal (src/content/demo.c) to a freshly initialised site:
 * a Chinese language, both column trees, entries and settings. */
int mh_content_demo_load(mh_content_t *c, char *err, size_t errlen);
/* The forms' demo (demo_forms.c): the feedback form's fields, guestbook
 * messages, jobs with their application fields, in both languages. */
int mh_content_demo_forms(mh_content_t *c, int64_t en_lang, int64_t zh_lang);

#endif
