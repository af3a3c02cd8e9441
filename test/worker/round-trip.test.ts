/**
 * A real `new Worker()` round trip on the rollup build: the worker starts,
 * picks WASM, takes transferred MNIST, trains a few hundred steps with falling
 * loss, reports per batch and per epoch, and leaks no tensors.
 */
import type { BatchProgress, EpochResult, TrainerClient } from '../../workers/index.js';
import { api } from './helpers/api.js';
import { assert, equal, headTail, sleep, waitFor } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';

describe('worker round trip on WASM (rollup build)', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('trains 300 steps of the lesson MLP with falling loss, then evaluates, predicts and hands back weights', async () => {
    trainer = await api.createTrainer({ backend: 'wasm', model: 'mlp', epochs: 2, batchSize: 32, seed: 1 });
    const b = trainer.backend;
    equal(b.name, 'wasm', 'backend');
    equal(b.requested, 'wasm', 'requested backend');
    assert(b.wasmVariant === 'simd', `SIMD WASM on a page that is not cross-origin isolated, got ${b.wasmVariant}`);
    equal(b.threads, 1, 'threads');
    equal(b.wasmUrl, new URL('/dist/trainer-worker/tfjs-backend-wasm-simd.wasm', location.origin).href, 'the .wasm beside the worker bundle, by default');
    assert(b.passedOver.some((p) => p.variant === 'threaded-simd' && /cross-origin isolated/.test(p.reason)), 'says why threaded SIMD was passed over');

    const data = await smallMnist(4800, 500);
    const trainImages = data.train.images;
    const counts = await trainer.setData(data);
    equal(counts.train, 4800, 'training count in the worker');
    equal(trainImages.byteLength, 0, 'page-side pixels after transfer (moved, not copied)');

    const batches: BatchProgress[] = [];
    const epochs: EpochResult[] = [];
    const tensorsPerEpoch: number[] = [];
    const history = await trainer.fit({
      onBatch: (p) => batches.push(p),
      // The worker waits for onEpoch, and still answers calls meanwhile.
      onEpoch: async (e) => {
        epochs.push(e);
        tensorsPerEpoch.push((await trainer!.memory()).numTensors);
      },
    });
    equal(batches.length, 300, 'batch events (2 epochs × 150)');
    equal(history.length, 2, 'epochs returned');
    equal(epochs.length, 2, 'epoch events');
    const { head, tail } = headTail(batches.map((p) => p.loss), 30);
    assert(tail < head * 0.5, `loss falls: first 30 batches ${head.toFixed(3)}, last 30 ${tail.toFixed(3)}`);
    const last = epochs[1];
    assert(last.accuracy > 0.85, `held-out accuracy after 300 steps > 85%, got ${last.accuracy}`);
    equal(last.confusion.flat().reduce((a, c) => a + c, 0), 500, 'confusion matrix total');
    assert(last.seconds > 0 && last.samplesPerSecond > 0, 'epoch timing');
    equal(tensorsPerEpoch[1], tensorsPerEpoch[0], 'tensors after epoch 2 vs epoch 1');
    equal((await trainer.memory()).numTensors, tensorsPerEpoch[0], 'tensors after training (weights and optimizer only)');

    const ev = await trainer.evaluate();
    assert(Math.abs(ev.accuracy - last.accuracy) < 1e-9, 'evaluate() scores the same held-out set');
    equal(ev.logits.length, 5000, 'logits [500, 10]');
    const test = (await smallMnist(1, 20)).test;
    const batch = await trainer.predictBatch(test.images);
    equal(batch.length, 20, 'predictions');
    assert(Math.abs(batch[0].probabilities.reduce((a, p) => a + p, 0) - 1) < 1e-5, 'probabilities sum to 1');
    const one = await trainer.predict(test.images.slice(0, 784));
    equal(Array.from(one.probabilities).join(), Array.from(batch[0].probabilities).join(), 'predict(one image) vs predictBatch()[0]');
    // "Not a digit" crosses the worker boundary: a 10-output model's digitScore is its top probability.
    equal(typeof one.isDigit, 'boolean', 'isDigit from the worker');
    equal(one.digitScore, batch[0].digitScore, 'digitScore: predict vs predictBatch');
    for (const p of batch) {
      assert(Math.abs(p.digitScore - Math.max(...p.probabilities)) < 1e-6, `digitScore ${p.digitScore} is the top probability`);
      equal(p.isDigit, p.digitScore >= api.DEFAULT_DIGIT_THRESHOLD.maxProbability, 'isDigit is digitScore >= the default threshold');
    }
    equal(ev.digitScores.length, 500, 'evaluate() carries a digit score per example');
    const predictions = batch.map((p) => p.digit);
    const right = predictions.filter((p, i) => p === test.labels[i]).length;
    assert(right >= 15, `predict() gets most of 20 digits right, got ${right}`);
    // The same digits as [0, 1] floats (what toMnistPixels returns) read the same; a value outside [0, 1] is refused.
    const floats = Float32Array.from(test.images, (v) => v / 255);
    const fromFloats = await trainer.predictBatch(floats);
    equal(fromFloats.map((p) => p.digit).join(), predictions.join(), 'predictions from floats vs bytes');
    floats[784 + 5] = 1.5;
    const refused = await trainer.predictBatch(floats).then(() => null, (e: unknown) => e);
    assert(refused instanceof api.InvalidOptionError && /\[0, 1\].*1\.5 at index 789/.test(refused.message), `floats out of range refused: ${String(refused)}`);

    const weights = await trainer.getWeights();
    equal(weights.spec.name, 'mlp', 'weights spec');
    equal(weights.weights[0].values.length, 784 * 128, 'first kernel size');

    await trainer.dispose();
    equal((await trainer.memory()).numTensors, 0, 'tensors after dispose()');
  });

  it('pauses and resumes between batches, and aborts with an AbortError keeping the worker usable', async () => {
    // 10 epochs of 200 batches: the fused engine runs a batch of 16 in well under a millisecond, so one epoch
    // can end before a message from the page arrives.
    const epochs = 10;
    trainer = await api.createTrainer({ backend: 'wasm', model: 'mlp', epochs, batchSize: 16 });
    await trainer.setData(await smallMnist(3200, 200));
    let seen = 0;
    const run = trainer.fit({ onBatch: () => void seen++ });
    await waitFor(() => seen >= 10, 'batch 10');
    await trainer.pause(); // resolves once the worker has taken it: no batch starts after this
    await sleep(200); // batch events already on their way arrive
    const atPause = seen;
    await sleep(500);
    equal(seen, atPause, 'batches seen during 500 ms of pause');
    assert(atPause < epochs * 200, `paused before the end of the run (at batch ${atPause})`);
    await trainer.resume();
    const history = await run;
    equal(history.length, epochs, 'epochs after resume');
    equal(seen, epochs * 200, 'every batch, once');

    const controller = new AbortController();
    const aborted = trainer.fit({ signal: controller.signal, onBatch: (p) => p.batch === 20 && controller.abort('enough') });
    const error = await aborted.then(() => null, (e: unknown) => e);
    assert(error instanceof api.AbortError, `an AbortError, got ${String(error)}`);
    equal((error as InstanceType<typeof api.AbortError>).code, 'ABORTED', 'code');
    // The abort lands at the worker's next yield (every 20 ms), some batches after the page asked.
    const at = /aborted at (?:the end of )?epoch (\d+)/.exec((error as Error).message);
    assert(at && Number(at[1]) > epochs && Number(at[1]) <= 2 * epochs, `message names where it stopped: ${(error as Error).message}`);
    const again = await trainer.evaluate();
    assert(Number.isFinite(again.loss), 'the worker still evaluates after the abort');
  });
});
