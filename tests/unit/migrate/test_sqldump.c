/* The MySQL dump reader: every literal and escape form, statements read and
 * skipped, chunk boundaries, truncation at every byte, error messages, and
 * MetInfo 7.2.0's real install dumps (from $MH_ROOT/../shared/interop). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "migrate/sqldump.h"

/* What the callbacks saw, as text:
 *   T name[col,col]
 *   name(N,#12,'text',x:4142)   N null, # number, '' string, x: binary (hex)
 * Bytes outside printable ASCII and \ ' are written \xNN. */
typedef struct {
    mh_buf_t log;
    size_t rows;
    int stop_after; /* stop the reader at this row (0: never) */
} rec_t;

static void put_bytes(mh_buf_t *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'')
            mh_buf_printf(b, "\\x%02x", c);
        else
            mh_buf_putc(b, (char)c);
    }
}

static int on_table(void *ud, const char *t, const char *const *cols, size_t n)
{
    rec_t *r = ud;
    mh_buf_printf(&r->log, "T %s[", t);
    for (size_t i = 0; i < n; i++)
        mh_buf_printf(&r->log, "%s%s", i ? "," : "", cols[i]);
    mh_buf_append_c(&r->log, "]\n");
    return 0;
}

static int on_row(void *ud, const char *t, const char *const *cols, size_t ncols,
                  const mh_sql_value_t *v, size_t n)
{
    rec_t *r = ud;
    if (ncols)
        assert_int_equal(ncols, n);
    mh_buf_printf(&r->log, "%s(", t);
    for (size_t i = 0; i < n; i++) {
        if (i)
            mh_buf_putc(&r->log, ',');
        assert_int_equal(v[i].bytes[v[i].len], '\0');
        switch (v[i].kind) {
        case MH_SQL_NULL:
            mh_buf_putc(&r->log, 'N');
            assert_int_equal(v[i].len, 0);
            break;
        case MH_SQL_NUMBER:
            mh_buf_putc(&r->log, '#');
            put_bytes(&r->log, v[i].bytes, v[i].len);
            break;
        case MH_SQL_STRING:
            mh_buf_putc(&r->log, '\'');
            put_bytes(&r->log, v[i].bytes, v[i].len);
            mh_buf_putc(&r->log, '\'');
            break;
        case MH_SQL_BINARY:
            mh_buf_append_c(&r->log, "x:");
            for (size_t k = 0; k < v[i].len; k++)
                mh_buf_printf(&r->log, "%02x", (unsigned char)v[i].bytes[k]);
            break;
        }
    }
    mh_buf_append_c(&r->log, ")\n");
    r->rows++;
    return r->stop_after && r->rows == (size_t)r->stop_after;
}

/* Read sql with this chunk size; the log (caller frees) and rc/err. */
static char *run_opts(const char *sql, size_t len, mh_sqldump_opts_t o, int *rc, char *err,
                      size_t errlen, size_t *rows)
{
    rec_t r = {0};
    mh_buf_init(&r.log, 1 << 24);
    o.on_table = on_table;
    o.on_row = on_row;
    o.ud = &r;
    mh_sqldump_t *d = mh_sqldump_new(&o);
    *rc = mh_sqldump_read_mem(d, "t.sql", sql, len, err, errlen);
    mh_sqldump_free(d);
    if (rows)
        *rows = r.rows;
    if (!r.log.base)
        mh_buf_putc(&r.log, '\0'), r.log.len = 0;
    return mh_buf_steal(&r.log, NULL);
}

static char *run(const char *sql, size_t chunk, int *rc, char *err, size_t errlen)
{
    mh_sqldump_opts_t o = {.chunk_size = chunk};
    return run_opts(sql, strlen(sql), o, rc, err, errlen, NULL);
}

/* Expect success and this log, at several chunk sizes. */
static void expect_log(const char *sql, const char *want)
{
    static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 64};
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        int rc;
        char err[256];
        char *got = run(sql, chunks[i], &rc, err, sizeof(err));
        if (rc != MH_OK)
            fail_msg("chunk %zu: error %s", chunks[i], err);
        if (strcmp(got, want) != 0)
            fail_msg("chunk %zu:\n got: %s\nwant: %s", chunks[i], got, want);
        free(got);
    }
}

