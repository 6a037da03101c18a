// Sort modes that work: "manual" follows the positions an editor sets with
// the up/down buttons of the column's entry page; "hits" follows views,
// which are counted in memory (also for pages the page cache answers) and
// written in batches, never one write per view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SEED, get } from './helpers.mjs';
import { initSite, setPassword, serve, loggedIn, ADMIN_PW, csrfFrom, sleep } from './admin_accounts_lib.mjs';

let s;
let col;
let entries;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const seedSlug = SEED.replace(/^\/news\//, '').replace(/\.html$/, '');
const listPath = '/news/';

function order(html) {
  return entries.map((e) => [e, html.indexOf(`>${e.title}<`)]).filter(([, i]) => i >= 0)
    .sort((x, y) => x[1] - y[1]).map(([e]) => e.id);
}

before(() => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  col = Number(sql(`SELECT column_id FROM entries WHERE slug = '${seedSlug}'`));
  sql(`UPDATE columns SET sort_mode = 'manual' WHERE id = ${col}`);
  sql(`UPDATE entries SET hits = 0`);
  entries = sql(`SELECT id, title, slug FROM entries WHERE column_id = ${col} AND deleted_at IS NULL`
    + ` AND status = 'published' AND pinned = 0 ORDER BY id`)
    .split('\n').map((l) => { const [id, title, slug] = l.split('|'); return { id: Number(id), title, slug }; })
    .filter((e) => !/[<>&"']/.test(e.title));
  assert.ok(entries.length >= 3, 'the demo news column has entries');
});

after(() => rmSync(s.root, { recursive: true, force: true }));

test('manual order: up/down in the admin reorders the public list', async () => {
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  try {
    const before = order((await get(srv, listPath)).body);
    assert.ok(before.length >= 3, 'entries on the public list');
    const [a, b] = before;
    const br = await loggedIn(srv);
    const page = await br.get(`/admin/columns/${col}/entries`);
    assert.equal(page.status, 200);
    assert.match(page.body, /id="order"/);
    assert.ok(page.body.includes(`/admin/entries/${b}/up`), 'an up button for the second entry');
    const token = csrfFrom(page.body);
    // without the CSRF token: refused, nothing moves
    assert.equal((await br.post(`/admin/entries/${b}/up`, {})).status, 403);
    assert.deepEqual(order((await get(srv, listPath)).body), before);
    const r = await br.post(`/admin/entries/${b}/up`, { _csrf: token });
    assert.equal(r.status, 303);
    // positions renumbered 0..n-1, unique
    const pos = sql(`SELECT position FROM entries WHERE column_id = ${col} AND deleted_at IS NULL ORDER BY position`)
      .split('\n').map(Number);
    assert.deepEqual(pos, pos.map((_, i) => i));
    const afterUp = order((await get(srv, listPath)).body);
    assert.deepEqual(afterUp.slice(0, 2), [b, a], 'the public list follows at once (page cache included)');
    // down again restores the first order
    assert.equal((await br.post(`/admin/entries/${b}/down`, { _csrf: token })).status, 303);
    assert.deepEqual(order((await get(srv, listPath)).body).slice(0, 2), [a, b]);
    // the first entry cannot go further up: nothing changes
    assert.equal((await br.post(`/admin/entries/${a}/up`, { _csrf: token })).status, 303);
    assert.deepEqual(order((await get(srv, listPath)).body).slice(0, 2), [a, b]);
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'entry.reorder'`), '2');
  } finally {
    await srv.stop();
  }
});

test('hits: counted with the page cache on, not written per view, flushed at shutdown', async () => {
  const target = entries[entries.length - 1];
  const url = `/news/${target.slug}.html`;
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '3600' } });
  const gen0 = sql('SELECT value FROM content_generation');
  try {
    const first = await get(srv, url);
    assert.equal(first.status, 200);
    for (let i = 0; i < 11; i++) {
      const r = await get(srv, url);
      assert.equal(r.headers.etag, first.headers.etag, 'served from the page cache');
    }
    await sleep(1500);
    assert.equal(sql(`SELECT hits FROM entries WHERE id = ${target.id}`), '0', 'no write per view');
  } finally {
    await srv.stop();
  }
  assert.equal(sql(`SELECT hits FROM entries WHERE id = ${target.id}`), '12', 'flushed at shutdown');
  assert.equal(sql('SELECT value FROM content_generation'), gen0, 'hits keep the content generation');
});

test('hits: flushed every few seconds while running; sort mode "hits" and the admin list show them', async () => {
  const target = entries[entries.length - 1];
  const url = `/news/${target.slug}.html`;
  sql(`UPDATE columns SET sort_mode = 'hits' WHERE id = ${col}`);
  const srv = await serve(s.site, { env: { MH_HITS_FLUSH: '1' } });
  try {
    const list = order((await get(srv, listPath)).body);
    assert.equal(list[0], target.id, 'the most viewed entry comes first');
    for (let i = 0; i < 3; i++) assert.equal((await get(srv, url)).status, 200);
    let h = '';
    for (let i = 0; i < 40 && h !== '15'; i++) {
      await sleep(200);
      h = sql(`SELECT hits FROM entries WHERE id = ${target.id}`);
    }
    assert.equal(h, '15', 'flushed by the tick');
    const br = await loggedIn(srv);
    const page = await br.get(`/admin/columns/${col}/entries`);
    assert.match(page.body, /<td class="num">15<\/td>/);
    assert.doesNotMatch(page.body, /id="order"/, 'no manual order panel outside manual mode');
  } finally {
    await srv.stop();
  }
});
