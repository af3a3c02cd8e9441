/**
 * Random permutations of indices, for shuffling a data set each epoch without
 * moving its (large) pixel arrays: shuffle the indices, read through them.
 */
import { InvalidOptionError } from '../errors.js';
import type { Rng } from './rng.js';

/**
 * A uniformly random permutation of `0 .. n-1` (Fisher–Yates), drawn from
 * `rng`, so the same seed gives the same order on every platform. Writes into
 * `out` when given (reuse it across epochs to avoid allocating).
 *
 * @throws InvalidOptionError when `n` is not a non-negative integer or `out`
 *   does not have length `n`.
 * @example
 * ```ts
 * const rng = createRng(1);
 * const order = new Int32Array(train.count);
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   permutation(train.count, rng, order);
 *   // visit train images in `order`
 * }
 * ```
 */
export function permutation(n: number, rng: Rng, out?: Int32Array): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new InvalidOptionError(`Expected n to be an integer in 0..2^31-1, got ${String(n)}`);
  }
  if (out !== undefined && (!(out instanceof Int32Array) || out.length !== n)) {
    const got = out instanceof Int32Array ? `length ${out.length}` : Object.prototype.toString.call(out);
    throw new InvalidOptionError(`Expected out to be an Int32Array of length ${n}, got ${got}`);
  }
  const perm = out ?? new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}
