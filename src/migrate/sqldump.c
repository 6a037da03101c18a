/* Streaming MySQL dump reader. A hand-written scanner rather than a
 * grammar: dumps use a handful of statement shapes, and what matters is
 * reading those exactly (every literal and escape form MySQL accepts in
 * VALUES), skipping everything else safely (strings and comments may hold
 * ';'), and saying precisely where a broken file stops making sense.
 *
 * Bytes come through a small window (chunk_size plus a few bytes of
 * lookahead) so a value may straddle any number of reads; only the current
 * row's values are kept, in one bounded buffer. */
#include "sqldump.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/buf.h"

#define IDENT_MAX 256
#define MAX_COLUMNS 4096
#define LOOKAHEAD 8
#define DEFAULT_CHUNK (64 * 1024)
#define DEFAULT_MAX_VALUE ((size_t)64 << 20)
#define DEFAULT_MAX_ROW ((size_t)256 << 20)

typedef struct {
    char *name;
    char **cols;
    size_t ncols;
} table_t;

struct mh_sqldump {
    mh_sqldump_opts_t o;
    table_t *tables;
    size_t ntables, cap_tables;
    const char **names; /* mh_sqldump_tables() */

    /* the current file */
    const char *file;
    int fd;                   /* -1: reading from mem */
    const unsigned char *mem; /* mem source */
    size_t mem_len, mem_pos;
    unsigned char *buf; /* window: buf[pos..len) not yet consumed */
    size_t cap, pos, len;
    bool eof;
    uint64_t consumed; /* bytes dropped from the window's front */
    unsigned long line;

    char *err;
    size_t errlen;
    bool failed;
    const char *stmt;  /* "INSERT", "CREATE TABLE"... for end-of-file messages */
    const char *table; /* its table, or NULL */

    /* the current row: values back to back in row, each followed by NUL */
    mh_buf_t row;
    size_t *voff, *vlen;
    mh_sql_kind_t *vkind;
    mh_sql_value_t *vals;
    size_t nvals, vcap;

    /* the current INSERT's column list */
    char **list; /* kept between statements, only its names freed */
    size_t nlist, cap_list;
    bool has_list;
};

/* ---- errors ---- */

MH_PRINTF(2, 3) static int fail(mh_sqldump_t *d, const char *fmt, ...)
{
    if (d->failed)
        return MH_ERR;
    d->failed = true;
    if (!d->err || !d->errlen)
        return MH_ERR;
    int n = snprintf(d->err, d->errlen, "%s:%lu: ", d->file, d->line);
    if (n < 0 || (size_t)n >= d->errlen)
        return MH_ERR;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err + n, d->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return MH_ERR;
}

/* ---- the byte window ---- */

static void fill(mh_sqldump_t *d, size_t need)
{
    while (d->len - d->pos < need && !d->eof) {
        if (d->pos > 0) {
            memmove(d->buf, d->buf + d->pos, d->len - d->pos);
            d->consumed += d->pos;
            d->len -= d->pos;
            d->pos = 0;
        }
        size_t want = d->cap - d->len;
        if (want > d->o.chunk_size)
            want = d->o.chunk_size;
        ssize_t n;
        if (d->fd < 0) {
            n = (ssize_t)(d->mem_len - d->mem_pos < want ? d->mem_len - d->mem_pos : want);
            memcpy(d->buf + d->len, d->mem + d->mem_pos, (size_t)n);
            d->mem_pos += (size_t)n;
        } else {
            n = read(d->fd, d->buf + d->len, want);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                fail(d, "read error: %s", strerror(errno));
                n = 0;
            }
        }
        if (n == 0)
            d->eof = true;
        d->len += (size_t)n;
    }
}

/* The byte k ahead, or -1 at the end. */
static inline int peek_at(mh_sqldump_t *d, size_t k)
{
    if (d->pos + k < d->len)
        return d->buf[d->pos + k];
    fill(d, k + 1);
    return d->pos + k < d->len ? d->buf[d->pos + k] : -1;
}

static inline int peek(mh_sqldump_t *d)
{
    return peek_at(d, 0);
}

static inline int next(mh_sqldump_t *d)
{
    int c = peek(d);
    if (c >= 0) {
        d->pos++;
        if (c == '\n')
            d->line++;
    }
    return c;
}

static const char *describe(int c, char *tmp, size_t n)
{
    if (c < 0)
        return "end of file";
    if (c == '\n' || c == '\r')
        return "end of line";
    if (c > 0x20 && c < 0x7f)
        snprintf(tmp, n, "'%c'", c);
    else if (c == ' ' || c == '\t')
        return "white space";
    else
        snprintf(tmp, n, "byte 0x%02x", (unsigned)c);
    return tmp;
}

