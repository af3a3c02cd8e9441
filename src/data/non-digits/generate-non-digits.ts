/**
 * Seeded synthetic non-digits (shapes, faces, scribbles, random walks,
 * hatching, letters that are not digit shapes), drawn with a pad-like brush
 * and converted by the pad's own `toMnistPixels`, so they look like what a
 * `<digit-pad>` sends a model when someone draws something that is not a
 * digit. They teach a model's "not a digit" output (`fit` with `nonDigits`)
 * and measure how often it flags them.
 */
import { InvalidOptionError } from '../../errors.js';
import { toMnistPixels } from '../../preprocess/to-mnist-pixels.js';
import { MNIST_PIXELS, MNIST_SIZE, type MnistSet } from '../mnist-set.js';
import { createRng, type Rng } from '../rng.js';
import { paintStrokes, type UnitStroke } from './brush.js';
import { transformInto, wobble } from './stroke-geometry.js';
import { DIGIT_LIKE_LETTERS, STROKE_LETTERS } from './stroke-letters.js';
import { arrow, doodle, face, hatching, heart, polygonShape, randomWalk, scribble, star } from './stroke-shapes.js';

/** The kinds of non-digit drawn, with the share of each in a generated set. */
export const NON_DIGIT_KINDS = Object.freeze({
  letter: 0.3, // the most common non-digit anyone writes
  face: 0.07,
  star: 0.06,
  heart: 0.06,
  polygon: 0.07,
  arrow: 0.06,
  doodle: 0.06,
  scribble: 0.1,
  'random-walk': 0.08,
  hatching: 0.07,
  'cross-hatching': 0.07,
});
export type NonDigitKind = keyof typeof NON_DIGIT_KINDS;
const KIND_NAMES = Object.keys(NON_DIGIT_KINDS) as NonDigitKind[];

/** The label of a non-digit in a set made by {@link nonDigitSet} (one past the digits). */
export const NON_DIGIT_LABEL = 10;

/** Options of {@link generateNonDigits}. */
export interface NonDigitOptions {
  /** Same seed, same drawings (default 0). */
  readonly seed?: number;
  /** Kinds to draw (default all, in the shares of {@link NON_DIGIT_KINDS}). */
  readonly kinds?: readonly NonDigitKind[];
  /** Letters to draw for `letter` (default every letter of `STROKE_LETTERS`; digit-like letters are refused). */
  readonly letters?: readonly string[];
  /** Side of the pad the drawing is painted on, in pixels (default 112: the 28×28 result is the same as at 280, 6× faster). */
  readonly side?: number;
}

/** Generated non-digits: MNIST-format pixels and what each one is. */
export interface NonDigits {
  /** `count × 784` bytes, 0 background to 255 ink, as MNIST stores digits. */
  readonly images: Uint8Array;
  /** The kind of each drawing (a key of {@link NON_DIGIT_KINDS}). */
  readonly kinds: readonly NonDigitKind[];
  readonly count: number;
}

/**
 * Draws `count` non-digits. Each is one kind of drawing, wobbled as a hand
 * draws, tilted, squashed or slanted, placed at a random size on a square
 * pad, painted with a pen 5–10 % of the pad wide and converted with
 * `toMnistPixels({ polarity: 'alpha' })`, as `<digit-pad>` does.
 *
 * @throws InvalidOptionError for a bad count, kind, letter or side.
 * @example
 * ```ts
 * const { images, kinds } = generateNonDigits(1000, { seed: 7 });
 * inference.predictBatch(images).filter((p) => !p.isDigit).length; // most of them
 * ```
 */
