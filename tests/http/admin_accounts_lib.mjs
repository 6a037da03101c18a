// Helpers for the admin accounts HTTP tests: a demo site with a known
// administrator password, a server started with extra environment, and a
// small browser (cookie jar, form posts with the scraped CSRF token).
import { rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { run, startServer, tempDir } from './helpers.mjs';

export const ADMIN_PW = 'correct horse battery staple';

// `masthead init DIR --demo`; returns { site, root, oneTime } where oneTime
// is the password init printed.
export function initSite() {
  const root = tempDir('mh-acc-');
  const site = path.join(root, 'site');
  const r = run(['init', site, '--demo']);
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  const m = r.stdout.match(/one-time password: (\S+)/);
  return { site, root, oneTime: m ? m[1] : null, initOut: r.stdout + r.stderr };
}

export function setPassword(site, name, pw) {
  const r = run(['user', 'passwd', site, name], { input: pw + '\n' });
  if (r.status !== 0) throw new Error(`user passwd failed: ${r.stderr}`);
}

export function addUser(site, name, role, pw) {
  const r = run(['user', 'add', site, name, '--role', role], { input: pw + '\n' });
  if (r.status !== 0) throw new Error(`user add failed: ${r.stderr}`);
}

export function serve(site, { env = {}, args = [] } = {}) {
  return startServer(site, args, { env });
}

// A demo site with admin's password set to ADMIN_PW, served.
export async function startSite(opts = {}) {
  const s = initSite();
  setPassword(s.site, 'admin', ADMIN_PW);
  if (opts.users) for (const [name, role, pw] of opts.users) addUser(s.site, name, role, pw);
  const srv = await serve(s.site, opts);
  srv.root = s.root;
  const stop = srv.stop;
  srv.stop = async () => {
    const code = await stop();
    rmSync(s.root, { recursive: true, force: true });
    return code;
  };
  return srv;
}

// One HTTP exchange; never follows redirects. Returns
// { status, headers, cookies: [raw Set-Cookie], body, ms }.
export function request(srv, method, target, { headers = {}, body = null } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const h = { Host: `${srv.host}:${srv.port}`, Connection: 'close', ...headers };
    if (body !== null) h['Content-Length'] = Buffer.byteLength(body);
    const req = http.request({ host: srv.host, port: srv.port, method, path: target, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        cookies: res.headers['set-cookie'] || [],
        body: Buffer.concat(chunks).toString('utf8'),
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
      }));
    });
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

export function form(fields) {
  return new URLSearchParams(fields).toString();
}

export function csrfFrom(html) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  return m ? m[1] : null;
}

// A browser: keeps cookies per name (paths ignored: everything here lives
// under /admin), sends Origin on posts.
export class Browser {
  constructor(srv, { scheme = 'http', extraHeaders = {} } = {}) {
    this.srv = srv;
    this.jar = new Map();
    this.origin = `${scheme}://${srv.host}:${srv.port}`;
    this.extra = extraHeaders;
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res) {
    for (const c of res.cookies) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (gone) this.jar.delete(name); else this.jar.set(name, value);
    }
    return res;
  }

  async get(target, headers = {}) {
    const h = { ...this.extra, ...headers };
    if (this.jar.size) h.Cookie = this.cookieHeader();
    return this.keep(await request(this.srv, 'GET', target, { headers: h }));
  }

  async post(target, fields, { headers = {}, origin = this.origin } = {}) {
    const h = { ...this.extra, 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
    if (origin) h.Origin = origin;
    if (this.jar.size) h.Cookie = this.cookieHeader();
    return this.keep(await request(this.srv, 'POST', target, { headers: h, body: form(fields) }));
  }

  // GET a page and return its CSRF token.
  async csrf(target) {
    const res = await this.get(target);
    return csrfFrom(res.body);
  }

  async login(name, password, extra = {}) {
    const token = await this.csrf('/admin/login');
    return this.post('/admin/login', { _csrf: token, name, password, ...extra });
  }
}

export async function loggedIn(srv, name = 'admin', pw = ADMIN_PW, opts = {}) {
  const b = new Browser(srv, opts);
  const res = await b.login(name, pw);
  if (res.status !== 303) throw new Error(`login of ${name} failed: ${res.status}`);
  return b;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