/* Expect an error containing want (at chunk sizes 1 and 0). */
static void expect_err(const char *sql, const char *want)
{
    static const size_t chunks[] = {0, 1};
    for (size_t i = 0; i < 2; i++) {
        int rc;
        char err[256];
        free(run(sql, chunks[i], &rc, err, sizeof(err)));
        if (rc == MH_OK)
            fail_msg("no error for: %s", sql);
        if (!strstr(err, want))
            fail_msg("for: %s\n got error: %s\nwant: %s", sql, err, want);
    }
}

static void test_strings(void **state)
{
    expect_log(
        "INSERT INTO t VALUES ('a\\'b\\\"c\\\\d\\ne\\rf\\tg\\0h\\Zi\\bj\\%k\\_l''m');",
        "T t[]\nt('a\\x27b\"c\\x5cd\\x0ae\\x0df\\x09g\\x00h\\x1ai\\x08j\\x5c%k\\x5c_l\\x27m')\n");
    /* double quotes, doubled double quote, unknown escapes keep the letter,
     * quotes of the other kind, empty strings, a ';' and newlines inside */
    expect_log("INSERT INTO t VALUES (\"dq\"\"x\\\"y\", 'x\\qy', '', \"\", 'say \"hi\"', \"it's\", "
               "'a;b', 'line1\nline2\r\nline3');",
               "T t[]\nt('dq\"x\"y','xqy','','','say \"hi\"','it\\x27s','a;b',"
               "'line1\\x0aline2\\x0d\\x0aline3')\n");
    /* adjacent literals concatenate; N'' and introducers */
    expect_log("INSERT INTO t VALUES ('a' 'b'  \"c\", N'nat', _utf8mb4'\xf0\x9f\x98\x80', "
               "_utf8 \"\xe4\xb8\xad\", _latin1 X'41');",
               "T t[]\nt('abc','nat','\\xf0\\x9f\\x98\\x80','\\xe4\\xb8\\xad','A')\n");
}

static void test_numbers_null(void **state)
{
    expect_log("INSERT INTO t VALUES (0,-1,3.14,-0.5,1e10,2.5E-3,+7,.5,12.,TRUE,false,NULL,null,"
               "-9223372036854775808, 18446744073709551615);",
               "T t[]\nt(#0,#-1,#3.14,#-0.5,#1e10,#2.5E-3,#+7,#.5,#12.,#1,#0,N,N,"
               "#-9223372036854775808,#18446744073709551615)\n");
}

static void test_binary(void **state)
{
    expect_log("INSERT INTO t VALUES (0x4142, 0x141, 0xabCDef, X'4142', x'', b'01000001', "
               "B'1', 0b101, b'', _binary 'a\\0b', _binary'\\'', _binary 0xFF00, _binary X'00');",
               "T t[]\nt(x:4142,x:0141,x:abcdef,x:4142,x:,x:41,x:01,x:05,x:,x:610062,x:27,"
               "x:ff00,x:00)\n");
}

static void test_inserts(void **state)
{
    expect_log("CREATE TABLE `t` (`id` int(11), `name` varchar(20));\n"
               "INSERT INTO `t` VALUES (1,'a'),(2,'b'),\n(3,'c');\n"
               "INSERT INTO `t` (`name`, `id`) VALUES ('d',4);\n"
               "INSERT IGNORE INTO t VALUES (5,'e');\n"
               "INSERT LOW_PRIORITY IGNORE INTO `t` VALUE (6,'f');\n"
               "REPLACE INTO `t` VALUES (7,'g');\n"
               "REPLACE t (id, name) VALUES (8,'h');\n"
               "insert into `db`.`t` values (9,'i') ON DUPLICATE KEY UPDATE name=VALUES(name), "
               "x=';';\n"
               "INSERT INTO db.t VALUES(10,'j');\n"
               "INSERT INTO u () VALUES ();\n"
               "INSERT INTO `we``ird` (`a``b`) VALUES ('x');\n"
               "INSERT `t` VALUES (11,'k');\nINSERT IGNORE `t` VALUES (12,'l');\n"
               "REPLACE `t` VALUES (13,'m');\nINSERT DELAYED t VALUES (14,'n');\n",
               "T t[id,name]\n"
               "t(#1,'a')\nt(#2,'b')\nt(#3,'c')\n"
               "t('d',#4)\nt(#5,'e')\nt(#6,'f')\nt(#7,'g')\nt(#8,'h')\nt(#9,'i')\nt(#10,'j')\n"
               "T u[]\nu()\n"
               "T we`ird[a`b]\nwe`ird('x')\n"
               "t(#11,'k')\nt(#12,'l')\nt(#13,'m')\nt(#14,'n')\n");
}

