/**
 * Choosing the "not a digit" threshold: the highest `digitScore` threshold
 * that flags at most a given share of real digits, measured on digits the
 * model was not trained on. A higher threshold flags more non-digits, so
 * the best one is as high as the digits allow.
 */
import { InvalidOptionError } from '../errors.js';

/**
 * The largest threshold `t` such that at most `maxFlagRate` of `scores`
 * (digit scores of real digits) are below it, i.e. flagged by
 * `isDigit = score >= t`. With several sets, pass each: the result keeps
 * every one of them at or under the rate. NaN scores count as flagged.
 *
 * With `confidence` (e.g. 0.95), fewer are allowed below it: as many as keep
 * the one-sided Clopper–Pearson upper bound of the flag rate at or under
 * `maxFlagRate`, so that digits the set only samples (other writers) are
 * flagged at most that often with that confidence, not just these ones.
 *
 * @throws InvalidOptionError for an empty set, a rate outside [0, 1) or a confidence outside [0, 1).
 * @example
 * ```ts
 * const t = chooseDigitThreshold([validation.digitScores], 0.01); // flags ≤ 1 % of them
 * const safer = chooseDigitThreshold([validation.digitScores], 0.01, 0.95); // ≤ 1 % of digits like them, 95 % sure
 * ```
 */
export function chooseDigitThreshold(sets: readonly ArrayLike<number>[], maxFlagRate = 0.01, confidence = 0): number {
  if (!(maxFlagRate >= 0 && maxFlagRate < 1)) throw new InvalidOptionError(`Expected maxFlagRate in [0, 1), got ${String(maxFlagRate)}`);
  if (!(confidence >= 0 && confidence < 1)) throw new InvalidOptionError(`Expected confidence in [0, 1), got ${String(confidence)}`);
  if (sets.length === 0) throw new InvalidOptionError('Expected at least one set of digit scores');
  let threshold = 1;
  sets.forEach((scores, s) => {
    if (scores.length === 0) throw new InvalidOptionError(`Expected digit scores in sets[${s}], got an empty set`);
    const sorted = Float64Array.from(scores, (v) => (Number.isNaN(v) ? -Infinity : v)).sort();
    const allowed = confidence > 0 ? allowedFlags(sorted.length, maxFlagRate, confidence) : Math.floor(maxFlagRate * sorted.length); // scores that may fall below the threshold
    // Every score below sorted[allowed] is among the `allowed` lowest; the threshold is that score.
    threshold = Math.min(threshold, Math.max(0, sorted[allowed]));
  });
  return threshold;
}

/**
 * The most flags `k` of `n` whose one-sided Clopper–Pearson upper bound at
 * `confidence` stays at or under `rate`: the largest `k` with
 * P(Binomial(n, rate) ≤ k) ≤ 1 − confidence (0 when there is none: then
 * nothing may be flagged).
 */
function allowedFlags(n: number, rate: number, confidence: number): number {
  const alpha = 1 - confidence;
  const logRatio = Math.log(rate) - Math.log1p(-rate);
  let logTerm = n * Math.log1p(-rate); // log P(X = 0)
  let cdf = Math.exp(logTerm);
  let k = 0;
  while (k < n) {
    logTerm += Math.log((n - k) / (k + 1)) + logRatio; // P(X = k + 1) from P(X = k)
    if (cdf + Math.exp(logTerm) > alpha) break;
    cdf += Math.exp(logTerm);
    k++;
  }
  return cdf <= alpha ? k : 0;
}

/**
 * The share of `scores` flagged "not a digit" by `threshold` (below it, or NaN).
 *
 * @example
 * ```ts
 * flaggedShare(nonDigitScores, model.spec.nonDigit.threshold); // 0.97
 * ```
 */
export function flaggedShare(scores: ArrayLike<number>, threshold: number): number {
  if (scores.length === 0) return NaN;
  let flagged = 0;
  for (let i = 0; i < scores.length; i++) if (!(scores[i] >= threshold)) flagged++;
  return flagged / scores.length;
}
