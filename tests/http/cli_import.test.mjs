// masthead import metinfo --dry-run on MetInfo 7.2.0's install dumps
// ($MH_ROOT/../shared/interop/metinfo-7.2.0), and its errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir } from './helpers.mjs';

const root = process.env.MH_ROOT;
const dumps = root ? path.join(root, '..', 'shared', 'interop', 'metinfo-7.2.0') : null;

function shared(name) {
  assert.ok(dumps, 'MH_ROOT is not set: the MetInfo dumps are in $MH_ROOT/../shared/interop/metinfo-7.2.0');
  const p = path.join(dumps, name);
  assert.ok(existsSync(p), `missing test data ${p}`);
  return p;
}

test('dry run: tables, rows, prefix, languages and the column tree', () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const r = run(['import', 'metinfo', site, shared('sql.sql'), shared('demo_en.sql'), shared('config_en.sql'), '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^MetInfo dump: 3 files, 277432 bytes, 810 rows in 23 of 47 tables$/m);
  assert.match(out, /^table prefix: met_$/m);
  assert.match(out, /^languages \(from met_lang\): en \(English\)$/m);
  const rows = {};
  for (const m of out.matchAll(/^ {2}(met_\w+) +(\d+)$/gm)) rows[m[1]] = Number(m[2]);
  assert.deepEqual(
    { column: rows.met_column, config: rows.met_config, news: rows.met_news, product: rows.met_product,
      img: rows.met_img, job: rows.met_job, message: rows.met_message, language: rows.met_language,
      parameter: rows.met_parameter, lang: rows.met_lang },
    { column: 27, config: 269, news: 9, product: 11, img: 8, job: 2, message: 1, language: 248,
      parameter: 32, lang: 1 });
  assert.equal(Object.keys(rows).length, 23);
  assert.match(out, /^tables without rows \(24\):.* met_download .*$/m);
  assert.match(out, /^column tree \(met_column, lang en, 27 columns\):$/m);
  // the tree: parents before children, indented, module -> masthead type
  assert.match(out, /^ {2}\[47\] About us: module 1 about -> page\n {4}\[54\] Company profile: module 1 about -> page$/m);
  assert.match(out, /^ {2}\[48\] News: module 2 news -> article\n {4}\[49\] Industry information: module 2 news -> article$/m);
  assert.match(out, /^ {4}\[56\] Computer&Pad: module 3 product -> product\n {6}\[66\] Laptop: module 3 product -> product$/m);
  assert.match(out, /^ {2}\[70\] Case: module 5 img -> gallery$/m);
  assert.match(out, /^ {2}\[53\] Join us: module 6 job -> job$/m);
  assert.match(out, /^ {4}\[52\] Online Message: module 7 message -> guestbook$/m);
  assert.match(out, /^ {4}\[71\] feedback: module 8 feedback -> feedback$/m);
  assert.match(out, /^ {2}\[46\] search: module 11 search -> not a column$/m);
  assert.match(out, /^ {2}3 +product +-> product +14 columns$/m);
  assert.match(out, /^dry run: nothing was written to /m);
  assert.ok(!existsSync(site), 'a dry run creates nothing');
  // not a terminal: one plain line per file on stderr
  assert.match(r.stderr, /^read .*sql\.sql: 40272 bytes, 93 rows$/m);
  assert.match(r.stderr, /^read .*demo_en\.sql: 191986 bytes, 321 rows$/m);
  assert.doesNotMatch(r.stderr, /\r/);
  rmSync(dir, { recursive: true, force: true });
});

test('dry run without met_lang rows: languages from the rows\' lang values', () => {
  const r = run(['import', 'metinfo', '/nonexistent-site', shared('sql.sql'), shared('demo_en.sql'), '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^languages \(from the rows' lang values\): en \(English, 131 rows\)$/m);
});

test('data without its schema: said so, no tree invented', () => {
  const r = run(['import', 'metinfo', '/nonexistent-site', shared('demo_en.sql'), '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /14 tables have rows without column names/);
  assert.doesNotMatch(r.stdout, /column tree/);
});

test('a truncated dump: file:line and a non-zero exit', () => {
  const dir = tempDir();
  const demo = readFileSync(shared('demo_en.sql'));
  // inside a string
  const inString = path.join(dir, 'cut-string.sql');
  writeFileSync(inString, demo.subarray(0, 100000));
  let r = run(['import', 'metinfo', dir, shared('sql.sql'), inString, '--dry-run']);
  assert.equal(r.status, 1);
  assert.equal(r.signal, null);
  assert.match(r.stderr, /cut-string\.sql:\d+: unterminated string starting at line \d+/);
  assert.doesNotMatch(r.stdout, /dry run/);
  // between two values of a row
  const at = demo.indexOf("VALUES (49, 'Industry information', ") + "VALUES (49, 'Industry information',".length;
  const inRow = path.join(dir, 'cut-row.sql');
  writeFileSync(inRow, demo.subarray(0, at));
  r = run(['import', 'metinfo', dir, shared('sql.sql'), inRow, '--dry-run']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cut-row\.sql:1: unexpected end of file inside INSERT for table met_column/);
  // garbage in a row
  const bad = path.join(dir, 'bad.sql');
  writeFileSync(bad, "INSERT INTO met_news VALUES (1, 'a');\n\nINSERT INTO met_news VALUES (2 'b');\n");
  r = run(['import', 'metinfo', dir, bad, '--dry-run']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.sql:3: expected ',' or '\)' after a value, found '''/);
  rmSync(dir, { recursive: true, force: true });
});

test('import into a directory that is no site fails; usage errors', () => {
  const dir = tempDir();
  const r = run(['import', 'metinfo', dir, shared('sql.sql')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing was imported/);
  assert.equal(r.stdout, '');
  for (const [args, re] of [
    [['import'], /usage/],
    [['import', 'wxr', dir], /usage/],
    [['import', 'metinfo', dir, '--dry-run'], /usage/],
    [['import', 'metinfo', dir, shared('sql.sql'), '--bogus'], /unknown option '--bogus'/],
    [['import', 'metinfo', dir, path.join(dir, 'none.sql'), '--dry-run'], /none\.sql: No such file/],
  ]) {
    const e = run(args);
    assert.notEqual(e.status, 0, args.join(' '));
    assert.match(e.stderr, re, args.join(' '));
  }
  const notMet = path.join(dir, 'wp.sql');
  writeFileSync(notMet, 'CREATE TABLE wp_posts (id int);\nINSERT INTO wp_posts VALUES (1);\n');
  const e = run(['import', 'metinfo', dir, notMet, '--dry-run']);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /no MetInfo tables/);
  rmSync(dir, { recursive: true, force: true });
});

test('MetInfo backup volumes: another prefix, two languages, quoted numbers, CRLF, BOM', () => {
  const dir = tempDir();
  const v1 = path.join(dir, 'met_20240101_abc123_1.sql');
  const v2 = path.join(dir, 'met_20240101_abc123_2.sql');
  writeFileSync(v1, '\ufeff#MetInfo.cn Created version:7.2.0\r\n#tablepre:cms_\r\n' +
    'DROP TABLE IF EXISTS `cms_column`;\r\n' +
    'CREATE TABLE `cms_column` (\r\n  `id` int(11) NOT NULL auto_increment,\r\n  `name` varchar(100) DEFAULT \'\',\r\n' +
    '  `bigclass` int(11) DEFAULT \'0\',\r\n  `module` int(11) DEFAULT \'0\',\r\n  `no_order` int(11) DEFAULT \'0\',\r\n' +
    '  `lang` varchar(50) DEFAULT \'\',\r\n  PRIMARY KEY  (`id`)\r\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\r\n' +
    'CREATE TABLE `cms_news` (`id` int, `title` varchar(200), `content` longtext, `lang` varchar(50));\r\n' +
    'CREATE TABLE `cms_config` (`id` int, `name` varchar(200), `value` text, `lang` varchar(50));\r\n' +
    "INSERT INTO cms_column VALUES('1','新闻中心','0','2','1','cn');\r\n" +
    "INSERT INTO cms_column VALUES('2','公司新闻','1','2','0','cn');\r\n" +
    "INSERT INTO cms_column VALUES('3','News','0','2','1','en');\r\n" +
    "INSERT INTO cms_column VALUES('4','Links','0','999','2','en');\r\n");
  writeFileSync(v2, '#MetInfo.cn Created version:7.2.0\r\n' +
    "INSERT INTO cms_news VALUES('1','标题 \\'一\\' 😀','<p>a\\r\\nb</p>','cn');\r\n" +
    "INSERT INTO cms_news VALUES('2','Title','','en');\r\n" +
    "INSERT INTO cms_config VALUES('1','met_webname','Site','cn'),('2','met_x','\\0','metinfo');\r\n");
  const r = run(['import', 'metinfo', path.join(dir, 'site'), v1, v2, '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^MetInfo dump: 2 files, \d+ bytes, 8 rows in 3 of 3 tables$/m);
  assert.match(r.stdout, /^table prefix: cms_$/m);
  assert.match(r.stdout, /^languages \(from the rows' lang values\): cn \(Chinese, Simplified, 4 rows\), en \(English, 3 rows\)$/m);
  assert.match(r.stdout, /^column tree \(cms_column, lang cn, 2 columns\):\n {2}\[1\] 新闻中心: module 2 news -> article\n {4}\[2\] 公司新闻: module 2 news -> article$/m);
  assert.match(r.stdout, /^column tree \(cms_column, lang en, 2 columns\):\n {2}\[3\] News: module 2 news -> article\n {2}\[4\] Links: module 999 outlink -> link$/m);
  rmSync(dir, { recursive: true, force: true });
});
