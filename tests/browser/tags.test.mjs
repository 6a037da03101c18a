// The editor's Tags field suggests the language's tags for the part after
// the last comma (themes/admin/assets/tags.js), and what is saved shows on
// the public entry page as tag links. Runs against the shared demo site of
// tests/browser/run.sh with the admin password it set (MH_ADMIN_PASSWORD).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MH_URL, launch, watch } from './helpers.mjs';

const PASSWORD = process.env.MH_ADMIN_PASSWORD || '';

test('tags: suggestions after a comma, saved, linked on the public page', { timeout: 90000 }, async (t) => {
  if (!MH_URL) return t.skip('no server (run through tests/browser/run.sh)');
  if (!PASSWORD) return t.skip('no admin password');
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const w = await watch(page);
    await page.goto(`${MH_URL}/admin/login`);
    await page.fill('#login-name', 'admin');
    await page.fill('#login-password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/login"] button[type="submit"]')]);
    // the demo entry "Investment Promotion Roadshow Held in Almaty" has tags
    await page.goto(`${MH_URL}/admin/entries?q=Almaty`);
    const href = await page.locator('a', { hasText: 'Investment Promotion Roadshow Held in Almaty' }).first().getAttribute('href');
    await page.goto(MH_URL + href);
    const input = page.locator('#e-tags');
    assert.equal(await input.inputValue(), 'Investment, Kazakhstan');
    await input.fill('Investment, Kazakhstan, Logi');
    const options = await page.locator('#e-tag-list option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(options.includes('Investment, Kazakhstan, Logistics'), options.join(' | '));
    assert.ok(!options.some((o) => /Kazakhstan, Investment$/.test(o)), 'tags already typed are not offered');
    await input.fill('Investment, Kazakhstan, Logistics');
    await Promise.all([page.waitForURL(/msg=saved/), page.locator('form.ed-editor button[type="submit"], #entry-form button[type="submit"]').first().click()]);
    await page.goto(`${MH_URL}/investment/investment-promotion-roadshow-held-in-almaty.html`);
    const tags = await page.locator('.entry-tags a[rel="tag"]').allTextContents();
    assert.deepEqual(tags, ['Investment', 'Kazakhstan', 'Logistics']);
    assert.deepEqual(await w.csp(), []);
  } finally {
    await browser.close();
  }
});
