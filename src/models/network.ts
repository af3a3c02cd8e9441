import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ModelFormatError } from '../errors.js';
import { conv2dFilterGrad, conv2dInputGrad, matMulTA, matMulTB, maxPoolInputGrad, samePadding } from './layer-grads.js';
import type { LayerSpec, ModelSpec, ModelWeights, WeightTensor } from './spec.js';
import { layerShapes, type WeightShape } from './weight-shapes.js';
import { conv2dFilterGradGemm, IM2COL_MAX_CHANNELS, maxPoolInputGradJs, useGemmGradients } from './conv-gemm.js';
import { checkActivationBound } from '../io/model-checks.js';
import { withDigitThreshold } from './non-digit-output.js';

/** Uniform random source for dropout masks and initialisation (seeded in training). */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

/** What a layer's forward pass keeps for its backward pass. */
interface LayerCache {
  input: tf.Tensor;
  output: tf.Tensor;
  mask?: tf.Tensor;
}

/** Result of {@link Network.forward}. */
export interface ForwardResult {
  logits: tf.Tensor2D;
  caches: LayerCache[];
}

/**
 * A feed-forward classifier on tfjs-core with hand-written backward passes.
 * It owns one `tf.Variable` per weight (Keras names and layouts, see
 * {@link layerShapes}) and disposes them in {@link dispose}.
 *
 * Why not autodiff: on WASM the autodiff of `matMul` runs transposed matmuls
 * through a naive loop, and `conv2d` has no filter gradient at all; explicit
 * backward passes avoid both and skip the unused input gradient of the first
 * layer. `test/core/network-gradients.test.ts` checks them against finite
 * differences.
 */
export class Network {
  private currentSpec: ModelSpec;
  readonly params: tf.Variable[];
  private readonly paramIndex: number[];

  private constructor(spec: ModelSpec, values: Float32Array[]) {
    const { weights } = layerShapes(spec);
    this.currentSpec = spec;
    // tidy disposes the initial tensors; the variables survive it.
    this.params = tf.tidy(() => weights.map((w, i) => tf.variable(tf.tensor(values[i], [...w.shape], 'float32'), true, `${w.name.replace(/\//g, '_')}_${uid()}`)));
    this.paramIndex = [];
    let p = 0;
    for (const layer of spec.layers) {
      this.paramIndex.push(p);
      if (layer.kind === 'dense' || layer.kind === 'conv2d') p += 2;
    }
  }

  /** The architecture (and, once chosen, the "not a digit" threshold). */
  get spec(): ModelSpec {
    return this.currentSpec;
  }

  /** Stores the threshold behind `Prediction.isDigit` (chosen after training, see `chooseDigitThreshold`). */
  setDigitThreshold(threshold: number): void {
    this.currentSpec = withDigitThreshold(this.currentSpec, threshold);
  }

