// The editorial feature against the real binary: the permission matrix and
// id-tampering (IDOR) attempts, editing and publishing through to the
// public site and its page cache, revisions, the recycle bin, the review
// workflow, columns, and scheduled publishing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, startDemo, request as sharedRequest, cookieValue } from './helpers.mjs';

let srv;
const users = {}; // name -> { cookie, csrf, id }
const PASSWORD = 'correct horse battery staple 42';
let NEWS, ZONE, ZH_NEWS, INVEST; // column ids from the demo site

// ---- HTTP ----

function request(method, target, opts) {
  return sharedRequest(srv, method, target, opts);
}

const origin = () => `http://${srv.host}:${srv.port}`;

function csrfIn(html) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  return m ? m[1] : null;
}

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function waitFor(fn, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
}

function addUser(name, role) {
  const r = run(['user', 'add', srv.site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
  if (r.status !== 0) throw new Error(`user add ${name}: ${r.stderr}`);
}

async function login(name) {
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const token = csrfIn(page.text());
  const form = new URLSearchParams({ name, password: PASSWORD, _csrf: token }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(res.status, 303, `login of ${name}: ${res.text()}`);
  const session = cookieValue(res, 'mh_session');
  const home = await request('GET', '/admin/entries', { headers: { Cookie: `mh_session=${session}` } });
  assert.equal(home.status, 200, `${name} sees the entry list`);
  users[name] = {
    cookie: `mh_session=${session}`,
    csrf: csrfIn(home.text()),
    id: Number(sql(`SELECT id FROM users WHERE name = '${name}'`)),
  };
}

function get(user, target) {
  return request('GET', target, { headers: user ? { Cookie: users[user].cookie } : {} });
}

function post(user, target, fields = {}) {
  const form = new URLSearchParams({ _csrf: users[user].csrf, ...fields }).toString();
  return request('POST', target, {
    headers: { Cookie: users[user].cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}

// Create an entry through the editor; returns its id.
async function create(user, fields) {
  const res = await post(user, '/admin/entries/new', { status: 'draft', ...fields });
  assert.equal(res.status, 303, `${user} creates an entry: ${res.status} ${res.text().slice(0, 300)}`);
  const m = res.headers.location.match(/\/admin\/entries\/(\d+)/);
  assert.ok(m, res.headers.location);
  return Number(m[1]);
}

const entryRow = (id) => sql(`SELECT title, status, column_id, coalesce(deleted_at, 0) > 0 FROM entries WHERE id = ${id}`);

// "YYYY-MM-DDTHH:MM:SS" in the site's timezone (+08:00) for t ms.
function siteTime(t) {
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 19);
}

before(async () => {
  srv = await startDemo();
  NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'news'"));
  ZONE = Number(sql(`SELECT id FROM columns WHERE parent_id = ${NEWS} AND slug = 'zone-news'`));
  INVEST = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'investment'"));
  ZH_NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'zh-CN' AND c.slug = 'news'"));
  addUser('eddie', 'editor');
  addUser('alice', 'author');
  addUser('bob', 'author');
  addUser('cathy', 'contributor');
  addUser('greta', 'editor');
  // greta may work only in the English news column (and its sub-columns)
  const gid = sql("SELECT id FROM users WHERE name = 'greta'");
  const en = sql("SELECT id FROM languages WHERE code = 'en'");
  sql(`INSERT INTO grants (user_id, column_id, lang_id) VALUES (${gid}, ${NEWS}, ${en})`);
  for (const u of ['eddie', 'alice', 'bob', 'cathy', 'greta']) await login(u);
});

after(async () => {
  if (srv) await srv.stop();
});

test('an author publishes; the public list and page show it at once, escaped and sanitised', async () => {
  const before = await request('GET', '/news/');
  assert.equal(before.status, 200);
  const again = await request('GET', '/news/');
  assert.equal(again.headers.etag, before.headers.etag, 'the list page is cached');
  const id = await create('alice', {
    title: 'Harbour <script>alert(1)</script> opens',
    slug: 'harbour-opens',
    column_id: String(NEWS),
    status: 'published',
    body: '<p>Ships <strong>arrive</strong><script>alert(2)</script><img src="x.png" onerror="alert(3)"></p>',
  });
  assert.match(entryRow(id), /\|published\|/);
  const body = sql(`SELECT body_html FROM entries WHERE id = ${id}`);
  assert.doesNotMatch(body, /script|onerror/);
  assert.match(body, /<strong>arrive<\/strong>/);
  const list = (await request('GET', '/news/')).text();
  assert.match(list, /Harbour &lt;script&gt;alert\(1\)&lt;\/script&gt; opens/);
  assert.doesNotMatch(list, /<script>alert\(1\)/);
  const page = await request('GET', '/news/harbour-opens.html');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text(), /alert\(2\)|onerror/);
  // every save left a revision and an audit line
  assert.equal(sql(`SELECT count(*) FROM revisions WHERE entry_id = ${id}`), '1');
  assert.match(sql(`SELECT action FROM audit_log WHERE object = 'entry:${id}'`), /entry\.create/);
});

test('an author cannot read, edit, trash or purge another author\'s entry by changing ids', async () => {
  const id = await create('alice', { title: 'Alice private draft', column_id: String(NEWS) });
  const own = await create('bob', { title: 'Bob own draft', column_id: String(NEWS) });
  const snapshot = entryRow(id);
  assert.equal((await get('bob', `/admin/entries/${id}`)).status, 404);
  assert.equal((await get('bob', `/admin/entries/${id}/revisions`)).status, 404);
  const rev = sql(`SELECT id FROM revisions WHERE entry_id = ${id} LIMIT 1`);
  assert.equal((await get('bob', `/admin/entries/${id}/revisions/${rev}`)).status, 404);
  // a revision of alice's entry through bob's own entry URL
  assert.equal((await get('bob', `/admin/entries/${own}/revisions/${rev}`)).status, 404);
  assert.equal((await post('bob', `/admin/entries/${own}/revisions/${rev}/restore`)).status, 404);
  assert.equal((await post('bob', `/admin/entries/${id}`, { title: 'Hacked', column_id: String(NEWS), status: 'draft' })).status, 404);
  assert.equal((await post('bob', `/admin/entries/${id}/trash`)).status, 404);
  assert.equal((await post('bob', `/admin/entries/${id}/submit`)).status, 404);
  assert.equal((await post('bob', `/admin/entries/${id}/translate`, { lang_id: '2', column_id: String(ZH_NEWS) })).status, 404);
  assert.equal(entryRow(id), snapshot, 'nothing changed');
  // in the bin, still not bob's
  assert.equal((await post('alice', `/admin/entries/${id}/trash`)).status, 303);
  assert.equal((await post('bob', `/admin/trash/${id}/restore`)).status, 404);
  assert.equal((await post('bob', `/admin/trash/${id}/purge`)).status, 404);
  assert.match(entryRow(id), /\|1$/, 'still in the bin');
  // lists do not leak it either
  assert.doesNotMatch((await get('bob', '/admin/entries')).text(), /Alice private draft/);
  assert.doesNotMatch((await get('bob', '/admin/trash')).text(), /Alice private draft/);
  assert.match((await get('alice', '/admin/trash')).text(), /Alice private draft/);
});

test('a contributor cannot publish; submit, return with a comment, approve', async () => {
  const n = sql('SELECT count(*) FROM entries');
  const res = await post('cathy', '/admin/entries/new', { title: 'Sneaky', column_id: String(NEWS), status: 'published' });
  assert.equal(res.status, 403);
  assert.equal(sql('SELECT count(*) FROM entries'), n, 'no entry was created');
  const id = await create('cathy', { title: 'Cathy report', column_id: String(NEWS), body: '<p>Draft text</p>' });
  // publishing the own draft through the editor or the review routes fails
  assert.equal((await post('cathy', `/admin/entries/${id}`, { title: 'Cathy report', column_id: String(NEWS), status: 'scheduled', publish_at: siteTime(Date.now() + 60000) })).status, 403);
  assert.equal((await post('cathy', `/admin/review/${id}/approve`)).status, 403);
  assert.equal((await get('cathy', '/admin/review')).status, 403);
  assert.match(entryRow(id), /\|draft\|/);

  assert.equal((await post('cathy', `/admin/entries/${id}/submit`, { comment: 'please look' })).status, 303);
  assert.match(entryRow(id), /\|pending\|/);
  assert.match((await get('eddie', '/admin/review')).text(), /Cathy report/);
  assert.equal((await post('eddie', `/admin/review/${id}/return`, { comment: 'Needs a <b>source</b>' })).status, 303);
  assert.match(entryRow(id), /\|draft\|/);
  const editor = (await get('cathy', `/admin/entries/${id}`)).text();
  assert.match(editor, /Needs a &lt;b&gt;source&lt;\/b&gt;/, 'the comment is shown to the author, escaped');
  // resubmit through the editor's status, then approve
  assert.equal((await post('cathy', `/admin/entries/${id}`, { title: 'Cathy report', column_id: String(NEWS), status: 'pending', source: 'Port office' })).status, 303);
  assert.match(entryRow(id), /\|pending\|/);
  assert.equal((await post('eddie', `/admin/review/${id}/approve`)).status, 303);
  assert.match(entryRow(id), /\|published\|/);
  assert.match((await request('GET', '/news/')).text(), /Cathy report/);
  // once published, the contributor can no longer change it
  assert.equal((await post('cathy', `/admin/entries/${id}`, { title: 'Changed', column_id: String(NEWS), status: 'pending' })).status, 403);
  assert.equal(sql(`SELECT group_concat(action) FROM (SELECT action FROM reviews WHERE entry_id = ${id} ORDER BY id)`), 'submit,reject,submit,approve');
});

test('a grant-restricted editor stays inside the grant', async () => {
  const outside = await create('eddie', { title: 'Investment note', column_id: String(INVEST) });
  const zh = await create('eddie', { title: 'Chinese note', column_id: String(ZH_NEWS) });
  const snapshot = entryRow(outside);
  assert.equal((await get('greta', `/admin/columns/${INVEST}/entries`)).status, 403);
  assert.equal((await get('greta', `/admin/entries/${outside}`)).status, 404);
  assert.equal((await get('greta', `/admin/entries/${zh}`)).status, 404);
  assert.equal((await post('greta', `/admin/entries/${outside}`, { title: 'X', column_id: String(INVEST), status: 'draft' })).status, 404);
  const n = sql('SELECT count(*) FROM entries');
  assert.equal((await post('greta', '/admin/entries/new', { title: 'Out of grant', column_id: String(ZH_NEWS) })).status, 403);
  assert.equal((await post('greta', '/admin/entries/new', { title: 'Out of grant', column_id: String(INVEST) })).status, 403);
  assert.equal(sql('SELECT count(*) FROM entries'), n);
  // moving an entry out of the grant through the form is refused too
  const inside = await create('greta', { title: 'Inside grant', column_id: String(ZONE) });
  assert.equal((await post('greta', `/admin/entries/${inside}`, { title: 'Inside grant', column_id: String(INVEST), status: 'draft' })).status, 403);
  assert.match(entryRow(inside), new RegExp(`\\|${ZONE}\\|`));
  assert.equal((await get('greta', `/admin/columns/edit/${INVEST}`)).status, 403);
  assert.equal((await post('greta', `/admin/columns/delete/${INVEST}`)).status, 403);
  assert.equal(entryRow(outside), snapshot);
  assert.doesNotMatch((await get('greta', '/admin/entries')).text(), /Investment note|Chinese note/);
});

test('revisions: diff and restore', async () => {
  const id = await create('alice', { title: 'Version one', column_id: String(NEWS), body: '<p>The quick brown fox</p>' });
  assert.equal((await post('alice', `/admin/entries/${id}`, { title: 'Version two', column_id: String(NEWS), status: 'draft', body: '<p>The slow brown fox</p>' })).status, 303);
  const list = (await get('alice', `/admin/entries/${id}/revisions`)).text();
  const revs = [...list.matchAll(/\/admin\/entries\/\d+\/revisions\/(\d+)/g)].map((m) => Number(m[1]));
  assert.equal(revs.length, 2);
  const first = Math.min(...revs);
  const diff = (await get('alice', `/admin/entries/${id}/revisions/${first}`)).text();
  assert.match(diff, /<del>quick<\/del><ins>slow<\/ins>/);
  assert.match(diff, /&lt;p&gt;The /, 'markup in the diff is escaped');
  assert.equal((await post('alice', `/admin/entries/${id}/revisions/${first}/restore`)).status, 303);
  assert.match(entryRow(id), /^Version one\|/);
  assert.equal(sql(`SELECT body_html FROM entries WHERE id = ${id}`), '<p>The quick brown fox</p>');
  assert.equal(sql(`SELECT count(*) FROM revisions WHERE entry_id = ${id}`), '3');
});

test('recycle bin: trash hides from the site, restore brings back, purge deletes', async () => {
  const id = await create('bob', { title: 'Binned story', slug: 'binned-story', column_id: String(NEWS), status: 'published' });
  assert.equal((await request('GET', '/news/binned-story.html')).status, 200);
  assert.equal((await post('bob', `/admin/entries/${id}/trash`)).status, 303);
  assert.equal((await request('GET', '/news/binned-story.html')).status, 410, 'gone while in the bin');
  assert.doesNotMatch((await request('GET', '/news/')).text(), /Binned story/);
  assert.match((await get('bob', '/admin/trash')).text(), /Binned story/);
  assert.equal((await get('bob', `/admin/entries/${id}`)).status, 404, 'not editable while binned');
  assert.equal((await post('bob', `/admin/trash/${id}/restore`)).status, 303);
  assert.equal((await request('GET', '/news/binned-story.html')).status, 200);
  assert.equal((await post('bob', `/admin/trash/${id}/purge`)).status, 404, 'purge only from the bin');
  assert.equal((await post('bob', `/admin/entries/${id}/trash`)).status, 303);
  assert.equal((await post('bob', `/admin/trash/${id}/purge`)).status, 303);
  assert.equal(sql(`SELECT count(*) FROM entries WHERE id = ${id}`), '0');
  assert.equal(sql(`SELECT count(*) FROM revisions WHERE entry_id = ${id}`), '0');
  assert.equal((await request('GET', '/news/binned-story.html')).status, 404, 'purged: not found');
  assert.match(sql(`SELECT group_concat(action) FROM audit_log WHERE object = 'entry:${id}'`), /entry\.trash.*entry\.restore.*entry\.purge/);
});

test('columns: only editors manage them; no move under a descendant; delete moves entries first', async () => {
  assert.equal((await get('alice', '/admin/columns')).status, 403);
  assert.equal((await post('alice', '/admin/columns/new', { name: 'Nope', module: 'article', page_size: '10' })).status, 403);
  let res = await post('eddie', '/admin/columns/new', { name: 'Events', slug: 'events', lang_id: '1', module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1' });
  assert.equal(res.status, 303, res.text().slice(0, 400));
  const events = Number(sql("SELECT id FROM columns WHERE slug = 'events' AND parent_id IS NULL"));
  res = await post('eddie', '/admin/columns/new', { name: 'Past', slug: 'past', lang_id: '1', parent_id: String(events), module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1' });
  assert.equal(res.status, 303);
  const past = Number(sql(`SELECT id FROM columns WHERE slug = 'past' AND parent_id = ${events}`));
  // under its own child: refused, tree unchanged
  res = await post('eddie', `/admin/columns/edit/${events}`, { name: 'Events', slug: 'events', parent_id: String(past), module: 'article', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1' });
  assert.equal(res.status, 422);
  assert.equal(sql(`SELECT coalesce(parent_id, 0) FROM columns WHERE id = ${events}`), '0');
  // javascript: links are refused
  res = await post('eddie', `/admin/columns/edit/${past}`, { name: 'Past', parent_id: String(events), module: 'link', link_url: 'javascript:alert(1)', nav: 'header', sort_mode: 'newest', page_size: '10' });
  assert.equal(res.status, 422);
  // single-page body goes through the sanitizer
  res = await post('eddie', `/admin/columns/edit/${past}`, { name: 'Past', slug: 'past', parent_id: String(events), module: 'page', nav: 'header', sort_mode: 'newest', page_size: '10', visible: '1', body: '<p>Hi<script>x()</script></p>' });
  assert.equal(res.status, 303);
  assert.equal(sql(`SELECT body_html FROM columns WHERE id = ${past}`), '<p>Hi</p>');
  sql(`UPDATE columns SET module = 'article' WHERE id = ${past}`);
  // reorder among siblings
  const before = sql(`SELECT position FROM columns WHERE id = ${events}`);
  assert.equal((await post('eddie', `/admin/columns/up/${events}`)).status, 303);
  assert.notEqual(sql(`SELECT position FROM columns WHERE id = ${events}`), before);
  // delete with entries: refused, then with a target
  const e = await create('eddie', { title: 'Old event', column_id: String(past) });
  res = await post('eddie', `/admin/columns/delete/${events}`);
  assert.equal(res.status, 409);
  assert.equal(sql(`SELECT count(*) FROM columns WHERE id = ${events}`), '1');
  assert.match((await get('eddie', `/admin/columns/delete/${events}`)).text(), /name="move_to"/);
  res = await post('eddie', `/admin/columns/delete/${events}`, { move_to: String(past) });
  assert.equal(res.status, 409, 'not into its own subtree');
  res = await post('eddie', `/admin/columns/delete/${events}`, { move_to: String(NEWS) });
  assert.equal(res.status, 303);
  assert.equal(sql(`SELECT count(*) FROM columns WHERE id IN (${events}, ${past})`), '0');
  assert.equal(sql(`SELECT column_id FROM entries WHERE id = ${e}`), String(NEWS));
});

test('translations share a group and start as drafts', async () => {
  const id = await create('alice', { title: 'Bridge opens', column_id: String(NEWS), status: 'published' });
  const editor = (await get('alice', `/admin/entries/${id}`)).text();
  assert.match(editor, /name="lang_id" value="2"/);
  const res = await post('alice', `/admin/entries/${id}/translate`, { lang_id: '2', column_id: String(ZH_NEWS) });
  assert.equal(res.status, 303);
  const tid = Number(res.headers.location.match(/entries\/(\d+)/)[1]);
  assert.equal(sql(`SELECT translation_group = (SELECT translation_group FROM entries WHERE id = ${id}) FROM entries WHERE id = ${tid}`), '1');
  assert.match(entryRow(tid), /\|draft\|/);
  // a column of the wrong language is refused
  assert.equal((await post('alice', `/admin/entries/${id}/translate`, { lang_id: '2', column_id: String(NEWS) })).status, 403);
});

test('a scheduled entry appears on the cached public list at its time', async () => {
  const first = await request('GET', '/news/');
  assert.equal((await request('GET', '/news/')).headers.etag, first.headers.etag, 'cached');
  const id = await create('eddie', {
    title: 'Scheduled launch', slug: 'scheduled-launch', column_id: String(NEWS),
    status: 'scheduled', publish_at: siteTime(Date.now() + 2500),
  });
  assert.match(entryRow(id), /\|scheduled\|/);
  assert.doesNotMatch((await request('GET', '/news/')).text(), /Scheduled launch/);
  assert.equal((await request('GET', '/news/scheduled-launch.html')).status, 404);
  const seen = await waitFor(async () => /Scheduled launch/.test((await request('GET', '/news/')).text()));
  assert.ok(seen, 'the scheduled entry went public without a restart');
  assert.equal((await request('GET', '/news/scheduled-launch.html')).status, 200);
  assert.ok(await waitFor(async () => /\|published\|/.test(entryRow(id))), 'status became published');
  // drafts and pending entries never appear
  await create('eddie', { title: 'Quiet draft', column_id: String(NEWS), status: 'draft' });
  await create('eddie', { title: 'Waiting entry', column_id: String(NEWS), status: 'pending' });
  const list = (await request('GET', '/news/')).text();
  assert.doesNotMatch(list, /Quiet draft|Waiting entry/);
});
