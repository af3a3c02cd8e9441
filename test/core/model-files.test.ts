import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, ModelFormatError } from '../../src/errors.js';
import { encodeCompactModel } from '../../src/io/index.js';
import { loadModelDir, saveModelDir } from '../../src/node/model-files.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { randomPreset } from './model-fixtures.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'digit-classifier-model-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function expectSameModel(a: ModelWeights, b: ModelWeights): void {
  expect(b.spec).toEqual(a.spec);
  expect(b.weights.length).toBe(a.weights.length);
  a.weights.forEach((w, i) => {
    expect(b.weights[i].name).toBe(w.name);
    expect(b.weights[i].shape).toEqual(w.shape);
    expect(Buffer.from(b.weights[i].values.buffer, b.weights[i].values.byteOffset, b.weights[i].values.byteLength)
      .equals(Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength))).toBe(true);
  });
}

/** Runs `load` and returns its error, failing the test if it resolves. */
async function loadError(path: string): Promise<Error> {
  try {
    await loadModelDir(path);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected loading ${path} to fail`);
}

describe('saveModelDir / loadModelDir', () => {
  it('round-trips mlp and cnn through a new nested folder, by folder and by model.json path', async () => {
    for (const name of ['mlp', 'cnn']) {
      const model = randomPreset(name, 501);
      const dir = join(root, 'nested', name);
      const { modelJsonPath, weightsPath } = await saveModelDir(dir, model);
      expect(modelJsonPath).toBe(join(dir, 'model.json'));
      expect(weightsPath).toBe(join(dir, 'weights.bin'));
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']); // no temp files left
      expectSameModel(model, await loadModelDir(dir));
      expectSameModel(model, await loadModelDir(modelJsonPath));
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
      expect(json.format).toBe('layers-model');
    }
  });

  it('overwrites an existing model in place', async () => {
    const dir = join(root, 'overwrite');
    await saveModelDir(dir, randomPreset('cnn', 1));
    const second = randomPreset('mlp', 2);
    await saveModelDir(dir, second);
    expectSameModel(second, await loadModelDir(dir));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('loads a compact model file, whatever its extension', async () => {
    const model = randomPreset('cnn', 503);
    const bytes = encodeCompactModel(model, { dtype: 'float16' });
    for (const file of ['cnn.dcm', 'cnn.bin']) {
      const path = join(root, file);
      await writeFile(path, bytes);
      const loaded = await loadModelDir(path);
      expect(loaded.spec).toEqual(model.spec);
      expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    }
  });

  it('writes nothing when the model is invalid', async () => {
    const model = randomPreset('mlp', 504);
    const dir = join(root, 'invalid');
    await expect(saveModelDir(dir, { spec: model.spec, weights: model.weights.slice(1) })).rejects.toThrow(/model\.weights/);
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });
});

describe('failed loads name the path', () => {
  it('a missing folder or file: a ModelFileError naming the path and the reason, with Node\'s error as its cause', async () => {
    const missing = join(root, 'does-not-exist');
    const error = await loadError(missing);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('MODEL_FILE');
    expect((error as ModelFileError).path).toBe(missing);
    expect(error.message).toBe(`${missing}: cannot read the model file: no such file or folder (ENOENT)`);
    expect(((error as ModelFileError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('a path through a file, and a manifest naming a missing shard: ModelFileError naming that path', async () => {
    const dir = join(root, 'through-file');
    const { modelJsonPath } = await saveModelDir(dir, randomPreset('mlp', 507));
    const through = join(modelJsonPath, 'model.json');
    const error = await loadError(through);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toBe(`${through}: cannot read the model file: a part of the path is a file, not a folder (ENOTDIR)`);
    await rm(join(dir, 'weights.bin'));
    const shard = await loadError(dir);
    expect(shard).toBeInstanceOf(ModelFileError);
    expect(shard.message).toContain(join(dir, 'weights.bin'));
  });

  it('a folder without model.json', async () => {
    const dir = join(root, 'empty');
    await saveModelDir(dir, randomPreset('mlp', 505));
    await rm(join(dir, 'model.json'));
    expect((await loadError(dir)).message).toContain(join(dir, 'model.json'));
  });

  it('model.json that is not JSON, or binary junk', async () => {
    const dir = join(root, 'junk');
    const { modelJsonPath } = await saveModelDir(dir, randomPreset('mlp', 506));
    await writeFile(modelJsonPath, '{ "format": "layers-model", ');
    let error = await loadError(modelJsonPath);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toContain(modelJsonPath);
    await writeFile(modelJsonPath, new Uint8Array([0xff, 0x00, 0xfe]));
    error = await loadError(dir);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/model\.json.*neither/);
  });

  it('a truncated weights.bin and a missing weights.bin', async () => {
    const dir = join(root, 'truncated');
    const { modelJsonPath, weightsPath } = await saveModelDir(dir, randomPreset('cnn', 507));
    const bytes = await readFile(weightsPath);
    await writeFile(weightsPath, bytes.subarray(0, bytes.length - 1));
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toContain(modelJsonPath);
    expect(error.message).toMatch(/weight data is \d+ bytes/);
    await rm(weightsPath);
    expect((await loadError(dir)).message).toContain(weightsPath);
  });

  it('a manifest path that escapes the folder is refused before any read', async () => {
    const dir = join(root, 'escape');
    const { modelJsonPath } = await saveModelDir(dir, randomPreset('mlp', 508));
    const json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
    json.weightsManifest[0].paths = ['../escape/weights.bin'];
    await writeFile(modelJsonPath, JSON.stringify(json));
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/weightsManifest\[0\]\.paths\[0\]/);
    expect(error.message).toContain(modelJsonPath);
  });

  it('a corrupt compact file names its path', async () => {
    const path = join(root, 'corrupt.dcm');
    const bytes = encodeCompactModel(randomPreset('mlp', 509), { dtype: 'int8' });
    await writeFile(path, bytes.subarray(0, 100));
    const error = await loadError(path);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toContain(path);
  });
});
