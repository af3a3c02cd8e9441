/**
 * Row-wise argmax: the predicted class of each row of a flat `[N × C]` array
 * of logits or probabilities.
 */
import { rowCount } from './softmax.js';

/**
 * Index of the largest value in each row of a flat, row-major `[N × numClasses]`
 * array. Ties go to the lowest index (as NumPy and tfjs do), so the result is
 * deterministic. A row that contains NaN has no maximum and yields `-1`, which
 * never matches a label and makes {@link confusionMatrix} name the bad row,
 * instead of silently voting for some class.
 *
 * @example
 * ```ts
 * argmaxRows([0.1, 0.7, 0.2,  0.5, 0.5, 0], 3); // Int32Array [1, 0]
 * argmaxRows(model.predict(images));            // 10 classes by default
 * ```
 */
export function argmaxRows(values: ArrayLike<number>, numClasses = 10): Int32Array {
  const rows = rowCount(values, numClasses, 'values');
  const result = new Int32Array(rows);
  for (let i = 0; i < rows; i++) result[i] = argmaxRow(values, i * numClasses, numClasses);
  return result;
}

/**
 * Index of the largest of `values[from .. from + count)`, relative to `from`:
 * ties go to the lowest index, a NaN makes it `-1` (as {@link argmaxRows}).
 * The one argmax behind every prediction (inference, worker, widgets).
 *
 * @example
 * ```ts
 * argmaxRow([0.1, 0.7, 0.2], 0, 3); // 1
 * ```
 */
export function argmaxRow(values: ArrayLike<number>, from: number, count: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let j = 0; j < count; j++) {
    const v = values[from + j];
    if (Number.isNaN(v)) return -1;
    // The first element always wins its way in, even when it is -Infinity.
    if (best === -1 || v > bestValue) {
      best = j;
      bestValue = v;
    }
  }
  return best;
}
