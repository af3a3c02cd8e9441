/**
 * What every `predict` in the package takes and returns: the core's
 * `Inference` and `Trainer`, the worker's `TrainerClient` and `<digit-pad>`.
 *
 * In: {@link DigitPixels}, 784 values per image, row-major, 0 background to
 * full ink: bytes 0–255 (a `Uint8Array`, as MNIST stores them) or floats in
 * [0, 1] (a `Float32Array`, as `toMnistPixels` returns them). Floats are used
 * as they are, never rounded to bytes. `predict` takes one image,
 * `predictBatch` any number.
 *
 * Out: a {@link Prediction} per image, `{ digit, probabilities, isDigit, digitScore }`.
 */
import { InvalidOptionError } from '../errors.js';
import { argmaxRow } from '../metrics/argmax.js';
import { softmaxInto } from '../metrics/softmax.js';
import { NON_DIGIT_CLASS, PLAIN_READING, type DigitReading } from '../models/non-digit-output.js';
import { describeValue } from '../util/describe-value.js';

/** Pixels of one or more 28×28 digits: bytes 0–255, or floats in [0, 1]. */
export type DigitPixels = Uint8Array | Uint8ClampedArray | Float32Array;

/** One image's answer. */
export interface Prediction {
  /** The most likely digit (the first on a tie; -1 if the model's output held NaN). */
  readonly digit: number;
  /** The 10 digit probabilities, summing to 1 (the softmax over the 10 digit logits alone). */
  readonly probabilities: Float32Array;
  /**
   * Whether the drawing looks like a digit at all: `digitScore >=` the
   * model's threshold (stored in the model file; see `ModelSpec.nonDigit`).
   * False for a letter, a smiley, a scribble; also false when the output held NaN.
   */
  readonly isDigit: boolean;
  /**
   * 0–1, how much the drawing looks like a digit: 1 − P(not a digit) for a
   * model with the "not a digit" output, else the top digit probability (a
   * weaker signal). NaN if the model's output held NaN.
   */
  readonly digitScore: number;
}

/** Pixels per image. */
const PIXELS = 784;
/** Classes per image. */
const CLASSES = 10;

/**
 * Checks `pixels` and returns them as floats in [0, 1] with their image
 * count: bytes are divided by 255 (exactly: every byte is a float32), floats
 * are checked and returned as they are. `images: 1` requires exactly one image.
 *
 * @throws InvalidOptionError naming `name`, the expected shape and what came.
 * @example
 * ```ts
 * const { values, count } = unitPixels(test.images.subarray(0, 784 * 8)); // count 8
 * ```
 */
export function unitPixels(pixels: unknown, name = 'pixels', images?: 1): { values: Float32Array; count: number } {
  const isBytes = pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray;
  if (!isBytes && !(pixels instanceof Float32Array)) {
    throw new InvalidOptionError(`Expected ${name} to be a Uint8Array (bytes 0–255) or a Float32Array (floats in [0, 1]) of ${images === 1 ? '784' : 'count × 784'} pixels, got ${describeValue(pixels)}`);
  }
  const array = pixels as DigitPixels;
  const count = array.length / PIXELS;
  if (images === 1 ? array.length !== PIXELS : !Number.isInteger(count) || count < 1) {
    throw new InvalidOptionError(`Expected ${name} to hold ${images === 1 ? 'one image of 784 pixels (predictBatch takes many)' : 'count × 784 pixels'}, got ${describeValue(array)}`);
  }
  if (isBytes) return { values: Float32Array.from(array, (v) => v / 255), count };
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (!(v >= 0 && v <= 1)) throw new InvalidOptionError(`Expected ${name} as floats in [0, 1] (or bytes 0–255 in a Uint8Array), got ${v} at index ${i}`);
  }
  return { values: array as Float32Array, count };
}

/**
 * Turns `count × reading.outputs` logits (10 digit logits, then the "not a
 * digit" logit when the model has one) into one {@link Prediction} per
 * image, each `probabilities` a view of one shared buffer (one transfer
 * moves them all).
 *
 * @example
 * ```ts
 * const [first] = predictionsFromLogits(logits, 1, digitReading(model.spec));
 * ```
 */
export function predictionsFromLogits(logits: ArrayLike<number>, count: number, reading: DigitReading = PLAIN_READING): Prediction[] {
  const { outputs, threshold } = reading;
  const probabilities = new Float32Array(count * CLASSES);
  const all = new Float32Array(outputs);
  const result: Prediction[] = [];
  for (let i = 0; i < count; i++) {
    const row = probabilities.subarray(i * CLASSES, (i + 1) * CLASSES);
    const digitScore = digitScoreOfRow(logits, i * outputs, outputs, row, all);
    result.push({ digit: argmaxRow(row, 0, CLASSES), probabilities: row, isDigit: digitScore >= threshold, digitScore });
  }
  return result;
}

/**
 * Writes the 10 digit probabilities of the row at `offset` into `probabilities`
 * and returns its digit score: 1 − P(not a digit) under the 11-way softmax
 * (`outputs` 11), else the top digit probability. `scratch` holds `outputs` floats.
 * @internal
 */
export function digitScoreOfRow(logits: ArrayLike<number>, offset: number, outputs: 10 | 11, probabilities: Float32Array, scratch: Float32Array): number {
  softmaxInto(logits, offset, CLASSES, probabilities, 0);
  if (outputs === 11) {
    softmaxInto(logits, offset, 11, scratch, 0);
    return 1 - scratch[NON_DIGIT_CLASS];
  }
  let max = -Infinity;
  for (let c = 0; c < CLASSES; c++) {
    if (Number.isNaN(probabilities[c])) return NaN;
    if (probabilities[c] > max) max = probabilities[c];
  }
  return max;
}
