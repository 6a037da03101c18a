// Friendly links: in the footer of every page of their language, ordered,
// rel="noopener" for other origins (and nofollow when asked), managed in
// the admin with validated URLs and audit lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { get as rawGet } from './helpers.mjs';
import { initSite, setPassword, addUser, serve, loggedIn, ADMIN_PW, csrfFrom } from './admin_accounts_lib.mjs';

let s;
let srv;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function get(target) {
  const r = await rawGet(srv, target);
  r.body = r.body.toString('utf8');
  return r;
}

// [{href, rel, text}] of the footer's friendly links
function links(html) {
  const nav = html.match(/<nav class="friend-links"[\s\S]*?<\/nav>/);
  if (!nav) return [];
  return [...nav[0].matchAll(/<li><a href="([^"]*)"(?: rel="([^"]*)")?>([\s\S]*?)<\/a><\/li>/g)]
    .map((m) => ({ href: m[1], rel: m[2] || '', text: m[3] }));
}

before(async () => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  addUser(s.site, 'writer', 'author', ADMIN_PW);
  srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
});

after(async () => {
  await srv.stop();
  rmSync(s.root, { recursive: true, force: true });
});

test('demo: four links per language in the footer of every page, in order, with rel', async () => {
  for (const [page, first] of [['/', 'Ministry of Commerce'], ['/news/', 'Ministry of Commerce'], ['/zh/', '商务部'], ['/zh/services/', '商务部']]) {
    const r = await get(page);
    assert.equal(r.status, 200);
    const l = links(r.body);
    assert.equal(l.length, 4, `${page}: four links`);
    assert.equal(l[0].text, first);
    for (const x of l) assert.match(x.rel, /\bnoopener\b/, 'another origin: noopener');
    assert.equal(l[3].rel, 'noopener nofollow', 'nofollow when asked');
    assert.equal(l[0].rel, 'noopener');
  }
});

test('admin: create (same-origin link without noopener), reorder, edit, delete; bad URLs refused', async () => {
  const br = await loggedIn(srv);
  const page = await br.get('/admin/links');
  assert.equal(page.status, 200);
  assert.match(page.body, /Ministry of Commerce/);
  const token = csrfFrom((await br.get('/admin/links/new')).body);
  const n0 = sql('SELECT count(*) FROM friend_links');
  for (const url of ['javascript:alert(1)', '//evil.example/', ' https://x.example/', '']) {
    const r = await br.post('/admin/links/new', { _csrf: token, lang_id: '1', title: 'Bad', url });
    assert.equal(r.status, 422, `refused: ${JSON.stringify(url)}`);
  }
  assert.equal((await br.post('/admin/links/new', { _csrf: token, lang_id: '1', title: '', url: '/about/' })).status, 422);
  assert.equal((await br.post('/admin/links/new', { _csrf: token, lang_id: '1', title: 'Logo', url: '/x/', logo: 'data:image/png;base64,AA' })).status, 422);
  assert.equal(sql('SELECT count(*) FROM friend_links'), n0, 'nothing stored');
  let r = await br.post('/admin/links/new', { _csrf: token, lang_id: '1', title: 'Our about page', url: '/about/' });
  assert.equal(r.status, 303);
  let l = links((await get('/')).body);
  assert.equal(l.length, 5);
  assert.deepEqual(l[4], { href: '/about/', rel: '', text: 'Our about page' }, 'same origin: no rel');
  const id = sql(`SELECT id FROM friend_links WHERE title = 'Our about page'`);
  r = await br.post(`/admin/links/up/${id}`, { _csrf: token });
  assert.equal(r.status, 303);
  l = links((await get('/')).body);
  assert.equal(l[3].text, 'Our about page');
  r = await br.post(`/admin/links/edit/${id}`, { _csrf: token, lang_id: '1', title: 'About us', url: '/about/', nofollow: '1' });
  assert.equal(r.status, 303);
  l = links((await get('/')).body);
  assert.deepEqual(l[3], { href: '/about/', rel: 'nofollow', text: 'About us' });
  assert.equal(links((await get('/zh/')).body).length, 4, 'the other language is untouched');
  r = await br.post(`/admin/links/delete/${id}`, { _csrf: token });
  assert.equal(r.status, 303);
  assert.equal(links((await get('/')).body).length, 4);
  const actions = sql(`SELECT action FROM audit_log WHERE action LIKE 'link.%' ORDER BY id`).split('\n');
  assert.deepEqual(actions, ['link.create', 'link.move', 'link.update', 'link.delete']);
});

test('a logo link shows the image with the title as its alt text', async () => {
  const br = await loggedIn(srv);
  const token = csrfFrom((await br.get('/admin/links/new')).body);
  const img = sql('SELECT image FROM banners ORDER BY id LIMIT 1');
  const r = await br.post('/admin/links/new', { _csrf: token, lang_id: '2', title: '标志链接', url: 'https://logo.example.org/', logo: img });
  assert.equal(r.status, 303);
  const l = links((await get('/zh/')).body);
  const last = l[l.length - 1];
  assert.equal(last.rel, 'noopener');
  assert.match(last.text, new RegExp(`<img class="friend-logo" src="${img}" alt="标志链接"`));
});

test('permissions: an author gets 403 on the links screens', async () => {
  const au = await loggedIn(srv, 'writer');
  assert.equal((await au.get('/admin/links')).status, 403);
  assert.equal((await au.get('/admin/links/new')).status, 403);
  const id = sql('SELECT id FROM friend_links ORDER BY id LIMIT 1');
  const token = csrfFrom((await au.get('/admin/')).body);
  assert.equal((await au.post(`/admin/links/delete/${id}`, { _csrf: token })).status, 403);
  assert.equal(sql(`SELECT count(*) FROM friend_links WHERE id = ${id}`), '1');
});
