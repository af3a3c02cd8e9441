/**
 * The README's "Not a digit" table held to a `bench:non-digit` run: every
 * figure it quotes for a shipped model (the share flagged with the model's own
 * score and, in brackets, with the top probability; the digit accuracies) is
 * compared with the run's, and each set with its target (issue 13: at most 1 %
 * of digits flagged, at least 90 % of non-digits, digit accuracy within 0.2
 * points of the model before the output). Rows are found by what they say, not
 * where they stand, so a retrained model only changes the numbers.
 */
import type { ReportSetKey } from './non-digit-sets.js';
import { markdownTable, percentages, percentClaim, readmeSection, targetClaim, type Claim } from './readme-claims.js';

export const DIGITS_FLAGGED_AT_MOST = 0.01;
export const NON_DIGITS_FLAGGED_AT_LEAST = 0.9;
/** Points the shipped digit accuracy may move from the model before the "not a digit" output. */
export const DIGIT_ACCURACY_CHANGE_AT_MOST = 0.2;
/**
 * Points a README figure may differ from a run. The sets are seeded and the
 * inference is plain TypeScript, so a run repeats the last to the digit (the
 * README's figures were reproduced exactly); 0.1 points lets one or two images
 * of a set (2,000 pad-drawn digits: 0.05 points each) read differently on
 * another machine's floating point.
 */
export const FIGURE_TOLERANCE = 0.1;

/** One set's figures for one model. Rates and accuracies are fractions. */
export interface SetFigures {
  key: ReportSetKey;
  name: string;
  isDigit: boolean;
  flagged: number;
  flaggedTop: number;
  accuracy?: number;
  byKind: Record<string, number>;
}

/** A group of development fonts no shipped model was tuned or calibrated on, at the model's threshold. */
export interface UnseenFontFigures {
  /** Its name for `namedFonts` (bench/non-digit-sets.ts). */
  key: string;
  fonts: number;
  digitsFlagged: number;
  lettersFlagged: number;
  /** Letters flagged at the score that flags exactly 1 % of the group's digits. */
  lettersAtOnePercent: number;
}

export interface ModelFigures {
  /** What the model was named as (`cnn`, `mlp`, a path). */
  arg: string;
  label: string;
  threshold: number;
  topThreshold: number;
  sets: SetFigures[];
  /** The held-out fonts' letters flagged at the score (own, top probability) flagging exactly 1 % of their digits. */
  lettersAtOnePercent: { own: number; top: number };
  unseenFonts: UnseenFontFigures[];
  /** MNIST test 0s pad-drawn with a slash or a dot (bench/non-digit-sets.ts `markedZeros`). */
  markedZeros: { flagged: number; readAsZero: number };
}

/** What `bench:non-digit` writes to `.bench/bench-non-digit.json`. */
export interface NonDigitFigures {
  date: string;
  models: ModelFigures[];
}

/** The README table's row of each set (its first cell). */
const ROWS: Record<ReportSetKey, RegExp> = {
  'mnist-test': /^MNIST test as stored/i,
  'pad-drawn': /^MNIST test pad-drawn/i,
  'font-digits': /^digits in .*fonts/i,
  synthetic: /^synthetic non-digits/i,
  'font-letters': /^letters in/i,
};
const MNIST_ACCURACY_ROW = /^MNIST test digit accuracy/i;
const PAD_FONT_ACCURACY_ROW = /^pad-drawn \/ held-out-font digit accuracy/i;
const LETTERS_AT_ONE_PERCENT_ROW = /^held-out-font letters at the score/i;
const MARKED_ZEROS_ROW = /^slashed and dotted zeros/i;
/** `random-walk` is written "random walk" in the README's by-kind table. */
const sameKind = (cell: string, kind: string) => cell.toLowerCase().replace(/[\s-]/g, '') === kind.replace(/-/g, '');

