/**
 * Valid model files to mutate, and the invariants every model a loader
 * accepts must meet, shared by the model-loader fuzz targets.
 */
import { expect } from 'vitest';
import { createInference } from '../../../src/inference/index.js';
import { toLayersModelArtifacts, type LayersModelJson } from '../../../src/io/layers-model.js';
import { checkModelWeights } from '../../../src/io/model-checks.js';
import { toFloat16Array } from '../../../src/io/float16.js';
import { MNIST_NORMALIZATION, mlpSpec } from '../../../src/models/presets.js';
import type { ModelSpec, ModelWeights } from '../../../src/models/spec.js';
import { layerShapes } from '../../../src/models/weight-shapes.js';
import { mnistLikeImages, randomModel, randomPreset } from '../model-fixtures.js';

/** A small CNN with every layer kind, so mutations reach every reader branch cheaply. */
export const TINY_CNN: ModelSpec = {
  name: 'tiny-cnn',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'linear' },
    { kind: 'flatten' },
    { kind: 'dropout', rate: 0.25 },
    { kind: 'dense', units: 10, activation: 'linear' },
  ],
  normalization: MNIST_NORMALIZATION,
};

/** Models to start from: tiny ones (fast to check) and the real MLP preset. */
export const BASE_MODELS: readonly ModelWeights[] = [
  randomModel(mlpSpec({ name: 'tiny-mlp', hidden: [8] }), 11),
  randomModel(TINY_CNN, 12),
  randomPreset('mlp', 13),
];

/** A model's Layers artifacts with its weights stored float16, float32, uint8, float32… (TF.js converter quantization). */
export function quantizedLayersArtifacts(model: ModelWeights): { modelJson: unknown; weightData: Uint8Array } {
  const { modelJson } = toLayersModelArtifacts(model);
  const parts: Uint8Array[] = [];
  const entries = (modelJson as LayersModelJson).weightsManifest[0].weights.map((entry, i) => {
    const values = model.weights[i].values;
    if (i % 4 === 0) {
      parts.push(new Uint8Array(toFloat16Array(values).buffer));
      return { ...entry, quantization: { dtype: 'float16' } };
    }
    if (i % 4 === 2) {
      parts.push(Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)))));
      return { ...entry, quantization: { dtype: 'uint8', scale: 1 / 127.5, min: -1 } };
    }
    parts.push(new Uint8Array(values.buffer.slice(0)));
    return entry;
  });
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (weightData.set(p, at), at + p.length), 0);
  return { modelJson: { ...modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: entries }] }, weightData };
}

const PROBE = mnistLikeImages(1);

/**
 * What every accepted model must be: exactly the weights its spec needs
 * (names, shapes, Float32Array lengths, finite values), and usable: it
 * predicts a digit 0–9 with probabilities that sum to 1.
 */
export function checkAcceptedModel(model: ModelWeights): void {
  const expected = layerShapes(model.spec).weights;
  expect(model.weights.map((w) => [w.name, [...w.shape]])).toEqual(expected.map((w) => [w.name, [...w.shape]]));
  expect(() => checkModelWeights(model, 'accepted model')).not.toThrow();
  const { digit, probabilities } = createInference(model).predict(PROBE);
  expect(digit >= 0 && digit <= 9).toBe(true);
  const sum = probabilities.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - 1)).toBeLessThan(1e-4);
}
