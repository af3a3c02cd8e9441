/**
 * Would the "not a digit" score separate a new hand's letters from its digits
 * better if it looked at the drawing more than once, or at the model's
 * features? Compares, on development fonts only (never the held-out ones),
 * a model's own score (log-odds of 1 − P(not a digit)) with:
 *
 * - test-time transforms: the mean or the minimum of the own log-odds over
 *   the drawing and copies of it moved one pixel (4 ways), turned ±10°, or
 *   scaled 0.9 / 1.1 about its centre of mass;
 * - the own log-odds minus α × the Mahalanobis distance of the features
 *   before the last dense layer to the nearest digit's mean (class means and
 *   a shared covariance fitted on MNIST train 0–19,999), scaled by √width.
 *
 * The fonts are the 29 `hard` ones of bench/non-digit-sets.ts (digits as hard
 * as the held-out fonts'), none of which the shipped models saw, split into
 * the halves `hard-a` and `hard-b`. Each score's threshold is chosen as the
 * shipped one is (bench/calibrate-non-digit.ts: ≤ 1 % of each digit set, 95 %
 * confidence) on its usual sets plus one half's digits (30 of each digit a
 * font); the other half's letters (33 × 2 a font) and digits flagged at it
 * are the figures, both ways round. "At 1 %": each half's letters flagged at
 * the score that flags exactly 1 % of its own digits (the separation itself,
 * free of how well a threshold carries over).
 *
 *   node bench/build.mjs bench/score-variants.ts cnn [mlp] [DIR…] [--no-mahalanobis]
 *
 * A model tuned on some of those fonts (scripts/tune-non-digit-head.ts
 * `--letter-fonts more` without `--validate hard`) cannot be judged here.
 * Measured (docs/not-a-digit-tries.md): the shifts add about a
 * point at 1 %, within the noise of ~950 letters a half; the distance adds nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { subsetMnist } from '../src/data/mnist-set.js';
import { generateNonDigits } from '../src/data/non-digits/generate-non-digits.js';
import { createInference } from '../src/inference/create-inference.js';
import { unitPixels } from '../src/inference/prediction.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { Network } from '../src/models/network.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { headOf } from '../src/train/adapt-head.js';
import { fontDigits, fontLetters, namedFonts, thresholdSets } from './non-digit-sets.js';

const DEG = Math.PI / 180;
/** Name, shift x, shift y (pixels), turn (radians), scale. The first is the drawing itself. */
const TRANSFORMS: readonly [string, number, number, number, number][] = [
  ['as drawn', 0, 0, 0, 1], ['x+1', 1, 0, 0, 1], ['x−1', -1, 0, 0, 1], ['y+1', 0, 1, 0, 1], ['y−1', 0, -1, 0, 1],
  ['+10°', 0, 0, 10 * DEG, 1], ['−10°', 0, 0, -10 * DEG, 1], ['×0.9', 0, 0, 0, 0.9], ['×1.1', 0, 0, 0, 1.1],
];
const GROUPS: readonly [string, number[]][] = [
  ['one-pixel shifts (5)', [0, 1, 2, 3, 4]], ['turns ±10° (3)', [0, 5, 6]], ['scales 0.9, 1.1 (3)', [0, 7, 8]], ['all 9', [0, 1, 2, 3, 4, 5, 6, 7, 8]],
];

/** `src` (28×28, [0, 1]) moved, turned and scaled about its centre of mass, bilinear. */
function transformed(src: Float32Array, dx: number, dy: number, angle: number, scale: number): Float32Array {
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) { const v = src[y * 28 + x]; mass += v; cx += v * x; cy += v * y; }
  [cx, cy] = mass > 0 ? [cx / mass, cy / mass] : [13.5, 13.5];
  const out = new Float32Array(784);
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : src[y * 28 + x]);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const [u, w] = [(x - cx - dx) / scale, (y - cy - dy) / scale];
    const [sx, sy] = [c * u + s * w + cx, -s * u + c * w + cy];
    const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
    const [fx, fy] = [sx - x0, sy - y0];
    out[y * 28 + x] = (1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0) + (1 - fx) * fy * at(x0, y0 + 1) + fx * fy * at(x0 + 1, y0 + 1);
  }
  return out;
}