static void test_create_table(void **state)
{
    expect_log("CREATE TABLE IF NOT EXISTS `met_column` (\n"
               "  `id` int( 11 ) NOT NULL auto_increment,\n"
               "  `kind` enum('a','b,c',')') DEFAULT 'a' COMMENT 'x, (y',\n"
               "  name varchar (50) DEFAULT '',\n"
               "  `price` decimal(10,2) DEFAULT '0.00',\n"
               "  PRIMARY KEY  (`id`),\n"
               "  UNIQUE KEY `k` (`name`,`kind`),\n"
               "  KEY `n` (`name`(10)),\n"
               "  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `x` (`id`)\n"
               ") ENGINE=MyISAM DEFAULT CHARSET=utf8 COMMENT='a;b';\n"
               "CREATE TEMPORARY TABLE db.tmp (a int);\n"
               "CREATE DATABASE IF NOT EXISTS `x` /*!40100 DEFAULT CHARACTER SET utf8 */;\n"
               "CREATE TABLE c LIKE `met_column`;\n"
               "CREATE TABLE t (a int);\nCREATE TABLE t (b int, c int);\n"
               "INSERT INTO t VALUES (1,2);\n",
               "T met_column[id,kind,name,price]\nT tmp[a]\nT t[a]\nT t[b,c]\nt(#1,#2)\n");
}

static void test_skipped(void **state)
{
    /* the head and tail of a mysqldump file; MetInfo backup volume lines */
    expect_log("-- MySQL dump 10.13  Distrib 8.0.35\n"
               "--\n-- Host: localhost    Database: met\n"
               "-- ------------------------------------------------------\n"
               "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
               "/*!50503 SET NAMES utf8mb4 */;\n"
               "/*!40103 SET TIME_ZONE='+00:00' */;\n"
               "#MetInfo.cn Created version:7.2.0\n#tablepre:met_\n"
               "SET NAMES utf8mb4;\nSET @x = 'a;b';\nUSE `met`;\n"
               "DROP TABLE IF EXISTS `t`;\n"
               "/* a comment\n over lines; with ';' */\n"
               "LOCK TABLES `t` WRITE;\n"
               "/*!40000 ALTER TABLE `t` DISABLE KEYS */;\n"
               "INSERT INTO `t` VALUES (1, /* inline */ 'a' -- trailing\n, 2 # hash\n);\n"
               "/*!40000 ALTER TABLE `t` ENABLE KEYS */;\nUNLOCK TABLES;\n"
               "DELIMITER ;;\n"
               "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER x BEFORE INSERT "
               "ON t FOR EACH ROW SET NEW.a = 1 */;;\n"
               "DELIMITER ;\n"
               "ALTER TABLE t ADD COLUMN \"q;\" int;\n;;\n"
               "SELECT 1 - -1 --comment-less minus\n;\n"
               "-- Dump completed on 2024-01-01 12:00:00",
               "T t[]\nt(#1,'a',#2)\n");
}

static void test_crlf_bom(void **state)
{
    expect_log("\xef\xbb\xbf-- BOM\r\nCREATE TABLE `t` (\r\n  `a` text,\r\n  `b` int\r\n);\r\n"
               "INSERT INTO `t` VALUES ('x\r\ny', 1),\r\n('z',-2);\r\n",
               "T t[a,b]\nt('x\\x0d\\x0ay',#1)\nt('z',#-2)\n");
}

