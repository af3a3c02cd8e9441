// webpack 5 consumer check: builds test/frameworks/webpack-app/ (which imports
// digit-classifier/worker like any app) in production mode, so webpack bundles
// the worker, its WebGPU chunk and the .wasm files itself and re-minifies
// them with terser; then trains the output in Chromium on WebGPU (software
// adapter) and on threaded WASM (served with COOP/COEP). No webpack warning allowed.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import webpack from 'webpack';
import { serveStatic } from '../../bench/browser-server.mjs';

const app = fileURLToPath(new URL('./webpack-app/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'dc-webpack-'));
const t0 = performance.now();
try {
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production',
    context: app,
    entry: './main.js',
    experiments: { outputModule: true },
    output: { path: out, filename: 'main.js', module: true, chunkFormat: 'module', chunkLoading: 'import', workerChunkLoading: 'import', publicPath: 'auto' },
    resolve: { alias: { 'digit-classifier/worker': fileURLToPath(new URL('../../dist/worker.js', import.meta.url)) } },
    performance: { hints: false },
  }, (error, result) => (error ? reject(error) : resolve(result))));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors() || stats.hasWarnings()) throw new Error(`webpack: ${[...info.errors, ...info.warnings].map((w) => `${w.moduleName ?? ""} ${w.loc ?? ""}: ${w.message}`).join('\n')}`);
  cpSync(join(app, 'index.html'), join(out, 'index.html'));
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
      if (!done) throw new Error(`the webpack app on ${backend} did not finish in 60 s: ${errors.join('; ')}`);
      const result = await page.evaluate(() => window.result);
      await page.close();
      if (result.error) throw new Error(`the webpack app failed on ${backend}: ${result.error}`);
      const got = `${result.backend.name}${result.backend.wasmVariant ? ` ${result.backend.wasmVariant}` : ''}`;
      if (got !== expected || result.steps !== 10 || errors.length) throw new Error(`webpack app: expected 10 steps on ${expected}, got ${result.steps} on ${got} (passed over: ${JSON.stringify(result.backend.passedOver)}) ${errors.join('; ')}`);
      console.log(`webpack consumer: ${result.steps} steps on ${got}`);
    }
    console.log(`webpack consumer: ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
