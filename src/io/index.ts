/**
 * Model I/O without Node or the DOM: the TensorFlow.js Layers format
 * (model.json + weights.bin) for TF/Keras tooling, and the compact binary
 * format the package ships its pretrained models in. Readers treat their
 * input as untrusted and fail with `ModelFormatError`.
 *
 * @example
 * ```ts
 * import { toLayersModelArtifacts, encodeCompactModel, decodeCompactModel } from './io/index.js';
 * const { modelJson, weightData } = toLayersModelArtifacts(model);
 * const shipped = encodeCompactModel(model, { dtype: 'int8' });
 * ```
 */
export {
  LAYERS_WEIGHTS_FILE,
  fromLayersModelArtifacts,
  layersWeightPaths,
  toLayersModelArtifacts,
  type DigitClassifierExtra,
  type LayersModelJson,
  type LayersWeightEntry,
} from './layers-model.js';
export type { KerasLayerJson, KerasSequentialJson } from './to-keras-topology.js';
export {
  COMPACT_FORMAT,
  COMPACT_MAGIC,
  compactModelFromBase64,
  compactModelToBase64,
  decodeCompactModel,
  encodeCompactModel,
  type CompactModelOptions,
  type CompactWeightEntry,
} from './compact-model.js';
export { FLOAT16_MAX, float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array } from './float16.js';
export { MAX_MODEL_BYTES } from './model-checks.js';
