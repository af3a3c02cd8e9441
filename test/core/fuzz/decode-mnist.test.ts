/**
 * Fuzzing `decodeMnist`, which takes an images file and a labels file (each
 * plain or gzip) from anywhere: a well-formed `MnistSet` (count images of
 * 28×28, as many labels, each 0–9) or an `IdxFormatError` naming one of the
 * two files.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMnist, type MnistSet } from '../../../src/data/mnist-set.js';
import { IdxFormatError } from '../../../src/errors.js';
import { craftMnistPair } from '../helpers/mnist-files.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, byteEdits } from './mutators.js';

const target = new FuzzTarget('decode-mnist', 'MNIST pair decoder', ['decodeMnist']);
const NAMES = { images: 'fuzz/t10k-images-idx3-ubyte', labels: 'fuzz/t10k-labels-idx1-ubyte' };

function checkSet(set: MnistSet): void {
  expect(set.rows).toBe(28);
  expect(set.cols).toBe(28);
  expect(Number.isInteger(set.count) && set.count >= 0).toBe(true);
  expect(set.images.length).toBe(set.count * 784);
  expect(set.labels.length).toBe(set.count);
  for (const l of set.labels) expect(l).toBeLessThanOrEqual(9);
}

const BASE = craftMnistPair(4, [7, 2, 1, 0]);

/** One file of the pair: untouched or mutated, then plain or gzip (the gzip maybe corrupted too). */
function file(base: Uint8Array, hot: number): fc.Arbitrary<Uint8Array> {
  const raw = fc.oneof({ arbitrary: fc.constant(base), weight: 1 }, { arbitrary: byteEdits(hot).map((e) => applyByteEdits(base, e)), weight: 3 });
  return fc.tuple(raw, fc.constantFrom('plain', 'gzip', 'gzip-corrupt'), byteEdits(12, 2)).map(([bytes, form, edits]) => {
    if (form === 'plain') return bytes;
    const gz = new Uint8Array(gzipSync(bytes));
    return form === 'gzip' ? gz : applyByteEdits(gz, edits);
  });
}

describe('decodeMnist', () => {
  it('mutated image and label files, plain or gzip: a well-formed set or IdxFormatError naming a file', async () => {
    await target.property('decodeMnist: mutated pairs', fc.tuple(file(BASE.images, 16), file(BASE.labels, 12)), {
      errors: [IdxFormatError], names: [NAMES.images, NAMES.labels], runs: 250, longShare: 0.25,
      allocBound: () => 1 << 20, allocText: 'maxBytes = 1 MiB: nothing from a header',
      run: ([images, labels]) => decodeMnist(images, labels, NAMES, { maxBytes: 1 << 20 }),
      check: (set) => checkSet(set),
    });
  }, timeoutFor(60_000, 0.25));

  it('labels above 9, counts that differ, shapes that are not 28×28', async () => {
    const arb = fc.tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.array(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 9 }), weight: 9 }, { arbitrary: fc.integer({ min: 10, max: 255 }), weight: 1 }), { maxLength: 6 }),
      fc.oneof({ arbitrary: fc.constant(28), weight: 3 }, { arbitrary: fc.constantFrom(27, 29, 0, 1), weight: 1 }),
    ).map(([count, labels, side]) => {
      const pair = craftMnistPair(count, labels);
      new DataView(pair.images.buffer).setUint32(8, side);
      return pair;
    });
    await target.property('decodeMnist: inconsistent pairs', arb, {
      errors: [IdxFormatError], names: [NAMES.images, NAMES.labels], runs: 200, longShare: 0.1,
      run: ({ images, labels }) => decodeMnist(images, labels, NAMES),
      check: (set, { labels }) => {
        checkSet(set);
        expect(set.count).toBe(labels.length - 8);
      },
    });
  }, timeoutFor(30_000, 0.1));
});
