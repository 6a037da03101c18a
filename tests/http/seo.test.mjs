// The SEO head of public pages: title pattern, canonical, Open Graph and
// Twitter tags, hreflang alternates with x-default, JSON-LD (parsed as JSON,
// its @types checked), https canonicals behind the trusted proxy only, and
// the language switcher following entry and column translations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, startServer, get, text, request, cookieValue } from './helpers.mjs';

let dir, site, srv, plain;
const EN_ENTRY = '/news/scoda-signs-15-projects-at-spring-investment-promotion-conference.html';
const ZH_ENTRY = '/zh/news/shang-he-shi-fan-qu-chun-ji-tou-zi-tui-jie-hui-qian-yue-15-ge-xiang-mu.html';
const EVIL = 'Evil </script><script>alert(1)</script> & "quoted"';

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(async () => {
  dir = tempDir();
  site = path.join(dir, 'site');
  const init = run(['init', site, '--demo']);
  assert.equal(init.status, 0, init.stderr);
  const now = Math.floor(Date.now() / 1000) - 60;
  // the zh "investment" column moves to another path but stays linked to
  // the English one by its translation group; zh "media-coverage" is
  // unlinked and renamed: no translation at all
  sql(`UPDATE columns SET slug = 'touzi' WHERE slug = 'investment' AND lang_id = 2`);
  sql(`UPDATE columns SET slug = 'meiti', translation_group = 0 WHERE slug = 'media-coverage' AND lang_id = 2`);
  sql(`UPDATE settings SET value = '{page} | {column} | {site}' WHERE key = 'title_pattern'`);
  sql(`INSERT OR REPLACE INTO settings (lang_id, key, value) SELECT NULL, 'title_pattern', '{page} | {column} | {site}' WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'title_pattern')`);
  // a job with a valid_until field, and a product column with sku and price
  const jobs = sql(`SELECT id FROM columns WHERE slug = 'jobs' AND lang_id = 1`);
  sql(`INSERT INTO field_defs (column_id, key, kind, label) VALUES (${jobs}, 'valid_until', 'text', 'Valid until')`);
  sql(`INSERT INTO entries (column_id, lang_id, title, slug, summary, publish_at, created_at, updated_at, status) VALUES (${jobs}, 1, 'Customs officer', 'customs-officer', 'Clearance work.', ${now}, ${now}, ${now}, 'published')`);
  const job = sql(`SELECT id FROM entries WHERE slug = 'customs-officer'`);
  sql(`INSERT INTO field_values (entry_id, key, value) VALUES (${job}, 'valid_until', '2030-01-31')`);
  sql(`UPDATE columns SET module = 'product' WHERE slug = 'gallery' AND lang_id = 1`);
  const prod = sql(`SELECT id FROM columns WHERE slug = 'gallery' AND lang_id = 1`);
  sql(`INSERT INTO field_defs (column_id, key, kind, label) VALUES (${prod}, 'sku', 'text', 'SKU'), (${prod}, 'price', 'text', 'Price')`);
  sql(`INSERT INTO entries (column_id, lang_id, title, slug, summary, cover, publish_at, created_at, updated_at, status) VALUES (${prod}, 1, '${EVIL.replace(/'/g, "''")}', 'widget', 'A widget.', '/media/widget.jpg', ${now}, ${now}, ${now}, 'published')`);
  const w = sql(`SELECT id FROM entries WHERE slug = 'widget'`);
  sql(`INSERT INTO field_values (entry_id, key, value) VALUES (${w}, 'sku', 'W-1'), (${w}, 'price', '9.50')`);
  srv = await startServer(site, ['--trusted-proxy', '127.0.0.1']);
  plain = await startServer(site, [], {});
});

after(async () => {
  if (srv) await srv.stop();
  if (plain) await plain.stop();
  rmSync(dir, { recursive: true, force: true });
});

const origin = (s = srv) => `http://${s.host}:${s.port}`;

