/**
 * Node benchmark: the targets of the native-speed work measured in one run
 * (the lesson recipe's whole `train` process against the PyTorch peer timed in
 * the same run, s/epoch on one and two threads, the exercise, the CNN), plus
 * training speed, accuracy and memory per backend and model and the speed-up of
 * the shipped tfjs path over `optimizer.minimize` autodiff, and "learn my
 * handwriting" (the `adapt` rows: its targets, and every figure the README's
 * table quotes compared with the run's, see adapt-claims.ts). Rows run in child
 * processes so each peak RSS is its own. Prints a table and the targets, writes
 * JSON to .bench/bench-node.json, and exits 1 when a target is missed.
 *
 *   npm run bench                      # all rows and targets (about 4 minutes on 2 cores)
 *   npm run bench -- --report-only     # print, never fail
 *   npm run bench -- --full            # the CNN's whole recipe instead of the interleaved comparison (~3 minutes more)
 *   node bench/build.mjs bench/bench-node.ts --only cnn-wasm --report-only   # the CNN rows: fused engine vs tfjs path
 *   node bench/build.mjs bench/bench-node.ts --only train-cli,train-cli-2-threads   # some rows, on an existing build
 *   node bench/build.mjs bench/bench-node.ts --only adapt,adapt-mlp   # learn my handwriting, held-out writers (~6 minutes on 2 busy cores)
 *   node bench/build.mjs bench/bench-node.ts --compare   # the last run's adapt figures against the README as it is now (after editing it)
 *
 * The PyTorch peer: `$DIGIT_CLASSIFIER_PEERS/mlp_torch.py` (default `../shared/peers`),
 * run by `$PEER_PYTHON` (default /usr/bin/python3); see bench/peer-torch.ts. A missing
 * peer is a missing row with its reason, and the ratio target fails.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subsetMnist } from '../src/data/mnist-set.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { PRESET_RECIPES } from '../src/train/recipes.js';
import { Trainer } from '../src/train/trainer.js';
import { runTorchPeer, type PeerRun } from './peer-torch.js';
import { benchAdapt, timeFirstAdapt, type AdaptBench } from './adapt-bench.js';
import { adaptClaims } from './adapt-claims.js';
import { reportClaims } from './readme-claims.js';
import { compareCnn, runAutodiff, type Row, type RowSpec } from './bench-rows.js';

const full = process.argv.includes('--full');
const reportOnly = process.argv.includes('--report-only');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : null;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The rows run in this order; the lesson's CLI runs alternate with the PyTorch peer (see main). */
const ROWS: RowSpec[] = [
  { row: 'train-cli', backend: 'wasm', model: 'mlp', mode: 'cli', args: [], note: 'whole `digit-classifier train` process, no flags (lesson recipe)' },
  { row: 'train-cli-1-thread', backend: 'wasm', model: 'mlp', mode: 'cli', args: ['--threads', '1'], note: 'train --threads 1 (node without flags)' },
  { row: 'train-cli-2-threads', backend: 'wasm', model: 'mlp', mode: 'cli', args: ['--threads', '2'], note: 'train --threads 2' },
  { row: 'train-cli-tfjs', backend: 'wasm', model: 'mlp', mode: 'cli', args: ['--engine', 'tfjs'], note: 'train --engine tfjs: the tfjs-core path on WASM' },
  { row: 'train-cli-mlp-deep', backend: 'wasm', model: 'mlp-deep', mode: 'cli', args: ['--model', 'mlp-deep'], note: "train --model mlp-deep: the lesson's exercise with its recipe" },
  { row: 'lesson-mlp-wasm-autodiff', backend: 'wasm', model: 'mlp', mode: 'autodiff', steps: 300, note: 'optimizer.minimize autodiff, 300 steps extrapolated' },
  { row: 'lesson-mlp-cpu', backend: 'cpu', model: 'mlp', mode: 'shipped', epochs: 1, note: 'pure-JS CPU backend, 1 epoch' },
  { row: 'lesson-mlp-cpu-autodiff', backend: 'cpu', model: 'mlp', mode: 'autodiff', steps: 100, note: 'optimizer.minimize autodiff, 100 steps extrapolated' },
  full
    ? { row: 'cnn-wasm', backend: 'wasm', model: 'cnn', mode: 'shipped', note: 'full recipe (the fused engine, 1 thread: no thread host)' }
    : { row: 'cnn-wasm', backend: 'wasm', model: 'cnn', mode: 'cnn-compare', note: 'fused engine and tfjs path interleaved in one process, extrapolated' },
  { row: 'cnn-cpu', backend: 'cpu', model: 'cnn', mode: 'shipped', steps: 60, note: '60 steps extrapolated' },
  { row: 'adapt', backend: 'wasm', model: 'cnn', mode: 'adapt', note: 'learn my handwriting: the shipped CNN adapted to each held-out synthetic writer' },
  { row: 'adapt-mlp', backend: 'wasm', model: 'mlp', mode: 'adapt', note: 'the same from the shipped MLP' },
];

