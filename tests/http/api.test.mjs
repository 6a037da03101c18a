// The public JSON API (/api/v1/): the OpenAPI document is valid OpenAPI 3.1
// (npm @seriousme/openapi-schema-validator), every documented operation is
// called here and its answers are checked against the document's own
// response schemas (ajv, JSON Schema 2020-12), and what the API returns is
// what the public site shows: published entries of visible columns only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startDemo, get, text, SEED } from './helpers.mjs';
import { SPEC, check as checkOp, assertAllCalled } from './openapi_lib.mjs';

const check = (route, status, body) => checkOp('GET', route, status, body);

function sql(site, stmt) {
  const r = spawnSync('sqlite3', [path.join(site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function waitFor(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(srv, target, headers = {}) {
  const res = await get(srv, `/api/v1${target}`, headers);
  const body = res.status === 304 ? null : text(res);
  return { status: res.status, headers: res.headers, json: body && res.status !== 204 ? JSON.parse(body) : null };
}

test('the OpenAPI document is valid OpenAPI 3.1 and is served as written', async () => {
  const v = new Validator();
  const r = await v.validate(SPEC);
  assert.ok(r.valid, JSON.stringify(r.errors));
  assert.equal(v.version, '3.1');
  const srv = await startDemo();
  try {
    const res = await api(srv, '/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.deepEqual(res.json, SPEC);
    check('/openapi.json', 200, res.json);
  } finally {
    await srv.stop();
  }
});

test('languages, the column tree, a column, its entries, an entry by id and by path, search', async () => {
  const srv = await startDemo();
  try {
    const langs = await api(srv, '/languages');
    assert.equal(langs.status, 200);
    check('/languages', 200, langs.json);
    assert.deepEqual(langs.json.languages.map((l) => [l.code, l.prefix, l.default]), [['en', '', true], ['zh-CN', 'zh', false]]);

    const tree = await api(srv, '/columns?lang=zh');
    check('/columns', 200, tree.json);
    assert.equal(tree.json.lang, 'zh-CN');
    const news = tree.json.columns.find((c) => c.slug === 'news');
    assert.equal(news.url, '/zh/news/');
    assert.equal(news.type, 'article');
    assert.ok(news.children.some((c) => c.path === 'news/zone-news' && c.url === '/zh/news/zone-news/'));
    const en = await api(srv, '/columns');
    check('/columns', 200, en.json);
    assert.equal(en.json.lang, 'en', 'the default language without ?lang');
    const about = en.json.columns.find((c) => c.slug === 'about');
    assert.match(about.body_html, /<p>/, 'a single page carries its body');
    const unknown = await api(srv, '/columns?lang=xx');
    assert.equal(unknown.status, 404);
    check('/columns', 404, unknown.json);

    const enNews = en.json.columns.find((c) => c.slug === 'news');
    const col = await api(srv, `/columns/${enNews.id}`);
    check('/columns/{id}', 200, col.json);
    assert.equal(col.json.name, 'News');
    const noCol = await api(srv, '/columns/999999');
    assert.equal(noCol.status, 404);
    check('/columns/{id}', 404, noCol.json);

    const page1 = await api(srv, `/columns/${enNews.id}/entries?per_page=3`);
    check('/columns/{id}/entries', 200, page1.json);
    const count = Number(sql(srv.site, `SELECT count(*) FROM entries WHERE column_id = ${enNews.id} AND deleted_at IS NULL AND status IN ('published','scheduled') AND publish_at <= strftime('%s','now')`));
    assert.equal(page1.json.total, count);
    assert.equal(page1.json.items.length, Math.min(3, count));
    assert.equal(page1.json.pages, Math.ceil(count / 3));
    const page2 = await api(srv, `/columns/${enNews.id}/entries?per_page=3&page=2`);
    assert.ok(!page2.json.items.some((e) => page1.json.items.some((f) => f.id === e.id)), 'pages do not overlap');
    const withSubs = await api(srv, `/columns/${enNews.id}/entries?descendants=1&per_page=100`);
    assert.ok(withSubs.json.total > count, 'sub-columns included');
    assert.ok(withSubs.json.items.some((e) => e.url.startsWith('/news/zone-news/')), 'their entries have their own URLs');
    for (const bad of ['page=0', 'per_page=101', 'page=x'])
      assert.equal((await api(srv, `/columns/${enNews.id}/entries?${bad}`)).status, 400, bad);
    const badFilter = await api(srv, `/columns/${enNews.id}/entries?field=nope&value=1`);
    assert.equal(badFilter.status, 400);
    check('/columns/{id}/entries', 400, badFilter.json);
    const pageCol = await api(srv, `/columns/${about.id}/entries`);
    assert.equal(pageCol.status, 404, 'a single page has no entries');
    check('/columns/{id}/entries', 404, pageCol.json);

    const byPath = await api(srv, `/entries/by-path?path=${encodeURIComponent(SEED)}`);
    check('/entries/by-path', 200, byPath.json);
    assert.equal(byPath.json.title, 'Li Gang Led a Team to Visit Beijing and Shanghai');
    assert.equal(byPath.json.url, SEED);
    assert.equal(byPath.json.published_at, '2023-07-24T08:41:44Z', 'to the second, in UTC');
    assert.match(byPath.json.body_html, /Xiamen/);
    const zh = byPath.json.translations.find((t) => t.lang === 'zh-CN');
    assert.ok(zh && zh.url.startsWith('/zh/news/'), 'its translation');
    const page = text(await get(srv, SEED));
    assert.ok(page.includes('Li Gang Led a Team'), 'the same entry the site shows');

    const byId = await api(srv, `/entries/${byPath.json.id}`);
    check('/entries/{id}', 200, byId.json);
    assert.deepEqual(byId.json, byPath.json);
    const zhEntry = await api(srv, `/entries/by-path?path=${encodeURIComponent(zh.url)}`);
    assert.equal(zhEntry.json.id, zh.id);
    assert.equal(zhEntry.json.lang, 'zh-CN');
    const none = await api(srv, '/entries/by-path?path=/news/nothing.html');
    assert.equal(none.status, 404);
    check('/entries/by-path', 404, none.json);
    const badPath = await api(srv, '/entries/by-path?path=news');
    assert.equal(badPath.status, 400);
    check('/entries/by-path', 400, badPath.json);
    const noId = await api(srv, '/entries/999999');
    assert.equal(noId.status, 404);
    check('/entries/{id}', 404, noId.json);

    const found = await api(srv, `/search?lang=zh&q=${encodeURIComponent('北京')}`);
    check('/search', 200, found.json);
    assert.ok(found.json.items.some((h) => h.id === zh.id), 'CJK search finds the translation');
    assert.ok(found.json.items.every((h) => /<mark>/.test(h.title_html + h.snippet_html)));
    const hostile = await api(srv, `/search?q=${encodeURIComponent('"NEAR(a b) * -x <script>')}`);
    assert.equal(hostile.status, 200, 'query syntax is text');
    assert.ok(!JSON.stringify(hostile.json).includes('<script>'));
    const long = await api(srv, `/search?q=${'a'.repeat(201)}`);
    assert.equal(long.status, 400);
    check('/search', 400, long.json);
    const empty = await api(srv, '/search?q=');
    assert.equal(empty.json.total, 0);
    assert.equal((await api(srv, '/search?lang=xx&q=a')).status, 404);
    check('/search', 404, (await api(srv, '/search?lang=xx&q=a')).json);
  } finally {
    await srv.stop();
  }
});

test('only public content: drafts, hidden columns and hidden languages are not there', async () => {
  const srv = await startDemo();
  try {
    const e = (await api(srv, `/entries/by-path?path=${encodeURIComponent(SEED)}`)).json;
    sql(srv.site, `UPDATE entries SET status = 'draft' WHERE id = ${e.id}`);
    assert.ok(await waitFor(async () => (await api(srv, `/entries/${e.id}`)).status === 404), 'a draft is gone');
    sql(srv.site, `UPDATE entries SET status = 'published' WHERE id = ${e.id}`);
    assert.ok(await waitFor(async () => (await api(srv, `/entries/${e.id}`)).status === 200));
    sql(srv.site, `UPDATE columns SET visible = 0 WHERE id = ${e.column_id}`);
    assert.ok(await waitFor(async () => (await api(srv, `/entries/${e.id}`)).status === 404), 'hidden column');
    assert.equal((await api(srv, `/columns/${e.column_id}`)).status, 404);
    assert.ok(!JSON.stringify((await api(srv, '/columns')).json).includes(`"id":${e.column_id},`));
    sql(srv.site, "UPDATE languages SET public = 0 WHERE code = 'zh-CN'");
    assert.ok(await waitFor(async () => (await api(srv, '/languages')).json.languages.length === 1), 'hidden language');
    assert.equal((await api(srv, '/columns?lang=zh')).status, 404);
  } finally {
    await srv.stop();
  }
});

test('ETag and 304 until public content changes; CORS by the setting', async () => {
  const srv = await startDemo();
  try {
    const first = await api(srv, '/languages');
    const etag = first.headers.etag;
    assert.ok(etag);
    const again = await waitFor(async () => (await api(srv, '/languages', { 'If-None-Match': (await api(srv, '/languages')).headers.etag })).status === 304);
    assert.ok(again, '304 for the current validator');
    check('/languages', 304, null);
    const cur = (await api(srv, '/columns')).headers.etag;
    assert.notEqual(cur, (await api(srv, '/columns?lang=zh')).headers.etag, 'the query is part of the validator');
    sql(srv.site, "UPDATE entries SET title = title || ' (updated)' WHERE id = (SELECT min(id) FROM entries WHERE status = 'published')");
    assert.ok(await waitFor(async () => (await api(srv, '/columns', { 'If-None-Match': cur })).status === 200), 'a public change gives a new validator');
    for (const r of ['/columns', '/columns/1', '/columns/1/entries', '/entries/1', `/entries/by-path?path=${encodeURIComponent(SEED)}`, '/search?q=a']) {
      const a = await api(srv, r);
      const b = await api(srv, r, { 'If-None-Match': a.headers.etag });
      assert.equal(b.status, 304, r);
      check(r.split('?')[0].replace(/\/\d+/g, '/{id}'), 304, null);
    }

    assert.equal((await api(srv, '/languages', { Origin: 'https://app.example' })).headers['access-control-allow-origin'], undefined, 'no CORS by default');
    sql(srv.site, "INSERT INTO settings (site_id, lang_id, key, value) VALUES (1, NULL, 'api_cors_origins', 'https://app.example https://other.example')");
    assert.ok(await waitFor(async () => (await api(srv, '/languages', { Origin: 'https://app.example' })).headers['access-control-allow-origin'] === 'https://app.example'));
    const other = await api(srv, '/languages', { Origin: 'https://evil.example' });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    assert.match(other.headers.vary || '', /Origin/);
    const pre = await get(srv, '/api/v1/entries/1', { Origin: 'https://other.example', 'Access-Control-Request-Method': 'GET' }, 'OPTIONS');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://other.example');
    assert.match(pre.headers['access-control-allow-methods'], /GET/);
    sql(srv.site, "UPDATE settings SET value = '*' WHERE key = 'api_cors_origins'");
    assert.ok(await waitFor(async () => (await api(srv, '/languages', { Origin: 'https://x.example' })).headers['access-control-allow-origin'] === '*'));
  } finally {
    await srv.stop();
  }
});

test('every documented public operation and response was exercised', () => {
  assertAllCalled((m, route) => m === 'get' && route !== '/me');
});
