/* SQLite backend.
 *
 * One connection per thread (a pthread key per store), opened lazily with
 * SQLITE_OPEN_NOMUTEX: a connection is never shared, so SQLite's own
 * per-connection mutex would be pure overhead. Every statement is a constant
 * from the table below, prepared once per connection with
 * SQLITE_PREPARE_PERSISTENT and reset after each use (a statement left
 * mid-step would pin an old read snapshot and block WAL checkpoints). */
#include "store.h"
#include "sqlite_ext.h"
#include "languages.h"
#include "search.h"
#include "submissions.h"
#include "sqlite_lists.h"
#include "sqlite_deps.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "mail.h"
#include "portal.h"
#include "seo.h"
#include "tokens.h"
#include "tags.h"

/* Public visibility of an entry; scheduled entries go live at publish_at. */
#define PUBLIC_COND "status IN ('published', 'scheduled') AND publish_at <= "

#define ENTRY_FULL "SELECT " MH_SQLITE_ENTRY_COLS("body_html") " FROM entries "

/* What a link to an entry needs (read_link). */
#define LINK_COLS "id, column_id, lang_id, translation_group, title, slug, publish_at "
#define ENTRY_LINK "SELECT " LINK_COLS
#define NB_WHERE                                                                                   \
    "FROM entries WHERE column_id = ?1 AND deleted_at IS NULL AND " PUBLIC_COND "?2 AND "
#define NB_PAIR(prev, next)                                                                        \
    "SELECT * FROM (SELECT -1, " LINK_COLS NB_WHERE prev " LIMIT 1) "                              \
    "UNION ALL SELECT * FROM (SELECT 1, " LINK_COLS NB_WHERE next " LIMIT 1)"
#define NB_DATE_PREV                                                                               \
    "(publish_at < ?3 OR (publish_at = ?3 AND id < ?4)) ORDER BY publish_at DESC, id DESC"
#define NB_DATE_NEXT                                                                               \
    "(publish_at > ?3 OR (publish_at = ?3 AND id > ?4)) ORDER BY publish_at ASC, id ASC"

enum {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_DATA_VERSION,
    ST_SITE_GET,
    ST_SITE_INSERT,
    ST_LANGUAGES,
    ST_LANGUAGE_INSERT,
    ST_COLUMNS,
    ST_COLUMN_INSERT,
    ST_COLUMN_UPDATE,
    ST_COLUMN_SET_SLUG,
    ST_COLUMN_SLUG_TAKEN,
    ST_NEIGHBORS, /* + sort, 5 statements */
    ST_TRANSLATIONS = ST_NEIGHBORS + 5,
    ST_ENTRY_GET,
    ST_ENTRY_BY_SLUG,
    ST_ENTRY_INSERT,
    ST_ENTRY_UPDATE,
    ST_ENTRY_SET_SLUG_GROUP,
    ST_ENTRY_SLUG_TAKEN,
    ST_SETTINGS,
    ST_SETTING_UPSERT,
    ST_SETTING_DELETE,
    ST_MAX
};

