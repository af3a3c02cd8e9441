/**
 * The handwriting fonts that stand in for writers in the tests and benchmarks:
 * each `@fontsource/*` devDependency is one writer, its glyphs that writer's
 * letter forms (see `synthetic-writer.ts` for how one writer's drawings vary).
 *
 * The writers are split once, here, by name, and never reshuffled:
 * - {@link DEVELOPMENT_WRITERS}: free to look at while designing and tuning
 *   (adaptation steps, learning rates, augmentation, thresholds) and for unit tests;
 * - {@link HELD_OUT_WRITERS}: only for the figures reported in the README and by
 *   `npm run bench`; nothing is tuned on them.
 * - {@link LETTER_TUNING_WRITERS}: more hands, only to tune and choose the
 *   "not a digit" head (scripts/tune-non-digit-head.ts `--letter-fonts more`),
 *   never in the adapt benchmarks nor in any held-out figure.
 * The held-out set was drawn to span the range of styles (print, marker, loose
 * cursive, narrow, round) so that no kind of hand appears only in development.
 * Node only (reads the font files from node_modules).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { parse, type Font } from 'opentype.js';

/** Fonts for design, tuning and unit tests. */
export const DEVELOPMENT_WRITERS = [
  'caveat',
  'indie-flower',
  'patrick-hand',
  'kalam',
  'reenie-beanie',
  'homemade-apple',
  'architects-daughter',
  'covered-by-your-grace',
  'schoolbell',
  'handlee',
  'permanent-marker',
  'sue-ellen-francisco',
  'annie-use-your-telescope',
  'swanky-and-moo-moo',
  'delius',
  'sriracha',
  'comic-neue',
  'just-another-hand',
  'nothing-you-could-do',
  'waiting-for-the-sunrise',
  'dawning-of-a-new-day',
  'walter-turncoat',
  'just-me-again-down-here',
  'sedgwick-ave',
  'grape-nuts',
  'over-the-rainbow',
  'edu-sa-beginner',
] as const;

/** Fonts seen only by the reported figures (README, `npm run bench -- --only adapt`). */
export const HELD_OUT_WRITERS = [
  'shadows-into-light',
  'gloria-hallelujah',
  'rock-salt',
  'neucha',
  'gochi-hand',
  'amatic-sc',
  'cedarville-cursive',
  'the-girl-next-door',
  'short-stack',
  'itim',
  'caveat-brush',
  'mansalva',
  'coming-soon',
  'zeyada',
  'la-belle-aurore',
  'loved-by-the-king',
  'crafty-girls',
  'kristi',
  'square-peg',
  'give-you-glory',
  'mynerve',
] as const;

/**
 * More hands for the "not a digit" head alone: handwriting, marker, school and
 * script faces in neither list above (none a sibling of a held-out face:
 * Shadows Into Light Two is left out for Shadows Into Light). Their letters
 * are non-digits and their digits digits when tuning the head and choosing
 * its settings; the last 8 (print, school, narrow pen, loose, marker, script,
 * round hands) are the validation fonts that `--validate 8` keeps out.
 */
export const LETTER_TUNING_WRITERS = [
  'bad-script',
  'chilanka',
  'comic-relief',
  'dancing-script',
  'delius-unicase',
  'east-sea-dokdo',
  'edu-nsw-act-foundation',
  'edu-tas-beginner',
  'edu-vic-wa-nt-beginner',
  'finger-paint',
  'freehand',
  'fuzzy-bubbles',
  'happy-monkey',
  'hi-melody',
  'mali',
  'marck-script',
  'meddon',
  'mr-dafoe',
  'ms-madi',
  'nerko-one',
  'oooh-baby',
  'patrick-hand-sc',
  'playwrite-us-trad',
  'ruthie',
  'sedgwick-ave-display',
  'shantell-sans',
  'unkempt',
  'whisper',
  'yellowtail',
  'dekko',
  'edu-qld-beginner',
  'nanum-pen-script',
  'calligraffitti',
  'delicious-handrawn',
  'satisfy',
  'sunshiney',
  'kite-one',
] as const;

export type WriterName =
  | (typeof DEVELOPMENT_WRITERS)[number]
  | (typeof HELD_OUT_WRITERS)[number]
  | (typeof LETTER_TUNING_WRITERS)[number];

const require = createRequire(import.meta.url);
const cache = new Map<string, Font>();

/**
 * Parses the Latin, regular-weight `.woff` of `@fontsource/<name>` (cached).
 *
 * @example
 * ```ts
 * const font = loadHandwritingFont('caveat');
 * font.charToGlyph('7').getPath(0, 0, 100).commands.length > 0;
 * ```
 */
export function loadHandwritingFont(name: WriterName): Font {
  let font = cache.get(name);
  if (!font) {
    const file = require.resolve(`@fontsource/${name}/files/${name}-latin-400-normal.woff`);
    const bytes = readFileSync(file);
    font = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    cache.set(name, font);
  }
  return font;
}
