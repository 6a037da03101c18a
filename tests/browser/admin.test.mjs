// End to end through the real admin, as a person would: sign in, create a
// column, write an article in the rich-text editor (bold, a list, an image
// uploaded to the media library), publish it, and read it on the public
// site. Runs against the server tests/browser/run.sh started (MH_URL) with
// the admin password it set (MH_ADMIN_PASSWORD).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MH_URL, launch, png, screenshotPath, watch } from './helpers.mjs';

const PASSWORD = process.env.MH_ADMIN_PASSWORD || '';
const ADMIN = `${MH_URL}/admin`;
const SLUG = 'browser-desk';

let browser;
let page;
let w;
let signedIn = false;

// Console messages that belong to other parts of the admin and are known:
// every console message and page error is a failure
const unknown = (errors) => errors;

async function status(url) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
  return res.status;
}

// Skip (not fail) only while a feature is absent from the binary.
async function need(t, url, what) {
  if (!MH_URL) return t.skip('no server (run through tests/browser/run.sh)');
  if ((await status(url)) === 404) return t.skip(`${what} not in this build`);
  return true;
}

before(async () => {
  browser = await launch();
  page = await browser.newPage();
  w = await watch(page);
});

after(async () => {
  await browser?.close();
});

async function submit(form) {
  // the next document's load: forms with the editor save through fetch and
  // navigate when the answer is in, after the click has returned
  await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').first().click()]);
}

test('admin: sign in through the login form', async (t) => {
  if ((await need(t, `${ADMIN}/login`, 'the admin login')) !== true) return;
  if (!PASSWORD) return t.skip('no admin password ("masthead user passwd" unavailable)');
  await page.goto(`${ADMIN}/login`);
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', PASSWORD);
  await submit(page.locator('form[action$="/login"]'));
  // `user passwd` clears the forced change; if it did not, change it here
  if (new URL(page.url()).pathname.endsWith('/password')) {
    const next = `${PASSWORD}-2`;
    await page.fill('#pw-current', PASSWORD);
    await page.fill('#pw-new', next);
    await page.fill('#pw-confirm', next);
    await submit(page.locator('form[action$="/password"]'));
  }
  assert.doesNotMatch(new URL(page.url()).pathname, /\/(login|password)$/);
  assert.equal(await page.locator('a.brand').count(), 1, 'the signed-in layout');
  signedIn = true;
});

test('admin: create a column', async (t) => {
  if ((await need(t, `${ADMIN}/columns/new`, 'the column editor')) !== true) return;
  if (!signedIn) return t.skip('not signed in');
  await page.goto(`${ADMIN}/columns/new`);
  assert.doesNotMatch(new URL(page.url()).pathname, /\/login$/, 'signed in');
  await page.fill('#col-name', 'Browser Desk');
  await page.fill('#col-slug', SLUG);
  const modules = await page.locator('#col-module option').evaluateAll((o) => o.map((x) => x.value));
  if (modules.includes('article')) await page.selectOption('#col-module', 'article');
  await submit(page.locator('form.ed-form'));
  assert.equal(await page.locator('.alert[role=alert]').count(), 0, await page.content());
});