static const char *const sql[ST_MAX] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_DATA_VERSION] = "PRAGMA data_version",
    [ST_SITE_GET] = "SELECT id, name, domain FROM sites ORDER BY id LIMIT 1",
    [ST_SITE_INSERT] = "INSERT INTO sites (name, domain) VALUES (?1, ?2)",
    [ST_LANGUAGES] = "SELECT id, site_id, code, name, prefix, domain, is_default, position, "
                     "public FROM languages ORDER BY position, is_default DESC, id",
    [ST_LANGUAGE_INSERT] = "INSERT INTO languages (site_id, code, name, prefix, domain, "
                           "is_default, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_COLUMNS] = "SELECT id, coalesce(parent_id, 0), lang_id, module, name, slug, summary, "
                   "body_html, link_url, seo_title, seo_keywords, seo_description, nav, "
                   "sort_mode, page_size, position, visible, "
                   "CASE WHEN translation_group > 0 THEN translation_group ELSE id END "
                   "FROM columns ORDER BY lang_id, position, id",
    [ST_COLUMN_INSERT] =
        "INSERT INTO columns (parent_id, lang_id, module, name, slug, summary, body_html, "
        "link_url, seo_title, seo_keywords, seo_description, nav, sort_mode, page_size, "
        "position, visible, translation_group) VALUES (nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    [ST_COLUMN_UPDATE] =
        "UPDATE columns SET parent_id = nullif(?2, 0), lang_id = ?3, module = ?4, name = ?5, "
        "slug = ?6, summary = ?7, body_html = ?8, link_url = ?9, seo_title = ?10, "
        "seo_keywords = ?11, seo_description = ?12, nav = ?13, sort_mode = ?14, "
        "page_size = ?15, position = ?16, visible = ?17, "
        "translation_group = CASE WHEN ?18 = id THEN 0 ELSE ?18 END WHERE id = ?1",
    [ST_COLUMN_SET_SLUG] = "UPDATE columns SET slug = ?2 WHERE id = ?1",
    [ST_COLUMN_SLUG_TAKEN] = "SELECT 1 FROM columns WHERE lang_id = ?1 AND "
                             "coalesce(parent_id, 0) = ?2 AND slug = ?3 AND id <> ?4 LIMIT 1",
    /* Neighbours, both in one statement: ?3 is the sort key of the current
     * entry, ?4 its id; the first column says which side (-1 previous, 1
     * next). Both date orders step chronologically (previous = older). */
    [ST_NEIGHBORS + MH_SORT_NEWEST] = NB_PAIR(NB_DATE_PREV, NB_DATE_NEXT),
    [ST_NEIGHBORS + MH_SORT_OLDEST] = NB_PAIR(NB_DATE_PREV, NB_DATE_NEXT),
    [ST_NEIGHBORS + MH_SORT_MANUAL] =
        NB_PAIR("(position < ?3 OR (position = ?3 AND id < ?4)) ORDER BY position DESC, id DESC",
                "(position > ?3 OR (position = ?3 AND id > ?4)) ORDER BY position ASC, id ASC"),
    [ST_NEIGHBORS + MH_SORT_TITLE] =
        NB_PAIR("(title < ?3 OR (title = ?3 AND id < ?4)) ORDER BY title DESC, id DESC",
                "(title > ?3 OR (title = ?3 AND id > ?4)) ORDER BY title ASC, id ASC"),
    [ST_NEIGHBORS + MH_SORT_HITS] =
        NB_PAIR("(hits > ?3 OR (hits = ?3 AND id > ?4)) ORDER BY hits ASC, id ASC",
                "(hits < ?3 OR (hits = ?3 AND id < ?4)) ORDER BY hits DESC, id DESC"),
    /* A group has a handful of rows: its own index must win over
     * entries_status_time, which would scan every public entry ("+" keeps
     * status out of index selection), and they are put in order in C
     * rather than through a sorter (sq_entry_translations). */
    [ST_TRANSLATIONS] =
        ENTRY_LINK "FROM entries WHERE translation_group = ?1 AND id <> ?2 AND lang_id <> ?3 "
                   "AND deleted_at IS NULL AND +" PUBLIC_COND "?4",
    [ST_ENTRY_GET] = ENTRY_FULL "WHERE id = ?1 AND deleted_at IS NULL",
    [ST_ENTRY_BY_SLUG] = ENTRY_FULL "WHERE column_id = ?1 AND slug = ?2 AND deleted_at IS NULL",
    [ST_ENTRY_INSERT] =
        "INSERT INTO entries (column_id, lang_id, title, slug, summary, body_html, author, "
        "source, cover, seo_title, seo_keywords, seo_description, publish_at, created_at, "
        "updated_at, status, pinned, recommended, hits, position, author_id, translation_group) "
        "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
        "?19, ?20, ?21, nullif(?22, 0), ?23)",
    /* created_at and hits (?15, ?20) are never rewritten by an edit. */
    [ST_ENTRY_UPDATE] =
        "UPDATE entries SET column_id = ?2, lang_id = ?3, title = ?4, slug = ?5, summary = ?6, "
        "body_html = ?7, author = ?8, source = ?9, cover = ?10, seo_title = ?11, "
        "seo_keywords = ?12, seo_description = ?13, publish_at = ?14, updated_at = ?16, "
        "status = ?17, pinned = ?18, recommended = ?19, position = ?21, "
        "author_id = nullif(?22, 0), translation_group = ?23 "
        "WHERE id = ?1 AND deleted_at IS NULL",
    [ST_ENTRY_SET_SLUG_GROUP] =
        "UPDATE entries SET slug = ?2, translation_group = ?3 WHERE id = ?1",
    [ST_ENTRY_SLUG_TAKEN] =
        "SELECT 1 FROM entries WHERE column_id = ?1 AND slug = ?2 AND id <> ?3 LIMIT 1",
    [ST_SETTINGS] = "SELECT coalesce(lang_id, 0), key, value FROM settings ORDER BY id",
    [ST_SETTING_UPSERT] = "INSERT INTO settings (site_id, lang_id, key, value) "
                          "VALUES (?1, nullif(?2, 0), ?3, ?4) "
                          "ON CONFLICT (site_id, coalesce(lang_id, 0), key) "
                          "DO UPDATE SET value = excluded.value",
    [ST_SETTING_DELETE] =
        "DELETE FROM settings WHERE site_id = ?1 AND coalesce(lang_id, 0) = ?2 AND key = ?3",
};

struct sq_store;

/* Statements of the feature files, keyed by the address of their SQL. */
struct ext_stmt {
    const char *sql;
    sqlite3_stmt *st;
};

struct conn {
    sqlite3 *db;
    sqlite3_stmt *st[ST_MAX];
    struct ext_stmt *ext;
    size_t next_ext, ext_cap;
    int64_t data_version;
    bool reading; /* inside a transaction read_begin started */
    struct sq_store *owner;
    struct conn *prev, *next;
};

struct sq_store {
    struct mh_store base;
    char *path;
    pthread_key_t key;
    pthread_mutex_t lock; /* guards conns */
    struct conn *conns;
    pthread_mutex_t ckpt_lock; /* one checkpoint at a time (checkpoint()) */
};

static void conn_free(struct conn *c)
{
    for (size_t i = 0; i < ST_MAX; i++)
        sqlite3_finalize(c->st[i]);
    for (size_t i = 0; i < c->next_ext; i++)
        sqlite3_finalize(c->ext[i].st);
    free(c->ext);
    sqlite3_close(c->db);
    free(c);
}

static void conn_unlink(struct conn *c)
{
    struct sq_store *s = c->owner;
    pthread_mutex_lock(&s->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&s->lock);
}

/* pthread key destructor: the thread is exiting. */
static void conn_thread_exit(void *arg)
{
    struct conn *c = arg;
    conn_unlink(c);
    conn_free(c);
}

static int exec(sqlite3 *db, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
        mh_error("sqlite: %s: %s", text, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return MH_ERR;
    }
    return MH_OK;
}

static int64_t read_data_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql[ST_DATA_VERSION], -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Before SQLite initialises: no global memory statistics (their mutex is
 * taken on every allocation) and no per-connection mutexes (a connection
 * never leaves its thread). Fails harmlessly if SQLite is already in use. */
static void sqlite_global_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* The WAL policy (docs/internals/sqlite.md). After a commit that leaves
 * the WAL longer than WAL_AUTOCHECKPOINT_PAGES pages, the committing thread
 * checkpoints it (wal_hook, in place of SQLite's autocheckpoint), PASSIVE:
 * it never waits, and so it cannot restart the WAL while readers use it,
 * which overlapping readers under a stream of writes always do. Past
 * WAL_TRUNCATE_BYTES the checkpoint is TRUNCATE: it takes the write lock,
 * waits up to WAL_TRUNCATE_WAIT_MS for the readers of older snapshots,
 * and empties the file. One thread of the process checkpoints at a time.
 * The server's housekeeping (sq_maintain, once a second) does the same
 * for a WAL that commits left long; a WAL that was reset is cut back to
 * WAL_KEEP_BYTES (journal_size_limit). */
#define WAL_AUTOCHECKPOINT_PAGES 1000
#define WAL_KEEP_BYTES 4194304
#define WAL_PASSIVE_BYTES (4 << 20)
#define WAL_TRUNCATE_BYTES (8 << 20)
#define WAL_TRUNCATE_WAIT_MS 200
#define BUSY_TIMEOUT_MS 5000
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages);
#define MH_STR_(x) #x
#define MH_STR(x) MH_STR_(x)

