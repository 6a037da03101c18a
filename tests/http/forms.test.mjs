// Public forms (feedback, guestbook, job applications) and the admin inbox:
// valid and invalid submissions in English and Chinese, the defences
// (token, fill time, honeypot, origin, rate limit, upload size and type),
// expired jobs, moderation with the page cache, the inbox's permissions,
// audit lines and the CSV export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startSite, request, loggedIn, sleep } from './admin_accounts_lib.mjs';
import { request as rawPost } from './helpers.mjs';

let srv;
let admin;
const origin = () => `http://${srv.host}:${srv.port}`;

function sql(stmt) {
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const tokenOf = (html) => (html.match(/name="_token" value="([^"]+)"/) || [])[1];

// A token old enough to pass the fill-time check (2 s), per page.
const tokens = {};
async function oldToken(page) {
  if (!tokens[page]) {
    const res = await request(srv, 'GET', page);
    assert.equal(res.status, 200, page);
    tokens[page] = tokenOf(res.body);
    assert.ok(tokens[page], `no token on ${page}`);
    await sleep(2100);
  }
  return tokens[page];
}

function postForm(target, fields, { from = origin(), headers = {} } = {}) {
  const h = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
  if (from) h.Origin = from;
  return request(srv, 'POST', target, { headers: h, body: new URLSearchParams(fields).toString() });
}

function multipart(fields, file) {
  const b = '----mhformtest' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="cv"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

function postMultipart(target, fields, file, { from = origin() } = {}) {
  const m = multipart(fields, file);
  const h = { 'Content-Type': m.type };
  if (from) h.Origin = from;
  return request(srv, 'POST', target, { headers: h, body: m.body });
}

const count = (where) => Number(sql(`SELECT count(*) FROM submissions WHERE ${where}`));
const generation = () => Number(sql('SELECT value FROM content_generation'));
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

before(async () => {
  srv = await startSite({ env: { MH_FORM_RATE: '1000' }, users: [['eddie', 'editor', 'editor password 12345'], ['anna', 'author', 'author password 12345']] });
  admin = await loggedIn(srv);
});

after(async () => {
  if (srv) await srv.stop();
});

test('the feedback page carries the form in both languages, pre-filled from ?product=', async () => {
  const en = await request(srv, 'GET', '/feedback/');
  assert.equal(en.status, 200);
  for (const name of ['f_name', 'f_email', 'f_phone', 'f_product', 'f_message', '_token', 'website'])
    assert.match(en.body, new RegExp(`name="${name}"`));
  assert.match(en.body, /<label for="form-email">E-mail/);
  const zh = await request(srv, 'GET', '/zh/feedback/');
  assert.match(zh.body, /电子邮箱/);
  const pre = await request(srv, 'GET', '/feedback/?product=' + encodeURIComponent('Steel pipe "DN50"'));
  assert.match(pre.body, /id="form-product" name="f_product" value="Steel pipe &quot;DN50&quot;"/);
  // per visit: two visits get different tokens, and nothing says cache it
  const again = await request(srv, 'GET', '/feedback/');
  assert.equal(again.status, 200);
});

test('a valid feedback message is stored and thanked, without a new content generation', async () => {
  const token = await oldToken('/feedback/');
  const gen = generation();
  const before = count("kind = 'feedback'");
  const res = await postForm('/feedback/', { _token: token, f_name: '张三', f_email: 'zhang@example.cn', f_phone: '0532-88200000', f_message: '请问园区有哪些优惠政策？', website: '' });
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/feedback\/\?sent=1$/);
  assert.equal(count("kind = 'feedback'"), before + 1);
  assert.equal(generation(), gen, 'a private submission must not invalidate pages');
  const thanks = await request(srv, 'GET', '/feedback/?sent=1');
  assert.match(thanks.body, /Your message has been received/);
  const ip = sql("SELECT ip FROM submissions WHERE kind = 'feedback' ORDER BY id DESC LIMIT 1");
  assert.equal(ip, '127.0.0.0', 'the address is kept truncated');
});

test('an invalid feedback message: 400, values kept, one message per field (en)', async () => {
  const token = await oldToken('/feedback/');
  const before = count('1');
  const res = await postForm('/feedback/', { _token: token, f_name: 'Li <b>', f_email: 'not-an-email', f_message: '' });
  assert.equal(res.status, 400);
  assert.match(res.body, /value="Li &lt;b&gt;"/);
  assert.match(res.body, /value="not-an-email"/);
  assert.match(res.body, /id="form-email-error">Enter a valid e-mail address\./);
  assert.match(res.body, /id="form-message-error">This field is required\./);
  assert.doesNotMatch(res.body, /id="form-name-error"/);
  assert.equal(count('1'), before, 'nothing stored');
});

test('an invalid feedback message in Chinese gets Chinese messages', async () => {
  const token = await oldToken('/zh/feedback/');
  const res = await postForm('/zh/feedback/', { _token: token, f_name: '', f_email: 'x@', f_message: '你好' });
  assert.equal(res.status, 400);
  assert.match(res.body, /id="form-name-error">此项为必填项。/);
  assert.match(res.body, /id="form-email-error">请输入有效的电子邮箱地址。/);
  assert.match(res.body, />你好<\/textarea>/);
});

test('the honeypot: thanked, nothing stored', async () => {
  const token = await oldToken('/feedback/');
  const before = count('1');
  const res = await postForm('/feedback/', { _token: token, f_name: 'Bot', f_email: 'bot@example.com', f_message: 'buy', website: 'http://spam.example' });
  assert.equal(res.status, 303);
  assert.equal(count('1'), before);
});

test('too fast, a forged token, another column\'s token and no token are refused with the form again', async () => {
  const fresh = tokenOf((await request(srv, 'GET', '/feedback/')).body);
  const fields = { f_name: 'Quick', f_email: 'q@example.com', f_message: 'hello' };
  const before = count('1');
  const fast = await postForm('/feedback/', { _token: fresh, ...fields });
  assert.equal(fast.status, 400);
  assert.match(fast.body, /sent too quickly/);
  assert.match(fast.body, /value="Quick"/);
  const old = await oldToken('/feedback/');
  const forged = old.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  assert.equal((await postForm('/feedback/', { _token: forged, ...fields })).status, 400);
  assert.equal((await postForm('/feedback/', fields)).status, 400);
  const gbToken = await oldToken('/guestbook/');
  const other = await postForm('/feedback/', { _token: gbToken, ...fields });
  assert.equal(other.status, 400);
  assert.match(other.body, /has expired/);
  assert.equal(count('1'), before);
});

test('a cross-origin post is refused (403), also without Origin and Referer', async () => {
  const token = await oldToken('/feedback/');
  const fields = { _token: token, f_name: 'X', f_email: 'x@example.com', f_message: 'x' };
  const before = count('1');
  assert.equal((await postForm('/feedback/', fields, { from: 'http://evil.example' })).status, 403);
  assert.equal((await postForm('/feedback/', fields, { from: null })).status, 403);
  assert.equal(count('1'), before);
});

test('a job application with a PDF is stored with the job; the CV is not public', async () => {
  const page = '/jobs/investment-promotion-officer.html';
  const html = (await request(srv, 'GET', page)).body;
  assert.match(html, /enctype="multipart\/form-data"/);
  assert.match(html, /name="cv"/);
  assert.match(html, /Investment Promotion Bureau/);
  const token = await oldToken(page);
  const res = await postMultipart(page, { _token: token, f_applicant: '王小明', f_phone: '13800000000', f_email: 'wang@example.cn', f_education: 'Master' }, { name: 'cv.pdf', type: 'application/pdf', data: PDF });
  assert.equal(res.status, 303, res.body);
  const row = sql("SELECT s.kind, e.slug, f.mime, f.size FROM submissions s JOIN entries e ON e.id = s.entry_id JOIN submission_files f ON f.submission_id = s.id ORDER BY s.id DESC LIMIT 1");
  assert.equal(row, `application|investment-promotion-officer|application/pdf|${PDF.length}`);
  const id = sql("SELECT max(id) FROM submissions WHERE kind = 'application'");
  // only the admin serves it
  assert.equal((await request(srv, 'GET', `/admin/inbox/${id}/cv`)).status, 303);
  const cv = await admin.get(`/admin/inbox/${id}/cv`);
  assert.equal(cv.status, 200);
  assert.equal(cv.headers['content-type'], 'application/pdf');
  assert.match(cv.headers['content-disposition'], /^attachment/);
});

test('a CV of the wrong type, a missing CV and a bad field: 400 with messages', async () => {
  const page = '/jobs/investment-promotion-officer.html';
  const token = await oldToken(page);
  const before = count('1');
  const png = await postMultipart(page, { _token: token, f_applicant: 'Ann', f_phone: '13800000000' }, { name: 'cv.pdf', type: 'application/pdf', data: PNG });
  assert.equal(png.status, 400);
  assert.match(png.body, /id="form-cv-error">The CV must be a PDF, DOC or DOCX file\./);
  assert.match(png.body, /value="Ann"/);
  const none = await postMultipart(page, { _token: token, f_applicant: '', f_phone: 'abc' }, null);
  assert.equal(none.status, 400);
  assert.match(none.body, /Attach your CV/);
  assert.match(none.body, /id="form-applicant-error">This field is required\./);
  assert.match(none.body, /id="form-phone-error">Enter a valid phone number\./);
  assert.equal(count('1'), before);
});

test('an oversize upload is refused with 413 (before reading, and a CV over the limit)', async () => {
  const page = '/jobs/investment-promotion-officer.html';
  const token = await oldToken(page);
  const before = count('1');
  // larger than the route's body limit: refused before the body is read
  const huge = await rawPost(srv, 'POST', page, {
    headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(64 << 20), Origin: origin() },
    body: Buffer.alloc(0),
  });
  assert.equal(huge.status, 413);
  // within the body limit, but the CV is larger than 5 MiB
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc((5 << 20) + 4096, 0x20)]);
  const res = await postMultipart(page, { _token: token, f_applicant: 'Big', f_phone: '13800000000' }, { name: 'big.pdf', type: 'application/pdf', data: big });
  assert.equal(res.status, 413);
  assert.match(res.body, /The CV is too large/);
  assert.match(res.body, /value="Big"/);
  assert.equal(count('1'), before);
});

