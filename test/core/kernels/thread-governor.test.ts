// The governor that picks 1 or 2 threads per step by measured step time.
import { describe, expect, it } from 'vitest';
import { PROBE_STEPS, REPROBE_STEPS, ThreadGovernor } from '../../../src/kernels/thread-governor.js';

/** Runs `steps` steps whose time depends on the thread count; returns the counts used. */
function drive(g: ThreadGovernor, steps: number, msFor: (threads: number, step: number) => number): number[] {
  const used: number[] = [];
  for (let s = 0; s < steps; s++) {
    const n = g.next();
    used.push(n);
    g.record(n, msFor(n, s));
  }
  return used;
}

describe('ThreadGovernor', () => {
  it('keeps 2 threads when they are faster, and says so with the times', () => {
    const g = new ThreadGovernor(2, true);
    const used = drive(g, 200, (n) => (n === 2 ? 0.4 : 0.7));
    expect(used.slice(2 * PROBE_STEPS + 2 + 5)).toEqual(Array(200 - 2 * PROBE_STEPS - 7).fill(2));
    expect(g.decision).toBe('2 threads: measured 0.400 ms/step on 2, 0.700 on 1');
  });

  it('falls back to 1 thread on a busy machine and returns to 2 when it is quiet again', () => {
    const g = new ThreadGovernor(2, true);
    const busyUntil = 400;
    const used = drive(g, 1200, (n, s) => (s < busyUntil ? (n === 2 ? 1.5 : 0.8) : n === 2 ? 0.4 : 0.7));
    expect(used.slice(50, 300).every((n) => n === 1)).toBe(true);
    expect(used.slice(1000).filter((n) => n === 2).length).toBeGreaterThan(150);
    expect(g.decision).toMatch(/^2 threads: measured 0\.400 ms\/step on 2, 0\.700 on 1$/);
    expect(REPROBE_STEPS).toBeLessThan(400);
  });

  it('never changes a fixed count', () => {
    const g = new ThreadGovernor(2, false);
    expect(new Set(drive(g, 100, (n) => (n === 2 ? 9 : 1)))).toEqual(new Set([2]));
    expect(g.decision).toBe('2 threads, fixed');
  });
});