static void test_errors(void **state)
{
    expect_err("INSERT INTO t VALUES ('abc", "t.sql:1: unterminated string starting at line 1");
    expect_err("INSERT INTO t VALUES (1,\n'a\nb\n",
               "t.sql:4: unterminated string starting at line 2");
    expect_err("INSERT INTO t VALUES (1,", "unexpected end of file inside INSERT for table t");
    expect_err("INSERT INTO `t` VALUES (1),", "unexpected end of file inside INSERT for table t");
    expect_err("INSERT INTO `t` VALUES (1)", "unexpected end of file inside INSERT for table t");
    expect_err("REPLACE INTO t", "unexpected end of file inside REPLACE for table t");
    expect_err("INSERT INTO t VALUES (1 2);",
               "t.sql:1: expected ',' or ')' after a value, found '2'");
    expect_err("\n\nINSERT INTO t VALUES (1) (2);",
               "t.sql:3: expected ',' or ';' after a row, found '('");
    expect_err("INSERT INTO t VALUES (abc);", "expected a value, found 'abc'");
    expect_err("INSERT INTO t VALUES (12abc);", "expected a digit, found 'a'");
    expect_err("INSERT INTO t VALUES (-);", "expected a digit, found ')'");
    expect_err("INSERT INTO t VALUES (X'414');", "odd number of hex digits");
    expect_err("INSERT INTO t VALUES (X'4G');", "expected a hex digit or ''', found 'G'");
    expect_err("INSERT INTO t VALUES (0x12G);", "expected a hex digit, found 'G'");
    expect_err("INSERT INTO t VALUES (b'012');", "expected '0', '1' or ''', found '2'");
    expect_err("INSERT INTO t VALUES (_binary);", "expected a string after a character set");
    expect_err("INSERT INTO t SET a=1;", "expected VALUES, found 'SET'");
    expect_err("INSERT INTO t VALUES 1;", "expected '(' starting a row, found '1'");
    expect_err("INSERT INTO t VALUES (1) x;", "expected ',' or ';' after a row, found 'x'");
    expect_err("CREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (1);",
               "t.sql:2: expected 2 values for table t, found 1");
    expect_err("INSERT INTO t (a) VALUES (1,2);", "expected 1 values for table t, found 2");
    expect_err("/* open", "t.sql:1: unterminated comment starting at line 1");
    expect_err("SET x = 1", "unexpected end of file inside SET");
    expect_err("CREATE TABLE t (a int,", "unexpected end of file inside CREATE TABLE for table t");
    expect_err("CREATE TABLE t (a int)", "unexpected end of file inside CREATE TABLE for table t");
    expect_err("CREATE TABLE `t", "unterminated `name` starting at line 1");
    expect_err("12;", "expected a statement, found '1'");
    expect_err("(SELECT 1);", "expected a statement, found '('");
    expect_err("INSERT INTO t VALUES (\x01);", "expected a value, found byte 0x01");
    expect_err("INSERT INTO t VALUES ('a')\n\n", "t.sql:3: unexpected end of file inside INSERT");
}

