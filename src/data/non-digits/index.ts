/** Synthetic non-digits for the "not a digit" output: pure, seeded, no DOM. */
export { paintStrokes, type BrushOptions, type UnitStroke } from './brush.js';
export { generateNonDigits, nonDigitSet, NON_DIGIT_KINDS, NON_DIGIT_LABEL, type NonDigitKind, type NonDigitOptions, type NonDigits } from './generate-non-digits.js';
export { DIGIT_LIKE_LETTERS, STROKE_LETTERS } from './stroke-letters.js';
