// Admin accounts: login throttling, session expiry, Secure cookies behind a
// trusted proxy. Session lifetimes are shortened with the environment
// variables MH_SESSION_IDLE and MH_SESSION_MAX (seconds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_PW, Browser, loggedIn, request, sleep, startSite } from './admin_accounts_lib.mjs';

test('after a few failures an account is locked: 429 at once, without hashing', async () => {
  const srv = await startSite();
  try {
    const b = new Browser(srv);
    let slow = 0;
    // five free failures, the sixth starts a lock
    for (let i = 0; i < 6; i++) {
      const r = await b.login('admin', `wrong password number ${i}`);
      assert.equal(r.status, 200, `attempt ${i + 1} is a plain failure`);
      slow = Math.max(slow, r.ms);
    }
    // The sixth failure locks the account for 2 s, each further failure
    // doubles that: on a machine slow enough for a lock to run out between
    // two requests, the next failure is a plain one and starts a longer lock.
    let token;
    let locked;
    for (let k = 0; k < 4; k++) {
      token = await b.csrf('/admin/login');
      locked = await b.post('/admin/login', { _csrf: token, name: 'admin', password: `wrong again ${k}` });
      if (locked.status === 429) break;
      assert.equal(locked.status, 200, 'a failure after the lock ran out is a plain one');
    }
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) >= 1);
    assert.match(locked.body, /Too many failed attempts/);
    // even the right password is refused while locked, and fast
    const t0 = Date.now();
    const right = await b.post('/admin/login', { _csrf: token, name: 'ADMIN', password: ADMIN_PW });
    const ms = Date.now() - t0;
    assert.equal(right.status, 429);
    assert.ok(!right.cookies.some((c) => c.startsWith('mh_session=')));
    assert.ok(ms < Math.max(100, slow / 2), `a locked attempt answers fast (${ms} ms; a hash took up to ${slow} ms)`);
    // unknown accounts cost as much time as known ones
    const t1 = Date.now();
    await new Browser(srv).login('no-such-user', 'whatever whatever');
    assert.ok(Date.now() - t1 >= 50, 'an unknown user still costs a hash');
    // after the delay the right password works again
    await sleep(Number(locked.headers['retry-after']) * 1000 + 200);
    const ok = await b.login('admin', ADMIN_PW);
    assert.equal(ok.status, 303);
  } finally {
    await srv.stop();
  }
});

test('a session ends after the idle time', async () => {
  const srv = await startSite({ env: { MH_SESSION_IDLE: '2' } });
  try {
    const b = await loggedIn(srv);
    assert.equal((await b.get('/admin/')).status, 200);
    await sleep(1000);
    assert.equal((await b.get('/admin/')).status, 200, 'use keeps it alive');
    await sleep(1000);
    assert.equal((await b.get('/admin/')).status, 200, 'use keeps it alive');
    await sleep(3200);
    const r = await b.get('/admin/');
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /^\/admin\/login/);
  } finally {
    await srv.stop();
  }
});

test('a session ends at its absolute limit even when in use', async () => {
  const srv = await startSite({ env: { MH_SESSION_MAX: '3', MH_SESSION_IDLE: '600' } });
  try {
    const b = await loggedIn(srv);
    const sc = (await b.login('admin', ADMIN_PW)).cookies.find((c) => c.startsWith('mh_session='));
    assert.match(sc, /Max-Age=3/);
    for (let i = 0; i < 2; i++) {
      assert.equal((await b.get('/admin/')).status, 200);
      await sleep(1000);
    }
    await sleep(1500);
    assert.equal((await b.get('/admin/')).status, 303);
  } finally {
    await srv.stop();
  }
});

test('Secure cookies only over HTTPS as reported by the trusted proxy', async () => {
  const srv = await startSite({ args: ['--trusted-proxy', '127.0.0.1'] });
  try {
    const https = new Browser(srv, { scheme: 'https', extraHeaders: { 'X-Forwarded-Proto': 'https' } });
    const r = await https.login('admin', ADMIN_PW);
    assert.equal(r.status, 303);
    const sc = r.cookies.find((c) => c.startsWith('mh_session='));
    assert.match(sc, /; Secure/);
    assert.equal((await https.get('/admin/')).status, 200);
    const plain = new Browser(srv);
    const p = await plain.login('admin', ADMIN_PW);
    assert.doesNotMatch(p.cookies.find((c) => c.startsWith('mh_session=')), /Secure/);
  } finally {
    await srv.stop();
  }
  // without --trusted-proxy the header is not believed
  const other = await startSite();
  try {
    const b = new Browser(other, { extraHeaders: { 'X-Forwarded-Proto': 'https' } });
    const r = await b.login('admin', ADMIN_PW);
    assert.doesNotMatch(r.cookies.find((c) => c.startsWith('mh_session=')), /Secure/);
  } finally {
    await other.stop();
  }
});
