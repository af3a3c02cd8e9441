/**
 * Would another score on the logits a model already outputs flag more
 * non-digits than its own `digitScore` (1 − P(not a digit))? Compares, on
 * development sets only (never the held-out fonts nor the reported seed of
 * bench/non-digit-sets.ts), the own score, the top digit probability, the
 * energy (log-sum-exp of the 10 digit logits), the top-2 margin, and
 * combinations `own log-odds + a·energy + b·log(top probability) + c·margin`
 * over a grid. Each score's threshold is chosen as the shipped one is
 * (bench/calibrate-non-digit.ts: at most 1 % of each digit set, 95 %
 * confidence); the table gives the shares flagged.
 *
 *   node bench/build.mjs bench/compare-digit-scores.ts cnn       # or mlp, or a saved model
 *   node bench/build.mjs bench/compare-digit-scores.ts /tmp/v7 --fonts-not-tuned 7
 *   node bench/build.mjs bench/compare-digit-scores.ts /tmp/v8 --letter-fonts more --fonts-not-tuned 8
 *
 * `--fonts-not-tuned N`: the digit sets are MNIST train 55,000–59,999 (as
 * stored and pad-drawn) and 30 drawings of each digit in the last N
 * development fonts only, for a model tuned with `--validate N`, which saw
 * neither their letters nor their digits: its threshold then keeps the digits
 * of hands it has not seen at ≤ 1 %, as the held-out fonts need. With
 * `--letter-fonts more` the fonts are the development fonts then
 * LETTER_TUNING_WRITERS (as `tune-non-digit-head.ts --letter-fonts more`
 * takes them), so the last N are among those.
 *
 * The shipped CNN's head was tuned on the letters of all the development
 * fonts, so for it they are not unseen: compare on a model tuned with
 * `scripts/tune-non-digit-head.ts --validate 7`, whose last 7 are.
 * Measured (README "Not a digit"): no combination beats the own score by more
 * than the sampling noise of the letter sets (462 letters in 7 fonts).
 */
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { digitReading } from '../src/models/non-digit-output.js';
import { generateNonDigits } from '../src/data/non-digits/generate-non-digits.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { characterDrawings, NON_DIGIT_LETTERS, type WriterName } from '../test/synthetic/index.js';
import { concatFloats, namedFonts, thresholdSets } from './non-digit-sets.js';

/** What a score is built from, per image. */
interface LogitFeatures {
  /** log P(digit) − log P(not a digit) under the 11-way softmax (the own score's log-odds; 0 without the output). */
  odds: number;
  /** log-sum-exp of the 10 digit logits (negative energy). */
  energy: number;
  /** log of the top digit probability. */
  logTop: number;
  /** top digit logit − second. */
  margin: number;
}

function featuresOf(logits: Float32Array, outputs: number): LogitFeatures {
  let max = -Infinity;
  let second = -Infinity;
  for (let c = 0; c < 10; c++) {
    if (logits[c] > max) [second, max] = [max, logits[c]];
    else if (logits[c] > second) second = logits[c];
  }
  let sum = 0;
  for (let c = 0; c < 10; c++) sum += Math.exp(logits[c] - max);
  const energy = max + Math.log(sum);
  return { odds: outputs === 11 ? energy - logits[10] : 0, energy, logTop: max - energy, margin: max - second };
}

const optionOf = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const unseenFonts = Number(optionOf('--fonts-not-tuned') ?? 0);
const fontList = namedFonts(optionOf('--letter-fonts') ?? 'dev', '--letter-fonts');
const arg = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--')) ?? 'cnn';
const { weights, label } = await loadModelArg(arg);
const inference = createInference(weights);
const { outputs } = digitReading(weights.spec);
const { train } = await loadMnist({ split: 'train' });
const lettersOf = (fonts: readonly WriterName[]) =>
  concatFloats(fonts.map((w) => characterDrawings(w, NON_DIGIT_LETTERS, { perCharacter: 2, seed: 1 }).images));
const digitSets = unseenFonts > 0 ? thresholdSets(train!, 2000, fontList.slice(-unseenFonts), 30) : thresholdSets(train!, 2000);
const lastN = unseenFonts > 0 ? unseenFonts : 7;
const nonDigitSets = [
  { name: `letters, last ${lastN} fonts`, images: lettersOf(fontList.slice(-lastN)) },
  { name: `letters, other ${fontList.length - lastN} fonts`, images: lettersOf(fontList.slice(0, -lastN)) },
  { name: 'synthetic (seed 777,777)', images: generateNonDigits(2000, { seed: 777_777 }).images },
];
const featuresOfSet = (images: Float32Array | Uint8Array) => {
  const logits = new Float32Array(outputs);
  return Array.from({ length: images.length / 784 }, (_, i) => featuresOf(inference.predictLogits(images.subarray(i * 784, (i + 1) * 784), logits), outputs));
};
const digits = digitSets.map((s) => featuresOfSet(s.images));
const nonDigits = nonDigitSets.map((s) => featuresOfSet(s.images));

/**
 * Shares of each non-digit set flagged by `score` (higher: more digit-like), its threshold chosen on
 * the digit sets. Scores go through a logistic (in float64) into (0, 1), as `chooseDigitThreshold` wants.
 */
function flags(score: (f: LogitFeatures) => number): number[] {
  const unit = (f: LogitFeatures) => 1 / (1 + Math.exp(-score(f)));
  const threshold = chooseDigitThreshold(digits.map((set) => Float64Array.from(set, unit)), 0.01, 0.95);
  return nonDigits.map((set) => flaggedShare(Float64Array.from(set, unit), threshold));
}

const rows: { name: string; shares: number[] }[] = [
  { name: 'top digit probability', shares: flags((f) => f.logTop) },
  { name: 'energy (log-sum-exp of the digit logits)', shares: flags((f) => f.energy) },
  { name: 'top-2 margin', shares: flags((f) => f.margin) },
];
const own = outputs === 11 ? { name: 'own digitScore (1 − P(not a digit))', shares: flags((f) => f.odds) } : undefined;
if (own) {
  rows.unshift(own);
  let best = own;
  for (const a of [-0.5, -0.25, 0.1, 0.25, 0.5, 1, 2]) for (const b of [0, 0.25, 0.5, 1, 2]) for (const c of [0, 0.1, 0.25, 0.5]) {
    const shares = flags((f) => f.odds + a * f.energy + b * f.logTop + c * f.margin);
    if (Math.min(...shares) > Math.min(...best.shares)) best = { name: `best combination: a=${a} b=${b} c=${c}`, shares };
  }
  if (best !== own) rows.push(best);
  else rows.push({ name: 'best combination: none beats the own score on every set', shares: own.shares });
}
console.log(`${label}: shares flagged, each score's threshold keeping ≤ 1 % of each digit set flagged (95 % confidence): ${digitSets.map((d) => d.name).join(', ')}`);
console.log(`  ${''.padEnd(58)}${nonDigitSets.map((s) => s.name.padStart(30)).join('')}`);
for (const r of rows) console.log(`  ${r.name.padEnd(58)}${r.shares.map((s) => `${(s * 100).toFixed(1)}%`.padStart(30)).join('')}`);
