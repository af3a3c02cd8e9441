// Control of a running Trainer.fit: abort in every state (running, paused, between epochs, during the
// held-out evaluation), dispose() mid-run, and a second concurrent fit. Each case bounds how long the run
// may take to settle, so a hang fails the test instead of stalling the suite.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { subsetMnist, type MnistSet } from '../../src/data/mnist-set.js';
import { AbortError, InvalidOptionError } from '../../src/errors.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { Trainer } from '../../src/train/trainer.js';
import { FIT_ALREADY_RUNNING } from '../../src/train/fit-control.js';

let train: MnistSet;
let test: MnistSet;

beforeAll(async () => {
  await useNodeBackend('wasm');
  const data = await loadMnist({ split: 'both' });
  train = subsetMnist(data.train!, 0, 1280);
  test = data.test!; // all 10,000: ten evaluation chunks, so an abort can land inside the evaluation
});

const quiet = { onWarning: () => {} };

/** `promise`, or a rejection naming `what` once `ms` have passed: a hang fails instead of stalling. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('Trainer.fit control', () => {
  it('a paused run that is aborted settles with an AbortError, running no further batch', async () => {
    const baseline = tf.memory().numTensors;
    const t = new Trainer({ model: 'mlp', epochs: 1, batchSize: 64 });
    const controller = new AbortController();
    let batches = 0;
    const run = t.fit({ train, test }, {
      ...quiet,
      signal: controller.signal,
      onBatch: (p) => {
        batches = p.batch;
        if (p.batch === 3) {
          t.pause();
          setTimeout(() => controller.abort(new Error('stop')), 20);
        }
      },
    });
    await expect(within(run, 5000, 'paused then aborted')).rejects.toBeInstanceOf(AbortError);
    expect(batches).toBe(3);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('an abort between epochs (in onEpoch) stops the run before the next epoch\'s first batch', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 3 });
    const controller = new AbortController();
    const epochsSeen: number[] = [];
    const run = t.fit({ train, test: subsetMnist(test, 0, 500) }, {
      ...quiet,
      signal: controller.signal,
      onBatch: (p) => void epochsSeen.push(p.epoch),
      onEpoch: () => controller.abort(),
    });
    await expect(within(run, 5000, 'aborted between epochs')).rejects.toBeInstanceOf(AbortError);
    expect(new Set(epochsSeen)).toEqual(new Set([1]));
    t.dispose();
  });

  it('an abort during the held-out evaluation stops it within one chunk and reports no epoch', async () => {
    const baseline = tf.memory().numTensors;
    const t = new Trainer({ model: 'mlp', epochs: 1 });
    const controller = new AbortController();
    let epochs = 0;
    // Fires on the first turn of the event loop after the last batch: inside the 10-chunk evaluation.
    const run = t.fit({ train, test }, {
      ...quiet,
      signal: controller.signal,
      yieldEveryMs: 1e9,
      onBatch: (p) => { if (p.batch === p.batches) setImmediate(() => controller.abort()); },
      onEpoch: () => void epochs++,
    });
    const error = await within(run, 5000, 'aborted during evaluation').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(String((error as Error).message)).toMatch(/evaluation/);
    expect(epochs).toBe(0);
    expect(t.history).toHaveLength(0);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('dispose() during fit rejects the run with an AbortError saying so, and leaks no tensor', async () => {
    const baseline = tf.memory().numTensors;
    const t = new Trainer({ model: 'mlp', epochs: 2 });
    let batchesAfter = 0;
    let disposed = false;
    const run = t.fit({ train, test }, {
      ...quiet,
      onBatch: (p) => {
        if (disposed) batchesAfter++;
        if (p.batch === 4) {
          t.dispose();
          disposed = true;
        }
      },
    });
    const error = await within(run, 5000, 'disposed during fit').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).code).toBe('ABORTED');
    expect((error as Error).message).toMatch(/disposed/);
    expect(batchesAfter).toBe(0);
    expect(tf.memory().numTensors).toBe(baseline);
    await expect(t.fit({ train, test }, quiet)).rejects.toThrow(/disposed/);
  });

  it('dispose() of a paused run settles it too', async () => {
    const baseline = tf.memory().numTensors;
    const t = new Trainer({ model: 'mlp', epochs: 1 });
    const run = t.fit({ train, test }, { ...quiet, onBatch: (p) => { if (p.batch === 2) { t.pause(); setTimeout(() => t.dispose(), 20); } } });
    await expect(within(run, 5000, 'disposed while paused')).rejects.toBeInstanceOf(AbortError);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('refuses a second concurrent fit with the worker\'s InvalidOptionError; the first run goes on', async () => {
    const t = new Trainer({ model: 'mlp', epochs: 1 });
    const data = { train, test: subsetMnist(test, 0, 500) };
    const first = t.fit(data, quiet);
    const second = t.fit(data, quiet);
    await expect(second).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(second).rejects.toThrow(FIT_ALREADY_RUNNING);
    await expect(first).resolves.toHaveLength(1);
    await expect(t.fit(data, quiet)).resolves.toHaveLength(1); // free again once the first has settled
    t.dispose();
  });
});
