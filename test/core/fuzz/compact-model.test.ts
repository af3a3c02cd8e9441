/**
 * Fuzzing the compact model format (`decodeCompactModel`) and its base64
 * form (`compactModelFromBase64`): random bytes, byte mutations of valid
 * int8 and float16 files, header lengths that lie, header JSON mutated
 * (offsets beyond the buffer, payload sizes, shapes, scales, the spec), and
 * random or corrupted base64. A model whose weights match `layerShapes(spec)`
 * and which predicts, or a `ModelFormatError` naming the source; never more
 * allocated than the file's bytes can fill.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ModelFormatError } from '../../../src/errors.js';
import { bytesToBase64 } from '../../../src/io/base64.js';
import { compactModelFromBase64, decodeCompactModel, encodeCompactModel } from '../../../src/io/compact-model.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, applyJsonEdits, byteEdits, concatBytes, hostileUint32, jsonEdits } from './mutators.js';
import { BASE_MODELS, checkAcceptedModel } from './model-bases.js';

const target = new FuzzTarget('compact-model', 'compact model format (binary and base64)', ['decodeCompactModel', 'compactModelFromBase64']);
const SOURCE = 'fuzz/cnn-int8.dcm';

const BASES = BASE_MODELS.flatMap((m) => [encodeCompactModel(m, { dtype: 'int8' }), encodeCompactModel(m, { dtype: 'float16' })]);
const base = fc.constantFrom(...BASES.keys());

/** Split a compact file into its header JSON and payload, and put one back together (padding as the writer does). */
function split(bytes: Uint8Array): { header: unknown; payload: Uint8Array } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))), payload: bytes.subarray(8 + length) };
}
function assemble(headerText: string, payload: Uint8Array, lengthLie?: number): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const pre = new Uint8Array(8);
  pre.set([0x44, 0x43, 0x4d, 0x31]);
  new DataView(pre.buffer).setUint32(4, lengthLie ?? header.length, true);
  return concatBytes([pre, header, payload]);
}
const SPLIT = BASES.map(split);

/** int8 → float32 is the largest growth (4×), plus Uint16Array scratch for float16 and the scales. */
const allocBound = (bytes: Uint8Array): number => 4 * bytes.length + 64 * 1024;
const allocText = '4 × the file bytes (int8 → float32) + 64 KiB';
const contract = { errors: [ModelFormatError], names: SOURCE, allocText, allocBound, check: checkAcceptedModel } as const;

describe('decodeCompactModel', () => {
  it('the untouched bases load (the fixtures are sound)', async () => {
    await target.property('valid bases are accepted', base, {
      ...contract, runs: BASES.length * 2, longShare: 0,
      prepare: (i) => BASES[i],
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  });

  it('random bytes, with and without the DCM1 magic and a plausible header length', async () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.tuple(hostileUint32, fc.uint8Array({ maxLength: 512 })).map(([len, rest]) => {
        const pre = Uint8Array.of(0x44, 0x43, 0x4d, 0x31, 0, 0, 0, 0);
        new DataView(pre.buffer).setUint32(4, len, true);
        return concatBytes([pre, rest]);
      }),
    );
    await target.property('random bytes', arb, {
      ...contract, runs: 400, longShare: 1,
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  }, timeoutFor(60_000));

  it('byte mutations of valid int8 and float16 files (header and payload)', async () => {
    await target.property('mutated files', fc.tuple(base, byteEdits(200, 4)), {
      ...contract, runs: 500, longShare: 1,
      prepare: ([i, edits]) => applyByteEdits(BASES[i], edits),
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  }, timeoutFor(60_000));

  it('header lengths that lie: past the end, into the payload, short of the JSON, over the 4 MiB cap', async () => {
    const arb = fc.tuple(base, fc.oneof(hostileUint32, fc.integer({ min: -64, max: 64 })));
    await target.property('header length lies', arb, {
      ...contract, runs: 300, longShare: 0.25,
      prepare: ([i, lie]) => {
        const { header, payload } = SPLIT[i];
        const text = JSON.stringify(header);
        // Small numbers are offsets from the true length; large ones are absolute.
        const length = Math.abs(lie) <= 64 ? Math.max(0, text.length + lie) : lie;
        return assemble(text, payload, length);
      },
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  }, timeoutFor(60_000, 0.25));

  it('header JSON mutated: offsets beyond the buffer, payload sizes, shapes, dtypes, scales, the spec', async () => {
    await target.property('mutated header JSON', fc.tuple(base, jsonEdits(3)), {
      ...contract, runs: 500, longShare: 1,
      prepare: ([i, edits]) => assemble(JSON.stringify(applyJsonEdits(SPLIT[i].header, edits)) ?? 'null', SPLIT[i].payload),
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  }, timeoutFor(60_000));

  it('offsets and payload sizes set to hostile values', async () => {
    const arb = fc.tuple(base, fc.nat(), hostileUint32, fc.boolean());
    await target.property('hostile offsets and payloadBytes', arb, {
      ...contract, runs: 300, longShare: 0.25,
      prepare: ([i, pick, value, payloadField]) => {
        const header = JSON.parse(JSON.stringify(SPLIT[i].header)) as { payloadBytes: number; weights: { offset: number }[] };
        if (payloadField) header.payloadBytes = value;
        else header.weights[pick % header.weights.length].offset = value;
        return assemble(JSON.stringify(header), SPLIT[i].payload);
      },
      run: (bytes) => decodeCompactModel(bytes, SOURCE),
    });
  }, timeoutFor(60_000, 0.25));
});

describe('compactModelFromBase64', () => {
  const B64 = BASES.map(bytesToBase64);
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

  it('random strings, base64 of random bytes, and corrupted base64 of valid files', async () => {
    const arb = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.string({ unit: fc.constantFrom(...ALPHABET, ' ', '\n', '\t'), maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map(bytesToBase64),
      fc.tuple(fc.constantFrom(...B64.keys()), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET, ' ', '\n', '*', 'é', '\u0000')), { minLength: 1, maxLength: 4 }), fc.nat()).map(([i, edits, cut]) => {
        const chars = B64[i].split('');
        for (const [at, c] of edits) chars[at % chars.length] = c;
        const text = chars.join('');
        return cut % 3 === 0 ? text.slice(0, cut % text.length) : text;
      }),
    );
    await target.property('base64: random and corrupted text', arb, {
      ...contract, runs: 300, longShare: 0.5,
      allocBound: (text) => 4 * text.length + 64 * 1024,
      allocText: '3 bytes per 4 characters, then 4 × that (int8 → float32) + 64 KiB',
      run: (text) => compactModelFromBase64(text, SOURCE),
    });
  }, timeoutFor(60_000, 0.5));
});
