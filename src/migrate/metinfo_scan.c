/* The dry run of the MetInfo import. It keeps only what the summary needs
 * (counts, language codes, met_column's few tree fields), so a dump of any
 * size is read in the reader's bounded memory plus the column list. The
 * prefix is only known once the table names are in (a data-only dump names
 * its tables as it goes), so rows are kept per table name and the MetInfo
 * tables are picked out at the end. Dump text is untrusted: names printed
 * to the terminal have their control bytes replaced. */
#include "metinfo_scan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "sqldump.h"

static const mh_metinfo_module_t modules[] = {
    {1, "about", "page", "single page: the column carries the body"},
    {2, "news", "article", NULL},
    {3, "product", "product", NULL},
    {4, "download", "download", NULL},
    {5, "img", "gallery", NULL},
    {6, "job", "job", NULL},
    {7, "message", "guestbook", NULL},
    {8, "feedback", "feedback", NULL},
    {9, "link", NULL, "friendly links: not a column (not imported yet)"},
    {10, "member", NULL, "MetInfo's member pages: not imported"},
    {11, "search", NULL, "masthead has its own search page"},
    {12, "sitemap", NULL, "masthead makes its own sitemap"},
    {13, "tags", NULL, "tags: not a column (not imported yet)"},
    {999, "outlink", "link", "external link (out_url)"},
};

const mh_metinfo_module_t *mh_metinfo_module(long module)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(modules); i++)
        if (modules[i].module == module)
            return &modules[i];
    return NULL;
}

#define MAX_LANGS 32 /* distinct lang values kept per table */
#define MAX_TREE_COLUMNS 100000
#define NAME_MAX_PRINT 120

typedef struct {
    char *code;
    size_t rows;
} lang_count_t;

typedef struct {
    char *name;
    size_t rows;
    lang_count_t langs[MAX_LANGS];
    size_t nlangs;
    bool unnamed; /* rows without column names (no CREATE TABLE, no list) */
} table_stat_t;

typedef struct {
    size_t table; /* index into tables */
    long id, parent, module, order;
    char *name, *lang;
    bool printed;
} column_t;

typedef struct {
    size_t table;
    char *mark, *name;
    long order;
} lang_row_t;

typedef struct {
    const mh_metinfo_scan_opts_t *o;
    mh_sqldump_t *d;
    table_stat_t *tables;
    size_t ntables, cap_tables, last;
    column_t *cols;
    size_t ncols, cap_cols;
    lang_row_t *langs;
    size_t nlangs, cap_langs;
    bool too_many_columns;
    /* progress of the current file */
    const char *file;
    uint64_t size;
    int pct;
    size_t file_rows;
} scan_t;

static size_t table_index(scan_t *s, const char *name)
{
    if (s->last < s->ntables && strcmp(s->tables[s->last].name, name) == 0)
        return s->last;
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return s->last = i;
    if (s->ntables == s->cap_tables) {
        s->cap_tables = s->cap_tables ? 2 * s->cap_tables : 64;
        s->tables = mh_realloc(s->tables, s->cap_tables * sizeof(*s->tables));
    }
    table_stat_t *t = &s->tables[s->ntables];
    memset(t, 0, sizeof(*t));
    t->name = mh_strdup(name);
    return s->last = s->ntables++;
}

static const mh_sql_value_t *field(const char *const *cols, size_t ncols, const mh_sql_value_t *v,
                                   const char *name)
{
    for (size_t i = 0; i < ncols; i++)
        if (strcmp(cols[i], name) == 0)
            return v[i].kind == MH_SQL_NULL ? NULL : &v[i];
    return NULL;
}

