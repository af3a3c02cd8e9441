/**
 * The fine-tuning behind `Trainer.adapt`: the trailing dense layers of a
 * network (the "head": all of an MLP, the two dense layers of the CNN) are
 * tuned on a few drawings of one person, rehearsing MNIST digits at the same
 * time so that nothing is forgotten, while whatever comes before them (the
 * CNN's convolutions) stays frozen. Frozen layers run once per image, not once
 * per step: their features for every augmented drawing and every rehearsed
 * digit are computed up front, and each step costs only the head's matmuls.
 */
import * as tf from '@tensorflow/tfjs-core';
import { augmentDigit, type AugmentOptions } from '../data/augment.js';
import { normalizationTable } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import { permutation } from '../data/permutation.js';
import type { Rng } from '../data/rng.js';
import { TrainingDivergedError } from '../errors.js';
import { argmaxRow } from '../metrics/argmax.js';
import { softmax } from '../metrics/softmax.js';
import { matMulTA, matMulTB } from '../models/layer-grads.js';
import type { Network } from '../models/network.js';
import { NON_DIGIT_CLASS } from '../models/non-digit-output.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { ADAPT_DEFAULTS, type AdaptSettings } from './adapt-types.js';
import { createOptimizer } from './optimizer.js';

/** A drawing's copies vary as one person's repeated drawings do: less than `fit`'s augmentation of many writers. */
export const ADAPT_AUGMENT: Readonly<AugmentOptions> = Object.freeze({
  maxRotationDeg: 10, minScale: 0.9, maxScale: 1.1, maxAspect: 0.08, maxShear: 0.15, maxShift: 1.5,
  thickenProbability: 0.3, thinProbability: 0.2,
});

/** Images a forward pass of the frozen trunk takes at once. */
const CHUNK = 256;

/** The training set of one adaptation, as pixels: the person's drawings (with copies) and the rehearsed digits. */
export interface AdaptPool {
  /** `count × 784` bytes: drawings first (originals, then copies), then replay. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Drawings and their copies (the first `own` of the pool); the rest is rehearsed. */
  own: number;
  /** The originals (the first `originals` of the pool). */
  originals: number;
  count: number;
}

/** The head: layers `from` to the end, each dense layer with its parameters. */
export interface Head {
  from: number;
  dense: { param: number; relu: boolean; name: string }[];
}

/** The learning rate asked for, else the default for a head over a frozen trunk or for a network tuned whole. */
export function adaptLearningRate(head: Head, s: AdaptSettings): number {
  return s.learningRate ?? (head.from === 0 ? ADAPT_DEFAULTS.learningRateAllLayers : ADAPT_DEFAULTS.learningRate);
}

/** The trailing run of dense (and dropout) layers of `net`. */
export function headOf(net: Network): Head {
  const layers = net.spec.layers;
  let from = layers.length;
  while (from > 0 && (layers[from - 1].kind === 'dense' || layers[from - 1].kind === 'dropout')) from--;
  const dense: Head['dense'] = [];
  let n = layers.slice(0, from).filter((l) => l.kind === 'dense').length;
  for (let i = from; i < layers.length; i++) {
    const l = layers[i];
    if (l.kind === 'dense') dense.push({ param: net.paramIndexOf(i), relu: l.activation === 'relu', name: `dense_${++n}` });
  }
  return { from, dense };
}

/**
 * The drawings (as bytes), `copies` augmented copies of each, `replayCount`
 * digits sampled from `replay`, then `negatives` (non-digits, for a model with
 * the "not a digit" output), rehearsed like the digits.
 */
export function buildPool(images: Float32Array, labels: Uint8Array, replay: MnistSet | undefined, s: AdaptSettings, rng: Rng, negatives?: Uint8Array): AdaptPool {
  const n = labels.length;
  const own = n * (1 + s.copies);
  const rehearse = replay ? Math.min(s.replayCount, replay.count) : 0;
  const extra = negatives ? negatives.length / 784 : 0;
  const count = own + rehearse + extra;
  const pixels = new Uint8Array(count * 784);
  const out = new Uint8Array(count);
  for (let i = 0; i < n * 784; i++) pixels[i] = Math.round(images[i] * 255);
  out.set(labels);
  for (let c = 0; c < s.copies; c++) {
    for (let i = 0; i < n; i++) {
      const k = n * (1 + c) + i;
      augmentDigit(pixels.subarray(i * 784, (i + 1) * 784), pixels.subarray(k * 784, (k + 1) * 784), rng, ADAPT_AUGMENT);
      out[k] = labels[i];
    }
  }
  if (replay && rehearse > 0) {
    const order = permutation(replay.count, rng);
    for (let r = 0; r < rehearse; r++) {
      const j = order[r];
      pixels.set(replay.images.subarray(j * 784, (j + 1) * 784), (own + r) * 784);
      out[own + r] = replay.labels[j];
    }
  }
  if (negatives) {
    pixels.set(negatives, (own + rehearse) * 784);
    out.fill(NON_DIGIT_CLASS, own + rehearse);
  }
  return { pixels, labels: out, own, originals: n, count };
}