/* "expected X, found <the next byte>" */
static int expected(mh_sqldump_t *d, const char *what)
{
    char tmp[16];
    int c = peek(d);
    if (c < 0 && d->stmt) {
        if (d->table)
            return fail(d, "unexpected end of file inside %s for table %s", d->stmt, d->table);
        return fail(d, "unexpected end of file inside %s", d->stmt);
    }
    return fail(d, "expected %s, found %s", what, describe(c, tmp, sizeof(tmp)));
}

/* ---- white space, comments ---- */

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_word(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

static void skip_line(mh_sqldump_t *d)
{
    int c;
    while ((c = peek(d)) >= 0 && c != '\n')
        next(d);
}

/* Skip white space and comments ('-- ', '#', C comments; conditional
 * comments such as the version-gated SET statements are skipped whole). */
static int skip_ws(mh_sqldump_t *d)
{
    for (;;) {
        int c = peek(d);
        if (is_space(c)) {
            next(d);
        } else if (c == '#') {
            skip_line(d);
        } else if (c == '-' && peek_at(d, 1) == '-') {
            int c2 = peek_at(d, 2);
            if (c2 >= 0 && c2 > ' ')
                return MH_OK; /* "--x" is two minus signs */
            skip_line(d);
        } else if (c == '/' && peek_at(d, 1) == '*') {
            unsigned long start = d->line;
            next(d);
            next(d);
            for (;;) {
                c = next(d);
                if (c < 0)
                    return fail(d, "unterminated comment starting at line %lu", start);
                if (c == '*' && peek(d) == '/') {
                    next(d);
                    break;
                }
            }
        } else {
            return d->failed ? MH_ERR : MH_OK;
        }
    }
}

/* ---- words and names ---- */

/* A bare word (keyword) into out; "" when none. */
static int read_word(mh_sqldump_t *d, char *out, size_t n)
{
    size_t i = 0;
    while (is_word(peek(d))) {
        int c = next(d);
        if (i + 1 >= n)
            return fail(d, "name longer than %d bytes", IDENT_MAX);
        out[i++] = (char)c;
    }
    out[i] = '\0';
    return MH_OK;
}

static bool word_is(const char *w, const char *kw)
{
    return strcasecmp(w, kw) == 0;
}

/* A name: `back quoted` (`` for a back quote) or bare. */
static int read_name(mh_sqldump_t *d, char *out, size_t n, const char *what)
{
    if (skip_ws(d))
        return MH_ERR;
    size_t i = 0;
    if (peek(d) == '`') {
        unsigned long start = d->line;
        next(d);
        for (;;) {
            int c = next(d);
            if (c < 0)
                return fail(d, "unterminated `name` starting at line %lu", start);
            if (c == '`') {
                if (peek(d) != '`')
                    break;
                next(d);
            }
            if (i + 1 >= n)
                return fail(d, "name longer than %d bytes", IDENT_MAX);
            out[i++] = (char)c;
        }
        out[i] = '\0';
        return MH_OK;
    }
    if (!is_word(peek(d)))
        return expected(d, what);
    return read_word(d, out, n);
}

/* A table name, possibly qualified (db.table: the last part is kept). */
static int read_table_name(mh_sqldump_t *d, char *out, size_t n)
{
    if (read_name(d, out, n, "a table name"))
        return MH_ERR;
    while (peek(d) == '.') {
        next(d);
        if (read_name(d, out, n, "a table name after '.'"))
            return MH_ERR;
    }
    if (!out[0])
        return fail(d, "empty table name");
    return MH_OK;
}

/* ---- skipping ---- */

/* Skip a quoted string, name or C comment body without keeping it. */
static int skip_quoted(mh_sqldump_t *d, int q)
{
    unsigned long start = d->line;
    next(d);
    for (;;) {
        int c = next(d);
        if (c < 0)
            return q == '`' ? fail(d, "unterminated `name` starting at line %lu", start)
                            : fail(d, "unterminated string starting at line %lu", start);
        if (c == '\\' && q != '`') {
            if (next(d) < 0)
                return fail(d, "unterminated string starting at line %lu", start);
        } else if (c == q) {
            if (peek(d) != q)
                return MH_OK;
            next(d);
        }
    }
}

/* Skip to the end of the statement (its ';' is consumed). When stop_comma,
 * stop before a ',' or ')' at depth 0 instead (one CREATE TABLE item). */
static int skip_until(mh_sqldump_t *d, bool stop_comma)
{
    int depth = 0;
    for (;;) {
        if (skip_ws(d))
            return MH_ERR;
        int c = peek(d);
        if (c < 0)
            return expected(d, stop_comma ? "',' or ')'" : "';'");
        if (c == '\'' || c == '"' || c == '`') {
            if (skip_quoted(d, c))
                return MH_ERR;
            continue;
        }
        if (stop_comma && depth == 0 && (c == ',' || c == ')'))
            return MH_OK;
        next(d);
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        else if (c == ';' && !stop_comma)
            return MH_OK;
    }
}

/* ---- tables ---- */

static void free_cols(char **cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cols[i]);
    free(cols);
}

