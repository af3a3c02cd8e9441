import { InvalidOptionError } from '../errors.js';
import { describeValue } from '../util/describe-value.js';

/**
 * An 8-bit RGBA raster, row-major, 4 bytes a pixel: the shape of a browser
 * `ImageData`, so a canvas's pixels pass straight in and a decoded PNG passes
 * straight out to `new ImageData(image.data, image.width, image.height)`.
 *
 * @example
 * ```ts
 * const image: RgbaImage = ctx.getImageData(0, 0, 280, 280);
 * const blank: RgbaImage = { width: 2, height: 1, data: new Uint8ClampedArray(8) };
 * ```
 */
export interface RgbaImage {
  /** Pixels a row, a positive integer. */
  readonly width: number;
  /** Rows, a positive integer. */
  readonly height: number;
  /** `width * height * 4` bytes: R, G, B, A for each pixel, rows top to bottom. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * Throws {@link InvalidOptionError} unless `image` is a well-formed {@link RgbaImage}:
 * positive integer sizes and an 8-bit data array of exactly `width * height * 4` bytes.
 * Used at the boundary of every function that takes an image.
 *
 * @param name - how the caller calls the argument, for the message (`'image'`).
 * @example
 * ```ts
 * assertRgbaImage({ width: 2, height: 2, data: new Uint8Array(15) }, 'image');
 * // InvalidOptionError: Expected image.data of length 16 (2×2×4), got 15
 * ```
 */
export function assertRgbaImage(image: unknown, name: string): asserts image is RgbaImage {
  if (typeof image !== 'object' || image === null) {
    throw new InvalidOptionError(
      `Expected ${name} to be an RGBA image { width, height, data }, got ${image === null ? 'null' : typeof image}`,
    );
  }
  const { width, height, data } = image as Partial<RgbaImage>;
  assertSize(width, `${name}.width`);
  assertSize(height, `${name}.height`);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new InvalidOptionError(
      `Expected ${name}.data to be a Uint8Array or Uint8ClampedArray, got ${describeValue(data)}`,
    );
  }
  const expected = width * height * 4;
  if (data.length !== expected) {
    throw new InvalidOptionError(
      `Expected ${name}.data of length ${expected} (${width}×${height}×4), got ${data.length}`,
    );
  }
}

function assertSize(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(`Expected ${name} to be a positive integer, got ${describeValue(value)}`);
  }
}
