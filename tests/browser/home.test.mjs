// The demo's home page as a visitor sees it at 1366 px: the configured
// blocks in order (headline news with its picture panel, the zone news and
// investment lists side by side, the gallery strip), nothing wider than the
// window, no page errors; screenshots of both languages go to
// tests/browser/artifacts/ to be looked at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { launch, ownSite, screenshotPath, watch } from './helpers.mjs';

test('the home page is a portal front page (en and zh)', { timeout: 120000 }, async (t) => {
  const site = await ownSite();
  t.after(() => site.stop());
  const browser = await launch({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    for (const [p, name, first] of [['/', 'home-en.png', 'News'], ['/zh/', 'home-zh.png', '新闻中心']]) {
      await page.goto(site.url + p);
      const heads = await page.locator('.block .panel-title').allTextContents();
      assert.equal(heads[0], first);
      assert.equal(heads.length, 6, heads.join(' | '));
      // the headline block spans the content width; two list blocks share a row
      const lead = await page.locator('.block-headline').boundingBox();
      const lists = page.locator('.block-list');
      const a = await lists.nth(0).boundingBox();
      const b = await lists.nth(1).boundingBox();
      assert.ok(lead.width > 900, `headline width ${lead.width}`);
      assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, 'two lists side by side');
      assert.ok(await page.locator('.lead-image').isVisible(), 'the headline has its picture panel');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll (${overflow})`);
      const file = screenshotPath(name);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(existsSync(file));
    }
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.csp(), []);
  } finally {
    await browser.close();
  }
});
