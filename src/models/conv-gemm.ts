/**
 * CNN gradients through GEMM for the WASM backend, where tfjs's own kernels
 * are slow on these shapes (profile: `node bench/build.mjs bench/profile-cnn.ts`):
 *
 * - the filter gradient of a layer with few input channels as `im2colᵀ · dy`
 *   (one XNNPACK matmul) instead of a convolution with the batch as channels,
 *   which tfjs runs at ~4 GFLOP/s for the 1-channel first layer (6.5 → 4.1 ms
 *   per batch of 64; for the 16-channel second layer the im2col copy costs more
 *   than it saves: 5.4 vs 7.7 ms, so it keeps the tfjs formulation);
 * - the max-pool gradient in JS: tfjs-backend-wasm's `MaxPoolGrad` took 23 ms of
 *   a ~60 ms step (JS: 10 ms), and it drops gradients for batch entries after
 *   the first (`test/core/network-gradients.test.ts` shows it against the CPU backend).
 * The input gradient stays a tfjs convolution: `dy · Wᵀ` then col2im measured
 * 11.5 ms against its 10.2 ms. (Figures: medians of 25 on a busy 2-core
 * machine; `bench/profile-cnn.ts` compares whole steps in one run.)
 *
 * They read tensors through {@link readTensor}: only for backends whose data
 * lives in CPU memory (WASM, CPU), never WebGPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { samePadding } from './layer-grads.js';
import { readTensor, scratchBuffer } from './tensor-memory.js';

/**
 * Which formulation `Network.backward` uses for conv and pool gradients:
 * `auto` takes the GEMM/JS ones on WASM only; `gemm` and `tfjs` force one
 * (benchmarks and tests compare the two in one run).
 */
export const convGradientPath: { mode: 'auto' | 'gemm' | 'tfjs' } = { mode: 'auto' };

/** Whether the GEMM/JS formulation runs on the active backend. */
export function useGemmGradients(): boolean {
  const { mode } = convGradientPath;
  return mode === 'gemm' || (mode === 'auto' && tf.getBackend() === 'wasm');
}

/** Input channels up to which the im2col filter gradient beats tfjs's (measured: 1 wins, 16 loses). */
export const IM2COL_MAX_CHANNELS = 4;

/**
 * Gradient of a stride-1 convolution with respect to its filter, `colsᵀ · dy`.
 *
 * @param xp input `[b, h, w, ci]`, already padded for 'same'
 * @param dy output gradient `[b, oh, ow, co]`
 * @returns `[k, k, ci, co]` with `k = h − oh + 1`
 */
export function conv2dFilterGradGemm(xp: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, ci] = xp.shape;
  const [, oh, ow, co] = dy.shape;
  const k = h - oh + 1;
  const n = b * oh * ow;
  const colsT = scratchBuffer('conv-filter-grad', k * k * ci * n); // row (kh, kw, c), column (b, i, j)
  const x = readTensor(xp);
  let row = 0;
  for (let kh = 0; kh < k; kh++) {
    for (let kw = 0; kw < k; kw++) {
      for (let c = 0; c < ci; c++, row++) {
        let o = row * n;
        for (let bi = 0; bi < b; bi++) {
          for (let i = 0; i < oh; i++) {
            let src = ((bi * h + i + kh) * w + kw) * ci + c;
            for (let j = 0; j < ow; j++, src += ci) colsT[o++] = x[src];
          }
        }
      }
    }
  }
  return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(colsT, [k * k * ci, n]), tf.reshape(dy, [n, co])), [k, k, ci, co]));
}

/**
 * Gradient of a VALID max pool (stride = window) with respect to its input:
 * each window's gradient goes to its first maximum (as TensorFlow's does).
 */
export function maxPoolInputGradJs(dy: tf.Tensor4D, input: tf.Tensor4D, size: number): tf.Tensor4D {
  const [b, h, w, c] = input.shape;
  const [, oh, ow] = dy.shape;
  const dx = scratchBuffer('max-pool-grad', input.size).fill(0);
  const x = readTensor(input);
  const g = readTensor(dy);
  let o = 0;
  for (let bi = 0; bi < b; bi++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const corner = ((bi * h + i * size) * w + j * size) * c;
        for (let ch = 0; ch < c; ch++, o++) {
          let best = corner + ch;
          let max = x[best];
          for (let di = 0; di < size; di++) {
            for (let dj = 0; dj < size; dj++) {
              const at = corner + (di * w + dj) * c + ch;
              if (x[at] > max) {
                max = x[at];
                best = at;
              }
            }
          }
          dx[best] += g[o];
        }
      }
    }
  }
  return tf.tensor4d(dx, [b, h, w, c]);
}
