// Custom fields end to end: an editor defines two fields on a column in the
// admin, saves an entry with values (an invalid one is refused with 422 and
// the field's own message, the values sent kept in the form), and the
// public entry page shows them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, startDemo, request as sharedRequest, cookieValue } from './helpers.mjs';

let srv, user, NEWS;
const PASSWORD = 'correct horse battery staple 42';

const request = (method, target, opts) => sharedRequest(srv, method, target, opts);
const origin = () => `http://${srv.host}:${srv.port}`;
const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function post(target, fields) {
  const body = new URLSearchParams({ _csrf: user.csrf });
  for (const [k, v] of fields) body.append(k, v);
  return request('POST', target, {
    headers: { Cookie: user.cookie, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

before(async () => {
  srv = await startDemo();
  NEWS = Number(sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'news'"));
  const r = run(['user', 'add', srv.site, 'eddie', '--role', 'editor'], { input: `${PASSWORD}\n${PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const form = new URLSearchParams({ name: 'eddie', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(res.status, 303);
  const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  const home = await request('GET', '/admin/entries', { headers: { Cookie: cookie } });
  user = { cookie, csrf: csrfIn(home.text()) };
});

after(async () => {
  if (srv) await srv.stop();
});

test('an editor defines fields, saves an entry with them, and the public page shows them', async () => {
  // two definitions on the news column
  let res = await post(`/admin/columns/fields/new/${NEWS}`, [
    ['key', 'budget'], ['kind', 'number'], ['label', 'Budget (million)'], ['required', '1'],
  ]);
  assert.equal(res.status, 303, res.text().slice(0, 400));
  res = await post(`/admin/columns/fields/new/${NEWS}`, [
    ['key', 'sectors'], ['kind', 'checkbox'], ['label', 'Sectors'], ['options', 'Logistics\nEnergy\nFinance'],
  ]);
  assert.equal(res.status, 303);
  // a bad key is refused with its message, on the column page
  res = await post(`/admin/columns/fields/new/${NEWS}`, [['key', 'Bad Key'], ['kind', 'text'], ['label', 'X']]);
  assert.equal(res.status, 422);
  assert.match(res.text(), /The key must start with a letter/);
  assert.equal(sql(`SELECT group_concat(key || ':' || kind, ',') FROM field_defs WHERE column_id = ${NEWS}`),
    'budget:number,sectors:checkbox');

  // the column page lists them; the editor renders an input per definition
  const colPage = await request('GET', `/admin/columns/edit/${NEWS}`, { headers: { Cookie: user.cookie } });
  assert.match(colPage.text(), /<code>budget<\/code>/);
  const editor = await request('GET', `/admin/entries/new?column=${NEWS}`, { headers: { Cookie: user.cookie } });
  assert.match(editor.text(), /name="field_budget"/);
  assert.match(editor.text(), /type="checkbox" name="field_sectors" value="Energy"/);

  const base = [['title', 'Fields story'], ['column_id', String(NEWS)], ['status', 'published'], ['body', '<p>x</p>']];
  // invalid: not a number, and an option that is not offered
  res = await post('/admin/entries/new', [...base, ['field_budget', 'lots'], ['field_sectors', 'Mining']]);
  assert.equal(res.status, 422);
  const html = res.text();
  assert.match(html, /Enter a number\./);
  assert.match(html, /Choose one of the options\./);
  assert.match(html, /name="field_budget" value="lots"/, 'the value sent is kept');
  assert.equal(sql("SELECT count(*) FROM entries WHERE title = 'Fields story'"), '0', 'nothing stored');
  // required
  res = await post('/admin/entries/new', [...base]);
  assert.equal(res.status, 422);
  assert.match(res.text(), /This field is required\./);

  // valid
  res = await post('/admin/entries/new', [...base, ['field_budget', '12.5'], ['field_sectors', 'Energy'], ['field_sectors', 'Finance']]);
  assert.equal(res.status, 303, res.text().slice(0, 400));
  const id = Number(res.headers.location.match(/\/admin\/entries\/(\d+)/)[1]);
  assert.equal(sql(`SELECT group_concat(key || '=' || value || '/' || coalesce(num, ''), ',') FROM (SELECT * FROM field_values WHERE entry_id = ${id} ORDER BY key, seq)`),
    'budget=12.5/12.5,sectors=Energy/,sectors=Finance/');
  // the revision keeps them
  assert.match(sql(`SELECT snapshot FROM revisions WHERE entry_id = ${id} ORDER BY id DESC LIMIT 1`),
    /"fields":\{"budget":\["12.5"\],"sectors":\["Energy","Finance"\]\}/);
  // the editor shows the stored values
  const again = await request('GET', `/admin/entries/${id}`, { headers: { Cookie: user.cookie } });
  assert.match(again.text(), /name="field_budget" value="12.5"/);
  assert.match(again.text(), /value="Finance" checked/);

  // the public page
  const slug = sql(`SELECT slug FROM entries WHERE id = ${id}`);
  const pub = await request('GET', `/news/${slug}.html`);
  assert.equal(pub.status, 200);
  assert.match(pub.text(), /<dt>Budget \(million\)<\/dt><dd>12.5<\/dd>/);
  assert.match(pub.text(), /<dt>Sectors<\/dt><dd>Energy, Finance<\/dd>/);
});
