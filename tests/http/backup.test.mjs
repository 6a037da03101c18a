// masthead backup / restore and the admin's backup download: a backup taken
// while the site serves and is written to restores to a consistent site;
// damaged archives and existing sites are refused; only admins may download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, startServer, get, request, cookieValue } from './helpers.mjs';

const PASSWORD = 'correct horse battery staple 42';

function sql(db, q) {
  const r = spawnSync('sqlite3', [db, q], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// A demo site with one media file (imported from a tiny WordPress export).
function demoWithMedia() {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const up = path.join(dir, 'uploads', '2020', '01');
  mkdirSync(up, { recursive: true });
  const JPEG = Buffer.from(
    '/9j/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAwAEADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDxtKnSoEqdKAJkqdKgSp0oAmSpkqFKmSgCdKmSoUqZKAOSSp0qBKnSgCZKnSoEqdKAJkqZKhSpkoAnSpkqFKmSgDkkqdKgSp0oAmSp0qBKnSgCZKmSoUqZKAJ0qZKhSpkoA//Z',
    'base64');
  writeFileSync(path.join(up, 'a.jpg'), JPEG);
  const wxr = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" ' +
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>S</title><link>http://s.example</link>' +
    '<wp:wxr_version>1.2</wp:wxr_version><item><title>a</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>' +
    '<wp:status>inherit</wp:status><wp:attachment_url>http://s.example/wp-content/uploads/2020/01/a.jpg</wp:attachment_url></item>' +
    '</channel></rss>\n';
  writeFileSync(path.join(dir, 'm.xml'), wxr);
  const demoMedia = Number(sql(path.join(site, 'site.db'), 'SELECT count(*) FROM media'));
  const r = run(['import', 'wxr', site, path.join(dir, 'm.xml'), '--merge', '--upload', path.join(dir, 'uploads')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Number(sql(path.join(site, 'site.db'), 'SELECT count(*) FROM media')), demoMedia + 1);
  return { dir, site };
}

function counts(site) {
  const db = path.join(site, 'site.db');
  return {
    entries: Number(sql(db, 'SELECT count(*) FROM entries')),
    columns: Number(sql(db, 'SELECT count(*) FROM columns')),
    media: Number(sql(db, 'SELECT count(*) FROM media')),
    settings: Number(sql(db, 'SELECT count(*) FROM settings')),
  };
}

function runAsync(bin, args) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (status) => resolve({ status, stdout: out, stderr: err }));
  });
}

test('a backup taken while the site serves and is written to restores consistently', async () => {
  const { dir, site } = demoWithMedia();
  const srv = await startServer(site);
  try {
    const before = counts(site);
    // a writer: 3000 separate transactions while the backup runs
    let script = 'PRAGMA busy_timeout = 10000;\n';
    for (let i = 0; i < 3000; i++) script += `INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'bk_${i}', 'v');\n`;
    writeFileSync(path.join(dir, 'w.sql'), script);
    const writer = runAsync('sh', ['-c', `sqlite3 '${path.join(site, 'site.db')}' < '${path.join(dir, 'w.sql')}'`]);
    const readers = Promise.all(Array.from({ length: 20 }, () => get(srv, '/')));
    const out = path.join(dir, 'during.tar');
    const b = await runAsync(process.env.MH_BIN || path.resolve('build/masthead'), ['backup', site, out]);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /^backup .*during\.tar: \d+ files, \d+ bytes of data, archive \d+ bytes, [\d.]+ s$/m);
    const w = await writer;
    assert.equal(w.status, 0, w.stderr);
    for (const r of await readers) assert.equal(r.status, 200);
    const after = counts(site);
    assert.equal(after.settings, before.settings + 3000);

    const r1 = path.join(dir, 'r1');
    const r = run(['restore', out, r1]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /checksums and database verified/);
    const got = counts(r1);
    assert.equal(got.entries, before.entries);
    assert.equal(got.columns, before.columns);
    assert.equal(got.media, before.media);
    assert.ok(got.settings >= before.settings && got.settings <= after.settings, `settings ${got.settings}`);
    assert.equal(sql(path.join(r1, 'site.db'), 'PRAGMA integrity_check'), 'ok');
    // the media file came along, byte for byte
    const name = sql(path.join(r1, 'site.db'), 'SELECT stored_name FROM media ORDER BY id DESC LIMIT 1');
    assert.deepEqual(readFileSync(path.join(r1, 'media', name)), readFileSync(path.join(site, 'media', name)));

    // once the writes are done, a backup restores to exactly the live counts
    const out2 = path.join(dir, 'after.tar');
    assert.equal(run(['backup', site, out2]).status, 0);
    const again = run(['restore', out2, r1, '--force']);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(counts(r1), after);
    // the restored site serves
    const srv2 = await startServer(r1);
    try {
      assert.equal((await get(srv2, '/')).status, 200);
    } finally {
      await srv2.stop();
    }
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged archive is refused and nothing is written', () => {
  const { dir, site } = demoWithMedia();
  const out = path.join(dir, 'b.tar');
  assert.equal(run(['backup', site, out]).status, 0);
  const good = readFileSync(out);
  const cases = {
    flipped: (() => { const b = Buffer.from(good); b[512 + 4096] ^= 0xff; return b; })(),
    truncated: good.subarray(0, Math.floor(good.length / 2)),
    empty: Buffer.alloc(0),
    garbage: Buffer.from('not a tar file at all\n'.repeat(100)),
  };
  for (const [name, data] of Object.entries(cases)) {
    const f = path.join(dir, `${name}.tar`);
    writeFileSync(f, data);
    const target = path.join(dir, `r-${name}`);
    const r = run(['restore', f, target]);
    assert.equal(r.status, 2, `${name}: ${r.stdout}`);
    assert.match(r.stderr, /restore: /);
    assert.ok(!existsSync(target), `${name}: nothing restored`);
  }
  assert.match(run(['restore', path.join(dir, 'flipped.tar'), path.join(dir, 'x')]).stderr, /site\.db does not match its checksum/);
  // names a backup never writes: a path out of the directory, a link
  writeFileSync(path.join(dir, 'x'), 'hi');
  spawnSync('ln', ['-s', '/etc/passwd', path.join(dir, 'lnk')]);
  for (const [name, member, as] of [['escape', 'x', '../escape'], ['link', 'lnk', 'media/ab/l.jpg']]) {
    const f = path.join(dir, `${name}.tar`);
    const t = spawnSync('tar', ['cf', f, '-C', dir, '--transform', `s,^${member}$,${as},`, member], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    const r = run(['restore', f, path.join(dir, `r-${name}`)]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`unexpected entry '${as.replace(/\./g, '\\.')}'`));
    assert.ok(!existsSync(path.join(dir, `r-${name}`)));
  }
  assert.ok(!existsSync(path.join(path.dirname(dir), 'escape')));
  // no staging directory left behind
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.restore-')), []);
  rmSync(dir, { recursive: true, force: true });
});

