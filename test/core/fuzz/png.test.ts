/**
 * Fuzzing the PNG path of `predict`: `decodePng`, then `toMnistPixels`, then
 * the model. Random bytes, valid PNGs of every colour type and depth mutated
 * (with their CRCs broken, and re-signed so mutations reach the inflater,
 * unfilterer and palette code), hostile chunk lengths, and headers claiming
 * huge dimensions. Every case yields 784 values in [0, 1] and a digit, or an
 * `ImageDecodeError` naming the file (or `toMnistPixels`' typed errors for a
 * decoded image without ink); allocation stays proportional to the file,
 * whatever its header claims.
 */
import fc from 'fast-check';
import { encode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError, InvalidOptionError } from '../../../src/errors.js';
import { createInference } from '../../../src/inference/index.js';
import { decodePng, encodePng, MAX_PNG_PIXELS } from '../../../src/io/png.js';
import { loadPretrained } from '../../../src/pretrained/load-pretrained.js';
import { toMnistPixels } from '../../../src/preprocess/to-mnist-pixels.js';
import { blankImage, drawStrokes, place, SHAPES } from '../helpers/draw.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, byteEdits, concatBytes, hostileUint32 } from './mutators.js';
import { chunk, craftPng, fixCrcs, idat, ihdr, png, PNG_SIGNATURE } from './png-craft.js';

const target = new FuzzTarget('png', 'PNG path of predict (decodePng → toMnistPixels → model)', ['decodePng', 'toMnistPixels', 'Inference.predict']);
const SOURCE = 'fuzz/upload.png';
const inference = createInference(loadPretrained('mlp'));

/** Valid PNGs of every colour type and depth, drawn digits, and the repository's photo-like fixtures. */
const BASES: Uint8Array[] = (() => {
  const seven = blankImage(40, 40, [255, 255, 255, 255]);
  drawStrokes(seven, place(SHAPES.seven, 8, 6, 24, 28), 4, [0, 0, 0, 255]);
  const alpha = blankImage(36, 36, [0, 0, 0, 0]);
  drawStrokes(alpha, place(SHAPES.one, 8, 4, 20, 28), 3, [20, 40, 200, 255]);
  const chalk = blankImage(32, 24, [30, 40, 30, 255]);
  drawStrokes(chalk, place(SHAPES.zero, 8, 2, 16, 20), 3, [230, 230, 220, 255]);
  const ring = (x: number, y: number) => (Math.abs(Math.hypot(x - 8, y - 7) - 5) < 1.5 ? 1 : 0);
  const fixtures = ['four-alpha', 'seven-dark-on-light', 'three-light-on-dark', 'two-pencil-photo'].map(
    (name) => new Uint8Array(readFileSync(new URL(`../../fixtures/digits/${name}.png`, import.meta.url))),
  );
  return [
    encodePng(seven), encodePng(alpha), encodePng(chalk),
    ...[1, 2, 4, 8, 16].map((d) => craftPng(17, 15, d, 0, (x, y) => (1 - ring(x, y)) * (2 ** d - 1))),
    craftPng(17, 15, 16, 2, (x, y, c) => (c === 2 ? 65535 : (1 - ring(x, y)) * 65535)),
    craftPng(17, 15, 8, 4, (x, y, c) => (c === 0 ? 0 : ring(x, y) * 255)),
    craftPng(17, 15, 16, 6, (x, y, c) => (c === 3 ? ring(x, y) * 65535 : 1000)),
    ...[1, 2, 4, 8].map((d) => craftPng(17, 15, d, 3, (x, y) => ring(x, y) * Math.min(3, 2 ** d - 1), Math.min(4, 2 ** d))),
    encode({ width: 20, height: 20, data: new Uint8Array(seven.data.buffer.slice(0, 1600)), channels: 4 }, { interlace: 'Adam7' }),
    ...fixtures,
  ];
})();
const base = fc.constantFrom(...BASES.keys());

/**
 * Deflate inflates at most 1032:1, and the widest expansion after that is
 * 1-bit grey to 8-bit RGBA (32×), with a few buffers along the way: about
 * 40 000 × the file size, plus 1 MiB for fixed costs. A bound on the file,
 * not on what its header claims.
 */
const allocBound = (bytes: Uint8Array): number => 40_000 * bytes.length + (1 << 20);
const allocText = '40 000 × the file size + 1 MiB (deflate ≤ 1032:1, then ≤ 32× to RGBA)';

interface Predicted {
  width: number;
  height: number;
  pixels: Float32Array;
  digit: number;
}

/** decodePng → toMnistPixels → predict, as the CLI's predict does. */
function predictPng(bytes: Uint8Array): Predicted {
  const image = decodePng(bytes, SOURCE);
  expect(image.width * image.height * 4).toBe(image.data.length);
  const pixels = toMnistPixels(image);
  const { digit } = inference.predict(pixels);
  return { width: image.width, height: image.height, pixels, digit };
}

