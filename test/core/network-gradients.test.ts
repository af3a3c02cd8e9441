import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { convGradientPath } from '../../src/models/conv-gemm.js';
import { createRng } from '../../src/data/rng.js';
import { Network } from '../../src/models/network.js';
import { mlpSpec, presetSpec } from '../../src/models/presets.js';
import type { ModelSpec } from '../../src/models/spec.js';
import { softmaxCrossEntropy } from '../../src/train/softmax-cross-entropy.js';
import { useNodeBackend } from '../../src/node/node-backend.js';

/** A small net that exercises every layer kind: same/valid conv, pool, flatten, dropout, dense. */
const smallCnn: ModelSpec = {
  name: 'test-cnn',
  inputShape: [28, 28, 1],
  normalization: { mean: 0, std: 1 },
  layers: [
    { kind: 'conv2d', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv2d', filters: 4, kernelSize: 5, padding: 'valid', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 12, activation: 'relu' },
    { kind: 'dropout', rate: 0.3 },
    { kind: 'dense', units: 10, activation: 'linear' },
  ],
};
const smallMlp = mlpSpec({ hidden: [24, 16], dropout: 0.2 });

function batch(n: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() < 0.3 ? rng.next() : 0;
  const labels = Int32Array.from({ length: n }, () => rng.int(10));
  return { x, labels };
}

/** Our hand-written gradients for a batch (dropout masks from a fixed seed). */
function ourGrads(net: Network, x: Float32Array, labels: Int32Array, n: number, seed: number, withXT: boolean): Float32Array[] {
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, [n, 784]);
    const { logits, caches } = net.forward(xt, true, createRng(seed));
    const g = new Float32Array(n * 10);
    softmaxCrossEntropy(logits.dataSync(), labels, n, 10, g);
    const xT = withXT ? tf.transpose(xt) : undefined;
    return net.backward(tf.tensor2d(g, [n, 10]), caches, xT as tf.Tensor2D | undefined).map((t) => t.dataSync() as Float32Array);
  });
}

/** Loss as a function of the parameters, in float64 from the float32 logits. */
function lossOf(net: Network, x: Float32Array, labels: Int32Array, n: number, seed: number): number {
  return tf.tidy(() => softmaxCrossEntropy(net.forward(tf.tensor2d(x, [n, 784]), true, createRng(seed)).logits.dataSync(), labels, n, 10));
}