test('an existing site is never replaced without --force', () => {
  const { dir, site } = demoWithMedia();
  const out = path.join(dir, 'b.tar');
  assert.equal(run(['backup', site, out]).status, 0);
  const other = path.join(dir, 'other');
  assert.equal(run(['init', other]).status, 0);
  const before = counts(other);
  let r = run(['restore', out, other]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /exists and is not empty; add --force/);
  assert.deepEqual(counts(other), before);
  r = run(['restore', out, other, '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(counts(other), counts(site));
  // an empty directory is fine
  const empty = path.join(dir, 'empty');
  mkdirSync(empty);
  assert.equal(run(['restore', out, empty]).status, 0);
  rmSync(dir, { recursive: true, force: true });
});

// ---- the admin page ----

function csrfIn(html) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  return m ? m[1] : null;
}

function dechunk(buf) {
  const parts = [];
  let i = 0;
  for (;;) {
    const nl = buf.indexOf('\r\n', i);
    if (nl < 0) break;
    const n = parseInt(buf.subarray(i, nl).toString('latin1'), 16);
    if (!n) break;
    parts.push(buf.subarray(nl + 2, nl + 2 + n));
    i = nl + 2 + n + 2;
  }
  return Buffer.concat(parts);
}

test('the admin backup page: admins only, CSRF, audited, a valid download', async () => {
  const { dir, site } = demoWithMedia();
  for (const [name, role] of [['boss', 'admin'], ['ed', 'editor']]) {
    const r = run(['user', 'add', site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
    assert.equal(r.status, 0, r.stderr);
  }
  const srv = await startServer(site);
  const origin = `http://${srv.host}:${srv.port}`;
  const login = async (name) => {
    const page = await request(srv, 'GET', '/admin/login');
    const pre = cookieValue(page, 'mh_login');
    const form = new URLSearchParams({ name, password: PASSWORD, _csrf: csrfIn(page.text()) }).toString();
    const res = await request(srv, 'POST', '/admin/login', {
      headers: { Cookie: `mh_login=${pre}`, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form),
    });
    assert.equal(res.status, 303);
    return `mh_session=${cookieValue(res, 'mh_session')}`;
  };
  try {
    const ed = await login('ed');
    assert.equal((await request(srv, 'GET', '/admin/backup', { headers: { Cookie: ed } })).status, 403);
    const edPage = await request(srv, 'GET', '/admin/', { headers: { Cookie: ed } });
    const edCsrf = csrfIn(edPage.text());
    const edPost = await request(srv, 'POST', '/admin/backup', {
      headers: { Cookie: ed, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(`_csrf=${encodeURIComponent(edCsrf || '')}`),
    });
    assert.equal(edPost.status, 403);
    assert.notEqual(edPost.headers['content-type'], 'application/x-tar');
    // not signed in: to the login page
    const anon = await request(srv, 'GET', '/admin/backup');
    assert.notEqual(anon.status, 200);

    const boss = await login('boss');
    const page = await request(srv, 'GET', '/admin/backup', { headers: { Cookie: boss } });
    assert.equal(page.status, 200);
    assert.match(page.text(), /action="\/admin\/backup"/);
    const csrf = csrfIn(page.text());
    assert.ok(csrf);
    // without the token: refused
    const bad = await request(srv, 'POST', '/admin/backup', {
      headers: { Cookie: boss, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('_csrf=wrong'),
    });
    assert.equal(bad.status, 403);
    const res = await request(srv, 'POST', '/admin/backup', {
      headers: { Cookie: boss, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(`_csrf=${encodeURIComponent(csrf)}`),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-tar');
    assert.match(res.headers['content-disposition'], /^attachment; filename="masthead-backup-\d{8}-\d{6}\.tar"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const tar = res.headers['transfer-encoding'] === 'chunked' ? dechunk(res.body) : res.body;
    const f = path.join(dir, 'download.tar');
    writeFileSync(f, tar);
    const r = run(['restore', f, path.join(dir, 'restored')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(counts(path.join(dir, 'restored')).media, counts(site).media);
    // nothing left in the site directory, nothing under media/
    assert.deepEqual(readdirSync(site).filter((n) => n.startsWith('.backup')), []);
    // audited
    assert.match(sql(path.join(site, 'site.db'), "SELECT action || ' ' || detail FROM audit_log WHERE action LIKE 'site.backup%'"),
      /^site\.backup \d+ files, \d+ bytes, [\d.]+ s$/);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
