// Settings a webmaster can edit: every group's fields, a message per field
// for bad values (in the admin's language), values reaching the public
// pages (filing numbers, canonical origin from base_url), the SMTP
// password never shown back, and times: seconds kept through an edit, and
// a named time zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startSite, loggedIn, request } from './admin_accounts_lib.mjs';
import { SEED } from './helpers.mjs';

let srv, admin;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const KEYS = ['site_name', 'site_tagline', 'footer_text', 'address', 'phone', 'email', 'icp', 'police_filing',
  'title_pattern', 'keywords', 'description', 'robots_txt', 'base_url', 'admin_path', 'strict_hosts', 'slug_style',
  'timezone', 'time_format', 'date_format', 'feed_content', 'smtp_host', 'smtp_port', 'smtp_security', 'smtp_user',
  'smtp_password', 'smtp_from', 'smtp_to', 'session_idle_minutes', 'session_max_hours'];

before(async () => {
  srv = await startSite();
  admin = await loggedIn(srv);
});
after(async () => { await srv.stop(); });

test('every setting has a field, in groups, with per-language overrides for one language at a time', async () => {
  const page = await admin.get('/admin/settings');
  assert.equal(page.status, 200);
  for (const k of KEYS) assert.match(page.body, new RegExp(`name="site\\.${k}"`), k);
  for (const g of ['identity', 'contact', 'legal', 'seo', 'urls', 'time', 'feeds', 'mail', 'security'])
    assert.match(page.body, new RegExp(`id="group-${g}"`), g);
  const ids = [...page.body.matchAll(/settings\?lang=(\d+)#group-lang/g)].map((m) => m[1]);
  assert.ok(ids.length >= 2, 'a picker with every language');
  assert.match(page.body, new RegExp(`name="lang\\.${ids[0]}\\.site_name"`));
  assert.doesNotMatch(page.body, new RegExp(`name="lang\\.${ids[1]}\\.site_name"`));
  const other = await admin.get(`/admin/settings?lang=${ids[1]}`);
  assert.match(other.body, new RegExp(`name="lang\\.${ids[1]}\\.icp"`));
  assert.doesNotMatch(other.body, new RegExp(`name="lang\\.${ids[1]}\\.base_url"`), 'base_url is site-wide');
});

test('bad values: 422, one message per field, nothing saved, typed values shown again', async () => {
  const token = await admin.csrf('/admin/settings');
  const before = sql("SELECT count(*) FROM settings");
  const bad = await admin.post('/admin/settings', {
    _csrf: token,
    'site.base_url': 'https://www.example.gov.cn/portal/',
    'site.email': 'not-an-address',
    'site.timezone': 'Mars/Olympus_Mons',
    'site.smtp_port': '70000',
    'site.admin_path': '/Admin',
    'site.title_pattern': '{nope} - {site}',
    'site.site_name': 'Changed name',
  });
  assert.equal(bad.status, 422);
  for (const re of [/absolute http:\/\/ or https:\/\/ address with no path/, /Enter an e-mail address/, /Unknown time zone/,
    /port from 1 to 65535/, /Enter a path such as \/manage/, /Use \{page\} or \{title\}/])
    assert.match(bad.body, re);
  assert.equal((bad.body.match(/class="field-error"/g) || []).length, 6);
  assert.match(bad.body, /value="Mars\/Olympus_Mons"/);
  assert.equal(sql("SELECT count(*) FROM settings"), before);
  assert.notEqual(sql("SELECT coalesce(max(value), '') FROM settings WHERE key = 'site_name' AND lang_id IS NULL OR key = 'site_name' AND lang_id = 0"), 'Changed name');
  for (const bad2 of ['ftp://example.org', 'https://user@example.org', 'https://example.org/?q=1', 'javascript:alert(1)', '//example.org'])
    assert.equal((await admin.post('/admin/settings', { _csrf: token, 'site.base_url': bad2 })).status, 422, bad2);
});

test('the messages follow the admin language', async () => {
  const token = await admin.csrf('/admin/settings');
  sql("UPDATE users SET ui_lang = 'zh-CN' WHERE name = 'admin'");
  try {
    const zh = await admin.post('/admin/settings', { _csrf: token, 'site.timezone': 'Nowhere', 'site.email': 'x' });
    assert.equal(zh.status, 422);
    assert.match(zh.body, /未知时区/);
    assert.match(zh.body, /请输入电子邮箱地址/);
    assert.doesNotMatch(zh.body, /Unknown time zone/);
  } finally {
    sql("UPDATE users SET ui_lang = 'en' WHERE name = 'admin'");
  }
});

test('saved values reach the public site; base_url sets the canonical origin', async () => {
  const token = await admin.csrf('/admin/settings');
  const langId = (await admin.get('/admin/settings')).body.match(/name="lang\.(\d+)\.icp"/)[1];
  const ok = await admin.post('/admin/settings', {
    _csrf: token,
    [`lang.${langId}.icp`]: '鲁ICP备12345678号-1',
    'site.base_url': 'https://www.example.gov.cn/',
    'site.icp': '鲁ICP备12345678号-1',
    'site.police_filing': '鲁公网安备37010202000001号',
    'site.email': 'office@example.gov.cn',
    'site.timezone': 'Asia/Shanghai',
    'site.smtp_password': 's3cret-smtp-pass',
    'site.smtp_to': 'a@example.gov.cn, b@example.gov.cn',
  });
  assert.equal(ok.status, 303, ok.body.slice(0, 500));
  assert.equal(sql("SELECT value FROM settings WHERE key = 'base_url'"), 'https://www.example.gov.cn');
  const home = await request(srv, 'GET', '/');
  assert.match(home.body, /鲁ICP备12345678号-1/);
  assert.match(home.body, /href="https:\/\/beian\.mps\.gov\.cn\/#\/query\/webSearch\?code=37010202000001"[^>]*>鲁公网安备37010202000001号</);
  const entry = await request(srv, 'GET', SEED);
  assert.match(entry.body, /https:\/\/www\.example\.gov\.cn\/news\//);
  assert.doesNotMatch(entry.body, /http:\/\/127\.0\.0\.1/);
  const page = await admin.get('/admin/settings');
  assert.doesNotMatch(page.body, /s3cret-smtp-pass/);
  assert.match(page.body, /name="site\.smtp_password_clear"/);
  assert.match(page.body, /value="Asia\/Shanghai"/);
  // an empty password field keeps the stored one
  const again = await admin.post('/admin/settings', { _csrf: token, 'site.smtp_password': '', 'site.site_tagline': 'x' });
  assert.equal(again.status, 303);
  assert.equal(sql("SELECT value FROM settings WHERE key = 'smtp_password'"), 's3cret-smtp-pass');
  const clear = await admin.post('/admin/settings', { _csrf: token, 'site.smtp_password': '', 'site.smtp_password_clear': '1' });
  assert.equal(clear.status, 303);
  assert.equal(sql("SELECT count(*) FROM settings WHERE key = 'smtp_password'"), '0');
  // back to the request's origin
  assert.equal((await admin.post('/admin/settings', { _csrf: token, 'site.base_url': '', 'site.site_tagline': 'y' })).status, 303);
  assert.equal(sql("SELECT count(*) FROM settings WHERE key = 'base_url'"), '0');
  assert.match((await request(srv, 'GET', SEED)).body, new RegExp(`http://${srv.host}:${srv.port}/news/`));
});

async function editForm(id) {
  const page = await admin.get(`/admin/entries/${id}`);
  assert.equal(page.status, 200);
  const val = (name) => {
    const m = page.body.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`));
    return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : '';
  };
  const col = page.body.match(/<select id="e-column" name="column_id"[^>]*>[\s\S]*?<option value="(\d+)" selected/);
  const st = page.body.match(/<select id="e-status" name="status">[\s\S]*?<option value="(\w+)" selected/);
  const body = page.body.match(/<textarea id="body" name="body"[^>]*>([\s\S]*?)<\/textarea>/);
  return {
    _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)[1],
    title: val('title'), slug: val('slug'), publish_at: val('publish_at'), column_id: col[1], status: st[1],
    body: body ? body[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') : '',
  };
}

test('an edit of another field leaves publish_at byte-identical (seconds kept), in a named zone', async () => {
  const id = Number(sql("SELECT id FROM entries WHERE slug = 'li-gang-led-a-team-to-visit-beijing-and-shanghai'"));
  // 2023-07-24 16:41:44 in Asia/Shanghai
  sql(`UPDATE entries SET publish_at = 1690188104 WHERE id = ${id}`);
  for (const zone of ['Asia/Shanghai', '+08:00']) {
    const token = await admin.csrf('/admin/settings');
    assert.equal((await admin.post('/admin/settings', { _csrf: token, 'site.timezone': zone })).status, 303);
    const f = await editForm(id);
    assert.equal(f.publish_at, '2023-07-24T16:41:44', zone);
    assert.match((await admin.get(`/admin/entries/${id}`)).body, /type="datetime-local" step="1"/);
    const res = await admin.post(`/admin/entries/${id}`, { ...f, title: `${f.title} (edited in ${zone})` });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    assert.equal(sql(`SELECT publish_at FROM entries WHERE id = ${id}`), '1690188104');
    assert.match(sql(`SELECT title FROM entries WHERE id = ${id}`), /edited in/);
  }
  // the public page shows the time in the zone, with its offset
  const pub = await request(srv, 'GET', SEED);
  assert.match(pub.body, /datetime="2023-07-24T16:41:44\+08:00"/);
});

test('a zone with summer time: the offset of the instant', async () => {
  const token = await admin.csrf('/admin/settings');
  assert.equal((await admin.post('/admin/settings', { _csrf: token, 'site.timezone': 'Europe/Berlin' })).status, 303);
  const pub = await request(srv, 'GET', SEED);
  assert.match(pub.body, /datetime="2023-07-24T10:41:44\+02:00"/);
  const dash = await admin.get('/admin/');
  assert.equal(dash.status, 200);
});
