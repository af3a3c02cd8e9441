// Browser benchmark of the worker runtime, in each engine (Chromium, Firefox
// ESR, WebKit; BROWSERS=chromium,firefox narrows; see test/browsers/engines.mjs):
// per backend that starts (the fused SIMD-WASM engine per variant — SIMD128 or
// relaxed SIMD, 1 thread, or 2 on a cross-origin isolated page —, tfjs WASM,
// CPU, WebGPU on whatever adapter the browser has, threaded tfjs WASM on a
// cross-origin isolated page, and `auto` with its calibration), for the lesson MLP and
// the CNN: training samples/s and s/epoch, batch inference over the 10,000 test
// images, backend init time, worker start → first training step, and the
// longest main-thread task while the worker trains (longtask entries in
// Chromium, event-loop gaps elsewhere). Every row runs in every engine unless
// it names its `engines`; a backend an engine lacks shows as "did not start"
// with the reason. Then, per engine, what `auto` picks and why. The same WASM
// rows run in Node for a like-for-like reference. Then "Learn my handwriting"
// (adapt-cnn, bench/browser-adapt.mjs): the README's worker example in fresh
// workers, the best of ADAPT_RUNS per engine, against the 10 s target and the
// README's figures. Prints tables, writes .bench/bench-browser.json. Exits 1
// when a target is missed (speed, main-thread tasks, first step, adapt), unless --report-only.
//
//   npm run bench:browser              # builds first
//   node bench/bench-browser.mjs       # on an existing build
//   node bench/bench-browser.mjs --only wasm-mlp,wasm-cnn
//   node bench/bench-browser.mjs --only adapt-cnn [--report-only]
//
// Slow backends train on a subset and their s/epoch is extrapolated to 60,000
// digits (the "note" column says so); so is inference over a subset.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { openEnginePage } from '../test/browsers/engine-page.mjs';
import { selectedEngines } from '../test/browsers/engines.mjs';
import { adaptTable, adaptTargets, summarizeAdapt } from './browser-adapt.mjs';
import { serveStatic } from './browser-server.mjs';

const MLP = { optimizer: 'sgd', learningRate: 0.1, batchSize: 64 }; // the lesson's recipe
const CNN = { optimizer: 'adam', learningRate: 2e-3, batchSize: 64 }; // the CNN recipe's first epoch (cosine decay aside)

const fused = (simd, threads) => ({ engine: { use: 'fused', simd, threads } });
const ROWS = [
  { name: 'fused-mlp-simd128-1t', backend: 'wasm', model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 2, ...fused('simd128', 1) }, inferenceCount: 10_000, node: true },
  { name: 'fused-mlp-relaxed-1t', backend: 'wasm', model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 2, ...fused('relaxed-simd', 1) }, inferenceCount: 10_000 },
  { name: 'fused-mlp-simd128-2t', backend: 'wasm', isolated: true, model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 2, ...fused('simd128', 2) }, inferenceCount: 10_000, node: true },
  { name: 'fused-mlp-relaxed-2t', backend: 'wasm', isolated: true, model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 2, ...fused('relaxed-simd', 2) }, inferenceCount: 10_000 },
  { name: 'auto-mlp', backend: 'auto', isolated: true, model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 1 }, inferenceCount: 10_000 },
  { name: 'wasm-mlp', backend: 'wasm', model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 2, engine: { use: 'tfjs' } }, inferenceCount: 10_000, node: true },
  { name: 'wasm-cnn', backend: 'wasm', model: 'cnn', trainCount: 4800, testCount: 1000, config: { ...CNN, epochs: 2 }, inferenceCount: 10_000, node: true },
  { name: 'wasm-threaded-mlp', backend: 'wasm', isolated: true, model: 'mlp', trainCount: 60_000, testCount: 1000, config: { ...MLP, epochs: 1, engine: { use: 'tfjs' } }, inferenceCount: 10_000 },
  { name: 'cpu-mlp', backend: 'cpu', model: 'mlp', trainCount: 6400, testCount: 1000, config: { ...MLP, epochs: 1 }, inferenceCount: 10_000 },
  { name: 'cpu-cnn', backend: 'cpu', model: 'cnn', trainCount: 640, testCount: 200, config: { ...CNN, epochs: 1 }, inferenceCount: 500 },
  // WebGPU on SwiftShader takes minutes: Chromium only (Firefox ESR and WebKitGTK have no navigator.gpu here; `auto` below says so).
  { name: 'webgpu-mlp', backend: 'webgpu', webgpu: true, engines: ['chromium'], model: 'mlp', trainCount: 1920, testCount: 200, config: { ...MLP, epochs: 1 }, inferenceCount: 2000 },
  { name: 'webgpu-cnn', backend: 'webgpu', webgpu: true, engines: ['chromium'], model: 'cnn', trainCount: 640, testCount: 200, config: { ...CNN, epochs: 1 }, inferenceCount: 500 },
];

