// Products and galleries in Chromium on a demo site of its own:
//  - a visitor filters the product list by a parameter (Material, then
//    Size): the list, the counts and the shareable URL follow, and the
//    chosen value un-chooses itself;
//  - the product page's tabs work by keyboard;
//  - the gallery viewer by keyboard: Enter on an image opens it, arrows
//    move (with "n of m" and the caption), Escape closes and gives focus
//    back to the link; a swipe moves on a touch screen;
//  - without script the album is plain links to the full images;
//  - no CSP violation and no script error anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ownSite, screenshotPath, watch } from './helpers.mjs';

let site = null;
let url = '';

before(async () => {
  site = await ownSite();
  url = site.url;
});

after(async () => {
  if (site) await site.stop();
});

const titles = (page) => page.locator('.product-title').allTextContents();

test('a visitor filters products by a parameter', async () => {
  const browser = await launch({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    await page.goto(`${url}/products/`);
    assert.equal((await titles(page)).length, 6);
    const steel = page.locator('.filter-values a', { hasText: /^Steel \(3\)$/ });
    await Promise.all([page.waitForURL(/\/products\/\?material=Steel$/), steel.click()]);
    assert.deepEqual((await titles(page)).sort(), ['Flange Coupling', 'Gate Valve DN50', 'Pipe Clamp Set']);
    assert.equal(await page.locator('.filter-values [aria-current="true"]', { hasText: 'Steel' }).count(), 1);
    // the other field's counts are among the steel products now
    assert.equal(await page.locator('.filter-values a', { hasText: /^Large \(1\)$/ }).count(), 1);
    await Promise.all([page.waitForURL(/\?material=Steel&size=Large$/),
      page.locator('.filter-values a', { hasText: /^Large \(1\)$/ }).click()]);
    assert.deepEqual(await titles(page), ['Flange Coupling']);
    await page.screenshot({ path: screenshotPath('products-filtered.png') });
    // the URL is shareable: a new page with it shows the same list
    const again = await browser.newPage();
    await again.goto(page.url());
    assert.deepEqual(await titles(again), ['Flange Coupling']);
    await again.close();
    // choosing the chosen value again drops it
    await Promise.all([page.waitForURL(/\?size=Large$/),
      page.locator('.filter-values a[aria-current="true"]', { hasText: 'Steel' }).click()]);
    assert.deepEqual((await titles(page)).sort(), ['Cable Tray', 'Flange Coupling']);
    await Promise.all([page.waitForURL(/\/products\/$/), page.locator('.filter-clear a').click()]);
    assert.equal((await titles(page)).length, 6);
    assert.deepEqual(await w.csp(), []);
    assert.deepEqual(w.errors, []);
  } finally {
    await browser.close();
  }
});

test('product tabs and the gallery viewer work by keyboard', async () => {
  const browser = await launch({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    await page.goto(`${url}/products/gate-valve-dn50.html`);
    // tabs: three, the first shown; ArrowRight moves to and shows the next
    const tabs = page.locator('[role="tab"]');
    assert.equal(await tabs.count(), 3);
    assert.deepEqual(await tabs.allTextContents(), ['Details', 'Specifications', 'Service']);
    assert.ok(await page.locator('#tab-0').isVisible());
    assert.equal(await page.locator('#tab-1').isVisible(), false);
    await tabs.first().focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Specifications');
    assert.ok(await page.locator('#tab-1').isVisible());
    assert.equal(await page.locator('#tab-0').isVisible(), false);
    assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');

    // the album
    await page.goto(`${url}/gallery/views-of-the-zone.html`);
    const links = page.locator('.gallery-link');
    assert.equal(await links.count(), 8);
    await links.nth(1).focus();
    await page.keyboard.press('Enter');
    const dlg = page.locator('dialog.viewer');
    await dlg.waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement.className), 'viewer-close');
    assert.equal(await page.locator('.viewer-count').textContent(), '2 of 8');
    assert.equal(await page.locator('.viewer-caption').textContent(), 'Container yard of the logistics park');
    const src1 = await page.locator('.viewer-image').getAttribute('src');
    assert.equal(src1, await links.nth(1).getAttribute('href'));
    assert.equal(await page.locator('.viewer-image').getAttribute('alt'), 'Container yard of the logistics park');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('.viewer-count').textContent(), '3 of 8');
    assert.equal(await page.locator('.viewer-caption').textContent(), 'Ruyi Lake in spring');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('.viewer-count').textContent(), '1 of 8');
    await page.keyboard.press('ArrowLeft'); // wraps round
    assert.equal(await page.locator('.viewer-count').textContent(), '8 of 8');
    // the image loads
    assert.ok(await page.waitForFunction(() => {
      const i = document.querySelector('.viewer-image');
      return i && i.complete && i.naturalWidth > 0;
    }));
    await page.screenshot({ path: screenshotPath('gallery-viewer.png') });
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-index')), '1',
      'focus is back on the link that opened the viewer');
    assert.deepEqual(await w.csp(), []);
    assert.deepEqual(w.errors, []);
  } finally {
    await browser.close();
  }
});

test('the viewer moves by swipe on a touch screen; without script the album is plain links', async () => {
  const browser = await launch({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/gallery/views-of-the-zone.html`);
    await page.locator('.gallery-link').first().tap();
    await page.locator('dialog.viewer').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.viewer-count').textContent(), '1 of 8');
    const swipe = (x0, x1) => page.evaluate(([a, b]) => {
      const d = document.querySelector('dialog.viewer');
      const t = (x) => new Touch({ identifier: 1, target: d, clientX: x, clientY: 300 });
      d.dispatchEvent(new TouchEvent('touchstart', { touches: [t(a)], changedTouches: [t(a)], bubbles: true }));
      d.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [t(b)], bubbles: true }));
    }, [x0, x1]);
    await swipe(300, 100);
    assert.equal(await page.locator('.viewer-count').textContent(), '2 of 8');
    await swipe(100, 300);
    assert.equal(await page.locator('.viewer-count').textContent(), '1 of 8');
  } finally {
    await browser.close();
  }
  const noscript = await launch({ javaScriptEnabled: false });
  try {
    const page = await noscript.newPage();
    await page.goto(`${url}/gallery/views-of-the-zone.html`);
    const first = page.locator('.gallery-link').first();
    const href = await first.getAttribute('href');
    await Promise.all([page.waitForURL((u) => u.pathname === href), first.click()]);
    assert.equal(await page.locator('dialog').count(), 0);
    // product sections are headings with their text, all shown
    await page.goto(`${url}/products/gate-valve-dn50.html`);
    assert.ok(await page.locator('#tab-2').isVisible());
    assert.equal(await page.locator('[role="tab"]').count(), 0);
  } finally {
    await noscript.close();
  }
});
