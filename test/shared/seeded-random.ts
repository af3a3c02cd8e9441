/**
 * A seeded generator of numbers in [0, 1) (a 32-bit LCG), for tests that
 * inject faults or input at random points and must inject the same ones on
 * every run. Node and browser tests alike; no dependency.
 *
 * @example
 * ```ts
 * const next = seededRandom(42);
 * const atBatch = 1 + Math.floor(next() * 100);
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}
