// One predict across the entry points: the core Trainer (tfjs) and the tensor-free Inference take the same
// inputs (bytes 0–255 or floats in [0, 1], one image or many) and return the same Prediction shape.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subsetMnist, type MnistSet } from '../../src/data/mnist-set.js';
import { FileReadError, InvalidOptionError } from '../../src/errors.js';
import { createInference } from '../../src/inference/create-inference.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { loadPretrained } from '../../src/pretrained/load-pretrained.js';
import { Trainer } from '../../src/train/trainer.js';
import { DEFAULT_DIGIT_THRESHOLD } from '../../src/models/non-digit-output.js';

let test: MnistSet;
const tmp = mkdtempSync(join(tmpdir(), 'dc-predict-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  await useNodeBackend('wasm');
  test = subsetMnist((await loadMnist({ split: 'test', limit: 50 })).test, 0, 50);
});

describe('predict: one vocabulary', () => {
  it('Trainer.predict / predictBatch give the Inference\'s digits, probabilities, isDigit and digitScore for bytes and for floats', async () => {
    const model = loadPretrained('mlp');
    const trainer = new Trainer({ model });
    const inference = createInference(model);
    const floats = Float32Array.from(test.images, (v) => v / 255);
    const fromTrainer = await trainer.predictBatch(test.images);
    const fromInference = inference.predictBatch(floats);
    expect(fromTrainer).toHaveLength(50);
    expect(fromTrainer.map((p) => p.digit)).toEqual(fromInference.map((p) => p.digit));
    for (let i = 0; i < 50; i++) {
      expect(Object.keys(fromTrainer[i]).sort()).toEqual(['digit', 'digitScore', 'isDigit', 'probabilities']);
      for (let c = 0; c < 10; c++) expect(Math.abs(fromTrainer[i].probabilities[c] - fromInference[i].probabilities[c])).toBeLessThan(1e-5);
      expect(Math.abs(fromTrainer[i].digitScore - fromInference[i].digitScore)).toBeLessThan(1e-5);
      expect(fromTrainer[i].isDigit).toBe(fromInference[i].digitScore >= (model.spec.nonDigit?.threshold ?? DEFAULT_DIGIT_THRESHOLD.maxProbability));
    }
    // Test digits read as digits (a shipped model flags about 1 % of them).
    expect(fromTrainer.filter((p) => p.isDigit).length).toBeGreaterThanOrEqual(47);
    const one = await trainer.predict(floats.subarray(0, 784));
    expect(one.digit).toBe(fromInference[0].digit);
    expect(one.probabilities).toHaveLength(10);
    expect(one.digitScore).toBeCloseTo(fromInference[0].digitScore, 5);
    expect(one.isDigit).toBe(fromInference[0].isDigit);
    await expect(trainer.predict(floats)).rejects.toThrow(/one image of 784 pixels \(predictBatch takes many\)/);
    const outside = floats.slice(0, 784);
    outside[3] = -0.5;
    await expect(trainer.predict(outside)).rejects.toBeInstanceOf(InvalidOptionError);
    trainer.dispose();
  });

  it('loadMnist: a file that exists but cannot be read is a FileReadError (FILE_READ) naming it', async () => {
    const dir = join(tmp, 'mnist');
    mkdirSync(join(dir, 't10k-images-idx3-ubyte'), { recursive: true }); // a folder where the file should be
    mkdirSync(join(dir, 't10k-labels-idx1-ubyte'), { recursive: true });
    const error = await loadMnist({ dir, split: 'test' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FileReadError);
    expect((error as FileReadError).code).toBe('FILE_READ');
    expect((error as Error).message).toMatch(/t10k-.*-idx\d-ubyte: cannot read the MNIST file: a folder, not a file \(EISDIR\)/);
  });
});