async function head(target, headers = {}, s = srv) {
  const res = await get(s, target, headers);
  assert.equal(res.status, 200, target);
  const html = text(res);
  const h = html.slice(0, html.indexOf('</head>'));
  const meta = (attr, name) => {
    const re = new RegExp(`<meta ${attr}="${name}" content="([^"]*)">`, 'g');
    return [...h.matchAll(re)].map((m) => m[1]);
  };
  const links = {};
  for (const m of h.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)) links[m[1]] = m[2];
  const ld = h.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
  assert.ok(ld, `JSON-LD on ${target}`);
  const json = JSON.parse(ld[1]);
  const switcher = {};
  for (const m of html.matchAll(/<li><a href="([^"]+)" hreflang="([^"]+)" lang=/g)) switcher[m[2]] = m[1];
  return {
    html, h, json, links, switcher,
    title: (h.match(/<title>([^<]*)<\/title>/) || [])[1],
    canonical: (h.match(/<link rel="canonical" href="([^"]+)">/) || [])[1],
    og: (n) => meta('property', `og:${n}`),
    tw: (n) => meta('name', `twitter:${n}`),
    types: json['@graph'].map((o) => o['@type']),
    node: (t) => json['@graph'].find((o) => o['@type'] === t),
  };
}

test('home pages: canonical, og, twitter, hreflang with x-default, Organization and WebSite', async () => {
  const en = await head('/');
  assert.equal(en.canonical, `${origin()}/`);
  assert.deepEqual(en.og('type'), ['website']);
  assert.deepEqual(en.og('url'), [`${origin()}/`]);
  assert.deepEqual(en.og('locale'), ['en']);
  assert.deepEqual(en.og('locale:alternate'), ['zh_CN']);
  assert.deepEqual(en.tw('card'), ['summary']);
  assert.deepEqual(en.links, { en: `${origin()}/`, 'zh-CN': `${origin()}/zh/`, 'x-default': `${origin()}/` });
  assert.deepEqual(en.types, ['Organization', 'WebSite']);
  assert.equal(en.node('WebSite').potentialAction.target, `${origin()}/search?q={search_term_string}`);
  const zh = await head('/zh/');
  assert.equal(zh.canonical, `${origin()}/zh/`);
  assert.deepEqual(zh.og('locale'), ['zh_CN']);
  assert.equal(zh.links['x-default'], `${origin()}/`);
  assert.equal(zh.node('WebSite').potentialAction.target, `${origin()}/zh/search?q={search_term_string}`);
});

test('entry and its translation: article tags, NewsArticle + BreadcrumbList, switcher to the translation', async () => {
  const en = await head(EN_ENTRY);
  assert.equal(en.canonical, origin() + EN_ENTRY);
  assert.deepEqual(en.og('type'), ['article']);
  assert.equal(en.og('title').length, 1);
  assert.match(en.title, / \| News \| /, 'title pattern with the column');
  assert.deepEqual(en.links, { en: origin() + EN_ENTRY, 'zh-CN': origin() + ZH_ENTRY, 'x-default': origin() + EN_ENTRY });
  assert.deepEqual(en.types, ['NewsArticle', 'BreadcrumbList']);
  assert.equal(en.node('BreadcrumbList').itemListElement.length, 3);
  assert.equal(en.switcher['zh-CN'], ZH_ENTRY);
  const zh = await head(ZH_ENTRY);
  assert.equal(zh.switcher.en, EN_ENTRY);
  assert.equal(zh.links['x-default'], origin() + EN_ENTRY);
  assert.deepEqual(zh.og('locale:alternate'), ['en']);
});

test('lists and single pages in both languages', async () => {
  for (const [p, other] of [['/news/', '/zh/news/'], ['/about/', '/zh/about/']]) {
    const a = await head(p);
    const b = await head(other);
    assert.equal(a.canonical, origin() + p);
    assert.equal(b.canonical, origin() + other);
    assert.deepEqual(a.og('type'), ['website']);
    assert.deepEqual(a.types, ['BreadcrumbList']);
    assert.equal(a.links['zh-CN'], origin() + other);
    assert.equal(b.links.en, origin() + p);
    assert.equal(b.links['x-default'], origin() + p);
    assert.equal(a.switcher['zh-CN'], other);
    assert.equal(b.switcher.en, p);
  }
});

