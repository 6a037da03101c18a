// Helpers for browser tests: Debian's Chromium through playwright-core, a
// fixture server for the admin's editor assets, a small PNG maker.
// tests/browser/run.sh sets MH_URL (a running masthead demo site), MH_SITE,
// MH_ADMIN_PASSWORD, MH_CHROMIUM and MH_ROOT.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

export const ROOT = process.env.MH_ROOT || path.resolve('.');
export const MH_URL = process.env.MH_URL || '';
export const ARTIFACTS = path.join(ROOT, 'tests/browser/artifacts');
const CHROMIUM = process.env.MH_CHROMIUM || '/usr/bin/chromium';
const ADMIN_ASSETS = path.join(ROOT, 'themes/admin/assets');

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A fresh browser profile per call; close() also removes it.
export async function launch(options = {}) {
  const dir = mkdtempSync(path.join(process.env.MH_TMP || os.tmpdir(), 'chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 30000,
    ...options,
  });
  ctx.setDefaultTimeout(15000);
  ctx.setDefaultNavigationTimeout(20000);
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    try { await close(); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
  return ctx;
}

// Record CSP violations and uncaught errors of a page (the init script is
// injected by the driver, so the page's CSP does not apply to it).
export async function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // failed loads are reported with their URL below
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`http ${r.status()} ${r.url()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
    });
  });
  return {
    errors,
    csp: () => page.evaluate(() => window.__csp || []),
  };
}

export function screenshotPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

// The CSP the real server sends, so the fixture pages run under it.
export async function serverCsp() {
  if (MH_URL) {
    const res = await fetch(`${MH_URL}/`, { signal: AbortSignal.timeout(5000) });
    const csp = res.headers.get('content-security-policy');
    if (csp) return csp;
  }
  const src = readFileSync(path.join(ROOT, 'src/http/server.c'), 'utf8');
  const m = src.match(/static const char CSP\[\] = ((?:\s*"[^"]*")+);/);
  if (!m) throw new Error('no CSP found');
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]).join('');
}

// ---- a PNG of one colour, for uploads and the media list ----

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function png(width, height, [r, g, b]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => {
    const rr = Buffer.from(row);
    // a diagonal stripe, so the picture is visibly a picture
    for (let x = 0; x < width; x++) if (Math.abs(x - y) < 6) rr.set([255, 255, 255], 1 + x * 3);
    return rr;
  }));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the fixture: an entry form like the admin's, under the real CSP ----

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.txt': 'text/plain' };

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// media: 'json' (inline library), 'page' (library page in a window), 'off'
function formPage({ lang = 'en', body = '', media = 'json' }) {
  const mediaAttrs = {
    json: ' data-media-list="/media.json" data-media-upload="/upload"',
    page: ' data-media-list="/library" data-media-upload="/upload"',
    off: ' data-media-list="" data-media-upload=""',
  }[media] || '';
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>Edit entry</title>
<link rel="stylesheet" href="/admin/assets/fixture.css">
<script src="/admin/assets/editor.js?v=1" defer></script>
</head><body>
<main class="page">
<h1>Edit entry</h1>
<form method="post" action="/save">
<input type="hidden" name="_csrf" value="csrf-token-1">
<p><label for="title">Title</label><br><input id="title" name="title" value="Fixture"></p>
<p><label for="body">Body</label></p>
<textarea id="body" name="body" rows="12" cols="80" data-editor="rich"${mediaAttrs}>${escapeHtml(body)}</textarea>
<p><label for="cover">Cover</label> <input id="cover" name="cover" data-media-picker></p>
<p><button type="submit" name="action" value="save">Save</button></p>
</form></main></body></html>`;
}

const FIXTURE_CSS = `body{font:16px/1.5 system-ui,"WenQuanYi Zen Hei",sans-serif;margin:0;background:#eef0f3}
.page{max-width:960px;margin:0 auto;padding:1.5rem;background:#fff}
textarea{width:100%;box-sizing:border-box}`;

