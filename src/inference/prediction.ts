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
 * Out: a {@link Prediction} per image, `{ digit, probabilities }`.
 */
import { InvalidOptionError } from '../errors.js';
import { argmaxRow } from '../metrics/argmax.js';
import { softmaxInto } from '../metrics/softmax.js';

/** Pixels of one or more 28×28 digits: bytes 0–255, or floats in [0, 1]. */
export type DigitPixels = Uint8Array | Uint8ClampedArray | Float32Array;

/** One image's answer. */
export interface Prediction {
  /** The most likely digit (the first on a tie; -1 if the model's output held NaN). */
  readonly digit: number;
  /** The 10 class probabilities, summing to 1. */
  readonly probabilities: Float32Array;
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
    throw new InvalidOptionError(`Expected ${name} to be a Uint8Array (bytes 0–255) or a Float32Array (floats in [0, 1]) of ${images === 1 ? '784' : 'count × 784'} pixels, got ${describe(pixels)}`);
  }
  const array = pixels as DigitPixels;
  const count = array.length / PIXELS;
  if (images === 1 ? array.length !== PIXELS : !Number.isInteger(count) || count < 1) {
    throw new InvalidOptionError(`Expected ${name} to hold ${images === 1 ? 'one image of 784 pixels (predictBatch takes many)' : 'count × 784 pixels'}, got ${describe(array)}`);
  }
  if (isBytes) return { values: Float32Array.from(array, (v) => v / 255), count };
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (!(v >= 0 && v <= 1)) throw new InvalidOptionError(`Expected ${name} as floats in [0, 1] (or bytes 0–255 in a Uint8Array), got ${v} at index ${i}`);
  }
  return { values: array as Float32Array, count };
}

/**
 * Turns `count × 10` logits into one {@link Prediction} per image, each
 * `probabilities` a view of one shared buffer (one transfer moves them all).
 *
 * @example
 * ```ts
 * const [first] = predictionsFromLogits(logits, 1);
 * ```
 */
export function predictionsFromLogits(logits: ArrayLike<number>, count: number): Prediction[] {
  const probabilities = new Float32Array(count * CLASSES);
  const result: Prediction[] = [];
  for (let i = 0; i < count; i++) {
    softmaxInto(logits, i * CLASSES, CLASSES, probabilities, i * CLASSES);
    result.push({ digit: argmaxRow(probabilities, i * CLASSES, CLASSES), probabilities: probabilities.subarray(i * CLASSES, (i + 1) * CLASSES) });
  }
  return result;
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as { length?: number }).length ?? (value as DataView).byteLength}`;
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  return value === null ? 'null' : typeof value;
}
