// A site directory whose site.db is empty (0 bytes) or foreign (not SQLite,
// or SQLite without masthead's tables): every command gives one clear
// message and exit status 2, and leaves the file byte-identical; init
// creates the site into an empty file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, tempDir } from './helpers.mjs';

function commands(site) {
  return [
    ['serve', site, '--listen', '127.0.0.1:0'],
    ['user', 'add', site, 'editor1', '--role', 'editor'],
    ['user', 'passwd', site, 'admin'],
  ];
}

function siteWith(bytes) {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  mkdirSync(site);
  const db = path.join(site, 'site.db');
  if (bytes !== null) writeFileSync(db, bytes);
  return { dir, site, db };
}

function refusedEverywhere(site, db, re, extra = []) {
  const before = readFileSync(db);
  for (const args of [...commands(site), ...extra]) {
    const r = run(args, { input: 'Correct-Horse-9-battery\n' });
    assert.equal(r.signal, null, `${args.join(' ')} must not crash`);
    assert.equal(r.status, 2, `${args.join(' ')}: exit 2, got ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.deepEqual(readFileSync(db), before, `${args.join(' ')} wrote into site.db`);
    for (const s of ['-wal', '-shm', '-journal'])
      assert.ok(!existsSync(db + s) || readFileSync(db + s).length === 0 || s === '-shm',
        `${args.join(' ')} left ${s}`);
  }
}

test('an empty site.db: every command refuses it untouched; init creates the site in it', () => {
  const { dir, site, db } = siteWith(Buffer.alloc(0));
  refusedEverywhere(site, db, /empty file \(0 bytes\), not a masthead site; nothing was written/);
  const r = run(['init', site]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /one-time password/);
  assert.ok(readFileSync(db).length > 0);
  const again = run(['init', site]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already holds a site/);
  rmSync(dir, { recursive: true, force: true });
});

test('a file that is not SQLite is refused by every command, init included', () => {
  const { dir, site, db } = siteWith(Buffer.from('<?php echo "hello"; ?>\n'.repeat(40)));
  refusedEverywhere(site, db, /not a masthead site: .*site\.db is not a SQLite database; nothing was written/,
    [['init', site]]);
  rmSync(dir, { recursive: true, force: true });
});

test('a SQLite database without masthead tables is refused by every command, init included', (t) => {
  const probe = spawnSync('sqlite3', ['-version']);
  if (probe.error) { t.skip('sqlite3 command not installed'); return; }
  const { dir, site, db } = siteWith(null);
  const mk = spawnSync('sqlite3', [db, 'CREATE TABLE wp_posts (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO wp_posts VALUES (1, \'x\');']);
  assert.equal(mk.status, 0, String(mk.stderr));
  refusedEverywhere(site, db, /not a masthead site: .*SQLite database without masthead's tables; nothing was written/,
    [['init', site]]);
  rmSync(dir, { recursive: true, force: true });
});
