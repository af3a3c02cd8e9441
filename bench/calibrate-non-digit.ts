/**
 * Chooses the "not a digit" threshold of a saved model on digits it was
 * not trained on and that no figure is reported on (see
 * bench/non-digit-sets.ts): the highest threshold that keeps, with 95 %
 * confidence (Clopper–Pearson), the flag rate of digits like each of these
 * sets at or under 1 %: MNIST train 55,000–59,999 (held out by `train
 * --non-digits`), the same digits pad-drawn, and the development fonts'
 * digits. Writes the model back with it. Run by `scripts/train-pretrained.mjs` before the export.
 * With `--int8` the scores are those of the model as `export --dtype int8`
 * ships it (its weights round-tripped through the compact format), so the
 * threshold fits the shipped weights, not the float32 ones.
 * With `--calibration-fonts NAME` (a group of bench/non-digit-sets.ts
 * `namedFonts`, kept out of the head's tuning by
 * `tune-non-digit-head.ts --calibration-fonts NAME`) their digits are one set more.
 *
 *   node bench/build.mjs bench/calibrate-non-digit.ts models/cnn [--int8] [--calibration-fonts hard]
 */
import { parseArgs } from 'node:util';
import { decodeCompactModel, encodeCompactModel } from '../src/io/compact-model.js';
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { withDigitThreshold } from '../src/models/non-digit-output.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { loadModelDir, saveModelDir } from '../src/node/model-files.js';
import { calibrationSets, namedFonts } from './non-digit-sets.js';

const { values, positionals } = parseArgs({ options: { int8: { type: 'boolean' }, 'calibration-fonts': { type: 'string' } }, allowPositionals: true });
const int8 = values.int8 === true;
const calibrationFonts = values['calibration-fonts'] === undefined ? [] : namedFonts(values['calibration-fonts'], '--calibration-fonts');
const [dir, rateArg, confidenceArg] = positionals;
const rate = Number(rateArg ?? 0.01);
const confidence = Number(confidenceArg ?? 0.95);
if (!dir) throw new Error('usage: calibrate-non-digit.ts MODEL_DIR [MAX_FLAG_RATE [CONFIDENCE]] [--int8] [--calibration-fonts NAME]');
const model = await loadModelDir(dir);
const scored = int8 ? decodeCompactModel(encodeCompactModel(model, { dtype: 'int8' }), `${dir} as int8`) : model;
const { train } = await loadMnist({ split: 'train' });
const sets = calibrationSets(train!, calibrationFonts);
const inference = createInference(scored);
const scores = sets.map((s) => Float32Array.from(inference.predictBatch(s.images), (p) => p.digitScore));
const threshold = chooseDigitThreshold(scores, rate, confidence);
console.log(`${dir}${int8 ? ' (as int8)' : ''}: threshold ${threshold.toFixed(4)} (was ${model.spec.nonDigit?.threshold.toFixed(4) ?? 'none'}): at most ${rate * 100} % of digits like each set flagged, ${confidence * 100} % confidence:`);
sets.forEach((s, i) => console.log(`  ${s.name}: ${(flaggedShare(scores[i], threshold) * 100).toFixed(2)}% flagged`));
await saveModelDir(dir, { spec: withDigitThreshold(model.spec, threshold), weights: model.weights });
