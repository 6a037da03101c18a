// Mail notifications: the settings' test mail reaches a local SMTP sink
// with Chinese subject and body intact (RFC 2047 headers, base64 UTF-8
// body, Date, Message-ID); a dead mail server is retried with back-off and
// the message shows as failed in the admin with its error and a retry
// button; the SMTP password reaches the mail server and no page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startSite, loggedIn, csrfFrom, request } from './admin_accounts_lib.mjs';
import { startSink } from './smtp_sink.mjs';

const SECRET = 'pa55-Wörd-7f3c9e';
const EDITOR_PW = 'an editor passphrase of some length';
let srv, admin, sink;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function until(what, fn, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A loopback port nobody listens on.
async function deadPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

async function settings(fields) {
  const token = await admin.csrf('/admin/settings');
  const res = await admin.post('/admin/settings', { _csrf: token, ...fields, _end: '1' });
  assert.equal(res.status, 303, res.body);
}

before(async () => {
  sink = await startSink();
  srv = await startSite({
    env: { MH_MAIL_RETRY_BASE: '1', MH_MAIL_ATTEMPTS: '3' },
    users: [['ed', 'editor', EDITOR_PW]],
  });
  admin = await loggedIn(srv);
});
after(async () => { await srv.stop(); await sink.close(); });

test('without a mail server the test button queues nothing and says so', async () => {
  const settingsPage = await admin.get('/admin/settings');
  assert.match(settingsPage.body, /<form method="post" action="\/admin\/settings\/test-mail">/);
  assert.match(settingsPage.body, /<a href="\/admin\/mail">/);
  const token = await admin.csrf('/admin/settings');
  const res = await admin.post('/admin/settings/test-mail', { _csrf: token });
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/admin\/settings\?msg=mail_unconfigured/);
  assert.equal(sql('SELECT count(*) FROM mail_queue'), '0');
  const page = await admin.get('/admin/mail');
  assert.equal(page.status, 200);
  assert.match(page.body, /No mail server is set/);
});

test('the test mail is delivered with Chinese subject and body intact, and no password in any page', async () => {
  const gen0 = sql('SELECT value FROM content_generation');
  await settings({
    'site.site_name': '示范开发区管委会',
    'site.smtp_host': '127.0.0.1',
    'site.smtp_port': String(sink.port),
    'site.smtp_security': 'none',
    'site.smtp_user': 'notify',
    'site.smtp_password': SECRET,
    'site.smtp_from': 'web@example.gov.cn',
    'site.smtp_to': 'office@example.gov.cn, director@example.gov.cn',
  });
  // the admin in Chinese: the test mail's subject and body are written in it
  let token = await admin.csrf('/admin/profile');
  assert.equal((await admin.post('/admin/profile', { _csrf: token, ui_lang: 'zh-CN' })).status, 303);
  const gen1 = sql('SELECT value FROM content_generation');
  token = await admin.csrf('/admin/settings');
  const res = await admin.post('/admin/settings/test-mail', { _csrf: token });
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/admin\/mail\?msg=mail_test_queued/);
  const msg = await until('the test mail', () => sink.messages[0]);
  assert.equal(msg.headers.subject, '示范开发区管委会: 测试邮件');
  assert.match(msg.rawHeaders.subject, /^=\?UTF-8\?B\?/, 'encoded per RFC 2047');
  for (const line of msg.raw.toString('latin1').split('\r\n')) assert.ok(line.length <= 998);
  assert.match(msg.body, /这是一封来自网站设置页面的测试邮件/);
  assert.match(msg.body, /发送人： admin/);
  assert.match(msg.headers.date, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/);
  assert.match(msg.headers['message-id'], /^<[^<>@\s]+@example\.gov\.cn>$/);
  assert.match(msg.headers.from, /示范开发区管委会 <web@example\.gov\.cn>/);
  assert.match(msg.headers['content-type'], /text\/plain; charset=UTF-8/);
  assert.equal(msg.from, '<web@example.gov.cn>');
  assert.deepEqual(msg.rcpt.sort(), ['<office@example.gov.cn>', '<director@example.gov.cn>'].sort());
  // the password went to the mail server (AUTH) ...
  assert.ok(sink.auths.some((a) => a.includes(SECRET)), 'the password reached the mail server');
  // ... and is in no page
  await until('sent in the admin', () => sql("SELECT status FROM mail_queue") === 'sent');
  for (const p of ['/admin/settings', '/admin/mail', '/admin/mail?status=sent', '/admin/audit', '/', '/admin/']) {
    const page = await admin.get(p);
    assert.ok(!page.body.includes(SECRET), `password in ${p}`);
  }
  const list = await admin.get('/admin/mail?status=sent');
  assert.match(list.body, /data-status="sent"/);
  assert.match(list.body, /示范开发区管委会: 测试邮件/);
  assert.ok(!srv.stderr().includes(SECRET), 'password in the log');
  // the queue is no public content
  assert.equal(sql('SELECT value FROM content_generation'), gen1);
  assert.ok(Number(gen1) >= Number(gen0));
});

