import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.js';
import {
  accuracy,
  applyTemperature,
  argmaxRows,
  expectedCalibrationError,
  fitTemperature,
  logSoftmax,
  negativeLogLikelihood,
  reliabilityBins,
  softmax,
} from '../../src/metrics/index.js';
import { expectInvalid } from './helpers/expect-invalid.js';

/** The project's seeded PRNG as a plain function, so the tests are deterministic. */
function mulberry32(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** A probability row of `numClasses` with `confidence` on `top` and the rest spread evenly. */
function row(top: number, confidence: number, numClasses = 10): number[] {
  const rest = (1 - confidence) / (numClasses - 1);
  return Array.from({ length: numClasses }, (_, j) => (j === top ? confidence : rest));
}

/**
 * Synthetic overconfident model: logits z ~ 4·N(0, 1), labels drawn from
 * softmax(z / tTrue), so the model's own softmax(z) is too sharp by tTrue.
 */
function overconfident(n: number, tTrue: number, seed: number) {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logits = new Float32Array(n * 10);
  for (let i = 0; i < logits.length; i++) logits[i] = 4 * gaussian();
  const trueProbs = softmax(logits, 10, tTrue);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let u = random();
    let c = 0;
    while (c < 9 && u >= trueProbs[i * 10 + c]) u -= trueProbs[i * 10 + c++];
    labels[i] = c;
  }
  return { logits, labels };
}

describe('expectedCalibrationError and reliabilityBins', () => {
  it('is 0 when accuracy equals confidence in every bin', () => {
    const probs: number[] = [];
    const labels: number[] = [];
    // Confidence 0.8 and 8 of 10 right; confidence 0.6 and 3 of 5 right.
    for (let i = 0; i < 10; i++) { probs.push(...row(i, 0.8)); labels.push(i < 8 ? i : (i + 1) % 10); }
    for (let i = 0; i < 5; i++) { probs.push(...row(i, 0.6)); labels.push(i < 3 ? i : (i + 1) % 10); }
    expect(expectedCalibrationError(probs, labels)).toBeCloseTo(0, 12);
    const used = reliabilityBins(probs, labels, { bins: 10 }).filter((b) => b.count > 0);
    expect(used.map((b) => [b.count, b.accuracy])).toEqual([[5, 0.6], [10, 0.8]]);
  });

  it('matches a hand-computed example', () => {
    const probs = [0.9, 0.1, 0.9, 0.1, 0.3, 0.7, 0.45, 0.55];
    const labels = [0, 1, 1, 0];
    // (0.8, 1]: 2 rows, acc 0.5, conf 0.9 → 2/4·0.4 = 0.2
    // (0.6, 0.8]: 1 row, acc 1, conf 0.7 → 1/4·0.3 = 0.075
    // (0.4, 0.6]: 1 row (argmax 1, label 0), acc 0, conf 0.55 → 1/4·0.55 = 0.1375
    expect(expectedCalibrationError(probs, labels, { bins: 5, numClasses: 2 })).toBeCloseTo(0.4125, 12);
    const bins = reliabilityBins(probs, labels, { bins: 5, numClasses: 2 });
    expect(bins.map((b) => b.count)).toEqual([0, 0, 1, 1, 2]);
    expect(bins[4]).toMatchObject({ lower: 0.8, upper: 1, accuracy: 0.5 });
    expect(bins[4].confidence).toBeCloseTo(0.9, 12);
    expect(bins[2]).toMatchObject({ accuracy: 0, confidence: 0.55 });
    expect(bins[0]).toEqual({ lower: 0, upper: 0.2, count: 0, accuracy: 0, confidence: 0 });
  });

  it('uses 15 bins by default', () => {
    expect(reliabilityBins(row(0, 1), [0])).toHaveLength(15);
  });

  it('rejects non-finite rows, rows not summing to 1 and mismatched labels', () => {
    const good = row(0, 0.5);
    expectInvalid(() => expectedCalibrationError([...good, NaN, ...good.slice(1)], [0, 0]), 'Expected probabilities row 1 to be finite and >= 0, got NaN at column 0');
    expectInvalid(() => expectedCalibrationError([0.5, 0.4], [0], { numClasses: 2 }), 'Expected probabilities row 0 to sum to 1 (±0.001), got 0.9');
    expectInvalid(() => expectedCalibrationError(good, [0, 1]), 'Expected labels of length 1 (one per probability row), got 2');
    expectInvalid(() => expectedCalibrationError(good, [10]), 'Expected labels[0] to be an integer class in [0, 10), got 10');
    expectInvalid(() => reliabilityBins(good, [0], { bins: 0 }), 'Expected bins to be a positive integer, got 0');
    expectInvalid(() => expectedCalibrationError([], []), 'Expected at least one probability row, got 0');
  });
});

