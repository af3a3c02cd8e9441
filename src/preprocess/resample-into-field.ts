import type { PixelBox } from './ink-bounding-box.js';

/**
 * Where the source box lands in the field: target = (source − box corner) × scale + offset,
 * in continuous coordinates where pixel `i` spans [i, i + 1).
 */
export interface Placement {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/**
 * Draws `box` of a `srcWidth`-wide raster into a square `field × field` raster,
 * scaled and shifted by `placement`, with the filter a digit deserves: the area
 * average of the covered source pixels when shrinking (no aliasing, mass kept),
 * bilinear interpolation when enlarging. Sub-pixel offsets are honoured exactly,
 * so there is one resampling, never a resample and then a shift. Source pixels
 * outside `box` count as 0; whatever falls outside the field is dropped.
 * Separable: a horizontal pass into `scratch` (`box.height × field` values), then
 * a vertical pass into `out` (`field × field`), which is overwritten.
 *
 * @example
 * ```ts
 * const out = new Float32Array(784);
 * resampleIntoField(ink, 280, box, { scale: 0.1, offsetX: 4, offsetY: 4 }, 28, out, new Float32Array(box.height * 28));
 * ```
 */
export function resampleIntoField(
  src: Float32Array,
  srcWidth: number,
  box: PixelBox,
  placement: Placement,
  field: number,
  out: Float32Array,
  scratch: Float32Array,
): void {
  const { scale, offsetX, offsetY } = placement;
  const wx = axisWeights(field, box.x, box.width, scale, offsetX);
  const wy = axisWeights(field, box.y, box.height, scale, offsetY);

  // 1. Rows of the box → field columns.
  for (let r = 0; r < box.height; r++) {
    const rowStart = (box.y + r) * srcWidth;
    for (let k = 0; k < field; k++) {
      let sum = 0;
      const first = wx.first[k];
      for (let t = 0, w = k * wx.taps; t < wx.count[k]; t++, w++) sum += wx.weights[w] * src[rowStart + first + t];
      scratch[r * field + k] = sum;
    }
  }
  // 2. Columns of that → field rows.
  for (let k = 0; k < field; k++) {
    const first = wy.first[k] - box.y;
    for (let c = 0; c < field; c++) {
      let sum = 0;
      for (let t = 0, w = k * wy.taps; t < wy.count[k]; t++, w++) sum += wy.weights[w] * scratch[(first + t) * field + c];
      out[k * field + c] = sum;
    }
  }
}

/** For each target pixel: the first source pixel it reads, how many, and their weights. */
interface AxisWeights {
  readonly taps: number;
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
}

function axisWeights(field: number, start: number, length: number, scale: number, offset: number): AxisWeights {
  const end = start + length; // exclusive
  const taps = scale < 1 ? Math.ceil(1 / scale) + 1 : 2;
  const first = new Int32Array(field);
  const count = new Int32Array(field);
  const weights = new Float32Array(field * taps);
  for (let k = 0; k < field; k++) {
    let lo: number;
    let hi: number; // source pixels lo … hi - 1
    if (scale < 1) {
      // Area average: target pixel k covers source [s0, s1).
      const s0 = start + (k - offset) / scale;
      const s1 = s0 + 1 / scale;
      lo = Math.max(start, Math.floor(s0));
      hi = Math.min(end, Math.ceil(s1));
      for (let i = lo; i < hi; i++) {
        weights[k * taps + i - lo] = (Math.min(i + 1, s1) - Math.max(i, s0)) * scale;
      }
    } else {
      // Bilinear: the target centre k + 0.5 read between the two nearest source centres.
      const p = start + (k + 0.5 - offset) / scale - 0.5;
      const i0 = Math.floor(p);
      const f = p - i0;
      lo = Math.max(start, i0);
      hi = Math.min(end, i0 + 2);
      for (let i = lo; i < hi; i++) weights[k * taps + i - lo] = i === i0 ? 1 - f : f;
    }
    first[k] = lo;
    count[k] = Math.max(0, hi - lo);
  }
  return { taps, first, count, weights };
}