static long field_long(const char *const *cols, size_t ncols, const mh_sql_value_t *v,
                       const char *name)
{
    const mh_sql_value_t *x = field(cols, ncols, v, name);
    return x ? strtol(x->bytes, NULL, 10) : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void progress(scan_t *s, bool done)
{
    if (!s->o->status || !s->o->progress)
        return;
    uint64_t off = mh_sqldump_offset(s->d);
    int pct = done ? 100 : s->size ? (int)(off * 100 / s->size) : 0;
    if (pct > 100)
        pct = 100;
    if (pct == s->pct && !done)
        return;
    s->pct = pct;
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[30] = '\0';
    const char *base = strrchr(s->file, '/');
    base = base ? base + 1 : s->file;
    fprintf(s->o->status, "\r%-24.24s [%s] %3d%% %zu rows%s", base, bar, pct, s->file_rows,
            done ? "\n" : "");
    fflush(s->o->status);
}

static int on_table(void *ud, const char *table, const char *const *cols, size_t ncols)
{
    table_index(ud, table);
    return 0;
}

static int on_row(void *ud, const char *table, const char *const *cols, size_t ncols,
                  const mh_sql_value_t *v, size_t n)
{
    scan_t *s = ud;
    size_t ti = table_index(s, table);
    table_stat_t *t = &s->tables[ti];
    t->rows++;
    t->unnamed |= ncols == 0 && n > 0;
    if (++s->file_rows % 64 == 0)
        progress(s, false);
    const mh_sql_value_t *lang = field(cols, ncols, v, "lang");
    if (lang && (lang->len > 32 || memchr(lang->bytes, '\0', lang->len)))
        lang = NULL; /* not a language code */
    if (lang) {
        size_t i;
        for (i = 0; i < t->nlangs; i++)
            if (strcmp(t->langs[i].code, lang->bytes) == 0)
                break;
        if (i == t->nlangs && t->nlangs < MAX_LANGS)
            t->langs[t->nlangs++].code = mh_strndup(lang->bytes, lang->len);
        if (i < t->nlangs)
            t->langs[i].rows++;
    }
    /* met_column (not met_admin_column: it has no module) */
    if (ends_with(table, "column") && field(cols, ncols, v, "module") &&
        field(cols, ncols, v, "bigclass")) {
        if (s->ncols == MAX_TREE_COLUMNS) {
            s->too_many_columns = true;
            return 0;
        }
        if (s->ncols == s->cap_cols) {
            s->cap_cols = s->cap_cols ? 2 * s->cap_cols : 64;
            s->cols = mh_realloc(s->cols, s->cap_cols * sizeof(*s->cols));
        }
        const mh_sql_value_t *name = field(cols, ncols, v, "name");
        column_t *c = &s->cols[s->ncols++];
        *c = (column_t){.table = ti,
                        .id = field_long(cols, ncols, v, "id"),
                        .parent = field_long(cols, ncols, v, "bigclass"),
                        .module = field_long(cols, ncols, v, "module"),
                        .order = field_long(cols, ncols, v, "no_order"),
                        .name = mh_strndup(name ? name->bytes : "",
                                           name && name->len < NAME_MAX_PRINT ? name->len
                                           : name                             ? NAME_MAX_PRINT
                                                                              : 0),
                        .lang = mh_strdup(lang ? lang->bytes : "")};
    }
    /* met_lang (its "mark" is the language code) */
    if (ends_with(table, "lang") && field(cols, ncols, v, "mark") && s->nlangs < 1000) {
        if (s->nlangs == s->cap_langs) {
            s->cap_langs = s->cap_langs ? 2 * s->cap_langs : 8;
            s->langs = mh_realloc(s->langs, s->cap_langs * sizeof(*s->langs));
        }
        const mh_sql_value_t *mark = field(cols, ncols, v, "mark"),
                             *name = field(cols, ncols, v, "name");
        s->langs[s->nlangs++] =
            (lang_row_t){.table = ti,
                         .mark = mh_strndup(mark->bytes, mark->len < 32 ? mark->len : 32),
                         .name = mh_strndup(
                             name ? name->bytes : "",
                             name ? (name->len < NAME_MAX_PRINT ? name->len : NAME_MAX_PRINT) : 0),
                         .order = field_long(cols, ncols, v, "no_order")};
    }
    return 0;
}

/* Print untrusted text: control bytes become '?'. */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static const char *lang_name(const char *code)
{
    if (strcmp(code, "cn") == 0)
        return "Chinese, Simplified";
    if (strcmp(code, "tc") == 0)
        return "Chinese, Traditional";
    if (strcmp(code, "en") == 0)
        return "English";
    return NULL;
}

static int by_order(const void *a, const void *b)
{
    const column_t *x = *(const column_t *const *)a, *y = *(const column_t *const *)b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The children of parent in lang (sorted), printed depth-first. */
static void print_tree(scan_t *s, FILE *out, column_t **list, size_t n, long parent, int depth)
{
    if (depth > 8)
        return;
    for (size_t i = 0; i < n; i++) {
        column_t *c = list[i];
        if (c->printed || c->parent != parent)
            continue;
        c->printed = true;
        const mh_metinfo_module_t *m = mh_metinfo_module(c->module);
        fprintf(out, "  %*s[%ld] ", depth * 2, "", c->id);
        put_text(out, c->name);
        fprintf(out, ": module %ld %s -> %s\n", c->module, m ? m->metinfo : "(unknown)",
                m && m->masthead ? m->masthead : "not a column");
        print_tree(s, out, list, n, c->id, depth + 1);
    }
}

static void print_summary(scan_t *s, FILE *out, const char *prefix, size_t nfiles, uint64_t bytes)
{
    size_t total = 0, with_rows = 0;
    for (size_t i = 0; i < s->ntables; i++) {
        total += s->tables[i].rows;
        with_rows += s->tables[i].rows > 0;
    }
    fprintf(out, "MetInfo dump: %zu file%s, %" PRIu64 " bytes, %zu rows in %zu of %zu tables\n",
            nfiles, nfiles == 1 ? "" : "s", bytes, total, with_rows, s->ntables);
    fprintf(out, "table prefix: ");
    put_text(out, prefix);
    fputc('\n', out);

    /* languages: met_lang's rows, else the rows' lang values */
    char lang_table[300];
    snprintf(lang_table, sizeof(lang_table), "%slang", prefix);
    size_t nl = 0;
    for (size_t i = 0; i < s->nlangs; i++)
        nl += strcmp(s->tables[s->langs[i].table].name, lang_table) == 0;
    if (nl) {
        fprintf(out, "languages (from %s): ", lang_table);
        bool first = true;
        for (size_t i = 0; i < s->nlangs; i++) {
            lang_row_t *l = &s->langs[i];
            if (strcmp(s->tables[l->table].name, lang_table) != 0)
                continue;
            fputs(first ? "" : ", ", out);
            first = false;
            put_text(out, l->mark);
            fputs(" (", out);
            put_text(out, l->name[0] ? l->name : lang_name(l->mark) ? lang_name(l->mark) : "?");
            fputc(')', out);
        }
        fputc('\n', out);
    } else {
        static const char *const content[] = {"column",   "config", "news", "product",
                                              "download", "img",    "job"};
        lang_count_t seen[MAX_LANGS];
        size_t nseen = 0;
        for (size_t i = 0; i < s->ntables; i++) {
            table_stat_t *t = &s->tables[i];
            bool is_content = false;
            for (size_t k = 0; k < MH_ARRAY_LEN(content); k++) {
                size_t pl = strlen(prefix);
                is_content |=
                    strncmp(t->name, prefix, pl) == 0 && strcmp(t->name + pl, content[k]) == 0;
            }
            if (!is_content)
                continue;
            for (size_t j = 0; j < t->nlangs; j++) {
                const char *code = t->langs[j].code;
                /* "metinfo", "cn-metinfo": MetInfo's global settings, not a language */
                if (!code[0] || strstr(code, "metinfo"))
                    continue;
                size_t k;
                for (k = 0; k < nseen; k++)
                    if (strcmp(seen[k].code, code) == 0)
                        break;
                if (k == nseen && nseen < MAX_LANGS)
                    seen[nseen++] = (lang_count_t){(char *)code, 0};
                if (k < nseen)
                    seen[k].rows += t->langs[j].rows;
            }
        }
        fprintf(out, "languages (from the rows' lang values): ");
        for (size_t k = 0; k < nseen; k++) {
            fputs(k ? ", " : "", out);
            put_text(out, seen[k].code);
            fprintf(out, " (%s, %zu rows)", lang_name(seen[k].code) ? lang_name(seen[k].code) : "?",
                    seen[k].rows);
        }
        fputs(nseen ? "\n" : "none\n", out);
    }

    fprintf(out, "rows per table:\n");
    for (size_t i = 0; i < s->ntables; i++) {
        if (!s->tables[i].rows)
            continue;
        fputs("  ", out);
        put_text(out, s->tables[i].name);
        fprintf(out, "%*s %zu\n", (int)(28 - strlen(s->tables[i].name) % 28), "",
                s->tables[i].rows);
    }
    if (with_rows < s->ntables) {
        fprintf(out, "tables without rows (%zu):", s->ntables - with_rows);
        for (size_t i = 0; i < s->ntables; i++)
            if (!s->tables[i].rows) {
                fputc(' ', out);
                put_text(out, s->tables[i].name);
            }
        fputc('\n', out);
    }

    size_t unnamed = 0;
    for (size_t i = 0; i < s->ntables; i++)
        unnamed += s->tables[i].unnamed;
    if (unnamed)
        fprintf(out,
                "note: %zu table%s rows without column names (no CREATE TABLE in these files "
                "and no column list): give the schema dump (e.g. sql.sql) first\n",
                unnamed, unnamed == 1 ? " has" : "s have");

    /* the column tree of each language */
    char column_table[300];
    snprintf(column_table, sizeof(column_table), "%scolumn", prefix);
    column_t **list = mh_calloc(s->ncols + 1, sizeof(*list));
    size_t counts[1000] = {0};
    for (size_t i = 0; i < s->ncols; i++) {
        column_t *c = &s->cols[i];
        if (c->printed || strcmp(s->tables[c->table].name, column_table) != 0)
            continue;
        size_t n = 0;
        for (size_t j = i; j < s->ncols; j++)
            if (!s->cols[j].printed && s->cols[j].table == c->table &&
                strcmp(s->cols[j].lang, c->lang) == 0)
                list[n++] = &s->cols[j];
        qsort(list, n, sizeof(*list), by_order);
        fprintf(out, "column tree (%s, lang ", column_table);
        put_text(out, c->lang);
        fprintf(out, ", %zu columns):\n", n);
        for (size_t j = 0; j < n; j++)
            counts[list[j]->module >= 0 && list[j]->module < 1000 ? list[j]->module : 0]++;
        print_tree(s, out, list, n, 0, 0);
        /* parents missing from the dump, or cycles */
        for (size_t j = 0; j < n; j++)
            if (!list[j]->printed) {
                fprintf(out, "  (parent %ld not found)\n", list[j]->parent);
                print_tree(s, out, list, n, list[j]->parent, 1);
            }
        for (size_t j = 0; j < n; j++)
            list[j]->printed = true;
    }
    free(list);
    if (s->too_many_columns)
        fprintf(out, "(more than %d columns: the rest are not shown)\n", MAX_TREE_COLUMNS);
    bool any = false;
    for (size_t m = 0; m < 1000; m++) {
        if (counts[m] && !any)
            fprintf(out, "modules:\n");
        any |= counts[m] > 0;
        if (!counts[m])
            continue;
        const mh_metinfo_module_t *d = mh_metinfo_module((long)m);
        fprintf(out, "  %-4zu %-9s -> %-10s %zu column%s%s%s\n", m, d ? d->metinfo : "?",
                d && d->masthead ? d->masthead : "-", counts[m], counts[m] == 1 ? "" : "s",
                d && d->note ? ": " : "", d && d->note ? d->note : "");
    }
}

int mh_metinfo_scan(const char *const *files, size_t nfiles, const mh_metinfo_scan_opts_t *opts,
                    char *err, size_t errlen)
{
    scan_t s = {.o = opts};
    mh_sqldump_opts_t o = {.on_table = on_table, .on_row = on_row, .ud = &s};
    s.d = mh_sqldump_new(&o);
    int rc = MH_ERR;
    uint64_t bytes = 0;
    for (size_t i = 0; i < nfiles; i++) {
        struct stat st;
        s.file = files[i];
        s.size = stat(files[i], &st) == 0 ? (uint64_t)st.st_size : 0;
        s.pct = -1;
        s.file_rows = 0;
        if (mh_sqldump_read_file(s.d, files[i], err, errlen) != MH_OK) {
            if (opts->status && opts->progress)
                fputc('\n', opts->status);
            goto done;
        }
        bytes += mh_sqldump_offset(s.d);
        progress(&s, true);
        if (opts->status && !opts->progress)
            fprintf(opts->status, "read %s: %" PRIu64 " bytes, %zu rows\n", files[i],
                    mh_sqldump_offset(s.d), s.file_rows);
    }
    size_t n;
    const char *const *names = mh_sqldump_tables(s.d, &n);
    char prefix[256];
    if (mh_sqldump_metinfo_prefix(names, n, prefix, sizeof(prefix)) != MH_OK) {
        snprintf(err, errlen,
                 "no MetInfo tables in %s%s (no names such as met_column, met_news, "
                 "met_config)",
                 nfiles ? files[0] : "", nfiles > 1 ? " and the other files" : "");
        goto done;
    }
    print_summary(&s, opts->out, prefix, nfiles, bytes);
    rc = MH_OK;
done:
    mh_sqldump_free(s.d);
    for (size_t i = 0; i < s.ntables; i++) {
        free(s.tables[i].name);
        for (size_t j = 0; j < s.tables[i].nlangs; j++)
            free(s.tables[i].langs[j].code);
    }
    free(s.tables);
    for (size_t i = 0; i < s.ncols; i++) {
        free(s.cols[i].name);
        free(s.cols[i].lang);
    }
    free(s.cols);
    for (size_t i = 0; i < s.nlangs; i++) {
        free(s.langs[i].mark);
        free(s.langs[i].name);
    }
    free(s.langs);
    return rc;
}
