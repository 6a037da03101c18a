// The admin speaks one language at a time: every page reachable from the
// navigation and from lists, walked in zh-CN and in en, shows no UI string
// of the other language; and both strings directories hold the same keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.mjs';
import { startSite, loggedIn, ADMIN_PW } from './admin_accounts_lib.mjs';

const STRINGS = path.join(ROOT, 'themes/admin/strings');

function flatten(obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object') flatten(v, `${prefix}${k}.`, out);
    else out.set(prefix + k, String(v));
  }
  return out;
}

function load(lang) {
  const dir = path.join(STRINGS, lang);
  const all = new Map();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const [k, v] of flatten(JSON.parse(readFileSync(path.join(dir, f), 'utf8')))) all.set(k, v);
  }
  return all;
}

const EN = load('en');
const ZH = load('zh-CN');

test('both strings directories have the same keys', () => {
  const onlyEn = [...EN.keys()].filter((k) => !ZH.has(k));
  const onlyZh = [...ZH.keys()].filter((k) => !EN.has(k));
  assert.deepEqual(onlyEn, [], 'keys missing in zh-CN');
  assert.deepEqual(onlyZh, [], 'keys missing in en');
});

test('no zh-CN string is left in English', () => {
  const same = [...EN].filter(([k, v]) => ZH.get(k) === v && /[A-Za-z]{3,}/.test(v)
    && !ALLOW.has(v) && !/^[a-z0-9_.:/-]+$/.test(v));
  assert.deepEqual(same, []);
});

// Words that are the same in both languages or are names, not UI text.
const ALLOW = new Set(['masthead', 'English', 'admin', 'URL', 'SEO', 'ICP', 'HTML', 'RSS', 'JSON', 'STARTTLS',
  'CSRF', 'ID', 'Email', 'E-mail', 'Markdown', 'UTC']);

// Content of the demo site the pages show as it is: the administrator's
// display name and English column names the left pane lists.
// demo column names that are also UI strings (the module names)
const CONTENT = new Set(['Administrator', 'Jobs', 'Contact', 'Products', 'Feedback', 'Guestbook', '留言板']);

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const LANG_NAMES = new Set(['English', '中文', '简体中文']);

function decode(s) {
  return s.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16))).replace(/&amp;/g, '&');
}

// The texts a user sees: text between tags (scripts, styles, textarea
// contents and <option> values aside) and the attributes browsers show.
function visibleTexts(html) {
  const out = [];
  const attrs = /\s(title|placeholder|aria-label|alt)="([^"]*)"/g;
  for (const m of html.matchAll(attrs)) out.push(decode(m[2]));
  for (const m of html.matchAll(/<(?:input|button)\b[^>]*type="(?:submit|button|reset)"[^>]*>/g)) {
    const v = m[0].match(/\svalue="([^"]*)"/);
    if (v) out.push(decode(v[1]));
  }
  const body = html.replace(/<script\b[\s\S]*?<\/script>/gi, ' ').replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<textarea\b[\s\S]*?<\/textarea>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ')
    // content shown for editing (the theme's own strings on the interface
    // strings page) is data, not the admin's interface
    .replace(/<span class="content">[\s\S]*?<\/span>/g, ' ');
  for (const t of body.split(/<[^>]*>/)) {
    const s = decode(t).replace(/\s+/g, ' ').trim();
    if (s) out.push(s);
    // page titles: "Media · Site · Admin"
    if (s.includes(' · ')) out.push(...s.split(' · '));
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

// UI strings of one language that the other does not share.
function foreign(from, other) {
  const otherVals = new Set(other.values());
  const list = [];
  for (const v of from.values()) {
    if (otherVals.has(v) || ALLOW.has(v) || v.length <= 2 || !/[A-Za-z\u3400-\u9fff]/.test(v)) continue;
    if (v.includes('{{')) continue;
    list.push(v);
  }
  return list;
}

// A segment shows a foreign string when it is the string (give or take
// punctuation around it) or, for long strings that cannot be content by
// chance, contains it.
function offenders(texts, strings, longAt) {
  const set = new Set(strings);
  const bad = [];
  for (const s of texts) {
    if (CONTENT.has(s)) continue;
    const bare = s.replace(/^[\s:：·•(（]+|[\s:：.。…)）*]+$/g, '');
    if (set.has(s) || set.has(bare)) { bad.push(s); continue; }
    for (const f of strings) if (f.length >= longAt && s.includes(f)) { bad.push(`${f} (in "${s}")`); break; }
  }
  return bad;
}

let srv;
before(async () => {
  srv = await startSite();
  // manual order everywhere, so the walk also sees the order panel
  const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), "UPDATE columns SET sort_mode = 'manual'"]);
  assert.equal(r.status, 0);
});
after(async () => { await srv.stop(); });

