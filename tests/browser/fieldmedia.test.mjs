// Custom fields in the real entry editor: an image field gets its file from
// the media library window (Choose → the library's Insert → preview in the
// form) and a region field becomes province → city → district selects;
// the entry saves with both values. Runs against the server
// tests/browser/run.sh started (MH_URL, MH_ADMIN_PASSWORD).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MH_URL, launch, png, screenshotPath, watch } from './helpers.mjs';

const PASSWORD = process.env.MH_ADMIN_PASSWORD || '';
const ADMIN = `${MH_URL}/admin`;

let browser;
let page;
let w;

before(async () => {
  browser = await launch();
  page = await browser.newPage();
  w = await watch(page);
});
after(async () => { await browser?.close(); });

async function submit(form) {
  await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').first().click()]);
}

test('an image field is picked from the media library, a region from the selects, and the entry saves', async (t) => {
  if (!MH_URL) return t.skip('no server (run through tests/browser/run.sh)');
  if (!PASSWORD) return t.skip('no admin password');
  // sign in
  await page.goto(`${ADMIN}/login`);
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', PASSWORD);
  await submit(page.locator('form[action$="/login"]'));
  if (new URL(page.url()).pathname.endsWith('/password')) {
    const next = `${PASSWORD}-2`;
    await page.fill('#pw-current', PASSWORD);
    await page.fill('#pw-new', next);
    await page.fill('#pw-confirm', next);
    await submit(page.locator('form[action$="/password"]'));
  }

  // an image in the library
  await page.goto(`${ADMIN}/media`);
  await page.setInputFiles('#media-file', { name: 'field-pick.png', mimeType: 'image/png', buffer: png(200, 120, [200, 60, 120]) });
  await submit(page.locator('form.media-upload'));

  // a column with an image field and a region field
  await page.goto(`${ADMIN}/columns/new`);
  await page.fill('#col-name', 'Field Desk');
  await page.fill('#col-slug', 'field-desk');
  // out of the navigation, and the entry stays a draft: the public pages
  // other tests look at do not change
  await page.selectOption('#col-nav', 'hidden');
  const modules = await page.locator('#col-module option').evaluateAll((o) => o.map((x) => x.value));
  if (modules.includes('article')) await page.selectOption('#col-module', 'article');
  await submit(page.locator('form.ed-form'));
  const hrefs = await page.locator('a', { hasText: 'Field Desk' }).evaluateAll((a) => a.map((x) => x.getAttribute('href')));
  const href = hrefs.find((h) => /\/columns\/(edit\/)?\d+/.test(h || ''));
  const m = (href || '').match(/\/columns\/(?:edit\/)?(\d+)/);
  assert.ok(m, `the new column's link: ${href}`);
  const col = m[1];
  for (const [key, label, kind] of [['photo', 'Photo', 'image'], ['place', 'Place', 'region']]) {
    await page.goto(`${ADMIN}/columns/edit/${col}`);
    await page.fill('#fd-new-key', key);
    await page.fill('#fd-new-label', label);
    await page.selectOption('#fd-new-kind', kind);
    await submit(page.locator('form.ed-field-new'));
  }

  await page.goto(`${ADMIN}/entries/new?column=${col}`);
  await page.fill('#e-title', 'Field picker test');
  const input = page.locator('#ef-photo');
  const box = page.locator('.field-media');
  await box.waitFor();
  assert.equal(await box.locator('.field-media-clear').isVisible(), false, 'nothing to clear yet');

  // Choose opens the library window; Insert hands the file back and closes it
  const [popup] = await Promise.all([page.waitForEvent('popup'), box.locator('.field-media-choose').click()]);
  await popup.waitForLoadState('load');
  assert.match(new URL(popup.url()).search, /kind=image/);
  const card = popup.locator('.media-card', { hasText: 'field-pick' }).first();
  await card.waitFor();
  const url = await card.getAttribute('data-url');
  await Promise.all([
    popup.waitForEvent('close'),
    card.locator('.media-insert').click().catch((e) => { if (!/closed/.test(String(e))) throw e; }),
  ]);
  assert.equal(await input.inputValue(), url);
  const thumb = box.locator('img.field-media-thumb');
  await thumb.waitFor();
  await page.waitForFunction(() => {
    const i = document.querySelector('img.field-media-thumb');
    return i && i.complete && i.naturalWidth > 0;
  });
  assert.equal(await box.locator('.field-media-clear').isVisible(), true);

  // Clear empties it; pick again
  await box.locator('.field-media-clear').click();
  assert.equal(await input.inputValue(), '');
  assert.equal(await thumb.count(), 0);
  const [again] = await Promise.all([page.waitForEvent('popup'), box.locator('.field-media-choose').click()]);
  await again.waitForLoadState('load');
  await Promise.all([
    again.waitForEvent('close'),
    again.locator(`.media-card[data-url="${url}"] .media-insert`).click().catch((e) => { if (!/closed/.test(String(e))) throw e; }),
  ]);
  assert.equal(await input.inputValue(), url);

  // the region: three selects, names in the column's language (English)
  const region = page.locator('#ef-place');
  await page.waitForSelector('#ef-place[data-region-ready]', { state: 'attached' });
  assert.equal(await region.getAttribute('type'), 'hidden');
  const level = (n) => page.locator(`.region-selects select[data-region-level="${n}"]`);
  await level(0).selectOption('Shandong');
  await page.waitForFunction(() => document.querySelector('select[data-region-level="1"]:not([hidden]) option[value="Qingdao"]'));
  await level(1).selectOption('Qingdao');
  await page.waitForFunction(() => document.querySelector('select[data-region-level="2"]:not([hidden]) option[value="Jiaozhou"]'));
  await level(2).selectOption('Jiaozhou');
  assert.equal(await region.inputValue(), 'Shandong/Qingdao/Jiaozhou');
  await page.screenshot({ path: screenshotPath('admin-field-pickers.png'), fullPage: true });

  // save
  await Promise.all([
    page.waitForURL((u) => /\/admin\/entries\/\d+$/.test(u.pathname)),
    page.locator('#entry-form button[type=submit]').first().click(),
  ]);
  await page.waitForLoadState('load');
  assert.equal(await page.locator('.alert[role=alert]').count(), 0, await page.locator('main').innerText());
  assert.equal(await page.locator('#ef-photo').inputValue(), url, 'the image field saved');
  await page.waitForSelector('#ef-place[data-region-ready]', { state: 'attached' });
  assert.equal(await page.locator('#ef-place').inputValue(), 'Shandong/Qingdao/Jiaozhou');
  assert.equal(await level(2).inputValue(), 'Jiaozhou', 'the stored path selects its levels again');
  await page.locator('.field-media img.field-media-thumb').waitFor();

  assert.deepEqual(await w.csp(), [], 'no CSP violations');
  assert.deepEqual(w.errors, []);
});
