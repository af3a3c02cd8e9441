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

export interface ModelFigures {
  /** What the model was named as (`cnn`, `mlp`, a path). */
  arg: string;
  label: string;
  threshold: number;
  topThreshold: number;
  sets: SetFigures[];
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

/** Every claim of the README's "Not a digit" table about the models in `figures`, and every target. */
export function nonDigitClaims(readme: string, figures: NonDigitFigures): Claim[] {
  const { header, rows } = markdownTable(readmeSection(readme, '## Not a digit'), 'set');
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
  }
  return claims;
}
