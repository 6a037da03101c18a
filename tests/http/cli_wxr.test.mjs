// masthead import wxr: the dry run on the WordPress theme unit test export
// (counts checked independently with xmllint --xpath), truncated input,
// and the refusal to import for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, rmSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, ROOT } from './helpers.mjs';

const WXR = path.resolve(ROOT, '..', 'shared', 'interop', 'wordpress', 'themeunittestdata.wordpress.xml');

test('the shared WordPress export is present', () => {
  assert.ok(existsSync(WXR), `missing test data: ${WXR}`);
});

test('dry run prints the summary of the theme unit test export', () => {
  const dir = tempDir();
  const r = run(['import', 'wxr', dir, WXR, '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.signal, null);
  const out = r.stdout;
  assert.match(out, /\(WXR 1\.2\)/);
  assert.match(out, /^site: Theme Unit Test Data <https:\/\/wpthemetestdata\.wordpress\.com>, language en$/m);
  assert.match(out, /^authors: 2$/m);
  assert.match(out, /^ {2}themedemos <themeshaperwp\+demos@gmail\.com> "Theme Buster"$/m);
  assert.match(out, /^categories: 68 \(become columns\)$/m);
  // the category tree: Parent > Child 1 > Child 2
  assert.match(out, /^ {2}Parent \(parent\)\n {4}Child 1 \(child-1\)\n {6}Child 2 \(child-2\)$/m);
  assert.match(out, /^tags: 110$/m);
  assert.match(out, /^posts: 58 \(publish 56, future 1, draft 1\), sticky 1, password-protected 1$/m);
  assert.match(out, /^pages: 21 \(publish 21\), 3 levels deep$/m);
  assert.match(out, /^attachments: 37 \(inherit 37\), 0 files found locally, 37 placeholders/m);
  assert.match(out, /^other items: 70 \(nav_menu_item 70\), not imported$/m);
  assert.match(out, /^comments: 33 \(.*approved 30.*\), become guestbook messages$/m);
  assert.match(out, /^shortcodes converted: 12 \[caption\], 12 \[gallery\] \(\d+ images placed, 1 ids not found\)/m);
  assert.match(out, /<!--nextpage--> breaks: 6$/m);
  assert.match(out, /^dry run: nothing was written$/m);
  // not a terminal: plain progress lines, no carriage returns
  assert.ok(!r.stderr.includes('\r'));
  assert.match(r.stderr, /reading +100%/);
  // nothing written in DIR
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true, force: true });
});

test('--no-comments says the comments are dropped', () => {
  const dir = tempDir();
  const r = run(['import', 'wxr', dir, WXR, '--dry-run', '--no-comments']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^comments: 33 .*dropped \(--no-comments\)$/m);
  rmSync(dir, { recursive: true, force: true });
});

test('a truncated export fails with file:line and a non-zero exit', () => {
  const dir = tempDir();
  const data = readFileSync(WXR);
  for (const cut of [50000, 300000, data.length - 30]) {
    const f = path.join(dir, `cut-${cut}.xml`);
    writeFileSync(f, data.subarray(0, cut));
    const r = run(['import', 'wxr', dir, f, '--dry-run']);
    assert.notEqual(r.status, 0, `cut at ${cut} must fail`);
    assert.equal(r.signal, null);
    assert.match(r.stderr, new RegExp(`cut-${cut}\\.xml:\\d+: .*expected`), r.stderr);
    assert.doesNotMatch(r.stdout, /nothing was written/);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('hostile and wrong input is refused', () => {
  const dir = tempDir();
  const xxe = path.join(dir, 'xxe.xml');
  writeFileSync(xxe, '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' +
    '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&x;</title>' +
    '<wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n');
  let r = run(['import', 'wxr', dir, xxe, '--dry-run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /xxe\.xml:\d+: .*DOCTYPE/);
  assert.doesNotMatch(r.stdout + r.stderr, /root:/);
  const html = path.join(dir, 'page.xml');
  writeFileSync(html, '<html><body/></html>\n');
  r = run(['import', 'wxr', dir, html, '--dry-run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /page\.xml:1: .*expected <rss>/);
  r = run(['import', 'wxr', dir, path.join(dir, 'none.xml'), '--dry-run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /none\.xml/);
  r = run(['import', 'wxr', path.join(dir, 'nodir'), WXR, '--dry-run']);
  assert.equal(r.status, 2);
  r = run(['import', 'wxr', dir, WXR, '--dry-run', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--bogus'/);
  rmSync(dir, { recursive: true, force: true });
});

test('dry run on a small export: orphan category, page cycle, local attachment file', () => {
  const dir = tempDir();
  const wp = 'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"';
  const page = (id, parent) => `<item><title>P${id}</title><wp:post_id>${id}</wp:post_id><wp:post_type>page</wp:post_type>` +
    `<wp:status>draft</wp:status><wp:post_parent>${parent}</wp:post_parent></item>`;
  const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<rss ${wp}><channel><title>Small</title><link>http://s.example</link>` +
    '<wp:wxr_version>1.2</wp:wxr_version>' +
    '<wp:category><wp:category_nicename>a</wp:category_nicename><wp:category_parent>b</wp:category_parent><wp:cat_name>A</wp:cat_name></wp:category>' +
    '<wp:category><wp:category_nicename>top</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Top</wp:cat_name></wp:category>' +
    page(1, 2) + page(2, 1) + page(3, 0) +
    '<item><title>img</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>' +
    '<wp:attachment_url>http://s.example/wp-content/uploads/2020/01/a.jpg</wp:attachment_url></item>' +
    '<item><title>img2</title><wp:post_id>10</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>' +
    '<wp:attachment_url>http://s.example/wp-content/uploads/2020/01/missing.jpg</wp:attachment_url></item>' +
    '<item><title>Post</title><wp:post_id>11</wp:post_id><wp:post_type>post</wp:post_type><wp:status>pending</wp:status>' +
    '<content:encoded><![CDATA[[gallery ids="9,10,12"] [audio src="x"]]]></content:encoded></item>' +
    '</channel></rss>\n';
  const f = path.join(dir, 'small.xml');
  writeFileSync(f, doc);
  mkdirSync(path.join(dir, 'uploads', '2020', '01'), { recursive: true });
  writeFileSync(path.join(dir, 'uploads', '2020', '01', 'a.jpg'), 'x');
  const site = path.join(dir, 'site');
  mkdirSync(site);
  const r = run(['import', 'wxr', site, f, '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}Top \(top\)$/m);
  assert.match(r.stdout, /^ {2}A \(a\) \[parent 'b' not found\]$/m);
  assert.match(r.stdout, /^pages: 3 \(draft 3\)/m);
  assert.match(r.stdout, /^posts: 1 \(pending 1\)/m);
  assert.match(r.stdout, /^attachments: 2 \(inherit 2\), 1 files found locally, 1 placeholders/m);
  assert.match(r.stdout, /1 \[gallery\] \(2 images placed, 1 ids not found\); 1 other shortcodes left as text/);
  assert.deepEqual(readdirSync(site), []);
  rmSync(dir, { recursive: true, force: true });
});

test('without --dry-run importing is refused, not pretended', () => {
  const dir = tempDir();
  const r = run(['import', 'wxr', dir, WXR]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not available yet/);
  assert.equal(r.stdout, '');
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true, force: true });
});
