/**
 * Faults in Node: training aborted at seeded random points, many times, over
 * the MLP and the CNN on WASM, with every optimizer. After each abort:
 * `fit` rejected with an `AbortError` (or had finished before the abort
 * landed), no tensor leaked mid-run, the weights are finite, the model still
 * evaluates and predicts (and, every few runs, trains on), and after
 * `dispose()` `tf.memory().numTensors` is back to where it started.
 *
 * Abort points: between two given batches (from `onBatch`), after an epoch's
 * evaluation (from `onEpoch`), on a timer at a random millisecond (lands
 * during a step, a download or a yield), and before `fit` starts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/data/rng.js';
import { subsetMnist, type MnistSet } from '../../../src/data/mnist-set.js';
import { AbortError } from '../../../src/errors.js';
import { createInference } from '../../../src/inference/index.js';
import type { PresetName } from '../../../src/models/presets.js';
import { loadMnist } from '../../../src/node/load-mnist.js';
import { useNodeBackend } from '../../../src/node/node-backend.js';
import type { OptimizerName } from '../../../src/train/optimizer.js';
import { Trainer } from '../../../src/train/trainer.js';
import { FUZZ_SEED, runsFor } from '../fuzz/harness.js';
import { writeReliabilityResult } from '../helpers/reliability-results.js';

let data: Record<'mlp' | 'cnn', { train: MnistSet; test: MnistSet }>;
let backend = '';
beforeAll(async () => {
  backend = (await useNodeBackend('wasm')).name;
  const { train, test } = await loadMnist({ split: 'both' });
  // Small subsets: the CNN's steps cost ~20× the MLP's on WASM.
  data = {
    mlp: { train: subsetMnist(train!, 0, 640), test: subsetMnist(test!, 0, 128) },
    cnn: { train: subsetMnist(train!, 0, 192), test: subsetMnist(test!, 0, 64) },
  };
});

type AbortMode = 'batch' | 'epoch' | 'timer' | 'before';
interface Outcome {
  model: PresetName;
  optimizer: OptimizerName;
  mode: AbortMode;
  at: string;
  aborted: boolean;
  batchesRun: number;
  tensorsMidRun: number | null;
  tensorsAfterAbort: number;
  resumed: boolean;
}

const ABORTS = runsFor(50, 0.01);
const outcomes: Outcome[] = [];
const baselines: { start: number; end: number } = { start: 0, end: 0 };
const epochMs: Record<string, number> = {};

afterAll(() => {
  const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
  writeReliabilityResult('faults-abort-training', {
    check: 'faults',
    file: 'test/core/reliability/abort-training.test.ts',
    backend,
    seed: FUZZ_SEED,
    planned: ABORTS,
    injected: outcomes.length,
    aborted: count((o) => o.aborted),
    finishedFirst: count((o) => !o.aborted),
    byModel: { mlp: count((o) => o.model === 'mlp'), cnn: count((o) => o.model === 'cnn') },
    byMode: Object.fromEntries((['batch', 'epoch', 'timer', 'before'] as const).map((m) => [m, count((o) => o.mode === m)])),
    byOptimizer: Object.fromEntries((['sgd', 'momentum', 'adam'] as const).map((m) => [m, count((o) => o.optimizer === m)])),
    resumedAfterAbort: count((o) => o.resumed),
    // Every outcome passed every check, or the test failed before this was written with held: true.
    held: outcomes.length === ABORTS,
    epochMsOnSubsets: Object.fromEntries(Object.entries(epochMs).map(([k, v]) => [k, Math.round(v)])),
    subsets: { mlp: '640 train / 128 held-out', cnn: '192 train / 64 held-out' },
    tensorsAtStart: baselines.start,
    tensorsAtEnd: baselines.end,
    outcomes,
  });
});

describe('abort training at random points', () => {
  it(`${ABORTS} seeded aborts across the MLP and the CNN: typed error, finite weights, still predicts, no tensor leaks`, async () => {
    const rng = createRng(FUZZ_SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)];
    const probe = Float32Array.from(data.mlp.test.images.subarray(0, 784), (p) => p / 255);
    // How long one epoch takes here, so timers land inside runs on a fast or a loaded machine.
    for (const model of ['mlp', 'cnn'] as const) {
      const t = new Trainer({ model, epochs: 1 });
      await t.fit(data[model], { onWarning: () => undefined }); // warm-up: WASM kernels, first allocations
      const t0 = performance.now();
      await t.fit(data[model], { onWarning: () => undefined });
      epochMs[model] = performance.now() - t0;
      t.dispose();
    }
    baselines.start = tf.memory().numTensors;

    for (let run = 0; run < ABORTS; run++) {
      const model: PresetName = run % 5 < 3 ? 'mlp' : 'cnn'; // 60 % MLP, 40 % CNN
      const optimizer = pick(['sgd', 'momentum', 'adam'] as const);
      const mode = pick(['batch', 'batch', 'epoch', 'timer', 'timer', 'before'] as const);
      const { train, test } = data[model];
      const epochs = mode === 'epoch' ? 2 : 1 + Math.floor(rng.next() * 2);
      const batchSize = 64;
      const batches = Math.ceil(train.count / batchSize);
      const baseline = tf.memory().numTensors;
      const trainer = new Trainer({
        model, epochs, batchSize, optimizer, seed: run,
        learningRate: optimizer === 'adam' ? 2e-3 : 0.05,
        augment: rng.next() < 0.3,
      });
      const controller = new AbortController();
      let batchesRun = 0;
      let tensorsMidRun: number | null = null;
      let at = '';
      // Any batch but the run's last (an abort there has nothing left to stop; see below).
      const point = Math.floor(rng.next() * (epochs * batches - 1));
      const abortEpoch = mode === 'epoch' ? 1 : 1 + Math.floor(point / batches);
      const abortBatch = 1 + (point % batches);
      const timerMs = Math.floor(rng.next() * epochs * epochMs[model]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      switch (mode) {
        case 'batch':
          at = `epoch ${abortEpoch}, after batch ${abortBatch} of ${batches}`;
          break;
        case 'epoch':
          at = `after epoch ${abortEpoch}'s evaluation`;
          break;
        case 'timer':
          at = `${timerMs} ms into fit`;
          timer = setTimeout(() => controller.abort(new Error('timer')), timerMs);
          break;
        case 'before':
          at = 'before fit';
          controller.abort();
          break;
      }
      let error: unknown = null;
      try {
        await trainer.fit({ train, test }, {
          signal: controller.signal,
          onWarning: () => undefined,
          yieldEveryMs: 5, // yield often, so timers land in the middle of epochs
          onBatch: (p) => {
            batchesRun++;
            // Steady state: network, optimizer and its slots exist; nothing else may stay.
            tensorsMidRun ??= tf.memory().numTensors;
            expect(tf.memory().numTensors, `${model} ${optimizer}: tensors between batches`).toBe(tensorsMidRun);
            if (mode === 'batch' && p.epoch === abortEpoch && p.batch === abortBatch) controller.abort();
          },
          onEpoch: (e) => {
            if (mode === 'epoch' && e.epoch === abortEpoch) controller.abort();
          },
        });
      } catch (e) {
        error = e;
      }
      clearTimeout(timer);
      const label = `run ${run}: ${model}/${optimizer}, abort ${mode} (${at})`;
      const finishedFirst = error === null;
      // fit checks the signal before each batch: an abort after the run's last batch (a late
      // timer, the last batch, the last epoch) finds nothing left to stop and the run completes.
      const lastBatch = abortEpoch === epochs && (mode === 'epoch' || (mode === 'batch' && abortBatch === batches));
      if (finishedFirst) expect(mode === 'timer' || lastBatch, label).toBe(true);
      else expect(error, label).toBeInstanceOf(AbortError);
      const tensorsAfterAbort = tf.memory().numTensors;
      if (tensorsMidRun !== null) expect(tensorsAfterAbort, `${label}: tensors after the abort`).toBe(tensorsMidRun);

      // The model is usable: finite weights, predicts with the tensor-free path, evaluates with tfjs.
      const weights = await trainer.getWeights();
      for (const w of weights.weights) {
        for (let i = 0; i < w.values.length; i++) if (!Number.isFinite(w.values[i])) expect.fail(`${label}: ${w.name}[${i}] = ${w.values[i]}`);
      }
      const { digit, probabilities } = createInference(weights).predict(probe);
      expect(digit >= 0 && digit <= 9 && probabilities.every(Number.isFinite), label).toBe(true);
      const ev = await trainer.evaluate(test);
      expect(Number.isFinite(ev.loss) && ev.accuracy >= 0 && ev.accuracy <= 1, label).toBe(true);
      expect(tf.memory().numTensors, `${label}: tensors after evaluate`).toBe(tensorsAfterAbort);

      // Every fifth run also trains on after the abort, from where it stopped.
      let resumed = false;
      if (run % 5 === 4) {
        const [e] = await trainer.fit({ train: subsetMnist(train, 0, 64), test }, { onWarning: () => undefined });
        expect(Number.isFinite(e.trainLoss), label).toBe(true);
        resumed = true;
      }

      trainer.dispose();
      expect(tf.memory().numTensors, `${label}: tensors after dispose`).toBe(baseline);
      outcomes.push({ model, optimizer, mode, at, aborted: !finishedFirst, batchesRun, tensorsMidRun, tensorsAfterAbort, resumed });
    }
    baselines.end = tf.memory().numTensors;
    expect(baselines.end).toBe(baselines.start);
    expect(outcomes.filter((o) => o.aborted).length).toBeGreaterThan(ABORTS * 0.6);
  }, 300_000 * Math.max(1, Math.ceil(ABORTS / 50)));
});
