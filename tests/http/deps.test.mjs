// Invalidation by dependency: an edit of one entry invalidates the pages
// that read its column (its list, the home page's blocks), not the cached
// page of an unrelated column; a change no tag describes (a setting)
// invalidates everything. The unrelated page's row is changed behind the
// server's back first (the counter and the change log put back), so only a
// dropped cache entry would show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { request, startDemo } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sql(site, q) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), q], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const body = async (srv, target) => {
  const r = await request(srv, 'GET', target);
  assert.equal(r.status, 200, target);
  return r.text();
};

test('editing one entry leaves an unrelated column\'s cached page in place', async () => {
  const srv = await startDemo();
  try {
    await sleep(1600); // the scheduler's first tick starts one new generation
    const other = '/investment/policies/';
    const news = '/news/';
    await body(srv, other);
    await body(srv, news);
    await body(srv, '/');
    // behind the server's back: no counter move, no change logged
    sql(srv.site, "BEGIN; UPDATE entries SET title = 'Sneaky Policy Title' WHERE id = (SELECT min(id)"
      + " FROM entries WHERE column_id = (SELECT id FROM columns WHERE slug = 'policies' AND lang_id = 1));"
      + ' UPDATE content_generation SET value = value - 1;'
      + ' DELETE FROM content_changes WHERE seq = (SELECT max(seq) FROM content_changes); COMMIT;');
    await sleep(1300);
    assert.doesNotMatch(await body(srv, other), /Sneaky Policy Title/, 'nothing noticed yet');
    // a real edit in /news/ (through the triggers, as any writer)
    sql(srv.site, "UPDATE entries SET title = 'Edited News Title' WHERE id = (SELECT id FROM entries"
      + " WHERE column_id = (SELECT id FROM columns WHERE slug = 'news' AND lang_id = 1)"
      + " AND status = 'published' ORDER BY publish_at DESC LIMIT 1)");
    await sleep(1500);
    assert.match(await body(srv, news), /Edited News Title/, 'the edited column\'s list is new');
    assert.match(await body(srv, '/'), /Edited News Title/, 'the home page shows it');
    assert.doesNotMatch(await body(srv, other), /Sneaky Policy Title/, 'the unrelated page stayed cached');
    // a setting: no tag describes it, every page goes
    sql(srv.site, "UPDATE settings SET value = 'Another Tagline' WHERE key = 'site_tagline' AND lang_id = 1");
    await sleep(1500);
    assert.match(await body(srv, other), /Sneaky Policy Title/, 'a setting drops every page');
  } finally {
    await srv.stop();
  }
});
