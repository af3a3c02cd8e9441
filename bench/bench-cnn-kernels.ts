// The CNN engine's rows of `npm run bench:kernels`: GFLOP/s of its GEMMs at the preset's shapes
// (batch 64), GB/s of its data-movement kernels, then ms per fused CNN step and the projected s/epoch
// on 1 and 2 threads. Kernel rows are per CPU-second of this process, as the dense rows.
import { createCnnEngine } from '../src/kernels/cnn-engine.js';
import type { CnnKernelExports, DenseKernels } from '../src/kernels/dense-kernels.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { presetSpec } from '../src/models/presets.js';
import type { ModelWeights } from '../src/models/spec.js';
import { layerShapes } from '../src/models/weight-shapes.js';

type Timer = (fn: () => void, reps: number, rounds?: number) => { wall: number; cpu: number };
const B = 64;

export function cnnKernelRows(k: DenseKernels<CnnKernelExports>, isa: string, time: Timer): void {
  const peakIters = 500_000;
  const peak = (peakIters * 96) / time(() => k.exports.f32_peak_fma(peakIters), 1, 9).cpu / 1e6;
  console.log(`\nCNN engine kernels, ${isa}, batch ${B} (peak ${peak.toFixed(1)} GFLOP/s, per CPU-second)`);
  const f = (n: number) => k.alloc(n * 4);
  const fill = (at: number, n: number) => k.f32(at, n).forEach((_, i, a) => (a[i] = Math.sin(i * 12.9898) * 0.05));
  const gemm = (name: string, m: number, kk: number, n: number, run: () => void) => {
    const ms = time(run, Math.max(1, Math.round(3e7 / (m * kk * n))), 5).cpu;
    const g = (2 * m * kk * n) / ms / 1e6;
    console.log(`${name.padEnd(52)}${`${m}×${kk}×${n}`.padEnd(16)}${g.toFixed(1).padStart(7)} GFLOP/s ${((g / peak) * 100).toFixed(0).padStart(4)} % peak`);
  };
  const move = (name: string, bytes: number, run: () => void) => {
    const ms = time(run, 3, 5).cpu;
    console.log(`${name.padEnd(52)}${`${(bytes / 2 ** 20).toFixed(1)} MiB`.padEnd(16)}${(bytes / ms / 1e6).toFixed(1).padStart(7)} GB/s    ${ms.toFixed(3)} ms`);
  };
  const x = f(B * 784), cols1 = f(B * 576 * 28), c1 = f(B * 576 * 16), p1 = f(B * 144 * 16), cols2 = f(B * 64 * 400), c2 = f(B * 64 * 32);
  const w1 = f(28 * 16), w2 = f(400 * 32), w2t = f(400 * 32), bias = f(400), s1 = f(400 * 32), s2 = f(400 * 32), d = f(400 * 32);
  [x, w1, w2, w2t, c2].forEach((at, i) => fill(at, [B * 784, 448, 12800, 12800, B * 2048][i]));
  k.setHyper({ kind: 0, lr: 1e-9, decay: 1 });
  gemm(`f32-gemm-4x8-${isa} (conv1 forward)`, B * 576, 28, 16, () => k.exports.f32_gemm_4x8(cols1, 112, 28, w1, bias, c1, 64, 2, 1, 0, B * 576));
  gemm(`f32-gemm-4x8-${isa} (conv2 forward)`, B * 64, 400, 32, () => k.exports.f32_gemm_4x8(cols2, 1600, 400, w2, bias, c2, 128, 4, 1, 0, B * 64));
  gemm(`f32-gemm-4x8-${isa} (conv2 dCols = dC2·W2ᵀ)`, B * 64, 32, 400, () => k.exports.f32_gemm_4x8(c2, 128, 32, w2t, bias, cols2, 1600, 50, 0, 0, B * 64));
  gemm(`f32-gemm-tn-update-4x8-rb128-${isa} (conv1 dW+SGD)`, 28, B * 576, 16, () => k.exports.f32_gemm_tn_update_4x8_rb(cols1, 112, c1, 64, B * 576, w1, s1, s2, 28, 2, 0, 28, d));
  gemm(`f32-gemm-tn-update-4x8-rb128-${isa} (conv2 dW+SGD)`, 400, B * 64, 32, () => k.exports.f32_gemm_tn_update_4x8_rb(cols2, 1600, c2, 128, B * 64, w2, s1, s2, 400, 4, 0, 400, d));
  gemm(`f32-gemm-tn-update-4x8-${isa} (conv2 dW, not blocked)`, 400, B * 64, 32, () => k.exports.f32_gemm_tn_update_4x8(cols2, 1600, c2, 128, B * 64, w2, s1, s2, 400, 4, 0, 400));
  move('f32-im2col-wasmsimd (conv1, writes)', B * 576 * 28 * 4, () => k.exports.f32_im2col(cols1, 112, x, 28, 28, 1, 5, 0, B));
  move('f32-im2col-wasmsimd (conv2, writes)', B * 64 * 400 * 4, () => k.exports.f32_im2col(cols2, 1600, p1, 12, 12, 16, 5, 0, B));
  move('f32-col2im-wasmsimd (conv2, reads)', B * 64 * 400 * 4, () => k.exports.f32_col2im(cols2, 1600, p1, 12, 12, 16, 5, 0, B));
  move('f32-maxpool-2x2-wasmsimd (pool1, reads)', B * 576 * 64, () => k.exports.f32_maxpool_2x2(c1, p1, 24, 24, 16, 0, B));
  move('f32-maxpool-2x2-backward-relu-wasmsimd (pool1, writes)', B * 576 * 64, () => k.exports.f32_maxpool_2x2_backward_relu(c1, p1, p1, c1, 24, 24, 16, 0, B));
  move('x32-packw-transpose-x8 (conv2 kernel)', 400 * 32 * 4, () => k.exports.x32_packw_transpose(w2, 400, 32, w2t, 0, 400));
}

function heWeights(): ModelWeights {
  const spec = presetSpec('cnn');
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  const weights = layerShapes(spec).weights.map((w) => {
    const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return { name: w.name, shape: [...w.shape], values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => (w.name.endsWith('kernel') ? rnd() * Math.sqrt(6 / fanIn) : 0)) };
  });
  return { spec, weights };
}

export async function cnnStepRows(simd: 'simd128' | 'relaxed-simd', time: Timer): Promise<void> {
  const { train } = await loadMnist();
  const n = train!.labels.length;
  const order = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
  console.log(`\nfused CNN training step (${simd}, Adam, batch ${B}), ${n} examples`);
  console.log('threads'.padEnd(9) + 'ms/step'.padStart(9) + 's/epoch'.padStart(10) + 'CPU ms/step'.padStart(13));
  for (const threads of [1, 2] as const) {
    const engine = await createCnnEngine({ spec: presetSpec('cnn'), maxBatchSize: B, seed: 1, simd, threads, threadHost: nodeThreadHost,
      optimizer: { name: 'adam', learningRate: 2e-3, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } });
    engine.setWeights(heWeights());
    engine.setData(train!.images, train!.labels);
    let at = 0;
    const step = () => {
      if (at + B > n) at = 0;
      engine.step(order, at, B);
      at += B;
    };
    const { wall, cpu } = time(step, 10, 5);
    console.log(`${String(engine.variant.threads).padEnd(9)}${wall.toFixed(2).padStart(9)}${((wall * Math.ceil(60000 / B)) / 1000).toFixed(2).padStart(10)}${cpu.toFixed(2).padStart(13)}`);
    engine.dispose();
  }
}