async function runRow(spec: RowSpec): Promise<Omit<Row, 'peakRssMB'> | Omit<Row, 'peakRssMB'>[]> {
  await useNodeBackend(spec.backend);
  if (spec.mode === 'cnn-compare') return compareCnn(spec);
  const data = await loadMnist({ split: 'both' });
  const train = data.train!;
  const test = data.test!;
  const recipe = PRESET_RECIPES[spec.model];
  if (spec.mode === 'autodiff') return runAutodiff(spec, train.images, train.labels);
  const steps = spec.steps;
  const trainSet = steps ? subsetMnist(train, 0, steps * (recipe.batchSize ?? 64)) : train;
  const trainer = new Trainer({ model: spec.model, ...recipe, ...(spec.epochs ? { epochs: spec.epochs } : {}), ...(steps ? { epochs: 1 } : {}) });
  const counts: number[] = [];
  const t0 = performance.now();
  const history = await trainer.fit({ train: trainSet, test: steps ? subsetMnist(test, 0, 500) : test }, { onWarning: () => {}, onEpoch: () => void counts.push(tf.memory().numTensors) });
  const totalSeconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  const perEpoch = history.reduce((a, e) => a + e.seconds, 0) / history.length;
  const scale = steps ? train.count / trainSet.count : 1;
  return {
    row: spec.row, backend: spec.backend, model: spec.model, path: 'shipped', epochs: history.length,
    secondsPerEpoch: perEpoch * scale, samplesPerSecond: trainSet.count / perEpoch,
    accuracy: steps ? null : history[history.length - 1].accuracy, totalSeconds,
    tensorsStable: counts.every((c) => c === counts[0]), note: spec.note ?? '',
  };
}

function runCli(spec: RowSpec): Row {
  const out = mkdtempSync(join(tmpdir(), 'dc-bench-'));
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const t0 = performance.now();
  const preload = fileURLToPath(new URL('../bench/report-rss.cjs', import.meta.url));
  const res = spawnSync(process.execPath, ['--require', preload, cli, 'train', '--quiet', '--out', out, ...(spec.args ?? [])], { encoding: 'utf8' });
  const totalSeconds = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`train CLI failed: ${res.stderr}`);
  const epochs = [...res.stdout.matchAll(/^epoch \d+ train_loss=\S+ test_acc=(\S+) time=(\S+)s/gm)];
  const rss = Number(/MAXRSS_KB (\d+)/.exec(res.stderr)?.[1] ?? NaN) / 1024;
  const per = epochs.reduce((a, m) => a + Number(m[2]), 0) / epochs.length;
  const engine = /^training engine: ([a-z]+)(?: \(([^)]*)\))?/m.exec(res.stdout);
  const path = engine ? `cli ${engine[1]}${engine[2] ? ` ${engine[2]}` : ''}` : 'cli';
  return { row: spec.row, backend: 'wasm', model: spec.model, path, epochs: epochs.length, secondsPerEpoch: per, samplesPerSecond: 60000 / per, accuracy: Number(epochs[epochs.length - 1][1]), totalSeconds, peakRssMB: rss, tensorsStable: !/tensors still allocated/.test(res.stderr), note: spec.note ?? '' };
}

