// Image galleries: the demo's album in both languages, its list page with
// album covers, the album page as plain linked images with captions and
// alt text (the viewer is the theme's script, loaded by src under the
// CSP), and an album made in the admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, waitFor } from './products_lib.mjs';

let t;
before(async () => { t = await setup(); });
after(async () => { if (t) await t.srv.stop(); });

const page = async (target) => {
  const res = await t.request('GET', target);
  return { status: res.status, html: res.text(), headers: res.headers };
};
const albumPath = (lang) => {
  const slug = t.sql(`SELECT e.slug FROM entries e JOIN languages l ON l.id = e.lang_id JOIN columns c ON c.id = e.column_id WHERE c.slug = 'gallery' AND l.code = '${lang}'`);
  return `${lang === 'en' ? '' : '/zh'}/gallery/${encodeURIComponent(slug)}.html`;
};

test('the gallery list shows album covers in both languages', async () => {
  for (const [prefix, title] of [['', 'Views of the Zone'], ['/zh', '示范区风光']]) {
    const r = await page(`${prefix}/gallery/`);
    assert.equal(r.status, 200);
    assert.match(r.html, new RegExp(`<span class="album-title">${title}</span>`));
    assert.match(r.html, /<img class="album-cover" src="\/media\/[0-9a-f]{2}\/[0-9a-f]{30}\.jpg" srcset="[^"]+-320\.webp 320w/);
  }
});

test('an album page is plain linked images with captions, alt text and the viewer script', async () => {
  const r = await page(albumPath('en'));
  assert.equal(r.status, 200);
  const items = [...r.html.matchAll(/<a class="gallery-link" href="(\/media\/[^"]+\.jpg)" data-index="(\d+)" data-caption="([^"]*)"><img src="(\/media\/[^"]+)" alt="([^"]*)" width="480" height="360" loading="lazy"><\/a>/g)];
  assert.equal(items.length, 8);
  assert.deepEqual(items.map((m) => Number(m[2])), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(items[0][3], 'The administrative centre at dawn');
  assert.equal(items[0][5], items[0][3]); // alt from the caption
  assert.match(items[0][4], /-480\.webp$/); // the thumbnail is a variant
  assert.match(r.html, /<figcaption>Container yard of the logistics park<\/figcaption>/);
  assert.match(r.html, /<div class="gallery" data-gallery data-label="Image viewer" data-prev="Previous image" data-next="Next image" data-close="Close" data-of="of">/);
  assert.match(r.html, /8 images/);
  assert.match(r.html, /<script src="\/assets\/gallery\.js\?v=[0-9a-f]+" defer><\/script>/);
  assert.doesNotMatch(r.html, /<script>|<style|style="|onclick=/);
  assert.match(r.headers['content-security-policy'], /script-src 'self'/);
  // every image link works without script
  for (const m of items.slice(0, 2)) {
    const img = await t.request('GET', m[1]);
    assert.equal(img.status, 200);
  }
  const js = await t.request('GET', '/assets/gallery.js');
  assert.equal(js.status, 200);
  assert.match(js.text(), /ArrowRight/);

  const zh = await page(albumPath('zh-CN'));
  assert.equal(zh.status, 200);
  assert.match(zh.html, /alt="清晨的行政中心"/);
  assert.match(zh.html, /data-label="图片浏览"/);
});

test('an album made in the admin shows its images in order; an image without caption takes the title as alt', async () => {
  const col = t.col('zh-CN', 'gallery');
  const media = t.sql("SELECT '/media/' || stored_name FROM media WHERE original_name LIKE 'gallery-%' ORDER BY original_name").split('\n');
  const editor = await t.admin(`/admin/entries/new?column=${col}`);
  assert.match(editor.text(), /name="image_ref"/);
  assert.doesNotMatch(editor.text(), /name="tab_title"/); // galleries have no tabs
  const res = await t.post('/admin/entries/new', [['title', '新相册'], ['slug', 'new-album'], ['column_id', String(col)],
    ['status', 'published'], ['body', '<p>相册</p>'],
    ['image_ref', media[3]], ['image_caption', '第一张'], ['image_ref', media[1]], ['image_caption', ''],
    ['image_ref', 'https://images.example.org/x.jpg'], ['image_caption', '外部图片']]);
  assert.equal(res.status, 303, res.text().slice(0, 400));
  assert.ok(await waitFor(async () => (await page('/zh/gallery/new-album.html')).status === 200));
  const r = await page('/zh/gallery/new-album.html');
  const hrefs = [...r.html.matchAll(/<a class="gallery-link" href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(hrefs, [media[3], media[1], 'https://images.example.org/x.jpg']);
  assert.match(r.html, /alt="新相册"/);
  assert.match(r.html, /<img src="https:\/\/images\.example\.org\/x\.jpg" alt="外部图片" loading="lazy">/);
  const list = await page('/zh/gallery/');
  assert.match(list.html, new RegExp(`<img class="album-cover" src="${media[3]}"`));
});
