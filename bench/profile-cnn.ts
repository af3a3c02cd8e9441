/**
 * Per-op profile of one CNN training step (batch 64) on the active tfjs
 * backend: which kernels the step's time goes to. Prints a table sorted by
 * time, and the step's wall time; first, the wall and CPU time per step of the
 * tfjs formulation, the GEMM/JS one and the fused CNN engine (1 thread, the
 * variant Node picks), interleaved in one run. The fused step's own breakdown
 * per kernel: `npm run bench:kernels -- --cnn`.
 *
 *   node bench/build.mjs bench/profile-cnn.ts [--backend wasm|cpu] [--steps N]
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../src/data/rng.js';
import { convGradientPath } from '../src/models/conv-gemm.js';
import { createCnnEngine } from '../src/kernels/cnn-engine.js';
import { Network } from '../src/models/network.js';
import { presetSpec } from '../src/models/presets.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { softmaxCrossEntropy } from '../src/train/softmax-cross-entropy.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as 'wasm' | 'cpu';
const steps = Number(arg('steps', '20'));
const B = 64;
await useNodeBackend(backend);
const rng = createRng(0);
const net = Network.create(presetSpec('cnn'), rng);
const x = Float32Array.from({ length: B * 784 }, () => rng.next());
const labels = Int32Array.from({ length: B }, () => Math.floor(rng.next() * 10));
const grad = new Float32Array(B * 10);

function step(): void {
  tf.tidy(() => {
    const { logits, caches } = net.forward(tf.tensor2d(x, [B, 784]), true, rng);
    softmaxCrossEntropy(logits.dataSync(), labels, B, 10, grad);
    const grads = net.backward(tf.tensor2d(grad, [B, 10]), caches);
    for (const g of grads) g.dataSync();
  });
}
// The fused engine on the same batch (uint8 pixels of x), from the network's weights.
const engine = await createCnnEngine({ spec: net.spec, maxBatchSize: B, seed: 0, threads: 1,
  optimizer: { name: 'adam', learningRate: 1e-9, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } });
engine.setWeights(await net.getWeights());
engine.setData(Uint8Array.from(x, (v) => Math.round(v * 255)), Uint8Array.from(labels));
const order = Int32Array.from({ length: B }, (_, i) => i);
// The three, interleaved so that a busy machine slows all alike; CPU time is this process's (no helper threads here).
const modes = ['tfjs', 'gemm', 'fused'] as const;
const wallMs = { gemm: 0, tfjs: 0, fused: 0 };
const cpuMs = { gemm: 0, tfjs: 0, fused: 0 };
for (let i = 0; i < steps + 2; i++) {
  for (const mode of modes) {
    if (mode !== 'fused') convGradientPath.mode = mode;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (mode === 'fused') engine.step(order, 0, B);
    else step();
    const c = process.cpuUsage(c0);
    if (i >= 2) {
      wallMs[mode] += (performance.now() - t0) / steps;
      cpuMs[mode] += (c.user + c.system) / 1000 / steps;
    }
  }
}
engine.dispose();
const epoch = (ms: number) => `${((ms * 938) / 1000).toFixed(1)} s/epoch`;
for (const mode of modes) {
  console.log(`${{ tfjs: 'tfjs formulation', gemm: 'GEMM/JS formulation (the tfjs path on WASM)', fused: `fused CNN engine (${engine.variant.simd}, 1 thread)` }[mode].padEnd(48)} wall ${wallMs[mode].toFixed(1).padStart(6)} ms/step (${epoch(wallMs[mode])}), CPU ${cpuMs[mode].toFixed(1).padStart(6)} ms/step (${epoch(cpuMs[mode])})`);
}
console.log(`fused engine over the tfjs path on WASM, same run: ${(wallMs.gemm / wallMs.fused).toFixed(2)}x wall, ${(cpuMs.gemm / cpuMs.fused).toFixed(2)}x CPU`);
const profiled = (process.argv.includes('--tfjs') ? 'tfjs' : 'gemm') as 'tfjs' | 'gemm';
convGradientPath.mode = profiled;
const wall = wallMs[profiled];

const totals = new Map<string, { ms: number; calls: number; shapes: string }>();
const runs = 5;
for (let r = 0; r < runs; r++) {
  const info = await tf.profile(() => step());
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s?.join(',')}]`).join(' ')}`;
    const t = totals.get(key) ?? { ms: 0, calls: 0, shapes: '' };
    t.ms += ms / runs;
    t.calls += 1 / runs;
    totals.set(key, t);
  }
}
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
const sum = rows.reduce((a, [, t]) => a + t.ms, 0);
console.log(`CNN step, batch ${B}, ${backend}, ${profiled} gradients: ${wall.toFixed(1)} ms wall per step (${((wall * 938) / 1000).toFixed(1)} s/epoch at 938 steps); kernels sum ${sum.toFixed(1)} ms`);
for (const [key, t] of rows.slice(0, 30)) console.log(`${t.ms.toFixed(2).padStart(8)} ms  ${(100 * t.ms / sum).toFixed(1).padStart(5)} %  x${t.calls.toFixed(0)}  ${key}`);
