import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { decodePng } from '../../src/io/png.js';
import { renderWriterFixture, WRITER_FIXTURE } from '../fixtures/make-writer-fixture.js';
import {
  characterDrawings, DEVELOPMENT_WRITERS, HELD_OUT_WRITERS, LETTER_TUNING_WRITERS, NON_DIGIT_LETTERS, rasterizePolygons, WIDE_TUNING_WRITERS, EXTRA_TUNING_WRITERS, writerDrawings,
} from '../synthetic/index.js';

describe('synthetic handwriting', () => {
  it('fills polygons with exact area coverage, nonzero winding, anti-aliased edges', () => {
    // A 2.5 × 2 rectangle from x 0.75: columns 0 and 3 partly covered.
    const { data } = rasterizePolygons([[0.75, 1, 3.25, 1, 3.25, 3, 0.75, 3]], 4, 4);
    expect(data[1 * 4 + 0]).toBeCloseTo(0.25, 5);
    expect(data[1 * 4 + 1]).toBeCloseTo(1, 5);
    expect(data[2 * 4 + 3]).toBeCloseTo(0.25, 5);
    expect(data[0]).toBe(0);
    const area = data.reduce((s, v) => s + v, 0);
    expect(area).toBeCloseTo(5, 5);
    // A hole drawn the other way round stays empty; the same square twice is still 1.
    const ring = rasterizePolygons([[0, 0, 4, 0, 4, 4, 0, 4], [1, 1, 1, 3, 3, 3, 3, 1]], 4, 4).data;
    expect(ring[1 * 4 + 1]).toBe(0);
    expect(ring[0]).toBe(1);
    const twice = rasterizePolygons([[0, 0, 4, 0, 4, 4, 0, 4], [0, 0, 4, 0, 4, 4, 0, 4]], 4, 4).data;
    expect(twice[5]).toBe(1);
  });

  it('draws every writer as pad-like 28×28 digits, seeded, different across writers and drawings', () => {
    // The lists never share a font (the held-out figures rest on it).
    const lists = [DEVELOPMENT_WRITERS, HELD_OUT_WRITERS, LETTER_TUNING_WRITERS, WIDE_TUNING_WRITERS, EXTRA_TUNING_WRITERS];
    expect(new Set(lists.flat()).size).toBe(lists.reduce((n, l) => n + l.length, 0));
    const a = writerDrawings('caveat', { perDigit: 2, seed: 7 });
    expect(a.count).toBe(20);
    expect(Array.from(a.labels.slice(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(writerDrawings('caveat', { perDigit: 2, seed: 7 }).images).toEqual(a.images);
    for (let i = 0; i < a.count; i++) {
      const img = a.images.subarray(i * 784, (i + 1) * 784);
      expect(Math.max(...img)).toBe(1);
      // Read by the pad's preprocessing: centre of mass at MNIST's (14, 14).
      let m = 0, cx = 0, cy = 0;
      img.forEach((v, j) => { m += v; cx += v * (j % 28); cy += v * Math.floor(j / 28); });
      expect(Math.abs(cx / m - 14)).toBeLessThan(0.1);
      expect(Math.abs(cy / m - 14)).toBeLessThan(0.1);
    }
    const diff = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]), 0);
    const first7 = a.images.subarray(7 * 784, 8 * 784);
    const second7 = a.images.subarray(17 * 784, 18 * 784);
    const other7 = writerDrawings('rock-salt', { perDigit: 1, seed: 7 }).images.subarray(7 * 784, 8 * 784);
    expect(diff(first7, second7)).toBeGreaterThan(5);
    expect(diff(first7, other7)).toBeGreaterThan(diff(first7, second7));
    const letters = characterDrawings('kalam', NON_DIGIT_LETTERS, { perCharacter: 1, seed: 1 });
    expect(letters.count).toBe(NON_DIGIT_LETTERS.length);
    expect(() => characterDrawings('kalam', '\u4e00')).toThrow(/no glyph/);
  });

  it('the browser tests\' writer fixture holds what the generator draws today (regenerate: npx vite-node test/fixtures/make-writer-fixture.ts --write)', () => {
    const committed = decodePng(readFileSync(WRITER_FIXTURE), 'handlee-2x10.png');
    const drawn = renderWriterFixture();
    expect([committed.width, committed.height]).toEqual([280, 56]);
    expect(Buffer.compare(Buffer.from(committed.data), Buffer.from(drawn.data))).toBe(0);
  });
});
