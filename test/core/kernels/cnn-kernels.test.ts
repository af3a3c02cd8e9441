// The CNN engine's own kernels against their scalar references (src/kernels/cnn-reference.ts,
// dense-reference.ts) at edge shapes and the model's real shapes, in both instruction sets.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadCnnKernels, type CnnKernelExports, type DenseKernels } from '../../../src/kernels/dense-kernels.js';
import { packKernel, type DenseLayerPlan } from '../../../src/kernels/engine-layout.js';
import { refCol2im, refIm2col, refMaxPool2, refMaxPool2BackwardRelu } from '../../../src/kernels/cnn-reference.js';
import { refGemmTn, refUpdate, type RefHyper } from '../../../src/kernels/dense-reference.js';
import { seededRandom } from '../../shared/seeded-random.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

type K = DenseKernels<CnnKernelExports>;
const randn = (n: number, rnd: () => number, scale = 1) => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
function put(k: K, v: Float32Array): number {
  const at = k.alloc(v.length * 4 + 64);
  k.f32(at, v.length).set(v);
  return at;
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return a.length === b.length ? e : Infinity;
}

// [samples, H, W, C, KS, ldc floats]: edges (1×1 kernel, C = 1, 3, 4, 5, a window as large as the input, short
// segments copied as 32 bytes), then conv1 and conv2 of the preset (16 samples: the geometry is per sample).
const IM2COL: [number, number, number, number, number, number][] = [
  [1, 1, 1, 1, 1, 1], [2, 4, 5, 3, 2, 13], [1, 5, 5, 4, 5, 100], [3, 6, 4, 5, 3, 48], [2, 6, 6, 1, 3, 16], [16, 28, 28, 1, 5, 28], [16, 12, 12, 16, 5, 400],
];
// [samples, H, W, C]: edges, then pool1 and pool2 of the preset.
const POOL: [number, number, number, number][] = [[1, 2, 2, 4], [2, 4, 6, 8], [3, 2, 8, 12], [16, 24, 24, 16], [16, 8, 8, 32]];

