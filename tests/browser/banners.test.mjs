// The home page banners of the demo in Chromium:
//  - with script: previous / pause / next buttons; ArrowRight and the next
//    button show the following slide (the others are hidden), the pause
//    button stops the rotation (aria-pressed) and says so; no CSP report;
//  - at 390 px the <picture> takes the mobile image;
//  - without script the first banner alone is visible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ownSite, watch } from './helpers.mjs';

let site = null;

before(async () => { site = await ownSite(); });
after(async () => { if (site) await site.stop(); });

const visibleSlides = (page) => page.$$eval('.banner', (els) => els.map((e) => getComputedStyle(e).display !== 'none'));

test('slider: buttons, keyboard, pause, under the CSP', async () => {
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    await page.goto(site.url + '/');
    await page.waitForSelector('.banners.has-js .banner-next');
    assert.deepEqual(await visibleSlides(page), [true, false, false]);
    await page.click('.banner-next');
    assert.deepEqual(await visibleSlides(page), [false, true, false]);
    await page.focus('.banner-pause');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await visibleSlides(page), [false, false, true]);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await visibleSlides(page), [true, false, false], 'wraps round');
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await visibleSlides(page), [false, false, true]);
    assert.equal(await page.getAttribute('.banner-pause', 'aria-pressed'), 'false');
    await page.click('.banner-pause');
    assert.equal(await page.getAttribute('.banner-pause', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('.banner-pause', 'aria-label'), 'Play the slides');
    assert.equal(await page.getAttribute('.banner-prev', 'aria-label'), 'Previous slide');
    assert.equal(await page.$$eval('.banner[hidden]', (e) => e.length), 2);
    assert.deepEqual(await w.csp(), []);
    assert.deepEqual(w.errors, []);
  } finally {
    await browser.close();
  }
});

test('slider: the mobile image on a narrow screen; the first banner alone without script', async () => {
  const narrow = await launch({ viewport: { width: 390, height: 800 } });
  try {
    const page = await narrow.newPage();
    await page.goto(site.url + '/zh/');
    const src = await page.$eval('.banner.is-current img', (img) => img.currentSrc);
    const mobile = await page.$eval('.banner.is-current source', (s) => s.getAttribute('srcset'));
    const first = mobile.split(',')[0].trim().split(' ')[0];
    assert.ok(src.includes(first.replace(/-\d+\.webp$/, '')), `mobile image chosen: ${src}`);
    assert.equal(await page.getAttribute('.banner-pause', 'aria-label'), '暂停轮播');
  } finally {
    await narrow.close();
  }
  const noscript = await launch({ javaScriptEnabled: false });
  try {
    const page = await noscript.newPage();
    await page.goto(site.url + '/');
    assert.deepEqual(await visibleSlides(page), [true, false, false]);
    assert.equal(await page.$('.banner-controls'), null);
  } finally {
    await noscript.close();
  }
});