static void test_limits(void **state)
{
    /* a value past max_value, in each literal form */
    const char *big[] = {"INSERT INTO t VALUES ('0123456789abcdefX');",
                         "INSERT INTO t VALUES (12345678901234567);",
                         "INSERT INTO t VALUES (0x0102030405060708090a0b0c0d0e0f1011);",
                         "INSERT INTO t VALUES (X'0102030405060708090a0b0c0d0e0f1011');"};
    for (size_t i = 0; i < 4; i++) {
        mh_sqldump_opts_t o = {.chunk_size = 3, .max_value = 16};
        int rc;
        char err[256];
        free(run_opts(big[i], strlen(big[i]), o, &rc, err, sizeof(err), NULL));
        assert_int_equal(rc, MH_ERR);
        assert_non_null(strstr(err, "a value of table t is longer than 16 bytes"));
    }
    /* exactly at the limit is fine */
    mh_sqldump_opts_t o = {.chunk_size = 3, .max_value = 16, .max_row = 40};
    int rc;
    char err[256];
    const char *ok =
        "INSERT INTO t VALUES ('0123456789abcdef', X'0102030405060708090a0b0c0d0e0f10');";
    free(run_opts(ok, strlen(ok), o, &rc, err, sizeof(err), NULL));
    assert_int_equal(rc, MH_OK);
    /* the whole row past max_row */
    const char *row =
        "INSERT INTO t VALUES ('0123456789', '0123456789', '0123456789', '0123456789',"
        " '0123456789');";
    free(run_opts(row, strlen(row), o, &rc, err, sizeof(err), NULL));
    assert_int_equal(rc, MH_ERR);
    assert_non_null(strstr(err, "a row of table t is longer than 40 bytes"));
    /* a long identifier */
    char name[400];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    char sql[512];
    snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (1);", name);
    expect_err(sql, "name longer than 256 bytes");
}

/* A value far larger than the read chunk, with escapes across boundaries. */
static void test_large_value(void **state)
{
    size_t n = 300000;
    mh_buf_t sql, want;
    mh_buf_init(&sql, 1 << 22);
    mh_buf_init(&want, 1 << 22);
    mh_buf_append_c(&sql, "INSERT INTO t VALUES ('");
    for (size_t i = 0; i < n; i++) {
        if (i % 5 == 0) {
            mh_buf_append_c(&sql, "\\n");
            mh_buf_putc(&want, '\n');
        } else if (i % 7 == 0) {
            mh_buf_append_c(&sql, "''");
            mh_buf_putc(&want, '\'');
        } else {
            mh_buf_putc(&sql, (char)('a' + i % 26));
            mh_buf_putc(&want, (char)('a' + i % 26));
        }
    }
    mh_buf_append_c(&sql, "'),(0x");
    for (size_t i = 0; i < 1000; i++)
        mh_buf_append_c(&sql, "ab");
    mh_buf_append_c(&sql, ");");
    for (size_t chunk = 1; chunk <= 4096; chunk *= 64) {
        mh_sqldump_opts_t o = {.chunk_size = chunk};
        int rc;
        char err[256];
        size_t rows;
        char *log = run_opts(sql.base, sql.len, o, &rc, err, sizeof(err), &rows);
        assert_int_equal(rc, MH_OK);
        assert_int_equal(rows, 2);
        /* the escaped form of want is in the log */
        mh_buf_t esc;
        mh_buf_init(&esc, 1 << 22);
        mh_buf_append_c(&esc, "t('");
        put_bytes(&esc, want.base, want.len);
        mh_buf_append_c(&esc, "')\n");
        assert_non_null(strstr(log, esc.base));
        mh_buf_free(&esc);
        free(log);
    }
    mh_buf_free(&sql);
    mh_buf_free(&want);
}

/* Cut a small dump at every byte: an error unless the cut falls between
 * statements, and then exactly the rows of the statements before it. */
