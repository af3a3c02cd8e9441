/**
 * Load in Node: the lesson MLP trained for 20 epochs on all of MNIST (WASM),
 * with `tf.memory()` and process memory recorded after every epoch (after a
 * forced garbage collection), then checked for flatness. Writes
 * `.bench/reliability/load-long-training.json`; exits 1 if memory is not flat.
 *
 *   node bench/build.mjs bench/reliability-memory.ts            # 20 epochs
 *   node bench/build.mjs bench/reliability-memory.ts --epochs 5
 *
 * Flat means (all after a forced GC; windows of 5 epochs, compared by their
 * medians so that one transient buffer alive at a sample cannot decide):
 * 1. `tf.memory().numTensors` and `numBytes` are identical after every epoch,
 *    and back to the pre-training count after `dispose()`;
 * 2. no growth where a leak of ours could live: the JS heap in use,
 *    ArrayBuffers and the WASM heap each grow by at most 2 MiB from the window
 *    after epoch 3 (when JIT and first-use allocations have settled) to the
 *    last window. A leak of one 64-image batch per step would add ~190 MB an
 *    epoch; this catches anything above ~0.2 MiB an epoch;
 * 3. the rest of RSS bounded: native memory (RSS less what V8 has committed
 *    for its heap) and V8's committed old generation each grow by at most
 *    4 MiB over the same windows. What is left is V8's young generation,
 *    which the garbage collector doubles once or twice (to 16 MiB) as a long
 *    run goes on: a step that V8 caps, reported with its epoch, not gated.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { Trainer } from '../src/train/trainer.js';
import { writeReliabilityResult } from '../test/core/helpers/reliability-results.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EPOCHS = arg('epochs', Number(process.env.RELIABILITY_EPOCHS ?? 20));
const SETTLE_EPOCHS = Math.min(3, EPOCHS - 1);
const WINDOW = 5;
const LIMITS = { heapUsedMiB: 2, arrayBuffersMiB: 2, wasmHeapMiB: 2, nativeMiB: 4, oldGenerationCommittedMiB: 4 };

// A full GC before each sample, so the figures are what is live rather than what is not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

interface Sample {
  epoch: number;
  numTensors: number;
  numBytes: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** The tfjs WASM backend's linear memory (Emscripten's heap); it grows, never shrinks. */
  wasmHeapMiB: number | null;
  /** Memory V8 has committed for the JS heap (used or not), and of it the young generation. */
  heapTotalMiB: number;
  newSpaceMiB: number;
  trainLoss: number;
  accuracy: number;
  seconds: number;
}

async function sample(epoch: number, trainLoss = NaN, accuracy = NaN, seconds = NaN): Promise<Sample> {
  // V8 frees ArrayBuffer backing stores on a background sweeper after a GC: let it finish, then collect again,
  // so the figure is what is alive, not what happened to be swept yet (a freed 3.8 MiB buffer showed in 1 of 3 samples).
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  const m = process.memoryUsage();
  const t = tf.memory();
  const round = (x: number) => Math.round((x / MiB) * 100) / 100;
  const wasmHeap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length;
  return {
    epoch, numTensors: t.numTensors, numBytes: t.numBytes,
    rssMiB: round(m.rss), heapUsedMiB: round(m.heapUsed), externalMiB: round(m.external), arrayBuffersMiB: round(m.arrayBuffers),
    wasmHeapMiB: wasmHeap === undefined ? null : round(wasmHeap),
    heapTotalMiB: round(m.heapTotal),
    newSpaceMiB: round(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0),
    trainLoss, accuracy, seconds,
  };
}

