// The admin API: bearer tokens made by `masthead token add` (printed once,
// stored hashed, scoped, expiring, revocable) and JSON writes of entries,
// columns and media with the admin's roles, grants, sanitiser and audit
// log; CSRF checks for cookie sessions only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { run, get, text, request as rawRequest } from './helpers.mjs';
import { startSite, request, loggedIn, addUser } from './admin_accounts_lib.mjs';
import { check, assertAllCalled } from './openapi_lib.mjs';

let srv;
let NEWS, ZH_NEWS, ABOUT, EN;
const sql = (stmt) => {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

function token(user, ...args) {
  const r = run(['token', 'add', srv.site, user, ...args]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const tok = lines[lines.length - 1];
  assert.match(tok, /^[A-Za-z0-9_-]{43}$/, 'the token alone on the last line');
  return tok;
}

async function call(method, target, { tok, body, headers = {} } = {}) {
  const h = { ...headers };
  if (tok) h.Authorization = `Bearer ${tok}`;
  let payload = null;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  const res = await request(srv, method, `/api/v1${target}`, { headers: h, body: payload });
  let json = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    /* not JSON */
  }
  // every answer is checked against the OpenAPI document's schema for it
  const route = target.split('?')[0].replace(/\/\d+/g, '/{id}');
  if (json && !(method === 'GET' && route !== '/me')) check(method, route, res.status, json);
  return { status: res.status, headers: res.headers, json, body: res.body };
}

// A 2x2 PNG, made here.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  srv = await startSite();
  EN = sql("SELECT id FROM languages WHERE code = 'en'");
  NEWS = Number(sql(`SELECT id FROM columns WHERE lang_id = ${EN} AND parent_id IS NULL AND slug = 'news'`));
  ABOUT = Number(sql(`SELECT id FROM columns WHERE lang_id = ${EN} AND parent_id IS NULL AND slug = 'about'`));
  ZH_NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'zh-CN' AND c.slug = 'news' AND c.parent_id IS NULL"));
  addUser(srv.site, 'greta', 'editor', 'violet window tuesday harbor');
  addUser(srv.site, 'carl', 'contributor', 'copper lantern misty orchard');
  const gid = sql("SELECT id FROM users WHERE name = 'greta'");
  sql(`INSERT INTO grants (user_id, column_id, lang_id) VALUES (${gid}, ${NEWS}, ${EN})`);
});

after(async () => {
  if (srv) await srv.stop();
});

test('token add: printed once, stored hashed, acts as its user', async () => {
  const tok = token('admin', '--name', 'ci');
  assert.equal(sql(`SELECT count(*) FROM api_tokens WHERE token_hash = '${tok}'`), '0');
  assert.equal(sql('SELECT count(*) FROM api_tokens'), '1');
  assert.ok(!sql('SELECT group_concat(token_hash) FROM api_tokens').includes(tok));
  const me = await call('GET', '/me', { tok });
  assert.equal(me.status, 200);
  assert.equal(me.json.name, 'admin');
  assert.equal(me.json.role, 'admin');
  const none = await call('GET', '/me');
  assert.equal(none.status, 401);
  assert.equal(none.json.error.code, 'no_token');
  assert.match(none.headers['www-authenticate'], /Bearer/);
  const wrong = await call('GET', '/me', { tok: 'A'.repeat(43) });
  assert.equal(wrong.status, 401);
  assert.equal(run(['token', 'add', srv.site, 'nobody']).status, 2, 'unknown user');
  assert.equal(run(['token', 'add', srv.site, 'admin', '--scope', 'all']).status, 2, 'bad scope');
  const list = run(['token', 'list', srv.site]);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /admin +write/);
  assert.ok(!list.stdout.includes(tok), 'list never shows a token');
});

