/**
 * Temperature scaling (Guo et al., 2017): divide every logit by one scalar
 * T > 0, fitted on a held-out split, so the softmax says "0.9" only when the
 * model is right about 90% of the time. Argmax — and so accuracy — is unchanged.
 */
import { InvalidOptionError } from '../errors.js';
import { assertClassIndices } from './confusion-matrix.js';
import { checkTemperature, logSoftmaxRow, rowCount, softmax } from './softmax.js';

/** Options of {@link fitTemperature}. */
export interface FitTemperatureOptions {
  /** Columns per row of `logits`; 10 for MNIST. */
  numClasses?: number;
  /** Smallest temperature returned; 0.05 (a 20× sharpening) is far past any real need. */
  minTemperature?: number;
  /** Largest temperature returned; 20 flattens any sane model towards uniform. */
  maxTemperature?: number;
  /** Stop when the bracket on 1/T is this tight, relative to 1/T. */
  tolerance?: number;
}

function checkRows(logits: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
  const rows = rowCount(logits, numClasses, 'logits');
  assertClassIndices(labels, 'labels', numClasses);
  if (labels.length !== rows) {
    throw new InvalidOptionError(`Expected labels of length ${rows} (one per logit row), got ${labels.length}`);
  }
  if (rows === 0) throw new InvalidOptionError('Expected at least one logit row, got 0');
  return rows;
}

/**
 * Mean NLL of softmax(β·z) and its first two derivatives in the inverse
 * temperature β = 1/T: f'(β) = mean(E_p[z] − z_y), f''(β) = mean(Var_p[z]) ≥ 0.
 */
function nllInBeta(logits: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, beta: number) {
  const rows = labels.length;
  const logP = new Float64Array(numClasses);
  let value = 0;
  let slope = 0;
  let curvature = 0;
  for (let i = 0; i < rows; i++) {
    const offset = i * numClasses;
    logSoftmaxRow(logits, offset, numClasses, beta, logP);
    let mean = 0;
    for (let j = 0; j < numClasses; j++) mean += Math.exp(logP[j]) * logits[offset + j];
    let variance = 0;
    for (let j = 0; j < numClasses; j++) variance += Math.exp(logP[j]) * (logits[offset + j] - mean) ** 2;
    value -= logP[labels[i]];
    slope += mean - logits[offset + labels[i]];
    curvature += variance;
  }
  return { value: value / rows, slope: slope / rows, curvature: curvature / rows };
}

/**
 * Mean negative log-likelihood of the labels under softmax(logits / T): the
 * cross-entropy loss, computed from logits in float64 without a log of a
 * rounded probability. Non-finite logits give a non-finite result.
 *
 * @example
 * ```ts
 * negativeLogLikelihood([2, 0, 0, 2], [0, 0], 1, 2); // (0.127 + 2.127) / 2 ≈ 1.127
 * ```
 */
export function negativeLogLikelihood(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  temperature = 1,
  numClasses = 10,
): number {
  checkRows(logits, labels, numClasses);
  checkTemperature(temperature);
  const logP = new Float64Array(numClasses);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    logSoftmaxRow(logits, i * numClasses, numClasses, 1 / temperature, logP);
    total -= logP[labels[i]];
  }
  return total / labels.length;
}

/**
 * Fits the temperature T that minimises the mean NLL of softmax(logits / T)
 * on held-out logits and labels (never the training split, where the model
 * is overconfident by construction).
 *
 * The NLL is convex in β = 1/T (its second derivative is a mean variance), so
 * this runs Newton's method on β inside a bracket that shrinks on the sign of
 * the slope, falling back to bisection whenever a Newton step leaves it: it
 * always converges, typically in under ten passes over the data. When the
 * optimum lies outside [minTemperature, maxTemperature] — e.g. every example
 * right with a margin, where sharper is always better — the nearer bound is
 * returned.
 *
 * @example
 * ```ts
 * const T = fitTemperature(validationLogits, validationLabels); // e.g. 1.7
 * const calibrated = applyTemperature(testLogits, T);
 * ```
 */
export function fitTemperature(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: FitTemperatureOptions = {},
): number {
  const { numClasses = 10, minTemperature = 0.05, maxTemperature = 20, tolerance = 1e-6 } = options;
  checkRows(logits, labels, numClasses);
  if (!(minTemperature > 0) || !(maxTemperature > minTemperature) || !Number.isFinite(maxTemperature)) {
    throw new InvalidOptionError(
      `Expected 0 < minTemperature < maxTemperature < Infinity, got ${minTemperature} and ${maxTemperature}`,
    );
  }
  if (!(tolerance > 0)) throw new InvalidOptionError(`Expected tolerance > 0, got ${tolerance}`);
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i])) {
      throw new InvalidOptionError(`Expected logits to be finite, got ${logits[i]} at index ${i}`);
    }
  }
  // 1. Bracket the minimum in β; the slope is increasing, so its signs at the ends decide.
  let low = 1 / maxTemperature;
  let high = 1 / minTemperature;
  if (nllInBeta(logits, labels, numClasses, low).slope >= 0) return maxTemperature;
  if (nllInBeta(logits, labels, numClasses, high).slope <= 0) return minTemperature;
  // 2. Safeguarded Newton from T = 1 (or the nearest bound).
  let beta = Math.min(high, Math.max(low, 1));
  for (let iteration = 0; iteration < 100; iteration++) {
    const { slope, curvature } = nllInBeta(logits, labels, numClasses, beta);
    if (slope === 0) break;
    if (slope > 0) high = beta;
    else low = beta;
    const newton = beta - slope / curvature;
    const next = curvature > 0 && newton > low && newton < high ? newton : (low + high) / 2;
    const step = Math.abs(next - beta);
    beta = next;
    if (step <= tolerance * beta || high - low <= tolerance * beta) break;
  }
  return 1 / beta;
}

/**
 * Calibrated probabilities: softmax(logits / temperature), row-wise.
 *
 * @example
 * ```ts
 * applyTemperature(testLogits, fitTemperature(valLogits, valLabels));
 * ```
 */
export function applyTemperature(logits: ArrayLike<number>, temperature: number, numClasses = 10): Float32Array {
  return softmax(logits, numClasses, temperature);
}
