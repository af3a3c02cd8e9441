#!/usr/bin/env node
/**
 * Writes docs/reliability.md from the JSON figures the reliability checks
 * leave in .bench/reliability/<mode>/ (one file per check, each with the date
 * and mode of the run that wrote it). Do not edit the report by hand: rerun
 * `npm run reliability` (fast) or `npm run reliability:long`.
 *
 *   node scripts/reliability-report.mjs [--prefer long|fast] [--dir .bench/reliability] [--out docs/reliability.md]
 *
 * Each check is reported from the preferred mode's figures when it has them,
 * else from the other mode's (default `long`: `npm test` writes fast figures
 * on every run, and must not replace the long run's in the report).
 *
 * Adding a check: write `.bench/reliability/<name>.json` from its test with
 * `writeReliabilityResult(name, { check, held, figures: { label: value }, notes })`
 * (test/core/helpers/reliability-results.ts; from a browser test, the
 * `reliability-result` command of test/widgets/reliability-plugin.mjs) and
 * list `<name>` in SECTIONS below, with the test that writes it (`source`) and
 * the command that runs it (`how`); a check without its own renderer gets a
 * table of its `figures`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const DIR = resolve(arg('dir', process.env.RELIABILITY_DIR ?? '.bench/reliability'));
const OUT = resolve(arg('out', 'docs/reliability.md'));
const PREFER = arg('prefer', 'long');
if (!['long', 'fast'].includes(PREFER)) throw new Error(`Expected --prefer long or fast, got ${PREFER}`);

/** Every JSON record, by file name without `.json`: the preferred mode's, else the other's. */
const records = new Map();
for (const mode of [PREFER === 'long' ? 'fast' : 'long', PREFER]) {
  const dir = join(DIR, mode);
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    records.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
}

// --- formatting ------------------------------------------------------------

const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');
const fmtMs = (ms) => (ms < 1 ? '< 1 ms' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);
function fmtBytes(b) {
  if (b === null || b === undefined) return '–';
  if (b === 0) return '0';
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}
const fmtDate = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '–');
const heldText = (held) => (held === true ? 'held' : held === false ? '**FAILED**' : '–');
const runOf = (r) => `${r.mode} run, ${fmtDate(r.date)}; Node ${r.node}, ${r.platform}, ${r.cpu ?? ''}`.replace(/, $/, '');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const rejectedText = (rejected) => Object.entries(rejected).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ') || '–';

// --- the checks ------------------------------------------------------------

const fuzzRecords = [...records.entries()].filter(([name, r]) => name.startsWith('fuzz-') && r.check === 'fuzz').map(([, r]) => r);

function fuzzTotals(r) {
  const props = r.properties;
  const cases = props.reduce((n, p) => n + p.cases, 0);
  const accepted = props.reduce((n, p) => n + p.accepted, 0);
  const spied = props.filter((p) => p.maxAllocatedBytes !== null);
  return {
    cases, accepted, rejected: cases - accepted,
    slowest: Math.max(...props.map((p) => p.maxCaseMs)),
    maxAlloc: spied.length ? Math.max(...spied.map((p) => p.maxAllocatedBytes)) : null,
    held: props.every((p) => p.held),
  };
}

