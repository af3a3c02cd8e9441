/**
 * A worker that dies (fails to load, throws an uncaught error, closes itself)
 * rejects every pending and later call with a WorkerCrashedError instead of
 * leaving promises pending forever; terminate() rejects them with a
 * WorkerTerminatedError.
 */
import type { TrainerClient } from '../../workers/index.js';
import { api, FIXTURE } from './helpers/api.js';
import { assert, equal, rejects, waitFor, within } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';

describe('a worker that dies', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  /** A trainer on the test-hooks worker, training a long run (10 epochs) so a call is pending. */
  async function midTraining(): Promise<{ trainer: TrainerClient; fit: Promise<unknown> }> {
    trainer = await api.createTrainer({ workerUrl: FIXTURE('test-hooks-worker.js'), backend: 'wasm', epochs: 10, batchSize: 16 });
    await trainer.setData(await smallMnist(2000, 100));
    let batches = 0;
    const fit = trainer.fit({ onBatch: () => void batches++ });
    fit.catch(() => undefined);
    await waitFor(() => batches >= 5, 'training to start');
    return { trainer, fit };
  }

  it('rejects createTrainer when the worker script is missing (404)', async () => {
    await rejects(within(api.createTrainer({ workerUrl: FIXTURE('no-such-worker.js') }), 15_000, 'createTrainer'), api.WorkerCrashedError, /failed to load from .*no-such-worker\.js/);
  });

  it('rejects createTrainer when the worker script throws while loading', async () => {
    const error = await rejects(api.createTrainer({ workerUrl: FIXTURE('throws-on-load-worker.js') }), api.WorkerCrashedError, /failed to load/);
    assert(/fails while loading/.test(error.message), `the message carries the script's error: ${error.message}`);
  });

  it('rejects createTrainer when the script never starts the worker runtime', async () => {
    await rejects(api.createTrainer({ workerUrl: FIXTURE('silent-worker.js'), startTimeoutMs: 1000 }), api.WorkerCrashedError, /did not start within 1000 ms/, 5000);
  });

  it('rejects a pending fit, and every later call, when the worker throws an uncaught error', async () => {
    const { trainer: t, fit } = await midTraining();
    t.worker.postMessage({ testCommand: 'throw' });
    const error = await rejects(fit, api.WorkerCrashedError, /crashed: .*boom: an uncaught error in the worker/, 10_000);
    equal(error.code, 'WORKER_CRASHED', 'code');
    await rejects(t.memory(), api.WorkerCrashedError, /crashed/, 1000);
    const stopped = await within(t.stopped, 1000, 'stopped');
    assert(stopped instanceof api.WorkerCrashedError && stopped.message === error.message, 'stopped resolves with the crash');
  });

  it('rejects a pending fit when the worker closes itself without any error event', async () => {
    const { trainer: t, fit } = await midTraining();
    t.worker.postMessage({ testCommand: 'close' });
    await rejects(fit, api.WorkerCrashedError, /stopped without an error/, 10_000);
    await rejects(t.evaluate(), api.WorkerCrashedError, /stopped without an error/, 1000);
  });

  it('terminate() releases the worker and rejects pending and later calls with WorkerTerminatedError', async () => {
    const { trainer: t, fit } = await midTraining();
    await within(t.terminate(), 5000, 'terminate');
    await rejects(fit, api.WorkerTerminatedError, /terminated/, 1000);
    await rejects(t.getWeights(), api.WorkerTerminatedError, /terminated/, 1000);
    assert((await t.stopped) instanceof api.WorkerTerminatedError, 'stopped resolves with the WorkerTerminatedError');
  });
});
