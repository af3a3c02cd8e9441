import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistSet } from '../../src/data/mnist-set.js';
import { subsetMnist } from '../../src/data/mnist-set.js';
import { generateNonDigits } from '../../src/data/non-digits/generate-non-digits.js';
import { AbortError, InvalidOptionError } from '../../src/errors.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { loadPretrained } from '../../src/pretrained/load-pretrained.js';
import type { AdaptProgress } from '../../src/train/adapt-types.js';
import { Trainer } from '../../src/train/trainer.js';
import { writerDrawings } from '../synthetic/index.js';

let train: MnistSet;
let test: MnistSet;

beforeAll(async () => {
  await useNodeBackend('wasm');
  ({ train } = await loadMnist({ split: 'train', limit: 5000 }));
  ({ test } = await loadMnist({ split: 'test', limit: 2000 }));
});

/** A development writer's first drawing of each digit, and its other drawings to read. */
function writer(name: 'caveat' | 'handlee', perDigit: number) {
  const d = writerDrawings(name, { perDigit, seed: 3 });
  return {
    examples: { images: d.images.slice(0, 7840), labels: Array.from(d.labels.subarray(0, 10)) },
    others: d.images.slice(7840),
    otherLabels: d.labels.slice(10),
  };
}

async function accuracy(trainer: Trainer, images: Float32Array, labels: Uint8Array): Promise<number> {
  const predictions = await trainer.predictBatch(images);
  return predictions.filter((p, i) => p.digit === labels[i]).length / labels.length;
}