const oddsOf = (z: Float32Array) => {
  let max = -Infinity;
  for (let c = 0; c < 10; c++) max = Math.max(max, z[c]);
  let sum = 0;
  for (let c = 0; c < 10; c++) sum += Math.exp(z[c] - max);
  return max + Math.log(sum) - z[10];
};

await useNodeBackend('wasm');
const withDistance = !process.argv.includes('--no-mahalanobis');
const models = process.argv.slice(2).filter((x) => !x.startsWith('--'));
const { train } = await loadMnist({ split: 'train' });
const [a, b] = [namedFonts('hard-a', 'hard-a'), namedFonts('hard-b', 'hard-b')];
const sets = [
  ...thresholdSets(train!, 2000), fontDigits(a, 30, 'hard-a digits'), fontDigits(b, 30, 'hard-b digits'),
  fontLetters(a, 2, 'hard-a letters'), fontLetters(b, 2, 'hard-b letters'), { name: 'synthetic (seed 777,777)', images: generateNonDigits(2000, { seed: 777_777 }).images },
].map((s) => unitPixels(s.images, s.name).values);

for (const arg of models.length > 0 ? models : ['cnn']) {
  const { weights, label } = await loadModelArg(arg);
  if (weights.spec.layers.at(-1)?.kind !== 'dense' || weights.spec.nonDigit === undefined) throw new Error(`${label}: needs a model with the "not a digit" output`);
  const inference = createInference(weights);
  const t0 = performance.now();
  // odds[set][transform][image]
  const odds = sets.map((images) => {
    const n = images.length / 784;
    const z = new Float32Array(11);
    const perTransform = TRANSFORMS.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const image = images.subarray(i * 784, (i + 1) * 784);
      TRANSFORMS.forEach(([, dx, dy, angle, scale], k) => (perTransform[k][i] = oddsOf(inference.predictLogits(k === 0 ? image : transformed(image, dx, dy, angle, scale), z))));
    }
    return perTransform;
  });
  const distances = withDistance ? await mahalanobis(weights, sets) : undefined;
  console.log(`${label}: scored in ${((performance.now() - t0) / 1000).toFixed(0)} s. Halves of the 29 hard fonts: the threshold chosen with one half's digits, the other's flagged`);
  console.log(`  ${'score'.padEnd(44)}${['letters B', 'digits B', 'letters A', 'digits A', 'at 1 %: A', 'at 1 %: B', 'synthetic'].map((h) => h.padStart(11)).join('')}`);
  const row = (name: string, score: (set: number, i: number) => number) => {
    const unit = sets.map((images, s) => Float64Array.from({ length: images.length / 784 }, (_, i) => 1 / (1 + Math.exp(-score(s, i)))));
    const [val, pad, dev, digitsA, digitsB, lettersA, lettersB, synthetic] = unit;
    const [tA, tB] = [chooseDigitThreshold([val, pad, dev, digitsA], 0.01, 0.95), chooseDigitThreshold([val, pad, dev, digitsB], 0.01, 0.95)];
    const exactly1 = (d: Float64Array) => Float64Array.from(d).sort()[Math.floor(d.length * 0.01)];
    const shares = [flaggedShare(lettersB, tA), flaggedShare(digitsB, tA), flaggedShare(lettersA, tB), flaggedShare(digitsA, tB),
      flaggedShare(lettersA, exactly1(digitsA)), flaggedShare(lettersB, exactly1(digitsB)), flaggedShare(synthetic, tA)];
    console.log(`  ${name.padEnd(44)}${shares.map((x) => `${(x * 100).toFixed(1)}%`.padStart(11)).join('')}`);
  };
  row('own score', (s, i) => odds[s][0][i]);
  for (const [name, ks] of GROUPS) {
    row(`mean over ${name}`, (s, i) => ks.reduce((sum, k) => sum + odds[s][k][i], 0) / ks.length);
    row(`min over ${name}`, (s, i) => Math.min(...ks.map((k) => odds[s][k][i])));
  }
  if (distances) for (const alpha of [0.02, 0.05, 0.1, 0.2, 0.5]) row(`own − ${alpha} × Mahalanobis`, (s, i) => odds[s][0][i] - alpha * distances[s][i]);
}

