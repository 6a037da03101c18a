// Full-text search against the real binary: /search and /zh/search over the
// demo site, Chinese bigrams, ranking with highlighted and escaped snippets,
// pagination and filters, an index kept right by every write (publish,
// edit, trash, hidden column, schedule), hostile queries that never make a
// 500 or a logged query error, and `masthead search rebuild`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, startDemo, request as sharedRequest, cookieValue } from './helpers.mjs';

let srv;
let cookie, csrf;
let NEWS, ZONE, ZH_NEWS;
const PASSWORD = 'correct horse battery staple 42';

const origin = () => `http://${srv.host}:${srv.port}`;
const request = (method, target, opts) => sharedRequest(srv, method, target, opts);

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function csrfIn(html) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  return m ? m[1] : null;
}

function post(target, fields = {}) {
  const form = new URLSearchParams({ _csrf: csrf, ...fields }).toString();
  return request('POST', target, {
    headers: { Cookie: cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}

async function create(fields) {
  const res = await post('/admin/entries/new', { status: 'draft', ...fields });
  assert.equal(res.status, 303, `create: ${res.status} ${res.text().slice(0, 300)}`);
  return Number(res.headers.location.match(/\/admin\/entries\/(\d+)/)[1]);
}

// "YYYY-MM-DDTHH:MM:SS" in the site's timezone (+08:00) for t ms.
const siteTime = (t) => new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 19);

// A search page: { status, html, total, titles (plain), urls }.
async function search(q, { lang = '', extra = '' } = {}) {
  const target = `${lang}/search?q=${encodeURIComponent(q)}${extra}`;
  const res = await request('GET', target);
  const html = res.text();
  const m = html.match(/class="search-total">([^<]*)</);
  const hits = [...html.matchAll(/<h2 class="search-hit-title"><a href="([^"]+)">(.*?)<\/a><\/h2>/g)];
  return {
    status: res.status,
    html,
    total: m ? m[1] : null,
    urls: hits.map((h) => h[1]),
    titles: hits.map((h) => h[2].replace(/<\/?mark>/g, '')),
    marked: hits.map((h) => h[2]),
  };
}

async function waitFor(fn, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
}

before(async () => {
  srv = await startDemo();
  NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'news'"));
  ZONE = Number(sql(`SELECT id FROM columns WHERE parent_id = ${NEWS} AND slug = 'zone-news'`));
  ZH_NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'zh-CN' AND c.slug = 'news'"));
  const r = run(['user', 'add', srv.site, 'ed', '--role', 'editor'], { input: `${PASSWORD}\n${PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  const page = await request('GET', '/admin/login');
  const form = new URLSearchParams({ name: 'ed', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${cookieValue(page, 'mh_login')}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(res.status, 303);
  cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  csrf = csrfIn((await request('GET', '/admin/entries', { headers: { Cookie: cookie } })).text());
});

after(async () => {
  if (srv) await srv.stop();
});

test('an English word is found, ranked, with the match in <mark>', async () => {
  const r = await search('Uzbekistan');
  assert.equal(r.status, 200);
  assert.ok(r.titles.some((t) => /Delegation from Uzbekistan/.test(t)), r.titles.join(' | '));
  assert.match(r.marked[0], /<mark>Uzbekistan<\/mark>/);
  assert.match(r.html, /role="search"/, 'the header has a search box');
  assert.match(r.html, /<label[^>]*for="site-search"/);
  // case and full-width forms fold
  const wide = await search('ＵＺＢＥＫＩＳＴＡＮ');
  assert.deepEqual(wide.urls, r.urls);
});

test('北京 finds the seed article\'s Chinese translation under /zh/search; 北京上海 does not', async () => {
  const r = await search('北京', { lang: '/zh' });
  assert.equal(r.status, 200);
  assert.ok(r.titles.includes('李刚带队赴北京、上海考察'), r.titles.join(' | '));
  assert.ok(r.marked.some((t) => t.includes('<mark>北京</mark>')));
  assert.ok(r.urls.every((u) => u.startsWith('/zh/')), 'results of the page\'s language only');
  assert.match(r.html, /<html lang="zh-CN"/);
  assert.match(r.html, /站内搜索/);
  const none = await search('北京上海', { lang: '/zh' });
  assert.equal(none.status, 200);
  assert.equal(none.total, '0');
  assert.equal(none.urls.length, 0);
  // the English site has its own index rows
  const en = await search('北京');
  assert.equal(en.total, '0');
});

test('a one-character Chinese query finds the character inside a word', async () => {
  const r = await search('京', { lang: '/zh' });
  assert.ok(r.titles.includes('李刚带队赴北京、上海考察'), r.titles.join(' | '));
});

test('results are paginated with links that keep the query', async () => {
  // 13 entries share a word: 8 in the news column, 5 in its sub-column
  for (let i = 0; i < 13; i++) {
    await create({
      title: `Pagewort report ${i}`, slug: `pagewort-${i}`, column_id: String(i < 8 ? NEWS : ZONE),
      status: 'published', body: `<p>Body ${i}</p>`,
    });
  }
  const p1 = await search('pagewort');
  assert.equal(p1.total, '13');
  assert.equal(p1.urls.length, 10);
  assert.match(p1.html, /href="\/search\?q=pagewort&amp;page=2"/);
  const p2 = await search('pagewort', { extra: '&page=2' });
  assert.equal(p2.urls.length, 3);
  assert.ok(p2.urls.every((u) => !p1.urls.includes(u)), 'page 2 holds other entries');
  assert.match(p2.html, /aria-current="page">2</);
  const far = await search('pagewort', { extra: '&page=999999' });
  assert.equal(far.status, 200);
});

test('the column and module filters narrow the results', async () => {
  const zone = await search('pagewort', { extra: `&column=${ZONE}` });
  assert.equal(zone.urls.length, 5);
  assert.ok(zone.urls.every((u) => u.startsWith('/news/zone-news/')), zone.urls.join(' '));
  assert.match(zone.html, new RegExp(`<option value="${ZONE}" selected>`));
  const prod = await search('pagewort', { extra: '&module=product' });
  assert.equal(prod.total, '0');
  const art = await search('pagewort', { extra: '&module=article' });
  assert.equal(art.total, '13');
  // nonsense filters are ignored, not errors
  for (const extra of ['&column=abc', '&column=-1', `&column=${ZH_NEWS}`, '&module=%00', '&page=0', '&page=x']) {
    const r = await search('pagewort', { extra });
    assert.equal(r.status, 200, extra);
    assert.equal(r.total, '13', extra);
  }
});

test('a publish is found at once, an edit changes the results, trash removes it', async () => {
  const id = await create({
    title: 'Harbour <b>zorbtastic</b> opens', slug: 'zorbtastic', column_id: String(NEWS),
    status: 'published', body: '<p>The quixotry pier &amp; <script>hiddenword()</script> works</p>',
    summary: 'A summary',
  });
  let r = await search('zorbtastic');
  assert.deepEqual(r.urls, ['/news/zorbtastic.html']);
  assert.match(r.html, /Harbour &lt;b&gt;<mark>zorbtastic<\/mark>&lt;\/b&gt; opens/, 'title escaped, match marked');
  r = await search('quixotry');
  assert.equal(r.urls.length, 1, 'body text is indexed');
  assert.match(r.html, /class="search-hit-snippet">[^<]*<mark>quixotry<\/mark> pier &amp;amp;|<mark>quixotry<\/mark> pier &amp;/);
  assert.equal((await search('hiddenword')).total, '0', 'script content is not indexed');

  assert.equal((await post(`/admin/entries/${id}`, { title: 'Harbour flumadiddle opens', slug: 'zorbtastic', column_id: String(NEWS), status: 'published', body: '<p>New text</p>' })).status, 303);
  assert.equal((await search('zorbtastic')).total, '0', 'the old title is gone');
  assert.equal((await search('quixotry')).total, '0', 'the old body is gone');
  assert.equal((await search('flumadiddle')).urls.length, 1);

  assert.equal((await post(`/admin/entries/${id}/trash`)).status, 303);
  assert.equal((await search('flumadiddle')).total, '0', 'trashed entries are not found');
  assert.equal((await post(`/admin/trash/${id}/restore`)).status, 303);
  // restore brings it back as it was (status kept)
  const back = sql(`SELECT status FROM entries WHERE id = ${id}`);
  assert.equal((await search('flumadiddle')).urls.length, back === 'published' ? 1 : 0);
});

test('drafts and entries of hidden columns are never found', async () => {
  await create({ title: 'Draft brobdingnagian notes', slug: 'draft-brob', column_id: String(NEWS), status: 'draft' });
  assert.equal((await search('brobdingnagian')).total, '0');
  // a hidden column (visible unset) and a published entry in it
  let res = await post('/admin/columns/new', { name: 'Secret', slug: 'secret', lang_id: '1', module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10' });
  assert.equal(res.status, 303, res.text().slice(0, 300));
  const secret = Number(sql("SELECT id FROM columns WHERE slug = 'secret'"));
  assert.equal(sql(`SELECT visible FROM columns WHERE id = ${secret}`), '0');
  await create({ title: 'Lilliputian plans', slug: 'lilli', column_id: String(secret), status: 'published' });
  assert.equal((await search('Lilliputian')).total, '0', 'hidden column');
  // showing the column makes it searchable; hiding it again removes it
  res = await post(`/admin/columns/edit/${secret}`, { name: 'Secret', slug: 'secret', module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1' });
  assert.equal(res.status, 303);
  assert.equal((await search('Lilliputian')).urls.length, 1);
  res = await post(`/admin/columns/edit/${secret}`, { name: 'Secret', slug: 'secret', module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10' });
  assert.equal(res.status, 303);
  assert.equal((await search('Lilliputian')).total, '0');
});

test('a write by another program (sqlite3) is indexed by the next tick', async () => {
  sql("UPDATE entries SET title = 'Jiaozhou snarkhunt routes' WHERE slug = 'jiaozhou-airport-cargo-routes-to-central-asia-expanded'");
  assert.ok(await waitFor(async () => (await search('snarkhunt')).urls.length === 1), 'found after the tick');
});

test('a scheduled entry is found once its time comes', async () => {
  await create({
    title: 'Scheduled wibbleton launch', slug: 'wibbleton', column_id: String(NEWS),
    status: 'scheduled', publish_at: siteTime(Date.now() + 2500),
  });
  assert.equal((await search('wibbleton')).total, '0', 'not before its time');
  assert.ok(await waitFor(async () => (await search('wibbleton')).urls.length === 1), 'found once it went live');
});

test('empty and too-long queries get a friendly 200 page', async () => {
  for (const q of ['', '   ', '"', '- * ( ) 。']) {
    const r = await search(q);
    assert.equal(r.status, 200, JSON.stringify(q));
    assert.match(r.html, /Enter a word or phrase to search for/);
  }
  const long = await search('word '.repeat(60));
  assert.equal(long.status, 200);
  assert.match(long.html, /too long/);
  const zh = await search('', { lang: '/zh' });
  assert.match(zh.html, /请输入要搜索的词语/);
  const noq = await request('GET', '/search');
  assert.equal(noq.status, 200);
});

test('hostile queries answer 200 or 4xx with a page, never 500, never a query error in the log', async () => {
  const targets = [
    '/search?q=%FF%FE%FD', '/search?q=a%00b', '/search?q=%00', '/search?q=%C0%AF', '/search?q=%ED%A0%80',
    '/search?q=%22', '/search?q=%22%22%22', '/search?q=a%22b%22c', '/search?q=NEAR(a%20b)', '/search?q=a%20OR%20b',
    '/search?q=NOT%20a', '/search?q=title%3Ax', '/search?q=*', '/search?q=a*', '/search?q=%5Ea', '/search?q=-a',
    '/search?q=(', '/search?q=)', '/search?q=%7B%7D', '/search?q=%25', '/search?q=%', '/search?q=%zz',
    '/search?q=a&q=b', '/search?q[]=x', '/search?q', '/search?=x', '/zh/search?q=%E5%8C%97%22%E4%BA%AC',
    `/search?q=${'%E5%8C%97'.repeat(300)}`, `/search?q=${'a'.repeat(1500)}`, `/search?q=${'x'.repeat(10240)}`,
    `/search?q=${'%22'.repeat(600)}`, '/search?q=%EF%BB%BF', '/search?q=%EE%80%80mark%EE%80%81',
    '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  ];
  for (const t of targets) {
    const res = await request('GET', t);
    assert.ok([200, 400, 414].includes(res.status), `${t.slice(0, 60)}: ${res.status}`);
    assert.ok(res.text().length > 0, 'with a page');
    if (res.status === 200) assert.doesNotMatch(res.text(), /<script>alert/);
  }
  const log = srv.stderr();
  assert.doesNotMatch(log, /fts5|syntax error|search failed|unterminated|error/i, log.split('\n').filter((l) => /error/i.test(l)).join('\n'));
});

test('the search page is cached per query and a write starts a new generation', async () => {
  const a = await request('GET', '/search?q=SCODA');
  const b = await request('GET', '/search?q=SCODA');
  assert.equal(a.headers.etag, b.headers.etag);
  const c = await request('GET', '/search?q=Uzbekistan');
  assert.notEqual(c.headers.etag, a.headers.etag, 'another query is another page');
});

test('custom field values are searchable and follow their edits', async () => {
  const res = await post(`/admin/columns/fields/new/${ZONE}`, { key: 'venue', kind: 'text', label: 'Venue' });
  assert.equal(res.status, 303, res.text().slice(0, 300));
  const base = { title: 'Field day', slug: 'field-day', column_id: String(ZONE), status: 'published' };
  const id = await create({ ...base, field_venue: 'Grommetville Hall' });
  assert.equal(sql(`SELECT value FROM field_values WHERE entry_id = ${id} AND key = 'venue'`), 'Grommetville Hall');
  assert.deepEqual((await search('Grommetville')).urls, ['/news/zone-news/field-day.html']);
  assert.equal((await post(`/admin/entries/${id}`, { ...base, field_venue: 'Snickersnee Park' })).status, 303);
  assert.equal((await search('Grommetville')).total, '0');
  assert.equal((await search('Snickersnee')).urls.length, 1);
});

test('masthead search rebuild indexes every public entry and prints counts', () => {
  const r = run(['search', 'rebuild', srv.site]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /search index rebuilt: \d+ entries indexed in [\d.]+ s/);
  assert.match(r.stderr, /indexed \d+ of \d+ entries/, 'plain progress lines when not on a terminal');
  const bad = run(['search', 'rebuild', path.join(srv.root, 'nope')]);
  assert.notEqual(bad.status, 0);
});
