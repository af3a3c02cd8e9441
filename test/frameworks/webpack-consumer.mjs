// webpack 5 consumer check: builds test/frameworks/webpack-app/ (which imports
// digit-classifier/worker like any app) in production mode, so webpack bundles
// the worker, its WebGPU chunk and the .wasm files itself and re-minifies
// them with terser; then trains the output in Chromium on WebGPU (software
// adapter) and on threaded WASM (served with COOP/COEP). No webpack warning allowed.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { trainConsumerApp } from './train-consumer-app.mjs';

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
  await trainConsumerApp('webpack', out);
  console.log(`webpack consumer: ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
