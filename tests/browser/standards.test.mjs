// Standards checks of the public theme on the demo site: every page (home,
// every column list and its second page where there is one, the first entry
// of every column that has entries, every single page, a tag page, the 404 page, in
// English and Chinese) must pass the Nu HTML checker (npm vnu-jar, run once
// over all pages saved to files, with Debian's Java) with no errors, and
// axe-core in Chromium with no violations of WCAG 2.0/2.1 A and AA.
//
// axe-core runs under the site's CSP: page.addScriptTag would insert an
// inline <script> that the CSP (script-src 'self') blocks, so its source is
// run with page.evaluate, which goes through the DevTools protocol and is
// not subject to the page's CSP. The test checks that no CSP violation was
// reported by the page itself.
//
// The demo site is a fresh one of this test's own, so what other browser
// tests add to the shared one (uploads, drafts) does not change the pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launch, ownSite, watch } from './helpers.mjs';

const VNU = path.join(ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let MH_URL = '';

// Same-origin paths of the <a href>s inside the part of html matched by re.
function links(html, base) {
  const out = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"#]*)"/g)) {
    const href = m[1].replace(/&amp;/g, '&');
    let u;
    try { u = new URL(href, base); } catch { continue; }
    if (u.origin !== new URL(MH_URL).origin) continue;
    out.push(u.pathname + u.search);
  }
  return out;
}

function mainOf(html) {
  const m = html.match(/<main\b[\s\S]*<\/main>/);
  return m ? m[0] : '';
}

