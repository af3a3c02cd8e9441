/**
 * MNIST in the browser: gzip IDX files from the build output (dist/mnist/),
 * fetched with progress on the page or inside the worker.
 */
import type { DownloadProgress, TrainerClient } from '../../workers/index.js';
import { api, MNIST_URL } from './helpers/api.js';
import { assert, equal, rejects } from './helpers/assert.js';

describe('fetchMnist and loadMnist', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('downloads the test split on the page with byte progress, then decodes 10,000 real digits, letting the page run while it inflates', async () => {
    const progress: DownloadProgress[] = [];
    // A task that re-queues itself: it runs only when the page's event loop does. Counted from the last
    // file's download to the end, that is, during the gunzip (1.6 MB → 7.8 MB), which held the page in one
    // task (0 runs) when the whole file went to the decompressor as one chunk.
    const ticker = new MessageChannel();
    let ticks = 0;
    let downloaded = false;
    ticker.port1.onmessage = () => {
      if (downloaded) ticks++;
      ticker.port2.postMessage(null);
    };
    ticker.port2.postMessage(null);
    const loaded = await api
      .fetchMnist({ split: 'test', onProgress: (p) => (progress.push(p), (downloaded = p.filesDone === p.files)) })
      .finally(() => ticker.port1.close());
    assert(ticks >= 5, `the event loop ran ${ticks} times while the test images were inflated (each 64 KiB of them yields once)`);
    const { test } = loaded;
    equal('train' in loaded, false, 'train split (not asked for)');
    equal(test!.count, 10_000, 'test count');
    equal(test!.images.length, 10_000 * 784, 'pixels');
    equal(test!.labels[0], 7, "first test label (MNIST's famous 7)");
    const last = progress[progress.length - 1];
    equal(last.filesDone, 2, 'files done');
    assert(last.total !== null && last.loaded === last.total && last.total > 1_500_000, `bytes ${last.loaded} of ${last.total}`);
    assert(progress.some((p) => p.loaded < last.loaded), 'progress arrives before the end');
  });

  it('keeps only `limit` digits, and names the URL in a FetchError with the HTTP status and what the folder must hold', async () => {
    const { test } = await api.fetchMnist({ baseUrl: MNIST_URL, split: 'test', limit: 100 });
    equal(test!.count, 100, 'limited count');
    equal(test!.images.buffer.byteLength, 78_400, 'the rest is not kept');
    const error = await rejects(api.fetchMnist({ baseUrl: '/no/such/mnist/', split: 'test' }), api.FetchError, /\/no\/such\/mnist\/t10k-.*HTTP 404.*\/no\/such\/mnist\/ must serve the four \.gz files of the package's dist\/mnist\//);
    equal(error.status, 404, 'status');
  });

  it('lets the worker fetch MNIST itself, with progress on the page, and train on it', async () => {
    trainer = await api.createTrainer({ backend: 'wasm', epochs: 1 });
    const progress: DownloadProgress[] = [];
    const counts = await trainer.loadMnist({ limit: 1280, onProgress: (p) => progress.push(p) });
    equal(counts.train, 1280, 'train count');
    equal(counts.test, 1280, 'test count');
    const last = progress[progress.length - 1];
    equal(last.files, 4, 'files');
    assert(last.total !== null && last.total > 11_000_000, `all four files counted: ${last.total}`);
    const [epoch] = await trainer.fit();
    assert(epoch.accuracy > 0.5, `trains on worker-fetched data: ${epoch.accuracy}`);
  });
});