static table_t *find_table(mh_sqldump_t *d, const char *name)
{
    for (size_t i = 0; i < d->ntables; i++)
        if (strcmp(d->tables[i].name, name) == 0)
            return &d->tables[i];
    return NULL;
}

/* Record a table (taking cols) and tell the caller. */
static int add_table(mh_sqldump_t *d, const char *name, char **cols, size_t ncols)
{
    table_t *t = find_table(d, name);
    if (t) {
        free_cols(t->cols, t->ncols);
    } else {
        if (d->ntables == d->cap_tables) {
            d->cap_tables = d->cap_tables ? d->cap_tables * 2 : 32;
            d->tables = mh_realloc(d->tables, d->cap_tables * sizeof(*d->tables));
            d->names = mh_realloc(d->names, d->cap_tables * sizeof(*d->names));
        }
        t = &d->tables[d->ntables];
        t->name = mh_strdup(name);
        d->names[d->ntables++] = t->name;
    }
    t->cols = cols;
    t->ncols = ncols;
    if (d->o.on_table &&
        d->o.on_table(d->o.ud, t->name, (const char *const *)t->cols, t->ncols) != 0)
        return fail(d, "stopped at table %s", t->name);
    return MH_OK;
}

static bool is_key_word(const char *w)
{
    static const char *const kw[] = {"PRIMARY",  "KEY",     "INDEX",   "UNIQUE", "CONSTRAINT",
                                     "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK",  "PERIOD"};
    for (size_t i = 0; i < MH_ARRAY_LEN(kw); i++)
        if (word_is(w, kw[i]))
            return true;
    return false;
}

/* CREATE TABLE [IF NOT EXISTS] name ( col def, ..., keys ) options ; */
static int parse_create(mh_sqldump_t *d)
{
    char w[IDENT_MAX + 1], name[IDENT_MAX + 1];
    char **cols = NULL;
    size_t ncols = 0;
    int rc = MH_ERR;
    d->stmt = "CREATE";
    for (;;) {
        if (skip_ws(d) || read_word(d, w, sizeof(w)))
            goto done;
        if (word_is(w, "TEMPORARY") || word_is(w, "OR") || word_is(w, "REPLACE"))
            continue;
        break;
    }
    if (!word_is(w, "TABLE")) {
        rc = skip_until(d, false); /* views, databases, routines... */
        goto done;
    }
    d->stmt = "CREATE TABLE";
    if (skip_ws(d))
        goto done;
    if (peek(d) != '`') {
        /* IF NOT EXISTS, or a bare table name */
        if (read_word(d, w, sizeof(w)))
            goto done;
        if (word_is(w, "IF")) {
            if (skip_ws(d) || read_word(d, w, sizeof(w)) || !word_is(w, "NOT") || skip_ws(d) ||
                read_word(d, w, sizeof(w)) || !word_is(w, "EXISTS")) {
                expected(d, "IF NOT EXISTS");
                goto done;
            }
            if (read_table_name(d, name, sizeof(name)))
                goto done;
        } else {
            if (!w[0]) {
                expected(d, "a table name");
                goto done;
            }
            memcpy(name, w, strlen(w) + 1);
            while (peek(d) == '.') {
                next(d);
                if (read_name(d, name, sizeof(name), "a table name after '.'"))
                    goto done;
            }
        }
    } else if (read_table_name(d, name, sizeof(name))) {
        goto done;
    }
    d->table = name;
    if (skip_ws(d))
        goto done;
    if (peek(d) != '(') { /* CREATE TABLE t LIKE u; CREATE TABLE t AS SELECT ... */
        rc = skip_until(d, false);
        goto done;
    }
    next(d);
    cols = mh_calloc(MAX_COLUMNS, sizeof(*cols));
    for (;;) {
        if (skip_ws(d))
            goto done;
        int c = peek(d);
        if (c == ')') {
            next(d);
            break;
        }
        bool quoted = c == '`';
        if (quoted) {
            if (read_name(d, w, sizeof(w), "a column name"))
                goto done;
        } else if (!is_word(c)) {
            expected(d, "a column definition");
            goto done;
        } else if (read_word(d, w, sizeof(w))) {
            goto done;
        }
        if (quoted || !is_key_word(w)) {
            if (ncols == MAX_COLUMNS) {
                fail(d, "table %s has more than %d columns", name, MAX_COLUMNS);
                goto done;
            }
            cols[ncols++] = mh_strdup(w);
        }
        if (skip_until(d, true))
            goto done;
        if (next(d) == ')')
            break;
    }
    if (skip_until(d, false)) /* ENGINE=... ; */
        goto done;
    rc = add_table(d, name, cols, ncols);
    cols = NULL;
done:
    if (cols)
        free_cols(cols, ncols);
    return rc;
}

