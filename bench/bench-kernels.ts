// Kernel benchmark of the fused dense engine: GFLOP/s per kernel and shape beside the machine's
// measured peak (an FMA loop with nothing loaded), then ms per fused training step and the
// projected s/epoch (60,000 / batch steps) for the lesson MLP and the exercise's mlp-deep, on one
// and two threads (also with the other core kept busy), SIMD128 and relaxed SIMD.
//
//   npm run bench:kernels             (relaxed rows run in a child Node with --experimental-wasm-relaxed-simd)
//   npm run bench:kernels -- --cnn    the CNN engine's rows only (its GEMM shapes, data-movement kernels, step)
//
// Kernel rows are per CPU-second of this process (robust to time-slicing on a shared machine);
// step rows give the best wall time of several rounds and the CPU time (all threads) per step.
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { loadCnnKernels, loadDenseKernels, type DenseKernels } from '../src/kernels/dense-kernels.js';
import { cnnKernelRows, cnnStepRows } from './bench-cnn-kernels.js';
import { createDenseEngine, kernelSupport } from '../src/kernels/dense-engine.js';
import { packKernel, type DenseLayerPlan } from '../src/kernels/engine-layout.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { presetSpec } from '../src/models/presets.js';
import type { ModelSpec, ModelWeights } from '../src/models/spec.js';
import { layerShapes } from '../src/models/weight-shapes.js';

const child = process.argv.includes('--child');
/**
 * ms per call over `rounds` rounds of `reps` calls: `wall`, the best round (the one least
 * disturbed by other processes on a shared machine), and `cpu`, this process's CPU time per call
 * (all its threads) in the median round, which time-slicing by other processes does not inflate.
 */
function time(fn: () => void, reps: number, rounds = 7): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    wall.push((performance.now() - t0) / reps);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / reps);
  }
  return { wall: Math.min(...wall), cpu: [...cpu].sort((a, b) => a - b)[Math.floor(rounds / 2)] };
}
const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const fill = (a: Float32Array, s: number) => a.forEach((_, i) => (a[i] = Math.sin(i * 12.9898 + s) * 0.05));

function kernelRows(k: DenseKernels, isa: string): void {
  const peakIters = 500_000;
  const peakMs = time(() => k.exports.f32_peak_fma(peakIters), 1, 9).cpu;
  const peak = (peakIters * 12 * 4 * 2) / peakMs / 1e6;
  console.log(`\n${isa}: peak (12 independent f32x4 multiply-add chains, no loads) ${peak.toFixed(1)} GFLOP/s (per CPU-second, as every row)`);
  console.log('kernel'.padEnd(40) + 'shape M×K×N'.padEnd(16) + 'GFLOP/s'.padStart(9) + '  % peak');
  const row = (name: string, m: number, kk: number, n: number, t: { cpu: number }, ms = t.cpu) =>
    console.log(`${name.padEnd(40)}${`${m}×${kk}×${n}`.padEnd(16)}${((2 * m * kk * n) / ms / 1e6).toFixed(1).padStart(9)}  ${((((2 * m * kk * n) / ms / 1e6) / peak) * 100).toFixed(0).padStart(5)} %`);
  k.setHyper({ kind: 0, lr: 1e-9, decay: 1 });
  for (const [m, kk, n] of [[64, 784, 128], [256, 784, 128], [64, 784, 256], [64, 256, 128], [64, 128, 10]]) {
    const np = pad8(n);
    const a = k.alloc(m * kk * 4), w = k.alloc(kk * np * 4), b = k.alloc(np * 4), c = k.alloc(m * np * 4);
    fill(k.f32(a, m * kk), 1);
    packKernel({ inUnits: kk, units: n, k: kk, n: np } as DenseLayerPlan, k.f32(w, kk * np).map((_, i) => Math.cos(i)), k.f32(w, kk * np));
    const reps = Math.max(1, Math.round(1e8 / (m * kk * np)));
    row(`f32-gemm-4x8-${isa} (forward)`, m, kk, n, time(() => k.exports.f32_gemm_4x8(a, kk * 4, kk, w, b, c, np * 4, np / 8, 1, 0, m), reps));
    const o = k.alloc(m * kk * 4);
    row(`f32-gemm-nt-4x2-wasmsimd (dX, in the ${isa} module)`, m, n, kk, time(() => k.exports.f32_gemm_nt_4x2(c, np * 4, np / 8, w, kk, o, kk * 4, a, 1, 1, 0, m), reps));
    const wt = k.alloc(kk * np * 4);
    k.exports.x32_packw_transpose(w, kk, np, wt, 0, kk);
    row(`f32-gemm-dx-4x8-${isa} (dX on Wᵀ: the engine's)`, m, n, kk, time(() => k.exports.f32_gemm_dx_4x8(c, np * 4, np, wt, o, kk * 4, kk / 8, a, 1, 1, 0, m), reps));
    row(`f32-gemm-tn-update-4x8-${isa} (dW+SGD)`, kk, m, n, time(() => k.exports.f32_gemm_tn_update_4x8(a, kk * 4, c, np * 4, m, w, w, w, kk, np / 8, 0, kk), reps));
  }
}

