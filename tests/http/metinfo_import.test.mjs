// masthead import metinfo (the import itself, not the dry run): MetInfo
// 7.2.0's English demo from $MH_ROOT/../shared/interop/metinfo-7.2.0, a
// Chinese-only dump of our own (tests/data/metinfo_cn.sql), legacy URLs,
// re-runs, --merge, bad and hostile dumps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { run, tempDir, startServer, get, text, request, cookieValue } from './helpers.mjs';

const root = process.env.MH_ROOT || path.resolve('.');
const dumps = path.join(root, '..', 'shared', 'interop', 'metinfo-7.2.0');
const cnDump = path.join(root, 'tests', 'data', 'metinfo_cn.sql');

function shared(name) {
  const p = path.join(dumps, name);
  assert.ok(existsSync(p), `missing test data ${p}`);
  return p;
}

function newSite() {
  const dir = tempDir('mh-metinfo-');
  const site = path.join(dir, 'site');
  const r = run(['init', site]);
  assert.equal(r.status, 0, r.stderr);
  return { dir, site };
}

const enDumps = () => [shared('sql.sql'), shared('demo_en.sql'), shared('config_en.sql')];

// "news  9  9  0  0  0" -> {read, imported, existing, skipped, refused}
function counts(out, table) {
  const m = out.match(new RegExp(`^${table}\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, 'm'));
  assert.ok(m, `no counts for ${table} in:\n${out}`);
  const [read, imported, existing, skipped, refused] = m.slice(1).map(Number);
  return { read, imported, existing, skipped, refused };
}

test('the English demo: counts, columns, an article, settings, legacy URLs, re-run', async () => {
  const { dir, site } = newSite();
  const r = run(['import', 'metinfo', site, ...enDumps()]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /languages: en -> en \(default\)/);
  assert.deepEqual(counts(r.stdout, 'news'), { read: 9, imported: 9, existing: 0, skipped: 0, refused: 0 });
  assert.equal(counts(r.stdout, 'product').imported, 11);
  assert.equal(counts(r.stdout, 'img').imported, 8);
  assert.equal(counts(r.stdout, 'job').imported, 2);
  // member and search are MetInfo pages masthead makes itself
  assert.deepEqual(counts(r.stdout, 'column'), { read: 27, imported: 25, existing: 0, skipped: 2, refused: 0 });
  assert.match(r.stdout, /skipped \(not supported yet\): flash: 3 rows/);
  assert.match(r.stdout, /skipped \(not supported yet\): message: 1 rows/);
  assert.match(r.stdout, /legacy URLs: \d+ added/);
  assert.match(r.stderr, /pass 2: demo_en\.sql: \d+ rows/); // plain progress lines off a terminal

  const srv = await startServer(site);
  try {
    const home = await get(srv, '/');
    assert.equal(home.status, 200);
    const html = text(home);
    assert.match(html, /<title>Website Name<\/title>/); // metconfig_webname
    for (const col of ['/about/', '/news/', '/product/', '/img/', '/job/'])
      assert.ok(html.includes(`href="${col}"`), `nav lacks ${col}`);
    // the tree: level 2 and 3 columns under their parents
    assert.equal((await get(srv, '/news/industry-information/')).status, 200);
    assert.equal((await get(srv, '/product/universal-accessories/headset/')).status, 200);
    // single page content on the column
    const about = text(await get(srv, '/about/company-profile/'));
    assert.match(about, /MetCMS/);
    // a known article: title, body, time to the second (Asia/Shanghai)
    const art = await get(srv, '/news/media-coverage/oculus-set-up-a-vr-team-in-london.html');
    assert.equal(art.status, 200);
    const a = text(art);
    assert.match(a, /<h1 class="entry-title">Oculus set up a VR team in London<\/h1>/);
    assert.match(a, /acquisition of Oculus for \$2 billion/);
    assert.match(a, /datetime="2018-01-12T14:20:49\+08:00"/);
    // product parameters become custom fields
    const prod = text(await get(srv, '/product/universal-accessories/intelligent-watch/apple-watch-sport.html'));
    assert.match(prod, /Watch/);

    // legacy URLs: dynamic, pseudo-static, static, columns
    const cases = [
      ['/news/shownews.php?lang=en&id=13', '/news/media-coverage/oculus-set-up-a-vr-team-in-london.html'],
      ['/news/shownews.php?id=13', '/news/media-coverage/oculus-set-up-a-vr-team-in-london.html'],
      ['/news/13.html', '/news/media-coverage/oculus-set-up-a-vr-team-in-london.html'],
      ['/news/13-en.html', '/news/media-coverage/oculus-set-up-a-vr-team-in-london.html'],
      ['/news/news.php?class1=48', '/news/'],
      ['/news/news.php?lang=en&class1=48&class2=49', '/news/industry-information/'],
      ['/news/list-49.html', '/news/industry-information/'],
      ['/about/show.php?id=54', '/about/company-profile/'],
      ['/about/show.php?lang=en&id=54&utm_source=x', '/about/company-profile/'],
    ];
    for (const [from, to] of cases) {
      const res = await get(srv, from);
      assert.equal(res.status, 301, from);
      assert.ok(res.headers.location.endsWith(to), `${from} -> ${res.headers.location}`);
    }
    // the query matters: another id is not the same page
    assert.equal((await get(srv, '/news/shownews.php?id=999999')).status, 404);

    // a second import changes nothing: same counts as existing, same ETag
    const before = await get(srv, '/');
    const again = run(['import', 'metinfo', site, ...enDumps()]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(counts(again.stdout, 'news'), { read: 9, imported: 0, existing: 9, skipped: 0, refused: 0 });
    assert.equal(counts(again.stdout, 'column').imported, 0);
    assert.match(again.stdout, /legacy URLs: 0 added/);
    await new Promise((res) => setTimeout(res, 1500)); // the server's generation poll
    const after = await get(srv, '/');
    assert.equal(after.headers.etag, before.headers.etag);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--dry-run writes nothing; a site with content needs --merge', async () => {
  const { dir, site } = newSite();
  try {
    const dry = run(['import', 'metinfo', site, ...enDumps(), '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: nothing was written/);
    const r = run(['import', 'metinfo', site, ...enDumps()]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(counts(r.stdout, 'news').imported, 9); // the dry run left nothing behind

    // another language's dump into this site: refused without --merge
    const cn = run(['import', 'metinfo', site, shared('sql.sql'), cnDump]);
    assert.equal(cn.status, 1);
    assert.match(cn.stderr, /--merge/);
    const merged = run(['import', 'metinfo', site, shared('sql.sql'), cnDump, '--merge']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /cn -> zh-CN/);
    assert.doesNotMatch(merged.stdout, /\(default\)/); // the site's default stays English
    // the site-wide name stays; the new language has its own
    const srv = await startServer(site);
    try {
      assert.match(text(await get(srv, '/')), /<title>Website Name<\/title>/);
      assert.match(text(await get(srv, '/zh/')), /示范区政务网/);
    } finally {
      await srv.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated dump: file, line, what was expected; nothing imported', () => {
  const { dir, site } = newSite();
  try {
    const src = readFileSync(shared('demo_en.sql'), 'utf8');
    const cut = path.join(dir, 'cut.sql');
    writeFileSync(cut, src.slice(0, src.indexOf('Oculus set up a VR') + 10));
    const r = run(['import', 'metinfo', site, shared('sql.sql'), cut]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cut\.sql:\d+: .*(unterminated|end of file)/);
    assert.match(r.stderr, /nothing was imported/);
    const ok = run(['import', 'metinfo', site, ...enDumps()]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(counts(ok.stdout, 'column').imported, 25); // nothing half-imported before
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Chinese-only site: zh-CN without a prefix, settings, visibility, hostile rows, uploads', async () => {
  const { dir, site } = newSite();
  const up = path.join(dir, 'upload');
  mkdirSync(path.join(up, '202401'), { recursive: true });
  // a 1x1 PNG
  writeFileSync(path.join(up, '202401', 'cover.png'), Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
  const dump = path.join(dir, 'cn.sql');
  writeFileSync(dump, readFileSync(cnDump, 'utf8').replace('../upload/202401/cover.jpg', '../upload/202401/cover.png'));
  const r = run(['import', 'metinfo', site, shared('sql.sql'), dump, '--upload', up]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /languages: cn -> zh-CN \(default\)/);
  assert.match(r.stdout, /uploads: 1 copied, \d+ missing/);
  assert.match(r.stdout, /skipped \(not supported yet\): link: 1 rows/);
  const srv = await startServer(site);
  try {
    const home = await get(srv, '/');
    assert.equal(home.status, 200);
    const html = text(home);
    assert.match(html, /<html[^>]* lang="zh-CN"/);
    assert.match(html, /示范区政务网/);
    assert.match(html, /鲁ICP备12345678号-1/);
    assert.equal((await get(srv, '/zh/')).status, 404); // the only language has no prefix
    // the entry in the sub-column named by its filename
    const e = await get(srv, '/news/notice/shi-fan-qu-zhao-kai-2024-nian-gong-zuo-hui-yi.html');
    assert.equal(e.status, 200);
    const eh = text(e);
    assert.match(eh, /示范区召开2024年工作会议/);
    assert.match(eh, /datetime="2024-01-15T09:30:15\+08:00"/);
    assert.match(eh, /href="\/upload\/files\/agenda\.pdf"/); // not in --upload: kept under /upload/
    // the cover was copied into the media library
    const list = text(await get(srv, '/news/notice/'));
    assert.match(list, /\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.(png|webp)/);
    // hostile: script in the title and body, javascript: link, onclick
    const bad = await get(srv, '/news/an-quan-ti-shi.html');
    assert.equal(bad.status, 200);
    const bh = text(bad);
    assert.match(bh, /安全提示/);
    assert.doesNotMatch(bh, /alert\(/);
    assert.doesNotMatch(bh, /javascript:/i);
    assert.doesNotMatch(bh, /onclick/i);
    // recycle bin and hidden rows and columns are not public
    assert.notEqual((await get(srv, '/news/yi-shan-chu-de-xin-wen.html')).status, 200);
    assert.equal((await get(srv, '/news/wei-gong-kai-de-xin-wen.html')).status, 404);
    assert.equal((await get(srv, '/internal/')).status, 404);
    // legacy URLs of this site
    const l = await get(srv, '/news/shownews.php?lang=cn&id=201');
    assert.equal(l.status, 301);
    assert.ok(l.headers.location.endsWith('/news/notice/shi-fan-qu-zhao-kai-2024-nian-gong-zuo-hui-yi.html'));
    const p = await get(srv, '/product/showproduct.php?id=301');
    assert.equal(p.status, 301);
    assert.match(text(await get(srv, new URL(p.headers.location, srv.url).pathname)), /MB-8/); // its parameter
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile dumps: deep nesting, long titles, javascript: links are sanitised or refused', async () => {
  const { dir, site } = newSite();
  const deep = '<div>'.repeat(20000) + 'deep' + '</div>'.repeat(20000);
  const long = 'L'.repeat(100000);
  const dump = path.join(dir, 'hostile.sql');
  writeFileSync(dump, [
    "INSERT INTO `met_column` (`id`, `name`, `foldername`, `bigclass`, `module`, `classtype`, `lang`, `out_url`) VALUES",
    "(1, 'News', 'news', 0, 2, 1, 'en', ''), (2, 'Evil', 'evil', 0, 999, 1, 'en', 'javascript:alert(1)');",
    "INSERT INTO `met_news` (`id`, `title`, `content`, `class1`, `addtime`, `updatetime`, `lang`, `imgurl`) VALUES",
    `(1, 'Deep', '${deep}', 1, '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'en', 'javascript:alert(1)'),`,
    `(2, '${long}', '<a href="javascript:alert(1)">x</a><a href=" JaVaScRiPt:alert(1)">y</a>', 1, '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'en', ''),`,
    `(3, '<img src=x onerror=alert(1)>', '<p>ok</p>', 1, '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'en', ''),`,
    `(4, 'Huge', '<p>${'x'.repeat(6 * 1024 * 1024)}</p>', 1, '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'en', '');`,
  ].join('\n'));
  const r = run(['import', 'metinfo', site, shared('sql.sql'), dump]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /refused: column 2: its link is not an http\(s\) URL/);
  assert.match(r.stdout, /refused: news 4: content too large to sanitise/);
  const c = counts(r.stdout, 'news');
  assert.equal(c.imported + c.refused, 4);
  const srv = await startServer(site);
  try {
    const list = text(await get(srv, '/news/'));
    assert.doesNotMatch(list, /javascript:/i);
    assert.doesNotMatch(list, /onerror/i);
    assert.doesNotMatch(list, /L{501}/); // titles are cut at 500 bytes
    assert.equal((await get(srv, '/evil/')).status, 404);
    for (const m of list.matchAll(/href="(\/news\/[^"]+\.html)"/g)) {
      const page = text(await get(srv, m[1]));
      assert.doesNotMatch(page, /javascript:/i);
      assert.doesNotMatch(page, /onerror/i);
    }
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('administrators: MD5 hashes kept marked, accepted once, upgraded to argon2id at sign-in', async () => {
  const { dir, site } = newSite();
  const r = run(['import', 'metinfo', site, shared('sql.sql'), cnDump]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /refused: administrator bad name!/);
  assert.equal(counts(r.stdout, 'admin_table').imported, 2);
  const db = path.join(site, 'site.db');
  const sql = (q) => spawnSync('sqlite3', [db, q], { encoding: 'utf8' }).stdout.trim();
  assert.match(sql("SELECT password_hash FROM users WHERE name = 'zhang'"), /^\$metinfo-md5\$[0-9a-f]{32}$/);
  assert.equal(sql("SELECT role FROM users WHERE name = 'zhang'"), 'admin');
  assert.equal(sql("SELECT role FROM users WHERE name = 'wang'"), 'editor');
  const srv = await startServer(site);
  const origin = `http://${srv.host}:${srv.port}`;
  async function login(name, password) {
    const page = await request(srv, 'GET', '/admin/login');
    const pre = cookieValue(page, 'mh_login');
    const csrf = page.text().match(/name="_csrf" value="([^"]+)"/)[1];
    return request(srv, 'POST', '/admin/login', {
      headers: { Cookie: `mh_login=${pre}`, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name, password, _csrf: csrf }).toString(),
    });
  }
  try {
    // a wrong password: refused, nothing upgraded
    assert.notEqual((await login('zhang', 'wrong password entirely')).status, 303);
    assert.match(sql("SELECT password_hash FROM users WHERE name = 'zhang'"), /^\$metinfo-md5\$/);
    // the old password signs in once and the hash becomes argon2id
    const ok = await login('zhang', 'correct horse battery staple 42');
    assert.equal(ok.status, 303);
    assert.match(sql("SELECT password_hash FROM users WHERE name = 'zhang'"), /^\$argon2id\$/);
    assert.equal(sql("SELECT must_change FROM users WHERE name = 'zhang'"), '0');
    assert.equal((await login('zhang', 'correct horse battery staple 42')).status, 303);
    // a weak old password signs in but must be changed first
    const weak = await login('wang', 'admin123');
    assert.equal(weak.status, 303);
    assert.match(sql("SELECT password_hash FROM users WHERE name = 'wang'"), /^\$argon2id\$/);
    assert.equal(sql("SELECT must_change FROM users WHERE name = 'wang'"), '1');
    // the marked form is never accepted as a password itself
    sql("UPDATE users SET password_hash = '$metinfo-md5$0192023a7bbd73250516f069df18b500' WHERE name = 'wang'");
    assert.notEqual((await login('wang', '0192023a7bbd73250516f069df18b500')).status, 303);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two languages from met_lang: the default without a prefix, the other under its own', async () => {
  const { dir, site } = newSite();
  const dump = path.join(dir, 'two.sql');
  writeFileSync(dump, [
    "INSERT INTO `met_lang` (`id`, `name`, `useok`, `no_order`, `mark`, `lang`) VALUES (1, '简体中文', 1, 1, 'cn', 'cn'), (2, 'English', 1, 2, 'en', 'en'), (3, '繁體中文', 0, 3, 'tc', 'tc');",
    "INSERT INTO `met_column` (`id`, `name`, `foldername`, `bigclass`, `module`, `classtype`, `lang`, `nav`) VALUES (1, '新闻', 'news', 0, 2, 1, 'cn', 1), (2, 'News', 'news', 0, 2, 1, 'en', 1), (3, '新聞', 'news', 0, 2, 1, 'tc', 1);",
    "INSERT INTO `met_news` (`id`, `title`, `content`, `class1`, `addtime`, `updatetime`, `lang`) VALUES",
    "(1, '第一条新闻', '<p>中文</p>', 1, '2021-05-01 10:00:00', '2021-05-01 10:00:00', 'cn'),",
    "(2, 'First news', '<p>English</p>', 2, '2021-05-02 10:00:00', '2021-05-02 10:00:00', 'en');",
  ].join('\n'));
  const r = run(['import', 'metinfo', site, shared('sql.sql'), dump]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /languages: cn -> zh-CN \(default\) en -> en tc -> zh-TW\n/);
  const srv = await startServer(site);
  try {
    assert.match(text(await get(srv, '/news/')), /第一条新闻/);
    assert.match(text(await get(srv, '/en/news/')), /First news/);
    assert.equal((await get(srv, '/tw/news/')).status, 404); // switched off in MetInfo: hidden
    const l = await get(srv, '/news/shownews.php?id=2&lang=en');
    assert.equal(l.status, 301);
    assert.ok(l.headers.location.endsWith('/en/news/first-news.html'), l.headers.location);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
