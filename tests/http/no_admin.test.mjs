// `serve --no-admin`: the public site alone still serves stored media and
// publishes scheduled entries (with the page cache on), because both belong
// to the public site module. The media file and the scheduled entry are
// made in a first run with the admin on, as a real site would have them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { run, startServer, tempDir, request as sharedRequest, cookieValue } from './helpers.mjs';

const PASSWORD = 'correct horse battery staple 42';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
  'trailer<</Root 1 0 R>>\n%%EOF\n');

let dir, site, srv;
let mediaUrl, publishAt;

const request = (method, target, opts) => sharedRequest(srv, method, target, opts);
const origin = () => `http://${srv.host}:${srv.port}`;
const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];
// the demo site's time zone is +08:00
const siteTime = (t) => new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 19);

async function waitFor(fn, ms) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  dir = tempDir();
  site = path.join(dir, 'site');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const add = run(['user', 'add', site, 'root', '--role', 'admin'], { input: `${PASSWORD}\n${PASSWORD}\n` });
  assert.equal(add.status, 0, add.stderr);

  // first run, with the admin: upload a file, schedule an entry
  srv = await startServer(site);
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const login = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'root', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString(),
  });
  assert.equal(login.status, 303);
  const cookie = `mh_session=${cookieValue(login, 'mh_session')}`;
  const csrf = csrfIn((await request('GET', '/admin/media', { headers: { Cookie: cookie } })).text());

  const boundary = `----mhtest${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'),
    PDF, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await request('POST', '/admin/media', {
    headers: { Cookie: cookie, Origin: origin(), Accept: 'application/json', 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  assert.equal(up.status, 201, up.text());
  mediaUrl = JSON.parse(up.text()).url;
  assert.match(mediaUrl, /^\/media\//);

  const form = await request('GET', '/admin/entries/new', { headers: { Cookie: cookie } });
  const newsId = (form.text().match(/<option value="(\d+)"[^>]*>News( \(en\))?</) || [])[1];
  assert.ok(newsId, 'the News column is offered');
  publishAt = Date.now() + 6000;
  const created = await request('POST', '/admin/entries/new', {
    headers: { Cookie: cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrf, title: 'Launch without admin', slug: 'launch-without-admin', column_id: newsId,
      status: 'scheduled', publish_at: siteTime(publishAt),
    }).toString(),
  });
  assert.equal(created.status, 303, created.text().slice(0, 300));
  await srv.stop();

  // second run: the public site alone, page cache on (the default)
  srv = await startServer(site, ['--no-admin']);
});

after(async () => {
  if (srv) await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('without the admin, /admin is the public 404 and stored media are served', async () => {
  assert.equal((await request('GET', '/admin/')).status, 404);
  assert.equal((await request('GET', '/admin/login')).status, 404);
  const res = await request('GET', mediaUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.ok(res.body.equals(PDF), 'the stored bytes');
  assert.equal((await request('GET', '/media/nothing-here.pdf')).status, 404);
});

test('without the admin, a scheduled entry goes public on time through the page cache', async () => {
  const first = await request('GET', '/news/');
  assert.equal(first.status, 200);
  assert.equal((await request('GET', '/news/')).headers.etag, first.headers.etag, 'cached');
  if (Date.now() < publishAt - 500) {
    assert.doesNotMatch(first.text(), /Launch without admin/);
    assert.equal((await request('GET', '/news/launch-without-admin.html')).status, 404);
  }
  const seen = await waitFor(async () => /Launch without admin/.test((await request('GET', '/news/')).text()),
    Math.max(publishAt - Date.now(), 0) + 2500);
  assert.ok(seen, 'the scheduled entry went public within ~2 s of its time');
  assert.equal((await request('GET', '/news/launch-without-admin.html')).status, 200);
});