/**
 * The frozen trunk's output (flattened) for every image of the pool, in
 * chunks with `checkpoint` between them. Returns `count × width` floats.
 */
export async function trunkFeatures(net: Network, head: Head, pool: AdaptPool, checkpoint: () => Promise<void>): Promise<{ features: Float32Array; width: number }> {
  const lut = normalizationTable(net.spec.normalization);
  let features = new Float32Array(0);
  let width = 0;
  for (let start = 0; start < pool.count; start += CHUNK) {
    await checkpoint();
    const size = Math.min(CHUNK, pool.count - start);
    const x = new Float32Array(size * 784);
    for (let i = 0; i < x.length; i++) x[i] = lut[pool.pixels[start * 784 + i]];
    const h = tf.tidy(() => tf.reshape(net.forwardLayers(tf.tensor2d(x, [size, 784]), head.from), [size, -1]));
    if (start === 0) {
      width = h.shape[1]!;
      features = new Float32Array(pool.count * width);
    }
    features.set((await h.data()) as Float32Array, start * width);
    h.dispose();
    await yieldToEventLoop();
  }
  return { features, width };
}

/** Hooks of {@link tuneHead}: cancellation and progress. */
export interface TuneHooks {
  checkpoint: (step: number) => Promise<void>;
  onStep: (step: number, loss: number) => void;
}

/**
 * Tunes copies of the head's weights with Adam on batches of the person's
 * drawings (with copies; `s.ownShare` of each batch) and rehearsed digits
 * (the rest, distilled at `s.temperature`), and returns the
 * tuned values (kernel, bias per dense layer) and the last loss. The network
 * itself is not touched; every tensor made here is released.
 */