function renderFuzz() {
  if (fuzzRecords.length === 0) return notRun('the fuzz targets', 'npm run reliability');
  const out = [];
  out.push(`Every parser that takes outside bytes is fuzzed with [fast-check](https://fast-check.dev) properties (test/core/fuzz/, one file per target; seeded, so every run is reproducible). The contract checked on **every** case:`);
  out.push('');
  out.push('1. it returns a result that passes the target\'s invariants (an IDX array whose data is exactly its dims\' product; a model whose weights match `layerShapes(spec)`, all finite, and which predicts; 784 values in [0, 1] with the strongest at 1), **or**');
  out.push('2. it throws the module\'s typed error (`instanceof` the right `DigitClassifierError` subclass) whose message names the source, and no other exception;');
  out.push(`3. within the per-case time limit (${fmtMs(fuzzRecords[0].caseTimeLimitMs)}; a hang fails the case);`);
  out.push('4. allocating no more typed-array/ArrayBuffer memory than the input can justify (the bound in each row), measured by a spy on every typed-array constructor: a header claiming 2^32 images or a 6000 × 6000 image costs nothing but its error.');
  out.push('');
  const totals = fuzzRecords.map((r) => ({ r, t: fuzzTotals(r) }));
  const all = totals.reduce((n, { t }) => n + t.cases, 0);
  out.push(table(
    ['target', 'entry points', 'cases fuzzed', 'accepted', 'rejected with a typed (or documented) error', 'other exceptions, hangs, over-allocations', 'slowest case', 'largest allocation', 'run'],
    totals.map(({ r, t }) => [r.target, r.entryPoints.map((e) => `\`${e}\``).join(', '), fmtInt(t.cases), fmtInt(t.accepted), fmtInt(t.rejected), t.held ? '0' : '**see below**', fmtMs(t.slowest), fmtBytes(t.maxAlloc), `${r.mode}, ${fmtDate(r.date).slice(0, 10)}`]),
  ));
  out.push('');
  out.push(`**${fmtInt(all)} cases** in all${totals.every(({ t }) => t.held) ? ', every one within the contract' : ''}.`);
  for (const { r } of totals) {
    out.push('', `### ${r.target}`, '');
    out.push(`\`${r.file}\` · ${runOf(r)} · base seed ${r.baseSeed}${r.fuzzRuns ? ` · FUZZ_RUNS=${r.fuzzRuns}` : ''}`, '');
    if (r.notes) out.push(r.notes, '');
    out.push(table(
      ['property', 'cases', 'accepted', 'rejected with', 'slowest', 'most allocated', 'allocation bound', 'contract'],
      r.properties.map((p) => [p.name, fmtInt(p.cases), fmtInt(p.accepted), rejectedText(p.rejected), fmtMs(p.maxCaseMs), fmtBytes(p.maxAllocatedBytes), p.allocBound ?? 'not spied', heldText(p.held)]),
    ));
    for (const p of r.properties.filter((q) => !q.held)) out.push('', `**${p.name} failed** (seed ${p.seed}):`, '', '```', p.failure ?? '', '```');
  }
  return out.join('\n');
}

function renderUntrusted(r) {
  const out = [`\`${r.file}\` · ${runOf(r)}`, ''];
  out.push(table(['check', 'cases', 'what was tried', 'result'], r.checks.map((c) => [c.name, fmtInt(c.cases), c.detail ?? '', heldText(c.held)])));
  out.push('', 'The parsers\' own field-by-field checks (shapes, dtypes, byte lengths against the manifest; size caps) are in `test/core/layers-model.test.ts` and `test/core/compact-model.test.ts`, and fuzzed above.');
  return out.join('\n');
}

function renderAbort(r) {
  const out = [`\`${r.file}\` · ${runOf(r)} · backend ${r.backend} · seed ${r.seed}`, ''];
  out.push(`**${fmtInt(r.injected)} aborts injected** (${r.aborted} landed mid-run, ${r.finishedFirst} arrived after the run's last batch and found it finished): ${r.byModel.mlp} on the MLP, ${r.byModel.cnn} on the CNN; by point: ${Object.entries(r.byMode).map(([k, v]) => `${k} ${v}`).join(', ')}; by optimizer: ${Object.entries(r.byOptimizer).map(([k, v]) => `${k} ${v}`).join(', ')}. Subsets: MLP ${r.subsets.mlp}, CNN ${r.subsets.cnn} (an epoch took ${r.epochMsOnSubsets.mlp} ms and ${r.epochMsOnSubsets.cnn} ms here; timers were drawn over that).`, '');
  out.push('After **every** abort:', '');
  out.push('- `fit` rejected with `AbortError` (or, when the abort came after the last batch, resolved normally);');
  out.push('- `tf.memory().numTensors` equalled its count between batches (no tensor left behind by the interrupted step);');
  out.push('- every weight was finite, the tensor-free inference predicted a digit, and `evaluate` ran without adding a tensor;');
  out.push(`- ${r.resumedAfterAbort} of the runs trained on for another epoch from where they stopped;`);
  out.push(`- after \`dispose()\`, \`tf.memory().numTensors\` was back to its count before the trainer (${r.tensorsAtStart} at the start of the check, ${r.tensorsAtEnd} at the end).`);
  out.push('', `Result: ${heldText(r.held)}.`);
  const byModel = (m) => r.outcomes.filter((o) => o.model === m && o.tensorsMidRun !== null).map((o) => o.tensorsMidRun);
  out.push('', `Tensors held between batches (network + optimizer state): MLP ${[...new Set(byModel('mlp'))].sort((a, b) => a - b).join(' / ')}, CNN ${[...new Set(byModel('cnn'))].sort((a, b) => a - b).join(' / ')} (SGD / momentum / Adam).`);
  return out.join('\n');
}

