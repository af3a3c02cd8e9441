/**
 * Would a threshold per digit read (one for what the model reads as 0, one for 1, …) flag more
 * letters than one threshold, at the same share of digits? Development fonts only: the 29 hard
 * fonts' halves (`hard-a`, `hard-b`; see `namedFonts` in bench/non-digit-sets.ts), each chosen on
 * one half at exactly 1 % of its digits and judged on the other half and on the 91 `extra` fonts.
 * The per-digit thresholds are chosen greedily: the 1 % of digits is spent, a few digits at a
 * time, on the digit read whose threshold buys the most letters per digit flagged.
 *
 *   node bench/build.mjs bench/per-class-thresholds.ts [MODEL]
 */
import { createInference } from '../src/inference/create-inference.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { unseenFontSets } from './non-digit-sets.js';

/** Log-odds of "a digit" and the digit read, per image. */
interface Scored { readonly score: Float32Array; readonly read: Int8Array }
interface Group { readonly digits: Scored; readonly letters: Scored }

await useNodeBackend('wasm');
const { weights, label } = await loadModelArg(process.argv[2] ?? 'cnn');
const inference = createInference(weights);
const logOdds = (p: number) => Math.log(p + 1e-12) - Math.log(1 - p + 1e-12);
const scored = (images: Float32Array | Uint8Array): Scored => {
  const readings = inference.predictBatch(images);
  return { score: Float32Array.from(readings, (r) => logOdds(r.digitScore)), read: Int8Array.from(readings, (r) => r.digit) };
};
const group = (name: string): Group => {
  const { digits, letters } = unseenFontSets(name, 'group');
  return { digits: scored(digits.images), letters: scored(letters.images) };
};
const flagged = (x: Scored, thresholds: Float64Array) => x.score.filter((s, i) => s < thresholds[x.read[i]]).length / x.score.length;

/** One threshold for every digit read, flagging exactly `rate` of the group's digits. */
function oneThreshold(g: Group, rate: number): Float64Array {
  const sorted = Float32Array.from(g.digits.score).sort();
  const k = Math.floor(rate * sorted.length);
  return new Float64Array(10).fill((sorted[k] + sorted[k - 1]) / 2);
}

/** A threshold per digit read, flagging exactly `rate` of the group's digits in all. */
function perDigitRead(g: Group, rate: number): Float64Array {
  const byRead = (x: Scored) => Array.from({ length: 10 }, (_, c) => Array.from(x.score.filter((_, i) => x.read[i] === c)).sort((a, b) => a - b));
  const [digits, letters] = [byRead(g.digits), byRead(g.letters)];
  // Flagging the k lowest digits read as c: the threshold is the k-th lowest score.
  const threshold = (c: number, k: number) => (k < digits[c].length ? digits[c][k] : Infinity);
  const lettersUnder = (c: number, t: number) => letters[c].filter((s) => s < t).length;
  const k = new Array<number>(10).fill(0);
  const budget = Math.floor(rate * g.digits.score.length);
  for (let spent = 0; spent < budget; ) {
    let best = { gain: -1, c: -1, step: 0 };
    for (let c = 0; c < 10; c++) {
      for (let step = 1; step <= Math.min(8, budget - spent) && k[c] + step <= digits[c].length; step++) {
        const gain = (lettersUnder(c, threshold(c, k[c] + step)) - lettersUnder(c, threshold(c, k[c]))) / step;
        if (gain > best.gain) best = { gain, c, step };
      }
    }
    if (best.c < 0) break;
    k[best.c] += best.step;
    spent += best.step;
  }
  return Float64Array.from(k, (n, c) => (n === 0 ? (digits[c][0] ?? 0) - 1 : n < digits[c].length ? (digits[c][n] + digits[c][n - 1]) / 2 : Infinity));
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`.padStart(8);
const groups = { 'hard-a': group('hard-a'), 'hard-b': group('hard-b'), extra: group('extra') };
console.log(`${label}: digits / letters flagged, each way chosen on one half of the hard fonts at 1 % of its digits`);
for (const [chosenOn, judgedOn] of [['hard-a', 'hard-b'], ['hard-b', 'hard-a']] as const) {
  for (const [way, thresholds] of [['one threshold', oneThreshold(groups[chosenOn], 0.01)], ['a threshold per digit read', perDigitRead(groups[chosenOn], 0.01)]] as const) {
    const cells = [chosenOn, judgedOn, 'extra'].map((n) => `${n} ${pct(flagged(groups[n as keyof typeof groups].digits, thresholds))} / ${pct(flagged(groups[n as keyof typeof groups].letters, thresholds))}`);
    console.log(`  chosen on ${chosenOn}, ${way.padEnd(26)} ${cells.join('   ')}`);
  }
}