test('entries: create (sanitised), update, publish, delete; public at once; audited', async () => {
  const tok = token('admin');
  const made = await call('POST', '/entries', {
    tok,
    body: { column_id: NEWS, title: 'API <b>news</b>', body_html: '<p onclick="x()">Body <script>alert(1)</script><a href="javascript:alert(1)">l</a></p>', status: 'published', publish_at: '2026-01-02T03:04:05Z' },
  });
  assert.equal(made.status, 201, made.body);
  assert.equal(made.json.status, 'published');
  assert.equal(made.json.publish_at, '2026-01-02T03:04:05Z', 'to the second');
  assert.doesNotMatch(made.json.body_html, /script|onclick|javascript/);
  const page = await get(srv, `/news/${made.json.slug}.html`);
  assert.equal(page.status, 200);
  assert.ok(text(page).includes('API &lt;b&gt;news&lt;/b&gt;'), 'the title is escaped on the page');
  const pub = JSON.parse(text(await get(srv, `/api/v1/entries/${made.json.id}`)));
  assert.equal(pub.id, made.json.id, 'and in the public API');

  const draft = await call('POST', '/entries', { tok, body: { column_id: NEWS, title: 'A draft' } });
  assert.equal(draft.status, 201);
  assert.equal(draft.json.status, 'draft');
  assert.equal((await get(srv, `/api/v1/entries/${draft.json.id}`)).status, 404, 'a draft is not public');
  const upd = await call('PATCH', `/entries/${draft.json.id}`, { tok, body: { title: 'A draft, renamed', summary: 'Now with a summary' } });
  assert.equal(upd.status, 200);
  assert.equal(upd.json.title, 'A draft, renamed');
  assert.equal(sql(`SELECT summary FROM entries WHERE id = ${draft.json.id}`), 'Now with a summary');
  const published = await call('POST', `/entries/${draft.json.id}/publish`, { tok });
  assert.equal(published.status, 200);
  assert.equal(published.json.status, 'published');
  assert.equal((await get(srv, `/api/v1/entries/${draft.json.id}`)).status, 200);
  const gone = await call('DELETE', `/entries/${draft.json.id}`, { tok });
  assert.equal(gone.status, 200);
  assert.notEqual(sql(`SELECT deleted_at FROM entries WHERE id = ${draft.json.id}`), '', 'in the recycle bin');
  assert.equal((await call('DELETE', `/entries/${draft.json.id}`, { tok })).status, 404);
  const actions = sql("SELECT group_concat(action, ',') FROM audit_log WHERE detail = 'api' OR action = 'entry.trash'");
  for (const a of ['entry.create', 'entry.publish', 'entry.update', 'entry.trash']) assert.ok(actions.includes(a), `${a} audited: ${actions}`);
  assert.ok(Number(sql(`SELECT count(*) FROM revisions WHERE entry_id = ${draft.json.id}`)) >= 2, 'revisions recorded');

  // bad input
  for (const [body, status] of [['not json', 400], [{ title: 'no column' }, 400], [{ column_id: NEWS }, 422], [{ column_id: NEWS, title: 'x', status: 'gone' }, 400], [{ column_id: ABOUT, title: 'x' }, 422], [{ column_id: NEWS, title: 5 }, 400], [{ column_id: NEWS, title: 'x', status: 'scheduled' }, 422]]) {
    const r = await call('POST', '/entries', { tok, body });
    assert.equal(r.status, status, JSON.stringify(body));
    assert.ok(r.json && r.json.error, 'a JSON error');
  }
  assert.equal((await call('PATCH', '/entries/999999', { tok, body: {} })).status, 404);
});