describe('Network backward passes', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  const cases = [
    ['mlp with dropout', smallMlp, 'auto'],
    ['cnn (same+valid conv, pool, dropout)', smallCnn, 'tfjs'],
    ['cnn, im2col filter and JS max-pool gradients (the WASM path)', smallCnn, 'gemm'],
  ] as const;
  for (const [name, spec, mode] of cases) describe(name, () => {
    beforeEach(() => void (convGradientPath.mode = mode));
    afterEach(() => void (convGradientPath.mode = 'auto'));

    it(`${name}: gradients match tfjs autodiff`, () => {
      const net = Network.create(spec, createRng(1));
      const n = 6;
      const { x, labels } = batch(n, 2);
      const ours = ourGrads(net, x, labels, n, 3, true);
      const ref = tf.tidy(() => {
        const f = () => {
          const { logits } = net.forward(tf.tensor2d(x, [n, 784]), true, createRng(3));
          return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), logits) as tf.Scalar;
        };
        const { grads } = tf.variableGrads(f, net.params);
        return net.params.map((p) => grads[p.name].dataSync() as Float32Array);
      });
      ours.forEach((g, i) => {
        const scale = Math.max(1e-3, ...Array.from(ref[i], Math.abs));
        for (let k = 0; k < g.length; k++) expect(Math.abs(g[k] - ref[i][k]) / scale).toBeLessThan(1e-4);
      });
      net.dispose();
    });

    it(`${name}: gradients match central finite differences`, async () => {
      const net = Network.create(spec, createRng(4));
      // Away from ReLU kinks: zero biases on zero pixels put pre-activations exactly at 0,
      // where the one-sided differences disagree with any (sub)gradient.
      const init = await net.getWeights();
      const brng = createRng(14);
      net.setWeights({ ...init, weights: init.weights.map((w) => (w.name.endsWith('/bias') ? { ...w, values: w.values.map(() => 0.1 * brng.normal()) } : w)) });
      const n = 4;
      const { x, labels } = batch(n, 5);
      for (let i = 0; i < x.length; i++) x[i] += 0.05 * (brng.next() - 0.5);
      const ours = ourGrads(net, x, labels, n, 6, false);
      const rng = createRng(7);
      const eps = 1e-3;
      let checked = 0;
      let agreed = 0;
      net.params.forEach((p, i) => {
        const values = Float32Array.from(p.dataSync());
        for (let s = 0; s < 6; s++) {
          const k = rng.int(values.length);
          const orig = values[k];
          values[k] = orig + eps;
          p.assign(tf.tensor(values, p.shape));
          const up = lossOf(net, x, labels, n, 6);
          values[k] = orig - eps;
          p.assign(tf.tensor(values, p.shape));
          const down = lossOf(net, x, labels, n, 6);
          values[k] = orig;
          p.assign(tf.tensor(values, p.shape));
          const fd = (up - down) / (2 * eps);
          // A step across a ReLU kink (or float32 rounding) can spoil one coordinate;
          // a wrong layout, sign or scale spoils nearly all of them.
          if (Math.abs(fd - ours[i][k]) < 1e-3 + 0.02 * Math.abs(fd)) agreed++;
          checked++;
        }
      });
      expect(checked).toBe(net.params.length * 6);
      expect(agreed / checked).toBeGreaterThanOrEqual(0.9);
      net.dispose();
    });
  });

  it('WASM backward (filter gradient via conv2d, explicit transposes) equals CPU', async () => {
    const n = 5;
    const { x, labels } = batch(n, 8);
    await useNodeBackend('cpu');
    const cpuNet = Network.create(smallCnn, createRng(9));
    const weights = await cpuNet.getWeights();
    const cpu = ourGrads(cpuNet, x, labels, n, 10, false);
    cpuNet.dispose();
    await useNodeBackend('wasm');
    const wasmNet = Network.fromWeights(weights);
    const wasm = ourGrads(wasmNet, x, labels, n, 10, false);
    wasmNet.dispose();
    await useNodeBackend('cpu');
    cpu.forEach((g, i) => {
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      for (let k = 0; k < g.length; k++) expect(Math.abs(g[k] - wasm[i][k]) / scale).toBeLessThan(1e-4);
    });
  });

  it('WASM backward of the preset CNN (im2col filter gradient, JS max-pool gradient) equals the tfjs formulation on CPU, batch 6', async () => {
    // Batch > 1 matters: tfjs-backend-wasm's own MaxPoolGrad drops gradients of later batch entries.
    const n = 6;
    const { x, labels } = batch(n, 15);
    await useNodeBackend('cpu');
    const cpuNet = Network.create(presetSpec('cnn'), createRng(16));
    const weights = await cpuNet.getWeights();
    convGradientPath.mode = 'tfjs';
    const cpu = ourGrads(cpuNet, x, labels, n, 17, false);
    convGradientPath.mode = 'auto';
    cpuNet.dispose();
    await useNodeBackend('wasm');
    const wasmNet = Network.fromWeights(weights);
    const wasm = ourGrads(wasmNet, x, labels, n, 17, false);
    wasmNet.dispose();
    await useNodeBackend('cpu');
    cpu.forEach((g, i) => {
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      for (let k = 0; k < g.length; k++) expect(Math.abs(g[k] - wasm[i][k]) / scale).toBeLessThan(1e-4);
    });
  });

  it('leaks no tensors in forward/backward', () => {
    const net = Network.create(smallCnn, createRng(11));
    const before = tf.memory().numTensors;
    const { x, labels } = batch(3, 12);
    ourGrads(net, x, labels, 3, 13, false);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before - net.params.length);
  });
});
