import { existsSync, readFileSync, statSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { decodePng } from '../../src/io/png.js';
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { DIGITS_DIR, renderDigitFixtures } from '../fixtures/make-digit-fixtures.js';
import { correlation } from './helpers/draw.js';

const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

describe('test/fixtures/digits', () => {
  // The committed files are what is tested: a missing one fails here, it is never drawn anew by the run
  // (a fixture regenerated and then compared with its own generator could not fail).
  const rendered = renderDigitFixtures();

  it('every fixture is committed (regenerate with `npx vite-node test/fixtures/make-digit-fixtures.ts --write` and commit)', () => {
    const missing = rendered.filter(({ fixture }) => !existsSync(DIGITS_DIR + fixture.file)).map(({ fixture }) => fixture.file);
    expect(missing).toEqual([]);
  });

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