/** Median of a short list. */
function median(values: number[]): number {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const backend = await useNodeBackend('wasm');
const { train, test } = await loadMnist({ split: 'both' });
const before = await sample(0);
const trainer = new Trainer({ model: 'mlp', epochs: EPOCHS, seed: 1 }); // the lesson's recipe
const samples: Sample[] = [];
const t0 = performance.now();
await trainer.fit({ train: train!, test: test! }, {
  onWarning: () => undefined,
  onEpoch: async (e) => {
    samples.push(await sample(e.epoch, e.trainLoss, e.accuracy, e.seconds));
    const s = samples[samples.length - 1];
    console.log(`epoch ${String(e.epoch).padStart(2)}  acc ${(e.accuracy * 100).toFixed(2)}%  ${e.seconds.toFixed(2)} s  tensors ${s.numTensors}  RSS ${s.rssMiB.toFixed(1)} MiB  heap ${s.heapUsedMiB.toFixed(1)} MiB  WASM heap ${s.wasmHeapMiB ?? '–'} MiB  V8 committed ${s.heapTotalMiB} MiB (young ${s.newSpaceMiB})`);
  },
});
const totalSeconds = (performance.now() - t0) / 1000;
trainer.dispose();
const after = await sample(EPOCHS + 1);

// The verdict: the window after settling against the last window.
type Series = 'heapUsedMiB' | 'arrayBuffersMiB' | 'wasmHeapMiB' | 'nativeMiB' | 'oldGenerationCommittedMiB';
const value = (s: Sample, key: Series): number =>
  key === 'nativeMiB' ? s.rssMiB - s.heapTotalMiB : key === 'oldGenerationCommittedMiB' ? s.heapTotalMiB - s.newSpaceMiB : s[key] ?? 0;
const settled = samples.filter((s) => s.epoch >= SETTLE_EPOCHS);
const early = settled.slice(0, WINDOW);
const late = settled.slice(-WINDOW);
const windowGrowth = (key: Series) => median(late.map((s) => value(s, key))) - median(early.map((s) => value(s, key)));
const growth = {
  heapUsedMiB: windowGrowth('heapUsedMiB'),
  arrayBuffersMiB: windowGrowth('arrayBuffersMiB'),
  wasmHeapMiB: windowGrowth('wasmHeapMiB'),
  nativeMiB: windowGrowth('nativeMiB'),
  oldGenerationCommittedMiB: windowGrowth('oldGenerationCommittedMiB'),
};
const rssGrowth = settled[settled.length - 1].rssMiB - settled[0].rssMiB; // reported, not gated
// Where V8's young generation grew: the steps RSS takes that are not ours.
const youngSteps = samples.slice(1).flatMap((s, i) => (s.newSpaceMiB !== samples[i].newSpaceMiB ? [{ epoch: s.epoch, fromMiB: samples[i].newSpaceMiB, toMiB: s.newSpaceMiB, rssStepMiB: Math.round((s.rssMiB - samples[i].rssMiB) * 100) / 100 }] : []));
const checks = {
  tensorsFlat: samples.every((s) => s.numTensors === samples[0].numTensors),
  tensorBytesFlat: samples.every((s) => s.numBytes === samples[0].numBytes),
  tensorsBackAfterDispose: after.numTensors === before.numTensors,
  heapUsedOk: growth.heapUsedMiB <= LIMITS.heapUsedMiB,
  arrayBuffersOk: growth.arrayBuffersMiB <= LIMITS.arrayBuffersMiB,
  wasmHeapOk: growth.wasmHeapMiB <= LIMITS.wasmHeapMiB,
  nativeOk: growth.nativeMiB <= LIMITS.nativeMiB,
  oldGenerationCommittedOk: growth.oldGenerationCommittedMiB <= LIMITS.oldGenerationCommittedMiB,
};
const held = Object.values(checks).every(Boolean);
const round2 = (x: number) => Math.round(x * 100) / 100;
writeReliabilityResult('load-long-training', {
  check: 'load',
  mode: process.env.RELIABILITY_MODE ?? 'long', // this check has no fast variant
  script: 'bench/reliability-memory.ts',
  model: 'mlp (lesson recipe: SGD 0.1, batch 64)',
  backend: `${backend.name}${backend.wasmVariant ? ` (${backend.wasmVariant})` : ''}`,
  epochs: EPOCHS,
  trainExamples: train!.count,
  testExamples: test!.count,
  totalSeconds: round2(totalSeconds),
  meanEpochSeconds: round2(samples.reduce((a, s) => a + s.seconds, 0) / samples.length),
  finalAccuracy: samples[samples.length - 1].accuracy,
  criterion:
    `numTensors and numBytes identical after every epoch and back to the start after dispose; ` +
    `after GC, medians of epochs ${early[0].epoch}–${early[early.length - 1].epoch} against epochs ${late[0].epoch}–${late[late.length - 1].epoch}: ` +
    `JS heap in use, ArrayBuffers and WASM heap each grow ≤ ${LIMITS.heapUsedMiB} MiB; native memory (RSS − V8 committed heap) ` +
    `and V8's committed old generation each ≤ ${LIMITS.nativeMiB} MiB (RSS is then bounded but for V8's young generation, which V8 caps)`,
  limits: LIMITS,
  settleEpochs: SETTLE_EPOCHS,
  windows: { early: [early[0].epoch, early[early.length - 1].epoch], late: [late[0].epoch, late[late.length - 1].epoch] },
  figures: { ...Object.fromEntries(Object.entries(growth).map(([k, v]) => [k, round2(v)])), rssMiB: round2(rssGrowth) },
  youngGenerationSteps: youngSteps,
  checks,
  held,
  before,
  after,
  samples,
});
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
console.log(`\n${held ? 'FLAT' : 'NOT FLAT'}: tensors ${samples[0].numTensors} every epoch (${before.numTensors} before, ${after.numTensors} after dispose); ` +
  `growth, median of epochs ${early[0].epoch}–${early[early.length - 1].epoch} → ${late[0].epoch}–${late[late.length - 1].epoch}: JS heap ${signed(growth.heapUsedMiB)}, ` +
  `ArrayBuffers ${signed(growth.arrayBuffersMiB)}, WASM heap ${signed(growth.wasmHeapMiB)}, native ${signed(growth.nativeMiB)}, ` +
  `V8 old generation ${signed(growth.oldGenerationCommittedMiB)} MiB; RSS ${signed(rssGrowth)} MiB from epoch ${SETTLE_EPOCHS}` +
  youngSteps.map((y) => `; V8 young generation ${y.fromMiB} → ${y.toMiB} MiB at epoch ${y.epoch} (RSS ${signed(y.rssStepMiB)} MiB)`).join(''));
if (!held) {
  console.error('Memory is not flat:', checks);
  process.exit(1);
}
