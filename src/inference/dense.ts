/**
 * Fully connected layer over plain typed arrays: `out = act(x · W + b)` with a
 * Keras kernel `W` of shape `[inSize, outSize]`, row-major.
 *
 * The loop walks `W` row by row (one input at a time, all outputs), so memory
 * is read sequentially; inputs that are exactly 0 (ReLU outputs, blank
 * pixels) are skipped, which roughly halves the work on MNIST.
 */

/** Preplanned dense layer: weights plus the float64 accumulator it reuses. */
export interface DensePlan {
  readonly inSize: number;
  readonly outSize: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly relu: boolean;
  /** Scratch of `outSize` float64 accumulators, allocated once. */
  readonly acc: Float64Array;
}

/**
 * Computes the layer for one example into `out` (length `outSize`). Allocates nothing.
 *
 * @example
 * ```ts
 * const plan = { inSize: 2, outSize: 1, kernel: new Float32Array([1, 2]), bias: new Float32Array([0.5]),
 *                relu: false, acc: new Float64Array(1) };
 * denseForward(plan, new Float32Array([3, 4]), out); // out[0] = 3·1 + 4·2 + 0.5 = 11.5
 * ```
 */
export function denseForward(plan: DensePlan, input: Float32Array, out: Float32Array): void {
  const { inSize, outSize, kernel, bias, relu, acc } = plan;
  const out4 = outSize & ~3; // the inner loop is unrolled by 4
  for (let j = 0; j < outSize; j++) acc[j] = bias[j];
  for (let i = 0; i < inSize; i++) {
    const v = input[i];
    if (v === 0) continue;
    const row = i * outSize;
    let j = 0;
    for (; j < out4; j += 4) {
      acc[j] += v * kernel[row + j];
      acc[j + 1] += v * kernel[row + j + 1];
      acc[j + 2] += v * kernel[row + j + 2];
      acc[j + 3] += v * kernel[row + j + 3];
    }
    for (; j < outSize; j++) acc[j] += v * kernel[row + j];
  }
  for (let j = 0; j < outSize; j++) {
    const a = acc[j];
    out[j] = relu && a < 0 ? 0 : a;
  }
}
