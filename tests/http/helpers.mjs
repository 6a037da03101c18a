// Helpers for HTTP tests: start the real binary on a loopback port, send
// raw requests (so malformed ones reach the server unchanged), stop it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const BIN = process.env.MH_BIN || path.resolve('build/masthead');
export const ROOT = process.env.MH_ROOT || path.resolve('.');

export function run(args, opts = {}) {
  return spawnSync(BIN, args, { encoding: 'utf8', timeout: 30000, ...opts });
}

export function tempDir(prefix = 'mh-http-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startDemo(extraArgs = []) {
  const dir = tempDir();
  const site = path.join(dir, 'site');
  const init = run(['init', site, '--demo']);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const srv = await startServer(site, extraArgs);
  srv.root = dir;
  const stop = srv.stop;
  srv.stop = async () => {
    const code = await stop();
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  return srv;
}

export function startServer(site, extraArgs = [], { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', site, '--listen', '127.0.0.1:0', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${out} ${err}`));
    }, 15000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s/]+)\//);
      if (m) {
        clearTimeout(timer);
        const url = new URL(m[1]);
        resolve({
          child, site, url: m[1], host: url.hostname, port: Number(url.port),
          stderr: () => err,
          stop: () => new Promise((res) => {
            if (child.exitCode !== null) return res(child.exitCode);
            child.once('exit', (code, signal) => res(code ?? signal));
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

// Send raw bytes, read until the server closes or a full response arrives.
export function rawRequest(srv, bytes, { timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, srv.host);
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('timeout')); }, timeout);
    sock.on('data', (d) => {
      chunks.push(d);
      const res = parseResponse(Buffer.concat(chunks), bytes.toString().startsWith('HEAD'));
      if (res) { clearTimeout(timer); sock.destroy(); resolve(res); }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('end', () => {
      clearTimeout(timer);
      const res = parseResponse(Buffer.concat(chunks), true);
      res ? resolve(res) : reject(new Error('connection closed without a response'));
    });
    sock.write(bytes);
  });
}

function parseResponse(buf, noBodyOk) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = buf.subarray(end + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
  if (noBodyOk || status === 304 || status === 204) return { status, headers, body };
  if (len !== null && body.length < len) return null;
  if (len === null && !headers['transfer-encoding']) return null;
  return { status, headers, body: len !== null ? body.subarray(0, len) : body };
}

// A well-formed GET/HEAD with optional extra headers.
export function get(srv, target, headers = {}, method = 'GET') {
  let req = `${method} ${target} HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\nConnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) req += `${k}: ${v}\r\n`;
  return rawRequest(srv, Buffer.from(req + '\r\n', 'latin1'));
}

export function text(res) {
  if (res.headers['content-encoding'] === 'gzip') return zlib.gunzipSync(res.body).toString('utf8');
  return res.body.toString('utf8');
}

export const SEED = '/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html';

// A request that keeps every Set-Cookie: resolves { status, headers,
// cookies, body, text() }. body may be a string or a Buffer; a server that
// refuses a large body may reset the connection, which still resolves with
// what arrived.
export function request(srv, method, target, { headers = {}, body = null } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, srv.host);
    const chunks = [];
    let settled = false;
    const noBody = method === 'HEAD';
    const finish = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const res = parseFull(Buffer.concat(chunks), noBody);
      if (res) resolve(res);
      else reject(err || new Error('connection closed without a response'));
    };
    const timer = setTimeout(() => finish(new Error('timeout')), 20000);
    sock.on('data', (d) => {
      chunks.push(d);
      const res = parseFull(Buffer.concat(chunks), noBody);
      if (res && res.complete) finish();
    });
    sock.on('error', (e) => finish(e));
    sock.on('end', () => finish());
    let head = `${method} ${target} HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\nConnection: close\r\n`;
    const h = { ...headers };
    if (body !== null && h['Content-Length'] === undefined) h['Content-Length'] = String(Buffer.byteLength(body));
    for (const [k, v] of Object.entries(h)) head += `${k}: ${v}\r\n`;
    sock.write(Buffer.from(head + '\r\n', 'latin1'));
    if (body !== null && body.length) sock.write(body);
  });
}

function parseFull(buf, noBody) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  const cookies = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    if (k === 'set-cookie') cookies.push(v);
    headers[k] = v;
  }
  let body = buf.subarray(end + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
  const complete = noBody || status === 304 || status === 204 || (len !== null && body.length >= len);
  if (len !== null && !noBody) body = body.subarray(0, len);
  return { status, headers, cookies, body, complete, text: () => body.toString('utf8') };
}

// The value a response's Set-Cookie gives name, or null.
export function cookieValue(res, name) {
  for (const c of res.cookies) {
    const m = c.match(new RegExp(`^${name}=([^;]*)`));
    if (m && m[1]) return m[1];
  }
  return null;
}
