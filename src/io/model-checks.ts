/**
 * Checks shared by every model reader and writer: size limits that hold
 * before anything is allocated, the spec → expected weights walk with its
 * errors re-worded for a file, and the "these weights belong to this spec"
 * check for models handed in by callers.
 */
import { DigitClassifierError, InvalidOptionError, ModelFormatError } from '../errors.js';
import type { ModelSpec, ModelWeights, WeightTensor } from '../models/spec.js';
import { layerShapes, type WeightShape } from '../models/weight-shapes.js';
import { describeValue } from '../util/describe-value.js';

/** Largest model accepted from a file, in float32 bytes (16 Mi parameters, ~160× the shipped CNN). */
export const MAX_MODEL_BYTES = 64 * 1024 * 1024;
/** Largest number of layers accepted from a file. */
export const MAX_LAYERS = 64;
/** Largest dense width or conv filter count accepted from a file. */
export const MAX_UNITS = 65536;

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `[a, b]` as text, for messages. */
export function shapeText(shape: readonly unknown[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * The weights a spec read from a file needs, with the total capped at
 * {@link MAX_MODEL_BYTES}. A spec that cannot be wired becomes a
 * {@link ModelFormatError} naming `source`.
 * @internal
 */
export function expectedWeightsFromFile(spec: ModelSpec, source: string): WeightShape[] {
  let weights: WeightShape[];
  try {
    weights = layerShapes(spec).weights;
  } catch (cause) {
    if (!(cause instanceof DigitClassifierError)) throw cause;
    throw new ModelFormatError(`${source}: the architecture is not a valid model: ${cause.message}`, { cause });
  }
  const params = weights.reduce((n, w) => n + sizeOf(w.shape), 0);
  if (params * 4 > MAX_MODEL_BYTES) {
    throw new ModelFormatError(
      `${source}: expected a model of at most ${MAX_MODEL_BYTES} bytes of float32 weights, got an architecture with ${params} parameters`,
    );
  }
  return weights;
}

/**
 * Checks that `model` (handed in by a caller, e.g. to a writer) has exactly
 * the weights its spec needs, in order, each with the right name, shape,
 * length and finite values. Throws {@link InvalidOptionError} naming `arg`.
 *
 * @example
 * ```ts
 * const expected = checkModelWeights(model, 'model'); // [{ name: 'dense_1/kernel', shape: [784, 128] }, ...]
 * ```
 * @internal
 */
export function checkModelWeights(model: ModelWeights, arg: string): WeightShape[] {
  if (typeof model !== 'object' || model === null || typeof model.spec !== 'object' || !Array.isArray(model.weights)) {
    throw new InvalidOptionError(`Expected ${arg} to be { spec, weights }, got ${model === null ? 'null' : typeof model}`);
  }
  const expected = layerShapes(model.spec).weights;
  if (model.weights.length !== expected.length) {
    throw new InvalidOptionError(
      `Expected ${arg}.weights to hold ${expected.length} tensors (${expected.map((w) => w.name).join(', ')}), got ${model.weights.length}`,
    );
  }
  expected.forEach((want, i) => {
    const got: WeightTensor = model.weights[i];
    const where = `${arg}.weights[${i}]`;
    if (got.name !== want.name) throw new InvalidOptionError(`Expected ${where}.name "${want.name}", got "${got.name}"`);
    if (got.shape.length !== want.shape.length || got.shape.some((d, j) => d !== want.shape[j])) {
      throw new InvalidOptionError(`Expected ${where} (${want.name}) of shape ${shapeText(want.shape)}, got ${shapeText(got.shape)}`);
    }
    if (!(got.values instanceof Float32Array) || got.values.length !== sizeOf(want.shape)) {
      throw new InvalidOptionError(
        `Expected ${where}.values to be a Float32Array of length ${sizeOf(want.shape)}, got ${describeValue(got.values)}`,
      );
    }
    const bad = firstNonFinite(got.values);
    if (bad >= 0) throw new InvalidOptionError(`Expected finite ${where} (${want.name}) values, got ${got.values[bad]} at index ${bad}`);
  });
  checkActivationBound(model, (message) => new InvalidOptionError(`${arg}: ${message}`));
  return expected;
}

/**
 * The largest activation an accepted model may reach, for any input: far
 * below float32's 3.4e38, so every sum, and the softmax after them, stays
 * finite. The shipped models' bounds are 2.8e3 (MLP) and 4.8e5 (CNN).
 */
export const MAX_ACTIVATION = 1e30;

/**
 * An upper bound on |activation| at every layer of `model`, for any input
 * pixels in [0, 1] (interval arithmetic on the weights' magnitudes: each
 * output's Σ|kernel| × the bound of its input, plus |bias|; ReLU, pooling,
 * flatten and dropout do not raise it). `Infinity` when the normalization
 * itself is unusable. Assumes shapes already checked.
 *
 * @example
 * ```ts
 * if (!(worstCaseActivation(model) <= MAX_ACTIVATION)) throw new Error('outputs could overflow');
 * ```
 */
export function worstCaseActivation(model: ModelWeights): number {
  const { mean, std } = model.spec.normalization;
  if (!(std > 0) || !Number.isFinite(mean)) return Infinity;
  let bound = Math.max(Math.abs(mean), Math.abs(1 - mean)) / std;
  let worst = bound;
  let w = 0;
  for (const layer of model.spec.layers) {
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d') continue;
    const kernel = model.weights[w++].values; // Keras layout: the last axis is the output
    const bias = model.weights[w++].values;
    const sums = new Float64Array(bias.length);
    for (let i = 0; i < kernel.length; i++) sums[i % bias.length] += Math.abs(kernel[i]);
    let next = 0;
    for (let j = 0; j < bias.length; j++) next = Math.max(next, sums[j] * bound + Math.abs(bias[j]));
    bound = next;
    worst = Math.max(worst, bound);
  }
  return worst;
}

/** Throws `makeError(message)` when `model` could overflow float32 on some input (see {@link worstCaseActivation}). */
export function checkActivationBound(model: ModelWeights, makeError: (message: string) => Error): void {
  const worst = worstCaseActivation(model);
  if (!(worst <= MAX_ACTIVATION)) {
    throw makeError(`weights so large that some input could overflow float32 (worst-case activation ${worst.toExponential(1)}, limit ${MAX_ACTIVATION.toExponential(0)}; the shipped CNN's is 4.8e5)`);
  }
}

/** Index of the first NaN or ±Infinity, or −1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    // v − v is 0 for finite v and NaN for NaN/±Infinity; one compare, no call.
    const v = values[i];
    if (v - v !== 0) return i;
  }
  return -1;
}
