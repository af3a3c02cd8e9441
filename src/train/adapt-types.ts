/**
 * What `Trainer.adapt` takes and returns: a few labelled drawings of one
 * person, the MNIST digits it rehearses so that it forgets nothing, progress
 * and abort as `fit` has them, and the checks on all of it (typed errors that
 * name what was wrong and where).
 */
import type { MnistSet } from '../data/mnist-set.js';
import { InvalidOptionError } from '../errors.js';
import { unitPixels, type DigitPixels } from '../inference/prediction.js';

/** A person's labelled drawings: `count × 784` pixels (as the pad gives them) and a digit 0–9 each. */
export interface AdaptExamples {
  /** Bytes 0–255 or floats in [0, 1], `count × 784`, row-major 28×28, ink high (see `toMnistPixels`). */
  images: DigitPixels;
  /** `count` digits 0–9. */
  labels: ArrayLike<number>;
}

/** Reported after every adaptation step. */
export interface AdaptProgress {
  step: number;
  steps: number;
  /** Mean cross-entropy of this step's batch (the person's drawings and MNIST together). */
  loss: number;
}

/** Options of `Trainer.adapt`. Every tuning field has a default in {@link ADAPT_DEFAULTS}. */
export interface AdaptOptions {
  /** MNIST digits to rehearse so the model keeps what it knew (core: required; worker: its loaded training set). */
  replay?: MnistSet;
  /** Seeds the replay sample, the augmentation and the batches: same seed, same result. Default 0. */
  seed?: number;
  /** Aborts within one step: `adapt` rejects with an `AbortError` and the model stays as it was. */
  signal?: AbortSignal;
  onProgress?: (progress: AdaptProgress) => void;
  /** Optimizer steps. */
  steps?: number;
  /** Adam's learning rate (default: 1e-3 with a frozen trunk, as the CNN's; 3e-4 when every layer is tuned, as the MLP's). */
  learningRate?: number;
  /** MNIST digits drawn from `replay` to rehearse. */
  replayCount?: number;
  /** Augmented copies made of each drawing (small rotations, shifts, slants, stroke widths). */
  copies?: number;
  /** Synthetic non-digits rehearsed (only for a model with the "not a digit" output). */
  nonDigitCount?: number;
  /** Hand control back to the event loop at least this often (ms). */
  yieldEveryMs?: number;
}

/** What an adaptation did. */
export interface AdaptResult {
  /** The person's drawings it learned from. */
  examples: number;
  steps: number;
  /** Wall-clock seconds of the whole call (features, steps, weights written back). */
  seconds: number;
  /** MNIST digits rehearsed. */
  replay: number;
  /** Synthetic non-digits rehearsed (a model with the "not a digit" output keeps flagging them); 0 for other models. */
  nonDigits: number;
  /** Loss of the last step. */
  loss: number;
  /** Fraction of the given drawings the adapted model reads right (before: {@link AdaptResult.examplesAccuracyBefore}). */
  examplesAccuracy: number;
  examplesAccuracyBefore: number;
  /** The weights that were tuned (the rest, the convolutional trunk of a CNN, stays as it was). */
  tuned: string[];
}

/**
 * The defaults, frozen; each chosen on the development writers of `test/synthetic/` (see the README).
 * The rehearsal's three (replayCount, ownShare, temperature) were chosen together by
 * `bench/adapt-tune-dev.ts`: the worst MNIST loss over the 27 writers went 0.28 → 0.10 points with
 * the shipped CNN and 0.20 → 0.08 with the CNN before its letter tuning (which never saw the fonts),
 * the writers' accuracy after 99.80 → 99.81 % and 99.83 → 99.76 %; T = 2 alone did most of it
 * (0.28 → 0.10, 0.20 → 0.18), a larger share or sample alone less.
 */
export const ADAPT_DEFAULTS = Object.freeze({
  steps: 120, // the drawings are learned by ~100 steps; with this rehearsal 120 read them as well as 150 did, and pays for the larger sample
  learningRate: 1e-3, // Adam's usual rate: fast on a head over a frozen trunk (the CNN's), small enough to keep MNIST's boundaries
  learningRateAllLayers: 3e-4, // with nothing frozen (an MLP) 1e-3 forgets twice as much MNIST, for the same writers' accuracy
  replayCount: 4000, // 400 a digit: more of MNIST held in place than 2000 (~0.3 s more features), fewer sample-specific fits
  copies: 40, // 40 varied copies of each drawing, so one drawing teaches a style, not one bitmap
  nonDigitCount: 500, // a quarter of the digits rehearsed: enough that the "not a digit" output keeps flagging what it flagged, cheap to draw
  batchSize: 128, // a batch: the person's drawings and rehearsed MNIST digits
  ownShare: 0.25, // a quarter of each batch is the person's drawings (and copies), the rest rehearsal: learned as well as at a half
  temperature: 2, // the rehearsal is distilled at T = 2 (both sides softened): it holds how the model ranked every digit, not only the winner
  yieldEveryMs: 20, // as fit: pause, abort and messages get through
});