test('an expired job is marked and refuses applications on the server', async () => {
  const page = '/jobs/logistics-data-analyst.html';
  const html = (await request(srv, 'GET', page)).body;
  assert.match(html, /This job has expired/);
  assert.doesNotMatch(html, /name="cv"/);
  const zh = (await request(srv, 'GET', '/zh/jobs/wu-liu-shu-ju-fen-xi-shi.html')).body;
  assert.match(zh, /该职位已过期/);
  const list = (await request(srv, 'GET', '/jobs/')).body;
  assert.match(list, /logistics-data-analyst.html">Logistics Data Analyst<\/a> <span class="job-expired">Expired</);
  assert.doesNotMatch(list, /investment-promotion-officer.html">Investment Promotion Officer<\/a> <span/);
  const token = tokenOf((await request(srv, 'GET', '/jobs/investment-promotion-officer.html')).body);
  // a token of the column is not enough: the job's date is checked at POST time
  await sleep(2100);
  const before = count('1');
  const res = await postMultipart(page, { _token: token, f_applicant: 'Late', f_phone: '13800000000' }, { name: 'cv.pdf', type: 'application/pdf', data: PDF });
  assert.equal(res.status, 400);
  assert.match(res.body, /applications are closed/);
  assert.equal(count('1'), before);
});

test('guestbook: held for moderation; approval and reply invalidate the page, notes do not', async () => {
  const list = await request(srv, 'GET', '/guestbook/');
  assert.equal(list.status, 200);
  assert.match(list.body, /shuttle bus/);
  assert.match(list.body, /line 3 runs every 20 minutes/);
  const token = await oldToken('/guestbook/');
  const res = await postForm('/guestbook/', { _token: token, f_name: 'Olga', f_contact: 'olga@example.com', f_message: 'When is the next trade fair?' });
  assert.equal(res.status, 303);
  const id = sql("SELECT id FROM submissions WHERE name = 'Olga'");
  assert.equal(sql(`SELECT status FROM submissions WHERE id = ${id}`), 'pending');
  assert.doesNotMatch((await request(srv, 'GET', '/guestbook/')).body, /next trade fair/);
  // a page without a form is cached; it must follow approval
  const gen0 = generation();
  const mod = await admin.get('/admin/guestbook');
  assert.equal(mod.status, 200);
  assert.match(mod.body, /next trade fair/);
  const csrf = mod.body.match(/name="_csrf" value="([^"]+)"/)[1];
  let r = await admin.post(`/admin/inbox/${id}`, { _csrf: csrf, notes: 'asked twice' });
  // a guestbook message is edited under /guestbook; /inbox/:id serves it too
  assert.equal(r.status, 303);
  assert.equal(generation(), gen0, 'notes are private');
  r = await admin.post(`/admin/guestbook/${id}`, { _csrf: csrf, status: 'approved', reply: 'In May.', back: 'list' });
  assert.equal(r.status, 303);
  assert.ok(generation() > gen0, 'approval starts a new generation');
  const after = (await request(srv, 'GET', '/guestbook/')).body;
  assert.match(after, /next trade fair/);
  assert.match(after, /In May\./);
  assert.doesNotMatch(after, /asked twice/);
  assert.ok(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'submission.update'")) >= 2);
  // invalid guestbook message in Chinese
  const zt = await oldToken('/zh/guestbook/');
  const bad = await postForm('/zh/guestbook/', { _token: zt, f_name: '', f_message: '' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="form-name-error">此项为必填项。/);
  assert.match(bad.body, /id="form-message-error">此项为必填项。/);
});

test('inbox: list, search, filter, open (read), mark handled, notes, audit', async () => {
  const token = await oldToken('/feedback/');
  await postForm('/feedback/', { _token: token, f_name: 'Inbox Test', f_email: 'inbox@example.com', f_message: '=HYPERLINK("http://x") 上合示范区' });
  const id = sql("SELECT submission_id FROM submission_values WHERE value = 'Inbox Test'");
  const list = await admin.get('/admin/inbox?q=' + encodeURIComponent('上合示范区'));
  assert.equal(list.status, 200);
  assert.match(list.body, new RegExp(`data-id="${id}"`));
  assert.doesNotMatch(list.body, /shuttle bus/, 'the guestbook is not in the inbox');
  const col = sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'zh-CN' AND c.slug = 'feedback'");
  const filtered = await admin.get(`/admin/inbox?column=${col}&q=Inbox+Test`);
  assert.doesNotMatch(filtered.body, new RegExp(`data-id="${id}"`));
  const item = await admin.get(`/admin/inbox/${id}`);
  assert.equal(item.status, 200);
  assert.match(item.body, /inbox@example.com/);
  assert.equal(sql(`SELECT status FROM submissions WHERE id = ${id}`), 'read');
  const csrf = item.body.match(/name="_csrf" value="([^"]+)"/)[1];
  const gen = generation();
  const r = await admin.post(`/admin/inbox/${id}`, { _csrf: csrf, status: 'handled', notes: '已电话回复' });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT status || '|' || notes FROM submissions WHERE id = ${id}`), 'handled|已电话回复');
  assert.equal(generation(), gen);
  assert.match(sql(`SELECT detail FROM audit_log WHERE action = 'submission.update' AND object = 'submission:${id}'`), /status handled notes/);
  // a status of the other kind is refused
  assert.equal((await admin.post(`/admin/inbox/${id}`, { _csrf: csrf, status: 'approved' })).status, 422);
  // without the token: refused
  assert.equal((await admin.post(`/admin/inbox/${id}`, { status: 'unread' })).status, 403);
});

test('the arithmetic question, switched on per column in the admin', async () => {
  const col = sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'zh-CN' AND c.slug = 'feedback'");
  const list = await admin.get(`/admin/inbox?column=${col}`);
  assert.match(list.body, /Ask a sum/);
  const csrf = list.body.match(/name="_csrf" value="([^"]+)"/)[1];
  assert.equal((await admin.post(`/admin/inbox/challenge/${col}`, { _csrf: csrf, on: '1' })).status, 303);
  const page = (await request(srv, 'GET', '/zh/feedback/')).body;
  const m = page.match(/(\d) \+ (\d) = \?/);
  assert.ok(m, 'the question is on the form');
  const token = tokenOf(page);
  await sleep(2100);
  const fields = { _token: token, f_name: '算术', f_email: 'sum@example.cn', f_message: '你好' };
  const wrong = await postForm('/zh/feedback/', { ...fields, challenge: String(Number(m[1]) + Number(m[2]) + 1) });
  assert.equal(wrong.status, 400);
  assert.match(wrong.body, /答案不正确。/);
  assert.equal((await postForm('/zh/feedback/', { ...fields, challenge: String(Number(m[1]) + Number(m[2])) })).status, 303);
  // another column's form is unaffected; switching it off again
  assert.doesNotMatch((await request(srv, 'GET', '/feedback/')).body, /name="challenge"/);
  assert.equal((await admin.post(`/admin/inbox/challenge/${col}`, { _csrf: csrf, on: '0' })).status, 303);
  assert.doesNotMatch((await request(srv, 'GET', '/zh/feedback/')).body, /name="challenge"/);
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE action = 'submission.challenge'"), '2');
});

function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r') {}
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  return rows;
}

test('CSV export: UTF-8 with a BOM, Chinese intact, formulas defused', async () => {
  const res = await admin.get('/admin/inbox/export.csv');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  const raw = Buffer.from(res.body, 'utf8');
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(res.body.slice(1));
  assert.deepEqual(rows[0].slice(0, 3), ['id', 'created', 'kind']);
  const fields = rows[0].indexOf('fields');
  const zhang = rows.find((r) => r[fields] && r[fields].includes('name=张三'));
  assert.ok(zhang, 'the Chinese message is in the export');
  assert.ok(zhang[fields].includes('message=请问园区有哪些优惠政策？'));
  const inj = rows.find((r) => r[fields] && r[fields].includes('Inbox Test'));
  assert.ok(inj);
  assert.ok(!rows.some((r) => r.some((c) => /^[=+@-]/.test(c))), 'no cell starts a formula');
  // one column: a spreadsheet column per field
  const col = sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'feedback'");
  const one = parseCsv((await admin.get(`/admin/inbox/export.csv?column=${col}`)).body.slice(1));
  const msg = one[0].indexOf('Message');
  assert.ok(msg > 0);
  assert.ok(one.some((r) => r[msg] === "'=HYPERLINK(\"http://x\") 上合示范区"));
  assert.ok(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'submission.export'")) >= 2);
});

test('permissions: authors get 403, an editor sees only granted columns', async () => {
  const anna = await loggedIn(srv, 'anna', 'author password 12345');
  assert.equal((await anna.get('/admin/inbox')).status, 403);
  assert.equal((await anna.get('/admin/guestbook')).status, 403);
  assert.equal((await anna.get('/admin/inbox/export.csv')).status, 403);
  const id = sql("SELECT max(s.id) FROM submissions s JOIN columns c ON c.id = s.column_id JOIN languages l ON l.id = c.lang_id WHERE s.kind = 'feedback' AND l.code = 'en'");
  assert.ok(Number(id) > 0);
  assert.equal((await anna.get(`/admin/inbox/${id}`)).status, 403);
  // an editor granted only the news column
  const uid = sql("SELECT id FROM users WHERE name = 'eddie'");
  const news = sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'news'");
  sql(`INSERT INTO grants (user_id, column_id, lang_id) VALUES (${uid}, ${news}, NULL)`);
  const eddie = await loggedIn(srv, 'eddie', 'editor password 12345');
  const list = await eddie.get('/admin/inbox');
  assert.equal(list.status, 200);
  assert.match(list.body, /class="inbox-total">0</);
  assert.equal((await eddie.get(`/admin/inbox/${id}`)).status, 403);
  const fb = sql("SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = 'en' AND c.slug = 'feedback'");
  assert.equal((await eddie.get(`/admin/inbox?column=${fb}`)).status, 403);
  assert.equal((await eddie.get(`/admin/inbox/export.csv?column=${fb}`)).status, 403);
  const csrf = list.body.match(/name="_csrf" value="([^"]+)"/)[1];
  assert.equal((await eddie.post(`/admin/inbox/${id}`, { _csrf: csrf, status: 'handled' })).status, 403);
  assert.equal((await eddie.post(`/admin/inbox/${id}/delete`, { _csrf: csrf })).status, 403);
  // the grant widened to the feedback column: allowed
  sql(`INSERT INTO grants (user_id, column_id, lang_id) VALUES (${uid}, ${fb}, NULL)`);
  const eddie2 = await loggedIn(srv, 'eddie', 'editor password 12345');
  assert.equal((await eddie2.get(`/admin/inbox/${id}`)).status, 200);
  // the administrator deletes it
  const c2 = (await admin.get(`/admin/inbox/${id}`)).body.match(/name="_csrf" value="([^"]+)"/)[1];
  assert.equal((await admin.post(`/admin/inbox/${id}/delete`, { _csrf: c2 })).status, 303);
  assert.equal(count(`id = ${id}`), 0);
});

test('rate limit: 429 with Retry-After once an address has sent too much', async () => {
  const { startSite: start } = await import('./admin_accounts_lib.mjs');
  const s2 = await start({ env: { MH_FORM_RATE: '2' } });
  try {
    const page = await request(s2, 'GET', '/feedback/');
    const token = tokenOf(page.body);
    await sleep(2100);
    const o = `http://${s2.host}:${s2.port}`;
    const send = () => request(s2, 'POST', '/feedback/', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: o },
      body: new URLSearchParams({ _token: token, f_name: 'R', f_email: 'r@example.com', f_message: 'm' }).toString(),
    });
    assert.equal((await send()).status, 303);
    assert.equal((await send()).status, 303);
    const r = await send();
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers['retry-after']) >= 1);
    assert.match(r.body, /Too many messages/);
  } finally {
    await s2.stop();
  }
});
