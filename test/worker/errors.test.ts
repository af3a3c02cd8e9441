/**
 * Errors thrown in the worker reach the page as rejected promises with the
 * original message and the typed class (DigitClassifierError family, by
 * `code`); a backend named explicitly that cannot start is a BackendError.
 */
import type { TrainerClient } from '../../workers/index.js';
import { api } from './helpers/api.js';
import { assert, equal, rejects } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';

describe('errors across the worker boundary', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('arrive as the typed class with the original message, code and the worker-side stack', async () => {
    trainer = await api.createTrainer({ backend: 'cpu' });
    const error = await rejects(trainer.reset({ batchSize: 0 }), api.InvalidOptionError, /^Expected batchSize to be an integer >= 1, got 0$/);
    equal(error.code, 'INVALID_OPTION', 'code');
    assert(error instanceof api.DigitClassifierError, 'is a DigitClassifierError');
    assert(/trainer-worker/.test(error.stack ?? ''), `the stack points into the worker script: ${error.stack}`);
    await rejects(trainer.fit(), api.InvalidOptionError, /holds no training and held-out data/);
    await rejects(trainer.predictBatch(new Uint8Array(100)), api.InvalidOptionError, /count × 784 pixels, got a Uint8Array of length 100/);
    await rejects(trainer.predict(new Uint8Array(784 * 2)), api.InvalidOptionError, /one image of 784 pixels \(predictBatch takes many\)/);
  });

  it('a diverging run rejects with TrainingDivergedError', async () => {
    trainer = await api.createTrainer({ backend: 'wasm', epochs: 1, learningRate: 50 });
    await trainer.setData(await smallMnist(3200, 50)); // LossWatch judges after 20 batches
    await rejects(trainer.fit(), api.TrainingDivergedError, /learning rate/);
  });

  it('createTrainer rejects bad trainer options with InvalidOptionError and ends the worker', async () => {
    await rejects(api.createTrainer({ backend: 'cpu', model: 'resnet' as 'mlp' }), api.InvalidOptionError, /resnet/);
    await rejects(api.createTrainer({ backend: 'tpu' as 'cpu' }), api.InvalidOptionError, /Unknown backend "tpu"/);
  });

  it('a forced WASM backend whose binaries cannot be fetched is a BackendError, not a silent fallback', async () => {
    const error = await rejects(api.createTrainer({ backend: 'wasm', wasmPaths: '/no/such/folder/' }), api.BackendError, /"wasm" failed to start/);
    equal(error.code, 'BACKEND', 'code');
  });

  it('a forced WebGPU backend without an adapter is a BackendError naming the reason', async () => {
    await rejects(api.createTrainer({ backend: 'webgpu' }), api.BackendError, /no adapter|navigator\.gpu is missing/);
  });

  it('serializeError/deserializeError keep class, code, extra fields and the cause chain', () => {
    const inner = new api.FetchError('HTTP 404 for x.gz', { status: 404 });
    const outer = new api.BackendError('could not start', { cause: inner });
    const back = api.deserializeError(structuredClone(api.serializeError(outer))) as InstanceType<typeof api.BackendError>;
    assert(back instanceof api.BackendError, 'outer class');
    equal(back.message, 'could not start', 'message');
    const cause = back.cause as InstanceType<typeof api.FetchError>;
    assert(cause instanceof api.FetchError, 'cause class');
    equal(cause.status, 404, 'cause status');
    const type = api.deserializeError(api.serializeError(new TypeError('bad'))) as Error;
    assert(type instanceof TypeError && type.message === 'bad', 'built-in classes by name');
    const dom = api.deserializeError(api.serializeError(new DOMException('gone', 'OperationError'))) as DOMException;
    assert(dom instanceof DOMException && dom.name === 'OperationError', 'DOMException keeps its name');
    equal(api.deserializeError(api.serializeError('a string')), 'a string', 'a thrown non-error');
  });
});
