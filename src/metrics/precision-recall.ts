/**
 * Per-class precision, recall and F1 read off a confusion matrix: which digits
 * the model fails to recall (row) and which it over-predicts (column).
 */
import { assertConfusionMatrix } from './confusion-matrix.js';

/** Precision, recall and F1 of one class. */
export interface ClassMetrics {
  /** The class index (the row / column of the matrix). */
  readonly label: number;
  /** Of everything predicted as `label`, the fraction that truly is: `m[c][c] / Σ_t m[t][c]`. */
  readonly precision: number;
  /** Of every true `label`, the fraction predicted as such: `m[c][c] / Σ_p m[c][p]`. */
  readonly recall: number;
  /** Harmonic mean of precision and recall. */
  readonly f1: number;
  /** Number of true examples of the class (its row sum). */
  readonly support: number;
}

/**
 * Precision, recall, F1 and support for each class of a confusion matrix
 * whose rows are true labels and columns predictions (as {@link confusionMatrix}
 * returns).
 *
 * A ratio whose denominator is 0 — a class never predicted (precision), never
 * present (recall), or both precision and recall 0 (F1) — is reported as 0,
 * not NaN, as scikit-learn does with `zero_division=0`. Check `support` to
 * tell "absent" from "always missed".
 *
 * @example
 * ```ts
 * perClassMetrics([[8, 2], [1, 9]]);
 * // [{ label: 0, precision: 8/9, recall: 0.8, f1: 0.842…, support: 10 },
 * //  { label: 1, precision: 9/11, recall: 0.9, f1: 0.857…, support: 10 }]
 * ```
 */
export function perClassMetrics(matrix: readonly (readonly number[])[]): ClassMetrics[] {
  const n = assertConfusionMatrix(matrix);
  const rowSums = new Array<number>(n).fill(0);
  const columnSums = new Array<number>(n).fill(0);
  for (let t = 0; t < n; t++) {
    for (let p = 0; p < n; p++) {
      rowSums[t] += matrix[t][p];
      columnSums[p] += matrix[t][p];
    }
  }
  const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
  const result: ClassMetrics[] = [];
  for (let c = 0; c < n; c++) {
    const hits = matrix[c][c];
    const precision = ratio(hits, columnSums[c]);
    const recall = ratio(hits, rowSums[c]);
    const f1 = ratio(2 * precision * recall, precision + recall);
    result.push({ label: c, precision, recall, f1, support: rowSums[c] });
  }
  return result;
}
