// WebAssembly has no exp or log: the engine's polynomial versions (src/kernels/gen/math-wat.mjs)
// against Math.exp/Math.log, and the in-kernel softmax cross-entropy on extreme logits.
import { describe, expect, it } from 'vitest';
import { loadDenseKernels } from '../../../src/kernels/dense-kernels.js';
import { softmaxCrossEntropy } from '../../../src/train/softmax-cross-entropy.js';

describe('softmax polynomial', async () => {
  const k = await loadDenseKernels('simd128');

  it('exp is accurate to a few ulps over the whole range', () => {
    let worst = 0;
    for (let x = -708; x <= 709; x += 0.0137) worst = Math.max(worst, Math.abs(k.exports.exp_f64(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(5e-15);
    expect(k.exports.exp_f64(0)).toBe(1);
  });

  it('exp neither overflows nor underflows to a non-finite value, and NaN propagates', () => {
    for (const x of [710, 1e4, 3e38, Infinity]) expect(k.exports.exp_f64(x)).toBe(k.exports.exp_f64(709));
    expect(Number.isFinite(k.exports.exp_f64(709))).toBe(true);
    for (const x of [-709, -1e4, -3e38, -Infinity]) {
      expect(k.exports.exp_f64(x)).toBeGreaterThan(0);
      expect(k.exports.exp_f64(x)).toBeLessThan(1e-300);
    }
    expect(k.exports.exp_f64(NaN)).toBeNaN();
  });

  it('log is accurate on the softmax sum range [1, 10] and beyond', () => {
    let worst = 0;
    for (let x = 1; x <= 10; x += 0.00731) worst = Math.max(worst, Math.abs(k.exports.log_f64(x) - Math.log(x)));
    for (const x of [1e-30, 0.5, 2, 1e30]) worst = Math.max(worst, Math.abs(k.exports.log_f64(x) - Math.log(x)) / Math.abs(Math.log(x)));
    expect(worst).toBeLessThan(1e-14);
    expect(k.exports.log_f64(1)).toBe(0);
  });

  it('softmax cross-entropy on extreme logits: exact loss, finite gradient rows summing to 0', () => {
    const rows = [
      [1e4, -1e4, 0, 0, 0, 0, 0, 0, 0, 0],
      [-3e38, 3e38, 1, 2, 3, 4, 5, 6, 7, 8],
      [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
      [-90, -100, -110, -87, -88, -200, -300, -95, -89, -91],
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    ];
    const labels = [1, 0, 3, 5, 9];
    const B = rows.length;
    const z = k.alloc(B * 16 * 4), g = k.alloc(B * 16 * 4), order = k.alloc(B * 4), lab = k.alloc(16);
    rows.forEach((r, i) => k.f32(z + i * 64, 16).set(r));
    k.i32(order, B).set([0, 1, 2, 3, 4]);
    k.u8(lab, B).set(labels);
    k.f32(g, B * 16).fill(123);
    const sum = k.exports.f32_softmax_ce(z, g, 64, 0, B, B, order, lab);
    const f32 = rows.map((r) => r.map(Math.fround));
    const want = new Float32Array(B * 10);
    const loss = softmaxCrossEntropy(f32.flat(), labels, B, 10, want);
    expect(Math.abs(sum / B - loss) / loss).toBeLessThan(1e-12);
    const grad = k.f32(g, B * 16);
    for (let i = 0; i < B; i++) {
      let total = 0;
      for (let c = 0; c < 16; c++) {
        const v = grad[i * 16 + c];
        expect(Number.isFinite(v)).toBe(true);
        if (c >= 10) expect(v).toBe(0);
        else expect(Math.abs(v - want[i * 10 + c])).toBeLessThan(1e-7);
        total += v;
      }
      expect(Math.abs(total)).toBeLessThan(1e-7);
    }
  });
});
