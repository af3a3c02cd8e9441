// The fused training step against the tfjs path (Network + createOptimizer on the cpu backend),
// finite differences, its own determinism, threads, and a short MNIST training.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDenseEngine, isDenseSpec, type DenseEngine, type DenseEngineOptions } from '../../../src/kernels/dense-engine.js';
import { nodeThreadHost } from '../../../src/node/node-thread-host.js';
import { Network } from '../../../src/models/network.js';
import { mlpSpec, presetSpec } from '../../../src/models/presets.js';
import { createOptimizer, type OptimizerOptions } from '../../../src/train/optimizer.js';
import { softmaxCrossEntropy } from '../../../src/train/softmax-cross-entropy.js';
import { createRng } from '../../../src/data/rng.js';
import { useNodeBackend } from '../../../src/node/node-backend.js';
import { loadMnist } from '../../../src/node/load-mnist.js';
import type { ModelSpec, ModelWeights } from '../../../src/models/spec.js';
import { BackendError, InvalidOptionError, ModelFormatError } from '../../../src/errors.js';

const spec = mlpSpec({ hidden: [24, 13], normalization: { mean: 0.1307, std: 0.3081 } });
const N = 40;
const rnd = createRng(5);
const images = Uint8Array.from({ length: N * 784 }, () => (rnd.next() < 0.3 ? Math.floor(rnd.next() * 256) : 0));
const labels = Uint8Array.from({ length: N }, () => rnd.int(10));
const order = Int32Array.from({ length: N }, (_, i) => (i * 17) % N);

function optimizer(name: OptimizerOptions['name'], weightDecay = 0): Required<OptimizerOptions> {
  return { name, learningRate: name === 'adam' ? 0.01 : 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay };
}
function engineOptions(s: ModelSpec, opt: Required<OptimizerOptions>, extra: Partial<DenseEngineOptions> = {}): DenseEngineOptions {
  return { spec: s, maxBatchSize: 16, optimizer: opt, seed: 3, simd: 'simd128', threads: 1, ...extra };
}
/** The batch as the tfjs trainer sees it: (p/255 − mean)/std. */
function normalised(s: ModelSpec, rows: Int32Array): Float32Array {
  const { mean, std } = s.normalization;
  const x = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => {
    for (let j = 0; j < 784; j++) x[i * 784 + j] = (images[r * 784 + j] / 255 - mean) / std;
  });
  return x;
}
function maxRelDiff(a: ModelWeights, b: ModelWeights): number {
  let worst = 0;
  a.weights.forEach((w, i) => {
    const scale = 1e-3 + Math.max(...b.weights[i].values.map(Math.abs));
    w.values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.weights[i].values[j]) / scale)));
  });
  return worst;
}