function renderLongTraining(r) {
  const out = [`\`${r.script}\` · ${runOf(r)}`, ''];
  out.push(`${r.model} on ${r.backend}, ${r.epochs} epochs over ${fmtInt(r.trainExamples)} training digits, held-out accuracy on ${fmtInt(r.testExamples)} after each: ${r.totalSeconds.toFixed(0)} s in all, ${r.meanEpochSeconds.toFixed(2)} s an epoch (wall time on a shared machine), final accuracy ${(r.finalAccuracy * 100).toFixed(2)} %.`, '');
  out.push(`**Criterion.** ${r.criterion}.`, '');
  const f = r.figures;
  const [e0, e1] = r.windows.early;
  const [l0, l1] = r.windows.late;
  const win = `median of epochs ${e0}–${e1} → ${l0}–${l1}`;
  const mib = (x) => `${x >= 0 ? '+' : ''}${x} MiB`;
  out.push(table(['figure', 'measured', 'limit', 'result'], [
    ['`numTensors` after every epoch', [...new Set(r.samples.map((s) => s.numTensors))].join(', '), 'one value', heldText(r.checks.tensorsFlat)],
    ['`numBytes` after every epoch', [...new Set(r.samples.map((s) => fmtInt(s.numBytes)))].join(', '), 'one value', heldText(r.checks.tensorBytesFlat)],
    ['`numTensors` before training / after `dispose()`', `${r.before.numTensors} / ${r.after.numTensors}`, 'equal', heldText(r.checks.tensorsBackAfterDispose)],
    [`JS heap in use, ${win}`, mib(f.heapUsedMiB), `≤ ${r.limits.heapUsedMiB} MiB`, heldText(r.checks.heapUsedOk)],
    [`ArrayBuffers, ${win}`, mib(f.arrayBuffersMiB), `≤ ${r.limits.arrayBuffersMiB} MiB`, heldText(r.checks.arrayBuffersOk)],
    [`WASM heap, ${win}`, mib(f.wasmHeapMiB), `≤ ${r.limits.wasmHeapMiB} MiB`, heldText(r.checks.wasmHeapOk)],
    [`native memory (RSS − V8 committed heap), ${win}`, mib(f.nativeMiB), `≤ ${r.limits.nativeMiB} MiB`, heldText(r.checks.nativeOk)],
    [`V8 committed old generation, ${win}`, mib(f.oldGenerationCommittedMiB), `≤ ${r.limits.oldGenerationCommittedMiB} MiB`, heldText(r.checks.oldGenerationCommittedOk)],
    [`RSS, epoch ${r.settleEpochs} → ${r.epochs}`, mib(f.rssMiB), 'not gated: the sum of the above and V8\'s young generation', '–'],
  ]));
  const steps = r.youngGenerationSteps ?? [];
  if (steps.length > 0) {
    const list = steps.map((y) => `${y.rssStepMiB >= 0 ? '+' : ''}${y.rssStepMiB} MiB at epoch ${y.epoch} (young generation ${y.fromMiB} → ${y.toMiB} MiB)`).join(', ');
    out.push('', `RSS moved in steps that came with V8 growing its young generation: ${list}; see the "V8 committed" column. That is the garbage collector sizing its nursery for a long run, capped by V8 (\`--max-semi-space-size\`): steps, not a trend, while every series a leak of ours could live in stayed flat.`);
  }
  out.push('', 'Per epoch (process memory after a forced GC):', '');
  const one = (x) => (x === null || x === undefined ? '–' : x.toFixed(1));
  const row = (label, s, acc, secs) => [label, acc, secs, s.numTensors, fmtInt(s.numBytes), one(s.rssMiB), one(s.heapUsedMiB), one(s.heapTotalMiB), one(s.arrayBuffersMiB), one(s.wasmHeapMiB)];
  out.push(table(['epoch', 'held-out accuracy', 'train s', 'numTensors', 'numBytes', 'RSS MiB', 'JS heap in use MiB', 'V8 committed MiB', 'ArrayBuffers MiB', 'WASM heap MiB'], [
    row('before', r.before, '–', '–'),
    ...r.samples.map((s) => row(s.epoch, s, `${(s.accuracy * 100).toFixed(2)} %`, s.seconds.toFixed(2))),
    row('after dispose', r.after, '–', '–'),
  ]));
  return out.join('\n');
}

