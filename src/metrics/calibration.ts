/**
 * Calibration: does a 0.9-confident prediction turn out right 90% of the time?
 * A trained MNIST model can be 98% accurate and still shout 0.99 on its
 * mistakes; the expected calibration error (ECE) and the reliability diagram
 * measure that gap (Guo et al., "On Calibration of Modern Neural Networks", 2017).
 */
import { InvalidOptionError } from '../errors.js';
import { assertClassIndices } from './confusion-matrix.js';
import { rowCount } from './softmax.js';

/** Options of {@link expectedCalibrationError} and {@link reliabilityBins}. */
export interface CalibrationOptions {
  /** Number of equal-width confidence bins over [0, 1]; 15 as in Guo et al. */
  bins?: number;
  /** Columns per row of `probabilities`; 10 for MNIST. */
  numClasses?: number;
}

/** One bar of a reliability diagram: confidence range `(lower, upper]` and what fell in it. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  /** Examples whose confidence fell in the bin. */
  readonly count: number;
  /** Fraction of those whose top prediction was right; 0 when `count` is 0. */
  readonly accuracy: number;
  /** Their mean confidence (max probability); 0 when `count` is 0. */
  readonly confidence: number;
}

/** How far a probability row may sum from 1 (float32 softmax rounding is ~1e-7). */
const SUM_TOLERANCE = 1e-3;

/**
 * Bins each example by its confidence (the maximum probability of its row)
 * into `bins` equal-width bins `(i/bins, (i+1)/bins]` (confidence 0 joins the
 * first), and reports per bin the count, accuracy of the argmax prediction
 * (ties go to the lowest class) and mean confidence: the data of a
 * reliability diagram. A perfectly calibrated model has accuracy = confidence
 * in every bin.
 *
 * @example
 * ```ts
 * const probs = softmax(logits);                       // flat [N × 10]
 * for (const b of reliabilityBins(probs, labels, { bins: 10 })) {
 *   if (b.count > 0) console.log(b.lower, b.upper, b.accuracy, b.confidence);
 * }
 * ```
 */
export function reliabilityBins(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): ReliabilityBin[] {
  const numClasses = options.numClasses ?? 10;
  const bins = options.bins ?? 15;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new InvalidOptionError(`Expected bins to be a positive integer, got ${bins}`);
  }
  const rows = rowCount(probabilities, numClasses, 'probabilities');
  assertClassIndices(labels, 'labels', numClasses);
  if (labels.length !== rows) {
    throw new InvalidOptionError(`Expected labels of length ${rows} (one per probability row), got ${labels.length}`);
  }
  const counts = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidenceSums = new Float64Array(bins);
  for (let i = 0; i < rows; i++) {
    const offset = i * numClasses;
    let best = 0;
    let sum = 0;
    for (let j = 0; j < numClasses; j++) {
      const p = probabilities[offset + j];
      if (!Number.isFinite(p) || p < 0) {
        throw new InvalidOptionError(`Expected probabilities row ${i} to be finite and >= 0, got ${p} at column ${j}`);
      }
      sum += p;
      if (p > probabilities[offset + best]) best = j;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new InvalidOptionError(`Expected probabilities row ${i} to sum to 1 (±${SUM_TOLERANCE}), got ${sum}`);
    }
    const confidence = probabilities[offset + best];
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
    counts[bin]++;
    confidenceSums[bin] += confidence;
    if (best === labels[i]) correct[bin]++;
  }
  const result: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = counts[b];
    result.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: n,
      accuracy: n === 0 ? 0 : correct[b] / n,
      confidence: n === 0 ? 0 : confidenceSums[b] / n,
    });
  }
  return result;
}

/**
 * Expected calibration error: `Σ_bins (count / N) · |accuracy − confidence|`,
 * over equal-width confidence bins (see {@link reliabilityBins}). 0 means
 * perfectly calibrated; an overconfident MNIST MLP typically scores a few
 * percent, and temperature scaling brings it down.
 *
 * @example
 * ```ts
 * expectedCalibrationError(softmax(logits), labels);             // before
 * expectedCalibrationError(softmax(logits, 10, T), labels);      // after fitTemperature
 * ```
 */
export function expectedCalibrationError(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): number {
  const bins = reliabilityBins(probabilities, labels, options);
  const total = labels.length;
  if (total === 0) {
    throw new InvalidOptionError('Expected at least one probability row, got 0');
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count > 0) ece += (bin.count / total) * Math.abs(bin.accuracy - bin.confidence);
  }
  return ece;
}
