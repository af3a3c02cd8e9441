/**
 * How many threads WASM gets, and a start that cannot hang on them.
 *
 * tfjs-backend-wasm's threaded build starts a pool of 8 worker threads
 * (nested workers, from blob: URLs) before its first op and waits until every
 * one reports ready. In Firefox ESR, on a loaded machine, one of them
 * sometimes never does: `tf.setBackend('wasm')` then never settles, and the
 * trainer's `init()` with it (seen on a cold `npm start`: 5 of 6 runs). So:
 * 1. where tfjs would run one thread (its pool is min(4, cores / 2)), load the
 *    single-threaded SIMD build: the threaded one would add 8 idle workers
 *    and nothing else;
 * 2. otherwise, give the threads {@link THREAD_START_MS} to start, then move
 *    tfjs to the single-threaded build and say so.
 * Neither helps when the start blocks this thread itself, as in Firefox ESR
 * 153 with threads forced (`wasmThreads: 2`): Emscripten creates the 8 pool
 * workers in one synchronous loop and the second `new Worker()` does not
 * return. The page side catches that (`stallTimeoutMs` in `createTrainer`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, init } from '@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js';
import { useBackend, type BackendInfo } from '../src/backend/use-backend.js';
import type { PassedOver } from './protocol.js';

/** How long the threaded build's pool may take to start (it takes well under 2 s when it works, even on a busy 2-core machine). */
export const THREAD_START_MS = 20_000;

/** tfjs's own default thread count: min(4, logical cores / 2), at least 1. */
export function defaultWasmThreads(cores: number = globalThis.navigator?.hardwareConcurrency || 1): number {
  return Math.min(4, Math.max(1, Math.floor(cores / 2)));
}

/**
 * Starts tfjs's WASM backend on `threads` threads when threads are possible,
 * else (or when they do not start within `startMs`) on the single-threaded build.
 * Pushes the reason onto `passedOver` whenever threads were possible but not used.
 *
 * @example
 * ```ts
 * const info = await startWasm({ threads: 2, paths: '/assets/', passedOver: [] });
 * info.wasmVariant; // 'threaded-simd' (or 'simd', with the reason in passedOver)
 * ```
 */
export async function startWasm(options: { threads: number; paths: string | Record<string, string>; passedOver: PassedOver[]; startMs?: number }): Promise<BackendInfo> {
  const { threads, paths, passedOver, startMs = THREAD_START_MS } = options;
  const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  if (!multithread) return useBackend('wasm', { wasmPaths: paths });
  if (threads <= 1) {
    singleThreaded();
    passedOver.push({ backend: 'wasm', variant: 'threaded-simd', reason: `one thread is all it would run here (${globalThis.navigator?.hardwareConcurrency ?? '?'} logical cores; tfjs uses half, at most 4): the single-threaded build does the same work without starting 8 idle worker threads` });
    return useBackend('wasm', { wasmPaths: paths });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), startMs)));
  const started = useBackend('wasm', { wasmPaths: paths });
  const first = await Promise.race([started, stalled]).finally(() => clearTimeout(timer));
  if (first !== 'stalled') return first;
  started.catch(() => undefined); // abandoned below; its late outcome is ignored by tfjs
  singleThreaded();
  // tfjs keeps the stuck start pending: a fresh registration makes the next setBackend start the single-threaded build.
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => new BackendWasm((await init()).wasm), 2);
  passedOver.push({ backend: 'wasm', variant: 'threaded-simd', reason: `its ${threads} worker threads did not all start within ${startMs >= 1000 ? `${Math.round(startMs / 1000)} s` : `${startMs} ms`}` });
  return useBackend('wasm', { wasmPaths: paths });
}

/** Makes tfjs load the single-threaded build from now on. */
function singleThreaded(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}