test('roles and grants apply as in the admin; scopes, expiry and revocation', async () => {
  const greta = token('greta');
  const inNews = await call('POST', '/entries', { tok: greta, body: { column_id: NEWS, title: 'Greta writes news', status: 'published' } });
  assert.equal(inNews.status, 201);
  const outside = await call('POST', '/entries', { tok: greta, body: { column_id: ZH_NEWS, title: '越权' } });
  assert.equal(outside.status, 403, 'a column outside her grants');
  const carl = token('carl');
  const carlPub = await call('POST', '/entries', { tok: carl, body: { column_id: NEWS, title: 'Carl publishes', status: 'published' } });
  assert.equal(carlPub.status, 403, 'a contributor may not publish');
  const carlDraft = await call('POST', '/entries', { tok: carl, body: { column_id: NEWS, title: 'Carl drafts' } });
  assert.equal(carlDraft.status, 201);
  assert.equal((await call('POST', '/columns', { tok: carl, body: { lang_id: Number(EN), name: 'Nope', type: 'article' } })).status, 403, 'columns need an editor');

  const reader = token('admin', '--scope', 'read');
  assert.equal((await call('GET', '/me', { tok: reader })).status, 200);
  const ro = await call('POST', '/entries', { tok: reader, body: { column_id: NEWS, title: 'x' } });
  assert.equal(ro.status, 403);
  assert.equal(ro.json.error.code, 'read_only_token');

  const short = token('admin', '--expires', '1');
  assert.equal((await call('GET', '/me', { tok: short })).status, 200);
  sql("UPDATE api_tokens SET expires_at = strftime('%s','now') - 1 WHERE expires_at > 0");
  assert.equal((await call('GET', '/me', { tok: short })).status, 401, 'expired');

  const revocable = token('admin');
  const id = sql('SELECT max(id) FROM api_tokens');
  assert.equal(run(['token', 'revoke', srv.site, id]).status, 0);
  assert.equal((await call('GET', '/me', { tok: revocable })).status, 401, 'revoked');
  assert.equal(run(['token', 'revoke', srv.site, '999999']).status, 2);
  sql("UPDATE users SET disabled = 1 WHERE name = 'greta'");
  assert.equal((await call('GET', '/me', { tok: greta })).status, 401, 'a disabled user');
});

