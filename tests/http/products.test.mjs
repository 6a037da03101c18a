// Products end to end: the demo's product lists in both languages, filters
// with a count per value (AND across fields, unknown values and keys
// ignored), shareable and cached filtered URLs, the product page (images,
// parameters, tabs, related products, the Inquire link), and an editor's
// create / edit / trash of a product with images in the admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, waitFor, titles, counts } from './products_lib.mjs';

let t;
before(async () => { t = await setup(); });
after(async () => { if (t) await t.srv.stop(); });

const page = async (target) => {
  const res = await t.request('GET', target);
  return { status: res.status, html: res.text(), headers: res.headers };
};

test('the product list shows every product with counts per filter value, in both languages', async () => {
  const en = await page('/products/');
  assert.equal(en.status, 200);
  assert.equal(titles(en.html).length, 6);
  assert.deepEqual(counts(en.html, 'material'), { Steel: 3, Aluminium: 2, Plastic: 1 });
  assert.deepEqual(counts(en.html, 'size'), { Small: 2, Medium: 2, Large: 2 });
  assert.match(en.html, /class="products products-grid"/);
  assert.doesNotMatch(en.html, /noindex/);
  // shown-in-list parameters on the cards; the size is not one
  assert.match(en.html, /<span class="field-label">Model:<\/span> GV-50/);
  assert.doesNotMatch(en.html, /<span class="field-label">Size:/);

  const zh = await page('/zh/products/');
  assert.equal(zh.status, 200);
  assert.equal(titles(zh.html).length, 6);
  assert.deepEqual(counts(zh.html, 'material'), { '钢': 3, '铝': 2, '塑料': 1 });
  const zhSteel = await page(`/zh/products/?material=${encodeURIComponent('钢')}`);
  assert.deepEqual(titles(zhSteel.html).sort(), ['DN50闸阀', '法兰联轴器', '管夹套装'].sort());
});

test('filters combine across fields, the counts follow, and the URL is shareable', async () => {
  const steel = await page('/products/?material=Steel');
  assert.equal(steel.status, 200);
  assert.deepEqual(titles(steel.html).sort(), ['Flange Coupling', 'Gate Valve DN50', 'Pipe Clamp Set']);
  // counts of the other field among the steel products; of its own field
  // as if each value were chosen instead
  assert.deepEqual(counts(steel.html, 'size'), { Small: 1, Medium: 1, Large: 1 });
  assert.deepEqual(counts(steel.html, 'material'), { Steel: 3, Aluminium: 2, Plastic: 1 });
  assert.match(steel.html, /<meta name="robots" content="noindex,follow">/);
  assert.match(steel.html, /<link rel="canonical" href="http:\/\/[^"]+\/products\/">/);
  assert.match(steel.html, /href="\/products\/\?material=Steel&amp;size=Large"/);

  const both = await page('/products/?size=Large&material=Steel');
  assert.deepEqual(titles(both.html), ['Flange Coupling']);
  assert.deepEqual(counts(both.html, 'material'), { Steel: 1, Aluminium: 1, Plastic: 0 });
  // the chosen value links back to the list without it
  assert.match(both.html, /class="is-current" href="\/products\/\?material=Steel" aria-current="true"/);

  const none = await page('/products/?material=Plastic&size=Large');
  assert.equal(none.status, 200);
  assert.deepEqual(titles(none.html), []);
  assert.match(none.html, /No products match these filters/);
});

test('unknown values, non-filterable keys and junk are ignored, never an error', async () => {
  for (const q of ['material=Gold', 'model=GV-50', 'nonsense=1', 'material=', 'material=%ZZ', 'page=abc',
    `material=${'x'.repeat(500)}`, 'material=Steel%00x']) {
    const r = await page(`/products/?${q}`);
    assert.equal(r.status, 200, q);
    assert.equal(titles(r.html).length, 6, q);
    assert.doesNotMatch(r.html, /noindex/, q);
  }
  // a known filter with junk beside it still applies
  const r = await page('/products/?material=Aluminium&colour=red&model=CT-300');
  assert.deepEqual(titles(r.html).sort(), ['Cable Tray', 'Heat Sink Profile']);
});

