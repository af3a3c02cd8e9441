import { InvalidOptionError } from '../errors.js';

/** Where the ink of a raster balances, in pixel-index coordinates. */
export interface CenterOfMass {
  /** Column of the balance point: pixel `i`'s centre is at `x = i`; `NaN` when `mass` is 0. */
  readonly x: number;
  /** Row of the balance point; `NaN` when `mass` is 0. */
  readonly y: number;
  /** Total ink, the sum of all values. */
  readonly mass: number;
}

/**
 * The intensity-weighted mean position of a row-major raster: the point MNIST
 * puts at the centre of its 28×28 field, which in index coordinates is (13.5, 13.5).
 * Values are weights and should be non-negative.
 *
 * @example
 * ```ts
 * centerOfMass([0, 1, 0, 1], 2, 2); // { x: 1, y: 0.5, mass: 2 }
 * ```
 */
export function centerOfMass(pixels: ArrayLike<number>, width: number, height: number): CenterOfMass {
  assertRaster(pixels, width, height, 'pixels');
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0, i = 0; y < height; y++) {
    let rowMass = 0;
    for (let x = 0; x < width; x++, i++) {
      const v = pixels[i];
      rowMass += v;
      sumX += v * x;
    }
    mass += rowMass;
    sumY += rowMass * y;
  }
  if (mass === 0) return { x: NaN, y: NaN, mass: 0 };
  return { x: sumX / mass, y: sumY / mass, mass };
}

/**
 * Throws {@link InvalidOptionError} unless `width` and `height` are positive
 * integers and `pixels` holds exactly `width * height` values.
 *
 * @example
 * ```ts
 * assertRaster(new Float32Array(784), 28, 28, 'pixels'); // passes
 * ```
 */
export function assertRaster(pixels: ArrayLike<number>, width: number, height: number, name: string): void {
  for (const [label, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new InvalidOptionError(`Expected ${label} to be a positive integer, got ${v}`);
    }
  }
  if (pixels == null || typeof pixels.length !== 'number') {
    throw new InvalidOptionError(`Expected ${name} to be an array of numbers, got ${String(pixels)}`);
  }
  if (pixels.length !== width * height) {
    throw new InvalidOptionError(
      `Expected ${name} of length ${width * height} (${width}×${height}), got ${pixels.length}`,
    );
  }
}
