/**
 * The fused engines' control block: what a training step reads besides weights and data (thread
 * count, barrier spins, optimizer constants, input normalisation, the dense layer table and the CNN
 * record), written into the engine's memory at the offsets the kernel generator fixed (CTRL, LAYER,
 * CNN in generated/dense-train-wasm.ts).
 *
 * @example
 * ```ts
 * writeEngineControl(memory, options, variant, plan);
 * writeLearningRate(memory, options.optimizer, 0.1, 0);
 * ```
 */
import type { DenseEngineOptions, KernelVariant } from './dense-engine.js';
import { CNN, CNN_TABLE, CTRL, LAYER, LAYER_BYTES } from './generated/dense-train-wasm.js';
import { dropoutThreshold, type EnginePlan } from './engine-layout.js';

const OPT_KIND = { sgd: 0, momentum: 1, adam: 2 } as const;
/**
 * Barrier spin rounds before Atomics.wait: ~25 µs at the ~3.5 rounds/ns a spin round takes in V8's
 * optimized code here (bench/profile-dense-threads.ts; Liftoff, before tier-up, is ~7× slower). The
 * two threads' shares end within a few µs of each other on an idle machine, and a futex wake-up costs
 * 10–50 µs, so a barrier should almost never sleep there; on a busy machine the partner is
 * descheduled for milliseconds and the spin is lost time, which the thread governor answers by
 * dropping to one thread. (4,000 rounds, once thought ~5–10 µs, were ~1.2 µs: both barriers of
 * every step slept.)
 */
export const DEFAULT_SPIN = 90_000;
/**
 * Spin rounds of an idle helper between steps (~100 µs): a trainer's bookkeeping between two steps
 * takes 2–20 µs, an event-loop yield a little more, and a helper still spinning starts the next step
 * without the 10–50 µs of a futex wake-up. (30,000 rounds were ~9 µs.)
 */
export const IDLE_SPIN = 350_000;

/** Writes everything but the learning rate (see {@link writeLearningRate}). */
export function writeEngineControl(memory: WebAssembly.Memory, options: DenseEngineOptions, variant: KernelVariant, plan: EnginePlan): void {
  const i32 = new Int32Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const o = options.optimizer;
  i32[CTRL.threads / 4] = variant.threads;
  i32[CTRL.seed / 4] = options.seed | 0;
  i32[CTRL.spin / 4] = i32[CTRL.spinNow / 4] = DEFAULT_SPIN;
  i32[CTRL.idleSpin / 4] = i32[CTRL.idleSpinNow / 4] = IDLE_SPIN;
  i32[CTRL.barrierWaits / 4] = Math.max(1, Math.ceil((options.helperTimeoutMs ?? 30_000) / 10));
  i32[CTRL.optKind / 4] = OPT_KIND[o.name];
  f32[CTRL.momentum / 4] = o.momentum;
  f32[CTRL.beta1 / 4] = o.beta1;
  f32[CTRL.oneMinusBeta1 / 4] = 1 - o.beta1;
  f32[CTRL.beta2 / 4] = o.beta2;
  f32[CTRL.oneMinusBeta2 / 4] = 1 - o.beta2;
  f32[CTRL.epsilon / 4] = o.epsilon;
  const { mean, std } = options.spec.normalization;
  f32[CTRL.normScale / 4] = 1 / (255 * std);
  f32[CTRL.normShift / 4] = -mean / std;
  i32[CTRL.layers / 4] = plan.layers.length;
  i32[CTRL.orderPtr / 4] = plan.order;
  i32[CTRL.rowLossPtr / 4] = plan.rowLoss;
  i32[CTRL.inputPtr / 4] = plan.input;
  plan.layers.forEach((l, i) => {
    const rec = (CTRL.layerTable + i * LAYER_BYTES) / 4;
    const thr = dropoutThreshold(l.dropoutRate);
    i32[rec + LAYER.k / 4] = l.k;
    i32[rec + LAYER.n / 4] = l.n;
    for (const f of ['w', 'b', 'w1', 'w2', 'b1', 'b2', 'out', 'grad', 'input', 'wt'] as const) i32[rec + LAYER[f] / 4] = l[f];
    i32[rec + LAYER.relu / 4] = l.relu ? 1 : 0;
    i32[rec + LAYER.dropThreshold / 4] = thr;
    f32[rec + LAYER.dropScale / 4] = thr ? 256 / thr : 1;
  });
  const cnn = plan.cnn;
  if (cnn) for (const f of Object.keys(CNN) as (keyof typeof CNN)[]) i32[(CNN_TABLE + CNN[f]) / 4] = cnn[f];
}

/** The step's rate, weight-decay factor and bias-corrected Adam rate for Adam step `adamStep + 1`. */
export function writeLearningRate(memory: WebAssembly.Memory, o: DenseEngineOptions['optimizer'], lr: number, adamStep: number): void {
  const f32 = new Float32Array(memory.buffer);
  f32[CTRL.lr / 4] = lr;
  f32[CTRL.decay / 4] = 1 - lr * o.weightDecay;
  const t = adamStep + 1;
  f32[CTRL.adamLr / 4] = (lr * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
}
