/** `digit-classifier evaluate`, the work: the report card of a saved or shipped model. */
import '../tfjs-production.js';
import { subsetMnist } from '../../data/mnist-set.js';
import { expectedCalibrationError } from '../../metrics/calibration.js';
import { perClassMetrics } from '../../metrics/precision-recall.js';
import { applyTemperature, fitTemperature } from '../../metrics/temperature-scaling.js';
import { softmax } from '../../metrics/softmax.js';
import { Network } from '../../models/network.js';
import { digitReading } from '../../models/non-digit-output.js';
import { generateNonDigits } from '../../data/non-digits/generate-non-digits.js';
import { createInference } from '../../inference/create-inference.js';
import { loadMnist } from '../../node/load-mnist.js';
import { useNodeBackend } from '../../node/node-backend.js';
import { evaluateNetwork } from '../../train/evaluate.js';
import { loadModelArg } from '../model-arg.js';
import { formatConfusionMatrix, formatTopPairs } from '../report.js';
import type { EvaluateArgs } from './evaluate.js';

/** Synthetic non-digits scored by `evaluate`, and their seed (one no training run uses: fits draw theirs from the run's seed + 1). */
const EVALUATE_NON_DIGITS = 1000;
const EVALUATE_NON_DIGIT_SEED = 424242;

/** The report card of the model `model` names, on MNIST's test digits. */
export async function runEvaluate({ model, backend }: EvaluateArgs): Promise<void> {
  const { weights, label } = await loadModelArg(model);
  await useNodeBackend(backend);
  const { test } = await loadMnist({ split: 'test' });
  const net = Network.fromWeights(weights);
  try {
    const ev = await evaluateNetwork(net, test!);
    console.log(`model ${label}`);
    console.log(`test accuracy ${(ev.accuracy * 100).toFixed(2)}% (${Math.round(ev.accuracy * ev.count)} of ${ev.count})`);
    console.log('\nconfusion matrix (rows true, columns predicted):');
    console.log(formatConfusionMatrix(ev.confusion));
    console.log('\ntop 3 confusion pairs:');
    console.log(formatTopPairs(ev.confusion, 3));
    console.log('\nper class:   precision  recall');
    for (const m of perClassMetrics(ev.confusion)) console.log(`  ${m.label}          ${(m.precision * 100).toFixed(1).padStart(5)}%  ${(m.recall * 100).toFixed(1).padStart(5)}%`);
    // Calibration: fit T on one half, measure on the other.
    const half = Math.floor(ev.count / 2);
    const fitLogits = ev.logits.subarray(0, half * 10);
    const heldLogits = ev.logits.subarray(half * 10);
    const heldLabels = subsetMnist(test!, half, ev.count - half).labels;
    const t = fitTemperature(fitLogits, test!.labels.subarray(0, half));
    const before = expectedCalibrationError(softmax(heldLogits, 10), heldLabels);
    const after = expectedCalibrationError(applyTemperature(heldLogits, t), heldLabels);
    const reading = digitReading(weights.spec);
    const negatives = generateNonDigits(EVALUATE_NON_DIGITS, { seed: EVALUATE_NON_DIGIT_SEED });
    const nonDigitsFlagged = createInference(weights).predictBatch(negatives.images).filter((p) => !p.isDigit).length / negatives.count;
    const how = reading.outputs === 11 ? 'its "not a digit" output' : 'no "not a digit" output: the top probability (weaker)';
    console.log(`\nnot a digit (score: ${how}; threshold ${reading.threshold.toFixed(4)}): ${(ev.flaggedAsNonDigit * 100).toFixed(2)}% of test digits flagged, ${(nonDigitsFlagged * 100).toFixed(1)}% of ${negatives.count} synthetic non-digits flagged`);
    console.log(`\ncalibration (ECE, 15 bins, on test digits ${half}–${ev.count - 1}): ${(before * 100).toFixed(2)}% before, ${(after * 100).toFixed(2)}% after temperature scaling (T=${t.toFixed(3)}, fitted on test digits 0–${half - 1})`);
  } finally {
    net.dispose();
  }
}
