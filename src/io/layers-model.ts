/**
 * Our models in the TensorFlow.js Layers format (model.json + weights.bin), so
 * they load with `tf.loadLayersModel` and convert to Keras with
 * `tensorflowjs_converter`; and back, from files treated as untrusted.
 *
 * Normalisation is not part of the graph: the exported model expects input
 * already normalised as `(pixel / 255 − mean) / std`. The spec's name and
 * `{ mean, std }` travel in the extra `digitClassifier` field of model.json
 * (TF tooling ignores it). With the default `{ mean: 0, std: 1 }` the graph
 * takes plain `pixel / 255`.
 */
import { InvalidOptionError, ModelFormatError } from '../errors.js';
import type { ModelSpec, ModelWeights, NonDigitSpec, Normalization, WeightTensor } from '../models/spec.js';
import { UNIT_NORMALIZATION } from '../models/presets.js';
import { checkActivationBound, checkModelWeights, expectedWeightsFromFile, sizeOf } from './model-checks.js';
import { fromKerasTopology } from './from-keras-topology.js';
import { readLayersWeights, type LayersWeightEntry } from './read-layers-weights.js';
import { parseNonDigit, parseNormalization } from './parse-model-spec.js';
import { toKerasTopology, type KerasSequentialJson } from './to-keras-topology.js';
import { writeFloat32LE } from './little-endian.js';
import { JsonReader, parseJsonText } from './untrusted-json.js';

export type { LayersWeightEntry } from './read-layers-weights.js';

/** File name of the weights shard that {@link toLayersModelArtifacts} lists in its manifest. */
export const LAYERS_WEIGHTS_FILE = 'weights.bin';

/** Our extra model.json field: what the TF graph cannot say. */
export interface DigitClassifierExtra {
  /** 2 when `nonDigit` is present (the model has a "not a digit" threshold), else 1. */
  readonly formatVersion: 1 | 2;
  readonly name: string;
  /** Apply `(pixel / 255 − mean) / std` before feeding the graph. */
  readonly normalization: Normalization;
  /** `isDigit = digitScore >= threshold`; the graph's 11th output (if any) is "not a digit". */
  readonly nonDigit?: NonDigitSpec;
}

/** A TensorFlow.js Layers model.json, as {@link toLayersModelArtifacts} writes it. */
export interface LayersModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: KerasSequentialJson;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly LayersWeightEntry[] }[];
  readonly digitClassifier: DigitClassifierExtra;
}

/**
 * model.json and the weights.bin bytes for `model` (float32, little-endian,
 * in layer order).
 *
 * @example
 * ```ts
 * const { modelJson, weightData } = toLayersModelArtifacts(model);
 * // In TF.js: tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology,
 * //   weightSpecs: modelJson.weightsManifest[0].weights, weightData }))
 * ```
 */
