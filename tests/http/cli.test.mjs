import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir } from './helpers.mjs';

test('--help and --version', () => {
  const h = run(['--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /init DIR/);
  assert.match(h.stdout, /serve DIR/);
  assert.match(h.stdout, /template render/);
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^masthead \d+\.\d+\.\d+/);
});

test('bad input gets a one-line error and a non-zero exit', () => {
  const dir = tempDir();
  const cases = [
    [[], /usage/],
    [['frobnicate'], /unknown command/],
    [['serve'], /missing DIR/],
    [['serve', path.join(dir, 'nope')], /nope/],
    [['serve', dir, '--bogus'], /unknown option '--bogus'/],
    [['serve', dir, '--listen'], /needs a value/],
    [['serve', dir, '--threads', 'lots'], /--threads/],
    [['init'], /missing DIR/],
    [['template', 'render', path.join(dir, 'missing.mustache'), path.join(dir, 'x.json')], /missing\.mustache/],
    [['template'], /render/],
    [['theme', 'check', path.join(dir, 'none')], /none/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.signal, null, `${args.join(' ')} must not crash`);
    assert.match(r.stderr, re, args.join(' '));
    if (args.length) assert.ok(r.stderr.trim().split('\n').length <= 2, `short error for ${args.join(' ')}: ${r.stderr}`);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('serve refuses a directory that is not a site', () => {
  const dir = tempDir();
  const r = run(['serve', dir, '--listen', '127.0.0.1:0']);
  assert.notEqual(r.status, 0);
  assert.equal(r.signal, null);
  rmSync(dir, { recursive: true, force: true });
});

test('init creates a site and refuses to overwrite it', () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const r = run(['init', site]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(path.join(site, 'site.db')));
  assert.ok(existsSync(path.join(site, 'media')));
  const again = run(['init', site, '--demo']);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /already/);
  rmSync(dir, { recursive: true, force: true });
});

test('template render with data and partials', () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'partials'));
  writeFileSync(path.join(dir, 't.mustache'), 'Hello {{name}}! {{#items}}[{{> item}}]{{/items}}\n');
  writeFileSync(path.join(dir, 'partials', 'item.mustache'), '{{.}}');
  writeFileSync(path.join(dir, 'd.json'), JSON.stringify({ name: '<World>', items: ['a', 'b'] }));
  const r = run(['template', 'render', '--partials', path.join(dir, 'partials'), path.join(dir, 't.mustache'), path.join(dir, 'd.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Hello &lt;World&gt;! [a][b]\n');
  writeFileSync(path.join(dir, 'bad.json'), '{"name": ');
  const bad = run(['template', 'render', path.join(dir, 't.mustache'), path.join(dir, 'bad.json')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /bad\.json/);
  writeFileSync(path.join(dir, 'broken.mustache'), '{{#open}}never closed');
  const broken = run(['template', 'render', path.join(dir, 'broken.mustache'), path.join(dir, 'd.json')]);
  assert.notEqual(broken.status, 0);
  assert.match(broken.stderr, /broken|open/);
  rmSync(dir, { recursive: true, force: true });
});

test('theme check passes on the default theme', () => {
  const r = run(['theme', 'check', path.join(process.env.MH_ROOT || '.', 'themes', 'default')]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
