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
  for (let i = 0; i < rows; i++) {
    const offset = i * numClasses;
    let best = -1;
    let bestValue = -Infinity;
    for (let j = 0; j < numClasses; j++) {
      const v = values[offset + j];
      if (Number.isNaN(v)) {
        best = -1;
        break;
      }
      // The first element always wins its way in, even when it is -Infinity.
      if (best === -1 || v > bestValue) {
        best = j;
        bestValue = v;
      }
    }
    result[i] = best;
  }
  return result;
}
