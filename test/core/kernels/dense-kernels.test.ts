// Every micro-kernel of the dense engine against its scalar reference (src/kernels/dense-reference.ts),
// at the edge shapes (1, tile−1, tile+1) and the models' real shapes, in both instruction sets.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadDenseKernels, type DenseKernels } from '../../../src/kernels/dense-kernels.js';
import { kernelSupport } from '../../../src/kernels/kernel-support.js';
import { createDenseEngine } from '../../../src/kernels/dense-engine.js';
import { mlpSpec } from '../../../src/models/presets.js';
import { packKernel, type DenseLayerPlan } from '../../../src/kernels/engine-layout.js';
import { refGemm, refGemmNt, refGemmTn, refUpdate, type RefHyper } from '../../../src/kernels/dense-reference.js';
import { seededRandom } from '../../shared/seeded-random.js';

// Node 20 validates relaxed SIMD only behind this flag; V8 reads it at compile time.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const plan = (k: number, n: number) => ({ inUnits: k, units: n, k, n: pad8(n) }) as DenseLayerPlan;
function randn(n: number, rnd: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
}
/** max |a − b| / (1 + max |b|): float32 accumulation against float64. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return e / (1 + m);
}

/** Puts W [K, N] (Keras) into panels and A, bias in memory; returns the addresses. */
function place(k: DenseKernels, data: Record<string, Float32Array>) {
  const at: Record<string, number> = {};
  for (const [name, v] of Object.entries(data)) {
    at[name] = k.alloc(v.length * 4);
    k.f32(at[name], v.length).set(v);
  }
  return at;
}

const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 7, 7], [4, 8, 8], [5, 9, 9], [1, 784, 128], [64, 784, 128], [3, 128, 10], [64, 128, 10],
  [256, 784, 256], [64, 256, 128], [7, 100, 13],
];