describe('negativeLogLikelihood and applyTemperature', () => {
  it('matches hand-computed cross-entropy at T = 1 and T = 2', () => {
    const logits = [2, 0, 0, 2];
    const labels = [0, 0];
    const nll1 = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(2))) / 2;
    const nll2 = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(1))) / 2;
    expect(negativeLogLikelihood(logits, labels, 1, 2)).toBeCloseTo(nll1, 12);
    expect(negativeLogLikelihood(logits, labels, 2, 2)).toBeCloseTo(nll2, 12);
    const logP = logSoftmax(logits, 2);
    expect(negativeLogLikelihood(logits, labels, 1, 2)).toBeCloseTo(-(logP[0] + logP[2]) / 2, 6);
  });

  it('applies the temperature without changing the argmax', () => {
    const { logits } = overconfident(50, 2.5, 7);
    const calibrated = applyTemperature(logits, 3);
    expect(Array.from(calibrated)).toEqual(Array.from(softmax(logits, 10, 3)));
    expect(Array.from(argmaxRows(calibrated))).toEqual(Array.from(argmaxRows(logits)));
  });

  it('rejects a non-positive temperature', () => {
    expectInvalid(() => negativeLogLikelihood([1, 2], [0], 0, 2), 'Expected temperature to be a finite number > 0, got 0');
  });
});

describe('fitTemperature', () => {
  const { logits, labels } = overconfident(6000, 2.5, 42);
  const fitLogits = logits.subarray(0, 3000 * 10);
  const fitLabels = labels.subarray(0, 3000);
  const heldOutLogits = logits.subarray(3000 * 10);
  const heldOutLabels = labels.subarray(3000);

  it('recovers the temperature the labels were sampled at', () => {
    const t = fitTemperature(fitLogits, fitLabels);
    expect(Math.abs(t - 2.5)).toBeLessThan(0.15);
    // It is a minimum of the NLL, checked by finite differences either side.
    const nll = (temperature: number) => negativeLogLikelihood(fitLogits, fitLabels, temperature);
    expect(nll(t)).toBeLessThanOrEqual(nll(t * 1.01));
    expect(nll(t)).toBeLessThanOrEqual(nll(t / 1.01));
  });

  it('lowers the ECE of overconfident logits on a held-out split, keeping accuracy', () => {
    const t = fitTemperature(fitLogits, fitLabels);
    const before = expectedCalibrationError(softmax(heldOutLogits), heldOutLabels);
    const after = expectedCalibrationError(applyTemperature(heldOutLogits, t), heldOutLabels);
    // ≈ 0.28 → ≈ 0.02; 0.05 leaves room for the sampling noise of a 3000-row, 15-bin ECE.
    expect(before).toBeGreaterThan(0.2);
    expect(after).toBeLessThan(0.05);
    expect(after).toBeLessThan(before / 5);
    expect(accuracy(argmaxRows(applyTemperature(heldOutLogits, t)), heldOutLabels)).toBe(
      accuracy(argmaxRows(heldOutLogits), heldOutLabels),
    );
  });

  it('returns the nearer bound when the optimum lies outside the range', () => {
    // Always right with a margin: sharper is always better → smallest temperature.
    expect(fitTemperature([5, 0, 0, 5], [0, 1], { numClasses: 2 })).toBe(0.05);
    // Always confidently wrong: flatter is always better → largest temperature.
    expect(fitTemperature([5, 0, 0, 5], [1, 0], { numClasses: 2, maxTemperature: 8 })).toBe(8);
  });

  it('rejects non-finite logits, bad bounds and mismatched labels', () => {
    expectInvalid(() => fitTemperature([1, 2, 3, NaN], [0, 1], { numClasses: 2 }), 'Expected logits to be finite, got NaN at index 3');
    expectInvalid(() => fitTemperature([1, 2], [0], { numClasses: 2, minTemperature: 0 }), 'Expected 0 < minTemperature < maxTemperature < Infinity, got 0 and 20');
    expectInvalid(() => fitTemperature([1, 2], [0, 1], { numClasses: 2 }), 'Expected labels of length 1 (one per logit row), got 2');
    expectInvalid(() => fitTemperature([], []), 'Expected at least one logit row, got 0');
  });
});