static struct conn *conn_open(struct sq_store *s, bool create, char *err, size_t errlen)
{
    struct conn *c = mh_calloc(1, sizeof(*c));
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    c->owner = s;
    if (sqlite3_open_v2(s->path, &c->db, flags, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    if (exec(c->db, "PRAGMA journal_mode = WAL") != MH_OK ||
        exec(c->db, "PRAGMA foreign_keys = ON") != MH_OK ||
        exec(c->db, "PRAGMA synchronous = NORMAL") != MH_OK ||
        exec(c->db, "PRAGMA journal_size_limit = " MH_STR(WAL_KEEP_BYTES)) != MH_OK)
        goto fail;
    /* full-text search: the tokenizer and the functions the index's
     * triggers call, before any statement (a migration too) touches them */
    if (mh_sqlite_search_register(c->db) != MH_OK)
        goto fail;
    sqlite3_wal_hook(c->db, wal_hook, s);
    c->data_version = read_data_version(c->db);
    return c;
fail:
    if (err)
        snprintf(err, errlen, "%s: %s", s->path,
                 c->db ? sqlite3_errmsg(c->db) : "cannot open database");
    mh_error("sqlite: cannot open %s: %s", s->path,
             c->db ? sqlite3_errmsg(c->db) : "out of memory");
    conn_free(c);
    return NULL;
}

static void conn_register(struct sq_store *s, struct conn *c)
{
    pthread_mutex_lock(&s->lock);
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    pthread_mutex_unlock(&s->lock);
    pthread_setspecific(s->key, c);
}

/* The calling thread's connection, opened on first use. */
static struct conn *conn_get(mh_store_t *base)
{
    struct sq_store *s = (struct sq_store *)base;
    struct conn *c = pthread_getspecific(s->key);
    if (c)
        return c;
    c = conn_open(s, false, NULL, 0);
    if (c)
        conn_register(s, c);
    return c;
}

/* A ready statement (reset, no bindings) or NULL. */
static sqlite3_stmt *stmt(struct conn *c, int id)
{
    sqlite3_stmt *st = c->st[id];
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(c->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        mh_error("sqlite: prepare %s: %s", sql[id], sqlite3_errmsg(c->db));
        return NULL;
    }
    c->st[id] = st;
    return st;
}

sqlite3 *mh_sqlite_db(mh_store_t *s)
{
    struct conn *c = conn_get(s);
    return c ? c->db : NULL;
}

sqlite3_stmt *mh_sqlite_stmt(mh_store_t *s, const char *text)
{
    struct conn *c = conn_get(s);
    if (!c)
        return NULL;
    for (size_t i = 0; i < c->next_ext; i++) {
        if (c->ext[i].sql == text) {
            sqlite3_reset(c->ext[i].st);
            sqlite3_clear_bindings(c->ext[i].st);
            return c->ext[i].st;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(c->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        mh_error("sqlite: prepare %s: %s", text, sqlite3_errmsg(c->db));
        return NULL;
    }
    if (c->next_ext == c->ext_cap) {
        c->ext_cap = c->ext_cap ? c->ext_cap * 2 : 32;
        c->ext = mh_realloc(c->ext, c->ext_cap * sizeof(*c->ext));
    }
    c->ext[c->next_ext++] = (struct ext_stmt){text, st};
    return st;
}

/* Whether the calling thread's last failed statement failed for want of
 * space (SQLITE_FULL: the disk, or max_page_count). A connection never
 * leaves its thread, so per thread is per connection. Cleared by begin. */
static _Thread_local bool tl_nospace;

static void note_failure(sqlite3 *db)
{
    if (!db)
        return;
    int code = sqlite3_extended_errcode(db) & 0xff;
    /* An I/O error is out of space too when the system call said so (a
     * WAL append that hits a file size limit, an fsync on a full disk). */
    int e = code == SQLITE_IOERR ? sqlite3_system_errno(db) : 0;
    if (code == SQLITE_FULL || e == ENOSPC || e == EDQUOT || e == EFBIG)
        tl_nospace = true;
}

int mh_sqlite_fail(mh_store_t *s, const char *what)
{
    struct conn *c = conn_get(s);
    note_failure(c ? c->db : NULL);
    mh_error("sqlite: %s: %s", what, c ? sqlite3_errmsg(c->db) : "no connection");
    return MH_ERR;
}

int mh_sqlite_run(mh_store_t *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return mh_sqlite_fail(s, what);
    return MH_OK;
}

const char *mh_sqlite_text(mh_pool_t *p, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return "";
    return mh_pstrndup(p, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
}

void mh_sqlite_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static int fail(struct conn *c, const char *what)
{
    note_failure(c->db);
    mh_error("sqlite: %s: %s", what, sqlite3_errmsg(c->db));
    return MH_ERR;
}

/* Run a statement that returns no rows; resets it. */
static int run(struct conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(c, what);
    return MH_OK;
}

static const char *col_str(mh_pool_t *p, sqlite3_stmt *st, int i)
{
    return mh_sqlite_text(p, st, i);
}

/* --- lifecycle --- */

static int sq_open(const char *path, bool create, mh_store_t **out, char *err, size_t errlen)
{
    struct sq_store *s = mh_calloc(1, sizeof(*s));
    struct conn *c;
    pthread_once(&config_once, sqlite_global_config);
    s->base.ops = &mh_store_sqlite_ops;
    s->path = mh_strdup(path);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->ckpt_lock, NULL);
    if (pthread_key_create(&s->key, conn_thread_exit) != 0) {
        snprintf(err, errlen, "%s: out of thread keys", path);
        goto fail_key;
    }
    if (create) {
        /* Create the file ourselves so it gets mode 0600 (SQLite gives the
         * -wal and -shm files the same mode). */
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
        close(fd);
    }
    c = conn_open(s, create, err, errlen);
    if (!c)
        goto fail;
    conn_register(s, c);
    *out = &s->base;
    return MH_OK;
fail:
    pthread_key_delete(s->key);
fail_key:
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->ckpt_lock);
    free(s->path);
    free(s);
    *out = NULL;
    return MH_ERR;
}

static void sq_close(mh_store_t *base)
{
    struct sq_store *s = (struct sq_store *)base;
    if (!s)
        return;
    pthread_setspecific(s->key, NULL);
    pthread_key_delete(s->key);
    while (s->conns) {
        struct conn *c = s->conns;
        s->conns = c->next;
        conn_free(c);
    }
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->ckpt_lock);
    free(s->path);
    free(s);
}

/* Does migration i rebuild tables (MH_SQLITE_MIGRATION_FK_OFF)? */
static bool migration_fk_off(int i)
{
    const char *text = mh_store_sqlite_migrations[i];
    return strncmp(text, MH_SQLITE_MIGRATION_FK_OFF, strlen(MH_SQLITE_MIGRATION_FK_OFF)) == 0;
}

/* After a table rebuild with foreign keys off: no row may point nowhere. */
static bool foreign_keys_hold(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

static int sq_migrate(mh_store_t *base, int *version, char *err, size_t errlen)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = NULL;
    int have = 0, rc = MH_ERR;
    bool fk_off = false; /* this connection's foreign keys are switched off */
    const int want = (int)mh_store_sqlite_migrations_count;
    if (!c) {
        snprintf(err, errlen, "cannot open database");
        return MH_ERR;
    }
    if (exec(c->db, "CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)") != MH_OK)
        goto db_error;
    for (;;) {
        if (exec(c->db, "BEGIN IMMEDIATE") != MH_OK)
            goto db_error;
        /* Read the version inside the write transaction: another process
         * may have migrated meanwhile. */
        if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(version), 0) FROM schema_version", -1,
                               &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW)
            goto rollback;
        have = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (have > want) {
            snprintf(err, errlen, "database schema version %d is newer than this program's (%d)",
                     have, want);
            exec(c->db, "ROLLBACK");
            goto done;
        }
        if (have == want) {
            if (exec(c->db, "COMMIT") != MH_OK)
                goto db_error;
            break;
        }
        /* A table rebuild needs foreign keys off, and the pragma is a no-op
         * inside a transaction: step out, switch them off, and read the
         * version again in a new transaction. */
        if (migration_fk_off(have) && !fk_off) {
            exec(c->db, "ROLLBACK");
            if (exec(c->db, "PRAGMA foreign_keys = OFF") != MH_OK)
                goto db_error;
            fk_off = true;
            continue;
        }
        if (exec(c->db, mh_store_sqlite_migrations[have]) != MH_OK)
            goto rollback;
        if (fk_off && !foreign_keys_hold(c->db)) {
            snprintf(err, errlen, "migration %d failed: foreign key check", have + 1);
            exec(c->db, "ROLLBACK");
            goto done;
        }
        if (sqlite3_prepare_v2(c->db,
                               "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                               -1, &st, NULL) != SQLITE_OK)
            goto rollback;
        sqlite3_bind_int(st, 1, have + 1);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE)
            goto rollback;
        sqlite3_finalize(st);
        st = NULL;
        if (exec(c->db, "COMMIT") != MH_OK)
            goto rollback;
        mh_info("database migrated to schema version %d", have + 1);
        if (fk_off) {
            if (exec(c->db, "PRAGMA foreign_keys = ON") != MH_OK)
                goto db_error;
            fk_off = false;
        }
    }
    if (version)
        *version = want;
    rc = MH_OK;
    goto done;
rollback:
    snprintf(err, errlen, "migration %d failed: %s", have + 1, sqlite3_errmsg(c->db));
    sqlite3_finalize(st);
    st = NULL;
    exec(c->db, "ROLLBACK");
    goto done;
db_error:
    snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
done:
    sqlite3_finalize(st);
    if (fk_off)
        exec(c->db, "PRAGMA foreign_keys = ON");
    return rc;
}

static int simple(mh_store_t *base, int id, const char *what)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, id) : NULL;
    if (!st)
        return MH_ERR;
    return run(c, st, what);
}

