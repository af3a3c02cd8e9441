/**
 * The fuzzing harness shared by `test/core/fuzz/*.test.ts`: seeded fast-check
 * properties with a run count from the environment, the contract every parser
 * of outside bytes must keep (checked with `allocation-spy.ts`; cases built
 * with `mutators.ts`), and the figures each target leaves for
 * `docs/reliability.md`.
 *
 * The contract, checked on every generated case:
 * 1. the parser returns a result that passes the target's invariants, or
 * 2. throws one of the target's typed errors (a `DigitClassifierError`
 *    subclass) whose message names the source, and nothing else;
 * 3. within {@link CASE_TIME_LIMIT_MS} (a hang fails the case, and the whole
 *    test is bounded by vitest's timeout as well);
 * 4. allocating no more typed-array or ArrayBuffer memory than the input can
 *    justify (the property's `allocBound`), so a header that claims 2^32
 *    images or a 6000 × 6000 image costs nothing but its error.
 *
 * Runs: `npm test` uses each property's fast count (the whole suite stays
 * around 30 s on two shared cores); `FUZZ_RUNS=20000` scales every property
 * to that many runs times its `longShare`. `FUZZ_SEED` changes the base seed;
 * a failure prints fast-check's seed and path, which replay it exactly.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { DigitClassifierError } from '../../../src/errors.js';
import { writeReliabilityResult } from '../helpers/reliability-results.js';
import { withAllocationSpy, type Allocations } from './allocation-spy.js';

/** Base run count for long mode, from `FUZZ_RUNS`; `null` in the fast default. */
export const FUZZ_RUNS: number | null = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : null;
if (FUZZ_RUNS !== null && !(Number.isInteger(FUZZ_RUNS) && FUZZ_RUNS > 0)) {
  throw new Error(`Expected FUZZ_RUNS to be a positive integer, got ${process.env.FUZZ_RUNS}`);
}
/** Base seed; each property derives its own from it and its name, so adding one moves no other. */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5eed_2024;
/**
 * A case slower than this fails as a hang. Generous because the machine is
 * shared: the slowest legitimate cases (a PNG of a few hundred pixels a side
 * through `toMnistPixels`) take tens of milliseconds.
 */
export const CASE_TIME_LIMIT_MS = Number(process.env.FUZZ_CASE_MS ?? 5000);

let lastYield = 0;
/**
 * Lets timers and I/O run at least every 100 ms. A property awaits each case,
 * but an await of a settled promise is only a microtask: thousands of cases in
 * a row would starve vitest's own messages to its worker ("Timeout calling
 * onTaskUpdate") in long mode.
 */
