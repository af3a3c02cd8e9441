/**
 * {@link createTrainer}: starts the training worker (see spawn-worker.ts),
 * waits for it to load, has it choose its backend and build the trainer, and
 * returns the page's {@link TrainerClient}. A start that stalls (a WebAssembly
 * thread blocked for good) is retried once in a new worker without threads.
 */
import { wrap } from 'comlink';
import { InvalidOptionError } from '../src/errors.js';
import type { TrainerOptions } from '../src/train/trainer.js';
import { STALL_TIMEOUT_MS, TrainerClient } from './client.js';
import { registerErrorTransfer } from './error-transfer.js';
import type { WorkerInitOptions } from './protocol.js';
import { absoluteWasmPaths, spawnWorker } from './spawn-worker.js';
import { WorkerEndpoint } from './worker-endpoint.js';
import type { WorkerTrainer } from './worker-trainer.js';

/** Options of {@link createTrainer}: the backend, where the files are, and the trainer's own options. */
export interface CreateTrainerOptions extends TrainerOptions, WorkerInitOptions {
  /**
   * URL of the worker script (default: `dist/trainer-worker/trainer-worker.js`
   * of this package, found from this module's URL). A cross-origin URL (a CDN)
   * is started through a same-origin `blob:` module that imports it.
   */
  workerUrl?: string | URL;
  /** A module worker you started yourself from the worker script (e.g. Vite's `?worker` import). */
  worker?: Worker;
  /** How long the worker script may take to load and start before `createTrainer` fails (ms, default 60,000). */
  startTimeoutMs?: number;
  /**
   * How long the worker may leave the page unanswered while it starts its backend or a new model
   * (`createTrainer`, `reset`) before it is ended (ms, default 20,000): a thread blocked for good
   * (threads that never start, seen in Firefox ESR) ends in a `WorkerCrashedError`, never a hang.
   * `createTrainer` then starts a new worker without WebAssembly threads, once, and says why in
   * `backend.passedOver`.
   */
  stallTimeoutMs?: number;
}


/**
 * Starts the training worker, chooses its backend and creates the trainer.
 * A backend named explicitly that cannot start rejects with a `BackendError`
 * (and the worker is ended); `auto` reports what it passed over and why.
 *
 * @example
 * ```ts
 * import { createTrainer, fetchMnist } from 'digit-classifier/worker';
 * const trainer = await createTrainer({ backend: 'auto', model: 'mlp', epochs: 5 });
 * console.log(trainer.backend.name, trainer.backend.passedOver);
 * await trainer.setData(await fetchMnist());
 * await trainer.fit({ onEpoch: (e) => console.log(e.epoch, e.accuracy) });
 * await trainer.terminate();
 * ```
 */
export async function createTrainer(options: CreateTrainerOptions = {}): Promise<TrainerClient> {
  registerErrorTransfer();
  const { stallTimeoutMs = STALL_TIMEOUT_MS } = options;
  if (!(Number.isFinite(stallTimeoutMs) && stallTimeoutMs > 0)) throw new InvalidOptionError(`Expected stallTimeoutMs to be a positive number of milliseconds, got ${String(stallTimeoutMs)}`);
  try {
    return await startTrainer(options, stallTimeoutMs);
  } catch (error) {
    // A thread blocked for good while starting: WebAssembly threads (tfjs's pool, the fused engine's helper) are the
    // only part of the start that can do that, so a new worker without them, once. A worker passed in cannot be restarted.
    if (!stalledStarts.has(error as Error) || options.worker || !globalThis.crossOriginIsolated) throw error;
    const client = await startTrainer({ ...options, wasmThreads: 1, engine: { ...options.engine, threads: 1 } }, stallTimeoutMs);
    const reason = `${(error as Error).message.replace(/; it was ended$/, '')}: started again in a new worker without WebAssembly threads (tfjs WASM and the fused engine on one thread each)`;
    client.noteRestart({ backend: 'wasm', variant: 'threaded-simd', reason });
    return client;
  }
}

/** Errors of a start that {@link WorkerEndpoint.watch} ended for not answering. */
const stalledStarts = new WeakSet<Error>();

async function startTrainer(options: CreateTrainerOptions, stallTimeoutMs: number): Promise<TrainerClient> {
  const { workerUrl, worker: given, startTimeoutMs = 60_000, stallTimeoutMs: _, backend, wasmPaths, wasmThreads, wasmThreadStartMs, allowFallbackAdapter, ...trainer } = options;
  const spawned = given ? { worker: given, url: 'the given worker' } : spawnWorker(workerUrl);
  const endpoint = new WorkerEndpoint(spawned.worker, spawned.url);
  try {
    await endpoint.startWithin(startTimeoutMs);
    spawned.cleanup?.();
    const remote = wrap<WorkerTrainer>(endpoint);
    const init: WorkerInitOptions & { trainer: TrainerOptions } = { backend, wasmPaths: absoluteWasmPaths(wasmPaths), wasmThreads, wasmThreadStartMs, allowFallbackAdapter, trainer };
    const report = await endpoint.watch(remote.init(init), stallTimeoutMs, 'its start (backend and model)');
    return new TrainerClient(spawned.worker, endpoint, remote, report, stallTimeoutMs);
  } catch (error) {
    spawned.cleanup?.();
    endpoint.fail(error instanceof Error ? error : new Error(String(error)));
    spawned.worker.terminate();
    if (endpoint.stalled && error instanceof Error) stalledStarts.add(error);
    throw error;
  }
}