  /** A freshly initialised network: He-normal kernels (the lesson's init), zero biases. */
  static create(spec: ModelSpec, rng: RandomSource): Network {
    const { weights } = layerShapes(spec);
    const values = weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const out = new Float32Array(size);
      if (w.name.endsWith('/kernel')) {
        const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const std = Math.sqrt(2 / fanIn);
        for (let i = 0; i < size; i++) out[i] = gaussian(rng) * std;
      }
      return out;
    });
    return new Network(spec, values);
  }

  /** A network holding a copy of the given weights (validated against the spec). */
  static fromWeights(model: ModelWeights): Network {
    const { weights } = layerShapes(model.spec);
    if (model.weights.length !== weights.length) {
      throw new ModelFormatError(`Expected ${weights.length} weight tensors for model "${model.spec.name}", got ${model.weights.length}`);
    }
    const values = weights.map((w, i) => checkWeightFits(w, model.weights[i]));
    checkActivationBound(model, (message) => new ModelFormatError(`Model "${model.spec.name}": ${message}`));
    return new Network(model.spec, values);
  }

  /** True when the first layer is dense, so a trainer can pass the transposed batch to {@link backward}. */
  get firstLayerIsDense(): boolean {
    return this.spec.layers[0]?.kind === 'dense';
  }

  /**
   * Forward pass on a normalised `[batch, 784]` input. Call inside `tf.tidy`
   * (or a scope): the caches are intermediate tensors.
   */
  forward(x: tf.Tensor2D, training: boolean, rng?: RandomSource): ForwardResult {
    let h: tf.Tensor = this.spec.inputShape.length === 3 ? tf.reshape(x, [x.shape[0], ...this.spec.inputShape]) : x;
    const caches: LayerCache[] = [];
    this.spec.layers.forEach((layer, i) => {
      const input = h;
      let mask: tf.Tensor | undefined;
      h = this.layerForward(layer, i, h, training, rng, (m) => (mask = m));
      caches.push({ input, output: h, mask });
    });
    return { logits: h as tf.Tensor2D, caches };
  }

  /**
   * The activations after the first `count` layers in inference mode (no
   * dropout), `[batch, …]`; `count` 0 gives the input, reshaped for a CNN.
   * What a frozen trunk hands a head being fine-tuned (`Trainer.adapt`).
   * Call inside `tf.tidy`.
   */
  forwardLayers(x: tf.Tensor2D, count: number): tf.Tensor {
    let h: tf.Tensor = this.spec.inputShape.length === 3 ? tf.reshape(x, [x.shape[0], ...this.spec.inputShape]) : x;
    for (let i = 0; i < count; i++) h = this.layerForward(this.spec.layers[i], i, h, false, undefined, () => undefined);
    return h;
  }

  /** Index in {@link params} of layer `layer`'s kernel (its bias follows); -1 for a layer without weights. */
  paramIndexOf(layer: number): number {
    const kind = this.spec.layers[layer]?.kind;
    return kind === 'dense' || kind === 'conv2d' ? this.paramIndex[layer] : -1;
  }

  private layerForward(layer: LayerSpec, i: number, h: tf.Tensor, training: boolean, rng: RandomSource | undefined, setMask: (m: tf.Tensor) => void): tf.Tensor {
    const p = this.paramIndex[i];
    switch (layer.kind) {
      case 'dense':
        return tf.fused.matMul({ a: h as tf.Tensor2D, b: this.params[p] as tf.Tensor2D, bias: this.params[p + 1], activation: layer.activation });
      case 'conv2d':
        return tf.fused.conv2d({ x: h as tf.Tensor4D, filter: this.params[p] as tf.Tensor4D, strides: 1, pad: layer.padding, bias: this.params[p + 1], activation: layer.activation });
      case 'maxpool':
        return tf.maxPool(h as tf.Tensor4D, layer.size, layer.size, 'valid');
      case 'flatten':
        return tf.reshape(h, [h.shape[0], -1]);
      case 'dropout': {
        if (!training || layer.rate === 0) return h;
        if (!rng) throw new InvalidOptionError('Dropout in training needs a random source');
        const m = dropoutMask(h.size, layer.rate, rng);
        const mask = tf.tensor(m, h.shape);
        setMask(mask);
        return tf.mul(h, mask);
      }
    }
  }

  /**
   * Backward pass: gradients of the loss for every parameter, aligned with
   * {@link params}. `dLogits` is ∂loss/∂logits. `xT`, the transposed input
   * batch `[784, batch]`, lets the first dense layer skip a transpose.
   */
  backward(dLogits: tf.Tensor2D, caches: LayerCache[], xT?: tf.Tensor2D): tf.Tensor[] {
    const grads: tf.Tensor[] = new Array(this.params.length);
    const gemm = useGemmGradients(); // conv and pool gradients through GEMM and JS (conv-gemm.ts): faster than tfjs's WASM kernels here
    let dy: tf.Tensor = dLogits;
    for (let i = this.spec.layers.length - 1; i >= 0; i--) {
      const layer = this.spec.layers[i];
      const { input, output, mask } = caches[i];
      const p = this.paramIndex[i];
      const needInput = i > 0;
      switch (layer.kind) {
        case 'dense': {
          if (layer.activation === 'relu') dy = tf.mul(dy, tf.step(output));
          const d2 = dy as tf.Tensor2D;
          grads[p] = i === 0 && xT ? tf.matMul(xT, d2) : matMulTA(input as tf.Tensor2D, d2);
          grads[p + 1] = tf.sum(d2, 0);
          if (needInput) dy = matMulTB(d2, this.params[p] as tf.Tensor2D);
          break;
        }
        case 'conv2d': {
          if (layer.activation === 'relu') dy = tf.mul(dy, tf.step(output));
          const d4 = dy as tf.Tensor4D;
          const x4 = input as tf.Tensor4D;
          const k = layer.kernelSize;
          let xp = x4;
          if (layer.padding === 'same' && k > 1) {
            const [a, b] = samePadding(k);
            xp = tf.pad(x4, [[0, 0], [a, b], [a, b], [0, 0]]);
          }
          grads[p] = gemm && x4.shape[3] <= IM2COL_MAX_CHANNELS ? conv2dFilterGradGemm(xp, d4) : conv2dFilterGrad(xp, d4);
          grads[p + 1] = tf.sum(d4, [0, 1, 2]);
          if (needInput) dy = conv2dInputGrad(d4, this.params[p] as tf.Tensor4D, x4.shape, layer.padding);
          break;
        }
        case 'maxpool':
          dy = gemm ? maxPoolInputGradJs(dy as tf.Tensor4D, input as tf.Tensor4D, layer.size) : maxPoolInputGrad(dy as tf.Tensor4D, input as tf.Tensor4D, output as tf.Tensor4D, layer.size);
          break;
        case 'flatten':
          dy = tf.reshape(dy, input.shape);
          break;
        case 'dropout':
          if (mask) dy = tf.mul(dy, mask);
          break;
      }
    }
    return grads;
  }

  /** A detached copy of the weights (Keras layout), e.g. to save or to run without tfjs. */
  async getWeights(): Promise<ModelWeights> {
    const { weights } = layerShapes(this.spec);
    const values = await Promise.all(this.params.map((p) => p.data() as Promise<Float32Array>));
    return { spec: this.spec, weights: weights.map((w, i) => ({ name: w.name, shape: w.shape, values: Float32Array.from(values[i]) })) };
  }

  /**
   * Overwrites the weights with `model`'s (same architecture required). Every
   * tensor is checked (shape, finite values) before any is assigned, so a bad
   * model leaves the current weights as they were.
   */
  setWeights(model: ModelWeights): void {
    const { weights } = layerShapes(this.spec);
    weights.forEach((w, i) => checkWeightFits(w, model.weights[i]));
    checkActivationBound({ spec: this.spec, weights: model.weights }, (message) => new ModelFormatError(`Model "${model.spec?.name}": ${message}`));
    tf.tidy(() => weights.forEach((w, i) => this.params[i].assign(tf.tensor(model.weights[i].values, [...w.shape]))));
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.params.reduce((a, p) => a + p.size, 0);
  }

  /** Releases every tensor this network owns. */
  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/**
 * The values of `got` if it is a tensor of `w`'s exact shape holding only
 * finite numbers; otherwise a ModelFormatError (a transposed kernel has the
 * right length but not the right shape, and one NaN poisons every output).
 */
