/* The storage backend: one ops table that content/ calls for every database
 * access. Backends (sqlite.c today, a PostgreSQL one later) implement every
 * operation with parameterised, prepared statements; nothing outside
 * src/store ever sees SQL.
 *
 * A store handle is shared by all threads. Backends keep one connection per
 * thread (created on first use, closed when the thread exits or the store is
 * closed), so transactions (begin/commit/rollback) belong to the calling
 * thread. The SQLite backend puts SQLite in multi-thread mode on first open:
 * no other code may share a raw sqlite3 connection between threads.
 *
 * Row types are the domain structs of model/model.h; strings in results
 * are copied into the pool given. Return codes: MH_OK, MH_DECLINED (no such
 * row), MH_ERR (database failure, logged). */
#ifndef MH_STORE_STORE_H
#define MH_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"
#include "../core/pool.h"

typedef struct mh_store mh_store_t;

/* Every backend's handle starts with this. */
struct mh_store {
    const struct mh_store_ops *ops;
};

/* A settings row: lang_id 0 for a site-wide value. */
typedef struct {
    int64_t lang_id;
    const char *key;
    const char *value;
} mh_store_setting_t;

/* Filter for entries_list. Deleted entries never match. */
typedef struct {
    int64_t lang_id;
    /* The columns the entries must belong to, or NULL (ncolumns 0) for any
     * column of the language. */
    const int64_t *column_ids;
    size_t ncolumns;
    bool public_only; /* status published or scheduled, publish_at <= now */
    int64_t now;
    bool recommended_only;
    mh_sort_t sort;
    int64_t offset, limit;
} mh_store_entry_filter_t;

struct mh_store_ops {
    const char *name; /* "sqlite" */
    /* Operations of the admin features, each in a table of its own
     * (store/accounts.h, store/editorial.h, store/media.h). */
    const struct mh_store_account_ops *accounts;
    const struct mh_store_editorial_ops *editorial;
    const struct mh_store_media_ops *media;
    const struct mh_store_field_ops *fields;           /* store/fields.h */
    const struct mh_store_language_ops *languages_ext; /* store/languages.h */
    const struct mh_store_seo_ops *seo;                /* store/seo.h */
    const struct mh_store_search_ops *search;          /* store/search.h */
    const struct mh_store_token_ops *tokens;           /* store/tokens.h */
    const struct mh_store_image_ops *images;           /* store/images.h */
    const struct mh_store_mail_ops *mail;              /* store/mail.h */
    const struct mh_store_submission_ops *submissions; /* store/submissions.h (forms) */
    const struct mh_store_portal_ops *portal;          /* store/portal.h */
    const struct mh_store_tag_ops *tags;               /* store/tags.h */
    const struct mh_store_legacy_ops *legacy;          /* store/legacy.h */

    /* Open the database at path (created, mode 0600, when create is set and
     * it does not exist). */
    int (*open)(const char *path, bool create, mh_store_t **out, char *err, size_t errlen);
    void (*close)(mh_store_t *s);
    /* Apply pending migrations, each in its own transaction. *version
     * receives the schema version reached (may be NULL). */
    int (*migrate)(mh_store_t *s, int *version, char *err, size_t errlen);
    int (*begin)(mh_store_t *s); /* a write transaction */
    int (*commit)(mh_store_t *s);
    int (*rollback)(mh_store_t *s);
    /* A read-only transaction around the queries of one page (MH_OK), or
     * MH_DECLINED when the thread is already inside a transaction (then
     * read_end must not be called). */
    int (*read_begin)(mh_store_t *s);
    void (*read_end)(mh_store_t *s);
    /* *changed is set when another connection committed since this thread's
     * connection last looked. */
    int (*data_changed)(mh_store_t *s, bool *changed);

    /* sites */
    int (*site_get)(mh_store_t *s, mh_pool_t *p, mh_site_info_t *out); /* the first site */
    int (*site_insert)(mh_store_t *s, const char *name, const char *domain, int64_t *id);

    /* languages: all of them, ordered by position, default first, id */
    int (*languages)(mh_store_t *s, mh_pool_t *p, mh_language_t **out, size_t *n);
    int (*language_insert)(mh_store_t *s, const mh_language_t *in, int64_t *id);

    /* columns: all of them (every language), ordered by language, position,
     * id; path and depth are left for the caller to compute */
    int (*columns)(mh_store_t *s, mh_pool_t *p, mh_column_t **out, size_t *n);
    int (*column_insert)(mh_store_t *s, const mh_column_t *in, int64_t *id);
    int (*column_update)(mh_store_t *s, const mh_column_t *in);
    int (*column_set_slug)(mh_store_t *s, int64_t id, const char *slug);
    /* Is slug used by a column other than exclude_id among the children of
     * parent_id (0: top level) in the language? */
    int (*column_slug_taken)(mh_store_t *s, int64_t lang_id, int64_t parent_id, const char *slug,
                             int64_t exclude_id, bool *taken);

