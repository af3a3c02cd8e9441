/**
 * The sets the "not a digit" figures are measured on, and those the shipped
 * models' thresholds are chosen on, kept strictly apart:
 *
 * | role                 | digits                                          | non-digits                                  |
 * |----------------------|-------------------------------------------------|---------------------------------------------|
 * | threshold (choose)   | MNIST train 55,000–59,999 (never trained on),   | —                                           |
 * |                      | the same pad-drawn, development-font digits     |                                             |
 * | figures (report)     | MNIST test as stored, MNIST test pad-drawn,     | synthetic non-digits (seed 424242, unused   |
 * |                      | held-out-font digits                            | by training), held-out-font letters         |
 *
 * "Pad-drawn": the digit turned back into pen strokes (test/widgets/mnist-strokes.ts),
 * painted with the pad-like brush at the pad's default pen (8 % of the side)
 * and converted by `toMnistPixels`, as `<digit-pad>` does.
 */
import { subsetMnist, type MnistSet } from '../src/data/mnist-set.js';
import { paintStrokes } from '../src/data/non-digits/brush.js';
import { createRng } from '../src/data/rng.js';
import { generateNonDigits } from '../src/data/non-digits/generate-non-digits.js';
import { toMnistPixels } from '../src/preprocess/to-mnist-pixels.js';
import { mnistToStrokes } from '../test/widgets/mnist-strokes.js';
import { characterDrawings, DEVELOPMENT_WRITERS, HELD_OUT_WRITERS, LETTER_TUNING_WRITERS, NON_DIGIT_LETTERS, WIDE_TUNING_WRITERS, EXTRA_TUNING_WRITERS, writerDrawings, type WriterName } from '../test/synthetic/index.js';

/** A set of images (floats in [0, 1] or bytes) with digit labels (-1 for non-digits). */
export interface ScoredSet {
  readonly name: string;
  /** Which row of the README's "Not a digit" table the set is (reported sets only). */
  readonly key?: ReportSetKey;
  readonly images: Float32Array | Uint8Array;
  readonly labels: Int16Array;
  readonly isDigit: boolean;
  /** What each image is, for a breakdown (synthetic non-digits: their kind). */
  readonly groups?: readonly string[];
}

/** Seed of the reported synthetic non-digits: fits draw theirs from the run's seed + 1 (2 for the shipped models) and seed + 1,000,004. */
export const REPORT_NON_DIGIT_SEED = 424242;

/** An MNIST image's pen strokes (test/widgets/mnist-strokes.ts) in unit coordinates of its 28×28 field. */
function unitStrokes(image: ArrayLike<number>): number[][] {
  return mnistToStrokes(image).strokes.map((s) => s.map((v) => v / 28));
}

/** Unit strokes painted with the pad's default pen (8 % of the side) and converted by `toMnistPixels`, as `<digit-pad>` does. */
function padPainted(strokes: readonly number[][]): Float32Array {
  return toMnistPixels(paintStrokes(strokes, { side: 112, penSize: 0.08 }), { polarity: 'alpha' });
}

/** MNIST digits redrawn as the pad draws them: strokes, the pad's pen, `toMnistPixels`. */
export function padDrawn(set: MnistSet, name: string): ScoredSet {
  const images = new Float32Array(set.count * 784);
  for (let i = 0; i < set.count; i++) {
    images.set(padPainted(unitStrokes(set.images.subarray(i * 784, (i + 1) * 784))), i * 784);
  }
  return { name, images, labels: Int16Array.from(set.labels), isDigit: true };
}

/**
 * Zeros as some hands and faces write them, which MNIST hardly holds: the first `count` 0s of `set`,
 * pad-drawn, each with a slash through it (2 in 3; from below left to above right, sometimes
 * beyond the oval) or a dot in its middle (1 in 3). Labelled 0.
 */
