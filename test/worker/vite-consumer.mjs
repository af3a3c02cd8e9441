// Vite consumer check: builds test/worker/vite-consumer/ (which imports
// digit-classifier/worker like any app) with `vite build`, then runs the
// output in headless Chromium: Vite must find the worker through
// `new Worker(new URL(…, import.meta.url))`, and the .wasm files through the
// worker's `new URL('./x.wasm', import.meta.url)`, with no option set.
// Run by `npm run test:browser` before the web-test-runner groups.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_FLAGS, enginePaths } from '../browsers/engines.mjs';
import { serveStatic } from '../../bench/browser-server.mjs';

const root = fileURLToPath(new URL('./vite-consumer/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'dc-vite-'));
const t0 = performance.now();
try {
  await build({
    root,
    logLevel: 'error',
    configFile: false,
    // The package as installed: its "./worker" entry is the rollup build.
    resolve: { alias: { 'digit-classifier/worker': fileURLToPath(new URL('../../dist/worker.js', import.meta.url)) } },
    // Module workers with code splitting (the WebGPU backend is a lazy chunk) need Vite's `es` worker format.
    worker: { format: 'es' },
    build: { outDir: out, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  const server = await serveStatic(out);
  const browser = await chromium.launch({ executablePath: enginePaths().chromium ?? 'chromium', headless: true, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.result);
    if (result.error) throw new Error(`the Vite app failed: ${result.error}`);
    const { backend, steps } = result;
    if (backend.name !== 'wasm' || steps !== 10) throw new Error(`expected 10 WASM steps, got ${steps} on ${backend.name}`);
    if (!new URL(backend.wasmUrl).pathname.startsWith('/assets/tfjs-backend-wasm-simd')) throw new Error(`expected the .wasm from Vite's assets, got ${backend.wasmUrl}`);
    console.log(`vite consumer: ok — worker started, ${steps} WASM steps, .wasm from ${new URL(backend.wasmUrl).pathname} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
