// Builds the package from TypeScript. One rollup entry per public entry in
// package.json "exports" (kept one to one), plus the CLI.
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { workerBundle } from './workers/rollup.worker.mjs';
import { widgetsCdnBundle } from './widgets/rollup.cdn.mjs';
import { demoBundle } from './demo/rollup.demo.mjs';
import { ownSourceMapsOnly } from './scripts/rollup-own-source-maps.mjs';

/**
 * Public entries: the key is the output path under dist/, the value the source.
 * (The types-only exports "./frameworks/jsx", "./frameworks/vue" and
 * "./frameworks/svelte" have no JavaScript: `npm run build:manifest` generates them.)
 */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts', // "."
  node: 'src/node/index.ts', // "./node"
  backends: 'src/backend/register-backends.ts', // "./backends"
  worker: 'workers/index.ts', // "./worker" (the page side; the worker script itself is workerBundle)
  widgets: 'widgets/index.ts', // "./widgets" (all four elements)
  'widgets/digit-pad': 'widgets/digit-pad/digit-pad.ts', // "./widgets/digit-pad"
  'widgets/softmax-bars': 'widgets/softmax-bars/softmax-bars.ts', // "./widgets/softmax-bars"
  'widgets/confusion-matrix': 'widgets/confusion-matrix/confusion-matrix.ts', // "./widgets/confusion-matrix"
  'widgets/loss-chart': 'widgets/loss-chart/loss-chart.ts', // "./widgets/loss-chart"
  react: './react/index.ts', // "./react" (React components of the four elements)
};

// Dependencies stay external: the consumer's bundler (or Node) resolves them once.
// Except tslib: the TypeScript plugin always imports its helpers (the widgets' decorators
// need some) from it, and it is only a dev dependency, so its used helpers ship in dist/.
const external = (id) => id !== 'tslib' && !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

const ts = () => typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, inlineSources: true, outDir: undefined, rootDir: undefined });

export default [
  {
    // The CLI (dist/cli.js, package.json "bin") is built with the library, on the same modules: it
    // repeats none of them, and each command's work (with tfjs) stays a module of its own, imported
    // once the command's flags are checked.
    input: { ...LIBRARY_ENTRIES, cli: 'src/cli/bin.ts' },
    external,
    plugins: [nodeResolve(), ts()],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      plugins: [ownSourceMapsOnly()],
      // Keep one file per module so "sideEffects" can name the registration module.
      preserveModules: true,
      preserveModulesRoot: '.',
    },
  },
  // The worker script and its .wasm files (dist/trainer-worker/), loaded by "./worker".
  workerBundle,
  // The widgets as one self-contained module for a CDN <script type="module"> (dist/cdn/).
  widgetsCdnBundle,
  // The demo page (dist/demo/, not an export): served by `npm start`, tested by `npm run test:e2e`.
  demoBundle,
];
