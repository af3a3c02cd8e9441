/**
 * `npm run bench:non-digit`: how well the shipped models tell digits from
 * non-digits, on sets none of them was trained or calibrated on (see
 * bench/non-digit-sets.ts). Per set and model: the share flagged "not a
 * digit" (`isDigit` false) with the model's own score and stored threshold,
 * and, for comparison, with the top digit probability as the score
 * (threshold chosen to flag 1 % of MNIST train 55,000–59,999). Targets: at
 * least 90 % of non-digits flagged, at most 1 % of real digits.
 *
 *   npm run bench:non-digit                      # the shipped cnn and mlp
 *   npm run bench:non-digit -- models/cnn x.dcm  # saved models instead
 */
import { subsetMnist } from '../src/data/mnist-set.js';
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold } from '../src/metrics/digit-threshold.js';
import { softmaxInto } from '../src/metrics/softmax.js';
import { digitReading } from '../src/models/non-digit-output.js';
import type { ModelWeights } from '../src/models/spec.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { reportSets, mnistAsStored, type ScoredSet } from './non-digit-sets.js';

const PAD_DRAWN = 2000;
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

const t0 = performance.now();
const { train, test } = await loadMnist({ split: 'both' });
const validation = mnistAsStored(subsetMnist(train!, train!.count - 5000, 5000), 'validation');
const sets = reportSets(test!, PAD_DRAWN, SYNTHETIC);
console.log(`not a digit: sets built in ${((performance.now() - t0) / 1000).toFixed(0)} s (shared 2-core machine)\n`);
const models = (process.argv.length > 2 ? process.argv.slice(2) : ['cnn', 'mlp']).map((arg) => ({ arg }));
for (const { arg } of models) {
  const { weights, label } = await loadModelArg(arg);
  const reading = digitReading(weights.spec);
  const topThreshold = chooseDigitThreshold([score(weights, validation).top], 0.01);
  const how = reading.outputs === 11 ? '"not a digit" output' : 'no "not a digit" output: top probability';
  console.log(`${label}: ${how}, threshold ${reading.threshold.toFixed(4)}; top-probability threshold ${topThreshold.toFixed(4)} (1 % of MNIST train 55,000–59,999)`);
  console.log(`  ${'set'.padEnd(62)} flagged   (top-prob.)  target`);
  for (const set of sets) {
    const { own, top, digits } = score(weights, set);
    const target = set.isDigit ? '<= 1 %' : '>= 90 %';
    const met = set.isDigit ? flagged(own, reading.threshold) <= 0.01 : flagged(own, reading.threshold) >= 0.9;
    let extra = '';
    if (set.isDigit) {
      const right = digits.filter((d, i) => d === set.labels[i]).length / digits.length;
      extra = `  digit accuracy ${pct(right)}`;
    }
    console.log(`  ${set.name.padEnd(62)} ${pct(flagged(own, reading.threshold))}  (${pct(flagged(top, topThreshold))})  ${target} ${met ? 'met' : 'NOT MET'}${extra}`);
    if (set.groups) {
      const byGroup = new Map<string, number[]>();
      set.groups.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), own[i]]));
      const parts = [...byGroup].map(([g, s]) => `${g} ${(flagged(Float32Array.from(s), reading.threshold) * 100).toFixed(0)}%`);
      console.log(`    by kind: ${parts.join(', ')}`);
    }
  }
  console.log('');
}
