/**
 * The report card's numbers, computed on the page from one held-out
 * evaluation (predictions and logits of the test set): which test images sit
 * behind a cell of the confusion matrix, the top confusion pairs with
 * examples and the answer to the lesson's question. Pure functions, no DOM.
 * (Calibration is in `calibration-report.ts`, run in the helper worker.)
 */
import { topConfusionPairs, type ConfusionPair } from '../../src/metrics/confusion-pairs.js';

/** What the report needs of an evaluation (the worker's `Evaluation`). */
export interface EvaluationLike {
  readonly accuracy: number;
  readonly confusion: readonly (readonly number[])[];
  /** `[count, 10]` logits. */
  readonly logits: Float32Array;
  readonly predictions: Int32Array;
  readonly count: number;
}

/** The lesson's "stubborn hot cells" on MNIST. */
export const LESSON_PAIRS: readonly (readonly [number, number])[] = [
  [4, 9],
  [3, 5],
  [2, 7],
];

/**
 * Indices of the test images of true class `actual` predicted as `predicted`,
 * in test-set order, at most `limit`.
 */
export function cellExamples(labels: ArrayLike<number>, predictions: ArrayLike<number>, actual: number, predicted: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < predictions.length && out.length < limit; i++) {
    if (labels[i] === actual && predictions[i] === predicted) out.push(i);
  }
  return out;
}

/** A top pair with example mistakes in each direction. */
export interface PairExamples {
  readonly pair: ConfusionPair;
  /** True `a` read as `b`. */
  readonly aAsB: number[];
  /** True `b` read as `a`. */
  readonly bAsA: number[];
}

/** The `k` most confused pairs, each with up to `perDirection` example images per direction. */
export function topPairExamples(confusion: readonly (readonly number[])[], labels: ArrayLike<number>, predictions: ArrayLike<number>, k = 3, perDirection = 6): PairExamples[] {
  return topConfusionPairs(confusion, k).map((pair) => ({
    pair,
    aAsB: cellExamples(labels, predictions, pair.a, pair.b, perDirection),
    bAsA: cellExamples(labels, predictions, pair.b, pair.a, perDirection),
  }));
}

/** The answer to "are the top pairs 4↔9, 3↔5, 7↔2?" for one run. */
export interface LessonAnswer {
  readonly verdict: 'yes' | 'partly' | 'no';
  /** One or two sentences, from the run's own numbers. */
  readonly text: string;
}

const pairName = (a: number, b: number): string => `${Math.min(a, b)}↔${Math.max(a, b)}`;

/**
 * Compares this run's top three pairs (both directions summed) with the
 * lesson's, as sets: order within the top three does not matter.
 */
export function lessonAnswer(confusion: readonly (readonly number[])[]): LessonAnswer {
  const all = topConfusionPairs(confusion, Infinity);
  const top = all.slice(0, 3);
  if (top.length === 0) return { verdict: 'no', text: 'No mistakes at all on this test set: there are no confused pairs to compare.' };
  const key = (p: { a: number; b: number }) => pairName(p.a, p.b);
  const lesson = LESSON_PAIRS.map(([a, b]) => pairName(a, b));
  const topKeys = top.map(key);
  const hits = lesson.filter((name) => topKeys.includes(name));
  const list = top.map((p) => `${key(p)} (${p.count})`).join(', ');
  const rankOf = (name: string) => {
    const i = all.findIndex((p) => key(p) === name);
    return i < 0 ? 'never confused' : `${ordinal(i + 1)} with ${all[i].count}`;
  };
  const misses = lesson.filter((name) => !topKeys.includes(name)).map((name) => `${name} ranks ${rankOf(name)}`);
  if (hits.length === 3) return { verdict: 'yes', text: `Yes: this run's top three pairs are ${list}, exactly the lesson's.` };
  const verdict = hits.length === 0 ? 'no' : 'partly';
  const lead = hits.length === 0 ? 'No' : `Partly: ${hits.join(' and ')} ${hits.length === 1 ? 'is' : 'are'} in the top three`;
  return { verdict, text: `${lead}. This run's top three are ${list}; ${misses.join(', ')}.` };
}

/** The probability the model gave its prediction for image `index`. */
export function confidenceOf(logits: Float32Array, index: number, predicted: number): number {
  const row = logits.subarray(index * 10, index * 10 + 10);
  let max = -Infinity;
  for (const z of row) max = Math.max(max, z);
  let sum = 0;
  for (const z of row) sum += Math.exp(z - max);
  return Math.exp(row[predicted] - max) / sum;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
