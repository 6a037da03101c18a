// masthead import wxr: the dry run on the WordPress theme unit test export
// (counts checked independently with xmllint --xpath), truncated input,
// and the import itself: counts, hierarchy, converted bodies, 301 from old
// WordPress URLs, idempotence, nothing half-imported, hostile content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, rmSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, ROOT, startServer, get, text } from './helpers.mjs';
import { spawnSync } from 'node:child_process';

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
  assert.match(out, /^comments: 33 \(.*approved 30.*\), skipped \(no guestbook messages on this site yet\)$/m);
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


function sql(site, q) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), q], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function newSite() {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const r = run(['init', site]);
  assert.equal(r.status, 0, r.stderr);
  return { dir, site };
}

const WP = 'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/"';
function wxr(items, head = '') {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ${WP}><channel><title>Small</title>` +
    '<link>http://s.example</link><wp:wxr_version>1.2</wp:wxr_version>' +
    '<wp:base_blog_url>http://s.example</wp:base_blog_url>' + head + items + '</channel></rss>\n';
}
function post(id, title, body, extra = '') {
  return `<item><title>${title}</title><link>http://s.example/2020/01/p${id}/</link><dc:creator>ann</dc:creator>` +
    `<content:encoded><![CDATA[${body}]]></content:encoded><wp:post_id>${id}</wp:post_id>` +
    `<wp:post_date>2020-01-02 03:04:05</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>` +
    `<wp:post_name>p${id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>${extra}</item>`;
}