test('columns and media', async () => {
  const tok = token('admin');
  const col = await call('POST', '/columns', { tok, body: { lang_id: Number(EN), name: 'From API', slug: 'from-api', type: 'article', page_size: 5 } });
  assert.equal(col.status, 201, col.body);
  assert.equal(col.json.path, 'from-api');
  const sub = await call('POST', '/columns', { tok, body: { parent_id: col.json.id, name: 'Sub', slug: 'sub', type: 'page', body_html: '<p>Sub page<script>x</script></p>' } });
  assert.equal(sub.status, 201);
  assert.equal(sub.json.path, 'from-api/sub');
  assert.doesNotMatch(sql(`SELECT body_html FROM columns WHERE id = ${sub.json.id}`), /script/);
  assert.equal((await get(srv, '/from-api/sub/')).status, 200);
  const ren = await call('PATCH', `/columns/${col.json.id}`, { tok, body: { name: 'Renamed' } });
  assert.equal(ren.status, 200);
  assert.equal(ren.json.name, 'Renamed');
  assert.equal((await call('POST', '/columns', { tok, body: { lang_id: Number(EN), name: 'Bad', type: 'nonsense' } })).status, 400);
  const full = await call('POST', '/columns', { tok, body: { lang_id: Number(EN), name: 'Holds entries', slug: 'holds', type: 'article' } });
  assert.equal((await call('POST', '/entries', { tok, body: { column_id: full.json.id, title: 'Kept' } })).status, 201);
  assert.equal((await call('DELETE', `/columns/${full.json.id}`, { tok })).status, 409, 'not while it holds entries');
  assert.equal((await call('DELETE', `/columns/${col.json.id}`, { tok })).status, 200, 'with its empty sub-column');
  assert.equal(sql(`SELECT count(*) FROM columns WHERE id IN (${col.json.id}, ${sub.json.id})`), '0');
  assert.equal((await call('DELETE', `/columns/${col.json.id}`, { tok })).status, 404);

  const boundary = 'mhboundary42';
  const file = png();
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dot.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await call('POST', '/media', { tok, body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(up.status, 201, up.body);
  assert.equal(up.json.mime, 'image/png');
  assert.equal((await get(srv, up.json.url)).status, 200, 'served from the media library');
  const html = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.html"\r\n\r\n<script>alert(1)</script>\r\n--${boundary}--\r\n`);
  assert.equal((await call('POST', '/media', { tok, body: html, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } })).status, 422, 'no HTML uploads');
});

test('cookie sessions need the CSRF token and the same origin; tokens do not', async () => {
  const b = await loggedIn(srv);
  const cookie = b.cookieHeader();
  const me = await call('GET', '/me', { headers: { Cookie: cookie } });
  assert.equal(me.status, 200, 'a signed-in admin may read with the cookie');
  const noCsrf = await call('POST', '/entries', { body: { column_id: NEWS, title: 'x' }, headers: { Cookie: cookie, Origin: b.origin } });
  assert.equal(noCsrf.status, 403);
  const crossSite = await call('POST', '/entries', { body: { column_id: NEWS, title: 'x' }, headers: { Cookie: cookie, Origin: 'https://evil.example' } });
  assert.equal(crossSite.status, 403);
  const dash = await b.get('/admin/');
  const csrf = dash.body.match(/name="csrf-token" content="([^"]+)"/) || dash.body.match(/name="_csrf" value="([^"]+)"/);
  assert.ok(csrf, 'the admin page carries the CSRF token');
  const ok = await call('POST', '/entries', { body: { column_id: NEWS, title: 'With the cookie' }, headers: { Cookie: cookie, Origin: b.origin, 'X-CSRF-Token': csrf[1] } });
  assert.equal(ok.status, 201, ok.body);
  const tok = token('admin');
  const fromAnywhere = await call('POST', '/entries', { tok, body: { column_id: NEWS, title: 'Token, no origin' } });
  assert.equal(fromAnywhere.status, 201, 'no Origin needed with a token');
});

test('refusals are JSON errors, as documented', async () => {
  const tok = token('admin');
  const reader = token('admin', '--scope', 'read');
  const carl = token('carl');
  assert.equal((await call('POST', '/entries', { body: { column_id: NEWS, title: 'x' } })).status, 401);
  const e = await call('POST', '/entries', { tok, body: { column_id: NEWS, title: 'For refusals' } });
  assert.equal(e.status, 201);
  for (const [m, t, body] of [['PATCH', `/entries/${e.json.id}`, {}], ['DELETE', `/entries/${e.json.id}`], ['POST', `/entries/${e.json.id}/publish`], ['PATCH', `/columns/${NEWS}`, {}], ['DELETE', `/columns/${NEWS}`], ['POST', '/media', undefined]]) {
    const r = await call(m, t, { tok: reader, body });
    assert.equal(r.status, 403, `${m} ${t} with a read token`);
    assert.equal(r.json.error.code, 'read_only_token');
  }
  assert.equal((await call('PATCH', `/columns/${NEWS}`, { tok: carl, body: { name: 'x' } })).status, 403, 'a contributor edits no column');
  assert.equal((await call('PATCH', `/entries/${e.json.id}`, { tok, body: 'not json' })).status, 400);
  assert.equal((await call('PATCH', `/entries/${e.json.id}`, { tok, body: { title: '' } })).status, 422);
  assert.equal((await call('POST', '/entries/999999/publish', { tok })).status, 404);
  assert.equal((await call('PATCH', '/columns/999999', { tok, body: { name: 'x' } })).status, 404);
  assert.equal((await call('DELETE', '/columns/999999', { tok })).status, 404);
  assert.equal((await call('POST', '/columns', { tok, body: { parent_id: 999999, name: 'Orphan', type: 'article' } })).status, 422);
  const other = await call('POST', '/columns', { tok, body: { lang_id: Number(EN), name: 'Other', slug: 'other-col', type: 'article' } });
  assert.equal((await call('PATCH', `/columns/${other.json.id}`, { tok, body: { name: '' } })).status, 422, 'a column needs a name');
  const boundary = 'mhb7';
  const noFile = await call('POST', '/media', { tok, body: `--${boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--${boundary}--\r\n`, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(noFile.status, 400);
  // announced larger than the route's limit: refused before it is read
  const huge = await rawRequest(srv, 'POST', '/api/v1/media', { headers: { Authorization: `Bearer ${tok}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(64 << 20) }, body: Buffer.alloc(0) });
  assert.equal(huge.status, 413, 'refused before it is read');
  check('POST', '/media', 413, null);
});

test('every documented admin operation and response was exercised', () => {
  assertAllCalled((m, route) => m !== 'get' || route === '/me');
});
