// The editor never loses work, and keeps a government notice's look: end
// to end on a demo site of the test's own (tests/browser/helpers.mjs
// ownSite), through the real admin.
//  - typing, then the session is deleted server-side (sqlite3): Save
//    answers 403, the page stays, a notice offers signing in again in a new
//    window; after signing in there, Save again succeeds with the text
//    intact;
//  - a reload after typing offers the locally saved draft (Restore);
//  - pasting a notice (centred red 22pt title, a table, a video) as HTML,
//    publishing, and reading the public page: centring, red, the table and
//    the video survive as classes and elements, never style="".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, ownSite, screenshotPath, sqlite, watch } from './helpers.mjs';

const PASSWORD = 'notice-test-password-1';
const BIN = process.env.MH_BIN || path.join(ROOT, 'build/masthead');
const ENTRY = 2; // a published demo article in the English news column

let site;
let browser;
let ctx;

before(async () => {
  site = await ownSite(async (db) => {
    execFileSync(BIN, ['user', 'passwd', path.dirname(db), 'admin'], { input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  });
  browser = await launch();
  ctx = browser.contexts ? browser : browser;
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

async function signIn(page) {
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/login"] button[type=submit]').click()]);
}

async function openEntry(page) {
  await page.goto(`${site.url}/admin/entries/${ENTRY}`);
  if (new URL(page.url()).pathname.endsWith('/login')) await signIn(page);
  assert.match(new URL(page.url()).pathname, new RegExp(`/admin/entries/${ENTRY}$`));
  await page.locator('.mh-editor .ql-editor').waitFor();
}

async function body() {
  return sqlite(site.db, `SELECT body_html FROM entries WHERE id = ${ENTRY};`);
}

test('an expired session on Save keeps the page; sign in in a new window, save again', async () => {
  const page = await browser.newPage();
  const w = await watch(page);
  await openEntry(page);
  await page.locator('.ql-editor').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Written while the session expired.');
  // the session ends on the server
  await sqlite(site.db, 'DELETE FROM sessions;');
  await page.locator('#entry-form button[type=submit]').click();
  const notice = page.locator('.mh-editor-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /session has expired/);
  assert.match(new URL(page.url()).pathname, new RegExp(`/admin/entries/${ENTRY}$`), 'still on the page');
  assert.match(await page.locator('.ql-editor').textContent(), /Written while the session expired\./);
  assert.doesNotMatch(await body(), /Written while/, 'not saved yet');
  // sign in again in the window the notice opens
  const [popup] = await Promise.all([page.waitForEvent('popup'), notice.locator('button').first().click()]);
  await popup.waitForLoadState('load');
  assert.match(new URL(popup.url()).pathname, /\/admin\/login$/);
  await signIn(popup);
  // the window closes itself (or says to return)
  await page.locator('.mh-editor-notice-ok').waitFor();
  await page.screenshot({ path: screenshotPath('editor-session-signed-in.png') });
  // the page goes to where the save redirected (the same address)
  await Promise.all([page.waitForEvent('framenavigated'), page.locator('.mh-editor-notice-ok button').click()]);
  await page.waitForLoadState('load');
  assert.match(await body(), /Written while the session expired\./, 'saved after signing in');
  await page.waitForLoadState('load');
  assert.deepEqual((await w.csp()), [], 'no CSP violations');
  await page.close();
});

test('a reload after typing offers the local draft, and Restore brings it back', async () => {
  const page = await browser.newPage();
  await openEntry(page);
  await page.locator('.ql-editor').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Typed before a crash.');
  // the draft is written a few seconds after the change
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('mh-draft:') && localStorage.getItem(k).includes('Typed before a crash.')), null, { timeout: 10000 });
  await page.reload();
  await page.locator('.mh-editor .ql-editor').waitFor();
  assert.doesNotMatch(await page.locator('.ql-editor').textContent(), /Typed before a crash/);
  const notice = page.locator('.mh-editor-notice');
  await notice.waitFor();
  await page.screenshot({ path: screenshotPath('editor-draft-restore.png') });
  await notice.getByRole('button', { name: 'Restore' }).click();
  assert.match(await page.locator('.ql-editor').textContent(), /Typed before a crash\./);
  await page.close();
});

const NOTICE = '<meta charset="utf-8"><p align="center" style="text-align:center"><b><span style="font-size:22.0pt;'
  + 'font-family:方正小标宋简体;color:red">关于做好2024年防汛工作的通知</span></b></p>'
  + '<p style="text-indent:32pt"><span style="font-size:16pt">各有关单位：现将有关事项通知如下。</span></p>'
  + '<table border="1" style="border-collapse:collapse"><tr><td style="width:100px"><b>单位</b></td><td><b>联系人</b></td></tr>'
  + '<tr><td>应急管理局</td><td>张三</td></tr></table>'
  + '<video src="/media/notice.mp4" autoplay></video><p>特此通知。</p>';

test('a pasted government notice keeps centring, red, the table and the video on the public page', async () => {
  const page = await browser.newPage();
  await openEntry(page);
  await page.evaluate(() => {
    const q = document.querySelector('.mh-editor').mhEditor.quill;
    q.setText('');
    q.setSelection(0, 0);
  });
  await page.locator('.ql-editor').click();
  await page.evaluate((html) => {
    const dt = new DataTransfer();
    dt.setData('text/html', html);
    dt.setData('text/plain', '通知');
    document.querySelector('.ql-editor').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, NOTICE);
  await page.waitForFunction(() => document.querySelector('.ql-editor table') && document.querySelector('.ql-editor video'));
  await page.selectOption('#e-status', 'published');
  await Promise.all([page.waitForEvent('framenavigated'), page.locator('#entry-form button[type=submit]').click()]);
  await page.waitForLoadState('load');
  const saved = await body();
  assert.doesNotMatch(saved, /style=/);
  assert.match(saved, /class="mh-align-center"/);
  assert.match(saved, /mh-color-red/);
  assert.match(saved, /class="mh-color-red mh-size-large"|class="mh-size-large mh-color-red"/);
  assert.match(saved, /<table><thead><tr><th scope="col">单位<\/th>/);
  assert.match(saved, /<video src="\/media\/notice.mp4" controls/);
  // the public page
  const slug = (await sqlite(site.db, `SELECT slug FROM entries WHERE id = ${ENTRY};`)).trim();
  const pub = await browser.newPage();
  const prefix = (await sqlite(site.db, `SELECT l.prefix FROM entries e JOIN languages l ON l.id = e.lang_id WHERE e.id = ${ENTRY};`)).trim();
  const res = await pub.goto(`${site.url}${prefix ? `/${prefix}` : ''}/news/${slug}.html`);
  assert.equal(res.status(), 200);
  const art = pub.locator('.mh-align-center').first();
  assert.match(await art.textContent(), /防汛工作的通知/);
  assert.equal(await pub.locator('.mh-color-red').count() > 0, true);
  const red = await pub.locator('.mh-color-red').first().evaluate((e) => getComputedStyle(e).color);
  assert.equal(red, 'rgb(204, 0, 0)', 'the theme styles the palette class');
  const align = await art.evaluate((e) => getComputedStyle(e).textAlign);
  assert.equal(align, 'center');
  // its bold first row is the header row
  assert.equal(await pub.locator('table thead th').count(), 2);
  assert.equal(await pub.locator('table tbody td').count(), 2);
  assert.equal(await pub.locator('video[controls][src="/media/notice.mp4"]').count(), 1);
  await pub.screenshot({ path: screenshotPath('notice-public.png'), fullPage: true });
  await pub.close();
  await page.close();
});