function formatAdapt(a: AdaptBench): string {
  const pct = (f: number) => `${(f * 100).toFixed(2)}%`;
  const head = ['held-out writer', 'before', 'after', 'MNIST after', 'adapt s'];
  const body = a.writers.map((w) => [w.writer, pct(w.before), pct(w.after), pct(w.mnistAfter), w.seconds.toFixed(2)]);
  body.push(['all (mean)', pct(a.overallBefore), pct(a.overallAfter), `from ${pct(a.mnistBefore)}`, a.meanAdaptSeconds.toFixed(2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const title = `\nadapt (${a.model}): 10 drawings (one of each digit) from each held-out writer, read on its 200 others; ${a.firstAdaptSeconds.toFixed(2)} s from process start to the first adapted model`;
  return [title, line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

function fmt(rows: Row[]): string {
  const head = ['row', 'backend', 'model', 'path', 'epochs', 's/epoch', 'CPU s/epoch', 'samples/s', 'test acc', 'total s', 'peak RSS MB', 'tensors flat', 'note'];
  const body = rows.map((r) => [r.row, r.backend, r.model, r.path, String(r.epochs), r.secondsPerEpoch.toFixed(2), r.cpuSecondsPerEpoch === undefined ? '–' : r.cpuSecondsPerEpoch.toFixed(2), Math.round(r.samplesPerSecond).toString(), r.accuracy === null ? '–' : (r.accuracy * 100).toFixed(2) + '%', r.totalSeconds.toFixed(1), Number.isNaN(r.peakRssMB) ? '–' : r.peakRssMB.toFixed(0), r.tensorsStable === null ? '–' : r.tensorsStable ? 'yes' : 'NO', r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

const childRow = process.argv.indexOf('--row');
const timeOnly = process.argv.indexOf('--time-first-adapt');
if (process.argv.includes('--compare')) {
  // The last run's adaptations (.bench/bench-node.json) against the README as it is now: no measuring.
  const last = JSON.parse(readFileSync('.bench/bench-node.json', 'utf8')) as { date: string; adapt: AdaptBench[] };
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  for (const a of last.adapt) reportClaims(`learn my handwriting (${a.model}, run of ${last.date}): the README's figures`, adaptClaims(readme, a), reportOnly);
} else if (timeOnly >= 0) {
  process.stdout.write(`\nRESULT ${await timeFirstAdapt(process.argv[timeOnly + 1] as 'cnn' | 'mlp')}\n`);
} else if (childRow >= 0) {
  const spec = ROWS.find((r) => r.row === process.argv[childRow + 1])!;
  const result = spec.mode === 'adapt' ? await benchAdapt(spec.model as 'cnn' | 'mlp', (line) => process.stderr.write(line + '\n')) : await runRow(spec);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write('\nRESULT ' + JSON.stringify(Array.isArray(result) ? result.map((r) => ({ ...r, peakRssMB })) : { ...result, peakRssMB }) + '\n');
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  const peers: PeerRun[] = [];
  const lessonRuns: Row[] = [];
  const adaptRuns: AdaptBench[] = [];
  for (const spec of only ? ROWS.filter((r) => only.includes(r.row)) : ROWS) {
    process.stderr.write(`running ${spec.row}…\n`);
    if (spec.row === 'train-cli') {
      // The ratio to PyTorch: two alternating rounds, the faster of each (a busy machine only ever slows a run down).
      for (let round = 0; round < 2; round++) {
        process.stderr.write('  PyTorch peer…\n');
        peers.push(runTorchPeer(repoRoot));
        lessonRuns.push(runCli(spec));
      }
      rows.push(lessonRuns.reduce((a, b) => (b.totalSeconds < a.totalSeconds ? b : a)));
      continue;
    }
    if (spec.mode === 'cli') {
      rows.push(runCli(spec));
      continue;
    }
    const out = execFileSync(process.execPath, [self, '--row', spec.row, ...(full ? ['--full'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    const result = JSON.parse(out.slice(out.lastIndexOf('RESULT ') + 7));
    if (spec.mode === 'adapt') {
      // Two more fresh processes time the first adaptation alone; the fastest of the three is the figure.
      for (let round = 0; round < 2; round++) {
        const t = execFileSync(process.execPath, [self, '--time-first-adapt', spec.model], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const seconds = Number(t.slice(t.lastIndexOf('RESULT ') + 7));
        process.stderr.write(`  first adapted ${spec.model} ${seconds.toFixed(2)} s after process start (a fresh process)\n`);
        result.firstAdaptRuns = [...(result.firstAdaptRuns ?? [result.firstAdaptSeconds]), seconds];
      }
      result.firstAdaptSeconds = Math.min(...result.firstAdaptRuns);
      adaptRuns.push(result);
    } else rows.push(...[result].flat());
  }
  const okPeers = peers.filter((p): p is Extract<PeerRun, { ok: true }> => p.ok);
  const torch = okPeers.length ? okPeers.reduce((a, b) => (b.totalSeconds < a.totalSeconds ? b : a)) : null;
  if (torch) {
    rows.push({ row: 'pytorch-peer', backend: `torch ${torch.torch}`, model: 'mlp', path: 'python process', epochs: 5, secondsPerEpoch: torch.secondsPerEpoch, samplesPerSecond: 60000 / torch.secondsPerEpoch, accuracy: torch.accuracy, totalSeconds: torch.totalSeconds, peakRssMB: NaN, tensorsStable: null, note: `mlp_torch.py, 1 thread, ${torch.blas.map((l) => l.replace(/^.*\//, '')).join(' ')}; faster of ${okPeers.length}` });
  }
  const byRow = (name: string) => rows.find((r) => r.row === name);
  if (rows.length) console.log(fmt(rows));
  for (const a of adaptRuns) console.log(formatAdapt(a));
  if (!torch && peers.length) console.log(`\npytorch-peer: missing — ${(peers[0] as { reason: string }).reason}`);
  const pct = (a: number) => `${(a * 100).toFixed(2)} %`;
  const [lesson, one, two, tfjsPath, deep, cnn] = ['train-cli', 'train-cli-1-thread', 'train-cli-2-threads', 'train-cli-tfjs', 'train-cli-mlp-deep', 'cnn-wasm'].map(byRow);
  const [autodiff, cpuShipped, cpuAutodiff] = ['lesson-mlp-wasm-autodiff', 'lesson-mlp-cpu', 'lesson-mlp-cpu-autodiff'].map(byRow);
  const [cnnOne, cnnTfjs] = ['cnn-wasm-1-thread', 'cnn-wasm-tfjs'].map(byRow);
  if (cnn && cnnTfjs && cnnOne) {
    const r = (a: Row, b: Row, cpu = false) => (cpu ? b.cpuSecondsPerEpoch! / a.cpuSecondsPerEpoch! : b.secondsPerEpoch / a.secondsPerEpoch).toFixed(1);
    console.log(`\nCNN, fused engine over the tfjs path (same run, interleaved): ${r(cnn, cnnTfjs)}× wall (threads auto), ${r(cnnOne, cnnTfjs)}× wall and ${r(cnnOne, cnnTfjs, true)}× CPU time (1 thread)`);
  }
  if (lesson && tfjsPath) console.log(`\nfused engine over the tfjs path (same run): ${(tfjsPath.secondsPerEpoch / lesson.secondsPerEpoch).toFixed(1)}× per epoch, ${(tfjsPath.totalSeconds / lesson.totalSeconds).toFixed(1)}× whole process`);
  if (tfjsPath && autodiff && cpuShipped && cpuAutodiff) console.log(`tfjs path over optimizer.minimize autodiff (same run): WASM ${(autodiff.secondsPerEpoch / tfjsPath.secondsPerEpoch).toFixed(1)}×, CPU ${(cpuAutodiff.secondsPerEpoch / cpuShipped.secondsPerEpoch).toFixed(1)}×`);
  type Target = { name: string; measured: string; met: boolean | null };
  /** A target from its rows; a row that did not run leaves it not measured. */
  const target = (name: string, rowsNeeded: (Row | undefined)[], judge: () => { measured: string; met: boolean | null }): Target =>
    rowsNeeded.every(Boolean) ? { name, ...judge() } : { name, measured: 'row not run', met: null };
  const targets: Target[] = [
    target('lesson `train` whole process ≤ 1.0× PyTorch (same run)', [lesson], () => (torch ? { measured: `${lesson!.totalSeconds.toFixed(1)} s vs ${torch.totalSeconds.toFixed(1)} s = ${(lesson!.totalSeconds / torch.totalSeconds).toFixed(2)}×`, met: lesson!.totalSeconds <= torch.totalSeconds } : { measured: 'PyTorch peer missing', met: null })),
    target('lesson test accuracy 96.9–97.1 %', [lesson], () => ({ measured: `${pct(lesson!.accuracy!)}${torch ? ` (PyTorch ${pct(torch.accuracy)})` : ''}`, met: lesson!.accuracy! >= 0.969 && lesson!.accuracy! <= 0.971 })),
    target('lesson ≤ 0.45 s/epoch, Node, 2 threads', [two], () => ({ measured: `${two!.secondsPerEpoch.toFixed(3)} s (${two!.path})`, met: two!.secondsPerEpoch <= 0.45 })),
    target('lesson ≤ 0.7 s/epoch, Node, 1 thread, no flags', [one], () => ({ measured: `${one!.secondsPerEpoch.toFixed(3)} s (${one!.path})`, met: one!.secondsPerEpoch <= 0.7 })),
    target('exercise (mlp-deep) ≥ 98.5 % in ≤ 15 s whole process', [deep], () => ({ measured: `${pct(deep!.accuracy!)} in ${deep!.totalSeconds.toFixed(1)} s`, met: deep!.accuracy! >= 0.985 && deep!.totalSeconds <= 15 })),
    target('CNN ≤ 15 s/epoch on WASM', [cnn], () => ({ measured: `${cnn!.secondsPerEpoch.toFixed(1)} s wall (${cnn!.path})${cnn!.cpuSecondsPerEpoch ? `, ${cnn!.cpuSecondsPerEpoch.toFixed(1)} s CPU` : ''}${full ? '' : ', extrapolated'}`, met: cnn!.secondsPerEpoch <= 15 })),
    target('peak RSS of `train` ≤ 300 MB', [lesson], () => ({ measured: `${lesson!.peakRssMB.toFixed(0)} MB`, met: lesson!.peakRssMB <= 300 })),
  ];
  const adaptCnn = adaptRuns.find((a) => a.model === 'cnn');
  if (adaptCnn) {
    const a = adaptCnn;
    targets.push(
      { name: 'adapt: held-out writers\' other drawings ≥ 99.5 % overall', measured: `${pct(a.overallAfter)} (before ${pct(a.overallBefore)})`, met: a.overallAfter >= 0.995 },
      { name: 'adapt: every held-out writer ≥ 95 %', measured: `worst ${a.worstAfter.writer} ${pct(a.worstAfter.after)}`, met: a.worstAfter.after >= 0.95 },
      { name: 'adapt: MNIST test accuracy within 0.3 points of the shipped CNN', measured: `worst drop ${a.mnistWorstDrop.toFixed(2)} points (from ${pct(a.mnistBefore)})`, met: a.mnistWorstDrop <= 0.3 },
      { name: 'adapt: CNN ≤ 10 s on WASM in Node, loading included', measured: `${a.firstAdaptSeconds.toFixed(2)} s from process start, fastest of ${a.firstAdaptRuns?.map((x) => x.toFixed(2)).join(', ')} (mean adapt alone over the writers ${a.meanAdaptSeconds.toFixed(2)} s)`, met: a.firstAdaptSeconds <= 10 },
      { name: 'adapt: no tensor leaked', measured: a.tensorsFlat ? 'tensor count flat over the writers' : 'tensor count grew', met: a.tensorsFlat },
    );
  }
  if (full) targets.push(target('CNN ≥ 99.3 % (full recipe)', [cnn], () => ({ measured: pct(cnn!.accuracy!), met: cnn!.accuracy! >= 0.993 })));
  console.log('\ntargets (one run on this machine; a busy machine reads slower):');
  for (const t of targets) console.log(`  ${t.met === null ? 'NOT MEASURED' : t.met ? 'met        ' : 'NOT met    '}  ${t.name}: ${t.measured}`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/bench-node.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, adapt: adaptRuns, peers, targets }, null, 2));
  console.log('\nwrote .bench/bench-node.json');
  // The README's "Learn my handwriting" figures, against this run's adaptations.
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  for (const a of adaptRuns) reportClaims(`learn my handwriting (${a.model}): the README's figures against this run`, adaptClaims(readme, a), reportOnly);
  const missed = targets.filter((t) => t.met !== true);
  if (missed.length && !reportOnly) {
    console.log(`${missed.length} target(s) missed or not measured (--report-only to just print)`);
    process.exitCode = 1;
  }
}
