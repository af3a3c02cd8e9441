import * as tf from '@tensorflow/tfjs-core';
import { BatchBuilder } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import { confusionMatrix } from '../metrics/confusion-matrix.js';
import type { Network } from '../models/network.js';
import { digitScoreOfRow } from '../inference/prediction.js';
import { digitReading, PLAIN_READING, type DigitReading } from '../models/non-digit-output.js';
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
  /** `[count, 10]` raw digit logits, for calibration and temperature scaling (a "not a digit" logit is left out). */
  logits: Float32Array;
  /** `[count]` each example's `digitScore`, as `predict` reports it. */
  digitScores: Float32Array;
  /** Share of the set's digits flagged "not a digit" (`isDigit` false): what the threshold costs on real digits. */
  flaggedAsNonDigit: number;
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
  const reading = digitReading(net.spec);
  const logits = new Float32Array(set.count * reading.outputs);
  for (let start = 0; start < set.count; start += chunk) {
    // Between chunks: let an abort, a pause or a dispose in (it throws to stop here).
    if (checkpoint && start > 0) {
      await yieldToEventLoop();
      await checkpoint();
    }
    const size = Math.min(chunk, set.count - start);
    const batch = builder.fill(set.images, set.labels, null, start, size);
    const z = tf.tidy(() => net.forward(tf.tensor2d(batch.x, [size, 784]), false).logits);
    logits.set(await z.data(), start * reading.outputs);
    z.dispose();
  }
  return scoreLogits(logits, set, reading);
}

/**
 * Scores `[count, reading.outputs]` logits against `set`'s labels: accuracy,
 * mean cross-entropy over the digit logits, confusion matrix, digit scores
 * (for logits computed elsewhere, e.g. by the fused engine).
 */
export function scoreLogits(raw: Float32Array, set: MnistSet, reading: DigitReading = PLAIN_READING): Evaluation {
  const { outputs, threshold } = reading;
  const logits = outputs === 10 ? raw : new Float32Array(set.count * 10);
  const digitScores = new Float32Array(set.count);
  const probabilities = new Float32Array(10);
  const scratch = new Float32Array(outputs);
  let flagged = 0;
  for (let i = 0; i < set.count; i++) {
    if (outputs !== 10) logits.set(raw.subarray(i * outputs, i * outputs + 10), i * 10);
    digitScores[i] = digitScoreOfRow(raw, i * outputs, outputs, probabilities, scratch);
    if (!(digitScores[i] >= threshold)) flagged++;
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
    digitScores,
    flaggedAsNonDigit: set.count > 0 ? flagged / set.count : NaN,
    predictions,
    count: set.count,
  };
}
