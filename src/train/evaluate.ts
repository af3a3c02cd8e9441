import * as tf from '@tensorflow/tfjs-core';
import { BatchBuilder } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import { confusionMatrix } from '../metrics/confusion-matrix.js';
import type { Network } from '../models/network.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** Held-out results of a network on a labelled set. */
export interface Evaluation {
  /** Fraction of `set` predicted correctly: held-out accuracy, never train accuracy. */
  accuracy: number;
  /** Mean cross-entropy on the set. */
  loss: number;
  /** Rows true label, columns predicted. */
  confusion: number[][];
  /** `[count, 10]` raw logits, for calibration and temperature scaling. */
  logits: Float32Array;
  predictions: Int32Array;
  count: number;
}

/**
 * Runs `net` over every example of `set` in chunks (no dropout) and scores it.
 * `checkpoint`, when given, runs between chunks (after a turn of the event
 * loop) and may throw to stop the evaluation, as a trainer's abort does.
 *
 * @example
 * ```ts
 * const { accuracy, confusion } = await evaluateNetwork(net, test);
 * ```
 */
export async function evaluateNetwork(net: Network, set: MnistSet, chunk = 1000, checkpoint?: () => Promise<void>): Promise<Evaluation> {
  const builder = new BatchBuilder(Math.min(chunk, Math.max(1, set.count)), net.spec.normalization, false);
  const logits = new Float32Array(set.count * 10);
  for (let start = 0; start < set.count; start += chunk) {
    // Between chunks: let an abort, a pause or a dispose in (it throws to stop here).
    if (checkpoint && start > 0) {
      await yieldToEventLoop();
      await checkpoint();
    }
    const size = Math.min(chunk, set.count - start);
    const batch = builder.fill(set.images, set.labels, null, start, size);
    const z = tf.tidy(() => net.forward(tf.tensor2d(batch.x, [size, 784]), false).logits);
    logits.set(await z.data(), start * 10);
    z.dispose();
  }
  const predictions = new Int32Array(set.count);
  let correct = 0;
  for (let i = 0; i < set.count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
    predictions[i] = best;
    if (best === set.labels[i]) correct++;
  }
  const loss = set.count > 0 ? softmaxCrossEntropy(logits, set.labels, set.count, 10) : NaN;
  return {
    accuracy: set.count > 0 ? correct / set.count : NaN,
    loss,
    confusion: confusionMatrix(set.labels, predictions, 10),
    logits,
    predictions,
    count: set.count,
  };
}
