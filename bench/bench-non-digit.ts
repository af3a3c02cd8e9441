/**
 * `npm run bench:non-digit`: how well the shipped models tell digits from
 * non-digits, on sets none of them was trained or calibrated on (see
 * bench/non-digit-sets.ts). Per set and model: the share flagged "not a
 * digit" (`isDigit` false) with the model's own score and stored threshold,
 * and, for comparison, with the top digit probability as the score
 * (threshold chosen to flag 1 % of MNIST train 55,000–59,999). Targets: at
 * least 90 % of non-digits flagged, at most 1 % of real digits, digit accuracy
 * within 0.2 points of the model before the output. Besides: the synthetic
 * non-digits flagged by kind; the held-out fonts' letters flagged at the score
 * that flags exactly 1 % of their digits (how far the score separates them,
 * wherever the threshold falls); and the digits and letters of two groups of
 * development fonts no shipped model was tuned or calibrated on (`hard`,
 * `extra`). Every figure the README's "Not a digit" section quotes for the
 * shipped models is compared with this run's; exits 1 when one differs or a
 * target is missed, unless `--report-only`.
 *
 *   npm run bench:non-digit                      # the shipped cnn and mlp (~5 minutes on 2 cores)
 *   npm run bench:non-digit -- --report-only     # figures only, never fails
 *   npm run bench:non-digit -- --compare         # the last run's figures (.bench/bench-non-digit.json) against the README as it is now
 *   npm run bench:non-digit -- models/cnn x.dcm  # saved models instead (targets only: the README quotes the shipped ones)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { subsetMnist } from '../src/data/mnist-set.js';
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold } from '../src/metrics/digit-threshold.js';
import { softmaxInto } from '../src/metrics/softmax.js';
import { digitReading } from '../src/models/non-digit-output.js';
import type { ModelWeights } from '../src/models/spec.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { flaggedAtDigitRate, markedZeros, reportSets, mnistAsStored, UNSEEN_FONT_GROUPS, unseenFontSets, type ScoredSet } from './non-digit-sets.js';
import { DIGITS_FLAGGED_AT_MOST, NON_DIGITS_FLAGGED_AT_LEAST, nonDigitClaims, type ModelFigures, type NonDigitFigures, type SetFigures, type UnseenFontFigures } from './non-digit-claims.js';
import { reportClaims } from './readme-claims.js';

/** Where a run's figures go; `--compare` reads them back to check an edited README without measuring again. */
const FIGURES_FILE = '.bench/bench-non-digit.json';

const PAD_DRAWN = 2000;
/** The slashes and dots of the marked zeros (every MNIST test 0, pad-drawn). */
const MARKED_ZEROS_SEED = 980;
const SYNTHETIC = 3000;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(7);

/** Own digit score and top-probability score of every image of `set`, and the predicted digits. */
function score(model: ModelWeights, set: ScoredSet): { own: Float32Array; top: Float32Array; digits: Int8Array } {
  const inference = createInference(model);
  const { outputs } = digitReading(model.spec);
  const count = set.images.length / 784;
  const own = new Float32Array(count);
  const top = new Float32Array(count);
  const digits = new Int8Array(count);
  const logits = new Float32Array(outputs);
  const p = new Float32Array(10);
  for (let i = 0; i < count; i++) {
    const pixels = set.images.subarray(i * 784, (i + 1) * 784);
    const prediction = inference.predict(pixels);
    own[i] = prediction.digitScore;
    digits[i] = prediction.digit;
    inference.predictLogits(pixels, logits);
    softmaxInto(logits, 0, 10, p, 0);
    top[i] = Math.max(...p);
  }
  return { own, top, digits };
}

const flagged = (scores: Float32Array, t: number) => scores.filter((s) => !(s >= t)).length / scores.length;

type UnseenFonts = { key: string; fonts: readonly unknown[]; digits: ScoredSet; letters: ScoredSet };

/**
 * The figures beside the table: the held-out fonts' letters at the score flagging exactly 1 % of
 * their digits (how far the score separates them, wherever the threshold falls), the unseen
 * development fonts at the model's threshold, and the slashed and dotted zeros.
 */
