import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MnistSet } from '../../src/data/mnist-set.js';
import { subsetMnist } from '../../src/data/mnist-set.js';
import { AbortError, InvalidOptionError, TrainingDivergedError } from '../../src/errors.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import type { TrainingWarning } from '../../src/train/diagnostics.js';
import { TfjsSteps } from '../../src/train/step-runners.js';
import { Trainer } from '../../src/train/trainer.js';

let train: MnistSet;
let test: MnistSet;

beforeAll(async () => {
  await useNodeBackend('wasm');
  const data = await loadMnist({ split: 'both' });
  train = subsetMnist(data.train!, 0, 10000);
  test = subsetMnist(data.test!, 0, 1000);
});

const quiet = { onWarning: () => {} };

describe('Trainer on real MNIST (WASM, seeded subsets)', () => {
  it('the lesson MLP beats 87% held-out accuracy after 2 epochs on 10,000 digits, leaking no tensors', async () => {
    const baseline = tf.memory().numTensors;
    const trainer = new Trainer({ model: 'mlp', epochs: 2, seed: 1 });
    const perEpoch: number[] = [];
    const history = await trainer.fit({ train, test }, { ...quiet, onEpoch: () => void perEpoch.push(tf.memory().numTensors) });
    expect(history).toHaveLength(2);
    expect(history[1].accuracy).toBeGreaterThan(0.87);
    expect(history[1].trainLoss).toBeLessThan(history[0].trainLoss);
    // tf.memory().numTensors is identical after every epoch.
    expect(perEpoch[0]).toBe(perEpoch[1]);
    const cm = history[1].confusion;
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(test.count);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('is reproducible: the same seed gives the same losses and weights', async () => {
    const run = async () => {
      const t = new Trainer({ model: 'mlp', epochs: 1, seed: 7 });
      const losses: number[] = [];
      await t.fit({ train: subsetMnist(train, 0, 1000), test }, { ...quiet, onBatch: (p) => void losses.push(p.loss) });
      const w = await t.getWeights();
      t.dispose();
      return { losses, w: w.weights[0].values };
    };
    const a = await run();
    const b = await run();
    expect(a.losses).toEqual(b.losses);
    expect(Array.from(a.w.subarray(0, 50))).toEqual(Array.from(b.w.subarray(0, 50)));
  });

  // What happens on a lost WebGPU device, on one backend: the failing step has already changed the weights and the
  // optimizer state when it throws; onBackendFailure says "go on", and the run repeats that batch from the snapshot
  // of the last completed one. Weights *and* optimizer state come back, so the run ends exactly where an unbroken one does.
  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    it(`${optimizer}: a failed step recovered through onBackendFailure ends exactly where an unbroken run ends`, async () => {
      const start = tf.memory().numTensors;
      const options = { model: 'mlp' as const, optimizer, learningRate: optimizer === 'adam' ? 0.001 : 0.05, epochs: 1, seed: 21, engine: { use: 'tfjs' as const } };
      const data = { train: subsetMnist(train, 0, 640), test: subsetMnist(test, 0, 100) };
      const unbroken = new Trainer(options);
      const losses: number[] = [];
      await unbroken.fit(data, { ...quiet, onBatch: (p) => void losses.push(p.loss) });

      const broken = new Trainer(options);
      const step = TfjsSteps.prototype.step;
      let calls = 0;
      const spy = vi.spyOn(TfjsSteps.prototype, 'step').mockImplementation(async function (this: TfjsSteps, ...args) {
        const loss = await step.apply(this, args); // the step lands, then the "device" fails before its result is read
        if (++calls === 4) throw new Error('GPU device lost');
        return loss;
      });
      const failures: unknown[] = [];
      const recovered: number[] = [];
      await broken.fit(data, { ...quiet, onBatch: (p) => void recovered.push(p.loss), onBackendFailure: async (error, at) => (failures.push([String(error), at.batch]), true) });
      spy.mockRestore();
      expect(failures).toEqual([['Error: GPU device lost', 4]]);
      expect(recovered).toEqual(losses); // batch 4 repeated once, none skipped
      const [a, b] = [await unbroken.getWeights(), await broken.getWeights()];
      a.weights.forEach((w, i) => expect(Array.from(b.weights[i].values)).toEqual(Array.from(w.values)));
      unbroken.dispose();
      broken.dispose();
      expect(tf.memory().numTensors).toBe(start); // the replaced optimizer's slots were released too
    });
  }

  it('reports batches and epochs, and reports held-out accuracy as "accuracy"', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 1, batchSize: 100 });
    const batches: number[] = [];
    const [epoch] = await t.fit({ train: subsetMnist(train, 0, 1000), test }, { ...quiet, onBatch: (p) => void batches.push(p.batch) });
    expect(batches).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ev = await t.evaluate(test);
    expect(epoch.accuracy).toBeCloseTo(ev.accuracy, 10);
    expect(Object.keys(epoch)).not.toContain('trainAccuracy');
    t.dispose();
  });

  it('aborts between batches: AbortError, the model stays usable and finite, nothing leaks', async () => {
    const baseline = tf.memory().numTensors;
    const t = new Trainer({ model: 'mlp', epochs: 3 });
    const controller = new AbortController();
    const run = t.fit({ train, test }, { ...quiet, signal: controller.signal, onBatch: (p) => { if (p.batch === 5) controller.abort(); } });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    const w = await t.getWeights();
    for (const tensor of w.weights) expect(tensor.values.every(Number.isFinite)).toBe(true);
    expect((await t.evaluate(test)).accuracy).toBeGreaterThan(0.2);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('pauses and resumes', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 1 });
    let pausedAt = -1;
    let batchesWhilePaused = 0;
    const done = t.fit({ train: subsetMnist(train, 0, 1280), test }, {
      ...quiet,
      onBatch: (p) => {
        if (t.isPaused) batchesWhilePaused++;
        if (p.batch === 3) {
          t.pause();
          pausedAt = p.batch;
          setTimeout(() => t.resume(), 50);
        }
      },
    });
    await done;
    expect(pausedAt).toBe(3);
    expect(batchesWhilePaused).toBe(0);
    t.dispose();
  });

  it('stops a diverging run with a TrainingDivergedError naming the learning rate', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 1, learningRate: 50 });
    await expect(t.fit({ train, test }, quiet)).rejects.toThrow(TrainingDivergedError);
    await expect(new Trainer({ model: 'mlp', epochs: 1, learningRate: 50 }).fit({ train, test }, quiet)).rejects.toThrow(/learning rate/);
    t.dispose();
  });

  it('warns about unnormalised inputs and unshuffled, sorted batches', async () => {
    const warnings: TrainingWarning[] = [];
    const raw = new Trainer({ model: { name: 'raw', inputShape: [784], layers: [{ kind: 'dense', units: 10, activation: 'linear' }], normalization: { mean: 0, std: 1 / 255 } }, epochs: 1, learningRate: 1e-6 });
    await raw.fit({ train: subsetMnist(train, 0, 256), test }, { onWarning: (w) => void warnings.push(w) });
    expect(warnings.map((w) => w.code)).toContain('input-range');
    raw.dispose();

    // Sort a subset by label: the lesson's 0-0-0…9-9-9 curriculum.
    const order = Array.from({ length: 2000 }, (_, i) => i).sort((a, b) => train.labels[a] - train.labels[b]);
    const images = new Uint8Array(2000 * 784);
    const labels = new Uint8Array(2000);
    order.forEach((src, dst) => {
      images.set(train.images.subarray(src * 784, src * 784 + 784), dst * 784);
      labels[dst] = train.labels[src];
    });
    const sorted: MnistSet = { images, labels, count: 2000, rows: 28, cols: 28 };
    const seen: TrainingWarning[] = [];
    const t = new Trainer({ model: 'mlp', epochs: 1, shuffle: false });
    await t.fit({ train: sorted, test }, { onWarning: (w) => void seen.push(w) });
    expect(seen.filter((w) => w.code === 'not-shuffled').length).toBe(2); // the option, then the detector
    expect(seen.some((w) => /single digit/.test(w.message))).toBe(true);
    t.dispose();
  });

  it('rejects invalid options before any work, naming the option', () => {
    expect(() => new Trainer({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new Trainer({ learningRate: -1 })).toThrow(InvalidOptionError);
    expect(() => new Trainer({ epochs: 1.5 })).toThrow(/epochs/);
    expect(() => new Trainer({ model: 'resnet' as 'mlp' })).toThrow(/Unknown model "resnet"/);
    expect(() => new Trainer({ optimizer: 'rmsprop' as 'sgd' })).toThrow(/optimizer/);
  });

  for (const optimizer of ['momentum', 'adam'] as const) {
    it(`${optimizer} with weight decay and augmentation learns`, async () => {
      const t = new Trainer({ model: 'mlp', epochs: 1, optimizer, learningRate: optimizer === 'adam' ? 1e-3 : 0.02, weightDecay: 1e-4, augment: true });
      const [e] = await t.fit({ train, test }, quiet);
      expect(e.accuracy).toBeGreaterThan(0.8);
      t.dispose();
    });
  }
});

describe('Trainer abort at the last batch', () => {
  it('rejects with AbortError when the signal fires during the last batch of the run', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 1, batchSize: 100 });
    const controller = new AbortController();
    const run = t.fit({ train: subsetMnist(train, 0, 500), test }, { onWarning: () => {}, signal: controller.signal, onBatch: (p) => { if (p.batch === p.batches) controller.abort(); } });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(t.history).toHaveLength(0);
    t.dispose();
  });
});
