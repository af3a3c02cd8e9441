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

/**
 * Gradient of a stride-1 convolution with respect to its input, as a forward
 * convolution of the padded output gradient with the flipped, transposed
 * filter. (WASM's own `Conv2DBackpropInput` is a naive loop, ~10× slower.)
 *
 * With `a` the padding before (0 for 'valid'), `dx[j] = Σ_k dy[j + a − k]·w[k]`:
 * pad `dy` by `k − 1 − a` before and `h − oh + k − 1 − (k − 1 − a)` after, then
 * correlate with `w` reversed in space and with its channel axes swapped.
 */
export function conv2dInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], padding: 'same' | 'valid'): tf.Tensor4D {
  const k = filter.shape[0];
  const a = padding === 'same' ? samePadding(k)[0] : 0;
  const before = k - 1 - a;
  const [, h, w] = inputShape;
  const afterH = h - dy.shape[1] + k - 1 - before;
  const afterW = w - dy.shape[2] + k - 1 - before;
  const padded = tf.pad(dy, [[0, 0], [before, afterH], [before, afterW], [0, 0]]);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(padded, flipped, 1, 'valid');
}