export function toLayersModelArtifacts(model: ModelWeights): { modelJson: LayersModelJson; weightData: ArrayBuffer } {
  const expected = checkModelWeights(model, 'model');
  const total = expected.reduce((n, w) => n + sizeOf(w.shape) * 4, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const w of model.weights) {
    writeFloat32LE(bytes, offset, w.values);
    offset += w.values.byteLength;
  }
  const { spec } = model;
  const modelJson: LayersModelJson = {
    format: 'layers-model',
    generatedBy: 'digit-classifier',
    convertedBy: null,
    modelTopology: toKerasTopology(spec),
    weightsManifest: [
      { paths: [LAYERS_WEIGHTS_FILE], weights: expected.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' as const })) },
    ],
    digitClassifier: {
      formatVersion: spec.nonDigit ? 2 : 1,
      name: spec.name,
      normalization: { mean: spec.normalization.mean, std: spec.normalization.std },
      ...(spec.nonDigit ? { nonDigit: { threshold: spec.nonDigit.threshold } } : {}),
    },
  };
  return { modelJson, weightData: bytes.buffer };
}

/**
 * Reads a TensorFlow.js Layers model (ours, or a compatible Keras Sequential)
 * from untrusted model.json content (parsed or as text) and its weight bytes
 * (all shards, concatenated in manifest order). Everything is checked before
 * use; any problem is a {@link ModelFormatError} naming `source` and the field.
 *
 * @example
 * ```ts
 * const model = fromLayersModelArtifacts(JSON.parse(jsonText), weightsBin, 'models/cnn/model.json');
 * ```
 */
export function fromLayersModelArtifacts(modelJson: unknown, weightData: ArrayBuffer | Uint8Array, source: string): ModelWeights {
  if (typeof source !== 'string') throw new InvalidOptionError(`Expected source to be a string, got ${typeof source}`);
  let bytes: Uint8Array;
  if (weightData instanceof Uint8Array) bytes = weightData;
  else if (weightData instanceof ArrayBuffer) bytes = new Uint8Array(weightData);
  else throw new InvalidOptionError(`Expected weightData to be an ArrayBuffer or Uint8Array, got ${typeof weightData}`);

  const r = new JsonReader(source);
  const top = r.object(typeof modelJson === 'string' ? parseJsonText(modelJson, source) : modelJson, 'model.json');
  const format = r.get(top, 'format');
  if (!r.absent(format)) r.oneOf(format, 'format', ['layers-model'] as const);

  const topology = fromKerasTopology(r.get(top, 'modelTopology'), r);
  let name = topology.name;
  let normalization: Normalization = UNIT_NORMALIZATION;
  let nonDigit: NonDigitSpec | undefined;
  const extraValue = r.get(top, 'digitClassifier');
  if (!r.absent(extraValue)) {
    const extra = r.object(extraValue, 'digitClassifier');
    const version = r.int(r.get(extra, 'formatVersion'), 'digitClassifier.formatVersion', 1, 2);
    name = r.string(r.get(extra, 'name'), 'digitClassifier.name', 128);
    normalization = parseNormalization(r.get(extra, 'normalization'), r, 'digitClassifier.normalization');
    const nonDigitValue = r.get(extra, 'nonDigit');
    if (version >= 2 && !r.absent(nonDigitValue)) nonDigit = parseNonDigit(nonDigitValue, r, 'digitClassifier.nonDigit');
  }
  const spec: ModelSpec = { name, inputShape: topology.inputShape, layers: topology.layers, normalization, ...(nonDigit ? { nonDigit } : {}) };
  const expected = expectedWeightsFromFile(spec, source);

  // The file names weights after its own layers; ours are canonical (dense_1/kernel...).
  const fileNames = topology.weightLayerNames.flatMap((layer) => [`${layer}/kernel`, `${layer}/bias`]);
  const values = readLayersWeights(r.get(top, 'weightsManifest'), bytes, r, expected, fileNames);
  const weights: WeightTensor[] = expected.map((w, i) => ({ name: w.name, shape: [...w.shape], values: values[i] }));
  const model = { spec, weights };
  checkActivationBound(model, (message) => new ModelFormatError(`${source}: ${message}`));
  return model;
}

/** A relative path: `/`-separated names of letters, digits and `._-`. */
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * The weight files a model.json lists, in the order their bytes are to be
 * concatenated, checked to be plain relative paths (letters, digits, `._-`,
 * `/` between names; no `..`, no absolute paths) so a hostile manifest cannot
 * make a loader read outside the model's folder or URL.
 *
 * @example
 * ```ts
 * layersWeightPaths(modelJson, 'model.json'); // ['weights.bin']
 * ```
 */
export function layersWeightPaths(modelJson: unknown, source: string): string[] {
  const r = new JsonReader(source);
  const top = r.object(typeof modelJson === 'string' ? parseJsonText(modelJson, source) : modelJson, 'model.json');
  const groups = r.array(r.get(top, 'weightsManifest'), 'weightsManifest', 64);
  const paths: string[] = [];
  groups.forEach((g, gi) => {
    const group = r.object(g, `weightsManifest[${gi}]`);
    const list = r.array(r.get(group, 'paths'), `weightsManifest[${gi}].paths`, 1024);
    list.forEach((p, pi) => {
      const field = `weightsManifest[${gi}].paths[${pi}]`;
      const path = r.string(p, field, 255);
      if (!SAFE_PATH.test(path) || path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
        r.fail(field, 'a relative path of names made of letters, digits, "._-" (no "..")', path);
      }
      paths.push(path);
    });
  });
  return paths;
}
