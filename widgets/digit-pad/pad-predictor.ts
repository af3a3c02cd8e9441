/**
 * What a pad predicts with, resolved from its properties: a trainer (anything
 * with an async `predict(pixels)`, such as the worker client), a model's
 * weights (run by the core's tensor-free inference), a compact model file at a
 * URL, or by default the shipped pretrained CNN.
 */
import { FetchError } from '../../workers/errors.js';
import { InvalidOptionError } from '../../src/errors.js';
import { createInference } from '../../src/inference/create-inference.js';
import type { Prediction } from '../../src/inference/prediction.js';
import { decodeCompactModel } from '../../src/io/compact-model.js';
import { argmaxRow } from '../../src/metrics/argmax.js';
import type { ModelWeights } from '../../src/models/spec.js';
import type { PredictionSource } from '../internal/events.js';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';
import { describeValue } from '../../src/util/describe-value.js';

/**
 * Anything that predicts a digit, synchronously or not, the way the core's
 * `Inference` and `Trainer` and the worker's `TrainerClient` all do: one
 * image of 784 floats in [0, 1] in, a {@link Prediction} out. Each of the
 * three can be a pad's `trainer` as it is.
 */
export interface DigitPredictor {
  predict(pixels: Float32Array): Prediction | Promise<Prediction>;
}

/** A resolved predictor: where it came from and a predict that checks what comes back. */
export interface PadPredictor {
  readonly source: PredictionSource;
  predict(pixels: Float32Array): Prediction | Promise<Prediction>;
}

/** The inputs a pad resolves its predictor from, in order of precedence. */
export interface PredictorInputs {
  readonly trainer: DigitPredictor | null;
  readonly model: ModelWeights | PromiseLike<ModelWeights> | null;
  readonly src: string;
}

/**
 * Resolves the pad's predictor. Rejects with a typed error saying why the
 * model could not load (a `FetchError` for an HTTP error, a `ModelFormatError`
 * for a bad file, an `InvalidOptionError` for a trainer without `predict`);
 * the pad shows it and keeps working as a drawing surface.
 */
export async function resolvePredictor(inputs: PredictorInputs): Promise<PadPredictor> {
  const { trainer, model, src } = inputs;
  if (trainer != null) {
    if (typeof (trainer as Partial<DigitPredictor>).predict !== 'function') {
      throw new InvalidOptionError(`trainer: expected an object with a predict(pixels) method, got ${trainer === null ? 'null' : typeof trainer}`);
    }
    return {
      source: 'trainer',
      // The pad's floats as they are, in a fresh buffer (a worker client may transfer, and so detach, what it is given).
      predict: (pixels) => Promise.resolve(trainer.predict(pixels.slice())).then((r) => checkPrediction(r, 'trainer.predict')),
    };
  }
  if (model != null) {
    const inference = createInference(await model);
    return { source: 'model', predict: (pixels) => inference.predict(pixels) };
  }
  if (src) {
    const response = await fetch(src);
    if (!response.ok) throw new FetchError(`${src} answered HTTP ${response.status} ${response.statusText}`.trim(), { status: response.status });
    const inference = createInference(decodeCompactModel(new Uint8Array(await response.arrayBuffer()), src));
    return { source: 'src', predict: (pixels) => inference.predict(pixels) };
  }
  // Let the page paint first: decoding the shipped CNN takes a few milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const inference = pretrainedCnn();
  return { source: 'pretrained', predict: (pixels) => inference.predict(pixels) };
}

/**
 * Checks what a trainer returned: a {@link Prediction}, `{ digit, probabilities,
 * isDigit, digitScore }` with 10 finite probabilities >= 0 summing to 1, a
 * boolean `isDigit` and a `digitScore` in [0, 1]. The digit is the argmax of
 * the probabilities. A predictor that gives neither `isDigit` nor
 * `digitScore` (one written before they existed) makes no "not a digit"
 * claim: its readings are digits with a score of 1. Anything else is an
 * `InvalidOptionError` naming `what`.
 */
export function checkPrediction(result: unknown, what: string): Prediction {
  const raw = (result as { probabilities?: unknown } | null)?.probabilities;
  if (!isArrayLike(raw)) throw new InvalidOptionError(`${what} returned ${describeValue(result)}, expected { digit, probabilities, isDigit, digitScore } (a Prediction)`);
  if (raw.length !== 10) throw new InvalidOptionError(`${what} returned ${raw.length} probabilities, expected 10`);
  const probabilities = new Float32Array(10);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const v = raw[i];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new InvalidOptionError(`${what} returned ${String(v)} at probabilities[${i}], expected finite numbers >= 0`);
    probabilities[i] = v;
    sum += v;
  }
  if (Math.abs(sum - 1) > 1e-3) throw new InvalidOptionError(`${what} returned probabilities summing to ${sum}, expected 1 (softmax logits first)`);
  const { isDigit, digitScore } = result as { isDigit?: unknown; digitScore?: unknown };
  const digit = argmaxRow(probabilities, 0, 10);
  if (isDigit === undefined && digitScore === undefined) return { digit, probabilities, isDigit: true, digitScore: 1 };
  if (typeof isDigit !== 'boolean') throw new InvalidOptionError(`${what} returned isDigit ${describeValue(isDigit)}, expected true or false`);
  if (typeof digitScore !== 'number' || !(digitScore >= 0 && digitScore <= 1)) throw new InvalidOptionError(`${what} returned digitScore ${String(digitScore)}, expected a number in [0, 1]`);
  return { digit, probabilities, isDigit, digitScore };
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
