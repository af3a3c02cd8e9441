/**
 * What a pad predicts with, resolved from its properties: a trainer (anything
 * with an async `predict(pixels)`, such as the worker client), a model's
 * weights (run by the core's tensor-free inference), a compact model file at a
 * URL, or by default the shipped pretrained CNN.
 */
import { createInference } from '../../src/inference/create-inference.js';
import { decodeCompactModel } from '../../src/io/compact-model.js';
import type { ModelWeights } from '../../src/models/spec.js';
import type { PredictionSource } from '../internal/events.js';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';

/** A prediction as the pad reports it. */
export interface PadPrediction {
  readonly digit: number;
  readonly probabilities: Float32Array;
}

/**
 * What a trainer's `predict` may resolve to: `{ probabilities, digit? }` or the
 * ten numbers themselves. Numbers that are not a probability distribution
 * (a negative one, or a sum away from 1) are taken as logits and softmaxed.
 */
export type PredictionLike = { readonly probabilities: ArrayLike<number>; readonly digit?: number } | ArrayLike<number>;

/**
 * Anything that predicts a digit, synchronously or not, from one image as
 * MNIST stores them: 784 bytes, row-major, 0 background to 255 ink. The
 * worker client (`createTrainer()` from `digit-classifier/worker`) is one.
 */
export interface DigitPredictor {
  predict(pixels: Uint8Array): PredictionLike | Promise<PredictionLike>;
}

/** A resolved predictor: where it came from and a predict that checks what comes back. */
export interface PadPredictor {
  readonly source: PredictionSource;
  predict(pixels: Float32Array): PadPrediction | Promise<PadPrediction>;
}

/** The inputs a pad resolves its predictor from, in order of precedence. */
export interface PredictorInputs {
  readonly trainer: DigitPredictor | null;
  readonly model: ModelWeights | PromiseLike<ModelWeights> | null;
  readonly src: string;
}

/**
 * Resolves the pad's predictor. Rejects with an Error whose message says why
 * the model could not load (a bad file, an HTTP error, weights that do not fit
 * their spec); the pad shows it and keeps working as a drawing surface.
 */
export async function resolvePredictor(inputs: PredictorInputs): Promise<PadPredictor> {
  const { trainer, model, src } = inputs;
  if (trainer != null) {
    if (typeof (trainer as Partial<DigitPredictor>).predict !== 'function') {
      throw new TypeError(`expected an object with a predict(pixels) method, got ${trainer === null ? 'null' : typeof trainer}`);
    }
    return {
      source: 'trainer',
      // MNIST's own format, in a fresh buffer (a worker client may transfer, and so detach, what it is given).
      predict: (pixels) => Promise.resolve(trainer.predict(Uint8Array.from(pixels, (v) => Math.round(v * 255)))).then((r) => toPadPrediction(r, 'trainer.predict')),
    };
  }
  if (model != null) {
    const inference = createInference(await model);
    return { source: 'model', predict: (pixels) => inference.predict(pixels) };
  }
  if (src) {
    const response = await fetch(src);
    if (!response.ok) throw new Error(`${src} answered HTTP ${response.status} ${response.statusText}`.trim());
    const inference = createInference(decodeCompactModel(new Uint8Array(await response.arrayBuffer()), src));
    return { source: 'src', predict: (pixels) => inference.predict(pixels) };
  }
  // Let the page paint first: decoding the shipped CNN takes a few milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const inference = pretrainedCnn();
  return { source: 'pretrained', predict: (pixels) => inference.predict(pixels) };
}

/** Checks and normalises what a trainer returned. */
export function toPadPrediction(result: unknown, what: string): PadPrediction {
  const raw = isArrayLike(result) ? result : isArrayLike((result as { probabilities?: unknown } | null)?.probabilities) ? (result as { probabilities: ArrayLike<unknown> }).probabilities : null;
  if (raw === null) throw new TypeError(`${what} returned ${describe(result)}, expected { probabilities } or 10 numbers`);
  if (raw.length !== 10) throw new TypeError(`${what} returned ${raw.length} probabilities, expected 10`);
  const values = new Float32Array(10);
  let sum = 0;
  let negative = false;
  for (let i = 0; i < 10; i++) {
    const v = raw[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${what} returned ${String(v)} at index ${i}, expected finite numbers`);
    values[i] = v;
    sum += v;
    negative ||= v < 0;
  }
  const probabilities = negative || Math.abs(sum - 1) > 1e-3 ? softmax(values) : values;
  let digit = 0;
  for (let i = 1; i < 10; i++) if (probabilities[i] > probabilities[digit]) digit = i;
  return { digit, probabilities };
}

function softmax(logits: Float32Array): Float32Array {
  const max = Math.max(...logits);
  const out = logits.map((v) => Math.exp(v - max));
  const total = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / total);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? `an object with keys ${Object.keys(value).join(', ') || '(none)'}` : `a ${typeof value}`;
}
