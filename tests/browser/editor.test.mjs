// The admin's rich-text editor (themes/admin/assets/editor.js) in Chromium,
// on a fixture form served with the real server's CSP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, editorHtml, fixtureServer, launch, screenshotPath, watch } from './helpers.mjs';

let fx;
let browser;

before(async () => {
  fx = await fixtureServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await fx?.close();
});

async function open(query = '') {
  const page = await browser.newPage();
  const w = await watch(page);
  await page.goto(`${fx.url}/edit${query}`);
  return { page, w };
}

async function openEditor(query = '') {
  const o = await open(query);
  await o.page.locator('.mh-editor .ql-editor').waitFor();
  return o;
}

// The editor itself causes no CSP violation and no script error. Pasted
// markup is parsed under the page's CSP, which refuses (and reports) its
// inline styles and handlers: those reports, and only those, are allowed
// when pasted is set.
async function clean(o, { pasted = false } = {}) {
  const blocked = /^(style-src-attr|style-src-elem|script-src-attr) inline $/;
  const csp = await o.w.csp();
  const errors = o.w.errors.filter((e) => !(pasted && /^console: (Applying inline style|Executing inline event handler) violates/.test(e)));
  assert.deepEqual(pasted ? csp.filter((v) => !blocked.test(v)) : csp, [], 'no CSP violations');
  assert.deepEqual(errors, [], 'no script errors');
  await o.page.close();
}

test('without JavaScript the textarea is the editor and submits as is', async () => {
  const ctx = await launch({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`${fx.url}/edit?body=${encodeURIComponent('<p>old</p>')}`);
    const ta = page.locator('textarea#body');
    assert.equal(await ta.isVisible(), true);
    assert.equal(await page.locator('.mh-editor').count(), 0);
    await ta.fill('<p>Plain <b>HTML</b></p>');
    await page.click('button[type=submit]');
    await page.locator('#saved').waitFor();
    assert.equal(fx.saved.at(-1).body, '<p>Plain <b>HTML</b></p>');
  } finally {
    await ctx.close();
  }
});

test('the editor replaces the textarea, loads its HTML and runs under the CSP', async () => {
  const initial = '<h2>Section</h2><p>Hello <strong>world</strong> and <a href="https://example.org/">a link</a></p>'
    + '<ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>';
  const o = await openEditor(`?body=${encodeURIComponent(initial)}`);
  const { page } = o;
  assert.equal(await page.locator('textarea#body').isVisible(), false);
  const ed = page.locator('.ql-editor');
  assert.equal(await ed.locator('h2').textContent(), 'Section');
  assert.equal(await ed.locator('strong').textContent(), 'world');
  assert.equal(await ed.locator('li').count(), 2);
  assert.equal(await ed.locator('a[href="https://example.org/"]').count(), 1);
  // the toolbar: headings 2-4, marks, lists, quote, link, image, table, clean
  for (const sel of ['.ql-picker.ql-header', '.ql-bold', '.ql-italic', '.ql-underline', '.ql-list[value=ordered]',
    '.ql-list[value=bullet]', '.ql-blockquote', '.ql-link', '.ql-image', '.ql-table', '.ql-clean']) {
    assert.equal(await page.locator(`.ql-toolbar ${sel}`).count(), 1, sel);
  }
  const levels = await page.locator('.ql-header .ql-picker-item').evaluateAll(
    (items) => items.map((i) => i.dataset.value || ''));
  assert.deepEqual(levels, ['2', '3', '4', '']);
  assert.equal(await page.locator('.ql-toolbar .ql-bold').getAttribute('aria-label'), 'Bold');
  // untouched content is submitted exactly as loaded
  await page.click('button[type=submit]');
  await page.locator('#saved').waitFor();
  assert.equal(fx.saved.at(-1).body, initial);
  await clean(o);
});

