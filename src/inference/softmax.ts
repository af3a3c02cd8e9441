/**
 * Numerically stable softmax of one row of logits: subtract the row maximum
 * before exponentiating (so huge logits never overflow to Infinity) and sum
 * in float64.
 */

/**
 * Writes `softmax(logits[from .. from + count))` into `out[at .. at + count)`.
 * Allocates nothing. A NaN logit makes the whole row NaN.
 *
 * @example
 * ```ts
 * const p = new Float32Array(2);
 * softmaxInto(new Float32Array([1000, 1000]), 0, 2, p, 0); // p = [0.5, 0.5]
 * ```
 */
export function softmaxInto(logits: Float32Array, from: number, count: number, out: Float32Array, at: number): void {
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = logits[from + i];
    if (v > max || Number.isNaN(v)) max = v;
    if (Number.isNaN(v)) break;
  }
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const e = Math.exp(logits[from + i] - max);
    out[at + i] = e;
    sum += e;
  }
  for (let i = 0; i < count; i++) out[at + i] = out[at + i] / sum;
}

/**
 * Index of the largest value of `values[from .. from + count)` (first one on ties).
 *
 * @example
 * ```ts
 * argmaxOf(new Float32Array([0.1, 0.7, 0.2]), 0, 3); // 1
 * ```
 */
export function argmaxOf(values: Float32Array, from: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[from + i] > values[from + best]) best = i;
  return best;
}