static void test_truncated(void **state)
{
    static const char dump[] =
        "-- head\n"
        "/*!40101 SET NAMES utf8 */;\n"
        "CREATE TABLE `t` (`id` int, `s` text, `b` blob) ENGINE=InnoDB;\n"
        "INSERT INTO `t` VALUES (1,'a\\'b;c',0x4142),(-2,NULL,_binary 'x'),(3,\"q\",X'00');\n"
        "LOCK TABLES `t` WRITE;\n"
        "INSERT INTO t (id,s,b) VALUES (4,'\xf0\x9f\x98\x80',b'1');\n"
        "UNLOCK TABLES;\n";
    size_t len = sizeof(dump) - 1;
    /* statement ends and the rows read once each is complete */
    size_t ends[8], rows_at[8], nends = 0, stmt_rows[] = {0, 0, 3, 0, 1, 0};
    size_t total = 0;
    for (size_t i = 0; i < len; i++)
        if (dump[i] == ';' && dump[i + 1] == '\n') {
            total += stmt_rows[nends];
            rows_at[nends] = total;
            ends[nends++] = i + 1;
        }
    assert_int_equal(nends, 6);
    for (size_t cut = 0; cut <= len; cut++) {
        for (size_t chunk = 1; chunk <= 64; chunk *= 64) {
            mh_sqldump_opts_t o = {.chunk_size = chunk};
            int rc;
            char err[256] = "";
            size_t rows = 0;
            free(run_opts(dump, cut, o, &rc, err, sizeof(err), &rows));
            /* a cut inside the leading comment line, or after a statement's
             * ';' (and its newline), leaves a complete dump */
            bool boundary = cut <= 8 || cut == (size_t)(strstr(dump, "*/;") - dump) + 2;
            size_t want_rows = 0;
            for (size_t k = 0; k < nends; k++)
                if (cut == ends[k] || cut == ends[k] + 1) {
                    boundary = true;
                    want_rows = rows_at[k];
                }
            if (boundary) {
                if (rc != MH_OK && cut > 8)
                    fail_msg("cut %zu: unexpected error %s", cut, err);
                if (rc == MH_OK)
                    assert_int_equal(rows, want_rows);
            } else {
                if (rc == MH_OK)
                    fail_msg("cut %zu (chunk %zu): no error", cut, chunk);
                assert_non_null(strstr(err, "t.sql:"));
            }
        }
    }
}

static void test_multi_file_and_stop(void **state)
{
    rec_t r = {0};
    mh_buf_init(&r.log, 1 << 20);
    mh_sqldump_opts_t o = {.on_table = on_table, .on_row = on_row, .ud = &r, .chunk_size = 4};
    mh_sqldump_t *d = mh_sqldump_new(&o);
    char err[256];
    const char *schema = "CREATE TABLE `met_news` (`id` int, `title` varchar(9));\n"
                         "CREATE TABLE `met_column` (`id` int);\nCREATE TABLE met_config (x int);";
    const char *data = "INSERT INTO `met_news` VALUES (1,'one'),(2,'two'),(3,'three');\n";
    assert_int_equal(mh_sqldump_read_mem(d, "schema.sql", schema, strlen(schema), err, 256), MH_OK);
    assert_int_equal(mh_sqldump_read_mem(d, "data.sql", data, strlen(data), err, 256), MH_OK);
    assert_string_equal(r.log.base, "T met_news[id,title]\nT met_column[id]\nT met_config[x]\n"
                                    "met_news(#1,'one')\nmet_news(#2,'two')\n"
                                    "met_news(#3,'three')\n");
    assert_int_equal(mh_sqldump_offset(d), strlen(data));
    size_t n;
    const char *const *names = mh_sqldump_tables(d, &n);
    assert_int_equal(n, 3);
    assert_string_equal(names[2], "met_config");
    /* a callback stops the reader */
    r.stop_after = 5;
    assert_int_equal(mh_sqldump_read_mem(d, "again.sql", data, strlen(data), err, 256), MH_ERR);
    assert_string_equal(err, "again.sql:1: stopped at table met_news");
    /* a missing file */
    assert_int_equal(mh_sqldump_read_file(d, "/nonexistent/x.sql", err, 256), MH_ERR);
    assert_non_null(strstr(err, "/nonexistent/x.sql: No such file"));
    mh_sqldump_free(d);
    mh_buf_free(&r.log);
}

static void test_prefix(void **state)
{
    char p[32];
    const char *met[] = {"met_admin_column", "met_column", "met_news", "met_config", "other"};
    assert_int_equal(mh_sqldump_metinfo_prefix(met, 5, p, sizeof(p)), MH_OK);
    assert_string_equal(p, "met_");
    const char *cms[] = {"site1_column", "site1_news", "site1_lang", "wp_posts"};
    assert_int_equal(mh_sqldump_metinfo_prefix(cms, 4, p, sizeof(p)), MH_OK);
    assert_string_equal(p, "site1_");
    const char *bare[] = {"column", "news", "config"};
    assert_int_equal(mh_sqldump_metinfo_prefix(bare, 3, p, sizeof(p)), MH_OK);
    assert_string_equal(p, "");
    const char *wp[] = {"wp_posts", "wp_users", "wp_news"};
    assert_int_equal(mh_sqldump_metinfo_prefix(wp, 3, p, sizeof(p)), MH_DECLINED);
    assert_int_equal(mh_sqldump_metinfo_prefix(met, 4, p, 3), MH_TOOBIG);
}