// The pages to check, found by walking the public site from each home:
// every column (a path ending in "/"), its page/2/, and the first entry
// (a path ending in ".html") in the main part of each column list.
async function collectPages() {
  const pages = new Map(); // path -> html
  const queue = ['/', '/zh/'];
  const seen = new Set(queue);
  const add = (p) => { if (!seen.has(p)) { seen.add(p); queue.push(p); } };
  while (queue.length) {
    const p = queue.shift();
    const res = await fetch(MH_URL + p, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200, `GET ${p}`);
    if (!/text\/html/.test(res.headers.get('content-type') || '')) continue;
    const html = await res.text();
    pages.set(p, html);
    if (pages.size > 200) break;
    if (p.endsWith('.html')) continue;
    const isPage2 = /\/page\/\d+\/$/.test(p);
    for (const l of links(html, MH_URL + p)) {
      if (l.startsWith('/admin') || l.includes('?') || /\.(xml|txt|svg|png|jpe?g|webp|css|js)$/.test(l)) continue;
      if (/\/page\/\d+\/$/.test(l)) {
        if (!isPage2 && /\/page\/2\/$/.test(l)) add(l);
        continue;
      }
      if (l.endsWith('/')) add(l);
    }
    if (p !== '/' && p !== '/zh/' && !isPage2) {
      const entry = links(mainOf(html), MH_URL + p).find((l) => l.endsWith('.html'));
      if (entry) add(entry);
    }
  }
  // search results (with hits and pagination, an empty query) in both languages;
  // filtered product lists (one filter, two, none matching) in both languages
  for (const p of ['/search?q=SCODA', '/search', '/zh/search?q=%E5%8C%97%E4%BA%AC', '/zh/search?q=',
    '/products/?material=Steel', '/products/?material=Steel&size=Large', '/products/?material=Plastic&size=Large',
    '/zh/products/?material=%E9%92%A2']) {
    const res = await fetch(MH_URL + p, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200, `GET ${p}`);
    pages.set(p, await res.text());
  }
  // the public forms: the thank-you note, and a refused submission shown
  // again with its messages (400), in both languages
  // tag pages (linked from entry pages, which the walk does not follow)
  for (const p of ['/feedback/?sent=1', '/zh/guestbook/?sent=1', '/tag/enterprise-services/', '/zh/tag/qi-ye-fu-wu/']) {
    const res = await fetch(MH_URL + p, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200, `GET ${p}`);
    pages.set(p, await res.text());
  }
  const forms = ['/feedback/', '/zh/feedback/', '/guestbook/', '/jobs/investment-promotion-officer.html'];
  const tokens = [];
  for (const p of forms) {
    const html = await (await fetch(MH_URL + p, { signal: AbortSignal.timeout(10000) })).text();
    tokens.push((html.match(/name="_token" value="([^"]+)"/) || [])[1]);
  }
  await new Promise((r) => setTimeout(r, 2100));
  for (let i = 0; i < forms.length; i++) {
    const body = new URLSearchParams({ _token: tokens[i], f_email: 'not-an-e-mail', f_phone: 'x' });
    const res = await fetch(MH_URL + forms[i], {
      method: 'POST', body, headers: { Origin: MH_URL }, signal: AbortSignal.timeout(10000),
    });
    assert.equal(res.status, 400, `POST ${forms[i]}`);
    pages.set(`${forms[i]} (POST 400)`, await res.text());
  }
  for (const p of ['/no-such-page/', '/zh/no-such-page/']) {
    const res = await fetch(MH_URL + p, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 404, `GET ${p}`);
    pages.set(p, await res.text());
  }
  return pages;
}

function runVnu(files) {
  return new Promise((resolve, reject) => {
    execFile('java', ['-Xss16m', '-jar', VNU, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 << 20, timeout: 150000 }, (err, stdout, stderr) => {
        // vnu exits 1 when it reports errors; the report is on stderr
        try { resolve(JSON.parse(stderr || stdout || '{"messages":[]}')); } catch (e) {
          reject(err || e);
        }
      });
  });
}

test('every public page passes the Nu HTML checker and axe-core (WCAG 2.1 A/AA)', { timeout: 400000 }, async (t) => {
  if (!existsSync(VNU) || !existsSync(AXE)) return t.skip('vnu-jar or axe-core not installed');
  const site = await ownSite();
  t.after(() => site.stop());
  MH_URL = site.url;
  const pages = await collectPages();
  const paths = [...pages.keys()];
  // both languages, columns, entries and the 404 pages are all there
  assert.ok(paths.some((p) => p.startsWith('/zh/') && p.endsWith('.html')), 'a Chinese entry');
  assert.ok(paths.some((p) => !p.startsWith('/zh/') && p.endsWith('.html')), 'an English entry');
  assert.ok(paths.filter((p) => p.endsWith('/')).length > 6, `columns: ${paths.join(' ')}`);
  // downloads (list and detail, both languages); the home pages carry the banners and every
  // page the friendly links
  for (const p of ['/services/', '/zh/services/']) assert.ok(paths.includes(p), `${p} is checked`);
  assert.ok(paths.some((p) => /^\/services\/[^/]+\.html$/.test(p)), 'a download detail page');
  assert.ok(paths.some((p) => /^\/zh\/services\/[^/]+\.html$/.test(p)), 'a Chinese download detail page');
  assert.match(pages.get('/'), /class="banners is-slider"/, 'the home page has its banners');
  assert.match(pages.get('/zh/'), /class="friend-links"/, 'friendly links in the footer');
  t.diagnostic(`${paths.length} pages: ${paths.join(' ')}`);

  const dir = path.join(process.env.MH_TMP || ROOT, 'standards');
  mkdirSync(dir, { recursive: true });
  const files = paths.map((p, i) => {
    const f = path.join(dir, `${String(i).padStart(3, '0')}.html`);
    writeFileSync(f, pages.get(p));
    return f;
  });
  const byFile = new Map(files.map((f, i) => [`file:${f}`, paths[i]]));
  const report = await runVnu(files);
  const vnuErrors = (report.messages || [])
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${byFile.get(m.url) || m.url}:${m.lastLine || ''} ${m.message} [${(m.extract || '').trim().slice(0, 120)}]`);

  const axeSource = readFileSync(AXE, 'utf8');
  const browser = await launch({ viewport: { width: 1366, height: 900 } });
  const axeErrors = [];
  const cspErrors = [];
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    for (const p of paths) {
      const posted = p.match(/^(\S+) \(POST 400\)$/);
      await page.goto(MH_URL + (posted ? posted[1] : p));
      // a refused form's answer: its HTML in the page of the same origin
      if (posted) await page.setContent(pages.get(p), { waitUntil: 'load' });
      // through the DevTools protocol, not a <script> element: see the top
      await page.evaluate(axeSource);
      const result = await page.evaluate((tags) => window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }), TAGS);
      for (const v of result.violations) {
        for (const n of v.nodes.slice(0, 3)) {
          axeErrors.push(`${p} ${v.id}: ${v.help} ${n.target.join(' ')} ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)}`);
        }
      }
      for (const c of await w.csp()) cspErrors.push(`${p} ${c}`);
    }
    const http = w.errors.filter((e) => !/^http 404 .*no-such-page/.test(e));
    assert.deepEqual(http, [], 'no page errors');
  } finally {
    await browser.close();
  }
  assert.deepEqual(cspErrors, [], 'no CSP violations');
  assert.deepEqual(vnuErrors, [], 'Nu HTML checker errors');
  assert.deepEqual(axeErrors, [], 'axe-core violations');
});
