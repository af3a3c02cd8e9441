/**
 * A pad-like brush in pure TypeScript: round-capped, round-joined,
 * anti-aliased strokes painted into the alpha channel of an RGBA image, the
 * way `<digit-pad>` paints its off-screen ink (black, `lineCap: 'round'`, pen
 * width a fraction of the side), so a drawing made here goes through
 * `toMnistPixels` exactly as a pad drawing does. No DOM, no canvas.
 */
import type { RgbaImage } from '../../preprocess/rgba-image.js';

/** A stroke: a flat list x0, y0, x1, y1, … in unit coordinates (0–1 across and down). */
export type UnitStroke = readonly number[];

/** Where and how wide to paint. */
export interface BrushOptions {
  /** Side of the square image in pixels (the pad's ink canvas is 280). */
  readonly side: number;
  /** Pen width as a fraction of the side (the pad's default is 0.08). */
  readonly penSize: number;
}

/**
 * Paints `strokes` on a transparent `side × side` image: each segment's
 * coverage (1 inside the pen radius, falling off over one pixel at the edge)
 * merged by maximum into the alpha channel, so joins and crossings do not
 * darken, as one canvas path of opaque ink would not. A one-point stroke is a dot.
 *
 * @example
 * ```ts
 * const image = paintStrokes([[0.2, 0.2, 0.8, 0.8]], { side: 112, penSize: 0.08 });
 * toMnistPixels(image, { polarity: 'alpha' });
 * ```
 */
export function paintStrokes(strokes: readonly UnitStroke[], options: BrushOptions): RgbaImage {
  const { side, penSize } = options;
  const alpha = new Float32Array(side * side);
  const r = Math.max(0.5, (penSize * side) / 2);
  for (const stroke of strokes) {
    const n = stroke.length >> 1;
    if (n === 0) continue;
    if (n === 1) segment(alpha, side, r, stroke[0] * side, stroke[1] * side, stroke[0] * side, stroke[1] * side);
    for (let i = 1; i < n; i++) {
      segment(alpha, side, r, stroke[2 * i - 2] * side, stroke[2 * i - 1] * side, stroke[2 * i] * side, stroke[2 * i + 1] * side);
    }
  }
  const data = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < alpha.length; i++) data[4 * i + 3] = Math.round(alpha[i] * 255);
  return { width: side, height: side, data };
}

/** Max-merges the coverage of one round-capped segment into `alpha`. */
function segment(alpha: Float32Array, side: number, r: number, x0: number, y0: number, x1: number, y1: number): void {
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 1));
  const maxX = Math.min(side - 1, Math.ceil(Math.max(x0, x1) + r + 1));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 1));
  const maxY = Math.min(side - 1, Math.ceil(Math.max(y0, y1) + r + 1));
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const reach2 = (r + 0.5) * (r + 0.5);
  for (let y = minY; y <= maxY; y++) {
    const py = y + 0.5;
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      let t = len2 === 0 ? 0 : ((px - x0) * dx + (py - y0) * dy) / len2;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - (x0 + t * dx);
      const ey = py - (y0 + t * dy);
      const d2 = ex * ex + ey * ey;
      if (d2 >= reach2) continue;
      const coverage = r - Math.sqrt(d2) + 0.5;
      const j = y * side + x;
      const c = coverage >= 1 ? 1 : coverage;
      if (c > alpha[j]) alpha[j] = c;
    }
  }
}
