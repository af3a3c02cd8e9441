/**
 * `Trainer.adapt`'s procedure, step by step (see `adapt-head.ts` for the
 * pieces): the person's drawings and their copies plus a sample of MNIST,
 * the frozen trunk's features for all of them, the head tuned on those, and
 * the tuned head written into the network only once every step has run, so
 * an abort or a failure leaves the model exactly as it was.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MnistSet } from '../data/mnist-set.js';
import { createRng } from '../data/rng.js';
import { generateNonDigits } from '../data/non-digits/generate-non-digits.js';
import type { Network } from '../models/network.js';
import { hasNonDigitOutput } from '../models/non-digit-output.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { buildPool, headOf, originalsAccuracy, trunkFeatures, tuneHead } from './adapt-head.js';
import type { AdaptProgress, AdaptResult, AdaptSettings } from './adapt-types.js';

/** Cancellation and progress of {@link adaptNetwork}. */
export interface AdaptHooks {
  /** Throws (an `AbortError`) to stop; `where` words the position. */
  checkpoint: (where: () => string) => Promise<void>;
  onProgress?: (progress: AdaptProgress) => void;
}

/**
 * Fine-tunes `net`'s head to `examples` (floats in [0, 1], labels 0–9),
 * rehearsing `replay`. Resolves with what it did; `net` holds the adapted
 * weights only if it resolves.
 *
 * @example
 * ```ts
 * const result = await adaptNetwork(net, { images, labels, count }, train, resolveAdaptOptions({}), { checkpoint: async () => {} });
 * ```
 */
export async function adaptNetwork(
  net: Network,
  examples: { images: Float32Array; labels: Uint8Array; count: number },
  replay: MnistSet | undefined,
  s: AdaptSettings,
  hooks: AdaptHooks,
): Promise<AdaptResult> {
  const t0 = performance.now();
  const rng = createRng(s.seed);
  const head = headOf(net);
  // 1. The drawings, their varied copies, the rehearsed MNIST digits and, for a
  //    model with the "not a digit" output, non-digits: the model is held to what
  //    it said of them before, so it keeps flagging them.
  const negatives = hasNonDigitOutput(net.spec) && s.nonDigitCount > 0 ? nonDigits(s.nonDigitCount, s.seed) : undefined;
  const pool = buildPool(examples.images, examples.labels, replay, s, rng, negatives);
  // 2. Features of the frozen trunk, once per image.
  let done = 0;
  const features = await trunkFeatures(net, head, pool, () => hooks.checkpoint(() => `while reading the drawings (${(done += 1)} of ${Math.ceil(pool.count / 256)} chunks)`));
  const before = await originalsAccuracy(net, head, pool, features);
  // 3. The head, tuned on copies of its weights.
  let lastYield = performance.now();
  const tuned = await tuneHead(net, head, pool, features, s, rng, {
    checkpoint: async (step) => {
      if (performance.now() - lastYield >= s.yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      await hooks.checkpoint(() => `at step ${step} of ${s.steps}`);
    },
    onStep: (step, loss) => hooks.onProgress?.({ step, steps: s.steps, loss }),
  });
  await hooks.checkpoint(() => `after step ${s.steps} of ${s.steps}, before the weights were written`);
  const after = await originalsAccuracy(net, head, pool, features, tuned.values);
  // 4. Into the network, all at once.
  tf.tidy(() => head.dense.forEach((d, i) => {
    net.params[d.param].assign(tf.tensor(tuned.values[2 * i], net.params[d.param].shape));
    net.params[d.param + 1].assign(tf.tensor(tuned.values[2 * i + 1], net.params[d.param + 1].shape));
  }));
  return {
    examples: examples.count,
    steps: s.steps,
    seconds: (performance.now() - t0) / 1000,
    replay: pool.count - pool.own - (negatives ? negatives.length / 784 : 0),
    nonDigits: negatives ? negatives.length / 784 : 0,
    loss: tuned.loss,
    examplesAccuracy: after,
    examplesAccuracyBefore: before,
    tuned: head.dense.flatMap((d) => [`${d.name}/kernel`, `${d.name}/bias`]),
  };
}

/** The last non-digits drawn (drawing them takes about a millisecond each): a second adaptation reuses them. */
let drawn: { key: string; images: Uint8Array } | null = null;

function nonDigits(count: number, seed: number): Uint8Array {
  const key = `${count}:${seed}`;
  if (drawn?.key !== key) drawn = { key, images: generateNonDigits(count, { seed }).images };
  return drawn.images;
}
