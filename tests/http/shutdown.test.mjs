// Shutdown: SIGTERM stops the server within a second even while a client
// holds an idle keep-alive connection, and a request in progress when the
// signal arrives is still answered before the process exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDemo } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// An open socket with its received bytes.
function connect(srv) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, srv.host);
    const st = { sock, data: '', closed: false };
    sock.on('data', (d) => { st.data += d.toString('latin1'); });
    sock.on('close', () => { st.closed = true; });
    sock.on('error', () => {});
    sock.once('connect', () => resolve(st));
    sock.once('error', reject);
  });
}

async function until(fn, ms) {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) return false;
    await sleep(5);
  }
  return true;
}

function exitTime(srv) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    srv.child.once('exit', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
    srv.child.kill('SIGTERM'); // by PID: the process this test started
  });
}

test('SIGTERM with an idle keep-alive connection open: the server exits within 1 s', async () => {
  const srv = await startDemo();
  const c = await connect(srv);
  try {
    c.sock.write(`GET / HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\n\r\n`);
    assert.ok(await until(() => /\r\n\r\n/.test(c.data) && c.data.includes('</html>'), 5000), 'first response');
    assert.match(c.data, /^HTTP\/1\.1 200/);
    assert.doesNotMatch(c.data, /connection: close/i, 'the connection stays open');
    await sleep(200); // idle, between requests
    const ms = await exitTime(srv);
    assert.ok(ms < 1000, `exited ${ms.toFixed(0)} ms after SIGTERM`);
    assert.ok(await until(() => c.closed, 2000), 'the idle connection is closed');
  } finally {
    c.sock.destroy();
    await srv.stop();
  }
});

test('SIGTERM during a request: the request is answered, then the server exits', async () => {
  const srv = await startDemo();
  const c = await connect(srv);
  try {
    // Headers now, half of the body; the rest after the signal.
    const body = 'q=' + 'x'.repeat(98);
    c.sock.write(`POST /search HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\n`
      + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`
      + body.slice(0, 50));
    await sleep(200);
    let exited = false;
    const t0 = Date.now();
    const done = exitTime(srv).then((ms) => { exited = true; return ms; });
    await sleep(300);
    assert.equal(exited, false, 'the server waits for the request in progress');
    c.sock.write(body.slice(50));
    assert.ok(await until(() => /^HTTP\/1\.1 \d{3}/.test(c.data), 3000), 'the request is answered');
    const ms = await done;
    assert.ok(ms < 3000, `exited ${ms.toFixed(0)} ms after SIGTERM`);
    assert.ok(Date.now() - t0 >= 300);
  } finally {
    c.sock.destroy();
    await srv.stop();
  }
});
