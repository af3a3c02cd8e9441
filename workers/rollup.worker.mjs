// Rollup config of the worker bundle, imported by rollup.config.mjs: one
// self-contained ES module worker (tfjs-core, the CPU and WASM backends, comlink
// and the core trainer) at dist/trainer-worker/trainer-worker.js, the WebGPU
// backend as a chunk beside it (fetched only when WebGPU is tried), and the
// three tfjs .wasm binaries copied next to it, where the worker looks by default.
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { ownSourceMapsOnly } from '../scripts/rollup-own-source-maps.mjs';
import typescript from '@rollup/plugin-typescript';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Emits the tfjs .wasm binaries as assets of the bundle. */
function copyTfjsWasm() {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return {
    name: 'copy-tfjs-wasm',
    generateBundle() {
      for (const fileName of WASM_FILES) this.emitFile({ type: 'asset', fileName, source: readFileSync(join(dir, fileName)) });
    },
  };
}

/**
 * Makes the worker bundle survive a consumer's bundler, which re-minifies it:
 *
 * 1. tfjs-backend-wasm starts its WASM threads from the source text of its
 *    Emscripten factory (`wasmFactoryThreadedSimd.toString()`). A minifier
 *    that hoists or renames across that function's edge (Vite 8 does) leaves
 *    the threads a script that fails with "e is not defined". The factory's
 *    original text goes in as a string literal instead, which no minifier
 *    rewrites.
 * 2. tfjs-core's Node platform (`require('util')`, `require('node-fetch')`)
 *    never runs in a worker; left in, Vite warns that it externalised "util".
 * 3. See below: a Node-only `__filename` that webpack 5 breaks.
 */
function bundlerProofWasm() {
  const require = createRequire(import.meta.url);
  const factorySource = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js').toString();
  return {
    name: 'bundler-proof-wasm',
    load(id) {
      if (/tfjs-core[\\/]dist[\\/]platforms[\\/]platform_node\.js$/.test(id)) return 'export {};';
      return null;
    },
    buildStart() {
      // Chunk names carry hashes: clear the folder so no stale chunk ships.
      rmSync('dist/trainer-worker', { recursive: true, force: true });
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && !chunk.isEntry && chunk.imports.includes('trainer-worker.js')) this.error(`${chunk.fileName} imports the worker's entry: add what it shares with it to manualChunks`);
      }
    },
    transform(code, id) {
      if (/tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm(-threaded-simd)?\.js$/.test(id)) {
        // 3. Emscripten's Node-only `__filename` guard: webpack 5 rewrites the `typeof` and leaves
        //    the name, which throws in a browser. The worker never runs in Node.
        return { code: code.replaceAll("typeof __filename !== 'undefined'", 'false'), map: null };
      }
      if (!/tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id)) return null;
      const call = 'wasmFactoryThreadedSimd.toString()';
      if (!code.includes(call)) this.error(`${id} no longer calls ${call}: check how tfjs starts its WASM threads`);
      return { code: code.replace(call, JSON.stringify(factorySource)), map: null };
    },
  };
}

export const workerBundle = {
  input: { 'trainer-worker': 'workers/trainer-worker.ts' },
  plugins: [
    nodeResolve({ browser: true, preferBuiltins: false }),
    commonjs(),
    typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, outDir: undefined, rootDir: undefined }),
    copyTfjsWasm(),
    bundlerProofWasm(),
    // Names mangled only, no compress: tfjs starts threaded-WASM pthreads from the
    // source text of its Emscripten factory (`factory.toString()`), which must stay
    // self-contained; terser's compress passes break that (801 KB vs 716 KB with them).
    // Class names kept so errors logged in the worker stay readable.
    terser({ compress: false, keep_classnames: true, ecma: 2020, module: true, format: { comments: /@vite-ignore|@license/ } }),
  ],
  output: {
    dir: 'dist/trainer-worker',
    format: 'es',
    // Maps of our own code only: the worker's (tfjs, comlink) would point at 528
    // sources that are not in the package, and Vite's dev server warns about each.
    sourcemap: true,
    plugins: [ownSourceMapsOnly()],
    chunkFileNames: '[name]-[hash].js',
    // tfjs-core (and what it imports) in a chunk of its own, shared by the worker
    // and its WebGPU chunk, so the WebGPU chunk never imports the worker's entry:
    // Vite's dev server serves that entry under a worker URL (`?worker_file`), and
    // a second import by its plain URL would run the whole worker twice.
    manualChunks: (id) => (/node_modules[\\/](@tensorflow[\\/]tfjs-(core|backend-cpu)|long|seedrandom)[\\/]/.test(id) ? 'tfjs-core' : undefined),
  },
  onwarn(warning, warn) {
    // tfjs's ESM builds trip these harmlessly.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
};
