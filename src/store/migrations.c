/* The SQLite schema as an append-only list of migrations. Never edit a
 * migration that has shipped: add a new element instead. Times are Unix
 * seconds; enums are stored as their text names so the database reads well
 * from the sqlite3 shell. Uniqueness that must treat NULL/0 parents alike
 * uses expression indices on coalesce(). */
#include "store.h"
#include "../search/search.h"

const char *const mh_store_sqlite_migrations[] = {
    /* 1: the whole product schema */
    "CREATE TABLE sites ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  domain TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE TABLE languages ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,"
    "  code TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  prefix TEXT NOT NULL DEFAULT '',"
    "  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),"
    "  domain TEXT NOT NULL DEFAULT '',"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (site_id, code),"
    "  UNIQUE (site_id, prefix)"
    ");"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  role TEXT NOT NULL DEFAULT 'contributor'"
    "    CHECK (role IN ('admin', 'editor', 'author', 'contributor')),"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  ui_lang TEXT NOT NULL DEFAULT 'en',"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE columns ("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES columns(id) ON DELETE CASCADE,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  module TEXT NOT NULL CHECK (module IN ('page', 'article', 'product', 'download',"
    "    'gallery', 'job', 'feedback', 'guestbook', 'link')),"
    "  name TEXT NOT NULL,"
    "  slug TEXT NOT NULL CHECK (slug <> ''),"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  body_html TEXT NOT NULL DEFAULT '',"
    "  link_url TEXT NOT NULL DEFAULT '',"
    "  seo_title TEXT NOT NULL DEFAULT '',"
    "  seo_keywords TEXT NOT NULL DEFAULT '',"
    "  seo_description TEXT NOT NULL DEFAULT '',"
    "  nav TEXT NOT NULL DEFAULT 'header' CHECK (nav IN ('hidden', 'header', 'footer', 'both')),"
    "  sort_mode TEXT NOT NULL DEFAULT 'newest'"
    "    CHECK (sort_mode IN ('newest', 'oldest', 'manual', 'title', 'hits')),"
    "  page_size INTEGER NOT NULL DEFAULT 20 CHECK (page_size BETWEEN 1 AND 200),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1))"
    ");"
    "CREATE UNIQUE INDEX columns_sibling_slug ON columns (lang_id, coalesce(parent_id, 0), slug);"
    "CREATE INDEX columns_parent ON columns (parent_id);"
    "CREATE TABLE entries ("
    "  id INTEGER PRIMARY KEY,"
    "  column_id INTEGER NOT NULL REFERENCES columns(id) ON DELETE CASCADE,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL,"
    "  slug TEXT NOT NULL CHECK (slug <> ''),"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  body_html TEXT NOT NULL DEFAULT '',"
    "  author TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  cover TEXT NOT NULL DEFAULT '',"
    "  seo_title TEXT NOT NULL DEFAULT '',"
    "  seo_keywords TEXT NOT NULL DEFAULT '',"
    "  seo_description TEXT NOT NULL DEFAULT '',"
    "  publish_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (status IN ('draft', 'published', 'scheduled', 'pending')),"
    "  pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),"
    "  recommended INTEGER NOT NULL DEFAULT 0 CHECK (recommended IN (0, 1)),"
    "  hits INTEGER NOT NULL DEFAULT 0,"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  translation_group INTEGER NOT NULL DEFAULT 0,"
    "  deleted_at INTEGER,"
    "  UNIQUE (column_id, slug)"
    ");"
    /* Counts and status filters; ordered walks for the newest-first list,
     * the chronological list and prev/next; the language-wide list. */
    "CREATE INDEX entries_column_status ON entries (column_id, status, publish_at);"
    "CREATE INDEX entries_column_newest ON entries (column_id, pinned, publish_at);"
    "CREATE INDEX entries_column_time ON entries (column_id, publish_at);"
    "CREATE INDEX entries_lang_newest ON entries (lang_id, pinned, publish_at);"
    "CREATE INDEX entries_translation ON entries (translation_group);"
    "CREATE INDEX entries_author ON entries (author_id);"
    "CREATE INDEX entries_deleted ON entries (deleted_at) WHERE deleted_at IS NOT NULL;"
    "CREATE TABLE settings ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,"
    "  lang_id INTEGER REFERENCES languages(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE UNIQUE INDEX settings_key ON settings (site_id, coalesce(lang_id, 0), key);"
    "CREATE TABLE grants ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  column_id INTEGER REFERENCES columns(id) ON DELETE CASCADE,"
    "  lang_id INTEGER REFERENCES languages(id) ON DELETE CASCADE"
    ");"
    "CREATE INDEX grants_user ON grants (user_id);"
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  ip TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX sessions_user ON sessions (user_id);"
    "CREATE INDEX sessions_expires ON sessions (expires_at);"
    "CREATE TABLE revisions ("
    "  id INTEGER PRIMARY KEY,"
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  created_at INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body_html TEXT NOT NULL,"
    "  snapshot TEXT NOT NULL DEFAULT '{}'"
    ");"
    "CREATE INDEX revisions_entry ON revisions (entry_id, created_at);"
    "CREATE TABLE media ("
    "  id INTEGER PRIMARY KEY,"
    "  stored_name TEXT NOT NULL UNIQUE,"
    "  original_name TEXT NOT NULL DEFAULT '',"
    "  mime TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  width INTEGER NOT NULL DEFAULT 0,"
    "  height INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX media_created ON media (created_at);"
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  ip TEXT NOT NULL DEFAULT '',"
    "  action TEXT NOT NULL,"
    "  object TEXT NOT NULL DEFAULT '',"
    "  detail TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX audit_log_at ON audit_log (at);"
    "CREATE TABLE reviews ("
    "  id INTEGER PRIMARY KEY,"
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  action TEXT NOT NULL CHECK (action IN ('submit', 'approve', 'reject', 'comment')),"
    "  comment TEXT NOT NULL DEFAULT '',"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX reviews_entry ON reviews (entry_id, at);",
    /* media: the widths of an image's WebP variants ("320 640 1280"; they
     * depend on the image's own width), and the uploader for the library's
     * listing */
    "ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX media_user ON media (user_id);",
    /* accounts: a user whose password was set by someone else (the one-time
     * password of `masthead init`, a reset by an admin) must choose a new
     * one at the next login; sessions by user for "end all sessions"; the
     * audit log filtered by user and action */
    "ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0"
    "  CHECK (must_change IN (0, 1));"
    "CREATE INDEX audit_log_user ON audit_log (user_id, at);"
    "CREATE INDEX audit_log_action ON audit_log (action, at);",
    /* editorial: the scheduler's once-a-second check walks scheduled and
     * published entries by time; the review queue lists pending ones */
    "CREATE INDEX entries_status_time ON entries (status, publish_at);",
    /* 5: a column's content type is a descriptor's name (content/types.c);
     * no CHECK lists the names, so a new type is a table row in the code.
     * A CHECK cannot be dropped in place: rebuild the table. */
    MH_SQLITE_MIGRATION_FK_OFF
    "CREATE TABLE columns_new ("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES columns(id) ON DELETE CASCADE,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  module TEXT NOT NULL CHECK (module <> ''),"
    "  name TEXT NOT NULL,"
    "  slug TEXT NOT NULL CHECK (slug <> ''),"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  body_html TEXT NOT NULL DEFAULT '',"
    "  link_url TEXT NOT NULL DEFAULT '',"
    "  seo_title TEXT NOT NULL DEFAULT '',"
    "  seo_keywords TEXT NOT NULL DEFAULT '',"
    "  seo_description TEXT NOT NULL DEFAULT '',"
    "  nav TEXT NOT NULL DEFAULT 'header' CHECK (nav IN ('hidden', 'header', 'footer', 'both')),"
    "  sort_mode TEXT NOT NULL DEFAULT 'newest'"
    "    CHECK (sort_mode IN ('newest', 'oldest', 'manual', 'title', 'hits')),"
    "  page_size INTEGER NOT NULL DEFAULT 20 CHECK (page_size BETWEEN 1 AND 200),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1))"
    ");"
    "INSERT INTO columns_new (id, parent_id, lang_id, module, name, slug, summary, body_html,"
    "  link_url, seo_title, seo_keywords, seo_description, nav, sort_mode, page_size, position,"
    "  visible)"
    " SELECT id, parent_id, lang_id, module, name, slug, summary, body_html, link_url, seo_title,"
    "  seo_keywords, seo_description, nav, sort_mode, page_size, position, visible FROM columns;"
    "DROP TABLE columns;"
    "ALTER TABLE columns_new RENAME TO columns;"
    "CREATE UNIQUE INDEX columns_sibling_slug ON columns (lang_id, coalesce(parent_id, 0), slug);"
    "CREATE INDEX columns_parent ON columns (parent_id);",
    /* 6: custom fields. Definitions per column (key unique in the column,
     * kinds validated by content/fields.c, not by a CHECK, like types);
     * values one row per value, by entry and key, the text form always and
     * the number form for numbers and dates. field_values_filter answers
     * "entries whose <key> is <value>" and field_values_range "<key>
     * between a and b" from the index; the entry's column comes from the
     * entries row (a list filter joins on it). */
    "CREATE TABLE field_defs ("
    "  id INTEGER PRIMARY KEY,"
    "  column_id INTEGER NOT NULL REFERENCES columns(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL CHECK (key <> ''),"
    "  kind TEXT NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  help TEXT NOT NULL DEFAULT '',"
    "  options TEXT NOT NULL DEFAULT '',"
    "  required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),"
    "  show_in_list INTEGER NOT NULL DEFAULT 0 CHECK (show_in_list IN (0, 1)),"
    "  filterable INTEGER NOT NULL DEFAULT 0 CHECK (filterable IN (0, 1)),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (column_id, key)"
    ");"
    "CREATE TABLE field_values ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  value TEXT NOT NULL,"
    "  num REAL,"
    "  PRIMARY KEY (entry_id, key, seq)"
    ") WITHOUT ROWID;"
    "CREATE INDEX field_values_filter ON field_values (key, value, entry_id);"
    "CREATE INDEX field_values_range ON field_values (key, num, entry_id) WHERE num IS NOT NULL;",
    /* 7: the content generation. One row whose value every write
     * that changes public content increments inside its own transaction,
     * by these triggers, so writes by any process (another server, a
     * script running sqlite3) are noticed by mh_content_poll and nothing
     * else is: sign-ins, sessions, audit rows, revisions, drafts and
     * pending entries that were never public leave it alone. An entry
     * counts when it is (or was) published or scheduled and not in the
     * recycle bin; languages, columns, settings and the site row always
     * count. See docs/internals/caching.md. */
    "CREATE TABLE content_generation ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  value INTEGER NOT NULL"
    ");"
    "INSERT INTO content_generation (id, value) VALUES (1, 1);"
    "CREATE TRIGGER cg_entries_insert AFTER INSERT ON entries WHEN (new.status IN ('published', "
    "'scheduled') AND new.deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entries_update AFTER UPDATE ON entries"
    " WHEN (old.status IN ('published', 'scheduled') AND old.deleted_at IS NULL) OR (new.status IN "
    "('published', 'scheduled') AND new.deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entries_delete AFTER DELETE ON entries WHEN (old.status IN ('published', "
    "'scheduled') AND old.deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_columns_insert AFTER INSERT ON columns"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_columns_update AFTER UPDATE ON columns"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_columns_delete AFTER DELETE ON columns"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_languages_insert AFTER INSERT ON languages"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_languages_update AFTER UPDATE ON languages"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_languages_delete AFTER DELETE ON languages"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_settings_insert AFTER INSERT ON settings"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_settings_update AFTER UPDATE ON settings"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_settings_delete AFTER DELETE ON settings"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_sites_insert AFTER INSERT ON sites"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_sites_update AFTER UPDATE ON sites"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_sites_delete AFTER DELETE ON sites"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    /* custom fields: a definition shows on public pages; values change
     * with their entry's row, whose own trigger counts */
    "CREATE TRIGGER cg_field_defs_insert AFTER INSERT ON field_defs"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_field_defs_update AFTER UPDATE ON field_defs"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_field_defs_delete AFTER DELETE ON field_defs"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_field_values_insert AFTER INSERT ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_field_values_update AFTER UPDATE ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_field_values_delete AFTER DELETE ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* SEO and languages: columns that translate each other share a
     * translation_group (0: a group of its own, read back as the id).
     * Existing sites get the columns of other languages linked to the
     * default language's column of the same path, which is what the
     * language switcher did by path before. */
    "ALTER TABLE columns ADD COLUMN translation_group INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX columns_translation ON columns (translation_group);"
    "WITH RECURSIVE cp(id, lang_id, path) AS ("
    " SELECT id, lang_id, slug FROM columns WHERE parent_id IS NULL"
    " UNION ALL SELECT c.id, c.lang_id, cp.path || '/' || c.slug"
    " FROM columns c JOIN cp ON c.parent_id = cp.id)"
    "UPDATE columns SET translation_group = coalesce((SELECT d.id FROM cp d"
    " JOIN languages l ON l.id = d.lang_id AND l.is_default = 1"
    " JOIN cp me ON me.id = columns.id"
    " WHERE d.path = me.path AND d.lang_id <> columns.lang_id), 0)"
    " WHERE lang_id NOT IN (SELECT id FROM languages WHERE is_default = 1);",
    /* languages (admin /admin/languages): a language can be hidden from
     * the public while it is being translated; 0 = hidden. The languages
     * table's triggers already count its updates. */
    "ALTER TABLE languages ADD COLUMN public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1));",
    /* entry view counts (sort mode "hits"): the batched hits += n update
     * changes hits alone and must not start a new content generation (it
     * would empty the page cache every few seconds); an edit never changes
     * hits, so every other update of a public entry still counts */
    "DROP TRIGGER cg_entries_update;"
    "CREATE TRIGGER cg_entries_update AFTER UPDATE ON entries"
    " WHEN old.hits IS new.hits AND ((old.status IN ('published', 'scheduled') AND old.deleted_at"
    " IS NULL) OR (new.status IN ('published', 'scheduled') AND new.deleted_at IS NULL))"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* SEO and feeds: the old public paths of entries whose slug or column
     * changed, so the old URL answers 301 to the new one. The trigger
     * writes the row in the transaction of the change itself; only paths
     * that were public are kept, and a newer owner of the same path wins
     * because old paths are looked up only when nothing lives there. */
    "CREATE TABLE entry_old_paths ("
    "  column_id INTEGER NOT NULL,"
    "  slug TEXT NOT NULL,"
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  changed_at INTEGER NOT NULL,"
    "  PRIMARY KEY (column_id, slug)"
    ") WITHOUT ROWID;"
    "CREATE INDEX entry_old_paths_entry ON entry_old_paths(entry_id);"
    "CREATE TRIGGER entry_old_path AFTER UPDATE OF slug, column_id ON entries"
    " WHEN (old.slug <> new.slug OR old.column_id <> new.column_id) AND old.slug <> '-'"
    " AND old.status IN ('published', 'scheduled') AND old.deleted_at IS NULL"
    " BEGIN INSERT OR REPLACE INTO entry_old_paths (column_id, slug, entry_id, changed_at)"
    " VALUES (old.column_id, old.slug, old.id, CAST(strftime('%s', 'now') AS INTEGER)); END;",
    /* SEO and feeds: old paths of columns (written by the content layer
     * in the transaction of a slug change or move), so /old/... answers
     * 301 to the column's current path. */
    "CREATE TABLE column_old_paths ("
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  column_id INTEGER NOT NULL REFERENCES columns(id) ON DELETE CASCADE,"
    "  changed_at INTEGER NOT NULL,"
    "  PRIMARY KEY (lang_id, path)"
    ") WITHOUT ROWID;"
    "CREATE INDEX column_old_paths_column ON column_old_paths(column_id);",
    /* search: the full-text index (src/search, docs/internals/search.md).
     * The table, from the search core's schema; every connection has the
     * tokenizer registered (sqlite.c). */
    mh_search_schema_sql,
    /* search: the queue that keeps the index right. Triggers (plain SQL, so
     * that writes from any program, a sqlite3 shell too, keep working) note
     * every entry whose searchable text or public status may have changed
     * (a column's change as minus its id: the column and its descendants);
     * masthead indexes the queue in the same transaction before it commits
     * (store/sqlite_search.c), and the scheduler's tick picks up what
     * other programs queued. Updates that change neither (hits, position,
     * pinned...) queue nothing. An existing site's public entries are
     * queued and indexed here, in the migration's transaction. */
    "CREATE TABLE search_queue (entry_id INTEGER PRIMARY KEY);"
    "CREATE TRIGGER search_entries_insert AFTER INSERT ON entries"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (new.id); END;"
    "CREATE TRIGGER search_entries_update AFTER UPDATE OF id, column_id, lang_id, title, summary,"
    " body_html, publish_at, status, deleted_at ON entries"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (old.id);"
    " INSERT OR IGNORE INTO search_queue VALUES (new.id); END;"
    "CREATE TRIGGER search_entries_delete AFTER DELETE ON entries"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (old.id); END;"
    "CREATE TRIGGER search_field_values_insert AFTER INSERT ON field_values"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (new.entry_id); END;"
    "CREATE TRIGGER search_field_values_update AFTER UPDATE ON field_values"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (old.entry_id);"
    " INSERT OR IGNORE INTO search_queue VALUES (new.entry_id); END;"
    "CREATE TRIGGER search_field_values_delete AFTER DELETE ON field_values"
    " BEGIN INSERT OR IGNORE INTO search_queue VALUES (old.entry_id); END;"
    "CREATE TRIGGER search_columns_update AFTER UPDATE OF parent_id, module, visible, lang_id"
    " ON columns BEGIN INSERT OR IGNORE INTO search_queue VALUES (-new.id); END;"
    "INSERT OR IGNORE INTO search_queue SELECT id FROM entries"
    " WHERE status IN ('published', 'scheduled') AND deleted_at IS NULL;"
    "SELECT mh_search_flush();",
    /* API: bearer tokens of the admin API (`masthead token add`), stored
     * hashed like sessions; private, so no generation triggers. */
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  last_used_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX api_tokens_user ON api_tokens(user_id);",
    /* products and galleries: an entry's ordered images with captions
     * (ref: the media reference or URL as chosen; url, thumb, width and
     * height resolved from the media library when saved, so a page needs
     * no media lookup), a product's extra rich-text tabs and its related
     * entries. Public like field_values: the same triggers count a write
     * when the entry is (or was) public. See
     * docs/internals/products-and-galleries.md. */
    "CREATE TABLE entry_images ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  ref TEXT NOT NULL,"
    "  url TEXT NOT NULL,"
    "  thumb TEXT NOT NULL DEFAULT '',"
    "  width INTEGER NOT NULL DEFAULT 0,"
    "  height INTEGER NOT NULL DEFAULT 0,"
    "  caption TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (entry_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE entry_tabs ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body_html TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (entry_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE entry_related ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  related_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (entry_id, position)"
    ") WITHOUT ROWID;"
    "CREATE INDEX entry_related_target ON entry_related (related_id);"
    "CREATE TRIGGER cg_entry_images_insert AFTER INSERT ON entry_images"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_images_update AFTER UPDATE ON entry_images"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_images_delete AFTER DELETE ON entry_images"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tabs_insert AFTER INSERT ON entry_tabs"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tabs_update AFTER UPDATE ON entry_tabs"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tabs_delete AFTER DELETE ON entry_tabs"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_related_insert AFTER INSERT ON entry_related"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_related_update AFTER UPDATE ON entry_related"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_related_delete AFTER DELETE ON entry_related"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* mail: the outgoing queue (src/mail). Not public content: no
     * content-generation trigger, so queueing or sending a message never
     * empties the page cache. */
    "CREATE TABLE mail_queue ("
    "  id INTEGER PRIMARY KEY,"
    "  created_at INTEGER NOT NULL,"
    "  recipients TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL,"
    "  sent_at INTEGER NOT NULL DEFAULT 0,"
    "  error TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX mail_queue_due ON mail_queue (status, next_at);",
    /* forms: public submissions (feedback forms, the guestbook, job
     * applications; src/content/submissions.h). Private to the admin except
     * approved guestbook messages and their replies, so only changes to
     * those start a new content generation; notes, read/handled marks and
     * every other submission never invalidate a page. The submitter's
     * address is kept truncated (IPv4 /24, IPv6 /48), never whole. The CV
     * of an application is a row of submission_files, in the database and
     * so never under a public path. */
    "CREATE TABLE submissions ("
    "  id INTEGER PRIMARY KEY,"
    "  column_id INTEGER NOT NULL REFERENCES columns(id) ON DELETE CASCADE,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  entry_id INTEGER REFERENCES entries(id) ON DELETE SET NULL,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  contact TEXT NOT NULL DEFAULT '',"
    "  message TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL,"
    "  reply TEXT NOT NULL DEFAULT '',"
    "  replied_at INTEGER NOT NULL DEFAULT 0,"
    "  notes TEXT NOT NULL DEFAULT '',"
    "  ip TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX submissions_column ON submissions(column_id, status, created_at);"
    "CREATE INDEX submissions_created ON submissions(created_at);"
    "CREATE INDEX submissions_entry ON submissions(entry_id);"
    "CREATE TABLE submission_values ("
    "  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  num REAL,"
    "  PRIMARY KEY (submission_id, key, seq)"
    ") WITHOUT ROWID;"
    "CREATE INDEX submission_values_kv ON submission_values(key, value, submission_id);"
    "CREATE TABLE submission_files ("
    "  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  data BLOB NOT NULL"
    ");"
    "CREATE TRIGGER gen_submissions_insert AFTER INSERT ON submissions"
    " WHEN new.kind = 'guestbook' AND new.status = 'approved'"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER gen_submissions_update AFTER UPDATE ON submissions"
    " WHEN old.kind = 'guestbook' AND (old.status = 'approved' OR new.status = 'approved')"
    " AND (old.status IS NOT new.status OR old.reply IS NOT new.reply"
    " OR old.name IS NOT new.name OR old.message IS NOT new.message"
    " OR old.replied_at IS NOT new.replied_at)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER gen_submissions_delete AFTER DELETE ON submissions"
    " WHEN old.kind = 'guestbook' AND old.status = 'approved'"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* WordPress import (masthead import wxr, store/wxr.h): what an import
     * made, keyed by the WordPress site and id (a second run adds nothing);
     * the old WordPress URLs (/?p=123, /2019/03/slug, /category/x) that
     * answer 301 to the imported entry or column; tags, kept until masthead
     * has tags of its own. */
    "CREATE TABLE wxr_map ("
    "  kind TEXT NOT NULL,"
    "  wp_key TEXT NOT NULL,"
    "  local_id INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, wp_key)"
    ") WITHOUT ROWID;"
    "CREATE TABLE wxr_legacy_paths ("
    "  path TEXT PRIMARY KEY,"
    "  entry_id INTEGER REFERENCES entries(id) ON DELETE CASCADE,"
    "  column_id INTEGER REFERENCES columns(id) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE INDEX wxr_legacy_paths_entry ON wxr_legacy_paths(entry_id);"
    "CREATE INDEX wxr_legacy_paths_column ON wxr_legacy_paths(column_id);"
    "CREATE TABLE wxr_tags ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  slug TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY (entry_id, slug)"
    ") WITHOUT ROWID;",
    /* scale (issue 12): entry counts kept by triggers, so that no list
     * counts its entries with count(*) (which reads every matching row).
     * One row per column and state: the entry's status name while it is
     * live, 'bin' while it is in the recycle bin; n entries, rec of them
     * recommended. A public count is the published and scheduled rows of
     * the columns minus the few scheduled entries still in the future
     * (an index range on entries_status_time). Cascaded deletes fire the
     * triggers too. See docs/internals/sqlite.md. */
    "CREATE TABLE entry_counts ("
    "  column_id INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0,"
    "  rec INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (column_id, state)"
    ") WITHOUT ROWID;"
    "INSERT INTO entry_counts (column_id, state, n, rec)"
    " SELECT column_id, CASE WHEN deleted_at IS NULL THEN status ELSE 'bin' END, count(*),"
    " sum(recommended) FROM entries GROUP BY 1, 2;"
    "CREATE TRIGGER ec_entries_insert AFTER INSERT ON entries BEGIN"
    " INSERT INTO entry_counts (column_id, state, n, rec) VALUES (new.column_id,"
    " CASE WHEN new.deleted_at IS NULL THEN new.status ELSE 'bin' END, 1, new.recommended)"
    " ON CONFLICT (column_id, state) DO UPDATE SET n = n + 1, rec = rec + excluded.rec; END;"
    "CREATE TRIGGER ec_entries_delete AFTER DELETE ON entries BEGIN"
    " UPDATE entry_counts SET n = n - 1, rec = rec - old.recommended WHERE column_id ="
    " old.column_id AND state = CASE WHEN old.deleted_at IS NULL THEN old.status ELSE 'bin' END;"
    " END;"
    "CREATE TRIGGER ec_entries_update AFTER UPDATE OF column_id, status, deleted_at, recommended"
    " ON entries WHEN old.column_id IS NOT new.column_id OR old.status IS NOT new.status"
    " OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)"
    " OR old.recommended IS NOT new.recommended BEGIN"
    " UPDATE entry_counts SET n = n - 1, rec = rec - old.recommended WHERE column_id ="
    " old.column_id AND state = CASE WHEN old.deleted_at IS NULL THEN old.status ELSE 'bin' END;"
    " INSERT INTO entry_counts (column_id, state, n, rec) VALUES (new.column_id,"
    " CASE WHEN new.deleted_at IS NULL THEN new.status ELSE 'bin' END, 1, new.recommended)"
    " ON CONFLICT (column_id, state) DO UPDATE SET n = n + 1, rec = rec + excluded.rec; END;"
    /* Lists read the ids of a page from an index that holds every column
     * the filter needs (no row is read until the page's own ids are
     * known), in the order of the list, id included so that ties are in
     * order too: newest (pinned first), oldest, manual, title and hits,
     * each for one column and for a language (several columns). The
     * admin's lists walk entries_admin_time newest first. */
    "DROP INDEX entries_column_newest;"
    "DROP INDEX entries_lang_newest;"
    "DROP INDEX entries_column_time;"
    "CREATE INDEX entries_column_newest ON entries (column_id, pinned, publish_at, id, status,"
    " deleted_at, recommended);"
    "CREATE INDEX entries_column_time ON entries (column_id, publish_at, id, status, deleted_at,"
    " recommended);"
    "CREATE INDEX entries_column_manual ON entries (column_id, position, id, status, deleted_at,"
    " recommended);"
    "CREATE INDEX entries_column_title ON entries (column_id, title, id, status, deleted_at,"
    " recommended);"
    "CREATE INDEX entries_column_hits ON entries (column_id, hits, id, status, deleted_at,"
    " recommended);"
    "CREATE INDEX entries_lang_newest ON entries (lang_id, pinned, publish_at, id, column_id,"
    " status, deleted_at, recommended);"
    "CREATE INDEX entries_lang_time ON entries (lang_id, publish_at, id, column_id, status,"
    " deleted_at, recommended);"
    "CREATE INDEX entries_lang_manual ON entries (lang_id, position, id, column_id, status,"
    " deleted_at, recommended);"
    "CREATE INDEX entries_lang_title ON entries (lang_id, title, id, column_id, status,"
    " deleted_at, recommended);"
    "CREATE INDEX entries_lang_hits ON entries (lang_id, hits, id, column_id, status,"
    " deleted_at, recommended);"
    "CREATE INDEX entries_admin_time ON entries (publish_at, id, lang_id, column_id, status,"
    " deleted_at, author_id);",
    /* scale (issue 12): how far the search index has taken in entries whose
     * time came (store/sqlite_search.c, se_sync_due). The scheduler's first
     * tick after a start looked back to the beginning of time and checked
     * every public entry against the index inside a write transaction
     * (seconds at 100k entries, with sign-ins failing on the lock); it now
     * looks back to here. Everything public at this migration is indexed
     * (the search migration did it). */
    "CREATE TABLE search_due (id INTEGER PRIMARY KEY CHECK (id = 1), until INTEGER NOT NULL);"
    "INSERT INTO search_due (id, until) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));",
    /* scale (issue 12): what each change of public content touched, for
     * invalidation by dependency (docs/internals/caching.md). One row per
     * firing of a content generation trigger on entries and field_values,
     * with the same WHEN, so that the server can tell a batch of changes it
     * can attribute (as many rows as the counter moved) from one that
     * includes something else (columns, settings, another feature's table:
     * everything is invalidated then). c, l, g: the column, language and
     * translation group before (1) and after (2) the change. */
    "CREATE TABLE content_changes ("
    "  seq INTEGER PRIMARY KEY,"
    "  c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0,"
    "  l1 INTEGER NOT NULL DEFAULT 0, l2 INTEGER NOT NULL DEFAULT 0,"
    "  g1 INTEGER NOT NULL DEFAULT 0, g2 INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TRIGGER cc_entries_insert AFTER INSERT ON entries WHEN (new.status IN ('published', "
    "'scheduled') AND new.deleted_at IS NULL)"
    " BEGIN INSERT INTO content_changes (c1, l1, g1)"
    " VALUES (new.column_id, new.lang_id, new.translation_group); END;"
    "CREATE TRIGGER cc_entries_update AFTER UPDATE ON entries"
    " WHEN old.hits IS new.hits AND ((old.status IN ('published', 'scheduled') AND old.deleted_at "
    "IS NULL) OR (new.status IN ('published', 'scheduled') AND new.deleted_at IS NULL))"
    " BEGIN INSERT INTO content_changes (c1, c2, l1, l2, g1, g2) VALUES (old.column_id,"
    " new.column_id, old.lang_id, new.lang_id, old.translation_group, new.translation_group); END;"
    "CREATE TRIGGER cc_entries_delete AFTER DELETE ON entries WHEN (old.status IN ('published', "
    "'scheduled') AND old.deleted_at IS NULL)"
    " BEGIN INSERT INTO content_changes (c1, l1, g1)"
    " VALUES (old.column_id, old.lang_id, old.translation_group); END;"
    "CREATE TRIGGER cc_field_values_insert AFTER INSERT ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN INSERT INTO content_changes (c1, l1, g1) SELECT column_id, lang_id, translation_group"
    " FROM entries WHERE id = new.entry_id; END;"
    "CREATE TRIGGER cc_field_values_update AFTER UPDATE ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN INSERT INTO content_changes (c1, l1, g1) SELECT column_id, lang_id, translation_group"
    " FROM entries WHERE id = new.entry_id; END;"
    "CREATE TRIGGER cc_field_values_delete AFTER DELETE ON field_values"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN INSERT INTO content_changes (c1, l1, g1) SELECT column_id, lang_id, translation_group"
    " FROM entries WHERE id = old.entry_id; END;",
    /* downloads, banners, friendly links (issue 8): download counts are
     * written in batches by the site module and carry no content
     * generation trigger (a flush must not empty the page cache; the count
     * on a cached page may lag). Banners (per language, on the home page
     * when column_id is NULL, else on a column's pages) and friendly links
     * show on every public page: their writes move the generation. */
    "CREATE TABLE download_counts ("
    "  entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,"
    "  n INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE banners ("
    "  id INTEGER PRIMARY KEY,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  column_id INTEGER REFERENCES columns(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL DEFAULT '',"
    "  alt TEXT NOT NULL DEFAULT '',"
    "  image TEXT NOT NULL CHECK (image <> ''),"
    "  image_mobile TEXT NOT NULL DEFAULT '',"
    "  link TEXT NOT NULL DEFAULT '',"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  show_from INTEGER NOT NULL DEFAULT 0,"
    "  show_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX banners_place ON banners(lang_id, coalesce(column_id, 0), position);"
    "CREATE INDEX banners_from ON banners(show_from);"
    "CREATE INDEX banners_until ON banners(show_until);"
    "CREATE TRIGGER cg_banners_insert AFTER INSERT ON banners"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_banners_update AFTER UPDATE ON banners"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_banners_delete AFTER DELETE ON banners"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TABLE friend_links ("
    "  id INTEGER PRIMARY KEY,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL CHECK (title <> ''),"
    "  url TEXT NOT NULL CHECK (url <> ''),"
    "  logo TEXT NOT NULL DEFAULT '',"
    "  nofollow INTEGER NOT NULL DEFAULT 0 CHECK (nofollow IN (0, 1)),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX friend_links_lang ON friend_links(lang_id, position);"
    "CREATE TRIGGER cg_friend_links_insert AFTER INSERT ON friend_links"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_friend_links_update AFTER UPDATE ON friend_links"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_friend_links_delete AFTER DELETE ON friend_links"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* tags: tags per language (name as typed, slug unique in the
     * language) and the entries carrying them, in order. Public: a tag's
     * rows always start a new content generation (its name and slug show
     * on entry and tag pages); an entry's links only when the entry is
     * public (published or scheduled, not in the recycle bin). Deleting a
     * tag cascades to its links (the tag's own trigger counts). Ids are
     * never reused (AUTOINCREMENT): links a shell left behind with foreign
     * keys off can never attach themselves to a later tag. */
    "CREATE TABLE tags ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  lang_id INTEGER NOT NULL REFERENCES languages(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  slug TEXT NOT NULL CHECK (slug <> ''),"
    "  UNIQUE (lang_id, slug),"
    "  UNIQUE (lang_id, name)"
    ");"
    "CREATE TABLE entry_tags ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (entry_id, tag_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX entry_tags_tag ON entry_tags (tag_id, entry_id);"
    "CREATE TRIGGER cg_tags_insert AFTER INSERT ON tags"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_tags_update AFTER UPDATE ON tags"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_tags_delete AFTER DELETE ON tags"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tags_insert AFTER INSERT ON entry_tags"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tags_update AFTER UPDATE ON entry_tags"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id IN (old.entry_id, new.entry_id) AND status IN"
    " ('published', 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_entry_tags_delete AFTER DELETE ON entry_tags"
    " WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.entry_id AND status IN ('published',"
    " 'scheduled') AND deleted_at IS NULL)"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
    /* MetInfo import and legacy URLs (src/migrate/metinfo_import.c,
     * content/legacy.h): which row an import made from each source row
     * (a second import of the same dump finds them and changes nothing),
     * and the old site's URLs (normalised path and query) mapped to what
     * lives there now; editing the map changes public answers (301s), so
     * it counts in the content generation. */
    "CREATE TABLE import_map ("
    "  source TEXT NOT NULL,"
    "  src_table TEXT NOT NULL,"
    "  src_id TEXT NOT NULL,"
    "  target_id INTEGER NOT NULL,"
    "  PRIMARY KEY (source, src_table, src_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE legacy_urls ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  target_kind TEXT NOT NULL CHECK (target_kind IN ('entry', 'column', 'url')),"
    "  target_id INTEGER NOT NULL DEFAULT 0,"
    "  target_url TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER cg_legacy_urls_insert AFTER INSERT ON legacy_urls"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_legacy_urls_update AFTER UPDATE ON legacy_urls"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;"
    "CREATE TRIGGER cg_legacy_urls_delete AFTER DELETE ON legacy_urls"
    " BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END;",
};

const size_t mh_store_sqlite_migrations_count = MH_ARRAY_LEN(mh_store_sqlite_migrations);
