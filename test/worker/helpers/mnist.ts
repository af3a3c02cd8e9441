/** Small real-MNIST sets for the browser tests, from the build output's .gz files. */
import type { MnistSet } from '../../../workers/index.js';
import { api, MNIST_URL } from './api.js';

let cached: Promise<MnistSet> | null = null;

/** The 10,000 test digits, downloaded once per page. */
function testSplit(): Promise<MnistSet> {
  cached ??= api.fetchMnist({ baseUrl: MNIST_URL, split: 'test' }).then((d) => d.test!);
  return cached;
}

/**
 * Fresh copies (safe to transfer) of disjoint train and held-out subsets of
 * MNIST's test split: `train` digits from the start, `test` from index 8000.
 */
export async function smallMnist(train: number, test: number): Promise<{ train: MnistSet; test: MnistSet }> {
  const all = await testSplit();
  const take = (start: number, count: number): MnistSet => ({
    images: all.images.slice(start * 784, (start + count) * 784),
    labels: all.labels.slice(start, start + count),
    count,
    rows: 28,
    cols: 28,
  });
  return { train: take(0, train), test: take(8000, test) };
}
