// make bench-scale: how the cost of pages grows with the size of a site.
//
// For the demo site and generated sites of 10k and 100k entries (1M with
// SCALE_1M=1; SIZES=demo,10000 picks others), start `masthead serve` on
// loopback and measure warm pages, the first request after an edit, the
// admin entry list and title search, start-up, RSS after a wrk run, the
// database size per entry, and p99 under wrk with the page cache off.
// Prints one table (rows: measures, columns: sizes). Not a test.
//
// Generated sites are made once with `masthead init DIR --generate N
// --seed 1` and kept under build/bench-sites/gen-N (delete it to generate
// again, e.g. after the generator changed). Each run saves one published entry
// titled "bench-scale draft" (a published one: since drafts no longer start a new content generation, only a public edit makes the next page cold) through the admin (reused by later runs) and
// sets the admin password; nothing else in the site changes.
//
// Usage: node bench/scale.mjs BIN   (run from the repository root)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(process.argv[2] || 'build/masthead');
const CACHE = path.resolve(process.env.BENCH_SITES || 'build/bench-sites');
const PW = 'bench-scale password 1';
const WRK_SECS = Number(process.env.WRK_SECS || 5);
const sizes = (process.env.SIZES || (process.env.SCALE_1M === '1' ? 'demo,10000,100000,1000000' : 'demo,10000,100000'))
  .split(',').map((s) => s.trim()).filter(Boolean);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('bench-scale:', ...a);

