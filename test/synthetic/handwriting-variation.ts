/**
 * How one writer's drawings of the same character differ from each other: a
 * seeded draw of small rotation, slant, scale and aspect, stroke weight and an
 * elastic (smooth, low-frequency) jitter of the outline, applied to the glyph's
 * polygons and its raster. The ranges are those of a person writing the same
 * digit several times on a pad, not of different people.
 */
import { createRng, type Rng } from '../../src/data/rng.js';
import type { Polygon } from './glyph-polygons.js';
import type { Coverage } from './rasterize-polygons.js';

/** One drawing's variation. */
export interface Variation {
  /** Radians, positive clockwise on screen. */
  readonly rotation: number;
  /** Horizontal shear: x += slant × (height above the centre). */
  readonly slant: number;
  /** Overall scale and width-to-height ratio. */
  readonly scale: number;
  readonly aspect: number;
  /** Pixels (at 100 px an em) to thicken (> 0) or thin (< 0) the strokes by. */
  readonly weight: number;
  /** Elastic jitter: amplitude (fraction of the em) and the random phases of its waves. */
  readonly jitter: number;
  readonly phases: readonly number[];
}

/** The largest variation of each kind (a drawing draws uniformly within ± these). */
export const VARIATION_RANGE = {
  rotation: (8 * Math.PI) / 180,
  slant: 0.15,
  scale: 0.1,
  aspect: 0.12,
  weight: 2,
  jitter: 0.025,
} as const;

/** Draws one variation from `rng`; `amount` (0–1) scales every range. */
export function drawVariation(rng: Rng, amount = 1): Variation {
  const u = () => (2 * rng.next() - 1) * amount;
  return {
    rotation: u() * VARIATION_RANGE.rotation,
    slant: u() * VARIATION_RANGE.slant,
    scale: 1 + u() * VARIATION_RANGE.scale,
    aspect: 1 + u() * VARIATION_RANGE.aspect,
    // Thinning goes half as far as thickening: a hairline font must not vanish.
    weight: ((w) => (w > 0 ? w : w / 2))(u()) * VARIATION_RANGE.weight,
    jitter: Math.abs(u()) * VARIATION_RANGE.jitter,
    phases: Array.from({ length: 6 }, () => rng.next() * 2 * Math.PI),
  };
}

/** No variation: the glyph as the font draws it. */
export const NO_VARIATION: Variation = {
  rotation: 0, slant: 0, scale: 1, aspect: 1, weight: 0, jitter: 0, phases: [0, 0, 0, 0, 0, 0],
};

/**
 * Moves every outline point: elastic jitter (two sinusoidal waves a coordinate,
 * a wavelength of about half the em), then slant, aspect, rotation and scale
 * about the glyph's centre `(cx, cy)`. `em` is the font size in pixels.
 */
export function distortPolygons(polygons: readonly Polygon[], v: Variation, em: number, cx: number, cy: number): Polygon[] {
  const k = (2 * Math.PI) / (0.5 * em);
  const amp = v.jitter * em;
  const cos = Math.cos(v.rotation);
  const sin = Math.sin(v.rotation);
  const [p0, p1, p2, p3, p4, p5] = v.phases;
  return polygons.map((poly) => {
    const out: Polygon = new Array(poly.length);
    for (let i = 0; i < poly.length; i += 2) {
      let x = poly[i] - cx;
      let y = poly[i + 1] - cy;
      const jx = amp * 0.5 * (Math.sin(k * y + p0) + Math.sin(0.7 * k * x + 1.3 * k * y + p1) * Math.cos(p4));
      const jy = amp * 0.5 * (Math.sin(k * x + p2) + Math.sin(1.1 * k * x - 0.6 * k * y + p3) * Math.cos(p5));
      x += jx;
      y += jy;
      x = (x - v.slant * y) * v.aspect;
      const rx = cos * x - sin * y;
      const ry = sin * x + cos * y;
      out[i] = cx + v.scale * rx;
      out[i + 1] = cy + v.scale * ry;
    }
    return out;
  });
}

/**
 * Thickens (`pixels` > 0) or thins (< 0) the strokes of a coverage raster by
 * grey-scale dilation or erosion with a 3×3 cross, whole steps then a blended
 * fraction.
 */
export function adjustWeight(image: Coverage, pixels: number): Coverage {
  let data = image.data;
  const steps = Math.abs(pixels);
  const grow = pixels > 0;
  for (let done = 0; done < steps; done++) {
    const next = morph(data, image.width, image.height, grow);
    const t = Math.min(1, steps - done);
    for (let i = 0; i < next.length; i++) next[i] = data[i] + t * (next[i] - data[i]);
    data = next;
  }
  return { width: image.width, height: image.height, data };
}

function morph(src: Float32Array, w: number, h: number, grow: boolean): Float32Array {
  const out = new Float32Array(src.length);
  const pick = grow ? Math.max : Math.min;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = src[i];
      v = pick(v, x > 0 ? src[i - 1] : 0, x < w - 1 ? src[i + 1] : 0);
      v = pick(v, y > 0 ? src[i - w] : 0, y < h - 1 ? src[i + w] : 0);
      out[i] = v;
    }
  }
  return out;
}

export { createRng, type Rng };
