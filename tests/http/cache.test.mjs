import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startDemo, get, text, SEED } from './helpers.mjs';

function sql(site, stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function waitFor(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an edit is visible on the next request despite the page cache', async () => {
  const srv = await startDemo();
  try {
    const before = await get(srv, SEED);
    assert.equal(before.status, 200);
    const cached = await get(srv, SEED);
    assert.equal(cached.headers.etag, before.headers.etag, 'served the same page again');
    sql(srv.site, "UPDATE entries SET title = 'Edited Title For The Cache Test' WHERE slug = 'li-gang-led-a-team-to-visit-beijing-and-shanghai'");
    const seen = await waitFor(async () => /Edited Title For The Cache Test/.test(text(await get(srv, SEED))));
    assert.ok(seen, 'the edit shows up');
  } finally {
    await srv.stop();
  }
});

test('--no-page-cache renders every request from the current generation', async () => {
  const srv = await startDemo(['--no-page-cache']);
  try {
    const first = await get(srv, SEED);
    assert.equal(first.status, 200);
    // The same bytes again: the same validator.
    assert.equal((await get(srv, SEED)).headers.etag, first.headers.etag);
    // Entry rows are memoised per content generation, like pages: a write
    // by another process is seen once the server notices it (about once a
    // second), and then on every request.
    sql(srv.site, "UPDATE entries SET title = 'Uncached Edit' WHERE slug = 'li-gang-led-a-team-to-visit-beijing-and-shanghai'");
    assert.ok(await waitFor(async () => /Uncached Edit/.test(text(await get(srv, SEED)))), 'the edit shows up');
    const edited = await get(srv, SEED);
    assert.match(text(edited), /Uncached Edit/);
    assert.notEqual(edited.headers.etag, first.headers.etag);
  } finally {
    await srv.stop();
  }
});
