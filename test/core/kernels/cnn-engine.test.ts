// The fused CNN step against the tfjs path as the trainer runs it on WASM (Network.forward/backward,
// with its GEMM/JS conv and pool gradients, + createOptimizer), its thread-count independence, and its boundaries.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCnnEngine, isCnnSpec } from '../../../src/kernels/cnn-engine.js';
import type { DenseEngine, DenseEngineOptions } from '../../../src/kernels/dense-engine.js';
import { nodeThreadHost } from '../../../src/node/node-thread-host.js';
import { Network } from '../../../src/models/network.js';
import { cnnSpec, presetSpec } from '../../../src/models/presets.js';
import { createOptimizer, type OptimizerOptions } from '../../../src/train/optimizer.js';
import { softmaxCrossEntropy } from '../../../src/train/softmax-cross-entropy.js';
import { createRng } from '../../../src/data/rng.js';
import { useNodeBackend } from '../../../src/node/node-backend.js';
import { loadMnist } from '../../../src/node/load-mnist.js';
import type { ModelSpec, ModelWeights } from '../../../src/models/spec.js';
import { InvalidOptionError, ModelFormatError } from '../../../src/errors.js';
import { setFlagsFromString } from 'node:v8';

// Node 20 validates relaxed SIMD only behind this flag; V8 reads it at compile time.
setFlagsFromString('--experimental-wasm-relaxed-simd');

// No dropout here: tfjs draws its masks from the trainer's rng, the engine from its hash (tested with the dense engine).
const spec = cnnSpec({ dropout: 0, normalization: { mean: 0.1307, std: 0.3081 } });
const N = 48;
const B = 16;
let images: Uint8Array;
let labels: Uint8Array;
const order = Int32Array.from({ length: N }, (_, i) => (i * 17) % N);

function optimizer(name: OptimizerOptions['name'], weightDecay = 0): Required<OptimizerOptions> {
  return { name, learningRate: name === 'adam' ? 2e-3 : 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay };
}
function engineOptions(s: ModelSpec, opt: Required<OptimizerOptions>, extra: Partial<DenseEngineOptions> = {}): DenseEngineOptions {
  return { spec: s, maxBatchSize: B, optimizer: opt, seed: 3, simd: 'simd128', threads: 1, ...extra };
}
function normalised(rows: Int32Array): Float32Array {
  const { mean, std } = spec.normalization;
  const x = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => {
    for (let j = 0; j < 784; j++) x[i * 784 + j] = (images[r * 784 + j] / 255 - mean) / std;
  });
  return x;
}
/** Per tensor: max |a − b| / max |b − w0| (the change a step made), so the bound is on the step, not on the weights. */
function stepRelDiff(a: ModelWeights, b: ModelWeights, w0: ModelWeights): number[] {
  return a.weights.map((w, i) => {
    const want = b.weights[i].values;
    const moved = Math.max(...want.map((v, j) => Math.abs(v - w0.weights[i].values[j])));
    return Math.max(...w.values.map((v, j) => Math.abs(v - want[j]))) / moved;
  });
}