for (const simd of ['simd128', 'relaxed-simd'] as const) {
  describe(`CNN kernels (${simd})`, () => {
    it.each(IM2COL)('f32-im2col and f32-col2im: S=%i H=%i W=%i C=%i KS=%i ldc=%i', async (s, h, w, c, ks, ldc) => {
      const k = await loadCnnKernels(simd, 1024);
      const rnd = seededRandom(s * 31 + h + c * 7 + ks);
      const x = randn(s * h * w * c, rnd);
      const rows = s * (h - ks + 1) * (w - ks + 1);
      const xAt = put(k, x);
      const colsAt = put(k, new Float32Array(rows * ldc).fill(7)); // garbage in the padding columns must be overwritten
      // Two calls on sample ranges [0, 1) and [1, s), as two threads would split them.
      k.exports.f32_im2col(colsAt, ldc * 4, xAt, h, w, c, ks, 0, 1);
      k.exports.f32_im2col(colsAt, ldc * 4, xAt, h, w, c, ks, 1, s);
      expect(maxAbsDiff(k.f32(colsAt, rows * ldc), refIm2col(x, s, h, w, c, ks, ldc))).toBe(0);
      const dCols = randn(rows * ldc, rnd);
      const dColsAt = put(k, dCols);
      const dxAt = put(k, new Float32Array(x.length).fill(3)); // zeroed by the kernel first
      k.exports.f32_col2im(dColsAt, ldc * 4, dxAt, h, w, c, ks, 0, 1);
      k.exports.f32_col2im(dColsAt, ldc * 4, dxAt, h, w, c, ks, 1, s);
      expect(maxAbsDiff(k.f32(dxAt, x.length), refCol2im(dCols, s, h, w, c, ks, ldc))).toBeLessThan(1e-5);
    });

    it.each(POOL)('f32-maxpool-2x2 and its backward with the ReLU mask: S=%i H=%i W=%i C=%i', async (s, h, w, c) => {
      const k = await loadCnnKernels(simd, 1024);
      const rnd = seededRandom(s + h * 3 + w * 5 + c);
      // ReLU outputs with ties: a third zeros, and values on a coarse grid so that equal maxima occur.
      const x = Float32Array.from({ length: s * h * w * c }, () => (rnd() < 0.33 ? 0 : Math.floor(rnd() * 4) / 4));
      const yLen = s * (h >> 1) * (w >> 1) * c;
      const xAt = put(k, x), yAt = put(k, new Float32Array(yLen));
      k.exports.f32_maxpool_2x2(xAt, yAt, h, w, c, 0, s);
      const y = refMaxPool2(x, s, h, w, c);
      expect(maxAbsDiff(k.f32(yAt, yLen), y)).toBe(0);
      const dy = randn(yLen, rnd);
      const dyAt = put(k, dy), dxAt = put(k, new Float32Array(x.length).fill(9));
      k.exports.f32_maxpool_2x2_backward_relu(xAt, yAt, dyAt, dxAt, h, w, c, 0, 1);
      k.exports.f32_maxpool_2x2_backward_relu(xAt, yAt, dyAt, dxAt, h, w, c, 1, s);
      const want = refMaxPool2BackwardRelu(x, dy, s, h, w, c);
      expect(maxAbsDiff(k.f32(dxAt, x.length), want)).toBe(0);
      // Each window passes its gradient to exactly one input (or none when its maximum is 0).
      expect(want.filter((v) => v !== 0).length).toBeLessThanOrEqual(yLen);
    });

    it.each([[8, 8], [16, 24], [400, 32]])('x32-packw-transpose-x8: K=%i N=%i, in two row ranges', async (kk, n) => {
      const k = await loadCnnKernels(simd);
      const w = randn(kk * n, seededRandom(kk + n));
      const panels = new Float32Array(kk * n);
      packKernel({ inUnits: kk, units: n, k: kk, n } as DenseLayerPlan, w, panels);
      const wAt = put(k, panels), tAt = put(k, new Float32Array(kk * n));
      const half = Math.floor(kk / 2 / 4) * 4;
      k.exports.x32_packw_transpose(wAt, kk, n, tAt, 0, half);
      k.exports.x32_packw_transpose(wAt, kk, n, tAt, half, kk);
      // Wᵀ [N, K] packed as [K/8][N][8]
      const wT = Float32Array.from({ length: n * kk }, (_, i) => w[(i % kk) * n + Math.floor(i / kk)]);
      const want = new Float32Array(kk * n);
      packKernel({ inUnits: n, units: kk, k: n, n: kk } as DenseLayerPlan, wT, want);
      expect(maxAbsDiff(k.f32(tAt, kk * n), want)).toBe(0);
    });

    // [rows, K, N]: one block, a block + 1 row, a block − 1, several blocks + a tail, then conv1's and conv2's dW (batch 16).
    const TN: [number, number, number][] = [[1, 4, 8], [129, 8, 8], [127, 4, 16], [300, 12, 24], [16 * 576, 28, 16], [16 * 64, 400, 32]];
    it.each(TN)('f32-gemm-tn-update-4x8-rb128, Adam with weight decay: rows=%i K=%i N=%i', async (rows, kk, n) => {
      const k = await loadCnnKernels(simd, 2048);
      const rnd = seededRandom(rows + kk + n);
      const x = randn(rows * kk, rnd), dy = randn(rows * n, rnd, 0.01), w = randn(kk * n, rnd, 0.1);
      const s1 = randn(kk * n, rnd, 0.01), s2 = Float32Array.from({ length: kk * n }, () => rnd() * 1e-4);
      const pk = (v: Float32Array) => {
        const p = new Float32Array(kk * n);
        packKernel({ inUnits: kk, units: n, k: kk, n } as DenseLayerPlan, v, p);
        return p;
      };
      const at = { x: put(k, x), dy: put(k, dy), w: put(k, pk(w)), s1: put(k, pk(s1)), s2: put(k, pk(s2)), d: put(k, new Float32Array(kk * n)) };
      const h: RefHyper = { kind: 'adam', lr: 0.01, decay: Math.fround(1 - 0.01 * 0.01), momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, adamLr: (0.01 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2) };
      k.setHyper({ ...h, kind: 2 });
      const split = Math.floor(kk / 2 / 4) * 4; // two threads' rows of W
      k.exports.f32_gemm_tn_update_4x8_rb(at.x, kk * 4, at.dy, n * 4, rows, at.w, at.s1, at.s2, kk, n / 8, 0, split, at.d);
      k.exports.f32_gemm_tn_update_4x8_rb(at.x, kk * 4, at.dy, n * 4, rows, at.w, at.s1, at.s2, kk, n / 8, split, kk, at.d);
      const g = refGemmTn(x, rows, kk, dy, n);
      const [wr, s1r, s2r] = [w.slice(), s1.slice(), s2.slice()];
      refUpdate(h, wr, g, s1r, s2r);
      expect(maxAbsDiff(k.f32(at.w, kk * n), pk(wr))).toBeLessThan(2e-5);
      expect(maxAbsDiff(k.f32(at.s1, kk * n), pk(s1r))).toBeLessThan(1e-5 * (1 + Math.sqrt(rows) / 10));
    });
  });
}