/**
 * Per set, the Mahalanobis distance of each image's features before the last dense layer to the
 * nearest digit's mean (shared covariance, fitted on MNIST train 0–19,999), less its median on
 * MNIST train 55,000–59,999, over √width.
 */
async function mahalanobis(weights: Parameters<typeof Network.fromWeights>[0], images: Float32Array[]): Promise<Float64Array[]> {
  const net = Network.fromWeights(weights);
  try {
    const last = headOf(net).dense.at(-1)!;
    const upTo = net.spec.layers.findIndex((_, i) => net.paramIndexOf(i) === last.param);
    const { mean, std } = net.spec.normalization;
    const features = (x: Float32Array) => {
      const h = tf.tidy(() => tf.reshape(net.forwardLayers(tf.div(tf.sub(tf.tensor2d(x, [x.length / 784, 784]), mean), std) as tf.Tensor2D, upTo), [x.length / 784, -1]));
      const out = { values: h.dataSync() as Float32Array, width: h.shape[1]! };
      h.dispose();
      return out;
    };
    const fit = subsetMnist(train!, 0, 20000);
    const { values: f, width: d } = features(unitPixels(fit.images, 'MNIST train 0–19,999').values);
    const means = Array.from({ length: 10 }, () => new Float64Array(d));
    const counts = new Float64Array(10);
    for (let i = 0; i < fit.count; i++) { counts[fit.labels[i]]++; for (let j = 0; j < d; j++) means[fit.labels[i]][j] += f[i * d + j]; }
    means.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));
    const cov = new Float64Array(d * d);
    const v = new Float64Array(d);
    for (let i = 0; i < fit.count; i++) {
      for (let j = 0; j < d; j++) v[j] = f[i * d + j] - means[fit.labels[i]][j];
      for (let p = 0; p < d; p++) if (v[p] !== 0) for (let q = 0; q < d; q++) cov[p * d + q] += v[p] * v[q];
    }
    let trace = 0;
    for (let p = 0; p < d; p++) trace += cov[p * d + p] / fit.count;
    for (let p = 0; p < d * d; p++) cov[p] /= fit.count;
    for (let p = 0; p < d; p++) cov[p * d + p] += (1e-3 * trace) / d; // ridge: some ReLU features never fire
    const chol = new Float64Array(d * d); // cov = L Lᵀ
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) {
      let s = cov[i * d + j];
      for (let k = 0; k < j; k++) s -= chol[i * d + k] * chol[j * d + k];
      chol[i * d + j] = i === j ? Math.sqrt(s) : s / chol[j * d + j];
    }
    const y = new Float64Array(d);
    const distanceTo = (h: Float32Array, m: Float64Array) => {
      let r = 0;
      for (let i = 0; i < d; i++) {
        let s = h[i] - m[i];
        for (let k = 0; k < i; k++) s -= chol[i * d + k] * y[k];
        y[i] = s / chol[i * d + i];
        r += y[i] * y[i];
      }
      return r;
    };
    const raw = images.map((x) => {
      const { values } = features(x);
      return Float64Array.from({ length: values.length / d }, (_, i) => Math.min(...means.map((m) => distanceTo(values.subarray(i * d, (i + 1) * d), m))));
    });
    const median = Float64Array.from(raw[0]).sort()[Math.floor(raw[0].length / 2)];
    return raw.map((r) => r.map((x) => (x - median) / Math.sqrt(d)));
  } finally {
    net.dispose();
  }
}
