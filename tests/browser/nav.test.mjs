// The header menu of the default theme on a site of its own: 11 top-level
// columns and a branch three levels deep (added with sqlite3 to a fresh
// demo site, then served by masthead on a free loopback port).
//  - at 1366x768 the menu is one line high and the columns that do not fit
//    are in "More" (screenshot in tests/browser/artifacts/nav-1366.png);
//  - a third-level column is reached and opened by keyboard only;
//  - Escape closes a panel; the sidebar shows the branch at every level;
//    breadcrumbs list all levels;
//  - without script the menu is still one line (it scrolls sideways) and a
//    nested list opens with :focus-within;
//  - at 390 px the menu opens from the Menu control and a toggle shows
//    the sub-columns (touch);
//  - the footer text keeps its line breaks and paragraphs, escaped;
//  - an entry's share links: plain links, and WeChat's QR code of the
//    canonical URL in a <details> that opens without script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launch, ownSite, screenshotPath, sqlite, watch } from './helpers.mjs';

let site = null;
let url = '';

before(async () => {
  site = await ownSite(async (db) => {
    // Three more top-level columns (the demo has eight in the header) and a
    // third and fourth level under News > Zone News.
    await sqlite(db, `
      INSERT INTO columns (parent_id, lang_id, module, name, slug, nav, position)
      VALUES (NULL, 1, 'article', 'Government Affairs', 'government', 'header', 20),
             (NULL, 1, 'article', 'Public Information', 'public-info', 'header', 21),
             (NULL, 1, 'article', 'Interaction', 'interaction', 'header', 22);
      INSERT INTO columns (parent_id, lang_id, module, name, slug, nav, position)
      SELECT id, 1, 'article', 'District Reports', 'district-reports', 'header', 1
        FROM columns WHERE slug = 'zone-news' AND lang_id = 1;
      INSERT INTO columns (parent_id, lang_id, module, name, slug, nav, position)
      SELECT id, 1, 'article', 'Jiaozhou Bulletins', 'jiaozhou', 'header', 1
        FROM columns WHERE slug = 'district-reports' AND lang_id = 1;
      UPDATE settings SET value = 'Line one <b>not bold</b>' || char(10) || 'Line two' || char(13) || char(10)
        || char(10) || 'Second paragraph & more'
        WHERE key = 'footer_text' AND lang_id = 1;`);
    const top = await sqlite(db, "SELECT count(*) FROM columns WHERE parent_id IS NULL AND lang_id = 1 AND nav IN ('header','both');");
    assert.equal(Number(top.trim()), 11, 'eleven top-level columns in the header');
  });
  url = site.url;
});

after(async () => {
  if (site) await site.stop();
});

// Height of the menu bar and of one top-level link.
async function menuBox(page) {
  return page.evaluate(() => {
    const list = document.querySelector('.nav-list');
    const first = list.querySelector('.nav-item > a');
    const visible = [...list.children].filter((li) => !li.hidden && li.getClientRects().length);
    const tops = new Set(visible.map((li) => Math.round(li.getBoundingClientRect().top)));
    return {
      list: list.getBoundingClientRect().height,
      link: first.getBoundingClientRect().height,
      rows: tops.size,
      scrolls: list.scrollWidth > list.clientWidth + 1,
      inMore: document.querySelectorAll('.nav-more .sub > li').length,
      moreHidden: document.querySelector('.nav-more')?.hidden ?? null,
    };
  });
}

