/**
 * The page side of the training worker: `createTrainer` (create-trainer.ts)
 * starts the worker, chooses the backend in it and returns a {@link TrainerClient}, a
 * typed wrapper over comlink's `Remote<WorkerTrainer>` that does the three
 * things every caller would otherwise get wrong: callbacks become one comlink
 * `proxy` released when `fit` ends, MNIST buffers move with `transfer`, and a
 * dead worker rejects every call instead of leaving it pending.
 */
import { proxy, transfer, type Remote } from 'comlink';
import type { MnistSet } from '../src/data/mnist-set.js';
import { AbortError } from '../src/errors.js';
import type { ModelWeights } from '../src/models/spec.js';
import type { TrainingWarning } from '../src/train/diagnostics.js';
import type { Evaluation } from '../src/train/evaluate.js';
import type { EpochResult, FitOptions as CoreFitOptions, TrainData, TrainerOptions } from '../src/train/trainer.js';
import type { AdaptExamples, AdaptOptions, AdaptResult } from '../src/train/adapt-types.js';
import { WorkerTerminatedError } from './errors.js';
import type { FetchMnistOptions } from './fetch-mnist.js';
import type { BackendChange, BackendReport, DataCounts, MemoryReport, TrainingEvent } from './protocol.js';
import type { DigitPixels, Prediction } from '../src/inference/prediction.js';
import { absolute } from './spawn-worker.js';
import { WorkerEndpoint } from './worker-endpoint.js';
import type { WorkerTrainer } from './worker-trainer.js';

/**
 * Options of {@link TrainerClient.fit}: the core `Trainer.fit`'s `FitOptions`
 * (one name, one type in both entries), with the worker's own two. Batches
 * reach `onBatch` in small groups (every `batchEventsEveryMs`), each reported;
 * a callback that throws is reported (`reportError`) and training goes on.
 */
export interface FitOptions extends Pick<CoreFitOptions, 'onBatch' | 'onEpoch' | 'onWarning' | 'signal' | 'yieldEveryMs'> {
  /** Training moved to another backend (a lost WebGPU device); `client.backend` is updated first. */
  onBackendChange?: (change: BackendChange) => void;
  /** How often batch progress is sent to the page (ms, default 50; the first batch at once). */
  batchEventsEveryMs?: number;
}

/** How long {@link TrainerClient.terminate} lets the worker release its tensors before killing it. */
const TERMINATE_GRACE_MS = 500;
/** Default of `CreateTrainerOptions.stallTimeoutMs`: a live worker answers within milliseconds. */
export const STALL_TIMEOUT_MS = 20_000;

/**
 * A trainer running in a Web Worker. Every method returns a promise; errors
 * thrown in the worker arrive as the same typed class (`BackendError`,
 * `AbortError`, `InvalidOptionError`, …), and a worker that dies rejects every
 * call with a `WorkerCrashedError`.
 */
export class TrainerClient {
  /** The comlink remote, for anything this wrapper does not cover. */
  readonly remote: Remote<WorkerTrainer>;
  readonly worker: Worker;
  /** Resolves with the error that ended the worker: a `WorkerCrashedError`, or a `WorkerTerminatedError` after {@link terminate}. */
  readonly stopped: Promise<Error>;
  private report: BackendReport;
  private readonly endpoint: WorkerEndpoint;
  private terminating: Promise<void> | null = null;
  private readonly stallTimeoutMs: number;

  /** @internal Use {@link createTrainer}. */
  constructor(worker: Worker, endpoint: WorkerEndpoint, remote: Remote<WorkerTrainer>, report: BackendReport, stallTimeoutMs = STALL_TIMEOUT_MS) {
    this.worker = worker;
    this.endpoint = endpoint;
    this.stallTimeoutMs = stallTimeoutMs;
    this.remote = remote;
    this.report = report;
    this.stopped = endpoint.stopped;
  }

  /** What the worker trains on, and why the faster options were passed over. */
  get backend(): BackendReport {
    return this.report;
  }

  /** @internal A first worker stalled and this one started without threads: that reason replaces the thread reasons of this start. */
  noteRestart(reason: BackendReport['passedOver'][number]): void {
    this.report = { ...this.report, passedOver: [reason, ...this.report.passedOver.filter((p) => p.variant !== 'threaded-simd')] };
  }

