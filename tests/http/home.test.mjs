// The home page composition: the demo's front page (blocks in order, per
// language), the admin screen that sets it (admin only, zh and en,
// audited, all-or-nothing), a change showing on the cached home page at
// once; and views: shown in the admin, never a write per view and never a
// new content generation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  initSite, setPassword, addUser, serve, loggedIn, request, ADMIN_PW, csrfFrom, sleep,
} from './admin_accounts_lib.mjs';

let s;
let srv;
let admin;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const get = (target, headers = {}) => request(srv, 'GET', target, { headers });

// The block headings of a home page, in order.
function blocks(html) {
  return [...html.matchAll(/<section class="panel block block-(\w+)" aria-labelledby="hb-\d+">\s*<div class="panel-head"><h2 id="hb-\d+" class="panel-title">([^<]+)<\/h2>/g)]
    .map((m) => `${m[2]}:${m[1]}`);
}

before(async () => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  addUser(s.site, 'ed', 'editor', ADMIN_PW);
  srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  admin = await loggedIn(srv);
});

after(async () => {
  await srv.stop();
  rmSync(s.root, { recursive: true, force: true });
});

test('the demo home is a portal front page in both languages', async () => {
  const en = await get('/');
  assert.equal(en.status, 200);
  assert.deepEqual(blocks(en.body), ['News:headline', 'Zone News:list', 'Investment:list',
    'Media Coverage:list', 'Policies:list', 'Gallery:strip']);
  // the headline: the newest news entry large, the rest as a dated list
  assert.match(en.body, /<article class="lead">[\s\S]*?<h3 class="lead-title"><a href="\/news\/[^"]+\.html">SCODA Launches Talent Service Station/);
  assert.match(en.body, /<ul class="news">\s*<li><a href="\/news\/media-coverage\/cctv-reports[^"]+">CCTV Reports on SCO Expo Preparations in Qingdao<\/a><time datetime="2023-11-08T10:30:00\+08:00">/);
  const zh = await get('/zh/');
  assert.deepEqual(blocks(zh.body), ['新闻中心:headline', '园区新闻:list', '投资促进:list',
    '媒体报道:list', '投资政策:list', '图片展示:strip']);
  assert.match(zh.body, /园区企业服务大厅启用/);
  // no demo article column opens empty
  for (const p of ['/news/zone-news/', '/news/media-coverage/', '/investment/', '/investment/policies/',
    '/investment/projects/', '/zh/news/zone-news/', '/zh/news/media-coverage/', '/zh/investment/',
    '/zh/investment/policies/', '/zh/investment/projects/']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.doesNotMatch(r.body, /Nothing has been published here yet|暂无内容/, p);
    assert.ok((r.body.match(/<li class="card/g) || []).length >= 2, `${p} has entries`);
  }
});

async function homeForm(lang) {
  const page = await admin.get(`/admin/home${lang ? `?lang=${lang}` : ''}`);
  assert.equal(page.status, 200);
  const f = { _csrf: csrfFrom(page.body), lang_id: page.body.match(/name="lang_id" value="(\d+)"/)[1] };
  for (let i = 1; i <= 8; i++) {
    const col = page.body.match(new RegExp(`name="column_${i}"[^>]*>[\\s\\S]*?</select>`))[0];
    const sel = col.match(/<option value="(\d*)" selected/);
    f[`column_${i}`] = sel ? sel[1] : '';
    const kind = page.body.match(new RegExp(`name="kind_${i}">[\\s\\S]*?<option value="(\\w+)" selected`));
    f[`kind_${i}`] = kind ? kind[1] : 'list';
    f[`count_${i}`] = page.body.match(new RegExp(`name="count_${i}"[^>]*value="(\\d*)"`))[1];
  }
  return { page, f };
}

test('the admin sets the blocks; the cached home page changes at once; audited; bad rows change nothing', async () => {
  const before = await get('/');
  const again = await get('/');
  assert.equal(again.headers.etag, before.headers.etag, 'the home page is cached');
  const { page, f } = await homeForm();
  assert.match(page.body, /<h1>Home page<\/h1>/);
  assert.match(page.body, /Headline \+ list/);
  // products, galleries, any column holding entries is offered; pages and links are not
  assert.match(page.body, /<option value="\d+"[^>]*>Gallery \(/);
  assert.doesNotMatch(page.body, /<option value="\d+"[^>]*>About \(/);
  assert.doesNotMatch(page.body, /<option value="\d+"[^>]*>Sitemap \(/);
  const inv = sql("SELECT id FROM columns WHERE slug = 'investment' AND lang_id = (SELECT id FROM languages WHERE code = 'en')");
  const news = sql("SELECT id FROM columns WHERE slug = 'news' AND lang_id = (SELECT id FROM languages WHERE code = 'en')");
  const zone = sql("SELECT id FROM columns WHERE slug = 'zone-news' AND lang_id = (SELECT id FROM languages WHERE code = 'en')");
  const next = { ...f };
  for (let i = 1; i <= 8; i++) next[`column_${i}`] = '';
  Object.assign(next, { column_1: inv, kind_1: 'cards', count_1: '3', column_3: zone, kind_3: 'headline', count_3: '2' });
  const r = await admin.post('/admin/home', next);
  assert.equal(r.status, 303);
  const after = await get('/');
  assert.notEqual(after.headers.etag, before.headers.etag);
  assert.deepEqual(blocks(after.body), ['Investment:cards', 'Zone News:headline']);
  assert.equal((after.body.match(/<li class="tile">/g) || []).length, 3);
  assert.equal(sql("SELECT value FROM settings WHERE key = 'home_blocks' AND lang_id = (SELECT id FROM languages WHERE code = 'en')"),
    `${inv} cards 3\n${zone} headline 2`);
  assert.match(sql("SELECT action || ' ' || detail FROM audit_log WHERE action = 'home.update' ORDER BY id DESC LIMIT 1"), /home\.update/);
  // the Chinese home keeps its own composition
  assert.equal(blocks((await get('/zh/')).body).length, 6);
  // bad rows: 422 with a message per row, values kept, nothing stored
  const zhNews = sql("SELECT id FROM columns WHERE slug = 'news' AND lang_id = (SELECT id FROM languages WHERE code = 'zh-CN')");
  const bad = await admin.post('/admin/home', { ...next, column_2: zhNews, count_1: '99' });
  assert.equal(bad.status, 422);
  assert.equal((bad.body.match(/class="field-error"/g) || []).length, 2);
  assert.match(bad.body, /name="count_1" type="number" min="1" max="20" value="99"/);
  assert.equal(blocks((await get('/')).body).length, 2);
  // a block whose column is hidden later drops off the page
  sql(`UPDATE columns SET visible = 0 WHERE id = ${zone}`);
  await sleep(1300);
  assert.deepEqual(blocks((await get('/')).body), ['Investment:cards']);
  sql(`UPDATE columns SET visible = 1 WHERE id = ${zone}`);
  // emptying every row: the theme's default sections come back
  const none = { ...next };
  for (let i = 1; i <= 8; i++) none[`column_${i}`] = '';
  assert.equal((await admin.post('/admin/home', none)).status, 303);
  const plain = await get('/');
  assert.deepEqual(blocks(plain.body), []);
  assert.match(plain.body, /<div class="sections">/);
  assert.equal(sql("SELECT count(*) FROM settings WHERE key = 'home_blocks' AND lang_id = (SELECT id FROM languages WHERE code = 'en')"), '0');
  void news;
});

test('the screen is the admin\'s, in Chinese too, with the form token', async () => {
  const ed = await loggedIn(srv, 'ed', ADMIN_PW);
  assert.equal((await ed.get('/admin/home')).status, 403);
  assert.equal((await ed.post('/admin/home', { _csrf: await ed.csrf('/admin/') })).status, 403);
  const { f } = await homeForm();
  const noToken = { ...f };
  delete noToken._csrf;
  assert.equal((await admin.post('/admin/home', noToken)).status, 403);
  const zhId = sql("SELECT id FROM languages WHERE code = 'zh-CN'");
  const zh = await admin.get(`/admin/home?lang=${zhId}`, { 'Accept-Language': 'zh-CN' });
  assert.equal(zh.status, 200);
  assert.match(zh.body, /value="\d+" selected>新闻中心/);
});

test('views: shown in the editor, counted without writes, the page cache and generation untouched', async () => {
  const id = sql("SELECT id FROM entries WHERE slug = 'zone-opens-one-stop-enterprise-service-hall'");
  const url = '/news/zone-news/zone-opens-one-stop-enterprise-service-hall.html';
  const hits0 = sql(`SELECT hits FROM entries WHERE id = ${id}`);
  assert.equal(hits0, '66');
  const ed = await admin.get(`/admin/entries/${id}`);
  assert.match(ed.body, /Views: <strong>66<\/strong>/);
  const gen0 = sql('SELECT value FROM content_generation');
  const home0 = await get('/');
  const first = await get(url);
  for (let i = 0; i < 15; i++) assert.equal((await get(url)).headers.etag, first.headers.etag);
  await sleep(1300);
  assert.equal(sql(`SELECT hits FROM entries WHERE id = ${id}`), hits0, 'no write per view');
  assert.equal(sql('SELECT value FROM content_generation'), gen0);
  assert.equal((await get('/')).headers.etag, home0.headers.etag, 'the cached home page stays');
});
