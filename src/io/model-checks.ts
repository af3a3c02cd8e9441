/**
 * Checks shared by every model reader and writer: size limits that hold
 * before anything is allocated, the spec → expected weights walk with its
 * errors re-worded for a file, and the "these weights belong to this spec"
 * check for models handed in by callers.
 */
import { DigitClassifierError, InvalidOptionError, ModelFormatError } from '../errors.js';
import type { ModelSpec, ModelWeights, WeightTensor } from '../models/spec.js';
import { layerShapes, type WeightShape } from '../models/weight-shapes.js';

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
        `Expected ${where}.values to be a Float32Array of length ${sizeOf(want.shape)}, got ${describeArray(got.values)}`,
      );
    }
    const bad = firstNonFinite(got.values);
    if (bad >= 0) throw new InvalidOptionError(`Expected finite ${where} (${want.name}) values, got ${got.values[bad]} at index ${bad}`);
  });
  return expected;
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

function describeArray(values: unknown): string {
  if (values instanceof Float32Array) return `a Float32Array of length ${values.length}`;
  if (ArrayBuffer.isView(values)) return values.constructor.name;
  return typeof values;
}
