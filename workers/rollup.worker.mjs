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
import { readFileSync } from 'node:fs';
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

export const workerBundle = {
  input: { 'trainer-worker': 'workers/trainer-worker.ts' },
  plugins: [
    nodeResolve({ browser: true, preferBuiltins: false }),
    commonjs(),
    typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, outDir: undefined, rootDir: undefined }),
    copyTfjsWasm(),
    // Names mangled only, no compress: tfjs starts threaded-WASM pthreads from the
    // source text of its Emscripten factory (`factory.toString()`), which must stay
    // self-contained; terser's compress passes break that (801 KB vs 716 KB with them).
    // Class names kept so errors logged in the worker stay readable.
    terser({ compress: false, keep_classnames: true, ecma: 2020, module: true, format: { comments: /@vite-ignore|@license/ } }),
  ],
  output: { dir: 'dist/trainer-worker', format: 'es', sourcemap: true, chunkFileNames: '[name]-[hash].js', plugins: [ownSourceMapsOnly()] },
  onwarn(warning, warn) {
    // tfjs's ESM builds trip these harmlessly.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
};
