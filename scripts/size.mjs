// npm run size: what a page downloads for the widgets, gzip -9, from the build
// in dist/ (run `npm run build` first).
//
// 1. The embed path: a page that imports only <digit-pad> and <softmax-bars>
//    (digit-classifier/widgets/digit-pad + softmax-bars.js), bundled with
//    lit, minified, as an app bundler would ship it. Budget: 200 KB gzip in
//    all, JS and the shipped weights (they are inside the JS), and not one
//    module of tfjs.
// 2. The CDN build (dist/cdn/digit-classifier-widgets.js): all four elements
//    and lit in one file, as served for <script type="module" src>.
// 3. Each element alone, for reference.
//
// Exits 1 when the embed is over budget or pulls in tfjs.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const EMBED_BUDGET_BYTES = 200 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const CDN_FILE = 'dist/cdn/digit-classifier-widgets.js';

/** Bundles `entries` (paths under dist/) like an app would; returns sizes and the modules it holds. */
async function bundle(entries) {
  const contents = entries.map((e) => `import './${e}';`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'embed.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

/** Sizes of the embed path, the CDN file and each element (bytes). */
export async function measureSizes() {
  if (!existsSync(`${root}dist/widgets.js`) || !existsSync(`${root}${CDN_FILE}`)) {
    throw new Error('dist/ has no widgets build: run `npm run build` first');
  }
  const embed = await bundle(['dist/widgets/digit-pad.js', 'dist/widgets/softmax-bars.js']);
  const cdnCode = readFileSync(`${root}${CDN_FILE}`);
  const cdn = { bytes: cdnCode.length, gzip: gzipSync(cdnCode, { level: 9 }).length };
  const elements = {};
  for (const tag of ['digit-pad', 'softmax-bars', 'confusion-matrix', 'loss-chart']) elements[tag] = await bundle([`dist/widgets/${tag}.js`]);
  const weights = embed.inputs.filter((p) => p.includes('pretrained/cnn-model'));
  const tfjs = embed.inputs.filter((p) => p.includes('@tensorflow'));
  return { embed, cdn, elements, weights, tfjs };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { embed, cdn, elements, tfjs } = await measureSizes();
  const rows = [
    ['embed: <digit-pad> + <softmax-bars> (lit, core, CNN weights)', embed.bytes, embed.gzip],
    ['CDN build: all four elements + lit (one file)', cdn.bytes, cdn.gzip],
    ...Object.entries(elements).map(([tag, s]) => [`  <${tag}> alone`, s.bytes, s.gzip]),
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'what'.padEnd(width)}  ${'minified'.padStart(10)}  ${'gzip -9'.padStart(10)}`);
  for (const [what, bytes, gz] of rows) console.log(`${what.padEnd(width)}  ${kb(bytes).padStart(10)}  ${kb(gz).padStart(10)}`);
  console.log(`\nembed modules: ${embed.inputs.length}, tfjs modules among them: ${tfjs.length}`);
  const over = embed.gzip > EMBED_BUDGET_BYTES || cdn.gzip > EMBED_BUDGET_BYTES;
  console.log(`budget ${kb(EMBED_BUDGET_BYTES)} gzip: embed ${kb(embed.gzip)}, CDN ${kb(cdn.gzip)} — ${over ? 'OVER' : 'met'}`);
  if (over || tfjs.length > 0) {
    if (tfjs.length) console.error(`the embed path pulls in tfjs: ${tfjs.slice(0, 5).join(', ')}`);
    process.exit(1);
  }
}