static int sq_begin(mh_store_t *s)
{
    /* Not inside a page's read transaction: SQLite would refuse the nested
     * BEGIN, and a write there would be committed by read_end. */
    assert(!conn_get(s) || !conn_get(s)->reading);
    tl_nospace = false;
    return simple(s, ST_BEGIN, "begin");
}

/* A read transaction: one snapshot and one set of file locks for all the
 * queries of a page, instead of one per statement. Outside a transaction
 * only, so a page never nests inside a write. */
static int sq_read_begin(mh_store_t *base)
{
    struct conn *c = conn_get(base);
    if (!c)
        return MH_ERR;
    if (!sqlite3_get_autocommit(c->db))
        return MH_DECLINED;
    sqlite3_stmt *st = mh_sqlite_stmt(base, "BEGIN DEFERRED");
    int rc = st ? run(c, st, "begin read") : MH_ERR;
    c->reading = rc == MH_OK;
    return rc;
}

static void sq_read_end(mh_store_t *base)
{
    struct conn *c = conn_get(base);
    /* Only after a read_begin that returned MH_OK: after a declined one the
     * COMMIT below would end the caller's write transaction half way. */
    assert(!c || c->reading);
    if (c)
        c->reading = false;
    if (!c || sqlite3_get_autocommit(c->db))
        return;
    sqlite3_stmt *st = mh_sqlite_stmt(base, "COMMIT");
    if (st)
        run(c, st, "end read");
}