function checkPredicted(r: Predicted): void {
  expect(r.width >= 1 && r.height >= 1 && r.width * r.height <= MAX_PNG_PIXELS).toBe(true);
  expect(r.pixels.length).toBe(784);
  for (const v of r.pixels) expect(v >= 0 && v <= 1).toBe(true); // also false for NaN
  expect(Number.isInteger(r.digit) && r.digit >= 0 && r.digit <= 9).toBe(true);
}

const contract = {
  // toMnistPixels names the image rather than the file: "no ink found in the W×H image".
  errors: [ImageDecodeError, InvalidOptionError], names: [SOURCE, 'image'],
  allocBound, allocText, check: checkPredicted, run: predictPng,
} as const;

describe('the PNG path of predict', () => {
  it('the untouched bases decode and predict (the fixtures are sound)', async () => {
    await target.property('valid bases are accepted', base, {
      ...contract, runs: BASES.length * 2, longShare: 0,
      prepare: (i) => BASES[i],
    });
  });

  it('random bytes, with and without the PNG signature', async () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 128 }),
      fc.uint8Array({ maxLength: 512 }).map((rest) => concatBytes([PNG_SIGNATURE, rest])),
      fc.uint8Array({ maxLength: 128 }).map((rest) => concatBytes([PNG_SIGNATURE, ihdr(8, 8, 8, 0), rest])),
    );
    await target.property('random bytes', arb, { ...contract, runs: 300, longShare: 0.5 });
  }, timeoutFor(60_000, 0.5));

  it('valid PNGs of every colour type and depth, mutated (CRCs then broken)', async () => {
    await target.property('mutated PNGs', fc.tuple(base, byteEdits(40, 4)), {
      ...contract, runs: 300, longShare: 0.5,
      prepare: ([i, edits]) => applyByteEdits(BASES[i], edits),
    });
  }, timeoutFor(60_000, 0.5));

  it('valid PNGs mutated, then re-signed with correct CRCs, so the damage reaches inflate, unfilter and the palette', async () => {
    await target.property('mutated PNGs with valid CRCs', fc.tuple(base, byteEdits(40, 4)), {
      ...contract, runs: 300, longShare: 0.5,
      prepare: ([i, edits]) => fixCrcs(applyByteEdits(BASES[i], edits)),
    });
  }, timeoutFor(60_000, 0.5));

  it('headers claiming huge dimensions (within and beyond the 40 MP cap) over a few bytes of data are refused', async () => {
    const side = fc.oneof(fc.integer({ min: 1000, max: 40_000 }), fc.constantFrom(0, 65536, 100_000, 0x7fffffff, 0x80000000, 0xffffffff));
    const arb = fc.record({
      width: side,
      height: side,
      type: fc.constantFrom<[number, number]>([0, 1], [0, 8], [0, 16], [2, 8], [2, 16], [3, 1], [3, 8], [4, 16], [6, 8], [6, 16]),
      interlace: fc.constantFrom(0, 1),
      rawBytes: fc.integer({ min: 0, max: 2000 }),
      fill: fc.integer({ min: 0, max: 255 }),
    });
    await target.property('huge claimed dimensions', arb, {
      ...contract, runs: 200, longShare: 0.25, mustReject: true,
      // Refused from the header and the IDAT length alone: nothing beyond the file itself.
      allocBound: (bytes) => bytes.length, allocText: 'the file size: refused before the decoder runs',
      prepare: ({ width, height, type: [colourType, depth], interlace, rawBytes, fill }) => {
        const chunks = [ihdr(width, height, depth, colourType, interlace)];
        if (colourType === 3) chunks.push(chunk('PLTE', [0, 0, 0, 255, 255, 255]));
        chunks.push(idat(new Uint8Array(rawBytes).fill(fill)));
        return png(...chunks);
      },
      // Over the cap, or far more pixels than a few hundred bytes of deflate can hold.
      check: (r) => expect(r.width * r.height).toBeLessThan(1000 * 1000),
    });
  }, timeoutFor(60_000, 0.25));

  it('chunk lengths that lie (0, 2^31, 2^32 − 1, off by a few) in every chunk', async () => {
    const arb = fc.tuple(base, fc.nat(), fc.oneof(hostileUint32, fc.integer({ min: -8, max: 8 })));
    await target.property('lying chunk lengths', arb, {
      ...contract, runs: 200, longShare: 0.25,
      prepare: ([i, pick, lie]) => {
        const bytes = Uint8Array.from(BASES[i]);
        const view = new DataView(bytes.buffer);
        const starts: number[] = [];
        for (let o = 8; o + 12 <= bytes.length; o += 12 + view.getUint32(o)) starts.push(o);
        const at = starts[pick % starts.length];
        const length = view.getUint32(at);
        view.setUint32(at, Math.abs(lie) <= 8 ? Math.max(0, length + lie) : lie);
        return bytes;
      },
    });
  }, timeoutFor(60_000, 0.25));
});