function detailFigures(weights: ModelWeights, threshold: number, scores: Map<string, { own: Float32Array; top: Float32Array }>, unseen: readonly UnseenFonts[], zeros: ScoredSet): Pick<ModelFigures, 'lettersAtOnePercent' | 'unseenFonts' | 'markedZeros'> {
  const [fontDigits, fontLetters] = [scores.get('font-digits')!, scores.get('font-letters')!];
  const lettersAtOnePercent = { own: flaggedAtDigitRate(fontDigits.own, fontLetters.own, 0.01), top: flaggedAtDigitRate(fontDigits.top, fontLetters.top, 0.01) };
  console.log(`  held-out-font letters at the score flagging exactly 1 % of their digits: ${pct(lettersAtOnePercent.own)}  (${pct(lettersAtOnePercent.top)})`);
  const unseenFonts: UnseenFontFigures[] = unseen.map(({ key, fonts, digits, letters }) => {
    const [d, l] = [score(weights, digits).own, score(weights, letters).own];
    const figure = { key, fonts: fonts.length, digitsFlagged: flagged(d, threshold), lettersFlagged: flagged(l, threshold), lettersAtOnePercent: flaggedAtDigitRate(d, l, 0.01) };
    console.log(`  development fonts \`${key}\` (${fonts.length}, never tuned or calibrated on): digits ${pct(figure.digitsFlagged)}, letters ${pct(figure.lettersFlagged)} flagged; letters ${pct(figure.lettersAtOnePercent)} at 1 % of the digits`);
    return figure;
  });
  const zeroScores = score(weights, zeros);
  const markedZeros = { flagged: flagged(zeroScores.own, threshold), readAsZero: zeroScores.digits.filter((d) => d === 0).length / zeroScores.digits.length };
  console.log(`  ${zeros.name} (MNIST test 0s pad-drawn with a slash or a dot): ${pct(markedZeros.flagged)} flagged, ${pct(markedZeros.readAsZero)} read as 0`);
  return { lettersAtOnePercent, unseenFonts, markedZeros };
}

/** Measures every reported set with each model named (shipped names or saved models). */
async function measure(args: readonly string[]): Promise<NonDigitFigures> {
  const t0 = performance.now();
  const { train, test } = await loadMnist({ split: 'both' });
  const validation = mnistAsStored(subsetMnist(train, train.count - 5000, 5000), 'validation');
  const sets = reportSets(test, PAD_DRAWN, SYNTHETIC);
  const zeros = markedZeros(test, 980, MARKED_ZEROS_SEED);
  const unseen = UNSEEN_FONT_GROUPS.map((key) => ({ key, ...unseenFontSets(key, 'UNSEEN_FONT_GROUPS') }));
  console.log(`not a digit: sets built in ${((performance.now() - t0) / 1000).toFixed(0)} s (shared 2-core machine)\n`);
  const models: ModelFigures[] = [];
  for (const arg of args) {
    const { weights, label } = await loadModelArg(arg);
    const reading = digitReading(weights.spec);
    const topThreshold = chooseDigitThreshold([score(weights, validation).top], 0.01);
    const how = reading.outputs === 11 ? '"not a digit" output' : 'no "not a digit" output: top probability';
    console.log(`${label}: ${how}, threshold ${reading.threshold.toFixed(4)}; top-probability threshold ${topThreshold.toFixed(4)} (1 % of MNIST train 55,000–59,999)`);
    console.log(`  ${'set'.padEnd(62)} flagged   (top-prob.)  target`);
    const figures: SetFigures[] = [];
    const scores = new Map<string, { own: Float32Array; top: Float32Array }>();
    for (const set of sets) {
      const { own, top, digits } = score(weights, set);
      scores.set(set.key!, { own, top });
      const rate = flagged(own, reading.threshold);
      const met = set.isDigit ? rate <= DIGITS_FLAGGED_AT_MOST : rate >= NON_DIGITS_FLAGGED_AT_LEAST;
      const accuracy = set.isDigit ? digits.filter((d, i) => d === set.labels[i]).length / digits.length : undefined;
      const byKind: Record<string, number> = {};
      if (set.groups) {
        const byGroup = new Map<string, number[]>();
        set.groups.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), own[i]]));
        for (const [g, s] of byGroup) byKind[g] = flagged(Float32Array.from(s), reading.threshold);
      }
      figures.push({ key: set.key!, name: set.name, isDigit: set.isDigit, flagged: rate, flaggedTop: flagged(top, topThreshold), accuracy, byKind });
      const target = set.isDigit ? '<= 1 %' : '>= 90 %';
      const extra = accuracy === undefined ? '' : `  digit accuracy ${pct(accuracy)}`;
      console.log(`  ${set.name.padEnd(62)} ${pct(rate)}  (${pct(flagged(top, topThreshold))})  ${target} ${met ? 'met' : 'NOT MET'}${extra}`);
      if (set.groups) console.log(`    by kind: ${Object.entries(byKind).map(([g, f]) => `${g} ${(f * 100).toFixed(0)}%`).join(', ')}`);
    }
    const details = detailFigures(weights, reading.threshold, scores, unseen, zeros);
    models.push({ arg, label, threshold: reading.threshold, topThreshold, sets: figures, ...details });
    console.log('');
  }
  return { date: new Date().toISOString(), models };
}

const reportOnly = process.argv.includes('--report-only');
const compareOnly = process.argv.includes('--compare');
const modelArgs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
let figures: NonDigitFigures;
if (compareOnly) {
  figures = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as NonDigitFigures;
  console.log(`not a digit: the figures of ${FIGURES_FILE} (measured ${figures.date})\n`);
} else {
  figures = await measure(modelArgs.length ? modelArgs : ['cnn', 'mlp']);
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  writeFileSync(FIGURES_FILE, JSON.stringify(figures, null, 2));
}
const claims = nonDigitClaims(readFileSync('README.md', 'utf8'), figures);
reportClaims('"Not a digit": the README\'s figures and the targets, against this run', claims, reportOnly);
