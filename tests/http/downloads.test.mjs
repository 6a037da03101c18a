// Downloads: the demo's "services" column is a download column. A download
// is served at /download/<entry id> as an attachment (RFC 6266 / 5987 file
// name, the stored type, never inline), counted in memory and written in
// batches: N downloads raise the stored count by N after the flush, with
// no write per request and no new content generation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { get as rawGet } from './helpers.mjs';
import { initSite, setPassword, serve, loggedIn, ADMIN_PW, csrfFrom, sleep } from './admin_accounts_lib.mjs';

let s;

// GET with the body as text (bytes kept in .bytes)
async function get(srv, target, headers = {}, method = 'GET') {
  const r = await rawGet(srv, target, headers, method);
  r.bytes = r.body;
  r.body = Buffer.isBuffer(r.body) ? r.body.toString('utf8') : String(r.body ?? '');
  return r;
}

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

// [{id, title, lang, file}] of the download entries
function downloads() {
  return sql(`SELECT e.id, e.title, e.lang_id, v.value FROM entries e JOIN field_values v`
    + ` ON v.entry_id = e.id AND v.key = 'file' ORDER BY e.id`)
    .split('\n').filter(Boolean).map((l) => {
      const [id, title, lang, file] = l.split('|');
      return { id: Number(id), title, lang: Number(lang), file };
    });
}

before(() => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
});

after(() => rmSync(s.root, { recursive: true, force: true }));

test('demo: three downloads per language, listed with size, type, date, count and a button', async () => {
  const all = downloads();
  assert.equal(all.length, 6);
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    for (const prefix of ['', '/zh']) {
      const r = await get(srv, `${prefix}/services/`);
      assert.equal(r.status, 200);
      const rows = r.body.match(/<tr class="download-item">[\s\S]*?<\/tr>/g) || [];
      assert.equal(rows.length, 3, `${prefix}/services/ lists three downloads`);
      for (const row of rows) {
        assert.match(row, /<td class="dl-size">\d+(\.\d)? (B|KB|MB)<\/td>/);
        assert.match(row, /<abbr title="(application\/pdf|text\/plain)">(PDF|TXT)<\/abbr>/);
        assert.match(row, /<time datetime="20\d\d-/);
        assert.match(row, /<td class="dl-count">0<\/td>/);
        assert.match(row, /<a class="btn-download" href="\/download\/\d+">/);
      }
    }
    const zh = all.find((d) => d.title === '2023年投资指南');
    assert.ok(zh, 'the Chinese investment guide');
    const slug = sql(`SELECT slug FROM entries WHERE id = ${zh.id}`);
    const page = await get(srv, `/zh/services/${slug}.html`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<dd class="dl-name">上合示范区投资指南2023\.pdf<\/dd>/);
    assert.match(page.body, new RegExp(`<a class="btn-download" href="/download/${zh.id}">`));
  } finally {
    await srv.stop();
  }
});