export async function tuneHead(net: Network, head: Head, pool: AdaptPool, feats: { features: Float32Array; width: number }, s: AdaptSettings, rng: Rng, hooks: TuneHooks): Promise<{ values: Float32Array[]; loss: number }> {
  const classes = net.params[head.dense[head.dense.length - 1].param].shape[1]!;
  // What the model said of each rehearsed image before adapting, softened by the temperature: the target it is held to.
  const rehearsedTargets = softmax(await headLogits(net, head, feats, pool.own, pool.count - pool.own), classes, s.temperature);
  // tidy releases the clones; the variables (which share their data) stay.
  const vars = tf.tidy(() => head.dense.flatMap((d) => [tf.variable(net.params[d.param].clone(), true), tf.variable(net.params[d.param + 1].clone(), true)]));
  const optimizer = createOptimizer({ name: 'adam', learningRate: adaptLearningRate(head, s) });
  const { features, width } = feats;
  const rehearsed = pool.count - pool.own;
  const batch = Math.min(s.batchSize, pool.count);
  const ownShare = rehearsed > 0 ? Math.ceil(batch * s.ownShare) : batch;
  const x = new Float32Array(batch * width);
  const targets = new Float32Array(batch * classes);
  const grad = new Float32Array(batch * classes);
  const temperatures = new Float32Array(batch);
  const decay = vars.map(() => false);
  let loss = NaN;
  try {
    for (let step = 1; step <= s.steps; step++) {
      await hooks.checkpoint(step);
      for (let r = 0; r < batch; r++) {
        const k = r < ownShare ? rng.int(pool.own) : pool.own + rng.int(rehearsed);
        x.set(features.subarray(k * width, (k + 1) * width), r * width);
        temperatures[r] = k < pool.own ? 1 : s.temperature;
        if (k < pool.own) {
          targets.fill(0, r * classes, (r + 1) * classes);
          targets[r * classes + pool.labels[k]] = 1;
        } else {
          targets.set(rehearsedTargets.subarray((k - pool.own) * classes, (k - pool.own + 1) * classes), r * classes);
        }
      }
      // One engine scope spans the download of the logits (async, so WebGPU need not block).
      const engine = tf.engine();
      engine.startScope();
      try {
        // Forward through the head, keeping each layer's input and output.
        const inputs: tf.Tensor2D[] = [];
        const outputs: tf.Tensor2D[] = [];
        let h = tf.tensor2d(x, [batch, width]);
        head.dense.forEach((d, i) => {
          inputs.push(h);
          h = tf.add(tf.matMul(h, vars[2 * i] as tf.Tensor2D), vars[2 * i + 1]);
          if (d.relu) h = tf.relu(h);
          outputs.push(h);
        });
        loss = softTargetCrossEntropy(await h.data(), targets, batch, classes, grad, temperatures);
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(`Adaptation diverged at step ${step}: the loss is ${loss}; the model stays as it was`);
        // Backward, last layer first.
        const grads: tf.Tensor[] = new Array(vars.length);
        let dy: tf.Tensor2D = tf.tensor2d(grad, [batch, classes]);
        for (let i = head.dense.length - 1; i >= 0; i--) {
          if (head.dense[i].relu) dy = tf.mul(dy, tf.step(outputs[i]));
          grads[2 * i] = matMulTA(inputs[i], dy);
          grads[2 * i + 1] = tf.sum(dy, 0);
          if (i > 0) dy = matMulTB(dy, vars[2 * i] as tf.Tensor2D);
        }
        optimizer.apply(vars, grads, decay);
      } finally {
        engine.endScope();
      }
      hooks.onStep(step, loss);
    }
    const values = await Promise.all(vars.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
    return { values, loss };
  } finally {
    optimizer.dispose();
    for (const v of vars) v.dispose();
  }
}

/**
 * The head's logits (with `values`, or the network's own weights) for pool
 * images `start .. start + count`, from their features.
 */
export async function headLogits(net: Network, head: Head, feats: { features: Float32Array; width: number }, start: number, count: number, values?: Float32Array[]): Promise<Float32Array> {
  const logits = tf.tidy(() => {
    let h: tf.Tensor2D = tf.tensor2d(feats.features.subarray(start * feats.width, (start + count) * feats.width), [count, feats.width]);
    head.dense.forEach((d, i) => {
      const k = values ? tf.tensor(values[2 * i], net.params[d.param].shape) : net.params[d.param];
      const b = values ? tf.tensor(values[2 * i + 1], net.params[d.param + 1].shape) : net.params[d.param + 1];
      h = tf.add(tf.matMul(h, k as tf.Tensor2D), b);
      if (d.relu) h = tf.relu(h);
    });
    return h;
  });
  const z = (await logits.data()) as Float32Array;
  logits.dispose();
  return z;
}

/** Fraction of the pool's originals that the head with `values` (or the network's own) reads as their digit. */
export async function originalsAccuracy(net: Network, head: Head, pool: AdaptPool, feats: { features: Float32Array; width: number }, values?: Float32Array[]): Promise<number> {
  const n = pool.originals;
  const z = await headLogits(net, head, feats, 0, n, values);
  const classes = z.length / n;
  let right = 0;
  // The digit read is the largest of the 10 digit logits (the "not a digit" logit, if any, is not a digit).
  for (let i = 0; i < n; i++) if (argmaxRow(z, i * classes, Math.min(10, classes)) === pool.labels[i]) right++;
  return right / n;
}

/**
 * Cross-entropy against target distributions (one-hot for the person's
 * drawings, the model's own earlier softmax for rehearsed images: learning
 * without forgetting), each row at its temperature `T` (default 1): the row's
 * loss is `T² · CE(q, softmax(z / T))` and `T · (softmax(z / T) − q) / batch`
 * goes into `grad` (Hinton et al.'s distillation: a softened target carries
 * how the model ranked the other digits, not only which one won, and `T²`
 * keeps the row's weight as at `T = 1`).
 *
 * @example
 * ```ts
 * const grad = new Float32Array(2 * 11);
 * const loss = softTargetCrossEntropy(logits, targets, 2, 11, grad, Float32Array.of(1, 2)); // a drawing, then a rehearsed digit at T = 2
 * ```
 */
export function softTargetCrossEntropy(logits: ArrayLike<number>, targets: Float32Array, batch: number, classes: number, grad: Float32Array, temperatures?: Float32Array): number {
  let total = 0;
  for (let r = 0; r < batch; r++) {
    const o = r * classes;
    const t = temperatures?.[r] ?? 1;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c] / t);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c] / t - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < classes; c++) {
      const q = targets[o + c];
      if (q > 0) total -= t * t * q * (logits[o + c] / t - lse);
      grad[o + c] = (t * (Math.exp(logits[o + c] / t - lse) - q)) / batch;
    }
  }
  return total / batch;
}
