/**
 * The object the worker exposes with comlink: the core {@link Trainer} plus
 * what only a worker needs (backend choice, data held in the worker,
 * abort from another thread, recovery from a lost WebGPU device). The page
 * talks to it through `createTrainer`; every method is also usable directly as
 * a comlink `Remote<WorkerTrainer>`.
 */
/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs-core';
import { transfer } from 'comlink';
import type { MnistSet } from '../src/data/mnist-set.js';
import type { DigitPixels, Prediction } from '../src/inference/prediction.js';
import { InvalidOptionError } from '../src/errors.js';
import type { ModelWeights } from '../src/models/spec.js';
import type { Evaluation } from '../src/train/evaluate.js';
import { fitAlreadyRunningError } from '../src/train/fit-control.js';
import { stripUndefined } from '../src/util/strip-undefined.js';
import { webThreadHost } from '../src/kernels/web-thread-host.js';
import type { AdaptExamples, AdaptOptions, AdaptProgress, AdaptResult } from '../src/train/adapt-types.js';
import { Trainer, type EpochResult, type FailurePoint, type TrainData, type TrainerOptions, type TrainingEngineReport } from '../src/train/trainer.js';
import type { DownloadProgress } from '../src/data/mnist-options.js';
import { fetchMnist, type FetchMnistOptions } from './fetch-mnist.js';
import type { BackendReport, DataCounts, MemoryReport, TrainingEvent, WorkerFitOptions, WorkerInitOptions } from './protocol.js';
import { selectBackend, type SelectedBackend } from './select-backend.js';
import { TrainingEvents } from './training-events.js';
import { checkSet, release, specOf } from './worker-arguments.js';

/** How long a failed WebGPU step waits for `device.lost` to settle before calling the failure a plain error. */
const DEVICE_LOST_GRACE_MS = 1000;

export class WorkerTrainer {
  private initOptions: WorkerInitOptions = {};
  private selected: SelectedBackend | null = null;
  private lost: GPUDeviceLostInfo | null = null;
  private trainer: Trainer | null = null;
  private data: Partial<TrainData> = {};
  private run: { controller: AbortController; done: Promise<unknown>; flush: () => void } | null = null;
  /** Helper threads of the fused engine: blob: URL workers (they need a cross-origin isolated page). */
  private readonly threadHost = webThreadHost();

  /** Starts the backend (see `selectBackend`) and creates the trainer. Call once, first. */
  async init(options: WorkerInitOptions & { trainer?: TrainerOptions } = {}): Promise<BackendReport> {
    if (this.selected) throw new InvalidOptionError('init() was already called on this worker');
    const { trainer, ...backendOptions } = options;
    this.initOptions = backendOptions;
    const spec = specOf(trainer?.model);
    this.use(await selectBackend(backendOptions, { spec, fused: { threads: trainer?.engine?.threads ?? 'auto', threadHost: this.threadHost } }));
    await this.reset(trainer ?? {});
    return this.selected!.report;
  }

  /** What runs now (it changes if a lost WebGPU device moved training to WASM). */
  backend(): BackendReport {
    return this.requireBackend().report;
  }

  /**
   * A fresh model and optimizer (same backend and data); releases the previous
   * ones. The training engine is `auto`'s measured choice unless
   * `options.engine.use` names one; the backend report says which runs and why.
   */
  async reset(options: TrainerOptions = {}): Promise<void> {
    const selected = this.requireBackend();
    if (this.run) throw new InvalidOptionError('Cannot reset while fit() runs: abort() it first');
    const engine: TrainerOptions['engine'] = { use: selected.engine ?? 'auto', threads: 'auto', threadHost: this.threadHost, ...options.engine };
    const next = new Trainer({ ...options, engine }); // validates before the old one goes
    let report: TrainingEngineReport;
    try {
      report = await next.trainingEngine();
    } catch (error) {
      next.dispose();
      throw error;
    }
    this.trainer?.dispose();
    this.trainer = next;
    selected.report = { ...selected.report, trainingEngine: report };
  }

  /** Takes training and/or held-out sets (send them with comlink's `transfer` to move, not copy, the pixels). */
  setData(data: Partial<TrainData>): DataCounts {
    if (data.train !== undefined) checkSet(data.train, 'data.train');
    if (data.test !== undefined) checkSet(data.test, 'data.test');
    this.data = { ...this.data, ...stripUndefined(data) };
    return this.counts();
  }

