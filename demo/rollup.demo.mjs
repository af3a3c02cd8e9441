// Rollup config of the demo page (dist/demo/), imported by rollup.config.mjs.
// Run alone it also builds the worker bundle the page trains with:
//
//   npx rollup -c demo/rollup.demo.mjs     # what `npm run build:demo` runs
//   npx rollup -c demo/rollup.demo.mjs --configPageOnly   # the page alone
//
// The page's JavaScript (demo code, lit, the widgets and the core pieces they
// use; no tfjs, which lives only in the trainer worker) is measured gzip-compressed
// after every build, printed, and written to dist/demo/size-report.json; the
// end-to-end test holds it to the 60 KB budget. The shipped CNN's weights
// (base64 data, not code) get a chunk of their own and are reported apart.
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { workerBundle } from '../workers/rollup.worker.mjs';
import { widgetsCdnBundle } from '../widgets/rollup.cdn.mjs';

/** The budget of the demo's own JavaScript, gzip-compressed. */
export const DEMO_JS_BUDGET_BYTES = 60 * 1024;
/** Page entries: file name under dist/demo/ → source. */
const ENTRIES = {
  demo: 'demo/src/main.ts',
  'framework-example': 'demo/src/framework-example.ts',
  // The page's helper worker: the test-split download and the calibration fit, off the main thread.
  'report-worker': 'demo/src/report-worker.ts',
  // An entry of its own so the end-to-end test can import it (interrupted-save check).
  'model-store': 'demo/src/model-store.ts',
};
const STATIC_FILES = ['index.html', 'framework-example.html', 'embed.html', 'demo.css'];
const MODEL_DATA_CHUNK = 'pretrained-model-data';

/** Copies the pages and the stylesheet next to the bundles. */
function copyStatic() {
  return {
    name: 'demo-static',
    buildStart() {
      for (const f of STATIC_FILES) this.addWatchFile(`demo/${f}`);
    },
    generateBundle() {
      for (const fileName of STATIC_FILES) this.emitFile({ type: 'asset', fileName, source: readFileSync(`demo/${fileName}`) });
    },
  };
}

/** Measures what each page loads before it runs (static imports), gzip-compressed, and fails if tfjs crept in. */
function sizeReport() {
  return {
    name: 'demo-size-report',
    generateBundle(_options, bundle) {
      const gz = (chunk) => gzipSync(chunk.code, { level: 9 }).length;
      const closure = (entry) => {
        const seen = new Set();
        const visit = (name) => {
          if (seen.has(name) || !bundle[name] || bundle[name].type !== 'chunk') return;
          seen.add(name);
          bundle[name].imports.forEach(visit);
        };
        visit(entry);
        return [...seen].map((name) => bundle[name]);
      };
      const page = (entry) => {
        const chunks = closure(entry);
        const tfjs = chunks.flatMap((c) => Object.keys(c.modules)).filter((id) => id.includes('@tensorflow'));
        if (tfjs.length) this.error(`${entry} pulls tfjs onto the page (${tfjs[0]}): the page must train and evaluate through the worker`);
        const code = chunks.filter((c) => !c.name.startsWith(MODEL_DATA_CHUNK));
        const data = chunks.filter((c) => c.name.startsWith(MODEL_DATA_CHUNK));
        const sum = (list) => list.reduce((n, c) => n + gz(c), 0);
        return { files: code.map((c) => c.fileName), jsGzipBytes: sum(code), modelDataGzipBytes: sum(data) };
      };
      const report = {
        budgetBytes: DEMO_JS_BUDGET_BYTES,
        demo: page('demo.js'),
        frameworkExample: page('framework-example.js'),
        helperWorker: page('report-worker.js'),
      };
      this.emitFile({ type: 'asset', fileName: 'size-report.json', source: `${JSON.stringify(report, null, 2)}\n` });
      const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
      const { demo, frameworkExample, helperWorker } = report;
      const verdict = demo.jsGzipBytes <= DEMO_JS_BUDGET_BYTES ? 'within' : 'OVER';
      console.log(
        `demo size: page JS ${kb(demo.jsGzipBytes)} gzip (no tfjs; ${verdict} the ${kb(DEMO_JS_BUDGET_BYTES)} budget) ` +
          `+ ${kb(demo.modelDataGzipBytes)} pretrained CNN weights (data); helper worker ${kb(helperWorker.jsGzipBytes)} (started on first use); ` +
          `framework example ${kb(frameworkExample.jsGzipBytes)}`,
      );
    },
  };
}

export const demoBundle = {
  input: ENTRIES,
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    typescript({ tsconfig: './demo/tsconfig.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, outDir: undefined, rootDir: undefined, noEmitOnError: true }),
    terser({ ecma: 2020, module: true, format: { comments: false } }),
    copyStatic(),
    sizeReport(),
  ],
  output: {
    dir: 'dist/demo',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // The shipped models' base64 weights: data, kept out of the code chunks.
    manualChunks: (id) => (/[\\/]src[\\/]pretrained[\\/](cnn|mlp)-model\.ts$/.test(id) ? MODEL_DATA_CHUNK : undefined),
  },
};

// `rollup -c demo/rollup.demo.mjs`: the page and the worker it trains with
// (`--configPageOnly`: the page alone, when the worker bundle is up to date).
// The widgets' CDN file too: /demo/embed.html loads it as a course author's page would.
export default (args) => (args.configPageOnly ? [demoBundle] : [workerBundle, demoBundle, widgetsCdnBundle]);