test('import of the theme unit test export: counts, tree, bodies, old URLs, a second run', async () => {
  const { dir, site } = newSite();
  const r = run(['import', 'wxr', site, WXR]);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^authors: 2 \(2 new accounts without a password, 0 mapped to existing users\)$/m);
  assert.match(out, /^categories: 68 columns$/m);
  assert.match(out, /^pages: 21 columns$/m);
  assert.match(out, /^posts: 58 entries \(published 55, scheduled 1, draft 2, pending 0; private as draft 0, password-protected as draft 1\)$/m);
  assert.match(out, /^attachments: 37 \(0 in the media library, 37 placeholders\)$/m);
  assert.match(out, /^content: 12 \[caption\], 12 \[gallery\] .* 4 <!--more--> summaries, 6 <!--nextpage--> breaks$/m);
  assert.match(out, /^tags: \d+ on \d+ entries skipped/m);
  assert.match(out, /^comments: 33 skipped/m);
  assert.ok(!r.stderr.includes('\r'));
  assert.match(r.stderr, /importing 100%/);
  assert.equal(sql(site, 'SELECT count(*) FROM entries'), '58');
  assert.equal(sql(site, "SELECT count(*) FROM columns WHERE module = 'article'"), '69'); // and "posts" for the posts without a category
  assert.equal(sql(site, "SELECT count(*) FROM columns WHERE slug = 'posts'"), '1');
  assert.equal(sql(site, "SELECT count(*) FROM columns WHERE module = 'page'"), '21');
  // the accounts cannot sign in
  assert.equal(sql(site, "SELECT group_concat(password_hash || ':' || disabled) FROM users WHERE name IN ('themedemos', 'themereviewteam')"), '!wxr:1,!wxr:1');
  // publish time to the second: post_date_gmt 2010-08-07 13:00:19 ("Post Format: Image (Caption)")
  assert.equal(sql(site, "SELECT datetime(publish_at, 'unixepoch') FROM entries WHERE slug = 'post-format-image-caption'"), '2010-08-07 13:00:19');
  const before = sql(site, 'SELECT count(*) FROM entries') + '/' + sql(site, 'SELECT count(*) FROM columns') + '/' + sql(site, 'SELECT count(*) FROM wxr_legacy_paths');

  const srv = await startServer(site);
  try {
    // hierarchy: pages three levels deep, categories Parent > Child 1 > Child 2
    assert.equal((await get(srv, '/level-1/level-2/level-3/')).status, 200);
    assert.equal((await get(srv, '/parent/child-1/child-2/')).status, 200);
    // a known post: [caption] became a figure
    const e = await get(srv, '/classic/post-format-image-caption.html');
    assert.equal(e.status, 200);
    const html = text(e);
    assert.match(html, /<figure[^>]*><a href="https:\/\/wpthemetestdata\.files\.wordpress\.com\/2008\/06\/100_5478\.jpg"><img[^>]*alt="Bell on Wharf"[^>]*><\/a><figcaption>Bell on wharf in San Francisco<\/figcaption><\/figure>/);
    assert.doesNotMatch(html, /\[caption/);
    // a gallery became a list of figures
    const g = text(await get(srv, '/classic/post-format-gallery.html'));
    assert.match(g, /<ul class="gallery">/);
    assert.doesNotMatch(g, /\[gallery/);
    // old URLs answer 301
    for (const [from, to] of [
      ['/2010/08/07/post-format-image-caption/', '/classic/post-format-image-caption.html'],
      ['/?p=1163', '/classic/post-format-image-caption.html'],
      ['/category/parent/child-1/', '/parent/child-1/'],
      ['/?page_id=2', '/about/'],
    ]) {
      const res = await get(srv, from);
      assert.equal(res.status, 301, from);
      assert.ok(res.headers.location.endsWith(to), `${from} -> ${res.headers.location}`);
    }
    assert.equal((await get(srv, '/2010/08/07/no-such-post/')).status, 404);
    assert.equal((await get(srv, '/?p=99999')).status, 200); // the home page
  } finally {
    await srv.stop();
  }

  // a second run adds nothing
  const again = run(['import', 'wxr', site, WXR]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^posts: 0 entries/m);
  assert.match(again.stdout, /^already imported: \d+ \(unchanged\)$/m);
  const after = sql(site, 'SELECT count(*) FROM entries') + '/' + sql(site, 'SELECT count(*) FROM columns') + '/' + sql(site, 'SELECT count(*) FROM wxr_legacy_paths');
  assert.equal(after, before);
  rmSync(dir, { recursive: true, force: true });
});

test('a truncated export imports nothing and says where it broke', () => {
  const { dir, site } = newSite();
  const data = readFileSync(WXR);
  const f = path.join(dir, 'cut.xml');
  writeFileSync(f, data.subarray(0, data.length - 200));
  const r = run(['import', 'wxr', site, f]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cut\.xml:\d+: .*expected/);
  assert.equal(r.stdout, '');
  assert.equal(sql(site, 'SELECT count(*) FROM entries'), '0');
  assert.equal(sql(site, 'SELECT count(*) FROM columns'), '0');
  rmSync(dir, { recursive: true, force: true });
});

test('a site with content is refused without --merge', () => {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  assert.equal(run(['init', site, '--demo']).status, 0);
  const n = sql(site, 'SELECT count(*) FROM entries');
  const f = path.join(dir, 'one.xml');
  writeFileSync(f, wxr(post(5, 'Hello', 'Body text')));
  let r = run(['import', 'wxr', site, f]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /already has content .*--merge/);
  assert.equal(sql(site, 'SELECT count(*) FROM entries'), n);
  r = run(['import', 'wxr', site, f, '--merge']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Number(sql(site, 'SELECT count(*) FROM entries')), Number(n) + 1);
  // a post without a category goes to the "posts" column; local time in the site's zone
  assert.equal(sql(site, "SELECT c.slug || ' ' || datetime(e.publish_at, 'unixepoch') FROM entries e JOIN columns c ON c.id = e.column_id WHERE e.title = 'Hello'"),
    'posts 2020-01-01 19:04:05');
  rmSync(dir, { recursive: true, force: true });
});

test('hostile content is sanitised or refused, never stored raw', () => {
  const { dir, site } = newSite();
  const deep = '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(5000);
  const huge = 'x'.repeat(9 * 1024 * 1024);
  const items =
    post(1, '&lt;script&gt;alert(1)&lt;/script&gt;Title', '<p onclick="x()">a <a href="javascript:alert(1)">link</a></p><script>alert(2)</script>') +
    post(2, 'Deep', deep) +
    post(3, 'Huge', `<p>${huge}</p>`) +
    post(4, 'Iframe', '<iframe src="http://evil.example/"></iframe><img src="x" onerror="alert(3)">');
  const f = path.join(dir, 'hostile.xml');
  writeFileSync(f, wxr(items));
  const r = run(['import', 'wxr', site, f], { timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const rows = sql(site, "SELECT title || '|' || body_html FROM entries ORDER BY id");
  assert.doesNotMatch(rows, /<script|javascript:|onclick|onerror|<iframe/i);
  assert.match(rows, /^Title\|/m); // the script and its text dropped from the title
  assert.match(rows, /deep/);
  const bigOk = sql(site, "SELECT count(*) FROM entries WHERE title = 'Huge'");
  // a body too large for the sanitizer is refused with a message; a smaller one is stored
  if (bigOk === '0') assert.match(r.stdout, /post 3: content too large/);
  rmSync(dir, { recursive: true, force: true });
});

test('--upload copies attachments into the media library and rewrites their URLs', () => {
  const { dir, site } = newSite();
  const up = path.join(dir, 'uploads', '2020', '01');
  mkdirSync(up, { recursive: true });
  const JPEG = Buffer.from(
    '/9j/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAwAEADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDxtKnSoEqdKAJkqdKgSp0oAmSpkqFKmSgCdKmSoUqZKAOSSp0qBKnSgCZKnSoEqdKAJkqZKhSpkoAnSpkqFKmSgDkkqdKgSp0oAmSp0qBKnSgCZKmSoUqZKAJ0qZKhSpkoA//Z',
    'base64');
  writeFileSync(path.join(up, 'a.jpg'), JPEG);
  const att = (id, name) => `<item><title>${name}</title><wp:post_id>${id}</wp:post_id><wp:post_type>attachment</wp:post_type>` +
    `<wp:status>inherit</wp:status><wp:post_parent>1</wp:post_parent><wp:attachment_url>http://s.example/wp-content/uploads/2020/01/${name}</wp:attachment_url></item>`;
  const f = path.join(dir, 'media.xml');
  writeFileSync(f, wxr(att(9, 'a.jpg') + att(10, 'gone.jpg') +
    post(1, 'Pictures', '<img src="http://s.example/wp-content/uploads/2020/01/a-300x200.jpg"> [gallery ids="9,10"]')));
  const r = run(['import', 'wxr', site, f, '--upload', path.join(dir, 'uploads')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^attachments: 2 \(1 in the media library, 1 placeholders\)$/m);
  assert.equal(sql(site, 'SELECT count(*) FROM media'), '1');
  const name = sql(site, 'SELECT stored_name FROM media');
  const body = sql(site, "SELECT body_html FROM entries WHERE title = 'Pictures'");
  assert.ok(body.includes(`/media/${name}`), body);
  assert.ok(!body.includes('a-300x200.jpg'), body);
  assert.ok(body.includes('http://s.example/wp-content/uploads/2020/01/gone.jpg'), 'the missing file keeps its old URL');
  rmSync(dir, { recursive: true, force: true });
});

test('titles are plain text: whole characters, entities decoded, a lone < kept', () => {
  const { dir, site } = newSite();
  const f = path.join(dir, 't.xml');
  writeFileSync(f, wxr(post(1, '新闻发布会', 'x') + post(2, 'Tom &amp;#038; Jerry: 5 &lt; 6 &amp;#8217;s', 'y') +
    post(3, 'A <em>marked</em>   word', 'z')));
  const r = run(['import', 'wxr', site, f]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sql(site, 'SELECT group_concat(title, "|") FROM (SELECT title FROM entries ORDER BY id)'),
    '新闻发布会|Tom & Jerry: 5 < 6 \u2019s|A marked word');
  rmSync(dir, { recursive: true, force: true });
});
