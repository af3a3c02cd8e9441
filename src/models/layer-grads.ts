import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient kernels expressed through ops that every backend we ship has,
 * including WASM (which lacks `Conv2DBackpropFilter`, tfjs issue 8474) and
 * avoiding WASM's slow transposed matmuls (it only runs plain `A·B` through
 * XNNPACK; `transposeA`/`transposeB` fall back to a naive loop).
 */

/** `aᵀ · b` as an explicit transpose then a plain matmul (3–10× faster on WASM than `transposeA`). */
export function matMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(a), b);
}

/** `a · bᵀ` as an explicit transpose then a plain matmul. */
export function matMulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, tf.transpose(b));
}

/**
 * Gradient of a stride-1 convolution with respect to its filter, written as a
 * forward convolution: with the input channels as the batch and the batch as
 * the channels, `dW[kh,kw,ci,co] = Σ_{b,i,j} x[b,i+kh,j+kw,ci]·dy[b,i,j,co]`
 * is `conv2d(xᵀ, dyᵀ)`. Works on any backend that has `Conv2D`.
 *
 * @param x input `[b, h, w, ci]` (already padded for 'same')
 * @param dy output gradient `[b, oh, ow, co]`
 * @returns `[kh, kw, ci, co]` with `kh = h - oh + 1`
 */
export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const xT = tf.transpose(x, [3, 1, 2, 0]); // [ci, h, w, b]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, b, co] as a filter
  const g = tf.conv2d(xT, dyT, 1, 'valid'); // [ci, kh, kw, co]
  return tf.transpose(g, [1, 2, 0, 3]);
}

/** Zero padding that TF's 'same' applies for a stride-1, k×k kernel: [before, after]. */
export function samePadding(k: number): [number, number] {
  const total = k - 1;
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Gradient of a VALID max pool (stride = window) with respect to its input. */
export function maxPoolInputGrad(dy: tf.Tensor4D, input: tf.Tensor4D, output: tf.Tensor4D, size: number): tf.Tensor4D {
  return tf.engine().runKernel(
    'MaxPoolGrad',
    { dy, input, output },
    { filterSize: [size, size], strides: [size, size], pad: 'valid', dimRoundingMode: undefined } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor4D;
}

/** Gradient of a stride-1 convolution with respect to its input. */
export function conv2dInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], padding: 'same' | 'valid'): tf.Tensor4D {
  return tf.conv2dTranspose(dy, filter, inputShape, 1, padding);
}
