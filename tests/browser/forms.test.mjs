// A visitor sends the feedback form; the administrator finds the message
// in the inbox and marks it handled. Against the server run.sh started
// (MH_URL) with the admin password it set (MH_ADMIN_PASSWORD).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MH_URL, launch, screenshotPath, watch } from './helpers.mjs';

const PASSWORD = process.env.MH_ADMIN_PASSWORD || '';
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function submit(page, form) {
  await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').first().click()]);
}

test('feedback: a visitor sends the form, the admin marks it handled in the inbox', async (t) => {
  if (!MH_URL) return t.skip('no server (run through tests/browser/run.sh)');
  if (!PASSWORD) return t.skip('no admin password');
  const stamp = `Browser visitor ${Date.now()}`;
  const visitor = await browser.newPage();
  const w = await watch(visitor);
  await visitor.goto(`${MH_URL}/zh/feedback/`);
  await visitor.fill('#form-name', stamp);
  await visitor.fill('#form-email', 'visitor@example.cn');
  await visitor.fill('#form-message', '请问上合示范区的企业注册流程是什么？');
  // a person takes a few seconds; the server refuses forms sent in under two
  await visitor.waitForTimeout(2500);
  await submit(visitor, visitor.locator('form.form'));
  assert.match(new URL(visitor.url()).search, /sent=1/);
  assert.match(await visitor.locator('.form-sent').innerText(), /已收到您的留言/);
  await visitor.screenshot({ path: screenshotPath('forms-sent.png') });
  assert.deepEqual(w.errors, []);
  assert.deepEqual(await w.csp(), []);
  await visitor.close();

  const page = await browser.newPage();
  await page.goto(`${MH_URL}/admin/login`);
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', PASSWORD);
  await submit(page, page.locator('form[action$="/login"]'));
  if (new URL(page.url()).pathname.endsWith('/password')) return t.skip('the password must be changed first');
  await page.goto(`${MH_URL}/admin/inbox`);
  await page.fill('#inbox-q', stamp);
  await submit(page, page.locator('form.inbox-filter'));
  const row = page.locator('tr.inbox-row');
  assert.equal(await row.count(), 1);
  assert.match(await row.getAttribute('class'), /unread/);
  assert.match(await row.innerText(), /请问上合示范区的企业注册流程/);
  await Promise.all([page.waitForEvent('load'), row.locator('a').first().click()]);
  assert.match(await page.locator('.inbox-facts').innerText(), new RegExp(stamp));
  await page.selectOption('#inbox-status', 'handled');
  await page.fill('#inbox-notes', 'Answered by phone');
  await submit(page, page.locator('form.inbox-form'));
  assert.equal(await page.locator('#inbox-status-now').getAttribute('class'), 'status status-handled');
  await page.screenshot({ path: screenshotPath('forms-inbox-handled.png') });
  await page.close();
});