// "Learn my handwriting" as the README's worker example runs it (default backend, the
// demo's cross-origin isolated page), a fresh worker and page per run; the best run counts.
const ADAPT_RUNS = 3;
const ADAPT_ROWS = [{ name: 'adapt-cnn', isolated: true }];

// `--only wasm-mlp,wasm-cnn` runs some rows (the WebGPU ones on SwiftShader take minutes).
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : null;
if (only) {
  const unknown = only.filter((n) => ![...ROWS, ...ADAPT_ROWS].some((r) => r.name === n));
  if (unknown.length) throw new Error(`--only names unknown rows: ${unknown.join(', ')}; rows: ${[...ROWS, ...ADAPT_ROWS].map((r) => r.name).join(', ')}`);
  ROWS.splice(0, ROWS.length, ...ROWS.filter((r) => only.includes(r.name)));
  ADAPT_ROWS.splice(0, ADAPT_ROWS.length, ...ADAPT_ROWS.filter((r) => only.includes(r.name)));
}
const reportOnly = process.argv.includes('--report-only');

const ENGINES = selectedEngines();

const loadBefore = loadavg()[0];

// 1. Node reference for the WASM rows, run before and after the browser rows; the
//    faster run counts (a shared machine only ever makes a run slower).
const nodeRows = ROWS.filter((r) => r.node).map(({ name, model, trainCount, testCount, config, isolated }) => ({ name, model, trainCount, testCount, config, isolated: Boolean(isolated) }));
function runNode() {
  process.stderr.write('node: WASM reference rows…\n');
  const run = spawnSync(process.execPath, ['bench/build.mjs', 'bench/bench-browser-node.ts', JSON.stringify(nodeRows)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`Node reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('RESULT ') + 7));
}
const nodeRuns = nodeRows.length ? [runNode()] : [];

// 2. The browser rows, engine by engine: one browser without WebGPU flags, one with (Chromium); a plain and a cross-origin isolated server.
const plain = await serveStatic('.');
const isolated = await serveStatic('.', { isolated: true });
const results = [];
const adaptRuns = [];
const choices = {};
let downloadMs = null;
for (const engine of ENGINES) {
  for (const webgpu of [false, true]) {
    const rows = ROWS.filter((r) => Boolean(r.webgpu) === webgpu && (!r.engines || r.engines.includes(engine)));
    if (!rows.length && webgpu) continue;
    const page = await openEnginePage(engine, { chromiumFlags: webgpu ? ['--enable-unsafe-webgpu'] : [] });
    try {
      const open = async (origin) => {
        await page.goto(`${origin}/bench/bench-browser.html`);
        await page.waitFor('window.benchReady === true', 60_000, 'the bench page');
      };
      if (!webgpu) {
        await open(isolated.origin);
        choices[engine] = { version: page.version, auto: await page.evaluate('window.autoChoice()').catch((e) => ({ failed: String(e.message ?? e).split('\n')[0] })) };
      }
      for (const row of rows) {
        process.stderr.write(`${engine}: ${row.name}…\n`);
        await open((row.isolated ? isolated : plain).origin);
        try {
          const r = await page.evaluate(`window.runRow(${JSON.stringify(row)})`);
          downloadMs ??= await page.evaluate('window.downloadMs');
          results.push({ ...row, engine, ...r });
        } catch (error) {
          results.push({ ...row, engine, failed: String(error.message ?? error).split('\n')[0].slice(0, 200) });
        }
      }
      for (const row of webgpu ? [] : ADAPT_ROWS) {
        for (let run = 1; run <= ADAPT_RUNS; run++) {
          process.stderr.write(`${engine}: ${row.name} (run ${run} of ${ADAPT_RUNS})…\n`);
          await open((row.isolated ? isolated : plain).origin);
          try {
            adaptRuns.push({ ...row, engine, ...(await page.evaluate('window.runAdapt()')) });
          } catch (error) {
            adaptRuns.push({ ...row, engine, failed: String(error.message ?? error).split('\n')[0].slice(0, 200) });
          }
        }
      }
    } finally {
      await page.close();
    }
  }
}
await plain.close();
await isolated.close();
if (nodeRows.length) nodeRuns.push(runNode());
const node = { ...nodeRuns[0], rows: Object.fromEntries(nodeRows.map(({ name }) => [name, { epochSeconds: nodeRuns.flatMap((n) => n.rows[name].epochSeconds) }])) };
const loadAfter = loadavg()[0];

// 3. Derived figures, table, targets, JSON.
// s/epoch is the best epoch of a row (on a loaded machine the fastest is the least disturbed).
for (const r of results) {
  if (r.failed) continue;
  const scale = 60_000 / r.trainCount;
  const best = Math.min(...r.epochSeconds);
  r.secondsPerEpoch = best * scale;
  r.samplesPerSecond = r.trainCount / best;
  r.inference10kMs = r.inferenceMs * (10_000 / r.inferenceCount);
  const ref = node.rows[r.name];
  if (ref) {
    const nodeBest = Math.min(...ref.epochSeconds);
    r.nodeSecondsPerEpoch = nodeBest * scale;
    r.workerOverNode = best / nodeBest;
  }
  const notes = [];
  const epochs = r.config.epochs > 1 ? `best of ${r.config.epochs} epochs` : '1 epoch';
  if (r.trainCount < 60_000) notes.push(`${epochs} of ${r.trainCount / r.config.batchSize} steps on ${r.trainCount} digits, extrapolated to 60,000`);
  else notes.push(`${epochs} of 60,000`);
  if (r.inferenceCount < 10_000) notes.push(`inference on ${r.inferenceCount}, extrapolated`);
  r.note = notes.join('; ');
}

const describe = (b) => {
  const e = b.trainingEngine;
  if (e?.name === 'fused') return `fused ${e.variant.simd} ×${e.variant.threads}`;
  return b.name === 'wasm' ? `tfjs wasm ${b.wasmVariant} ×${b.threads}` : b.name === 'webgpu' ? `webgpu ${b.adapter?.isFallbackAdapter ? 'fallback ' : ''}${b.adapter?.description || b.adapter?.vendor || ''}`.trim() : b.name;
};
const head = ['engine', 'row', 'backend', 'model', 'init ms', 'start→ready ms', 'start→1st step ms', 's/epoch', 'samples/s', 'node s/epoch', 'worker/node', 'infer 10k ms', 'longest task ms', 'busy-worker control ms', 'held-out acc', 'note'];
const body = results.map((r) =>
  r.failed
    ? [r.engine, r.name, r.backend, r.model, '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', `did not start: ${r.failed}`]
    : [r.engine, r.name, describe(r.backend), r.model, r.backend.initMs.toFixed(0), r.startToReadyMs.toFixed(0), r.startToFirstStepMs.toFixed(0), r.secondsPerEpoch.toFixed(2), Math.round(r.samplesPerSecond).toString(), r.nodeSecondsPerEpoch?.toFixed(2) ?? '–', r.workerOverNode ? `${r.workerOverNode.toFixed(2)}×` : '–', r.inference10kMs.toFixed(0), `${r.longestTaskMs.toFixed(0)}${r.longTaskSource.startsWith('longtask') ? '' : ' (gaps)'}`, r.idleLongestTaskMs.toFixed(0), `${(r.lastAccuracy * 100).toFixed(1)}%`, r.note],
);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
if (body.length) console.log([line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n'));
if (downloadMs !== null) console.log(`\nMNIST download + decode on the page (11 MB of .gz from localhost): ${downloadMs.toFixed(0)} ms`);
if (nodeRuns.length) console.log(`Node ${node.node}, WASM ${node.wasmVariant} (best of ${nodeRuns.length} runs)`);
const adapt = summarizeAdapt(adaptRuns);
if (adapt.length) {
  console.log(`\n"Learn my handwriting" in the worker: the README's example (createTrainer({ model: loadPretrained('cnn') }), default backend; loadMnist({ split: 'train', limit: 10_000 }) from localhost, no-store; adapt with default options) on test/fixtures/writers/handlee-2x10.png, best of ${ADAPT_RUNS} fresh workers (least start→adapted):`);
  console.log(adaptTable(adapt));
}
console.log(`load average (1 min) before/after: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} on ${availableParallelism()} cores${loadBefore > 2 || loadAfter > 2 ? ' — a shared, busy machine: timings are pessimistic' : ''}`);

console.log('\nwhat `auto` picks in each engine (cross-origin isolated page), and why:');
for (const [engine, c] of Object.entries(choices)) {
  const b = c.auto;
  console.log(`  ${engine} (${c.version}): ${b.failed ? `failed: ${b.failed}` : `${describe(b)}; passed over: ${b.passedOver.map((p) => `${p.backend}${p.variant ? ` ${p.variant}` : ''} (${p.reason})`).join('; ') || 'nothing'}`}`);
}
const bySample = (engine, name) => results.find((r) => r.engine === engine && r.name === name && !r.failed);
for (const name of ['wasm-mlp', 'wasm-cnn']) {
  const rates = ENGINES.map((e) => [e, bySample(e, name)?.samplesPerSecond]).filter(([, v]) => v);
  if (rates.length > 1) console.log(`  ${name} samples/s relative to the fastest engine: ${rates.map(([e, v]) => `${e} ${(v / Math.max(...rates.map(([, x]) => x))).toFixed(2)}`).join(', ')}`);
}

const ok = results.filter((r) => !r.failed);
for (const r of ok) {
  if (r.backend.calibration) console.log(`${r.engine} ${r.name}: auto measured ${r.backend.calibration.map((c) => `${c.engine === 'fused' ? 'fused' : `tfjs ${c.backend}`}${c.variant ? ` (${c.variant})` : ''} ${c.stepMs.toFixed(2)} ms/step`).join(', ')}; took ${describe(r.backend)}`);
}
const targets = [];
const adaptChecks = adapt.length ? adaptTargets(adapt, readFileSync('README.md', 'utf8')) : [];
for (const engine of ENGINES) {
  const mine = ok.filter((r) => r.engine === engine);
  const wasm = mine.filter((r) => r.backend.name === 'wasm' && !r.isolated);
  for (const r of wasm.filter((x) => x.workerOverNode)) {
    targets.push({ target: `${engine}: worker WASM ${r.model} s/epoch within 1.3× of Node`, value: `${r.secondsPerEpoch.toFixed(2)} vs ${r.nodeSecondsPerEpoch.toFixed(2)} s (${r.workerOverNode.toFixed(2)}×)`, met: r.workerOverNode <= 1.3 });
  }
  if (!mine.length) continue;
  const twoThreads = mine.filter((r) => r.model === 'mlp' && r.backend.trainingEngine?.variant?.threads === 2);
  const bestTwo = twoThreads.reduce((a, r) => (a && a.secondsPerEpoch <= r.secondsPerEpoch ? a : r), null);
  if (engine === 'chromium' || bestTwo) targets.push({ target: `${engine}: lesson recipe ≤ 0.45 s/epoch in the worker, fused engine, 2 threads`, value: bestTwo ? `${bestTwo.secondsPerEpoch.toFixed(3)} s (${bestTwo.name})` : 'no 2-thread row ran', met: Boolean(bestTwo && bestTwo.secondsPerEpoch <= 0.45) });
  const longest = Math.max(...mine.map((r) => r.longestTaskMs));
  const idleLongest = Math.max(...mine.map((r) => r.idleLongestTaskMs));
  targets.push({ target: `${engine}: no main-thread task over 50 ms while the worker trains (all rows; ${mine[0].longTaskSource})`, value: `longest ${longest.toFixed(0)} ms, ${mine.reduce((a, r) => a + r.longTasksOver50, 0)} over 50 ms (control, a busy-loop worker and an idle page: longest ${idleLongest.toFixed(0)} ms)`, met: longest <= 50 });
  const firstStep = Math.max(...wasm.map((r) => r.startToFirstStepMs));
  if (wasm.length) targets.push({ target: `${engine}: worker start → first training step ≤ 1.5 s on WASM`, value: `${firstStep.toFixed(0)} ms (slowest WASM row)`, met: firstStep <= 1500 });
}
console.log('\ntargets:');
for (const t of [...targets, ...adaptChecks]) console.log(`  ${t.target}: ${t.value} — ${t.met ? 'met' : 'NOT met'}`);
// Every target counts, the speed ones as the adapt ones: a missed one exits 1 (unless --report-only).
const missed = [...targets, ...adaptChecks].filter((t) => !t.met);
if (missed.length) {
  console.log(`\n${missed.length} target(s) missed${reportOnly ? ' (--report-only: exit 0)' : ' (--report-only to just print)'}`);
  if (!reportOnly) process.exitCode = 1;
}

mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/bench-browser.json', JSON.stringify({ date: new Date().toISOString(), engines: choices, loadAverage: { before: loadBefore, after: loadAfter }, downloadMs, node: nodeRuns, rows: results, adapt: { runs: adaptRuns, best: adapt }, targets: [...targets, ...adaptChecks] }, null, 2));
console.log('\nwrote .bench/bench-browser.json');
