// A WordPress export (WXR 1.2) of N posts for the import benchmark:
//   node bench/wxr_gen.mjs 100000 > /tmp/big.xml
// 20 categories (two levels), 50 tags, 2 authors, 10 pages; each post has
// three paragraphs, every tenth a [caption], every fifth a comment. Same N,
// same file (no randomness).
import { createWriteStream } from 'node:fs';

const n = Number(process.argv[2] || 100000);
const out = process.argv[3] ? createWriteStream(process.argv[3]) : process.stdout;
let buf = '';
const w = (s) => {
  buf += s;
  if (buf.length > 1 << 20) { out.write(buf); buf = ''; }
};
const site = 'https://bench.example';
w(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>${site}</link><description>bench</description><language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${site}</wp:base_site_url><wp:base_blog_url>${site}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login><wp:author_email><![CDATA[e@bench.example]]></wp:author_email><wp:author_display_name><![CDATA[The Editor]]></wp:author_display_name></wp:author>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_email><![CDATA[w@bench.example]]></wp:author_email><wp:author_display_name><![CDATA[A Writer]]></wp:author_display_name></wp:author>
`);
for (let c = 1; c <= 20; c++) {
  const parent = c > 5 ? `cat-${((c - 1) % 5) + 1}` : '';
  w(`<wp:category><wp:term_id>${c}</wp:term_id><wp:category_nicename><![CDATA[cat-${c}]]></wp:category_nicename><wp:category_parent><![CDATA[${parent}]]></wp:category_parent><wp:cat_name><![CDATA[Category ${c}]]></wp:cat_name></wp:category>\n`);
}
for (let t = 1; t <= 50; t++)
  w(`<wp:tag><wp:term_id>${100 + t}</wp:term_id><wp:tag_slug><![CDATA[tag-${t}]]></wp:tag_slug><wp:tag_name><![CDATA[Tag ${t}]]></wp:tag_name></wp:tag>\n`);
const pad = (x) => String(x).padStart(2, '0');
for (let p = 1; p <= 10; p++)
  w(`<item><title>Page ${p}</title><link>${site}/page-${p}/</link><dc:creator><![CDATA[editor]]></dc:creator><content:encoded><![CDATA[<p>About page ${p}.</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${1000000 + p}</wp:post_id><wp:post_date>2020-01-01 00:00:00</wp:post_date><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>page-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_parent>${p > 5 ? 1000000 + p - 5 : 0}</wp:post_parent><wp:menu_order>${p}</wp:menu_order><wp:post_type>page</wp:post_type></item>\n`);
const para = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.';
for (let i = 1; i <= n; i++) {
  const d = new Date(Date.UTC(2015, 0, 1) + i * 3600 * 1000);
  const ds = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const slug = `post-${i}`;
  const cat = (i % 20) + 1;
  let body = `${para} (${i})\n\n${para}\n\n<strong>${para}</strong>`;
  if (i % 10 === 0) body += `\n\n[caption id="attachment_1" align="alignnone" width="300"]<img src="${site}/wp-content/uploads/2020/01/p${i}.jpg" alt="Picture ${i}" width="300" height="200" /> Caption ${i}[/caption]`;
  if (i % 7 === 0) body += '\n\n<!--more-->\n\nMore text.';
  w(`<item><title>Post number ${i}</title><link>${site}/${ds.slice(0, 4)}/${ds.slice(5, 7)}/${slug}/</link><pubDate>${d.toUTCString()}</pubDate><dc:creator><![CDATA[${i % 2 ? 'editor' : 'writer'}]]></dc:creator><guid isPermaLink="false">${site}/?p=${i}</guid><description></description>` +
    `<content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>` +
    `<wp:post_id>${i}</wp:post_id><wp:post_date><![CDATA[${ds}]]></wp:post_date><wp:post_date_gmt><![CDATA[${ds}]]></wp:post_date_gmt>` +
    `<wp:comment_status>open</wp:comment_status><wp:post_name><![CDATA[${slug}]]></wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>` +
    `<category domain="category" nicename="cat-${cat}"><![CDATA[Category ${cat}]]></category><category domain="post_tag" nicename="tag-${(i % 50) + 1}"><![CDATA[Tag ${(i % 50) + 1}]]></category>` +
    (i % 5 === 0 ? `<wp:comment><wp:comment_id>${i}</wp:comment_id><wp:comment_author><![CDATA[Reader]]></wp:comment_author><wp:comment_date>${ds}</wp:comment_date><wp:comment_date_gmt>${ds}</wp:comment_date_gmt><wp:comment_content><![CDATA[Nice.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>` : '') +
    '</item>\n');
}
w('</channel>\n</rss>\n');
out.write(buf);
if (out !== process.stdout) out.end();