test('the switcher follows column translation groups, else goes to the home', async () => {
  const inv = await head('/investment/');
  assert.equal(inv.switcher['zh-CN'], '/zh/touzi/');
  assert.equal(inv.links['zh-CN'], `${origin()}/zh/touzi/`);
  const back = await head('/zh/touzi/');
  assert.equal(back.switcher.en, '/investment/');
  const mc = await head('/news/media-coverage/');
  assert.equal(mc.switcher['zh-CN'], '/zh/');
  assert.equal(mc.links['zh-CN'], undefined);
  assert.equal(mc.links['x-default'], `${origin()}/news/media-coverage/`);
});

test('Product and JobPosting from the column type, custom fields, safe against </script>', async () => {
  const w = await head('/gallery/widget.html');
  assert.ok(!w.h.includes('</script><script>alert'), 'no script break-out');
  assert.match(w.h, /\\u003c\/script\\u003e/);
  const prod = w.node('Product');
  assert.ok(prod, w.types.join());
  assert.equal(prod.name, EVIL);
  assert.equal(prod.sku, 'W-1');
  assert.equal(prod.offers.price, '9.50');
  assert.equal(prod.image, `${origin()}/media/widget.jpg`);
  assert.deepEqual(w.og('image'), [`${origin()}/media/widget.jpg`]);
  assert.deepEqual(w.tw('card'), ['summary_large_image']);
  const j = await head('/jobs/customs-officer.html');
  const job = j.node('JobPosting');
  assert.ok(job, j.types.join());
  assert.equal(job.title, 'Customs officer');
  assert.equal(job.validThrough, '2030-01-31');
  assert.equal(job.hiringOrganization['@type'], 'Organization');
  assert.ok(job.datePosted);
});

test('https canonicals only through the trusted proxy, cached apart from http', async () => {
  const s = await head('/news/', { 'X-Forwarded-Proto': 'https' });
  assert.equal(s.canonical, `https://${srv.host}:${srv.port}/news/`);
  assert.equal(s.links['zh-CN'], `https://${srv.host}:${srv.port}/zh/news/`);
  const h = await head('/news/');
  assert.equal(h.canonical, `${origin()}/news/`);
  const again = await head('/news/', { 'X-Forwarded-Proto': 'https' });
  assert.equal(again.canonical, `https://${srv.host}:${srv.port}/news/`);
  const untrusted = await head('/news/', { 'X-Forwarded-Proto': 'https' }, plain);
  assert.equal(untrusted.canonical, `${origin(plain)}/news/`);
});

test('the admin column form links a column to its translation', async () => {
  const PASSWORD = 'correct horse battery staple 42';
  const r = run(['user', 'add', site, 'adele', '--role', 'admin'], { input: `${PASSWORD}\n${PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];
  const page = await request(srv, 'GET', '/admin/login');
  const login = await request(srv, 'POST', '/admin/login', {
    headers: { Cookie: `mh_login=${cookieValue(page, 'mh_login')}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'adele', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString(),
  });
  assert.equal(login.status, 303);
  const cookie = `mh_session=${cookieValue(login, 'mh_session')}`;
  const zhId = sql(`SELECT id FROM columns WHERE slug = 'meiti'`);
  const enId = sql(`SELECT id FROM columns WHERE slug = 'media-coverage' AND lang_id = 1`);
  const form = await request(srv, 'GET', `/admin/columns/edit/${zhId}`, { headers: { Cookie: cookie } });
  assert.equal(form.status, 200);
  const html = form.text();
  assert.match(html, /<select id="col-translation" name="translation_group"/);
  assert.match(html, new RegExp(`<option value="${enId}">[^<]*\\(en, /news/media-coverage/\\)</option>`));
  const fields = {
    _csrf: csrfIn(html), name: '媒体报道', slug: 'meiti', parent_id: sql(`SELECT parent_id FROM columns WHERE id = ${zhId}`),
    module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1', translation_group: enId,
  };
  const res = await request(srv, 'POST', `/admin/columns/edit/${zhId}`, {
    headers: { Cookie: cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  assert.equal(res.status, 303, res.text().slice(0, 300));
  const mc = await head('/news/media-coverage/');
  assert.equal(mc.switcher['zh-CN'], '/zh/news/meiti/');
  assert.equal(mc.links['zh-CN'], `${origin()}/zh/news/meiti/`);
  const again = await request(srv, 'GET', `/admin/columns/edit/${zhId}`, { headers: { Cookie: cookie } });
  assert.match(again.text(), new RegExp(`<option value="${enId}" selected>`));
});
