/**
 * An allocation spy for the fuzz targets: while it is on, every typed-array
 * and ArrayBuffer constructor on `globalThis` records the bytes asked of it,
 * so a property can check that a parser never allocates from a header it has
 * not checked against the input.
 */
const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;
const BUFFERS = ['ArrayBuffer', 'SharedArrayBuffer'] as const;

/** What the spy saw while it was on. */
export interface Allocations {
  /** Bytes of new backing stores asked for (views into existing buffers count 0). */
  total: number;
  /** The largest single request. */
  largest: number;
}

type Global = Record<string, unknown>;

/** `FUZZ_TRACE_ALLOC=<bytes>` prints the stack of every spied allocation of at least that size. */
const TRACE_ALLOCATIONS = Number(process.env.FUZZ_TRACE_ALLOC ?? 0);

/** Bytes a `new C(...args)` backs with fresh memory: 0 for a view onto an existing buffer. */
function requestedBytes(name: string, bytesPer: number, args: unknown[]): number {
  const first = args[0];
  if (BUFFERS.includes(name as (typeof BUFFERS)[number])) return typeof first === 'number' ? first : 0;
  if (first === undefined) return 0;
  if (typeof first === 'number') return first * bytesPer;
  if (first instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)) return 0;
  const length = (first as { length?: unknown }).length;
  return typeof length === 'number' ? length * bytesPer : 0;
}

/**
 * Runs `work` with every typed-array and ArrayBuffer constructor on
 * `globalThis` replaced by a Proxy that records what is asked for (including
 * `Float32Array.from`, which constructs through `this`), then restores them.
 * Code under test looks the constructors up on the global object at call
 * time, so this sees src/ and its dependencies (fast-png, fflate); Node's own
 * internals hold the originals and are not counted.
 *
 * @example
 * ```ts
 * const { allocations } = await withAllocationSpy(() => parseIdx(bytes, 'x'));
 * ```
 */
export async function withAllocationSpy<T>(work: () => T | Promise<T>): Promise<{ value?: T; error?: unknown; allocations: Allocations }> {
  const g = globalThis as unknown as Global;
  const allocations: Allocations = { total: 0, largest: 0 };
  const originals = new Map<string, unknown>();
  for (const name of [...TYPED_ARRAYS, ...BUFFERS]) {
    const target = g[name] as (new (...args: unknown[]) => object) & { BYTES_PER_ELEMENT?: number };
    if (typeof target !== 'function') continue;
    originals.set(name, target);
    const bytesPer = target.BYTES_PER_ELEMENT ?? 1;
    const proxy: object = new Proxy(target, {
      construct(t, args, newTarget) {
        const bytes = requestedBytes(name, bytesPer, args);
        if (TRACE_ALLOCATIONS > 0 && bytes >= TRACE_ALLOCATIONS) console.log(`${name}(${bytes} bytes)`, new Error().stack?.split('\n').slice(2, 8).join('\n'));
        if (Number.isFinite(bytes) && bytes > 0) {
          allocations.total += bytes;
          if (bytes > allocations.largest) allocations.largest = bytes;
        } else if (!Number.isFinite(bytes)) {
          allocations.total = Infinity;
          allocations.largest = Infinity;
        }
        return Reflect.construct(t, args, newTarget === proxy ? t : newTarget) as object;
      },
    });
    g[name] = proxy;
  }
  try {
    const value = await work();
    return { value, allocations };
  } catch (error) {
    return { error, allocations };
  } finally {
    for (const [name, original] of originals) g[name] = original;
  }
}
