/**
 * The fused dense training engine: a whole SGD / momentum / Adam step of a
 * dense network (uint8 gather + normalisation, forward GEMMs with bias, ReLU
 * and dropout, softmax cross-entropy and its loss, backward GEMMs, the optimizer
 * update) in ONE WebAssembly call per batch. Weights, optimizer slots and the
 * uint8 data set live in WASM memory during a fit; weights come back in Keras
 * layout at epoch ends.
 *
 * The WebAssembly is generated from source (`src/kernels/gen/`) at build time;
 * the variant (relaxed SIMD or SIMD128, 1 or 2 threads) is chosen at run time by
 * feature tests and reported in {@link KernelVariant.reasons}.
 *
 * @example
 * ```ts
 * const engine = await createDenseEngine({ spec: presetSpec('mlp'), maxBatchSize: 64,
 *   optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
 *   seed: 42 });
 * engine.setWeights(await network.getWeights());
 * engine.setData(train.images, train.labels);
 * const loss = engine.step(order, 0, 64);
 * ```
 */
import type { ModelSpec, ModelWeights } from '../models/spec.js';
import type { OptimizerOptions, OptimizerState } from '../train/optimizer.js';

/** What the engine runs on and why (reported like the backend report). */
export interface KernelVariant {
  /** 'relaxed-simd' when WebAssembly.validate accepts f32x4.relaxed_madd, else 'simd128'. */
  simd: 'relaxed-simd' | 'simd128';
  /** Threads doing the GEMMs (1 = this thread only). */
  threads: number;
  /** One line per decision: why this SIMD level, why this many threads. */
  reasons: string[];
}

/** What a helper thread receives: the compiled module, the shared memory and its index. */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** 1 for the first helper (the calling thread is 0). */
  index: number;
}

/** A running helper thread. */
export interface HelperThread {
  /** Ends the thread (after the engine told it to stop, or forcibly). */
  terminate(): void;
}

/**
 * Spawns the helper threads of a multi-threaded engine. `src/` stays free of
 * `node:` imports: Node's host is `nodeThreadHost` in `src/node/`, the Web Worker
 * host is `webThreadHost()` in `src/kernels/web-thread-host.ts` (a blob: URL
 * worker, for cross-origin isolated contexts).
 */
export interface ThreadHost {
  /** Short name for reports, e.g. 'node worker_threads' or 'web worker'. */
  readonly name: string;
  /** Logical cores, when known (threads: 'auto' uses at most this many). */
  readonly cores?: number;
  /**
   * Starts one thread running `source` (a script defining `startHelper(init,
   * ready)`, see `helper-source.ts`) with `init`; resolves once it is running,
   * rejects with the reason if it cannot start (e.g. a CSP forbidding blob:).
   */
  spawn(source: string, init: HelperInit): Promise<HelperThread>;
}

export interface DenseEngineOptions {
  /** Dense (+relu/linear) and dropout layers only; {@link isDenseSpec} tells. */
  spec: ModelSpec;
  maxBatchSize: number;
  /** sgd | momentum | adam; weightDecay on kernels only (decoupled, as src/train/optimizer.ts). */
  optimizer: Required<OptimizerOptions>;
  /** Seeds the dropout masks. */
  seed: number;
  simd?: 'auto' | 'relaxed-simd' | 'simd128';
  /** 'auto': 2 where a ThreadHost and SharedArrayBuffer exist, else 1. */
  threads?: number | 'auto';
  threadHost?: ThreadHost;
}

export interface DenseEngine {
  readonly variant: KernelVariant;
  /** Copies weights in (Keras layout: kernel [in, out], bias [out]); validates shapes/finite. */
  setWeights(model: ModelWeights): void;
  /** A detached copy of the weights, same layout and names as Network.getWeights(). */
  getWeights(): ModelWeights;
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  setLearningRate(lr: number): void;
  /** Copies the uint8 images (count*784) and labels into engine memory, once per fit. */
  setData(images: Uint8Array, labels: Uint8Array): void;
  /**
   * One optimizer step on examples order[start .. start+size) of the data set
   * (normalisation from spec.normalization applied in the kernel). Returns the
   * mean softmax cross-entropy loss of the batch computed in the kernel
   * (non-finite => weights left unchanged, caller raises).
   */
  step(order: Int32Array, start: number, size: number): number;
  /** Logits [count, 10] for uint8 images (evaluation at epoch ends without tfjs). */
  predictLogits(images: Uint8Array, count: number): Float32Array;
  dispose(): void;
}

/** Whether a spec can train on the engine (dense/dropout layers only). */
export function isDenseSpec(spec: ModelSpec): boolean {
  if (spec.inputShape.length !== 1 || spec.inputShape[0] !== 784) return false;
  const last = spec.layers[spec.layers.length - 1];
  if (!last || last.kind !== 'dense' || last.units !== 10) return false;
  return spec.layers.every((l) => l.kind === 'dense' || l.kind === 'dropout');
}

/** Compiles/instantiates the best variant (or the forced one) and allocates memory. */
export async function createDenseEngine(options: DenseEngineOptions): Promise<DenseEngine> {
  void options;
  throw new Error('createDenseEngine: not yet implemented');
}

/** Feature tests, run once: which variants this runtime can run, with reasons. */
export async function kernelSupport(): Promise<{ relaxedSimd: boolean; simd128: boolean; sharedMemory: boolean; reasons: string[] }> {
  throw new Error('kernelSupport: not yet implemented');
}
