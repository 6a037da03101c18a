// Themes are compiled once at start-up and again when their files change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, appendFileSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SEED, get, run, startServer, tempDir, text } from './helpers.mjs';

async function waitFor(fn, ms = 6000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('a changed theme is recompiled without a restart; a broken one is not taken', async () => {
  const dir = tempDir('mh-theme-');
  const site = path.join(dir, 'site');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const theme = path.join(dir, 'theme');
  cpSync(path.join(ROOT, 'themes', 'default'), theme, { recursive: true });
  const srv = await startServer(site, ['--theme', theme]);
  try {
    const before = await get(srv, SEED);
    assert.equal(before.status, 200);
    assert.doesNotMatch(text(before), /theme-reload-marker/);

    appendFileSync(path.join(theme, 'templates', 'footer.mustache'), '\n<p class="theme-reload-marker">new footer</p>\n');
    assert.ok(await waitFor(async () => /theme-reload-marker/.test(text(await get(srv, SEED)))),
      'the edited template is used (and the page cache did not keep the old page)');

    // a new stylesheet gets a new version in the page and is served
    const css = path.join(theme, 'assets', 'site.css');
    const oldHref = text(await get(srv, '/')).match(/href="(\/assets\/site\.css\?v=[^"]+)"/)[1];
    writeFileSync(css, readFileSync(css, 'utf8') + '\n.theme-reload-marker{color:#123456}\n');
    assert.ok(await waitFor(async () => !text(await get(srv, '/')).includes(oldHref)));
    const newHref = text(await get(srv, '/')).match(/href="(\/assets\/site\.css\?v=[^"]+)"/)[1];
    assert.match(text(await get(srv, newHref)), /#123456/);

    // a syntax error: the previous theme keeps serving
    writeFileSync(path.join(theme, 'templates', 'footer.mustache'), '{{#unclosed}}broken');
    await new Promise((r) => setTimeout(r, 2500));
    const after = await get(srv, SEED);
    assert.equal(after.status, 200);
    assert.match(text(after), /theme-reload-marker/);
    assert.match(srv.stderr(), /does not load/);
  } finally {
    assert.equal(await srv.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