    /* entries (list results leave body_html NULL) */
    int (*entries_list)(mh_store_t *s, mh_pool_t *p, const mh_store_entry_filter_t *f,
                        mh_entry_t **out, size_t *n, int64_t *total);
    int (*entry_get)(mh_store_t *s, mh_pool_t *p, int64_t id, mh_entry_t *out);
    int (*entry_by_slug)(mh_store_t *s, mh_pool_t *p, int64_t column_id, const char *slug,
                         mh_entry_t *out);
    /* The public entries just before and just after e in its column in
     * order sort, from one query; either comes back NULL at its end. They
     * carry the link fields only (id, column_id, lang_id,
     * translation_group, title, slug, publish_at; other strings empty). */
    int (*entry_neighbors)(mh_store_t *s, mh_pool_t *p, const mh_entry_t *e, mh_sort_t sort,
                           int64_t now, mh_entry_t **prev, mh_entry_t **next);
    /* Public entries of group other than exclude_id, in other languages
     * than lang_id, by language then id; link fields only, as above. */
    int (*entry_translations)(mh_store_t *s, mh_pool_t *p, int64_t group, int64_t exclude_id,
                              int64_t lang_id, int64_t now, mh_entry_t **out, size_t *n);
    int (*entry_insert)(mh_store_t *s, const mh_entry_t *in, int64_t *id);
    int (*entry_update)(mh_store_t *s, const mh_entry_t *in);
    int (*entry_set_slug_group)(mh_store_t *s, int64_t id, const char *slug, int64_t group);
    int (*entry_slug_taken)(mh_store_t *s, int64_t column_id, const char *slug, int64_t exclude_id,
                            bool *taken);

    /* settings: every row of the site */
    int (*settings)(mh_store_t *s, mh_pool_t *p, mh_store_setting_t **out, size_t *n);
    /* Set (value non-NULL) or delete (value NULL) one setting. */
    int (*setting_set)(mh_store_t *s, int64_t site_id, int64_t lang_id, const char *key,
                       const char *value);

    /* The content generation: a counter the backend increments inside the
     * transaction of every write that changes public content (published
     * or scheduled entries that are not in the bin, columns, languages,
     * settings, the site), whoever makes it; nothing else moves it (see
     * docs/internals/caching.md). */
    int (*content_generation)(mh_store_t *s, int64_t *value);
    /* Did the calling thread's last failed operation since its last begin
     * fail for want of space (disk full, database size limit)? The content
     * layer turns such failures into MH_NOSPACE. */
    bool (*failed_nospace)(mh_store_t *s);
    /* Housekeeping the server runs about once a second from one thread
     * (mh_content_poll): for SQLite, the WAL checkpoint policy of
     * docs/internals/sqlite.md. NULL when a backend needs none. */
    int (*maintain)(mh_store_t *s);
    /* Invalidation by dependency (docs/internals/caching.md): in one read
     * snapshot, the content generation counter and the changes logged
     * after seq `after` (content_changes), six ids per change (column,
     * language and translation group before and after), at most max of
     * them; *first and *last are the seqs of the first and last returned
     * (0 when none), *more is set when there were more. NULL when a
     * backend logs no changes: every change then invalidates every page. */
    int (*content_changes)(mh_store_t *s, mh_pool_t *p, int64_t after, size_t max,
                           int64_t *generation, int64_t **changes, size_t *n, int64_t *first,
                           int64_t *last, bool *more);
};

extern const struct mh_store_ops mh_store_sqlite_ops;
extern const struct mh_store_account_ops mh_store_sqlite_accounts;
extern const struct mh_store_editorial_ops mh_store_sqlite_editorial;
extern const struct mh_store_media_ops mh_store_sqlite_media;
extern const struct mh_store_field_ops mh_store_sqlite_fields;
extern const struct mh_store_image_ops mh_store_sqlite_images;
extern const struct mh_store_seo_ops mh_store_sqlite_seo;
extern const struct mh_store_legacy_ops mh_store_sqlite_legacy;

/* Open the database at path with the backend its name selects (today every
 * path is a SQLite file) and apply pending migrations. */
int mh_store_open(const char *path, bool create, mh_store_t **out, char *err, size_t errlen);
void mh_store_close(mh_store_t *s);

/* A site directory's database: the store decides its file names (SQLite:
 * DIR/site.db and its -wal/-shm/-journal companions). open_dir without
 * create refuses ("DIR is not a site") when the database is missing;
 * exists_dir says whether one is there; remove_dir deletes its files (a
 * failed init cleans up with it). */
int mh_store_open_dir(const char *dir, bool create, mh_store_t **out, char *err, size_t errlen);
bool mh_store_exists_dir(const char *dir);

/* What DIR's database file is, read without writing to it: missing, empty
 * (0 bytes: init may create the site in it), a masthead site, or foreign
 * (not SQLite, or SQLite without masthead's tables: every command refuses
 * it). err receives the message to show for anything but MH_DB_SITE.
 * open_dir without create refuses all but a site; init refuses a site and
 * foreign files. */
typedef enum { MH_DB_MISSING, MH_DB_EMPTY, MH_DB_SITE, MH_DB_FOREIGN } mh_db_state_t;
mh_db_state_t mh_store_probe_dir(const char *dir, char *err, size_t errlen);
/* The same for a database file's path (dir names the site in messages). */
mh_db_state_t mh_store_probe_file(const char *path, const char *dir, char *err, size_t errlen);
void mh_store_remove_dir(const char *dir);

/* The SQLite schema, one migration per element, applied in order; the
 * index + 1 is the schema version it brings. Each runs in its own write
 * transaction. A migration that rebuilds a table (SQLite's "other kinds of
 * table schema changes": create new, copy, drop old, rename) starts with
 * MH_SQLITE_MIGRATION_FK_OFF: the runner switches foreign keys off before
 * its transaction, runs PRAGMA foreign_key_check before committing (a
 * dangling reference fails the migration) and switches them on again. */
#define MH_SQLITE_MIGRATION_FK_OFF "-- foreign_keys off\n"
extern const char *const mh_store_sqlite_migrations[];
extern const size_t mh_store_sqlite_migrations_count;

/* The text forms of enums stored in the database live with the types
 * (model/model.h); these are their earlier names. */
#define mh_store_status_name mh_status_name
#define mh_store_status_parse mh_status_parse
#define mh_store_sort_name mh_sort_name
#define mh_store_sort_parse mh_sort_parse
#define mh_store_nav_name mh_nav_name
#define mh_store_nav_parse mh_nav_parse

#endif
