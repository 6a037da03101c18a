// Admin accounts pages: users (create, edit, grants, reset, disable),
// settings and languages, the audit log with its filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_PW, Browser, loggedIn, startSite } from './admin_accounts_lib.mjs';
import { get, text } from './helpers.mjs';

let srv;
let admin;
before(async () => {
  srv = await startSite();
  admin = await loggedIn(srv);
});
after(async () => { await srv.stop(); });

async function userId(name) {
  const list = await admin.get('/admin/users');
  const m = list.body.match(new RegExp(`href="/admin/users/(\\d+)">${name}<`));
  return m ? m[1] : null;
}

test('an administrator creates a user, who must change the temporary password', async () => {
  const token = await admin.csrf('/admin/users/new');
  const weak = await admin.post('/admin/users/new', { _csrf: token, name: 'wang', role: 'author', password: 'short' });
  assert.equal(weak.status, 422);
  assert.match(weak.body, /shorter than 12/);
  const bad = await admin.post('/admin/users/new', { _csrf: token, name: 'bad name!', role: 'author', password: 'temporary passphrase one' });
  assert.equal(bad.status, 422);
  const res = await admin.post('/admin/users/new', { _csrf: token, name: 'wang', display_name: '王编辑', role: 'author', ui_lang: 'zh-CN', password: 'temporary passphrase one' });
  assert.equal(res.status, 303);
  const dup = await admin.post('/admin/users/new', { _csrf: token, name: 'WANG', role: 'author', password: 'temporary passphrase one' });
  assert.equal(dup.status, 422, 'names are unique regardless of case');
  const list = await admin.get('/admin/users');
  assert.match(list.body, /王编辑/);
  const w = new Browser(srv);
  const login = await w.login('wang', 'temporary passphrase one');
  assert.match(login.headers.location, /^\/admin\/password/);
  const page = await w.get('/admin/password');
  assert.match(page.body, /修改密码/, 'in the user\'s language');
});

test('edit role, grants and disable; an admin cannot demote or disable themselves', async () => {
  const id = await userId('wang');
  assert.ok(id);
  const token = await admin.csrf(`/admin/users/${id}`);
  const edit = await admin.get(`/admin/users/${id}`);
  const col = edit.body.match(/name="grant_col" value="(\d+)"/)[1];
  const lang = edit.body.match(/name="grant_lang" value="(\d+)"/)[1];
  const res = await admin.post(`/admin/users/${id}`, { _csrf: token, role: 'editor', display_name: 'Wang', ui_lang: 'en', grant_col: col, grant_lang: lang });
  assert.equal(res.status, 303);
  const again = await admin.get(`/admin/users/${id}`);
  assert.match(again.body, new RegExp(`name="grant_col" value="${col}" checked`));
  assert.match(again.body, new RegExp(`name="grant_lang" value="${lang}" checked`));
  assert.match(again.body, /<option value="editor" selected>/);
  // self-protection
  const me = await userId('admin');
  const self = await admin.post(`/admin/users/${me}`, { _csrf: token, role: 'editor' });
  assert.equal(self.status, 422);
  const selfOff = await admin.post(`/admin/users/${me}`, { _csrf: token, role: 'admin', disabled: '1' });
  assert.equal(selfOff.status, 422);
  // reset: sessions end, must change again
  const w = new Browser(srv);
  await w.login('wang', 'temporary passphrase one');
  const wt = await w.csrf('/admin/password');
  assert.equal((await w.post('/admin/password', { _csrf: wt, current: 'temporary passphrase one', password: 'river stone lantern', confirm: 'river stone lantern' })).status, 303);
  assert.equal((await w.get('/admin/')).status, 200);
  const tree = (await w.get('/admin/')).body.match(/<ul class="tree">([\s\S]*?)<\/ul>/)[1];
  assert.equal((tree.match(/<li /g) || []).length >= 1, true);
  assert.ok(tree.split('<li').length - 1 < 15, 'the tree shows only granted columns');
  const reset = await admin.post(`/admin/users/${id}/password`, { _csrf: token, password: 'second temporary pass' });
  assert.equal(reset.status, 303);
  assert.equal((await w.get('/admin/')).status, 303, 'the reset ended the user\'s session');
  const relog = await new Browser(srv).login('wang', 'second temporary pass');
  assert.match(relog.headers.location, /^\/admin\/password/);
  // disable: no more sign-in
  const off = await admin.post(`/admin/users/${id}`, { _csrf: token, role: 'editor', disabled: '1' });
  assert.equal(off.status, 303);
  assert.equal((await new Browser(srv).login('wang', 'second temporary pass')).status, 200);
  assert.equal((await admin.get('/admin/users/999999')).status, 404);
});