describe('Trainer.adapt on the shipped CNN and a synthetic writer (WASM, seeded)', () => {
  it('learns the writer from one drawing of each digit, keeps MNIST and the conv trunk, reports progress, leaks no tensors', async () => {
    const { examples, others, otherLabels } = writer('caveat', 8);
    const base = loadPretrained('cnn');
    const trainer = new Trainer({ model: base });
    const before = await accuracy(trainer, others, otherLabels);
    const mnistBefore = (await trainer.evaluate(test)).accuracy;
    const nonDigits = generateNonDigits(300, { seed: 99 }).images;
    const flagged = async () => (await trainer.predictBatch(nonDigits)).filter((p) => !p.isDigit).length / 300;
    const flaggedBefore = await flagged();
    const tensors = tf.memory().numTensors;
    const progress: AdaptProgress[] = [];
    const result = await trainer.adapt(examples, { replay: train, seed: 1, replayCount: 1000, copies: 20, steps: 60, onProgress: (p) => progress.push(p) });
    expect(tf.memory().numTensors).toBe(tensors);

    const after = await accuracy(trainer, others, otherLabels);
    expect(before).toBeLessThan(0.93); // caveat's 1, 7 and 9 are misread before
    expect(after).toBeGreaterThanOrEqual(0.985); // measured 1.0 (0.90 before)
    expect(result.examplesAccuracyBefore).toBeLessThan(1);
    expect(result.examplesAccuracy).toBe(1);
    // The rehearsal (distilled at T = 2, three quarters of each batch) holds MNIST and the "not a digit" output:
    // measured 99.25 % → 99.25 % of 2,000 test digits, and 93.7 % → 93.3 % of 300 unseen non-digits flagged.
    expect((await trainer.evaluate(test)).accuracy).toBeGreaterThanOrEqual(mnistBefore - 0.0015);
    expect(Math.abs((await flagged()) - flaggedBefore)).toBeLessThanOrEqual(0.02);
    // The shipped CNN has the "not a digit" output: non-digits are rehearsed too (ADAPT_DEFAULTS.nonDigitCount).
    expect(result).toMatchObject({ examples: 10, steps: 60, replay: 1000, nonDigits: 500, tuned: ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'] });
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(progress.every((p) => p.steps === 60 && Number.isFinite(p.loss))).toBe(true);
    expect(progress[59].loss).toBeLessThan(progress[0].loss);

    // The convolutions are frozen; the dense head moved; the weights export as any model's.
    const weights = await trainer.getWeights();
    const byName = (name: string, w = weights) => w.weights.find((t) => t.name === name)!.values;
    expect(byName('conv2d_2/kernel')).toEqual(byName('conv2d_2/kernel', base));
    expect(byName('dense_1/kernel')).not.toEqual(byName('dense_1/kernel', base));
    trainer.dispose();
  }, 120_000); // about 10 s alone; a loaded 2-core machine takes twice that

  it('refuses bad drawings, runs one at a time with fit, an abort leaves the model as it was, and the "not a digit" output keeps flagging', async () => {
    const { examples } = writer('handlee', 1);
    // An MLP with the "not a digit" output (11 logits), trained briefly.
    const trainer = new Trainer({ model: 'mlp', seed: 2, epochs: 3, optimizer: 'adam', learningRate: 2e-3, nonDigits: { share: 0.5, validation: 400, heldOut: 100, confidence: 0 } }); // threshold: exactly 1 % of the 400 held-out digits flagged
    await trainer.fit({ train: subsetMnist(train, 0, 3000), test: subsetMnist(test, 0, 300) }, { onWarning: () => {} });
    const replay = train;
    const bad: [unknown, RegExp][] = [
      [{ images: new Float32Array(0), labels: [] }, /at least one drawing/],
      [{ images: new Float32Array(783), labels: [1] }, /examples\.images to hold count × 784 pixels/],
      [{ images: new Float32Array(784 * 2), labels: [1] }, /one digit per drawing \(2\), got 1/],
      [{ images: new Float32Array(784 * 2), labels: [1, 10] }, /examples\.labels\[1\] to be a digit 0–9, got 10/],
      [{ images: new Float32Array(784), labels: [2.5] }, /examples\.labels\[0\] to be a digit 0–9, got 2\.5/],
      [{ images: new Float32Array(784).fill(2), labels: [3] }, /floats in \[0, 1\].*got 2 at index 0/],
      [{ images: [0, 1], labels: [3] }, /examples\.images to be a Uint8Array/],
    ];
    for (const [input, message] of bad) {
      await expect(trainer.adapt(input as never, { replay })).rejects.toThrow(message);
      await expect(trainer.adapt(input as never, { replay })).rejects.toBeInstanceOf(InvalidOptionError);
    }
    await expect(trainer.adapt(examples)).rejects.toThrow(/Expected options\.replay/);
    await expect(trainer.adapt(examples, { replay, steps: 0 })).rejects.toThrow(/options\.steps to be an integer >= 1, got 0/);

    const original = await trainer.getWeights();
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    const running = trainer.adapt(examples, { replay, replayCount: 200, nonDigitCount: 100, steps: 50, signal: controller.signal, onProgress: (p) => p.step === 3 && controller.abort() });
    await expect(trainer.adapt(examples, { replay })).rejects.toThrow(/already running/);
    await expect(trainer.fit({ train, test })).rejects.toThrow(/already running/);
    await expect(running).rejects.toThrow(AbortError);
    await expect(running).rejects.toThrow(/at step 4 of 50/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect((await trainer.getWeights()).weights).toEqual(original.weights);

    // The MLP has no frozen trunk: every layer is tuned. Non-digits are rehearsed, so they stay flagged.
    const others = generateNonDigits(300, { seed: 99 }).images;
    const flagged = async () => (await trainer.predictBatch(others)).filter((p) => !p.isDigit).length / 300;
    const flaggedBefore = await flagged();
    // At 1e-3, as the CNN's head is tuned: at the MLP's default 3e-4 (less MNIST forgotten) this briefly
    // trained output's flagged share drifts further (measured 0.54 -> 0.49); see the README.
    const result = await trainer.adapt(examples, { replay, seed: 1, replayCount: 600, nonDigitCount: 600, copies: 20, steps: 60, learningRate: 1e-3 });
    expect(result).toMatchObject({ tuned: ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'], nonDigits: 600, replay: 600 });
    expect(result.examplesAccuracy).toBe(1);
    const flaggedAfter = await flagged();
    expect(flaggedBefore).toBeGreaterThan(0.45); // measured 0.54 (a brief training), 0.50 after adapting
    expect(Math.abs(flaggedAfter - flaggedBefore)).toBeLessThan(0.05);
    trainer.dispose();
  }, 120_000); // about 20 s alone (a brief fit with non-digits, four adaptations)
});