/* ---- MetInfo 7.2.0's install dumps ---- */

typedef struct {
    const char *table;
    size_t rows;
} count_t;

typedef struct {
    count_t counts[64];
    size_t ncounts;
    char *news15_title, *footstat, *lang_admin_cn, *column54_content, *lang_mark;
    size_t footstat_len;
    size_t col_module_idx; /* met_column's "module" column */
    size_t modules[16];
} met_t;

static size_t col_index(const char *const *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0)
            return i;
    fail_msg("no column %s", name);
    return 0;
}

static int met_row(void *ud, const char *t, const char *const *cols, size_t ncols,
                   const mh_sql_value_t *v, size_t n)
{
    met_t *m = ud;
    size_t i;
    for (i = 0; i < m->ncounts; i++)
        if (strcmp(m->counts[i].table, t) == 0)
            break;
    if (i == m->ncounts) {
        assert_true(m->ncounts < 64);
        m->counts[m->ncounts++].table = strdup(t);
    }
    m->counts[i].rows++;
    if (strcmp(t, "met_news") == 0 && strcmp(v[col_index(cols, ncols, "id")].bytes, "15") == 0)
        m->news15_title = strdup(v[col_index(cols, ncols, "title")].bytes);
    if (strcmp(t, "met_config") == 0 &&
        strcmp(v[col_index(cols, ncols, "name")].bytes, "metconfig_footstat") == 0) {
        size_t k = col_index(cols, ncols, "value");
        m->footstat = strdup(v[k].bytes);
        m->footstat_len = v[k].len;
        assert_int_equal(v[col_index(cols, ncols, "id")].kind, MH_SQL_NULL);
    }
    if (strcmp(t, "met_lang_admin") == 0 &&
        strcmp(v[col_index(cols, ncols, "mark")].bytes, "cn") == 0)
        m->lang_admin_cn = strdup(v[col_index(cols, ncols, "name")].bytes);
    if (strcmp(t, "met_lang") == 0)
        m->lang_mark = strdup(v[col_index(cols, ncols, "mark")].bytes);
    if (strcmp(t, "met_column") == 0) {
        size_t k = col_index(cols, ncols, "module");
        /* 78 'Contact' is written with every value quoted: '1' */
        assert_true(v[k].kind == MH_SQL_NUMBER || v[k].kind == MH_SQL_STRING);
        unsigned long mod = strtoul(v[k].bytes, NULL, 10);
        m->modules[mod < 16 ? mod : 15]++;
        if (strcmp(v[0].bytes, "54") == 0)
            m->column54_content = strdup(v[col_index(cols, ncols, "content")].bytes);
    }
    return 0;
}

static size_t met_count(const met_t *m, const char *t)
{
    for (size_t i = 0; i < m->ncounts; i++)
        if (strcmp(m->counts[i].table, t) == 0)
            return m->counts[i].rows;
    return 0;
}