export function markedZeros(set: MnistSet, count: number, seed: number): ScoredSet {
  const rng = createRng(seed);
  const images = new Float32Array(count * 784);
  let made = 0;
  for (let i = 0; i < set.count && made < count; i++) {
    if (set.labels[i] !== 0) continue;
    const unit = unitStrokes(set.images.subarray(i * 784, (i + 1) * 784));
    let [x0, y0, x1, y1] = [1, 1, 0, 0];
    for (const st of unit) for (let k = 0; k < st.length; k += 2) [x0, y0, x1, y1] = [Math.min(x0, st[k]), Math.min(y0, st[k + 1]), Math.max(x1, st[k]), Math.max(y1, st[k + 1])];
    const [w, h] = [x1 - x0, y1 - y0];
    const jitter = (scale: number) => (rng.next() - 0.5) * 2 * scale;
    if (rng.next() < 2 / 3) {
      const out = 0.15 * rng.next(); // how far past the oval the slash runs
      unit.push([x0 + w * (0.15 - out + jitter(0.1)), y1 - h * (0.1 - out + jitter(0.05)), x1 - w * (0.15 - out + jitter(0.1)), y0 + h * (0.1 - out + jitter(0.05))]);
    } else {
      unit.push([x0 + w * (0.5 + jitter(0.1)), y0 + h * (0.5 + jitter(0.1))]);
    }
    images.set(padPainted(unit), made++ * 784);
  }
  return { name: `${made} marked zeros`, images: images.subarray(0, made * 784), labels: new Int16Array(made), isDigit: true };
}

/** MNIST as stored. */
export function mnistAsStored(set: MnistSet, name: string): ScoredSet {
  return { name, images: set.images, labels: Int16Array.from(set.labels), isDigit: true };
}

/** `perDigit` drawings of each digit by each writer. */
export function fontDigits(writers: readonly WriterName[], perDigit: number, name: string): ScoredSet {
  const parts = writers.map((w) => writerDrawings(w, { perDigit, seed: 1 }));
  return { name, images: concatFloats(parts.map((p) => p.images)), labels: Int16Array.from(parts.flatMap((p) => Array.from(p.labels))), isDigit: true };
}

/** `perLetter` drawings of each letter that is not a digit shape, by each writer. */
export function fontLetters(writers: readonly WriterName[], perLetter: number, name: string): ScoredSet {
  const parts = writers.map((w) => characterDrawings(w, NON_DIGIT_LETTERS, { perCharacter: perLetter, seed: 1 }));
  const images = concatFloats(parts.map((p) => p.images));
  return { name, images, labels: new Int16Array(images.length / 784).fill(-1), isDigit: false };
}

/** Synthetic non-digits from the core's generator, with a seed no training uses. */
export function syntheticNonDigits(count: number, name: string): ScoredSet {
  const { images, kinds } = generateNonDigits(count, { seed: REPORT_NON_DIGIT_SEED });
  return { name, images, labels: new Int16Array(count).fill(-1), isDigit: false, groups: kinds };
}

/**
 * The digit sets a shipped model's threshold is chosen on (none of them reported): MNIST train
 * 55,000–59,999 as stored and pad-drawn, and `perDigit` drawings of each digit in `fonts` (all the
 * development fonts unless told: `scripts/tune-non-digit-head.ts` tunes on their digits, so pass
 * fonts it left out to choose on hands the model has not seen).
 */
export function thresholdSets(train: MnistSet, padCount: number, fonts: readonly WriterName[] = DEVELOPMENT_WRITERS, perDigit = 10): ScoredSet[] {
  const validation = subsetMnist(train, train.count - 5000, 5000);
  return [
    mnistAsStored(validation, 'MNIST train 55,000–59,999'),
    padDrawn(subsetMnist(validation, 0, padCount), `the first ${padCount} of them pad-drawn`),
    fontDigits(fonts, perDigit, `development-font digits (${fonts.length} fonts × ${perDigit * 10})`),
  ];
}

/**
 * The sets a threshold is chosen on: {@link thresholdSets}, and, when `calibrationFonts` are named
 * (fonts the head was not tuned on: see {@link namedFonts}), 30 drawings of each of their digits as
 * one more set, so that the threshold also keeps the digits of hands the model has not seen at ≤ 1 %.
 */
export function calibrationSets(train: MnistSet, calibrationFonts: readonly WriterName[] = []): ScoredSet[] {
  const sets = thresholdSets(train, 2000);
  if (calibrationFonts.length === 0) return sets;
  return [...sets, fontDigits(calibrationFonts, 30, `calibration-font digits (${calibrationFonts.length} fonts not tuned on × 300)`)];
}

/**
 * The first 29 LETTER_TUNING_WRITERS: hands whose digits are as hard as the held-out fonts' (the
 * shipped CNN reads 96.9 % of them right, 94.9 % of the held-out fonts', 99.9 % of the last 8).
 */
const HARD_DIGIT_WRITERS = LETTER_TUNING_WRITERS.slice(0, 29);