test('admin: write an article with bold text, a list and an uploaded image, publish it, read it on the site', async (t) => {
  if ((await need(t, `${ADMIN}/entries/new`, 'the entry editor')) !== true) return;
  if (!signedIn) return t.skip('not signed in');
  await page.goto(`${ADMIN}/entries/new`);
  assert.doesNotMatch(new URL(page.url()).pathname, /\/login$/, 'signed in');
  const editor = page.locator('.mh-editor .ql-editor');
  await editor.waitFor();
  assert.equal(await page.locator('textarea#body').isVisible(), false, 'the editor replaced the textarea');

  await page.fill('#e-title', 'Browser test article');
  await page.fill('#e-slug', 'browser-test-article');
  await editor.click();
  await page.keyboard.type('This article has ');
  await page.click('.ql-toolbar .ql-bold');
  await page.keyboard.type('bold text');
  await page.click('.ql-toolbar .ql-bold');
  await page.keyboard.type(' and a list:');
  await page.keyboard.press('Enter');
  await page.click('.ql-toolbar .ql-list[value=bullet]');
  await page.keyboard.type('first point');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second point');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');

  // the image: uploaded through the editor's dialog into the media library
  await page.click('.ql-toolbar .ql-image');
  const dlg = page.locator('dialog.mh-editor-dialog');
  await dlg.waitFor();
  await dlg.locator('input[name=alt]').fill('A test picture');
  const file = dlg.locator('input[type=file]');
  if (await file.count()) {
    await file.setInputFiles({ name: 'browser-test.png', mimeType: 'image/png', buffer: png(320, 200, [30, 120, 90]) });
    await dlg.locator('.mh-editor-upload button').click();
  } else {
    await dlg.locator('input[name=url]').fill('/assets/emblem.svg');
    await dlg.locator('button[type=submit]').click();
  }
  await dlg.waitFor({ state: 'detached' });
  const img = editor.locator('img');
  await img.waitFor();
  const src = await img.getAttribute('src');
  assert.match(src, /^\/(media|assets)\//);
  await page.waitForFunction(() => document.querySelector('#body').value.includes('<img'));
  // the upload is now in the media library the dialog lists
  await page.click('.ql-toolbar .ql-image');
  await dlg.waitFor();
  await dlg.locator(`.mh-editor-media-item[data-url="${src}"]`).waitFor();
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });
  await page.screenshot({ path: screenshotPath('admin-editor.png'), fullPage: true });

  // publish in our column
  await page.selectOption('#e-status', 'published');
  const col = await page.locator('#e-column option').evaluateAll(
    (opts) => (opts.find((o) => /Browser Desk/.test(o.textContent)) || {}).value);
  if (col) await page.selectOption('#e-column', col);
  // the editor saves with fetch and then goes where the save redirected
  await Promise.all([page.waitForURL((u) => /\/admin\/entries\/\d+$/.test(u.pathname)), page.locator('#entry-form button[type=submit]').first().click()]);
  await page.waitForLoadState('load');
  assert.equal(await page.locator('.alert[role=alert]').count(), 0, await page.locator('main').innerText());
  assert.match(new URL(page.url()).pathname, /\/admin\/entries\/\d+$/);
  // the saved body, back in the editor, still has its structure
  await page.locator('.mh-editor .ql-editor strong').waitFor();
  const saved = await page.locator('textarea#body').inputValue();
  assert.match(saved, /<strong>bold text<\/strong>/);
  assert.match(saved, /<ul><li>first point<\/li><li>second point<\/li><\/ul>/);

  // the public site
  const colPath = col ? `/${SLUG}/` : null;
  const pub = await browser.newPage();
  const pw = await watch(pub);
  let url = null;
  if (colPath) {
    await pub.goto(`${MH_URL}${colPath}`);
    const link = pub.locator('a', { hasText: 'Browser test article' }).first();
    await link.waitFor();
    url = await link.getAttribute('href');
  }
  assert.ok(url, 'the article is listed in its column');
  await pub.goto(new URL(url, MH_URL).href);
  const body = pub.locator('main');
  assert.equal(await body.locator('strong', { hasText: 'bold text' }).count(), 1);
  assert.deepEqual(await body.locator('ul li').filter({ hasText: /point/ }).allTextContents(), ['first point', 'second point']);
  const pic = body.locator(`img[src^="${src.replace(/\.[a-z]+$/, '')}"], img[alt="A test picture"]`).first();
  await pic.waitFor();
  assert.ok(await pic.evaluate((i) => i.complete && i.naturalWidth > 0), 'the image loads');
  await pub.screenshot({ path: screenshotPath('public-article.png'), fullPage: true });
  assert.deepEqual(await pw.csp(), [], 'no CSP violations on the public page');
  assert.deepEqual(unknown(pw.errors), []);
  await pub.close();
  assert.deepEqual(await w.csp(), [], 'no CSP violations in the admin');
  assert.deepEqual(unknown(w.errors), []);
});