static void test_metinfo_dumps(void **state)
{
    const char *root = getenv("MH_ROOT");
    if (!root)
        fail_msg("MH_ROOT is not set (scripts/run-tests sets it; the MetInfo dumps are in "
                 "$MH_ROOT/../shared/interop/metinfo-7.2.0)");
    static const char *const files[] = {"sql.sql", "demo_en.sql", "config_en.sql"};
    for (size_t chunk = 0; chunk <= 1; chunk++) {
        met_t m = {0};
        mh_sqldump_opts_t o = {.on_row = met_row, .ud = &m, .chunk_size = chunk ? 1 : 0};
        mh_sqldump_t *d = mh_sqldump_new(&o);
        for (size_t i = 0; i < 3; i++) {
            char path[4096], err[512];
            snprintf(path, sizeof(path), "%s/../shared/interop/metinfo-7.2.0/%s", root, files[i]);
            FILE *f = fopen(path, "rb");
            if (!f)
                fail_msg("missing test data %s", path);
            fclose(f);
            if (mh_sqldump_read_file(d, path, err, sizeof(err)) != MH_OK)
                fail_msg("%s", err);
        }
        size_t n;
        const char *const *names = mh_sqldump_tables(d, &n);
        assert_int_equal(n, 47); /* sql.sql: 47 CREATE TABLE */
        char prefix[16];
        assert_int_equal(mh_sqldump_metinfo_prefix(names, n, prefix, sizeof(prefix)), MH_OK);
        assert_string_equal(prefix, "met_");
        mh_sqldump_free(d);

        /* counted independently (a tokenizer script, and one INSERT per row
         * in these files: grep -c) */
        assert_int_equal(met_count(&m, "met_column"), 27);
        assert_int_equal(met_count(&m, "met_config"), 269);
        assert_int_equal(met_count(&m, "met_news"), 9);
        assert_int_equal(met_count(&m, "met_product"), 11);
        assert_int_equal(met_count(&m, "met_img"), 8);
        assert_int_equal(met_count(&m, "met_job"), 2);
        assert_int_equal(met_count(&m, "met_message"), 1);
        assert_int_equal(met_count(&m, "met_parameter"), 32);
        assert_int_equal(met_count(&m, "met_plist"), 12);
        assert_int_equal(met_count(&m, "met_language"), 248);
        assert_int_equal(met_count(&m, "met_templates"), 124);
        assert_int_equal(met_count(&m, "met_admin_column"), 33);
        assert_int_equal(met_count(&m, "met_lang"), 1);
        assert_int_equal(met_count(&m, "met_download"), 0);
        size_t total = 0;
        for (size_t i = 0; i < m.ncounts; i++)
            total += m.counts[i].rows;
        assert_int_equal(total, 810);
        assert_int_equal(m.ncounts, 23);

        assert_string_equal(m.news15_title,
                            "HP's HP R & D enterprise was finally stranded by Apple");
        assert_int_equal(m.footstat_len, 279);
        const char *head = "<script>\r\nvar _hmt = _hmt || [];\r\n(function() {\r\n";
        assert_true(strncmp(m.footstat, head, strlen(head)) == 0);
        assert_string_equal(m.footstat + m.footstat_len - 30, "fore(hm, s);\r\n})();\r\n</script>");
        assert_string_equal(m.lang_admin_cn, "\xe7\xae\x80\xe4\xbd\x93\xe4\xb8\xad\xe6\x96\x87");
        assert_string_equal(m.lang_mark, "en");
        const char *h1 = "<h1 style=\"text-align: center;\"><span style=\"font-size: 24px;\">";
        assert_true(strncmp(m.column54_content, h1, strlen(h1)) == 0);
        /* met_column modules in the English demo */
        static const size_t want_modules[16] = {
            [1] = 3, [2] = 4, [3] = 14, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [10] = 1, [11] = 1};
        for (size_t i = 0; i < 16; i++)
            assert_int_equal(m.modules[i], want_modules[i]);
        for (size_t i = 0; i < m.ncounts; i++)
            free((char *)m.counts[i].table);
        free(m.news15_title);
        free(m.footstat);
        free(m.lang_admin_cn);
        free(m.column54_content);
        free(m.lang_mark);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),      cmocka_unit_test(test_numbers_null),
        cmocka_unit_test(test_binary),       cmocka_unit_test(test_inserts),
        cmocka_unit_test(test_create_table), cmocka_unit_test(test_skipped),
        cmocka_unit_test(test_crlf_bom),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),       cmocka_unit_test(test_large_value),
        cmocka_unit_test(test_truncated),    cmocka_unit_test(test_multi_file_and_stop),
        cmocka_unit_test(test_prefix),       cmocka_unit_test(test_metinfo_dumps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