test('filtered pages are paginated in the query and ?page alone goes to the page path', async () => {
  const id = t.col('en', 'products');
  t.sql(`UPDATE columns SET page_size = 2 WHERE id = ${id}`);
  assert.ok(await waitFor(async () => titles((await page('/products/?material=Steel')).html).length === 2));
  const p1 = await page('/products/?material=Steel');
  assert.match(p1.html, /href="\/products\/\?material=Steel&amp;page=2" rel="next"/);
  // the second page of the plain list has the filters too
  const plain2 = await page('/products/page/2/');
  assert.equal(plain2.status, 200);
  assert.deepEqual(counts(plain2.html, 'material'), { Steel: 3, Aluminium: 2, Plastic: 1 });
  const p2 = await page('/products/?material=Steel&page=2');
  assert.equal(p2.status, 200);
  assert.equal(titles(p2.html).length, 1);
  assert.equal((await page('/products/?material=Steel&page=3')).status, 404);
  const plain = await t.request('GET', '/products/?page=2');
  assert.equal(plain.status, 301);
  assert.equal(plain.headers.location, '/products/page/2/');
  t.sql(`UPDATE columns SET page_size = 12 WHERE id = ${id}`);
  assert.ok(await waitFor(async () => titles((await page('/products/?material=Steel')).html).length === 3));
});

test('filtered pages are cached per query and dropped when content changes', async () => {
  const a = await page('/products/?material=Aluminium');
  const b = await page('/products/?material=Aluminium');
  assert.equal(b.headers.etag, a.headers.etag);
  assert.equal(titles(a.html).length, 2);
  // a change that bypasses the triggers is not seen: the page is the cached one
  t.sql("DROP TRIGGER cg_field_values_update; UPDATE field_values SET value = 'Aluminium' WHERE key = 'material' AND value = 'Plastic'");
  await new Promise((r) => setTimeout(r, 1500));
  const c = await page('/products/?material=Aluminium');
  assert.equal(c.headers.etag, a.headers.etag);
  assert.equal(titles(c.html).length, 2);
  // the same filters in another order are the same cache entry
  const d = await page('/products/?material=Aluminium&');
  assert.equal(d.headers.etag, a.headers.etag);
  // a new generation shows the change
  t.sql('UPDATE content_generation SET value = value + 1 WHERE id = 1');
  assert.ok(await waitFor(async () => titles((await page('/products/?material=Aluminium')).html).length === 3));
  assert.deepEqual(counts((await page('/products/')).html, 'material'), { Steel: 3, Aluminium: 3, Plastic: 0 });
  t.sql(`UPDATE field_values SET value = 'Plastic' WHERE key = 'material' AND entry_id = (SELECT id FROM entries WHERE title = 'Junction Box')`);
  t.sql("CREATE TRIGGER cg_field_values_update AFTER UPDATE ON field_values WHEN EXISTS (SELECT 1 FROM entries WHERE id = new.entry_id AND status IN ('published', 'scheduled') AND deleted_at IS NULL) BEGIN UPDATE content_generation SET value = value + 1 WHERE id = 1; END");
  t.sql('UPDATE content_generation SET value = value + 1 WHERE id = 1');
  assert.ok(await waitFor(async () => counts((await page('/products/')).html, 'material').Plastic === 1));
});