/**
 * Fonts by name, for the font options of scripts/tune-non-digit-head.ts and the calibration
 * scripts: `dev` (the development fonts), `more` (those, then LETTER_TUNING_WRITERS), `wide` (those,
 * then WIDE_TUNING_WRITERS), `wider` (those, then EXTRA_TUNING_WRITERS), `hard` (the first 29
 * LETTER_TUNING_WRITERS, hard digits), `extra` (EXTRA_TUNING_WRITERS), `hard+extra` (both), `hard-a` /
 * `hard-b` (its 15 even-placed / 14 odd-placed fonts: a fixed split into a calibration and a
 * validation half), `easy` (the last 8 LETTER_TUNING_WRITERS). Never the held-out fonts.
 */
export function namedFonts(name: string, option: string): readonly WriterName[] {
  const groups: Record<string, readonly WriterName[]> = {
    dev: DEVELOPMENT_WRITERS,
    more: [...DEVELOPMENT_WRITERS, ...LETTER_TUNING_WRITERS],
    wide: [...DEVELOPMENT_WRITERS, ...LETTER_TUNING_WRITERS, ...WIDE_TUNING_WRITERS],
    wider: [...DEVELOPMENT_WRITERS, ...LETTER_TUNING_WRITERS, ...WIDE_TUNING_WRITERS, ...EXTRA_TUNING_WRITERS],
    hard: HARD_DIGIT_WRITERS,
    extra: EXTRA_TUNING_WRITERS,
    'hard+extra': [...HARD_DIGIT_WRITERS, ...EXTRA_TUNING_WRITERS],
    'hard-a': HARD_DIGIT_WRITERS.filter((_, i) => i % 2 === 0),
    'hard-b': HARD_DIGIT_WRITERS.filter((_, i) => i % 2 === 1),
    easy: LETTER_TUNING_WRITERS.slice(29),
  };
  const fonts = groups[name];
  if (!fonts) throw new Error(`${option} must be one of ${Object.keys(groups).join(', ')}, got ${name}`);
  return fonts;
}

/** The reported sets, each a row of the README's "Not a digit" table. */
export type ReportSetKey = 'mnist-test' | 'pad-drawn' | 'font-digits' | 'synthetic' | 'font-letters';

/** The sets the figures are reported on. */
export function reportSets(test: MnistSet, padCount: number, syntheticCount: number): ScoredSet[] {
  return [
    { ...mnistAsStored(test, `MNIST test (${test.count.toLocaleString('en-US')})`), key: 'mnist-test' },
    { ...padDrawn(subsetMnist(test, 0, padCount), `MNIST test pad-drawn (first ${padCount.toLocaleString('en-US')})`), key: 'pad-drawn' },
    { ...fontDigits(HELD_OUT_WRITERS, 10, `held-out-font digits (${HELD_OUT_WRITERS.length} fonts × 100)`), key: 'font-digits' },
    { ...syntheticNonDigits(syntheticCount, `synthetic non-digits (${syntheticCount.toLocaleString('en-US')}, unseen seed)`), key: 'synthetic' },
    { ...fontLetters(HELD_OUT_WRITERS, 2, `held-out-font letters (${HELD_OUT_WRITERS.length} fonts × ${NON_DIGIT_LETTERS.length} letters × 2)`), key: 'font-letters' },
  ];
}

/** The groups of development fonts `bench:non-digit` also reports (fonts no shipped model was tuned or calibrated on). */
export const UNSEEN_FONT_GROUPS = ['hard', 'extra'] as const;

/**
 * The digits (30 of each) and letters (2 of each) of a named group of fonts (see {@link namedFonts}),
 * as `bench:non-digit` and bench/unseen-fonts.ts measure them.
 */
export function unseenFontSets(name: string, option: string): { fonts: readonly WriterName[]; digits: ScoredSet; letters: ScoredSet } {
  const fonts = namedFonts(name, option);
  return { fonts, digits: fontDigits(fonts, 30, `${name}: digits of ${fonts.length} fonts × 300`), letters: fontLetters(fonts, 2, `${name}: letters of ${fonts.length} fonts × ${NON_DIGIT_LETTERS.length * 2}`) };
}

/**
 * The share of `nonDigits` scoring under the score that flags exactly `rate` of `digits` (a point of
 * the curve, not a threshold anyone could choose without those digits): how well a score separates
 * the two, apart from where the threshold falls.
 */
export function flaggedAtDigitRate(digits: Float32Array, nonDigits: Float32Array, rate: number): number {
  const sorted = Float32Array.from(digits).sort();
  const score = sorted[Math.floor(rate * sorted.length)];
  return nonDigits.filter((s) => s < score).length / nonDigits.length;
}

/** The images of several sets, one after another. */
export function concatFloats(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