describe('fused CNN engine', () => {
  let start: ModelWeights;
  const engines: DenseEngine[] = [];
  const make = async (o: DenseEngineOptions) => {
    const e = await createCnnEngine(o);
    engines.push(e);
    return e;
  };
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const { train } = await loadMnist();
    images = train!.images.slice(0, N * 784);
    labels = train!.labels.slice(0, N);
    const net = Network.create(spec, createRng(11));
    start = await net.getWeights();
    net.dispose();
  });
  afterAll(() => engines.forEach((e) => e.dispose()));

  for (const [name, wd, simd] of [['sgd', 0, 'simd128'], ['adam', 1e-2, 'relaxed-simd']] as const) {
    it(`matches the tfjs formulation over 3 steps: loss, every weight and the optimizer state (${name}${wd ? ', weight decay' : ''}, ${simd})`, async () => {
      const opt = optimizer(name, wd);
      const engine = await make(engineOptions(spec, opt, { simd }));
      engine.setWeights(start);
      engine.setData(images, labels);
      const net = Network.fromWeights(start);
      const tfOpt = createOptimizer(opt);
      for (let s = 0; s < 3; s++) {
        const rows = order.subarray(s * B, s * B + B);
        const loss = engine.step(order, s * B, B);
        const tfLoss = tf.tidy(() => {
          const { logits, caches } = net.forward(tf.tensor2d(normalised(rows), [B, 784]), true);
          const g = new Float32Array(B * 10);
          const l = softmaxCrossEntropy(logits.dataSync(), Array.from(rows, (r) => labels[r]), B, 10, g);
          tfOpt.apply(net.params, net.backward(tf.tensor2d(g, [B, 10]), caches), net.params.map((p) => p.rank > 1));
          return l;
        });
        expect(Math.abs(loss - tfLoss)).toBeLessThan(2e-5 * (1 + tfLoss)); // measured ≤ 1e-6 relative
      }
      const ours = engine.getWeights();
      expect(ours.weights.map((w) => w.name)).toEqual(start.weights.map((w) => w.name));
      expect(ours.weights.map((w) => w.shape)).toEqual(start.weights.map((w) => w.shape));
      // Every tensor's 3-step change agrees within float32 sums in another order (measured ≤ 2.3e-5 of the change with
      // SGD; with Adam ≤ 5.2e-3, its √v amplifying the rounding of near-zero gradients).
      stepRelDiff(ours, await net.getWeights(), start).forEach((d, i) => expect(d, start.weights[i].name).toBeLessThan(name === 'adam' ? 2e-2 : 1e-4));
      const [state, theirs] = [engine.getOptimizerState(), await tfOpt.getState()];
      expect(state.step).toBe(name === 'adam' ? theirs.step : 0); // the engine counts Adam's steps only
      state.slots.forEach((slots, i) => slots.forEach((slot, j) => {
        const want = theirs.slots[i][j].values;
        const scale = 1e-9 + Math.max(...want.map(Math.abs));
        expect(Math.max(...slot.values.map((v, k) => Math.abs(v - want[k]))) / scale).toBeLessThan(5e-5); // measured ≤ 1.1e-5
      }));
      net.dispose();
      tfOpt.dispose();
    });
  }

  it('gives the same bits on 1 and 2 threads (samples split, never a sum), with the preset dropout', async () => {
    const preset = presetSpec('cnn');
    const w0 = { ...start, spec: preset };
    const run = async (threads: number) => {
      const e = await make(engineOptions(preset, optimizer('adam'), { threads, threadHost: nodeThreadHost }));
      expect(e.variant.threads).toBe(threads);
      e.setWeights(w0);
      e.setData(images, labels);
      const losses = [0, 1, 2].map((s) => e.step(order, s * B, B));
      return { losses, weights: e.getWeights(), logits: e.predictLogits(images.subarray(0, 5 * 784), 5) };
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.losses).toEqual(one.losses);
    two.weights.weights.forEach((w, i) => expect(w.values).toEqual(one.weights.weights[i].values));
    expect(two.logits).toEqual(one.logits);
    expect(one.weights.weights[0].values).not.toEqual(w0.weights[0].values); // it trained conv1
  });

  it('predicts the logits of the tfjs network, and refuses what it cannot train', async () => {
    const engine = await make(engineOptions(spec, optimizer('sgd')));
    engine.setWeights(start);
    const net = Network.fromWeights(start);
    const rows = Int32Array.from({ length: 20 }, (_, i) => i);
    const want = tf.tidy(() => net.forward(tf.tensor2d(normalised(rows), [20, 784]), false).logits.dataSync());
    const got = engine.predictLogits(images.subarray(0, 20 * 784), 20); // 20 > maxBatchSize: two chunks
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-4);
    net.dispose();
    expect(isCnnSpec(presetSpec('cnn'))).toBe(true);
    expect(isCnnSpec(presetSpec('mlp'))).toBe(false);
    const wider = { ...spec, layers: spec.layers.map((l, i) => (i === 0 && l.kind === 'conv2d' ? { ...l, filters: 8 } : l)) };
    expect(isCnnSpec(wider)).toBe(false);
    await expect(createCnnEngine(engineOptions(wider, optimizer('sgd')))).rejects.toThrow(InvalidOptionError);
    await expect(createCnnEngine(engineOptions(presetSpec('mlp'), optimizer('sgd')))).rejects.toThrow(/conv stage/);
    const transposed = { ...start, weights: start.weights.map((w, i) => (i === 2 ? { ...w, shape: [5, 5, 32, 16] } : w)) };
    expect(() => engine.setWeights(transposed)).toThrow(ModelFormatError);
    expect(() => engine.setWeights(transposed)).toThrow(/conv2d_2\/kernel of shape \[5, 5, 16, 32\]/);
  });
});