export function generateNonDigits(count: number, options: NonDigitOptions = {}): NonDigits {
  if (!Number.isInteger(count) || count < 0) throw new InvalidOptionError(`Expected count to be a non-negative integer, got ${String(count)}`);
  const { seed = 0, side = 112 } = options;
  const kinds = options.kinds ?? KIND_NAMES;
  for (const k of kinds) if (!KIND_NAMES.includes(k)) throw new InvalidOptionError(`Unknown non-digit kind "${String(k)}": expected one of ${KIND_NAMES.join(', ')}`);
  if (kinds.length === 0) throw new InvalidOptionError('Expected options.kinds to name at least one kind');
  const letters = options.letters ?? Object.keys(STROKE_LETTERS);
  for (const l of letters) {
    if (DIGIT_LIKE_LETTERS.includes(l)) throw new InvalidOptionError(`Letter "${l}" looks like a digit and is not a non-digit`);
    if (!(l in STROKE_LETTERS)) throw new InvalidOptionError(`No strokes for letter "${String(l)}": expected one of ${Object.keys(STROKE_LETTERS).join('')}`);
  }
  if (!Number.isInteger(side) || side < 28 || side > 1024) throw new InvalidOptionError(`Expected options.side to be an integer from 28 to 1024, got ${String(side)}`);
  const rng = createRng(seed);
  const weights = kinds.map((k) => NON_DIGIT_KINDS[k]);
  const total = weights.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(count * MNIST_PIXELS);
  const drawn: NonDigitKind[] = [];
  for (let i = 0; i < count; i++) {
    let u = rng.next() * total;
    let k = 0;
    while (k < kinds.length - 1 && u >= weights[k]) u -= weights[k++];
    const kind = kinds[k];
    const pixels = drawNonDigit(kind, rng, { letters, side });
    for (let p = 0; p < MNIST_PIXELS; p++) images[i * MNIST_PIXELS + p] = Math.round(pixels[p] * 255);
    drawn.push(kind);
  }
  return { images, kinds: drawn, count };
}

/**
 * One drawing of `kind` as the pad would send it: 784 floats in [0, 1].
 * @internal
 */
export function drawNonDigit(kind: NonDigitKind, rng: Rng, options: { letters: readonly string[]; side: number }): Float32Array {
  const shape = shapeStrokes(kind, rng, options.letters);
  const hand = wobble(shape, 0.012 + 0.02 * rng.next(), rng);
  const size = 0.4 + 0.5 * rng.next();
  const x = (1 - size) * rng.next();
  const y = (1 - size) * rng.next();
  const aspect = 0.2 * (rng.next() - 0.5);
  const strokes: UnitStroke[] = transformInto(hand, {
    rotation: ((rng.next() - 0.5) * 30 * Math.PI) / 180,
    scaleX: 1 + aspect,
    scaleY: 1 - aspect,
    shear: 0.4 * (rng.next() - 0.5),
  }, x, y, size);
  const image = paintStrokes(strokes, { side: options.side, penSize: 0.05 + 0.05 * rng.next() });
  return toMnistPixels(image, { polarity: 'alpha' });
}

function shapeStrokes(kind: NonDigitKind, rng: Rng, letters: readonly string[]): number[][] {
  switch (kind) {
    case 'letter':
      return STROKE_LETTERS[letters[rng.int(letters.length)]].map((s) => [...s]);
    case 'face': return face(rng);
    case 'star': return star(rng);
    case 'heart': return heart(rng);
    case 'polygon': return polygonShape(rng);
    case 'arrow': return arrow(rng);
    case 'doodle': return doodle(rng);
    case 'scribble': return scribble(rng);
    case 'random-walk': return randomWalk(rng);
    case 'hatching': return hatching(rng, false);
    case 'cross-hatching': return hatching(rng, true);
  }
}

/**
 * Non-digits as a labelled set (every label {@link NON_DIGIT_LABEL}), the
 * shape `fit` and the evaluations take.
 *
 * @example
 * ```ts
 * const negatives = nonDigitSet(6000, { seed: 1 });
 * ```
 */
export function nonDigitSet(count: number, options: NonDigitOptions = {}): MnistSet {
  const { images } = generateNonDigits(count, options);
  return { images, labels: new Uint8Array(count).fill(NON_DIGIT_LABEL), count, rows: MNIST_SIZE, cols: MNIST_SIZE };
}