const SKIP = [/\/admin\/logout/, /\/admin\/assets\//, /\/media\/file\//, /\.(png|jpe?g|gif|svg|webp|pdf|css|js)$/i];

// Walks the admin from the dashboard: every same-site /admin link, one page
// per shape (numbers folded) so lists of many entries stay cheap.
async function walk(b, lang) {
  const seen = new Set();
  const shapes = new Map();
  const pages = [];
  const queue = ['/admin/', `/admin/columns?lang=${lang === 'zh-CN' ? 'zh' : 'en'}`, '/admin/columns/new',
    '/admin/entries/new', '/admin/users/new', '/admin/profile', '/admin/password', '/admin/no-such-page'];
  while (queue.length && pages.length < 160) {
    const target = queue.shift();
    if (seen.has(target) || SKIP.some((r) => r.test(target))) continue;
    seen.add(target);
    const shape = target.replace(/\d+/g, 'N').replace(/[?&]page=N/, '');
    const n = shapes.get(shape) || 0;
    if (n >= 2) continue;
    shapes.set(shape, n + 1);
    const res = await b.get(target);
    if (res.status !== 200 && res.status !== 404 && res.status !== 409) continue;
    if (!/text\/html/.test(res.headers['content-type'] || '')) continue;
    pages.push({ target, status: res.status, body: res.body });
    for (const m of res.body.matchAll(/<a\b[^>]*\shref="([^"]+)"/g)) {
      let href = decode(m[1]);
      if (!href.startsWith('/admin')) continue;
      href = href.split('#')[0];
      if (!seen.has(href)) queue.push(href);
    }
  }
  return pages;
}

async function browserIn(lang) {
  const b = await loggedIn(srv, 'admin', ADMIN_PW);
  const token = await b.csrf('/admin/profile');
  const r = await b.post('/admin/profile', { _csrf: token, ui_lang: lang });
  assert.equal(r.status, 303);
  return b;
}

const MUST = [/^\/admin\/$/, /^\/admin\/columns\?/, /^\/admin\/columns\/new/, /^\/admin\/columns\/edit\/\d+/,
  /^\/admin\/columns\/delete\/\d+/, /^\/admin\/columns\/\d+\/entries/, /^\/admin\/entries\/new/,
  /^\/admin\/entries\/\d+$/, /^\/admin\/entries\/\d+\/revisions/, /^\/admin\/trash/, /^\/admin\/review/,
  /^\/admin\/media/, /^\/admin\/users$/, /^\/admin\/users\/new/, /^\/admin\/users\/(edit\/)?\d+/,
  /^\/admin\/settings/, /^\/admin\/audit/, /^\/admin\/profile/, /^\/admin\/password/, /^\/admin\/no-such-page/];

test('every admin page in zh-CN shows no English UI string', async () => {
  const b = await browserIn('zh-CN');
  const pages = await walk(b, 'zh-CN');
  for (const re of MUST) assert.ok(pages.some((p) => re.test(p.target)), `not reached: ${re}`);
  const strings = foreign(EN, ZH);
  const bad = [];
  for (const p of pages) {
    assert.match(p.body, /<html lang="zh-CN"/, p.target);
    for (const o of offenders(visibleTexts(p.body), strings, 14)) bad.push(`${p.target}: ${o}`);
  }
  assert.deepEqual([...new Set(bad.map((x) => x.replace(/^[^ ]+ /, '')))], []);
  assert.deepEqual(bad, []);
});

test('every admin page in en shows no Chinese UI string', async () => {
  const b = await browserIn('en');
  const pages = await walk(b, 'en');
  for (const re of MUST) assert.ok(pages.some((p) => re.test(p.target)), `not reached: ${re}`);
  const strings = foreign(ZH, EN);
  const bad = [];
  for (const p of pages) {
    const texts = visibleTexts(p.body).filter((s) => HAN.test(s) && !LANG_NAMES.has(s));
    for (const o of offenders(texts, strings, 4)) bad.push(`${p.target}: ${o}`);
  }
  assert.deepEqual(bad, []);
});

test('the walk can fail: an English string on a zh page is found', () => {
  const strings = foreign(EN, ZH);
  const sample = EN.get('ed.msg.new_entry');
  assert.ok(strings.includes(sample));
  assert.deepEqual(offenders(visibleTexts(`<h1>${sample}</h1><p>正文</p>`), strings, 14), [sample]);
  assert.deepEqual(offenders(visibleTexts(`<input placeholder="${sample}">`), strings, 14), [sample]);
});
