/**
 * Training the "not a digit" output (`fit` with `nonDigits`): outlier
 * exposure with synthetic non-digits as an 11th class. The negatives are
 * drawn once per fit from a seeded generator and shuffled into the batches
 * with the digits; a slice of the training digits is held out to choose the
 * threshold behind `isDigit` after every epoch, and a second, differently
 * seeded set of non-digits measures how many the model flags.
 */
import { MNIST_PIXELS, MNIST_SIZE, subsetMnist, type MnistSet } from '../data/mnist-set.js';
import { nonDigitSet } from '../data/non-digits/generate-non-digits.js';
import { InvalidOptionError } from '../errors.js';
import { stripUndefined } from '../util/strip-undefined.js';

/** How `fit` trains the "not a digit" output. */
export interface NonDigitTraining {
  /** Non-digits drawn per training digit (default 0.1: 5,500 for MNIST's 55,000). */
  share: number;
  /** Seed of the non-digit generator (default: the run's seed + 1). */
  seed: number;
  /** Training digits held out (the last ones) to choose the threshold on; default 5,000, at most a twelfth of the set. */
  validation: number;
  /** At most this share of digits is flagged "not a digit" (default 0.01) … */
  flagRate: number;
  /**
   * … with this confidence, judged from the held-out digits (default 0.95: the
   * Clopper–Pearson upper bound of their flag rate stays under `flagRate`, so
   * about 0.76 % of 5,000 held-out digits are flagged); 0 flags `flagRate` of them exactly.
   */
  confidence: number;
  /** Differently seeded non-digits whose flagged share each epoch reports (default 1,000). */
  heldOut: number;
}

/** The defaults, each with why. */
export const NON_DIGIT_TRAINING_DEFAULTS: Readonly<Omit<NonDigitTraining, 'seed'>> = Object.freeze({
  share: 0.1, // enough negatives to learn the class, few enough that digits keep their accuracy
  validation: 5000, // MNIST's usual 55,000 / 5,000 split: 50 digits at the 1 % point
  flagRate: 0.01, // the target: at most 1 % of real digits flagged
  confidence: 0.95, // of digits by other writers too, not just of these: a margin for the writers the set does not hold
  heldOut: 1000, // ±1 point on the flagged share
});

/** Checks `value` (true or partial options) and fills in the defaults; null for off. */
export function resolveNonDigitTraining(value: boolean | Partial<NonDigitTraining> | undefined, runSeed: number): NonDigitTraining | null {
  if (value === undefined || value === false) return null;
  if (value !== true && (typeof value !== 'object' || value === null)) throw new InvalidOptionError(`Expected nonDigits to be true, false or an options object, got ${String(value)}`);
  const v: NonDigitTraining = { ...NON_DIGIT_TRAINING_DEFAULTS, seed: runSeed + 1, ...(value === true ? {} : stripUndefined(value)) };
  if (!(v.share > 0 && v.share <= 1)) throw new InvalidOptionError(`Expected nonDigits.share in (0, 1], got ${String(v.share)}`);
  if (!Number.isInteger(v.seed)) throw new InvalidOptionError(`Expected nonDigits.seed to be an integer, got ${String(v.seed)}`);
  if (!Number.isInteger(v.validation) || v.validation < 10) throw new InvalidOptionError(`Expected nonDigits.validation to be an integer >= 10, got ${String(v.validation)}`);
  if (!(v.flagRate >= 0 && v.flagRate < 1)) throw new InvalidOptionError(`Expected nonDigits.flagRate in [0, 1), got ${String(v.flagRate)}`);
  if (!(v.confidence >= 0 && v.confidence < 1)) throw new InvalidOptionError(`Expected nonDigits.confidence in [0, 1), got ${String(v.confidence)}`);
  if (!Number.isInteger(v.heldOut) || v.heldOut < 1) throw new InvalidOptionError(`Expected nonDigits.heldOut to be a positive integer, got ${String(v.heldOut)}`);
  return v;
}

/** The sets of one fit with the "not a digit" output. */
export interface NonDigitData {
  /** Training digits (without the held-out ones) followed by the non-digits (label 10). */
  train: MnistSet;
  /** Digits held out of training: the threshold is chosen on them. */
  validation: MnistSet;
  /** Non-digits drawn with another seed, never trained on. */
  heldOut: MnistSet;
}

/**
 * Splits `train` and draws the non-digits.
 *
 * @throws InvalidOptionError when the set is too small to hold out digits from.
 */
export function prepareNonDigitData(train: MnistSet, o: NonDigitTraining): NonDigitData {
  const validationCount = Math.min(o.validation, Math.floor(train.count / 12));
  if (validationCount < 10) throw new InvalidOptionError(`nonDigits: the training set of ${train.count} is too small to hold out digits for the threshold (needs at least 120)`);
  const digits = subsetMnist(train, 0, train.count - validationCount);
  const validation = subsetMnist(train, train.count - validationCount, validationCount);
  const negatives = nonDigitSet(Math.max(1, Math.round(o.share * digits.count)), { seed: o.seed });
  const heldOut = nonDigitSet(o.heldOut, { seed: o.seed + 1_000_003 });
  return { train: concatSets(digits, negatives), validation, heldOut };
}

/** Two sets back to back (a copy). */
function concatSets(a: MnistSet, b: MnistSet): MnistSet {
  const images = new Uint8Array((a.count + b.count) * MNIST_PIXELS);
  images.set(a.images);
  images.set(b.images, a.count * MNIST_PIXELS);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels);
  labels.set(b.labels, a.count);
  return { images, labels, count: a.count + b.count, rows: MNIST_SIZE, cols: MNIST_SIZE };
}
