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
import { rollup } from 'rollup';
import { trainConsumerApp } from './train-consumer-app.mjs';

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
  await trainConsumerApp('rollup', out);
  console.log(`rollup consumer: ok (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
