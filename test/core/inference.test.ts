import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { createInference } from '../../src/inference/index.js';
import { softmaxInto, softmax } from '../../src/metrics/softmax.js';
import { MNIST_NORMALIZATION, mlpSpec } from '../../src/models/presets.js';
import type { ModelSpec, ModelWeights } from '../../src/models/spec.js';
import { mnistLikeImages, randomImages, randomModel, randomPreset } from './model-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Reference forward pass with tfjs-core ops, written independently of src/inference. */
function referenceLogits(model: ModelWeights, pixels: Float32Array, n: number): Float32Array {
  return tf.tidy(() => {
    const { mean, std } = model.spec.normalization;
    let x: tf.Tensor = tf.div(tf.sub(tf.tensor2d(pixels, [n, 784]), mean), std);
    if (model.spec.inputShape.length === 3) x = tf.reshape(x, [n, 28, 28, 1]);
    let w = 0;
    for (const layer of model.spec.layers) {
      const kernel = model.weights[w];
      const bias = model.weights[w + 1];
      switch (layer.kind) {
        case 'dense':
          x = tf.add(tf.matMul(x as tf.Tensor2D, tf.tensor2d(kernel.values, kernel.shape as [number, number])), tf.tensor1d(bias.values));
          if (layer.activation === 'relu') x = tf.relu(x);
          w += 2;
          break;
        case 'conv2d':
          x = tf.conv2d(x as tf.Tensor4D, tf.tensor4d(kernel.values, kernel.shape as [number, number, number, number]), 1, layer.padding);
          x = tf.add(x, tf.tensor1d(bias.values));
          if (layer.activation === 'relu') x = tf.relu(x);
          w += 2;
          break;
        case 'maxpool':
          x = tf.maxPool(x as tf.Tensor4D, layer.size, layer.size, 'valid');
          break;
        case 'flatten':
          x = tf.reshape(x, [n, -1]);
          break;
        case 'dropout':
          break;
      }
    }
    return x.dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Logits of `n` images through createInference, one at a time. */
function inferenceLogits(model: ModelWeights, pixels: Float32Array, n: number): Float32Array {
  const inference = createInference(model);
  const out = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) inference.predictLogits(pixels.subarray(i * 784, (i + 1) * 784), out.subarray(i * 10, (i + 1) * 10));
  return out;
}

const oddCnn: ModelSpec = {
  name: 'odd-cnn',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' },
    { kind: 'conv2d', filters: 6, kernelSize: 4, padding: 'same', activation: 'linear' }, // even kernel: TF pads 1 before, 2 after
    { kind: 'maxpool', size: 3 }, // 28 → 9, the last row/column dropped
    { kind: 'conv2d', filters: 5, kernelSize: 2, padding: 'valid', activation: 'relu' },
    { kind: 'flatten' },
    { kind: 'dropout', rate: 0.5 },
    { kind: 'dense', units: 10, activation: 'linear' },
  ],
  normalization: MNIST_NORMALIZATION,
};

describe('createInference matches a tfjs-core reference', () => {
  const images = new Float32Array([...mnistLikeImages(40), ...randomImages(20)]);
  const cases: [string, ModelWeights][] = [
    ['mlp', randomPreset('mlp', 11)],
    ['mlp-deep', randomPreset('mlp-deep', 12)],
    ['cnn', randomPreset('cnn', 13)],
    ['cnn with same padding, even kernel, pool 3, MNIST normalisation', randomModel(oddCnn, 14)],
    ['mlp with MNIST normalisation', randomModel(mlpSpec({ hidden: [32, 16], normalization: MNIST_NORMALIZATION }), 15)],
  ];
  for (const [label, model] of cases) {
    it(`${label}: logits within 1e-4`, () => {
      const diff = maxAbsDiff(inferenceLogits(model, images, 60), referenceLogits(model, images, 60));
      expect(diff).toBeLessThan(1e-4);
    });
  }
});

describe('Inference API', () => {
  const model = randomPreset('cnn', 21);
  const inference = createInference(model);
  const images = mnistLikeImages(8);

  it('predictBatch equals softmax of per-image logits, rows summing to 1, one Prediction per image', () => {
    const batch = inference.predictBatch(images);
    expect(batch).toHaveLength(8);
    for (let i = 0; i < 8; i++) {
      const logits = inference.predictLogits(images.slice(i * 784, (i + 1) * 784));
      const p = new Float32Array(10);
      softmaxInto(logits, 0, 10, p, 0);
      expect(maxAbsDiff(batch[i].probabilities, p)).toBe(0);
      expect(batch[i].digit).toBe(inference.predict(images.slice(i * 784, (i + 1) * 784)).digit);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('takes bytes 0–255 and floats in [0, 1] alike, and never rounds floats', () => {
    const floats = images.slice(0, 784);
    const bytes = Uint8Array.from(floats, (v) => Math.round(v * 255));
    const fromBytes = inference.predict(bytes);
    const asFloats = inference.predict(Float32Array.from(bytes, (v) => v / 255));
    expect(Array.from(fromBytes.probabilities)).toEqual(Array.from(asFloats.probabilities));
    // Floats between two byte levels give other logits than their rounded bytes: nothing rounds them.
    const between = Float32Array.from(floats, (v, i) => (i % 7 === 0 ? Math.min(1, Math.round(v * 255) / 255 + 0.4 / 255) : v));
    const rounded = Uint8Array.from(between, (v) => Math.round(v * 255));
    expect(Array.from(inference.predictLogits(between))).not.toEqual(Array.from(inference.predictLogits(rounded)));
    expect(inference.predictBatch(Uint8Array.from(images, (v) => Math.round(v * 255))).map((p) => p.digit)).toHaveLength(8);
  });

  it('refuses floats outside [0, 1] and other arrays, naming the argument', () => {
    const bad = images.slice(0, 784);
    bad[5] = 255;
    expect(() => inference.predict(bad)).toThrow(/floats in \[0, 1\].*got 255 at index 5/);
    expect(() => inference.predict([0.5] as unknown as Float32Array)).toThrow(InvalidOptionError);
    expect(() => inference.predict(images)).toThrow(/one image of 784 pixels \(predictBatch takes many\)/);
  });

  it('predict returns the argmax digit and is repeatable (buffers are reset per call)', () => {
    const first = inference.predict(images.subarray(0, 784));
    inference.predict(images.subarray(784, 1568));
    const again = inference.predict(images.subarray(0, 784));
    expect(Array.from(again.probabilities)).toEqual(Array.from(first.probabilities));
    const best = first.probabilities.indexOf(Math.max(...first.probabilities));
    expect(first.digit).toBe(best);
  });

  it('writes into a caller-provided out array and returns it', () => {
    const out = new Float32Array(10);
    expect(inference.predictLogits(images.subarray(0, 784), out)).toBe(out);
  });

  it('copies the weights: later changes to the model do not leak in', () => {
    const m = randomPreset('mlp', 22);
    const inf = createInference(m);
    const before = inf.predictLogits(images.subarray(0, 784));
    m.weights[0].values.fill(0);
    expect(Array.from(inf.predictLogits(images.subarray(0, 784)))).toEqual(Array.from(before));
  });

  it('rejects wrong pixel counts and bad out arrays, naming the argument', () => {
    expect(() => inference.predictLogits(new Float32Array(783))).toThrow(/pixels.*784.*length 783/);
    expect(() => inference.predictBatch(new Float32Array(784 * 2 + 1))).toThrow(InvalidOptionError);
    expect(() => inference.predictBatch(new Float32Array(0))).toThrow(/count × 784 pixels/);
    expect(() => inference.predictLogits(images.subarray(0, 784), new Float32Array(9))).toThrow(/out/);
  });

  it('rejects weights that do not fit the spec', () => {
    const bad = { spec: model.spec, weights: model.weights.slice(1) };
    expect(() => createInference(bad)).toThrow(InvalidOptionError);
    const wrongShape = { spec: model.spec, weights: model.weights.map((w, i) => (i === 0 ? { ...w, shape: [5, 5, 16, 1] } : w)) };
    expect(() => createInference(wrongShape)).toThrow(/model.weights\[0\].*shape \[5, 5, 1, 16\]/);
  });
});

describe('softmaxInto', () => {
  it('does not overflow on huge logits and keeps order', () => {
    const p = new Float32Array(3);
    softmaxInto(new Float32Array([1000, 999, -1000]), 0, 3, p, 0);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(p[2]).toBe(0);
    expect(Number.isFinite(p[0] + p[1] + p[2])).toBe(true);
  });

  it('propagates NaN', () => {
    const p = new Float32Array(2);
    softmaxInto(new Float32Array([NaN, 1]), 0, 2, p, 0);
    expect(Number.isNaN(p[0]) && Number.isNaN(p[1])).toBe(true);
  });

  it('is the same function as softmax: +Infinity shares the mass, -Infinity gets 0 (the old copies gave NaN)', () => {
    for (const row of [[Infinity, 0, 1], [Infinity, Infinity, -5], [-Infinity, 0, 0], [1e30, -1e30, 0], [-Infinity, -Infinity, -Infinity]]) {
      const p = new Float32Array(3);
      softmaxInto(new Float32Array(row), 0, 3, p, 0);
      expect(Array.from(p), row.join(', ')).toEqual(Array.from(softmax(row, 3)));
    }
    const p = new Float32Array(3);
    softmaxInto(new Float32Array([Infinity, 0, Infinity]), 0, 3, p, 0);
    expect(Array.from(p)).toEqual([0.5, 0, 0.5]);
  });
});
