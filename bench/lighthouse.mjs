// Lighthouse (mobile) on the demo's home page and the seed article: the
// four category scores per page. Run by bench/run.sh against a server it
// started; Lighthouse itself is installed on first use into
// build/lighthouse (bench/lighthouse.sh), not with the project's npm
// packages, so `make test` does not carry it.
//   node bench/lighthouse.mjs BASE_URL PATH...
import { createRequire } from 'node:module';
import path from 'node:path';

const [base, ...paths] = process.argv.slice(2);
const prefix = process.env.LH_PREFIX || path.resolve('build/lighthouse');
const require = createRequire(path.join(prefix, 'package.json'));
const lighthouse = (await import(require.resolve('lighthouse'))).default;
const { launch } = await import(require.resolve('chrome-launcher'));

const chrome = await launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const cats = ['performance', 'accessibility', 'best-practices', 'seo'];
let worst = 100;
try {
  console.log(`${'page'.padEnd(60)} ${cats.map((c) => c.padStart(15)).join('')}`);
  for (const p of paths) {
    const r = await lighthouse(base + p, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: cats });
    const scores = cats.map((c) => Math.round((r.lhr.categories[c]?.score ?? 0) * 100));
    worst = Math.min(worst, ...scores);
    console.log(`${p.padEnd(60)} ${scores.map((s) => String(s).padStart(15)).join('')}`);
    for (const c of cats)
      for (const ref of r.lhr.categories[c].auditRefs) {
        const a = r.lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 0.9)
          console.log(`  ${c}: ${a.id} ${Math.round(a.score * 100)}${a.displayValue ? ' (' + a.displayValue + ')' : ''}`);
      }
  }
  console.log('targets: >= 95 each, >= 98 accessibility and SEO (mobile, simulated throttling)');
} finally {
  await chrome.kill();
}
