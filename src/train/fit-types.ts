/**
 * The data, callbacks and reports of `Trainer.fit`: what goes in, what
 * comes out after every batch and epoch, and where a failed run stopped.
 */
import type { MnistSet } from '../data/mnist-set.js';
import type { TrainingWarning } from './diagnostics.js';
import type { TrainingEngineName } from './training-engine.js';

/** Training data: a training set and the held-out set evaluated after every epoch. */
export interface TrainData {
  train: MnistSet;
  /** Held-out set for `accuracy` (MNIST's test split). */
  test: MnistSet;
}

/** Reported after every batch. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  /** Cross-entropy of this batch. */
  loss: number;
  /** Examples seen in this epoch so far. */
  seen: number;
}

/** Reported after every epoch, and kept in the history. */
export interface EpochResult {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  /** Held-out (test) accuracy. The only figure called "accuracy". */
  accuracy: number;
  /** Held-out loss. */
  testLoss: number;
  /** Rows true label, columns predicted, on the held-out set. */
  confusion: number[][];
  /** Seconds spent training this epoch (evaluation excluded). */
  seconds: number;
  evalSeconds: number;
  samplesPerSecond: number;
  learningRate: number;
  /** What trained this epoch: the fused SIMD-WASM engine or the tfjs path (see `Trainer.trainingEngine()` for why). */
  engine: TrainingEngineName;
  /** Share of the held-out (test) digits flagged "not a digit" (`isDigit` false) after this epoch. */
  digitsFlagged: number;
  /** With `nonDigits`: the threshold chosen after this epoch and what it flags. */
  nonDigit?: EpochNonDigitResult;
}

/** The "not a digit" output after an epoch (a fit with `nonDigits`). */
export interface EpochNonDigitResult {
  /** The `isDigit` threshold chosen on the held-out training digits (stored in the model). */
  threshold: number;
  /** Share of those held-out training digits it flags (at most `nonDigits.flagRate`). */
  validationDigitsFlagged: number;
  /** Share of non-digits drawn with another seed (never trained on) it flags. */
  nonDigitsFlagged: number;
}

/** Callbacks and cancellation for `Trainer.fit`. */
export interface FitOptions {
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (e: EpochResult) => void | Promise<void>;
  /** Diagnostics (unnormalised inputs, unshuffled batches). Defaults to console.warn. */
  onWarning?: (w: TrainingWarning) => void;
  /** Aborts within one batch (training, paused, between epochs or evaluating): `fit` rejects with an `AbortError`; the model keeps the weights of the last completed batch. */
  signal?: AbortSignal;
  /** Hand control back to the event loop at least this often (ms, default 20: `DEFAULT_YIELD_EVERY_MS`). */
  yieldEveryMs?: number;
  /**
   * Recovery from a backend that fails mid-run, such as a lost WebGPU device.
   * When given, the trainer keeps a copy of the weights and the optimizer
   * state (momentum, Adam moments, step count) after every completed batch
   * (one extra download per batch). When a step or the held-out evaluation
   * throws, it awaits `onBackendFailure(error, at)`: resolve `true` once a
   * working backend is active, and the trainer restores both on it and
   * repeats the failed batch, so the run goes on exactly where it was;
   * resolve `false` to fail with the original error.
   */
  onBackendFailure?: (error: unknown, at: FailurePoint) => Promise<boolean>;
}

/** Where a run failed: `batch` 0 means the held-out evaluation after the epoch. */
export interface FailurePoint {
  epoch: number;
  batch: number;
}
