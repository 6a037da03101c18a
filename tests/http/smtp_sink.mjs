// A small SMTP server for tests (loopback only): speaks enough of RFC 5321
// for libcurl (EHLO, AUTH PLAIN/LOGIN accepted, MAIL, RCPT, DATA, QUIT),
// keeps every message it receives, and remembers what AUTH carried so a
// test can check the password reached the server and nowhere else.
// (Debian's python3-aiosmtpd does the same job; this one needs nothing
// but node.)
import net from 'node:net';

export function startSink() {
  const messages = [];
  const auths = [];
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.setEncoding('latin1');
    let buf = '';
    let inData = false;
    let data = '';
    let cur = { from: '', rcpt: [] };
    let authStep = null;
    const say = (s) => sock.write(s + '\r\n');
    say('220 sink.test ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data = buf.slice(0, end + 2);
          buf = buf.slice(end + 5);
          inData = false;
          const raw = Buffer.from(data.replace(/^\.\./gm, '.'), 'latin1');
          messages.push({ from: cur.from, rcpt: cur.rcpt, raw, ...parse(raw) });
          cur = { from: '', rcpt: [] };
          say('250 OK queued');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (authStep) {
          auths.push(Buffer.from(line, 'base64').toString('utf8'));
          if (authStep === 'user') { authStep = 'pass'; say('334 UGFzc3dvcmQ6'); } else { authStep = null; say('235 OK'); }
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') { sock.write('250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n'); }
        else if (cmd === 'HELO') say('250 sink.test');
        else if (cmd === 'AUTH') {
          const [, mech, arg] = line.split(' ');
          if (/^plain$/i.test(mech) && arg) { auths.push(Buffer.from(arg, 'base64').toString('utf8')); say('235 OK'); }
          else if (/^plain$/i.test(mech)) { authStep = 'pass'; say('334 '); }
          else { authStep = 'user'; say('334 VXNlcm5hbWU6'); }
        } else if (cmd === 'MAIL') { cur.from = line.slice(10).trim(); say('250 OK'); }
        else if (cmd === 'RCPT') { cur.rcpt.push(line.slice(8).trim()); say('250 OK'); }
        else if (cmd === 'DATA') { inData = true; say('354 go ahead'); }
        else if (cmd === 'QUIT') { say('221 bye'); sock.end(); return; }
        else if (cmd === 'RSET' || cmd === 'NOOP') say('250 OK');
        else say('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        messages,
        auths,
        close: () => new Promise((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
      });
    });
  });
}

// Headers (unfolded, RFC 2047 words decoded) and the base64 body decoded.
function parse(raw) {
  const text = raw.toString('latin1');
  const sep = text.indexOf('\r\n\r\n');
  const head = text.slice(0, sep).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  const rawHeaders = {};
  for (const l of head.split('\r\n')) {
    const i = l.indexOf(':');
    const k = l.slice(0, i).toLowerCase();
    rawHeaders[k] = l.slice(i + 1).trim();
    headers[k] = decodeWords(rawHeaders[k]);
  }
  let body = text.slice(sep + 4);
  if (/base64/i.test(headers['content-transfer-encoding'] || '')) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, rawHeaders, body };
}

function decodeWords(v) {
  return v.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(\s+(?==\?))?/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}