export async function yieldToMacrotasks(): Promise<void> {
  if (performance.now() - lastYield < 100) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

/** Runs for a property: `fast` in the default mode, `FUZZ_RUNS × longShare` (at least `fast`) in long mode. */
export function runsFor(fast: number, longShare = 1): number {
  return FUZZ_RUNS === null ? fast : Math.max(fast, Math.round(FUZZ_RUNS * longShare));
}

/** A vitest timeout that grows with the run count, for long mode. */
export function timeoutFor(fastMs: number, longShare = 1): number {
  return FUZZ_RUNS === null ? fastMs : Math.max(fastMs, fastMs * Math.ceil((FUZZ_RUNS * longShare) / 100));
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}


/** How one property went, as written to `.bench/reliability/`. */
export interface PropertyFigures {
  name: string;
  runs: number;
  seed: number;
  /** Cases that ran to a verdict (equals `runs` when the property held). */
  cases: number;
  /** Cases that returned a result which passed the invariants. */
  accepted: number;
  /** Cases that threw a typed error, by error class. */
  rejected: Record<string, number>;
  maxCaseMs: number;
  /** The most typed-array memory one case asked for, in bytes (null: not spied). */
  maxAllocatedBytes: number | null;
  /** The allocation bound checked, in words. */
  allocBound: string | null;
  held: boolean;
  failure: string | null;
}

/**
 * The contract of one property: how to run a case and what it may do. `T` is
 * what fast-check generates, `P` the case built from it by `prepare` (outside
 * the allocation spy, so building a mutated file is not charged to the parser).
 */
export interface FuzzSpec<T, R, P = T> {
  /** Builds the case from the generated value (e.g. applies edits to a base file). */
  prepare?: (generated: T) => P;
  /** Calls the parser under test. */
  run: (input: P) => R | Promise<R>;
  /** Checks a returned result's invariants (throws on a violation). */
  check: (result: Awaited<R>, input: P) => void | Promise<void>;
  /** The error classes this parser may throw. */
  errors: readonly (abstract new (...args: never[]) => DigitClassifierError)[];
  /** Text every error message must contain (the source name), or `null` for none. */
  names: ((input: P) => string | readonly string[] | null) | string | readonly string[] | null;
  /** Other outcomes a parser documents (e.g. Node's ENOENT for a missing file): a label, or null when not one of them. */
  documented?: (error: unknown, input: P) => string | null;
  /** Fast-mode runs, and the share of `FUZZ_RUNS` in long mode. */
  runs: number;
  longShare?: number;
  /** Largest allocation a case may make, in bytes; with `allocText` saying what it is. Omit to not spy. */
  allocBound?: (input: P) => number;
  allocText?: string;
  /** Cases that must be rejected (e.g. a crafted hostile header). */
  mustReject?: boolean;
}

/**
 * One fuzz target (a parser, one test file): its properties' figures are
 * written to `.bench/reliability/fuzz-<id>.json` after the file's tests.
 */
export class FuzzTarget {
  private readonly properties: PropertyFigures[] = [];

  constructor(
    readonly id: string,
    readonly title: string,
    readonly entryPoints: readonly string[],
    options: { record?: boolean; notes?: string } = {},
  ) {
    afterAll(() => {
      if (options.record === false) return;
      writeReliabilityResult(`fuzz-${id}`, {
        check: 'fuzz',
        target: title,
        entryPoints,
        file: `test/core/fuzz/${id}.test.ts`,
        baseSeed: FUZZ_SEED,
        fuzzRuns: FUZZ_RUNS,
        caseTimeLimitMs: CASE_TIME_LIMIT_MS,
        properties: this.properties,
        notes: options.notes ?? null,
      });
    });
  }

  /**
   * Checks `spec` on `runs` cases drawn from `arbitrary`, with a seed derived
   * from the base seed, the target and `name`.
   */
  async property<T, R, P = T>(name: string, arbitrary: fc.Arbitrary<T>, spec: FuzzSpec<T, R, P>): Promise<PropertyFigures> {
    const runs = runsFor(spec.runs, spec.longShare);
    const seed = (FUZZ_SEED ^ hash(`${this.id}/${name}`)) | 0;
    const figures: PropertyFigures = {
      name, runs, seed, cases: 0, accepted: 0, rejected: {}, maxCaseMs: 0,
      maxAllocatedBytes: spec.allocBound ? 0 : null, allocBound: spec.allocBound ? spec.allocText ?? 'bounded' : null,
      held: false, failure: null,
    };
    this.properties.push(figures);
    const predicate = async (generated: T): Promise<void> => {
      await yieldToMacrotasks();
      const input = spec.prepare ? spec.prepare(generated) : (generated as unknown as P);
      const t0 = performance.now();
      let value: Awaited<R> | undefined;
      let error: unknown;
      let allocated: Allocations | null = null;
      if (spec.allocBound) {
        const out = await withAllocationSpy(() => spec.run(input));
        value = out.value as Awaited<R> | undefined;
        error = out.error;
        allocated = out.allocations;
      } else {
        try {
          value = await spec.run(input);
        } catch (e) {
          error = e;
        }
      }
      const ms = performance.now() - t0;
      if (ms > CASE_TIME_LIMIT_MS) throw new Error(`case took ${ms.toFixed(0)} ms, over the ${CASE_TIME_LIMIT_MS} ms limit (a hang)`);
      if (allocated && spec.allocBound) {
        const bound = spec.allocBound(input);
        if (allocated.total > bound) {
          throw new Error(`case allocated ${allocated.total} bytes (largest ${allocated.largest}), over its bound of ${bound} (${spec.allocText ?? ''}); outcome: ${error ? describeError(error) : 'accepted'}`);
        }
      }
      let verdict: string;
      if (error === undefined) {
        if (spec.mustReject) throw new Error('expected this hostile input to be rejected, but it was accepted');
        await spec.check(value as Awaited<R>, input);
        verdict = 'accepted';
      } else {
        verdict = classify(error, input, spec);
      }
      figures.cases++;
      figures.maxCaseMs = Math.max(figures.maxCaseMs, ms);
      if (allocated) figures.maxAllocatedBytes = Math.max(figures.maxAllocatedBytes ?? 0, allocated.total);
      if (verdict === 'accepted') figures.accepted++;
      else figures.rejected[verdict] = (figures.rejected[verdict] ?? 0) + 1;
    };
    try {
      await fc.assert(fc.asyncProperty(arbitrary, predicate), { numRuns: runs, seed, includeErrorInReport: true });
      figures.held = true;
      // Shrinking re-runs cases; after a pass there was none, so cases === runs.
      return figures;
    } catch (e) {
      figures.failure = String((e as Error).message ?? e).slice(0, 2000);
      throw e;
    }
  }
}

/** The label of an allowed error, or a thrown assertion saying why it is not allowed. */
function classify<T, R, P>(error: unknown, input: P, spec: FuzzSpec<T, R, P>): string {
  const documented = spec.documented?.(error, input);
  if (documented) return documented;
  const allowed = spec.errors.find((E) => error instanceof E);
  if (!allowed) {
    throw new Error(`expected one of ${spec.errors.map((E) => E.name).join(', ')}, got ${describeError(error)}`);
  }
  const names = typeof spec.names === 'function' ? spec.names(input) : spec.names;
  const wanted: readonly string[] = names === null ? [] : typeof names === 'string' ? [names] : names;
  const message = (error as Error).message;
  if (wanted.length > 0 && !wanted.some((n) => message.includes(n))) {
    throw new Error(`expected the ${allowed.name} message to name ${wanted.map((n) => JSON.stringify(n)).join(' or ')}, got ${JSON.stringify(message)}`);
  }
  return (error as Error).constructor.name;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.slice(0, 300)}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return `a thrown ${typeof error}: ${String(error)}`;
}
