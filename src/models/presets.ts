import { InvalidOptionError } from '../errors.js';
import type { LayerSpec, ModelSpec, Normalization } from './spec.js';

/** Default input normalisation: pixels / 255, nothing else (the lesson's [0, 1]). */
export const UNIT_NORMALIZATION: Normalization = Object.freeze({ mean: 0, std: 1 });

/** MNIST training-set pixel statistics after /255, for mean/std normalisation. */
export const MNIST_NORMALIZATION: Normalization = Object.freeze({ mean: 0.1307, std: 0.3081 });

/** Names of the built-in architectures. */
export type PresetName = 'mlp' | 'mlp-deep' | 'cnn';
export const PRESET_NAMES: readonly PresetName[] = Object.freeze(['mlp', 'mlp-deep', 'cnn']);

/** Options of {@link mlpSpec}. */
export interface MlpOptions {
  /** Hidden layer widths; the lesson uses one layer of 128. */
  hidden?: readonly number[];
  /** Dropout after each hidden layer (0 = none). */
  dropout?: number;
  normalization?: Normalization;
  name?: string;
}

/**
 * A multilayer perceptron 784 → hidden… (ReLU) → 10 logits.
 *
 * @example
 * ```ts
 * mlpSpec();                       // the lesson's 784-128-ReLU-10
 * mlpSpec({ hidden: [256, 128], dropout: 0.2 });
 * ```
 */
export function mlpSpec(options: MlpOptions = {}): ModelSpec {
  const hidden = options.hidden ?? [128];
  const dropout = options.dropout ?? 0;
  const layers: LayerSpec[] = [];
  for (const units of hidden) {
    layers.push({ kind: 'dense', units, activation: 'relu' });
    if (dropout > 0) layers.push({ kind: 'dropout', rate: dropout });
  }
  layers.push({ kind: 'dense', units: 10, activation: 'linear' });
  return {
    name: options.name ?? 'custom',
    inputShape: [784],
    layers,
    normalization: options.normalization ?? UNIT_NORMALIZATION,
  };
}

/**
 * A small CNN: conv5×5·16 → ReLU → pool2 → conv5×5·32 → ReLU → pool2 → dense 128 → 10.
 * About 100K parameters, like the lesson's MLP, but it sees neighbouring pixels.
 */
export function cnnSpec(options: { dropout?: number; normalization?: Normalization } = {}): ModelSpec {
  const dropout = options.dropout ?? 0.25;
  const layers: LayerSpec[] = [
    { kind: 'conv2d', filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv2d', filters: 32, kernelSize: 5, padding: 'valid', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 128, activation: 'relu' },
  ];
  if (dropout > 0) layers.push({ kind: 'dropout', rate: dropout });
  layers.push({ kind: 'dense', units: 10, activation: 'linear' });
  return { name: 'cnn', inputShape: [28, 28, 1], layers, normalization: options.normalization ?? UNIT_NORMALIZATION };
}

/**
 * The architecture of a built-in preset.
 * - `mlp`: the lesson's 784-128-ReLU-10.
 * - `mlp-deep`: the lesson's exercise (≥ 98.5 %), 784-256-128-10 with dropout 0.1.
 * - `cnn`: {@link cnnSpec}.
 */
export function presetSpec(name: string): ModelSpec {
  switch (name) {
    case 'mlp':
      return mlpSpec({ name: 'mlp' });
    case 'mlp-deep':
      return mlpSpec({ name: 'mlp-deep', hidden: [256, 128], dropout: 0.1 });
    case 'cnn':
      return cnnSpec();
    default:
      throw new InvalidOptionError(`Unknown model "${name}": expected one of ${PRESET_NAMES.join(', ')}`);
  }
}
