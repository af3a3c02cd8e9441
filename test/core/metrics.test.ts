import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.js';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  formatConfusion,
  formatPair,
  logSoftmax,
  perClassMetrics,
  softmax,
  topConfusionPairs,
  topConfusions,
} from '../../src/metrics/index.js';
import { expectInvalid } from './helpers/expect-invalid.js';

/** The project's seeded PRNG as a plain function, so the tests are deterministic. */
function mulberry32(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

describe('softmax', () => {
  it('matches the hand-computed values of a small row', () => {
    expectClose(softmax([1, 2, 3], 3), [0.09003057, 0.24472847, 0.66524096]);
  });

  it('rows sum to 1 within float32 tolerance', () => {
    const random = mulberry32(1);
    const logits = Array.from({ length: 200 * 10 }, () => (random() - 0.5) * 40);
    const probs = softmax(logits);
    for (let i = 0; i < 200; i++) {
      let sum = 0;
      for (let j = 0; j < 10; j++) sum += probs[i * 10 + j];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
  });

  it('does not overflow on huge logits', () => {
    const e = Math.E;
    expectClose(softmax([1000, 999, -1000], 3), [e / (1 + e), 1 / (1 + e), 0]);
    expectClose(softmax([Number.MAX_VALUE, -Number.MAX_VALUE], 2), [1, 0]);
  });

  it('underflows tiny probabilities to 0 while logSoftmax stays finite', () => {
    expectClose(softmax([0, -1000], 2), [1, 0]);
    expectClose(logSoftmax([0, -200], 2), [0, -200], 4);
  });

  it('gives -Infinity logits probability 0 and lets +Infinity logits share the mass', () => {
    expectClose(softmax([-Infinity, 0, 0], 3), [0, 0.5, 0.5]);
    expectClose(softmax([Infinity, 0, Infinity], 3), [0.5, 0, 0.5]);
    expect(logSoftmax([-Infinity, 0], 2)[0]).toBe(-Infinity);
  });

  it('propagates NaN to its own row only', () => {
    const probs = softmax([1, NaN, 0, 0, 0, 0], 3);
    expect(Array.from(probs.slice(0, 3)).every(Number.isNaN)).toBe(true);
    expectClose(probs.slice(3), [1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(softmax([-Infinity, -Infinity], 2)).every(Number.isNaN)).toBe(true);
  });

  it('divides by the temperature before normalising', () => {
    const logits = [2, -1, 0.5, 4];
    const scaled = logits.map((z) => z / 2.5);
    expectClose(softmax(logits, 4, 2.5), Array.from(softmax(scaled, 4)));
    expectClose(logSoftmax(logits, 4), Array.from(softmax(logits, 4)).map(Math.log), 5);
  });

  it('rejects a ragged array, a bad class count and a non-positive temperature', () => {
    expectInvalid(() => softmax([1, 2, 3, 4], 3), 'Expected logits of length divisible by numClasses (3), got 4');
    expectInvalid(() => softmax([1], 0), 'Expected numClasses to be a positive integer, got 0');
    expectInvalid(() => softmax([1, 2], 2, 0), 'Expected temperature to be a finite number > 0, got 0');
    expectInvalid(() => logSoftmax([1, 2], 2, NaN), 'Expected temperature to be a finite number > 0, got NaN');
  });
});

describe('argmaxRows', () => {
  it('picks the largest per row, ties to the lowest index', () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0, 3, 2, 9], 3))).toEqual([1, 0, 2]);
  });

  it('returns -1 for a row with NaN and 0 for a row of -Infinity', () => {
    expect(Array.from(argmaxRows([1, NaN, -Infinity, -Infinity], 2))).toEqual([-1, 0]);
  });

  it('rejects a ragged array', () => {
    expectInvalid(() => argmaxRows(new Float32Array(15)), 'Expected values of length divisible by numClasses (10), got 15');
  });
});

describe('accuracy', () => {
  it('is the fraction of exact matches', () => {
    expect(accuracy([3, 1, 4, 1], [3, 1, 4, 7])).toBe(0.75);
    expect(accuracy(new Int32Array([2, 2]), new Uint8Array([2, 2]))).toBe(1);
  });

  it('rejects a length mismatch and an empty input', () => {
    expectInvalid(() => accuracy([1, 2, 3, 4], [1, 2, 3]), 'Expected labels of length 4, got 3');
    expectInvalid(() => accuracy([], []), 'Expected at least one prediction, got 0');
  });
});

