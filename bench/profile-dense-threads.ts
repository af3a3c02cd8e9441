// Where a fused dense step's time goes on 1 and 2 threads: a profiling build of the threaded
// module (the same kernels; `env.now` = performance.now stamps each phase per thread), the lesson
// MLP (784-128-10, batch 64, SGD 0.1; or `--mlp-deep`: 784-256-128-10, Adam, dropout, its recipe's batch) on MNIST, and the JS time between two steps.
//
//   node bench/build.mjs bench/profile-dense-threads.ts [steps] [--mlp-deep] [--relaxed]
//
// Prints µs per step per phase and thread (best of 5 rounds): gather, forward, loss + dX, the
// mid-step barrier's wait, the updates, the end barrier's wait, and the helper's wake-up latency.
import wabtInit from 'wabt';
import { Worker } from 'node:worker_threads';
import { CTRL } from '../src/kernels/generated/dense-train-wasm.js';
import { FusedDenseEngine } from '../src/kernels/fused-dense-engine.js';
import { planEngine } from '../src/kernels/engine-layout.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { presetSpec } from '../src/models/presets.js';
import { PRESET_RECIPES } from '../src/train/recipes.js';
import { layerShapes } from '../src/models/weight-shapes.js';
import type { ModelSpec, ModelWeights } from '../src/models/spec.js';

/** Per-thread stamp area (free bytes between the CNN record and CTRL_END): [last, acc[1..]]. */
const PROF = 2048;
const MAX_STEPS = 4096;
const PHASES = ['wake', 'gather', 'forward', 'loss+dX', 'barrier 1', 'update', 'barrier 2', '(of loss+dX: softmax)'];

const mark = (id: number) => `(call $mark (local.get $tid) (i32.const ${id}))`;

/** The threaded module of `isa` with stamps: the generator's text, the step program swapped for a stamped copy. */
async function profiledWat(isa: 'simd' | 'relaxed'): Promise<string> {
  // Typed as a string so that tsc does not look for declarations of the .mjs generator; esbuild bundles it.
  const gen = (await import('../src/kernels/gen/dense-train-module.mjs' as string)) as { denseTrainWat(v: { isa: string; threads: boolean }): string };
  let wat = gen.denseTrainWat({ isa, threads: true });
  const swap = (from: string, to: string, what: string) => {
    if (!wat.includes(from)) throw new Error(`${what} changed: update the profiler`);
    wat = wat.replace(from, to);
  };
  swap('(memory 1 65536 shared))', '(memory 1 65536 shared))\n  (import "env" "now" (func $now (result f64)))', 'the memory import');
  // Futex waits: barrier waits counted at PROF+128, idle helper waits at PROF+132.
  swap('(if (i32.eq (memory.atomic.wait32', `(drop (i32.atomic.rmw.add (i32.const ${PROF + 128}) (i32.const 1)))\n      (if (i32.eq (memory.atomic.wait32`, 'the barrier');
  swap(`(drop (memory.atomic.wait32 (i32.const ${CTRL.gen})`, `(drop (i32.atomic.rmw.add (i32.const ${PROF + 132}) (i32.const 1)))\n      (drop (memory.atomic.wait32 (i32.const ${CTRL.gen})`, 'the helper loop');
  // The helper: stamp its wake-up and its end barrier; thread 0 the same in train_step.
  swap(
    `(drop (call $run_step (local.get $tid) (i32.load (i32.const ${CTRL.threads}))))\n      (call $barrier (i32.load (i32.const ${CTRL.threads})))`,
    `${mark(1)}\n      (drop (call $run_step (local.get $tid) (i32.load (i32.const ${CTRL.threads}))))\n      (call $barrier (i32.load (i32.const ${CTRL.threads})))\n      ${mark(7)}`,
    'the helper loop',
  );
  swap(
    `(local.set $total (call $run_step (i32.const 0) (local.get $nt)))\n    (call $barrier (local.get $nt))`,
    `(call $mark (i32.const 0) (i32.const 1))\n    (local.set $total (call $run_step (i32.const 0) (local.get $nt)))\n    (call $barrier (local.get $nt))\n    (call $mark (i32.const 0) (i32.const 7))`,
    'train_step',
  );
  const dx = ';; dX of every layer but the first';
  swap(dx, `${mark(8)}\n    ${dx}`, 'layers_backward');
  const a = wat.indexOf('  (func $run_step');
  const b = wat.indexOf('  ;; The fused training step', a);
  if (a < 0 || b < 0) throw new Error('run_step changed: update the profiler');
  const runStep = `  (func $run_step (param $tid i32) (param $nt i32) (result f64)
    (local $B i32) (local $r0 i32) (local $r1 i32) (local $total f64)
    (local.set $B (i32.load (i32.const ${CTRL.batch})))
    (local.set $r0 (call $share (local.get $B) (local.get $tid) (local.get $nt)))
    (local.set $r1 (call $share (local.get $B) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (call $gather (local.get $r0) (local.get $r1))
    ${mark(2)}
    (call $layers_forward (local.get $r0) (local.get $r1))
    ${mark(3)}
    (drop (call $layers_backward (local.get $tid) (local.get $r0) (local.get $r1) (local.get $B)))
    ${mark(4)}
    (call $barrier (local.get $nt))
    ${mark(5)}
    (local.set $total (call $batch_loss (local.get $B)))
    (if (i32.eqz (f64.lt (f64.abs (local.get $total)) (f64.const inf))) (then (return (local.get $total))))
    (call $layers_update (local.get $tid) (local.get $nt) (local.get $B))
    ${mark(6)}
    (local.get $total))

  ;; The barrier's spin loop alone, n rounds (the generation never changes here): rounds per ns.
  (func (export "spin_probe") (param $n i32) (result i32)
    (local $i i32) (local $g i32)
    (local.set $g (i32.atomic.load (i32.const ${CTRL.barrierGen})))
    (block $done (loop $s
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (i32.atomic.load (i32.const ${CTRL.barrierGen})) (local.get $g)) (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $s)))
    (local.get $i))

  ;; Stamp id of this thread's current step: buf[tid][step][id] = now; id 7 ends the step.
  (func $mark (param $tid i32) (param $id i32)
    (local $c i32) (local $a i32)
    (local.set $c (i32.add (i32.const ${PROF}) (i32.shl (local.get $tid) (i32.const 2))))
    (local.set $a (i32.add (i32.load (i32.const ${PROF + 64}))
      (i32.add (i32.mul (i32.add (i32.mul (local.get $tid) (i32.const ${MAX_STEPS})) (i32.load (local.get $c))) (i32.const 72))
        (i32.shl (local.get $id) (i32.const 3)))))
    (f64.store (local.get $a) (call $now))
    (if (i32.eq (local.get $id) (i32.const 7))
      (then (i32.store (local.get $c) (i32.rem_u (i32.add (i32.load (local.get $c)) (i32.const 1)) (i32.const ${MAX_STEPS}))))))
`;
  return wat.slice(0, a) + runStep + wat.slice(b);
}

