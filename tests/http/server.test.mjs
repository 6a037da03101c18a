import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDemo, get, rawRequest, text, SEED, ROOT } from './helpers.mjs';

let srv;
before(async () => { srv = await startDemo(); });
after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, 'SIGTERM stops the server cleanly with status 0');
});

const fixture = readFileSync(path.join(ROOT, '..', 'shared', 'fixtures', 'seed-article.txt'), 'utf8');
const paragraphs = fixture.split('\n').map((l) => l.trim())
  .filter((l, i, all) => l && i > 2 && !l.startsWith('Powered by'));

function securityHeaders(res) {
  const csp = res.headers['content-security-policy'];
  assert.ok(csp, 'has a CSP');
  assert.match(csp, /frame-ancestors/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(res.headers['referrer-policy']);
}

test('the seed article is served as the fixture shows it', async () => {
  const res = await get(srv, SEED);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
  securityHeaders(res);
  const html = text(res);
  assert.match(html, /<h1[^>]*>Li Gang Led a Team to Visit Beijing and Shanghai<\/h1>/);
  assert.match(html, /2023-07-24 16:41:44/);
  assert.match(html, /admin/);
  assert.match(html, /<html[^>]* lang="en"/);
  assert.equal(paragraphs.length, 10, 'the fixture has ten paragraphs');
  const decode = (t) => t.replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const ps = [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => decode(m[1]));
  const start = ps.indexOf(paragraphs[0]);
  assert.ok(start >= 0, 'the first paragraph is a <p> of its own');
  assert.deepEqual(ps.slice(start, start + 10), paragraphs, 'ten <p> with the exact text, in order');
  assert.match(html, /mailto:\?/);
  assert.match(html, /service\.weibo\.com\/share/);
  assert.match(html, /linkedin\.com\/sharing/);
  assert.match(html, /twitter\.com\/intent\/tweet|x\.com\/intent/);
  assert.doesNotMatch(html, /<script>/, 'no inline scripts');
});

test('home pages of both languages', async () => {
  const en = await get(srv, '/');
  assert.equal(en.status, 200);
  assert.match(text(en), /Li Gang Led a Team/);
  const zh = await get(srv, '/zh/');
  assert.equal(zh.status, 200);
  assert.match(text(zh), /<html[^>]* lang="zh/);
});

test('canonical trailing slash is a 301', async () => {
  const res = await get(srv, '/news');
  assert.equal(res.status, 301);
  assert.equal(new URL(res.headers.location, srv.url).pathname, '/news/');
  const page1 = await get(srv, '/news/page/1/');
  assert.equal(page1.status, 301);
});

test('pagination: page 2 exists, a page past the end is 404', async () => {
  assert.equal((await get(srv, '/news/page/2/')).status, 200);
  assert.equal((await get(srv, '/news/page/999/')).status, 404);
});

test('unknown paths get the themed 404 page', async () => {
  const res = await get(srv, '/no/such/page.html');
  assert.equal(res.status, 404);
  assert.match(res.headers['content-type'], /text\/html/);
  securityHeaders(res);
  const html = text(res);
  assert.match(html, /<nav/);
  assert.match(html, /<footer/);
});

test('HEAD answers like GET without a body', async () => {
  const g = await get(srv, SEED);
  const h = await get(srv, SEED, {}, 'HEAD');
  assert.equal(h.status, 200);
  assert.equal(h.headers['content-length'], g.headers['content-length']);
  assert.equal(h.headers.etag, g.headers.etag);
  assert.equal(h.body.length, 0);
});

test('other methods get 405 with Allow, OPTIONS gets 204', async () => {
  const res = await rawRequest(srv, Buffer.from(`DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  assert.equal(res.status, 405);
  assert.match(res.headers.allow, /GET/);
  assert.match(res.headers.allow, /HEAD/);
  const post = await rawRequest(srv, Buffer.from(`POST /news/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`));
  assert.equal(post.status, 405);
  const opt = await get(srv, '/', {}, 'OPTIONS');
  assert.equal(opt.status, 204);
  assert.match(opt.headers.allow, /GET/);
});

test('gzip when the client accepts it, identity otherwise', async () => {
  const plain = await get(srv, SEED);
  const gz = await get(srv, SEED, { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary, /Accept-Encoding/);
  assert.ok(gz.body.length < plain.body.length);
  assert.equal(zlib.gunzipSync(gz.body).toString(), plain.body.toString());
  assert.notEqual(gz.headers.etag, plain.headers.etag, 'each encoding has its own ETag');
  const refused = await get(srv, SEED, { 'Accept-Encoding': 'gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
});

test('ETag and If-None-Match give 304', async () => {
  const first = await get(srv, SEED);
  assert.ok(first.headers.etag);
  const again = await get(srv, SEED, { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const other = await get(srv, SEED, { 'If-None-Match': '"nope"' });
  assert.equal(other.status, 200);
});

test('path traversal and malformed paths never reach files', async () => {
  const attempts = [
    '/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../etc/passwd',
    '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc/passwd',
    '/assets%2f..%2f..%2fetc%2fpasswd', '/news/%00.html', '/assets/site.css%00.html',
    '/..\\..\\etc\\passwd', '/assets/%5c..%5c..%5cetc/passwd', '//etc/passwd',
    '/assets/./site.css', '/%252e%252e/etc/passwd',
  ];
  for (const target of attempts) {
    const res = await rawRequest(srv, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'));
    assert.ok([400, 404].includes(res.status), `${target} -> ${res.status}`);
    assert.doesNotMatch(res.body.toString('latin1'), /root:x:0:0/);
  }
});

test('no directory listing under /assets/', async () => {
  for (const t of ['/assets/', '/assets']) {
    const res = await get(srv, t);
    assert.equal(res.status, 404, t);
  }
});

test('theme assets have long cache lifetimes when versioned', async () => {
  const home = text(await get(srv, '/'));
  const m = home.match(/href="(\/assets\/[^"]+\.css\?v=[^"]+)"/);
  assert.ok(m, 'the page links a versioned stylesheet');
  const css = await get(srv, m[1].replace(/&amp;/g, '&'), { 'Accept-Encoding': 'gzip' });
  assert.equal(css.status, 200);
  assert.match(css.headers['content-type'], /^text\/css/);
  assert.match(css.headers['cache-control'], /max-age=31536000/);
  assert.match(css.headers['cache-control'], /immutable/);
  assert.ok(css.headers.etag);
  securityHeaders(css);
  const again = await get(srv, m[1], { 'If-None-Match': css.headers.etag, 'Accept-Encoding': 'gzip' });
  assert.equal(again.status, 304);
});

test('oversized headers get 431, an oversized URI 414', async () => {
  const big = 'x'.repeat(40000);
  const res = await rawRequest(srv, Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`));
  assert.equal(res.status, 431);
  const longUri = '/' + 'a'.repeat(4000);
  const res2 = await rawRequest(srv, Buffer.from(`GET ${longUri} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  assert.equal(res2.status, 414);
});

test('a body larger than the limit gets 413', async () => {
  const res = await rawRequest(srv, Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n`));
  assert.equal(res.status, 413);
});

test('bad requests get 400', async () => {
  const res = await rawRequest(srv, Buffer.from(`GET /a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  assert.equal(res.status, 400);
  const badHost = await rawRequest(srv, Buffer.from(`GET / HTTP/1.1\r\nHost: a b<c\r\nConnection: close\r\n\r\n`));
  assert.equal(badHost.status, 400);
});

test('keep-alive: several requests on one connection', async () => {
  const req = `GET / HTTP/1.1\r\nHost: x\r\n\r\nGET ${SEED} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
  const res = await rawRequest(srv, Buffer.from(req), { timeout: 5000 });
  assert.equal(res.status, 200);
  assert.notEqual((res.headers.connection || '').toLowerCase(), 'close', 'first response keeps the connection open');
});
