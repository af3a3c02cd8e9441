import { InvalidOptionError } from '../errors.js';
import { assertRaster } from './center-of-mass.js';

/** A pixel rectangle: columns `x … x + width - 1`, rows `y … y + height - 1`. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The smallest rectangle holding every pixel whose value is above `threshold`,
 * or `null` when none is. MNIST scales this box of a digit to fit 20×20.
 *
 * @param threshold - values at or below it count as background (default 0).
 * @example
 * ```ts
 * inkBoundingBox([0, 0, 0, 0, 9, 5, 0, 0, 0], 3, 3); // { x: 1, y: 1, width: 2, height: 1 }
 * inkBoundingBox(new Float32Array(9), 3, 3);         // null
 * ```
 */
export function inkBoundingBox(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0,
): PixelBox | null {
  assertRaster(pixels, width, height, 'pixels');
  if (!Number.isFinite(threshold)) {
    throw new InvalidOptionError(`Expected threshold to be a finite number, got ${threshold}`);
  }
  let minX = width;
  let maxX = -1;
  let minY = -1;
  let maxY = -1;
  for (let y = 0, i = 0; y < height; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++, i++) {
      if (pixels[i] > threshold) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (minY < 0) minY = y;
    maxY = y;
    if (first < minX) minX = first;
    if (last > maxX) maxX = last;
  }
  if (maxY < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
