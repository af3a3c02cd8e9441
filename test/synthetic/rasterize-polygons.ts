/**
 * An anti-aliased scanline fill of polygons with the nonzero winding rule (the
 * rule TrueType and CFF outlines are drawn with), no canvas: each pixel row is
 * sampled on {@link SUBROWS} sub-scanlines, and on each the covered spans add
 * their exact horizontal overlap with every pixel. Coverage is 0–1 a pixel.
 */
import type { Polygon } from './glyph-polygons.js';

/** Sub-scanlines a pixel row: 16 coverage levels vertically, exact horizontally. */
const SUBROWS = 5;

/** A coverage raster, row-major. */
export interface Coverage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Fills `polygons` (pixel coordinates, y down) into a `width × height` raster.
 *
 * @example
 * ```ts
 * const square = rasterizePolygons([[1, 1, 3, 1, 3, 3, 1, 3]], 4, 4);
 * square.data[1 * 4 + 1]; // 1
 * ```
 */
export function rasterizePolygons(polygons: readonly Polygon[], width: number, height: number): Coverage {
  const data = new Float32Array(width * height);
  const crossings: number[] = [];
  const windings: number[] = [];
  for (let row = 0; row < height; row++) {
    for (let s = 0; s < SUBROWS; s++) {
      const sy = row + (s + 0.5) / SUBROWS;
      crossings.length = 0;
      windings.length = 0;
      for (const p of polygons) {
        const n = p.length / 2;
        for (let i = 0; i < n; i++) {
          const x0 = p[2 * i];
          const y0 = p[2 * i + 1];
          const j = (i + 1) % n;
          const x1 = p[2 * j];
          const y1 = p[2 * j + 1];
          if (y0 === y1 || sy < Math.min(y0, y1) || sy >= Math.max(y0, y1)) continue;
          crossings.push(x0 + ((sy - y0) / (y1 - y0)) * (x1 - x0));
          windings.push(y1 > y0 ? 1 : -1);
        }
      }
      if (crossings.length === 0) continue;
      const order = crossings.map((_, i) => i).sort((a, b) => crossings[a] - crossings[b]);
      let winding = 0;
      for (let k = 0; k < order.length - 1; k++) {
        winding += windings[order[k]];
        if (winding !== 0) addSpan(data, row * width, width, crossings[order[k]], crossings[order[k + 1]]);
      }
    }
  }
  for (let i = 0; i < data.length; i++) data[i] = Math.min(1, data[i] / SUBROWS);
  return { width, height, data };
}

/** Adds the overlap of [x0, x1) with each pixel of one row. */
function addSpan(data: Float32Array, rowStart: number, width: number, x0: number, x1: number): void {
  const a = Math.max(0, x0);
  const b = Math.min(width, x1);
  if (b <= a) return;
  const first = Math.floor(a);
  const last = Math.min(width - 1, Math.floor(b));
  if (first === last) {
    data[rowStart + first] += b - a;
    return;
  }
  data[rowStart + first] += first + 1 - a;
  for (let x = first + 1; x < last; x++) data[rowStart + x] += 1;
  if (last < width) data[rowStart + last] += b - last;
}
