// External link columns and single pages. A link column to another origin
// is shown in the navigation with rel="noopener noreferrer", a new tab and
// a hidden note saying so, in every language; links within the site
// (relative, or absolute to the site's own base_url) stay plain. A single
// page is one body per column per language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { initSite, setPassword, serve, loggedIn, request, ADMIN_PW, sleep } from './admin_accounts_lib.mjs';

let s;
let srv;
let admin;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const get = (target) => request(srv, 'GET', target);

async function linkColumn(lang, name, slug, url) {
  const token = await admin.csrf('/admin/columns/new');
  const r = await admin.post('/admin/columns/new', {
    _csrf: token, name, slug, lang_id: lang, module: 'link', link_url: url, nav: 'header',
    sort_mode: 'newest', page_size: '10', visible: '1',
  });
  assert.equal(r.status, 303, r.body.slice(0, 300));
}

before(async () => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  srv = await serve(s.site);
  admin = await loggedIn(srv);
});

after(async () => {
  await srv.stop();
  rmSync(s.root, { recursive: true, force: true });
});

test('links to other origins: noopener, noreferrer, a new tab, announced; own links plain', async () => {
  const en = sql("SELECT id FROM languages WHERE code = 'en'");
  const zh = sql("SELECT id FROM languages WHERE code = 'zh-CN'");
  await linkColumn(en, 'Partner', 'partner', 'https://partner.example/portal');
  await linkColumn(en, 'Our news', 'our-news', '/news/');
  await linkColumn(en, 'Self', 'self', `http://${srv.host}:${srv.port}/investment/`);
  await linkColumn(zh, '合作伙伴', 'partner', 'https://partner.example/zh');
  // before base_url names this origin, an absolute link is another origin
  let home = (await get('/')).body;
  assert.match(home, /<a href="https:\/\/partner\.example\/portal" rel="noopener noreferrer" target="_blank">Partner<span class="visually-hidden"> \(opens in a new tab\)<\/span><\/a>/);
  assert.match(home, /<a href="\/news\/">Our news<\/a>/);
  assert.match(home, new RegExp(`<a href="http://${srv.host}:${srv.port}/investment/" rel="noopener noreferrer" target="_blank">Self<`));
  // the site's own origin (base_url): plain
  sql(`INSERT INTO settings (site_id, lang_id, key, value) VALUES ((SELECT id FROM sites LIMIT 1), 0, 'base_url', 'http://${srv.host}:${srv.port}')`);
  await sleep(1300);
  home = (await get('/')).body;
  assert.match(home, new RegExp(`<a href="http://${srv.host}:${srv.port}/investment/">Self</a>`));
  assert.match(home, /href="https:\/\/partner\.example\/portal" rel="noopener noreferrer" target="_blank"/);
  // no rel on ordinary columns
  assert.match(home, /<a href="\/news\/">News<\/a>/);
  // Chinese: the same, with the note in Chinese
  const zhHome = (await get('/zh/')).body;
  assert.match(zhHome, /<a href="https:\/\/partner\.example\/zh" rel="noopener noreferrer" target="_blank">合作伙伴<span class="visually-hidden"> （在新标签页打开）<\/span><\/a>/);
  // the column's own path goes to the link
  const r = await get('/partner/');
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, 'https://partner.example/portal');
  const zr = await get('/zh/partner/');
  assert.equal(zr.status, 301);
  assert.equal(zr.headers.location, 'https://partner.example/zh');
  // the footer's same-origin link (the demo's sitemap) stays plain
  assert.match(home, /<a href="\/sitemap\.xml">Sitemap<\/a>/);
});

test('a single page is one body per column per language', async () => {
  const en = await get('/about/overview/');
  assert.equal(en.status, 200);
  assert.match(en.body, /SCODA is located in Jiaozhou, Qingdao/);
  assert.doesNotMatch(en.body, /上合示范区位于青岛胶州/);
  const zh = await get('/zh/about/overview/');
  assert.equal(zh.status, 200);
  assert.match(zh.body, /<html lang="zh-CN"/);
  assert.match(zh.body, /上合示范区位于青岛胶州/);
  assert.doesNotMatch(zh.body, /SCODA is located/);
  // each language's page links to the other's (translations of columns)
  assert.match(en.body, /hreflang="zh-CN" href="[^"]*\/zh\/about\/overview\/"/);
  assert.match(zh.body, /hreflang="en" href="[^"]*\/about\/overview\/"/);
  // editing one language's body leaves the other's alone
  sql("UPDATE columns SET body_html = '<p>Updated overview.</p>' WHERE slug = 'overview' AND lang_id = (SELECT id FROM languages WHERE code = 'en')");
  await sleep(1300);
  assert.match((await get('/about/overview/')).body, /Updated overview\./);
  assert.match((await get('/zh/about/overview/')).body, /上合示范区位于青岛胶州/);
});
