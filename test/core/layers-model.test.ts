import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, ModelFormatError } from '../../src/errors.js';
import { createInference } from '../../src/inference/index.js';
import { fromLayersModelArtifacts, layersWeightPaths, toLayersModelArtifacts, type LayersModelJson } from '../../src/io/index.js';
import { toFloat16Array, fromFloat16Array } from '../../src/io/float16.js';
import { MNIST_NORMALIZATION, mlpSpec } from '../../src/models/presets.js';
import type { ModelWeights } from '../../src/models/spec.js';
import { mnistLikeImages, randomImages, randomModel, randomPreset } from './model-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SOURCE = 'fixtures/model.json';

/** Loads model.json + weights with tfjs-layers exactly as its HTTP loader would: getModelArtifactsForJSON. */
async function loadWithTfjsLayers(modelJson: unknown, weightData: ArrayBuffer): Promise<tfl.LayersModel> {
  const json = JSON.parse(JSON.stringify(modelJson)) as tf.io.ModelJSON; // as if read from disk
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    weightData,
  ]);
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

function ourLogits(model: ModelWeights, images: Float32Array, n: number): Float32Array {
  const inference = createInference(model);
  const out = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) inference.predictLogits(images.subarray(i * 784, (i + 1) * 784), out.subarray(i * 10, i * 10 + 10));
  return out;
}

function tfjsLogits(model: tfl.LayersModel, input: Float32Array, n: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(input, [n, 784])) as tf.Tensor).dataSync() as Float32Array);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectBitExact(a: ModelWeights, b: ModelWeights): void {
  expect(b.spec).toEqual(a.spec);
  expect(b.weights.map((w) => [w.name, w.shape])).toEqual(a.weights.map((w) => [w.name, w.shape]));
  a.weights.forEach((w, i) => {
    // Compare bit patterns (so -0 vs 0 or NaN payloads would show), without a slow deep-equal over 100K items.
    const want = new Uint32Array(Float32Array.from(w.values).buffer);
    const got = new Uint32Array(Float32Array.from(b.weights[i].values).buffer);
    expect(got.length).toBe(want.length);
    expect({ weight: w.name, firstMismatch: want.findIndex((bits, j) => bits !== got[j]) }).toEqual({ weight: w.name, firstMismatch: -1 });
  });
}

describe('toLayersModelArtifacts / fromLayersModelArtifacts round trip', () => {
  for (const name of ['mlp', 'mlp-deep', 'cnn']) {
    it(`${name}: bit-exact through model.json text and weight bytes`, () => {
      const model = randomPreset(name, 101);
      const { modelJson, weightData } = toLayersModelArtifacts(model);
      expect(modelJson.format).toBe('layers-model');
      expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
      expect(weightData.byteLength).toBe(model.weights.reduce((n, w) => n + w.values.length * 4, 0));
      const back = fromLayersModelArtifacts(JSON.stringify(modelJson), new Uint8Array(weightData), SOURCE);
      expectBitExact(model, back);
    });
  }

  it('keeps name and normalisation in the digitClassifier field', () => {
    const model = randomModel(mlpSpec({ name: 'normed', hidden: [16], normalization: MNIST_NORMALIZATION }), 5);
    const { modelJson, weightData } = toLayersModelArtifacts(model);
    expect(modelJson.digitClassifier).toEqual({ formatVersion: 1, name: 'normed', normalization: MNIST_NORMALIZATION });
    expect(fromLayersModelArtifacts(modelJson, weightData, SOURCE).spec).toEqual(model.spec);
  });

  it('rejects a model whose weights do not fit its spec', () => {
    const model = randomPreset('mlp', 1);
    expect(() => toLayersModelArtifacts({ spec: model.spec, weights: model.weights.slice(0, 3) })).toThrow(InvalidOptionError);
  });
});