test('typing with the toolbar writes clean HTML back into the form', async () => {
  const o = await openEditor();
  const { page } = o;
  const ed = page.locator('.ql-editor');
  await ed.click();
  await page.keyboard.type('Plain and ');
  await page.click('.ql-toolbar .ql-bold');
  await page.keyboard.type('bold words');
  await page.click('.ql-toolbar .ql-bold');
  await page.keyboard.type(' here.');
  await page.keyboard.press('Enter');
  await page.click('.ql-toolbar .ql-header .ql-picker-label');
  await page.click('.ql-toolbar .ql-header .ql-picker-item[data-value="3"]');
  await page.keyboard.type('A heading');
  await page.keyboard.press('Enter');
  await page.click('.ql-toolbar .ql-list[value=bullet]');
  await page.keyboard.type('first item');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second item');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.click('.ql-toolbar .ql-italic');
  await page.keyboard.type('the end');
  // the debounced write-back happens on its own
  await page.waitForFunction(() => document.querySelector('#body').value.includes('the end'));
  const html = await page.locator('textarea#body').inputValue();
  assert.equal(html, '<p>Plain and <strong>bold words</strong> here.</p><h3>A heading</h3>'
    + '<ul><li>first item</li><li>second item</li></ul><p><em>the end</em></p>');
  await page.screenshot({ path: screenshotPath('editor-typing.png') });
  await page.click('button[type=submit]');
  await page.locator('#saved').waitFor();
  assert.equal(fx.saved.at(-1).body, html);
  assert.equal(fx.saved.at(-1)._csrf, 'csrf-token-1');
  await clean(o);
});

test('images come from a URL or the media library, never from elsewhere', async () => {
  const o = await openEditor();
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.keyboard.type('Pictures:');
  // by URL, with a description
  await page.click('.ql-toolbar .ql-image');
  const dlg = page.locator('dialog.mh-editor-dialog');
  await dlg.waitFor();
  await dlg.locator('input[name=url]').fill('javascript:alert(1)');
  await dlg.locator('button[type=submit]').click();
  assert.match(await dlg.locator('.mh-editor-dialog-msg').first().textContent(), /http/);
  await dlg.locator('input[name=url]').fill('/pic-1.png');
  await dlg.locator('input[name=alt]').fill('A blue picture');
  await dlg.locator('button[type=submit]').click();
  await dlg.waitFor({ state: 'detached' });
  // from the library: images only (the PDF is not offered)
  await page.click('.ql-toolbar .ql-image');
  await dlg.waitFor();
  const items = dlg.locator('.mh-editor-media-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 2);
  await page.screenshot({ path: screenshotPath('editor-media-dialog.png') });
  await dlg.locator('.mh-editor-media-item[data-url="/pic-2.png"]').click();
  await dlg.waitFor({ state: 'detached' });
  const html = await editorHtml(page);
  assert.equal(html, '<p>Pictures:<img src="/pic-1.png" alt="A blue picture"><img src="/pic-2.png"></p>');
  // both pictures really load under the CSP
  const loaded = await page.locator('.ql-editor img').evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
  assert.deepEqual(loaded, [160, 160]);
  // upload through the dialog: multipart with the form's CSRF token
  await page.click('.ql-toolbar .ql-image');
  await dlg.waitFor();
  await dlg.locator('input[type=file]').setInputFiles({
    name: 'up.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex'),
  });
  await dlg.locator('.mh-editor-upload button').click();
  await dlg.waitFor({ state: 'detached' });
  assert.equal(fx.uploads.length, 1);
  assert.match(fx.uploads[0].type, /^multipart\/form-data/);
  assert.equal(fx.uploads[0].csrf, 'csrf-token-1');
  assert.equal((await editorHtml(page)).match(/<img/g).length, 3);
  await clean(o);
});

