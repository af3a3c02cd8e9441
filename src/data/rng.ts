/**
 * A small seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small
 * Fast Counting generator, 128-bit state, passes PractRand) seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 *
 * Everything is 32-bit integer arithmetic (`Math.imul`, `>>> 0`), so a seed
 * gives the same sequence on every JS engine and platform. `normal()` also
 * uses `Math.log`/`Math.cos`, which V8 and SpiderMonkey both take from fdlibm.
 */
import { InvalidOptionError } from '../errors.js';

/** A seeded random stream. Not cryptographic. */
export interface Rng {
  /** Uniform float in [0, 1), 32 bits of randomness. */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform integer in [0, n), unbiased; `n` is an integer in 1..2^32. */
  int(n: number): number;
  /** Standard normal (mean 0, std 1), Box–Muller. */
  normal(): number;
  /** A new, independent stream seeded from this one (advances this one). */
  fork(): Rng;
}

const TWO_POW_32 = 4294967296;

/**
 * Creates a generator from an integer seed (taken modulo 2^32).
 *
 * @throws InvalidOptionError when `seed` is not an integer.
 * @example
 * ```ts
 * const rng = createRng(42);
 * const coin = rng.next() < 0.5;
 * const die = 1 + rng.int(6);
 * const noise = rng.normal() * 0.1;
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new InvalidOptionError(`Expected seed to be an integer, got ${String(seed)}`);
  }
  // splitmix32: each call mixes a Weyl sequence into a well-spread 32-bit word.
  let s = seed >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  return sfc32(mix(), mix(), mix(), mix());
}

function sfc32(a: number, b: number, c: number, d: number): Rng {
  let spare = 0;
  let hasSpare = false;
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so the first outputs do not echo the seed words.
  for (let i = 0; i < 12; i++) uint32();

  return {
    uint32,
    next: () => uint32() / TWO_POW_32,
    int(n: number): number {
      if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_32)) {
        throw new InvalidOptionError(`Expected n to be an integer in 1..2^32, got ${String(n)}`);
      }
      // Rejection sampling: drop the top partial block of 2^32 so every residue is equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let u = uint32();
      while (u >= limit) u = uint32();
      return u % n;
    },
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      const u1 = 1 - uint32() / TWO_POW_32; // (0, 1]: log never sees 0
      const u2 = uint32() / TWO_POW_32;
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      spare = r * Math.sin(theta);
      hasSpare = true;
      return r * Math.cos(theta);
    },
    fork: () => sfc32(uint32(), uint32(), uint32(), uint32()),
  };
}
