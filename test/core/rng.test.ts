import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { createRng, type Rng } from '../../src/data/rng.js';
import { permutation } from '../../src/data/permutation.js';

const draw = (rng: Rng, n: number, f: (r: Rng) => number = (r) => r.next()): number[] =>
  Array.from({ length: n }, () => f(rng));

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(createRng(123), 1000)).toEqual(draw(createRng(123), 1000));
    const a = createRng(9);
    const b = createRng(9);
    expect(draw(a, 50, (r) => r.normal())).toEqual(draw(b, 50, (r) => r.normal()));
  });

  it('gives pinned values for a pinned seed (same on every platform)', () => {
    const rng = createRng(42);
    expect(draw(rng, 4, (r) => r.uint32())).toEqual([3825871779, 1851418855, 1383259262, 890322987]);
    expect(draw(createRng(0), 2, (r) => r.uint32())).toEqual([548183886, 1097162541]);
  });

  it('gives different sequences for different, even adjacent, seeds', () => {
    const a = draw(createRng(1), 100);
    const b = draw(createRng(2), 100);
    expect(a.filter((x, i) => x === b[i]).length).toBe(0);
    expect(draw(createRng(-1), 10)).toEqual(draw(createRng(0xffffffff), 10)); // seeds are taken mod 2^32
  });

  it('next() is uniform in [0, 1): mean ~0.5, std ~1/√12, every decile filled', () => {
    const xs = draw(createRng(5), 100_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(std - 1 / Math.sqrt(12))).toBeLessThan(0.005);
    const deciles = new Array(10).fill(0);
    for (const x of xs) deciles[Math.floor(x * 10)]++;
    for (const c of deciles) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('normal() has mean ~0, std ~1 and ~68% within one std', () => {
    const xs = draw(createRng(6), 100_000, (r) => r.normal());
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    const within = xs.filter((x) => Math.abs(x) < 1).length / xs.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const counts = new Array(7).fill(0);
    const rng = createRng(11);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(draw(rng, 100, (r) => r.int(1)).every((x) => x === 0)).toBe(true);
    expect(rng.int(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('fork() gives an independent, reproducible stream', () => {
    const parent = createRng(3);
    const child = parent.fork();
    expect(draw(child, 20)).not.toEqual(draw(parent, 20));
    expect(draw(createRng(3).fork(), 20)).toEqual(draw(createRng(3).fork(), 20));
  });

  it('rejects bad seeds and bounds, naming the argument', () => {
    expect(() => createRng(1.5)).toThrow(InvalidOptionError);
    expect(() => createRng(Number.NaN)).toThrow(/seed to be an integer, got NaN/);
    const rng = createRng(1);
    expect(() => rng.int(0)).toThrow(/n to be an integer in 1\.\.2\^32, got 0/);
    expect(() => rng.int(2.5)).toThrow(InvalidOptionError);
  });
});

describe('permutation', () => {
  const isPermutation = (p: Int32Array): boolean => [...p].sort((a, b) => a - b).every((v, i) => v === i);

  it('is a permutation of 0..n-1, and the same for the same seed', () => {
    const p = permutation(60_000, createRng(1));
    expect(p.length).toBe(60_000);
    expect(isPermutation(p)).toBe(true);
    expect(permutation(60_000, createRng(1))).toEqual(p);
    expect(permutation(60_000, createRng(2))).not.toEqual(p);
    expect([...permutation(10, createRng(7))]).toEqual([1, 0, 2, 5, 7, 6, 8, 3, 4, 9]);
  });

  it('writes into out when given, and handles n = 0 and 1', () => {
    const out = new Int32Array(100);
    expect(permutation(100, createRng(4), out)).toBe(out);
    expect(isPermutation(out)).toBe(true);
    expect(permutation(0, createRng(4)).length).toBe(0);
    expect([...permutation(1, createRng(4))]).toEqual([0]);
  });

  it('draws all 6 orders of 3 items about equally often', () => {
    const rng = createRng(8);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = permutation(3, rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('rejects a bad n or out, naming the argument', () => {
    expect(() => permutation(-1, createRng(1))).toThrow(/n to be an integer/);
    expect(() => permutation(2.5, createRng(1))).toThrow(InvalidOptionError);
    expect(() => permutation(5, createRng(1), new Int32Array(4))).toThrow(/out to be an Int32Array of length 5, got length 4/);
  });
});