/** Any check without its own renderer: its `figures` as a table. */
function renderGeneric(r, part) {
  const out = [`${part?.source ?? r.file ?? r.script ?? r.name} · ${runOf(r)}${r.seed !== undefined ? ` · seed ${r.seed}` : ''}`, ''];
  if (r.figures && typeof r.figures === 'object') out.push(table(['figure', 'value'], Object.entries(r.figures).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])), '');
  if (r.notes) out.push(String(r.notes), '');
  out.push(`Result: ${heldText(r.held)}.`);
  return out.join('\n');
}

function notRun(what, how) {
  return `_Not yet run._ ${what} write their figures when \`${how}\` runs.`;
}

const SECTIONS = [
  { title: '1. Property-based fuzzing of every parser of outside bytes', body: renderFuzz },
  { title: '2. Untrusted model files', parts: [{ name: 'untrusted-model', title: 'A bad file never replaces a good model; sizes capped; nothing evaluated', render: renderUntrusted }] },
  {
    title: '3. Faults',
    parts: [
      { name: 'faults-abort-training', title: 'Training aborted at random points (Node)', render: renderAbort },
      { name: 'faults-worker-abort', title: 'Training aborted at random points (in the worker)', source: '`test/worker/faults.test.ts` (Chromium)', how: 'npm run test:browser' },
      { name: 'faults-worker-kill', title: 'Worker killed mid-epoch', source: '`test/worker/faults.test.ts` (Chromium)', how: 'npm run test:browser' },
      { name: 'faults-webgpu-device-loss', title: 'WebGPU device lost during training', source: '`test/worker/webgpu/webgpu.test.ts` (Chromium, WebGPU on SwiftShader)', how: 'npm run test:browser' },
      { name: 'faults-indexeddb-save', title: 'Saving to IndexedDB fails (quota) or is interrupted', source: '`test/e2e/demo.e2e.test.ts` (Chromium, the demo page)', how: 'npm run test:e2e' },
    ],
  },
  {
    title: '4. Load',
    parts: [
      { name: 'load-long-training', title: 'Long training: 20 epochs, flat memory (Node)', render: renderLongTraining, how: 'npm run reliability:long' },
      { name: 'load-strokes', title: '10,000 rapid strokes and predictions on `<digit-pad>`', source: '`widgets/digit-pad/digit-pad.load.test.ts` (Chromium)', how: 'npm run test:browser' },
    ],
  },
  {
    title: '5. Security of the page',
    parts: [
      { name: 'security-csp', title: 'Strict Content-Security-Policy', source: '`test/e2e/demo.e2e.test.ts` (Chromium, every page of the demo and the one-tag embed); the worker under a policy without `blob:` in `test/worker/threaded-wasm.coi.test.html`', how: 'npm run test:e2e' },
      { name: 'security-worker-messages', title: 'The worker accepts only its own API', source: '`test/worker/foreign-messages.test.ts` (Chromium)', how: 'npm run test:browser' },
    ],
  },
];