/* ---- values ---- */

static int put(mh_sqldump_t *d, char c)
{
    if (d->row.len - d->voff[d->nvals] >= d->o.max_value)
        return fail(d, "a value of table %s is longer than %zu bytes", d->table, d->o.max_value);
    /* the row's bytes without the NUL after each value */
    if (d->row.len - d->nvals >= d->o.max_row || mh_buf_putc(&d->row, c) != MH_OK)
        return fail(d, "a row of table %s is longer than %zu bytes", d->table, d->o.max_row);
    return MH_OK;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A quoted string's bytes, escapes decoded, appended to the value. */
static int read_string(mh_sqldump_t *d)
{
    int q = next(d);
    unsigned long start = d->line;
    for (;;) {
        int c = next(d);
        if (c < 0)
            return fail(d, "unterminated string starting at line %lu", start);
        if (c == '\\') {
            int e = next(d);
            switch (e) {
            case -1:
                return fail(d, "unterminated string starting at line %lu", start);
            case '0':
                c = '\0';
                break;
            case 'b':
                c = '\b';
                break;
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'Z':
                c = 0x1a;
                break;
            case '%':
            case '_':
                /* MySQL keeps the backslash outside LIKE patterns */
                if (put(d, '\\'))
                    return MH_ERR;
                c = e;
                break;
            default:
                c = e; /* \' \" \\ and any other: the character itself */
            }
        } else if (c == q) {
            if (peek(d) != q)
                return MH_OK;
            next(d); /* '' inside '...' */
        }
        if (put(d, (char)c))
            return MH_ERR;
    }
}

/* Adjacent literals concatenate: 'a' 'b' is 'ab'. */
static int read_strings(mh_sqldump_t *d)
{
    for (;;) {
        if (read_string(d) || skip_ws(d))
            return MH_ERR;
        int c = peek(d);
        if (c != '\'' && c != '"')
            return MH_OK;
    }
}

/* Digits in the value (as text) become bytes, in place: hex (bits 4) or
 * binary (bits 1), right-aligned as MySQL does. */
static int pack_digits(mh_sqldump_t *d, size_t off, int bits)
{
    char *s = d->row.base ? d->row.base + off : NULL;
    size_t n = d->row.len - off, per = (size_t)(8 / bits);
    if (n == 0)
        return MH_OK;
    size_t out = (n + per - 1) / per, first = n - (out - 1) * per;
    if (out > d->o.max_value)
        return fail(d, "a value of table %s is longer than %zu bytes", d->table, d->o.max_value);
    size_t in = 0;
    for (size_t i = 0; i < out; i++) {
        unsigned v = 0;
        for (size_t k = 0; k < (i == 0 ? first : per); k++, in++)
            v = (v << bits) | (unsigned)(bits == 4 ? hexval(s[in]) : s[in] - '0');
        s[i] = (char)v;
    }
    d->row.len = off + out;
    if (d->row.base)
        d->row.base[d->row.len] = '\0';
    if (d->row.len - d->nvals > d->o.max_row)
        return fail(d, "a row of table %s is longer than %zu bytes", d->table, d->o.max_row);
    return MH_OK;
}

/* 0x1F, X'1F', 0b101, b'101' (the prefix already consumed; quoted when q). */
static int read_digits(mh_sqldump_t *d, int bits, int q)
{
    size_t off = d->row.len;
    unsigned long start = d->line;
    for (;;) {
        int c = peek(d);
        bool ok = bits == 4 ? hexval(c) >= 0 : (c == '0' || c == '1');
        if (!ok)
            break;
        next(d);
        /* digits are up to twice the bytes they make */
        if (d->row.len - off >= d->o.max_value * 2)
            return fail(d, "a value of table %s is longer than %zu bytes", d->table,
                        d->o.max_value);
        if (mh_buf_putc(&d->row, (char)c) != MH_OK)
            return fail(d, "a row of table %s is longer than %zu bytes", d->table, d->o.max_row);
    }
    size_t n = d->row.len - off;
    if (q) {
        if (peek(d) < 0)
            return fail(d, "unterminated string starting at line %lu", start);
        if (peek(d) != q)
            return expected(d, bits == 4 ? "a hex digit or '''" : "'0', '1' or '''");
        next(d);
        if (bits == 4 && n % 2)
            return fail(d, "odd number of hex digits in X'...'");
    } else {
        if (n == 0)
            return expected(d, bits == 4 ? "a hex digit after 0x" : "'0' or '1' after 0b");
        if (is_word(peek(d)))
            return expected(d, bits == 4 ? "a hex digit" : "'0' or '1'");
    }
    return pack_digits(d, off, bits);
}

static int read_number(mh_sqldump_t *d)
{
    int c = peek(d);
    if (c == '-' || c == '+') {
        if (put(d, (char)next(d)))
            return MH_ERR;
    }
    size_t digits = 0;
    while ((c = peek(d)) >= '0' && c <= '9') {
        digits++;
        if (put(d, (char)next(d)))
            return MH_ERR;
    }
    if (c == '.') {
        if (put(d, (char)next(d)))
            return MH_ERR;
        while ((c = peek(d)) >= '0' && c <= '9') {
            digits++;
            if (put(d, (char)next(d)))
                return MH_ERR;
        }
    }
    if (!digits)
        return expected(d, "a digit");
    if (c == 'e' || c == 'E') {
        int c1 = peek_at(d, 1);
        if (c1 == '+' || c1 == '-' || (c1 >= '0' && c1 <= '9')) {
            if (put(d, (char)next(d)))
                return MH_ERR;
            if ((c1 == '+' || c1 == '-') && put(d, (char)next(d)))
                return MH_ERR;
            if (!((c = peek(d)) >= '0' && c <= '9'))
                return expected(d, "a digit of the exponent");
            while ((c = peek(d)) >= '0' && c <= '9')
                if (put(d, (char)next(d)))
                    return MH_ERR;
        }
    }
    if (is_word(peek(d)))
        return expected(d, "a digit");
    return MH_OK;
}

/* One value of a row, appended to d->row. */
static int read_value(mh_sqldump_t *d)
{
    if (d->nvals == MAX_COLUMNS)
        return fail(d, "more than %d values in a row of table %s", MAX_COLUMNS, d->table);
    if (d->nvals == d->vcap) {
        d->vcap = d->vcap ? d->vcap * 2 : 64;
        d->voff = mh_realloc(d->voff, (d->vcap + 1) * sizeof(*d->voff));
        d->vlen = mh_realloc(d->vlen, d->vcap * sizeof(*d->vlen));
        d->vkind = mh_realloc(d->vkind, d->vcap * sizeof(*d->vkind));
        d->vals = mh_realloc(d->vals, d->vcap * sizeof(*d->vals));
    }
    size_t i = d->nvals;
    d->voff[i] = d->row.len;
    mh_sql_kind_t kind = MH_SQL_STRING;
    int c = peek(d), c1 = peek_at(d, 1);
    int rc = MH_ERR;
    if (c == '\'' || c == '"') {
        rc = read_strings(d);
    } else if (c == '0' && (c1 == 'x' || c1 == 'X') && hexval(peek_at(d, 2)) >= 0) {
        next(d);
        next(d);
        kind = MH_SQL_BINARY;
        rc = read_digits(d, 4, 0);
    } else if (c == '0' && c1 == 'b' && (peek_at(d, 2) == '0' || peek_at(d, 2) == '1')) {
        next(d);
        next(d);
        kind = MH_SQL_BINARY;
        rc = read_digits(d, 1, 0);
    } else if ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+') {
        kind = MH_SQL_NUMBER;
        rc = read_number(d);
    } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && c1 == '\'') {
        next(d);
        next(d);
        kind = MH_SQL_BINARY;
        rc = read_digits(d, c == 'x' || c == 'X' ? 4 : 1, '\'');
    } else if ((c == 'n' || c == 'N') && c1 == '\'') {
        next(d);
        rc = read_strings(d);
    } else if (is_word(c)) {
        char w[IDENT_MAX + 1];
        if (read_word(d, w, sizeof(w)))
            return MH_ERR;
        if (word_is(w, "NULL")) {
            kind = MH_SQL_NULL;
            rc = MH_OK;
        } else if (word_is(w, "TRUE") || word_is(w, "FALSE")) {
            kind = MH_SQL_NUMBER;
            rc = put(d, word_is(w, "TRUE") ? '1' : '0');
        } else if (w[0] == '_') {
            /* a character set introducer: _binary'..', _utf8mb4 '..', _latin1 0x41 */
            if (skip_ws(d))
                return MH_ERR;
            kind = word_is(w, "_binary") ? MH_SQL_BINARY : MH_SQL_STRING;
            c = peek(d);
            c1 = peek_at(d, 1);
            if (c == '\'' || c == '"') {
                rc = read_strings(d);
            } else if (c == '0' && (c1 == 'x' || c1 == 'X')) {
                next(d);
                next(d);
                rc = read_digits(d, 4, 0);
            } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && c1 == '\'') {
                next(d);
                next(d);
                rc = read_digits(d, c == 'x' || c == 'X' ? 4 : 1, '\'');
            } else {
                return expected(d, "a string after a character set");
            }
        } else {
            return fail(d, "expected a value, found '%s'", w);
        }
    } else {
        return expected(d, "a value");
    }
    if (rc != MH_OK)
        return MH_ERR;
    d->vkind[i] = kind;
    d->vlen[i] = d->row.len - d->voff[i];
    d->nvals++;
    d->voff[d->nvals] = d->row.len + 1; /* past the NUL below (put's ceiling base) */
    if (mh_buf_putc(&d->row, '\0') != MH_OK)
        return fail(d, "a row of table %s is longer than %zu bytes", d->table, d->o.max_row);
    return MH_OK;
}

