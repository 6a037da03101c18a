// Shared by products.test.mjs and gallery.test.mjs: a demo site, an admin
// signed in, form posts with the CSRF token, and sqlite3 on the site file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { run, startDemo, request as sharedRequest, cookieValue } from './helpers.mjs';

const PASSWORD = 'correct horse battery staple 42';
const csrfIn = (html) => (html.match(/name="_csrf" value="([^"]+)"/) || [])[1];

export async function setup(extraArgs = []) {
  const srv = await startDemo(extraArgs);
  const ctx = { srv };
  ctx.request = (method, target, opts) => sharedRequest(srv, method, target, opts);
  ctx.origin = () => `http://${srv.host}:${srv.port}`;
  ctx.sql = (stmt) => {
    const r = spawnSync('sqlite3', [path.join(srv.site, 'site.db'), stmt], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const r = run(['user', 'add', srv.site, 'webmaster', '--role', 'admin'], { input: `${PASSWORD}\n${PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  const page = await ctx.request('GET', '/admin/login');
  const pre = cookieValue(page, 'mh_login');
  const res = await ctx.request('POST', '/admin/login', {
    headers: { Cookie: `mh_login=${pre}`, Origin: ctx.origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'webmaster', password: PASSWORD, _csrf: csrfIn(page.text()) }).toString(),
  });
  assert.equal(res.status, 303);
  const cookie = `mh_session=${cookieValue(res, 'mh_session')}`;
  const home = await ctx.request('GET', '/admin/entries', { headers: { Cookie: cookie } });
  ctx.user = { cookie, csrf: csrfIn(home.text()) };
  ctx.admin = (target) => ctx.request('GET', target, { headers: { Cookie: cookie } });
  ctx.post = (target, fields) => {
    const body = new URLSearchParams({ _csrf: ctx.user.csrf });
    for (const [k, v] of fields) body.append(k, v);
    return ctx.request('POST', target, {
      headers: { Cookie: cookie, Origin: ctx.origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  };
  ctx.col = (lang, slug) => Number(ctx.sql(`SELECT c.id FROM columns c JOIN languages l ON l.id = c.lang_id WHERE l.code = '${lang}' AND c.slug = '${slug}'`));
  return ctx;
}

export async function waitFor(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The product titles of a list page, in order.
export const titles = (html) => [...html.matchAll(/<span class="product-title">([^<]*)<\/span>/g)].map((m) => m[1]);
// "value (count)" of one filter's links and spans.
export function counts(html, key) {
  const box = html.split(`id="filter-${key}"`)[1]?.split('</ul>')[0] || '';
  const out = {};
  for (const m of box.matchAll(/>([^<>]+?) <span class="count">\((\d+)\)<\/span>/g)) out[m[1]] = Number(m[2]);
  return out;
}
