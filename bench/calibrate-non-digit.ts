/**
 * Chooses the "not a digit" threshold of a saved model on digits it was
 * not trained on and that no figure is reported on (see
 * bench/non-digit-sets.ts): the highest threshold that keeps, with 95 %
 * confidence (Clopper–Pearson), the flag rate of digits like each of these
 * sets at or under 1 %: MNIST train 55,000–59,999 (held out by `train
 * --non-digits`), the same digits pad-drawn, and the development fonts'
 * digits. Writes the model back with it. Run by `scripts/train-pretrained.mjs` before the export.
 *
 *   node bench/build.mjs bench/calibrate-non-digit.ts models/cnn
 */
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { withDigitThreshold } from '../src/models/non-digit-output.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { loadModelDir, saveModelDir } from '../src/node/model-files.js';
import { thresholdSets } from './non-digit-sets.js';

const dir = process.argv[2];
const rate = Number(process.argv[3] ?? 0.01);
const confidence = Number(process.argv[4] ?? 0.95);
if (!dir) throw new Error('usage: calibrate-non-digit.ts MODEL_DIR [MAX_FLAG_RATE [CONFIDENCE]]');
const model = await loadModelDir(dir);
const { train } = await loadMnist({ split: 'train' });
const sets = thresholdSets(train!, 2000);
const inference = createInference(model);
const scores = sets.map((s) => Float32Array.from(inference.predictBatch(s.images), (p) => p.digitScore));
const threshold = chooseDigitThreshold(scores, rate, confidence);
console.log(`${dir}: threshold ${threshold.toFixed(4)} (was ${model.spec.nonDigit?.threshold.toFixed(4) ?? 'none'}): at most ${rate * 100} % of digits like each set flagged, ${confidence * 100} % confidence:`);
sets.forEach((s, i) => console.log(`  ${s.name}: ${(flaggedShare(scores[i], threshold) * 100).toFixed(2)}% flagged`));
await saveModelDir(dir, { spec: withDigitThreshold(model.spec, threshold), weights: model.weights });
