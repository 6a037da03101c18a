// masthead behind nginx (docs/deploy.md): a real nginx (Debian nginx-light)
// with its own configuration in a temporary directory on a loopback port
// proxies to masthead started with --trusted-proxy 127.0.0.1. Headers pass
// both ways, the canonical origin follows X-Forwarded-Proto (set by nginx
// from a map of a test request header, as a TLS server block would set
// it), the client address for login throttling comes from the proxy's
// X-Real-IP only, large uploads pass, and a client that is not the proxy
// cannot claim any of this. nginx is stopped by its PID at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { tempDir, SEED } from './helpers.mjs';
import { startSite, Browser, loggedIn, ADMIN_PW, csrfFrom } from './admin_accounts_lib.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SKIP = NGINX ? false : 'nginx is not installed (Debian package nginx-light): the proxy test cannot run';

let srv, dir, nginx, nginxPid, proxy;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function config(tmp, port, upstream) {
  return `worker_processes 1;
daemon off;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  # In production X-Forwarded-Proto is $scheme of a TLS server block; here
  # a test header stands for "this request came in over https".
  map $http_x_test_proto $forwarded_proto { default $scheme; https https; }
  # and a test header stands for the client's address
  map $http_x_test_client $client_addr { default $remote_addr; "~." $http_x_test_client; }
  upstream masthead { server ${upstream}; keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    server_name _;
    client_max_body_size 64m;
    location / {
      proxy_pass http://masthead;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $forwarded_proto;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Real-IP $client_addr;
      proxy_set_header X-Forwarded-For $client_addr;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

before(async () => {
  if (SKIP) return;
  srv = await startSite({ args: ['--trusted-proxy', '127.0.0.1'] });
  dir = tempDir('mh-nginx-');
  // started as root, nginx's workers run as nobody: they must reach the
  // temporary directories for request bodies
  chmodSync(dir, 0o755);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) { mkdirSync(path.join(dir, d)); chmodSync(path.join(dir, d), 0o777); }
  const port = await freePort();
  writeFileSync(path.join(dir, 'nginx.conf'), config(dir, port, `127.0.0.1:${srv.port}`));
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nginx.stderr.on('data', (d) => { err += d; });
  proxy = { host: '127.0.0.1', port };
  const end = Date.now() + 10000;
  for (;;) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${err} ${existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
    if (existsSync(path.join(dir, 'nginx.pid'))) {
      const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
      if (ok) break;
    }
    if (Date.now() > end) throw new Error(`nginx did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  nginxPid = Number(readFileSync(path.join(dir, 'nginx.pid'), 'utf8').trim());
  assert.equal(nginxPid, nginx.pid, 'the pid file names the process started here');
});

after(async () => {
  if (nginxPid) {
    const gone = new Promise((r) => nginx.once('exit', r));
    process.kill(nginxPid, 'SIGQUIT');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (nginx.exitCode === null) process.kill(nginxPid, 'SIGKILL');
  }
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One exchange; localAddress picks the loopback address the request comes from.
function req(target, { to = proxy, method = 'GET', headers = {}, body = null, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const h = { Host: `${to.host}:${to.port}`, Connection: 'close', ...headers };
    if (body !== null) h['Content-Length'] = body.length;
    const r = http.request({ host: to.host, port: to.port, method, path: target, headers: h, agent: false, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    if (body !== null) r.write(body);
    r.end();
  });
}

const canonical = (html) => (html.match(/<link rel="canonical" href="([^"]+)"/) || [])[1];

test('pages pass through nginx with their headers; validators work through it', { skip: SKIP }, async () => {
  const home = await req('/');
  assert.equal(home.status, 200);
  assert.match(home.headers['content-type'], /text\/html/);
  assert.ok(home.headers.etag, 'ETag passes');
  const page = await req(SEED);
  assert.equal(page.status, 200);
  const again = await req(SEED, { headers: { 'If-None-Match': page.headers.etag } });
  assert.equal(again.status, 304);
  const gz = await req(SEED, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
});

test('https canonical links from X-Forwarded-Proto, cached apart from http', { skip: SKIP }, async () => {
  const origin = `${proxy.host}:${proxy.port}`;
  for (let i = 0; i < 2; i++) {
    const s = await req(SEED, { headers: { 'X-Test-Proto': 'https' } });
    assert.equal(canonical(s.body), `https://${origin}${SEED}`);
    const p = await req(SEED);
    assert.equal(canonical(p.body), `http://${origin}${SEED}`);
  }
  // a client that is not the proxy cannot claim https or another host
  const direct = await req(SEED, { to: srv, localAddress: '127.0.0.5', headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' } });
  assert.equal(direct.status, 200);
  assert.equal(canonical(direct.body), `http://${srv.host}:${srv.port}${SEED}`);
});

test('login throttling counts the client address nginx forwarded, and only from nginx', { skip: SKIP }, async () => {
  const viaProxy = { ...proxy };
  const a = new Browser(viaProxy, { extraHeaders: { 'X-Test-Client': '203.0.113.7' } });
  let locked = false;
  for (let i = 0; i < 30 && !locked; i++) {
    const r = await a.login(`nobody${i}`, 'wrong password here');
    assert.notEqual(r.status, 303);
    locked = r.status === 429;
  }
  assert.ok(locked, 'one forwarded address is throttled after many failures');
  // another address behind the same proxy is not
  const b = new Browser(viaProxy, { extraHeaders: { 'X-Test-Client': '198.51.100.9' } });
  const rb = await b.login('nobody-b', 'wrong password here');
  assert.notEqual(rb.status, 429);
  // the admin signs in through the proxy from yet another address
  const adm = new Browser(viaProxy, { extraHeaders: { 'X-Test-Client': '192.0.2.10' } });
  assert.equal((await adm.login('admin', ADMIN_PW)).status, 303);
  // and a client that is not the proxy cannot borrow an address
  const page = await req('/admin/login', { to: srv, localAddress: '127.0.0.5', headers: { 'X-Real-IP': '203.0.113.7', 'X-Forwarded-For': '203.0.113.7' } });
  assert.equal(page.status, 200);
});

test('large uploads pass through nginx (client_max_body_size)', { skip: SKIP }, async () => {
  const adm = new Browser(proxy, { extraHeaders: { 'X-Test-Client': '192.0.2.11' } });
  assert.equal((await adm.login('admin', ADMIN_PW)).status, 303);
  const token = await adm.csrf('/admin/media');
  assert.ok(token);
  const boundary = '----mhnginx7d3f';
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.alloc(12 << 20, 0x41), Buffer.from('\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')]);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="annual-report.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await req('/admin/media', {
    method: 'POST', body,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Accept: 'application/json', Origin: adm.origin, Cookie: adm.cookieHeader(), 'X-Test-Client': '192.0.2.11' },
  });
  assert.equal(r.status, 201, r.body.slice(0, 300) + readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-800));
  const m = JSON.parse(r.body);
  assert.ok(m.size > 12 << 20);
});
