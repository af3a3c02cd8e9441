/**
 * Metrics of digit-classifier: pure functions over typed arrays and plain
 * arrays, with no tfjs, DOM or Node dependency, so the same code runs in
 * Node, in the training Web Worker and on the page.
 *
 * @example
 * ```ts
 * import { argmaxRows, accuracy, confusionMatrix, topConfusionPairs, formatPair } from './metrics/index.js';
 * const predicted = argmaxRows(logits);
 * accuracy(predicted, labels);
 * topConfusionPairs(confusionMatrix(labels, predicted)).map(formatPair);
 * ```
 */
export { softmax, logSoftmax, softmaxInto } from './softmax.js';
export { argmaxRows, argmaxRow } from './argmax.js';
export { accuracy } from './accuracy.js';
export { confusionMatrix } from './confusion-matrix.js';
export { topConfusionPairs, topConfusions, formatPair, formatConfusion } from './confusion-pairs.js';
export type { ConfusionPair, DirectedConfusion } from './confusion-pairs.js';
export { perClassMetrics } from './precision-recall.js';
export type { ClassMetrics } from './precision-recall.js';
export { expectedCalibrationError, reliabilityBins } from './calibration.js';
export type { CalibrationOptions, ReliabilityBin } from './calibration.js';
export { fitTemperature, applyTemperature, negativeLogLikelihood } from './temperature-scaling.js';
export type { FitTemperatureOptions } from './temperature-scaling.js';
export { chooseDigitThreshold, flaggedShare } from './digit-threshold.js';