test('menu of 11 columns stays on one line at 1366 px; third level by keyboard', async () => {
  const browser = await launch({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    await page.goto(`${url}/`);
    const box = await menuBox(page);
    await page.screenshot({ path: screenshotPath('nav-1366.png') });
    assert.equal(box.rows, 1, `one row: ${JSON.stringify(box)}`);
    assert.ok(Math.abs(box.list - box.link) <= 1, `menu height is one line: ${JSON.stringify(box)}`);
    assert.equal(box.scrolls, false, 'nothing hidden by scrolling when the script runs');
    assert.equal(box.moreHidden, false, '"More" is shown');
    assert.ok(box.inMore >= 1, 'some columns moved into "More"');

    // keyboard: Tab to News, ArrowDown opens its panel, arrows reach the
    // third level, Enter opens it
    const news = page.locator('.nav-list > .nav-item > a', { hasText: /^News$/ });
    await news.focus();
    await page.keyboard.press('ArrowDown');
    const panel = page.locator('.nav-item:has(> a:text-is("News")) > .sub');
    assert.ok(await panel.isVisible(), 'ArrowDown opens the panel');
    const toggle = page.locator('.nav-item:has(> a:text-is("News")) > .sub-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    let name = '';
    for (let i = 0; i < 8 && name !== 'District Reports'; i++) {
      await page.keyboard.press('ArrowDown');
      name = await page.evaluate(() => document.activeElement.textContent.trim());
    }
    assert.equal(name, 'District Reports', 'the third level is reached with ArrowDown');
    assert.ok(await page.locator('a:text-is("District Reports")').isVisible());
    await page.screenshot({ path: screenshotPath('nav-1366-open.png') });
    // Escape closes and focuses the toggle; open it again with Enter on it
    await page.keyboard.press('Escape');
    assert.equal(await panel.isVisible(), false, 'Escape closes the panel');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'sub-toggle');
    await page.keyboard.press('Enter');
    assert.ok(await panel.isVisible(), 'Enter on the toggle opens the panel');
    await page.locator('a:text-is("District Reports")').focus();
    await Promise.all([page.waitForURL(/\/news\/zone-news\/district-reports\/$/), page.keyboard.press('Enter')]);

    // the page of the third level: breadcrumbs and the sidebar's branch
    const crumbs = await page.locator('.crumbs li').allTextContents();
    assert.deepEqual(crumbs.map((s) => s.trim()), ['Home', 'News', 'Zone News', 'District Reports']);
    const side = await page.locator('.side-list a').allTextContents();
    assert.ok(side.includes('Zone News') && side.includes('District Reports') && side.includes('Jiaozhou Bulletins'),
      `sidebar shows the branch: ${side.join(', ')}`);
    assert.equal(await page.locator('.side-list a[aria-current="page"]').textContent(), 'District Reports');
    // a column moved into More is reachable there
    const moreButton = page.locator('.nav-more-button');
    await moreButton.click();
    const moved = page.locator('.nav-more .sub > li > a').first();
    assert.ok(await moved.isVisible(), 'More opens');
    const open = await menuBox(page);
    assert.ok(Math.abs(open.list - open.link) <= 1, `still one line with More open: ${JSON.stringify(open)}`);
    const panelBox = await page.locator('.nav-more > .sub').boundingBox();
    assert.ok(panelBox.width > 400, `More's panel is a panel under the bar: ${JSON.stringify(panelBox)}`);
    await page.screenshot({ path: screenshotPath('nav-1366-more.png') });
    // the open menus pass axe-core too (run through the DevTools protocol,
    // not a <script>, so the site's CSP does not block it)
    const axe = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
    if (existsSync(axe)) {
      await page.evaluate(readFileSync(axe, 'utf8'));
      const res = await page.evaluate(() => window.axe.run(document.querySelector('.nav'), {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
    }
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.csp(), []);
  } finally {
    await browser.close();
  }
});

test('without script: one line that scrolls, nested lists by focus', async () => {
  const browser = await launch({ viewport: { width: 1366, height: 768 }, javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    const box = await menuBox(page);
    await page.screenshot({ path: screenshotPath('nav-1366-noscript.png') });
    assert.equal(box.rows, 1, `one row: ${JSON.stringify(box)}`);
    assert.ok(box.list - box.link < 20, `one line (perhaps with a scroll bar): ${JSON.stringify(box)}`);
    assert.equal(box.moreHidden, null, 'no "More" without script');
    await page.locator('.nav-list a:text-is("News")').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.textContent.trim());
    assert.equal(focused, 'Zone News');
    assert.ok(await page.locator('a:text-is("District Reports")').isVisible(), 'third level shown with :focus-within');
  } finally {
    await browser.close();
  }
});

test('at 390 px the menu opens and a toggle shows the sub-columns', async () => {
  const browser = await launch({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/news/`);
    assert.equal(await page.locator('.nav-list').isVisible(), false);
    await page.locator('.nav-button').tap();
    assert.ok(await page.locator('.nav-list').isVisible(), 'Menu opens the list');
    const zone = page.locator('.nav-list a:text-is("Zone News")');
    assert.equal(await zone.isVisible(), false);
    const toggle = page.locator('.nav-item:has(> a:text-is("News")) > .sub-toggle');
    await toggle.tap();
    assert.ok(await zone.isVisible(), 'the toggle shows the sub-columns');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.locator('.nav-list a:text-is("District Reports")').isVisible(), 'and their children');
    assert.equal(await page.locator('.nav-more').isHidden(), true, 'no "More" on a narrow screen');
    const axe = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
    if (existsSync(axe)) {
      await page.evaluate(readFileSync(axe, 'utf8'));
      const res = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
    }
    await toggle.tap();
    assert.equal(await zone.isVisible(), false, 'a second tap closes');
    await toggle.tap();
    await page.screenshot({ path: screenshotPath('nav-390.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('footer text keeps line breaks, escaped; share links and the WeChat QR code', async () => {
  const browser = await launch({ viewport: { width: 1366, height: 900 }, javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    const footer = await page.locator('.footer-text').innerHTML();
    assert.equal(footer.trim(),
      '<p>Line one &lt;b&gt;not bold&lt;/b&gt;<br>\nLine two</p>\n<p>Second paragraph &amp; more</p>');
    assert.equal(await page.locator('.footer b').count(), 0, 'never raw HTML');

    await page.goto(`${url}/news/`);
    const href = await page.locator('.cards .card-title a').first().getAttribute('href');
    await page.goto(`${url}${href}`);
    const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
    const links = await page.locator('.share-links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const enc = encodeURIComponent(canonical);
    for (const prefix of ['mailto:?subject=', 'https://service.weibo.com/share/share.php?url=',
      'https://connect.qq.com/widget/shareqq/index.html?url=', 'https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=',
      'https://www.linkedin.com/sharing/share-offsite/?url=', 'https://twitter.com/intent/tweet?url=']) {
      const l = links.find((x) => x.startsWith(prefix));
      assert.ok(l, `a link ${prefix}: ${links.join(' ')}`);
      assert.ok(l.includes(enc), `${prefix} shares ${canonical}`);
    }
    // no third-party script or image on the page
    const foreign = await page.evaluate(() => [...document.querySelectorAll('script[src], img[src], iframe')]
      .map((e) => e.src).filter((u) => new URL(u).origin !== location.origin));
    assert.deepEqual(foreign, []);
    const qr = page.locator('details.wechat svg');
    assert.equal(await qr.isVisible(), false, 'closed at first');
    await page.locator('details.wechat summary').click();
    assert.ok(await qr.isVisible(), 'opens without script');
    assert.equal(await qr.getAttribute('aria-label'), canonical, 'a QR code of the canonical URL');
    assert.ok((await page.locator('details.wechat').textContent()).includes('WeChat'));
    const box = await qr.boundingBox();
    assert.ok(box.width >= 100 && box.width === box.height, `square and scannable: ${JSON.stringify(box)}`);
  } finally {
    await browser.close();
  }
});
