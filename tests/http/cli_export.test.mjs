// `masthead export static DIR OUT`: the public site as files. The exported
// pages are the bytes the server sends for the same path and host, every
// same-site link of every exported page resolves to an exported file, and a
// second export rewrites only what changed (and removes what is gone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, run, tempDir, get, text, SEED } from './helpers.mjs';

function sql(site, stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function exportSite(site, out, host) {
  const r = run(['export', 'static', site, out, '--host', host]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const m = r.stdout.match(/exported (\d+) pages .*: (\d+) files written, (\d+) unchanged, (\d+) removed, (\d+) failed/);
  assert.ok(m, r.stdout);
  return { pages: +m[1], written: +m[2], unchanged: +m[3], removed: +m[4], failed: +m[5] };
}

const fileOf = (out, p) => path.join(out, p.endsWith('/') ? p + 'index.html' : p);

test('export static: every public page, byte for byte, with working links', async () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const out = path.join(dir, 'out');
  assert.equal(run(['init', site, '--demo']).status, 0);
  mkdirSync(path.join(site, 'media', 'ab'), { recursive: true });
  writeFileSync(path.join(site, 'media', 'ab', 'cdef.txt'), 'a media file');
  const srv = await startServer(site);
  try {
    const host = `127.0.0.1:${srv.port}`;
    const first = exportSite(site, out, host);
    assert.equal(first.failed, 0);
    for (const p of ['/', '/zh/', '/news/', '/zh/news/', SEED, '/sitemap.xml', '/feed.xml', '/zh/atom.xml', '/robots.txt', '/news/page/2/', '/news/feed.xml'])
      assert.ok(existsSync(fileOf(out, p)), `${p} exported`);
    assert.ok(existsSync(path.join(out, '404.html')));
    assert.match(readFileSync(path.join(out, '404.html'), 'utf8'), /<html/);
    assert.ok(existsSync(path.join(out, 'assets', 'site.css')));
    assert.equal(readFileSync(path.join(out, 'media', 'ab', 'cdef.txt'), 'utf8'), 'a media file');
    assert.ok(!existsSync(path.join(out, 'search')) && !existsSync(path.join(out, 'search.html')), 'no search page');

    // the same bytes the server sends for the same path and host
    for (const p of ['/', '/zh/', SEED, '/news/', '/feed.xml']) {
      const res = await get(srv, p);
      assert.equal(res.status, 200);
      assert.equal(readFileSync(fileOf(out, p), 'utf8'), text(res), p);
    }
    // every entry the sitemap lists is there
    const sitemap = readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    const locs = [...sitemap.matchAll(/<loc>http:\/\/[^/]+(\/[^<]*)<\/loc>/g)].map((m) => decodeURI(m[1]));
    assert.ok(locs.length > 40);
    for (const l of locs) assert.ok(existsSync(fileOf(out, l)), `${l} from the sitemap`);

    // every same-site link resolves (query links and search excepted)
    const html = walk(out).filter((f) => f.endsWith('.html'));
    let links = 0;
    for (const f of html) {
      for (const m of readFileSync(f, 'utf8').matchAll(/href="(\/[^"#?]*)(#[^"]*)?"/g)) {
        const p = decodeURI(m[1].replace(/&amp;/g, '&'));
        if (p.startsWith('//') || p.endsWith('/search')) continue;
        links++;
        assert.ok(existsSync(fileOf(out, p)), `${path.relative(out, f)} links to ${p}`);
      }
    }
    assert.ok(links > 1000, `links checked: ${links}`);
  } finally {
    await srv.stop();
  }
});

test('export static: incremental — unchanged files stay, changes are rewritten, removed pages go', () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const out = path.join(dir, 'out');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const first = exportSite(site, out, 'www.example.test');
  assert.ok(first.written > 90);
  const seedFile = fileOf(out, SEED);
  const mtime = statSync(seedFile).mtimeMs;
  const again = exportSite(site, out, 'www.example.test');
  assert.equal(again.written, 0, 'nothing changed, nothing written');
  assert.equal(again.unchanged, first.written);
  assert.equal(statSync(seedFile).mtimeMs, mtime);

  const slug = 'scoda-signs-15-projects-at-spring-investment-promotion-conference';
  sql(site, `UPDATE entries SET title = 'A changed title' WHERE slug = '${slug}'`);
  const edited = exportSite(site, out, 'www.example.test');
  assert.ok(edited.written > 0 && edited.written < 20, `a few files rewritten: ${edited.written}`);
  assert.match(readFileSync(path.join(out, 'news', `${slug}.html`), 'utf8'), /A changed title/);
  assert.equal(statSync(seedFile).mtimeMs, mtime, 'an unrelated page is not rewritten');

  sql(site, `UPDATE entries SET deleted_at = strftime('%s','now') WHERE slug = '${slug}'`);
  const trashed = exportSite(site, out, 'www.example.test');
  assert.ok(trashed.removed >= 1);
  assert.ok(!existsSync(path.join(out, 'news', `${slug}.html`)), 'a trashed entry is removed');
  assert.ok(!readFileSync(path.join(out, 'sitemap.xml'), 'utf8').includes(slug));
});

test('export static: bad arguments', () => {
  assert.equal(run(['export', 'static']).status, 2);
  assert.equal(run(['export', 'static', '/nonexistent-site', '/tmp/x']).status, 2);
  assert.equal(run(['export', 'dynamic', 'a', 'b']).status, 2);
  assert.equal(run(['export', 'static', 'a', 'b', '--bogus']).status, 2);
});