/* The search index is kept in the transaction of the write: what the
 * triggers queued is indexed just before COMMIT (store/search.h); a
 * failure there fails the commit, and the caller rolls back. */
static int sq_commit(mh_store_t *s)
{
    struct conn *c = conn_get(s);
    if (c && mh_sqlite_search_flush(c->db, NULL) != MH_OK)
        return mh_sqlite_fail(s, "search: index the queue");
    return simple(s, ST_COMMIT, "commit");
}

static int sq_rollback(mh_store_t *s)
{
    return simple(s, ST_ROLLBACK, "rollback");
}

static int sq_data_changed(mh_store_t *base, bool *changed)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_DATA_VERSION) : NULL;
    int64_t v;
    *changed = false;
    if (!st)
        return MH_ERR;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return fail(c, "data_version");
    }
    v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (v != c->data_version) {
        c->data_version = v;
        *changed = true;
    }
    return MH_OK;
}

/* --- sites and languages --- */

static int sq_site_get(mh_store_t *base, mh_pool_t *p, mh_site_info_t *out)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_SITE_GET) : NULL;
    int rc;
    if (!st)
        return MH_ERR;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->name = col_str(p, st, 1);
        out->domain = col_str(p, st, 2);
        rc = MH_OK;
    } else {
        rc = rc == SQLITE_DONE ? MH_DECLINED : fail(c, "site");
    }
    sqlite3_reset(st);
    return rc;
}

static int sq_site_insert(mh_store_t *base, const char *name, const char *domain, int64_t *id)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_SITE_INSERT) : NULL;
    if (!st)
        return MH_ERR;
    mh_sqlite_bind_text(st, 1, name);
    mh_sqlite_bind_text(st, 2, domain);
    if (run(c, st, "insert site") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(c->db);
    return MH_OK;
}

void *mh_sqlite_rows_push(mh_sqlite_rows_t *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->items = mh_realloc(r->items, r->cap * r->size);
    }
    void *slot = (char *)r->items + r->n * r->size;
    memset(slot, 0, r->size);
    r->n++;
    return slot;
}

void *mh_sqlite_rows_finish(mh_sqlite_rows_t *r, mh_pool_t *p, size_t *n)
{
    void *out = mh_pnalloc(p, r->n ? r->n : 1, r->size);
    if (r->n)
        memcpy(out, r->items, r->n * r->size);
    free(r->items);
    r->items = NULL;
    *n = r->n;
    return out;
}

static int sq_languages(mh_store_t *base, mh_pool_t *p, mh_language_t **out, size_t *n)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_LANGUAGES) : NULL;
    mh_sqlite_rows_t r = {.size = sizeof(mh_language_t)};
    int rc;
    if (!st)
        return MH_ERR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_language_t *l = mh_sqlite_rows_push(&r);
        l->id = sqlite3_column_int64(st, 0);
        l->site_id = sqlite3_column_int64(st, 1);
        l->code = col_str(p, st, 2);
        l->name = col_str(p, st, 3);
        l->prefix = col_str(p, st, 4);
        l->domain = col_str(p, st, 5);
        l->is_default = sqlite3_column_int(st, 6) != 0;
        l->position = sqlite3_column_int(st, 7);
        l->hidden = sqlite3_column_int(st, 8) == 0;
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : fail(c, "languages");
}

static int sq_language_insert(mh_store_t *base, const mh_language_t *in, int64_t *id)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_LANGUAGE_INSERT) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->site_id);
    mh_sqlite_bind_text(st, 2, in->code);
    mh_sqlite_bind_text(st, 3, in->name);
    mh_sqlite_bind_text(st, 4, in->prefix);
    mh_sqlite_bind_text(st, 5, in->domain);
    sqlite3_bind_int(st, 6, in->is_default);
    sqlite3_bind_int(st, 7, in->position);
    if (run(c, st, "insert language") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(c->db);
    return MH_OK;
}

/* --- columns --- */

static int sq_columns(mh_store_t *base, mh_pool_t *p, mh_column_t **out, size_t *n)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_COLUMNS) : NULL;
    mh_sqlite_rows_t r = {.size = sizeof(mh_column_t)};
    int rc;
    if (!st)
        return MH_ERR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_column_t *col = mh_sqlite_rows_push(&r);
        int v;
        col->id = sqlite3_column_int64(st, 0);
        col->parent_id = sqlite3_column_int64(st, 1);
        col->lang_id = sqlite3_column_int64(st, 2);
        col->module = col_str(p, st, 3);
        col->name = col_str(p, st, 4);
        col->slug = col_str(p, st, 5);
        col->summary = col_str(p, st, 6);
        col->body_html = col_str(p, st, 7);
        col->link_url = col_str(p, st, 8);
        col->seo_title = col_str(p, st, 9);
        col->seo_keywords = col_str(p, st, 10);
        col->seo_description = col_str(p, st, 11);
        v = mh_store_nav_parse((const char *)sqlite3_column_text(st, 12));
        col->nav = v < 0 ? MH_NAV_HEADER : v;
        v = mh_store_sort_parse((const char *)sqlite3_column_text(st, 13));
        col->sort_mode = v < 0 ? MH_SORT_NEWEST : (mh_sort_t)v;
        col->page_size = sqlite3_column_int(st, 14);
        col->position = sqlite3_column_int(st, 15);
        col->visible = sqlite3_column_int(st, 16) != 0;
        col->translation_group = sqlite3_column_int64(st, 17);
        col->path = "";
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : fail(c, "columns");
}