function heWeights(spec: ModelSpec): ModelWeights {
  const { weights } = layerShapes(spec);
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  return { spec, weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => (w.name.endsWith('kernel') ? rnd() * Math.sqrt(6 / w.shape[0]) : 0)) })) };
}

/** A busy loop on another thread for `ms` (the "other core loaded" rows). */
function busyLoop(ms: number): Worker {
  return new Worker(`const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`, { eval: true });
}

async function stepRows(simd: 'simd128' | 'relaxed-simd'): Promise<void> {
  const { train } = await loadMnist();
  const n = train!.labels.length;
  const order = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
  console.log(`\nfused training step (${simd}), ${n} examples`);
  console.log('model'.padEnd(12) + 'optimizer'.padEnd(10) + 'batch'.padStart(6) + 'threads'.padStart(9) + '  load'.padEnd(18) + 'ms/step'.padStart(9) + 's/epoch'.padStart(10) + 'CPU ms/step'.padStart(13));
  const cases: [string, 'sgd' | 'adam', number][] = [['mlp', 'sgd', 64], ['mlp-deep', 'adam', 64], ['mlp', 'sgd', 256]];
  for (const [model, opt, batch] of cases) {
    const spec = presetSpec(model);
    for (const threads of [1, 2, 'auto'] as const) {
      const engine = await createDenseEngine({ spec, maxBatchSize: batch, seed: 1, simd, threads, threadHost: nodeThreadHost,
        optimizer: { name: opt, learningRate: opt === 'adam' ? 1e-3 : 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } });
      engine.setWeights(heWeights(spec));
      engine.setData(train!.images, train!.labels);
      let at = 0;
      const step = () => {
        if (at + batch > n) at = 0;
        engine.step(order, at, batch);
        at += batch;
      };
      for (const loaded of threads === 1 ? [false] : [false, true]) {
        const busy = loaded ? busyLoop(60_000) : undefined;
        const { wall: ms, cpu } = time(step, 60, threads === 'auto' ? 12 : 5);
        await busy?.terminate();
        const label = loaded ? 'other core busy' : 'quiet';
        console.log(`${model.padEnd(12)}${opt.padEnd(10)}${String(batch).padStart(6)}${String(threads).padStart(9)}  ${label.padEnd(16)}${ms.toFixed(3).padStart(9)}${((ms * Math.ceil(60000 / batch)) / 1000).toFixed(3).padStart(10)}${cpu.toFixed(3).padStart(13)}${threads === 'auto' ? `  (${engine.threadDecision})` : ''}`);
      }
      engine.dispose();
    }
  }
}

const support = await kernelSupport();
console.log(`Node ${process.version}; ${support.reasons.join('; ')}`);
const cnnOnly = process.argv.includes('--cnn');
if (!child) {
  if (!cnnOnly) kernelRows(await loadDenseKernels('simd128'), 'wasmsimd');
  if (!cnnOnly) await stepRows('simd128');
  cnnKernelRows(await loadCnnKernels('simd128', 2048), 'wasmsimd', time);
  await cnnStepRows('simd128', time);
}
if (support.relaxedSimd) {
  if (!cnnOnly) kernelRows(await loadDenseKernels('relaxed-simd'), 'wasmrelaxedsimd-fma');
  if (!cnnOnly) await stepRows('relaxed-simd');
  cnnKernelRows(await loadCnnKernels('relaxed-simd', 2048), 'wasmrelaxedsimd-fma', time);
  await cnnStepRows('relaxed-simd', time);
} else if (!child) {
  const res = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', process.argv[1], '--child', ...(cnnOnly ? ['--cnn'] : [])], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
process.exit(0);