describe('tf.loadLayersModel reads our files, and agrees with createInference', () => {
  const n = 300;
  const images = new Float32Array([...mnistLikeImages(n / 2), ...randomImages(n / 2)]);
  for (const name of ['mlp', 'mlp-deep', 'cnn']) {
    it(`${name}: logits within 1e-4 on ${n} MNIST and random images`, async () => {
      const model = randomPreset(name, 202);
      const { modelJson, weightData } = toLayersModelArtifacts(model);
      const loaded = await loadWithTfjsLayers(modelJson, weightData);
      expect(loaded.inputs[0].shape).toEqual([null, 784]);
      expect(loaded.layers.map((l) => l.name)).toEqual(modelJson.modelTopology.config.layers.map((l) => l.config.name));
      expect(maxAbsDiff(tfjsLogits(loaded, images, n), ourLogits(model, images, n))).toBeLessThan(1e-4);
      loaded.dispose();
    });
  }

  it('with MNIST normalisation: the graph takes normalised input, as documented', async () => {
    const model = randomModel(mlpSpec({ hidden: [64], normalization: MNIST_NORMALIZATION }), 203);
    const { modelJson, weightData } = toLayersModelArtifacts(model);
    const loaded = await loadWithTfjsLayers(modelJson, weightData);
    const { mean, std } = modelJson.digitClassifier.normalization;
    const normalised = images.map((p) => (p - mean) / std);
    expect(maxAbsDiff(tfjsLogits(loaded, normalised, n), ourLogits(model, images, n))).toBeLessThan(1e-4);
    loaded.dispose();
  });

  it('reads a model that tfjs-layers itself saved (its own layer names, no digitClassifier field)', async () => {
    const keras = tfl.sequential();
    keras.add(tfl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
    keras.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', biasInitializer: 'randomNormal' }));
    keras.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    keras.add(tfl.layers.flatten());
    keras.add(tfl.layers.dropout({ rate: 0.3 }));
    keras.add(tfl.layers.dense({ units: 10 }));
    let saved: tf.io.ModelArtifacts | undefined;
    await keras.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const weightData = tf.io.concatenateArrayBuffers(saved!.weightData as ArrayBuffer | ArrayBuffer[]);
    const modelJson = { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs }] };
    const model = fromLayersModelArtifacts(JSON.parse(JSON.stringify(modelJson)), weightData, 'tfjs-saved/model.json');
    expect(model.spec.inputShape).toEqual([28, 28, 1]);
    expect(model.spec.layers.map((l) => l.kind)).toEqual(['conv2d', 'maxpool', 'flatten', 'dropout', 'dense']);
    const images = mnistLikeImages(50);
    expect(maxAbsDiff(tfjsLogits(keras, images, 50), ourLogits(model, images, 50))).toBeLessThan(1e-4);
    keras.dispose();
  });
});

describe('quantized manifests (TF.js converter output)', () => {
  it('reads float16 and uint8 weights as q × scale + min', () => {
    const model = randomPreset('mlp', 7);
    const { modelJson } = toLayersModelArtifacts(model);
    const [k1, b1, k2, b2] = model.weights;
    const half = toFloat16Array(k1.values);
    const q = Uint8Array.from(k2.values, (v) => Math.round((v + 1) * 100));
    const parts = [new Uint8Array(half.buffer), new Uint8Array(b1.values.buffer), q, new Uint8Array(b2.values.buffer)];
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
    const entries = modelJson.weightsManifest[0].weights;
    const json = {
      ...modelJson,
      weightsManifest: [{ paths: ['w.bin'], weights: [
        { ...entries[0], quantization: { dtype: 'float16' } }, entries[1],
        { ...entries[2], quantization: { dtype: 'uint8', scale: 0.01, min: -1 } }, entries[3],
      ] }],
    };
    const back = fromLayersModelArtifacts(json, data, SOURCE);
    expect(Array.from(back.weights[0].values)).toEqual(Array.from(fromFloat16Array(half)));
    expect(Array.from(back.weights[2].values)).toEqual(Array.from(Float32Array.from(q, (v) => v * 0.01 - 1)));
    expect(back.weights[1].values).toEqual(b1.values);
  });
});

