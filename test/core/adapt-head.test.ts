import { describe, expect, it } from 'vitest';
import { softmax } from '../../src/metrics/softmax.js';
import { softTargetCrossEntropy } from '../../src/train/adapt-head.js';

/** Three rows of four logits; the middle one is distilled at temperature 2, the others are plain cross-entropy. */
const logits = Float32Array.from([2.0, -1.0, 0.5, 3.0, 4.0, 1.0, -2.0, 0.0, -0.5, 0.25, 1.5, -3.0]);
const batch = 3;
const classes = 4;
const temperatures = Float32Array.from([1, 2, 1]);
const targets = Float32Array.from([0, 0, 0, 1, 0.7, 0.2, 0.05, 0.05, 0, 1, 0, 0]);

describe('softTargetCrossEntropy (the rehearsal loss of adapt)', () => {
  it('returns the gradient of its loss, per row at the row\'s temperature (finite differences)', () => {
    const grad = new Float32Array(batch * classes);
    softTargetCrossEntropy(logits, targets, batch, classes, grad, temperatures);
    const h = 1e-3;
    for (let i = 0; i < logits.length; i++) {
      const at = (d: number) => {
        const z = Float64Array.from(logits);
        z[i] += d;
        return softTargetCrossEntropy(z, targets, batch, classes, new Float32Array(batch * classes), temperatures);
      };
      expect(grad[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 4);
    }
  });

  it('is plain cross-entropy at temperature 1, and scales a softened row by T² so its gradient is T·(softmax(z/T) − q)', () => {
    const plain = new Float32Array(batch * classes);
    const ones = new Float32Array(batch * classes);
    expect(softTargetCrossEntropy(logits, targets, batch, classes, plain)).toBeCloseTo(softTargetCrossEntropy(logits, targets, batch, classes, ones, new Float32Array(batch).fill(1)), 6);
    expect(Array.from(plain)).toEqual(Array.from(ones));
    const p = softmax(logits.subarray(0, 4), 4);
    const q = targets.subarray(0, 4);
    let ce = 0;
    for (let c = 0; c < 4; c++) ce -= q[c] * Math.log(p[c]);
    expect(softTargetCrossEntropy(logits.subarray(0, 4), q, 1, 4, new Float32Array(4))).toBeCloseTo(ce, 5);

    const grad = new Float32Array(batch * classes);
    softTargetCrossEntropy(logits, targets, batch, classes, grad, temperatures);
    const soft = softmax(logits.subarray(4, 8).map((z) => z / 2), 4);
    for (let c = 0; c < 4; c++) expect(grad[4 + c]).toBeCloseTo((2 * (soft[c] - targets[4 + c])) / batch, 6);
  });

  it('leaves a rehearsed row whose target is its own softened output where it is (zero gradient), at any temperature', () => {
    for (const t of [1, 2, 4]) {
      const z = logits.subarray(4, 8);
      const q = softmax(z.map((v) => v / t), 4);
      const grad = new Float32Array(4);
      softTargetCrossEntropy(z, q, 1, 4, grad, Float32Array.of(t));
      for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
    }
  });
});