test('settings: site-wide and per-language values, validation, languages', async () => {
  const token = await admin.csrf('/admin/settings');
  const page = await admin.get('/admin/settings');
  assert.match(page.body, /name="site.site_name"/);
  const langId = page.body.match(/name="lang\.(\d+)\.site_name"/)[1];
  const bad = await admin.post('/admin/settings', { _csrf: token, 'site.timezone': 'Mars/Base' });
  assert.equal(bad.status, 422);
  const ok = await admin.post('/admin/settings', { _csrf: token, 'site.site_name': 'Renamed <Portal>', 'site.footer_text': 'Footer & co', [`lang.${langId}.site_name`]: 'Own name' });
  assert.equal(ok.status, 303);
  const again = await admin.get('/admin/settings');
  assert.match(again.body, /value="Renamed &lt;Portal&gt;"/);
  assert.match(again.body, /value="Own name"/);
  const home = await get(srv, '/zh/');
  assert.equal(home.status, 200);
  const add = await admin.post('/admin/languages', { _csrf: token, action: 'add', code: 'fr', name: 'Français', prefix: 'fr', public: '1' });
  assert.equal(add.status, 303);
  const dupl = await admin.post('/admin/languages', { _csrf: token, action: 'add', code: 'fr', name: 'Français', prefix: 'fr2' });
  assert.equal(dupl.status, 422);
  assert.match((await admin.get('/admin/settings')).body, /Français/);
  assert.ok(text(home).length > 0);
});

test('the audit log records who did what from where, with filters and pages', async () => {
  const all = await admin.get('/admin/audit');
  assert.equal(all.status, 200);
  for (const action of ['login', 'user.create', 'user.update', 'user.password_reset', 'settings.update', 'language.create', 'password.change'])
    assert.match(all.body, new RegExp(`data-action="${action.replace('.', '\\.')}"`), action);
  // shown as words in the admin's language, not as codes
  assert.match(all.body, /data-action="user\.create">User created</);
  const logins = await admin.get('/admin/audit?action=login');
  assert.doesNotMatch(logins.body, /data-action="settings\.update"/);
  const byWang = await admin.get('/admin/audit?user=wang');
  assert.match(byWang.body, /data-action="password\.change"/);
  assert.doesNotMatch(byWang.body, /data-action="settings\.update"/);
  const nobody = await admin.get('/admin/audit?user=nobody');
  assert.match(nobody.body, /No matching entries/);
  const future = await admin.get('/admin/audit?from=2999-01-01');
  assert.match(future.body, /No matching entries/);
  // many failures make a second page
  for (let i = 0; i < 3; i++) await new Browser(srv).login(`ghost${i}`, 'x');
  const p1 = await admin.get('/admin/audit');
  const total = Number(p1.body.match(/(\d+) entries/)[1]);
  assert.ok(total > 10);
  const bad = await admin.get('/admin/audit?page=0&action=%3Cscript%3E');
  assert.equal(bad.status, 200);
  assert.doesNotMatch(bad.body, /<script>/);
  assert.ok(ADMIN_PW && !p1.body.includes(ADMIN_PW));
});