/* ---- INSERT / REPLACE ---- */

static void clear_list(mh_sqldump_t *d)
{
    for (size_t i = 0; i < d->nlist; i++)
        free(d->list[i]);
    d->nlist = 0;
    d->has_list = false;
}

static int read_column_list(mh_sqldump_t *d)
{
    char w[IDENT_MAX + 1];
    next(d); /* ( */
    d->has_list = true;
    for (;;) {
        if (skip_ws(d))
            return MH_ERR;
        if (peek(d) == ')' && d->nlist == 0) {
            next(d);
            return MH_OK;
        }
        if (read_name(d, w, sizeof(w), "a column name"))
            return MH_ERR;
        if (d->nlist == MAX_COLUMNS)
            return fail(d, "more than %d columns for table %s", MAX_COLUMNS, d->table);
        if (d->nlist == d->cap_list) {
            d->cap_list = d->cap_list ? 2 * d->cap_list : 64;
            d->list = mh_realloc(d->list, d->cap_list * sizeof(*d->list));
        }
        d->list[d->nlist++] = mh_strdup(w);
        if (skip_ws(d))
            return MH_ERR;
        int c = peek(d);
        if (c == ')') {
            next(d);
            return MH_OK;
        }
        if (c != ',')
            return expected(d, "',' or ')' in the column list");
        next(d);
    }
}

