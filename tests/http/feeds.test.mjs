// Feeds, sitemap, robots.txt and status hygiene (410, 301 from old paths,
// the canonical host) against the real binary. Feeds are parsed by
// Debian's python3-feedparser (no bozo flag allowed); sitemaps are
// validated by xmllint against the schemas in tests/data/sitemaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startDemo, startServer, run, tempDir, get, text, rawRequest, request, cookieValue, SEED, ROOT } from './helpers.mjs';

// The sitemap is chunked: read it with a client that decodes chunks.
async function fetchDoc(srv, target, headers = {}) {
  const r = await fetch(`http://127.0.0.1:${srv.port}${target}`, { headers });
  return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
}

// A GET with a Host header of our choosing (get() sends the server's own).
function getAs(srv, host, target) {
  const req = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
  return rawRequest(srv, Buffer.from(req, 'latin1'));
}

// The urlset is checked against sitemaps.org's reference sitemap.xsd as the
// npm package `sitemap` ships it (package.json); the xhtml:link alternates
// and the sitemap index against the schemas in tests/data/sitemaps.
const SCHEMAS = tempDir('mh-xsd-');
for (const f of ['siteindex.xsd', 'xhtml-link.xsd', 'urlset-xhtml.xsd'])
  copyFileSync(path.join(ROOT, 'tests/data/sitemaps', f), path.join(SCHEMAS, f));
copyFileSync(path.join(ROOT, 'node_modules/sitemap/schema/sitemap.xsd'), path.join(SCHEMAS, 'sitemap.xsd'));
process.on('exit', () => rmSync(SCHEMAS, { recursive: true, force: true }));
// Debian's interpreter: the package lives in its dist-packages.
const PY = '/usr/bin/python3';