// Serves: /edit?lang=&body=&media=0 (the form), POST /save (records the
// form), /media.json, POST /upload, /admin/assets/* (the real assets),
// /pic-N.png. Every response carries the server's CSP.
export async function fixtureServer() {
  const csp = await serverCsp();
  const saved = [];
  const uploads = [];
  const pictures = { '/pic-1.png': png(160, 100, [40, 110, 200]), '/pic-2.png': png(160, 100, [200, 80, 40]) };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, data) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      res.end(data);
    };
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (url.pathname === '/edit') {
        return send(200, 'text/html; charset=utf-8', formPage({
          lang: url.searchParams.get('lang') || 'en',
          body: url.searchParams.get('body') || '',
          media: url.searchParams.get('media') || 'json',
        }));
      }
      if (url.pathname === '/save' && req.method === 'POST') {
        saved.push(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
        return send(200, 'text/html; charset=utf-8', '<!doctype html><title>saved</title><p id="saved">saved</p>');
      }
      if (url.pathname === '/media.json') {
        return send(200, 'application/json', JSON.stringify({
          items: [
            { url: '/pic-1.png', thumb: '/pic-1.png', name: 'blue', mime: 'image/png', alt: 'Blue picture' },
            { url: '/pic-2.png', name: 'orange', mime: 'image/png' },
            { url: '/doc.pdf', name: 'a document', mime: 'application/pdf' },
          ],
        }));
      }
      if (url.pathname === '/library') {
        // like the admin's library page: cards with Insert buttons (media.js)
        return send(200, 'text/html; charset=utf-8', `<!doctype html><html lang="en"><title>Media</title>
<ul><li class="media-card" data-url="/pic-2.png" data-name="orange" data-mime="image/png">
<img src="/pic-2.png" alt=""> <button type="button" class="media-insert" hidden>Insert</button></li></ul>
<script src="/admin/assets/media.js" defer></script></html>`);
      }
      if (url.pathname === '/upload' && req.method === 'POST') {
        uploads.push({ type: req.headers['content-type'] || '', csrf: req.headers['x-csrf-token'] || '', size: body.length });
        return send(201, 'application/json', JSON.stringify({ url: '/pic-2.png', mime: 'image/png' }));
      }
      if (pictures[url.pathname]) return send(200, 'image/png', pictures[url.pathname]);
      if (url.pathname === '/admin/assets/fixture.css') return send(200, 'text/css', FIXTURE_CSS);
      if (url.pathname.startsWith('/admin/assets/')) {
        const rel = path.normalize(decodeURIComponent(url.pathname.slice('/admin/assets/'.length)));
        const file = path.join(ADMIN_ASSETS, rel);
        if (!rel.startsWith('..') && file.startsWith(ADMIN_ASSETS) && existsSync(file)) {
          return send(200, TYPES[path.extname(file)] || 'application/octet-stream', readFileSync(file));
        }
      }
      send(404, 'text/plain', 'not found');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    saved,
    uploads,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// The HTML the editor last wrote into the textarea (after its debounce).
export async function editorHtml(page) {
  return page.evaluate(() => {
    const w = document.querySelector('.mh-editor');
    w.mhEditor.sync();
    return document.querySelector('textarea[data-editor="rich"]').value;
  });
}

// ---- a demo site of a test's own ----

// Creates a demo site in a temporary directory, lets prepare(dbPath) change
// it (sqlite3 is run by the caller), serves it on a free loopback port and
// returns { url, dir, db, stop }. stop() ends the server and removes it.
export async function ownSite(prepare) {
  const { execFileSync, spawn } = await import('node:child_process');
  const bin = process.env.MH_BIN || path.join(ROOT, 'build/masthead');
  const dir = mkdtempSync(path.join(process.env.MH_TMP || os.tmpdir(), 'site-'));
  const site = path.join(dir, 'site');
  execFileSync(bin, ['init', site, '--demo'], { stdio: 'ignore' });
  const db = path.join(site, 'site.db');
  if (prepare) await prepare(db);
  const server = spawn(bin, ['serve', site, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => { server.once('exit', r); setTimeout(r, 3000); });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no listen line: ${out}`)), 15000);
      server.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/[^ /]+)\//);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      server.on('exit', () => { clearTimeout(timer); reject(new Error(`server exited: ${out}`)); });
    });
    return { url, dir, db, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// Runs SQL on a site's database with Debian's sqlite3.
export async function sqlite(db, text) {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('sqlite3', [db], { input: text, encoding: 'utf8' });
}
