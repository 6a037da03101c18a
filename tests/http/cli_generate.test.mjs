// masthead init DIR --generate N [--seed S]: a generated site that serves,
// progress and figures on the command line, and refused option mixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { get, run, startServer, tempDir } from './helpers.mjs';

test('init --generate makes a two-language site that serves', async () => {
  const dir = tempDir('mh-gen-');
  const site = path.join(dir, 'site');
  const r = run(['init', site, '--generate', '40', '--seed', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /40 entries \(20 English, 20 Chinese, \d+ linked translations/);
  assert.match(r.stdout, /largest column: \/news\/[a-z/-]+\//);
  assert.match(r.stdout, /one-time password: \S+/);
  // not a terminal: plain progress lines with the rate
  assert.match(r.stderr, /generated 40\/40 entries in [\d.]+ s \(\d+\/s\)/);
  assert.doesNotMatch(r.stderr, /\r/);
  const srv = await startServer(site);
  try {
    for (const t of ['/', '/news/', '/zh/', '/zh/news/', '/about/overview/']) {
      const res = await get(srv, t);
      assert.equal(res.status, 200, t);
    }
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init --generate refuses bad numbers and --demo with it', () => {
  const dir = tempDir('mh-gen-');
  const cases = [
    [['init', path.join(dir, 'a'), '--generate', 'many'], /--generate: 'many' is not a number/],
    [['init', path.join(dir, 'b'), '--generate', '5', '--seed', '-1'], /--seed/],
    [['init', path.join(dir, 'c'), '--demo', '--generate', '5'], /exclude each other/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re);
  }
  rmSync(dir, { recursive: true, force: true });
});