  /** Downloads MNIST inside the worker (see `fetchMnist`) and keeps it for {@link fit}. */
  async loadMnist(options: Omit<FetchMnistOptions, 'onProgress' | 'signal'> = {}, onProgress?: (p: DownloadProgress) => void): Promise<DataCounts> {
    try {
      const sets = await fetchMnist({ ...options, onProgress: onProgress ? (p) => void Promise.resolve(onProgress(p)).catch(() => undefined) : undefined });
      return this.setData(sets);
    } finally {
      release(onProgress);
    }
  }

  /**
   * Trains on the data held here for the trainer's `epochs`, sending events
   * through `listener` (a comlink proxy). Rejects with an `AbortError` after
   * {@link abort}. On WebGPU, a lost device moves training to WASM from the
   * last completed batch and sends a `backend-change` event.
   */
  async fit(options: WorkerFitOptions = {}, listener?: (event: TrainingEvent) => void | Promise<void>): Promise<EpochResult[]> {
    const trainer = this.requireTrainer();
    if (this.run) throw fitAlreadyRunningError();
    const { train, test } = this.data;
    if (!train || !test) throw new InvalidOptionError('The worker holds no training and held-out data: call setData({ train, test }) or loadMnist() first');
    // Events share one port, so awaiting the last reply means the page has seen them all.
    const events = new TrainingEvents(listener, options.batchEventsEveryMs ?? 50);
    const controller = new AbortController();
    const work = trainer.fit({ train, test }, {
      signal: controller.signal,
      yieldEveryMs: options.yieldEveryMs,
      onBatch: options.batchEvents ? (progress) => events.batch(progress) : undefined,
      onEpoch: async (result) => void (await events.send({ type: 'epoch', result })),
      onWarning: (warning) => void events.send({ type: 'warning', warning }),
      onBackendFailure: this.selected?.device ? (error, at) => this.recover(error, at, (e) => events.send(e)) : undefined,
    });
    this.run = { controller, done: work.catch(() => undefined), flush: () => events.flush() };
    try {
      return await work;
    } finally {
      this.run = null;
      events.flush();
      await events.settled();
      release(listener);
    }
  }

  /**
   * Fine-tunes the current model to a few labelled drawings (see the core
   * `Trainer.adapt`), rehearsing `options.replay` or else the training digits
   * this worker holds (`loadMnist({ split: 'train', limit: 10_000 })` or
   * `setData({ train })`). Progress goes to `onProgress` (a comlink proxy) at
   * most every `progressEveryMs` and after the last step; {@link abort} stops
   * it with an `AbortError`, leaving the model as it was. One run at a time with {@link fit}.
   */
  async adapt(
    examples: AdaptExamples,
    options: Omit<AdaptOptions, 'signal' | 'onProgress'> & { progressEveryMs?: number } = {},
    onProgress?: (progress: AdaptProgress) => void | Promise<void>,
  ): Promise<AdaptResult> {
    const trainer = this.requireTrainer();
    if (this.run) throw fitAlreadyRunningError();
    const { progressEveryMs = 50, ...rest } = options;
    const replay = rest.replay ?? this.data.train;
    if (!replay) {
      release(onProgress);
      throw new InvalidOptionError("The worker holds no MNIST training digits to rehearse while adapting: call loadMnist({ split: 'train', limit: 10_000 }) or setData({ train }) first, or pass options.replay");
    }
    if (rest.replay) checkSet(rest.replay, 'options.replay');
    let last: Promise<unknown> = Promise.resolve();
    let sentAt = -Infinity;
    const send = (p: AdaptProgress) => {
      if (!onProgress) return;
      const now = performance.now();
      if (p.step < p.steps && now - sentAt < progressEveryMs) return;
      sentAt = now;
      last = Promise.resolve(onProgress(p)).catch(() => undefined);
    };
    const controller = new AbortController();
    const work = trainer.adapt(examples, { ...rest, replay, signal: controller.signal, onProgress: send });
    this.run = { controller, done: work.catch(() => undefined), flush: () => undefined };
    try {
      return await work;
    } finally {
      this.run = null;
      await last;
      release(onProgress);
    }
  }

  /** Pauses a running {@link fit} before its next batch (batches still queued for the page are sent). */
  pause(): void {
    this.trainer?.pause();
    this.run?.flush();
  }

