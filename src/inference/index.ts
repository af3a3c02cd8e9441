/**
 * Tensor-free inference: classify digits with a model's weights over plain
 * typed arrays, no tfjs needed.
 *
 * @example
 * ```ts
 * import { createInference } from './inference/index.js';
 * const { digit } = createInference(model).predict(pixels);
 * ```
 */
export { createInference, INFERENCE_CLASSES, INFERENCE_INPUT_SIZE, type Inference } from './create-inference.js';
export { unitPixels, predictionsFromLogits, type DigitPixels, type Prediction } from './prediction.js';
