/**
 * The most confused classes in a confusion matrix: the "stubborn hot cells"
 * (4↔9, 3↔5, 7↔2 on MNIST) worth looking at first.
 */
import { InvalidOptionError } from '../errors.js';
import { assertConfusionMatrix } from './confusion-matrix.js';

/** An unordered pair of classes `a < b` and how often they were mistaken for each other. */
export interface ConfusionPair {
  /** The smaller class index. */
  readonly a: number;
  /** The larger class index. */
  readonly b: number;
  /** Total confusions both ways: `aAsB + bAsA`. */
  readonly count: number;
  /** True `a` predicted as `b`: `matrix[a][b]`. */
  readonly aAsB: number;
  /** True `b` predicted as `a`: `matrix[b][a]`. */
  readonly bAsA: number;
}

/** One directed off-diagonal cell: true `actual` predicted as `predicted`. */
export interface DirectedConfusion {
  readonly actual: number;
  readonly predicted: number;
  readonly count: number;
}

function checkK(k: number): void {
  if (!(k === Infinity || (Number.isInteger(k) && k >= 0))) {
    throw new InvalidOptionError(`Expected k to be a non-negative integer or Infinity, got ${k}`);
  }
}

/**
 * The `k` class pairs confused most often in either direction, counting
 * `matrix[a][b] + matrix[b][a]`. Sorted by count (descending), then by `a`,
 * then by `b`, so ties always come out in the same order. Pairs never
 * confused (count 0) are left out, so fewer than `k` may come back.
 *
 * @example
 * ```ts
 * topConfusionPairs(confusionMatrix(labels, predicted), 3);
 * // [{ a: 4, b: 9, count: 23, aAsB: 15, bAsA: 8 }, { a: 3, b: 5, … }, …]
 * ```
 */
export function topConfusionPairs(matrix: readonly (readonly number[])[], k = 3): ConfusionPair[] {
  const n = assertConfusionMatrix(matrix);
  checkK(k);
  const pairs: ConfusionPair[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const aAsB = matrix[a][b];
      const bAsA = matrix[b][a];
      if (aAsB + bAsA > 0) pairs.push({ a, b, count: aAsB + bAsA, aAsB, bAsA });
    }
  }
  pairs.sort((p, q) => q.count - p.count || p.a - q.a || p.b - q.b);
  return pairs.slice(0, k);
}

/**
 * The `k` largest directed off-diagonal cells (true → predicted), sorted by
 * count descending, then `actual`, then `predicted`; zero cells left out.
 *
 * @example
 * ```ts
 * topConfusions(matrix, 1); // [{ actual: 4, predicted: 9, count: 15 }]
 * ```
 */
export function topConfusions(matrix: readonly (readonly number[])[], k = 3): DirectedConfusion[] {
  const n = assertConfusionMatrix(matrix);
  checkK(k);
  const cells: DirectedConfusion[] = [];
  for (let actual = 0; actual < n; actual++) {
    for (let predicted = 0; predicted < n; predicted++) {
      const count = matrix[actual][predicted];
      if (actual !== predicted && count > 0) cells.push({ actual, predicted, count });
    }
  }
  cells.sort((p, q) => q.count - p.count || p.actual - q.actual || p.predicted - q.predicted);
  return cells.slice(0, k);
}

/**
 * A one-line human summary of a pair, for logs and the CLI report.
 *
 * @example
 * ```ts
 * formatPair({ a: 4, b: 9, count: 23, aAsB: 15, bAsA: 8 }); // "4↔9 (23: 4→9 ×15, 9→4 ×8)"
 * ```
 */
export function formatPair(pair: ConfusionPair): string {
  const { a, b, count, aAsB, bAsA } = pair;
  return `${a}↔${b} (${count}: ${a}→${b} ×${aAsB}, ${b}→${a} ×${bAsA})`;
}

/**
 * A one-line summary of a directed confusion.
 *
 * @example
 * ```ts
 * formatConfusion({ actual: 7, predicted: 2, count: 6 }); // "7→2 ×6"
 * ```
 */
export function formatConfusion(confusion: DirectedConfusion): string {
  return `${confusion.actual}→${confusion.predicted} ×${confusion.count}`;
}