/** Resolved options with defaults. */
export type AdaptSettings = Required<Omit<AdaptOptions, 'signal' | 'onProgress' | 'replay' | 'learningRate'>> & {
  /** null: chosen by the network (see {@link ADAPT_DEFAULTS}). */
  learningRate: number | null;
  batchSize: number;
  ownShare: number;
  temperature: number;
};

/**
 * Checks the drawings and returns them as floats in [0, 1] with their labels.
 *
 * @throws InvalidOptionError for no drawings, pixels that are not `count × 784`
 *   (or outside [0, 1] as floats), a label count that differs, or a label that is not a digit 0–9.
 * @example
 * ```ts
 * checkAdaptExamples({ images: new Float32Array(784 * 2), labels: [3, 12] });
 * // InvalidOptionError: Expected examples.labels[1] to be a digit 0–9, got 12
 * ```
 */
export function checkAdaptExamples(examples: AdaptExamples): { images: Float32Array; labels: Uint8Array; count: number } {
  if (typeof examples !== 'object' || examples === null) {
    throw new InvalidOptionError(`Expected examples to be { images, labels }, got ${examples === null ? 'null' : typeof examples}`);
  }
  const { images, labels } = examples;
  if ((images as { length?: number } | undefined)?.length === 0) {
    throw new InvalidOptionError('Expected at least one drawing to adapt to, got examples.images of length 0');
  }
  const { values, count } = unitPixels(images, 'examples.images');
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new InvalidOptionError(`Expected examples.labels to be an array of ${count} digits, got ${labels === null ? 'null' : typeof labels}`);
  }
  if (labels.length !== count) {
    throw new InvalidOptionError(`Expected examples.labels to hold one digit per drawing (${count}), got ${labels.length}`);
  }
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y > 9) throw new InvalidOptionError(`Expected examples.labels[${i}] to be a digit 0–9, got ${String(y)}`);
    out[i] = y;
  }
  return { images: values, labels: out, count };
}

/**
 * Checks the options and fills in {@link ADAPT_DEFAULTS}.
 *
 * @throws InvalidOptionError naming the field that is out of range.
 */
export function resolveAdaptOptions(options: AdaptOptions): AdaptSettings {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(`Expected options to be an object, got ${options === null ? 'null' : typeof options}`);
  const s = {
    steps: options.steps ?? ADAPT_DEFAULTS.steps,
    learningRate: options.learningRate ?? null,
    replayCount: options.replayCount ?? ADAPT_DEFAULTS.replayCount,
    copies: options.copies ?? ADAPT_DEFAULTS.copies,
    nonDigitCount: options.nonDigitCount ?? ADAPT_DEFAULTS.nonDigitCount,
    seed: options.seed ?? 0,
    yieldEveryMs: options.yieldEveryMs ?? ADAPT_DEFAULTS.yieldEveryMs,
    batchSize: ADAPT_DEFAULTS.batchSize,
    ownShare: ADAPT_DEFAULTS.ownShare,
    temperature: ADAPT_DEFAULTS.temperature,
  };
  const int = (k: 'steps' | 'replayCount' | 'copies' | 'nonDigitCount', min: number) => {
    if (!Number.isInteger(s[k]) || s[k] < min) throw new InvalidOptionError(`Expected options.${k} to be an integer >= ${min}, got ${String(s[k])}`);
  };
  int('steps', 1);
  int('replayCount', 0);
  int('copies', 0);
  int('nonDigitCount', 0);
  if (!Number.isInteger(s.seed)) throw new InvalidOptionError(`Expected options.seed to be an integer, got ${String(s.seed)}`);
  if (s.learningRate !== null && (!(s.learningRate > 0) || !Number.isFinite(s.learningRate))) throw new InvalidOptionError(`Expected options.learningRate > 0, got ${String(s.learningRate)}`);
  if (!(s.yieldEveryMs >= 0)) throw new InvalidOptionError(`Expected options.yieldEveryMs >= 0, got ${String(s.yieldEveryMs)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new InvalidOptionError(`Expected options.onProgress to be a function, got ${typeof options.onProgress}`);
  }
  return s;
}
