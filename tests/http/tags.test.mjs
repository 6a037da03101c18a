// Tags: pages per language (/tag/<slug>/ and /zh/tag/<slug>/), tags on
// entry pages, the sitemap, the editor's tags field (saved with the entry,
// kept in revisions), and the admin tag screen: rename (the old page goes,
// the cached pages change), merge, delete, permissions and audit lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  initSite, setPassword, addUser, serve, loggedIn, request, ADMIN_PW, csrfFrom,
} from './admin_accounts_lib.mjs';

let s;
let srv;
let admin;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(s.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const get = (target) => request(srv, 'GET', target);

before(async () => {
  s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  addUser(s.site, 'ed', 'editor', ADMIN_PW);
  addUser(s.site, 'au', 'author', ADMIN_PW);
  srv = await serve(s.site);
  admin = await loggedIn(srv);
});

after(async () => {
  await srv.stop();
  rmSync(s.root, { recursive: true, force: true });
});

test('tag pages in both languages list public entries, link back from entries, are cached', async () => {
  const en = await get('/tag/enterprise-services/');
  assert.equal(en.status, 200);
  assert.match(en.body, /<html lang="en"/);
  assert.match(en.body, /<h1 class="page-title"><span class="tag-label">Tag<\/span> Enterprise services<\/h1>/);
  assert.match(en.body, /Zone Opens One-Stop Enterprise Service Hall/);
  assert.match(en.body, /Green Energy Pilot Brings Solar Roofs/);
  assert.match(en.body, /<link rel="canonical" href="http:\/\/[^"]+\/tag\/enterprise-services\/"/);
  // Chinese: pinyin slug, Chinese page
  const zh = await get('/zh/tag/qi-ye-fu-wu/');
  assert.equal(zh.status, 200);
  assert.match(zh.body, /<html lang="zh-CN"/);
  assert.match(zh.body, /企业服务/);
  assert.match(zh.body, /园区企业服务大厅启用/);
  assert.doesNotMatch(zh.body, /Enterprise Service Hall/);
  // a tag of another language is not found under this one
  assert.equal((await get('/tag/qi-ye-fu-wu/')).status, 404);
  assert.equal((await get('/zh/tag/enterprise-services/')).status, 404);
  assert.equal((await get('/tag/no-such-tag/')).status, 404);
  // page 1 by number goes to the tag's own URL; past the end: 404
  const p1 = await get('/tag/enterprise-services/page/1/');
  assert.equal(p1.status, 301);
  assert.match(p1.headers.location, /\/tag\/enterprise-services\/$/);
  assert.equal((await get('/tag/enterprise-services/page/2/')).status, 404);
  // cacheable: the same ETag twice, 304 on revalidation
  const again = await get('/tag/enterprise-services/');
  assert.ok(en.headers.etag);
  assert.equal(again.headers.etag, en.headers.etag);
  assert.equal((await request(srv, 'GET', '/tag/enterprise-services/', { headers: { 'If-None-Match': en.headers.etag } })).status, 304);
  // the entry page links to its tags
  const entry = await get('/news/zone-news/zone-opens-one-stop-enterprise-service-hall.html');
  assert.match(entry.body, /<a href="\/tag\/enterprise-services\/" rel="tag">Enterprise services<\/a>/);
  const zentry = await get('/zh/news/zone-news/yuan-qu-qi-ye-fu-wu-da-ting-qi-yong.html');
  assert.match(zentry.body, /<a href="\/zh\/tag\/qi-ye-fu-wu\/" rel="tag">企业服务<\/a>/);
  // a feed per tag (RSS and Atom), advertised on the tag page
  assert.match(en.body, /<link rel="alternate" type="application\/rss\+xml" title="Enterprise services - [^"]+" href="\/tag\/enterprise-services\/feed\.xml">/);
  const rss = await get('/zh/tag/qi-ye-fu-wu/feed.xml');
  assert.equal(rss.status, 200);
  assert.match(rss.headers['content-type'], /application\/rss\+xml/);
  assert.match(rss.body, /<title>企业服务 - [^<]+<\/title>/);
  assert.equal((rss.body.match(/<item>/g) || []).length, 2);
  const atom = await get('/tag/enterprise-services/atom.xml');
  assert.equal(atom.status, 200);
  assert.equal((atom.body.match(/<entry>/g) || []).length, 2);
  assert.equal((await get('/tag/no-such-tag/feed.xml')).status, 404);
  // the sitemap lists the tag pages of both languages
  const sm = await get('/sitemap.xml');
  assert.match(sm.body, /\/tag\/enterprise-services\/<\/loc>/);
  assert.match(sm.body, /\/zh\/tag\/qi-ye-fu-wu\/<\/loc>/);
});

test('a tag of drafts only has no page; pagination at 20 entries a page', async () => {
  const lang = sql("SELECT id FROM languages WHERE code = 'en'");
  sql(`INSERT INTO tags (lang_id, name, slug) VALUES (${lang}, 'Secret', 'secret')`);
  const tag = sql("SELECT id FROM tags WHERE slug = 'secret'");
  sql(`INSERT INTO entry_tags SELECT id, ${tag}, 0 FROM entries WHERE status = 'draft' AND lang_id = ${lang}`);
  assert.ok(Number(sql(`SELECT count(*) FROM entry_tags WHERE tag_id = ${tag}`)) >= 1);
  assert.equal((await get('/tag/secret/')).status, 404);
  assert.doesNotMatch((await get('/sitemap.xml')).body, /\/tag\/secret\//);
  // 21 public entries: two pages
  sql(`INSERT INTO tags (lang_id, name, slug) VALUES (${lang}, 'Many', 'many')`);
  const many = sql("SELECT id FROM tags WHERE slug = 'many'");
  sql(`INSERT INTO entry_tags SELECT id, ${many}, 0 FROM entries WHERE status = 'published' AND lang_id = ${lang}`
    + ' AND deleted_at IS NULL ORDER BY publish_at DESC LIMIT 21');
  const n = Number(sql(`SELECT count(*) FROM entry_tags WHERE tag_id = ${many}`));
  assert.ok(n > 20, `enough public entries (${n})`);
  await new Promise((r) => setTimeout(r, 1200)); // the poll notices the shell's writes
  const p1 = await get('/tag/many/');
  assert.equal(p1.status, 200);
  assert.match(p1.body, /href="\/tag\/many\/page\/2\/"/);
  const p2 = await get('/tag/many/page/2/');
  assert.equal(p2.status, 200);
  assert.equal((p2.body.match(/<li class="card/g) || []).length, n - 20);
  // the sqlite3 shell runs without foreign keys: the links go by hand
  sql(`DELETE FROM entry_tags WHERE tag_id IN (${many}, ${tag}); DELETE FROM tags WHERE id IN (${many}, ${tag})`);
});

async function editForm(br, id) {
  const page = await br.get(`/admin/entries/${id}`);
  assert.equal(page.status, 200);
  const unesc = (v) => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const val = (name) => {
    const m = page.body.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`));
    return m ? unesc(m[1]) : '';
  };
  const col = page.body.match(/<select id="e-column" name="column_id"[^>]*>[\s\S]*?<option value="(\d+)" selected/);
  const st = page.body.match(/<select id="e-status" name="status">[\s\S]*?<option value="(\w+)" selected/);
  const body = page.body.match(/<textarea id="body" name="body"[^>]*>([\s\S]*?)<\/textarea>/);
  const summary = page.body.match(/<textarea[^>]*name="summary"[^>]*>([\s\S]*?)<\/textarea>/);
  return {
    page,
    fields: {
      _csrf: csrfFrom(page.body), title: val('title'), slug: val('slug'), publish_at: val('publish_at'),
      column_id: col[1], status: st[1], tags: val('tags'),
      summary: summary ? unesc(summary[1]) : '', body: body ? unesc(body[1]) : '',
    },
  };
}

test('the editor saves tags with the entry (pinyin slugs for new Chinese tags) and in its revision', async () => {
  const id = Number(sql("SELECT id FROM entries WHERE slug = 'zone-opens-one-stop-enterprise-service-hall'"));
  const { page, fields } = await editForm(admin, id);
  assert.equal(fields.tags, 'Enterprise services');
  assert.match(page.body, /<datalist id="e-tag-list">[\s\S]*<option value="Enterprise services">/);
  const gen0 = sql('SELECT value FROM content_generation');
  const res = await admin.post(`/admin/entries/${id}`, { ...fields, tags: 'Enterprise services， Ports ,港口物流, Ports' });
  assert.equal(res.status, 303, res.body.slice(0, 400));
  assert.equal(sql(`SELECT group_concat(t.name, '|') FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = ${id} ORDER BY et.position`),
    'Enterprise services|Ports|港口物流');
  // a Chinese name typed into an English entry still gets a pinyin slug
  assert.equal(sql("SELECT slug FROM tags WHERE name = '港口物流'"), 'gang-kou-wu-liu');
  assert.ok(Number(sql('SELECT value FROM content_generation')) > Number(gen0));
  const pub = await get('/tag/gang-kou-wu-liu/');
  assert.equal(pub.status, 200);
  assert.match(pub.body, /Zone Opens One-Stop Enterprise Service Hall/);
  assert.match((await get('/news/zone-news/zone-opens-one-stop-enterprise-service-hall.html')).body, /href="\/tag\/ports\/" rel="tag">Ports</);
  // the revision records them
  const snap = sql(`SELECT snapshot FROM revisions WHERE entry_id = ${id} ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(snap).tags, ['Enterprise services', 'Ports', '港口物流']);
  // a bad list: 422, the typed value back, nothing changed
  const bad = await admin.post(`/admin/entries/${id}`, { ...fields, tags: 'x'.repeat(61) });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /value="x{61}"/);
  assert.equal(sql(`SELECT count(*) FROM entry_tags WHERE entry_id = ${id}`), '3');
  // emptying the field removes them
  const { fields: f2 } = await editForm(admin, id);
  assert.equal((await admin.post(`/admin/entries/${id}`, { ...f2, tags: '' })).status, 303);
  assert.equal(sql(`SELECT count(*) FROM entry_tags WHERE entry_id = ${id}`), '0');
  const gone = await get('/tag/gang-kou-wu-liu/');
  assert.equal(gone.status, 404);
  // restoring the revision that had them brings them back
  const rev = sql(`SELECT id FROM revisions WHERE entry_id = ${id} AND snapshot LIKE '%港口物流%' ORDER BY id DESC LIMIT 1`);
  assert.ok(rev, 'a revision with the tags');
  const revPage = await admin.get(`/admin/entries/${id}/revisions/${rev}`);
  assert.equal((await admin.post(`/admin/entries/${id}/revisions/${rev}/restore`, { _csrf: csrfFrom(revPage.body) })).status, 303);
  assert.equal(sql(`SELECT group_concat(t.name, '|') FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = ${id} ORDER BY et.position`),
    'Enterprise services|Ports|港口物流');
  assert.equal((await get('/tag/gang-kou-wu-liu/')).status, 200);
});

test('admin tag screen: rename invalidates pages, merge, delete; editors only; audited', async () => {
  const listPage = await admin.get('/admin/tags');
  assert.equal(listPage.status, 200);
  assert.match(listPage.body, /Logistics/);
  const zhList = await admin.get(`/admin/tags?lang=${sql("SELECT id FROM languages WHERE code = 'zh-CN'")}`);
  assert.match(zhList.body, /物流/);
  const token = csrfFrom(listPage.body);
  const id = sql("SELECT id FROM tags WHERE slug = 'green-energy'");
  const before = await get('/tag/green-energy/');
  assert.equal(before.status, 200);
  const entryUrl = '/news/zone-news/green-energy-pilot-brings-solar-roofs-to-zone-factories.html';
  assert.match((await get(entryUrl)).body, /Green energy</);
  // without the token: refused
  assert.equal((await admin.post(`/admin/tags/${id}/rename`, { name: 'x' })).status, 403);
  const r = await admin.post(`/admin/tags/${id}/rename`, { _csrf: token, name: 'Clean energy' });
  assert.equal(r.status, 303);
  assert.equal((await get('/tag/green-energy/')).status, 404, 'the cached old page is gone');
  assert.equal((await get('/tag/clean-energy/')).status, 200);
  const entry = await get(entryUrl);
  assert.match(entry.body, /href="\/tag\/clean-energy\/" rel="tag">Clean energy</, 'the cached entry page changed');
  // a name another tag has: 409, nothing changes
  const taken = await admin.post(`/admin/tags/${id}/rename`, { _csrf: token, name: 'Logistics' });
  assert.equal(taken.status, 409);
  assert.equal(sql(`SELECT name FROM tags WHERE id = ${id}`), 'Clean energy');
  assert.equal((await admin.post(`/admin/tags/${id}/rename`, { _csrf: token, name: ' , ' })).status, 422);
  // merge into Enterprise services
  const into = sql("SELECT id FROM tags WHERE slug = 'enterprise-services'");
  const zhTag = sql("SELECT id FROM tags WHERE slug = 'wu-liu'");
  assert.equal((await admin.post(`/admin/tags/${id}/merge`, { _csrf: token, into: zhTag })).status, 422, 'other language');
  assert.equal((await admin.post(`/admin/tags/${id}/merge`, { _csrf: token, into })).status, 303);
  assert.equal(sql(`SELECT count(*) FROM tags WHERE id = ${id}`), '0');
  assert.equal((await get('/tag/clean-energy/')).status, 404);
  assert.match((await get('/tag/enterprise-services/')).body, /Green Energy Pilot/);
  // delete
  assert.equal((await admin.post(`/admin/tags/${into}/delete`, { _csrf: token })).status, 303);
  assert.equal((await get('/tag/enterprise-services/')).status, 404);
  assert.doesNotMatch((await get(entryUrl)).body, /rel="tag">Enterprise services</);
  assert.equal(sql("SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'tag.%' ORDER BY id)"),
    'tag.rename tag.merge tag.delete');
  // editors manage tags; authors do not
  const ed = await loggedIn(srv, 'ed', ADMIN_PW);
  assert.equal((await ed.get('/admin/tags')).status, 200);
  const au = await loggedIn(srv, 'au', ADMIN_PW);
  assert.equal((await au.get('/admin/tags')).status, 403);
  const zid = sql("SELECT id FROM tags WHERE slug = 'wu-liu'");
  assert.equal((await au.post(`/admin/tags/${zid}/delete`, { _csrf: await au.csrf('/admin/') })).status, 403);
  assert.equal(sql(`SELECT count(*) FROM tags WHERE id = ${zid}`), '1');
  // the Chinese admin
  const zhAdmin = await admin.get('/admin/tags', { 'Accept-Language': 'zh-CN' });
  assert.equal(zhAdmin.status, 200);
});
