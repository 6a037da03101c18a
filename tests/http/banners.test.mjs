// Banners: home page and column banners with a desktop and a mobile image,
// managed in the admin (create, edit, reorder, delete, audit lines, grants),
// validated URLs, and a schedule that takes effect on time with the page
// cache on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { get as rawGet } from './helpers.mjs';
import { initSite, setPassword, addUser, serve, loggedIn, ADMIN_PW, csrfFrom, sleep } from './admin_accounts_lib.mjs';

let s;
let srv;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function get(target, headers = {}) {
  const r = await rawGet(srv, target, headers);
  r.body = r.body.toString('utf8');
  return r;
}

function bannerTitles(html) {
  return [...html.matchAll(/<span class="banner-title">([^<]*)<\/span>/g)].map((m) => m[1]);
}

before(async () => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  addUser(s.site, 'writer', 'author', ADMIN_PW);
  addUser(s.site, 'newsed', 'editor', ADMIN_PW);
  // newsed may work in the English news column only
  sql(`INSERT INTO grants (user_id, column_id, lang_id) SELECT u.id, c.id, c.lang_id FROM users u,`
    + ` columns c WHERE u.name = 'newsed' AND c.slug = 'news' AND c.lang_id = 1`);
  srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
});

after(async () => {
  await srv.stop();
  rmSync(s.root, { recursive: true, force: true });
});

