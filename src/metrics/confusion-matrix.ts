/**
 * The confusion matrix: the classifier's report card. Rows are true labels,
 * columns are predictions; the diagonal holds the hits and every off-diagonal
 * cell is one specific kind of mistake (4 read as 9, 3 read as 5, …).
 */
import { InvalidOptionError } from '../errors.js';

/**
 * Throws unless every value is an integer class in `[0, numClasses)`, naming
 * the index of the first bad value.
 * @internal
 */
export function assertClassIndices(values: ArrayLike<number>, name: string, numClasses: number): void {
  if (values == null || typeof values.length !== 'number') {
    throw new InvalidOptionError(`Expected ${name} to be an array or typed array, got ${String(values)}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new InvalidOptionError(`Expected ${name}[${i}] to be an integer class in [0, ${numClasses}), got ${v}`);
    }
  }
}

/**
 * Throws unless `matrix` is a non-empty square matrix of finite, non-negative
 * entries (counts, or normalised counts); returns its size.
 * @internal
 */
export function assertConfusionMatrix(matrix: readonly (readonly number[])[], name = 'matrix'): number {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    const got = Array.isArray(matrix) ? 'an empty array' : String(matrix);
    throw new InvalidOptionError(`Expected ${name} to be a non-empty square array of rows, got ${got}`);
  }
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (row == null || row.length !== n) {
      throw new InvalidOptionError(
        `Expected ${name} to be square (${n}×${n}), got row ${i} of length ${row == null ? String(row) : row.length}`,
      );
    }
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidOptionError(`Expected ${name}[${i}][${j}] to be a finite count >= 0, got ${v}`);
      }
    }
  }
  return n;
}

/**
 * Counts `(true label, predicted label)` pairs into a `numClasses × numClasses`
 * matrix: `matrix[t][p]` is how many examples of true class `t` were predicted
 * as `p`. Row sums are the class supports; column sums are how often each class
 * was predicted.
 *
 * @example
 * ```ts
 * const m = confusionMatrix([4, 4, 9], [4, 9, 9]);
 * m[4][9]; // 1 — one true 4 was read as a 9
 * m[9][4]; // 0
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses = 10,
): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new InvalidOptionError(`Expected numClasses to be a positive integer, got ${numClasses}`);
  }
  assertClassIndices(labels, 'labels', numClasses);
  assertClassIndices(predicted, 'predicted', numClasses);
  if (predicted.length !== labels.length) {
    throw new InvalidOptionError(`Expected predicted of length ${labels.length}, got ${predicted.length}`);
  }
  const matrix: number[][] = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    matrix[labels[i]][predicted[i]]++;
  }
  return matrix;
}
