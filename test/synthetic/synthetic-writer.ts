/**
 * A synthetic writer: a handwriting font whose glyphs, varied a little each
 * time (see `handwriting-variation.ts`), are drawn the way the pad draws — an
 * anti-aliased black-on-transparent raster — and read with the pad's own
 * preprocessing (`toMnistPixels`, ink from the alpha channel) to 28×28.
 *
 * @example
 * ```ts
 * const { images, labels } = writerDrawings('caveat', { perDigit: 5, seed: 1 });
 * images.length; // 50 * 784; labels: 0 1 2 … 9 0 1 2 …
 * ```
 */
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { glyphPolygons, type Polygon } from './glyph-polygons.js';
import { loadHandwritingFont, type WriterName } from './handwriting-fonts.js';
import {
  adjustWeight, createRng, distortPolygons, drawVariation, NO_VARIATION, type Variation,
} from './handwriting-variation.js';
import { rasterizePolygons } from './rasterize-polygons.js';

/** Pixels an em the glyphs are rasterised at: a digit comes out 50–80 px tall, like a pad stroke. */
const EM = 100;
/** Blank border around the glyph, pixels. */
const MARGIN = 8;
const PIXELS = 784;

/** Drawings with their labels (the characters' index in `chars`, digits: the digit). */
export interface SyntheticDrawings {
  /** `count × 784` pixels in [0, 1], as `toMnistPixels` gives them. */
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface DrawingOptions {
  /** Drawings of each character. */
  perCharacter?: number;
  /** Seed of the variations (combined with the writer, so writers differ). */
  seed?: number;
  /** 0–1, scales every variation range; 0 draws the plain glyph every time. */
  variation?: number;
}

/**
 * `perDigit` drawings of each digit by `writer`, in rounds of 0–9 (so the first
 * 10 drawings are one of each digit).
 */
export function writerDrawings(
  writer: WriterName,
  { perDigit = 1, seed = 0, variation = 1 }: { perDigit?: number; seed?: number; variation?: number } = {},
): SyntheticDrawings {
  return characterDrawings(writer, '0123456789', { perCharacter: perDigit, seed, variation });
}

/**
 * `perCharacter` drawings of each character of `chars` by `writer`, in rounds;
 * label = the character's index in `chars`. For letters as non-digits, pass
 * letters (see {@link NON_DIGIT_LETTERS}).
 */
export function characterDrawings(writer: WriterName, chars: string, options: DrawingOptions = {}): SyntheticDrawings {
  const { perCharacter = 1, seed = 0, variation = 1 } = options;
  const font = loadHandwritingFont(writer);
  const outlines = [...chars].map((c) => glyphPolygons(font, c, EM));
  const rng = createRng(hash(writer) ^ Math.imul(seed, 0x9e3779b1));
  const count = perCharacter * outlines.length;
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % outlines.length;
    const v = variation > 0 ? drawVariation(rng, variation) : NO_VARIATION;
    images.set(drawGlyph(outlines[label], v), i * PIXELS);
    labels[i] = label;
  }
  return { images, labels, count };
}

/**
 * One glyph outline, varied by `v`, rasterised and read like a pad drawing.
 * Returns 784 pixels in [0, 1].
 */
export function drawGlyph(outline: readonly Polygon[], v: Variation): Float32Array {
  const box = bounds(outline);
  const moved = distortPolygons(outline, v, EM, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2);
  const b = bounds(moved);
  const shift = MARGIN - Math.floor(b.x0);
  const drop = MARGIN - Math.floor(b.y0);
  const width = Math.ceil(b.x1) + shift + MARGIN;
  const height = Math.ceil(b.y1) + drop + MARGIN;
  const placed = moved.map((p) => p.map((value, i) => value + (i % 2 === 0 ? shift : drop)));
  const coverage = adjustWeight(rasterizePolygons(placed, width, height), v.weight);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < coverage.data.length; i++) data[4 * i + 3] = Math.round(coverage.data[i] * 255);
  return toMnistPixels({ width, height, data }, { polarity: 'alpha' });
}

/**
 * Letters whose shapes are not digit shapes (the list of letters that
 * pass for digits — O I l S Z B G b g q D J L T s z o i — left out).
 */
export const NON_DIGIT_LETTERS = 'ACEFHKMNPQRUVWXYacdefhkmnprtuvwxy';

function bounds(polygons: readonly Polygon[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of polygons) {
    for (let i = 0; i < p.length; i += 2) {
      x0 = Math.min(x0, p[i]); x1 = Math.max(x1, p[i]);
      y0 = Math.min(y0, p[i + 1]); y1 = Math.max(y1, p[i + 1]);
    }
  }
  return { x0, y0, x1, y1 };
}

/** FNV-1a of the writer's name, so each writer has its own stream for a seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
