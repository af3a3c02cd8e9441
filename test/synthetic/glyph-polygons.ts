/**
 * A glyph's outline as closed polygons: quadratic and cubic Bézier segments
 * flattened to straight edges, fine enough that the flattening error is far
 * below a pixel at the sizes the tests rasterise at (about 100 px an em).
 */
import type { Font, PathCommand } from 'opentype.js';

/** One closed contour, x0, y0, x1, y1, … in pixels, y down. */
export type Polygon = number[];

/** Straight pieces a curve is cut into. */
const CURVE_STEPS = 10;

/**
 * The outline of `char` in `font` at `size` pixels an em, baseline at y = 0.
 *
 * @throws Error when the font has no glyph (or an empty one) for `char`.
 * @example
 * ```ts
 * const polygons = glyphPolygons(loadHandwritingFont('caveat'), '4', 100);
 * ```
 */
export function glyphPolygons(font: Font, char: string, size: number): Polygon[] {
  const glyph = font.charToGlyph(char);
  if (glyph.index === 0) throw new Error(`The font has no glyph for ${JSON.stringify(char)}`);
  const polygons = flattenPath(glyph.getPath(0, 0, size).commands);
  if (polygons.length === 0) throw new Error(`The glyph for ${JSON.stringify(char)} is empty`);
  return polygons;
}

/** Flattens path commands (M, L, Q, C, Z) into closed polygons of 3 or more points. */
export function flattenPath(commands: readonly PathCommand[]): Polygon[] {
  const polygons: Polygon[] = [];
  let current: Polygon = [];
  let x = 0;
  let y = 0;
  const close = () => {
    if (current.length >= 6) polygons.push(current);
    current = [];
  };
  for (const c of commands) {
    switch (c.type) {
      case 'M':
        close();
        current.push(c.x, c.y);
        break;
      case 'L':
        current.push(c.x, c.y);
        break;
      case 'Q':
        for (let i = 1; i <= CURVE_STEPS; i++) {
          const t = i / CURVE_STEPS;
          const u = 1 - t;
          current.push(u * u * x + 2 * u * t * c.x1 + t * t * c.x, u * u * y + 2 * u * t * c.y1 + t * t * c.y);
        }
        break;
      case 'C':
        for (let i = 1; i <= CURVE_STEPS; i++) {
          const t = i / CURVE_STEPS;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const d = 3 * u * t * t;
          const e = t * t * t;
          current.push(a * x + b * c.x1 + d * c.x2 + e * c.x, a * y + b * c.y1 + d * c.y2 + e * c.y);
        }
        break;
      case 'Z':
        close();
        continue;
    }
    x = c.x;
    y = c.y;
  }
  close();
  return polygons;
}