test('tables: insert, add a row, and write a plain table back', async () => {
  const o = await openEditor();
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.click('.ql-toolbar .ql-table');
  await page.keyboard.type('a1');
  assert.equal(await page.locator('.ql-toolbar .ql-table-row-add').isVisible(), true);
  await page.click('.ql-toolbar .ql-table-row-add');
  const html = await editorHtml(page);
  assert.match(html, /^<table><tbody><tr><td>a1<\/td><td><\/td><td><\/td><\/tr>(<tr><td><\/td><td><\/td><td><\/td><\/tr>){3}<\/tbody><\/table>/);
  // the header row: type into the first row, then toggle it
  await page.keyboard.press('Tab');
  await page.keyboard.type('b1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('c1');
  await page.click('.ql-toolbar .ql-table-head');
  const head = await editorHtml(page);
  assert.match(head, /^<table><thead><tr><th scope="col">a1<\/th><th scope="col">b1<\/th><th scope="col">c1<\/th><\/tr><\/thead><tbody>(<tr><td><\/td><td><\/td><td><\/td><\/tr>){3}<\/tbody><\/table>/);
  await page.click('.ql-toolbar .ql-table-head');
  assert.match(await editorHtml(page), /^<table><tbody><tr><td>a1<\/td><td>b1<\/td>/);
  await clean(o);
});

// What Word puts on the clipboard, trimmed: conditional comments, mso
// styles and classes, <font>, <o:p>, a heading, a list as mso-list
// paragraphs, a table with a header row, a link and a local image.
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""; font-family:"Calibri"}
@list l0:level1 {mso-level-number-format:bullet; mso-level-text:\F0B7; font-family:Symbol} --></style></head>
<body lang=EN-US style='tab-interval:36.0pt'>
<!--StartFragment-->
<h1 style='mso-margin-top-alt:auto;color:#2F5496'><span style='font-family:"Calibri Light";mso-fareast-font-family:SimSun'>Annual Report<o:p></o:p></span></h1>
<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><font face="Times New Roman" color="red"><span style='font-size:14.0pt;color:#C00000;mso-bidi-font-weight:bold'>Revenue <b>grew</b> strongly</span></font>, see <a href="https://example.org/report" style='color:blue'>the report</a>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>First point<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Second point<o:p></o:p></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
<tr style='mso-yfti-irow:0'><th style='border:solid windowtext 1.0pt;background:#D9E2F3'><p class=MsoNormal><b>Year</b></p></th><th style='border:solid windowtext 1.0pt'><p class=MsoNormal><b>Sales</b></p></th></tr>
<tr style='mso-yfti-irow:1'><td style='border:solid windowtext 1.0pt'><p class=MsoNormal>2023</p></td><td style='border:solid windowtext 1.0pt'><p class=MsoNormal><span style='color:green'>120</span></p></td></tr>
</table>
<p class=MsoNormal><img width=100 height=50 src="file:///C:/Users/x/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" alt="local"><img src="/pic-1.png" alt="kept"><o:p></o:p></p>
<!--EndFragment-->
</body></html>`;

test('pasting from Word keeps the structure and colours as palette classes, and drops the junk', async () => {
  const o = await openEditor();
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.evaluate((html) => {
    const dt = new DataTransfer();
    dt.setData('text/html', html);
    dt.setData('text/plain', 'Annual Report');
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    document.querySelector('.ql-editor').dispatchEvent(ev);
  }, WORD_HTML);
  await page.waitForFunction(() => document.querySelector('.ql-editor table'));
  const html = await editorHtml(page);
  await page.screenshot({ path: screenshotPath('editor-paste-word.png') });
  // structure
  assert.match(html, /^<h2><span class="mh-color-blue">Annual Report<\/span><\/h2>/);
  assert.match(html, /<p><span class="mh-color-red">Revenue <\/span><strong class="mh-color-red">grew<\/strong><span class="mh-color-red"> strongly<\/span>, see <a href="https:\/\/example.org\/report">the report<\/a>.<\/p>/);
  assert.match(html, /<ul><li>First point<\/li><li>Second point<\/li><\/ul>/);
  // a bold first row is the header row
  assert.match(html, /<table><thead><tr><th scope="col">Year<\/th><th scope="col">Sales<\/th><\/tr><\/thead><tbody><tr><td>2023<\/td><td><span class="mh-color-green">120<\/span><\/td><\/tr><\/tbody><\/table>/);
  assert.match(html, /<img src="\/pic-1.png" alt="kept">/);
  // junk
  assert.doesNotMatch(html, /style=|<font|<o:p|mso|color:|Calibri|file:|&nbsp;|data-/i);
  assert.deepEqual([...html.matchAll(/class="([^"]*)"/g)].map((m) => m[1]).filter((c) => !/^mh-color-(red|blue|green)$/.test(c)), []);
  await clean(o, { pasted: true });
});

test('pasting from a web page keeps headings, lists, links, alignment and palette colours but not other classes', async () => {
  const o = await openEditor();
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/html', '<meta charset="utf-8"><div class="article" style="font-family:Georgia;color:#333">'
      + '<h4 class="x" style="color:red">Sub</h4><h6>Tiny</h6>'
      + '<p style="background:yellow;text-align:center">Text with <span style="font-weight:700">weight</span> '
      + 'and <em class="e">emphasis</em> and <code>code</code>.</p>'
      + '<ol style="list-style:square"><li>one<ol><li>nested</li></ol></li><li>two</li></ol>'
      + '<script>alert(1)</script><iframe src="https://example.org/"></iframe>'
      + '<p><a href="javascript:alert(1)" onclick="x()">bad link</a></p></div>');
    document.querySelector('.ql-editor').dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('.ql-editor ol'));
  const html = await editorHtml(page);
  assert.match(html, /^<h4><span class="mh-color-red">Sub<\/span><\/h4><h4>Tiny<\/h4><p class="mh-align-center">Text with <strong>weight<\/strong> and <em>emphasis<\/em> and code.<\/p>/);
  assert.match(html, /<ol><li>one<ol><li>nested<\/li><\/ol><\/li><li>two<\/li><\/ol>/);
  assert.doesNotMatch(html, /style=|class="(x|e|article)"|<script|<iframe|javascript:|onclick|background|Georgia/i);
  assert.match(html, /<p>bad link<\/p>$/);
  await clean(o, { pasted: true });
});

test('Chinese admin: labels in Chinese, CJK text edits and saves', async () => {
  const o = await openEditor(`?lang=zh-CN&body=${encodeURIComponent('<p>原有内容</p>')}`);
  const { page } = o;
  assert.equal(await page.locator('.ql-toolbar .ql-bold').getAttribute('title'), '加粗');
  const label = await page.locator('.ql-header .ql-picker-label').evaluate(
    (el) => getComputedStyle(el, '::before').content);
  assert.equal(label, '"正文"');
  await page.locator('.ql-editor p').click();
  await page.keyboard.press('End');
  await page.keyboard.insertText('，新增的文字');
  await page.screenshot({ path: screenshotPath('editor-zh.png') });
  await page.click('button[type=submit]');
  await page.locator('#saved').waitFor();
  assert.equal(fx.saved.at(-1).body, '<p>原有内容，新增的文字</p>');
  await clean(o);
});

test('notice tools: colour, alignment, indent, rule, video and an attachment from the media library', async () => {
  const o = await openEditor();
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.click('.ql-toolbar .ql-align .ql-picker-label');
  await page.click('.ql-toolbar .ql-align .ql-picker-item[data-value="center"]');
  await page.click('.ql-toolbar .ql-color .ql-picker-label');
  await page.click('.ql-toolbar .ql-color .ql-picker-item[data-value="red"]');
  await page.keyboard.type('Notice');
  await page.keyboard.press('Enter');
  await page.click('.ql-toolbar .ql-align .ql-picker-label');
  await page.click('.ql-toolbar .ql-align .ql-picker-item:not([data-value])');
  await page.click('.ql-toolbar .ql-color .ql-picker-label');
  await page.click('.ql-toolbar .ql-color .ql-picker-item:not([data-value])');
  await page.click('.ql-toolbar .ql-indent[value="+1"]');
  await page.keyboard.type('Indented, see ');
  await page.click('.ql-toolbar .ql-attachment');
  const dlg = page.locator('dialog.mh-editor-dialog');
  await dlg.getByRole('button', { name: 'a document' }).click();
  await page.click('.ql-toolbar .ql-divider');
  await page.click('.ql-toolbar .ql-image');
  const idlg = page.locator('dialog.mh-editor-dialog');
  await idlg.locator('input[name=url]').fill('/pic-1.png');
  await idlg.locator('input[name=alt]').fill('Blue');
  await idlg.locator('input[name=caption]').fill('The blue picture');
  await idlg.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('.ql-editor figure'));
  page.once('dialog', (d) => d.accept('/media/clip.mp4'));
  await page.click('.ql-toolbar .ql-mhvideo');
  await page.waitForFunction(() => document.querySelector('.ql-editor video'));
  const html = await editorHtml(page);
  await page.screenshot({ path: screenshotPath('editor-notice-tools.png') });
  assert.match(html, /^<p class="mh-align-center"><span class="mh-color-red">Notice<\/span><\/p>/);
  assert.match(html, /<p class="mh-indent-1">Indented, see <a href="\/doc.pdf" class="mh-attachment">a document<\/a><\/p>/);
  assert.match(html, /<video src="\/media\/clip.mp4" controls=""><\/video>/);
  assert.match(html, /<hr>/);
  assert.match(html, /<figure><img src="\/pic-1.png" alt="Blue"><figcaption>The blue picture<\/figcaption><\/figure>/);
  assert.doesNotMatch(html, /style=|ql-/);
  // the fixture has no such video: its 404 is expected
  o.w.errors.splice(0, o.w.errors.length, ...o.w.errors.filter((e) => !/404 .*\/media\/clip\.mp4$/.test(e)));
  await clean(o);
});

test('without the media endpoints the image dialog offers a URL only', async () => {
  const o = await openEditor('?media=off');
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.click('.ql-toolbar .ql-image');
  const dlg = page.locator('dialog.mh-editor-dialog');
  await dlg.waitFor();
  assert.equal(await dlg.locator('.mh-editor-media').count(), 0);
  assert.equal(await dlg.locator('input[type=file]').count(), 0);
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });
  await clean(o);
});

test('a library page without JSON opens in a window and its Insert button inserts', async () => {
  const o = await openEditor('?media=page');
  const { page } = o;
  await page.locator('.ql-editor').click();
  await page.click('.ql-toolbar .ql-image');
  const dlg = page.locator('dialog.mh-editor-dialog');
  const open = dlg.locator('.mh-editor-media button');
  await open.waitFor();
  const [popup] = await Promise.all([page.waitForEvent('popup'), open.click()]);
  // Insert closes its own window: the click may see the page go away
  // before it returns, which is the expected outcome, not a failure
  await Promise.all([
    popup.waitForEvent('close'),
    popup.locator('.media-insert').click().catch((e) => {
      if (!/closed/.test(String(e))) throw e;
    }),
  ]);
  await dlg.waitFor({ state: 'detached' });
  assert.equal(await editorHtml(page), '<p><img src="/pic-2.png"></p>');
  await clean(o);
});

test('the vendored editor is the release package.json names', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const js = readFileSync(path.join(ROOT, 'themes/admin/assets/editor.js'), 'utf8');
  const installed = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/quill/package.json'), 'utf8'));
  assert.equal(pkg.dependencies.quill, installed.version);
  assert.match(js, new RegExp(`VENDOR_VERSION = '${installed.version.replace(/\./g, '\\.')}'`));
});
