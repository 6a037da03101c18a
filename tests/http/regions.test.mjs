// Region fields: the /regions.json endpoint serves the shipped data one
// level at a time, and a region value round-trips through the admin's
// entry form (a path of the data is stored, anything else is refused with
// the field's message and nothing stored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startSite, loggedIn, request } from './admin_accounts_lib.mjs';

let srv, admin, NEWS;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(async () => {
  srv = await startSite();
  admin = await loggedIn(srv);
  NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'news'"));
});
after(async () => { await srv.stop(); });

test('the endpoint gives provinces, then cities, then districts', async () => {
  let res = await request(srv, 'GET', '/regions.json');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.match(res.headers['cache-control'], /max-age=86400/);
  let j = JSON.parse(res.body);
  assert.equal(j.parent, '');
  assert.equal(j.items.length, 34);
  const sd = j.items.find((x) => x.zh === '山东省');
  assert.deepEqual(sd, { code: '370000', zh: '山东省', en: 'Shandong', more: true });
  const hk = j.items.find((x) => x.code === '810000');
  assert.equal(hk.more, false);

  j = JSON.parse((await request(srv, 'GET', '/regions.json?parent=370000')).body);
  assert.equal(j.items.length, 16);
  const qd = j.items.find((x) => x.en === 'Qingdao');
  assert.equal(qd.code, '370200');
  j = JSON.parse((await request(srv, 'GET', `/regions.json?parent=${qd.code}`)).body);
  assert.ok(j.items.some((x) => x.zh === '胶州市' && x.en === 'Jiaozhou' && x.more === false));

  // a city without district data: an empty level
  j = JSON.parse((await request(srv, 'GET', '/regions.json?parent=130100')).body);
  assert.deepEqual(j.items, []);
  // an unknown parent
  assert.equal((await request(srv, 'GET', '/regions.json?parent=999999')).status, 404);
  assert.equal((await request(srv, 'GET', '/regions.json?parent=%3Cx%3E')).status, 404);
});

test('a region field round-trips through the entry form; a bad path is refused', async () => {
  let token = await admin.csrf(`/admin/columns/edit/${NEWS}`);
  let res = await admin.post(`/admin/columns/fields/new/${NEWS}`, { _csrf: token, key: 'place', kind: 'region', label: 'Place' });
  assert.equal(res.status, 303, res.body.slice(0, 300));

  const editor = await admin.get(`/admin/entries/new?column=${NEWS}`);
  assert.match(editor.body, /name="field_place" value="" data-region="\/regions.json" data-region-lang="en"/);
  assert.match(editor.body, /assets\/region\.js/);
  token = editor.body.match(/name="_csrf" value="([^"]+)"/)[1];
  const base = { _csrf: token, title: 'Region story', column_id: String(NEWS), status: 'published', body: '<p>x</p>' };

  res = await admin.post('/admin/entries/new', { ...base, field_place: 'Shandong/Guangzhou' });
  assert.equal(res.status, 422);
  assert.match(res.body, /Choose a place from the lists/);
  assert.match(res.body, /name="field_place" value="Shandong\/Guangzhou"/);
  assert.equal(sql("SELECT count(*) FROM entries WHERE title = 'Region story'"), '0');

  res = await admin.post('/admin/entries/new', { ...base, field_place: 'Shandong/Qingdao/Jiaozhou' });
  assert.equal(res.status, 303, res.body.slice(0, 400));
  const id = Number(res.headers.location.match(/\/admin\/entries\/(\d+)/)[1]);
  assert.equal(sql(`SELECT value FROM field_values WHERE entry_id = ${id} AND key = 'place'`), 'Shandong/Qingdao/Jiaozhou');
  const again = await admin.get(`/admin/entries/${id}`);
  assert.match(again.body, /name="field_place" value="Shandong\/Qingdao\/Jiaozhou"/);

  // Chinese names are accepted as well
  token = again.body.match(/name="_csrf" value="([^"]+)"/)[1];
  res = await admin.post('/admin/entries/new', { ...base, _csrf: token, title: 'Region story 2', field_place: '北京市/海淀区' });
  assert.equal(res.status, 303);

  // the public entry page shows the value
  const slug = sql(`SELECT slug FROM entries WHERE id = ${id}`);
  const pub = await request(srv, 'GET', `/news/${slug}.html`);
  assert.match(pub.body, /<dd>Shandong\/Qingdao\/Jiaozhou<\/dd>/);
  assert.match(pub.body, /assets\/region\.js/);
});
