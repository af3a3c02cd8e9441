/**
 * The compact model format the package ships its pretrained models in: one
 * binary, small enough to embed in a JS module as base64.
 *
 * Layout (all little-endian):
 * ```
 * 'DCM1'            4 bytes magic
 * headerLength      u32
 * header            UTF-8 JSON, space-padded so the payload starts at a multiple of 4:
 *                   { format, version, spec, payloadBytes,
 *                     weights: [{ name, shape, dtype, offset, scales? }] }
 *                   version 2: the spec may have the "not a digit" output
 *                   (11 units last) and `spec.nonDigit: { threshold }`;
 *                   version 1 (no such output) is still written and read.
 * payload           the weights back to back, offsets relative to its start
 * ```
 * `dtype` is `int8` (kernels, symmetric, one float32 scale per output channel
 * in `scales`), `float16`, or `float32` (biases of an int8 model: they are tiny
 * and sensitive). Decoding treats the bytes as untrusted.
 */
import { InvalidOptionError } from '../errors.js';
import { hasNonDigitOutput } from '../models/non-digit-output.js';
import type { ModelWeights } from '../models/spec.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { toFloat16Array } from './float16.js';
import { writeFloat32LE, writeUint16LE } from './little-endian.js';
import { checkModelWeights } from './model-checks.js';
import { quantizeInt8PerChannel, shortestFloat32 } from './quantize-int8.js';
import { readCompactModel } from './read-compact-model.js';

/** The four bytes every compact model starts with. */
export const COMPACT_MAGIC = 'DCM1';
/** `format` field of the header. */
export const COMPACT_FORMAT = 'digit-classifier-compact';

/** Options of {@link encodeCompactModel}. */
export interface CompactModelOptions {
  /** `int8`: ~4× smaller than float32, argmax almost always unchanged; `float16`: ~2×, near-exact. */
  readonly dtype: 'int8' | 'float16';
}

/** One weight's entry in the header. */
export interface CompactWeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'int8' | 'float16' | 'float32';
  readonly offset: number;
  readonly scales?: readonly number[];
}

/**
 * Encodes `model` in the compact format.
 *
 * @example
 * ```ts
 * const bytes = encodeCompactModel(model, { dtype: 'int8' });
 * const again = decodeCompactModel(bytes, 'cnn.dcm');
 * ```
 */
export function encodeCompactModel(model: ModelWeights, options: CompactModelOptions): Uint8Array {
  const dtype = (options as Partial<CompactModelOptions> | undefined)?.dtype;
  if (dtype !== 'int8' && dtype !== 'float16') {
    throw new InvalidOptionError(`Expected options.dtype to be 'int8' or 'float16', got ${JSON.stringify(dtype)}`);
  }
  checkModelWeights(model, 'model');
  const entries: CompactWeightEntry[] = [];
  const chunks: { offset: number; write: (bytes: Uint8Array, at: number) => void }[] = [];
  let offset = 0;
  for (const w of model.weights) {
    const isKernel = w.shape.length >= 2;
    if (dtype === 'int8' && isKernel) {
      const { q, scales } = quantizeInt8PerChannel(w.values, w.shape[w.shape.length - 1]);
      entries.push({ name: w.name, shape: [...w.shape], dtype: 'int8', offset, scales: Array.from(scales, shortestFloat32) });
      chunks.push({ offset, write: (bytes, at) => bytes.set(new Uint8Array(q.buffer), at) });
      offset += q.length;
    } else if (dtype === 'float16') {
      const half = toFloat16Array(w.values);
      const inf = half.findIndex((h) => (h & 0x7c00) === 0x7c00);
      if (inf >= 0) {
        throw new InvalidOptionError(`Expected model weight ${w.name} to fit float16 (|x| ≤ 65504), got ${w.values[inf]} at index ${inf}; use dtype 'int8'`);
      }
      entries.push({ name: w.name, shape: [...w.shape], dtype: 'float16', offset });
      chunks.push({ offset, write: (bytes, at) => writeUint16LE(bytes, at, half) });
      offset += half.length * 2;
    } else {
      entries.push({ name: w.name, shape: [...w.shape], dtype: 'float32', offset });
      chunks.push({ offset, write: (bytes, at) => writeFloat32LE(bytes, at, w.values) });
      offset += w.values.length * 4;
    }
  }
  // Version 2 carries the "not a digit" output or threshold (older readers refuse it by version); else 1, as before.
  const version = model.spec.nonDigit || hasNonDigitOutput(model.spec) ? 2 : 1;
  const header = { format: COMPACT_FORMAT, version, spec: model.spec, payloadBytes: offset, weights: entries };
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + headerBytes.length) / 4) * 4 - 8;
  if (padded !== headerBytes.length) {
    const withPad = new Uint8Array(padded).fill(0x20); // JSON allows trailing spaces
    withPad.set(headerBytes);
    headerBytes = withPad;
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  for (let i = 0; i < 4; i++) out[i] = COMPACT_MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const payloadStart = 8 + headerBytes.length;
  for (const c of chunks) c.write(out, payloadStart + c.offset);
  return out;
}

/**
 * Decodes a compact model from untrusted bytes. A wrong magic, a header
 * length or offset outside the buffer, a weight whose name, shape or size
 * does not match the architecture, trailing bytes or non-finite values are a
 * {@link ModelFormatError} naming `source` and the field.
 *
 * @example
 * ```ts
 * const model = decodeCompactModel(await readFile('cnn.dcm'), 'cnn.dcm');
 * ```
 */
export function decodeCompactModel(bytes: Uint8Array | ArrayBuffer, source: string): ModelWeights {
  if (typeof source !== 'string') throw new InvalidOptionError(`Expected source to be a string, got ${typeof source}`);
  if (bytes instanceof ArrayBuffer) return readCompactModel(new Uint8Array(bytes), source);
  if (bytes instanceof Uint8Array) return readCompactModel(bytes, source);
  throw new InvalidOptionError(`Expected bytes to be a Uint8Array or ArrayBuffer, got ${typeof bytes}`);
}

/**
 * Encodes `model` in the compact format as base64, for a JS module such as
 * `export default 'RENNMQ…';` that bundles the model.
 *
 * @example
 * ```ts
 * const text = compactModelToBase64(model, { dtype: 'int8' });
 * ```
 */
export function compactModelToBase64(model: ModelWeights, options: CompactModelOptions): string {
  return bytesToBase64(encodeCompactModel(model, options));
}

/**
 * Decodes a base64-embedded compact model (see {@link compactModelToBase64}).
 *
 * @example
 * ```ts
 * import cnnBase64 from './cnn-model.js';
 * const model = compactModelFromBase64(cnnBase64, 'bundled cnn');
 * ```
 */
export function compactModelFromBase64(text: string, source: string): ModelWeights {
  return decodeCompactModel(base64ToBytes(text, source), source);
}

