// The README's plain-JavaScript browser programs ("```js browser" blocks that import the package and train;
// the others are fragments), called by framework-apps.mjs (FRAMEWORK_APPS=plain): each, exactly as
// written, is the entry of a Vite app built from the packed
// package (MNIST copied to public/mnist/, as the README says an app must), and run in Chromium until it
// trains: its first batch reaches the page (a <loss-chart> point or a logged batch line), with no error.
// The run is then closed: the blocks train full MNIST for minutes; what this checks is that they build
// and start as written (no other test ran them).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite8';
import { serveStatic } from '../../bench/browser-server.mjs';
import { installTarball } from './install-tarball.mjs';

/** A page with every element the blocks look up. */
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>README example</title><link rel="icon" href="data:,"></head><body><digit-pad id="pad" preview></digit-pad><softmax-bars for="pad"></softmax-bars><loss-chart></loss-chart><confusion-matrix></confusion-matrix><script type="module" src="/main.js"></script></body></html>';

/** Builds and starts each README `js browser` block; throws naming the block and what the page said. */
export async function readmeBrowserBlocks({ root, tarball, work, browser, recordingLogger, log }) {
  const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```js browser\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.startsWith('import ') && /\.fit\(/.test(code));
  if (blocks.length < 2) throw new Error(`README: expected the worker's and the widgets' \`js browser\` programs that train, found ${blocks.length}`);
  for (const [i, code] of blocks.entries()) {
    const label = `README browser example ${i + 1} (${code.split('\n').filter((l) => l.startsWith('import')).at(-1)?.slice(0, 70)}…)`;
    const dir = join(work, `plain-${i + 1}`);
    rmSync(dir, { recursive: true, force: true });
    installTarball(dir, tarball, { name: `plain-${i + 1}`, mnist: true });
    writeFileSync(join(dir, 'main.js'), code);
    writeFileSync(join(dir, 'index.html'), PAGE);
    const problems = [];
    await build({ root: dir, configFile: false, customLogger: recordingLogger(problems), logLevel: 'warn', build: { target: 'es2022', reportCompressedSize: false, rolldownOptions: { checks: { bundlerTimings: false } } } });
    if (problems.length) throw new Error(`${label}: vite build warned:\n${problems.join('\n')}`);
    const server = await serveStatic(join(dir, 'dist'), { isolated: false });
    const page = await browser.newPage();
    const errors = [];
    let batchLogged = false;
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
      if (/\bbatch \d+ loss /.test(m.text())) batchLogged = true;
    });
    try {
      await page.goto(`${server.origin}/index.html`);
      const started = performance.now();
      while (!batchLogged && !errors.length && performance.now() - started < 90_000) {
        if (await page.evaluate(() => (document.querySelector('loss-chart')?.loss?.length ?? 0) > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const chartPoints = await page.evaluate(() => document.querySelector('loss-chart')?.loss?.length ?? 0);
      if (errors.length || !(batchLogged || chartPoints > 0)) throw new Error(`${label}: no training batch within 90 s; the page said:\n${errors.join('\n') || '(nothing)'}`);
    } finally {
      await page.close();
      await server.close();
    }
    log(`${label}: built, and training started`);
  }
}