test('a visitor\'s feedback message is mailed to the recipients, without waiting for the mail server', async () => {
  await settings({
    'site.smtp_host': '127.0.0.1',
    'site.smtp_port': String(sink.port),
    'site.smtp_security': 'none',
    'site.smtp_from': 'web@example.gov.cn',
    'site.smtp_to': 'office@example.gov.cn',
  });
  const page = await request(srv, 'GET', '/feedback/');
  const token = (page.body.match(/name="_token" value="([^"]+)"/) || [])[1];
  assert.ok(token, 'the feedback form');
  await new Promise((r) => setTimeout(r, 2100)); // the form's minimum fill time
  const before = sink.messages.length;
  const origin = `http://${srv.host}:${srv.port}`;
  const res = await request(srv, 'POST', '/feedback/', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ _token: token, f_name: '王五', f_email: 'wang@example.cn', f_message: '请问如何办理入园手续？', website: '' }).toString(),
  });
  assert.equal(res.status, 303, res.body);
  assert.ok(res.ms < 1000, `the visitor does not wait for the mail (${res.ms} ms)`);
  const msg = await until('the notification', () => sink.messages.slice(before).find((m) => /New feedback/.test(m.headers.subject)));
  assert.match(msg.headers.subject, /\[Feedback\] New feedback/);
  assert.match(msg.body, /王五/);
  assert.match(msg.body, /wang@example\.cn/);
  assert.match(msg.body, /请问如何办理入园手续？/);
  assert.deepEqual(msg.rcpt, ['<office@example.gov.cn>']);
});

test('a dead mail server is retried with back-off, then reported failed; retry queues it again', async () => {
  const port = await deadPort();
  await settings({ 'site.smtp_port': String(port) });
  const before = sink.messages.length;
  const token = await admin.csrf('/admin/settings');
  assert.equal((await admin.post('/admin/settings/test-mail', { _csrf: token })).status, 303);
  const id = sql('SELECT max(id) FROM mail_queue');
  // first attempt at once, then 1 s and 2 s later (MH_MAIL_RETRY_BASE=1)
  const seen = [];
  await until('the give-up', () => {
    const row = sql(`SELECT status || '|' || attempts || '|' || next_at FROM mail_queue WHERE id = ${id}`);
    if (!seen.includes(row)) seen.push(row);
    return row.startsWith('failed|');
  }, 20000);
  const attempts = seen.filter((r) => r.startsWith('queued|')).map((r) => Number(r.split('|')[1]));
  assert.ok(attempts.includes(1) && attempts.includes(2), `retried: ${seen.join(' ')}`);
  const q1 = seen.find((r) => r.startsWith('queued|1|'));
  const q2 = seen.find((r) => r.startsWith('queued|2|'));
  if (q1 && q2) assert.ok(Number(q2.split('|')[2]) - Number(q1.split('|')[2]) >= 2, 'the wait doubles');
  assert.equal(sql(`SELECT attempts FROM mail_queue WHERE id = ${id}`), '3');
  const err = sql(`SELECT error FROM mail_queue WHERE id = ${id}`);
  assert.match(err, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.ok(!err.includes(SECRET));
  assert.equal(sink.messages.length, before);

  const page = await admin.get('/admin/mail?status=failed');
  assert.equal(page.status, 200);
  assert.match(page.body, new RegExp(`data-mail="${id}" data-status="failed"`));
  assert.match(page.body, new RegExp(`127\\.0\\.0\\.1:${port}`), 'the last error is shown');
  assert.match(page.body, new RegExp(`action="/admin/mail/${id}/retry"`));
  assert.ok(!page.body.includes(SECRET));

  // the server is back: retry delivers it
  await settings({ 'site.smtp_port': String(sink.port) });
  const t = csrfFrom(page.body);
  const r = await admin.post(`/admin/mail/${id}/retry`, { _csrf: t });
  assert.equal(r.status, 303);
  await until('the retried message', () => sink.messages.length > before);
  await until('sent', () => sql(`SELECT status FROM mail_queue WHERE id = ${id}`) === 'sent');
});

test('retry and test mail are admin-only POSTs with the form token', async () => {
  const noToken = await admin.post('/admin/settings/test-mail', {});
  assert.equal(noToken.status, 403);
  const cross = await admin.post('/admin/mail/1/retry', { _csrf: await admin.csrf('/admin/mail') }, { origin: 'http://evil.example' });
  assert.equal(cross.status, 403);
  const missing = await admin.post('/admin/mail/999999/retry', { _csrf: await admin.csrf('/admin/mail') });
  assert.equal(missing.status, 404);
  // an editor sees no mail page and cannot send a test mail
  const ed = await loggedIn(srv, 'ed', EDITOR_PW);
  assert.equal((await ed.get('/admin/mail')).status, 403);
  const home = await ed.get('/admin/');
  assert.doesNotMatch(home.body, /href="\/admin\/mail"/);
  const t = await ed.csrf('/admin/');
  assert.equal((await ed.post('/admin/settings/test-mail', { _csrf: t })).status, 403);
  assert.equal((await ed.post('/admin/mail/1/retry', { _csrf: t })).status, 403);
});