function heWeights(spec: ModelSpec): ModelWeights {
  const { weights } = layerShapes(spec);
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  return { spec, weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => (w.name.endsWith('kernel') ? rnd() * Math.sqrt(6 / w.shape[0]) : 0)) })) };
}

const HELPER = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', (init) => {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory, now: () => performance.now() } });
  parentPort.postMessage('ready');
  instance.exports.helper_loop(init.index);
});`;

const steps = Number(process.argv[2] ?? 300);
/** Busy JS time between two steps (µs), as a trainer's bookkeeping takes. */
const gapMs = Number(process.argv.find((a) => a.startsWith('--gap='))?.slice(6) ?? 0) / 1000;
const spinArg = process.argv.find((a) => a.startsWith('--spin='))?.slice(7).split(',').map(Number);
const isa = process.argv.includes('--relaxed') ? 'relaxed' : 'simd';
const wabt = await wabtInit();
const features = { simd: true, relaxed_simd: true, threads: true, sat_float_to_int: true, bulk_memory: true };
const mod = wabt.parseWat('profile.wat', await profiledWat(isa), features);
(mod as unknown as { validate(f: object): void }).validate(features); // wabt's typings omit the features argument
const module = await WebAssembly.compile(mod.toBinary({}).buffer as Uint8Array<ArrayBuffer>);
const { train } = await loadMnist();
const n = train!.labels.length;
const order = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
const preset = process.argv.includes('--mlp-deep') ? 'mlp-deep' : 'mlp';
/** The preset's own recipe: the lesson's batch 64 SGD, or the exercise's Adam with dropout at its recipe's batch. */
const batch = PRESET_RECIPES[preset].batchSize!;
const spec = presetSpec(preset);
const plan = planEngine(spec, batch);
const optimizer = preset === 'mlp'
  ? { name: 'sgd' as const, learningRate: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 }
  : { name: 'adam' as const, learningRate: 3e-3, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 };
const options = { spec, maxBatchSize: batch, seed: 1, optimizer };

const memory = new WebAssembly.Memory({ initial: Math.ceil(plan.dataStart / 65536), maximum: 16384, shared: true });
const worker = new Worker(HELPER, { eval: true });
await new Promise<void>((resolve) => {
  worker.once('message', () => resolve());
  worker.postMessage({ module, memory, index: 1 });
});
const instance = await WebAssembly.instantiate(module, { env: { memory, now: () => performance.now() } });
const engine = new FusedDenseEngine({ ...options, threads: 2 }, { simd: isa === 'relaxed' ? 'relaxed-simd' : 'simd128', threads: 2, reasons: [] }, memory, instance, [{ terminate: () => void worker.terminate() }], plan);
engine.setWeights(heWeights(spec));
engine.setData(train!.images, train!.labels);
if (spinArg) {
  const i32 = new Int32Array(memory.buffer);
  i32[CTRL.spin / 4] = i32[CTRL.spinNow / 4] = spinArg[0];
  i32[CTRL.idleSpin / 4] = i32[CTRL.idleSpinNow / 4] = spinArg[1];
}
// Fixed thread counts: the governor must not switch mid-measurement.
(engine as unknown as { governor: { next(): number; record(): void } }).governor = { next: () => threadsNow, record: () => {} };
let threadsNow = 2;

// The stamp buffer after the data set.
const bufAt = Math.ceil((plan.dataStart + n * 64 + n * 784) / 65536) * 65536 + 65536;
memory.grow(Math.ceil((bufAt + 2 * MAX_STEPS * 72 - memory.buffer.byteLength) / 65536) + 1);
new Int32Array(memory.buffer, PROF, 17)[16] = bufAt;

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
function round(threads: number) {
  threadsNow = threads;
  new Int32Array(memory.buffer, PROF, 4).fill(0);
  new Int32Array(memory.buffer, PROF + 128, 2).fill(0);
  let at = 0;
  const wall: number[] = [];
  const js: number[] = [];
  let end = performance.now();
  for (let i = 0; i < steps; i++) {
    if (at + batch > n) at = 0;
    const s0 = performance.now();
    js.push(s0 - end);
    engine.step(order, at, batch);
    end = performance.now();
    while (performance.now() - end < gapMs);
    wall.push(end - s0);
    at += batch;
  }
  const st = new Float64Array(memory.buffer, bufAt, 2 * MAX_STEPS * 9);
  // phases[t][i] = per-step durations of phase i (wake = helper stamp 1 - thread 0 stamp 1).
  const phases = [0, 1].slice(0, threads).map((t) =>
    PHASES.map((_, i) => Array.from({ length: steps }, (_, s) => {
      const b = (t * MAX_STEPS + s) * 9;
      if (i === 0) return t === 0 ? 0 : st[b + 1] - st[s * 9 + 1];
      if (i === 7) return st[b + 8] - st[b + 3];
      return st[b + i + 1] - st[b + i];
    })));
  const [barrierWaits, idleWaits] = new Int32Array(memory.buffer, PROF + 128, 2);
  return { wall, js, phases, barrierWaits, idleWaits };
}

for (const threads of [1, 2]) round(threads);
const q = Number(process.argv.find((a) => a.startsWith('--q='))?.slice(4) ?? 0.25);
console.log(`profiled fused step, ${preset}, batch ${batch}, ${optimizer.name}, ${isa}, ${steps} steps a round; per-step quantile ${q} of each phase (µs)`);
const summary: Record<number, number> = {};
for (const threads of [1, 2, 1, 2]) {
  const r = round(threads);
  const w = pct(r.wall, q);
  summary[threads] = w;
  console.log(`\n${threads} thread(s): step ${(w * 1000).toFixed(1)} µs (median ${(pct(r.wall, 0.5) * 1000).toFixed(1)}) = ${((w * Math.ceil(60000 / batch)) / 1000).toFixed(3)} s/epoch; JS between steps ${(pct(r.js, q) * 1000).toFixed(1)} µs; futex waits per step: barriers ${(r.barrierWaits / steps).toFixed(2)}, idle helper ${(r.idleWaits / steps).toFixed(2)} (spin budgets now ${new Int32Array(memory.buffer)[CTRL.spinNow / 4]}, ${new Int32Array(memory.buffer)[CTRL.idleSpinNow / 4]}); mean step ${((r.wall.reduce((a, b) => a + b, 0) / steps) * 1000).toFixed(1)} µs`);
  for (let t = 0; t < threads; t++) console.log(`  thread ${t}: ` + PHASES.map((p, i) => `${p} ${(pct(r.phases[t][i], q) * 1000).toFixed(1)}`).join(', '));
}
const probe = (instance.exports as unknown as { spin_probe(n: number): number }).spin_probe;
const spinTimes = Array.from({ length: 5 }, () => {
  const t0 = performance.now();
  probe(2_000_000);
  return performance.now() - t0;
});
const spinRate = 2_000_000 / (Math.min(...spinTimes) * 1e6);
const i32 = new Int32Array(memory.buffer);
console.log(`\nbarrier spin loop: ${spinRate.toFixed(2)} rounds/ns (fastest of 5 × 2M; the first, before tier-up, ${(2_000_000 / (spinTimes[0] * 1e6)).toFixed(2)}); the engine's spins: barrier ${i32[CTRL.spin / 4]} rounds ≈ ${(i32[CTRL.spin / 4] / spinRate / 1000).toFixed(1)} µs, idle helper ${i32[CTRL.idleSpin / 4]} ≈ ${(i32[CTRL.idleSpin / 4] / spinRate / 1000).toFixed(1)} µs`);
console.log(`\nratio 1 thread / 2 threads (quantile ${q} step): ${(summary[1] / summary[2]).toFixed(2)}×`);
engine.dispose();
process.exit(0);
