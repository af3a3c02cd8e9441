/**
 * A model's "not a digit" figures on development sets only, for choosing a
 * recipe without looking at the held-out ones: the threshold chosen as
 * bench/calibrate-non-digit.ts chooses it (on the weights as int8 ships
 * them), MNIST train 55,000–59,999 (held out by `train --non-digits`) read
 * right and flagged, the pad-drawn and development-font digits flagged,
 * synthetic non-digits of seed 777,777 flagged (by kind), and the 29 hard
 * fonts' letters and digits flagged.
 *
 *   node bench/build.mjs bench/dev-non-digit.ts mlp models/mlp …
 */
import { decodeCompactModel, encodeCompactModel } from '../src/io/compact-model.js';
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { generateNonDigits } from '../src/data/non-digits/generate-non-digits.js';
import { calibrationSets, fontDigits, fontLetters, namedFonts } from './non-digit-sets.js';

await useNodeBackend('wasm');
const { train } = await loadMnist({ split: 'train' });
const sets = calibrationSets(train!);
const hard = namedFonts('hard', '');
const letters = fontLetters(hard, 2, '').images;
const digits = fontDigits(hard, 30, '').images;
const synthetic = generateNonDigits(3000, { seed: 777_777 });
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
for (const arg of process.argv.slice(2)) {
  const { weights, label } = await loadModelArg(arg);
  const inf = createInference(decodeCompactModel(encodeCompactModel(weights, { dtype: 'int8' }), label));
  const score = (x: Float32Array | Uint8Array) => Float32Array.from(inf.predictBatch(x), (p) => p.digitScore);
  const readings = sets.map((s) => inf.predictBatch(s.images));
  const [validation, pad, dev] = readings.map((r) => Float32Array.from(r, (p) => p.digitScore));
  const t = chooseDigitThreshold([validation, pad, dev], 0.01, 0.95);
  const right = readings[0].filter((p, i) => p.digit === sets[0].labels[i]).length / readings[0].length;
  const kinds = new Map<string, number[]>();
  const ss = score(synthetic.images);
  synthetic.kinds.forEach((k, i) => { const a = kinds.get(k) ?? [0, 0]; a[0]++; if (ss[i] < t) a[1]++; kinds.set(k, a); });
  console.log(`${label}: threshold ${t.toFixed(4)}; MNIST train 55,000–59,999 read right ${pct(right)}, flagged ${pct(flaggedShare(validation, t))}; pad ${pct(flaggedShare(pad, t))}; dev fonts ${pct(flaggedShare(dev, t))}; synthetic (seed 777,777) ${pct(flaggedShare(ss, t))}; hard letters ${pct(flaggedShare(score(letters), t))}; hard digits ${pct(flaggedShare(score(digits), t))}`);
  console.log('   ' + [...kinds].map(([k, [n, f]]) => `${k} ${((f / n) * 100).toFixed(0)}%`).join(', '));
}
