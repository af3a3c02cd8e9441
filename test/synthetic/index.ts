/**
 * Synthetic handwriting for tests and benchmarks: handwriting fonts as writers,
 * their glyphs drawn like pad drawings and read with the pad's preprocessing.
 * Node only; nothing in src/ imports it.
 */
export {
  DEVELOPMENT_WRITERS, HELD_OUT_WRITERS, LETTER_TUNING_WRITERS, WIDE_TUNING_WRITERS, EXTRA_TUNING_WRITERS, loadHandwritingFont, type WriterName,
} from './handwriting-fonts.js';
export { glyphPolygons, flattenPath, type Polygon } from './glyph-polygons.js';
export { rasterizePolygons, type Coverage } from './rasterize-polygons.js';
export {
  adjustWeight, distortPolygons, drawVariation, NO_VARIATION, VARIATION_RANGE, type Variation,
} from './handwriting-variation.js';
export {
  characterDrawings, drawGlyph, NON_DIGIT_LETTERS, writerDrawings,
  type DrawingOptions, type SyntheticDrawings,
} from './synthetic-writer.js';
