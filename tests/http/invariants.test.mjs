// Invariants held below the admin, seen from outside: writes that change
// nothing public keep the page cache, URL fields refuse script URLs with a
// message in the admin's language, every save leaves its audit line, and
// uploads interrupted by kill -9 leave no orphan or temporary file once the
// server has started again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BIN, SEED, get, run, startDemo, startServer, text, request, cookieValue } from './helpers.mjs';

const PASSWORD = 'correct horse battery staple 42';

function sql(site, stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const origin = (srv) => `http://${srv.host}:${srv.port}`;
const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];

function addUser(site, name, role) {
  const r = run(['user', 'add', site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
  if (r.status !== 0) throw new Error(`user add ${name}: ${r.stderr}`);
}

async function loginForm(srv, name, password) {
  const page = await request(srv, 'GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const form = new URLSearchParams({ name, password, _csrf: csrfIn(page.text()) }).toString();
  return request(srv, 'POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(srv), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}

async function login(srv, name) {
  const res = await loginForm(srv, name, PASSWORD);
  assert.equal(res.status, 303, `login of ${name}: ${res.text()}`);
  const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  const home = await request(srv, 'GET', '/admin/entries', { headers: { Cookie: cookie } });
  assert.equal(home.status, 200);
  return { cookie, csrf: csrfIn(home.text()) };
}

function post(srv, user, target, fields, extra = {}) {
  const form = new URLSearchParams({ _csrf: user.csrf, ...fields }).toString();
  return request(srv, 'POST', target, {
    headers: { Cookie: user.cookie, Origin: origin(srv), 'Content-Type': 'application/x-www-form-urlencoded', ...extra },
    body: form,
  });
}

test('sign-ins, failed or not, keep the page cache; a public change does not', async () => {
  const srv = await startDemo();
  try {
    addUser(srv.site, 'root', 'admin');
    const slug = 'li-gang-led-a-team-to-visit-beijing-and-shanghai';
    // the scheduler's first tick (about a second after start) looks back to
    // the beginning of time and starts a new generation once
    await sleep(1600);
    const first = await get(srv, SEED);
    assert.equal(first.status, 200);
    const title = sql(srv.site, `SELECT title FROM entries WHERE slug = '${slug}'`);
    assert.match(text(first), new RegExp(title.slice(0, 20)));
    // Change the row behind the server's back without moving the content
    // generation: only a dropped cache would show it.
    sql(srv.site, `BEGIN; UPDATE entries SET title = 'Sneaky Unannounced Title' WHERE slug = '${slug}';` +
      ' UPDATE content_generation SET value = value - 1; COMMIT;');
    await sleep(1300);
    assert.doesNotMatch(text(await get(srv, SEED)), /Sneaky Unannounced Title/, 'nothing noticed yet');
    // An anonymous failed sign-in (audit row, throttling) and a real one
    // (session row): the poll runs about once a second.
    assert.notEqual((await loginForm(srv, 'root', 'wrong password')).status, 303);
    const root = await login(srv, 'root');
    // a draft saved through the editor (entry, revision, audit line)
    const col = sql(srv.site, "SELECT id FROM columns WHERE module = 'article' ORDER BY id LIMIT 1");
    const draft = await post(srv, root, '/admin/entries/new', { title: 'Quiet draft', column_id: col, status: 'draft', body: '<p>d</p>' });
    assert.equal(draft.status, 303, draft.text().slice(0, 300));
    await sleep(1500);
    assert.doesNotMatch(text(await get(srv, SEED)), /Sneaky Unannounced Title/, 'cache kept');
    assert.ok(Number(sql(srv.site, "SELECT count(*) FROM audit_log WHERE action = 'login.fail'")) >= 1);
    // A change to public content from another process moves the counter
    // (triggers), and the server notices it.
    sql(srv.site, "UPDATE settings SET value = 'Tagline From A Script' WHERE key = 'site_name' AND lang_id IS NULL");
    await sleep(1500);
    const after = text(await get(srv, SEED));
    assert.match(after, /Sneaky Unannounced Title/);
  } finally {
    await srv.stop();
  }
});

test('a script URL in the cover is refused with a message in the admin language', async () => {
  const srv = await startDemo();
  try {
    addUser(srv.site, 'root', 'admin');
    const root = await login(srv, 'root');
    const col = sql(srv.site, "SELECT id FROM columns WHERE module = 'article' ORDER BY id LIMIT 1");
    const vectors = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\tjavascript:alert(1)',
      'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x.png',
      'javascript&#58;alert(1)', '/\\evil.example/x.png'];
    for (const cover of vectors) {
      const res = await post(srv, root, '/admin/entries/new', { title: 'Bad cover', column_id: col, status: 'published', cover });
      assert.equal(res.status, 422, `${JSON.stringify(cover)} refused`);
      assert.match(res.text(), /The cover must be an http\(s\) address/);
    }
    assert.equal(sql(srv.site, "SELECT count(*) FROM entries WHERE title = 'Bad cover'"), '0');
    // in Chinese for a Chinese admin
    sql(srv.site, "UPDATE users SET ui_lang = 'zh-CN' WHERE name = 'root'");
    const zh = await post(srv, root, '/admin/entries/new', { title: 'Bad cover', column_id: col, status: 'draft', cover: 'javascript:alert(1)' });
    assert.equal(zh.status, 422);
    assert.match(zh.text(), /封面必须是/);
    // a good cover is stored, with its revision and audit line
    const ok = await post(srv, root, '/admin/entries/new', { title: 'Good cover', column_id: col, status: 'draft', cover: '/media/ab/x.jpg' });
    assert.equal(ok.status, 303, ok.text().slice(0, 300));
    const id = ok.headers.location.match(/entries\/(\d+)/)[1];
    assert.equal(sql(srv.site, `SELECT cover FROM entries WHERE id = ${id}`), '/media/ab/x.jpg');
    assert.equal(sql(srv.site, `SELECT count(*) FROM revisions WHERE entry_id = ${id}`), '1');
    assert.equal(sql(srv.site, `SELECT count(*) FROM audit_log WHERE object = 'entry:${id}' AND action = 'entry.create'`), '1');
    // a link column with a script URL is refused the same way
    const link = await post(srv, root, '/admin/columns/new', { name: 'Bad link', module: 'link', link_url: 'JAVASCRIPT:alert(1)', lang_id: '1', page_size: '10' });
    assert.equal(link.status, 422);
    assert.equal(sql(srv.site, "SELECT count(*) FROM columns WHERE name = 'Bad link'"), '0');
  } finally {
    await srv.stop();
  }
});

test('a failing audit insert fails the save: no entry, no revision', async () => {
  const srv = await startDemo();
  try {
    addUser(srv.site, 'root', 'admin');
    const root = await login(srv, 'root');
    const col = sql(srv.site, "SELECT id FROM columns WHERE module = 'article' ORDER BY id LIMIT 1");
    sql(srv.site, "CREATE TRIGGER no_entry_audit BEFORE INSERT ON audit_log WHEN new.action LIKE 'entry.%' " +
      "BEGIN SELECT RAISE(ABORT, 'audit refused'); END;");
    const before = sql(srv.site, 'SELECT count(*) FROM revisions');
    const res = await post(srv, root, '/admin/entries/new', { title: 'Unaudited', column_id: col, status: 'published', body: '<p>x</p>' });
    assert.equal(res.status, 422);
    assert.equal(sql(srv.site, "SELECT count(*) FROM entries WHERE title = 'Unaudited'"), '0');
    assert.equal(sql(srv.site, 'SELECT count(*) FROM revisions'), before);
    sql(srv.site, 'DROP TRIGGER no_entry_audit');
    const ok = await post(srv, root, '/admin/entries/new', { title: 'Audited', column_id: col, status: 'published', body: '<p>x</p>' });
    assert.equal(ok.status, 303);
    assert.equal(sql(srv.site, "SELECT count(*) FROM audit_log WHERE action IN ('entry.create', 'entry.publish')" +
      " AND object = (SELECT 'entry:' || id FROM entries WHERE title = 'Audited')"), '2');
  } finally {
    await srv.stop();
  }
});

// ---- uploads and kill -9 ----

function png(w, h) {
  const raw = crypto.randomBytes((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

function uploadBody(csrf, data) {
  const boundary = `----mh${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="crash.png"\r\nContent-Type: image/png\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

// Every file under media/ with a verdict: temporary, orphan or owned.
function mediaFiles(site) {
  const media = path.join(site, 'media');
  const stored = new Set(sql(site, 'SELECT stored_name FROM media').split('\n').filter(Boolean));
  const stems = new Set([...stored].map((s) => s.slice(0, 33)));
  const out = { temp: [], orphan: [], owned: 0 };
  const tmp = path.join(media, '.tmp');
  if (existsSync(tmp)) out.temp.push(...readdirSync(tmp));
  for (const sub of readdirSync(media)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const name of readdirSync(path.join(media, sub))) {
      const rel = `${sub}/${name}`;
      if (name.startsWith('.tmp-')) out.temp.push(rel);
      else if (stored.has(rel) || (stems.has(rel.slice(0, 33)) && /-\d+\.webp$/.test(name))) out.owned++;
      else out.orphan.push(rel);
    }
  }
  return out;
}

test('uploads killed with kill -9 at random moments leave no orphan or temporary file after restart', async () => {
  const srv0 = await startDemo();
  const site = srv0.site;
  let srv = srv0;
  try {
    addUser(site, 'root', 'admin');
    const user = await login(srv, 'root');
    const img = png(900, 700); // re-encoding and the variants take a while
    // how long one upload takes here, to spread the kills over all of it
    const t = Date.now();
    const full = uploadBody(user.csrf, img);
    const one = await request(srv, 'POST', '/admin/media', {
      headers: { Cookie: user.cookie, Origin: origin(srv), 'Content-Type': full.type, Accept: 'application/json' },
      body: full.body,
    });
    assert.equal(one.status, 201, one.text());
    const span = Math.max(50, Math.round((Date.now() - t) * 1.2));
    console.log(`# one upload: ${Date.now() - t} ms`);
    let completed = 0;
    const ROUNDS = 14;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) srv = await startServer(site);
      const mp = uploadBody(user.csrf, img);
      const t0 = Date.now();
      const req = request(srv, 'POST', '/admin/media', {
        headers: { Cookie: user.cookie, Origin: origin(srv), 'Content-Type': mp.type, Accept: 'application/json' },
        body: mp.body,
      }).then((r) => { if (r.status === 201) completed++; if (round === 0) console.log(`# ${r.status} after ${Date.now() - t0} ms`); }, () => {});
      // from "while the body arrives" to "after the files are written"
      // odd rounds anywhere, even rounds near the end (files written, row
      // not yet committed)
      await sleep(Math.floor(round % 2 ? Math.random() * span : span * (0.6 + 0.4 * Math.random())));
      const exited = new Promise((r) => srv.child.once('exit', r));
      srv.child.kill('SIGKILL');
      await exited;
      await req;
    }
    // What older versions left: a temporary beside the files, a stored
    // file and a variant without a row.
    mkdirSync(path.join(site, 'media', 'fe'), { recursive: true });
    writeFileSync(path.join(site, 'media', 'fe', '.tmp-0123456789abcdef01234567'), 'partial');
    writeFileSync(path.join(site, 'media', 'fe', `${'0'.repeat(30)}.png`), 'orphan');
    writeFileSync(path.join(site, 'media', 'fe', `${'0'.repeat(30)}-320.webp`), 'orphan variant');
    writeFileSync(path.join(site, 'media', 'fe', 'README'), 'not a media name: left alone');
    const beforeStart = mediaFiles(site);
    console.log(`# before restart: ${beforeStart.temp.length} temporary, ${beforeStart.orphan.length - 3} orphan files from killed uploads`);
    assert.ok(beforeStart.orphan.length >= 2, 'the planted orphans are seen');
    srv = await startServer(site);
    // a clean upload still works after recovery
    const mp = uploadBody(user.csrf, png(200, 100));
    const res = await request(srv, 'POST', '/admin/media', {
      headers: { Cookie: user.cookie, Origin: origin(srv), 'Content-Type': mp.type, Accept: 'application/json' },
      body: mp.body,
    });
    assert.equal(res.status, 201, res.text());
    await srv.stop();
    srv = null;
    const after = mediaFiles(site);
    assert.deepEqual(after.temp, [], 'no temporary file');
    assert.deepEqual(after.orphan, ['fe/README'], 'no orphan media file');
    assert.ok(after.owned >= 1);
    // every row still has its file
    for (const s of sql(site, 'SELECT stored_name FROM media').split('\n').filter(Boolean))
      assert.ok(existsSync(path.join(site, 'media', s)), `${s} exists`);
    console.log(`# ${completed} of ${ROUNDS} killed uploads had completed`);
  } finally {
    if (srv && srv !== srv0 && srv.child.exitCode === null && srv.child.signalCode === null) await srv.stop();
    rmSync(srv0.root, { recursive: true, force: true });
  }
});

// ---- out of space ----

// Start the server through sh with SIGXFSZ ignored and a file size limit
// just above the database's current size: a large save then cannot be
// written (the WAL append stops at the limit), as on a full disk.
function startLimited(site, limitBytes) {
  return new Promise((resolve, reject) => {
    const blocks = Math.ceil(limitBytes / 512);
    const child = spawn('sh', ['-c', `trap '' XFSZ; ulimit -f ${blocks}; exec "$0" serve "$1" --listen 127.0.0.1:0`, BIN, site],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s/]+)\//);
      if (m) {
        const url = new URL(m[1]);
        resolve({
          child, site, host: url.hostname, port: Number(url.port), stderr: () => err,
          stop: () => new Promise((res) => { child.once('exit', res); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`limited server exited with ${code}: ${err}`)));
  });
}

test('a save that does not fit answers 507 in the admin language and stores nothing', async () => {
  const srv0 = await startDemo();
  const site = srv0.site;
  let srv = null;
  try {
    addUser(site, 'root', 'admin');
    const root = await login(srv0, 'root');
    const col = sql(site, "SELECT id FROM columns WHERE module = 'article' ORDER BY id LIMIT 1");
    await new Promise((r) => { srv0.child.once('exit', r); srv0.child.kill('SIGTERM'); });
    sql(site, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const size = statSync(path.join(site, 'site.db')).size;
    srv = await startLimited(site, size + 96 * 1024);
    const body = `<p>${'All work and no play makes a full disk. '.repeat(18000)}</p>`; // ~700 KB
    const revisions = sql(site, 'SELECT count(*) FROM revisions');
    const res = await post(srv, root, '/admin/entries/new', { title: 'Too big for the disk', column_id: col, status: 'draft', body });
    assert.equal(res.status, 507, res.text().slice(0, 400));
    assert.match(res.text(), /The disk is full: nothing was saved\./);
    assert.equal(sql(site, "SELECT count(*) FROM entries WHERE title = 'Too big for the disk'"), '0');
    assert.equal(sql(site, 'SELECT count(*) FROM revisions'), revisions);
    // in Chinese for a Chinese admin
    sql(site, "UPDATE users SET ui_lang = 'zh-CN' WHERE name = 'root'");
    const zh = await post(srv, root, '/admin/entries/new', { title: 'Too big for the disk', column_id: col, status: 'draft', body });
    assert.equal(zh.status, 507);
    assert.match(zh.text(), /磁盘已满/);
    // a small save still fits
    const small = await post(srv, root, '/admin/entries/new', { title: 'Small enough', column_id: col, status: 'draft', body: '<p>ok</p>' });
    assert.equal(small.status, 303, small.text().slice(0, 300));
  } finally {
    if (srv) await srv.stop();
    rmSync(srv0.root, { recursive: true, force: true });
  }
});
