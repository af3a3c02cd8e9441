/**
 * Fuzzing the IDX reader, `parseIdx` (plain) and `decodeIdx` (plain or gzip):
 * every case returns a well-formed `IdxArray` or throws an `IdxFormatError`
 * naming the source, quickly, and without allocating from the header. The
 * plain reader returns a view into its input, so its allocation bound is 0
 * bytes: a header claiming 2^32 images costs nothing but its error.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeIdx, parseIdx, type IdxArray } from '../../../src/data/idx.js';
import { IdxFormatError, InvalidOptionError } from '../../../src/errors.js';
import { craftIdx } from '../helpers/mnist-files.js';
import { withAllocationSpy } from './allocation-spy.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, byteEdits, hostileUint32 } from './mutators.js';

const target = new FuzzTarget('idx', 'IDX reader (plain and gzip)', ['parseIdx', 'decodeIdx']);
const SOURCE = 'fuzz/train-images-idx3-ubyte';
const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes));

/** The invariants of a parsed file: rank 1–4, data exactly the dims' product, taken from after the header. */
function checkIdx(result: IdxArray, input: Uint8Array | null): void {
  expect(result.dtype).toBe('uint8');
  expect(result.dims.length).toBeGreaterThanOrEqual(1);
  expect(result.dims.length).toBeLessThanOrEqual(4);
  for (const d of result.dims) expect(Number.isInteger(d) && d >= 0 && d <= 0xffffffff).toBe(true);
  expect(result.data).toBeInstanceOf(Uint8Array);
  expect(result.data.length).toBe(result.dims.reduce((a, b) => a * b, 1));
  if (input) {
    // Plain input: a zero-copy view onto the bytes after the header, ending at the input's end.
    const header = 4 + 4 * result.dims.length;
    expect(result.data.buffer).toBe(input.buffer);
    expect(result.data.byteOffset).toBe(input.byteOffset + header);
    expect(header + result.data.length).toBe(input.length);
  }
}

/** A valid IDX file of rank 1–4 with small random dims and random payload. */
const validIdx = fc
  .array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 })
  .chain((dims) => fc.tuple(fc.constant(dims), fc.uint8Array({ minLength: dims.reduce((a, b) => a * b, 1), maxLength: dims.reduce((a, b) => a * b, 1) })))
  .map(([dims, payload]) => {
    const bytes = craftIdx(dims);
    bytes.set(payload, 4 + 4 * dims.length);
    return bytes;
  });

const MNIST_LIKE = [craftIdx([3, 28, 28]), craftIdx([5]), craftIdx([2, 2, 2, 2])];

/** Random bytes, half of them behind a plausible magic so the parser gets past the first check. */
const randomIdxBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 2048 }),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 512 })).map(([rank, rest]) => Uint8Array.of(0, 0, 8, rank, ...rest)),
);

/** A header claiming at least one absurd dimension (≥ 2^20), with a small payload. */
const hugeClaim = fc
  .tuple(
    fc.array(hostileUint32, { minLength: 1, maxLength: 4 }),
    fc.constantFrom(0xffffffff, 0x80000000, 2 ** 32 - 2, 2 ** 24, 2 ** 20, 60000 * 784 * 4),
    fc.nat({ max: 3 }),
    fc.integer({ min: 0, max: 2000 }),
  )
  .map(([dims, huge, at, payload]) => {
    // Any other dim of 0 would make the claim honest: 2^32 × 0 images is an empty, valid file.
    const d = dims.map((x) => x || 1);
    d[at % d.length] = huge;
    return craftIdx(d, { payload });
  });

const plain = { errors: [IdxFormatError], names: SOURCE, allocBound: () => 0, allocText: '0 bytes: the result is a view into the input' } as const;

describe('parseIdx (plain IDX)', () => {
  it('random bytes: a well-formed view or IdxFormatError, allocating nothing', async () => {
    await target.property('parseIdx: random bytes', randomIdxBytes, {
      ...plain, runs: 400, longShare: 1,
      run: (bytes) => parseIdx(bytes, SOURCE),
      check: (r, bytes) => checkIdx(r, bytes),
    });
  }, timeoutFor(60_000));

  it('valid files of rank 1–4 are read exactly', async () => {
    await target.property('parseIdx: valid files are accepted', validIdx, {
      ...plain, runs: 200, longShare: 0.25,
      run: (bytes) => parseIdx(bytes, SOURCE),
      check: (r, bytes) => {
        checkIdx(r, bytes);
        const header = 4 + 4 * bytes[3];
        expect(r.dims).toEqual(Array.from({ length: bytes[3] }, (_, i) => new DataView(bytes.buffer).getUint32(4 + 4 * i)));
        expect(Buffer.from(r.data).equals(Buffer.from(bytes.subarray(header)))).toBe(true);
      },
    });
  }, timeoutFor(60_000, 0.25));

  it('valid files with mutated magic, type, rank, dims and lengths, truncated or extended', async () => {
    const arb = fc.tuple(fc.constantFrom(...MNIST_LIKE.keys()), byteEdits(20)).map(([i, edits]) => applyByteEdits(MNIST_LIKE[i], edits));
    await target.property('parseIdx: mutated valid files', arb, {
      ...plain, runs: 500, longShare: 1,
      run: (bytes) => parseIdx(bytes, SOURCE),
      check: (r, bytes) => checkIdx(r, bytes),
    });
  }, timeoutFor(60_000));

  it('headers claiming 2^32 images (or any dim ≥ 2^20) are rejected before any allocation', async () => {
    await target.property('parseIdx: crafted huge-count headers', hugeClaim, {
      ...plain, runs: 300, longShare: 0.5, mustReject: true,
      run: (bytes) => parseIdx(bytes, SOURCE),
      check: () => undefined,
    });
  }, timeoutFor(60_000, 0.5));

  it('…and 2000 such headers in a row move neither time nor memory', async () => {
    const hostile = [craftIdx([0xffffffff, 28, 28], { payload: 784 }), craftIdx([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], { payload: 16 })];
    const before = process.memoryUsage();
    const t0 = performance.now();
    const { allocations } = await withAllocationSpy(() => {
      for (let i = 0; i < 2000; i++) {
        try {
          parseIdx(hostile[i % 2], SOURCE);
          throw new Error('accepted a 2^32-image header');
        } catch (e) {
          if (!(e instanceof IdxFormatError)) throw e;
        }
      }
    });
    const ms = performance.now() - t0;
    const after = process.memoryUsage();
    expect(allocations.total).toBe(0);
    expect(ms / 2000).toBeLessThan(1); // well under a millisecond each
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(1 << 20);
  });
});

