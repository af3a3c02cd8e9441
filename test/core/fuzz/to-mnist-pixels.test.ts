/**
 * Fuzzing `toMnistPixels` on arbitrary pixel arrays and sizes: random RGBA
 * (8-bit, so never NaN), strokes on random backgrounds in every polarity,
 * all-transparent and flat images, single pixels, 1×N and N×1 lines, and
 * malformed images (lengths that do not match, sizes that are not positive
 * integers, the wrong array types) and options. Every case gives 784 finite
 * values in [0, 1] whose strongest is exactly 1, or an `InvalidOptionError`
 * naming the argument, or an `ImageDecodeError` saying there is no ink.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError, InvalidOptionError } from '../../../src/errors.js';
import { toMnistPixels, type RgbaImage, type ToMnistOptions } from '../../../src/preprocess/to-mnist-pixels.js';
import { blankImage, drawStrokes, type Rgba, type Segment } from '../helpers/draw.js';
import { seededRandom } from '../model-fixtures.js';
import { FuzzTarget, timeoutFor } from './harness.js';

const target = new FuzzTarget('to-mnist-pixels', 'toMnistPixels on arbitrary pixel arrays', ['toMnistPixels']);

/** 784 finite values in [0, 1], the strongest exactly 1 (the function's last step scales to it). */
function checkPixels(out: Float32Array): void {
  expect(out).toBeInstanceOf(Float32Array);
  expect(out.length).toBe(784);
  let max = 0;
  for (const v of out) {
    expect(v >= 0 && v <= 1).toBe(true); // false for NaN as well
    if (v > max) max = v;
  }
  expect(max).toBe(1);
}

/** Output never allocates from anything but the image: a few float arrays of its size, plus the 28×28 field. */
const allocBound = (image: { width: unknown; height: unknown }): number => {
  const w = Number(image.width);
  const h = Number(image.height);
  return Number.isFinite(w * h) && w * h > 0 ? 64 * w * h + (1 << 20) : 1 << 20;
};
const allocText = '64 bytes a pixel + 1 MiB';

const ERRORS = [InvalidOptionError, ImageDecodeError];
const NAMES = ['image', 'options'];

const size = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 48 }) },
  { weight: 1, arbitrary: fc.integer({ min: 49, max: 200 }) },
);
const FEW = [0, 1, 16, 127, 128, 254, 255];
/**
 * Random pixels from a seed (fast-check would draw every byte separately, which
 * costs more than the function under test): uniform noise, or few distinct
 * values for flat patches and hard edges, more like real pictures than noise.
 */
const randomImage = fc.record({ w: size, h: size, seed: fc.nat(), few: fc.boolean() });
function fillImage({ w, h, seed, few }: { w: number; h: number; seed: number; few: boolean }): RgbaImage {
  const rand = seededRandom(seed);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = few ? FEW[Math.floor(rand() * FEW.length)] : Math.floor(rand() * 256);
  return { width: w, height: h, data };
}
const options: fc.Arbitrary<ToMnistOptions> = fc.record(
  { polarity: fc.constantFrom('auto', 'dark-on-light', 'light-on-dark', 'alpha') as fc.Arbitrary<ToMnistOptions['polarity']>, boxSize: fc.integer({ min: 1, max: 28 }) },
  { requiredKeys: [] },
);