test('a product page has its images, parameters, tabs and related products', async () => {
  const r = await page('/products/gate-valve-dn50.html');
  assert.equal(r.status, 200);
  const html = r.html;
  const links = [...html.matchAll(/<a class="gallery-link" href="(\/media\/[^"]+)"/g)].map((m) => m[1]);
  assert.equal(links.length, 2);
  assert.match(html, /alt="Front view"/);
  assert.match(html, /<figcaption>Detail<\/figcaption>/);
  assert.match(html, /<dt>Material<\/dt><dd class="field-material">Steel<\/dd>/);
  assert.match(html, /<h2 class="tab-title" id="tab-1-title">Specifications<\/h2>/);
  assert.match(html, /<h2 class="tab-title" id="tab-2-title">Service<\/h2>/);
  assert.match(html, /<td>GV-50<\/td>/);
  assert.match(html, /Related products[\s\S]*Flange Coupling[\s\S]*Pipe Clamp Set/);
  assert.match(html, /<script src="\/assets\/gallery\.js\?v=[0-9a-f]+" defer><\/script>/);
  assert.doesNotMatch(html, /<script>|style="/);
  // the demo's products ask through the demo's feedback form, naming the product
  assert.match(html, /<p class="inquire"><a class="button" href="\/feedback\/\?product=Gate%20Valve%20DN50">/);
  const img = await t.request('GET', links[0]);
  assert.equal(img.status, 200);
  assert.match(img.headers['content-type'], /^image\/jpeg/);
  const zh = await page(`/zh/products/${encodeURIComponent(t.sql("SELECT slug FROM entries WHERE title = 'DN50闸阀'"))}.html`);
  assert.equal(zh.status, 200);
  assert.match(zh.html, /规格参数/);
  assert.match(zh.html, /<dt>材质<\/dt><dd class="field-material">钢<\/dd>/);
});

test('the column settings choose the list layout and the Inquire form', async () => {
  const lang = Number(t.sql("SELECT id FROM languages WHERE code = 'en'"));
  let res = await t.post('/admin/columns/new', [
    ['lang_id', String(lang)], ['name', 'Inquiries'], ['slug', 'inquiries'], ['module', 'feedback'],
    ['nav', 'footer'], ['sort_mode', 'newest'], ['page_size', '20'], ['visible', '1'], ['parent_id', '0'],
  ]);
  assert.equal(res.status, 303, res.text().slice(0, 300));
  const fb = t.col('en', 'inquiries');
  const id = t.col('en', 'products');
  const form = await t.admin(`/admin/columns/edit/${id}`);
  assert.match(form.text(), /<option value="\d+">inquiries<\/option>/);
  res = await t.post(`/admin/columns/edit/${id}`, [
    ['name', 'Products'], ['slug', 'products'], ['module', 'product'], ['nav', 'header'], ['sort_mode', 'newest'],
    ['page_size', '12'], ['visible', '1'], ['parent_id', '0'], ['col_layout', 'list'], ['col_inquiry', String(fb)],
  ]);
  assert.equal(res.status, 303, res.text().slice(0, 300));
  assert.ok(await waitFor(async () => /products products-list/.test((await page('/products/')).html)));
  const p = await page('/products/gate-valve-dn50.html');
  assert.match(p.html, /<p class="inquire"><a class="button" href="\/inquiries\/\?product=Gate%20Valve%20DN50">Inquire about this product<\/a><\/p>/);
  // a column of another type or language is refused as the target
  res = await t.post(`/admin/columns/edit/${id}`, [
    ['name', 'Products'], ['slug', 'products'], ['module', 'product'], ['nav', 'header'], ['sort_mode', 'newest'],
    ['page_size', '12'], ['visible', '1'], ['parent_id', '0'], ['col_layout', 'grid'], ['col_inquiry', String(t.col('en', 'news'))],
  ]);
  assert.equal(res.status, 303);
  assert.ok(await waitFor(async () => !/class="inquire"/.test((await page('/products/gate-valve-dn50.html')).html)));
});

test('an editor creates, edits and trashes a product with images, tabs and related products', async () => {
  const col = t.col('en', 'products');
  const media = t.sql("SELECT '/media/' || stored_name FROM media WHERE original_name LIKE 'product-%' ORDER BY original_name").split('\n');
  assert.ok(media.length >= 3);
  const editor = await t.admin(`/admin/entries/new?column=${col}`);
  assert.match(editor.text(), /name="image_ref"/);
  assert.match(editor.text(), /name="tab_title"/);
  assert.match(editor.text(), /type="checkbox" name="related" value="\d+"> Cable Tray/);
  const related = t.sql("SELECT id FROM entries WHERE title = 'Cable Tray'");
  const base = [['title', 'Ball Valve'], ['column_id', String(col)], ['status', 'published'], ['body', '<p>A ball valve.</p>'],
    ['field_material', 'Steel'], ['field_size', 'Small'], ['field_model', 'BV-1']];

  // a bad image address is refused with its message; nothing is stored
  let res = await t.post('/admin/entries/new', [...base, ['image_ref', 'javascript:alert(1)'], ['image_caption', 'x']]);
  assert.equal(res.status, 422);
  assert.match(res.text(), /An image address must be a file of the media library/);
  assert.match(res.text(), /value="javascript:alert\(1\)"/); // the form keeps what was sent
  assert.equal(t.sql("SELECT count(*) FROM entries WHERE title = 'Ball Valve'"), '0');
  res = await t.post('/admin/entries/new', [...base, ['image_ref', '/media/00/000000000000000000000000000000.jpg']]);
  assert.equal(res.status, 422);
  res = await t.post('/admin/entries/new', [...base, ['tab_title', ''], ['tab_body', '<p>orphan</p>']]);
  assert.equal(res.status, 422);
  assert.match(res.text(), /Every tab with content needs a name/);

  res = await t.post('/admin/entries/new', [...base,
    ['image_ref', media[0]], ['image_caption', 'Open'],
    ['image_ref', ''], ['image_caption', ''],
    ['image_ref', media[1]], ['image_caption', 'Closed <b>tight</b>'],
    ['tab_title', 'Specifications'], ['tab_body', '<p>DN25</p><script>alert(1)</script>'],
    ['tab_title', ''], ['tab_body', ''],
    ['related', related], ['related', '999999'], ['related', related]]);
  assert.equal(res.status, 303, res.text().slice(0, 500));
  const id = t.sql("SELECT id FROM entries WHERE title = 'Ball Valve'");
  assert.equal(t.sql(`SELECT group_concat(position || ':' || caption, '|') FROM entry_images WHERE entry_id = ${id}`), '0:Open|1:Closed <b>tight</b>');
  assert.equal(t.sql(`SELECT cover FROM entries WHERE id = ${id}`), media[0]);
  assert.equal(t.sql(`SELECT body_html FROM entry_tabs WHERE entry_id = ${id}`), '<p>DN25</p>');
  assert.equal(t.sql(`SELECT group_concat(related_id) FROM entry_related WHERE entry_id = ${id}`), related);
  // the media library counts the image list as a use of the file
  const mid = t.sql(`SELECT id FROM media WHERE '/media/' || stored_name = '${media[1]}'`);
  const detail = (await t.admin(`/admin/media/${mid}`)).text();
  assert.match(detail, /Ball Valve[\s\S]{0,200}image list/);
  let pub = await page('/products/ball-valve.html');
  assert.equal(pub.status, 200);
  assert.match(pub.html, /alt="Closed &lt;b&gt;tight&lt;\/b&gt;"/);
  assert.doesNotMatch(pub.html, /alert\(1\)/);
  assert.equal(counts((await page('/products/')).html, 'material').Steel, 4);

  // edit: the second image first, the first removed, a new caption
  res = await t.post(`/admin/entries/${id}`, [...base, ['image_ref', media[1]], ['image_caption', 'Closed'],
    ['image_ref', media[2]], ['image_caption', 'Side']]);
  assert.equal(res.status, 303, res.text().slice(0, 500));
  assert.equal(t.sql(`SELECT group_concat(caption, '|') FROM entry_images WHERE entry_id = ${id} ORDER BY position`), 'Closed|Side');
  assert.equal(t.sql(`SELECT count(*) FROM entry_tabs WHERE entry_id = ${id}`), '0');
  assert.ok(await waitFor(async () => /alt="Side"/.test((await page('/products/ball-valve.html')).html)));
  // the revision has the images; the editor shows them again
  assert.match(t.sql(`SELECT snapshot FROM revisions WHERE entry_id = ${id} ORDER BY id DESC LIMIT 1`), /"images":\[\{"caption":"Closed"/);
  const again = await t.admin(`/admin/entries/${id}`);
  assert.match(again.text(), /name="image_caption" value="Side"/);

  // trash: gone from the list and its counts
  res = await t.post(`/admin/entries/${id}/trash`, []);
  assert.equal(res.status, 303);
  assert.ok(await waitFor(async () => (await page('/products/ball-valve.html')).status === 410));
  assert.equal(counts((await page('/products/')).html, 'material').Steel, 3);
});