static int emit_row(mh_sqldump_t *d, table_t *t)
{
    const char *const *cols = (const char *const *)(d->has_list ? d->list : t->cols);
    size_t ncols = d->has_list ? d->nlist : t->ncols;
    if (ncols && ncols != d->nvals)
        return fail(d, "expected %zu values for table %s, found %zu", ncols, t->name, d->nvals);
    for (size_t i = 0; i < d->nvals; i++) {
        d->vals[i].kind = d->vkind[i];
        d->vals[i].bytes = d->row.base + d->voff[i];
        d->vals[i].len = d->vlen[i];
    }
    int stop = d->o.on_row
                   ? d->o.on_row(d->o.ud, t->name, ncols ? cols : NULL, ncols, d->vals, d->nvals)
                   : 0;
    mh_buf_reset(&d->row);
    d->nvals = 0;
    if (stop)
        return fail(d, "stopped at table %s", t->name);
    return MH_OK;
}

/* INSERT [LOW_PRIORITY|DELAYED|HIGH_PRIORITY] [IGNORE] [INTO] t [(cols)]
 * VALUES (row), (row)... [ON DUPLICATE KEY UPDATE ...] ; and REPLACE. */
static int parse_insert(mh_sqldump_t *d, const char *verb)
{
    char w[IDENT_MAX + 1], name[IDENT_MAX + 1];
    int rc = MH_ERR;
    d->stmt = verb;
    for (;;) {
        w[0] = '\0'; /* no bare word before a `name` */
        if (skip_ws(d))
            goto done;
        if (peek(d) == '`')
            break;
        if (!is_word(peek(d))) {
            expected(d, "a table name");
            goto done;
        }
        if (read_word(d, w, sizeof(w)))
            goto done;
        if (word_is(w, "LOW_PRIORITY") || word_is(w, "DELAYED") || word_is(w, "HIGH_PRIORITY") ||
            word_is(w, "IGNORE"))
            continue;
        if (word_is(w, "INTO")) {
            w[0] = '\0';
            if (skip_ws(d))
                goto done;
            if (peek(d) == '`')
                break;
            if (read_word(d, w, sizeof(w)))
                goto done;
        }
        break;
    }
    if (w[0] && peek(d) != '.') {
        memcpy(name, w, strlen(w) + 1);
    } else {
        if (w[0]) /* db.table: skip the database */
            next(d);
        if (read_table_name(d, name, sizeof(name)))
            goto done;
    }
    if (!name[0]) {
        expected(d, "a table name");
        goto done;
    }
    d->table = name;
    clear_list(d);
    if (skip_ws(d))
        goto done;
    if (peek(d) == '(' && read_column_list(d))
        goto done;
    if (skip_ws(d))
        goto done;
    if (!is_word(peek(d))) {
        expected(d, "VALUES");
        goto done;
    }
    if (read_word(d, w, sizeof(w)))
        goto done;
    if (!word_is(w, "VALUES") && !word_is(w, "VALUE")) {
        fail(d, "expected VALUES, found '%s'", w);
        goto done;
    }
    table_t *t = find_table(d, name);
    if (!t) {
        char **cols = NULL;
        if (d->has_list) {
            cols = mh_calloc(d->nlist ? d->nlist : 1, sizeof(*cols));
            for (size_t i = 0; i < d->nlist; i++)
                cols[i] = mh_strdup(d->list[i]);
        }
        if (add_table(d, name, cols, d->has_list ? d->nlist : 0))
            goto done;
        t = find_table(d, name);
    }
    d->table = t->name;
    for (;;) {
        if (skip_ws(d))
            goto done;
        if (peek(d) != '(') {
            expected(d, "'(' starting a row");
            goto done;
        }
        next(d);
        if (skip_ws(d))
            goto done;
        if (peek(d) == ')') {
            next(d);
        } else {
            for (;;) {
                if (skip_ws(d) || read_value(d) || skip_ws(d))
                    goto done;
                int c = peek(d);
                if (c == ')') {
                    next(d);
                    break;
                }
                if (c != ',') {
                    expected(d, "',' or ')' after a value");
                    goto done;
                }
                next(d);
            }
        }
        if (emit_row(d, t) || skip_ws(d))
            goto done;
        int c = peek(d);
        if (c == ',') {
            next(d);
            continue;
        }
        if (c == ';') {
            next(d);
            break;
        }
        if (is_word(c)) { /* ON DUPLICATE KEY UPDATE ... */
            if (read_word(d, w, sizeof(w)))
                goto done;
            if (!word_is(w, "ON")) {
                fail(d, "expected ',' or ';' after a row, found '%s'", w);
                goto done;
            }
            if (skip_until(d, false))
                goto done;
            break;
        }
        expected(d, "',' or ';' after a row");
        goto done;
    }
    rc = MH_OK;
done:
    clear_list(d);
    mh_buf_reset(&d->row);
    d->nvals = 0;
    return rc;
}