for (const simd of ['simd128', 'relaxed-simd'] as const) {
  describe(`dense kernels (${simd})`, async () => {
    it('the feature test finds this variant', async () => {
      const s = await kernelSupport();
      expect(s.simd128).toBe(true);
      expect(s.relaxedSimd).toBe(true);
    });

    it.each(GEMM_SHAPES)('f32-gemm-4x8 (forward, bias, ReLU) M=%i K=%i N=%i', async (m, kk, n) => {
      const k = await loadDenseKernels(simd);
      const rnd = seededRandom(m * 1000 + kk + n);
      const a = randn(m * kk, rnd), w = randn(kk * n, rnd, 0.1), bias = randn(n, rnd);
      const panels = new Float32Array(kk * pad8(n));
      packKernel(plan(kk, n), w, panels);
      const biasPad = new Float32Array(pad8(n));
      biasPad.set(bias);
      const at = place(k, { a, panels, biasPad, c: new Float32Array(m * pad8(n)) });
      for (const relu of [0, 1]) {
        k.exports.f32_gemm_4x8(at.a, kk * 4, kk, at.panels, at.biasPad, at.c, pad8(n) * 4, pad8(n) / 8, relu, 0, m);
        const got = k.f32(at.c, m * pad8(n));
        const want = refGemm(a, m, kk, w, n, bias, relu === 1);
        const gotReal = Float32Array.from({ length: m * n }, (_, i) => got[Math.floor(i / n) * pad8(n) + (i % n)]);
        expect(relErr(gotReal, want)).toBeLessThan(1e-5);
        for (let r = 0; r < m; r++) for (let j = n; j < pad8(n); j++) expect(got[r * pad8(n) + j]).toBe(0);
      }
    });

    it.each(GEMM_SHAPES)('f32-gemm-nt-4x2 and f32-gemm-dx-4x8 on x32-packw-transpose\'s Wᵀ (dX = dY·Wᵀ, ReLU/dropout mask) M=%i K=%i N=%i', async (m, kIn, n) => {
      const k = await loadDenseKernels(simd);
      const kPad = pad8(kIn);
      const rnd = seededRandom(7 + m + kIn * 3 + n);
      const dy = randn(m * n, rnd), w = randn(kIn * n, rnd), d = randn(m * kPad, rnd);
      const dyPad = new Float32Array(m * pad8(n));
      for (let r = 0; r < m; r++) dyPad.set(dy.subarray(r * n, r * n + n), r * pad8(n));
      const panels = new Float32Array(kPad * pad8(n));
      packKernel({ ...plan(kIn, n), k: kPad }, w, panels);
      const wPad = new Float32Array(kPad * n);
      wPad.set(w);
      const at = place(k, { dyPad, panels, d, o: new Float32Array(m * kPad), wt: new Float32Array(kPad * pad8(n)).fill(NaN) });
      // Wᵀ in two row ranges (as two threads re-pack theirs), then dX on it: the padding rows of Wᵀ must come out 0.
      const half = Math.floor(kPad / 8) * 4;
      k.exports.x32_packw_transpose(at.panels, kPad, pad8(n), at.wt, 0, half);
      k.exports.x32_packw_transpose(at.panels, kPad, pad8(n), at.wt, half, kPad);
      expect(k.f32(at.wt, kPad * pad8(n)).every(Number.isFinite)).toBe(true);
      for (const [relu, scale] of [[0, 1], [1, 1.25]] as const) {
        const want = refGemmNt(dy, m, n, wPad, kPad, d, relu === 1, scale);
        k.exports.f32_gemm_nt_4x2(at.dyPad, pad8(n) * 4, pad8(n) / 8, at.panels, kPad, at.o, kPad * 4, at.d, relu, scale, 0, m);
        expect(relErr(k.f32(at.o, m * kPad), want)).toBeLessThan(1e-5);
        k.f32(at.o, m * kPad).fill(NaN);
        k.exports.f32_gemm_dx_4x8(at.dyPad, pad8(n) * 4, pad8(n), at.wt, at.o, kPad * 4, kPad / 8, at.d, relu, scale, 0, m);
        expect(relErr(k.f32(at.o, m * kPad), want)).toBeLessThan(1e-5);
      }
    });

    const updateShapes: [number, number, number][] = [[1, 4, 8], [3, 4, 9], [5, 8, 7], [64, 784, 128], [64, 128, 10], [256, 256, 128]];
    for (const kind of ['sgd', 'momentum', 'adam'] as const) {
      it.each(updateShapes)(`f32-gemm-tn-update-4x8 + f32-bias-update, ${kind} with weight decay, B=%i K=%i N=%i`, async (b, kIn, n) => {
        const k = await loadDenseKernels(simd);
        const rnd = seededRandom(b + kIn + n + kind.length);
        const x = randn(b * kIn, rnd), dy = randn(b * n, rnd, 0.01), w = randn(kIn * n, rnd, 0.1);
        const s1 = kind === 'sgd' ? new Float32Array(kIn * n) : randn(kIn * n, rnd, 0.01);
        const s2 = Float32Array.from({ length: kIn * n }, () => (kind === 'adam' ? rnd() * 1e-4 : 0));
        const bias = randn(n, rnd), bs1 = randn(n, rnd, 0.01), bs2 = Float32Array.from({ length: n }, () => rnd() * 1e-4);
        const nPad = pad8(n);
        const dyPad = new Float32Array(b * nPad);
        for (let r = 0; r < b; r++) dyPad.set(dy.subarray(r * n, r * n + n), r * nPad);
        const pk = (v: Float32Array) => {
          const p = new Float32Array(kIn * nPad);
          packKernel(plan(kIn, n), v, p);
          return p;
        };
        const padB = (v: Float32Array) => {
          const p = new Float32Array(nPad);
          p.set(v);
          return p;
        };
        const at = place(k, { x, dyPad, w: pk(w), s1: pk(s1), s2: pk(s2), bias: padB(bias), bs1: padB(bs1), bs2: padB(bs2) });
        const h: RefHyper = { kind, lr: 0.05, decay: Math.fround(1 - 0.05 * 0.01), momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, adamLr: 0.05 * Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3) };
        k.setHyper({ ...h, kind: kind === 'sgd' ? 0 : kind === 'momentum' ? 1 : 2 });
        k.exports.f32_gemm_tn_update_4x8(at.x, kIn * 4, at.dyPad, nPad * 4, b, at.w, at.s1, at.s2, kIn, nPad / 8, 0, kIn);
        k.exports.f32_bias_update(at.dyPad, nPad * 4, b, at.bias, at.bs1, at.bs2, nPad);
        // Reference: gradient in float64, then the same elementwise float32 update.
        const g = refGemmTn(x, b, kIn, dy, n);
        const gb = Float32Array.from({ length: n }, (_, j) => dy.reduce((s, v, i) => (i % n === j ? s + v : s), 0));
        refUpdate(h, w, g, s1, s2);
        refUpdate({ ...h, decay: 1 }, bias, gb, bs1, bs2);
        const unpack = (addr: number) => Float32Array.from({ length: kIn * n }, (_, i) => k.f32(addr, kIn * nPad)[(Math.floor((i % n) / 8) * kIn + Math.floor(i / n)) * 8 + ((i % n) & 7)]);
        expect(relErr(unpack(at.w), w)).toBeLessThan(2e-6);
        expect(relErr(unpack(at.s1), s1)).toBeLessThan(1e-5);
        if (kind === 'adam') expect(relErr(unpack(at.s2), s2)).toBeLessThan(1e-5);
        expect(relErr(k.f32(at.bias, n), bias)).toBeLessThan(2e-6);
        expect(relErr(k.f32(at.bs1, n), bs1)).toBeLessThan(1e-5);
      });
    }
  });
}