describe('decodeIdx (plain or gzip)', () => {
  /** What was compressed, and the gzip bytes (possibly mutated after compression). */
  const gzipped = fc.oneof(
    randomIdxBytes.map((raw) => ({ raw, mutated: false })),
    validIdx.map((raw) => ({ raw, mutated: false })),
    hugeClaim.map((raw) => ({ raw, mutated: false })),
    fc.tuple(fc.constantFrom(...MNIST_LIKE.keys()), byteEdits(20)).map(([i, edits]) => ({ raw: applyByteEdits(MNIST_LIKE[i], edits), mutated: false })),
  ).chain(({ raw }) =>
    fc.oneof(
      fc.constant({ raw, gz: gzip(raw), mutated: false }),
      byteEdits(12, 3).map((edits) => ({ raw, gz: applyByteEdits(gzip(raw), edits), mutated: true })),
    ),
  );
  const MAX = 1 << 20;

  it('gzip of random, valid, mutated and hostile files, then corrupted: a result or IdxFormatError', async () => {
    await target.property('decodeIdx: gzip, corrupted after compression', gzipped, {
      errors: [IdxFormatError], names: SOURCE, runs: 150, longShare: 0.2,
      // Our code allocates only to join the inflated chunks: at most what was compressed, or maxBytes for a corrupted stream.
      allocBound: ({ raw, mutated }) => (mutated ? MAX : raw.length),
      allocText: 'the inflated size (maxBytes = 1 MiB when the stream was corrupted)',
      run: ({ gz }) => decodeIdx(gz, SOURCE, { maxBytes: MAX }),
      check: (r, { raw, mutated }) => {
        checkIdx(r, null);
        if (!mutated) expect(Buffer.from(r.data).equals(Buffer.from(raw.subarray(4 + 4 * r.dims.length)))).toBe(true);
      },
    });
  }, timeoutFor(60_000, 0.2));

  it('gzip bombs stop at maxBytes, allocating no more than it', async () => {
    const bombs = [1 << 16, 1 << 20, 16 << 20].map((n) => ({ n, gz: gzip(craftIdx([n], { payload: n })) }));
    const arb = fc.tuple(fc.constantFrom(...bombs.keys()), fc.integer({ min: 1, max: 2 << 20 }));
    await target.property('decodeIdx: gzip bombs against maxBytes', arb, {
      errors: [IdxFormatError], names: SOURCE, runs: 20, longShare: 0.01,
      allocBound: ([, maxBytes]) => maxBytes, allocText: 'maxBytes',
      run: ([b, maxBytes]) => decodeIdx(bombs[b].gz, SOURCE, { maxBytes }),
      check: (r, [b, maxBytes]) => {
        expect(bombs[b].n + 8).toBeLessThanOrEqual(maxBytes);
        checkIdx(r, null);
      },
    });
  }, timeoutFor(60_000, 0.05));

  it('hostile maxBytes options: InvalidOptionError naming maxBytes', async () => {
    const arb = fc.oneof(fc.double(), fc.integer({ max: 0 }), fc.constantFrom(2 ** 53, -0, Infinity, NaN, 0.5));
    await target.property('decodeIdx: hostile maxBytes', arb, {
      errors: [InvalidOptionError, IdxFormatError], names: (m) => (Number.isSafeInteger(m) && m >= 1 ? SOURCE : 'maxBytes'), runs: 100, longShare: 0.05,
      run: (maxBytes) => decodeIdx(craftIdx([4]), SOURCE, { maxBytes }),
      check: (r, maxBytes) => {
        expect(Number.isSafeInteger(maxBytes) && maxBytes >= 1).toBe(true);
        checkIdx(r, null);
      },
    });
  }, timeoutFor(30_000, 0.05));
});