static void bind_column(sqlite3_stmt *st, const mh_column_t *in)
{
    const char *nav = mh_store_nav_name(in->nav);
    const char *sort = mh_store_sort_name(in->sort_mode);
    const char *module = in->module && *in->module ? in->module : NULL;
    sqlite3_bind_int64(st, 2, in->parent_id);
    sqlite3_bind_int64(st, 3, in->lang_id);
    /* An invalid enum binds NULL and the NOT NULL constraint rejects it. */
    if (module)
        mh_sqlite_bind_text(st, 4, module);
    mh_sqlite_bind_text(st, 5, in->name);
    mh_sqlite_bind_text(st, 6, in->slug);
    mh_sqlite_bind_text(st, 7, in->summary);
    mh_sqlite_bind_text(st, 8, in->body_html);
    mh_sqlite_bind_text(st, 9, in->link_url);
    mh_sqlite_bind_text(st, 10, in->seo_title);
    mh_sqlite_bind_text(st, 11, in->seo_keywords);
    mh_sqlite_bind_text(st, 12, in->seo_description);
    if (nav)
        mh_sqlite_bind_text(st, 13, nav);
    if (sort)
        mh_sqlite_bind_text(st, 14, sort);
    sqlite3_bind_int(st, 15, in->page_size);
    sqlite3_bind_int(st, 16, in->position);
    sqlite3_bind_int(st, 17, in->visible);
    sqlite3_bind_int64(st, 18, in->translation_group > 0 ? in->translation_group : 0);
}

static int sq_column_insert(mh_store_t *base, const mh_column_t *in, int64_t *id)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_COLUMN_INSERT) : NULL;
    if (!st)
        return MH_ERR;
    bind_column(st, in);
    if (run(c, st, "insert column") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(c->db);
    return MH_OK;
}

static int sq_column_update(mh_store_t *base, const mh_column_t *in)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_COLUMN_UPDATE) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    bind_column(st, in);
    if (run(c, st, "update column") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(c->db) ? MH_OK : MH_DECLINED;
}

static int sq_column_set_slug(mh_store_t *base, int64_t id, const char *slug)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_COLUMN_SET_SLUG) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, slug);
    return run(c, st, "column slug");
}

static int exists(struct conn *c, sqlite3_stmt *st, bool *found)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(c, "lookup");
    *found = rc == SQLITE_ROW;
    return MH_OK;
}

static int sq_column_slug_taken(mh_store_t *base, int64_t lang_id, int64_t parent_id,
                                const char *slug, int64_t exclude_id, bool *taken)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_COLUMN_SLUG_TAKEN) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, lang_id);
    sqlite3_bind_int64(st, 2, parent_id);
    mh_sqlite_bind_text(st, 3, slug);
    sqlite3_bind_int64(st, 4, exclude_id);
    return exists(c, st, taken);
}

/* --- entries --- */

void mh_sqlite_read_entry(mh_pool_t *p, sqlite3_stmt *st, mh_entry_t *e)
{
    int v;
    e->id = sqlite3_column_int64(st, 0);
    e->column_id = sqlite3_column_int64(st, 1);
    e->lang_id = sqlite3_column_int64(st, 2);
    e->translation_group = sqlite3_column_int64(st, 3);
    e->author_id = sqlite3_column_int64(st, 4);
    e->title = col_str(p, st, 5);
    e->slug = col_str(p, st, 6);
    e->summary = col_str(p, st, 7);
    e->body_html = sqlite3_column_type(st, 8) == SQLITE_NULL ? NULL : col_str(p, st, 8);
    e->author = col_str(p, st, 9);
    e->source = col_str(p, st, 10);
    e->cover = col_str(p, st, 11);
    e->seo_title = col_str(p, st, 12);
    e->seo_keywords = col_str(p, st, 13);
    e->seo_description = col_str(p, st, 14);
    e->publish_at = sqlite3_column_int64(st, 15);
    e->created_at = sqlite3_column_int64(st, 16);
    e->updated_at = sqlite3_column_int64(st, 17);
    e->hits = sqlite3_column_int64(st, 18);
    v = mh_store_status_parse((const char *)sqlite3_column_text(st, 19));
    e->status = v < 0 ? MH_STATUS_DRAFT : (mh_status_t)v;
    e->pinned = sqlite3_column_int(st, 20) != 0;
    e->recommended = sqlite3_column_int(st, 21) != 0;
    e->position = sqlite3_column_int(st, 22);
}

/* Ids from a covering index, rows by id, totals from entry_counts:
 * sqlite_lists.c. */
static int sq_entries_list(mh_store_t *base, mh_pool_t *p, const mh_store_entry_filter_t *f,
                           mh_entry_t **out, size_t *n, int64_t *total)
{
    return conn_get(base) ? mh_sqlite_entries_list(base, p, f, out, n, total) : MH_ERR;
}

static int one_entry(struct conn *c, mh_pool_t *p, sqlite3_stmt *st, mh_entry_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        mh_sqlite_read_entry(p, st, out);
        rc = MH_OK;
    } else {
        rc = rc == SQLITE_DONE ? MH_DECLINED : fail(c, "entry");
    }
    sqlite3_reset(st);
    return rc;
}

static int sq_entry_get(mh_store_t *base, mh_pool_t *p, int64_t id, mh_entry_t *out)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_GET) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    return one_entry(c, p, st, out);
}

static int sq_entry_by_slug(mh_store_t *base, mh_pool_t *p, int64_t column_id, const char *slug,
                            mh_entry_t *out)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_BY_SLUG) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, slug);
    return one_entry(c, p, st, out);
}

/* An entry's link fields from ENTRY_LINK's columns, starting at column i;
 * its other strings are empty. */
static void read_link(mh_pool_t *p, sqlite3_stmt *st, int i, mh_entry_t *e)
{
    *e = (mh_entry_t){.summary = "",
                      .author = "",
                      .source = "",
                      .cover = "",
                      .seo_title = "",
                      .seo_keywords = "",
                      .seo_description = ""};
    e->id = sqlite3_column_int64(st, i);
    e->column_id = sqlite3_column_int64(st, i + 1);
    e->lang_id = sqlite3_column_int64(st, i + 2);
    e->translation_group = sqlite3_column_int64(st, i + 3);
    e->title = col_str(p, st, i + 4);
    e->slug = col_str(p, st, i + 5);
    e->publish_at = sqlite3_column_int64(st, i + 6);
}

