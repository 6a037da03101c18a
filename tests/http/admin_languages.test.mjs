// Languages as a webmaster sets them up, against the real binary: the
// /admin/languages screens (admin only), a domain per language decided by
// the Host header, strict hosts (421), hiding a language from the public,
// deleting one with its content after a confirmation, adding one by
// copying another, UI string overrides and the per-language date format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, startDemo, request as sharedRequest, rawRequest, text, cookieValue } from './helpers.mjs';

let srv;
const users = {};
const PASSWORD = 'correct horse battery staple 42';

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
function addUser(name, role) {
  const r = run(['user', 'add', srv.site, name, '--role', role], { input: `${PASSWORD}\n${PASSWORD}\n` });
  if (r.status !== 0) throw new Error(`user add ${name}: ${r.stderr}`);
}
async function login(name) {
  const page = await request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const form = new URLSearchParams({ name, password: PASSWORD, _csrf: csrfIn(page.text()) }).toString();
  const res = await request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(res.status, 303, `login of ${name}`);
  const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  const home = await request('GET', '/admin/', { headers: { Cookie: cookie } });
  assert.equal(home.status, 200);
  users[name] = { cookie, csrf: csrfIn(home.text()) };
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
// A public GET with a Host header of our choosing (the connection is still loopback).
async function hostGet(host, target) {
  const req = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
  const res = await rawRequest(srv, Buffer.from(req, 'latin1'));
  return { status: res.status, headers: res.headers, body: text(res) };
}
const langId = (code) => Number(sql(`SELECT id FROM languages WHERE code = '${code}'`));

before(async () => {
  srv = await startDemo();
  addUser('root', 'admin');
  addUser('eddie', 'editor');
  await login('root');
  await login('eddie');
});

after(async () => {
  if (srv) await srv.stop();
});

test('the languages screens are for administrators only', async () => {
  const r = await get('root', '/admin/languages');
  assert.equal(r.status, 200);
  assert.match(r.text(), /zh-CN/);
  assert.match(r.text(), /href="\/admin\/languages"/, 'in the admin navigation');
  for (const p of ['/admin/languages', `/admin/languages/edit/${langId('zh-CN')}`,
    `/admin/languages/delete/${langId('zh-CN')}`, `/admin/languages/strings/${langId('zh-CN')}`]) {
    assert.equal((await get('eddie', p)).status, 403, `editor: ${p}`);
  }
  const w = await post('eddie', '/admin/languages', { action: 'add', code: 'fr', name: 'Français', prefix: 'fr' });
  assert.equal(w.status, 403);
  assert.equal(sql("SELECT count(*) FROM languages WHERE code = 'fr'"), '0');
  assert.equal((await get('root', '/admin/languages/edit/9999')).status, 404);
  const zh = await get('root', '/admin/languages?lang=zh-CN');
  assert.equal(zh.status, 200);
});

test('add a language, refuse a taken prefix, audit lines written', async () => {
  const bad = await post('root', '/admin/languages', { action: 'add', code: 'de', name: 'Deutsch', prefix: 'zh', public: '1' });
  assert.equal(bad.status, 422);
  const ok = await post('root', '/admin/languages', { action: 'add', code: 'de', name: 'Deutsch', prefix: 'de', public: '1' });
  assert.equal(ok.status, 303);
  assert.equal(sql("SELECT public FROM languages WHERE code = 'de'"), '1');
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'language.create'"), '1');
  const home = await hostGet('127.0.0.1', '/de/');
  assert.equal(home.status, 200, 'a new language has a home even without columns');
});

test('a hidden language answers 404 and leaves the switcher; the admin still edits it', async () => {
  const zh = langId('zh-CN');
  const before1 = await hostGet('127.0.0.1', '/');
  assert.match(before1.body, /hreflang="zh-CN"/);
  const r = await post('root', `/admin/languages/edit/${zh}`, { name: '中文', prefix: 'zh', domain: '', position: '1', date_format: '%Y年%m月%d日' });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT public FROM languages WHERE id = ${zh}`), '0');
  assert.equal((await hostGet('127.0.0.1', '/zh/')).status, 404);
  assert.equal((await hostGet('127.0.0.1', '/zh/news/')).status, 404);
  const home = await hostGet('127.0.0.1', '/');
  assert.equal(home.status, 200);
  assert.doesNotMatch(home.body, /hreflang="zh-CN"/);
  assert.equal((await get('root', `/admin/columns?lang=zh-CN`)).status, 200);
  const back = await post('root', `/admin/languages/edit/${zh}`, { name: '中文', prefix: 'zh', domain: '', position: '1', public: '1', date_format: '%Y年%m月%d日' });
  assert.equal(back.status, 303);
  assert.equal((await hostGet('127.0.0.1', '/zh/')).status, 200);
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'language.update'"), '2');
});

test('the date format is per language', async () => {
  const zh = await hostGet('127.0.0.1', '/zh/news/');
  assert.match(zh.body, /\d{4}年\d{2}月\d{2}日<\/time>/);
  const en = await hostGet('127.0.0.1', '/news/');
  assert.match(en.body, /\d{4}-\d{2}-\d{2}<\/time>/);
  assert.doesNotMatch(en.body, /年/);
});

test('a domain per language decides the language by Host; strict hosts answer 421', async () => {
  const en = langId('en'), zh = langId('zh-CN');
  let r = await post('root', `/admin/languages/edit/${en}`, { name: 'English', prefix: '', domain: 'en.example.gov.cn', position: '0', date_format: '' });
  assert.equal(r.status, 303);
  r = await post('root', `/admin/languages/edit/${zh}`, { name: '中文', prefix: 'zh', domain: 'www.example.gov.cn', position: '1', public: '1', date_format: '%Y年%m月%d日' });
  assert.equal(r.status, 303);
  const zhHome = await hostGet('www.example.gov.cn', '/');
  assert.equal(zhHome.status, 200);
  assert.match(zhHome.body, /<html lang="zh/);
  assert.match(zhHome.body, /href="http:\/\/en\.example\.gov\.cn\/"/, 'the switcher goes to the other host');
  const zhNews = await hostGet('www.example.gov.cn', '/news/');
  assert.equal(zhNews.status, 200);
  assert.match(zhNews.body, /<html lang="zh/);
  assert.equal((await hostGet('www.example.gov.cn', '/zh/news/')).status, 404, 'no prefix on its own host');
  const enHome = await hostGet('en.example.gov.cn', '/');
  assert.match(enHome.body, /<html lang="en/);
  assert.match(enHome.body, /href="http:\/\/www\.example\.gov\.cn\/"/);
  // unknown hosts: the default language (and the page cache keeps hosts apart)
  const other = await hostGet('other.example', '/');
  assert.equal(other.status, 200);
  assert.match(other.body, /<html lang="en/);
  sql("INSERT INTO settings (site_id, lang_id, key, value) VALUES ((SELECT id FROM sites), NULL, 'strict_hosts', '1')");
  let refused;
  for (let i = 0; i < 50; i++) {
    refused = await hostGet('other.example', '/');
    if (refused.status === 421) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(refused.status, 421);
  assert.equal((await hostGet('www.example.gov.cn', '/')).status, 200);
  sql("DELETE FROM settings WHERE key = 'strict_hosts'");
  await post('root', `/admin/languages/edit/${en}`, { name: 'English', prefix: '', domain: '', position: '0', date_format: '' });
  await post('root', `/admin/languages/edit/${zh}`, { name: '中文', prefix: 'zh', domain: '', position: '1', public: '1', date_format: '%Y年%m月%d日' });
  assert.equal((await hostGet('127.0.0.1', '/zh/')).status, 200);
});

test('UI strings overridden per language from the admin', async () => {
  const zh = langId('zh-CN');
  const page = await get('root', `/admin/languages/strings/${zh}`);
  assert.equal(page.status, 200);
  assert.match(page.text(), /name="ui\.skip_to_content"/);
  const r = await post('root', `/admin/languages/strings/${zh}`, { 'ui.skip_to_content': '跳到正文（改）', 'ui.menu': '菜单X' });
  assert.equal(r.status, 303);
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'language.strings'"), '1');
  const pub = await hostGet('127.0.0.1', '/zh/');
  assert.match(pub.body, /跳到正文（改）/);
  const en = await hostGet('127.0.0.1', '/');
  assert.doesNotMatch(en.body, /跳到正文（改）/);
  // a partial form leaves the other overrides alone; the page's whole form empties them
  const partial = await post('root', `/admin/languages/strings/${zh}`, { 'ui.menu': '菜单Y' });
  assert.equal(partial.status, 303);
  assert.equal(sql("SELECT count(*) FROM settings WHERE key = 'ui.skip_to_content'"), '1');
  const shown = await get('root', `/admin/languages/strings/${zh}`);
  assert.match(shown.text(), /value="菜单Y"/);
  const cleared = await post('root', `/admin/languages/strings/${zh}`, { all: '1', 'ui.skip_to_content': '' });
  assert.equal(cleared.status, 303);
  assert.equal(sql("SELECT count(*) FROM settings WHERE key LIKE 'ui.%'"), '0');
  assert.doesNotMatch((await hostGet('127.0.0.1', '/zh/')).body, /跳到正文（改）/);
});

test('copy a language: column tree untranslated and hidden, no entries', async () => {
  const en = langId('en');
  const r = await post('root', '/admin/languages', { action: 'copy', from: String(en), code: 'ru', name: 'Русский', prefix: 'ru', domain: '' });
  assert.equal(r.status, 303);
  const ru = langId('ru');
  assert.equal(sql(`SELECT public FROM languages WHERE id = ${ru}`), '0');
  assert.equal(sql(`SELECT count(*) FROM columns WHERE lang_id = ${ru}`), sql(`SELECT count(*) FROM columns WHERE lang_id = ${en}`));
  assert.equal(sql(`SELECT count(*) FROM columns WHERE lang_id = ${ru} AND name NOT LIKE '[untranslated] %'`), '0');
  assert.equal(sql(`SELECT count(*) FROM entries WHERE lang_id = ${ru}`), '0');
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'language.copy'"), '1');
  assert.equal((await hostGet('127.0.0.1', '/ru/news/')).status, 404, 'hidden until made public');
  await post('root', `/admin/languages/edit/${ru}`, { name: 'Русский', prefix: 'ru', domain: '', position: '3', public: '1', date_format: '' });
  const news = await hostGet('127.0.0.1', '/ru/news/');
  assert.equal(news.status, 200);
  assert.match(news.body, /\[untranslated\]/);
});

test('delete a language after a confirmation that counts what goes', async () => {
  const zh = langId('zh-CN');
  const en = langId('en');
  assert.equal((await get('root', `/admin/languages/delete/${en}`)).status, 409, 'not the default language');
  assert.equal((await post('root', `/admin/languages/delete/${en}`, { confirm: 'en' })).status, 409);
  const page = await get('root', `/admin/languages/delete/${zh}`);
  assert.equal(page.status, 200);
  const cols = sql(`SELECT count(*) FROM columns WHERE lang_id = ${zh}`);
  const ents = sql(`SELECT count(*) FROM entries WHERE lang_id = ${zh}`);
  assert.ok(Number(ents) > 0);
  assert.match(page.text(), new RegExp(`class="count-columns">${cols}<`));
  assert.match(page.text(), new RegExp(`class="count-entries">${ents}<`));
  const wrong = await post('root', `/admin/languages/delete/${zh}`, { confirm: 'nope' });
  assert.equal(wrong.status, 422);
  assert.equal((await hostGet('127.0.0.1', '/zh/')).status, 200);
  const ok = await post('root', `/admin/languages/delete/${zh}`, { confirm: 'zh-CN' });
  assert.equal(ok.status, 303);
  assert.equal(sql(`SELECT count(*) FROM columns WHERE lang_id = ${zh}`), '0');
  assert.equal(sql(`SELECT count(*) FROM entries WHERE lang_id = ${zh}`), '0');
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'language.delete'"), '1');
  assert.equal((await hostGet('127.0.0.1', '/zh/news/')).status, 404);
  assert.doesNotMatch((await hostGet('127.0.0.1', '/')).body, /hreflang="zh-CN"/);
});
