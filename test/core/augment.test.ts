import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { AUGMENT_DEFAULTS, augmentBatch, augmentDigit, type AugmentOptions } from '../../src/data/augment.js';
import { permutation } from '../../src/data/permutation.js';
import { createRng } from '../../src/data/rng.js';
import { mnistTestSet } from './helpers/mnist-files.js';

const N = 1000; // images per statistical check
const IDENTITY: AugmentOptions = {
  maxRotationDeg: 0,
  minScale: 1,
  maxScale: 1,
  maxAspect: 0,
  maxShear: 0,
  maxShift: 0,
  thickenProbability: 0,
  thinProbability: 0,
};
const GEOMETRY_ONLY: AugmentOptions = { thickenProbability: 0, thinProbability: 0 };

const set = mnistTestSet();
const image = (i: number): Uint8Array => set.images.subarray(i * 784, (i + 1) * 784);
const firstN = Int32Array.from({ length: N }, (_, i) => i);

/** Augments the first N test images with a fresh rng(seed). */
function augmentFirstN(seed: number, options?: AugmentOptions): Uint8Array {
  const out = new Uint8Array(N * 784);
  augmentBatch(set.images, firstN, 0, N, out, createRng(seed), options);
  return out;
}

function stats(img: Uint8Array): { mass: number; cx: number; cy: number } {
  let mass = 0, cx = 0, cy = 0;
  for (let k = 0; k < 784; k++) {
    mass += img[k];
    cx += img[k] * (k % 28);
    cy += img[k] * Math.floor(k / 28);
  }
  return { mass, cx: cx / mass, cy: cy / mass };
}

function correlation(a: Uint8Array, b: Uint8Array): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += (a[k] - ma) * (b[k] - mb);
    aa += (a[k] - ma) ** 2;
    bb += (b[k] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Index of the first differing byte, or -1 (fast where toEqual on 784,000 bytes is not). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return k;
  return -1;
}

/** Calls check(original, augmented) for each of the first N images. */
function eachPair(out: Uint8Array, check: (src: Uint8Array, aug: Uint8Array) => void): void {
  for (let i = 0; i < N; i++) check(image(i), out.subarray(i * 784, (i + 1) * 784));
}

describe('augmentDigit / augmentBatch', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = augmentFirstN(1);
    expect(firstDifference(augmentFirstN(1), a)).toBe(-1);
    expect(firstDifference(augmentFirstN(2), a)).not.toBe(-1);
  });

  it('augmentBatch matches one augmentDigit call per index, and works in place', () => {
    const order = permutation(set.count, createRng(5));
    const batch = new Uint8Array(8 * 784);
    augmentBatch(set.images, order, 16, 8, batch, createRng(6));
    const rng = createRng(6);
    for (let k = 0; k < 8; k++) {
      const single = new Uint8Array(784);
      augmentDigit(image(order[16 + k]), single, rng);
      expect(batch.subarray(k * 784, (k + 1) * 784)).toEqual(single);
    }
    const inPlace = image(order[16]).slice();
    augmentDigit(inPlace, inPlace, createRng(6));
    expect(inPlace).toEqual(batch.subarray(0, 784));
  });

  it('gives the input back exactly with identity options', () => {
    expect(firstDifference(augmentFirstN(3, IDENTITY), set.images.subarray(0, N * 784))).toBe(-1);
  });

  it('keeps values in 0..255 without wrapping: a saturated digit stays saturated at the centre', () => {
    const white = new Uint8Array(784).fill(255);
    const out = new Uint8Array(784);
    const rng = createRng(4);
    for (let i = 0; i < 200; i++) {
      augmentDigit(white, out, rng, { thickenProbability: 0.5, thinProbability: 0.5 });
      expect(out[14 * 28 + 14]).toBe(255); // a wrap past 255 would read as 0..
      expect(out[13 * 28 + 13]).toBe(255);
    }
    augmentDigit(new Uint8Array(784), out, rng);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('preserves ink mass within a factor of ~3 and moves the centre of mass at most 4 px', () => {
    eachPair(augmentFirstN(7), (src, aug) => {
      const s = stats(src);
      const a = stats(aug);
      expect(a.mass / s.mass).toBeGreaterThan(0.3);
      expect(a.mass / s.mass).toBeLessThan(3.5);
      expect(Math.hypot(a.cx - s.cx, a.cy - s.cy)).toBeLessThan(4);
    });
  });

  it('rotates about the image centre: the ink keeps its distance from (13.5, 13.5)', () => {
    const dist = (s: { cx: number; cy: number }): number => Math.hypot(s.cx - 13.5, s.cy - 13.5);
    eachPair(augmentFirstN(8, { ...IDENTITY, maxRotationDeg: 12 }), (src, aug) => {
      expect(Math.abs(dist(stats(aug)) - dist(stats(src)))).toBeLessThan(0.35);
    });
  });

  it('thickening only adds ink and thinning only removes it (same seed, same geometry)', () => {
    const base = augmentFirstN(9, GEOMETRY_ONLY);
    const thick = augmentFirstN(9, { thickenProbability: 1, thinProbability: 0 });
    const thin = augmentFirstN(9, { thickenProbability: 0, thinProbability: 1 });
    expect(base.every((v, k) => thick[k] >= v && thin[k] <= v)).toBe(true);
    const total = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0);
    expect(total(thick) / total(base)).toBeGreaterThan(1.3);
    expect(total(thin) / total(base)).toBeLessThan(0.85);
  });

  it('keeps a real digit highly correlated with the original (mean r > 0.5)', () => {
    let sum = 0;
    eachPair(augmentFirstN(10), (src, aug) => (sum += correlation(src, aug)));
    expect(sum / N).toBeGreaterThan(0.5);
  });

  it('rejects bad arrays, ranges, indices and options, naming the argument', () => {
    const rng = createRng(1);
    const out = new Uint8Array(784);
    expect(() => augmentDigit(new Uint8Array(783), out, rng)).toThrow(/src to be a Uint8Array of 784, got length 783/);
    expect(() => augmentDigit(image(0), new Uint8Array(10), rng)).toThrow(/out to be/);
    expect(() => augmentDigit(image(0), out, rng, { maxShift: -1 })).toThrow(/maxShift to be a finite number >= 0, got -1/);
    expect(() => augmentDigit(image(0), out, rng, { minScale: 1.2 })).toThrow(/minScale <= maxScale/);
    expect(() => augmentDigit(image(0), out, rng, { thickenProbability: 0.7, thinProbability: 0.5 })).toThrow(
      InvalidOptionError,
    );
    expect(() => augmentBatch(set.images, firstN, 999, 2, new Uint8Array(2 * 784), rng)).toThrow(/size to be an integer in 0\.\.1/);
    expect(() => augmentBatch(set.images, Int32Array.of(10_000), 0, 1, out, rng)).toThrow(/indices\[0\] to be in 0\.\.9999, got 10000/);
    expect(() => augmentBatch(set.images, firstN, 0, 2, out, rng)).toThrow(/out to be a Uint8Array of at least 1568/);
  });

  it('has frozen defaults', () => {
    expect(Object.isFrozen(AUGMENT_DEFAULTS)).toBe(true);
  });
});