static int sq_entry_neighbors(mh_store_t *base, mh_pool_t *p, const mh_entry_t *e, mh_sort_t sort,
                              int64_t now, mh_entry_t **prev, mh_entry_t **next)
{
    struct conn *c = conn_get(base);
    unsigned s = (unsigned)sort < 5 ? (unsigned)sort : MH_SORT_NEWEST;
    sqlite3_stmt *st = c ? stmt(c, (int)(ST_NEIGHBORS + s)) : NULL;
    *prev = *next = NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, e->column_id);
    sqlite3_bind_int64(st, 2, now);
    switch (s) {
    case MH_SORT_MANUAL:
        sqlite3_bind_int(st, 3, e->position);
        break;
    case MH_SORT_TITLE:
        mh_sqlite_bind_text(st, 3, e->title);
        break;
    case MH_SORT_HITS:
        sqlite3_bind_int64(st, 3, e->hits);
        break;
    default:
        sqlite3_bind_int64(st, 3, e->publish_at);
        break;
    }
    sqlite3_bind_int64(st, 4, e->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_entry_t *r = mh_palloc(p, sizeof(*r));
        read_link(p, st, 1, r);
        *(sqlite3_column_int(st, 0) < 0 ? prev : next) = r;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MH_OK : fail(c, "entry neighbours");
}

/* By language, then id. */
static int lang_id_order(const void *a, const void *b)
{
    const mh_entry_t *x = a, *y = b;
    if (x->lang_id != y->lang_id)
        return x->lang_id < y->lang_id ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int sq_entry_translations(mh_store_t *base, mh_pool_t *p, int64_t group, int64_t exclude_id,
                                 int64_t lang_id, int64_t now, mh_entry_t **out, size_t *n)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_TRANSLATIONS) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int64(st, 2, exclude_id);
    sqlite3_bind_int64(st, 3, lang_id);
    sqlite3_bind_int64(st, 4, now);
    mh_sqlite_rows_t r = {.size = sizeof(mh_entry_t)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_link(p, st, 0, mh_sqlite_rows_push(&r));
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    rc = rc == SQLITE_DONE ? MH_OK : fail(c, "entry translations");
    if (rc == MH_OK && *n > 1)
        qsort(*out, *n, sizeof(**out), lang_id_order);
    return rc;
}

static void bind_entry(sqlite3_stmt *st, const mh_entry_t *in)
{
    const char *status = mh_store_status_name(in->status);
    sqlite3_bind_int64(st, 2, in->column_id);
    sqlite3_bind_int64(st, 3, in->lang_id);
    mh_sqlite_bind_text(st, 4, in->title);
    mh_sqlite_bind_text(st, 5, in->slug);
    mh_sqlite_bind_text(st, 6, in->summary);
    mh_sqlite_bind_text(st, 7, in->body_html);
    mh_sqlite_bind_text(st, 8, in->author);
    mh_sqlite_bind_text(st, 9, in->source);
    mh_sqlite_bind_text(st, 10, in->cover);
    mh_sqlite_bind_text(st, 11, in->seo_title);
    mh_sqlite_bind_text(st, 12, in->seo_keywords);
    mh_sqlite_bind_text(st, 13, in->seo_description);
    sqlite3_bind_int64(st, 14, in->publish_at);
    sqlite3_bind_int64(st, 15, in->created_at);
    sqlite3_bind_int64(st, 16, in->updated_at);
    if (status)
        mh_sqlite_bind_text(st, 17, status);
    sqlite3_bind_int(st, 18, in->pinned);
    sqlite3_bind_int(st, 19, in->recommended);
    sqlite3_bind_int64(st, 20, in->hits);
    sqlite3_bind_int(st, 21, in->position);
    sqlite3_bind_int64(st, 22, in->author_id);
    sqlite3_bind_int64(st, 23, in->translation_group);
}

static int sq_entry_insert(mh_store_t *base, const mh_entry_t *in, int64_t *id)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_INSERT) : NULL;
    if (!st)
        return MH_ERR;
    bind_entry(st, in);
    if (run(c, st, "insert entry") != MH_OK)
        return MH_ERR;
    *id = sqlite3_last_insert_rowid(c->db);
    return MH_OK;
}

static int sq_entry_update(mh_store_t *base, const mh_entry_t *in)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_UPDATE) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, in->id);
    bind_entry(st, in);
    if (run(c, st, "update entry") != MH_OK)
        return MH_ERR;
    return sqlite3_changes(c->db) ? MH_OK : MH_DECLINED;
}

static int sq_entry_set_slug_group(mh_store_t *base, int64_t id, const char *slug, int64_t group)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_SET_SLUG_GROUP) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, id);
    mh_sqlite_bind_text(st, 2, slug);
    sqlite3_bind_int64(st, 3, group);
    return run(c, st, "entry slug");
}

static int sq_entry_slug_taken(mh_store_t *base, int64_t column_id, const char *slug,
                               int64_t exclude_id, bool *taken)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_ENTRY_SLUG_TAKEN) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, column_id);
    mh_sqlite_bind_text(st, 2, slug);
    sqlite3_bind_int64(st, 3, exclude_id);
    return exists(c, st, taken);
}

/* --- settings --- */

static int sq_settings(mh_store_t *base, mh_pool_t *p, mh_store_setting_t **out, size_t *n)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, ST_SETTINGS) : NULL;
    mh_sqlite_rows_t r = {.size = sizeof(mh_store_setting_t)};
    int rc;
    if (!st)
        return MH_ERR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_store_setting_t *s = mh_sqlite_rows_push(&r);
        s->lang_id = sqlite3_column_int64(st, 0);
        s->key = col_str(p, st, 1);
        s->value = col_str(p, st, 2);
    }
    sqlite3_reset(st);
    *out = mh_sqlite_rows_finish(&r, p, n);
    return rc == SQLITE_DONE ? MH_OK : fail(c, "settings");
}