test('a download is an attachment with a UTF-8 file name and the stored bytes and type', async () => {
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    const zh = downloads().find((d) => d.title === '2023年投资指南');
    const r = await get(srv, `/download/${zh.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/pdf');
    const cd = r.headers['content-disposition'];
    assert.ok(cd.startsWith('attachment; filename="'), cd);
    assert.ok(cd.includes(`filename*=UTF-8''${encodeURIComponent('上合示范区投资指南2023.pdf')}`), cd);
    assert.match(cd, /^attachment; filename="[\x20-\x7e]*"/, 'an ASCII fallback');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.ok(r.headers.etag, 'an ETag');
    const stored = readFileSync(path.join(s.site, zh.file.replace(/^\/media\//, 'media/')));
    assert.ok(r.body.startsWith('%PDF-'));
    assert.ok(r.bytes.equals(stored), 'the stored bytes');
    // a text file goes out as an attachment too, never inline
    const txt = downloads().find((d) => d.file.endsWith('.txt'));
    const t = await get(srv, `/download/${txt.id}`);
    assert.equal(t.status, 200);
    assert.match(t.headers['content-type'], /^text\/plain/);
    assert.match(t.headers['content-disposition'], /^attachment;/);
    // revalidation answers 304 (not counted, see below)
    const nm = await get(srv, `/download/${zh.id}`, { 'If-None-Match': r.headers.etag });
    assert.equal(nm.status, 304);
  } finally {
    await srv.stop();
  }
});

test('not a public download: 404', async () => {
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    const seed = sql(`SELECT id FROM entries WHERE column_id IN (SELECT id FROM columns WHERE slug = 'news') LIMIT 1`);
    assert.equal((await get(srv, `/download/${seed}`)).status, 404, 'an article has no file');
    assert.equal((await get(srv, '/download/999999')).status, 404);
    assert.equal((await get(srv, '/download/abc')).status, 404);
    assert.ok([400, 404].includes((await get(srv, '/download/../site.db')).status));
    const d = downloads()[0];
    sql(`UPDATE entries SET status = 'draft' WHERE id = ${d.id}`);
    assert.equal((await get(srv, `/download/${d.id}`)).status, 404, 'a draft is not served');
    sql(`UPDATE entries SET status = 'published' WHERE id = ${d.id}`);
    assert.equal((await get(srv, `/download/${d.id}`)).status, 200);
    sql(`UPDATE columns SET visible = 0 WHERE id = (SELECT column_id FROM entries WHERE id = ${d.id})`);
    await sleep(1300); // the server notices another program's write within a second
    assert.equal((await get(srv, `/download/${d.id}`)).status, 404, 'a hidden column serves nothing');
    sql(`UPDATE columns SET visible = 1 WHERE id = (SELECT column_id FROM entries WHERE id = ${d.id})`);
    await sleep(1300);
    assert.equal((await get(srv, `/download/${d.id}`)).status, 200);
  } finally {
    await srv.stop();
  }
});

test('counts: N downloads raise the count by N after the flush, no write per request', async () => {
  sql('DELETE FROM download_counts');
  const d = downloads()[0];
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '2' } });
  try {
    await sleep(2500); // any start-up flush is behind us
    const gen0 = sql('SELECT value FROM content_generation');
    const list0 = await get(srv, '/services/');
    const N = 7;
    let etag = '';
    for (let i = 0; i < N; i++) {
      const r = await get(srv, `/download/${d.id}`);
      assert.equal(r.status, 200);
      etag = r.headers.etag;
    }
    // neither a revalidation nor a HEAD counts
    assert.equal((await get(srv, `/download/${d.id}`, { 'If-None-Match': etag })).status, 304);
    assert.equal((await get(srv, `/download/${d.id}`, {}, 'HEAD')).status, 200);
    assert.equal(sql(`SELECT count(*) FROM download_counts`), '0', 'nothing written per download');
    let n = '';
    for (let i = 0; i < 50 && n !== String(N); i++) {
      await sleep(200);
      n = sql(`SELECT coalesce((SELECT n FROM download_counts WHERE entry_id = ${d.id}), 0)`);
    }
    assert.equal(n, String(N), 'flushed by the tick');
    assert.equal(sql('SELECT value FROM content_generation'), gen0, 'the content generation did not move');
    const list1 = await get(srv, '/services/');
    assert.equal(list1.headers.etag, list0.headers.etag, 'the cached list stays (the count may lag)');
    for (let i = 0; i < 3; i++) await get(srv, `/download/${d.id}`);
  } finally {
    await srv.stop();
  }
  assert.equal(sql(`SELECT n FROM download_counts WHERE entry_id = ${d.id}`), String(7 + 3),
    'flushed at shutdown');
  // the count shows once the page is rendered again
  const srv2 = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    const slug = sql(`SELECT slug FROM entries WHERE id = ${d.id}`);
    const page = await get(srv2, `/services/${slug}.html`);
    assert.match(page.body, /<dd class="dl-count">10<\/dd>/);
  } finally {
    await srv2.stop();
  }
});

test('editor: a download entry needs a file from the media library', async () => {
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    const br = await loggedIn(srv);
    const col = sql(`SELECT id FROM columns WHERE slug = 'services' AND lang_id = 1`);
    const page = await br.get(`/admin/entries/new?column=${col}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /name="field_file"[^>]*data-field-media="file"/, 'the file input opens the media library');
    const token = csrfFrom(page.body);
    const base = { _csrf: token, column_id: col, title: 'Form without a file', status: 'published', body: '<p>x</p>' };
    const bad = await br.post('/admin/entries/new', { ...base, field_file: 'https://example.org/x.pdf' });
    assert.equal(bad.status, 422, 'a URL is not a media library file');
    const file = downloads()[0].file;
    const ok = await br.post('/admin/entries/new', { ...base, title: 'Form with a file', field_file: file });
    assert.equal(ok.status, 303);
    const id = sql(`SELECT id FROM entries WHERE title = 'Form with a file'`);
    assert.equal(sql(`SELECT value FROM field_values WHERE entry_id = ${id} AND key = 'file'`), file);
    const r = await get(srv, `/download/${id}`);
    assert.equal(r.status, 200);
  } finally {
    await srv.stop();
  }
});