function sql(db, q) {
  const r = spawnSync('sqlite3', [db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// One request; never follows redirects. { status, headers, body, ms }.
function request(port, method, target, { headers = {}, body = null, timeout = 180000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const h = { Host: `127.0.0.1:${port}`, Connection: 'close', ...headers };
    if (body !== null) h['Content-Length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: h, agent: false, timeout }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
      }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${target}`)));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

// The site folder of a size: a fresh demo site, or the cached generated one.
function prepareSite(size, tmp) {
  if (size === 'demo') {
    const dir = path.join(tmp, 'demo');
    const r = spawnSync(BIN, ['init', dir, '--demo'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`init --demo: ${r.stderr}`);
    return { dir, genRate: null };
  }
  const dir = path.join(CACHE, `gen-${size}`);
  const logf = path.join(CACHE, `gen-${size}.log`);
  if (!existsSync(dir)) {
    const part = `${dir}.tmp`;
    rmSync(part, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', CACHE]);
    log(`generating ${size} entries into ${dir} (once; reused by later runs)`);
    const r = spawnSync('sh', ['-c', `"$0" init "$1" --generate "$2" --seed 1 2>&1 | tee "$3"`, BIN, part, size, logf],
      { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !existsSync(path.join(part, 'site.db'))) throw new Error(`generating ${size} failed`);
    renameSync(part, dir);
  }
  let genRate = null;
  if (existsSync(logf)) {
    const m = readFileSync(logf, 'utf8').match(/in ([\d.]+) s \((\d+) entries\/s\)/);
    if (m) genRate = { secs: Number(m[1]), rate: Number(m[2]) };
  }
  return { dir, genRate };
}

// Paths the measurements use, read from the database: /news/ (the largest
// list: it holds its sub-columns' entries), its last page, and a published
// English entry from the middle of the ids.
function pickPages(db) {
  const now = Math.floor(Date.now() / 1000);
  const news = sql(db, "SELECT id || '|' || page_size FROM columns WHERE lang_id = 1 AND parent_id IS NULL AND slug = 'news'").split('|');
  const newsId = Number(news[0]);
  const pageSize = Number(news[1]) || 20;
  const total = Number(sql(db, `WITH RECURSIVE t(id) AS (SELECT ${newsId} UNION ALL SELECT c.id FROM columns c JOIN t ON c.parent_id = t.id AND c.visible = 1)
    SELECT count(*) FROM entries WHERE column_id IN (SELECT id FROM t) AND deleted_at IS NULL
    AND (status = 'published' OR (status = 'scheduled' AND publish_at <= ${now}))`));
  const last = Math.max(1, Math.ceil(total / pageSize));
  const pub = "status = 'published' AND deleted_at IS NULL AND lang_id = 1";
  const n = Number(sql(db, `SELECT count(*) FROM entries WHERE ${pub}`));
  const e = sql(db, `SELECT id || '|' || column_id || '|' || slug FROM entries WHERE ${pub} ORDER BY id LIMIT 1 OFFSET ${Math.floor(n / 2)}`).split('|');
  const colPath = sql(db, `WITH RECURSIVE up(id, parent_id, slug, d) AS (SELECT id, parent_id, slug, 0 FROM columns WHERE id = ${Number(e[1])}
    UNION ALL SELECT c.id, c.parent_id, c.slug, up.d + 1 FROM columns c JOIN up ON c.id = up.parent_id)
    SELECT group_concat(slug, '/') FROM (SELECT slug FROM up ORDER BY d DESC)`);
  return {
    newsId,
    pages: {
      home: '/',
      list: '/news/',
      deep: last > 1 ? `/news/page/${last}/` : '/news/',
      entry: `/${colPath}/${e[2]}.html`,
    },
    lastPage: last,
  };
}

function startServer(dir, port, extra = []) {
  const t0 = process.hrtime.bigint();
  const child = spawn(BIN, ['serve', dir, '--listen', `127.0.0.1:${port}`, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return { child, t0, port, exited, err: () => err };
}

// Poll / until it answers 200; returns ms since the process was spawned.
async function firstOk(srv) {
  for (let i = 0; i < 12000; i++) {
    try {
      const r = await request(srv.port, 'GET', '/', { timeout: 60000 });
      if (r.status === 200) return Number(process.hrtime.bigint() - srv.t0) / 1e6;
    } catch { /* not listening yet */ }
    if (srv.child.exitCode !== null) throw new Error(`server exited: ${srv.err()}`);
    await sleep(5);
  }
  throw new Error('server did not answer');
}

async function stopServer(srv) {
  if (srv.child.exitCode === null) srv.child.kill('SIGTERM'); // by PID: the process we started
  const t = setTimeout(() => { if (srv.child.exitCode === null) srv.child.kill('SIGKILL'); }, 15000);
  await srv.exited;
  clearTimeout(t);
}

const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];
const cookieOf = (res, name) => {
  for (const c of res.headers['set-cookie'] || []) {
    const m = c.match(new RegExp(`^${name}=([^;]*)`));
    if (m) return m[1];
  }
  return null;
};

async function adminLogin(port) {
  const page = await request(port, 'GET', '/admin/login');
  const pre = cookieOf(page, 'mh_login');
  const body = new URLSearchParams({ name: 'admin', password: PW, _csrf: csrfIn(page.body) }).toString();
  const res = await request(port, 'POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (res.status !== 303) throw new Error(`admin login: ${res.status}`);
  const cookie = `mh_session=${cookieOf(res, 'mh_session')}`;
  const list = await request(port, 'GET', '/admin/entries', { headers: { Cookie: cookie } });
  if (list.status !== 200) throw new Error(`admin entries: ${list.status}`);
  return { cookie, csrf: csrfIn(list.body) };
}

function adminPost(port, a, target, fields) {
  return request(port, 'POST', target, {
    headers: { Cookie: a.cookie, Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: a.csrf, ...fields }).toString(),
  });
}

function wrk(url, secs, latency) {
  const args = ['-t2', '-c64', `-d${secs}s`, ...(latency ? ['--latency'] : []), url];
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (secs + 60) * 1000 });
  if (r.status !== 0) throw new Error(`wrk: ${r.stderr}`);
  const unit = (v, u) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[u] || 1);
  const p99 = r.stdout.match(/^\s*99%\s+([\d.]+)(us|ms|s|m)\b/m);
  const rps = r.stdout.match(/Requests\/sec:\s+([\d.]+)/);
  const timeouts = r.stdout.match(/timeout (\d+)/);
  return {
    p99: p99 ? unit(p99[1], p99[2]) : NaN,
    rps: rps ? Number(rps[1]) : NaN,
    timeouts: timeouts ? Number(timeouts[1]) : 0,
  };
}

function rssMB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function measure(size, tmp) {
  const { dir, genRate } = prepareSite(size, tmp);
  const db = path.join(dir, 'site.db');
  sql(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
  const entries = Number(sql(db, 'SELECT count(*) FROM entries'));
  const dbBytes = statSync(db).size;
  const pw = spawnSync(BIN, ['user', 'passwd', dir, 'admin'], { input: `${PW}\n`, encoding: 'utf8' });
  if (pw.status !== 0) throw new Error(`user passwd: ${pw.stderr}`);
  const { pages, newsId, lastPage } = pickPages(db);
  const out = { entries, dbBytes, genRate, lastPage, pages };

  const port = await freePort();
  let srv = startServer(dir, port);
  try {
    out.startup = await firstOk(srv);
    for (const [k, t] of Object.entries(pages)) {
      const r = await request(port, 'GET', t);
      if (r.status !== 200) throw new Error(`${size}: ${k} ${t} answered ${r.status}`);
    }
    const a = await adminLogin(port);
    let draft = Number(sql(db, "SELECT coalesce(max(id), 0) FROM entries WHERE title LIKE 'bench-scale draft%' AND deleted_at IS NULL"));
    let edits = 0;
    const edit = async () => {
      const fields = { title: `bench-scale draft ${++edits}`, column_id: String(newsId), status: 'published', body: '<p>An edit that bumps the content generation.</p>' };
      const r = await adminPost(port, a, draft ? `/admin/entries/${draft}` : '/admin/entries/new', fields);
      if (r.status !== 303) throw new Error(`admin save: ${r.status} ${r.body.slice(0, 200)}`);
      if (!draft) draft = Number((r.headers.location.match(/\/admin\/entries\/(\d+)/) || [])[1]);
    };
    await edit();
    // warm: after the once-a-second change poll has seen the last write
    await sleep(1500);
    out.warm = {};
    for (const [k, t] of Object.entries(pages)) {
      await request(port, 'GET', t);
      const xs = [];
      for (let i = 0; i < 20; i++) xs.push((await request(port, 'GET', t)).ms);
      out.warm[k] = median(xs);
    }
    // first request after an edit: edit, then one request, three times
    out.cold = {};
    for (const [k, t] of Object.entries(pages)) {
      const xs = [];
      for (let i = 0; i < 3; i++) {
        await edit();
        xs.push((await request(port, 'GET', t)).ms);
      }
      out.cold[k] = median(xs);
    }
    const adm = async (t) => {
      await request(port, 'GET', t, { headers: { Cookie: a.cookie } });
      const xs = [];
      for (let i = 0; i < 5; i++) {
        const r = await request(port, 'GET', t, { headers: { Cookie: a.cookie } });
        if (r.status !== 200) throw new Error(`${t}: ${r.status}`);
        xs.push(r.ms);
      }
      return median(xs);
    };
    out.adminList = await adm('/admin/entries');
    out.adminSearch = await adm('/admin/entries?q=logistics');
    // RSS after a short wrk run over the cached list page
    await sleep(1500);
    wrk(`http://127.0.0.1:${port}/news/`, 3, false);
    out.rss = rssMB(srv.child.pid);
    await stopServer(srv);

    srv = startServer(dir, port, ['--no-page-cache']);
    await firstOk(srv);
    await request(port, 'GET', pages.list);
    out.uncached = wrk(`http://127.0.0.1:${port}/news/`, WRK_SECS, true);
  } finally {
    await stopServer(srv);
  }
  return out;
}

function fmtMs(v) {
  if (!Number.isFinite(v)) return 'n/a';
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

function table(results) {
  const head = ['', ...results.map(([s, r]) => (s === 'demo' ? `demo (${r.entries})` : Number(s) >= 1e6 ? `${Number(s) / 1e6}M` : `${Number(s) / 1e3}k`))];
  const rows = [
    ['entries in the database', (r) => String(r.entries)],
    ['database size / per entry', (r) => `${(r.dbBytes / 1048576).toFixed(1)} MB / ${(r.dbBytes / r.entries / 1024).toFixed(1)} KiB`],
    ['generation (init --generate)', (r) => (r.genRate ? `${r.genRate.secs.toFixed(0)} s, ${r.genRate.rate}/s` : '-')],
    ['start-up → first 200 (home)', (r) => fmtMs(r.startup)],
    ['home, warm', (r) => fmtMs(r.warm.home)],
    ['/news/ page 1, warm', (r) => fmtMs(r.warm.list)],
    ['/news/ last page, warm', (r) => `${fmtMs(r.warm.deep)} (p. ${r.lastPage})`],
    ['entry, warm', (r) => fmtMs(r.warm.entry)],
    ['home, first after an edit', (r) => fmtMs(r.cold.home)],
    ['/news/ page 1, first after an edit', (r) => fmtMs(r.cold.list)],
    ['/news/ last page, first after an edit', (r) => fmtMs(r.cold.deep)],
    ['entry, first after an edit', (r) => fmtMs(r.cold.entry)],
    ['admin entry list', (r) => fmtMs(r.adminList)],
    ['admin title search', (r) => fmtMs(r.adminSearch)],
    ['RSS after wrk (3 s, cached /news/)', (r) => `${r.rss.toFixed(0)} MB`],
    [`/news/ --no-page-cache, wrk -c64 ${WRK_SECS}s: p99`, (r) => fmtMs(r.uncached.p99) + (r.uncached.timeouts ? ` (${r.uncached.timeouts} timeouts)` : '')],
    ['  … requests/s', (r) => r.uncached.rps.toFixed(0)],
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const [name, f] of rows) lines.push(`| ${name} | ${results.map(([, r]) => f(r)).join(' | ')} |`);
  return lines.join('\n');
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mh-scale-'));
const results = [];
try {
  for (const s of sizes) {
    log(`measuring ${s}`);
    const r = await measure(s, tmp);
    log(`${s}: pages ${JSON.stringify(r.pages)}`);
    results.push([s, r]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(table(results));
console.log(`\n(load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${os.cpus().length} cores)`);