describe('fused dense engine', () => {
  let start: ModelWeights;
  const engines: DenseEngine[] = [];
  const make = async (o: DenseEngineOptions) => {
    const e = await createDenseEngine(o);
    engines.push(e);
    return e;
  };
  beforeAll(async () => {
    await useNodeBackend('cpu');
    const net = Network.create(spec, createRng(11));
    start = await net.getWeights();
    net.dispose();
  });
  afterAll(() => engines.forEach((e) => e.dispose()));

  for (const [name, wd] of [['sgd', 0], ['momentum', 0], ['adam', 0], ['sgd', 0.01], ['adam', 0.01]] as const) {
    it(`matches the tfjs path (Network + optimizer) over 3 steps: ${name}${wd ? ', weight decay' : ''}`, async () => {
      const opt = optimizer(name, wd);
      const engine = await make(engineOptions(spec, opt));
      engine.setWeights(start);
      engine.setData(images, labels);
      const net = Network.fromWeights(start);
      const tfOpt = createOptimizer(opt);
      for (let s = 0; s < 3; s++) {
        const rows = order.subarray(s * 12, s * 12 + 12);
        const loss = engine.step(order, s * 12, 12);
        const tfLoss = tf.tidy(() => {
          const { logits, caches } = net.forward(tf.tensor2d(normalised(spec, rows), [12, 784]), true);
          const g = new Float32Array(12 * 10);
          const l = softmaxCrossEntropy(logits.dataSync(), Array.from(rows, (r) => labels[r]), 12, 10, g);
          tfOpt.apply(net.params, net.backward(tf.tensor2d(g, [12, 10]), caches), net.params.map((_, i) => i % 2 === 0));
          return l;
        });
        expect(Math.abs(loss - tfLoss)).toBeLessThan(1e-5 * (1 + tfLoss));
      }
      // Adam divides by √v: where a gradient is ~0 its float32 rounding decides a step of up to lr, hence the looser bound.
      expect(maxRelDiff(engine.getWeights(), await net.getWeights())).toBeLessThan(name === 'adam' ? 1e-4 : 2e-5);
      const [ours, theirs] = [engine.getOptimizerState(), await tfOpt.getState()];
      expect(ours.step === theirs.step || name !== 'adam').toBe(true);
      ours.slots.forEach((s, i) => s.forEach((slot, j) => {
        const want = theirs.slots[i][j].values;
        const scale = 1e-6 + Math.max(...want.map(Math.abs));
        slot.values.forEach((v, k) => expect(Math.abs(v - want[k]) / scale).toBeLessThan(1e-4));
      }));
      net.dispose();
      tfOpt.dispose();
    });
  }

  it('takes gradients that agree with finite differences of its own loss', async () => {
    // SGD with lr = 1: one step moves w by −g, so g = w0 − w1; compare with (L(w+h) − L(w−h)) / 2h in float64 of the kernel's loss.
    const opt = { ...optimizer('sgd'), learningRate: 1 };
    const engine = await make(engineOptions(spec, opt));
    engine.setData(images, labels);
    const lossAt = (w: ModelWeights): number => {
      engine.setWeights(w);
      const l = engine.step(order, 0, 16);
      engine.setWeights(start);
      return l;
    };
    const l0 = lossAt(start);
    engine.setWeights(start);
    engine.step(order, 0, 16);
    const after = engine.getWeights();
    const h = 1e-2;
    const probes: [number, number][] = [[0, 300 * 24 + 5], [1, 3], [2, 7 * 13 + 2], [3, 12], [4, 12 * 10 + 4], [5, 9]];
    for (const [t, i] of probes) {
      const bump = (d: number): ModelWeights => ({ ...start, weights: start.weights.map((w, k) => (k === t ? { ...w, values: w.values.map((v, j) => (j === i ? v + d : v)) } : w)) });
      const fd = (lossAt(bump(h)) - lossAt(bump(-h))) / (2 * h);
      const g = start.weights[t].values[i] - after.weights[t].values[i];
      expect(Math.abs(fd - g)).toBeLessThan(3e-5 * (1 + Math.abs(g)));
    }
    expect(l0).toBeGreaterThan(0);
  });

  it('takes gradients through dropout that agree with finite differences (same mask: a fresh engine per evaluation)', async () => {
    const s = mlpSpec({ hidden: [24, 13], dropout: 0.4, normalization: { mean: 0.1307, std: 0.3081 } });
    const w0 = { ...start, spec: s };
    const opt = { ...optimizer('sgd'), learningRate: 1 };
    // Step 0 of seed 3 always draws the same masks; lr = 1 makes the SGD step −g.
    const once = async (w: ModelWeights) => {
      const e = await createDenseEngine(engineOptions(s, opt));
      e.setWeights(w);
      e.setData(images, labels);
      const loss = e.step(order, 0, 16);
      const after = e.getWeights();
      e.dispose();
      return { loss, after };
    };
    const { after } = await once(w0);
    // Probes away from ReLU kinks (a bias of unit 7 sits within 1e-3 of one on this batch).
    const h = 1e-2;
    for (const [t, i] of [[0, 400 * 24 + 3], [1, 3], [2, 5 * 13 + 1], [3, 2], [4, 11 * 10 + 6]] as [number, number][]) {
      const bump = (d: number): ModelWeights => ({ ...w0, weights: w0.weights.map((w, k) => (k === t ? { ...w, values: w.values.map((v, j) => (j === i ? v + d : v)) } : w)) });
      const fd = ((await once(bump(h))).loss - (await once(bump(-h))).loss) / (2 * h);
      const g = w0.weights[t].values[i] - after.weights[t].values[i];
      expect(Math.abs(fd - g)).toBeLessThan(3e-5 * (1 + Math.abs(g)));
    }
    // The masks matter: without dropout the same step moves the weights differently.
    const plain = await createDenseEngine(engineOptions(spec, opt));
    plain.setWeights(start);
    plain.setData(images, labels);
    plain.step(order, 0, 16);
    expect(maxRelDiff(plain.getWeights(), after)).toBeGreaterThan(1e-3);
    plain.dispose();
  });

  it('is deterministic with dropout on one thread: same seed, same weights bit for bit; another seed differs', async () => {
    const s = mlpSpec({ hidden: [32, 16], dropout: 0.3 });
    const net = Network.create(s, createRng(2));
    const w0 = await net.getWeights();
    net.dispose();
    const run = async (seed: number) => {
      const e = await make({ ...engineOptions(s, optimizer('momentum')), seed });
      e.setWeights(w0);
      e.setData(images, labels);
      for (let i = 0; i < 3; i++) e.step(order, i * 12, 12);
      return e.getWeights();
    };
    const [a, b, c] = [await run(9), await run(9), await run(10)];
    expect(a.weights.every((w, i) => w.values.every((v, j) => Object.is(v, b.weights[i].values[j])))).toBe(true);
    expect(maxRelDiff(a, c)).toBeGreaterThan(1e-4);
  });

  it('gives the same weights on 1 and 2 threads (dropout on), and reports why', async () => {
    const s = mlpSpec({ hidden: [40, 24], dropout: 0.2 });
    const net = Network.create(s, createRng(4));
    const w0 = await net.getWeights();
    net.dispose();
    const run = async (threads: number) => {
      const e = await make({ ...engineOptions(s, optimizer('adam')), threads, threadHost: nodeThreadHost });
      e.setWeights(w0);
      e.setData(images, labels);
      const losses = [0, 1, 2].map((i) => e.step(order, i * 13, 13));
      return { e, w: e.getWeights(), losses };
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.e.variant.threads).toBe(2);
    expect(two.e.variant.reasons.join('\n')).toMatch(/2 threads: node worker_threads/);
    expect(one.e.variant.reasons.join('\n')).toMatch(/1 thread: asked for/);
    // Rows and weight rows are split, never a reduction: the same weights bit for bit.
    expect(one.w.weights.every((w, i) => w.values.every((v, j) => Object.is(v, two.w.weights[i].values[j])))).toBe(true);
    two.losses.forEach((l, i) => expect(Math.abs(l - one.losses[i])).toBeLessThan(1e-6));
    // 'auto' starts 2 threads here (2+ cores) and then chooses per step by measurement, same weights.
    const auto = await make({ ...engineOptions(s, optimizer('adam')), threads: 'auto', threadHost: nodeThreadHost });
    expect(auto.variant.threads).toBe(2);
    auto.setWeights(w0);
    auto.setData(images, labels);
    [0, 1, 2].forEach((i) => auto.step(order, i * 13, 13));
    expect(maxRelDiff(auto.getWeights(), one.w)).toBe(0);
    expect(auto.threadDecision).toBe('2 threads until measured');
  });

  it('gives up with a BackendError instead of hanging when a helper thread never answers', async () => {
    // A host that says its helper started but runs nothing: the step's barrier waits for nobody.
    const silent = { name: 'silent test host', cores: 2, spawn: async () => ({ terminate: () => undefined }) };
    const e = await make({ ...engineOptions(spec, optimizer('sgd')), threads: 2, threadHost: silent, helperTimeoutMs: 200 });
    expect(e.variant.threads).toBe(2);
    e.setWeights(start);
    e.setData(images, labels);
    const t0 = performance.now();
    let caught: unknown;
    try {
      e.step(order, 0, 8);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BackendError);
    expect((caught as Error).message).toMatch(/helper thread stopped answering.*disposed/);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(() => e.getWeights()).toThrow(/disposed/);
  });

  it('leaves the weights unchanged and returns a non-finite loss when the logits overflow', async () => {
    const e = await make(engineOptions(spec, optimizer('sgd')));
    const huge: ModelWeights = { ...start, weights: start.weights.map((w, i) => (i === 4 ? { ...w, values: w.values.map(() => 3e38) } : w)) };
    e.setWeights(huge);
    e.setData(images, labels);
    const loss = e.step(order, 0, 8);
    expect(Number.isFinite(loss)).toBe(false);
    expect(maxRelDiff(e.getWeights(), huge)).toBe(0);
  });

  it('predicts the same logits as the tfjs path', async () => {
    const e = await make(engineOptions(spec, optimizer('sgd')));
    e.setWeights(start);
    const rows = Int32Array.from({ length: 37 }, (_, i) => i);
    const logits = e.predictLogits(images.subarray(0, 37 * 784), 37);
    const net = Network.fromWeights(start);
    const want = tf.tidy(() => net.forward(tf.tensor2d(normalised(spec, rows), [37, 784]), false).logits.dataSync());
    net.dispose();
    logits.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i]))));
  });

  it('rejects bad specs, options, weights, data and batches with typed errors', async () => {
    expect(isDenseSpec(presetSpec('cnn'))).toBe(false);
    expect(isDenseSpec(presetSpec('mlp-deep'))).toBe(true);
    await expect(createDenseEngine(engineOptions(presetSpec('cnn'), optimizer('sgd')))).rejects.toThrow(InvalidOptionError);
    await expect(createDenseEngine({ ...engineOptions(spec, optimizer('sgd')), maxBatchSize: 0 })).rejects.toThrow(/maxBatchSize in 1\.\.65536, got 0/);
    await expect(createDenseEngine({ ...engineOptions(spec, optimizer('sgd')), threads: 0 })).rejects.toThrow(/threads 'auto' or 1\.\.8, got 0/);
    const e = await make(engineOptions(spec, optimizer('sgd')));
    expect(() => e.step(order, 0, 4)).toThrow(/Call setData before step/);
    expect(() => e.setWeights({ ...start, weights: start.weights.slice(1) })).toThrow(ModelFormatError);
    const nan = { ...start, weights: start.weights.map((w, i) => (i === 1 ? { ...w, values: w.values.map((v, j) => (j === 2 ? NaN : v)) } : w)) };
    expect(() => e.setWeights(nan)).toThrow(/Expected finite values in dense_1\/bias, got NaN at index 2/);
    expect(() => e.setData(images.subarray(1), labels)).toThrow(/Expected 40 × 784 image bytes for 40 labels/);
    expect(() => e.setData(images, labels.map((y, i) => (i === 5 ? 10 : y)))).toThrow(/labels 0–9, got 10 at index 5/);
    e.setData(images, labels);
    expect(() => e.step(order, 0, 17)).toThrow(/batch size in 1\.\.16, got 17/);
    expect(() => e.step(order, 35, 8)).toThrow(/start in 0\.\.32, got 35/);
    expect(() => e.step(Int32Array.of(0, 40), 0, 2)).toThrow(/order\[1\] in 0\.\.39, got 40/);
    expect(() => e.setLearningRate(-1)).toThrow(InvalidOptionError);
    e.dispose();
    expect(() => e.step(order, 0, 4)).toThrow(/disposed/);
  });

  it('trains the lesson MLP on an MNIST subset to a sensible accuracy (seeded)', async () => {
    const { train, test } = await loadMnist({ limit: 6000 });
    const s = presetSpec('mlp');
    const net = Network.create(s, createRng(1));
    const e = await make({ ...engineOptions(s, optimizer('sgd')), maxBatchSize: 64 });
    e.setWeights(await net.getWeights());
    net.dispose();
    e.setData(train!.images, train!.labels);
    const n = train!.labels.length;
    const rng = createRng(3);
    const ord = Int32Array.from({ length: n }, (_, i) => i);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [ord[i], ord[j]] = [ord[j], ord[i]];
      }
      for (let at = 0; at < n; at += 64) e.step(ord, at, Math.min(64, n - at));
    }
    const count = 2000;
    const logits = e.predictLogits(test!.images.subarray(0, count * 784), count);
    let right = 0;
    for (let i = 0; i < count; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
      if (best === test!.labels[i]) right++;
    }
    // Measured 0.869, the same as the tfjs path (Network + SGD) on this subset, order and seed.
    expect(right / count).toBeGreaterThan(0.85);
  });
});
