/**
 * digit-classifier: a real MNIST digit classifier on @tensorflow/tfjs-core.
 * The headless core: data, models, training, metrics, preprocessing and model
 * I/O. No DOM and no Node APIs here (see `digit-classifier/node` for files and
 * the Node backend setup), so it runs in Node, in a worker and on a page.
 *
 * Backends are registered by importing `digit-classifier/backends` (a
 * side-effect module) or `digit-classifier/node`, then chosen with
 * {@link useBackend}.
 */
export * from './errors.js';

// Data
export { parseIdx, decodeIdx, DEFAULT_IDX_MAX_BYTES, type IdxArray, type DecodeIdxOptions } from './data/idx.js';
export { mnistSetFromIdx, subsetMnist, decodeMnist, MNIST_PIXELS, MNIST_SIZE, type MnistSet, type MnistSourceNames } from './data/mnist-set.js';
export { createRng, type Rng } from './data/rng.js';
export { permutation } from './data/permutation.js';
export { augmentDigit, augmentBatch, AUGMENT_DEFAULTS, type AugmentOptions } from './data/augment.js';
export { BatchBuilder, normalizationTable, type Batch } from './data/batch-builder.js';
export * from './data/non-digits/index.js';

// Models
export type { ModelSpec, ModelWeights, LayerSpec, DenseLayerSpec, Conv2dLayerSpec, MaxPoolLayerSpec, FlattenLayerSpec, DropoutLayerSpec, Normalization, NonDigitSpec, WeightTensor } from './models/spec.js';
export { DEFAULT_DIGIT_THRESHOLD, DIGIT_CLASSES, NON_DIGIT_CLASS, digitReading, hasNonDigitOutput, outputUnits, withDigitThreshold, withNonDigitOutput, withNonDigitWeights, type DigitReading } from './models/non-digit-output.js';
export { mlpSpec, cnnSpec, presetSpec, PRESET_NAMES, UNIT_NORMALIZATION, MNIST_NORMALIZATION, type PresetName, type MlpOptions } from './models/presets.js';
export { layerShapes, type WeightShape } from './models/weight-shapes.js';
export { Network, type RandomSource, type ForwardResult } from './models/network.js';

// Training
export { Trainer, type TrainData, type TrainerOptions, type FitOptions, type BatchProgress, type EpochResult, type EpochNonDigitResult } from './train/trainer.js';
export { NON_DIGIT_TRAINING_DEFAULTS, type NonDigitTraining } from './train/non-digit-training.js';
export { ADAPT_DEFAULTS, checkAdaptExamples, type AdaptExamples, type AdaptOptions, type AdaptProgress, type AdaptResult } from './train/adapt-types.js';
export { TRAINING_ENGINE_CHOICES, type TrainingEngineChoice, type TrainingEngineName, type TrainingEngineOptions, type TrainingEngineReport } from './train/training-engine.js';
export { DEFAULT_TRAIN_CONFIG, resolveTrainConfig, type TrainConfig } from './train/train-config.js';
export { PRESET_RECIPES } from './train/recipes.js';
export { createOptimizer, OPTIMIZER_NAMES, type Optimizer, type OptimizerName, type OptimizerOptions, type OptimizerState } from './train/optimizer.js';
export { evaluateNetwork, type Evaluation } from './train/evaluate.js';
export { softmaxCrossEntropy } from './train/softmax-cross-entropy.js';
export { checkInputRange, LossWatch, ShuffleCheck, type TrainingWarning } from './train/diagnostics.js';

// Metrics
export * from './metrics/index.js';

// Preprocessing
export { toMnistPixels, centerOfMass, inkBoundingBox, MNIST_CENTER_OF_MASS, type ToMnistOptions, type RgbaImage, type Polarity, type CenterOfMass, type PixelBox } from './preprocess/to-mnist-pixels.js';

// Model I/O and tensor-free inference
export * from './io/index.js';
export { decodePng, encodePng, MAX_PNG_PIXELS } from './io/png.js';
export * from './inference/index.js';
export { loadPretrained, PRETRAINED_MODELS } from './pretrained/load-pretrained.js';
export type { PretrainedModel } from './pretrained/pretrained-model.js';

// Backends
export { useBackend, type BackendInfo, type BackendName, type UseBackendOptions } from './backend/use-backend.js';