describe('toMnistPixels', () => {
  it('random RGBA of random sizes, any valid options', async () => {
    await target.property('random RGBA', fc.tuple(randomImage, options), {
      errors: ERRORS, names: NAMES, runs: 300, longShare: 0.5,
      prepare: ([spec, opts]) => ({ image: fillImage(spec), opts }),
      allocBound: ({ image }) => allocBound(image), allocText,
      run: ({ image, opts }) => toMnistPixels(image, opts),
      check: (out) => checkPixels(out),
    });
  }, timeoutFor(60_000, 0.5));

  it('strokes of random colour, width and place on random flat backgrounds', async () => {
    const colour = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)) as fc.Arbitrary<Rgba>;
    const arb = fc.record({
      w: fc.integer({ min: 1, max: 160 }), h: fc.integer({ min: 1, max: 160 }),
      background: colour, ink: colour, thickness: fc.double({ min: 0.5, max: 20, noNaN: true }),
      segments: fc.array(fc.tuple(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true })), { minLength: 1, maxLength: 5 }),
      opts: options,
    });
    await target.property('strokes on backgrounds', arb, {
      errors: ERRORS, names: NAMES, runs: 250, longShare: 0.5,
      prepare: ({ w, h, background, ink, thickness, segments, opts }) => {
        const image = blankImage(w, h, background);
        drawStrokes(image, segments.map(([a, b, c, d]) => [a * w, b * h, c * w, d * h] as Segment), thickness, ink);
        return { image, opts };
      },
      allocBound: ({ image }) => allocBound(image), allocText,
      run: ({ image, opts }) => toMnistPixels(image, opts),
      check: (out) => checkPixels(out),
    });
  }, timeoutFor(60_000, 0.5));

  it('degenerate shapes: single pixels, 1×N and N×1 lines, all-transparent and flat images', async () => {
    const arb = fc.oneof(
      fc.tuple(fc.constant(1), fc.constant(1)),
      fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 3000 })),
      fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constant(1)),
      fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    ).chain(([w, h]) =>
      fc.oneof(
        fc.constant({ w, h, fill: 'transparent' as const }),
        fc.tuple(fc.nat(255), fc.nat(255)).map(([v, a]) => ({ w, h, fill: 'flat' as const, v, a })),
        fc.tuple(fc.nat(Math.max(0, w * h - 1)), fc.nat(255)).map(([at, v]) => ({ w, h, fill: 'dot' as const, at, v })),
        fc.nat().map((seed) => ({ w, h, fill: 'random' as const, seed })),
      ),
    );
    await target.property('degenerate shapes', fc.tuple(arb, options), {
      errors: ERRORS, names: NAMES, runs: 250, longShare: 0.5,
      prepare: ([c, opts]) => {
        const data = new Uint8ClampedArray(c.w * c.h * 4);
        if (c.fill === 'flat') for (let i = 0; i < data.length; i += 4) data.set([c.v, c.v, c.v, c.a], i);
        if (c.fill === 'dot') data.set([c.v, c.v, c.v, 255], c.at * 4);
        if (c.fill === 'random') data.set(fillImage({ w: c.w, h: c.h, seed: c.seed, few: false }).data);
        return { image: { width: c.w, height: c.h, data }, opts, fill: c.fill };
      },
      allocBound: ({ image }) => allocBound(image), allocText,
      run: ({ image, opts }) => toMnistPixels(image, opts),
      check: (out, { fill }) => {
        expect(fill === 'transparent' || fill === 'flat').toBe(false); // nothing to read there
        checkPixels(out);
      },
    });
  }, timeoutFor(60_000, 0.5));

  it('malformed images and options: mismatched lengths, bad sizes, wrong types', async () => {
    const badNumber = fc.oneof(fc.constantFrom(0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '28', null, undefined), fc.integer({ min: 1, max: 8 }));
    const data = fc.oneof(
      fc.nat(300).map((n) => new Uint8Array(n)),
      fc.nat(300).map((n) => new Uint8ClampedArray(n)),
      fc.nat(40).map((n) => new Float32Array(n)),
      fc.nat(40).map((n) => Array.from({ length: n }, () => 255)),
      fc.constantFrom(null, undefined, 'pixels', {}),
    );
    const image = fc.oneof(
      fc.record({ width: badNumber, height: badNumber, data }),
      fc.constantFrom(null, undefined, 42, 'image.png', []),
    );
    const opts = fc.oneof(
      options as fc.Arbitrary<unknown>,
      fc.record({ polarity: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(null, 1)), boxSize: fc.oneof(fc.double(), fc.constantFrom(0, 29, 1.5, '20')) }, { requiredKeys: [] }),
      fc.constantFrom(null, 'auto', 5),
    );
    await target.property('malformed images and options', fc.tuple(image, opts), {
      errors: ERRORS, names: NAMES, runs: 400, longShare: 0.5,
      run: ([img, o]) => toMnistPixels(img as RgbaImage, o as ToMnistOptions),
      check: (out) => checkPixels(out),
    });
  }, timeoutFor(60_000, 0.5));
});