function checkWeightFits(w: WeightShape, got: WeightTensor | undefined): Float32Array {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (!got || got.values?.length !== size || got.shape?.join(',') !== w.shape.join(',')) {
    const what = got ? `${got.name} of shape [${got.shape?.join(', ')}] (${got.values?.length} values)` : 'nothing';
    throw new ModelFormatError(`Expected ${w.name} of shape [${w.shape.join(', ')}], got ${what}`);
  }
  for (let j = 0; j < size; j++) {
    const v = got.values[j];
    if (!Number.isFinite(v)) throw new ModelFormatError(`Expected finite values in ${w.name}, got ${v} at index ${j}`);
  }
  return got.values;
}

let counter = 0;
function uid(): number {
  return ++counter;
}

/**
 * An inverted-dropout mask: each unit kept with probability `1 − rate` and
 * scaled by 1/keep. Each 32-bit draw decides four units (one byte each), so the
 * keep probability is rounded to a multiple of 1/256 and the scale uses that
 * rounded value: the mask's mean stays exactly 1.
 */
function dropoutMask(size: number, rate: number, rng: RandomSource): Float32Array {
  const threshold = Math.max(1, Math.round((1 - rate) * 256));
  const scale = 256 / threshold;
  const m = new Float32Array(size);
  for (let k = 0; k < size; k += 4) {
    let bits = Math.floor(rng.next() * 4294967296);
    for (let j = k; j < Math.min(size, k + 4); j++) {
      m[j] = (bits & 255) < threshold ? scale : 0;
      bits >>>= 8;
    }
  }
  return m;
}

/** Standard normal by Box–Muller from a uniform source. */
function gaussian(rng: RandomSource): number {
  let u = 0;
  while (u <= Number.EPSILON) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