  resume(): void {
    this.trainer?.resume();
  }

  /** Stops a running {@link fit} between two batches (or {@link adapt} between two steps); it rejects with an `AbortError`. */
  abort(reason?: string): void {
    if (!this.run) return;
    this.run.controller.abort(reason);
    this.trainer?.resume(); // a paused run must wake up to see the abort
  }

  /** Held-out scores of the current weights on `set` (default: the held-out set given to the worker). */
  async evaluate(set?: MnistSet): Promise<Evaluation> {
    const trainer = this.requireTrainer();
    const target = set ?? this.data.test;
    if (!target) throw new InvalidOptionError('No set to evaluate: pass one, or give the worker a held-out set first');
    if (set) checkSet(set, 'set');
    const ev = await trainer.evaluate(target);
    return transfer(ev, [ev.logits.buffer, ev.predictions.buffer, ev.digitScores.buffer]);
  }

  /** The digit, probabilities, `isDigit` and `digitScore` of one image (784 bytes 0–255 or floats in [0, 1]). */
  async predict(pixels: DigitPixels): Promise<Prediction> {
    const prediction = await this.requireTrainer().predict(pixels);
    return transfer(prediction, [prediction.probabilities.buffer]);
  }

  /** One prediction per image of `count × 784` pixels; the probabilities share one buffer, moved to the page. */
  async predictBatch(pixels: DigitPixels): Promise<Prediction[]> {
    const predictions = await this.requireTrainer().predictBatch(pixels);
    return transfer(predictions, predictions.length ? [predictions[0].probabilities.buffer] : []);
  }

  /** A copy of the current weights (moved to the page, not copied again). */
  async getWeights(): Promise<ModelWeights> {
    const w = await this.requireTrainer().getWeights();
    return transfer(w, w.weights.map((t) => t.values.buffer));
  }

  /** tfjs memory in this worker: the check that nothing leaks. */
  memory(): MemoryReport {
    if (!this.selected) return { numTensors: 0, numBytes: 0, backend: null };
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() as MemoryReport['backend'] };
  }

  /** Aborts a running fit, then releases every tensor and the data. The worker stays usable after {@link reset}. */
  async dispose(): Promise<void> {
    if (this.run) {
      this.run.controller.abort('disposed');
      this.trainer?.resume();
      await this.run.done;
    }
    this.trainer?.dispose();
    this.trainer = null;
    this.data = {};
  }

  private use(selected: SelectedBackend): void {
    this.selected = selected;
    this.lost = null;
    const device = selected.device;
    device?.lost.then((info) => {
      if (this.selected?.device === device) this.lost = info;
    });
  }

  /** The Trainer's `onBackendFailure`: on a lost WebGPU device, move to WASM (else CPU) and say so. */
  private async recover(error: unknown, at: FailurePoint, emit: (e: TrainingEvent) => Promise<unknown>): Promise<boolean> {
    const device = this.selected?.device;
    if (!device) return false;
    // The failed read back usually rejects a moment before `device.lost` settles.
    const lost = this.lost ?? (await Promise.race([device.lost, sleep(DEVICE_LOST_GRACE_MS).then(() => null)]));
    if (!lost) return false;
    const from = this.selected!.report;
    const reason = `the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''}) during ${at.batch ? `epoch ${at.epoch}, batch ${at.batch}` : `the evaluation after epoch ${at.epoch}`}`;
    let next: SelectedBackend;
    try {
      next = await selectBackend({ ...this.initOptions, backend: 'wasm' });
    } catch {
      next = await selectBackend({ backend: 'cpu' });
    }
    next.report.requested = from.requested;
    next.report.passedOver = [{ backend: 'webgpu', reason }, ...from.passedOver];
    this.use(next);
    await emit({ type: 'backend-change', change: { from, to: next.report, reason, at } });
    return true;
  }

  private counts(): DataCounts {
    return { train: this.data.train?.count ?? 0, test: this.data.test?.count ?? 0 };
  }

  private requireBackend(): SelectedBackend {
    if (!this.selected) throw new InvalidOptionError('The worker is not initialised: call init() first');
    return this.selected;
  }

  private requireTrainer(): Trainer {
    this.requireBackend();
    if (!this.trainer) throw new InvalidOptionError('The trainer was disposed: call reset() to make a new one');
    return this.trainer;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
