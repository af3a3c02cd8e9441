/**
 * The reading half of the compact format (see `compact-model.ts` for the
 * layout), for untrusted bytes: the header length is checked against the
 * buffer before the header is sliced, the header against the architecture,
 * and every weight's offset and size against the payload before its bytes
 * are read.
 */
import { ModelFormatError } from '../errors.js';
import type { ModelWeights, WeightTensor } from '../models/spec.js';
import { fromFloat16Array } from './float16.js';
import { readFloat32LE, readUint16LE } from './little-endian.js';
import { MAX_MODEL_BYTES, checkActivationBound, expectedWeightsFromFile, firstNonFinite, shapeText, sizeOf } from './model-checks.js';
import { parseModelSpec } from './parse-model-spec.js';
import { dequantizeInt8PerChannel } from './quantize-int8.js';
import { JsonReader, parseJsonText } from './untrusted-json.js';

/** Largest header accepted: the shipped models' headers are a few KiB. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const MAGIC = [0x44, 0x43, 0x4d, 0x31]; // 'DCM1'
const BYTES_PER = { int8: 1, float16: 2, float32: 4 } as const;

/**
 * Decodes compact-model bytes; see `decodeCompactModel`, its public face.
 *
 * @example
 * ```ts
 * const model = readCompactModel(bytes, 'cnn.dcm');
 * ```
 * @internal
 */
export function readCompactModel(bytes: Uint8Array, source: string): ModelWeights {
  const r = new JsonReader(source);
  // 1. Preamble: magic and header length, checked against the buffer.
  if (bytes.length < 8) r.error('file', `is ${bytes.length} bytes, shorter than the 8-byte preamble (magic + header length)`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    r.error('magic', `expected "DCM1" (44 43 4d 31), got ${got}`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (headerLength > bytes.length - 8) {
    r.error('header length', `is ${headerLength} bytes, past the end of the ${bytes.length}-byte file`);
  }
  if (headerLength > MAX_HEADER_BYTES) r.error('header length', `is ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} allowed`);

  // 2. Header: UTF-8 JSON with the architecture and the weight table.
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch (cause) {
    r.error('header', `is not valid UTF-8 (${(cause as Error).message})`);
  }
  const header = r.object(parseJsonText(text, source), 'header');
  r.oneOf(r.get(header, 'format'), 'header.format', ['digit-classifier-compact'] as const);
  r.int(r.get(header, 'version'), 'header.version', 1, 2); // 2: "not a digit" output and threshold
  const spec = parseModelSpec(r.get(header, 'spec'), r, 'header.spec');
  const expected = expectedWeightsFromFile(spec, source);
  const payloadStart = 8 + headerLength;
  const payloadBytes = r.int(r.get(header, 'payloadBytes'), 'header.payloadBytes', 0, MAX_MODEL_BYTES);
  if (payloadStart + payloadBytes !== bytes.length) {
    r.error('payload', `should be ${payloadBytes} bytes (header.payloadBytes), but the file holds ${bytes.length - payloadStart} after the header`);
  }
  const entries = r.array(r.get(header, 'weights'), 'header.weights', expected.length);
  if (entries.length !== expected.length) {
    r.fail('header.weights', `${expected.length} entries (${expected.map((w) => w.name).join(', ')})`, entries);
  }

  // 3. Weights, stored back to back in layer order.
  let offset = 0;
  const weights = expected.map((want, i): WeightTensor => {
    const field = `header.weights[${i}]`;
    const e = r.object(entries[i], field);
    const name = r.string(r.get(e, 'name'), `${field}.name`, 300);
    if (name !== want.name) r.fail(`${field}.name`, JSON.stringify(want.name), name);
    const shape = r.intArray(r.get(e, 'shape'), `${field}.shape`, 0, 1 << 24);
    if (shapeText(shape) !== shapeText(want.shape)) r.fail(`${field}.shape`, shapeText(want.shape), r.get(e, 'shape'));
    const dtype = r.oneOf(r.get(e, 'dtype'), `${field}.dtype`, ['int8', 'float16', 'float32'] as const);
    const at = r.int(r.get(e, 'offset'), `${field}.offset`, 0, payloadBytes);
    if (at !== offset) r.fail(`${field}.offset`, `${offset} (weights are stored back to back)`, at);
    const count = sizeOf(want.shape);
    const length = count * BYTES_PER[dtype];
    if (at + length > payloadBytes) {
      r.error(field, `(${name}) needs ${length} bytes at offset ${at}, past the end of the ${payloadBytes}-byte payload`);
    }
    const start = payloadStart + at;
    let values: Float32Array;
    if (dtype === 'int8') {
      const channels = want.shape[want.shape.length - 1];
      const rawScales = r.array(r.get(e, 'scales'), `${field}.scales`, channels);
      if (rawScales.length !== channels) r.fail(`${field}.scales`, `an array of ${channels} scales (one per output channel)`, rawScales);
      const scales = Float32Array.from(rawScales, (s, c) => r.number(s, `${field}.scales[${c}]`, 0));
      const q = new Int8Array(bytes.buffer, bytes.byteOffset + start, count);
      values = dequantizeInt8PerChannel(q, scales);
    } else if (dtype === 'float16') {
      values = fromFloat16Array(readUint16LE(bytes, start, count));
    } else {
      values = readFloat32LE(bytes, start, count);
    }
    const bad = firstNonFinite(values);
    if (bad >= 0) r.error(field, `(${name}) holds a non-finite value ${values[bad]} at index ${bad}`);
    offset += length;
    return { name, shape, values };
  });
  if (offset !== payloadBytes) {
    r.error('header.payloadBytes', `is ${payloadBytes}, but the weights take ${offset} bytes (trailing data)`);
  }
  const model = { spec, weights };
  checkActivationBound(model, (message) => new ModelFormatError(`${source}: ${message}`));
  return model;
}