describe('confusionMatrix', () => {
  const labels = [0, 0, 1, 1, 1, 2];
  const predicted = [0, 1, 1, 1, 2, 1];

  it('puts true labels on rows and predictions on columns', () => {
    const m = confusionMatrix(labels, predicted, 3);
    expect(m).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 1, 0],
    ]);
    // The one true 0 predicted as 1 is in row 0, column 1 — not the transpose.
    expect(m[0][1]).toBe(1);
    expect(m[1][0]).toBe(0);
    // Row sums are the label counts; column sums the prediction counts.
    expect(m.map((row) => row.reduce((a, b) => a + b))).toEqual([2, 3, 1]);
    expect([0, 1, 2].map((c) => m.reduce((a, row) => a + row[c], 0))).toEqual([1, 4, 1]);
  });

  it('defaults to 10 classes and accepts typed arrays', () => {
    const m = confusionMatrix(new Uint8Array([4, 4, 9]), new Int32Array([4, 9, 9]));
    expect(m).toHaveLength(10);
    expect(m[4][9]).toBe(1);
    expect(m[9][4]).toBe(0);
  });

  it('names the first bad value and the length mismatch', () => {
    expectInvalid(() => confusionMatrix([1, 2, 10], [1, 2, 3]), 'Expected labels[2] to be an integer class in [0, 10), got 10');
    expectInvalid(() => confusionMatrix([1, 2], [1, 1.5]), 'Expected predicted[1] to be an integer class in [0, 10), got 1.5');
    expectInvalid(() => confusionMatrix([1], argmaxRows([NaN, 0], 2), 2), 'Expected predicted[0] to be an integer class in [0, 2), got -1');
    expectInvalid(() => confusionMatrix([1, 2, 3], [1, 2]), 'Expected predicted of length 3, got 2');
  });
});

describe('topConfusionPairs and topConfusions', () => {
  const m = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  m[4][9] = 15; m[9][4] = 8; // 4↔9: 23
  m[3][5] = 10; m[5][3] = 13; // 3↔5: 23, ties with 4↔9 and sorts first (a = 3 < 4)
  m[7][2] = 6; // 2↔7: 6
  m[1][7] = 6; // 1↔7: 6, ties with 2↔7 and sorts first (a = 1 < 2)
  for (let c = 0; c < 10; c++) m[c][c] = 100;

  it('sorts unordered pairs by count, then a, then b', () => {
    expect(topConfusionPairs(m, Infinity)).toEqual([
      { a: 3, b: 5, count: 23, aAsB: 10, bAsA: 13 },
      { a: 4, b: 9, count: 23, aAsB: 15, bAsA: 8 },
      { a: 1, b: 7, count: 6, aAsB: 6, bAsA: 0 },
      { a: 2, b: 7, count: 6, aAsB: 0, bAsA: 6 },
    ]);
    expect(topConfusionPairs(m).map((p) => `${p.a}${p.b}`)).toEqual(['35', '49', '17']);
    expect(topConfusionPairs(m, 0)).toEqual([]);
  });

  it('sorts directed cells by count, then true label, then prediction', () => {
    expect(topConfusions(m, 6).map(formatConfusion)).toEqual(['4→9 ×15', '5→3 ×13', '3→5 ×10', '9→4 ×8', '1→7 ×6', '7→2 ×6']);
  });

  it('formats a pair as a one-line summary', () => {
    expect(formatPair({ a: 4, b: 9, count: 23, aAsB: 15, bAsA: 8 })).toBe('4↔9 (23: 4→9 ×15, 9→4 ×8)');
  });

  it('rejects a negative or fractional k and a malformed matrix', () => {
    expectInvalid(() => topConfusionPairs(m, -1), 'Expected k to be a non-negative integer or Infinity, got -1');
    expectInvalid(() => topConfusions(m, 1.5), 'Expected k to be a non-negative integer or Infinity, got 1.5');
    expectInvalid(() => topConfusionPairs([[1, 2], [3]]), 'Expected matrix to be square (2×2), got row 1 of length 1');
    expectInvalid(() => topConfusionPairs([[1, -2], [3, 4]]), 'Expected matrix[0][1] to be a finite count >= 0, got -2');
    expectInvalid(() => topConfusionPairs([]), 'Expected matrix to be a non-empty square array of rows, got an empty array');
  });
});

describe('perClassMetrics', () => {
  it('matches a hand-computed example, with 0/0 reported as 0', () => {
    const metrics = perClassMetrics([
      [5, 1, 0],
      [2, 3, 1],
      [0, 0, 0],
    ]);
    const expected = [
      { label: 0, precision: 5 / 7, recall: 5 / 6, f1: 10 / 13, support: 6 },
      { label: 1, precision: 3 / 4, recall: 1 / 2, f1: 0.6, support: 6 },
      { label: 2, precision: 0, recall: 0, f1: 0, support: 0 },
    ];
    metrics.forEach((row, c) => {
      expect(row.label).toBe(expected[c].label);
      expect(row.support).toBe(expected[c].support);
      expect(row.precision).toBeCloseTo(expected[c].precision, 12);
      expect(row.recall).toBeCloseTo(expected[c].recall, 12);
      expect(row.f1).toBeCloseTo(expected[c].f1, 12);
    });
  });
});