describe('relaxed SIMD engine', () => {
  it('is chosen by the feature test when it validates, and trains like the SIMD128 one', async () => {
    const spec = mlpSpec({ hidden: [48, 16] });
    const rnd = seededRandom(3);
    const n = 64;
    const images = Uint8Array.from({ length: n * 784 }, () => (rnd() < 0.3 ? Math.floor(rnd() * 256) : 0));
    const labels = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 10));
    const weights = {
      spec,
      weights: [[784, 48], [48], [48, 16], [16], [16, 10], [10]].map((shape, i) => ({
        name: `dense_${(i >> 1) + 1}/${i % 2 ? 'bias' : 'kernel'}`, shape, values: randn(shape.reduce((a, b) => a * b, 1), rnd, i % 2 ? 0 : 0.1),
      })),
    };
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const run = async (simd: 'auto' | 'simd128') => {
      const e = await createDenseEngine({ spec, maxBatchSize: 16, seed: 1, simd, threads: 1, optimizer: { name: 'adam', learningRate: 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 } });
      e.setWeights(weights);
      e.setData(images, labels);
      const losses = [0, 1, 2, 3].map((i) => e.step(order, i * 16, 16));
      const out = { variant: e.variant, losses, w: e.getWeights() };
      e.dispose();
      return out;
    };
    const [relaxed, simd] = [await run('auto'), await run('simd128')];
    expect(relaxed.variant.simd).toBe('relaxed-simd');
    expect(relaxed.variant.reasons[0]).toBe('relaxed SIMD: WebAssembly.validate accepts f32x4.relaxed_madd');
    expect(simd.variant.simd).toBe('simd128');
    relaxed.losses.forEach((l, i) => expect(Math.abs(l - simd.losses[i])).toBeLessThan(1e-4));
    relaxed.w.weights.forEach((t, i) => expect(relErr(t.values, simd.w.weights[i].values)).toBeLessThan(1e-4));
  });
});

describe('f32-dropout (in-kernel, counter-based)', () => {
  it('matches the scalar reference mask for every (seed, step, layer, row), keeps 1 − rate, mean 1', async () => {
    const { CTRL, LAYER } = await import('../../../src/kernels/generated/dense-train-wasm.js');
    const { refDropoutMask } = await import('../../../src/kernels/dense-reference.js');
    const { dropoutThreshold } = await import('../../../src/kernels/engine-layout.js');
    const k = await loadDenseKernels('simd128');
    const rows = 37, n = 136, rate = 0.3;
    const out = k.alloc(rows * n * 4);
    const rec = CTRL.layerTable;
    const thr = dropoutThreshold(rate);
    const masks: Float32Array[] = [];
    for (const [seed, step, layer] of [[1, 0, 0], [1, 0, 1], [1, 1, 0], [2, 0, 0], [-7, 123456, 5]]) {
      k.i32(CTRL.seed, 1)[0] = seed;
      k.i32(CTRL.step, 1)[0] = step;
      k.i32(rec + LAYER.n, 1)[0] = n;
      k.i32(rec + LAYER.out, 1)[0] = out;
      k.i32(rec + LAYER.dropThreshold, 1)[0] = thr;
      k.f32(rec + LAYER.dropScale, 1)[0] = 256 / thr;
      k.f32(out, rows * n).fill(1);
      k.exports.f32_dropout(rec, layer, 0, 20);
      k.exports.f32_dropout(rec, layer, 20, rows); // split like two threads: same mask
      const got = k.f32(out, rows * n).slice();
      expect(got).toEqual(refDropoutMask(seed, step, layer, rows, n, thr));
      const kept = got.filter((v) => v > 0).length / got.length;
      expect(Math.abs(kept - thr / 256)).toBeLessThan(0.03);
      expect(Math.abs(got.reduce((a, v) => a + v, 0) / got.length - 1)).toBeLessThan(0.05);
      masks.push(got);
    }
    // Another layer, step or seed draws another mask.
    for (let i = 1; i < masks.length; i++) expect(masks[i]).not.toEqual(masks[0]);
  });
});