  /**
   * Hands MNIST sets to the worker. The pixel buffers are **moved** (the page's
   * arrays, and any other view of the same buffers, become empty) unless
   * `copy` is true.
   */
  setData(data: Partial<TrainData>, options: { copy?: boolean } = {}): Promise<DataCounts> {
    const sets = [data.train, data.test].filter((s): s is MnistSet => s !== undefined);
    const buffers = options.copy ? [] : [...new Set(sets.flatMap((s) => [s.images?.buffer, s.labels?.buffer]))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    return this.remote.setData(transfer(data, buffers));
  }

  /**
   * Makes the worker download MNIST itself, with `fetchMnist`'s options:
   * `baseUrl` (the folder of the `.gz` files), `split`, `limit` (the first N
   * images of each split) and `onProgress`.
   *
   * @example
   * ```ts
   * await trainer.loadMnist({ baseUrl: '/mnist/', limit: 10_000, onProgress: (p) => console.log(p.loaded, p.total) });
   * ```
   */
  loadMnist(options: Omit<FetchMnistOptions, 'signal'> = {}): Promise<DataCounts> {
    const { onProgress, ...rest } = options;
    const baseUrl = rest.baseUrl !== undefined ? absolute(rest.baseUrl) : undefined;
    return this.remote.loadMnist({ ...rest, baseUrl }, onProgress ? proxy(guard(onProgress)) : undefined);
  }

  /** Trains for the trainer's `epochs` on the worker's data; resolves with this run's epochs. */
  async fit(options: FitOptions = {}): Promise<EpochResult[]> {
    const { onBatch, onEpoch, onWarning, onBackendChange, signal, yieldEveryMs, batchEventsEveryMs } = options;
    if (signal?.aborted) throw new AbortError('Training aborted before it started', { cause: signal.reason });
    const warn = onWarning ?? ((w: TrainingWarning) => console.warn(`digit-classifier: ${w.message}`));
    const listener = proxy(async (event: TrainingEvent) => {
      try {
        if (event.type === 'batches') for (const p of event.progress) onBatch?.(p);
        else if (event.type === 'epoch') await onEpoch?.(event.result);
        else if (event.type === 'warning') warn(event.warning);
        else {
          this.report = event.change.to;
          onBackendChange?.(event.change);
        }
      } catch (error) {
        reportCallbackError(error);
      }
    });
    const onAbort = () => void this.remote.abort(String(signal?.reason ?? 'aborted')).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.remote.fit({ batchEvents: onBatch !== undefined, yieldEveryMs, batchEventsEveryMs }, listener);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Fine-tunes the worker's current model to a few labelled drawings of one
   * person (see the core `Trainer.adapt`), rehearsing the MNIST training
   * digits the worker holds (or `options.replay`), so that it forgets nothing.
   * Afterwards {@link predict}, {@link evaluate} and {@link getWeights} use the
   * adapted model. `onProgress` runs after steps (at most every 50 ms, and
   * after the last); `signal` aborts between two steps with an `AbortError`,
   * and the model stays as it was. The drawings are copied, not moved.
   *
   * To adapt the model a pad reads with, start the worker from the shipped
   * pretrained weights: `createTrainer({ model: loadPretrained('cnn') })`.
   *
   * @example
   * ```ts
   * import { createTrainer, loadPretrained } from 'digit-classifier/worker';
   * const trainer = await createTrainer({ model: loadPretrained('cnn') });
   * await trainer.loadMnist({ split: 'train', limit: 10_000 }); // digits to rehearse
   * const result = await trainer.adapt({ images, labels }, { onProgress: (p) => bar.value = p.step / p.steps });
   * pad.model = await trainer.getWeights(); // the pad now reads with the adapted model
   * ```
   */
  async adapt(examples: AdaptExamples, options: Omit<AdaptOptions, 'yieldEveryMs'> = {}): Promise<AdaptResult> {
    const { signal, onProgress, ...rest } = options;
    if (signal?.aborted) throw new AbortError('Adaptation aborted before it started', { cause: signal.reason });
    const onAbort = () => void this.remote.abort(String(signal?.reason ?? 'aborted')).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.remote.adapt(examples, rest, onProgress ? proxy(guard(onProgress)) : undefined);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Pauses a running {@link fit} before its next batch. */
  pause(): Promise<void> {
    return this.remote.pause();
  }

  resume(): Promise<void> {
    return this.remote.resume();
  }

  /** Stops a running {@link fit} between two batches, or {@link adapt} between two steps (it rejects with an `AbortError`). */
  abort(reason?: string): Promise<void> {
    return this.remote.abort(reason);
  }

  /** Held-out accuracy, confusion matrix and logits of the current weights (default: the worker's held-out set). */
  evaluate(set?: MnistSet): Promise<Evaluation> {
    return this.remote.evaluate(set);
  }

  /**
   * The digit and 10 probabilities of one image with the current weights:
   * 784 bytes 0–255 (as in MNIST) or floats in [0, 1] (as `toMnistPixels`
   * returns), used as they are. The same call as `Inference.predict`, so a
   * client can be a `<digit-pad>`'s `trainer`. The pixels are copied, not moved.
   */
  predict(pixels: DigitPixels): Promise<Prediction> {
    return this.remote.predict(pixels);
  }

  /** One {@link Prediction} per image of `count × 784` pixels, as `Inference.predictBatch`. */
  predictBatch(pixels: DigitPixels): Promise<Prediction[]> {
    return this.remote.predictBatch(pixels);
  }

  /** A copy of the current weights, e.g. for `createInference` or `toLayersModelArtifacts`. */
  getWeights(): Promise<ModelWeights> {
    return this.remote.getWeights();
  }

  /** A fresh model and optimizer (new options), keeping the backend and the data. */
  reset(options: TrainerOptions = {}): Promise<void> {
    return this.endpoint.watch(this.remote.reset(options), this.stallTimeoutMs, 'reset()');
  }

  /** tfjs tensors and bytes alive in the worker. */
  memory(): Promise<MemoryReport> {
    return this.remote.memory();
  }

  /** Aborts a running fit and releases every tensor and the data; the worker stays up ({@link reset} to go on). */
  dispose(): Promise<void> {
    return this.remote.dispose();
  }

  /**
   * Releases the worker's tensors (briefly waiting for it), then ends the
   * worker. Calls in flight and later calls reject with a `WorkerTerminatedError`.
   */
  terminate(): Promise<void> {
    this.terminating ??= (async () => {
      const error = new WorkerTerminatedError();
      if (!this.endpoint.failed) {
        this.endpoint.rejectPending(error);
        const disposing = this.remote.dispose().catch(() => undefined); // sent now, before calls are refused
        this.endpoint.refuseNewCalls(error);
        await Promise.race([disposing, sleep(TERMINATE_GRACE_MS)]);
      }
      this.endpoint.fail(error);
      this.worker.terminate();
    })();
    return this.terminating;
  }
}

/** Page callbacks never throw into the worker: their errors are reported on the page. */
function guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      callback(...args);
    } catch (error) {
      reportCallbackError(error);
    }
  };
}

function reportCallbackError(error: unknown): void {
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (g.reportError) g.reportError(error);
  else console.error(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

