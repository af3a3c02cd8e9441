// rollup consumer check: builds test/frameworks/rollup-app/ the way the README's rollup recipe says
// (the package's worker script as a second entry, its .wasm files copied beside it, `workerUrl`), in
// production: node-resolve, then terser with its default compression re-minifying the app, the worker,
// tfjs and the WebGPU chunk. Then trains the output in Chromium on threaded WASM (served with COOP/COEP)
// and WebGPU (software adapter). No rollup warning allowed.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import { serveStatic } from '../../bench/browser-server.mjs';

const app = fileURLToPath(new URL('./rollup-app/', import.meta.url));
const pkg = fileURLToPath(new URL('../../dist/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'dc-rollup-'));
const t0 = performance.now();
try {
  const warnings = [];
  const bundle = await rollup({
    input: { main: join(app, 'main.js'), 'trainer-worker': join(pkg, 'trainer-worker/trainer-worker.js') },
    plugins: [
      // What `npm install digit-classifier` would resolve: the built package.
      { name: 'the-package', resolveId: (id) => (id === 'digit-classifier/worker' ? join(pkg, 'worker.js') : null) },
      nodeResolve({ browser: true }),
      // The README's recipe: the .wasm files beside the worker entry, where it looks by default.
      { name: 'tfjs-wasm', generateBundle() { for (const f of readdirSync(join(pkg, 'trainer-worker')).filter((n) => n.endsWith('.wasm'))) this.emitFile({ type: 'asset', fileName: f, source: readFileSync(join(pkg, 'trainer-worker', f)) }); } },
    ],
    onwarn: (w) => warnings.push(`${w.code}: ${w.message}`),
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', plugins: [terser()] });
  await bundle.close();
  console.log(`rollup consumer: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (warnings.length) throw new Error(`rollup warned:\n${warnings.join('\n')}`);
  copyFileSync(join(app, 'index.html'), join(out, 'index.html'));
  const chunks = readdirSync(out);
  if (!chunks.some((f) => /webgpu/i.test(f))) console.log(`rollup consumer: output ${chunks.join(', ')}`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'] });
  const server = await serveStatic(out, { isolated: true });
  try {
    for (const [backend, expected] of [['wasm', 'wasm threaded-simd'], ['webgpu', 'webgpu']]) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
      page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`); });
      await page.goto(`${server.origin}/index.html?backend=${backend}`);
      const done = await page.waitForFunction(() => window.result, null, { timeout: 60_000 }).then(() => true, () => false);
      if (!done) throw new Error(`the rollup app on ${backend} did not finish in 60 s: ${errors.join('; ')}`);
      const result = await page.evaluate(() => window.result);
      await page.close();
      if (result.error) throw new Error(`the rollup app failed on ${backend}: ${result.error}`);
      const got = `${result.backend.name}${result.backend.wasmVariant ? ` ${result.backend.wasmVariant}` : ''}`;
      if (got !== expected || result.steps !== 10 || errors.length) throw new Error(`rollup app: expected 10 steps on ${expected}, got ${result.steps} on ${got} (passed over: ${JSON.stringify(result.backend.passedOver)}) ${errors.join('; ')}`);
      console.log(`rollup consumer: ${result.steps} steps on ${got}`);
    }
    console.log(`rollup consumer: ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
