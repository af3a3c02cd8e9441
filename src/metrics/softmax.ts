/**
 * Row-wise softmax and log-softmax over a flat, row-major `[N × C]` array of
 * logits: the step that turns a model's raw outputs into class probabilities.
 *
 * Both subtract each row's maximum before exponentiating, so huge logits never
 * overflow, and work in float64 before rounding to the float32 result.
 */
import { InvalidOptionError } from '../errors.js';

/**
 * Checks that `values` is a flat `[N × numClasses]` array and returns N.
 * Shared by every row-wise metric so they all word their errors alike.
 * @internal
 */
export function rowCount(values: ArrayLike<number>, numClasses: number, name: string): number {
  if (values == null || typeof values.length !== 'number') {
    throw new InvalidOptionError(`Expected ${name} to be an array or typed array, got ${String(values)}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new InvalidOptionError(`Expected numClasses to be a positive integer, got ${numClasses}`);
  }
  if (values.length % numClasses !== 0) {
    throw new InvalidOptionError(
      `Expected ${name} of length divisible by numClasses (${numClasses}), got ${values.length}`,
    );
  }
  return values.length / numClasses;
}

/** @internal Throws unless `temperature` is a finite number > 0. */
export function checkTemperature(temperature: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new InvalidOptionError(`Expected temperature to be a finite number > 0, got ${temperature}`);
  }
}

/**
 * Writes the log-softmax of row `x[offset .. offset + numClasses)` scaled by
 * `invTemperature` into `out[0 .. numClasses)`, in float64.
 *
 * Edge cases, chosen to be the limits of the finite formula:
 * - a NaN anywhere in the row makes the whole row NaN (NaN propagates);
 * - `-Infinity` logits get probability 0 (log-probability `-Infinity`);
 * - `+Infinity` logits share all the mass equally, the rest get 0;
 * - a row of only `-Infinity` has no distribution and is NaN.
 * @internal
 */
export function logSoftmaxRow(
  x: ArrayLike<number>,
  offset: number,
  numClasses: number,
  invTemperature: number,
  out: Float64Array,
): void {
  let max = -Infinity;
  let hasNaN = false;
  for (let j = 0; j < numClasses; j++) {
    const v = x[offset + j];
    if (Number.isNaN(v)) hasNaN = true;
    else if (v > max) max = v;
  }
  if (hasNaN || max === -Infinity) {
    out.fill(NaN, 0, numClasses);
    return;
  }
  if (max === Infinity) {
    let infinite = 0;
    for (let j = 0; j < numClasses; j++) if (x[offset + j] === Infinity) infinite++;
    const logShare = -Math.log(infinite);
    for (let j = 0; j < numClasses; j++) out[j] = x[offset + j] === Infinity ? logShare : -Infinity;
    return;
  }
  let sum = 0;
  for (let j = 0; j < numClasses; j++) {
    // max(x / T) = max(x) / T for T > 0, so shifting before scaling is the same shift.
    const shifted = (x[offset + j] - max) * invTemperature;
    out[j] = shifted;
    sum += Math.exp(shifted);
  }
  const logSum = Math.log(sum);
  for (let j = 0; j < numClasses; j++) out[j] -= logSum;
}

/** Scratch of {@link softmaxInto}, grown to the widest row seen (so a call allocates nothing). */
let rowScratch = new Float64Array(10);

/**
 * Writes the softmax of one row, `logits[from .. from + count)`, into
 * `out[at .. at + count)`, with exactly the edge cases of {@link softmax}
 * (NaN propagates, `+Infinity` logits share the mass, `-Infinity` gets 0).
 * Allocates nothing: the one softmax that inference, the worker and the
 * widgets all use, row by row.
 *
 * @example
 * ```ts
 * const p = new Float32Array(2);
 * softmaxInto(new Float32Array([1000, 1000]), 0, 2, p, 0); // p = [0.5, 0.5]
 * ```
 */
export function softmaxInto(logits: ArrayLike<number>, from: number, count: number, out: Float32Array, at: number): void {
  if (rowScratch.length < count) rowScratch = new Float64Array(count);
  logSoftmaxRow(logits, from, count, 1, rowScratch);
  for (let j = 0; j < count; j++) out[at + j] = Math.exp(rowScratch[j]);
}

function rowWise(
  logits: ArrayLike<number>,
  numClasses: number,
  temperature: number,
  exponentiate: boolean,
): Float32Array {
  const rows = rowCount(logits, numClasses, 'logits');
  checkTemperature(temperature);
  const result = new Float32Array(logits.length);
  const scratch = new Float64Array(numClasses);
  for (let i = 0; i < rows; i++) {
    const offset = i * numClasses;
    logSoftmaxRow(logits, offset, numClasses, 1 / temperature, scratch);
    for (let j = 0; j < numClasses; j++) {
      result[offset + j] = exponentiate ? Math.exp(scratch[j]) : scratch[j];
    }
  }
  return result;
}

/**
 * Softmax of each row of a flat `[N × numClasses]` array of logits, optionally
 * divided by a temperature first (T > 1 softens, T < 1 sharpens).
 *
 * @example
 * ```ts
 * softmax([1, 2, 3], 3);          // ≈ [0.090, 0.245, 0.665]
 * softmax([1000, 0], 2);          // [1, 0], no overflow
 * softmax(logits, 10, 2.5);       // temperature-scaled probabilities
 * ```
 */
export function softmax(logits: ArrayLike<number>, numClasses = 10, temperature = 1): Float32Array {
  return rowWise(logits, numClasses, temperature, true);
}

/**
 * Log-softmax of each row, `log softmax(logits / T)`, computed without ever
 * taking the log of a rounded probability (so it stays finite where softmax
 * underflows to 0).
 *
 * @example
 * ```ts
 * logSoftmax([0, -200], 2);       // ≈ [0, -200], where log(softmax) would give -Infinity
 * ```
 */
export function logSoftmax(logits: ArrayLike<number>, numClasses = 10, temperature = 1): Float32Array {
  return rowWise(logits, numClasses, temperature, false);
}
