// The admin's Old URLs screens (/admin/legacy-urls) on a site made from
// MetInfo's English demo: list with search and pages, add, edit, delete,
// refused input re-shown with a message, admin only, CSRF, audit lines,
// both UI languages, and the public 301 following each change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, startServer, request as sharedRequest, cookieValue } from './helpers.mjs';

const root = process.env.MH_ROOT || path.resolve('.');
const dumps = path.join(root, '..', 'shared', 'interop', 'metinfo-7.2.0');
const PASSWORD = 'correct horse battery staple 42';
let srv, dir;
const users = {};

const request = (method, target, opts) => sharedRequest(srv, method, target, opts);
const origin = () => `http://${srv.host}:${srv.port}`;
const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];
function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
async function login(name) {
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const form = new URLSearchParams({ name, password: PASSWORD, _csrf: csrfIn(page.text()) }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(res.status, 303, `login of ${name}`);
  const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  const home = await request('GET', '/admin/', { headers: { Cookie: cookie } });
  users[name] = { cookie, csrf: csrfIn(home.text()) };
}
const get = (user, target) => request('GET', target, { headers: user ? { Cookie: users[user].cookie } : {} });
function post(user, target, fields = {}, { csrf = true } = {}) {
  const form = new URLSearchParams({ ...(csrf ? { _csrf: users[user].csrf } : {}), ...fields }).toString();
  return request('POST', target, {
    headers: { Cookie: users[user].cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}

before(async () => {
  assert.ok(existsSync(path.join(dumps, 'demo_en.sql')), 'missing MetInfo test dumps');
  dir = tempDir('mh-legacy-admin-');
  const site = path.join(dir, 'site');
  assert.equal(run(['init', site]).status, 0);
  const imp = run(['import', 'metinfo', site, ...['sql.sql', 'demo_en.sql', 'config_en.sql'].map((f) => path.join(dumps, f))]);
  assert.equal(imp.status, 0, imp.stderr);
  for (const [name, role] of [['boss', 'admin'], ['ed', 'editor']]) {
    const r = run(['user', 'add', site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
    assert.equal(r.status, 0, r.stderr);
  }
  srv = await startServer(site);
  await login('boss');
  await login('ed');
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('list, search, pages; editors may not see it', async () => {
  const res = await get('boss', '/admin/legacy-urls');
  assert.equal(res.status, 200);
  const html = res.text();
  assert.match(html, /Old URLs/);
  assert.match(html, /\/about\/show\.php\?id(=|&#x3D;|&#61;)54/);
  assert.match(html, /rel="next"/); // more than 50 rows
  const found = (await get('boss', '/admin/legacy-urls?q=shownews.php%3Fid%3D13')).text();
  assert.match(found, /Rows: 1</);
  const p2 = (await get('boss', '/admin/legacy-urls?page=2')).text();
  assert.match(p2, /rel="prev"/);
  assert.equal((await get('ed', '/admin/legacy-urls')).status, 403);
  // Chinese UI
  const zh = await request('GET', '/admin/legacy-urls', { headers: { Cookie: `${users.boss.cookie}; mh_lang=zh-CN`, 'Accept-Language': 'zh-CN' } });
  assert.equal(zh.status, 200);
});

test('add, edit, delete with audit lines; the public 301 follows', async () => {
  // CSRF
  assert.equal((await post('boss', '/admin/legacy-urls', { path: '/x.php', kind: 'url', target_url: '/about/' }, { csrf: false })).status, 403);
  // refused: javascript: target, bad path; the form is re-shown with the values
  let r = await post('boss', '/admin/legacy-urls', { path: '/old/x.php?id=5', kind: 'url', target_url: 'javascript:alert(1)' });
  assert.equal(r.status, 422);
  assert.match(r.text(), /value="\/old\/x\.php\?id=5"/);
  assert.match(r.text(), /Check the old path/);
  r = await post('boss', '/admin/legacy-urls', { path: 'old.php', kind: 'column', target_id: '1' });
  assert.equal(r.status, 422);
  // taken
  r = await post('boss', '/admin/legacy-urls', { path: '/news/shownews.php?id=13&lang=en', kind: 'column', target_id: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text(), /already/);

  r = await post('boss', '/admin/legacy-urls', { path: '/Old/Page.PHP?lang=en&id=5', kind: 'url', target_url: '/about/' });
  assert.equal(r.status, 303);
  const id = sql("SELECT id FROM legacy_urls WHERE path = '/old/page.php?id=5'");
  assert.ok(id);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'legacy_url.create' AND object = 'legacy_url:${id}'`), '1');
  let pub = await request('GET', '/old/page.php?id=5');
  assert.equal(pub.status, 301);
  assert.equal(pub.headers.location.replace(/^https?:\/\/[^/]+/, ''), '/about/');

  const edit = await get('boss', `/admin/legacy-urls/edit/${id}`);
  assert.equal(edit.status, 200);
  assert.match(edit.text(), /value="\/old\/page\.php\?id=5"/);
  r = await post('boss', `/admin/legacy-urls/edit/${id}`, { path: '/old/page.php?id=5', kind: 'column', target_id: sql("SELECT id FROM columns WHERE slug = 'news'") });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'legacy_url.update'`), '1');
  await new Promise((res) => setTimeout(res, 1200));
  pub = await request('GET', '/old/page.php?id=5');
  assert.equal(pub.status, 301);
  assert.equal(pub.headers.location.replace(/^https?:\/\/[^/]+/, ''), '/news/');

  r = await post('boss', `/admin/legacy-urls/delete/${id}`);
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT count(*) FROM legacy_urls WHERE id = ${id}`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'legacy_url.delete'`), '1');
  await new Promise((res) => setTimeout(res, 1200));
  assert.equal((await request('GET', '/old/page.php?id=5')).status, 404);
  assert.equal((await get('boss', '/admin/legacy-urls/edit/999999')).status, 404);
});