/* ---- statements ---- */

static int parse_file(mh_sqldump_t *d)
{
    if (peek(d) == 0xEF && peek_at(d, 1) == 0xBB && peek_at(d, 2) == 0xBF) {
        next(d);
        next(d);
        next(d);
    }
    char w[IDENT_MAX + 1];
    for (;;) {
        d->stmt = NULL;
        d->table = NULL;
        if (skip_ws(d))
            return MH_ERR;
        int c = peek(d);
        if (c < 0)
            return d->failed ? MH_ERR : MH_OK;
        if (c == ';') {
            next(d);
            continue;
        }
        if (!is_word(c) || (c >= '0' && c <= '9'))
            return expected(d, "a statement");
        if (read_word(d, w, sizeof(w)))
            return MH_ERR;
        int rc;
        if (word_is(w, "INSERT"))
            rc = parse_insert(d, "INSERT");
        else if (word_is(w, "REPLACE"))
            rc = parse_insert(d, "REPLACE");
        else if (word_is(w, "CREATE"))
            rc = parse_create(d);
        else if (word_is(w, "DELIMITER")) {
            skip_line(d); /* a client command: its line */
            rc = MH_OK;
        } else {
            for (char *p = w; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A');
            d->stmt = w; /* SET, LOCK, DROP, USE, ALTER...: skipped */
            rc = skip_until(d, false);
        }
        if (rc != MH_OK)
            return MH_ERR;
    }
}

static int read_source(mh_sqldump_t *d, const char *name, int fd, const void *data, size_t len,
                       char *err, size_t errlen)
{
    d->file = name;
    d->fd = fd;
    d->mem = data;
    d->mem_len = len;
    d->mem_pos = 0;
    d->pos = d->len = 0;
    d->eof = false;
    d->consumed = 0;
    d->line = 1;
    d->err = err;
    d->errlen = errlen;
    d->failed = false;
    if (err && errlen)
        err[0] = '\0';
    mh_buf_reset(&d->row);
    d->nvals = 0;
    int rc = parse_file(d);
    d->stmt = NULL;
    d->table = NULL;
    return rc == MH_OK && !d->failed ? MH_OK : MH_ERR;
}

/* ---- API ---- */

mh_sqldump_t *mh_sqldump_new(const mh_sqldump_opts_t *opts)
{
    mh_sqldump_t *d = mh_calloc(1, sizeof(*d));
    if (opts)
        d->o = *opts;
    if (!d->o.chunk_size)
        d->o.chunk_size = DEFAULT_CHUNK;
    if (!d->o.max_value)
        d->o.max_value = DEFAULT_MAX_VALUE;
    if (!d->o.max_row)
        d->o.max_row = DEFAULT_MAX_ROW;
    d->cap = d->o.chunk_size + LOOKAHEAD;
    d->buf = mh_malloc(d->cap);
    /* room for the values' NULs and a hex value's digits (twice its bytes)
     * beyond max_row, which put() and pack_digits() enforce */
    mh_buf_init(&d->row, d->o.max_row + 2 * d->o.max_value + MAX_COLUMNS + 1);
    d->voff = mh_calloc(1, sizeof(*d->voff));
    d->fd = -1;
    d->file = "";
    return d;
}

void mh_sqldump_free(mh_sqldump_t *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ntables; i++) {
        free(d->tables[i].name);
        free_cols(d->tables[i].cols, d->tables[i].ncols);
    }
    free(d->tables);
    free(d->names);
    free(d->buf);
    mh_buf_free(&d->row);
    free(d->voff);
    free(d->vlen);
    free(d->vkind);
    free(d->vals);
    clear_list(d);
    free(d->list);
    free(d);
}

