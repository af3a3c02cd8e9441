/**
 * IEEE 754 half precision (binary16) conversions, written out so they behave
 * the same in every runtime (`Math.f16round` and `Float16Array` are too new to
 * rely on). float32 → float16 rounds to nearest, ties to even, like the
 * hardware conversion; overflow gives ±Infinity, NaN stays NaN, tiny values
 * become subnormals or a signed zero.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite float16, 65504. Values ≥ 65520 round to Infinity. */
export const FLOAT16_MAX = 65504;

/**
 * The float16 bit pattern nearest to `value` (rounded to float32 first).
 *
 * @example
 * ```ts
 * float32ToFloat16Bits(1);       // 0x3c00
 * float32ToFloat16Bits(65520);   // 0x7c00 (Infinity)
 * ```
 */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0); // Infinity or a quiet NaN
  const e = exp - 127 + 15; // rebiased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e >= 1) {
    // Normal: keep the top 10 mantissa bits, round the 13 dropped ones. A carry
    // out of the mantissa correctly bumps the exponent (up to Infinity).
    let h = sign | (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
    return h;
  }
  // Subnormal result: value = full × 2^(exp − 150), float16 step is 2^−24.
  const shift = 14 - e;
  if (shift > 24) return sign; // below half the smallest subnormal: ±0
  const full = mant | 0x800000;
  let h = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h++; // may become the smallest normal, 0x0400
  return sign | h;
}

/**
 * The number a float16 bit pattern stands for (exact in float32 and float64).
 *
 * @example
 * ```ts
 * float16BitsToFloat32(0x3555); // 0.333251953125
 * ```
 */
export function float16BitsToFloat32(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/**
 * Converts a whole array to float16 bit patterns.
 *
 * @example
 * ```ts
 * const half = toFloat16Array(new Float32Array([0.1, -2])); // Uint16Array [0x2e66, 0xc000]
 * ```
 */
export function toFloat16Array(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]);
  return out;
}

/**
 * Converts float16 bit patterns back to float32 values.
 *
 * @example
 * ```ts
 * fromFloat16Array(new Uint16Array([0x3c00])); // Float32Array [1]
 * ```
 */
export function fromFloat16Array(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]);
  return out;
}
