/**
 * "Learn my handwriting" in a real worker (rollup build): the page starts the
 * worker from the shipped CNN's weights, the worker loads MNIST training
 * digits to rehearse, and `adapt` (default settings) learns a synthetic
 * writer's ten drawings; the worker's `predict`, `evaluate` and `getWeights`
 * then use the adapted model. An abort first leaves the model as it was.
 * The seconds it takes are printed for the log, never asserted; the README's
 * figures (held to the 10 s target) come from `node bench/bench-browser.mjs --only adapt-cnn`.
 */
import type { AdaptProgress, ModelWeights, TrainerClient } from '../../workers/index.js';
import { api, MNIST_URL } from './helpers/api.js';
import { assert, equal, rejects } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';
import { readWriterFixture } from '../fixtures/writers/read-writer-fixture.mjs';

const { loadPretrained } = (await import(new URL('/dist/src/pretrained/load-pretrained.js', location.origin).href)) as { loadPretrained: (name: 'cnn') => ModelWeights };

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('adapt in a worker (rollup build)', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('adapts the shipped CNN to ten drawings, rehearsing the MNIST it loaded; an abort first changes nothing', async () => {
    const { examples, others } = await readWriterFixture();
    const shipped = loadPretrained('cnn');
    const t0 = performance.now();
    trainer = await api.createTrainer({ backend: 'wasm', model: shipped });
    await trainer.loadMnist({ baseUrl: MNIST_URL, split: 'train', limit: 10_000 });
    const loadedAt = performance.now();
    const read = async (images: Float32Array) => (await trainer!.predictBatch(images)).map((p) => p.digit);
    const before = await read(others);
    await trainer.setData({ test: (await smallMnist(1, 1000)).test });
    const mnistBefore = (await trainer.evaluate()).accuracy;
    const tensors = (await trainer.memory()).numTensors;

    // An abort at the first progress report: AbortError, and the model reads as before.
    const controller = new AbortController();
    await rejects(trainer.adapt({ images: examples, labels: DIGITS }, { signal: controller.signal, onProgress: () => controller.abort('changed my mind') }), api.AbortError, /at step \d+ of 120/);
    equal((await read(others)).join(), before.join(), 'readings after an aborted adapt');
    await rejects(trainer.adapt({ images: examples, labels: [...DIGITS, 1] }), api.InvalidOptionError, /one digit per drawing \(10\), got 11/);

    const progress: AdaptProgress[] = [];
    const t1 = performance.now();
    const result = await trainer.adapt({ images: examples, labels: DIGITS }, { seed: 1, onProgress: (p) => progress.push(p) });
    const adaptSeconds = (performance.now() - t1) / 1000;
    console.log(`adapt in the worker: ${adaptSeconds.toFixed(2)} s; createTrainer + loadMnist(10,000) + adapt ${((loadedAt - t0) / 1000 + adaptSeconds).toFixed(2)} s (${navigator.userAgent.match(/(Chrome|Firefox|Version)\/[\d.]+/)?.[0] ?? 'browser'})`);
    equal(result.examples, 10, 'drawings learned');
    equal(result.examplesAccuracy, 1, 'the ten drawings read right after');
    assert(result.examplesAccuracyBefore < 1, `some of the ten were misread before (${result.examplesAccuracyBefore})`);
    assert(progress.length >= 2 && progress.length < 120, `progress arrives in groups: ${progress.length} reports`);
    equal(progress[progress.length - 1].step, 120, 'the last step is reported');

    const after = await read(others);
    equal(after.join(), DIGITS.join(), 'the writer\'s other drawings, read by the worker\'s predict after');
    assert(before.join() !== DIGITS.join(), `the shipped CNN misreads some of them: ${before.join()}`);
    const mnistAfter = (await trainer.evaluate()).accuracy;
    assert(mnistAfter >= mnistBefore - 0.005, `MNIST kept: ${mnistBefore} -> ${mnistAfter}`);
    const weights = await trainer.getWeights();
    const values = (w: ModelWeights, name: string) => Array.from(w.weights.find((t) => t.name === name)!.values);
    equal(values(weights, 'conv2d_1/kernel').join(), values(shipped, 'conv2d_1/kernel').join(), 'frozen convolutions');
    assert(values(weights, 'dense_2/bias').join() !== values(shipped, 'dense_2/bias').join(), 'the dense head moved');
    equal((await trainer.memory()).numTensors, tensors, 'tensors after adapting');
  });
});
