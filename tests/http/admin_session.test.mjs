// The editor's session helpers (src/admin/session.c): the keep-alive
// POST /admin/session/ping (CSRF-checked; extends the session only when
// called, so an unused tab still expires), GET /admin/session/csrf (the
// current session's token, for saving again after signing in in a second
// window) and the page that second window's sign-in ends on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, csrfFrom, loggedIn, sleep, startSite } from './admin_accounts_lib.mjs';

test('ping and csrf need a session; ping needs the token', async () => {
  const srv = await startSite();
  try {
    const anon = new Browser(srv);
    assert.equal((await anon.post('/admin/session/ping', {})).status, 403);
    const r = await anon.get('/admin/session/csrf');
    assert.equal(r.status, 303, 'a GET without session goes to the login');
    const b = await loggedIn(srv);
    const page = await b.get('/admin/');
    const token = csrfFrom(page.body) || (await b.csrf('/admin/profile'));
    assert.ok(token);
    assert.equal((await b.post('/admin/session/ping', {})).status, 403, 'no token');
    assert.equal((await b.post('/admin/session/ping', { _csrf: 'x'.repeat(token.length) })).status, 403);
    const ok = await b.post('/admin/session/ping', {}, { headers: { 'X-CSRF-Token': token } });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { ok: true });
    assert.match(ok.headers['cache-control'] || '', /no-store/);
    const c = await b.get('/admin/session/csrf', { Accept: 'application/json' });
    assert.equal(c.status, 200);
    assert.match(c.headers['content-type'], /application\/json/);
    assert.equal(JSON.parse(c.body).csrf, token);
    // a new session (signing in again) has a new token, and the endpoint
    // gives it: a page still holding the old one can refresh it
    const b2 = await loggedIn(srv);
    const t2 = JSON.parse((await b2.get('/admin/session/csrf')).body).csrf;
    assert.notEqual(t2, token);
    assert.equal((await b2.post('/admin/session/ping', { _csrf: token })).status, 403);
    assert.equal((await b2.post('/admin/session/ping', { _csrf: t2 })).status, 200);
  } finally {
    await srv.stop();
  }
});

test('pings keep an active session alive; without them it expires', async () => {
  const srv = await startSite({ env: { MH_SESSION_IDLE: '2' } });
  try {
    const b = await loggedIn(srv);
    const token = JSON.parse((await b.get('/admin/session/csrf')).body).csrf;
    for (let i = 0; i < 4; i++) {
      await sleep(1000);
      assert.equal((await b.post('/admin/session/ping', { _csrf: token })).status, 200, `ping ${i}`);
    }
    // 4 s after signing in, past the 2 s idle limit: still signed in
    assert.equal((await b.get('/admin/session/csrf')).status, 200);
    await sleep(3200);
    assert.equal((await b.post('/admin/session/ping', { _csrf: token })).status, 403, 'idle: expired');
  } finally {
    await srv.stop();
  }
});

test('signing in with next=/admin/session/signed-in ends on a page that closes itself', async () => {
  const srv = await startSite();
  try {
    const b = new Browser(srv);
    const login = await b.get('/admin/login?next=%2Fadmin%2Fsession%2Fsigned-in');
    assert.match(login.body, /name="next" value="\/admin\/session\/signed-in"/);
    const res = await b.login('admin', 'correct horse battery staple', { next: '/admin/session/signed-in' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/admin/session/signed-in');
    const page = await b.get('/admin/session/signed-in');
    assert.equal(page.status, 200);
    assert.match(page.body, /data-mh-signed-in/);
    assert.match(page.body, /<script src="\/admin\/assets\/session\.js\?v=[^"]+" defer><\/script>/);
    assert.match(page.body, /Return to your tab/i);
  } finally {
    await srv.stop();
  }
});

// The setting embed_hosts is the sanitiser's iframe allow-list for saved
// bodies: listed https hosts stay (sandboxed), others and http go.
test('iframes survive a save only from the hosts of embed_hosts', async () => {
  const { execFileSync } = await import('node:child_process');
  const { rmSync } = await import('node:fs');
  const pathMod = await import('node:path');
  const { initSite, setPassword, serve, ADMIN_PW } = await import('./admin_accounts_lib.mjs');
  const s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  const db = pathMod.join(s.site, 'site.db');
  const sql = (q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
  sql("INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'embed_hosts', 'player.bilibili.com, WWW.Example-Video.cn');");
  const col = sql("SELECT id FROM columns WHERE slug = 'news' AND lang_id = 1;");
  const srv = await serve(s.site);
  try {
    const b = await loggedIn(srv);
    const token = JSON.parse((await b.get('/admin/session/csrf')).body).csrf;
    const body = '<iframe src="https://player.bilibili.com/player.html?bvid=1"></iframe>'
      + '<iframe src="https://www.example-video.cn/e/2"></iframe>'
      + '<iframe src="https://evil.example/x"></iframe><iframe src="http://player.bilibili.com/y"></iframe><p>end</p>';
    const res = await b.post('/admin/entries/new', { _csrf: token, title: 'Embeds', column_id: col, status: 'draft', body });
    assert.equal(res.status, 303, res.body.slice(0, 200));
    const id = res.headers.location.match(/\/entries\/(\d+)/)[1];
    const saved = sql(`SELECT body_html FROM entries WHERE id = ${id};`);
    assert.match(saved, /<iframe src="https:\/\/player\.bilibili\.com\/player\.html\?bvid=1"[^>]*sandbox=/);
    assert.match(saved, /<iframe src="https:\/\/www\.example-video\.cn\/e\/2"/);
    assert.doesNotMatch(saved, /evil\.example|http:\/\/player/);
    assert.equal((saved.match(/<iframe/g) || []).length, 2);
  } finally {
    await srv.stop();
    rmSync(s.root, { recursive: true, force: true });
  }
});
