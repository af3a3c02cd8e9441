/**
 * Max pooling over NHWC activations (one example, `[h, w, c]` row-major) with
 * a square window and stride equal to its size, VALID padding: rows and
 * columns that do not fill a window are dropped, as in Keras.
 */

/** Preplanned max-pool geometry. */
export interface MaxPoolPlan {
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly size: number;
  readonly outH: number;
  readonly outW: number;
}

/** Geometry of a pool of `size` over `[inH, inW, channels]`. */
export function maxPoolPlan(inH: number, inW: number, channels: number, size: number): MaxPoolPlan {
  return { inH, inW, channels, size, outH: Math.floor(inH / size), outW: Math.floor(inW / size) };
}

/**
 * Pools `input` into `out` (length `outH × outW × channels`). Allocates nothing.
 *
 * @example
 * ```ts
 * const plan = maxPoolPlan(2, 2, 1, 2);
 * maxPoolForward(plan, new Float32Array([1, 5, 3, 2]), out); // out[0] = 5
 * ```
 */
export function maxPoolForward(plan: MaxPoolPlan, input: Float32Array, out: Float32Array): void {
  const { inW, channels: c, size, outH, outW } = plan;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const ob = (oy * outW + ox) * c;
      // Start from the window's top-left pixel, then fold in the rest, channel-contiguous.
      const first = (oy * size * inW + ox * size) * c;
      for (let ch = 0; ch < c; ch++) out[ob + ch] = input[first + ch];
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++) {
          const ib = ((oy * size + dy) * inW + ox * size + dx) * c;
          for (let ch = 0; ch < c; ch++) {
            const v = input[ib + ch];
            if (v > out[ob + ch]) out[ob + ch] = v;
          }
        }
      }
    }
  }
}