int mh_sqldump_read_file(mh_sqldump_t *d, const char *path, char *err, size_t errlen)
{
    bool std_in = strcmp(path, "-") == 0;
    int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return MH_ERR;
    }
    int rc = read_source(d, std_in ? "(stdin)" : path, fd, NULL, 0, err, errlen);
    if (!std_in)
        close(fd);
    return rc;
}

int mh_sqldump_read_mem(mh_sqldump_t *d, const char *name, const void *data, size_t len, char *err,
                        size_t errlen)
{
    return read_source(d, name, -1, data, len, err, errlen);
}

uint64_t mh_sqldump_offset(const mh_sqldump_t *d)
{
    return d->consumed + d->pos;
}

unsigned long mh_sqldump_line(const mh_sqldump_t *d)
{
    return d->line;
}

const char *const *mh_sqldump_tables(const mh_sqldump_t *d, size_t *n)
{
    *n = d->ntables;
    return (const char *const *)d->names;
}

int mh_sqldump_metinfo_prefix(const char *const *names, size_t n, char *out, size_t outlen)
{
    /* table names MetInfo 7 creates, without the prefix */
    static const char *const known[] = {
        "column", "news",     "product", "download",  "img",         "job",      "config",
        "lang",   "language", "flash",   "link",      "message",     "feedback", "parameter",
        "plist",  "para",     "mlist",   "cv",        "admin_table", "user",     "templates",
        "label",  "online",   "applist", "otherinfo", "skin_table",  "tags"};
    enum { MAXC = 64 };
    const char *cand[MAXC];
    size_t clen[MAXC], votes[MAXC], nc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        for (size_t k = 0; k < MH_ARRAY_LEN(known); k++) {
            size_t kl = strlen(known[k]);
            if (len < kl || strcmp(names[i] + len - kl, known[k]) != 0)
                continue;
            size_t pl = len - kl, j;
            for (j = 0; j < nc; j++)
                if (clen[j] == pl && strncmp(cand[j], names[i], pl) == 0)
                    break;
            if (j == nc) {
                if (nc == MAXC)
                    continue;
                cand[nc] = names[i];
                clen[nc] = pl;
                votes[nc++] = 0;
            }
            votes[j]++;
        }
    }
    size_t best = MAXC;
    for (size_t j = 0; j < nc; j++)
        if (votes[j] >= 2 && (best == MAXC || votes[j] > votes[best] ||
                              (votes[j] == votes[best] && clen[j] < clen[best])))
            best = j;
    if (best == MAXC)
        return MH_DECLINED;
    if (clen[best] + 1 > outlen)
        return MH_TOOBIG;
    memcpy(out, cand[best], clen[best]);
    out[clen[best]] = '\0';
    return MH_OK;
}