// Bugs these checks found in src/, fixed with the smallest change, each with a regression test.
const FINDINGS = [
  {
    what: '`decodePng`: a tiny file whose header claims a large image (under the 40 MP cap) made fast-png set aside width × height × channels × bytes per sample before inflating anything: 288 MB for a 70-byte file claiming 6000 × 6000 16-bit RGBA.',
    fix: '`src/io/png.ts` refuses a declared size that the IDAT bytes cannot hold at deflate\'s 1032:1 ceiling, before the decoder runs.',
    test: '`test/core/png.test.ts` › "regression: a 70-byte file claiming 6000 × 6000 (under the pixel cap) is refused before the decoder allocates for it"; fuzz property "huge claimed dimensions".',
  },
  {
    what: '`Network.setWeights` took NaN/Infinity weights and transposed kernels (same length, wrong shape), replacing good weights; `Network.fromWeights` (so `new Trainer({ model })`) took NaN weights.',
    fix: '`src/models/network.ts` checks every tensor\'s exact shape and finiteness before assigning any (`checkWeightFits`).',
    test: '`test/core/reliability/untrusted-model.test.ts` › "regression: Network.setWeights refuses NaN/Infinity weights and transposed kernels …" and "regression: Network.fromWeights and new Trainer({ model }) refuse the same models …".',
  },
  {
    what: 'Model loaders: a Layers file whose weights were all finite but huge (the long fuzz run\'s counterexample: one kernel\'s bytes rewritten to values near 1e38) loaded, and then every prediction was NaN, because the first layer\'s sums overflowed float32.',
    fix: '`src/io/model-checks.ts` bounds the worst-case activation of every layer for any input in [0, 1] (Σ|kernel| × the input bound + |bias|, layer by layer) and refuses a model over 1e30; every loader, `createInference`, the exporters and `Network.fromWeights`/`setWeights` apply it. The shipped models\' bounds are 2.8e3 (MLP) and 4.8e5 (CNN).',
    test: '`test/core/reliability/untrusted-model.test.ts` › "regression: model files with finite weights so large that some input overflows float32 are refused …"; replayed with `FUZZ_SEED=2087323561 FUZZ_RUNS=20000` on `test/core/fuzz/layers-model.test.ts`.',
  },
  {
    what: 'Worker client: calls made after `terminate()` but before the worker had released its tensors (a grace of up to a second) were still sent and answered, instead of rejecting.',
    fix: '`workers/worker-endpoint.ts` `refuseNewCalls`: `terminate()` sends its own `dispose`, then every later call rejects with `WorkerTerminatedError` at once.',
    test: '`test/worker/faults.test.ts` › "a worker killed mid-epoch …" (a later call must reject after each kill).',
  },
  {
    what: 'Threaded WASM under a worker policy without `blob:`: tfjs starts its threads from blob URLs; the policy blocked them and backend start-up waited forever (the trainer never became ready).',
    fix: '`workers/select-backend.ts` tries a blob: worker that importScripts() a blob: script first; when the policy refuses it, it loads single-threaded SIMD WASM and reports why in `passedOver`.',
    test: '`test/worker/threaded-wasm.coi.test.html` › "falls back to single-thread SIMD, saying why, when the worker policy forbids blob:" (without the probe it times out after 120 s).',
  },
  {
    what: 'Widgets under a policy without `style-src-attr \'unsafe-inline\'`: `<softmax-bars>` and `<confusion-matrix>` wrote their bar widths and cell colours as `style` attributes, which such a policy blocks (340 violations in one demo run once the demo\'s policy dropped it).',
    fix: '`widgets/internal/css-properties.ts`: a Lit directive that sets them through the CSSOM, which CSP allows; the demo\'s policy no longer allows inline style.',
    test: '`test/e2e/demo.e2e.test.ts` › "reported no page errors, console errors or CSP violations" and the one-tag embed test (the bar\'s `--_value` is read back).',
  },
  {
    what: 'The demo\'s model store: a save over quota failed as it should, leaving the previous save, but said "Not saved ()": Chromium\'s QuotaExceededError carries an empty message.',
    fix: '`demo/src/model-store.ts` names a full quota ("the browser\'s storage quota for this site is full") and otherwise the error\'s name.',
    test: '`test/e2e/demo.e2e.test.ts` › "keeps the previous save through quota failures …" (the Save button\'s message is checked).',
  },
];

// --- the report -------------------------------------------------------------

function headline(name, r) {
  if (!r) return null;
  switch (name) {
    case 'untrusted-model': return `${r.checks.length} checks, ${fmtInt(r.checks.reduce((n, c) => n + c.cases, 0))} cases`;
    case 'faults-abort-training': return `${r.injected} aborts injected (${r.byModel.mlp} MLP, ${r.byModel.cnn} CNN)`;
    case 'load-long-training': return `${r.epochs} epochs: numTensors ${r.samples[0]?.numTensors} after every epoch; JS heap ${r.figures.heapUsedMiB >= 0 ? '+' : ''}${r.figures.heapUsedMiB} MiB, native ${r.figures.nativeMiB >= 0 ? '+' : ''}${r.figures.nativeMiB} MiB, RSS ${r.figures.rssMiB >= 0 ? '+' : ''}${r.figures.rssMiB} MiB`;
    case 'faults-worker-abort': return `${r.figures['aborts injected']} aborts injected (${r.figures['by model']}); ${r.figures['tensors after each abort = a finished run\'s'].split(' (')[0]} left exactly a finished run's tensors`;
    case 'faults-worker-kill': return `${r.figures['workers killed mid-epoch']} workers killed (${r.figures['by way of dying']}); ${String(r.figures['pending calls rejected with a typed error']).split(' (')[0]} pending calls rejected, ${r.figures['calls left pending']} left pending`;
    case 'faults-webgpu-device-loss': return `${r.figures['devices lost mid-epoch']} devices lost mid-epoch; each run continued on WASM, every batch once; ${r.figures['held-out accuracy after the epoch']} after the epoch`;
    case 'faults-indexeddb-save': return `${String(r.figures['saves over quota (QuotaExceededError)']).split(' (')[0]} saves over quota, ${String(r.figures['saves interrupted by their AbortSignal (0–12 ms in)']).split(':')[0]} interrupted, ${String(r.figures['tab reloaded mid-save']).split(':')[0]} tab reloads mid-save: previous save kept or new one whole, every time`;
    case 'load-strokes': return `${fmtInt(r.figures.strokes)} strokes, ${r.figures['predictions per stroke']} predictions a stroke (bound ${r.figures['bound (predictions per stroke)']}); JS heap ${r.figures['JS heap after 1,000 strokes (MiB)']} → ${r.figures['JS heap at the end (MiB)']} MiB`;
    case 'security-worker-messages': return `${r.figures['call-shaped foreign messages (refused with an error)']} call-shaped messages refused, ${r.figures['other foreign values (ignored, no reply)']} other values ignored; the API answers after`;
    case 'security-csp': return `${r.figures['CSP violations over the whole run']} violations over the demo, the framework example and the one-tag embed`;
    default: return r.figures ? Object.entries(r.figures).slice(0, 2).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  }
}

