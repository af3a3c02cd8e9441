/**
 * Tensor-free inference over plain typed arrays, for the widgets' light embed
 * path: no tfjs, a few KiB of code, every buffer allocated once when the
 * model is loaded and reused for every prediction.
 */
import { InvalidOptionError } from '../errors.js';
import { checkModelWeights } from '../io/model-checks.js';
import type { ModelSpec, ModelWeights } from '../models/spec.js';
import { conv2dForward, conv2dPlan } from './conv2d.js';
import { denseForward, type DensePlan } from './dense.js';
import { maxPoolForward, maxPoolPlan } from './max-pool.js';
import { argmaxRow } from '../metrics/argmax.js';
import { digitReading } from '../models/non-digit-output.js';
import { digitScoreOfRow, predictionsFromLogits, unitPixels, type DigitPixels, type Prediction } from './prediction.js';
import { describeValue } from '../util/describe-value.js';

/** Pixels per digit image (28 × 28). */
export const INFERENCE_INPUT_SIZE = 784;
/** Classes (digits 0–9); a model with the "not a digit" output has one logit more. */
export const INFERENCE_CLASSES = 10;

/** A loaded model ready to classify 28×28 digits. */
export interface Inference {
  readonly spec: ModelSpec;
  /**
   * The logits for one image of 784 pixels (bytes 0–255 or floats in
   * [0, 1]): 10, or 11 for a model with the "not a digit" output (the 11th).
   * Written into `out` (of that length) when given, else into a new array.
   */
  predictLogits(pixels: DigitPixels, out?: Float32Array): Float32Array;
  /** The most likely digit, the 10 digit probabilities, `isDigit` and `digitScore` of one image. */
  predict(pixels: DigitPixels): Prediction;
  /** One {@link Prediction} per image of `count × 784` pixels. */
  predictBatch(pixels: DigitPixels): Prediction[];
}

type Step = (input: Float32Array, out: Float32Array) => void;

/**
 * Builds an {@link Inference} from a model's weights (copied, so later
 * changes to `model` do not leak in). Throws {@link InvalidOptionError} if the
 * weights do not fit the spec.
 *
 * @example
 * ```ts
 * const inference = createInference(decodeCompactModel(bytes, 'cnn.dcm'));
 * const { digit, probabilities, isDigit, digitScore } = inference.predict(pixels); // 784 bytes 0–255 or floats in [0, 1]
 * if (!isDigit) console.log("That doesn't look like a digit");
 * ```
 */
export function createInference(model: ModelWeights): Inference {
  checkModelWeights(model, 'model');
  const { spec } = model;
  const { mean, std } = spec.normalization;
  const weights = model.weights.map((w) => Float32Array.from(w.values));
  let next = 0; // index of the next kernel in `weights`

  // 1. Plan each layer: a step from one activation buffer to the next.
  const steps: Step[] = [];
  const buffers: Float32Array[] = [new Float32Array(INFERENCE_INPUT_SIZE)];
  let shape: number[] = [...spec.inputShape];
  for (const layer of spec.layers) {
    switch (layer.kind) {
      case 'dense': {
        const plan: DensePlan = {
          inSize: shape[0], outSize: layer.units, kernel: weights[next], bias: weights[next + 1],
          relu: layer.activation === 'relu', acc: new Float64Array(layer.units),
        };
        next += 2;
        steps.push((x, y) => denseForward(plan, x, y));
        shape = [layer.units];
        break;
      }
      case 'conv2d': {
        const [h, w, c] = shape;
        const plan = conv2dPlan(h, w, c, weights[next], weights[next + 1], layer.kernelSize, layer.filters,
          layer.padding, layer.activation === 'relu');
        next += 2;
        steps.push((x, y) => conv2dForward(plan, x, y));
        shape = [plan.outH, plan.outW, layer.filters];
        break;
      }
      case 'maxpool': {
        const plan = maxPoolPlan(shape[0], shape[1], shape[2], layer.size);
        steps.push((x, y) => maxPoolForward(plan, x, y));
        shape = [plan.outH, plan.outW, shape[2]];
        break;
      }
      case 'flatten': // NHWC is already HWC-flat in memory
        shape = [shape.reduce((a, b) => a * b, 1)];
        continue;
      case 'dropout': // identity at inference
        continue;
    }
    buffers.push(new Float32Array(shape.reduce((a, b) => a * b, 1)));
  }
  const logits = buffers[buffers.length - 1];
  const reading = digitReading(spec);
  const units = reading.outputs;
  const scratch = new Float32Array(units);
  const scoreScratch = new Float32Array(units);

  // 2. One forward pass: normalise into buffers[0], run the steps, copy the logits.
  const forward = (pixels: Float32Array, offset: number, out: Float32Array): void => {
    const x0 = buffers[0];
    for (let i = 0; i < INFERENCE_INPUT_SIZE; i++) x0[i] = (pixels[offset + i] - mean) / std;
    for (let s = 0; s < steps.length; s++) steps[s](buffers[s], buffers[s + 1]);
    out.set(logits);
  };

  return {
    spec,
    predictLogits(pixels, out) {
      const { values } = unitPixels(pixels, 'pixels', 1);
      if (out !== undefined && !(out instanceof Float32Array && out.length === units)) {
        throw new InvalidOptionError(`Expected out to be a Float32Array of length ${units}, got ${describeValue(out)}`);
      }
      const result = out ?? new Float32Array(units);
      forward(values, 0, result);
      return result;
    },
    predict(pixels) {
      const { values } = unitPixels(pixels, 'pixels', 1);
      forward(values, 0, scratch);
      const probabilities = new Float32Array(INFERENCE_CLASSES);
      const digitScore = digitScoreOfRow(scratch, 0, units, probabilities, scoreScratch);
      return { digit: argmaxRow(probabilities, 0, INFERENCE_CLASSES), probabilities, isDigit: digitScore >= reading.threshold, digitScore };
    },
    predictBatch(pixels) {
      const { values, count } = unitPixels(pixels, 'pixels');
      const logits = new Float32Array(count * units);
      for (let i = 0; i < count; i++) {
        forward(values, i * INFERENCE_INPUT_SIZE, scratch);
        logits.set(scratch, i * units);
      }
      return predictionsFromLogits(logits, count, reading);
    },
  };
}
