/**
 * Letters drawn as a hand draws them, as strokes in a unit box (y down),
 * for the letters that do not look like digits. Letters that are also digit
 * shapes are left out on purpose (see {@link DIGIT_LIKE_LETTERS}): a model
 * taught that an S is "not a digit" would learn to flag 5s.
 */
import { arc, polyline } from './stroke-geometry.js';

const PI = Math.PI;

/**
 * Letters that read as digits in handwriting (O/o/D 0, I/l/i/J 1, Z/z 2, S/s
 * 5, G/b 6, L/T 7, B 8, g/q 9, …): never used as non-digits.
 */
export const DIGIT_LIKE_LETTERS: readonly string[] = Object.freeze(['O', 'I', 'l', 'S', 'Z', 'B', 'G', 'b', 'g', 'q', 'D', 'J', 'L', 'T', 's', 'z', 'o', 'i']);

/**
 * Further letters left out because some hands make them digit-like too:
 * a (9), d (6/9 mirrored), t (4, +), y (4), Q (0), f (f and 7 share the bar),
 * P (a mirrored 9), r (tilted, a 7). C is kept: open on the right, it is neither 0 nor 6.
 */
export const ALSO_LEFT_OUT: readonly string[] = Object.freeze(['a', 'd', 't', 'y', 'Q', 'f', 'P', 'r']);

/** Each letter's strokes. Lower-case letters that look like their capitals after the box fit are drawn once. */
export const STROKE_LETTERS: Readonly<Record<string, readonly (readonly number[])[]>> = Object.freeze({
  A: [polyline([0, 1], [0.35, 0], [0.7, 1]), polyline([0.15, 0.62], [0.55, 0.62])],
  C: [arc(0.45, 0.5, 0.45, 0.5, -PI / 4, -2 * PI + PI / 4)],
  E: [polyline([0.65, 0], [0, 0], [0, 1], [0.65, 1]), polyline([0, 0.5], [0.5, 0.5])],
  F: [polyline([0.65, 0], [0, 0], [0, 1]), polyline([0, 0.48], [0.5, 0.48])],
  H: [polyline([0, 0], [0, 1]), polyline([0.65, 0], [0.65, 1]), polyline([0, 0.5], [0.65, 0.5])],
  K: [polyline([0, 0], [0, 1]), polyline([0.6, 0], [0, 0.58]), polyline([0.18, 0.42], [0.65, 1])],
  M: [polyline([0, 1], [0.05, 0], [0.4, 0.65], [0.75, 0], [0.8, 1])],
  N: [polyline([0, 1], [0, 0], [0.65, 1], [0.65, 0])],
  R: [[...polyline([0, 1], [0, 0], [0.3, 0]), ...arc(0.3, 0.25, 0.3, 0.25, -PI / 2, PI / 2, 12), ...polyline([0, 0.5])], polyline([0.25, 0.5], [0.65, 1])],
  U: [[...polyline([0, 0], [0, 0.65]), ...arc(0.32, 0.65, 0.32, 0.35, PI, 0, 14), ...polyline([0.64, 0])]],
  V: [polyline([0, 0], [0.35, 1], [0.7, 0])],
  W: [polyline([0, 0], [0.22, 1], [0.45, 0.35], [0.68, 1], [0.9, 0])],
  X: [polyline([0, 0], [0.7, 1]), polyline([0.7, 0], [0, 1])],
  Y: [polyline([0, 0], [0.35, 0.48], [0.7, 0]), polyline([0.35, 0.48], [0.35, 1])],
  e: [[...polyline([0.05, 0.5], [0.9, 0.5]), ...arc(0.48, 0.5, 0.42, 0.45, 0, -2 * PI + 0.7, 28)]],
  h: [polyline([0, 0], [0, 1]), [...arc(0.3, 0.62, 0.3, 0.22, PI, 2 * PI, 12), ...polyline([0.6, 1])]],
  k: [polyline([0, 0], [0, 1]), polyline([0.5, 0.4], [0, 0.75], [0.55, 1])],
  m: [polyline([0, 0.3], [0, 1]), [...arc(0.22, 0.5, 0.22, 0.2, PI, 2 * PI, 10), ...polyline([0.44, 1])], [...arc(0.66, 0.5, 0.22, 0.2, PI, 2 * PI, 10), ...polyline([0.88, 1])]],
  n: [polyline([0, 0.3], [0, 1]), [...arc(0.3, 0.55, 0.3, 0.25, PI, 2 * PI, 12), ...polyline([0.6, 1])]],
  u: [[...polyline([0, 0.3], [0, 0.75]), ...arc(0.3, 0.75, 0.3, 0.25, PI, 0, 12), ...polyline([0.6, 0.3], [0.6, 1])]],
  x: [polyline([0, 0.3], [0.6, 1]), polyline([0.6, 0.3], [0, 1])],
  w: [polyline([0, 0.3], [0.15, 1], [0.35, 0.5], [0.55, 1], [0.7, 0.3])],
  '&': [[...polyline([0.7, 1], [0.15, 0.4]), ...arc(0.3, 0.22, 0.16, 0.2, PI * 0.75, PI * 2.25, 12), ...polyline([0.15, 0.6]), ...arc(0.3, 0.8, 0.2, 0.2, PI, PI * 2.2, 12), ...polyline([0.7, 0.55])]],
  '#': [polyline([0.3, 0], [0.2, 1]), polyline([0.7, 0], [0.6, 1]), polyline([0, 0.33], [0.9, 0.33]), polyline([0, 0.66], [0.9, 0.66])],
  '%': [polyline([0.8, 0], [0.1, 1]), arc(0.15, 0.15, 0.13, 0.13, 0, 2 * PI, 12), arc(0.75, 0.85, 0.13, 0.13, 0, 2 * PI, 12)],
});
