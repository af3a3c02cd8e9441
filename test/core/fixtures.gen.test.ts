import { readFileSync, statSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { decodePng } from '../../src/io/png.js';
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { DIGITS_DIR, makeDigitFixtures, renderDigitFixtures } from '../fixtures/make-digit-fixtures.js';
import { correlation } from './helpers/draw.js';

const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

describe('test/fixtures/digits', () => {
  // Writes only what is missing, so committed fixtures are never rewritten by a test run.
  makeDigitFixtures();
  const rendered = renderDigitFixtures();

  for (const { fixture, image, mnist, label } of rendered) {
    describe(fixture.file, () => {
      const path = DIGITS_DIR + fixture.file;

      it('is named for its true digit and kept under 10 KB', () => {
        expect(label).toBe(fixture.digit);
        expect(fixture.file.startsWith(`${NAMES[fixture.digit]}-`)).toBe(true);
        expect(statSync(path).size).toBeLessThan(10_000);
      });

      it('holds exactly what the generator draws today', () => {
        const decoded = decodePng(readFileSync(path), fixture.file);
        expect([decoded.width, decoded.height]).toEqual([image.width, image.height]);
        expect(Buffer.compare(new Uint8Array(decoded.data.buffer), new Uint8Array(image.data.buffer))).toBe(0);
      });

      it('reads back, through toMnistPixels, as the MNIST digit it came from', () => {
        const pixels = toMnistPixels(decodePng(readFileSync(path), fixture.file));
        // Measured: seven 0.899, three 0.987, four 0.874, two 0.988 (smooth blow-ups of
        // MNIST's own pixels, so the thin 7 and 4 gain a fringe the originals lack).
        expect(correlation(pixels, Array.from(mnist, (v) => v / 255))).toBeGreaterThan(0.85);
      });
    });
  }
});