test('demo: the home page of each language has its banners as <picture> with a mobile source', async () => {
  const en = await get('/');
  assert.equal(en.status, 200);
  assert.deepEqual(bannerTitles(en.body), ['Open to the SCO world', 'A multimodal logistics hub',
    'Invest in the demonstration area']);
  assert.match(en.body, /<section class="banners is-slider" aria-roledescription="carousel"/);
  assert.match(en.body, /<picture>\s*<source media="\(max-width: 640px\)" srcset="\/media\/[0-9a-f]{2}\/[0-9a-f]+-320\.webp 320w, [^"]+" sizes="100vw">\s*<img class="banner-img" src="\/media\//);
  assert.match(en.body, /<div class="banner is-current" id="banner-\d+"/, 'the first shows without script');
  assert.equal((en.body.match(/class="banner is-current"/g) || []).length, 1);
  assert.match(en.body, /<script src="\/assets\/slider\.js\?v=[0-9a-f]+" defer><\/script>/);
  const zh = await get('/zh/');
  assert.deepEqual(bannerTitles(zh.body), ['面向上合组织国家开放合作', '多式联运物流枢纽', '投资上合示范区']);
  assert.match(zh.body, /<a class="banner-link" href="about\/">/, 'relative to the home page');
  const news = await get('/news/');
  assert.doesNotMatch(news.body, /class="banners/, 'a column without banners has no banner area');
  assert.doesNotMatch(news.body, /slider\.js/);
});

test('admin: create, edit, reorder and delete a column banner; the public page follows at once', async () => {
  const br = await loggedIn(srv);
  const list = await br.get('/admin/banners');
  assert.equal(list.status, 200);
  assert.match(list.body, /Open to the SCO world/);
  const form = await br.get('/admin/banners/new');
  assert.equal(form.status, 200);
  assert.match(form.body, /name="image"[^>]*data-media-picker/);
  const token = csrfFrom(form.body);
  const news = sql(`SELECT id FROM columns WHERE slug = 'news' AND lang_id = 1`);
  const img = sql('SELECT image FROM banners ORDER BY id LIMIT 1');
  const mob = sql('SELECT image_mobile FROM banners ORDER BY id LIMIT 1');
  await get('/news/'); // cached without banners
  const base = { _csrf: token, lang_id: '1', column_id: news, alt: 'Alt one', image: img, image_mobile: mob };
  // refused: a javascript: link, an image that is no URL, a column of another language
  const n0 = sql('SELECT count(*) FROM banners');
  let r = await br.post('/admin/banners/new', { ...base, title: 'Bad', link: 'javascript:alert(1)' });
  assert.equal(r.status, 422);
  assert.match(r.body, /The link must be/);
  assert.match(r.body, /value="Bad"/, 'the form is shown again with the values');
  r = await br.post('/admin/banners/new', { ...base, title: 'Bad', image: '' });
  assert.equal(r.status, 422);
  const zhNews = sql(`SELECT id FROM columns WHERE slug = 'news' AND lang_id = 2`);
  r = await br.post('/admin/banners/new', { ...base, title: 'Bad', column_id: zhNews });
  assert.equal(r.status, 422);
  r = await br.post('/admin/banners/new', { ...base, title: 'Bad', link: '/x', show_from: '2030-01-02T00:00', show_until: '2030-01-01T00:00' });
  assert.equal(r.status, 422, 'the end before the start');
  assert.equal(sql('SELECT count(*) FROM banners'), n0, 'nothing stored');
  // created
  r = await br.post('/admin/banners/new', { ...base, title: 'News one', link: '/news/' });
  assert.equal(r.status, 303);
  r = await br.post('/admin/banners/new', { ...base, title: 'News two', link: 'https://example.org/' });
  assert.equal(r.status, 303);
  let page = await get('/news/');
  assert.deepEqual(bannerTitles(page.body), ['News one', 'News two'], 'shown at once (cache emptied)');
  const [one, two] = sql(`SELECT id FROM banners WHERE column_id = ${news} ORDER BY position`).split('\n');
  // reorder
  assert.equal((await br.post(`/admin/banners/up/${two}`, {})).status, 403, 'CSRF token needed');
  assert.equal((await br.post(`/admin/banners/up/${two}`, { _csrf: token })).status, 303);
  page = await get('/news/');
  assert.deepEqual(bannerTitles(page.body), ['News two', 'News one']);
  // edit
  const edit = await br.get(`/admin/banners/edit/${one}`);
  assert.equal(edit.status, 200);
  assert.match(edit.body, /value="News one"/);
  r = await br.post(`/admin/banners/edit/${one}`, { ...base, title: 'News first', link: '/news/' });
  assert.equal(r.status, 303);
  page = await get('/news/');
  assert.deepEqual(bannerTitles(page.body), ['News two', 'News first']);
  // delete
  assert.equal((await br.post(`/admin/banners/delete/${two}`, { _csrf: token })).status, 303);
  page = await get('/news/');
  assert.deepEqual(bannerTitles(page.body), ['News first']);
  assert.doesNotMatch(page.body, /slider\.js/, 'one banner: no slider');
  const actions = sql(`SELECT action FROM audit_log WHERE action LIKE 'banner.%' ORDER BY id`).split('\n');
  assert.deepEqual(actions, ['banner.create', 'banner.create', 'banner.move', 'banner.update', 'banner.delete']);
});

test('admin in Chinese: the banner screens speak Chinese', async () => {
  sql(`UPDATE users SET ui_lang = 'zh-CN' WHERE name = 'admin'`);
  try {
    const br = await loggedIn(srv);
    const list = await br.get('/admin/banners');
    assert.equal(list.status, 200);
    assert.match(list.body, /<h1>焦点图<\/h1>/);
    const form = await br.get('/admin/links/new');
    assert.match(form.body, /新建友情链接/);
  } finally {
    sql(`UPDATE users SET ui_lang = 'en' WHERE name = 'admin'`);
  }
});

test('permissions: an author gets 403; an editor limited to a column manages only its banners', async () => {
  const au = await loggedIn(srv, 'writer');
  assert.equal((await au.get('/admin/banners')).status, 403);
  assert.equal((await au.get('/admin/banners/new')).status, 403);
  const ed = await loggedIn(srv, 'newsed');
  const list = await ed.get('/admin/banners');
  assert.equal(list.status, 200);
  assert.doesNotMatch(list.body, /Open to the SCO world/, 'home page banners are not listed');
  const home = sql('SELECT id FROM banners WHERE column_id IS NULL ORDER BY id LIMIT 1');
  assert.equal((await ed.get(`/admin/banners/edit/${home}`)).status, 403);
  const token = csrfFrom((await ed.get('/admin/banners/new')).body);
  assert.equal((await ed.post(`/admin/banners/delete/${home}`, { _csrf: token })).status, 403);
  const img = sql('SELECT image FROM banners ORDER BY id LIMIT 1');
  const n0 = sql('SELECT count(*) FROM banners');
  const r = await ed.post('/admin/banners/new', { _csrf: token, lang_id: '1', column_id: '0', image: img, alt: 'x' });
  assert.equal(r.status, 403, 'no home page banner without a grant for any column');
  assert.equal(sql('SELECT count(*) FROM banners'), n0);
  const news = sql(`SELECT id FROM columns WHERE slug = 'news' AND lang_id = 1`);
  const ok = await ed.post('/admin/banners/new', { _csrf: token, lang_id: '1', column_id: news, image: img, alt: 'x', title: 'By the news editor' });
  assert.equal(ok.status, 303);
});

test('schedule: a banner appears at show_from and goes at show_until, cached home page included', async () => {
  const img = sql('SELECT image FROM banners ORDER BY id LIMIT 1');
  const now = Math.floor(Date.now() / 1000);
  sql(`INSERT INTO banners (lang_id, title, alt, image, position, show_from, show_until, created_at, updated_at)`
    + ` VALUES (1, 'Soon', 'soon', '${img}', 9, ${now + 3}, ${now + 6}, ${now}, ${now})`);
  sql(`INSERT INTO banners (lang_id, title, alt, image, position, show_from, show_until, created_at, updated_at)`
    + ` VALUES (1, 'Over', 'over', '${img}', 10, ${now - 100}, ${now - 50}, ${now}, ${now})`);
  await sleep(1200); // the poll sees the inserts
  let home = await get('/');
  assert.ok(!bannerTitles(home.body).includes('Soon'), 'not yet');
  assert.ok(!bannerTitles(home.body).includes('Over'), 'an ended banner is not shown');
  const again = await get('/');
  assert.equal(again.headers.etag, home.headers.etag, 'the home page is cached');
  const t0 = Date.now();
  while (Date.now() - t0 < 6000 && !bannerTitles(home.body).includes('Soon')) {
    await sleep(250);
    home = await get('/');
  }
  assert.ok(bannerTitles(home.body).includes('Soon'), 'shown once show_from came round');
  assert.ok(Date.now() / 1000 >= now + 3 - 0.01, 'not before its time');
  while (Date.now() - t0 < 12000 && bannerTitles(home.body).includes('Soon')) {
    await sleep(250);
    home = await get('/');
  }
  assert.ok(!bannerTitles(home.body).includes('Soon'), 'gone once show_until came round');
});

test('media library: a banner image and a download file are in use and not deleted by accident', async () => {
  const br = await loggedIn(srv);
  const img = sql('SELECT image FROM banners WHERE column_id IS NULL ORDER BY id LIMIT 1');
  const stored = img.replace(/^\/media\//, '');
  const mid = sql(`SELECT id FROM media WHERE stored_name = '${stored}'`);
  const page = await br.get(`/admin/media/${mid}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /Banner\s*<a href="\/admin\/banners\/edit\/\d+">/);
  const token = csrfFrom(page.body);
  const del = await br.post(`/admin/media/${mid}/delete`, { _csrf: token });
  assert.equal(del.status, 409, 'refused: still in use');
  assert.equal(sql(`SELECT count(*) FROM media WHERE id = ${mid}`), '1');
  const file = sql(`SELECT value FROM field_values WHERE key = 'file' ORDER BY entry_id LIMIT 1`).replace(/^\/media\//, '');
  const fid = sql(`SELECT id FROM media WHERE stored_name = '${file}'`);
  const fpage = await br.get(`/admin/media/${fid}`);
  assert.match(fpage.body, /href="\/admin\/entries\/\d+"/, 'the download entry is listed');
  assert.equal((await br.post(`/admin/media/${fid}/delete`, { _csrf: token })).status, 409);
});