describe('hostile model.json and weights → ModelFormatError naming the source and field', () => {
  const mlp = toLayersModelArtifacts(randomPreset('mlp', 9));
  const cnn = toLayersModelArtifacts(randomPreset('cnn', 9));
  type Mutable = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const edit = (json: LayersModelJson, change: (j: Mutable) => void): Mutable => {
    const copy = JSON.parse(JSON.stringify(json)) as Mutable;
    change(copy);
    return copy;
  };
  const expectRejected = (json: unknown, data: ArrayBuffer | Uint8Array, pattern: RegExp): void => {
    let error: unknown;
    try {
      fromLayersModelArtifacts(json, data, SOURCE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toContain(SOURCE);
    expect((error as Error).message).toMatch(pattern);
  };

  it('JSON that is not an object, or not JSON at all', () => {
    for (const json of [42, null, [], 'true', '"text"']) expectRejected(json, mlp.weightData, /model\.json to be an object/);
    expectRejected('{ "format": ', mlp.weightData, /not valid JSON/);
  });

  it('unknown layer class, topology and format', () => {
    expectRejected(edit(mlp.modelJson, (j) => { j.modelTopology.config.layers[0].class_name = 'BatchNormalization'; }), mlp.weightData, /layers\[0\]\.class_name.*"Dense".*"BatchNormalization"/);
    expectRejected(edit(mlp.modelJson, (j) => { j.modelTopology.class_name = 'Model'; }), mlp.weightData, /modelTopology\.class_name/);
    expectRejected(edit(mlp.modelJson, (j) => { j.format = 'graph-model'; }), mlp.weightData, /format/);
    expectRejected(edit(mlp.modelJson, (j) => { delete j.modelTopology; }), mlp.weightData, /modelTopology to be an object/);
  });

  it('absurd sizes are refused before anything is allocated', () => {
    expectRejected(edit(mlp.modelJson, (j) => { j.modelTopology.config.layers[0].config.units = 1e9; }), mlp.weightData, /layers\[0\]\.config\.units.*1000000000/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[0].shape = [784, 1e9]; }), mlp.weightData, /weights\[0\]\.shape/);
    expectRejected(edit(mlp.modelJson, (j) => { j.modelTopology.config.layers = new Array(500).fill(j.modelTopology.config.layers[0]); }), mlp.weightData, /config\.layers to be an array of at most/);
    // Each layer within limits, 415M parameters in all.
    const wide = edit(mlp.modelJson, (j) => {
      j.modelTopology.config.layers = [
        { class_name: 'Dense', config: { name: 'd1', units: 20000, activation: 'relu', batch_input_shape: [null, 784] } },
        { class_name: 'Dense', config: { name: 'd2', units: 20000, activation: 'relu' } },
        { class_name: 'Dense', config: { name: 'd3', units: 10 } },
      ];
    });
    expectRejected(wide, mlp.weightData, /at most 67108864 bytes.*415[0-9]{6} parameters/);
  });

  it('unsupported options: strides, bias-free layers, softmax, channels_first, misplaced Reshape', () => {
    const conv = (change: (c: Mutable) => void) => edit(cnn.modelJson, (j) => change(j.modelTopology.config.layers[1].config));
    expectRejected(conv((c) => { c.strides = [2, 2]; }), cnn.weightData, /layers\[1\]\.config\.strides.*\[1, 1\]/);
    expectRejected(conv((c) => { c.use_bias = false; }), cnn.weightData, /use_bias/);
    expectRejected(conv((c) => { c.activation = 'softmax'; }), cnn.weightData, /activation.*"relu", "linear".*"softmax"/);
    expectRejected(conv((c) => { c.data_format = 'channels_first'; }), cnn.weightData, /data_format/);
    expectRejected(conv((c) => { c.kernel_size = [5, 3]; }), cnn.weightData, /kernel_size.*square/);
    expectRejected(edit(cnn.modelJson, (j) => { j.modelTopology.config.layers[0].config.target_shape = [28, 1, 28]; }), cnn.weightData, /Reshape/);
    expectRejected(edit(mlp.modelJson, (j) => { j.modelTopology.config.layers[0].config.batch_input_shape = [null, 28, 28]; }), mlp.weightData, /batch_input_shape/);
    expectRejected(edit(mlp.modelJson, (j) => { j.digitClassifier.normalization.std = 0; }), mlp.weightData, /digitClassifier\.normalization\.std/);
  });

  it('manifest that does not match the architecture', () => {
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[0].shape = [784, 127]; }), mlp.weightData, /weights\[0\]\.shape to be \[784, 128\]/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[1].name = 'dense_9/bias'; }), mlp.weightData, /"dense_9\/bias" is not a weight/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights.pop(); }), mlp.weightData, /lacks weights dense_2\/bias/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[3] = j.weightsManifest[0].weights[2]; }), mlp.weightData, /listed twice/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[0].dtype = 'int32'; }), mlp.weightData, /dtype.*"float32".*"int32"/);
    expectRejected(edit(mlp.modelJson, (j) => { j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8' }; }), mlp.weightData, /quantization\.scale/);
  });

  it('weight bytes one short or one long', () => {
    const bytes = new Uint8Array(mlp.weightData);
    expectRejected(mlp.modelJson, bytes.subarray(0, bytes.length - 1), new RegExp(`is ${bytes.length - 1} bytes, but weightsManifest describes ${bytes.length}`));
    const long = new Uint8Array(bytes.length + 1);
    long.set(bytes);
    expectRejected(mlp.modelJson, long, new RegExp(`is ${bytes.length + 1} bytes`));
  });

  it('NaN and Infinity weights', () => {
    for (const bad of [NaN, Infinity]) {
      const data = new Float32Array(mlp.weightData.slice(0));
      data[784 * 128 + 3] = bad; // dense_1/bias[3]
      expectRejected(mlp.modelJson, data.buffer, new RegExp(`dense_1/bias.*non-finite value ${bad} at index 3`));
    }
  });

  it('weight paths that escape the model folder', () => {
    expect(layersWeightPaths(mlp.modelJson, SOURCE)).toEqual(['weights.bin']);
    for (const path of ['../secret.bin', '/etc/passwd', 'a/../../b', 'C:\\x.bin', '']) {
      const json = edit(mlp.modelJson, (j) => { j.weightsManifest[0].paths = [path]; });
      expect(() => layersWeightPaths(json, SOURCE)).toThrow(ModelFormatError);
    }
  });
});