function sql(site, stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function waitFor(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const PARSE = `
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title", ""), "link": d.feed.get("link", ""),
  "entries": [{"id": e.get("id", ""), "link": e.get("link", ""), "title": e.get("title", ""),
               "published": e.get("published", ""), "has_date": e.get("published_parsed") is not None,
               "content": len(e.get("content", []))} for e in d.entries]}))
`;

function parseFeed(body) {
  const r = spawnSync(PY, ['-c', PARSE], { input: body, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function validate(xml, schema) {
  const dir = tempDir('mh-sitemap-');
  const file = path.join(dir, 'doc.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, schema), file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return { ok: r.status === 0, msg: r.stderr };
}

const locs = (xml) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);

test('feeds: site-wide, per language and per column, RSS and Atom, parse without bozo', async () => {
  const srv = await startDemo();
  try {
    const cases = [
      ['/feed.xml', 'rss20', /rss\+xml/], ['/atom.xml', 'atom10', /atom\+xml/],
      ['/zh/feed.xml', 'rss20', /rss/], ['/zh/atom.xml', 'atom10', /atom/],
      ['/news/feed.xml', 'rss20', /rss/], ['/news/atom.xml', 'atom10', /atom/],
      ['/zh/news/feed.xml', 'rss20', /rss/],
    ];
    for (const [url, version, ctype] of cases) {
      const res = await get(srv, url);
      assert.equal(res.status, 200, url);
      assert.match(res.headers['content-type'], ctype, url);
      const f = parseFeed(text(res));
      assert.equal(f.bozo, false, `${url}: ${f.error}`);
      assert.equal(f.version, version, url);
      assert.ok(f.entries.length > 0 && f.entries.length <= 20, url);
      for (const e of f.entries) {
        assert.match(e.id, /^tag:127\.0\.0\.1,\d{4}-\d\d-\d\d:entry-\d+$/, url);
        assert.ok(e.has_date, `${url}: a parsable date`);
        assert.match(e.link, /^http:\/\/127\.0\.0\.1:\d+\/.+\.html$/, url);
        assert.ok(e.content > 0, `${url}: full content by default`);
      }
      if (url.startsWith('/zh/')) assert.ok(f.entries.every((e) => e.link.includes('/zh/')), url);
    }
    const rss = parseFeed(text(await get(srv, '/feed.xml')));
    assert.ok(rss.entries.some((e) => e.link.endsWith(SEED)), 'the seed article is in the feed');
    const news = parseFeed(text(await get(srv, '/news/atom.xml')));
    assert.match(news.title, /^News - /, 'the column title');
    // the same entry keeps its id across formats
    const atom = parseFeed(text(await get(srv, '/atom.xml')));
    assert.deepEqual(atom.entries.map((e) => e.id), rss.entries.map((e) => e.id));
    // advertised in the head of pages
    const list = text(await get(srv, '/news/'));
    assert.match(list, /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/feed\.xml">/);
    assert.match(list, /<link rel="alternate" type="application\/atom\+xml" title="News - [^"]+" href="\/news\/atom\.xml">/);
    assert.match(text(await get(srv, '/zh/')), /type="application\/rss\+xml" title="[^"]+" href="\/zh\/feed\.xml"/);
    // not an entries column, not a column at all: no feed
    assert.equal((await get(srv, '/about/feed.xml')).status, 404);
    assert.equal((await get(srv, '/no-such-column/feed.xml')).status, 404);
    // summary mode: no full bodies
    sql(srv.site, "INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'feed_content', 'summary')");
    const ok = await waitFor(async () => parseFeed(text(await get(srv, '/feed.xml'))).entries.every((e) => e.content === 0));
    assert.ok(ok, 'feed_content=summary drops the bodies');
    assert.equal(parseFeed(text(await get(srv, '/atom.xml'))).bozo, false);
  } finally {
    await srv.stop();
  }
});

test('sitemap: every public URL, lastmod, hreflang alternates, valid, streamed, revalidated', async () => {
  const srv = await startDemo();
  try {
    const raw = await get(srv, '/sitemap.xml', {}, 'HEAD');
    assert.equal(raw.headers['transfer-encoding'], 'chunked', 'streamed');
    const res = await fetchDoc(srv, '/sitemap.xml');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/xml/);
    const xml = res.body;
    assert.match(readFileSync(path.join(SCHEMAS, 'sitemap.xsd'), 'utf8'), /XML Schema for Sitemap files/, 'the reference schema');
    const v = validate(xml, 'urlset-xhtml.xsd');
    assert.ok(v.ok, v.msg);
    // The reference schema does refuse what the protocol forbids.
    const bad = xml.replace('<lastmod>', '<priority>2.0</priority><lastmod>');
    assert.equal(validate(bad, 'urlset-xhtml.xsd').ok, false, 'an invalid urlset is refused');
    const all = locs(xml);
    const base = `http://127.0.0.1:${srv.port}`;
    for (const u of ['/', '/zh/', '/news/', SEED]) assert.ok(all.includes(base + u), u);
    assert.equal(new Set(all).size, all.length, 'no URL twice');
    assert.ok(!all.some((u) => u.includes('/page/')), 'no list pages');
    const count = Number(sql(srv.site, "SELECT count(*) FROM entries WHERE deleted_at IS NULL AND status IN ('published','scheduled') AND publish_at <= strftime('%s','now')"));
    assert.equal(all.filter((u) => u.endsWith('.html')).length, count, 'every public entry');
    assert.match(xml, /<lastmod>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/lastmod>/);
    assert.match(xml, /hreflang="zh-CN" href="[^"]+\/zh\/news\/[^"]+\.html"/);
    assert.match(xml, /hreflang="x-default"/);
    // revalidation: same content, same ETag, 304
    // (the generation may still move once just after start: ask again)
    const revalidated = await waitFor(async () => {
      const h = await get(srv, '/sitemap.xml', {}, 'HEAD');
      return (await get(srv, '/sitemap.xml', { 'If-None-Match': h.headers.etag })).status === 304;
    });
    assert.ok(revalidated, 'If-None-Match answers 304');
    assert.equal((await get(srv, '/sitemap-1.xml')).status, 404, 'no parts without an index');
    // an entry in the recycle bin leaves the sitemap
    sql(srv.site, `UPDATE entries SET deleted_at = strftime('%s','now') WHERE slug = '${SEED.split('/').pop().replace('.html', '')}'`);
    const gone = await waitFor(async () => !(await fetchDoc(srv, '/sitemap.xml')).body.includes(SEED));
    assert.ok(gone);
  } finally {
    await srv.stop();
  }
});

test('sitemap: columns carry their translations; a language with its own domain is listed on it', async () => {
  const srv = await startDemo();
  try {
    const base = `http://127.0.0.1:${srv.port}`;
    let xml = (await fetchDoc(srv, '/sitemap.xml')).body;
    const news = xml.split('<url>').find((u) => u.startsWith(`<loc>${base}/zh/news/</loc>`));
    assert.ok(news, 'the Chinese news column is listed');
    assert.match(news, new RegExp(`hreflang="en" href="${base}/news/"`));
    assert.match(news, new RegExp(`hreflang="zh-CN" href="${base}/zh/news/"`));
    assert.match(news, new RegExp(`hreflang="x-default" href="${base}/news/"`));
    // a column without a translation has no alternates
    sql(srv.site, "UPDATE columns SET translation_group = 0 WHERE slug = 'jobs'");
    sql(srv.site, "UPDATE languages SET domain = 'zh.example.test' WHERE code = 'zh-CN'");
    const moved = await waitFor(async () => (await fetchDoc(srv, '/sitemap.xml')).body.includes('http://zh.example.test/'));
    assert.ok(moved, 'the domain language is listed on its domain');
    xml = (await fetchDoc(srv, '/sitemap.xml')).body;
    assert.ok(validate(xml, 'urlset-xhtml.xsd').ok);
    const all = locs(xml);
    assert.ok(all.includes('http://zh.example.test/'), 'its home');
    assert.ok(all.includes('http://zh.example.test/news/'), 'its columns, without the prefix');
    assert.ok(!all.some((u) => u.startsWith(`${base}/zh/`)), 'nothing under the prefix any more');
    assert.ok(all.some((u) => /^http:\/\/zh\.example\.test\/news\/.+\.html$/.test(u)), 'its entries');
    assert.match(xml, new RegExp(`<loc>${base}/news/</loc>[^]*?hreflang="zh-CN" href="http://zh.example.test/news/"`));
    for (const u of xml.split('<url>').filter((u) => /<loc>[^<]*\/jobs\/<\/loc>/.test(u)))
      assert.doesNotMatch(u, /xhtml:link/, 'no alternates without a translation');
  } finally {
    await srv.stop();
  }
});

test('sitemap index: parts of at most the limit, together the whole site, each valid', async () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const whole = await startServer(site);
  let single;
  try {
    single = locs((await fetchDoc(whole, '/sitemap.xml')).body);
  } finally {
    await whole.stop();
  }
  const srv = await startServer(site, [], { env: { MH_SITEMAP_PART_MAX: '10' } });
  try {
    const idx = (await fetchDoc(srv, '/sitemap.xml')).body;
    assert.match(idx, /<sitemapindex /);
    const v = validate(idx, 'siteindex.xsd');
    assert.ok(v.ok, v.msg);
    const parts = locs(idx);
    assert.ok(parts.length >= 3, 'several parts');
    const seen = [];
    for (const p of parts) {
      const u = new URL(p);
      const res = await fetchDoc(srv, u.pathname);
      assert.equal(res.status, 200, p);
      const xml = res.body;
      const pv = validate(xml, 'urlset-xhtml.xsd');
      assert.ok(pv.ok, `${p}: ${pv.msg}`);
      const l = locs(xml);
      if (u.pathname !== '/sitemap-1.xml') assert.ok(l.length <= 10, `${p} holds ${l.length}`);
      seen.push(...l);
    }
    const port = (u) => u.replace(/:\d+\//, '/');
    assert.deepEqual(seen.map(port).sort(), single.map(port).sort(), 'the parts add up to the site');
    assert.equal((await get(srv, `/sitemap-${parts.length + 1}.xml`)).status, 404);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty site has valid feeds and a valid sitemap', async () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const init = run(['init', site]);
  assert.equal(init.status, 0, init.stderr);
  const srv = await startServer(site);
  try {
    for (const url of ['/feed.xml', '/atom.xml']) {
      const res = await get(srv, url);
      assert.equal(res.status, 200, url);
      const f = parseFeed(text(res));
      assert.equal(f.bozo, false, `${url}: ${f.error}`);
      assert.equal(f.entries.length, 0);
    }
    const sm = await fetchDoc(srv, '/sitemap.xml');
    assert.equal(sm.status, 200);
    const v = validate(sm.body, 'urlset-xhtml.xsd');
    assert.ok(v.ok, v.msg);
    assert.ok(locs(sm.body).length >= 1, 'the home at least');
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('robots.txt: allow all by default, the setting otherwise, always the sitemap', async () => {
  const srv = await startDemo();
  try {
    const res = await get(srv, '/robots.txt');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    const body = text(res);
    assert.match(body, /^User-agent: \*\nDisallow:\n/);
    assert.match(body, new RegExp(`Sitemap: http://127\\.0\\.0\\.1:${srv.port}/sitemap\\.xml\\n$`));
    sql(srv.site, "INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'robots_txt', 'User-agent: *\nDisallow: /private/')");
    const ok = await waitFor(async () => /Disallow: \/private\/\n\nSitemap: http/.test(text(await get(srv, '/robots.txt'))));
    assert.ok(ok, 'the setting is served, with the sitemap line');
  } finally {
    await srv.stop();
  }
});

test('status hygiene: 410 for the recycle bin, 301 after a slug change', async () => {
  const srv = await startDemo();
  try {
    const slug = SEED.split('/').pop().replace('.html', '');
    assert.equal((await get(srv, SEED)).status, 200);
    sql(srv.site, `UPDATE entries SET slug = 'renamed-visit' WHERE slug = '${slug}'`);
    const moved = await waitFor(async () => (await get(srv, SEED)).status === 301);
    assert.ok(moved, 'the old URL answers 301');
    const r = await get(srv, SEED);
    assert.equal(r.headers.location, '/news/renamed-visit.html');
    assert.equal((await get(srv, '/news/renamed-visit.html')).status, 200);
    // moved again: the first URL still leads to the current one
    sql(srv.site, "UPDATE entries SET slug = 'renamed-twice' WHERE slug = 'renamed-visit'");
    assert.ok(await waitFor(async () => (await get(srv, SEED)).headers.location === '/news/renamed-twice.html'));
    assert.equal((await get(srv, '/news/renamed-visit.html')).headers.location, '/news/renamed-twice.html');
    // a draft's slug change leaves no old path
    const before = Number(sql(srv.site, 'SELECT count(*) FROM entry_old_paths'));
    sql(srv.site, "UPDATE entries SET status = 'draft' WHERE slug = 'renamed-twice'");
    sql(srv.site, "UPDATE entries SET slug = 'draft-rename' WHERE slug = 'renamed-twice'");
    assert.equal(Number(sql(srv.site, 'SELECT count(*) FROM entry_old_paths')), before);
    assert.ok(await waitFor(async () => (await get(srv, SEED)).status === 404), 'a draft is not redirected to');
    // the recycle bin: 410, themed
    sql(srv.site, "UPDATE entries SET status = 'published', deleted_at = strftime('%s','now') WHERE slug = 'draft-rename'");
    assert.ok(await waitFor(async () => (await get(srv, '/news/draft-rename.html')).status === 410));
    const g = await get(srv, '/news/draft-rename.html');
    assert.match(g.headers['content-type'], /^text\/html/);
    assert.match(text(g), /<html/i, 'a themed page');
    assert.equal((await get(srv, '/news/never-existed.html')).status, 404);
  } finally {
    await srv.stop();
  }
});

test('canonical host: with base_url set, other Host names get 301 to it; loopback does not', async () => {
  const srv = await startDemo();
  try {
    sql(srv.site, "INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'base_url', 'https://www.example.org/')");
    const ok = await waitFor(async () => (await getAs(srv, 'other.example', '/news/?x=1')).status === 301);
    assert.ok(ok, 'other host redirected');
    const r = await getAs(srv, 'other.example', '/news/?x=1');
    assert.equal(r.headers.location, 'https://www.example.org/news/?x=1');
    const canon = await getAs(srv, 'www.example.org', '/news/');
    assert.equal(canon.status, 200, 'the canonical host itself');
    assert.equal((await get(srv, '/news/')).status, 200, 'loopback is never redirected');
    assert.notEqual((await getAs(srv, 'other.example', '/admin/login')).status, 301, 'the admin answers under any name');
    // absolute URLs come from base_url
    assert.match(text(await get(srv, '/robots.txt')), /Sitemap: https:\/\/www\.example\.org\/sitemap\.xml/);
    assert.ok(locs((await fetchDoc(srv, '/sitemap.xml')).body).every((u) => u.startsWith('https://www.example.org/')));
  } finally {
    await srv.stop();
  }
});

test('status hygiene: a column renamed in the admin answers 301 from its old path, pages under it too', async () => {
  const srv = await startDemo();
  const PASSWORD = 'correct horse battery staple 42';
  const origin = `http://${srv.host}:${srv.port}`;
  const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];
  try {
    const add = run(['user', 'add', srv.site, 'eddie', '--role', 'admin'], { input: `${PASSWORD}\n${PASSWORD}\n` });
    assert.equal(add.status, 0, add.stderr);
    const page = await request(srv, 'GET', '/admin/login');
    const pre = cookieValue(page, 'mh_login');
    const res = await request(srv, 'POST', '/admin/login', {
      headers: { Cookie: `mh_login=${pre}`, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'eddie', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString(),
    });
    assert.equal(res.status, 303);
    const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
    const home = await request(srv, 'GET', '/admin/entries', { headers: { Cookie: cookie } });
    const csrf = csrfIn(home.text());
    const [id, module, nav, sort, size] = sql(srv.site, "SELECT id, module, nav, sort_mode, page_size FROM columns WHERE slug = 'news' AND parent_id IS NULL AND lang_id = 1").trim().split('|');
    const edit = await request(srv, 'POST', `/admin/columns/edit/${id}`, {
      headers: { Cookie: cookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, name: 'News', slug: 'press', module, nav, sort_mode: sort, page_size: size, visible: '1' }).toString(),
    });
    assert.equal(edit.status, 303, edit.text());
    assert.equal(sql(srv.site, `SELECT path FROM column_old_paths WHERE column_id = ${id}`).trim(), 'news');
    const moved = await waitFor(async () => (await get(srv, '/news/')).status === 301);
    assert.ok(moved, 'the old column path answers 301');
    assert.equal((await get(srv, '/news/')).headers.location, '/press/');
    assert.equal((await get(srv, SEED)).headers.location, SEED.replace('/news/', '/press/'));
    assert.equal((await get(srv, '/news/zone-news/')).headers.location, '/press/zone-news/');
    assert.equal((await get(srv, SEED.replace('/news/', '/press/'))).status, 200);
    assert.equal((await get(srv, '/zh/news/')).status, 200, 'another language is not affected');
  } finally {
    await srv.stop();
  }
});
