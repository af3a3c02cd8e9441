/**
 * Symmetric int8 quantisation with one scale per output channel, the usual
 * choice for conv and dense kernels: the output channel is the last dimension
 * of a Keras kernel (`[in, out]`, `[kh, kw, in, out]`), so value `i` belongs to
 * channel `i % channels`. Each channel maps `[−max|w|, max|w|]` onto
 * `[−127, 127]`; the error per value is at most half a step, `scale / 2`.
 */

/** A kernel in int8 with its per-channel scales (float32 values). */
export interface Int8Quantized {
  readonly q: Int8Array;
  /** `value ≈ q × scales[i % channels]`; 0 for an all-zero channel. */
  readonly scales: Float32Array;
}

/**
 * Quantises `values` (last dimension `channels`) to int8.
 *
 * @example
 * ```ts
 * const { q, scales } = quantizeInt8PerChannel(new Float32Array([0.5, -2, 1, 1]), 2);
 * // scales = [1/127, 2/127] (as float32), q = [64, -127, 127, 64]
 * ```
 */
export function quantizeInt8PerChannel(values: Float32Array, channels: number): Int8Quantized {
  const scales = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    const a = Math.abs(values[i]);
    if (a > scales[c]) scales[c] = a;
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] / 127; // stored as float32: what the decoder sees
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = scales[i % channels];
    if (s === 0) continue;
    const v = Math.round(values[i] / s);
    q[i] = v > 127 ? 127 : v < -127 ? -127 : v;
  }
  return { q, scales };
}

/**
 * Expands int8 values back to float32: `q[i] × scales[i % channels]`.
 *
 * @example
 * ```ts
 * dequantizeInt8PerChannel(new Int8Array([127, -64]), new Float32Array([0.01, 0.02]));
 * // Float32Array [1.27, -1.28]
 * ```
 */
export function dequantizeInt8PerChannel(q: Int8Array, scales: Float32Array): Float32Array {
  const channels = scales.length;
  const out = new Float32Array(q.length);
  for (let i = 0, c = 0; i < q.length; i++) {
    out[i] = q[i] * scales[c];
    if (++c === channels) c = 0;
  }
  return out;
}

/**
 * The shortest decimal that reads back as exactly the float32 `value`, as a
 * number, so scales in a JSON header are both short and exact (9 significant
 * digits always suffice for float32).
 *
 * @example
 * ```ts
 * shortestFloat32(Math.fround(0.1)); // 0.1
 * ```
 */
export function shortestFloat32(value: number): number {
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return Number(target.toPrecision(9));
}
