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
import { BackendError, InvalidOptionError } from '../errors.js';
import { compileVariant, kernelSupport, type EngineFamily } from './kernel-support.js';
import { planEngine, type EnginePlan } from './engine-layout.js';
import { isDenseHead } from './dense-head.js';
import { FusedDenseEngine } from './fused-dense-engine.js';
import { HELPER_SOURCE } from './helper-source.js';

export { kernelSupport, type KernelSupport } from './kernel-support.js';

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
  /** Dense (+relu/linear) and dropout layers ({@link isDenseSpec}); for `createCnnEngine`, the preset CNN's conv stage then those ({@link isCnnSpec}). */
  spec: ModelSpec;
  maxBatchSize: number;
  /** sgd | momentum | adam; weightDecay on kernels only (decoupled, as src/train/optimizer.ts). */
  optimizer: Required<OptimizerOptions>;
  /** Seeds the dropout masks. */
  seed: number;
  simd?: 'auto' | 'relaxed-simd' | 'simd128';
  /**
   * 'auto': 2 where a ThreadHost and shared memory exist, else 1; with 2 started, each step uses 1 or 2
   * by measurement (see DenseEngine.threadDecision). A number: exactly that many (falls back to 1 with a reason).
   */
  threads?: number | 'auto';
  threadHost?: ThreadHost;
  /** How long a step waits for a helper thread before it gives up with a BackendError (default 30 s): no hang if one dies. */
  helperTimeoutMs?: number;
}

export interface DenseEngine {
  readonly variant: KernelVariant;
  /**
   * With threads: 'auto' and 2 threads started, each step uses 1 or 2 by measurement (a busy
   * machine makes 1 faster); this says which and the step times behind it. Weights do not depend on it.
   */
  readonly threadDecision: string;
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
  return spec.inputShape.length === 1 && spec.inputShape[0] === 784 && isDenseHead(spec.layers);
}

/** Compiles/instantiates the best variant (or the forced one) and allocates memory. */
export async function createDenseEngine(options: DenseEngineOptions): Promise<DenseEngine> {
  checkOptions(options);
  if (!isDenseSpec(options.spec)) {
    throw new InvalidOptionError(`Expected a dense spec (784 inputs, dense/dropout layers, 10 outputs, dropout only after a ReLU layer), got "${options.spec?.name}"`);
  }
  return startFusedEngine(options, 'dense', planEngine(options.spec, options.maxBatchSize));
}

/**
 * Starts a fused engine of `family` on `plan`: picks the SIMD level and the
 * threads (with reasons), compiles, spawns the helpers, instantiates.
 */
