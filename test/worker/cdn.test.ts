/**
 * Consumed from another origin, as from a CDN: the page imports the build from
 * http://127.0.0.1 while it runs on http://localhost. Browsers start workers
 * from same-origin scripts only, so the client starts a same-origin blob
 * module that imports the worker bundle; the bundle then finds its .wasm files
 * beside itself on the "CDN".
 */
import type * as WorkerApi from '../../workers/index.js';
import { assert, equal } from './helpers/assert.js';

describe('the build served from another origin (CDN)', () => {
  it('starts the worker and finds the .wasm files next to the worker bundle', async () => {
    const cdn = `http://127.0.0.1:${location.port}`;
    assert(cdn !== location.origin, 'a different origin');
    const api: typeof WorkerApi = await import(`${cdn}/dist/worker.js`);
    const trainer = await api.createTrainer({ backend: 'wasm' });
    try {
      equal(trainer.backend.name, 'wasm', 'backend');
      const wasmUrl = trainer.backend.wasmUrl ?? '';
      assert(wasmUrl === `${cdn}/dist/trainer-worker/tfjs-backend-wasm-simd.wasm`, `the .wasm loaded from beside the worker bundle on the CDN: ${wasmUrl}`);
      const { test } = await api.fetchMnist({ split: 'test', limit: 640 });
      equal(test!.count, 640, 'test digits');
      // Chromium files a resource's timing entry a little after its fetch settles (late on a busy machine): wait for it.
      const mnistUrl = `${cdn}/dist/mnist/t10k-images-idx3-ubyte.gz`;
      const fetchedMnist = () => performance.getEntriesByType('resource').some((e) => e.name === mnistUrl);
      for (let waited = 0; !fetchedMnist() && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      assert(fetchedMnist(), `MNIST fetched from beside the build on the CDN by default (${mnistUrl}); resources: ${performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /mnist/.test(n)).join(', ') || 'none with mnist in the name'}`);
    } finally {
      await trainer.terminate();
    }
  });
});
