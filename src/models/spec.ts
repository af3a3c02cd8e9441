/**
 * Plain-data description of a model: the architecture ({@link ModelSpec}) and a
 * weight snapshot ({@link ModelWeights}). This is the common currency between
 * training (tfjs tensors), model files (model.json + weights.bin, the compact
 * shipped format) and the tensor-free inference path used by the widgets.
 *
 * Weight layouts follow Keras, so a saved model loads in `tf.loadLayersModel`:
 * dense kernels are `[inputUnits, units]`, conv kernels `[kh, kw, inChannels, filters]`,
 * biases `[units]`. Activations are laid out NHWC; `flatten` flattens in HWC order.
 */

/** A fully connected layer. */
export interface DenseLayerSpec {
  readonly kind: 'dense';
  /** Output units. */
  readonly units: number;
  /** `relu` for hidden layers; the last layer is `linear` (it outputs logits). */
  readonly activation: 'relu' | 'linear';
}

/** A 2-D convolution, stride 1. */
export interface Conv2dLayerSpec {
  readonly kind: 'conv2d';
  readonly filters: number;
  /** Square kernel size, e.g. 3 or 5. */
  readonly kernelSize: number;
  readonly padding: 'same' | 'valid';
  readonly activation: 'relu' | 'linear';
}

/** Max pooling with a square window and equal stride. */
export interface MaxPoolLayerSpec {
  readonly kind: 'maxpool';
  readonly size: number;
}

/** Flattens `[h, w, c]` activations to a vector (HWC order, as Keras does). */
export interface FlattenLayerSpec {
  readonly kind: 'flatten';
}

/** Dropout: active only during training (inverted dropout), identity at inference. */
export interface DropoutLayerSpec {
  readonly kind: 'dropout';
  /** Fraction of units dropped, in [0, 1). */
  readonly rate: number;
}

export type LayerSpec =
  | DenseLayerSpec
  | Conv2dLayerSpec
  | MaxPoolLayerSpec
  | FlattenLayerSpec
  | DropoutLayerSpec;

/**
 * How a model tells a digit from a drawing that is not one (a letter, a
 * smiley, a scribble): `isDigit = digitScore >= threshold`.
 *
 * - A model whose last layer has 11 units has a "not a digit" output (the
 *   11th logit, trained on synthetic non-digits): `digitScore` is
 *   1 − P(not a digit) under the softmax over all 11 logits.
 * - A model with 10 outputs has no such output: `digitScore` is the top digit
 *   probability, a much weaker signal (see the README's "Not a digit").
 */
export interface NonDigitSpec {
  /** `isDigit` is `digitScore >= threshold`; chosen on held-out digits (see `chooseDigitThreshold`). */
  readonly threshold: number;
}

/** Architecture of a classifier taking 28×28 grayscale digits and returning 10 digit logits (plus, optionally, a "not a digit" logit). */
export interface ModelSpec {
  /** Preset name (`mlp`, `mlp-deep`, `cnn`) or `custom`. */
  readonly name: string;
  /**
   * Input shape per example. `[784]` for MLPs, `[28, 28, 1]` for CNNs. Models
   * always accept flat `[batch, 784]` input; a CNN reshapes it first.
   */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  /** How the input pixels (0–255) are normalised before the first layer. */
  readonly normalization: Normalization;
  /**
   * The threshold behind `Prediction.isDigit`. Absent: `DEFAULT_DIGIT_THRESHOLD`
   * for the model's kind of score. A last layer of 11 units is the "not a digit" output.
   */
  readonly nonDigit?: NonDigitSpec;
}

/** Input normalisation: `x / 255`, then optionally `(x - mean) / std`. */
export interface Normalization {
  readonly mean: number;
  readonly std: number;
}

/** One named weight tensor in Keras layout. */
export interface WeightTensor {
  /** Keras-style name, e.g. `dense_1/kernel`, `conv2d_1/bias`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A model's architecture plus a copy of its weights, detached from any backend. */
export interface ModelWeights {
  readonly spec: ModelSpec;
  /** In layer order; each parameterised layer contributes `kernel` then `bias`. */
  readonly weights: readonly WeightTensor[];
}