export async function startFusedEngine(options: DenseEngineOptions, family: EngineFamily, plan: EnginePlan): Promise<DenseEngine> {
  const support = await kernelSupport();
  const reasons: string[] = [];
  const want = options.simd ?? 'auto';
  if (!support.simd128) throw new BackendError(`The fused engine needs WebAssembly SIMD128: ${support.reasons[0]}`);
  if (want === 'relaxed-simd' && !support.relaxedSimd) throw new BackendError(`Relaxed SIMD was asked for but is not available: ${support.reasons[0]}`);
  const simd: KernelVariant['simd'] = want === 'simd128' ? 'simd128' : support.relaxedSimd ? 'relaxed-simd' : 'simd128';
  reasons.push(want === 'auto' ? support.reasons[0] : `${simd}: asked for`);

  // Threads: asked for, and possible (a host, shared memory, the host starting a helper).
  const host = options.threadHost;
  let threads = 1;
  const asked = options.threads ?? 'auto';
  if (asked === 'auto' || asked > 1) {
    const wanted = asked === 'auto' ? Math.min(2, host?.cores ?? 2) : asked;
    if (!host) reasons.push('1 thread: no thread host given');
    else if (!support.sharedMemory) reasons.push(`1 thread: ${support.reasons[support.reasons.length - 1]}`);
    else if (wanted < 2) reasons.push(`1 thread: ${host.name} reports ${host.cores} core`);
    else if (!canBlock()) reasons.push('1 thread: Atomics.wait is not allowed on this thread (a page\'s main thread); run the engine in a worker for 2');
    else threads = wanted;
  } else {
    reasons.push('1 thread: asked for');
  }

  const initial = Math.ceil(plan.dataStart / 65536);
  let memory: WebAssembly.Memory;
  let helpers: HelperThread[] = [];
  let module: WebAssembly.Module;
  if (threads > 1) {
    module = await compileVariant(simd, true, family);
    memory = new WebAssembly.Memory({ initial, maximum: SHARED_MAX_PAGES, shared: true });
    try {
      helpers = await Promise.all(Array.from({ length: threads - 1 }, (_, i) => host!.spawn(HELPER_SOURCE, { module, memory, index: i + 1 })));
      reasons.push(`${threads} threads: ${host!.name} over a shared WebAssembly.Memory`);
    } catch (e) {
      for (const h of helpers) h.terminate();
      helpers = [];
      threads = 1;
      reasons.push(`1 thread: ${(e as Error).message}`);
    }
  }
  if (threads === 1) {
    module = await compileVariant(simd, false, family);
    memory = new WebAssembly.Memory({ initial, maximum: 65536 });
  }
  const instance = await WebAssembly.instantiate(module!, { env: { memory: memory! } });
  return new FusedDenseEngine(options, { simd, threads, reasons }, memory!, instance, helpers, plan);
}

/** Whether this thread may block in Atomics.wait (a page's main thread may not): the barriers need it. */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Largest shared memory (pages of 64 KiB): 1 GiB holds MNIST 16 times over. */
const SHARED_MAX_PAGES = 16384;

/** Validates the options every fused engine takes (the spec is checked by each engine). */
export function checkOptions(o: DenseEngineOptions): void {
  if (!o || typeof o !== 'object') throw new InvalidOptionError('Expected fused engine options');
  if (!o.spec || typeof o.spec !== 'object' || !Array.isArray(o.spec.layers)) throw new InvalidOptionError(`Expected a model spec, got ${typeof o.spec}`);
  if (!Number.isInteger(o.maxBatchSize) || o.maxBatchSize < 1 || o.maxBatchSize > 65536) throw new InvalidOptionError(`Expected maxBatchSize in 1..65536, got ${o.maxBatchSize}`);
  const opt = o.optimizer;
  if (!opt || !['sgd', 'momentum', 'adam'].includes(opt.name)) throw new InvalidOptionError(`Expected optimizer sgd, momentum or adam, got ${opt?.name}`);
  for (const key of ['learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay'] as const) {
    if (typeof opt[key] !== 'number' || !Number.isFinite(opt[key]) || opt[key] < 0) throw new InvalidOptionError(`Expected optimizer.${key} a finite number >= 0, got ${opt[key]}`);
  }
  if (!(opt.learningRate > 0)) throw new InvalidOptionError(`Expected optimizer.learningRate > 0, got ${opt.learningRate}`);
  if (!Number.isInteger(o.seed)) throw new InvalidOptionError(`Expected an integer seed, got ${o.seed}`);
  if (o.helperTimeoutMs !== undefined && !(o.helperTimeoutMs >= 10 && o.helperTimeoutMs <= 3_600_000)) throw new InvalidOptionError(`Expected helperTimeoutMs in 10..3600000, got ${o.helperTimeoutMs}`);
  if (o.simd !== undefined && !['auto', 'relaxed-simd', 'simd128'].includes(o.simd)) throw new InvalidOptionError(`Expected simd auto, relaxed-simd or simd128, got ${o.simd}`);
  if (o.threads !== undefined && o.threads !== 'auto' && !(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= 8)) {
    throw new InvalidOptionError(`Expected threads 'auto' or 1..8, got ${o.threads}`);
  }
}
