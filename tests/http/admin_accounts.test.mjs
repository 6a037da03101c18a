// Admin accounts: sign-in, sessions, CSRF, cookies, redirects, roles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { rmSync } from 'node:fs';
import {
  ADMIN_PW, Browser, csrfFrom, initSite, loggedIn, request, serve, startSite,
} from './admin_accounts_lib.mjs';

const PW = 'plum orchard seventeen';
let srv;

before(async () => {
  srv = await startSite({
    users: [
      ['ed', 'editor', PW],
      ['au', 'author', PW],
      ['co', 'contributor', PW],
    ],
  });
});
after(async () => { await srv.stop(); });

test('without a session a GET goes to the login page with next, a POST is refused', async () => {
  const r = await request(srv, 'GET', '/admin/users?x=1');
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/admin/login?next=%2Fadmin%2Fusers%3Fx%3D1');
  const p = await request(srv, 'POST', '/admin/profile', {
    headers: { Origin: `http://${srv.host}:${srv.port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'display_name=x',
  });
  assert.equal(p.status, 403);
  // unknown admin URLs need a session too (nothing to probe)
  const u = await request(srv, 'GET', '/admin/nothing-here');
  assert.equal(u.status, 303);
});

test('login with the right password: new session cookie with its flags, dashboard renders', async () => {
  const b = new Browser(srv);
  const page = await b.get('/admin/login');
  assert.equal(page.status, 200);
  assert.match(page.body, /<form method="post" action="\/admin\/login"/);
  const pre = page.cookies.find((c) => c.startsWith('mh_login='));
  assert.ok(pre, 'the login page sets the pre-session cookie');
  assert.match(pre, /HttpOnly/);
  const res = await b.post('/admin/login', { _csrf: csrfFrom(page.body), name: 'admin', password: ADMIN_PW });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/admin/');
  const sc = res.cookies.find((c) => c.startsWith('mh_session='));
  assert.ok(sc, 'session cookie set');
  assert.match(sc, /; HttpOnly/);
  assert.match(sc, /; SameSite=Strict/);
  assert.match(sc, /; Path=\/admin(;|$)/);
  assert.doesNotMatch(sc, /Secure/, 'no Secure flag over plain HTTP');
  const token = sc.split(';')[0].split('=')[1];
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.doesNotMatch(res.headers.location, new RegExp(token), 'never a token in a URL');
  const dash = await b.get('/admin/');
  assert.equal(dash.status, 200);
  assert.match(dash.body, /Dashboard/);
  assert.match(dash.body, /Administrator/);
  assert.match(dash.body, /href="\/admin\/columns\/\d+\/entries"/, 'the column tree links to the entries');
  assert.equal(dash.headers['cache-control'], 'no-store');
  assert.doesNotMatch(srv.stderr(), new RegExp(token), 'token not logged');
  assert.doesNotMatch(srv.stderr(), new RegExp(ADMIN_PW), 'password not logged');
});

test('each login issues a fresh token (no fixation)', async () => {
  const b = new Browser(srv);
  b.jar.set('mh_session', 'A'.repeat(43));
  await b.login('admin', ADMIN_PW);
  const first = b.jar.get('mh_session');
  assert.notEqual(first, 'A'.repeat(43));
  await b.login('admin', ADMIN_PW);
  assert.notEqual(b.jar.get('mh_session'), first);
});

test('login with a wrong password fails, is audited with the name but never the password', async () => {
  const b = new Browser(srv);
  const res = await b.login('admin', 'not the password at all');
  assert.equal(res.status, 200);
  assert.match(res.body, /user name or password is wrong/);
  assert.ok(!res.cookies.some((c) => c.startsWith('mh_session=')));
  const unknown = await b.login('nobody-such', 'not the password at all');
  assert.equal(unknown.status, 200);
  const admin = await loggedIn(srv);
  const audit = await admin.get('/admin/audit?action=login.fail');
  assert.equal(audit.status, 200);
  assert.match(audit.body, /name:admin/);
  assert.match(audit.body, /name:nobody-such/);
  assert.match(audit.body, /127\.0\.0\.1/);
  assert.doesNotMatch(audit.body, /not the password at all/);
});

test('CSRF on the login form: missing, wrong and cross-origin are refused', async () => {
  const b = new Browser(srv);
  const token = await b.csrf('/admin/login');
  assert.ok(token);
  const missing = await b.post('/admin/login', { name: 'admin', password: ADMIN_PW });
  assert.equal(missing.status, 403);
  const wrong = await b.post('/admin/login', { _csrf: token.slice(0, -2) + 'xx', name: 'admin', password: ADMIN_PW });
  assert.equal(wrong.status, 403);
  const cross = await b.post('/admin/login', { _csrf: token, name: 'admin', password: ADMIN_PW }, { origin: 'http://evil.example' });
  assert.equal(cross.status, 403);
  // a token from another browser's login page does not fit this browser's cookie
  const other = await new Browser(srv).csrf('/admin/login');
  const foreign = await b.post('/admin/login', { _csrf: other, name: 'admin', password: ADMIN_PW });
  assert.equal(foreign.status, 403);
  const ok = await b.post('/admin/login', { _csrf: token, name: 'admin', password: ADMIN_PW });
  assert.equal(ok.status, 303);
});

test('CSRF on session routes: missing, wrong, cross-origin → 403; header token accepted', async () => {
  const b = await loggedIn(srv);
  const token = await b.csrf('/admin/profile');
  const missing = await b.post('/admin/profile', { display_name: 'X' });
  assert.equal(missing.status, 403);
  const wrong = await b.post('/admin/profile', { _csrf: 'A'.repeat(43), display_name: 'X' });
  assert.equal(wrong.status, 403);
  const cross = await b.post('/admin/profile', { _csrf: token, display_name: 'X' }, { origin: 'http://evil.example' });
  assert.equal(cross.status, 403);
  const noOrigin = await b.post('/admin/profile', { _csrf: token, display_name: 'X' }, { origin: null });
  assert.equal(noOrigin.status, 403);
  const viaHeader = await b.post('/admin/profile', { display_name: 'Site Admin' }, { headers: { 'X-CSRF-Token': token } });
  assert.equal(viaHeader.status, 303);
  const ok = await b.post('/admin/profile', { _csrf: token, display_name: 'Administrator' });
  assert.equal(ok.status, 303);
  // another session's token does not work here
  const other = await loggedIn(srv);
  const otherToken = await other.csrf('/admin/profile');
  const mixed = await b.post('/admin/profile', { _csrf: otherToken, display_name: 'X' });
  assert.equal(mixed.status, 403);
});

test('logout ends the session on the server: the old cookie no longer works', async () => {
  const b = await loggedIn(srv);
  const old = b.jar.get('mh_session');
  const token = await b.csrf('/admin/');
  const out = await b.post('/admin/logout', { _csrf: token });
  assert.equal(out.status, 303);
  assert.match(out.headers.location, /^\/admin\/login/);
  assert.ok(out.cookies.some((c) => /^mh_session=;/.test(c) && /Max-Age=0/.test(c)));
  const replay = await request(srv, 'GET', '/admin/', { headers: { Cookie: `mh_session=${old}` } });
  assert.equal(replay.status, 303);
  assert.match(replay.headers.location, /^\/admin\/login/);
  // logout is a POST with CSRF: a GET does not sign anyone out
  const b2 = await loggedIn(srv);
  const g = await b2.get('/admin/logout');
  assert.notEqual(g.status, 303);
  assert.equal((await b2.get('/admin/')).status, 200);
});

test('a password change ends the other sessions and renews this one', async () => {
  const first = await loggedIn(srv, 'au', PW);
  const second = await loggedIn(srv, 'au', PW);
  const before = first.jar.get('mh_session');
  const token = await first.csrf('/admin/password');
  const bad = await first.post('/admin/password', { _csrf: token, current: 'wrong wrong wrong', password: 'a new and long passphrase', confirm: 'a new and long passphrase' });
  assert.equal(bad.status, 422);
  const weak = await first.post('/admin/password', { _csrf: token, current: PW, password: 'password1234', confirm: 'password1234' });
  assert.equal(weak.status, 422);
  assert.match(weak.body, /common passwords/);
  const res = await first.post('/admin/password', { _csrf: token, current: PW, password: 'a new and long passphrase', confirm: 'a new and long passphrase' });
  assert.equal(res.status, 303);
  assert.notEqual(first.jar.get('mh_session'), before);
  assert.equal((await first.get('/admin/')).status, 200);
  const gone = await second.get('/admin/');
  assert.equal(gone.status, 303, 'the other session ended');
  const replay = await request(srv, 'GET', '/admin/', { headers: { Cookie: `mh_session=${before}` } });
  assert.equal(replay.status, 303, 'the old cookie of this browser ended too');
  // the new password works, the old one does not
  assert.equal((await new Browser(srv).login('au', PW)).status, 200);
  assert.equal((await new Browser(srv).login('au', 'a new and long passphrase')).status, 303);
});

test('next= only leads to local admin paths (no open redirect)', async () => {
  const cases = [
    ['//evil.example/', '/admin/'],
    ['http://evil.example/admin/', '/admin/'],
    ['/\\evil.example', '/admin/'],
    ['/admin/../evil', '/admin/'],
    ['/adminx', '/admin/'],
    ['/news/', '/admin/'],
    ['/admin/users', '/admin/users'],
  ];
  for (const [next, want] of cases) {
    const b = new Browser(srv);
    const page = await b.get(`/admin/login?next=${encodeURIComponent(next)}`);
    if (want !== next) assert.ok(!page.body.includes(`value="${next}"`), `next ${next} not echoed in the form`);
    const res = await b.login('admin', ADMIN_PW, { next });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, want, `next=${next}`);
  }
});

test('permission matrix: users, settings and audit only for administrators', async () => {
  const who = [['admin', ADMIN_PW, true], ['ed', PW, false], ['co', PW, false]];
  for (const [name, pw, isAdmin] of who) {
    const b = await loggedIn(srv, name, pw);
    for (const path of ['/admin/', '/admin/profile', '/admin/password'])
      assert.equal((await b.get(path)).status, 200, `${name} ${path}`);
    for (const path of ['/admin/users', '/admin/users/new', '/admin/users/1', '/admin/settings', '/admin/audit'])
      assert.equal((await b.get(path)).status, isAdmin ? 200 : 403, `${name} ${path}`);
    const token = await b.csrf('/admin/profile');
    const post = await b.post('/admin/settings', { _csrf: token, 'site.site_name': 'Taken over' });
    assert.equal(post.status, isAdmin ? 303 : 403, `${name} POST settings`);
    const mk = await b.post('/admin/users/new', { _csrf: token, name: `x${name}`, role: 'admin', password: 'a long enough passphrase' });
    assert.equal(mk.status, isAdmin ? 303 : 403, `${name} POST users/new`);
    const nav = (await b.get('/admin/')).body;
    assert.equal(/href="\/admin\/users"/.test(nav), isAdmin, `${name} sees the users link`);
  }
  // the author too, and a disabled user cannot sign in
  const au = new Browser(srv);
  const r = await au.login('au', 'a new and long passphrase');
  assert.equal(r.status, 303);
  assert.equal((await au.get('/admin/audit')).status, 403);
});

test('the one-time password printed by init works once and forces a change', async () => {
  const s = initSite();
  assert.match(s.initOut, /administrator: admin/);
  assert.ok(s.oneTime && s.oneTime.length >= 16, 'a one-time password is printed');
  const own = await serve(s.site);
  try {
    const b = new Browser(own);
    const res = await b.login('admin', s.oneTime);
    assert.equal(res.status, 303);
    assert.match(res.headers.location, /^\/admin\/password/);
    // nothing else until the password is changed
    const dash = await b.get('/admin/');
    assert.equal(dash.status, 303);
    assert.match(dash.headers.location, /^\/admin\/password/);
    const token = await b.csrf('/admin/password');
    assert.equal((await b.post('/admin/profile', { _csrf: token, display_name: 'x' })).status, 403);
    const pwPage = await b.get('/admin/password');
    assert.match(pwPage.body, /set by someone else/);
    const ch = await b.post('/admin/password', { _csrf: token, current: s.oneTime, password: 'my very own passphrase', confirm: 'my very own passphrase' });
    assert.equal(ch.status, 303);
    assert.equal((await b.get('/admin/')).status, 200);
    // the one-time password is spent
    assert.equal((await new Browser(own).login('admin', s.oneTime)).status, 200);
  } finally {
    await own.stop();
    rmSync(s.root, { recursive: true, force: true });
  }
});

test('the UI follows the user\'s language (Chinese)', async () => {
  const b = await loggedIn(srv, 'ed', PW);
  const token = await b.csrf('/admin/profile');
  assert.equal((await b.post('/admin/profile', { _csrf: token, ui_lang: 'zh-CN' })).status, 303);
  const dash = await b.get('/admin/');
  assert.match(dash.body, /<html lang="zh-CN">/);
  assert.match(dash.body, /控制台/);
  assert.equal(dash.headers['content-language'], 'zh-CN');
  const forbidden = await b.get('/admin/users');
  assert.equal(forbidden.status, 403);
  assert.match(forbidden.body, /无权访问/);
  // the switch in the top bar comes back to the page it was used on, if local
  const back = await b.post('/admin/profile', { _csrf: token, ui_lang: 'en', back: '/admin/?lang=zh-CN' });
  assert.equal(back.status, 303);
  assert.equal(back.headers.location, '/admin/?lang=zh-CN');
  const evil = await b.post('/admin/profile', { _csrf: token, ui_lang: 'en', back: '//evil.example/' });
  assert.equal(evil.headers.location, '/admin/profile?msg=saved');
  assert.match((await b.get('/admin/')).body, /<html lang="en">/);
});
