/**
 * Calibration of one held-out evaluation, for the report card: the expected
 * calibration error before and after temperature scaling, and the bins of a
 * reliability diagram. Pure; run in the helper worker (`report-worker.ts`),
 * since fitting the temperature takes several passes over the logits.
 */
import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from '../../src/metrics/calibration.js';
import { softmax } from '../../src/metrics/softmax.js';
import { applyTemperature, fitTemperature } from '../../src/metrics/temperature-scaling.js';

/** Calibration of one evaluation: temperature fitted on one half of the test set, measured on the other. */
export interface CalibrationReport {
  readonly temperature: number;
  readonly eceBefore: number;
  readonly eceAfter: number;
  readonly binsBefore: ReliabilityBin[];
  readonly binsAfter: ReliabilityBin[];
  /** Images used to fit the temperature (the first half) and to measure (the second). */
  readonly fitCount: number;
  readonly measureCount: number;
}

/**
 * Fits a temperature on the first half of the held-out logits and reports the
 * expected calibration error and reliability bins on the second half, before
 * (T = 1) and after: measuring on the images T was fitted on would flatter it.
 */
export function calibrationReport(logits: Float32Array, labels: ArrayLike<number>, count: number, bins = 10): CalibrationReport {
  const fitCount = Math.floor(count / 2);
  const measureCount = count - fitCount;
  if (fitCount < 1) throw new Error(`Calibration needs at least 2 test images, got ${count}`);
  const fitLabels = Array.from({ length: fitCount }, (_, i) => labels[i]);
  const measureLabels = Array.from({ length: measureCount }, (_, i) => labels[fitCount + i]);
  const temperature = fitTemperature(logits.subarray(0, fitCount * 10), fitLabels);
  const measured = logits.subarray(fitCount * 10, count * 10);
  const before = softmax(measured, 10);
  const after = applyTemperature(measured, temperature);
  return {
    temperature,
    eceBefore: expectedCalibrationError(before, measureLabels, { bins }),
    eceAfter: expectedCalibrationError(after, measureLabels, { bins }),
    binsBefore: reliabilityBins(before, measureLabels, { bins }),
    binsAfter: reliabilityBins(after, measureLabels, { bins }),
    fitCount,
    measureCount,
  };
}
