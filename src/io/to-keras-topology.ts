/**
 * Writes a {@link ModelSpec} as a Keras `Sequential` topology, the
 * `modelTopology` of a TensorFlow.js Layers model.json, in the exact shape
 * tfjs-layers 4.x itself saves (snake_case configs, full initializer fields),
 * so `tf.loadLayersModel` and the Python converter both read it.
 *
 * The graph takes flat `[batch, 784]` input, like our models: a CNN starts
 * with `Reshape([28, 28, 1])`. Normalisation is not part of the graph.
 */
import type { LayerSpec, ModelSpec } from '../models/spec.js';

/** One layer of a Keras topology: `{ class_name, config }`. */
export interface KerasLayerJson {
  readonly class_name: string;
  readonly config: { readonly name: string; readonly [key: string]: unknown };
}

/** A Keras `Sequential` topology as stored in model.json. */
export interface KerasSequentialJson {
  readonly class_name: 'Sequential';
  readonly config: { readonly name: string; readonly layers: readonly KerasLayerJson[] };
  readonly keras_version: string;
  readonly backend: string;
}

/** Keras class names per layer kind, and the prefix of their default layer names. */
const KERAS_NAMES: Readonly<Record<LayerSpec['kind'], readonly [string, string]>> = {
  dense: ['Dense', 'dense'],
  conv2d: ['Conv2D', 'conv2d'],
  maxpool: ['MaxPooling2D', 'max_pooling2d'],
  flatten: ['Flatten', 'flatten'],
  dropout: ['Dropout', 'dropout'],
};

const GLOROT_NORMAL = {
  class_name: 'VarianceScaling',
  config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null },
};
const ZEROS = { class_name: 'Zeros', config: {} };
const NO_REGULARIZATION = {
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

/**
 * The Keras topology of `spec`. Layers are named `<prefix>_<n>` counted per
 * kind (`dense_1`, `conv2d_2`...), which makes their weights `dense_1/kernel`
 * and so on: the names tfjs-layers matches weights by, and the names
 * {@link layerShapes} gives them.
 *
 * @example
 * ```ts
 * toKerasTopology(presetSpec('mlp')).config.layers.map((l) => l.class_name); // ['Dense', 'Dense']
 * ```
 * @internal
 */
export function toKerasTopology(spec: ModelSpec): KerasSequentialJson {
  const layers: KerasLayerJson[] = [];
  const counts = new Map<string, number>();
  const nextName = (prefix: string): string => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    return `${prefix}_${n}`;
  };
  const batchInputShape = [null, 784];
  if (spec.inputShape.length === 3) {
    layers.push({
      class_name: 'Reshape',
      config: { target_shape: [...spec.inputShape], name: nextName('reshape'), trainable: true, batch_input_shape: batchInputShape, dtype: 'float32' },
    });
  }
  for (const layer of spec.layers) {
    const [className, prefix] = KERAS_NAMES[layer.kind];
    const config: Record<string, unknown> = { ...layerConfig(layer), name: nextName(prefix), trainable: true };
    if (layers.length === 0) Object.assign(config, { batch_input_shape: batchInputShape, dtype: 'float32' });
    layers.push({ class_name: className, config: config as KerasLayerJson['config'] });
  }
  return {
    class_name: 'Sequential',
    config: { name: spec.name, layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/** The class-specific part of a layer's Keras config. */
function layerConfig(layer: LayerSpec): Record<string, unknown> {
  switch (layer.kind) {
    case 'dense':
      return {
        units: layer.units,
        activation: layer.activation,
        use_bias: true,
        kernel_initializer: GLOROT_NORMAL,
        bias_initializer: ZEROS,
        ...NO_REGULARIZATION,
      };
    case 'conv2d':
      return {
        filters: layer.filters,
        kernel_size: [layer.kernelSize, layer.kernelSize],
        strides: [1, 1],
        padding: layer.padding,
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: layer.activation,
        use_bias: true,
        kernel_initializer: GLOROT_NORMAL,
        bias_initializer: ZEROS,
        ...NO_REGULARIZATION,
      };
    case 'maxpool':
      return {
        pool_size: [layer.size, layer.size],
        padding: 'valid',
        strides: [layer.size, layer.size],
        data_format: 'channels_last',
      };
    case 'flatten':
      return {};
    case 'dropout':
      return { rate: layer.rate, noise_shape: null, seed: null };
  }
}
