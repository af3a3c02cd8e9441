import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, InvalidOptionError } from '../../src/errors.js';
import { decodeIdx, parseIdx } from '../../src/data/idx.js';
import { decodeMnist, mnistSetFromIdx, subsetMnist } from '../../src/data/mnist-set.js';
import { caught, craftIdx, craftMnistPair, MNIST_FILES, mnistTestSet, readMnistFile } from './helpers/mnist-files.js';

/** Asserts an IdxFormatError whose message names `source` and contains `fragment`. */
async function expectIdxError(fn: () => unknown, source: string, fragment: RegExp): Promise<void> {
  const e = await caught(fn);
  expect(e).toBeInstanceOf(IdxFormatError);
  expect(e.message).toContain(source);
  expect(e.message).toMatch(fragment);
}

const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes));

describe('parseIdx on the real MNIST files', () => {
  it('reads the training set: 60000 images of 28×28, labels starting 5, 0, 4, 1, 9', () => {
    const images = parseIdx(readMnistFile(MNIST_FILES.trainImages), 'train-images');
    const labels = parseIdx(readMnistFile(MNIST_FILES.trainLabels), 'train-labels');
    expect(images.dims).toEqual([60000, 28, 28]);
    expect(images.data.length).toBe(60000 * 784);
    expect(labels.dims).toEqual([60000]);
    expect([...labels.data.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
  });

  it('reads the test set: 10000 images, 10000 labels in 0..9', () => {
    const set = mnistTestSet();
    expect(set.count).toBe(10000);
    expect(set.images.length).toBe(10000 * 784);
    expect([set.rows, set.cols]).toEqual([28, 28]);
    expect(Math.max(...set.labels)).toBe(9);
    expect(Math.min(...set.labels)).toBe(0);
  });

  it('returns a zero-copy view of the input', () => {
    const bytes = readMnistFile(MNIST_FILES.testLabels);
    const idx = parseIdx(bytes, 'test-labels');
    expect(idx.data.buffer).toBe(bytes.buffer);
    expect(idx.data.byteOffset).toBe(bytes.byteOffset + 8);
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', () => {
    const bytes = craftIdx([3, 2]);
    expect(parseIdx(bytes.slice().buffer, 'ab').dims).toEqual([3, 2]);
  });
});

describe('decodeIdx', () => {
  it('decodes a gzip copy to the same bytes as the plain file', async () => {
    const plain = readMnistFile(MNIST_FILES.testImages);
    const fromGzip = await decodeIdx(gzip(plain), 't10k-images.gz');
    expect(fromGzip.dims).toEqual([10000, 28, 28]);
    expect(Buffer.compare(fromGzip.data, parseIdx(plain, 'plain').data)).toBe(0);
  });

  it('passes uncompressed bytes straight to parseIdx', async () => {
    expect((await decodeIdx(craftIdx([5]), 'plain')).dims).toEqual([5]);
  });

  it('rejects corrupt and truncated gzip, naming the source', async () => {
    const gz = gzip(craftIdx([100, 28, 28]));
    const corrupt = gz.slice();
    for (let i = 20; i < 40; i++) corrupt[i] ^= 0x55;
    await expectIdxError(() => decodeIdx(corrupt, 'bad.gz'), 'bad.gz', /corrupt gzip/);
    await expectIdxError(() => decodeIdx(gz.subarray(0, gz.length - 12), 'cut.gz'), 'cut.gz', /corrupt gzip/);
    const badCrc = gz.slice();
    badCrc[badCrc.length - 6] ^= 1;
    await expectIdxError(() => decodeIdx(badCrc, 'crc.gz'), 'crc.gz', /corrupt gzip/);
  });

  it('stops a gzip that inflates past maxBytes, and past the 64 MiB default', async () => {
    const small = gzip(craftIdx([4000]));
    await expectIdxError(() => decodeIdx(small, 'cap.gz', { maxBytes: 1000 }), 'cap.gz', /at most 1000 bytes/);
    expect((await decodeIdx(small, 'cap.gz', { maxBytes: 4008 })).dims).toEqual([4000]);
    const bomb = gzip(new Uint8Array(80 * 1024 * 1024)); // 80 MiB of zeros, ~80 KB compressed
    await expectIdxError(() => decodeIdx(bomb, 'bomb.gz'), 'bomb.gz', /at most 67108864 bytes/);
  });

  it('checks maxBytes', async () => {
    for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
      const e = await caught(() => decodeIdx(craftIdx([1]), 'x', { maxBytes }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.message).toMatch(/maxBytes/);
    }
  });
});

describe('parseIdx on malformed files', () => {
  it('rejects a wrong magic', async () => {
    await expectIdxError(() => parseIdx(craftIdx([4], { magic: [1, 0] }), 'm.idx'), 'm.idx', /magic 00 00.*got 01 00 08 01/);
    await expectIdxError(() => parseIdx(new TextEncoder().encode('<html>nope'), 'page'), 'page', /magic/);
  });

  it('rejects types other than unsigned byte, naming the code', async () => {
    await expectIdxError(() => parseIdx(craftIdx([4], { type: 0x0d }), 'f.idx'), 'f.idx', /0x0d \(float32\)/);
    await expectIdxError(() => parseIdx(craftIdx([4], { type: 0x07 }), 'u.idx'), 'u.idx', /0x07 \(unknown\)/);
  });

  it('rejects ranks outside 1..4', async () => {
    await expectIdxError(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'r0'), 'r0', /rank of 1 to 4, got 0/);
    await expectIdxError(() => parseIdx(craftIdx([1, 1, 1, 1, 1]), 'r5'), 'r5', /rank of 1 to 4, got 5/);
  });

  it('rejects a truncated header', async () => {
    await expectIdxError(() => parseIdx(new Uint8Array([0, 0]), 'tiny'), 'tiny', /at least 4 bytes, got 2/);
    await expectIdxError(() => parseIdx(craftIdx([10, 28, 28]).subarray(0, 10), 'hdr'), 'hdr', /needs 16 bytes, got 10/);
  });

  it('rejects truncated data and trailing bytes', async () => {
    await expectIdxError(() => parseIdx(craftIdx([2, 28, 28], { payload: 1000 }), 'short'), 'short', /need 1568 bytes.*only 1000/);
    await expectIdxError(() => parseIdx(craftIdx([2, 28, 28], { payload: 1570 }), 'long'), 'long', /2 trailing bytes/);
  });

  it('rejects a header claiming 2^32 − 1 images (or a 2^128 product) without allocating', async () => {
    // Allocating would throw a RangeError, not an IdxFormatError.
    await expectIdxError(() => parseIdx(craftIdx([0xffffffff, 28, 28], { payload: 784 }), 'huge'), 'huge', /truncated data/);
    const max = 0xffffffff;
    await expectIdxError(() => parseIdx(craftIdx([max, max, max, max], { payload: 16 }), 'overflow'), 'overflow', /truncated/);
    const gz = gzip(craftIdx([0xffffffff, 28, 28], { payload: 0 }));
    await expectIdxError(() => decodeIdx(gz, 'huge.gz'), 'huge.gz', /only 0 bytes/);
  });
});

describe('mnistSetFromIdx and decodeMnist', () => {
  it('decodes a plain images file with gzip labels into a set', async () => {
    const set = await decodeMnist(readMnistFile(MNIST_FILES.testImages), gzip(readMnistFile(MNIST_FILES.testLabels)));
    expect(set.count).toBe(10000);
    expect(Buffer.compare(set.labels, mnistTestSet().labels)).toBe(0);
  });

  it('rejects images and labels whose counts differ', async () => {
    const { images, labels } = craftMnistPair(3, [1, 2]);
    await expectIdxError(
      () => decodeMnist(images, labels, { images: 'a-images', labels: 'a-labels' }),
      'a-labels',
      /as many labels as images \(3\), got 2/,
    );
  });

  it('rejects labels above 9', async () => {
    const { images, labels } = craftMnistPair(3, [1, 12, 2]);
    await expectIdxError(() => decodeMnist(images, labels, { labels: 'l.idx' }), 'l.idx', /0\.\.9, got 12 at index 1/);
  });

  it('rejects images that are not [count, 28, 28] and labels that are not rank 1', () => {
    const labels = parseIdx(craftIdx([2]), 'labels');
    expect(() => mnistSetFromIdx(parseIdx(craftIdx([2, 784]), 'i'), labels, 'flat')).toThrow(
      /flat: expected images of rank 3 \[count, 28, 28\], got rank 2 \[2, 784\]/,
    );
    expect(() => mnistSetFromIdx(parseIdx(craftIdx([2, 32, 32]), 'i'), labels, 'big')).toThrow(/28×28 images, got 32×32/);
    expect(() => mnistSetFromIdx(parseIdx(craftIdx([2, 28, 28]), 'i'), parseIdx(craftIdx([2, 1]), 'l'), 'l2')).toThrow(
      /labels of rank 1 \[count\], got rank 2/,
    );
  });
});

describe('subsetMnist', () => {
  it('returns zero-copy views of a range', () => {
    const set = mnistTestSet();
    const sub = subsetMnist(set, 100, 50);
    expect(sub.count).toBe(50);
    expect(sub.images.buffer).toBe(set.images.buffer);
    expect(sub.images.length).toBe(50 * 784);
    expect(sub.images[0]).toBe(set.images[100 * 784]);
    expect(sub.labels[49]).toBe(set.labels[149]);
    expect(subsetMnist(set, 10000, 0).count).toBe(0);
  });

  it('rejects ranges outside the set, naming the argument', () => {
    const set = mnistTestSet();
    expect(() => subsetMnist(set, -1, 1)).toThrow(InvalidOptionError);
    expect(() => subsetMnist(set, 0.5, 1)).toThrow(/start/);
    expect(() => subsetMnist(set, 9990, 11)).toThrow(/count to be an integer in 0\.\.10 .*got 11/);
  });
});