const lines = [];
lines.push('# Reliability report');
lines.push('');
lines.push('<!-- Generated by scripts/reliability-report.mjs from .bench/reliability/{long,fast}/*.json. Do not edit: rerun `npm run reliability` or `npm run reliability:long`. -->');
lines.push('');
lines.push('What digit-classifier does with bad input, faults and load, in figures (issue 6). Each section says which run produced its figures: **fast** runs are part of `npm test` (and `npm run reliability`, which also rewrites this file); **long** runs come from `npm run reliability:long` (fuzzers at `FUZZ_RUNS=20000`, 200 aborts, 20 epochs of training).');
lines.push('');
lines.push('## Summary');
lines.push('');
const summary = [];
if (fuzzRecords.length) {
  const t = fuzzRecords.map(fuzzTotals);
  const latest = fuzzRecords.map((r) => r.date).sort().at(-1);
  summary.push(['Fuzzing: parsers of outside bytes', [...new Set(fuzzRecords.map((r) => r.mode))].join(' + '), fmtDate(latest), `${fmtInt(t.reduce((n, x) => n + x.cases, 0))} cases over ${fuzzRecords.length} targets`, heldText(t.every((x) => x.held))]);
} else summary.push(['Fuzzing: parsers of outside bytes', '–', '–', 'not yet run', '–']);
for (const section of SECTIONS.slice(1)) {
  for (const part of section.parts) {
    const r = records.get(part.name);
    summary.push([part.title, r?.mode ?? '–', r ? fmtDate(r.date) : '–', r ? headline(part.name, r) : 'not yet run', r ? heldText(r.held ?? r.checks?.every?.((c) => c.held)) : '–']);
  }
}
lines.push(table(['check', 'mode', 'date', 'figures', 'result'], summary));
lines.push('');
lines.push('Run them: `npm run reliability` (the fast Node part, about a minute), `npm run test:browser` and `npm run test:e2e` (the browser checks, in Chromium; `npm test` runs all three), `npm run reliability:long` (fuzzers at 20,000 runs a property, 200 aborts in Node and 200 in the worker, 60 worker kills, 6 WebGPU device losses, 20 epochs; tens of minutes on two cores). `FUZZ_RUNS`, `FUZZ_SEED` and `RELIABILITY_EPOCHS` override the counts; a failing fuzz case prints the seed and path that replay it. Figures are kept per mode in `.bench/reliability/fast/` and `.bench/reliability/long/`; this report prefers the ' + PREFER + ' ones.');

for (const section of SECTIONS) {
  lines.push('', `## ${section.title}`, '');
  if (section.body) {
    lines.push(section.body());
    continue;
  }
  for (const part of section.parts) {
    lines.push(`### ${part.title}`, '');
    const r = records.get(part.name);
    if (r) lines.push((part.render ?? renderGeneric)(r, part));
    else lines.push(notRun('Its tests', part.how ?? 'npm run reliability'));
    lines.push('');
  }
}

lines.push('', '## Bugs these checks found (fixed)', '');
for (const f of FINDINGS) lines.push(`- ${f.what}\n  **Fix:** ${f.fix}\n  **Regression test:** ${f.test}`);
lines.push('');

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, lines.join('\n').replace(/\n{3,}/g, '\n\n'));
console.log(`wrote ${OUT} from ${records.size} result files in ${DIR} (${PREFER} figures preferred)`);