static int sq_setting_set(mh_store_t *base, int64_t site_id, int64_t lang_id, const char *key,
                          const char *value)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st = c ? stmt(c, value ? ST_SETTING_UPSERT : ST_SETTING_DELETE) : NULL;
    if (!st)
        return MH_ERR;
    sqlite3_bind_int64(st, 1, site_id);
    sqlite3_bind_int64(st, 2, lang_id);
    mh_sqlite_bind_text(st, 3, key);
    if (value)
        mh_sqlite_bind_text(st, 4, value);
    return run(c, st, "set setting");
}

/* --- invariants: content generation, out of space --- */

/* The checkpoint's busy handler: retry every millisecond until the
 * deadline. Writers wait with SQLite's default handler, whose sleeps grow
 * to 100 ms, so under a steady stream of commits this one gets the write
 * lock at the next gap between two of them instead of never. */
static int checkpoint_busy(void *arg, int count)
{
    (void)count;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (ts.tv_sec * 1000 + ts.tv_nsec / 1000000 >= *(const int64_t *)arg)
        return 0;
    usleep(1000);
    return 1;
}

/* One checkpoint of db in mode, by one thread of the process at a time
 * (the others skip: it is being done; two at once would only fight over
 * SQLite's checkpoint lock, which a checkpoint does not wait for). */
static void checkpoint(struct sq_store *s, sqlite3 *db, int mode)
{
    int64_t deadline;
    if (pthread_mutex_trylock(&s->ckpt_lock) != 0)
        return;
    /* TRUNCATE holds new writers back while it waits for the readers:
     * not for long */
    if (mode == SQLITE_CHECKPOINT_TRUNCATE) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        deadline = ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + WAL_TRUNCATE_WAIT_MS;
        sqlite3_busy_handler(db, checkpoint_busy, &deadline);
    }
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, mode, NULL, NULL);
    if (mode == SQLITE_CHECKPOINT_TRUNCATE)
        sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        mh_warn("sqlite: wal checkpoint: %s", sqlite3_errmsg(db));
    pthread_mutex_unlock(&s->ckpt_lock);
}

/* After every commit (instead of SQLite's own autocheckpoint): pages is
 * the WAL's length in pages. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)name;
    if (pages < WAL_AUTOCHECKPOINT_PAGES)
        return SQLITE_OK;
    checkpoint(arg, db,
               (int64_t)pages * 4096 >= WAL_TRUNCATE_BYTES ? SQLITE_CHECKPOINT_TRUNCATE
                                                           : SQLITE_CHECKPOINT_PASSIVE);
    return SQLITE_OK;
}

/* Once a second from the server: the change log's old rows, and a WAL left
 * long by commits whose checkpoints found readers in the way. */
static int sq_maintain(mh_store_t *base)
{
    struct sq_store *s = (struct sq_store *)base;
    struct conn *c = conn_get(base);
    char wal[PATH_MAX];
    struct stat stt;
    if (!c)
        return MH_ERR;
    mh_sqlite_content_changes_trim(base);
    if (snprintf(wal, sizeof(wal), "%s-wal", s->path) >= (int)sizeof(wal) || stat(wal, &stt) != 0)
        return MH_OK;
    if (stt.st_size >= WAL_PASSIVE_BYTES)
        checkpoint(s, c->db,
                   stt.st_size >= WAL_TRUNCATE_BYTES ? SQLITE_CHECKPOINT_TRUNCATE
                                                     : SQLITE_CHECKPOINT_PASSIVE);
    return MH_OK;
}

static int sq_content_generation(mh_store_t *base, int64_t *value)
{
    struct conn *c = conn_get(base);
    sqlite3_stmt *st =
        c ? mh_sqlite_stmt(base, "SELECT value FROM content_generation WHERE id = 1") : NULL;
    int rc;
    *value = 0;
    if (!st)
        return MH_ERR;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? MH_DECLINED : fail(c, "content generation");
    return MH_OK;
}

static bool sq_failed_nospace(mh_store_t *base)
{
    (void)base;
    return tl_nospace;
}

const struct mh_store_ops mh_store_sqlite_ops = {
    .name = "sqlite",
    .accounts = &mh_store_sqlite_accounts,
    .editorial = &mh_store_sqlite_editorial,
    .media = &mh_store_sqlite_media,
    .fields = &mh_store_sqlite_fields,
    .images = &mh_store_sqlite_images,
    .languages_ext = &mh_store_sqlite_languages,
    .seo = &mh_store_sqlite_seo,
    .tokens = &mh_store_sqlite_tokens,
    .search = &mh_store_sqlite_search,
    .mail = &mh_store_sqlite_mail,
    .submissions = &mh_store_sqlite_submissions,
    .portal = &mh_store_sqlite_portal,
    .tags = &mh_store_sqlite_tags,
    .legacy = &mh_store_sqlite_legacy,
    .open = sq_open,
    .close = sq_close,
    .migrate = sq_migrate,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .data_changed = sq_data_changed,
    .site_get = sq_site_get,
    .site_insert = sq_site_insert,
    .languages = sq_languages,
    .language_insert = sq_language_insert,
    .columns = sq_columns,
    .column_insert = sq_column_insert,
    .column_update = sq_column_update,
    .column_set_slug = sq_column_set_slug,
    .column_slug_taken = sq_column_slug_taken,
    .entries_list = sq_entries_list,
    .entry_get = sq_entry_get,
    .entry_by_slug = sq_entry_by_slug,
    .entry_neighbors = sq_entry_neighbors,
    .entry_translations = sq_entry_translations,
    .entry_insert = sq_entry_insert,
    .entry_update = sq_entry_update,
    .entry_set_slug_group = sq_entry_set_slug_group,
    .entry_slug_taken = sq_entry_slug_taken,
    .settings = sq_settings,
    .setting_set = sq_setting_set,
    .content_generation = sq_content_generation,
    .maintain = sq_maintain,
    .content_changes = mh_sqlite_content_changes,
    .failed_nospace = sq_failed_nospace,
};
