/** Minimal assertions for the browser tests (mocha gives none; no extra dependency). */

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) throw new Error(`Expected ${what} to be ${String(expected)}, got ${String(actual)}`);
}

/** Awaits `promise`, which must reject with an instance of `Class` whose message matches `pattern`. */
export async function rejects<E extends Error>(promise: Promise<unknown>, Class: new (...args: never[]) => E, pattern?: RegExp, within = 30_000): Promise<E> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Still pending after ${within} ms: expected a ${Class.name}`)), within)));
  try {
    await Promise.race([promise, timeout]);
  } catch (error) {
    clearTimeout(timer);
    if (!(error instanceof Class)) throw new Error(`Expected a ${Class.name}, got ${describe(error)}`);
    if (pattern && !pattern.test(error.message)) throw new Error(`Expected the ${Class.name}'s message to match ${pattern}, got "${error.message}"`);
    return error;
  }
  clearTimeout(timer);
  throw new Error(`Expected a ${Class.name}, but it resolved`);
}

/** Rejects if `promise` takes longer than `ms`: a hang becomes a failure with a name. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms))]);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name} (${error.name}): ${error.message}`;
  return String(error);
}

/** Mean of the first and last `n` values: loss "falls" when the tail is clearly below the head. */
export function headTail(values: number[], n: number): { head: number; tail: number } {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { head: mean(values.slice(0, n)), tail: mean(values.slice(-n)) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 10 ms until it holds, failing after `ms`. */
export async function waitFor(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}
