/**
 * Reads the weights of a TensorFlow.js Layers model from its untrusted
 * `weightsManifest` and weight bytes. Every entry's name, shape and dtype is
 * checked against what the architecture needs, the byte total must match the
 * data exactly, and only then is anything allocated; values must be finite.
 */
import type { WeightShape } from '../models/weight-shapes.js';
import { fromFloat16Array } from './float16.js';
import { readFloat32LE, readUint16LE } from './little-endian.js';
import { firstNonFinite, shapeText, sizeOf } from './model-checks.js';
import type { JsonReader } from './untrusted-json.js';

/** One weight in a model.json manifest. Stored as float32 unless `quantization` says otherwise. */
export interface LayersWeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  /** TF.js weight quantization: `uint8`/`uint16` decode as `q × scale + min`; `float16` as half floats. */
  readonly quantization?: { readonly dtype: 'uint8' | 'uint16' | 'float16'; readonly scale?: number; readonly min?: number };
}

const BYTES_PER = { float32: 4, float16: 2, uint16: 2, uint8: 1 } as const;
type StoredAs = keyof typeof BYTES_PER;

interface Located {
  readonly index: number; // into `expected`
  readonly field: string;
  readonly offset: number;
  readonly stored: StoredAs;
  readonly scale: number;
  readonly min: number;
}

/**
 * Returns the values of `expected[i]`, found in the manifest under `fileNames[i]`.
 *
 * @example
 * ```ts
 * const [kernel, bias] = readLayersWeights(json.weightsManifest, bin, reader, expected, ['dense/kernel', 'dense/bias']);
 * ```
 * @internal
 */
export function readLayersWeights(
  manifest: unknown,
  bytes: Uint8Array,
  r: JsonReader,
  expected: readonly WeightShape[],
  fileNames: readonly string[],
): Float32Array[] {
  const byName = new Map<string, number>(fileNames.map((n, i) => [n, i]));
  const found: (Located | undefined)[] = new Array(expected.length);
  let offset = 0;
  const groups = r.array(manifest, 'weightsManifest', 64);
  groups.forEach((g, gi) => {
    const group = r.object(g, `weightsManifest[${gi}]`);
    const entries = r.array(r.get(group, 'weights'), `weightsManifest[${gi}].weights`, 2 * expected.length);
    entries.forEach((e, ei) => {
      const field = `weightsManifest[${gi}].weights[${ei}]`;
      const entry = r.object(e, field);
      const name = r.string(r.get(entry, 'name'), `${field}.name`, 300);
      const index = byName.get(name);
      if (index === undefined) r.error(`${field}.name`, `"${name}" is not a weight of this model (expected ${fileNames.join(', ')})`);
      if (found[index] !== undefined) r.error(`${field}.name`, `"${name}" is listed twice`);
      const want = expected[index].shape;
      const shape = r.intArray(r.get(entry, 'shape'), `${field}.shape`, 0, 1 << 24);
      if (shapeText(shape) !== shapeText(want)) r.fail(`${field}.shape`, `${shapeText(want)} for ${name}`, r.get(entry, 'shape'));
      r.oneOf(r.get(entry, 'dtype'), `${field}.dtype`, ['float32'] as const);
      let stored: StoredAs = 'float32';
      let scale = 1;
      let min = 0;
      const q = r.get(entry, 'quantization');
      if (!r.absent(q)) {
        const quant = r.object(q, `${field}.quantization`);
        stored = r.oneOf(r.get(quant, 'dtype'), `${field}.quantization.dtype`, ['uint8', 'uint16', 'float16'] as const);
        if (stored !== 'float16') {
          scale = r.number(r.get(quant, 'scale'), `${field}.quantization.scale`);
          min = r.number(r.get(quant, 'min'), `${field}.quantization.min`);
        }
      }
      found[index] = { index, field, offset, stored, scale, min };
      offset += sizeOf(want) * BYTES_PER[stored];
    });
  });
  const missing = fileNames.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) r.error('weightsManifest', `lacks weights ${missing.join(', ')}`);
  if (offset !== bytes.byteLength) {
    r.error('weight data', `is ${bytes.byteLength} bytes, but weightsManifest describes ${offset} bytes`);
  }
  return (found as Located[]).map((w) => {
    const values = decode(bytes, w, sizeOf(expected[w.index].shape));
    const bad = firstNonFinite(values);
    if (bad >= 0) r.error(w.field, `(${fileNames[w.index]}) holds a non-finite value ${values[bad]} at index ${bad}`);
    return values;
  });
}

function decode(bytes: Uint8Array, w: Located, count: number): Float32Array {
  switch (w.stored) {
    case 'float32':
      return readFloat32LE(bytes, w.offset, count);
    case 'float16':
      return fromFloat16Array(readUint16LE(bytes, w.offset, count));
    case 'uint16':
    case 'uint8': {
      const q = w.stored === 'uint8' ? bytes.subarray(w.offset, w.offset + count) : readUint16LE(bytes, w.offset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = q[i] * w.scale + w.min;
      return out;
    }
  }
}