/** Every claim of the README's "Not a digit" table about the models in `figures`, and every target. */
export function nonDigitClaims(readme: string, figures: NonDigitFigures): Claim[] {
  const section = readmeSection(readme, '## Not a digit');
  const { header, rows } = markdownTable(section, 'set');
  const row = (re: RegExp) => rows.find((r) => re.test(r[0]));
  const claims: Claim[] = [];
  for (const model of figures.models) {
    const column = header.findIndex((h) => h.includes(`\`${model.arg}\``));
    const cell = (re: RegExp) => (column > 0 ? row(re)?.[column] : undefined);
    const quoting = column > 0;
    const bySet = new Map(model.sets.map((s) => [s.key, s]));
    for (const set of model.sets) {
      const [own, top] = percentages(cell(ROWS[set.key]));
      if (quoting) {
        claims.push(percentClaim(`${model.arg}: ${set.name}, flagged`, own, set.flagged, FIGURE_TOLERANCE));
        claims.push(percentClaim(`${model.arg}: ${set.name}, flagged by top probability`, top, set.flaggedTop, FIGURE_TOLERANCE));
      }
      const target = set.isDigit ? DIGITS_FLAGGED_AT_MOST : NON_DIGITS_FLAGGED_AT_LEAST;
      const met = set.isDigit ? set.flagged <= target : set.flagged >= target;
      claims.push(targetClaim(`${model.arg}: ${set.name} flagged`, `${set.isDigit ? '≤' : '≥'} ${target * 100} %`, `${(set.flagged * 100).toFixed(2)} %`, met));
    }
    const mnist = bySet.get('mnist-test');
    const pad = bySet.get('pad-drawn');
    const fonts = bySet.get('font-digits');
    if (quoting && mnist?.accuracy !== undefined) {
      const [now, before] = percentages(cell(MNIST_ACCURACY_ROW));
      claims.push(percentClaim(`${model.arg}: MNIST test digit accuracy`, now, mnist.accuracy, FIGURE_TOLERANCE));
      const change = before === undefined ? NaN : Math.abs(mnist.accuracy * 100 - Number(before));
      claims.push(targetClaim(`${model.arg}: digit accuracy within ${DIGIT_ACCURACY_CHANGE_AT_MOST} points of the model before (${before ?? 'missing'} %)`, `≤ ${DIGIT_ACCURACY_CHANGE_AT_MOST} points`, `${change.toFixed(2)} points`, change <= DIGIT_ACCURACY_CHANGE_AT_MOST));
    }
    if (quoting && pad?.accuracy !== undefined && fonts?.accuracy !== undefined) {
      const [padNow, fontNow] = percentages(cell(PAD_FONT_ACCURACY_ROW));
      claims.push(percentClaim(`${model.arg}: pad-drawn digit accuracy`, padNow, pad.accuracy, FIGURE_TOLERANCE));
      claims.push(percentClaim(`${model.arg}: held-out-font digit accuracy`, fontNow, fonts.accuracy, FIGURE_TOLERANCE));
    }
    if (quoting) claims.push(...detailClaims(section, model, cell));
  }
  return claims;
}

/** The section's figures beside the targets: the held-out letters at 1 % of their digits, the marked zeros, the synthetic non-digits by kind, the unseen development fonts. */
function detailClaims(section: string, model: ModelFigures, mainCell: (row: RegExp) => string | undefined): Claim[] {
  const claims: Claim[] = [];
  const columnOf = (header: string[]) => header.findIndex((h) => h.includes(`\`${model.arg}\``));
  const [own, top] = percentages(mainCell(LETTERS_AT_ONE_PERCENT_ROW));
  claims.push(percentClaim(`${model.arg}: held-out-font letters at 1 % of their digits`, own, model.lettersAtOnePercent.own, FIGURE_TOLERANCE));
  claims.push(percentClaim(`${model.arg}: held-out-font letters at 1 % of their digits, top probability`, top, model.lettersAtOnePercent.top, FIGURE_TOLERANCE));
  const [zerosFlagged, zerosRead] = percentages(mainCell(MARKED_ZEROS_ROW));
  claims.push(percentClaim(`${model.arg}: slashed and dotted zeros, flagged`, zerosFlagged, model.markedZeros.flagged, FIGURE_TOLERANCE));
  claims.push(percentClaim(`${model.arg}: slashed and dotted zeros, read as 0`, zerosRead, model.markedZeros.readAsZero, FIGURE_TOLERANCE));
  const kinds = markdownTable(section, 'kind');
  const synthetic = model.sets.find((s) => s.key === 'synthetic');
  for (const [kind, rate] of Object.entries(synthetic?.byKind ?? {})) {
    const [quoted] = percentages(kinds.rows.find((r) => sameKind(r[0], kind))?.[columnOf(kinds.header)]);
    claims.push(percentClaim(`${model.arg}: synthetic non-digits, ${kind}, flagged`, quoted, rate, FIGURE_TOLERANCE));
  }
  const fonts = markdownTable(section, 'fonts');
  for (const group of model.unseenFonts) {
    const [digits, letters, atOne] = percentages(fonts.rows.find((r) => r[0].includes(`\`${group.key}\``))?.[columnOf(fonts.header)]);
    claims.push(percentClaim(`${model.arg}: \`${group.key}\` fonts' digits flagged`, digits, group.digitsFlagged, FIGURE_TOLERANCE));
    claims.push(percentClaim(`${model.arg}: \`${group.key}\` fonts' letters flagged`, letters, group.lettersFlagged, FIGURE_TOLERANCE));
    claims.push(percentClaim(`${model.arg}: \`${group.key}\` fonts' letters at 1 % of their digits`, atOne, group.lettersAtOnePercent, FIGURE_TOLERANCE));
  }
  return claims;
}
